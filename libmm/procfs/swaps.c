// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/swaps (swap_show() in mm/swapfile.c): one line per swap area in
 * swap_info order, under a header printed even without swap.
 */
#include <string.h>

#include "internal.h"

int swaps_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct machine *m = ctx->m;
	int type;

	seq_puts(s, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	for (type = 0; type < m->swap.nr_swapfiles; type++) {
		const struct swap_info_struct *si = swap_info(m, type);
		uint64_t size_kb, used_kb;
		int len;

		if (!si || !(si->flags & SWP_WRITEOK))
			continue;
		size_kb = si->pages << (PAGE_SHIFT - 10);
		used_kb = si->inuse_pages << (PAGE_SHIFT - 10);
		len = (int)strlen(si->name);
		seq_printf(s, "%s%*s%s\t%llu\t%s%llu\t%s%d\n", si->name,
			   len < 40 ? 40 - len : 1, " ",
			   si->partition ? "partition" : "file\t",
			   (unsigned long long)size_kb,
			   size_kb < 10000000 ? "\t" : "",
			   (unsigned long long)used_kb,
			   used_kb < 10000000 ? "\t" : "", si->prio);
	}
	return 0;
}
