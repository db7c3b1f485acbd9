/* SPDX-License-Identifier: GPL-2.0 */
/* Page reclaim (mm/vmscan.c): kswapd, direct reclaim, the shrinkers. */
#ifndef MMSIM_VMSCAN_H
#define MMSIM_VMSCAN_H

struct machine;

/*
 * A safe point before an operation allocates on node @nid: below the low
 * watermark kswapd is woken (it runs at the next tick); below min the
 * operation reclaims itself until the low watermark (an allocation
 * stall).  0, or -ENOMEM when reclaim could not get there: the caller
 * may then invoke the OOM killer.
 */
int reclaim_before_alloc(struct machine *m, int nid);

/* kswapd: each woken node reclaims until its zones are above high. */
void kswapd_run(struct machine *m);

#endif
