// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim shell [--drop-caps] IMAGE: $SHELL (or /bin/sh) the way mmsim exec
 * runs a program, with the image's /proc and /sys.
 */
#include "config.h"

#include <popt.h>
#include <stdlib.h>

#include "cmd-common.h"
#include "mmfs.h"
#include "seq_buf.h"

int cmd_shell(int argc, const char **argv)
{
	int drop_caps = 0, debug = 0;
	const struct poptOption opts[] = {
		{"drop-caps", '\0', POPT_ARG_NONE, &drop_caps, 0,
		 "drop every capability before starting the shell", NULL},
		{"debug", 'd', POPT_ARG_NONE, &debug, 0,
		 "trace the file system's requests on stderr", NULL},
		POPT_TABLEEND};
	struct mmfs_run_opts ro = {0};
	const char *shell_argv[2];
	struct mmsim_args a;
	struct seq_buf err;
	int ret;

	ret = mmsim_parse("shell", argc, argv, opts, 0, 1, 1, &a);
	if (ret >= 0)
		return ret;

	shell_argv[0] = getenv("SHELL");
	if (!shell_argv[0] || !*shell_argv[0])
		shell_argv[0] = "/bin/sh";
	shell_argv[1] = NULL;
	ro.argv = shell_argv;
	ro.drop_caps = drop_caps;
	ro.debug = debug;
	seq_buf_init(&err);
	ret = mmfs_run_image(a.argv[0], &ro, &err);
	if (ret < 0)
		ret = mmsim_fail("shell", &err, ret);
	else if (err.len)
		mmsim_fail("shell", &err, 0);
	seq_buf_free(&err);
	mmsim_args_free(&a);
	return ret;
}
