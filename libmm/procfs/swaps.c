// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/swaps (swap_show() in mm/swapfile.c).  The header is printed even
 * without swap; there are no swap devices to list until swapon is
 * modelled.
 */
#include "internal.h"

int swaps_proc_show(const struct pfs_ctx *ctx __maybe_unused,
		    struct seq_buf *s)
{
	seq_puts(s, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	return 0;
}
