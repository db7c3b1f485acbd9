// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim: the front door.  `mmsim COMMAND [ARG...]` runs one command; each
 * lives in tools/cmd-NAME.c and parses its own options with popt through
 * mmsim_parse(), which gives every command --help and --version.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-common.h"
#include "mmsim.h"
#include "seq_buf.h"

static const struct mmsim_cmd commands[] = {
	{"create",
	 "IMAGE [--mem SIZE] [--nodes N] [--cpus N] [--swap SIZE] [--seed N] "
	 "[--force]",
	 "create an image holding a freshly booted machine", cmd_create},
	{"info", "IMAGE", "say what the machine is, in a few lines", cmd_info},
	{"check", "IMAGE", "verify an image; exit 0 only if it is sound",
	 cmd_check},
	{"do", "IMAGE OP [ARG...]", "apply one operation and print its result",
	 cmd_do},
	{"run", "IMAGE SCRIPT", "apply a scenario script ('-': standard input)",
	 cmd_run},
	{"play", "IMAGE SCRIPT [--speed X]",
	 "apply a scenario script live, its ticks in wall-clock time",
	 cmd_play},
	{"log", "IMAGE", "list the operations applied so far, in order",
	 cmd_log},
	{"mount", "IMAGE DIR [-f]",
	 "show the machine as DIR/proc and DIR/sys (-f: foreground)",
	 cmd_mount},
	{"umount", "DIR", "unmount what mmsim mount mounted at DIR",
	 cmd_umount},
	{"exec", "IMAGE [--] CMD [ARG...]",
	 "run CMD with the image's /proc and /sys", cmd_exec},
	{"shell", "IMAGE", "run $SHELL with the image's /proc and /sys",
	 cmd_shell},
	{"snapshot", "IMAGE DIR",
	 "write the proc/ and sys/ trees as plain files under DIR",
	 cmd_snapshot},
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct mmsim_cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

void mmsim_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("mmsim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int mmsim_usage_error(const char *name, const char *fmt, ...)
{
	const struct mmsim_cmd *cmd = find_cmd(name);
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "mmsim: %s: ", name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (usage: mmsim %s %s)\n", name,
		cmd ? cmd->synopsis : "...");
	return EXIT_USAGE;
}

int mmsim_fail(const char *name, const struct seq_buf *err, int ret)
{
	size_t len = err->len;

	if (!len || !err->buf) {
		mmsim_error("%s: %s", name, strerror(ret < 0 ? -ret : EIO));
		return 1;
	}
	/* One line: the first, without its newline. */
	len = strcspn(err->buf, "\n");
	mmsim_error("%s: %.*s", name, (int)len, err->buf);
	return 1;
}

static void print_version(void)
{
	printf("mmsim %s\n", PACKAGE_VERSION);
}

static void print_cmd_help(const struct mmsim_cmd *cmd,
			   const struct poptOption *options)
{
	const struct poptOption *o;
	char left[64];

	printf("usage: mmsim %s %s\n\n%c%s.\n", cmd->name, cmd->synopsis,
	       toupper((unsigned char)cmd->summary[0]), cmd->summary + 1);
	printf("\nOptions:\n");
	for (o = options; o && o->longName; o++) {
		snprintf(left, sizeof(left), "%c%c%s--%s%s%s",
			 o->shortName ? '-' : ' ',
			 o->shortName ? o->shortName : ' ',
			 o->shortName ? ", " : "  ", o->longName,
			 o->argDescrip ? " " : "",
			 o->argDescrip ? o->argDescrip : "");
		printf("  %-20s %s\n", left, o->descrip ? o->descrip : "");
	}
	printf("  %-20s %s\n", "-h, --help", "show this help");
	printf("  %-20s %s\n", "-V, --version", "show the version");
	printf("\nSee mmsim(1).\n");
}

/* The @n-th argument word of @cmd's synopsis ("IMAGE", "OP" ...). */
static const char *missing_word(const struct mmsim_cmd *cmd, int n, char *buf,
				size_t size)
{
	const char *p = cmd ? cmd->synopsis : "";
	size_t len;

	for (;;) {
		p += strspn(p, " ");
		len = strcspn(p, " ");
		if (!len)
			return "argument";
		if (*p != '[' && *p != '-' && n-- == 0)
			break;
		p += len;
	}
	snprintf(buf, size, "%.*s", (int)len, p);
	return buf;
}

enum { OPT_HELP = 0x1001, OPT_VERSION };

int mmsim_parse(const char *name, int argc, const char **argv,
		const struct poptOption *options, unsigned int popt_flags,
		int min_args, int max_args, struct mmsim_args *a)
{
	struct poptOption table[] = {
		{NULL, '\0', POPT_ARG_INCLUDE_TABLE, (void *)options, 0, NULL,
		 NULL},
		{"help", 'h', POPT_ARG_NONE, NULL, OPT_HELP, NULL, NULL},
		{"version", 'V', POPT_ARG_NONE, NULL, OPT_VERSION, NULL, NULL},
		POPT_TABLEEND};
	const struct mmsim_cmd *cmd = find_cmd(name);
	int rc, status = -1;
	const char *bad;
	char word[32];

	memset(a, 0, sizeof(*a));
	a->pc = poptGetContext(name, argc, argv, options ? table : table + 1,
			       popt_flags);
	if (!a->pc) {
		mmsim_error("%s: out of memory", name);
		return 1;
	}
	while ((rc = poptGetNextOpt(a->pc)) > 0) {
		if (rc == OPT_HELP && cmd) {
			print_cmd_help(cmd, options);
			status = 0;
			goto out;
		}
		if (rc == OPT_VERSION) {
			print_version();
			status = 0;
			goto out;
		}
	}
	if (rc < -1) {
		bad = poptBadOption(a->pc, POPT_BADOPTION_NOALIAS);
		status = mmsim_usage_error(name, "%s: %s", bad,
					   poptStrerror(rc));
		goto out;
	}
	a->argv = poptGetArgs(a->pc);
	while (a->argv && a->argv[a->argc])
		a->argc++;
	if (a->argc < min_args) {
		status = mmsim_usage_error(
			name, "missing %s",
			missing_word(cmd, a->argc, word, sizeof(word)));
		goto out;
	}
	if (max_args >= 0 && a->argc > max_args) {
		status = mmsim_usage_error(name, "unexpected argument '%s'",
					   a->argv[max_args]);
		goto out;
	}
	return -1;
out:
	mmsim_args_free(a);
	return status;
}

void mmsim_args_free(struct mmsim_args *a)
{
	if (a->pc)
		poptFreeContext(a->pc);
	memset(a, 0, sizeof(*a));
}

static void print_help(FILE *f)
{
	size_t i;

	fprintf(f, "usage: mmsim COMMAND [ARG...]\n\n"
		   "Simulate the memory subsystem of a Linux machine kept in "
		   "an image file,\n"
		   "and show it as /proc and /sys to unmodified tools.\n\n"
		   "Commands:\n");
	for (i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\n`mmsim COMMAND --help` shows a command's arguments; see "
		   "mmsim(1).\n");
}

/* Flush stdout, turning a failed write (a full disk ...) into a failure. */
static int close_stdout(int status)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return status;
	if (errno == EPIPE)
		return status;
	mmsim_error("standard output: %s", strerror(errno));
	return status ? status : 1;
}

int main(int argc, char **argv)
{
	const char *name = argc > 1 ? argv[1] : NULL;
	const char *help_argv[3] = {NULL, "--help", NULL};
	const struct mmsim_cmd *cmd;

	if (!name) {
		mmsim_error("missing command (usage: mmsim COMMAND [ARG...]; "
			    "mmsim --help lists them)");
		return EXIT_USAGE;
	}
	if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
		print_help(stdout);
		return close_stdout(0);
	}
	if (!strcmp(name, "--version") || !strcmp(name, "-V")) {
		print_version();
		return close_stdout(0);
	}
	if (!strcmp(name, "help")) {
		if (argc < 3) {
			print_help(stdout);
			return close_stdout(0);
		}
		cmd = find_cmd(argv[2]);
		if (!cmd) {
			mmsim_error("help: unknown command '%s'", argv[2]);
			return EXIT_USAGE;
		}
		help_argv[0] = cmd->name;
		return close_stdout(cmd->fn(2, help_argv));
	}
	cmd = find_cmd(name);
	if (!cmd) {
		mmsim_error("unknown command '%s' (mmsim --help lists them)",
			    name);
		return EXIT_USAGE;
	}
	return close_stdout(cmd->fn(argc - 1, (const char **)argv + 1));
}
