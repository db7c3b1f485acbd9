/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the commands share (mmsim.c): popt parsing with --help and
 * --version, usage errors, and the image's messages; and (cmd-run.c) the
 * scenario scripts of run and play.
 */
#ifndef MMSIM_TOOLS_CMD_COMMON_H
#define MMSIM_TOOLS_CMD_COMMON_H

#include <popt.h>

#include "mmsim.h"

struct image;
struct script;
struct seq_buf;

/* The words a command got after its options. */
struct mmsim_args {
	poptContext pc;
	const char **argv;
	int argc;
};

/*
 * Parse the arguments of command @name (argv[0] is the command's name):
 * @options (a popt table, or NULL) and --help, --version, then between
 * @min_args and @max_args words (-1: any number).  Returns -1 to go on
 * with the words in @a (mmsim_args_free() them), or the exit status to
 * return now: 0 after --help or --version, EXIT_USAGE after a usage
 * error, which it reported.
 */
int mmsim_parse(const char *name, int argc, const char **argv,
		const struct poptOption *options, unsigned int popt_flags,
		int min_args, int max_args, struct mmsim_args *a);
void mmsim_args_free(struct mmsim_args *a);

/* "mmsim: NAME: message (usage: mmsim NAME SYNOPSIS)"; returns EXIT_USAGE. */
__attribute__((format(printf, 2, 3))) int
mmsim_usage_error(const char *name, const char *fmt, ...);

/* "mmsim: NAME: " + the text in @err, one line; returns 1. */
int mmsim_fail(const char *name, const struct seq_buf *err, int ret);

/*
 * Scenario scripts (cmd-run.c), for run and play.  script_load() reads
 * @path ('-': standard input) and checks it whole without applying
 * anything; on failure it has said why, naming command @cmd or the line.
 */
int script_load(const char *cmd, const char *path, struct script **out);
/*
 * Apply the script's lines to @img in turn, printing the results of those
 * that bind nothing.  Each line, its names substituted, goes to @apply
 * (image_apply() when NULL), which has image_apply()'s contract.  The
 * first line that fails stops the script; its error is printed as
 * SCRIPT:LINE: reason and returned.  The lines before it stay applied.
 */
int script_apply(struct script *s, struct image *img,
		 int (*apply)(struct image *img, const char *line,
			      struct seq_buf *result, struct seq_buf *err,
			      void *arg),
		 void *arg);
void script_free(struct script *s);

#endif
