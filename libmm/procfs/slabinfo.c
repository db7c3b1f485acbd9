// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/slabinfo, version 2.1 (slab_show() and cache_show() in
 * mm/slab_common.c with SLUB's get_slabinfo()): the newest cache first,
 * merged caches not listed, SLUB's tunables always zero.  The file is
 * 0400 and has no write handler: root (CAP_DAC_OVERRIDE) may open it for
 * writing, and the write gets EIO, as from SLUB's slabinfo_write() or
 * procfs's pde_write() (fs/fuse_ops.c).
 */
#include "internal.h"
#include "slab.h"

int slabinfo_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	struct slabinfo si;
	int id;

	seq_puts(s, "slabinfo - version: 2.1\n");
	seq_puts(s, "# name            <active_objs> <num_objs> <objsize> "
		    "<objperslab> <pagesperslab> : tunables <limit> "
		    "<batchcount> <sharedfactor> : slabdata <active_slabs> "
		    "<num_slabs> <sharedavail>\n");
	for (id = NR_KMEM_CACHES - 1; id >= 0; id--) {
		if (!kmem_cache_listed(id))
			continue;
		get_slabinfo(ctx->m, id, &si);
		seq_printf(s, "%-17s %6llu %6llu %6u %4u %4d",
			   kmem_cache_name(id),
			   (unsigned long long)si.active_objs,
			   (unsigned long long)si.num_objs, si.objsize,
			   si.objects_per_slab, 1 << si.cache_order);
		seq_printf(s, " : tunables %4u %4u %4u", 0, 0, 0);
		seq_printf(s, " : slabdata %6llu %6llu %6lu\n",
			   (unsigned long long)si.active_slabs,
			   (unsigned long long)si.num_slabs, 0UL);
	}
	return 0;
}
