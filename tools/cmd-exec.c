// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim exec [--drop-caps] IMAGE [--] CMD [ARG...]: run an unmodified
 * program that sees the image's machine as /proc and /sys.
 */
#include "config.h"

#include <popt.h>

#include "cmd-common.h"
#include "mmfs.h"
#include "seq_buf.h"

int cmd_exec(int argc, const char **argv)
{
	int drop_caps = 0, debug = 0;
	const struct poptOption opts[] = {
		{"drop-caps", '\0', POPT_ARG_NONE, &drop_caps, 0,
		 "drop every capability before running CMD", NULL},
		{"debug", 'd', POPT_ARG_NONE, &debug, 0,
		 "trace the file system's requests on stderr", NULL},
		POPT_TABLEEND};
	struct mmsim_args a, cmd;
	struct mmfs_run_opts ro = {0};
	struct seq_buf err;
	int ret;

	/*
	 * Options stop at the first word that is not one: CMD's options are
	 * CMD's.  A second pass takes options between IMAGE and CMD (popt
	 * skips its first word, here IMAGE) and the "--".
	 */
	ret = mmsim_parse("exec", argc, argv, opts, POPT_CONTEXT_POSIXMEHARDER,
			  1, -1, &a);
	if (ret >= 0)
		return ret;
	ret = mmsim_parse("exec", a.argc, a.argv, opts,
			  POPT_CONTEXT_POSIXMEHARDER, 1, -1, &cmd);
	if (ret >= 0)
		goto out;

	ro.argv = cmd.argv;
	ro.drop_caps = drop_caps;
	ro.debug = debug;
	seq_buf_init(&err);
	ret = mmfs_run_image(a.argv[0], &ro, &err);
	/* A program that could not be started still has its 126 or 127. */
	if (ret < 0)
		ret = mmsim_fail("exec", &err, ret);
	else if (err.len)
		mmsim_fail("exec", &err, 0);
	seq_buf_free(&err);
	mmsim_args_free(&cmd);
out:
	mmsim_args_free(&a);
	return ret;
}
