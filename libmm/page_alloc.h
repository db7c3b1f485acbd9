/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The buddy allocator: free areas of orders 0..MAX_PAGE_ORDER per zone and
 * migrate type, splitting on allocation and merging with the buddy on
 * free, falling back between migrate types and along the zonelist, and
 * gated by the zone watermarks and lowmem reserves.
 */
#ifndef MMSIM_PAGE_ALLOC_H
#define MMSIM_PAGE_ALLOC_H

#include <stdint.h>

#include "mmzone.h"

struct machine;

/* alloc_flags, as in mm/internal.h */
#define ALLOC_WMARK_MIN 0x00
#define ALLOC_WMARK_LOW 0x01
#define ALLOC_WMARK_HIGH 0x02
#define ALLOC_NO_WATERMARKS 0x04
#define ALLOC_WMARK_MASK (ALLOC_NO_WATERMARKS - 1)
#define ALLOC_HARDER 0x10
#define ALLOC_THISNODE 0x20 /* do not fall back to other nodes */
#define ALLOC_THISZONE 0x40 /* only the highest allowed zone */

struct alloc_context {
	int preferred_nid;
	enum zone_type highest_zoneidx;
	enum migratetype migratetype;
	unsigned int alloc_flags;
	int cpu; /* the allocating CPU */
};

struct mem_cgroup;

/* What a new block is for and who holds it. */
struct page_use {
	enum page_state state;
	uint16_t flags;
	uint32_t owner;
	/* a charged state's memcg; NULL: the active one (memcontrol.h) */
	struct mem_cgroup *memcg;
};

/* Frame @pfn's struct page, or NULL if it lies in an unsplit free block or a
 * hole. */
struct page *pfn_to_page(const struct machine *m, pfn_t pfn);
struct zone *pfn_zone(const struct machine *m, pfn_t pfn);
int pfn_to_nid(const struct machine *m, pfn_t pfn);
/* The id of the memcg frame @pfn is charged to (0: the root, or none). */
uint16_t page_memcg_id(const struct machine *m, pfn_t pfn);
void set_page_memcg_id(struct machine *m, pfn_t pfn, uint16_t id);
/* What the block at @pfn adds to a node's statistics, added to @node_stat. */
void account_block_node_stat(const struct machine *m, pfn_t pfn,
			     int64_t *node_stat);
int pfn_valid(const struct machine *m, pfn_t pfn);

/*
 * Allocate 2^@order frames: 0 and *@pfn, or -ENOMEM with nothing changed.
 */
int alloc_pages(struct machine *m, unsigned int order,
		const struct alloc_context *ac, const struct page_use *use,
		pfn_t *pfn);
/* Give back a block that alloc_pages() returned (head pfn). */
void free_pages(struct machine *m, pfn_t pfn, unsigned int order);
/*
 * Turn an allocated block of 2^@order frames into that many order-0
 * blocks of the same use (split_page()); a huge page stops being one.
 */
void split_page(struct machine *m, pfn_t pfn, unsigned int order);
/*
 * The LRU lists: the list a block of @state and @flags belongs on (or -1);
 * move a listed block to the head of its list (it was used); put one back
 * at the tail (the checkpoint loader, in saved order).
 */
int page_lru(enum page_state state, uint16_t flags);
void lru_rotate(struct machine *m, pfn_t pfn);
void lru_restore(struct machine *m, pfn_t pfn);
/* The lists the block at @pfn is on: its node's, of its memcg. */
struct lruvec *page_lruvec(const struct machine *m, pfn_t pfn);
/* A listed block moves from @from's list to the head of @to's. */
void lru_move_to(struct machine *m, pfn_t pfn, struct lruvec *from,
		 struct lruvec *to);
/* Change what an allocated block is used for, keeping counters exact. */
void set_page_use(struct machine *m, pfn_t pfn, const struct page_use *use);

/* The same block, with new @flags (and on the list they say). */
void set_page_flags(struct machine *m, pfn_t pfn, uint16_t flags);

int zone_watermark_ok(const struct zone *z, unsigned int order, uint64_t mark,
		      enum zone_type highest_zoneidx, unsigned int alloc_flags);

/* Hand a range of boot memory to the buddy allocator (memblock_free_all). */
void free_boot_range(struct machine *m, pfn_t start, pfn_t end);

/* Recompute watermarks, lowmem reserves and totalreserve_pages. */
void setup_per_zone_wmarks(struct machine *m);
void setup_per_zone_lowmem_reserve(struct machine *m);
void calculate_totalreserve_pages(struct machine *m);
/* min_free_kbytes as the kernel picks it at boot (with the THP bump). */
int64_t calculate_min_free_kbytes(const struct machine *m);
/* zone_batchsize() and the per-cpu high limits, for zoneinfo. */
void zone_pcp_update(struct machine *m);

/*
 * Walk every block (free or allocated) of a zone in pfn order; for the
 * consistency checker and the checkpoint writer.  @fn returns non-zero to
 * stop the walk, which then returns that value.
 */
struct block_info {
	pfn_t pfn;
	unsigned int order;
	enum page_state state;
	uint16_t flags;
	uint8_t migratetype; /* free list (free blocks) */
	uint32_t owner;
};
int walk_zone_blocks(const struct machine *m, const struct zone *zone,
		     int (*fn)(const struct block_info *b, void *arg),
		     void *arg);

/*
 * Call @fn for every frame that has a struct page (split pageblocks), in
 * pfn order, tails included; a non-zero return stops the walk and is
 * returned.
 */
int walk_pages(const struct machine *m,
	       int (*fn)(pfn_t pfn, const struct page *page, void *arg),
	       void *arg);

/*
 * For the checkpoint loader: append a free block to the tail of its list
 * and mark its head, without touching the counters (restored as saved).
 */
void free_list_restore(struct machine *m, struct zone *zone, pfn_t pfn,
		       unsigned int order, enum migratetype mt);

/* The free list order, head to tail, for (zone, order, migratetype). */
int walk_free_list(const struct machine *m, const struct zone *zone,
		   unsigned int order, enum migratetype mt,
		   int (*fn)(pfn_t pfn, void *arg), void *arg);

/*
 * Verify every invariant: each frame in exactly one block, free lists
 * agree with frame states, every counter equals the sum it stands for.
 * 0, or -EUCLEAN with a description of the first fault in @why.
 */
int check_page_accounting(const struct machine *m, char *why, size_t size);

#endif
