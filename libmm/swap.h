/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Swap (include/linux/swap.h, swapops.h): swap areas and their slots,
 * swap entries in page tables, and the swap cache.
 *
 * A swap entry names a slot: the area's type (its index in swap_info)
 * and the slot's offset.  In a page table it is an entry without
 * _PAGE_PRESENT: the offset where a frame number would be and the type
 * in bits 1-5.  Offset 0 of every area holds the swap header, so an
 * entry is never 0.
 */
#ifndef MMSIM_SWAP_H
#define MMSIM_SWAP_H

#include <stddef.h>
#include <stdint.h>

#include "mm.h"
#include "mm_types.h"

struct machine;
struct seq_buf;

#define MAX_SWAPFILES 32
/* the swap partition a machine created with --swap boots with */
#define SWAP_BOOT_DEVICE "/dev/vdb"
#define SWAP_NAME_LEN 128
/* swp_offset() limit: page->private keeps a 5-bit type and 27-bit offset */
#define SWP_OFFSET_BITS 27
#define SWAP_MAX_PAGES (1ULL << SWP_OFFSET_BITS)
/* mkswap's minimum: the header and nine pages */
#define SWAP_MIN_PAGES 10
/* vm.page-cluster: swap readahead reads 1 << 3 slots around a fault */
#define SWAP_PAGE_CLUSTER 3

typedef uint32_t swp_entry_t;

static inline swp_entry_t swp_entry(unsigned int type, uint64_t offset)
{
	return ((swp_entry_t)type << SWP_OFFSET_BITS) | (swp_entry_t)offset;
}

static inline unsigned int swp_type(swp_entry_t entry)
{
	return entry >> SWP_OFFSET_BITS;
}

static inline uint64_t swp_offset(swp_entry_t entry)
{
	return entry & (SWAP_MAX_PAGES - 1);
}

/*
 * A shmem file's index names a page out in swap by its entry, as an
 * xarray value (swp_to_radix_entry()): tagged apart from the shadows of
 * evicted pages (workingset.h), whose low bit is set.
 */
static inline uint64_t swp_to_radix_entry(swp_entry_t entry)
{
	return ((uint64_t)entry << 2) | 2;
}

static inline int radix_is_swap(uint64_t value)
{
	return (value & 3) == 2;
}

static inline swp_entry_t radix_to_swp_entry(uint64_t value)
{
	return (swp_entry_t)(value >> 2);
}

static inline int is_swap_pte(uint64_t pte)
{
	return pte && !(pte & _PAGE_PRESENT);
}

static inline uint64_t swp_entry_to_pte(swp_entry_t entry)
{
	return (swp_offset(entry) << PAGE_SHIFT) |
	       ((uint64_t)swp_type(entry) << 1);
}

static inline swp_entry_t pte_to_swp_entry(uint64_t pte)
{
	return swp_entry((unsigned int)(pte >> 1) & (MAX_SWAPFILES - 1),
			 (pte & PTE_PFN_MASK) >> PAGE_SHIFT);
}

/* swap_info_struct flags */
#define SWP_USED 0x1 /* the slot in swap_info is taken */
#define SWP_WRITEOK 0x2 /* slots may be allocated (not being swapped off) */

/* Readahead histories start with 4 hits: the first window is 8 pages. */
#define SWAP_RA_INITIAL_HITS 4

/* swap_map: the references to a slot, and whether the cache holds it */
#define SWAP_HAS_CACHE 0x8000
#define SWAP_MAP_MAX 0x7fff

struct swap_info_struct {
	char name[SWAP_NAME_LEN];
	int prio;
	uint8_t flags;
	uint8_t partition; /* a block device, else a file */
	uint64_t max; /* slots, the header included */
	uint64_t pages; /* usable slots: max - 1 */
	uint64_t inuse_pages;
	uint64_t cluster_next; /* where the next allocation looks first */
	uint16_t *swap_map; /* per slot */
	pfn_t *swap_cache; /* per slot: the frame caching it, or PFN_NONE */
	/* per slot, once a page was evicted: its shadow (workingset.h) */
	uint64_t *shadow;
	uint16_t *swap_cgroup; /* per slot: its charge's memcg id */
};

/* The machine's swap areas. */
struct swap_state {
	struct swap_info_struct *info[MAX_SWAPFILES];
	int nr_swapfiles; /* one past the highest type in use */
	int least_priority; /* the last default priority handed out */
	int last_type; /* the area that gave the last slot */
	/*
	 * Swap readahead (swap_state.c).  /sys/kernel/mm/swap/vma_ra_enabled
	 * written false (it boots true) turns VMA readahead into cluster
	 * readahead.  Cluster readahead's state, global as in the kernel:
	 * swapin_readahead_hits less its boot value of 4 (so that a zeroed
	 * machine starts where the kernel does), the slot of the last fault
	 * that had no hits to go by, and the last window in pages.
	 */
	uint8_t vma_ra_disabled;
	int64_t ra_hits; /* + SWAP_RA_INITIAL_HITS: the kernel's count */
	uint64_t ra_prev_offset;
	uint64_t ra_last_pages;
};

/* Usable slots of all areas that take pages, and the free ones. */
uint64_t total_swap_pages(const struct machine *m);
uint64_t nr_free_swap_pages(const struct machine *m);

/*
 * swapon: a new area @name of @bytes, with priority @prio, or the next
 * default one (-2, -3, ...) when @has_prio is 0.  0, -EBUSY (the name is
 * in use), -EPERM (MAX_SWAPFILES areas), -EINVAL (too small or large:
 * @err says why), -ENOMEM.
 */
int swapon(struct machine *m, const char *name, uint64_t bytes, int prio,
	   int has_prio, struct seq_buf *err);

/*
 * swapoff: bring every page of area @name back into memory and remove
 * it.  -ENOENT when there is no such area, -ENOMEM (nothing changed)
 * when its pages would not fit in memory and the other areas.
 */
int swapoff(struct machine *m, const char *name, struct seq_buf *err);

/* The area of type @type, or NULL. */
const struct swap_info_struct *swap_info(const struct machine *m, int type);

/*
 * folio_alloc_swap() and add_to_swap_cache(): give the anonymous page at
 * @pfn a slot, charged to its memcg, and put it in the swap cache.
 * -ENOSPC when no area has a free slot, -ENOMEM when the charge would
 * pass a memory.swap.max.
 */
int add_to_swap(struct machine *m, pfn_t pfn);

/* The swap entry of a page in the swap cache. */
swp_entry_t page_swap_entry(const struct page *page);

/* A page table's new reference to @entry (fork, try_to_unmap). */
void swap_duplicate(struct machine *m, swp_entry_t entry);

/*
 * free_swap_and_cache(): a page table drops its reference to @entry; the
 * slot is freed when nothing else refers to it, with its cached page if
 * no one maps that.
 */
void free_swap_and_cache(struct machine *m, swp_entry_t entry);

/*
 * folio_free_swap(): the page at @pfn leaves the swap cache and its slot
 * is freed, if no page table refers to the slot any more.  1 if it did.
 */
int try_to_free_swap(struct machine *m, pfn_t pfn);

/*
 * delete_from_swap_cache() for reclaim: the page's slot keeps its data
 * and @shadow, and the page is freed.  The caller has unmapped it.
 */
void swap_cache_reclaim(struct machine *m, pfn_t pfn, uint64_t shadow);

/*
 * swap_read_folio() done: the new page @pfn caches the slot @entry, and
 * is activated if the slot's shadow says it was evicted recently.
 */
void swap_cache_insert(struct machine *m, swp_entry_t entry, pfn_t pfn);

/* Whether @entry names a slot of an area that exists. */
int swap_entry_valid(const struct machine *m, swp_entry_t entry);

/* delete_from_swap_cache(): the page at @pfn leaves the swap cache. */
void delete_from_swap_cache(struct machine *m, pfn_t pfn);

/*
 * shmem_writeout() and pageout(): the unmapped shmem page at @pfn gets a
 * slot charged to its memcg, which its file's index names from now on,
 * is written and freed.  0, -ENOSPC (no free slot, or the charge would
 * pass a memory.swap.max: reclaim keeps the page active), -ENOMEM.
 */
int shmem_swap_out(struct machine *m, pfn_t pfn);

/* The shadow left in slot @entry, or SHADOW_NONE. */
uint64_t swap_shadow(const struct machine *m, swp_entry_t entry);

/* Checkpoint loading: put a saved shadow back in slot @entry. */
int swap_restore_shadow(struct machine *m, swp_entry_t entry,
			uint64_t shadow);

/* The swap cache's page for @entry, or PFN_NONE. */
pfn_t swap_cache_lookup(const struct machine *m, swp_entry_t entry);

/* The page table references to @entry, without the cache's. */
unsigned int swap_count(const struct machine *m, swp_entry_t entry);

/* vm_swap_full(): more than half of all swap is in use. */
int vm_swap_full(const struct machine *m);

/*
 * do_swap_page(): the swap entry @pte at @addr of @t's @vma faulted.
 * Reads the page back (a major fault, *@major = 1) unless the swap cache
 * has it, and maps it.
 */
struct task_struct;
struct pt_table;
int do_swap_page(struct machine *m, struct task_struct *t,
		 struct vm_area_struct *vma, struct pt_table *pt,
		 uint64_t addr, uint64_t pte, unsigned int flags, int *major);

/* Compaction moved a swap cache page from @from to @to. */
void swap_cache_replace(struct machine *m, pfn_t from, pfn_t to);

/* The checkpoint loader's half: the areas, the cache, the counts. */
int swap_restore_area(struct machine *m, int type, const char *name,
		      uint64_t max, int prio, uint8_t partition);
int swap_restore_cache(struct machine *m, swp_entry_t entry, pfn_t pfn);
/* Count every page table's swap entries into the areas' maps. */
int swap_rebuild_counts(struct machine *m);

/*
 * The swap invariants: each slot's count equals the page-table entries
 * naming it, the swap cache and the pages agree, inuse_pages equals the
 * used slots and each mm's MM_SWAPENTS its entries.  0, or -EUCLEAN and
 * @why.
 */
int check_swap_accounting(const struct machine *m, char *why, size_t size);

void swap_free_all(struct machine *m);

#endif
