// SPDX-License-Identifier: GPL-2.0
/*
 * The buddy allocator, after mm/page_alloc.c.
 *
 * Free blocks sit on circular doubly linked lists, one per (zone, order,
 * migratetype), threaded through the head frame of each block.  A block of
 * pageblock order or more keeps its links in the pageblock descriptor and
 * needs no struct pages at all, which is what keeps a large idle machine
 * cheap: frame arrays exist only where memory is split or in use.
 *
 * Every change of a block's state goes through account_block(), so that
 * the zone and node counters are always the sums of the frames' states;
 * check_page_accounting() proves it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "machine.h"
#include "memcontrol.h"
#include "mm.h"
#include "page_alloc.h"
#include "swap.h"
#include "slab.h"

#define PB_MASK (pageblock_nr_pages - 1)

static const char *const page_state_names[NR_PAGE_STATES] = {
	[PAGE_HOLE] = "hole",	      [PAGE_RESERVED] = "reserved",
	[PAGE_BUDDY] = "buddy",	      [PAGE_KERNEL] = "kernel",
	[PAGE_SLAB] = "slab",	      [PAGE_KSTACK] = "kernel-stack",
	[PAGE_PGTABLE] = "pagetable", [PAGE_PERCPU] = "percpu",
	[PAGE_VMALLOC] = "vmalloc",   [PAGE_ANON] = "anon",
	[PAGE_FILE] = "file",	      [PAGE_SHMEM] = "shmem",
	[PAGE_HUGETLB] = "hugetlb",   [PAGE_TAIL] = "tail",
};

const char *const migratetype_names[MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate",
};

const char *const zone_names[MAX_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "Movable", "Device",
};

/* Where a migrate type steals from when its own lists are empty. */
static const enum migratetype fallbacks[MIGRATE_PCPTYPES][2] = {
	[MIGRATE_UNMOVABLE] = {MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE},
	[MIGRATE_MOVABLE] = {MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE},
	[MIGRATE_RECLAIMABLE] = {MIGRATE_UNMOVABLE, MIGRATE_MOVABLE},
};

const char *page_state_name(enum page_state state)
{
	return state < NR_PAGE_STATES ? page_state_names[state] : "?";
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	/*
	 * The frame table is the simulator's own memory, like the kernel's
	 * memmap: there is no sane way to go on without it.
	 */
	if (!p) {
		fprintf(stderr, "mmsim: out of memory for the frame table\n");
		abort();
	}
	return p;
}

static inline struct pageblock *pfn_pageblock(const struct machine *m,
					      pfn_t pfn)
{
	return &m->pageblocks[pfn >> pageblock_order];
}

struct page *pfn_to_page(const struct machine *m, pfn_t pfn)
{
	struct pageblock *pb;

	if (pfn >= m->max_pfn)
		return NULL;
	pb = pfn_pageblock(m, pfn);
	return pb->kind == PB_PAGES ? &pb->pages[pfn & PB_MASK] : NULL;
}

static struct zone *pageblock_zone(const struct machine *m,
				   const struct pageblock *pb)
{
	return &m->node_data[pb->nid]->node_zones[pb->zone_idx];
}

struct zone *pfn_zone(const struct machine *m, pfn_t pfn)
{
	if (pfn >= m->max_pfn)
		return NULL;
	return pageblock_zone(m, pfn_pageblock(m, pfn));
}

int pfn_valid(const struct machine *m, pfn_t pfn)
{
	const struct pageblock *pb;
	const struct page *page;

	if (pfn >= m->max_pfn)
		return 0;
	pb = pfn_pageblock(m, pfn);
	if (pb->kind == PB_HOLE)
		return 0;
	page = pfn_to_page(m, pfn);
	return !page || page->state != PAGE_HOLE;
}

/*
 * Give a pageblock its frame array.  The frames start as what the
 * pageblock was as a whole: reserved frames stay reserved, frames of a
 * former free block are tails until someone makes a head of them.
 */
static struct page *materialize(struct machine *m, pfn_t pfn)
{
	struct pageblock *pb = pfn_pageblock(m, pfn);
	enum page_state fill;
	unsigned long i;

	if (pb->kind == PB_PAGES)
		return &pb->pages[pfn & PB_MASK];
	fill = pb->kind == PB_RESERVED ? PAGE_RESERVED : PAGE_TAIL;
	pb->pages = xcalloc(pageblock_nr_pages, sizeof(struct page));
	for (i = 0; i < pageblock_nr_pages; i++) {
		pb->pages[i].state = fill;
		pb->pages[i].next = PFN_NONE;
		pb->pages[i].prev = PFN_NONE;
	}
	pb->kind = PB_PAGES;
	return &pb->pages[pfn & PB_MASK];
}

static void dematerialize(struct pageblock *pb)
{
	free(pb->pages);
	pb->pages = NULL;
	free(pb->memcg_ids);
	pb->memcg_ids = NULL;
}

int pfn_to_nid(const struct machine *m, pfn_t pfn)
{
	return pfn_pageblock(m, pfn)->nid;
}

uint16_t page_memcg_id(const struct machine *m, pfn_t pfn)
{
	const struct pageblock *pb = pfn_pageblock(m, pfn);

	return pb->memcg_ids ? pb->memcg_ids[pfn & PB_MASK] : 0;
}

void set_page_memcg_id(struct machine *m, pfn_t pfn, uint16_t id)
{
	struct pageblock *pb = pfn_pageblock(m, pfn);

	if (!pb->memcg_ids) {
		if (!id)
			return;
		pb->memcg_ids = xcalloc(pageblock_nr_pages, sizeof(uint16_t));
	}
	pb->memcg_ids[pfn & PB_MASK] = id;
}

/* The link words of a free block's head. */
struct free_links {
	pfn_t *next;
	pfn_t *prev;
};

static struct free_links links_of(const struct machine *m, pfn_t pfn,
				  unsigned int order)
{
	struct pageblock *pb = pfn_pageblock(m, pfn);
	struct page *page;

	if (order >= pageblock_order)
		return (struct free_links){&pb->next, &pb->prev};
	page = &pb->pages[pfn & PB_MASK];
	return (struct free_links){&page->next, &page->prev};
}

static void list_insert(const struct machine *m, struct free_list *fl,
			pfn_t pfn, unsigned int order, int to_tail)
{
	struct free_links l = links_of(m, pfn, order), h, t;
	pfn_t tail;

	if (fl->head == PFN_NONE) {
		*l.next = pfn;
		*l.prev = pfn;
		fl->head = pfn;
	} else {
		h = links_of(m, fl->head, order);
		tail = *h.prev;
		t = links_of(m, tail, order);
		*l.next = fl->head;
		*l.prev = tail;
		*t.next = pfn;
		*h.prev = pfn;
		if (!to_tail)
			fl->head = pfn;
	}
	fl->nr_free++;
}

static void list_remove(const struct machine *m, struct free_list *fl,
			pfn_t pfn, unsigned int order)
{
	struct free_links l = links_of(m, pfn, order), n, p;

	if (*l.next == pfn) {
		fl->head = PFN_NONE;
	} else {
		n = links_of(m, *l.next, order);
		p = links_of(m, *l.prev, order);
		*n.prev = *l.prev;
		*p.next = *l.next;
		if (fl->head == pfn)
			fl->head = *l.next;
	}
	*l.next = PFN_NONE;
	*l.prev = PFN_NONE;
	fl->nr_free--;
}

static void account_freepages(struct zone *zone, unsigned int order,
			      enum migratetype mt, int64_t sign)
{
	int64_t nr = sign * (int64_t)(1ULL << order);

	if (mt == MIGRATE_ISOLATE)
		return;
	zone->vm_stat[NR_FREE_PAGES] += nr;
	if (order >= pageblock_order)
		zone->vm_stat[NR_FREE_PAGES_BLOCKS] += nr;
}

/* Mark [pfn, pfn + 2^order) as one free block headed at @pfn. */
static void set_buddy_head(struct machine *m, pfn_t pfn, unsigned int order,
			   enum migratetype mt)
{
	struct pageblock *pb;
	struct page *page;
	unsigned long i, n;

	if (order < pageblock_order) {
		page = materialize(m, pfn);
		page->state = PAGE_BUDDY;
		page->order = order;
		page->migratetype = mt;
		page->flags = 0;
		page->owner = 0;
		/* a frame keeps nothing of its past use: replay must agree */
		page->index = 0;
		page->mapcount = 0;
		return;
	}
	n = 1UL << (order - pageblock_order);
	for (i = 0; i < n; i++) {
		pb = pfn_pageblock(m, pfn + i * pageblock_nr_pages);
		if (pb->kind == PB_PAGES)
			dematerialize(pb);
		pb->kind = i ? PB_FREE_TAIL : PB_FREE_HEAD;
	}
	pb = pfn_pageblock(m, pfn);
	pb->free_order = order;
	pb->free_migratetype = mt;
}

static void add_to_free_list(struct machine *m, struct zone *zone, pfn_t pfn,
			     unsigned int order, enum migratetype mt,
			     int to_tail)
{
	struct free_area *area = &zone->free_area[order];

	set_buddy_head(m, pfn, order, mt);
	list_insert(m, &area->list[mt], pfn, order, to_tail);
	area->nr_free++;
	account_freepages(zone, order, mt, 1);
}

int walk_pages(const struct machine *m,
	       int (*fn)(pfn_t pfn, const struct page *page, void *arg),
	       void *arg)
{
	uint64_t pb;
	unsigned long k;
	int rc;

	for (pb = 0; pb < m->nr_pageblocks; pb++) {
		const struct pageblock *b = &m->pageblocks[pb];

		if (b->kind != PB_PAGES)
			continue;
		for (k = 0; k < pageblock_nr_pages; k++) {
			rc = fn((pfn_t)((pb << pageblock_order) + k),
				&b->pages[k], arg);
			if (rc)
				return rc;
		}
	}
	return 0;
}

void free_list_restore(struct machine *m, struct zone *zone, pfn_t pfn,
		       unsigned int order, enum migratetype mt)
{
	struct free_area *area = &zone->free_area[order];

	set_buddy_head(m, pfn, order, mt);
	list_insert(m, &area->list[mt], pfn, order, 1);
	area->nr_free++;
}

static void del_from_free_list(struct machine *m, struct zone *zone, pfn_t pfn,
			       unsigned int order, enum migratetype mt)
{
	struct free_area *area = &zone->free_area[order];
	struct page *page;

	list_remove(m, &area->list[mt], pfn, order);
	area->nr_free--;
	account_freepages(zone, order, mt, -1);
	if (order < pageblock_order) {
		page = pfn_to_page(m, pfn);
		page->state = PAGE_TAIL;
	}
}

/* Is @pfn the head of a free block of exactly @order in @zone? */
static int page_is_buddy(const struct machine *m, const struct zone *zone,
			 pfn_t pfn, unsigned int order)
{
	const struct pageblock *pb;
	const struct page *page;

	if (pfn >= m->max_pfn)
		return 0;
	pb = pfn_pageblock(m, pfn);
	if (pageblock_zone(m, pb) != zone)
		return 0;
	if (order >= pageblock_order)
		return pb->kind == PB_FREE_HEAD && pb->free_order == order;
	if (pb->kind != PB_PAGES)
		return 0;
	page = &pb->pages[pfn & PB_MASK];
	return page->state == PAGE_BUDDY && page->order == order;
}

static enum migratetype buddy_migratetype(const struct machine *m, pfn_t pfn,
					  unsigned int order)
{
	if (order >= pageblock_order)
		return pfn_pageblock(m, pfn)->free_migratetype;
	return pfn_to_page(m, pfn)->migratetype;
}

static void set_pageblock_migratetype(struct machine *m, pfn_t pfn,
				      unsigned int order, enum migratetype mt)
{
	unsigned long i, n = 1;

	if (order > pageblock_order)
		n = 1UL << (order - pageblock_order);
	for (i = 0; i < n; i++)
		pfn_pageblock(m, pfn + i * pageblock_nr_pages)->migratetype =
			mt;
}

/*
 * buddy_merge_likely(): if the buddy of the block one order up is free,
 * this block will probably merge soon, so put it at the tail where it is
 * less likely to be split again.
 */
static int buddy_merge_likely(const struct machine *m, const struct zone *zone,
			      pfn_t pfn, unsigned int order)
{
	pfn_t higher;

	if (order >= MAX_PAGE_ORDER - 1)
		return 0;
	higher = (pfn & ~((pfn_t)1 << order)) ^ ((pfn_t)1 << (order + 1));
	return page_is_buddy(m, zone, higher, order + 1);
}

/* @to_tail: boot memory goes to the tail, keeping lists in pfn order. */
static void __free_one_page(struct machine *m, struct zone *zone, pfn_t pfn,
			    unsigned int order, enum migratetype mt,
			    int to_tail)
{
	enum migratetype buddy_mt;
	pfn_t buddy;

	while (order < MAX_PAGE_ORDER) {
		buddy = pfn ^ ((pfn_t)1 << order);
		if (!page_is_buddy(m, zone, buddy, order))
			break;
		buddy_mt = buddy_migratetype(m, buddy, order);
		del_from_free_list(m, zone, buddy, order, buddy_mt);
		/* Whole pageblocks that merge take the freed block's type. */
		if (order >= pageblock_order && buddy_mt != mt)
			set_pageblock_migratetype(m, buddy, order, mt);
		pfn &= ~((pfn_t)1 << order);
		order++;
	}
	add_to_free_list(m, zone, pfn, order, mt,
			 to_tail || buddy_merge_likely(m, zone, pfn, order));
}

/* Split a block of order @high down to @low, freeing the upper halves. */
static void expand(struct machine *m, struct zone *zone, pfn_t pfn,
		   unsigned int low, unsigned int high, enum migratetype mt)
{
	while (high > low) {
		high--;
		add_to_free_list(m, zone, pfn + ((pfn_t)1 << high), high, mt,
				 0);
	}
}

static pfn_t __rmqueue_smallest(struct machine *m, struct zone *zone,
				unsigned int order, enum migratetype mt)
{
	unsigned int current_order;
	pfn_t pfn;

	for (current_order = order; current_order < NR_PAGE_ORDERS;
	     current_order++) {
		pfn = zone->free_area[current_order].list[mt].head;
		if (pfn == PFN_NONE)
			continue;
		del_from_free_list(m, zone, pfn, current_order, mt);
		expand(m, zone, pfn, order, current_order, mt);
		return pfn;
	}
	return PFN_NONE;
}

/* The mobility of an allocated block, for deciding who owns a pageblock. */
static enum migratetype page_mobility(const struct page *page)
{
	switch (page->state) {
	case PAGE_ANON:
	case PAGE_FILE:
	case PAGE_SHMEM:
		return MIGRATE_MOVABLE;
	case PAGE_SLAB:
		return (page->flags & PG_reclaimable) ? MIGRATE_RECLAIMABLE
						      : MIGRATE_UNMOVABLE;
	default:
		return MIGRATE_UNMOVABLE;
	}
}

/*
 * try_to_claim_block(): move the free blocks of the pageblock holding
 * @pfn to @start_mt's lists, and take the pageblock over if at least half
 * of it is free or already used alike.  Returns whether it was claimed.
 */
static int try_to_claim_block(struct machine *m, struct zone *zone, pfn_t pfn,
			      unsigned int current_order,
			      enum migratetype start_mt,
			      enum migratetype block_mt)
{
	pfn_t start = pfn & ~(pfn_t)PB_MASK, p;
	unsigned long free_pages = 0, alike_pages = 0;
	struct page *page;
	unsigned int order;

	if (current_order >= pageblock_order) {
		del_from_free_list(m, zone, pfn, current_order, block_mt);
		set_pageblock_migratetype(m, pfn, current_order, start_mt);
		add_to_free_list(m, zone, pfn, current_order, start_mt, 0);
		return 1;
	}
	for (p = start; p < start + pageblock_nr_pages; p += 1U << order) {
		page = pfn_to_page(m, p);
		order = page->order;
		if (page->state == PAGE_BUDDY)
			free_pages += 1UL << order;
		else if (page->state != PAGE_HOLE &&
			 page->state != PAGE_RESERVED &&
			 page_mobility(page) == start_mt)
			alike_pages += 1UL << order;
	}
	if (free_pages + alike_pages < pageblock_nr_pages / 2)
		return 0;
	for (p = start; p < start + pageblock_nr_pages; p += 1U << order) {
		page = pfn_to_page(m, p);
		order = page->order;
		if (page->state != PAGE_BUDDY || page->migratetype == start_mt)
			continue;
		del_from_free_list(m, zone, p, order, page->migratetype);
		add_to_free_list(m, zone, p, order, start_mt, 0);
	}
	pfn_pageblock(m, start)->migratetype = start_mt;
	return 1;
}

static int find_suitable_fallback(const struct zone *zone, unsigned int order,
				  enum migratetype start_mt)
{
	const struct free_area *area = &zone->free_area[order];
	int i;

	for (i = 0; i < 2; i++)
		if (area->list[fallbacks[start_mt][i]].head != PFN_NONE)
			return fallbacks[start_mt][i];
	return -1;
}

/*
 * __rmqueue_fallback(): no block of the wanted type.  Take the largest
 * block of another type, claiming its pageblock when that avoids mixing
 * types (large blocks, or unmovable/reclaimable requests); failing that,
 * steal the smallest block that fits without changing any pageblock.
 */
static pfn_t __rmqueue_fallback(struct machine *m, struct zone *zone,
				unsigned int order, enum migratetype start_mt)
{
	int current_order, fallback_mt;
	pfn_t pfn;

	for (current_order = MAX_PAGE_ORDER; current_order >= (int)order;
	     current_order--) {
		fallback_mt =
			find_suitable_fallback(zone, current_order, start_mt);
		if (fallback_mt < 0)
			continue;
		if (current_order < (int)pageblock_order / 2 &&
		    start_mt == MIGRATE_MOVABLE)
			break;
		pfn = zone->free_area[current_order].list[fallback_mt].head;
		if (try_to_claim_block(m, zone, pfn, current_order, start_mt,
				       fallback_mt))
			return __rmqueue_smallest(m, zone, order, start_mt);
		break;
	}
	for (current_order = order; current_order < NR_PAGE_ORDERS;
	     current_order++) {
		fallback_mt =
			find_suitable_fallback(zone, current_order, start_mt);
		if (fallback_mt < 0)
			continue;
		pfn = zone->free_area[current_order].list[fallback_mt].head;
		del_from_free_list(m, zone, pfn, current_order, fallback_mt);
		expand(m, zone, pfn, order, current_order, fallback_mt);
		return pfn;
	}
	return PFN_NONE;
}

static pfn_t rmqueue(struct machine *m, struct zone *zone, unsigned int order,
		     enum migratetype mt, unsigned int alloc_flags)
{
	pfn_t pfn = PFN_NONE;

	if (alloc_flags & ALLOC_HARDER)
		pfn = __rmqueue_smallest(m, zone, order, MIGRATE_HIGHATOMIC);
	if (pfn == PFN_NONE)
		pfn = __rmqueue_smallest(m, zone, order, mt);
	if (pfn == PFN_NONE && mt < MIGRATE_PCPTYPES)
		pfn = __rmqueue_fallback(m, zone, order, mt);
	return pfn;
}

/*
 * The counters a block of @nr pages in @state adds to (or, with a
 * negative @nr, takes from).  Shared by the allocator and the checker.
 */
struct page_counters {
	int64_t *zone_stat;
	int64_t *node_stat;
	uint64_t *state_pages;
	uint64_t *blockdev_pages;
};

static void account_lru(const struct page_counters *c, int file, uint16_t flags,
			int64_t nr)
{
	if (flags & PG_unevictable) {
		c->node_stat[NR_UNEVICTABLE] += nr;
		c->zone_stat[NR_ZONE_UNEVICTABLE] += nr;
	} else if (flags & PG_active) {
		c->node_stat[file ? NR_ACTIVE_FILE : NR_ACTIVE_ANON] += nr;
		c->zone_stat[file ? NR_ZONE_ACTIVE_FILE
				  : NR_ZONE_ACTIVE_ANON] += nr;
	} else {
		c->node_stat[file ? NR_INACTIVE_FILE : NR_INACTIVE_ANON] += nr;
		c->zone_stat[file ? NR_ZONE_INACTIVE_FILE
				  : NR_ZONE_INACTIVE_ANON] += nr;
	}
}

static void account_block_to(const struct page_counters *c,
			     enum page_state state, uint16_t flags, int64_t nr)
{
	c->state_pages[state] += nr;
	switch (state) {
	case PAGE_SLAB:
		c->node_stat[(flags & PG_reclaimable)
				     ? NR_SLAB_RECLAIMABLE_B
				     : NR_SLAB_UNRECLAIMABLE_B] +=
			nr * (int64_t)PAGE_SIZE;
		break;
	case PAGE_KSTACK:
		c->node_stat[NR_KERNEL_STACK_KB] +=
			nr * (int64_t)(PAGE_SIZE >> 10);
		break;
	case PAGE_PGTABLE:
		c->node_stat[NR_PAGETABLE] += nr;
		break;
	case PAGE_HUGETLB:
		c->node_stat[NR_HUGETLB] += nr;
		break;
	case PAGE_ANON:
		/* a swap cache page that nobody maps is not AnonPages */
		if (!(flags & PG_swapcache) || (flags & PG_mapped))
			c->node_stat[NR_ANON_MAPPED] += nr;
		/* the swap cache is an address space: it counts as file pages */
		if (flags & PG_swapcache) {
			c->node_stat[NR_FILE_PAGES] += nr;
			c->node_stat[NR_SWAPCACHE] += nr;
		}
		/* an anonymous block of PMD size is a transparent huge page */
		if (nr == HPAGE_PMD_NR || nr == -(int64_t)HPAGE_PMD_NR)
			c->node_stat[NR_ANON_THPS] += nr;
		account_lru(c, 0, flags, nr);
		break;
	case PAGE_FILE:
	case PAGE_SHMEM:
		c->node_stat[NR_FILE_PAGES] += nr;
		if (state == PAGE_SHMEM)
			c->node_stat[NR_SHMEM] += nr;
		if (flags & PG_blockdev)
			*c->blockdev_pages += nr;
		if (flags & PG_mapped)
			c->node_stat[NR_FILE_MAPPED] += nr;
		if (flags & PG_dirty) {
			c->node_stat[NR_FILE_DIRTY] += nr;
			c->zone_stat[NR_ZONE_WRITE_PENDING] += nr;
		}
		if (flags & PG_writeback) {
			c->node_stat[NR_WRITEBACK] += nr;
			c->zone_stat[NR_ZONE_WRITE_PENDING] += nr;
		}
		/* shmem is swap-backed: it lives on the anon LRU */
		account_lru(c, state == PAGE_FILE, flags, nr);
		break;
	default:
		break;
	}
	if (flags & PG_mlocked)
		c->zone_stat[NR_MLOCK] += nr;
}

/*
 * A memcg's statistics are node items only: what a block would add to
 * its zone lands in a scratch copy.
 */
static void account_block_memcg(int64_t *node_stat, enum page_state state,
				uint16_t flags, int64_t nr)
{
	int64_t zone_scratch[NR_VM_ZONE_STAT_ITEMS] = {0};
	uint64_t state_scratch[NR_PAGE_STATES] = {0}, blockdev_scratch = 0;
	struct page_counters mc = {
		.zone_stat = zone_scratch,
		.node_stat = node_stat,
		.state_pages = state_scratch,
		.blockdev_pages = &blockdev_scratch,
	};

	account_block_to(&mc, state, flags, nr);
}

void account_block_node_stat(const struct machine *m, pfn_t pfn,
			     int64_t *node_stat)
{
	const struct page *page = pfn_to_page(m, pfn);

	account_block_memcg(node_stat, (enum page_state)page->state,
			    page->flags, (int64_t)(1ULL << page->order));
}

/*
 * The block at @pfn counts, or stops counting, as @state and @flags: in
 * its zone and node, and in the statistics of the memcg it is charged
 * to.
 */
static void account_block(struct machine *m, pfn_t pfn, enum page_state state,
			  uint16_t flags, unsigned int order, int sign)
{
	struct zone *zone = pfn_zone(m, pfn);
	struct page_counters c = {
		.zone_stat = zone->vm_stat,
		.node_stat = zone->zone_pgdat->vm_stat,
		.state_pages = zone->nr_state_pages,
		.blockdev_pages = &zone->nr_blockdev_pages,
	};
	int64_t nr = sign * (int64_t)(1ULL << order);
	int64_t *memcg_stat;

	account_block_to(&c, state, flags, nr);
	memcg_stat = memcg_charged_state(state) ? memcg_node_stat_of(m, pfn)
						: NULL;
	if (memcg_stat)
		account_block_memcg(memcg_stat, state, flags, nr);
}

/* The LRU list a block of @state and @flags is on, or -1 (folio_lru_list). */
int page_lru(enum page_state state, uint16_t flags)
{
	int file;

	if (state != PAGE_ANON && state != PAGE_FILE && state != PAGE_SHMEM)
		return -1;
	if (flags & PG_unevictable)
		return LRU_UNEVICTABLE;
	/* shmem is swap-backed: it lives on the anon lists */
	file = state == PAGE_FILE;
	return (file ? LRU_INACTIVE_FILE : LRU_INACTIVE_ANON) +
	       !!(flags & PG_active);
}

/* Link @pfn into @lru after @after, or at the head when PFN_NONE. */
static void lru_link(struct machine *m, struct lruvec *lruvec, int lru,
		     pfn_t pfn, pfn_t after)
{
	struct lru_head *l = &lruvec->lists[lru];
	struct page *page = pfn_to_page(m, pfn);
	pfn_t next = after == PFN_NONE ? l->head : pfn_to_page(m, after)->next;

	page->prev = after;
	page->next = next;
	if (after == PFN_NONE)
		l->head = pfn;
	else
		pfn_to_page(m, after)->next = pfn;
	if (next == PFN_NONE)
		l->tail = pfn;
	else
		pfn_to_page(m, next)->prev = pfn;
	l->nr++;
	lruvec->nr_pages[lru] += 1ULL << page->order;
}

static void lru_unlink(struct machine *m, struct lruvec *lruvec, int lru,
		       pfn_t pfn)
{
	struct lru_head *l = &lruvec->lists[lru];
	struct page *page = pfn_to_page(m, pfn);

	if (page->prev == PFN_NONE)
		l->head = page->next;
	else
		pfn_to_page(m, page->prev)->next = page->next;
	if (page->next == PFN_NONE)
		l->tail = page->prev;
	else
		pfn_to_page(m, page->next)->prev = page->prev;
	page->next = page->prev = PFN_NONE;
	l->nr--;
	lruvec->nr_pages[lru] -= 1ULL << page->order;
}

struct lruvec *page_lruvec(const struct machine *m, pfn_t pfn)
{
	return mem_cgroup_lruvec(m, page_memcg(m, pfn), pfn_to_nid(m, pfn));
}

void lru_rotate(struct machine *m, pfn_t pfn)
{
	struct lruvec *lruvec = page_lruvec(m, pfn);
	const struct page *page = pfn_to_page(m, pfn);
	int lru = page_lru((enum page_state)page->state, page->flags);

	lru_unlink(m, lruvec, lru, pfn);
	lru_link(m, lruvec, lru, pfn, PFN_NONE);
}

void lru_restore(struct machine *m, pfn_t pfn)
{
	const struct page *page = pfn_to_page(m, pfn);
	struct lruvec *lruvec = page_lruvec(m, pfn);
	int lru = page_lru((enum page_state)page->state, page->flags);

	lru_link(m, lruvec, lru, pfn, lruvec->lists[lru].tail);
}

void lru_move_to(struct machine *m, pfn_t pfn, struct lruvec *from,
		 struct lruvec *to)
{
	const struct page *page = pfn_to_page(m, pfn);
	int lru = page_lru((enum page_state)page->state, page->flags);

	lru_unlink(m, from, lru, pfn);
	lru_link(m, to, lru, pfn, PFN_NONE);
}

static void prep_new_page(struct machine *m, struct zone *zone, pfn_t pfn,
			  unsigned int order, const struct page_use *use)
{
	unsigned long i, n = 1;
	struct page *page;

	if (order > pageblock_order)
		n = 1UL << (order - pageblock_order);
	for (i = 1; i < n; i++)
		materialize(m, pfn + i * pageblock_nr_pages);
	page = materialize(m, pfn);
	page->state = use->state;
	page->order = order;
	page->flags = use->flags;
	page->owner = use->owner;
	page->index = 0;
	page->mapcount = 0;
	page->private = 0;
	page->migratetype = pfn_pageblock(m, pfn)->migratetype;
	page->next = page->prev = PFN_NONE;
	if (memcg_charged_state(use->state))
		mem_cgroup_charge_page(m, pfn, use->memcg);
	account_block(m, pfn, use->state, use->flags, order, 1);
	if (page_lru(use->state, use->flags) >= 0)
		lru_link(m, page_lruvec(m, pfn),
			 page_lru(use->state, use->flags), pfn, PFN_NONE);
}

static const enum vm_event_item pgalloc_event[MAX_NR_ZONES] = {
	PGALLOC_DMA,	 PGALLOC_DMA32,	 PGALLOC_NORMAL,
	PGALLOC_MOVABLE, PGALLOC_DEVICE,
};

/* zone_statistics(): NUMA hit/miss/local/other, as the kernel counts them. */
static void zone_statistics(struct machine *m, struct zone *preferred,
			    struct zone *z, int cpu, unsigned int order)
{
	uint64_t nr = 1ULL << order;
	int local_nid = m->cpu_to_node[cpu];

	if (!m->sysctl.numa_stat)
		return;
	if (z->zone_pgdat == preferred->zone_pgdat) {
		z->vm_numa_event[NUMA_HIT] += nr;
	} else {
		z->vm_numa_event[NUMA_MISS] += nr;
		preferred->vm_numa_event[NUMA_FOREIGN] += nr;
	}
	if (z->zone_pgdat->node_id == local_nid)
		z->vm_numa_event[NUMA_LOCAL] += nr;
	else
		z->vm_numa_event[NUMA_OTHER] += nr;
}

int zone_watermark_ok(const struct zone *z, unsigned int order, uint64_t mark,
		      enum zone_type highest_zoneidx, unsigned int alloc_flags)
{
	int64_t free_pages = z->vm_stat[NR_FREE_PAGES];
	int64_t min = (int64_t)mark;
	unsigned int o;
	int mt;

	free_pages -= (1L << order) - 1;
	if (alloc_flags & ALLOC_HARDER)
		min -= min / 4;
	if (free_pages <= min + (int64_t)z->lowmem_reserve[highest_zoneidx])
		return 0;
	if (!order)
		return 1;
	for (o = order; o < NR_PAGE_ORDERS; o++) {
		const struct free_area *area = &z->free_area[o];

		if (!area->nr_free)
			continue;
		for (mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (area->list[mt].head != PFN_NONE)
				return 1;
		if ((alloc_flags & ALLOC_HARDER) &&
		    area->list[MIGRATE_HIGHATOMIC].head != PFN_NONE)
			return 1;
	}
	return 0;
}

static uint64_t zone_wmark(const struct zone *z, unsigned int alloc_flags)
{
	switch (alloc_flags & ALLOC_WMARK_MASK) {
	case ALLOC_WMARK_LOW:
		return low_wmark_pages(z);
	case ALLOC_WMARK_HIGH:
		return high_wmark_pages(z);
	default:
		return min_wmark_pages(z);
	}
}

/*
 * The zonelist of a node in "Node" order: nodes nearest first (ties by
 * id), and within a node the zones from the highest allowed down.
 */
static int build_node_order(const struct machine *m, int nid, int *order)
{
	int n = 0, i, j, tmp;

	for (i = 0; i < m->nr_node_ids; i++)
		order[n++] = i;
	for (i = 1; i < n; i++) {
		for (j = i; j > 0; j--) {
			int a = order[j - 1], b = order[j];

			if (m->node_distance[nid][a] <
				    m->node_distance[nid][b] ||
			    (m->node_distance[nid][a] ==
				     m->node_distance[nid][b] &&
			     a < b))
				break;
			tmp = order[j - 1];
			order[j - 1] = order[j];
			order[j] = tmp;
		}
	}
	return n;
}

static int get_page_from_freelist(struct machine *m, unsigned int order,
				  const struct alloc_context *ac,
				  unsigned int alloc_flags,
				  const struct page_use *use, pfn_t *out)
{
	int node_order[MAX_NUMNODES], nr_nodes, i, zi;
	struct zone *preferred = NULL;
	pfn_t pfn;

	nr_nodes = build_node_order(m, ac->preferred_nid, node_order);
	if (alloc_flags & ALLOC_THISNODE)
		nr_nodes = 1;
	for (i = 0; i < nr_nodes; i++) {
		pg_data_t *pgdat = NODE_DATA(m, node_order[i]);

		for (zi = ac->highest_zoneidx; zi >= 0; zi--) {
			struct zone *z = &pgdat->node_zones[zi];

			if (!managed_zone(z))
				continue;
			if (!preferred)
				preferred = z;
			if ((alloc_flags & ALLOC_THISZONE) &&
			    zi != (int)ac->highest_zoneidx)
				continue;
			if (!(alloc_flags & ALLOC_NO_WATERMARKS) &&
			    !zone_watermark_ok(
				    z, order, zone_wmark(z, alloc_flags),
				    ac->highest_zoneidx, alloc_flags))
				continue;
			pfn = rmqueue(m, z, order, ac->migratetype,
				      alloc_flags);
			if (pfn == PFN_NONE)
				continue;
			prep_new_page(m, z, pfn, order, use);
			count_vm_events(m, pgalloc_event[zi], 1ULL << order);
			zone_statistics(m, preferred, z, ac->cpu, order);
			*out = pfn;
			return 0;
		}
	}
	return -ENOMEM;
}

int alloc_pages(struct machine *m, unsigned int order,
		const struct alloc_context *ac, const struct page_use *use,
		pfn_t *pfn)
{
	unsigned int flags = ac->alloc_flags;
	int rc;

	if (order > MAX_PAGE_ORDER || ac->preferred_nid < 0 ||
	    ac->preferred_nid >= m->nr_node_ids ||
	    ac->migratetype >= MIGRATE_PCPTYPES || use->state == PAGE_BUDDY ||
	    use->state >= PAGE_TAIL || use->state <= PAGE_RESERVED)
		return -EINVAL;
	rc = get_page_from_freelist(m, order, ac, flags, use, pfn);
	if (rc != -ENOMEM || (flags & ALLOC_NO_WATERMARKS))
		return rc;
	/* The slow path: dip below the low watermark down to min. */
	if ((flags & ALLOC_WMARK_MASK) != ALLOC_WMARK_MIN) {
		flags = (flags & ~ALLOC_WMARK_MASK) | ALLOC_WMARK_MIN;
		rc = get_page_from_freelist(m, order, ac, flags, use, pfn);
	}
	return rc;
}

void free_pages(struct machine *m, pfn_t pfn, unsigned int order)
{
	struct zone *zone = pfn_zone(m, pfn);
	struct page *page = pfn_to_page(m, pfn);

	if (!page || page->order != order || page->state <= PAGE_BUDDY ||
	    page->state >= PAGE_TAIL) {
		fprintf(stderr,
			"mmsim: bad page state freeing pfn %#x order %u\n", pfn,
			order);
		abort();
	}
	if (page_lru((enum page_state)page->state, page->flags) >= 0)
		lru_unlink(m, page_lruvec(m, pfn),
			   page_lru((enum page_state)page->state, page->flags),
			   pfn);
	account_block(m, pfn, page->state, page->flags, order, -1);
	mem_cgroup_uncharge_page(m, pfn);
	page->state = PAGE_TAIL;
	count_vm_events(m, PGFREE, 1ULL << order);
	__free_one_page(m, zone, pfn, order, pfn_pageblock(m, pfn)->migratetype,
			0);
}

void set_page_use(struct machine *m, pfn_t pfn, const struct page_use *use)
{
	struct page *page = pfn_to_page(m, pfn);

	int old_lru = page_lru((enum page_state)page->state, page->flags);
	int new_lru = page_lru(use->state, use->flags);

	/* a block keeps its place unless it changes lists */
	if (old_lru != new_lru && old_lru >= 0)
		lru_unlink(m, page_lruvec(m, pfn), old_lru, pfn);
	account_block(m, pfn, page->state, page->flags, page->order, -1);
	/* a block keeps its charge while it changes use */
	page->state = use->state;
	page->flags = use->flags;
	page->owner = use->owner;
	account_block(m, pfn, page->state, page->flags, page->order, 1);
	if (old_lru != new_lru && new_lru >= 0)
		lru_link(m, page_lruvec(m, pfn), new_lru, pfn, PFN_NONE);
}

void set_page_flags(struct machine *m, pfn_t pfn, uint16_t flags)
{
	const struct page *page = pfn_to_page(m, pfn);
	struct page_use use = {.state = (enum page_state)page->state,
			       .flags = flags,
			       .owner = page->owner};

	set_page_use(m, pfn, &use);
}

void split_page(struct machine *m, pfn_t pfn, unsigned int order)
{
	struct page *head = pfn_to_page(m, pfn);
	pfn_t p;

	int lru = page_lru((enum page_state)head->state, head->flags);

	account_block(m, pfn, head->state, head->flags, order, -1);
	for (p = pfn + 1; p < pfn + ((pfn_t)1 << order); p++) {
		struct page *page = pfn_to_page(m, p);

		*page = *head;
		page->order = 0;
		set_page_memcg_id(m, p, page_memcg_id(m, pfn));
		account_block(m, p, page->state, page->flags, 0, 1);
		/* lru_add_split_folio(): the tails follow their head */
		if (lru >= 0)
			lru_link(m, page_lruvec(m, p), lru, p, p - 1);
	}
	/* the head stays listed, weighing one page now */
	if (lru >= 0)
		page_lruvec(m, pfn)->nr_pages[lru] -= (1ULL << order) - 1;
	head->order = 0;
	account_block(m, pfn, head->state, head->flags, 0, 1);
}

void isolate_free_block(struct machine *m, struct zone *zone, pfn_t pfn,
			unsigned int order)
{
	pfn_t p;

	del_from_free_list(m, zone, pfn, order,
			   buddy_migratetype(m, pfn, order));
	for (p = pfn; p < pfn + ((pfn_t)1 << order); p++) {
		struct page *page = materialize(m, p);

		page->state = PAGE_TAIL;
		page->order = 0;
	}
}

void release_isolated_page(struct machine *m, struct zone *zone, pfn_t pfn)
{
	__free_one_page(m, zone, pfn, 0, pfn_pageblock(m, pfn)->migratetype, 0);
}

void migrate_to(struct machine *m, pfn_t from, pfn_t to)
{
	struct zone *zone = pfn_zone(m, from);
	struct page *old = pfn_to_page(m, from);
	struct page_use use = {.state = old->state,
			       .flags = old->flags,
			       .owner = old->owner,
			       .memcg = page_memcg(m, from)};

	int lru = page_lru(use.state, use.flags);

	/* mem_cgroup_migrate(): the charge moves, never counted twice */
	account_block(m, from, old->state, old->flags, 0, -1);
	mem_cgroup_uncharge_page(m, from);
	prep_new_page(m, pfn_zone(m, to), to, 0, &use);
	pfn_to_page(m, to)->index = old->index;
	pfn_to_page(m, to)->mapcount = old->mapcount;
	pfn_to_page(m, to)->private = old->private;
	/* the copy takes the original's place on its list */
	if (lru >= 0) {
		lru_unlink(m, page_lruvec(m, to), lru, to);
		lru_link(m, page_lruvec(m, to), lru, to, from);
		lru_unlink(m, page_lruvec(m, to), lru, from);
	}
	old->state = PAGE_TAIL;
	__free_one_page(m, zone, from, 0, pfn_pageblock(m, from)->migratetype,
			0);
	count_vm_event(m, PGMIGRATE_SUCCESS);
}

void free_boot_range(struct machine *m, pfn_t start, pfn_t end)
{
	unsigned int order;
	pfn_t pfn = start;

	while (pfn < end) {
		order = MAX_PAGE_ORDER;
		while (order && ((pfn & (((pfn_t)1 << order) - 1)) ||
				 (uint64_t)pfn + (1ULL << order) > end))
			order--;
		if (order < pageblock_order)
			materialize(m, pfn);
		__free_one_page(m, pfn_zone(m, pfn), pfn, order,
				pfn_pageblock(m, pfn)->migratetype, 1);
		pfn += (pfn_t)1 << order;
	}
}

/* ---- watermarks and reserves ---- */

static uint64_t mult_frac(uint64_t x, uint64_t numer, uint64_t denom)
{
	return (x / denom) * numer + (x % denom) * numer / denom;
}

void setup_per_zone_lowmem_reserve(struct machine *m)
{
	int nid, i, j;

	for_each_online_node (nid, m) {
		pg_data_t *pgdat = NODE_DATA(m, nid);

		for (i = 0; i < MAX_NR_ZONES - 1; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			int64_t ratio = m->sysctl.lowmem_reserve_ratio[i];
			int clear = !ratio || !managed_zone(zone);
			uint64_t managed_pages = 0;

			for (j = i + 1; j < MAX_NR_ZONES; j++) {
				managed_pages +=
					pgdat->node_zones[j].managed_pages;
				zone->lowmem_reserve[j] =
					clear ? 0 : managed_pages / ratio;
			}
		}
	}
	calculate_totalreserve_pages(m);
}

void calculate_totalreserve_pages(struct machine *m)
{
	uint64_t reserve_pages = 0;
	int nid, i, j;

	for_each_online_node (nid, m) {
		pg_data_t *pgdat = NODE_DATA(m, nid);

		pgdat->totalreserve_pages = 0;
		for (i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			uint64_t max = 0;

			for (j = i; j < MAX_NR_ZONES; j++)
				if (zone->lowmem_reserve[j] > max)
					max = zone->lowmem_reserve[j];
			max += high_wmark_pages(zone);
			if (max > zone->managed_pages)
				max = zone->managed_pages;
			pgdat->totalreserve_pages += max;
			reserve_pages += max;
		}
	}
	m->totalreserve_pages = reserve_pages;
}

void setup_per_zone_wmarks(struct machine *m)
{
	uint64_t pages_min =
		(uint64_t)m->sysctl.min_free_kbytes >> (PAGE_SHIFT - 10);
	uint64_t lowmem_pages = 0, tmp, delta;
	int nid, i;

	for_each_online_node (nid, m)
		for (i = 0; i < MAX_NR_ZONES; i++)
			if (!is_highmem_idx(i))
				lowmem_pages += NODE_DATA(m, nid)
							->node_zones[i]
							.managed_pages;
	for_each_online_node (nid, m) {
		for (i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &NODE_DATA(m, nid)->node_zones[i];
			uint64_t managed = zone->managed_pages;

			tmp = lowmem_pages ? pages_min * managed / lowmem_pages
					   : 0;
			if (is_highmem_idx(i)) {
				uint64_t min_pages = managed / 1024;

				if (min_pages < 32)
					min_pages = 32;
				if (min_pages > 128)
					min_pages = 128;
				zone->watermark[WMARK_MIN] = min_pages;
			} else {
				zone->watermark[WMARK_MIN] = tmp;
			}
			delta = mult_frac(
				managed,
				(uint64_t)m->sysctl.watermark_scale_factor,
				10000);
			if (tmp >> 2 > delta)
				delta = tmp >> 2;
			zone->watermark_boost = 0;
			zone->watermark[WMARK_LOW] =
				zone->watermark[WMARK_MIN] + delta;
			zone->watermark[WMARK_HIGH] =
				zone->watermark[WMARK_LOW] + delta;
			zone->watermark[WMARK_PROMO] =
				zone->watermark[WMARK_HIGH] + delta;
		}
	}
	calculate_totalreserve_pages(m);
	zone_pcp_update(m);
}

static uint64_t int_sqrt(uint64_t x)
{
	uint64_t r = 0, bit = 1ULL << 62;

	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return r;
}

/* nr_free_buffer_pages(): what ZONE_NORMAL and below hold above high. */
static uint64_t nr_free_buffer_pages(const struct machine *m)
{
	uint64_t sum = 0;
	int nid, i;

	for_each_online_node (nid, m) {
		for (i = 0; i <= ZONE_NORMAL; i++) {
			const struct zone *z =
				&NODE_DATA(m, nid)->node_zones[i];
			uint64_t high = high_wmark_pages(z);

			if (z->managed_pages > high)
				sum += z->managed_pages - high;
		}
	}
	return sum;
}

int64_t calculate_min_free_kbytes(const struct machine *m)
{
	uint64_t lowmem_kbytes = nr_free_buffer_pages(m) * (PAGE_SIZE >> 10);
	uint64_t min_free = int_sqrt(lowmem_kbytes * 16);
	uint64_t recommended, nr_zones = 0;
	int nid, i;

	if (min_free < 128)
		min_free = 128;
	if (min_free > 262144)
		min_free = 262144;
	/*
	 * khugepaged raises it so that a huge page can usually be found:
	 * set_recommended_min_free_kbytes(), for THP enabled by default.
	 */
	for_each_online_node (nid, m)
		for (i = 0; i <= ZONE_NORMAL; i++)
			if (populated_zone(&NODE_DATA(m, nid)->node_zones[i]))
				nr_zones++;
	recommended = pageblock_nr_pages * nr_zones *
		      (2 + MIGRATE_PCPTYPES * MIGRATE_PCPTYPES);
	if (recommended > nr_free_buffer_pages(m) / 20)
		recommended = nr_free_buffer_pages(m) / 20;
	recommended <<= PAGE_SHIFT - 10;
	return (int64_t)(recommended > min_free ? recommended : min_free);
}

static int fls64(uint64_t x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

static uint64_t rounddown_pow_of_two(uint64_t x)
{
	return x ? 1ULL << (fls64(x) - 1) : 0;
}

static int zone_batchsize(const struct zone *zone)
{
	uint64_t batch = zone->managed_pages >> 10;

	if (batch > (1UL << 20) / PAGE_SIZE)
		batch = (1UL << 20) / PAGE_SIZE;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	return (int)rounddown_pow_of_two(batch + batch / 2) - 1;
}

static int node_nr_cpus(const pg_data_t *pgdat)
{
	int i, n = 0;

	for (i = 0; i < NR_CPUS / 64; i++)
		n += __builtin_popcountll(pgdat->cpumask[i]);
	return n;
}

static int zone_highsize(const struct machine *m, const struct zone *zone,
			 int batch, int64_t high_fraction)
{
	uint64_t total_pages, high;
	int nr_split_cpus;

	total_pages = high_fraction ? zone->managed_pages / high_fraction
				    : low_wmark_pages(zone);
	nr_split_cpus = node_nr_cpus(zone->zone_pgdat);
	if (!nr_split_cpus)
		nr_split_cpus = m->nr_cpu_ids;
	high = total_pages / nr_split_cpus;
	if (high < (uint64_t)batch << 2)
		high = (uint64_t)batch << 2;
	return (int)high;
}

static int calculate_normal_threshold(const struct machine *m,
				      const struct zone *zone)
{
	uint64_t mem = zone->managed_pages >> (27 - PAGE_SHIFT);
	int threshold = 2 * fls64(m->nr_cpu_ids) * (1 + fls64(mem));

	return threshold < 125 ? threshold : 125;
}

void zone_pcp_update(struct machine *m)
{
	int64_t fraction = m->sysctl.percpu_pagelist_high_fraction;
	int nid, i, cpu;

	for_each_online_node (nid, m) {
		for (i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &NODE_DATA(m, nid)->node_zones[i];
			int batch, high_min, high_max;

			if (!populated_zone(zone))
				continue;
			batch = zone_batchsize(zone);
			if (batch < 1)
				batch = 1;
			if (fraction) {
				high_min =
					zone_highsize(m, zone, batch, fraction);
				high_max = high_min;
			} else {
				high_min = zone_highsize(m, zone, batch, 0);
				high_max = zone_highsize(m, zone, batch, 8);
			}
			for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
				struct per_cpu_pages *pcp = &zone->pcp[cpu];

				pcp->batch = batch;
				pcp->high_min = high_min;
				pcp->high_max = high_max;
				/* high floats between the two with use */
				if (pcp->high < high_min ||
				    pcp->high > high_max)
					pcp->high = high_min;
			}
			zone->stat_threshold =
				calculate_normal_threshold(m, zone);
		}
	}
}

/* ---- walking and checking ---- */

int walk_zone_blocks(const struct machine *m, const struct zone *zone,
		     int (*fn)(const struct block_info *b, void *arg),
		     void *arg)
{
	uint64_t end = (uint64_t)zone->zone_start_pfn + zone->spanned_pages;
	uint64_t pfn = zone->zone_start_pfn;
	const struct pageblock *pb;
	const struct page *page;
	struct block_info b;
	int rc;

	while (pfn < end) {
		pb = pfn_pageblock(m, (pfn_t)pfn);
		memset(&b, 0, sizeof(b));
		b.pfn = (pfn_t)pfn;
		switch (pb->kind) {
		case PB_HOLE:
		case PB_RESERVED:
			b.order = pageblock_order;
			b.state =
				pb->kind == PB_HOLE ? PAGE_HOLE : PAGE_RESERVED;
			break;
		case PB_FREE_HEAD:
			b.order = pb->free_order;
			b.state = PAGE_BUDDY;
			b.migratetype = pb->free_migratetype;
			break;
		case PB_FREE_TAIL:
			return -EUCLEAN;
		default:
			page = &pb->pages[pfn & PB_MASK];
			b.order = page->order;
			b.state = page->state;
			b.flags = page->flags;
			b.owner = page->owner;
			b.migratetype = page->migratetype;
			break;
		}
		if (b.state == PAGE_TAIL || b.order > MAX_PAGE_ORDER ||
		    pfn & ((1ULL << b.order) - 1))
			return -EUCLEAN;
		rc = fn(&b, arg);
		if (rc)
			return rc;
		pfn += 1ULL << b.order;
	}
	return 0;
}

int walk_free_list(const struct machine *m, const struct zone *zone,
		   unsigned int order, enum migratetype mt,
		   int (*fn)(pfn_t pfn, void *arg), void *arg)
{
	const struct free_list *fl = &zone->free_area[order].list[mt];
	pfn_t pfn = fl->head;
	uint64_t n = 0;
	int rc;

	if (pfn == PFN_NONE)
		return 0;
	do {
		rc = fn(pfn, arg);
		if (rc)
			return rc;
		pfn = *links_of(m, pfn, order).next;
		if (++n > fl->nr_free || pfn == PFN_NONE)
			return -EUCLEAN;
	} while (pfn != fl->head);
	return n == fl->nr_free ? 0 : -EUCLEAN;
}

struct check_ctx {
	const struct machine *m;
	const struct zone *zone;
	int64_t zone_stat[NR_VM_ZONE_STAT_ITEMS];
	int64_t *node_stat;
	uint64_t state_pages[NR_PAGE_STATES];
	uint64_t blockdev_pages;
	uint64_t nr_free[NR_PAGE_ORDERS][MIGRATE_TYPES];
	uint64_t present, managed, frames;
	unsigned int order;
	enum migratetype mt;
	char *why;
	size_t size;
};

static int check_block(const struct block_info *b, void *arg)
{
	struct check_ctx *c = arg;
	struct page_counters pc = {
		.zone_stat = c->zone_stat,
		.node_stat = c->node_stat,
		.state_pages = c->state_pages,
		.blockdev_pages = &c->blockdev_pages,
	};
	uint64_t n = 1ULL << b->order;

	if (pfn_zone(c->m, b->pfn) != c->zone) {
		snprintf(c->why, c->size, "block at pfn %#x is in another zone",
			 b->pfn);
		return -EUCLEAN;
	}
	c->frames += n;
	if (b->state != PAGE_HOLE)
		c->present += n;
	if (b->state != PAGE_HOLE && b->state != PAGE_RESERVED)
		c->managed += n;
	if (b->state == PAGE_BUDDY) {
		c->nr_free[b->order][b->migratetype]++;
		if (b->migratetype != MIGRATE_ISOLATE) {
			c->zone_stat[NR_FREE_PAGES] += n;
			if (b->order >= pageblock_order)
				c->zone_stat[NR_FREE_PAGES_BLOCKS] += n;
		}
		return 0;
	}
	if (b->state != PAGE_HOLE && b->state != PAGE_RESERVED)
		account_block_to(&pc, b->state, b->flags, (int64_t)n);
	return 0;
}

static int check_free_entry(pfn_t pfn, void *arg)
{
	struct check_ctx *c = arg;

	if (!page_is_buddy(c->m, c->zone, pfn, c->order) ||
	    buddy_migratetype(c->m, pfn, c->order) != c->mt) {
		snprintf(c->why, c->size,
			 "pfn %#x on the order-%u %s free list is not a free "
			 "block of that order and type",
			 pfn, c->order, migratetype_names[c->mt]);
		return -EUCLEAN;
	}
	return 0;
}

static int check_zone(const struct machine *m, const struct zone *zone,
		      int64_t *node_stat, char *why, size_t size)
{
	struct check_ctx *c = calloc(1, sizeof(*c));
	const char *name = zone_names[zone->idx];
	int nid = zone->zone_pgdat->node_id, rc = 0, i;
	unsigned int order;
	int mt;

	if (!c)
		return -ENOMEM;
	c->m = m;
	c->zone = zone;
	c->node_stat = node_stat;
	c->why = why;
	c->size = size;
	rc = walk_zone_blocks(m, zone, check_block, c);
	if (rc) {
		if (!why[0])
			snprintf(why, size,
				 "node %d zone %s: frame walk found a "
				 "malformed block",
				 nid, name);
		goto out;
	}
	rc = -EUCLEAN;
	if (c->frames != zone->spanned_pages ||
	    c->present != zone->present_pages ||
	    c->managed != zone->managed_pages) {
		snprintf(why, size,
			 "node %d zone %s: frames %llu/%llu present %llu/%llu "
			 "managed %llu/%llu",
			 nid, name, (unsigned long long)c->frames,
			 (unsigned long long)zone->spanned_pages,
			 (unsigned long long)c->present,
			 (unsigned long long)zone->present_pages,
			 (unsigned long long)c->managed,
			 (unsigned long long)zone->managed_pages);
		goto out;
	}
	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		uint64_t area_free = 0;

		for (mt = 0; mt < MIGRATE_TYPES; mt++) {
			const struct free_list *fl =
				&zone->free_area[order].list[mt];

			area_free += fl->nr_free;
			if (fl->nr_free != c->nr_free[order][mt]) {
				snprintf(why, size,
					 "node %d zone %s: order %u %s list "
					 "holds %llu blocks, frames say %llu",
					 nid, name, order,
					 migratetype_names[mt],
					 (unsigned long long)fl->nr_free,
					 (unsigned long long)
						 c->nr_free[order][mt]);
				goto out;
			}
			c->order = order;
			c->mt = mt;
			if (walk_free_list(m, zone, order, mt, check_free_entry,
					   c)) {
				if (!why[0])
					snprintf(why, size,
						 "node %d zone %s: order %u %s "
						 "list is broken",
						 nid, name, order,
						 migratetype_names[mt]);
				goto out;
			}
		}
		if (area_free != zone->free_area[order].nr_free) {
			snprintf(why, size,
				 "node %d zone %s: order %u nr_free disagrees "
				 "with its lists",
				 nid, name, order);
			goto out;
		}
	}
	for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++) {
		if (c->zone_stat[i] != zone->vm_stat[i]) {
			snprintf(why, size,
				 "node %d zone %s: %s is %lld, frames say %lld",
				 nid, name, zone_stat_name[i],
				 (long long)zone->vm_stat[i],
				 (long long)c->zone_stat[i]);
			goto out;
		}
	}
	for (i = 0; i < NR_PAGE_STATES; i++) {
		if (c->state_pages[i] != zone->nr_state_pages[i]) {
			snprintf(why, size,
				 "node %d zone %s: %llu %s pages counted, "
				 "frames say %llu",
				 nid, name,
				 (unsigned long long)zone->nr_state_pages[i],
				 page_state_name(i),
				 (unsigned long long)c->state_pages[i]);
			goto out;
		}
	}
	if (c->blockdev_pages != zone->nr_blockdev_pages) {
		snprintf(why, size,
			 "node %d zone %s: block device pages disagree", nid,
			 name);
		goto out;
	}
	rc = 0;
out:
	free(c);
	return rc;
}

/* Node items that are sums of frame states (the rest are events). */
static int node_item_from_frames(enum node_stat_item item)
{
	switch (item) {
	case NR_INACTIVE_ANON:
	case NR_ACTIVE_ANON:
	case NR_INACTIVE_FILE:
	case NR_ACTIVE_FILE:
	case NR_UNEVICTABLE:
	case NR_SLAB_RECLAIMABLE_B:
	case NR_SLAB_UNRECLAIMABLE_B:
	case NR_ANON_MAPPED:
	case NR_FILE_MAPPED:
	case NR_FILE_PAGES:
	case NR_SWAPCACHE:
	case NR_FILE_DIRTY:
	case NR_WRITEBACK:
	case NR_SHMEM:
	case NR_KERNEL_STACK_KB:
	case NR_PAGETABLE:
	case NR_HUGETLB:
		return 1;
	default:
		return 0;
	}
}

/*
 * The lists of one memcg on a node: well linked, holding blocks that
 * belong on them (their state, node and memcg say so), as many as
 * counted; their pages are added to @pages.
 */
static int check_lruvec(const struct machine *m, const pg_data_t *pgdat,
			struct lruvec *lruvec, uint64_t pages[NR_LRU_LISTS],
			char *why, size_t size)
{
	int lru;

	for (lru = 0; lru < NR_LRU_LISTS; lru++) {
		const struct lru_head *l = &lruvec->lists[lru];
		pfn_t pfn = l->head, prev = PFN_NONE;
		uint64_t blocks = 0, n = 0;

		while (pfn != PFN_NONE && blocks <= l->nr) {
			const struct page *page = pfn_to_page(m, pfn);

			if (!page || page->prev != prev ||
			    page_lru((enum page_state)page->state,
				     page->flags) != lru ||
			    pfn_zone(m, pfn)->zone_pgdat != pgdat ||
			    page_lruvec(m, pfn) != lruvec) {
				snprintf(why, size,
					 "node %d: frame %#x is misplaced on "
					 "LRU list %d",
					 pgdat->node_id, pfn, lru);
				return -EUCLEAN;
			}
			blocks++;
			n += 1ULL << page->order;
			prev = pfn;
			pfn = page->next;
		}
		if (blocks != l->nr || prev != l->tail ||
		    n != lruvec->nr_pages[lru]) {
			snprintf(why, size,
				 "node %d: LRU list %d holds %llu blocks, "
				 "%llu pages; counted %llu blocks, %llu pages",
				 pgdat->node_id, lru,
				 (unsigned long long)blocks,
				 (unsigned long long)n,
				 (unsigned long long)l->nr,
				 (unsigned long long)lruvec->nr_pages[lru]);
			return -EUCLEAN;
		}
		pages[lru] += n;
	}
	return 0;
}

/*
 * Each memcg's LRU lists on the node check out, and their pages add up
 * to the node's counters for them (which the frames confirm).
 */
static int check_lru(const struct machine *m, const pg_data_t *pgdat,
		     char *why, size_t size)
{
	uint64_t pages[NR_LRU_LISTS] = {0};
	uint32_t id;
	int lru, rc;

	for (id = 0; id < m->nr_memcgs; id++) {
		struct mem_cgroup *memcg = mem_cgroup_from_id(m, (uint16_t)id);

		if (!memcg)
			continue;
		rc = check_lruvec(m, pgdat,
				  mem_cgroup_lruvec(m, memcg, pgdat->node_id),
				  pages, why, size);
		if (rc)
			return rc;
	}
	for (lru = 0; lru < NR_LRU_LISTS; lru++) {
		if ((int64_t)pages[lru] ==
		    pgdat->vm_stat[NR_INACTIVE_ANON + lru])
			continue;
		snprintf(why, size,
			 "node %d: LRU list %d holds %llu pages, counted %lld",
			 pgdat->node_id, lru, (unsigned long long)pages[lru],
			 (long long)pgdat->vm_stat[NR_INACTIVE_ANON + lru]);
		return -EUCLEAN;
	}
	return 0;
}

int check_page_accounting(const struct machine *m, char *why, size_t size)
{
	int64_t node_stat[NR_VM_NODE_STAT_ITEMS];
	int nid, i, rc;

	why[0] = '\0';
	for_each_online_node (nid, m) {
		const pg_data_t *pgdat = NODE_DATA(m, nid);

		memset(node_stat, 0, sizeof(node_stat));
		for (i = 0; i < MAX_NR_ZONES; i++) {
			rc = check_zone(m, &pgdat->node_zones[i], node_stat,
					why, size);
			if (rc)
				return rc;
		}
		for (i = 0; i < NR_VM_NODE_STAT_ITEMS; i++) {
			if (!node_item_from_frames(i) ||
			    node_stat[i] == pgdat->vm_stat[i])
				continue;
			snprintf(why, size,
				 "node %d: %s is %lld, frames say %lld", nid,
				 node_stat_name[i],
				 (long long)pgdat->vm_stat[i],
				 (long long)node_stat[i]);
			return -EUCLEAN;
		}
		rc = check_lru(m, pgdat, why, size);
		if (rc)
			return rc;
	}
	/* and every mapping of every process, and every slab */
	rc = check_mm_accounting(m, why, size);
	rc = rc ?: check_swap_accounting(m, why, size);
	rc = rc ?: mem_cgroup_check(m, why, size);
	rc = rc ?: pcpu_check_state(m, why, size);
	return rc ?: check_slab_accounting(m, why, size);
}
