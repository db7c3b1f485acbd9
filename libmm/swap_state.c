// SPDX-License-Identifier: GPL-2.0
/*
 * Swap-in (mm/memory.c do_swap_page(), mm/swap_state.c): a fault on a
 * swap entry finds the page in the swap cache or reads it back from its
 * area, a major fault the task stalls on.  The page stays in the swap
 * cache, its slot a clean copy, until a write makes the copy stale or
 * swap runs short.
 *
 * A read also reads ahead (swapin_readahead()): the pages likely to be
 * wanted next go into the swap cache in the same I/O, unmapped and marked
 * PG_readahead, and the fault that finds one there is minor and counts
 * swap_ra_hit.  The window adapts: it starts small, grows with the hits
 * and shrinks by at most half at a time without them.
 *
 * The kernel reads ahead by virtual address (swap_vma_readahead(): the
 * swapped PTEs around the fault, in its VMA and page table) unless
 * /sys/kernel/mm/swap/vma_ra_enabled is false or a rotational area is on
 * (nr_rotate_swap); then by slot (swap_cluster_readahead(): the aligned
 * 1 << vm.page-cluster slots around the faulting one).  Every simulated
 * area is solid state, as swapon logs ("SS"), so a machine reads ahead
 * by VMA, the window capped at 1 << min(page-cluster, 5) pages and its
 * history kept in each VMA.  Cluster readahead, with its global history,
 * is here too for a machine whose vma_ra_enabled is false.
 *
 * Readahead pages are a guess: they are taken only while memory is above
 * the low watermarks and never reclaimed for, so a window that does not
 * fit just reads less.  The faulting task waits for its own page only.
 */
#include <errno.h>

#include "machine.h"
#include "memcontrol.h"
#include "mm_internal.h"
#include "page_alloc.h"
#include "psi.h"
#include "swap.h"
#include "vmstat.h"

/* What reading one page from a swap area stalls its task for (an SSD). */
#define SWAP_READ_NS 80000ULL

/*
 * A VMA's swap_readahead_info: the last fault's page address, above the
 * window (6 bits) and the hits since (6 bits), as the kernel packs it.
 */
#define SWAP_RA_WIN_SHIFT (PAGE_SHIFT / 2)
#define SWAP_RA_HITS_MASK ((1ULL << SWAP_RA_WIN_SHIFT) - 1)
#define SWAP_RA_HITS_MAX SWAP_RA_HITS_MASK
#define SWAP_RA_WIN_MASK (~PAGE_MASK & ~SWAP_RA_HITS_MASK)
/* VMA readahead never reads more than 1 << 5 pages, whatever page-cluster */
#define SWAP_RA_ORDER_CEILING 5

static uint64_t swap_ra_val(uint64_t addr, uint64_t win, uint64_t hits)
{
	return (addr & PAGE_MASK) |
	       ((win << SWAP_RA_WIN_SHIFT) & SWAP_RA_WIN_MASK) |
	       (hits & SWAP_RA_HITS_MASK);
}

static uint64_t swap_ra_win(uint64_t val)
{
	return (val & SWAP_RA_WIN_MASK) >> SWAP_RA_WIN_SHIFT;
}

static uint64_t swap_ra_hits(uint64_t val)
{
	return val & SWAP_RA_HITS_MASK;
}

/* A VMA that never faulted on swap has no history but the initial hits. */
static uint64_t vma_ra_val(const struct vm_area_struct *vma)
{
	return vma->swap_readahead_info ?: SWAP_RA_INITIAL_HITS;
}

/*
 * swap_use_vma_readahead(): by VMA unless vma_ra_enabled is false or a
 * rotational area is on.  No simulated area is rotational.
 */
static int swap_use_vma_readahead(const struct machine *m)
{
	return !m->swap.vma_ra_disabled;
}

/*
 * __swapin_nr_pages(): the next window, in pages.  Hits earn 2 pages
 * more than their number, rounded up to a power of two from 4; with no
 * hits, a fault next to the last one still reads 2 (it may be the start
 * of a sequential read) and any other reads 1.  Capped at @max_pages,
 * and never below half the last window, so one miss does not undo it.
 */
static uint64_t swapin_window(uint64_t prev, uint64_t cur, uint64_t hits,
			      uint64_t max_pages, uint64_t prev_win)
{
	uint64_t pages = hits + 2;

	if (!hits) {
		if (cur != prev + 1 && cur + 1 != prev)
			pages = 1;
	} else if (hits >= max_pages) {
		pages = max_pages; /* a power of two: what rounding up gives */
	} else {
		uint64_t pow = 4;

		while (pow < pages)
			pow <<= 1;
		pages = pow;
	}
	if (pages > max_pages)
		pages = max_pages;
	if (pages < prev_win / 2)
		pages = prev_win / 2;
	return pages;
}

/*
 * Whether a readahead page may be taken: some zone the allocation may
 * use is above its low watermark, so the allocator's first pass succeeds
 * there and never dips towards min (what the faults need) or wakes
 * reclaim for a guess.
 */
static int readahead_room(const struct machine *m)
{
	int nid, zi;

	for_each_online_node (nid, m) {
		for (zi = 0; zi <= ZONE_MOVABLE; zi++) {
			const struct zone *z =
				&NODE_DATA(m, nid)->node_zones[zi];

			if (managed_zone(z) &&
			    zone_watermark_ok(z, 0, low_wmark_pages(z),
					      ZONE_MOVABLE, ALLOC_WMARK_LOW))
				return 1;
		}
	}
	return 0;
}

/*
 * Read the slot @entry ahead for @mm, into a new page of the swap cache
 * marked PG_readahead, unless the slot is free or cached already: then
 * it is skipped.  @addr is where the page is mapped (0 when not known:
 * its first mapping says).  Part of the faulting page's I/O, so it does
 * not stall the task of its own.  -ENOMEM when memory is short: nothing
 * frees any during a window, so the rest of it is not read either.
 */
static int swap_readahead_page(struct machine *m, struct mm_struct *mm, int cpu,
			       swp_entry_t entry, uint64_t addr)
{
	struct alloc_context ac = {
		.preferred_nid = m->cpu_to_node[cpu],
		.highest_zoneidx = ZONE_MOVABLE,
		.migratetype = MIGRATE_MOVABLE,
		.alloc_flags = ALLOC_WMARK_LOW,
		.cpu = cpu,
	};
	struct page_use use = {.state = PAGE_ANON,
			       .owner = (uint32_t)mm->owner};
	const struct page *page;
	pfn_t pfn;

	if (!swap_count(m, entry) || swap_cache_lookup(m, entry) != PFN_NONE)
		return 0;
	/* charged to the slot's memcg, which is not reclaimed for a guess */
	use.memcg = mem_cgroup_swapin_memcg(m, entry);
	if (!readahead_room(m) || !mem_cgroup_has_room(use.memcg, 1) ||
	    alloc_pages(m, 0, &ac, &use, &pfn))
		return -ENOMEM;
	pfn_to_page(m, pfn)->index = addr >> PAGE_SHIFT;
	swap_cache_insert(m, entry, pfn);
	page = pfn_to_page(m, pfn);
	use.flags = page->flags | PG_readahead;
	set_page_use(m, pfn, &use);
	count_memcg_page_event(m, pfn, PSWPIN, 1);
	count_vm_event(m, SWAP_RA);
	return 0;
}

/*
 * swap_vma_ra_win(): the window of a fault at @addr, from where the
 * VMA's last swap fault was, its window and the hits since; the VMA then
 * remembers this fault, with no hits yet.  A fault just above the last
 * reads upwards from it, one just below reads downwards, any other reads
 * around it; the window stays within the VMA and @addr's page table.
 */
static uint64_t swap_vma_ra_win(const struct machine *m,
				struct vm_area_struct *vma, uint64_t addr,
				uint64_t *start, uint64_t *end)
{
	int64_t cluster = m->sysctl.page_cluster;
	uint64_t val, prev, win, left, right, pmd;

	if (cluster > SWAP_RA_ORDER_CEILING)
		cluster = SWAP_RA_ORDER_CEILING;
	if (!cluster)
		return 1;
	val = vma_ra_val(vma);
	prev = val & PAGE_MASK;
	win = swapin_window(prev >> PAGE_SHIFT, addr >> PAGE_SHIFT,
			    swap_ra_hits(val), 1ULL << cluster,
			    swap_ra_win(val));
	vma->swap_readahead_info = swap_ra_val(addr, win, 0);
	if (win == 1)
		return 1;
	if (addr == prev + PAGE_SIZE)
		left = addr;
	else if (prev == addr + PAGE_SIZE)
		left = addr + PAGE_SIZE - (win << PAGE_SHIFT);
	else
		left = addr - (((win - 1) / 2) << PAGE_SHIFT);
	right = left + (win << PAGE_SHIFT);
	if (left > addr) /* below address 0 */
		left = 0;
	pmd = addr & ~(PMD_SIZE - 1);
	*start = left > vma->vm_start ? left : vma->vm_start;
	if (*start < pmd)
		*start = pmd;
	*end = right < vma->vm_end ? right : vma->vm_end;
	if (*end > pmd + PMD_SIZE)
		*end = pmd + PMD_SIZE;
	return win;
}

/* swap_vma_readahead(): the swapped pages of the window, in @pt. */
static void swap_vma_readahead(struct machine *m, struct task_struct *t,
			       struct vm_area_struct *vma, struct pt_table *pt,
			       uint64_t addr)
{
	uint64_t start, end, a;

	if (swap_vma_ra_win(m, vma, addr, &start, &end) == 1)
		return;
	for (a = start; a < end; a += PAGE_SIZE) {
		uint64_t pte = pt->entry[pte_index(a)];

		if (a != addr && is_swap_pte(pte) &&
		    swap_readahead_page(m, t->mm, t->cpu, pte_to_swp_entry(pte),
					a))
			break;
	}
}

/*
 * swapin_nr_pages(): cluster readahead's window, from the hits since the
 * last one (taken: they count once) and the last window and fault.
 */
static uint64_t swapin_nr_pages(struct machine *m, uint64_t offset)
{
	int64_t cluster = m->sysctl.page_cluster;
	uint64_t hits, pages;

	if (!cluster)
		return 1;
	hits = (uint64_t)(m->swap.ra_hits + SWAP_RA_INITIAL_HITS);
	m->swap.ra_hits = -SWAP_RA_INITIAL_HITS;
	pages = swapin_window(m->swap.ra_prev_offset, offset, hits,
			      1ULL << cluster, m->swap.ra_last_pages);
	if (!hits)
		m->swap.ra_prev_offset = offset;
	m->swap.ra_last_pages = pages;
	return pages;
}

/*
 * swap_cluster_readahead(): the slots of the aligned block of the
 * window's size around @entry, in its area (neighbouring slots were
 * written together, and reading them costs no seek).
 */
static void swap_cluster_readahead(struct machine *m, struct task_struct *t,
				   swp_entry_t entry)
{
	const struct swap_info_struct *si = swap_info(m, (int)swp_type(entry));
	uint64_t offset = swp_offset(entry), mask, start, end, o;

	mask = swapin_nr_pages(m, offset) - 1;
	if (!mask)
		return;
	start = offset & ~mask;
	end = offset | mask;
	if (!start) /* the swap header */
		start = 1;
	if (end >= si->max)
		end = si->max - 1;
	for (o = start; o <= end; o++)
		if (o != offset &&
		    swap_readahead_page(m, t->mm, t->cpu,
					swp_entry(swp_type(entry), o), 0))
			break;
}

/* swapin_readahead(): around the fault at @addr, whose page was read. */
static void swapin_readahead(struct machine *m, struct task_struct *t,
			     struct vm_area_struct *vma, struct pt_table *pt,
			     uint64_t addr, swp_entry_t entry)
{
	if (swap_use_vma_readahead(m))
		swap_vma_readahead(m, t, vma, pt, addr & PAGE_MASK);
	else
		swap_cluster_readahead(m, t, entry);
}

/*
 * swap_update_readahead(): a fault at @addr found @pfn in the swap
 * cache.  If readahead put it there, that is a hit, counted once (the
 * mark goes), in the VMA's history or the global one.  The VMA's history
 * moves to this fault either way.
 */
static void swap_update_readahead(struct machine *m, struct vm_area_struct *vma,
				  uint64_t addr, pfn_t pfn)
{
	const struct page *page = pfn_to_page(m, pfn);
	int readahead = !!(page->flags & PG_readahead);
	int vma_ra = swap_use_vma_readahead(m);

	if (readahead) {
		struct page_use use = {.state = (enum page_state)page->state,
				       .flags = page->flags & ~PG_readahead,
				       .owner = page->owner};

		set_page_use(m, pfn, &use);
	}
	if (vma_ra) {
		uint64_t val = vma_ra_val(vma), hits = swap_ra_hits(val);

		if (readahead && hits < SWAP_RA_HITS_MAX)
			hits++;
		vma->swap_readahead_info =
			swap_ra_val(addr, swap_ra_win(val), hits);
	}
	if (readahead) {
		count_vm_event(m, SWAP_RA_HIT);
		if (!vma_ra)
			m->swap.ra_hits++;
	}
}

int do_swap_page(struct machine *m, struct task_struct *t,
		 struct vm_area_struct *vma, struct pt_table *pt,
		 uint64_t addr, uint64_t pte, unsigned int flags, int *major)
{
	swp_entry_t entry = pte_to_swp_entry(pte);
	struct mm_struct *mm = t->mm;
	const struct page *page;
	uint64_t newpte;
	int exclusive, rc;
	pfn_t pfn;

	if (!swap_count(m, entry))
		return -EFAULT; /* a stale entry: SIGBUS */
	pfn = swap_cache_lookup(m, entry);
	if (pfn != PFN_NONE)
		swap_update_readahead(m, vma, addr, pfn);
	if (pfn == PFN_NONE) {
		/* mem_cgroup_swapin_charge_folio(): the slot's memcg pays */
		struct mem_cgroup *memcg =
			set_active_memcg(m, mem_cgroup_swapin_memcg(m, entry));

		rc = alloc_anon_page(m, mm, vma, addr, t->cpu, &pfn);
		set_active_memcg(m, memcg);
		if (rc)
			return rc;
		/* swap_read_folio(): the slot's data is now a clean page */
		swap_cache_insert(m, entry, pfn);
		count_memcg_page_event(m, pfn, PSWPIN, 1);
		/* waiting for a page that was workingset is thrashing */
		if (pfn_to_page(m, pfn)->flags & PG_workingset)
			psi_memstall(m, SWAP_READ_NS);
		*major = 1;
		swapin_readahead(m, t, vma, pt, addr, entry);
	}
	page = pfn_to_page(m, pfn);
	/* a page read ahead by slot learns its address when first mapped */
	if (!page->mapcount)
		pfn_to_page(m, pfn)->index = addr >> PAGE_SHIFT;
	/* no one else names the slot or maps the page: it is ours alone */
	exclusive = swap_count(m, entry) == 1 && !page->mapcount;
	vma->has_anon = 1;
	page_add_rmap(m, mm, pfn);
	mm->rss_stat[MM_SWAPENTS]--;
	/* swap_free(): this entry's reference goes; the cache keeps its own */
	free_swap_and_cache(m, entry);
	newpte = mk_pte(pfn, vma->vm_flags);
	/*
	 * An exclusive page is mapped writable (a write fault dirties it
	 * and lets the stale slot go); a shared one is mapped read-only,
	 * and a write then copies it.
	 */
	if (exclusive && (vma->vm_flags & VM_WRITE)) {
		newpte |= _PAGE_RW;
		if ((flags & FAULT_FLAG_WRITE) && try_to_free_swap(m, pfn))
			newpte |= _PAGE_DIRTY;
	}
	/* should_try_to_free_swap(): swap running short keeps no copies */
	if ((pfn_to_page(m, pfn)->flags & PG_swapcache) &&
	    mem_cgroup_swap_full(m, pfn))
		try_to_free_swap(m, pfn);
	set_pte(pt, pte_index(addr), newpte);
	return 0;
}
