// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/swaps (swap_show() in mm/swapfile.c).  The header is printed even
 * without swap.  A machine created with --swap has one swap partition,
 * switched on at boot with the first default priority.
 */
#include <string.h>

#include "internal.h"

#define SWAP_DEVICE "/dev/vdb"
#define SWAP_FIRST_PRIO (-2)

int swaps_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct machine *m = ctx->m;
	uint64_t size_kb = total_swap_pages(m) << (PAGE_SHIFT - 10);
	uint64_t used_kb = (total_swap_pages(m) - nr_free_swap_pages(m))
			   << (PAGE_SHIFT - 10);
	int len = (int)strlen(SWAP_DEVICE);

	seq_puts(s, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	if (!total_swap_pages(m))
		return 0;
	seq_printf(s, "%s%*s%s\t%llu\t%s%llu\t%s%d\n", SWAP_DEVICE,
		   len < 40 ? 40 - len : 1, " ", "partition",
		   (unsigned long long)size_kb, size_kb < 10000000 ? "\t" : "",
		   (unsigned long long)used_kb, used_kb < 10000000 ? "\t" : "",
		   SWAP_FIRST_PRIO);
	return 0;
}
