// SPDX-License-Identifier: GPL-2.0
/*
 * Page reclaim (mm/vmscan.c): kswapd and direct reclaim over the LRU
 * lists, and the shrinkers of the reclaimable slab caches.
 *
 * Reclaim takes blocks from the tail of a node's inactive list.  A page
 * that page tables have referenced since it was last looked at
 * (the accessed bits, found through the file's mappings) is activated if
 * it was referenced before, else given another round; an unreferenced
 * clean page is unmapped and dropped from its file; a dirty one is
 * written back first.  The active list is aged into the inactive one
 * when the inactive list is too small for the node, keeping referenced
 * executable pages active, as the kernel does.
 *
 * With swap, anonymous pages are reclaimed too: an unreferenced one gets
 * a slot and enters the swap cache, its PTEs become swap entries, it is
 * written (pswpout) unless a clean copy is already there, and freed.
 * How hard each kind is scanned is get_scan_count()'s balance of
 * swappiness against what reclaiming each has cost lately.  Shmem pages
 * are swap-backed too: unmapped, they go to a slot that their file's
 * index names until they are read back.
 *
 * An evicted page leaves a shadow (workingset.h); refaults that prove
 * the workingset is changing keep the active lists aging, where
 * otherwise plenty of inactive cache would be trimmed alone.
 *
 * kswapd runs during tick for each node that an allocation found below
 * its low watermark, until every zone is above its high watermark.  An
 * operation that finds a zone below its min watermark reclaims itself
 * before it allocates (direct reclaim, an allocation stall), at the safe
 * points where it holds no page it has not finished with.
 */
#include <errno.h>
#include <stdlib.h>

#include "filemap_internal.h"
#include "cgroup.h"
#include "machine.h"
#include "memcontrol.h"
#include "mm_internal.h"
#include "page_alloc.h"
#include "slab.h"
#include "swap.h"
#include "tlb.h"
#include "vmscan.h"
#include "vmstat.h"
#include "workingset.h"
#include "writeback.h"

#define DEF_PRIORITY 12
/* reclaim without progress this many times: give up (OOM, or EAGAIN) */
#define MAX_RECLAIM_RETRIES 16
/* the batch reclaim works in (SWAP_CLUSTER_MAX) */
#define SWAP_CLUSTER_MAX 32
/*
 * The most an operation allocates between two safe points: a fault's
 * readahead window and page tables, or a read's window and its xarray
 * nodes.  Direct reclaim keeps that much above the min watermark.
 */
#define SAFE_POINT_PAGES 64
/* a shrinker's seeks: what recreating an object costs (DEFAULT_SEEKS) */
#define DEFAULT_SEEKS 2

struct scan_control {
	uint64_t nr_to_reclaim;
	uint64_t nr_reclaimed;
	uint64_t nr_scanned;
	int priority;
	int kswapd; /* else direct reclaim */
	int proactive; /* memory.reclaim: counted apart from direct reclaim */
	int swappiness; /* -1: vm.swappiness; SWAPPINESS_ANON_ONLY */
	/* prepare_scan_control(): the node's state for get_scan_count() */
	int may_deactivate_anon, may_deactivate_file;
	int cache_trim_mode, file_is_tiny;
	uint64_t nr_pageout; /* pages written to swap */
	/* memcg reclaim: the group over its limit; NULL for global */
	struct mem_cgroup *target;
	/* the target's lists' costs on the node (prepare_scan_control()) */
	uint64_t anon_cost, file_cost;
	/*
	 * memory.low: groups below it were passed over (skipped), or this
	 * is the second round that reclaims them too (low_reclaim), after
	 * a first that could not reclaim enough without them.
	 */
	int memcg_low_reclaim, memcg_low_skipped;
};

/* A mapping of a file page found through the file's VMAs. */
struct file_mapping {
	struct mm_struct *mm;
	uint64_t addr;
	uint64_t *pte;
};

/*
 * rmap_walk_file(): every PTE that maps page @index of @inode at frame
 * @pfn, in the tasks' order.  Returns how many (at most @max).
 */
static int file_page_mappings(struct machine *m, const struct inode *inode,
			      uint64_t index, pfn_t pfn,
			      struct file_mapping *out, int max)
{
	int i, n = 0;
	uint32_t k;

	for (i = 0; i < m->nr_tasks && n < max; i++) {
		struct mm_struct *mm = m->tasks[i].mm;

		/* threads share their leader's mm: visit it once */
		if (!mm || mm->owner != m->tasks[i].pid)
			continue;
		for (k = 0; k < mm->nr_vmas && n < max; k++) {
			const struct vm_area_struct *vma = &mm->vmas[k];
			uint64_t pages =
				(vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
			unsigned int shift;
			uint64_t addr, *pte;

			if (vma->ino != inode->ino || index < vma->vm_pgoff ||
			    index - vma->vm_pgoff >= pages)
				continue;
			addr = vma->vm_start +
			       ((index - vma->vm_pgoff) << PAGE_SHIFT);
			pte = pte_slot(mm, addr, &shift);
			if (!pte || !(*pte & _PAGE_PRESENT) ||
			    shift != PAGE_SHIFT ||
			    pte_pfn(*pte) != pfn)
				continue;
			out[n].mm = mm;
			out[n].addr = addr;
			out[n++].pte = pte;
		}
	}
	return n;
}

/*
 * rmap_walk_anon(): every PTE that maps anonymous page @pfn.  fork keeps
 * addresses, so each mapping is at the address the page was first
 * mapped at; the walk stops once it has found the page's mapcount.
 */
static int anon_page_mappings(struct machine *m, pfn_t pfn,
			      struct file_mapping *out, int max)
{
	const struct page *page = pfn_to_page(m, pfn);
	uint64_t addr = page->index << PAGE_SHIFT;
	int i, n = 0;

	for (i = 0; i < m->nr_tasks && n < max && n < page->mapcount; i++) {
		struct mm_struct *mm = m->tasks[i].mm;
		unsigned int shift;
		uint64_t *pte;

		if (!mm || mm->owner != m->tasks[i].pid)
			continue;
		pte = pte_slot(mm, addr, &shift);
		if (!pte || !(*pte & _PAGE_PRESENT) || shift != PAGE_SHIFT ||
		    pte_pfn(*pte) != pfn)
			continue;
		out[n].mm = mm;
		out[n].addr = addr;
		out[n++].pte = pte;
	}
	return n;
}

/* rmap_walk(): the mappings of an anonymous or a file page. */
static int page_mappings(struct machine *m, pfn_t pfn,
			 struct file_mapping *out, int max)
{
	const struct page *page = pfn_to_page(m, pfn);
	const struct inode *inode;

	if (page->state == PAGE_ANON)
		return anon_page_mappings(m, pfn, out, max);
	inode = inode_get(m, page->owner);
	if (!inode)
		return 0;
	return file_page_mappings(m, inode, page->index, pfn, out, max);
}

#define MAX_MAPPINGS 256

/*
 * folio_referenced(): how many PTEs have used the page since the last
 * look, clearing their accessed bits; *@exec says one maps it executable.
 */
static int page_referenced(struct machine *m, pfn_t pfn, int *exec)
{
	const struct page *page = pfn_to_page(m, pfn);
	struct file_mapping *maps;
	int i, n, referenced = 0;

	*exec = 0;
	if (!page->mapcount)
		return 0;
	maps = malloc(MAX_MAPPINGS * sizeof(*maps));
	if (!maps)
		return 1; /* cannot look: treat it as used */
	n = page_mappings(m, pfn, maps, MAX_MAPPINGS);
	for (i = 0; i < n; i++) {
		const struct vm_area_struct *vma =
			find_vma(maps[i].mm, maps[i].addr);

		if (!(*maps[i].pte & _PAGE_ACCESSED))
			continue;
		*maps[i].pte &= ~_PAGE_ACCESSED;
		referenced++;
		if (vma && (vma->vm_flags & VM_EXEC))
			*exec = 1;
	}
	free(maps);
	return referenced;
}

/*
 * try_to_unmap(): take the page out of every page table.  A dirty PTE
 * hands its dirt to the page; an anonymous page, in the swap cache by
 * now, leaves its swap entry in each PTE.  0 or -ENOMEM.
 */
static int try_to_unmap(struct machine *m, pfn_t pfn)
{
	const struct page *page = pfn_to_page(m, pfn);
	int anon = page->state == PAGE_ANON;
	swp_entry_t entry = page->private;
	struct file_mapping *maps;
	int i, n;

	if (!page->mapcount)
		return 0;
	maps = malloc(MAX_MAPPINGS * sizeof(*maps));
	if (!maps)
		return -ENOMEM;
	do {
		n = page_mappings(m, pfn, maps, MAX_MAPPINGS);
		for (i = 0; i < n; i++) {
			struct file_mapping *map = &maps[i];
			uint64_t pte = 0;

			if ((*map->pte & _PAGE_DIRTY) && anon)
				set_page_flags(m, pfn, page->flags | PG_dirty);
			else if (*map->pte & _PAGE_DIRTY)
				folio_mark_dirty(m, pfn);
			if (anon) {
				swap_duplicate(m, entry);
				map->mm->rss_stat[MM_SWAPENTS]++;
				pte = swp_entry_to_pte(entry);
			}
			set_pte(pte_table(map->mm, map->addr),
				pte_index(map->addr), pte);
			page_remove_rmap(m, map->mm, pfn);
			flush_tlb_mm_range(m, map->mm, map->addr,
					   map->addr + PAGE_SIZE, PAGE_SHIFT, 0);
		}
	} while (n == MAX_MAPPINGS);
	free(maps);
	return 0;
}

/*
 * folio_check_references(): 1 if the page was used since the last look
 * and stays (activated when used twice, or code; else given one more
 * round), 0 if it may go.
 */
static int page_check_references(struct machine *m, pfn_t pfn)
{
	const struct page *page = pfn_to_page(m, pfn);
	int exec, referenced_ptes = page_referenced(m, pfn, &exec);
	int referenced_page = !!(page->flags & PG_referenced);

	if (!referenced_ptes)
		return 0;
	if (referenced_page || referenced_ptes > 1 ||
	    (exec && page->state == PAGE_FILE)) {
		set_page_flags(m, pfn, (page->flags & ~PG_referenced) | PG_active);
		count_memcg_page_event(m, pfn, PGACTIVATE, 1);
		workingset_activation(m, pfn);
	} else {
		set_page_flags(m, pfn, page->flags | PG_referenced);
		lru_rotate(m, pfn);
	}
	return 1;
}

/* shrink_folio_list() for a page cache page: 1 if it was reclaimed. */
static int shrink_file_page(struct machine *m, pfn_t pfn,
			    struct scan_control *sc)
{
	const struct page *page = pfn_to_page(m, pfn);
	struct inode *inode;

	(void)sc;
	if (try_to_unmap(m, pfn))
		return 0;
	inode = inode_mut(m, page->owner);
	if (page->flags & PG_dirty) {
		/* pageout(): the flusher writes it, then it can go */
		if (!inode || writeback_page(m, inode, pfn))
			return 0;
		count_vm_event(m, PGROTATED);
	}
	filemap_evict_page(m, pfn);
	return 1;
}

/*
 * A transparent huge page is swapped as 512 small ones: split it in
 * every process that maps it (THP_SWPOUT_FALLBACK).  0, or -EAGAIN if
 * nothing maps it at its address.
 */
static int split_anon_thp(struct machine *m, pfn_t pfn)
{
	uint64_t haddr = pfn_to_page(m, pfn)->index << PAGE_SHIFT;
	int i;

	for (i = 0; i < m->nr_tasks; i++) {
		struct mm_struct *mm = m->tasks[i].mm;
		unsigned int shift;
		uint64_t pmd;

		if (!mm)
			continue;
		pmd = lookup_pte(mm, haddr, &shift);
		if (shift == PMD_SHIFT && (pmd & _PAGE_PRESENT) &&
		    pte_pfn(pmd) == pfn) {
			split_huge_page_address(m, mm, haddr);
			count_vm_event(m, THP_SWPOUT_FALLBACK);
			return 0;
		}
	}
	return -EAGAIN;
}

/* shrink_folio_list() for an anonymous page: 1 if it was swapped out. */
static int shrink_anon_page(struct machine *m, pfn_t pfn,
			    struct scan_control *sc)
{
	const struct page *page = pfn_to_page(m, pfn);

	(void)sc;
	if (page->order && split_anon_thp(m, pfn))
		return 0;
	if (page_check_references(m, pfn))
		return 0;
	if (!(page->flags & PG_swapcache) && add_to_swap(m, pfn)) {
		/* no slot anywhere: keep it where reclaim will not look */
		set_page_flags(m, pfn, page->flags | PG_active);
		count_memcg_page_event(m, pfn, PGACTIVATE, 1);
		workingset_activation(m, pfn);
		return 0;
	}
	if (try_to_unmap(m, pfn))
		return 0;
	if (page->flags & PG_dirty) {
		/* pageout(): swap_writepage(), done at once */
		count_memcg_page_event(m, pfn, PSWPOUT, 1);
		sc->nr_pageout++;
	}
	swap_cache_reclaim(m, pfn, workingset_eviction(m, pfn));
	return 1;
}

/*
 * shrink_folio_list() for a shmem page: unmapped like a file page, then
 * written to a slot its file's index keeps (shmem_writeout()).
 */
static int shrink_shmem_page(struct machine *m, pfn_t pfn,
			     struct scan_control *sc)
{
	const struct page *page = pfn_to_page(m, pfn);
	int rc;

	if (page->order)
		return 0; /* huge shmem pages are not simulated as such */
	if (page_check_references(m, pfn))
		return 0;
	if (try_to_unmap(m, pfn))
		return 0;
	rc = shmem_swap_out(m, pfn);
	if (rc) {
		if (rc == -ENOSPC) {
			set_page_flags(m, pfn, page->flags | PG_active);
			count_memcg_page_event(m, pfn, PGACTIVATE, 1);
			workingset_activation(m, pfn);
		}
		return 0;
	}
	sc->nr_pageout++;
	return 1;
}

static int shrink_page(struct machine *m, pfn_t pfn, struct scan_control *sc)
{
	switch (pfn_to_page(m, pfn)->state) {
	case PAGE_FILE:
		return shrink_file_page(m, pfn, sc);
	case PAGE_ANON:
		return shrink_anon_page(m, pfn, sc);
	case PAGE_SHMEM:
		return shrink_shmem_page(m, pfn, sc);
	default:
		return 0;
	}
}

/* The evictable pages on @lruvec's lists. */
static uint64_t lruvec_size(const struct lruvec *lruvec)
{
	return lruvec->nr_pages[LRU_INACTIVE_ANON] +
	       lruvec->nr_pages[LRU_ACTIVE_ANON] +
	       lruvec->nr_pages[LRU_INACTIVE_FILE] +
	       lruvec->nr_pages[LRU_ACTIVE_FILE];
}

/* The memcg whose lists these are: the root's for the node's own. */
static struct mem_cgroup *lruvec_memcg(const struct machine *m,
				       const struct lruvec *lruvec)
{
	return lruvec->memcg ?: root_mem_cgroup(m);
}

/* An event of reclaim, counted for the node and for the lists' memcg. */
static void count_lruvec_events(struct machine *m, struct lruvec *lruvec,
				enum vm_event_item item, uint64_t nr)
{
	count_vm_events(m, item, nr);
	lruvec_memcg(m, lruvec)->events[item] += nr;
}

/*
 * What reclaiming a kind cost (its I/O, weighted, and the pages it had
 * to put back) steers get_scan_count(); the costs decay as the lists
 * turn over, and are noted on the lists of every ancestor too.
 */
void lru_note_cost(struct machine *m, struct lruvec *lruvec, int file,
		   uint64_t nr_io, uint64_t nr_rotated)
{
	uint64_t cost = nr_io * SWAP_CLUSTER_MAX + nr_rotated;
	struct mem_cgroup *memcg;

	for (;;) {
		uint64_t lrusize = lruvec_size(lruvec);

		if (file)
			lruvec->file_cost += cost;
		else
			lruvec->anon_cost += cost;
		if (lruvec->anon_cost + lruvec->file_cost > lrusize / 4) {
			lruvec->anon_cost /= 2;
			lruvec->file_cost /= 2;
		}
		if (!lruvec->memcg)
			break;
		memcg = parent_mem_cgroup(lruvec->memcg);
		lruvec = mem_cgroup_lruvec(m, memcg, lruvec->nid);
	}
}

static void shrink_inactive_list(struct machine *m, struct lruvec *lruvec,
				 int lru, uint64_t nr_to_scan,
				 struct scan_control *sc)
{
	struct lru_head *l = &lruvec->lists[lru];
	int file = lru == LRU_INACTIVE_FILE;
	uint64_t scanned = 0, reclaimed = 0, pageout = sc->nr_pageout;

	while (scanned < nr_to_scan && l->tail != PFN_NONE &&
	       sc->nr_reclaimed + reclaimed < sc->nr_to_reclaim) {
		pfn_t pfn = l->tail;

		scanned++;
		/* a page that stays goes to the head: the next is looked at */
		if (shrink_page(m, pfn, sc))
			reclaimed++;
		else if (l->tail == pfn)
			lru_rotate(m, pfn);
	}
	sc->nr_scanned += scanned;
	sc->nr_reclaimed += reclaimed;
	lru_note_cost(m, lruvec, file, sc->nr_pageout - pageout,
		      scanned - reclaimed);
	count_lruvec_events(m, lruvec,
			    sc->kswapd      ? PGSCAN_KSWAPD
			    : sc->proactive ? PGSCAN_PROACTIVE
					    : PGSCAN_DIRECT,
			    scanned);
	count_lruvec_events(m, lruvec,
			    sc->kswapd      ? PGSTEAL_KSWAPD
			    : sc->proactive ? PGSTEAL_PROACTIVE
					    : PGSTEAL_DIRECT,
			    reclaimed);
	count_lruvec_events(m, lruvec, file ? PGSCAN_FILE : PGSCAN_ANON,
			    scanned);
	count_lruvec_events(m, lruvec, file ? PGSTEAL_FILE : PGSTEAL_ANON,
			    reclaimed);
}

/*
 * shrink_active_list(): age @nr_to_scan pages from the active tail into
 * the inactive list, marked as having been workingset; executable file
 * pages in use stay active.
 */
static void shrink_active_list(struct machine *m, struct lruvec *lruvec,
			       int lru, uint64_t nr_to_scan)
{
	struct lru_head *l = &lruvec->lists[lru];
	uint64_t scanned = 0, deactivated = 0;

	while (scanned < nr_to_scan && l->tail != PFN_NONE) {
		pfn_t pfn = l->tail;
		const struct page *page = pfn_to_page(m, pfn);
		int exec;

		scanned++;
		if (page_referenced(m, pfn, &exec) && exec &&
		    lru == LRU_ACTIVE_FILE) {
			lru_rotate(m, pfn);
			workingset_activation(m, pfn);
			continue;
		}
		set_page_flags(m, pfn,
			       (page->flags & ~(PG_active | PG_referenced)) |
				       PG_workingset);
		deactivated++;
	}
	count_lruvec_events(m, lruvec, PGREFILL, scanned);
	count_lruvec_events(m, lruvec, PGDEACTIVATE, deactivated);
}

static uint64_t int_sqrt(uint64_t x)
{
	uint64_t r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

/*
 * inactive_is_low(): the inactive list of a kind should be active/ratio
 * or more, the ratio growing with the square root of the lists' size.
 */
static int inactive_ratio_low(uint64_t inactive, uint64_t active)
{
	uint64_t gb = (inactive + active) >> (30 - PAGE_SHIFT);
	uint64_t ratio = gb ? int_sqrt(10 * gb) : 1;

	return inactive * ratio < active;
}

static int inactive_is_low(const struct lruvec *lruvec, int inactive_lru)
{
	return inactive_ratio_low(lruvec->nr_pages[inactive_lru],
				  lruvec->nr_pages[inactive_lru + 1]);
}

/*
 * Reclaim's target on the node: the node's lists for global reclaim,
 * the target memcg's subtree for memcg reclaim.
 */
static int target_inactive_is_low(const struct machine *m,
				  const pg_data_t *pgdat,
				  const struct scan_control *sc,
				  int inactive_lru)
{
	enum node_stat_item item = NR_INACTIVE_ANON + inactive_lru;
	int nid = pgdat->node_id;

	return inactive_ratio_low(
		mem_cgroup_node_page_state(m, sc->target, nid, item),
		mem_cgroup_node_page_state(m, sc->target, nid, item + 1));
}

/*
 * can_reclaim_anon_pages(): a swap slot is free somewhere, and the
 * lists' memcg and its ancestors have room under memory.swap.max.
 */
static int can_reclaim_anon_pages(const struct machine *m,
				  const struct lruvec *lruvec)
{
	return mem_cgroup_get_nr_swap_pages(m, lruvec_memcg(m, lruvec)) > 0;
}

/* prepare_scan_control(): what the node's lists say before a pass. */
static void prepare_scan_control(const struct machine *m,
				 const pg_data_t *pgdat,
				 struct scan_control *sc)
{
	int nid = pgdat->node_id;
	const struct lruvec *target = mem_cgroup_lruvec(m, sc->target, nid);
	uint64_t file =
		mem_cgroup_node_page_state(m, sc->target, nid,
					   NR_INACTIVE_FILE) +
		mem_cgroup_node_page_state(m, sc->target, nid, NR_ACTIVE_FILE);
	uint64_t free = 0, high = 0;
	int zi;

	sc->anon_cost = target->anon_cost;
	sc->file_cost = target->file_cost;
	/*
	 * Refaults since the last pass mean a new workingset is moving in:
	 * age the active list of that kind so the stale one makes room.
	 */
	sc->may_deactivate_anon =
		(uint64_t)pgdat->vm_stat[WORKINGSET_ACTIVATE_ANON] !=
			pgdat->refaults[0] ||
		target_inactive_is_low(m, pgdat, sc, LRU_INACTIVE_ANON);
	sc->may_deactivate_file =
		(uint64_t)pgdat->vm_stat[WORKINGSET_ACTIVATE_FILE] !=
			pgdat->refaults[1] ||
		target_inactive_is_low(m, pgdat, sc, LRU_INACTIVE_FILE);
	/* plenty of inactive cache and no sign of thrashing: trim only it */
	sc->cache_trim_mode = (mem_cgroup_node_page_state(m, sc->target, nid,
							  NR_INACTIVE_FILE) >>
			       sc->priority) &&
			      !sc->may_deactivate_file;
	for (zi = 0; zi < pgdat->nr_zones; zi++) {
		const struct zone *z = &pgdat->node_zones[zi];

		free += (uint64_t)z->vm_stat[NR_FREE_PAGES];
		high += high_wmark_pages(z);
	}
	/* almost out of file pages: anon has to give */
	sc->file_is_tiny = !sc->target && file + free <= high &&
			   !sc->may_deactivate_anon &&
			   (mem_cgroup_node_page_state(m, sc->target, nid,
						       NR_INACTIVE_ANON) >>
			    sc->priority);
}

enum scan_balance { SCAN_EQUAL, SCAN_FRACT, SCAN_ANON, SCAN_FILE };

/*
 * get_scan_count(): how many pages of each evictable list to scan at
 * this priority.  Without free swap only the file lists; near OOM both
 * alike; otherwise in proportion to swappiness over the recent cost of
 * each kind (swappiness 100: anon and file I/O cost the same).
 */
/*
 * apply_proportional_protection(): a protected group's lists are
 * scanned less, by the share of its usage that its protection covers
 * (memory.low only while the low groups are being spared), and never to
 * nothing, so that reclaim moves on before the priority drops too far.
 */
static uint64_t protected_scan(const struct mem_cgroup *memcg,
			       uint64_t lru_size, struct scan_control *sc)
{
	uint64_t min, low, protection, size;

	mem_cgroup_protection(sc->target, memcg, &min, &low);
	if (!min && !low)
		return lru_size;
	if (!sc->memcg_low_reclaim && low > min) {
		protection = low;
		sc->memcg_low_skipped = 1;
	} else {
		protection = min;
	}
	size = memcg->memory.usage > protection ? memcg->memory.usage
						: protection;
	lru_size -= (uint64_t)((unsigned __int128)lru_size * protection /
			       (size + 1));
	return lru_size > SWAP_CLUSTER_MAX ? lru_size : SWAP_CLUSTER_MAX;
}

static void get_scan_count(const struct machine *m,
			   const struct lruvec *lruvec, struct scan_control *sc,
			   uint64_t nr[NR_LRU_LISTS])
{
	uint64_t swappiness = sc->swappiness >= 0
				      ? (uint64_t)sc->swappiness
				      : (uint64_t)m->sysctl.swappiness;
	uint64_t fraction[2] = {0, 0}, denominator = 0;
	enum scan_balance balance;
	int lru;

	if (!can_reclaim_anon_pages(m, lruvec))
		balance = SCAN_FILE;
	/* a group's reclaim never swaps at swappiness 0, global one may */
	else if (sc->target && !swappiness)
		balance = SCAN_FILE;
	else if (swappiness == SWAPPINESS_ANON_ONLY)
		balance = SCAN_ANON;
	else if (!sc->priority && swappiness)
		balance = SCAN_EQUAL;
	else if (sc->file_is_tiny)
		balance = SCAN_ANON;
	else if (sc->cache_trim_mode)
		balance = SCAN_FILE;
	else
		balance = SCAN_FRACT;
	if (balance == SCAN_FRACT) {
		uint64_t total = sc->anon_cost + sc->file_cost;
		uint64_t anon_cost = total + sc->anon_cost;
		uint64_t file_cost = total + sc->file_cost;

		total = anon_cost + file_cost;
		fraction[0] = swappiness * (total + 1) / (anon_cost + 1);
		fraction[1] = (MAX_SWAPPINESS - swappiness) * (total + 1) /
			      (file_cost + 1);
		denominator = fraction[0] + fraction[1];
	}
	for (lru = 0; lru < LRU_UNEVICTABLE; lru++) {
		int file = lru >= LRU_INACTIVE_FILE;
		uint64_t scan = protected_scan(lruvec_memcg(m, lruvec),
					       lruvec->nr_pages[lru], sc) >>
				sc->priority;

		switch (balance) {
		case SCAN_EQUAL:
			break;
		case SCAN_FRACT:
			scan = denominator ? (scan * fraction[file] +
					      denominator - 1) / denominator
					   : 0;
			break;
		case SCAN_FILE:
		case SCAN_ANON:
			if ((balance == SCAN_FILE) != file)
				scan = 0;
			break;
		}
		nr[lru] = scan;
	}
}

/*
 * shrink_slab(): each reclaimable cache gives up a share of its unused
 * objects that grows as the priority drops.
 */
static void shrink_slab(struct machine *m, int nid, int priority)
{
	int id;

	workingset_shrink_shadow_nodes(m, nid);
	for (id = 0; id < NR_KMEM_CACHES; id++) {
		const struct kmem_cache *c;
		uint64_t freeable;

		if (!kmem_cache_listed(id) || !kmem_cache_reclaimable(id))
			continue;
		c = kmem_cache_state(m, id);
		freeable = c->boot_unused + c->manual;
		if (freeable)
			slab_shrink(m, id,
				    ((freeable >> priority) * 4 / DEFAULT_SEEKS)
					    ?: 1);
	}
}

/* shrink_lruvec(): scan a memcg's lists in batches until enough came back. */
static void shrink_lruvec(struct machine *m, struct lruvec *lruvec,
			  struct scan_control *sc)
{
	uint64_t nr[NR_LRU_LISTS];
	int lru;

	get_scan_count(m, lruvec, sc, nr);
	while ((nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] ||
		nr[LRU_INACTIVE_FILE]) &&
	       sc->nr_reclaimed < sc->nr_to_reclaim) {
		for (lru = 0; lru < LRU_UNEVICTABLE; lru++) {
			uint64_t batch = nr[lru] < SWAP_CLUSTER_MAX
						 ? nr[lru]
						 : SWAP_CLUSTER_MAX;

			if (!batch)
				continue;
			nr[lru] -= batch;
			if (lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE) {
				/* shrink_list(): age only a list grown too big */
				if (lru == LRU_ACTIVE_ANON
					    ? sc->may_deactivate_anon
					    : sc->may_deactivate_file)
					shrink_active_list(m, lruvec, lru,
							   batch);
				continue;
			}
			shrink_inactive_list(m, lruvec, lru, batch, sc);
		}
	}
	/* keep the inactive anon list fed for the next pass */
	if (can_reclaim_anon_pages(m, lruvec) &&
	    inactive_is_low(lruvec, LRU_INACTIVE_ANON))
		shrink_active_list(m, lruvec, LRU_ACTIVE_ANON,
				   SWAP_CLUSTER_MAX);
}

/*
 * shrink_node_memcgs(): the lists of every memcg at and below the
 * target, parents first, each scanned in proportion to its size less
 * its protection; then the shrinkers.  A group within its memory.min is
 * left alone; one within its memory.low too, unless this is the round
 * after one that found nothing else to reclaim (a "low" event).
 */
static void shrink_node(struct machine *m, pg_data_t *pgdat,
			struct scan_control *sc)
{
	struct cgroup *root = sc->target ? sc->target->cgroup : &m->cgrp_root;
	struct cgroup *pos;

	prepare_scan_control(m, pgdat, sc);
	cgroup_for_each_descendant_pre (pos, root) {
		if (!pos->memcg)
			continue;
		mem_cgroup_calculate_protection(sc->target, pos->memcg);
		if (mem_cgroup_below_min(sc->target, pos->memcg))
			continue;
		if (mem_cgroup_below_low(sc->target, pos->memcg)) {
			if (!sc->memcg_low_reclaim) {
				sc->memcg_low_skipped = 1;
				continue;
			}
			memcg_memory_event(pos->memcg, MEMCG_LOW);
		}
		shrink_lruvec(m, mem_cgroup_lruvec(m, pos->memcg,
						   pgdat->node_id),
			      sc);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
	/* the root's reclaim, global or memory.reclaim, takes slab too */
	if (!sc->target || !sc->target->cgroup->parent)
		shrink_slab(m, pgdat->node_id, sc->priority);
}

/*
 * pgdat_balanced(): 0 when some zone could serve a user allocation of
 * @extra pages above its @which watermark (lowmem reserves counted),
 * else the fewest pages a zone lacks for it.
 */
static uint64_t node_shortfall(const pg_data_t *pgdat,
			       enum zone_watermarks which, uint64_t extra)
{
	enum zone_type highest = (enum zone_type)(pgdat->nr_zones - 1);
	uint64_t least = UINT64_MAX;
	int zi;

	for (zi = 0; zi < pgdat->nr_zones; zi++) {
		const struct zone *z = &pgdat->node_zones[zi];
		uint64_t mark =
			z->watermark[which] + z->watermark_boost + extra;
		uint64_t free = (uint64_t)z->vm_stat[NR_FREE_PAGES];
		uint64_t need = mark + z->lowmem_reserve[highest];

		if (!managed_zone(z))
			continue;
		if (zone_watermark_ok(z, 0, mark, highest, ALLOC_WMARK_LOW))
			return 0;
		/* the watermark wants more than @need: one page past it */
		if (need >= free && need - free + 1 < least)
			least = need - free + 1;
	}
	return least == UINT64_MAX ? 0 : least;
}

/*
 * A pass that fell short while it spared groups within memory.low goes
 * round once more taking from them too, before anything is OOM-killed.
 */
static int retry_memcg_low(struct scan_control *sc)
{
	if (!sc->memcg_low_skipped || sc->memcg_low_reclaim)
		return 0;
	sc->memcg_low_reclaim = 1;
	sc->memcg_low_skipped = 0;
	return 1;
}

/* Reclaim on @pgdat until its zones reach @which or nothing more goes. */
static uint64_t reclaim_node(struct machine *m, pg_data_t *pgdat,
			     enum zone_watermarks which, uint64_t extra,
			     int kswapd)
{
	struct scan_control sc = {.kswapd = kswapd, .swappiness = -1};
	uint64_t want;

retry:
	for (sc.priority = DEF_PRIORITY; sc.priority >= 0; sc.priority--) {
		want = node_shortfall(pgdat, which, extra);
		if (!want)
			break;
		sc.nr_reclaimed = 0;
		sc.nr_to_reclaim =
			want > SWAP_CLUSTER_MAX ? want : SWAP_CLUSTER_MAX;
		shrink_node(m, pgdat, &sc);
		/* progress: try again at the same priority */
		if (sc.nr_reclaimed >= sc.nr_to_reclaim)
			sc.priority++;
	}
	if (retry_memcg_low(&sc) && node_shortfall(pgdat, which, extra))
		goto retry;
	/* snapshot_refaults(): the next pass sees only newer refaults */
	pgdat->refaults[0] = (uint64_t)pgdat->vm_stat[WORKINGSET_ACTIVATE_ANON];
	pgdat->refaults[1] = (uint64_t)pgdat->vm_stat[WORKINGSET_ACTIVATE_FILE];
	return node_shortfall(pgdat, which, extra);
}

void kswapd_run(struct machine *m)
{
	int nid;

	for_each_online_node (nid, m) {
		pg_data_t *pgdat = NODE_DATA(m, nid);

		if (!pgdat->kswapd_wake && !node_shortfall(pgdat, WMARK_LOW, 0))
			continue;
		pgdat->kswapd_wake = 0;
		count_vm_event(m, PAGEOUTRUN);
		reclaim_node(m, pgdat, WMARK_HIGH, 0, 1);
	}
}

int reclaim_before_alloc(struct machine *m, int nid)
{
	pg_data_t *pgdat = NODE_DATA(m, nid);
	uint64_t scanned = m->vm_events[PGSCAN_DIRECT];
	int zi;

	if (!node_shortfall(pgdat, WMARK_LOW, 0))
		return 0;
	pgdat->kswapd_wake = 1;
	if (!node_shortfall(pgdat, WMARK_MIN, SAFE_POINT_PAGES))
		return 0;
	/* __alloc_pages_direct_reclaim(): the allocator stalls */
	for (zi = MAX_NR_ZONES - 1; zi >= 0; zi--) {
		if (managed_zone(&pgdat->node_zones[zi])) {
			count_vm_event(m, ALLOCSTALL_DMA + zi);
			break;
		}
	}
	reclaim_node(m, pgdat, WMARK_LOW, SAFE_POINT_PAGES, 0);
	/*
	 * The allocating task was stalled on memory for its reclaim, priced
	 * by the pages it scanned (its scan_controls' nr_scanned, counted
	 * into pgscan_direct): psi.h.
	 */
	scanned = m->vm_events[PGSCAN_DIRECT] - scanned;
	psi_memstall(m, PSI_RECLAIM_ENTRY_NS + scanned * PSI_RECLAIM_PAGE_NS);
	return node_shortfall(pgdat, WMARK_MIN, SAFE_POINT_PAGES) ? -ENOMEM : 0;
}

static uint64_t do_try_to_free_mem_cgroup_pages(struct machine *m,
						struct scan_control *sc)
{
	int nid;

retry:
	for (sc->priority = DEF_PRIORITY; sc->priority >= 0; sc->priority--) {
		for_each_online_node (nid, m) {
			shrink_node(m, NODE_DATA(m, nid), sc);
			if (sc->nr_reclaimed >= sc->nr_to_reclaim)
				break;
		}
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
	if (sc->nr_reclaimed < sc->nr_to_reclaim && retry_memcg_low(sc))
		goto retry;
	/* the reclaimer waited for it all: priced as direct reclaim is */
	psi_memstall(m, PSI_RECLAIM_ENTRY_NS +
				sc->nr_scanned * PSI_RECLAIM_PAGE_NS);
	return sc->nr_reclaimed;
}

uint64_t try_to_free_mem_cgroup_pages(struct machine *m,
				      struct mem_cgroup *memcg, uint64_t nr)
{
	struct scan_control sc = {.target = memcg, .swappiness = -1};

	sc.nr_to_reclaim = nr > SWAP_CLUSTER_MAX ? nr : SWAP_CLUSTER_MAX;
	return do_try_to_free_mem_cgroup_pages(m, &sc);
}

int user_proactive_reclaim(struct machine *m, struct mem_cgroup *memcg,
			   uint64_t nr, int swappiness)
{
	uint64_t reclaimed = 0;
	int retries = MAX_RECLAIM_RETRIES;

	while (reclaimed < nr) {
		struct scan_control sc = {
			.target = memcg,
			.proactive = 1,
			.swappiness = swappiness,
		};
		/* shrinking batches: reclaim rounds each up to its minimum */
		uint64_t batch = (nr - reclaimed) / 4, got;

		sc.nr_to_reclaim =
			batch > SWAP_CLUSTER_MAX ? batch : SWAP_CLUSTER_MAX;
		got = do_try_to_free_mem_cgroup_pages(m, &sc);
		if (!got && !retries--)
			return -EAGAIN;
		reclaimed += got;
	}
	return 0;
}
