/* SPDX-License-Identifier: GPL-2.0 */
/* Page reclaim (mm/vmscan.c): kswapd, direct reclaim, the shrinkers. */
#ifndef MMSIM_VMSCAN_H
#define MMSIM_VMSCAN_H

#include <stdint.h>

struct machine;
struct lruvec;

/*
 * A safe point before an operation allocates on node @nid: below the low
 * watermark kswapd is woken (it runs at the next tick); below min the
 * operation reclaims itself until the low watermark (an allocation
 * stall).  0, or -ENOMEM when reclaim could not get there: the caller
 * may then invoke the OOM killer.
 */
int reclaim_before_alloc(struct machine *m, int nid);

struct mem_cgroup;

#define MIN_SWAPPINESS 0
#define MAX_SWAPPINESS 200
/* memory.reclaim's swappiness=max: reclaim anonymous memory only */
#define SWAPPINESS_ANON_ONLY (MAX_SWAPPINESS + 1)

/*
 * memory.reclaim (user_proactive_reclaim()): reclaim @nr pages from
 * @memcg's subtree in shrinking batches, with @swappiness (-1: the
 * sysctl's, or SWAPPINESS_ANON_ONLY), counted as proactive.  0, or
 * -EAGAIN when reclaim gave up short of @nr (what it got stays freed).
 */
int user_proactive_reclaim(struct machine *m, struct mem_cgroup *memcg,
			   uint64_t nr, int swappiness);

/*
 * try_to_free_mem_cgroup_pages(): reclaim from @memcg and the groups
 * below it on every node until @nr pages came back or nothing more
 * goes; the reclaiming task stalls on it.  Returns the pages reclaimed.
 */
uint64_t try_to_free_mem_cgroup_pages(struct machine *m,
				      struct mem_cgroup *memcg, uint64_t nr);

/* kswapd: each woken node reclaims until its zones are above high. */
void kswapd_run(struct machine *m);

/*
 * lru_note_cost(): reclaiming @file or anon pages of @lruvec cost @nr_io
 * pages of I/O and @nr_rotated pages put back; get_scan_count() weighs
 * the two kinds by it.
 */
void lru_note_cost(struct machine *m, struct lruvec *lruvec, int file,
		   uint64_t nr_io, uint64_t nr_rotated);

#endif
