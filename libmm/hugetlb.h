/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hugetlb pool of the default hstate (2 MiB pages), after
 * mm/hugetlb.c: huge pages taken from the buddy allocator when
 * vm.nr_hugepages grows and given back when it shrinks.
 */
#ifndef MMSIM_HUGETLB_H
#define MMSIM_HUGETLB_H

#include <stdint.h>

struct machine;

#define HUGETLB_ORDER 9

/* Huge pages in the pool on node @nid, or on all nodes for @nid < 0. */
uint64_t hugetlb_nr_huge_pages(const struct machine *m, int nid);
/* Of those, the ones no mapping uses (all of them, until hugetlb mappings). */
uint64_t hugetlb_free_huge_pages(const struct machine *m, int nid);
/* Base pages held by the pool, for CommitLimit. */
uint64_t hugetlb_total_pages(const struct machine *m);

/*
 * Grow or shrink the pool towards @count huge pages, spreading them over
 * the nodes.  Like the kernel it may end short of a larger count when
 * memory is fragmented or low; that is not an error.
 */
void set_max_huge_pages(struct machine *m, uint64_t count);

#endif
