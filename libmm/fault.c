// SPDX-License-Identifier: GPL-2.0
/*
 * Page faults (mm/memory.c, mm/filemap.c): demand paging of anonymous
 * memory (the shared zero page for reads, a fresh page for writes), file
 * faults through the page cache with read-around and fault-around, and
 * copy-on-write.  Every fault counts in pgfault and in the task's
 * min_flt or maj_flt; one that waited for the disk is major.
 */
#include <errno.h>

#include "filemap_internal.h"
#include "memcontrol.h"
#include "mm_internal.h"
#include "mman.h"
#include "oom.h"
#include "page_alloc.h"
#include "swap.h"
#include "tlb.h"
#include "vmstat.h"
#include "vmscan.h"
#include "writeback.h"

/* vm.fault_around_bytes: read faults map what the cache has nearby */
#define FAULT_AROUND_PAGES 16
/* RLIMIT_STACK: how far a stack may grow down */
#define STACK_RLIMIT (8ULL << 20)

pfn_t zero_pfn(const struct machine *m)
{
	return m->zero_pfn;
}

static int vma_is_anonymous(const struct vm_area_struct *vma)
{
	return !vma->ino;
}

/* Whether a shared writable mapping tracks dirtying by write faults. */
static int vma_wants_writenotify(const struct machine *m,
				 const struct vm_area_struct *vma)
{
	const struct inode *inode = inode_get(m, vma->ino);

	return inode && (vma->vm_flags & VM_SHARED) &&
	       (inode->kind == INODE_FILE || inode->kind == INODE_BDEV);
}

/* expand_stack(): a stack VMA grows down to cover @addr, within limits. */
static struct vm_area_struct *expand_stack(struct machine *m,
					   struct mm_struct *mm, uint64_t addr)
{
	struct vm_area_struct *vma = find_vma_mut(mm, addr);
	uint64_t start = addr & PAGE_MASK, grow;
	const struct vm_area_struct *prev;

	if (!vma || !(vma->vm_flags & VM_GROWSDOWN) || addr >= vma->vm_start)
		return vma;
	if (vma->vm_end - start > STACK_RLIMIT)
		return NULL;
	prev = vma == mm->vmas ? NULL : vma - 1;
	if (prev && prev->vm_end + (256ULL << PAGE_SHIFT) > start)
		return NULL;
	grow = (vma->vm_start - start) >> PAGE_SHIFT;
	/* acct_stack_growth(): the new stack pages must be committable */
	if ((vma->vm_flags & VM_ACCOUNT) &&
	    vm_enough_memory_mm(m, mm, 0, grow))
		return NULL;
	vma->vm_start = start;
	vma->vm_pgoff -= grow;
	vm_stat_account(mm, vma->vm_flags, (int64_t)grow);
	if (vma->vm_flags & VM_ACCOUNT)
		m->vm_committed_as += grow;
	return vma;
}

static int map_new_anon_page(struct machine *m, struct task_struct *t,
			     struct vm_area_struct *vma, struct pt_table *pt,
			     uint64_t addr)
{
	pfn_t pfn;
	int rc;

	rc = alloc_anon_page(m, t->mm, vma, addr, t->cpu, &pfn);
	if (rc)
		return rc;
	vma->has_anon = 1;
	page_add_rmap(m, t->mm, pfn);
	set_pte(pt, pte_index(addr),
		mk_pte(pfn, vma->vm_flags) | _PAGE_RW | _PAGE_DIRTY);
	return 0;
}

/* do_anonymous_page(): reads map the zero page, writes a new page. */
static int do_anonymous_page(struct machine *m, struct task_struct *t,
			     struct vm_area_struct *vma, struct pt_table *pt,
			     uint64_t addr, unsigned int flags)
{
	if (!(flags & FAULT_FLAG_WRITE)) {
		set_pte(pt, pte_index(addr),
			mk_pte(m->zero_pfn, vma->vm_flags) | _PAGE_SPECIAL);
		return 0;
	}
	return map_new_anon_page(m, t, vma, pt, addr);
}

/* The PTE a file page gets in @vma for a fault of kind @flags. */
static uint64_t mk_file_pte(const struct machine *m,
			    const struct vm_area_struct *vma, pfn_t pfn,
			    unsigned int flags)
{
	uint64_t pte = mk_pte(pfn, vma->vm_flags);

	if (!(vma->vm_flags & VM_SHARED) || !(vma->vm_flags & VM_WRITE))
		return pte;
	if (flags & FAULT_FLAG_WRITE)
		return pte | _PAGE_RW | _PAGE_DIRTY;
	/* dirty tracking keeps shared file pages read-only until written */
	return vma_wants_writenotify(m, vma) ? pte : pte | _PAGE_RW;
}

/*
 * do_fault_around(): map the pages around @addr that the cache already
 * has, within the VMA and the same page table, without faults of their
 * own.
 */
static void do_fault_around(struct machine *m, struct mm_struct *mm,
			    struct vm_area_struct *vma, struct pt_table *pt,
			    uint64_t addr, const struct inode *inode)
{
	uint64_t span = FAULT_AROUND_PAGES << PAGE_SHIFT;
	uint64_t start = addr & ~(span - 1), end = start + span, a;

	if (start < vma->vm_start)
		start = vma->vm_start;
	if (end > vma->vm_end)
		end = vma->vm_end;
	for (a = start; a < end; a += PAGE_SIZE) {
		uint64_t index =
			vma->vm_pgoff + ((a - vma->vm_start) >> PAGE_SHIFT);
		pfn_t pfn;

		if (a == addr || pt->entry[pte_index(a)] ||
		    index >= inode_pages(inode))
			continue;
		pfn = find_get_page(inode, index);
		if (pfn == PFN_NONE)
			continue;
		/* x86 maps prefaulted pages young (arm64 would map them old) */
		set_pte(pt, pte_index(a), mk_file_pte(m, vma, pfn, 0));
		page_add_rmap(m, mm, pfn);
	}
}

/* do_sync_mmap_readahead(): what a major fault reads besides its page. */
static int fault_readahead(struct machine *m, struct inode *inode,
			   const struct vm_area_struct *vma, uint64_t index,
			   int cpu)
{
	int nid = m->cpu_to_node[cpu];
	uint64_t start = index;

	if (vma->vm_flags & VM_RAND_READ)
		return page_cache_ra_window(m, inode, index, 1, nid, cpu);
	if (!(vma->vm_flags & VM_SEQ_READ))
		start = index > VM_READAHEAD_PAGES / 2
				? index - VM_READAHEAD_PAGES / 2
				: 0;
	return page_cache_ra_window(m, inode, start, VM_READAHEAD_PAGES, nid,
				    cpu);
}

static int do_fault(struct machine *m, struct task_struct *t,
		    struct vm_area_struct *vma, struct pt_table *pt,
		    uint64_t addr, unsigned int flags, int *major)
{
	struct inode *inode = inode_mut(m, vma->ino);
	uint64_t index = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	int write = flags & FAULT_FLAG_WRITE;
	pfn_t pfn;
	int rc;

	if (!inode)
		return -EFAULT;
	if (inode->kind != INODE_SHMEM_ANON && index >= inode_pages(inode))
		return -EFAULT; /* SIGBUS beyond the end of the file */
	pfn = find_get_page(inode, index);
	if (pfn == PFN_NONE) {
		if (inode->kind == INODE_FILE || inode->kind == INODE_BDEV) {
			rc = fault_readahead(m, inode, vma, index, t->cpu);
			*major = 1;
		} else {
			/* shmem_swapin_folio(): reading swap is a major fault */
			*major = shmem_swapin_reads(m, inode, index);
			rc = filemap_add_page(m, inode, index,
					      m->cpu_to_node[t->cpu], t->cpu,
					      &pfn);
		}
		if (rc)
			return rc;
		pfn = find_get_page(inode, index);
	}
	if (write && !(vma->vm_flags & VM_SHARED)) {
		/* do_cow_fault(): the mapping gets a private copy */
		return map_new_anon_page(m, t, vma, pt, addr);
	}
	if (!write && FAULT_AROUND_PAGES > 1)
		do_fault_around(m, t->mm, vma, pt, addr, inode);
	set_pte(pt, pte_index(addr), mk_file_pte(m, vma, pfn, flags));
	page_add_rmap(m, t->mm, pfn);
	if (write)
		folio_mark_dirty(m, pfn);
	return 0;
}

/* do_wp_page(): a write to a present, write-protected page. */
static int do_wp_page(struct machine *m, struct task_struct *t,
		      struct vm_area_struct *vma, struct pt_table *pt,
		      uint64_t addr)
{
	unsigned int i = pte_index(addr);
	uint64_t pte = pt->entry[i];
	pfn_t old = pte_pfn(pte);
	const struct page *page;

	if (vma->vm_flags & VM_SHARED) {
		/* wp_page_shared(): the page becomes dirty, nothing moves */
		set_pte(pt, i, pte | _PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED);
		folio_mark_dirty(m, old);
		return 0;
	}
	if (old == m->zero_pfn) {
		set_pte(pt, i, 0);
		return map_new_anon_page(m, t, vma, pt, addr);
	}
	page = pfn_to_page(m, old);
	/*
	 * wp_can_reuse_anon_folio(): a swap cache page is ours only once
	 * its slot can go (no swap entry elsewhere still reads it).
	 */
	if (page->state == PAGE_ANON && page->mapcount == 1 &&
	    (!(page->flags & PG_swapcache) || try_to_free_swap(m, old))) {
		/* wp_page_reuse(): nobody else maps it any more */
		set_pte(pt, i, pte | _PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED);
		return 0;
	}
	/* wp_page_copy(): ptep_clear_flush() drops the stale translation */
	set_pte(pt, i, 0);
	flush_tlb_mm_range(m, t->mm, addr, addr + PAGE_SIZE, PAGE_SHIFT,
			   t->cpu);
	page_remove_rmap(m, t->mm, old);
	return map_new_anon_page(m, t, vma, pt, addr);
}

static int __handle_mm_fault(struct machine *m, struct task_struct *t,
			     uint64_t addr, unsigned int flags, int *major)
{
	struct mm_struct *mm = t->mm;
	struct vm_area_struct *vma;
	struct pt_table *pt;
	uint64_t pte;
	int rc;

	*major = 0;
	vma = expand_stack(m, mm, addr);
	if (!vma || addr < vma->vm_start)
		return -EFAULT;
	if ((flags & FAULT_FLAG_WRITE) ? !(vma->vm_flags & VM_WRITE)
				       : !(vma->vm_flags & (VM_READ | VM_EXEC)))
		return -EFAULT;
	if (vma->vm_flags & VM_HUGETLB) {
		rc = hugetlb_fault(m, t, vma, addr, flags);
		goto out;
	}
	if (pmd_trans_huge_at(mm, addr)) {
		unsigned int shift;

		/* present: only a write to a write-protected one is work */
		rc = 0;
		if (!(flags & FAULT_FLAG_WRITE) ||
		    (lookup_pte(mm, addr, &shift) & _PAGE_RW))
			goto out;
		rc = do_huge_pmd_wp_page(m, t, addr);
		if (rc != -EAGAIN)
			goto out;
	} else if ((flags & FAULT_FLAG_WRITE) && vma_is_anonymous(vma)) {
		rc = do_huge_pmd_anonymous_page(m, t, vma, addr);
		if (rc != -EAGAIN)
			goto out;
	}
	rc = pte_table_alloc(m, mm, addr, t->cpu, &pt);
	if (rc)
		return rc;
	pte = pt->entry[pte_index(addr)];
	if (is_swap_pte(pte)) {
		rc = do_swap_page(m, t, vma, pt, addr, pte, flags, major);
		pte = pt->entry[pte_index(addr)];
		if (!rc && (flags & FAULT_FLAG_WRITE) && !(pte & _PAGE_RW))
			rc = do_wp_page(m, t, vma, pt, addr);
	} else if (!pte)
		rc = vma_is_anonymous(vma)
			     ? do_anonymous_page(m, t, vma, pt, addr, flags)
			     : do_fault(m, t, vma, pt, addr, flags, major);
	else if ((flags & FAULT_FLAG_WRITE) && !(pte & _PAGE_RW))
		rc = do_wp_page(m, t, vma, pt, addr);
out:
	return rc;
}

/*
 * What the fault allocates is charged to the task's memcg, and the
 * fault counts there too (count_memcg_event_mm()); what it waits for
 * is a stall of the task's group.
 */
int handle_mm_fault(struct machine *m, struct task_struct *t, uint64_t addr,
		    unsigned int flags, int *major)
{
	struct mem_cgroup *memcg = mem_cgroup_from_task(m, t);
	struct mem_cgroup *old = set_active_memcg(m, memcg);
	struct cgroup *old_cgrp = set_current_cgroup(m, t->cgroup);
	int rc;

	rc = __handle_mm_fault(m, t, addr, flags, major);
	set_current_cgroup(m, old_cgrp);
	set_active_memcg(m, old);
	if (rc)
		return rc;
	count_vm_event(m, PGFAULT);
	memcg->events[PGFAULT]++;
	if (*major) {
		count_vm_event(m, PGMAJFAULT);
		memcg->events[PGMAJFAULT]++;
		t->maj_flt++;
	} else {
		t->min_flt++;
	}
	return 0;
}

/*
 * A page swapped in is charged to its slot's memcg, which need not be
 * the task's (a child moved to another group after fork, shmem): make
 * room for it there too.
 */
static int swapin_make_room(struct machine *m, const struct task_struct *t,
			    const uint64_t *pte)
{
	struct mem_cgroup *memcg;

	if (!pte || !is_swap_pte(*pte))
		return 0;
	memcg = mem_cgroup_swapin_memcg(m, pte_to_swp_entry(*pte));
	if (memcg == mem_cgroup_from_task(m, t))
		return 0;
	return mem_cgroup_try_charge(m, memcg, 1, t->pid);
}

/*
 * A fault may allocate: reclaim first if memory is short, and past that
 * the OOM killer.  A kill moves the tasks, so the caller looks its task
 * up again (-EAGAIN), unless it was the victim (-EINTR).  Then make room
 * within the task's memcg, its limits, and fault.
 */
static int fault_page(struct machine *m, struct task_struct *t, uint64_t addr,
		      const uint64_t *slot, int write)
{
	int major, rc;

	if (reclaim_before_alloc(m, m->cpu_to_node[t->cpu])) {
		rc = out_of_memory(m, t->pid);
		return rc ?: -EAGAIN;
	}
	rc = mem_cgroup_try_charge(m, mem_cgroup_from_task(m, t),
				   MEMCG_CHARGE_BATCH, t->pid);
	if (rc)
		return rc;
	rc = swapin_make_room(m, t, slot);
	if (rc)
		return rc;
	return handle_mm_fault(m, t, addr, write ? FAULT_FLAG_WRITE : 0,
			       &major);
}

int access_page(struct machine *m, struct task_struct *t, uint64_t addr,
		int write)
{
	unsigned int shift;
	uint64_t *slot = pte_slot(t->mm, addr, &shift);
	int rc, faulted = 0;

	if (!slot || !(*slot & _PAGE_PRESENT) ||
	    (write && !(*slot & _PAGE_RW))) {
		/* the reclaim it takes is a stall of the task's group */
		struct cgroup *old = set_current_cgroup(m, t->cgroup);

		rc = fault_page(m, t, addr, slot, write);
		if (!rc)
			mem_cgroup_handle_over_high(m,
						    mem_cgroup_from_task(m, t));
		set_current_cgroup(m, old);
		if (rc)
			return rc;
		slot = pte_slot(t->mm, addr, &shift);
		faulted = 1;
	}
	/* the MMU sets the accessed bit, and the dirty bit on a write */
	*slot |= _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0);
	/*
	 * balance_dirty_pages_ratelimited(): a store that dirtied a shared
	 * file page may have to write back, after the store, as a write(2)
	 */
	if (faulted && write) {
		const struct vm_area_struct *vma = find_vma(t->mm, addr);

		if (vma && vma->ino && (vma->vm_flags & VM_SHARED))
			return balance_dirty_pages(m);
	}
	return 0;
}
