// SPDX-License-Identifier: GPL-2.0
/*
 * Reverse-mapping bookkeeping (mm/rmap.c): how many page-table entries
 * map each frame, the per-mm resident counters, and the Mapped flag of
 * page cache pages.  An anonymous page that nobody maps any more is
 * freed, as its last reference goes with its last mapping.
 */
#include <errno.h>
#include <stdlib.h>

#include "mm_internal.h"
#include "page_alloc.h"
#include "swap.h"
#include "tlb.h"

int mm_counter_of(enum page_state state)
{
	switch (state) {
	case PAGE_ANON:
		return MM_ANONPAGES;
	case PAGE_SHMEM:
		return MM_SHMEMPAGES;
	default:
		return MM_FILEPAGES;
	}
}

static void set_mapped(struct machine *m, pfn_t pfn, struct page *page,
		       int mapped)
{
	struct page_use use = {.state = (enum page_state)page->state,
			       .flags = page->flags,
			       .owner = page->owner};

	if (mapped)
		use.flags |= PG_mapped;
	else
		use.flags &= (uint16_t)~PG_mapped;
	if (use.flags != page->flags)
		set_page_use(m, pfn, &use);
}

void page_add_rmap(struct machine *m, struct mm_struct *mm, pfn_t pfn)
{
	struct page *page = pfn_to_page(m, pfn);

	/* anonymous pages are always mapped, unless in the swap cache */
	if (!page->mapcount++ &&
	    (page->state != PAGE_ANON || (page->flags & PG_swapcache)))
		set_mapped(m, pfn, page, 1);
	mm->rss_stat[mm_counter_of((enum page_state)page->state)]++;
}

void page_remove_rmap(struct machine *m, struct mm_struct *mm, pfn_t pfn)
{
	struct page *page = pfn_to_page(m, pfn);

	mm->rss_stat[mm_counter_of((enum page_state)page->state)]--;
	if (--page->mapcount)
		return;
	if (page->state != PAGE_ANON) {
		set_mapped(m, pfn, page, 0);
		return;
	}
	/*
	 * The last mapping of an anonymous page took its last reference,
	 * unless the swap cache holds one: that goes too when no swap entry
	 * needs the slot (free_swap_cache()), else the page stays cached.
	 */
	if (!(page->flags & PG_swapcache)) {
		free_pages(m, pfn, 0);
		return;
	}
	set_mapped(m, pfn, page, 0);
	if (try_to_free_swap(m, pfn))
		free_pages(m, pfn, 0);
}

int alloc_anon_page(struct machine *m, struct mm_struct *mm,
		    struct vm_area_struct *vma, uint64_t addr, int cpu,
		    pfn_t *pfn)
{
	struct alloc_context ac = {
		.preferred_nid = m->cpu_to_node[cpu],
		.highest_zoneidx = ZONE_MOVABLE,
		.migratetype = MIGRATE_MOVABLE,
		.alloc_flags = ALLOC_WMARK_MIN,
		.cpu = cpu,
	};
	struct page_use use = {.state = PAGE_ANON,
			       .owner = (uint32_t)mm->owner};
	int rc;

	rc = anon_vma_prepare(m, vma, ac.preferred_nid);
	if (rc)
		return rc;
	rc = alloc_pages(m, 0, &ac, &use, pfn);
	if (rc) {
		anon_vma_unprepare(m, vma);
		return rc;
	}
	pfn_to_page(m, *pfn)->index = addr >> PAGE_SHIFT;
	return 0;
}

/*
 * The reverse map for migration.  The kernel finds a page's mappings
 * through its anon_vma or address_space; here one pass over every page
 * table collects the PTEs that map frames of a range, once per compaction
 * run, sorted by frame (then process and address, for a fixed order).
 */
struct rmap_collect {
	struct rmap_index *ri;
	struct mm_struct *mm;
	pfn_t start, end;
	int rc;
};

static int rmap_collect_pte(const struct pte_info *pi, void *arg)
{
	struct rmap_collect *c = arg;
	struct rmap_index *ri = c->ri;
	unsigned int shift;

	if (pi->zero_page || pi->shift != PAGE_SHIFT || pi->pfn < c->start ||
	    pi->pfn >= c->end)
		return 0;
	if (ri->nr == ri->size) {
		size_t size = ri->size ? 2 * ri->size : 1024;
		struct rmap_entry *e = realloc(ri->e, size * sizeof(*e));

		if (!e)
			return -ENOMEM;
		ri->e = e;
		ri->size = size;
	}
	ri->e[ri->nr].pfn = pi->pfn;
	ri->e[ri->nr].addr = pi->addr;
	ri->e[ri->nr].mm = c->mm;
	ri->e[ri->nr].slot = pte_slot(c->mm, pi->addr, &shift);
	ri->nr++;
	return 0;
}

static int rmap_entry_cmp(const void *a, const void *b)
{
	const struct rmap_entry *x = a, *y = b;

	if (x->pfn != y->pfn)
		return x->pfn < y->pfn ? -1 : 1;
	if (x->mm->owner != y->mm->owner)
		return x->mm->owner < y->mm->owner ? -1 : 1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int rmap_index_build(struct machine *m, pfn_t start, pfn_t end,
		     struct rmap_index *ri)
{
	struct rmap_collect c = {.ri = ri, .start = start, .end = end};
	int i, rc;

	ri->nr = 0;
	for (i = 0; i < m->nr_tasks; i++) {
		if (!m->tasks[i].mm)
			continue;
		c.mm = m->tasks[i].mm;
		rc = walk_page_range(m, c.mm, 0, TASK_SIZE, rmap_collect_pte,
				     &c);
		if (rc)
			return rc;
	}
	if (ri->nr)
		qsort(ri->e, ri->nr, sizeof(*ri->e), rmap_entry_cmp);
	return 0;
}

void rmap_index_free(struct rmap_index *ri)
{
	free(ri->e);
	ri->e = NULL;
	ri->nr = ri->size = 0;
}

void rmap_move(struct machine *m, const struct rmap_index *ri, pfn_t from,
	       pfn_t to, int cpu)
{
	size_t lo = 0, hi = ri->nr;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ri->e[mid].pfn < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* remove_migration_ptes(): each mapping now names the new frame */
	for (; lo < ri->nr && ri->e[lo].pfn == from; lo++) {
		const struct rmap_entry *e = &ri->e[lo];

		*e->slot = (*e->slot & ~PTE_PFN_MASK) |
			   ((uint64_t)to << PAGE_SHIFT);
		flush_tlb_mm_range(m, e->mm, e->addr, e->addr + PAGE_SIZE,
				   PAGE_SHIFT, cpu);
	}
}
