// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/sysvipc/shm (sysvipc_shm_proc_show() in ipc/shm.c): one line per
 * System V segment, ascending shmid, after the column header.  nattch is
 * the mappings of the segment's file; rss its resident pages in bytes,
 * swap those out in swap.
 * ipcs(1) reads this file when it exists.
 */
#include <inttypes.h>

#include "filemap.h"
#include "internal.h"

int sysvipc_shm_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct machine *m = ctx->m;
	const struct shmid_kernel *seg;
	int i, nr;

	seq_puts(s, "       key      shmid perms                  size  cpid  "
		    "lpid nattch   uid   gid  cuid  cgid      atime      dtime "
		    "     ctime                   rss                  swap\n");
	seg = shm_segments(m, &nr);
	for (i = 0; i < nr; i++, seg++) {
		const struct inode *inode = inode_get(m, seg->ino);
		uint64_t rss = inode ? inode->nrpages << PAGE_SHIFT : 0;

		seq_printf(s,
			   "%10d %10d  %4o %21" PRIu64 " %5d %5d  %5u %5d %5d "
			   "%5d %5d %10" PRIu64 " %10" PRIu64 " %10" PRIu64
			   " %21" PRIu64 " %21" PRIu64 "\n",
			   seg->key, seg->id, seg->mode, seg->segsz, seg->cpid,
			   seg->lpid, inode ? inode->mappers : 0, seg->uid,
			   seg->uid, seg->uid, seg->uid, seg->atime, seg->dtime,
			   seg->ctime, rss,
			   inode ? inode->swapped << PAGE_SHIFT : 0);
	}
	return 0;
}
