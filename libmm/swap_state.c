// SPDX-License-Identifier: GPL-2.0
/*
 * Swap-in (mm/memory.c do_swap_page(), mm/swap_state.c): a fault on a
 * swap entry finds the page in the swap cache or reads it back from its
 * area, a major fault the task stalls on.  The page stays in the swap
 * cache, its slot a clean copy, until a write makes the copy stale or
 * swap runs short.
 */
#include <errno.h>

#include "machine.h"
#include "mm_internal.h"
#include "page_alloc.h"
#include "psi.h"
#include "swap.h"
#include "vmstat.h"

/* What reading one page from a swap area stalls its task for (an SSD). */
#define SWAP_READ_NS 80000ULL

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
	if (pfn == PFN_NONE) {
		rc = alloc_anon_page(m, mm, vma, addr, t->cpu, &pfn);
		if (rc)
			return rc;
		/* swap_read_folio(): the slot's data is now a clean page */
		swap_cache_insert(m, entry, pfn);
		count_vm_event(m, PSWPIN);
		psi_memstall(m, SWAP_READ_NS);
		*major = 1;
	}
	page = pfn_to_page(m, pfn);
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
	set_pte(pt, pte_index(addr), newpte);
	return 0;
}
