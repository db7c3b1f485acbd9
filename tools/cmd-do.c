// SPDX-License-Identifier: GPL-2.0
/* mmsim do IMAGE OP [ARG...]: apply one operation and print its result. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd-common.h"
#include "image.h"
#include "ops.h"
#include "seq_buf.h"

/*
 * The synopsis of operation @name as its parser states it when given the
 * bare name ("tick DURATION"), into @out; nothing when the name alone is
 * a whole operation (sync) or names none.
 */
static void op_synopsis(const char *name, struct seq_buf *out)
{
	static const char prefix[] = "usage: ";
	struct seq_buf why;

	seq_buf_init(&why);
	if (op_validate(name, &why) && why.buf &&
	    !strncmp(why.buf, prefix, sizeof(prefix) - 1))
		seq_write(out, why.buf + sizeof(prefix) - 1,
			  strcspn(why.buf + sizeof(prefix) - 1, "\n"));
	seq_buf_free(&why);
}

/*
 * The operation's words do not parse (@why says how): a usage error, as
 * CLI.md has it, with the operation's synopsis unless @why already has
 * it; a word naming no operation gets the synopsis of do itself.
 */
static int op_usage_error(const char *name, const struct seq_buf *why)
{
	const char *msg = why->buf && why->len ? why->buf : "bad operation";
	int len = (int)strcspn(msg, "\n");
	struct seq_buf syn;

	seq_buf_init(&syn);
	op_synopsis(name, &syn);
	if (!strncmp(msg, "usage: ", 7) || (syn.buf && strstr(msg, syn.buf)))
		mmsim_error("do: %.*s", len, msg);
	else if (syn.len && syn.buf)
		mmsim_error("do: %.*s (usage: %s)", len, msg, syn.buf);
	else
		mmsim_usage_error("do", "%.*s", len, msg);
	seq_buf_free(&syn);
	return EXIT_USAGE;
}

int cmd_do(int argc, const char **argv)
{
	struct seq_buf line, result, err;
	struct mmsim_args a;
	struct image *img;
	const char *op;
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
	/* empty words make no line at all */
	op = line.buf ? line.buf : "";
	/*
	 * Words that do not make an operation are a usage error, found
	 * before the image is opened; an operation the machine refuses is
	 * a failure (1).  One planned but not simulated yet is a failure
	 * too: the words are right.
	 */
	ret = op_validate(op, &err);
	if (ret && ret != -ENOSYS) {
		ret = op_usage_error(a.argv[first], &err);
		goto out;
	}
	if (ret) {
		ret = mmsim_fail("do", &err, ret);
		goto out;
	}
	ret = image_open(a.argv[0], IMAGE_RDWR, &img, &err);
	if (ret) {
		ret = mmsim_fail("do", &err, ret);
		goto out;
	}
	ret = image_apply(img, op, &result, &err);
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
