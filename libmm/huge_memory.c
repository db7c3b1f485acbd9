// SPDX-License-Identifier: GPL-2.0
/*
 * Transparent huge pages for anonymous memory (mm/huge_memory.c): a write
 * fault in an eligible VMA maps a whole 2 MiB page with one PMD entry,
 * keeping a deposited page table aside so that splitting the mapping
 * later never needs memory.  fork shares the huge PMD write-protected; a
 * write then reuses it if nobody else maps it, or splits it into small
 * pages and copies one.  Unmapping or reprotecting part of a huge page
 * splits it too.  A huge page is mapped at the same address in every
 * process that shares it (they descend from one fork), which is how the
 * split finds them all.
 */
#include <errno.h>

#include "machine.h"
#include "memcontrol.h"
#include "mm_internal.h"
#include "page_alloc.h"
#include "vmstat.h"

#define HPAGE_PMD_ORDER 9
#define HPAGE_PMD_MASK (~(PMD_SIZE - 1))

int thp_vma_allowable(const struct machine *m, const struct vm_area_struct *vma)
{
	if (vma->ino ||
	    (vma->vm_flags &
	     (VM_SHARED | VM_NOHUGEPAGE | VM_HUGETLB | VM_PFNMAP)) ||
	    vma->kind == VMA_VDSO || vma->kind == VMA_VVAR ||
	    vma->kind == VMA_VVAR_VCLOCK)
		return 0;
	if (m->thp_enabled == THP_ALWAYS)
		return 1;
	return m->thp_enabled == THP_MADVISE && (vma->vm_flags & VM_HUGEPAGE);
}

static void page_add_rmap_huge(struct machine *m, struct mm_struct *mm,
			       pfn_t pfn)
{
	pfn_to_page(m, pfn)->mapcount++;
	mm->rss_stat[MM_ANONPAGES] += HPAGE_PMD_NR;
}

int do_huge_pmd_anonymous_page(struct machine *m, struct task_struct *t,
			       struct vm_area_struct *vma, uint64_t addr)
{
	struct mm_struct *mm = t->mm;
	uint64_t haddr = addr & HPAGE_PMD_MASK;
	struct alloc_context ac = {
		.preferred_nid = m->cpu_to_node[t->cpu],
		.highest_zoneidx = ZONE_MOVABLE,
		.migratetype = MIGRATE_MOVABLE,
		.alloc_flags = ALLOC_WMARK_MIN,
		.cpu = t->cpu,
	};
	struct page_use use = {.state = PAGE_ANON,
			       .owner = (uint32_t)mm->owner};
	struct pt_table *pmd, *deposit;
	unsigned int i = pmd_index(addr);
	pfn_t pfn;
	int rc;

	if (!thp_vma_allowable(m, vma) || haddr < vma->vm_start ||
	    haddr + PMD_SIZE > vma->vm_end)
		return -EAGAIN;
	rc = pmd_table_alloc(m, mm, addr, t->cpu, &pmd);
	if (rc)
		return rc;
	if (pmd->entry[i])
		return -EAGAIN; /* small pages are there already */
	/* mem_cgroup_charge() of 512 pages: past the limit, small pages */
	if (!mem_cgroup_has_room(m->active_memcg, HPAGE_PMD_NR)) {
		count_vm_event(m, THP_FAULT_FALLBACK);
		count_vm_event(m, THP_FAULT_FALLBACK_CHARGE);
		return -EAGAIN;
	}
	if (alloc_pages(m, HPAGE_PMD_ORDER, &ac, &use, &pfn)) {
		count_vm_event(m, THP_FAULT_FALLBACK);
		return -EAGAIN;
	}
	rc = pte_table_alloc_one(m, mm, t->cpu, &deposit);
	if (rc) {
		free_pages(m, pfn, HPAGE_PMD_ORDER);
		return rc;
	}
	rc = anon_vma_prepare(m, vma, ac.preferred_nid);
	if (rc) {
		pte_table_free_one(m, mm, deposit);
		free_pages(m, pfn, HPAGE_PMD_ORDER);
		return rc;
	}
	pfn_to_page(m, pfn)->index = haddr >> PAGE_SHIFT;
	pmd->child[i] = deposit;
	set_pte(pmd, i,
		mk_pte(pfn, vma->vm_flags) | _PAGE_PSE | _PAGE_RW |
			_PAGE_DIRTY);
	page_add_rmap_huge(m, mm, pfn);
	vma->has_anon = 1;
	count_vm_event(m, THP_FAULT_ALLOC);
	return 0;
}

/* Map one process's huge PMD by 512 PTEs in its deposited table. */
static void split_huge_pmd(struct machine *m, struct mm_struct *mm,
			   uint64_t haddr)
{
	struct pt_table *pmd = pmd_table(mm, haddr);
	unsigned int i = pmd_index(haddr), k;
	uint64_t entry = pmd->entry[i];
	uint64_t bits = entry & ~PTE_PFN_MASK & ~_PAGE_PSE;
	struct pt_table *pt = pmd->child[i];
	pfn_t pfn = pte_pfn(entry);

	for (k = 0; k < PTRS_PER_TABLE; k++)
		set_pte(pt, k, ((uint64_t)(pfn + k) << PAGE_SHIFT) | bits);
	set_pte(pmd, i, mk_pmd_table_entry(pt));
	count_vm_event(m, THP_SPLIT_PMD);
}

void split_huge_page_address(struct machine *m, struct mm_struct *mm,
			     uint64_t addr)
{
	uint64_t haddr = addr & HPAGE_PMD_MASK;
	pfn_t pfn = pte_pfn(pmd_table(mm, haddr)->entry[pmd_index(haddr)]);
	int32_t mappers = pfn_to_page(m, pfn)->mapcount;
	uint64_t index = pfn_to_page(m, pfn)->index;
	int n;

	for (n = 0; n < m->nr_tasks; n++) {
		struct mm_struct *other = m->tasks[n].mm;
		struct pt_table *pmd;

		if (!other || !(pmd = pmd_table(other, haddr)))
			continue;
		if ((pmd->entry[pmd_index(haddr)] & _PAGE_PSE) &&
		    pte_pfn(pmd->entry[pmd_index(haddr)]) == pfn)
			split_huge_pmd(m, other, haddr);
	}
	split_page(m, pfn, HPAGE_PMD_ORDER);
	for (n = 0; n < HPAGE_PMD_NR; n++) {
		struct page *page = pfn_to_page(m, pfn + (pfn_t)n);

		page->mapcount = mappers;
		page->index = index + (uint64_t)n;
	}
	count_vm_event(m, THP_SPLIT_PAGE);
}

void zap_huge_pmd(struct machine *m, struct mm_struct *mm, uint64_t addr)
{
	struct pt_table *pmd = pmd_table(mm, addr);
	unsigned int i = pmd_index(addr);
	pfn_t pfn = pte_pfn(pmd->entry[i]);
	struct page *page = pfn_to_page(m, pfn);

	set_pte(pmd, i, 0);
	pte_table_free_one(m, mm, pmd->child[i]);
	pmd->child[i] = NULL;
	mm->rss_stat[MM_ANONPAGES] -= HPAGE_PMD_NR;
	if (!--page->mapcount)
		free_pages(m, pfn, HPAGE_PMD_ORDER);
}

int copy_huge_pmd(struct machine *m, struct mm_struct *dst,
		  struct mm_struct *src, uint64_t addr, int cow, int cpu)
{
	struct pt_table *spmd = pmd_table(src, addr), *dpmd, *deposit;
	unsigned int i = pmd_index(addr);
	int rc;

	rc = pmd_table_alloc(m, dst, addr, cpu, &dpmd);
	rc = rc ?: pte_table_alloc_one(m, dst, cpu, &deposit);
	if (rc)
		return rc;
	if (cow)
		spmd->entry[i] &= ~_PAGE_RW;
	dpmd->child[i] = deposit;
	set_pte(dpmd, i, spmd->entry[i] & ~_PAGE_ACCESSED);
	page_add_rmap_huge(m, dst, pte_pfn(spmd->entry[i]));
	return 0;
}

int do_huge_pmd_wp_page(struct machine *m, struct task_struct *t, uint64_t addr)
{
	struct pt_table *pmd = pmd_table(t->mm, addr);
	uint64_t *entry = &pmd->entry[pmd_index(addr)];

	if (pfn_to_page(m, pte_pfn(*entry))->mapcount == 1) {
		*entry |= _PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED;
		return 0;
	}
	/* shared: fall back to small pages and copy only the one written */
	split_huge_page_address(m, t->mm, addr);
	return -EAGAIN;
}
