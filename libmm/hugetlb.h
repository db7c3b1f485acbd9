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
/* Of those, the ones nothing uses. */
uint64_t hugetlb_free_huge_pages(const struct machine *m, int nid);
/* Huge pages promised to mappings and not yet faulted in (HugePages_Rsvd). */
uint64_t hugetlb_resv_huge_pages(const struct machine *m);
/* Reserve @n huge pages: 0, or -ENOMEM when the pool cannot cover them. */
int hugetlb_reserve(struct machine *m, uint64_t n);
void hugetlb_unreserve(struct machine *m, uint64_t n);
/*
 * Take a free huge page for @owner (an inode), near node @nid; one
 * reserved earlier (@reserved) or one beyond the reservations.  0 and
 * *@pfn, or -ENOMEM.
 */
int alloc_hugetlb_page(struct machine *m, int nid, uint32_t owner,
		       int reserved, uint64_t *pfn);
/* A huge page goes back to the pool. */
void free_hugetlb_page(struct machine *m, uint64_t pfn);
/* Base pages held by the pool, for CommitLimit. */
uint64_t hugetlb_total_pages(const struct machine *m);

/*
 * Grow or shrink the pool towards @count huge pages, spreading them over
 * the nodes.  Like the kernel it may end short of a larger count when
 * memory is fragmented or low; that is not an error.
 */
void set_max_huge_pages(struct machine *m, uint64_t count);

#endif
