// SPDX-License-Identifier: GPL-2.0
/*
 * Reverse-mapping bookkeeping (mm/rmap.c): how many page-table entries
 * map each frame, the per-mm resident counters, and the Mapped flag of
 * page cache pages.  An anonymous page that nobody maps any more is
 * freed, as its last reference goes with its last mapping.
 */
#include "mm_internal.h"
#include "page_alloc.h"

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
		use.flags &= (uint8_t)~PG_mapped;
	if (use.flags != page->flags)
		set_page_use(m, pfn, &use);
}

void page_add_rmap(struct machine *m, struct mm_struct *mm, pfn_t pfn)
{
	struct page *page = pfn_to_page(m, pfn);

	if (!page->mapcount++ && page->state != PAGE_ANON)
		set_mapped(m, pfn, page, 1);
	mm->rss_stat[mm_counter_of((enum page_state)page->state)]++;
}

void page_remove_rmap(struct machine *m, struct mm_struct *mm, pfn_t pfn)
{
	struct page *page = pfn_to_page(m, pfn);

	mm->rss_stat[mm_counter_of((enum page_state)page->state)]--;
	if (--page->mapcount)
		return;
	if (page->state == PAGE_ANON)
		free_pages(m, pfn, 0);
	else
		set_mapped(m, pfn, page, 0);
}

int alloc_anon_page(struct machine *m, struct mm_struct *mm,
		    const struct vm_area_struct *vma, uint64_t addr, int cpu,
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

	(void)vma;
	rc = alloc_pages(m, 0, &ac, &use, pfn);
	if (!rc)
		pfn_to_page(m, *pfn)->index = (uint32_t)(addr >> PAGE_SHIFT);
	return rc;
}
