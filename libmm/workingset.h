/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Workingset detection (mm/workingset.c).  When reclaim evicts a page, a
 * shadow entry takes its place in the file's index (or in its swap
 * slot): the node's count of evictions and activations at that moment.
 * When the page comes back, the count has grown by the refault
 * distance, the pages that left or were activated meanwhile; had the
 * active lists been that much larger, the page would have stayed.  So a
 * refault within the workingset's size is activated at once, and one of
 * a page that had been active before (PG_workingset) is a restore: the
 * task stalled on memory it needed (thrashing), which PSI counts.
 */
#ifndef MMSIM_WORKINGSET_H
#define MMSIM_WORKINGSET_H

#include <stdint.h>

#include "mm_types.h"

struct machine;
struct pglist_data;

/* No shadow: the slot held nothing, or its shadow was dropped. */
#define SHADOW_NONE 0

/*
 * workingset_eviction(): the shadow for the page at @pfn, which reclaim
 * is about to free; the node's nonresident age moves on by it.
 */
uint64_t workingset_eviction(struct machine *m, pfn_t pfn);

/*
 * workingset_refault(): the page at @pfn was just allocated where
 * @shadow was (SHADOW_NONE: nothing happens).  Counts the refault and
 * activates the page when its distance says it belongs to the
 * workingset.
 */
void workingset_refault(struct machine *m, pfn_t pfn, uint64_t shadow);

/* The LRU page at @pfn was activated: a nonresident page ages with it. */
void workingset_activation(struct machine *m, pfn_t pfn);

/* The node a shadow was taken on (what its workingset node counts on). */
int workingset_shadow_nid(uint64_t shadow);

/*
 * The shadow-node shrinker: drop shadow-only index nodes above the
 * share of memory they may take (half the excess per pass).
 */
void workingset_shrink_shadow_nodes(struct machine *m, int nid);

/* Whether a shadow is well formed (the checkpoint loader asks). */
int workingset_shadow_valid(const struct machine *m, uint64_t shadow);

#endif
