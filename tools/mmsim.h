/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mmsim front door: one file per command (cmd-NAME.c), each with an
 * entry point that takes the arguments after the command name.  A command
 * returns the process exit status: 0, 1 for a failure (one line already on
 * stderr), 2 for a usage error.
 */
#ifndef MMSIM_TOOLS_MMSIM_H
#define MMSIM_TOOLS_MMSIM_H

#include "cmdline.h"

#define EXIT_USAGE 2

struct mmsim_cmd {
	const char *name;
	const char *synopsis; /* "IMAGE [--mem SIZE] ..." */
	const char *summary; /* one line */
	int (*fn)(int argc, const char **argv);
};

int cmd_create(int argc, const char **argv);
int cmd_info(int argc, const char **argv);
int cmd_check(int argc, const char **argv);
int cmd_do(int argc, const char **argv);
int cmd_run(int argc, const char **argv);
int cmd_play(int argc, const char **argv);
int cmd_log(int argc, const char **argv);
int cmd_mount(int argc, const char **argv);
int cmd_umount(int argc, const char **argv);
int cmd_exec(int argc, const char **argv);
int cmd_shell(int argc, const char **argv);
int cmd_snapshot(int argc, const char **argv);

/* "mmsim: " + message + "\n" on stderr. */
__attribute__((format(printf, 1, 2))) void mmsim_error(const char *fmt, ...);

#endif
