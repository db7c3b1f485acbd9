// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty pages and writeback (mm/page-writeback.c, fs/fs-writeback.c).
 *
 * A written page-cache page of a disk file becomes PG_dirty and its inode
 * remembers when it first went dirty.  Dirty pages are cleaned three ways,
 * as the kernel does: the flusher wakes every dirty_writeback_centisecs
 * and writes inodes older than dirty_expire_centisecs (and, above the
 * background threshold, the oldest inodes until under it); a writer that
 * pushes dirty memory over the dirty threshold writes back itself; and
 * sync writes everything.  Writing a page that a process maps shared
 * write-protects its PTEs again (page_mkclean), so the next store faults
 * and dirties it anew.  The disk writes WB_BANDWIDTH_PAGES a second.
 */
#include <errno.h>
#include <stdlib.h>

#include "filemap_internal.h"
#include "machine.h"
#include "mm_internal.h"
#include "page_alloc.h"
#include "tlb.h"
#include "vmstat.h"
#include "writeback.h"

/* global_dirtyable_memory(): free pages above the reserves, plus file LRU. */
static uint64_t global_dirtyable_memory(const struct machine *m)
{
	int64_t x = global_zone_page_state(m, NR_FREE_PAGES);

	x -= (int64_t)m->totalreserve_pages;
	if (x < 0)
		x = 0;
	x += global_node_page_state(m, NR_INACTIVE_FILE);
	x += global_node_page_state(m, NR_ACTIVE_FILE);
	return (uint64_t)x;
}

void global_dirty_limits(const struct machine *m, uint64_t *pbackground,
			 uint64_t *pdirty)
{
	const struct vm_sysctl *vm = &m->sysctl;
	uint64_t available = global_dirtyable_memory(m);
	uint64_t dirty, background;

	if (vm->dirty_bytes)
		dirty = ((uint64_t)vm->dirty_bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	else
		dirty = (uint64_t)vm->dirty_ratio * available / 100;
	if (vm->dirty_background_bytes)
		background =
			((uint64_t)vm->dirty_background_bytes + PAGE_SIZE - 1) /
			PAGE_SIZE;
	else
		background =
			(uint64_t)vm->dirty_background_ratio * available / 100;
	if (background >= dirty)
		background = dirty / 2;
	*pbackground = background;
	*pdirty = dirty;
}

static void node_stat_inc(struct machine *m, pfn_t pfn,
			  enum node_stat_item item)
{
	pfn_zone(m, pfn)->zone_pgdat->vm_stat[item]++;
}

void folio_mark_dirty(struct machine *m, pfn_t pfn)
{
	const struct page *page = pfn_to_page(m, pfn);
	struct inode *inode;

	/* shmem has no backing store to write: its pages are not counted */
	if (page->state != PAGE_FILE || (page->flags & PG_dirty))
		return;
	inode = inode_mut(m, page->owner);
	if (!inode->nr_dirty++)
		inode->dirtied_when = m->clock_ns;
	set_page_flags(m, pfn, page->flags | PG_dirty);
	node_stat_inc(m, pfn, NR_DIRTIED);
}

/* A process's shared writable mapping of the inode being written back. */
struct wb_mapping {
	struct mm_struct *mm;
	const struct vm_area_struct *vma;
};

/* The i_mmap tree's answer: every shared writable VMA of @inode. */
static int collect_mappings(struct machine *m, const struct inode *inode,
			    struct wb_mapping **out, size_t *nr)
{
	struct wb_mapping *v = NULL;
	size_t n = 0, size = 0;
	int i;
	uint32_t k;

	for (i = 0; i < m->nr_tasks; i++) {
		struct mm_struct *mm = m->tasks[i].mm;

		/* threads share their leader's mm: visit it once */
		if (!mm || mm->owner != m->tasks[i].pid)
			continue;
		for (k = 0; k < mm->nr_vmas; k++) {
			const struct vm_area_struct *vma = &mm->vmas[k];

			if (vma->ino != inode->ino ||
			    (vma->vm_flags & (VM_SHARED | VM_WRITE)) !=
				    (VM_SHARED | VM_WRITE))
				continue;
			if (n == size) {
				size_t s = size ? 2 * size : 8;
				struct wb_mapping *nv =
					realloc(v, s * sizeof(*nv));

				if (!nv) {
					free(v);
					return -ENOMEM;
				}
				v = nv;
				size = s;
			}
			v[n].mm = mm;
			v[n++].vma = vma;
		}
	}
	*out = v;
	*nr = n;
	return 0;
}

/* page_mkclean(): write-protect and clean every PTE that maps @pfn. */
static void page_mkclean(const struct wb_mapping *maps, size_t nr,
			 uint64_t index, pfn_t pfn)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		const struct vm_area_struct *vma = maps[i].vma;
		uint64_t pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
		unsigned int shift;
		uint64_t *pte;

		if (index < vma->vm_pgoff || index - vma->vm_pgoff >= pages)
			continue;
		pte = pte_slot(maps[i].mm,
			       vma->vm_start +
				       ((index - vma->vm_pgoff) << PAGE_SHIFT),
			       &shift);
		if (pte && (*pte & _PAGE_PRESENT) && pte_pfn(*pte) == pfn)
			*pte &= ~(_PAGE_RW | _PAGE_DIRTY);
	}
}

/*
 * writeback_single_inode(): write up to @budget of @inode's dirty pages
 * in index order.  Returns the pages written, or -ENOMEM.
 */
static int64_t writeback_inode(struct machine *m, struct inode *inode,
			       uint64_t budget)
{
	struct wb_mapping *maps = NULL;
	uint64_t c, i, written = 0;
	size_t nr_maps = 0, k;
	int rc;

	rc = collect_mappings(m, inode, &maps, &nr_maps);
	if (rc)
		return rc;
	for (c = 0; c < inode->nr_chunks && written < budget; c++) {
		if (!inode->index[c])
			continue;
		for (i = 0; i < PAGE_INDEX_CHUNK && written < budget; i++) {
			pfn_t pfn = inode->index[c][i];
			const struct page *page;

			if (pfn == PFN_NONE)
				continue;
			page = pfn_to_page(m, pfn);
			if (!(page->flags & PG_dirty))
				continue;
			if (page->flags & PG_mapped)
				page_mkclean(maps, nr_maps,
					     c * PAGE_INDEX_CHUNK + i, pfn);
			set_page_flags(m, pfn, page->flags & ~PG_dirty);
			node_stat_inc(m, pfn, NR_WRITTEN);
			count_vm_events(m, PGPGOUT, PAGE_SIZE / 512);
			inode->nr_dirty--;
			written++;
		}
	}
	/* the PTEs changed: the CPUs' cached translations must go */
	for (k = 0; k < nr_maps && written; k++)
		flush_tlb_mm_range(m, maps[k].mm, maps[k].vma->vm_start,
				   maps[k].vma->vm_end, PAGE_SHIFT, 0);
	free(maps);
	/* redirtied_when: an inode written in part stays in line by age */
	if (!inode->nr_dirty)
		inode->dirtied_when = 0;
	return (int64_t)written;
}

int writeback_page(struct machine *m, struct inode *inode, pfn_t pfn)
{
	struct wb_mapping *maps = NULL;
	const struct page *page = pfn_to_page(m, pfn);
	size_t nr_maps = 0, k;
	int rc;

	if (!(page->flags & PG_dirty))
		return 0;
	if (page->flags & PG_mapped) {
		rc = collect_mappings(m, inode, &maps, &nr_maps);
		if (rc)
			return rc;
		page_mkclean(maps, nr_maps, page->index, pfn);
		for (k = 0; k < nr_maps; k++)
			flush_tlb_mm_range(m, maps[k].mm,
					   maps[k].vma->vm_start,
					   maps[k].vma->vm_end, PAGE_SHIFT, 0);
		free(maps);
	}
	set_page_flags(m, pfn, page->flags & ~PG_dirty);
	node_stat_inc(m, pfn, NR_WRITTEN);
	count_vm_events(m, PGPGOUT, PAGE_SIZE / 512);
	if (!--inode->nr_dirty)
		inode->dirtied_when = 0;
	return 0;
}

/* The dirty inode that has waited longest, or NULL. */
static struct inode *oldest_dirty_inode(struct machine *m)
{
	struct inode *oldest = NULL;
	uint32_t ino;

	for (ino = 1; ino < m->nr_inodes; ino++) {
		struct inode *inode = m->inodes[ino];

		if (inode && inode->nr_dirty &&
		    (!oldest || inode->dirtied_when < oldest->dirtied_when))
			oldest = inode;
	}
	return oldest;
}

static uint64_t nr_dirty_pages(const struct machine *m)
{
	return (uint64_t)(global_node_page_state(m, NR_FILE_DIRTY) +
			  global_node_page_state(m, NR_WRITEBACK));
}

/*
 * Write the oldest inodes first until dirty memory is at most @target or
 * @budget pages went out; with @expired, only inodes dirtied before it.
 */
static int64_t writeback_oldest(struct machine *m, uint64_t target,
				uint64_t budget, uint64_t expired)
{
	int64_t done = 0, n;
	struct inode *inode;

	while ((uint64_t)done < budget && nr_dirty_pages(m) > target) {
		uint64_t want = nr_dirty_pages(m) - target;

		inode = oldest_dirty_inode(m);
		if (!inode || (expired && inode->dirtied_when > expired))
			break;
		if (want > budget - (uint64_t)done)
			want = budget - (uint64_t)done;
		n = writeback_inode(m, inode, want);
		if (n <= 0)
			return n < 0 ? n : done;
		done += n;
	}
	return done;
}

int balance_dirty_pages(struct machine *m)
{
	uint64_t background, thresh;
	int64_t n = 0;

	global_dirty_limits(m, &background, &thresh);
	if (nr_dirty_pages(m) > thresh)
		n = writeback_oldest(m, (background + thresh) / 2, UINT64_MAX,
				     0);
	return n < 0 ? (int)n : 0;
}

void wb_do_writeback(struct machine *m, uint64_t until)
{
	const struct vm_sysctl *vm = &m->sysctl;
	uint64_t interval = (uint64_t)vm->dirty_writeback_centisecs * 10000000;
	uint64_t expire = (uint64_t)vm->dirty_expire_centisecs * 10000000;
	uint64_t wake, saved = m->clock_ns;

	if (!interval)
		return; /* periodic writeback disabled */
	for (wake = (m->clock_ns / interval + 1) * interval; wake <= until;
	     wake += interval) {
		uint64_t budget = WB_BANDWIDTH_PAGES * interval / NSEC_PER_SEC;
		uint64_t background, thresh;
		int64_t done;

		/* the flusher runs at @wake: what it dirties is dated then */
		m->clock_ns = wake;
		global_dirty_limits(m, &background, &thresh);
		done = writeback_oldest(m, background, budget, 0);
		if (done >= 0 && (uint64_t)done < budget && wake > expire)
			writeback_oldest(m, 0, budget - (uint64_t)done,
					 wake - expire);
		if (!nr_dirty_pages(m))
			break;
	}
	m->clock_ns = saved;
}

int sync_inodes(struct machine *m)
{
	int64_t n = writeback_oldest(m, 0, UINT64_MAX, 0);

	return n < 0 ? (int)n : 0;
}
