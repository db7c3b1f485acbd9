// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/version (fs/proc/version.c): release, builder, compiler and the
 * uts version string, laid out as a distribution kernel prints them.
 */
#include "internal.h"

int version_proc_show(const struct pfs_ctx *ctx __maybe_unused,
		      struct seq_buf *s)
{
	seq_puts(s, MMSIM_LINUX_BANNER "\n");
	return 0;
}
