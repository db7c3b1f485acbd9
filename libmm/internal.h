/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the allocator shares with compaction and nobody else, as
 * mm/internal.h does in the kernel.
 */
#ifndef MMSIM_INTERNAL_H
#define MMSIM_INTERNAL_H

#include "mmzone.h"

struct machine;

/*
 * Take the free block at @pfn off its free list for use as migration
 * targets: its frames become order-0 pages that are neither free nor in
 * use until migrate_to() or release_isolated_page() says which.
 */
void isolate_free_block(struct machine *m, struct zone *zone, pfn_t pfn,
			unsigned int order);
/* Give an isolated target page that was not used back to the buddy lists. */
void release_isolated_page(struct machine *m, struct zone *zone, pfn_t pfn);
/* Move the order-0 block at @from to the isolated page @to and free @from. */
void migrate_to(struct machine *m, pfn_t from, pfn_t to);

#endif
