// SPDX-License-Identifier: GPL-2.0
/*
 * Workingset detection (mm/workingset.c): shadow entries, refault
 * distances, and the shrinker of index nodes that hold only shadows.
 *
 * A shadow packs, as the kernel's does, the node and memory cgroup the
 * page was evicted from, whether it was workingset, and the nonresident
 * age of that memcg's lists on the node at eviction.  Evictions and
 * activations age a memcg's lists and its ancestors', so a refault is
 * measured against what its own group let go since.  Ours is a 64-bit
 * word whose low bit is set (0 is an empty slot), with 40 bits of age:
 * enough that no bucket rounding is needed below 4 PiB of RAM.
 */
#include "workingset.h"

#include "filemap_internal.h"
#include "machine.h"
#include "memcontrol.h"
#include "mm_internal.h"
#include "page_alloc.h"
#include "swap.h"
#include "vmscan.h"
#include "vmstat.h"

#define SHADOW_VALUE 1ULL
#define SHADOW_WORKINGSET 2ULL
#define SHADOW_NID_SHIFT 2
#define SHADOW_NID_BITS 6
#define SHADOW_MEMCG_SHIFT (SHADOW_NID_SHIFT + SHADOW_NID_BITS)
#define SHADOW_MEMCG_BITS 16
#define EVICTION_SHIFT (SHADOW_MEMCG_SHIFT + SHADOW_MEMCG_BITS)
#define EVICTION_BITS (64 - EVICTION_SHIFT)
#define EVICTION_MASK ((1ULL << EVICTION_BITS) - 1)

_Static_assert(MAX_NUMNODES <= 1 << SHADOW_NID_BITS,
	       "a shadow's node field is too narrow");

/* XA_CHUNK_SHIFT - 3: shadow nodes may cover an eighth of the node. */
#define SHADOW_NODES_SHIFT 3

_Static_assert(MEM_CGROUP_ID_MAX < 1 << SHADOW_MEMCG_BITS,
	       "a shadow's memcg field is too narrow");

static uint64_t pack_shadow(int nid, uint16_t memcg_id, uint64_t eviction,
			    int workingset)
{
	return SHADOW_VALUE | (workingset ? SHADOW_WORKINGSET : 0) |
	       ((uint64_t)nid << SHADOW_NID_SHIFT) |
	       ((uint64_t)memcg_id << SHADOW_MEMCG_SHIFT) |
	       ((eviction & EVICTION_MASK) << EVICTION_SHIFT);
}

static uint16_t shadow_memcg_id(uint64_t shadow)
{
	return (uint16_t)((shadow >> SHADOW_MEMCG_SHIFT) &
			  ((1U << SHADOW_MEMCG_BITS) - 1));
}

int workingset_shadow_nid(uint64_t shadow)
{
	return (int)((shadow >> SHADOW_NID_SHIFT) &
		     ((1U << SHADOW_NID_BITS) - 1));
}

int workingset_shadow_valid(const struct machine *m, uint64_t shadow)
{
	int nid = workingset_shadow_nid(shadow);

	/* any memcg id: the group may be gone since, as in the kernel */
	return (shadow & SHADOW_VALUE) && nid < MAX_NUMNODES &&
	       NODE_DATA(m, nid);
}

static pg_data_t *page_pgdat(struct machine *m, pfn_t pfn)
{
	return pfn_zone(m, pfn)->zone_pgdat;
}

static int page_is_file_lru(const struct page *page)
{
	return page->state == PAGE_FILE;
}

/* The lists' memcg, and the memcg's parent's lists (NULL at the root). */
static struct mem_cgroup *lruvec_owner(const struct machine *m,
				       const struct lruvec *lruvec)
{
	return lruvec->memcg ?: root_mem_cgroup(m);
}

static struct lruvec *parent_lruvec(const struct machine *m,
				    const struct lruvec *lruvec)
{
	struct mem_cgroup *parent =
		parent_mem_cgroup(lruvec_owner(m, lruvec));

	return parent ? mem_cgroup_lruvec(m, parent, lruvec->nid) : NULL;
}

/* An eviction or activation ages the lists and their ancestors'. */
static void workingset_age_nonresident(const struct machine *m,
				       struct lruvec *lruvec, uint64_t nr)
{
	for (; lruvec; lruvec = parent_lruvec(m, lruvec))
		lruvec->nonresident_age += nr;
}

uint64_t workingset_eviction(struct machine *m, pfn_t pfn)
{
	const struct page *page = pfn_to_page(m, pfn);
	struct lruvec *lruvec = page_lruvec(m, pfn);
	uint64_t eviction = lruvec->nonresident_age;

	workingset_age_nonresident(m, lruvec, 1ULL << page->order);
	return pack_shadow(lruvec->nid, lruvec_owner(m, lruvec)->id, eviction,
			   !!(page->flags & PG_workingset));
}

/*
 * workingset_test_recent(): whether the pages that left the evicting
 * group's lists on the node since the eviction are no more than its
 * workingset could have held: the active file list, the inactive one
 * too for an anonymous page, and the anonymous lists while swap has
 * room to trade them.  A group removed since has no say: not recent.
 */
static int workingset_test_recent(const struct machine *m, uint64_t shadow,
				  int file)
{
	int nid = workingset_shadow_nid(shadow);
	struct mem_cgroup *memcg = mem_cgroup_from_id(m, shadow_memcg_id(shadow));
	uint64_t eviction = shadow >> EVICTION_SHIFT;
	const struct lruvec *lruvec;
	const struct mem_cgroup *owner;
	uint64_t distance, size;

	if (!NODE_DATA(m, nid) || !memcg)
		return 0;
	lruvec = mem_cgroup_lruvec(m, memcg, nid);
	/* NULL for the root's lists, which are the node's: the node's count */
	owner = lruvec->memcg;
	distance = (lruvec->nonresident_age - eviction) & EVICTION_MASK;
	size = mem_cgroup_node_page_state(m, owner, nid, NR_ACTIVE_FILE);
	if (!file)
		size += mem_cgroup_node_page_state(m, owner, nid,
						   NR_INACTIVE_FILE);
	if (mem_cgroup_get_nr_swap_pages(m, memcg) > 0) {
		size += mem_cgroup_node_page_state(m, owner, nid,
						   NR_ACTIVE_ANON);
		if (file)
			size += mem_cgroup_node_page_state(m, owner, nid,
							   NR_INACTIVE_ANON);
	}
	return distance <= size;
}

/* mod_lruvec_state(): the node's count and the page's memcg's. */
static void workingset_count(struct machine *m, pfn_t pfn,
			     enum node_stat_item item, uint64_t nr)
{
	int64_t *memcg_stat = memcg_node_stat_of(m, pfn);

	page_pgdat(m, pfn)->vm_stat[item] += (int64_t)nr;
	if (memcg_stat)
		memcg_stat[item] += (int64_t)nr;
}

void workingset_refault(struct machine *m, pfn_t pfn, uint64_t shadow)
{
	const struct page *page = pfn_to_page(m, pfn);
	int file = page_is_file_lru(page);
	uint64_t nr = 1ULL << page->order;
	uint16_t flags;

	if (shadow == SHADOW_NONE)
		return;
	workingset_count(m, pfn, WORKINGSET_REFAULT_ANON + file, nr);
	if (!workingset_test_recent(m, shadow, file))
		return;
	flags = page->flags | PG_active;
	workingset_age_nonresident(m, page_lruvec(m, pfn), nr);
	workingset_count(m, pfn, WORKINGSET_ACTIVATE_ANON + file, nr);
	if (shadow & SHADOW_WORKINGSET) {
		/* it was pushed out while in use: reclaim cost us its I/O */
		flags |= PG_workingset;
		lru_note_cost(m, page_lruvec(m, pfn), file, nr, 0);
		workingset_count(m, pfn, WORKINGSET_RESTORE_ANON + file, nr);
	}
	set_page_flags(m, pfn, flags);
}

void workingset_activation(struct machine *m, pfn_t pfn)
{
	workingset_age_nonresident(m, page_lruvec(m, pfn),
				   1ULL << pfn_to_page(m, pfn)->order);
}

void workingset_shrink_shadow_nodes(struct machine *m, int nid)
{
	pg_data_t *pgdat = NODE_DATA(m, nid);
	uint64_t nodes = (uint64_t)pgdat->vm_stat[WORKINGSET_NODES];
	uint64_t max_nodes = pgdat->node_present_pages >> SHADOW_NODES_SHIFT;
	uint64_t excess, freed;

	if (nodes <= max_nodes)
		return;
	/* shadow nodes cost no I/O to recreate: trim half the excess */
	excess = nodes - max_nodes;
	freed = filemap_shrink_shadow_nodes(m, nid, (excess + 1) / 2);
	pgdat->vm_stat[WORKINGSET_NODERECLAIM] += (int64_t)freed;
}
