// SPDX-License-Identifier: GPL-2.0
/*
 * Compaction, after mm/compaction.c.  A migrate scanner walks up a zone
 * from its start taking movable pages; a free scanner walks down from its
 * end taking free pages out of movable pageblocks; each movable page
 * moves to a free one until the scanners meet.  Free memory gathers at
 * the start of the zone in large blocks, which is what a high-order
 * allocation needs.
 */
#include <stdlib.h>

#include "compaction.h"
#include "filemap_internal.h"
#include "internal.h"
#include "machine.h"
#include "mm_internal.h"
#include "page_alloc.h"

struct compact_control {
	struct machine *m;
	struct zone *zone;
	pfn_t migrate_pfn; /* next frame the migrate scanner looks at */
	pfn_t free_pfn; /* lowest pageblock the free scanner took */
	pfn_t *targets; /* isolated free pages, used from the end */
	size_t nr_targets, size;
};

static struct pageblock *pageblock_of(const struct machine *m, pfn_t pfn)
{
	return &m->pageblocks[pfn >> pageblock_order];
}

static int add_target(struct compact_control *cc, pfn_t pfn)
{
	if (cc->nr_targets == cc->size) {
		size_t size = cc->size ? 2 * cc->size : pageblock_nr_pages;
		pfn_t *t = realloc(cc->targets, size * sizeof(*t));

		if (!t)
			return -1;
		cc->targets = t;
		cc->size = size;
	}
	cc->targets[cc->nr_targets++] = pfn;
	return 0;
}

/*
 * suitable_migration_target(): a movable pageblock of this zone; free
 * blocks of pageblock order or more are left whole, they are the point.
 */
static void isolate_freepages_block(struct compact_control *cc, pfn_t start)
{
	struct machine *m = cc->m;
	struct pageblock *pb = pageblock_of(m, start);
	pfn_t pfn, end = start + pageblock_nr_pages;
	struct page *page;
	unsigned int order;

	if (pb->kind != PB_PAGES || pb->migratetype != MIGRATE_MOVABLE ||
	    pfn_zone(m, start) != cc->zone)
		return;
	for (pfn = start; pfn < end; pfn += 1U << order) {
		page = pfn_to_page(m, pfn);
		order = page->state == PAGE_TAIL ? 0 : page->order;
		if (page->state != PAGE_BUDDY)
			continue;
		count_vm_events(m, COMPACTFREE_SCANNED, 1ULL << order);
		isolate_free_block(m, cc->zone, pfn, order);
		for (pfn_t p = pfn; p < pfn + (1U << order); p++)
			if (add_target(cc, p))
				release_isolated_page(m, cc->zone, p);
		count_vm_events(m, COMPACTISOLATED, 1ULL << order);
	}
}

/* The next free page to migrate into, scanning down for more if needed. */
static pfn_t compaction_alloc(struct compact_control *cc)
{
	while (!cc->nr_targets && cc->free_pfn >= pageblock_nr_pages &&
	       cc->free_pfn - pageblock_nr_pages >=
		       cc->migrate_pfn + pageblock_nr_pages) {
		cc->free_pfn -= pageblock_nr_pages;
		isolate_freepages_block(cc, cc->free_pfn);
	}
	return cc->nr_targets ? cc->targets[--cc->nr_targets] : PFN_NONE;
}

static int page_movable(const struct page *page)
{
	if (page->order || (page->flags & (PG_mlocked | PG_unevictable)))
		return 0;
	return page->state == PAGE_ANON || page->state == PAGE_FILE ||
	       page->state == PAGE_SHMEM;
}

static void compact_zone(struct machine *m, struct zone *zone)
{
	struct compact_control cc = {.m = m, .zone = zone};
	uint64_t end = (uint64_t)zone->zone_start_pfn + zone->spanned_pages;
	struct rmap_index ri = {0};
	struct page *page;
	pfn_t to;

	/* mapped pages move too: find their page-table entries first */
	if (rmap_index_build(m, zone->zone_start_pfn, (pfn_t)end, &ri)) {
		rmap_index_free(&ri);
		return;
	}
	cc.migrate_pfn = zone->zone_start_pfn;
	cc.free_pfn = (pfn_t)((end + pageblock_nr_pages - 1) &
			      ~(uint64_t)(pageblock_nr_pages - 1));
	while (cc.migrate_pfn < cc.free_pfn && cc.migrate_pfn < end) {
		/* a pageblock without frames is free or reserved as a whole */
		if (pageblock_of(m, cc.migrate_pfn)->kind != PB_PAGES) {
			cc.migrate_pfn =
				(cc.migrate_pfn | (pageblock_nr_pages - 1)) + 1;
			continue;
		}
		page = pfn_to_page(m, cc.migrate_pfn);
		if (page->state == PAGE_TAIL || !page_movable(page)) {
			cc.migrate_pfn += page->state == PAGE_TAIL
						  ? 1
						  : 1U << page->order;
			continue;
		}
		count_vm_event(m, COMPACTMIGRATE_SCANNED);
		to = compaction_alloc(&cc);
		if (to == PFN_NONE)
			break;
		count_vm_event(m, COMPACTISOLATED);
		migrate_to(m, cc.migrate_pfn, to);
		page_cache_replace(m, cc.migrate_pfn, to);
		swap_cache_replace(m, cc.migrate_pfn, to);
		rmap_move(m, &ri, cc.migrate_pfn, to, 0);
		cc.migrate_pfn++;
	}
	while (cc.nr_targets)
		release_isolated_page(m, zone, cc.targets[--cc.nr_targets]);
	free(cc.targets);
	rmap_index_free(&ri);
}

void compact_node(struct machine *m, int nid)
{
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		if (managed_zone(&NODE_DATA(m, nid)->node_zones[i]))
			compact_zone(m, &NODE_DATA(m, nid)->node_zones[i]);
}

void compact_nodes(struct machine *m)
{
	int nid;

	for_each_online_node (nid, m)
		compact_node(m, nid);
}
