/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Nodes, zones, pageblocks and free areas, named as in the kernel's
 * include/linux/mmzone.h.
 */
#ifndef MMSIM_MMZONE_H
#define MMSIM_MMZONE_H

#include <stdint.h>

#include "mm_types.h"
#include "vmstat.h"

struct mem_cgroup;

enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES, /* the types on the per-cpu lists */
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_ISOLATE,
	MIGRATE_TYPES
};

extern const char *const migratetype_names[MIGRATE_TYPES];

enum zone_type {
	ZONE_DMA,
	ZONE_DMA32,
	ZONE_NORMAL,
	ZONE_MOVABLE,
	ZONE_DEVICE,
	MAX_NR_ZONES
};

extern const char *const zone_names[MAX_NR_ZONES];

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	WMARK_PROMO,
	NR_WMARK
};

#define MAX_NUMNODES 64
#define NR_CPUS 256

/*
 * A free list is circular and doubly linked through the heads of its
 * blocks; @head is PFN_NONE when empty.
 */
struct free_list {
	pfn_t head;
	uint64_t nr_free;
};

struct free_area {
	struct free_list list[MIGRATE_TYPES];
	uint64_t nr_free;
};

/*
 * Memory is described in pageblocks (2 MiB).  A pageblock that lies wholly
 * inside a free buddy block of order >= pageblock_order needs no struct
 * pages: its frame array is made the first time the block is split or
 * allocated, and dropped when it merges back.  That keeps an idle 1 TiB
 * machine small.
 */
enum pageblock_kind {
	PB_HOLE, /* no RAM at all */
	PB_RESERVED, /* wholly memblock-reserved (memmap, kernel image) */
	PB_FREE_HEAD, /* heads a free block of order @free_order */
	PB_FREE_TAIL, /* inside a free block headed in an earlier pageblock */
	PB_PAGES, /* described frame by frame in @pages */
};

struct pageblock {
	struct page *pages; /* pageblock_nr_pages frames, for PB_PAGES */
	/* per frame, the memcg charged (memcontrol.h), once one is not root */
	uint16_t *memcg_ids;
	pfn_t next, prev; /* free-list links while PB_FREE_HEAD */
	uint8_t kind; /* enum pageblock_kind */
	uint8_t free_order; /* order of the free block, for PB_FREE_HEAD */
	uint8_t migratetype; /* the pageblock's migrate type */
	uint8_t free_migratetype; /* the free list it is on, for PB_FREE_HEAD */
	uint8_t nid; /* node and zone the pageblock belongs to */
	uint8_t zone_idx;
};

struct per_cpu_pages {
	int count;
	int high;
	int high_min;
	int high_max;
	int batch;
};

struct zone {
	struct pglist_data *zone_pgdat;
	enum zone_type idx;
	uint64_t watermark[NR_WMARK];
	uint64_t watermark_boost;
	uint64_t lowmem_reserve[MAX_NR_ZONES];
	pfn_t zone_start_pfn;
	uint64_t spanned_pages;
	uint64_t present_pages;
	uint64_t managed_pages;
	struct free_area free_area[NR_PAGE_ORDERS];
	int64_t vm_stat[NR_VM_ZONE_STAT_ITEMS];
	uint64_t vm_numa_event[NR_VM_NUMA_EVENT_ITEMS];
	/* Frames of each page state in this zone, kept with vm_stat. */
	uint64_t nr_state_pages[NR_PAGE_STATES];
	uint64_t nr_blockdev_pages; /* page cache of block devices */
	struct per_cpu_pages pcp[NR_CPUS];
	int stat_threshold;
};

/*
 * The LRU lists of a node (include/linux/mmzone.h), in the order of the
 * node's NR_INACTIVE_ANON.. NR_UNEVICTABLE counters.  Each holds the head
 * frames of anonymous, shmem and page-cache blocks, linked through their
 * next/prev words: most recently added at the head, reclaim takes from
 * the tail.
 */
enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS
};

struct lru_head {
	pfn_t head, tail; /* PFN_NONE when empty */
	uint64_t nr; /* blocks on the list */
};

/*
 * The LRU lists of one memcg's pages on one node (the root memcg's are
 * the node's own, pgdat->__lruvec); reclaim's costs are per list set.
 */
struct lruvec {
	struct lru_head lists[NR_LRU_LISTS];
	uint64_t nr_pages[NR_LRU_LISTS]; /* blocks weigh their pages */
	/* what reclaiming each kind has cost lately (lru_note_cost()) */
	uint64_t anon_cost, file_cost;
	/*
	 * Evictions and activations so far in this memcg's subtree on the
	 * node: the clock its shadow entries are read against.
	 */
	uint64_t nonresident_age;
	struct mem_cgroup *memcg; /* NULL for the node's own */
	int nid;
};

typedef struct pglist_data {
	int node_id;
	struct zone node_zones[MAX_NR_ZONES];
	int nr_zones; /* highest populated zone index + 1 */
	pfn_t node_start_pfn;
	uint64_t node_present_pages;
	uint64_t node_spanned_pages;
	uint64_t totalreserve_pages;
	int64_t vm_stat[NR_VM_NODE_STAT_ITEMS];
	uint64_t cpumask[NR_CPUS / 64];
	struct machine *machine;
	struct lruvec __lruvec; /* the root memcg's lists */
	int kswapd_wake; /* a zone fell below its low watermark */
	/* workingset_activate_{anon,file} when reclaim last finished */
	uint64_t refaults[2];
} pg_data_t;

static inline int populated_zone(const struct zone *zone)
{
	return zone->present_pages != 0;
}

static inline int managed_zone(const struct zone *zone)
{
	return zone->managed_pages != 0;
}

static inline uint64_t min_wmark_pages(const struct zone *z)
{
	return z->watermark[WMARK_MIN] + z->watermark_boost;
}

static inline uint64_t low_wmark_pages(const struct zone *z)
{
	return z->watermark[WMARK_LOW] + z->watermark_boost;
}

static inline uint64_t high_wmark_pages(const struct zone *z)
{
	return z->watermark[WMARK_HIGH] + z->watermark_boost;
}

static inline uint64_t promo_wmark_pages(const struct zone *z)
{
	return z->watermark[WMARK_PROMO] + z->watermark_boost;
}

static inline int is_highmem_idx(enum zone_type idx)
{
	return idx == ZONE_MOVABLE;
}

static inline int zone_end_pfn_le(const struct zone *z, pfn_t pfn)
{
	return (uint64_t)pfn < (uint64_t)z->zone_start_pfn + z->spanned_pages;
}

#endif
