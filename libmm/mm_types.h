/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page frames.  Every frame of the simulated RAM is described by a
 * struct page, as in the kernel; the head page of a block (free in the
 * buddy lists, or allocated with some order) carries the block's state
 * and order, and the tail pages say nothing.
 */
#ifndef MMSIM_MM_TYPES_H
#define MMSIM_MM_TYPES_H

#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define MAX_PAGE_ORDER 10
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)
#define pageblock_order 9
#define pageblock_nr_pages (1UL << pageblock_order)
#define HPAGE_PMD_NR 512
/* sizeof(struct page) in the real kernel: what the memmap costs per frame. */
#define KERNEL_STRUCT_PAGE_SIZE 64

/* 32 bits of page frame number cover 16 TiB of physical address space. */
typedef uint32_t pfn_t;
#define PFN_NONE UINT32_MAX

/* What a block of frames is used for; stored on the block's head page. */
enum page_state {
	PAGE_HOLE, /* no RAM behind this frame number */
	PAGE_RESERVED, /* memblock-reserved at boot: never managed */
	PAGE_BUDDY, /* head of a free block on a buddy free list */
	PAGE_KERNEL, /* a kernel allocation made with alloc-pages */
	PAGE_SLAB, /* backs slab objects */
	PAGE_KSTACK, /* a task's kernel stack */
	PAGE_PGTABLE, /* a page-table page */
	PAGE_PERCPU, /* percpu chunks */
	PAGE_VMALLOC, /* vmalloc area backing */
	PAGE_ANON, /* anonymous memory of a process */
	PAGE_FILE, /* page cache of a file */
	PAGE_SHMEM, /* tmpfs / shared memory */
	PAGE_HUGETLB, /* a huge page of the hugetlb pool */
	PAGE_TAIL, /* not a block head: the head describes it */
	NR_PAGE_STATES
};

/* Per-page flags, meaningful on block heads only. */
enum page_flag_bits {
	PG_reclaimable = 1 << 0, /* slab page of a reclaimable cache */
	PG_active = 1 << 1, /* on an active LRU list */
	PG_dirty = 1 << 2,
	PG_writeback = 1 << 3,
	PG_mapped = 1 << 4, /* file page mapped by a process */
	PG_unevictable = 1 << 5,
	PG_mlocked = 1 << 6,
	PG_blockdev = 1 << 7, /* file page of a block device (Buffers) */
	/* an LRU page that was active before it went inactive (workingset.h) */
	PG_workingset = 1 << 8,
	/* put in the swap cache by readahead, not yet used by a fault */
	PG_readahead = 1 << 9,
	/* cache pages: referenced once since it went inactive */
	PG_referenced = PG_reclaimable,
	/* anonymous pages: in the swap cache (page->private is the entry) */
	PG_swapcache = PG_blockdev,
};

struct page {
	pfn_t next; /* free-list links of a PAGE_BUDDY head */
	pfn_t prev;
	uint8_t state : 4; /* enum page_state; valid on block heads */
	uint8_t migratetype : 4; /* free list a PAGE_BUDDY block is on */
	uint8_t order; /* block order; valid on block heads */
	uint16_t flags; /* enum page_flag_bits */
	uint32_t owner; /* handle, pid, inode or cache id of the holder */
	/*
	 * The page's offset in its file (page cache), or its virtual page
	 * number where it was first mapped (anonymous memory).
	 */
	uint64_t index;
	/* Page-table entries mapping this frame; frames are mapped one by one */
	int32_t mapcount;
	/* the swap entry of a page in the swap cache (swap.h) */
	uint32_t private;
};

/* The memmap is a struct page a frame: keep it small. */
_Static_assert(sizeof(struct page) == 32, "struct page grew");

const char *page_state_name(enum page_state state);

#endif
