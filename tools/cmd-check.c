// SPDX-License-Identifier: GPL-2.0
/* mmsim check IMAGE: verify an image completely; exit 0 only if sound. */
#include <stdio.h>

#include "cmd-common.h"
#include "image.h"
#include "seq_buf.h"

int cmd_check(int argc, const char **argv)
{
	struct seq_buf report, err;
	struct mmsim_args a;
	int ret;

	ret = mmsim_parse("check", argc, argv, NULL, 0, 1, 1, &a);
	if (ret >= 0)
		return ret;
	seq_buf_init(&report);
	seq_buf_init(&err);
	ret = image_check(a.argv[0], &report, &err);
	if (ret) {
		ret = mmsim_fail("check", &err, ret);
	} else {
		if (report.len)
			fwrite(report.buf, 1, report.len, stdout);
		ret = 0;
	}
	seq_buf_free(&report);
	seq_buf_free(&err);
	mmsim_args_free(&a);
	return ret;
}
