/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Dirty page cache and its writeback (mm/page-writeback.c,
 * fs/fs-writeback.c): what dirties a page, what cleans it, and when.
 */
#ifndef MMSIM_WRITEBACK_H
#define MMSIM_WRITEBACK_H

#include <stdint.h>

#include "mm_types.h"

struct machine;

/* The simulated disk writes this much per second (the kernel's INIT_BW). */
#define WB_BANDWIDTH_PAGES (100ULL << (20 - PAGE_SHIFT))

/* global_dirty_limits(): background and throttling thresholds in pages. */
void global_dirty_limits(const struct machine *m, uint64_t *pbackground,
			 uint64_t *pdirty);

/* A page-cache page was written: dirty it and its inode (nr_dirtied). */
void folio_mark_dirty(struct machine *m, pfn_t pfn);

/*
 * After a write: past the dirty threshold the writer writes back the
 * oldest dirty pages itself until the setpoint between the thresholds.
 */
int balance_dirty_pages(struct machine *m);

/*
 * The flusher threads between now and @until: every
 * dirty_writeback_centisecs they write inodes dirty longer than
 * dirty_expire_centisecs, and the oldest ones while dirty memory is over
 * the background threshold, at the disk's bandwidth.
 */
void wb_do_writeback(struct machine *m, uint64_t until);

/* pageout(): write one dirty page of @inode now.  0 or -ENOMEM. */
struct inode;
int writeback_page(struct machine *m, struct inode *inode, pfn_t pfn);

/* sync(2): write every dirty page now.  0 or -ENOMEM. */
int sync_inodes(struct machine *m);

#endif
