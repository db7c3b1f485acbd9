// SPDX-License-Identifier: GPL-2.0
/* mmsim log IMAGE: the committed operations, one a line, in order. */
#include <inttypes.h>
#include <stdio.h>

#include "cmd-common.h"
#include "image.h"
#include "seq_buf.h"

static int print_op(uint64_t seq, const char *line, void *arg)
{
	printf("%" PRIu64 " %s\n", seq, line);
	return 0;
}

int cmd_log(int argc, const char **argv)
{
	struct mmsim_args a;
	struct image *img;
	struct seq_buf err;
	int ret;

	ret = mmsim_parse("log", argc, argv, NULL, 0, 1, 1, &a);
	if (ret >= 0)
		return ret;
	seq_buf_init(&err);
	/* Every record is checked on open; the machine is not needed. */
	ret = image_open(a.argv[0], IMAGE_NOLOAD, &img, &err);
	if (ret) {
		ret = mmsim_fail("log", &err, ret);
		goto out;
	}
	ret = image_for_each_op(img, print_op, NULL);
	if (ret)
		ret = mmsim_fail("log", &err, ret);
	image_close(img);
out:
	seq_buf_free(&err);
	mmsim_args_free(&a);
	return ret;
}
