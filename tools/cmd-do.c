// SPDX-License-Identifier: GPL-2.0
/* mmsim do IMAGE OP [ARG...]: apply one operation and print its result. */
#include <stdio.h>
#include <string.h>

#include "cmd-common.h"
#include "image.h"
#include "seq_buf.h"

int cmd_do(int argc, const char **argv)
{
	struct seq_buf line, result, err;
	struct mmsim_args a;
	struct image *img;
	int first, i, ret;

	/* Options stop at IMAGE: the operation's words may start with '-'. */
	ret = mmsim_parse("do", argc, argv, NULL, POPT_CONTEXT_POSIXMEHARDER, 2,
			  -1, &a);
	if (ret >= 0)
		return ret;
	seq_buf_init(&line);
	seq_buf_init(&result);
	seq_buf_init(&err);
	/* "mmsim do IMAGE -- OP ...", out of habit, means the same. */
	first = strcmp(a.argv[1], "--") ? 1 : 2;
	if (first >= a.argc) {
		ret = mmsim_usage_error("do", "missing OP");
		goto out;
	}
	for (i = first; i < a.argc; i++) {
		if (i > first)
			seq_putc(&line, ' ');
		seq_puts(&line, a.argv[i]);
	}
	if (seq_buf_error(&line)) {
		ret = mmsim_fail("do", &err, seq_buf_error(&line));
		goto out;
	}
	ret = image_open(a.argv[0], IMAGE_RDWR, &img, &err);
	if (ret) {
		ret = mmsim_fail("do", &err, ret);
		goto out;
	}
	ret = image_apply(img, line.buf, &result, &err);
	image_close(img);
	if (ret) {
		ret = mmsim_fail("do", &err, ret);
		goto out;
	}
	if (result.len) {
		fwrite(result.buf, 1, result.len, stdout);
		if (result.buf[result.len - 1] != '\n')
			putchar('\n');
	}
out:
	seq_buf_free(&line);
	seq_buf_free(&result);
	seq_buf_free(&err);
	mmsim_args_free(&a);
	return ret;
}
