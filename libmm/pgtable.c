// SPDX-License-Identifier: GPL-2.0
/*
 * Four-level page tables (PGD, PUD, PMD, PTE) whose every table is a
 * frame from the buddy allocator, as mm/memory.c and arch/x86/mm/pgtable.c
 * build them: tables appear when an address under them is first mapped
 * and go away only with the address range (free_pgtables) or the mm.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filemap_internal.h"
#include "memcontrol.h"
#include "mm_internal.h"
#include "page_alloc.h"
#include "slab.h"
#include "swap.h"
#include "tlb.h"

enum pt_level { PT_PTE, PT_PMD, PT_PUD, PT_PGD };

static const unsigned int level_shift[] = {PAGE_SHIFT, PMD_SHIFT, PUD_SHIFT,
					   PGDIR_SHIFT};

static unsigned int level_index(uint64_t addr, enum pt_level level)
{
	return (unsigned int)(addr >> level_shift[level]) &
	       (PTRS_PER_TABLE - 1);
}

/* Page tables are unmovable kernel memory on the faulting CPU's node. */
static int pt_table_alloc(struct machine *m, struct mm_struct *mm,
			  enum pt_level level, int cpu, struct pt_table **out)
{
	struct alloc_context ac = {
		.preferred_nid = m->cpu_to_node[cpu],
		.highest_zoneidx = ZONE_NORMAL,
		.migratetype = MIGRATE_UNMOVABLE,
		.alloc_flags = ALLOC_WMARK_MIN,
		.cpu = cpu,
	};
	struct page_use use = {.state = PAGE_PGTABLE,
			       .owner = (uint32_t)mm->owner};
	struct pt_table *t = calloc(1, sizeof(*t));
	int rc;

	if (!t)
		return -ENOMEM;
	if (level != PT_PTE) {
		t->child = calloc(PTRS_PER_TABLE, sizeof(*t->child));
		if (!t->child) {
			rc = -ENOMEM;
			goto fail;
		}
	}
	rc = alloc_pages(m, 0, &ac, &use, &t->pfn);
	if (rc)
		goto fail;
	/* the PGD is not in pgtables_bytes (mm_inc_nr_{puds,pmds,ptes}) */
	if (level != PT_PGD)
		mm->pgtables_bytes += PAGE_SIZE;
	*out = t;
	return 0;
fail:
	free(t->child);
	free(t);
	return rc;
}

static void pt_table_free(struct machine *m, struct mm_struct *mm,
			  struct pt_table *t, enum pt_level level)
{
	free_pages(m, t->pfn, 0);
	if (level != PT_PGD)
		mm->pgtables_bytes -= PAGE_SIZE;
	free(t->child);
	free(t);
}

void set_pte(struct pt_table *t, unsigned int i, uint64_t pte)
{
	if (!t->entry[i] && pte)
		t->nr_used++;
	else if (t->entry[i] && !pte)
		t->nr_used--;
	t->entry[i] = pte;
}

/* A table entry pointing at a lower table: present, writable, user. */
static uint64_t mk_table_entry(const struct pt_table *child)
{
	return ((uint64_t)child->pfn << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_RW |
	       _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY;
}

uint64_t mk_pte(pfn_t pfn, uint64_t vm_flags)
{
	uint64_t pte = ((uint64_t)pfn << PAGE_SHIFT) | _PAGE_PRESENT |
		       _PAGE_USER | _PAGE_ACCESSED | _PAGE_SOFT_DIRTY;

	if (!(vm_flags & VM_EXEC))
		pte |= _PAGE_NX;
	return pte;
}

int mm_alloc(struct machine *m, int owner, int cpu, struct mm_struct **out)
{
	struct mm_struct *mm = calloc(1, sizeof(*mm));
	int rc;

	if (!mm)
		return -ENOMEM;
	mm->owner = owner;
	/* mm_cachep is SLAB_ACCOUNT */
	mm->objcg = current_obj_cgroup(m, m->cpu_to_node[cpu]);
	rc = kmem_cache_alloc_objcg(m, KMEM_MM_STRUCT, 1, m->cpu_to_node[cpu],
				    mm->objcg);
	if (rc)
		goto fail;
	rc = pt_table_alloc(m, mm, PT_PGD, cpu, &mm->pgd);
	if (rc)
		goto free_mm_struct;
	init_new_context(m, mm);
	*out = mm;
	return 0;
free_mm_struct:
	kmem_cache_free_objcg(m, KMEM_MM_STRUCT, 1, mm->objcg);
fail:
	free(mm);
	return rc;
}

struct pt_table *pmd_table(const struct mm_struct *mm, uint64_t addr)
{
	struct pt_table *t = mm->pgd;

	if (t)
		t = t->child[level_index(addr, PT_PGD)];
	if (t)
		t = t->child[level_index(addr, PT_PUD)];
	return t;
}

struct pt_table *pte_table(const struct mm_struct *mm, uint64_t addr)
{
	struct pt_table *pmd = pmd_table(mm, addr);
	unsigned int i = pmd_index(addr);

	/* a huge PMD keeps its deposited table, which maps nothing */
	if (!pmd || (pmd->entry[i] & _PAGE_PSE))
		return NULL;
	return pmd->child[i];
}

int pmd_table_alloc(struct machine *m, struct mm_struct *mm, uint64_t addr,
		    int cpu, struct pt_table **out)
{
	struct pt_table *t = mm->pgd;
	int level, rc;

	for (level = PT_PGD; level > PT_PMD; level--) {
		unsigned int i = level_index(addr, (enum pt_level)level);

		if (!t->child[i]) {
			struct pt_table *child;

			rc = pt_table_alloc(m, mm, (enum pt_level)(level - 1),
					    cpu, &child);
			if (rc)
				return rc;
			t->child[i] = child;
			set_pte(t, i, mk_table_entry(child));
		}
		t = t->child[i];
	}
	*out = t;
	return 0;
}

int pte_table_alloc_one(struct machine *m, struct mm_struct *mm, int cpu,
			struct pt_table **out)
{
	return pt_table_alloc(m, mm, PT_PTE, cpu, out);
}

void pte_table_free_one(struct machine *m, struct mm_struct *mm,
			struct pt_table *t)
{
	pt_table_free(m, mm, t, PT_PTE);
}

uint64_t mk_pmd_table_entry(const struct pt_table *pte_table)
{
	return mk_table_entry(pte_table);
}

int pte_table_alloc(struct machine *m, struct mm_struct *mm, uint64_t addr,
		    int cpu, struct pt_table **out)
{
	struct pt_table *pmd;
	unsigned int i = pmd_index(addr);
	int rc;

	rc = pmd_table_alloc(m, mm, addr, cpu, &pmd);
	if (rc)
		return rc;
	if (pmd->entry[i] & _PAGE_PSE)
		return -EEXIST; /* a huge page: split it first */
	if (!pmd->child[i]) {
		rc = pt_table_alloc(m, mm, PT_PTE, cpu, &pmd->child[i]);
		if (rc)
			return rc;
		set_pte(pmd, i, mk_table_entry(pmd->child[i]));
	}
	*out = pmd->child[i];
	return 0;
}

uint64_t *pte_slot(const struct mm_struct *mm, uint64_t addr,
		   unsigned int *shift)
{
	struct pt_table *pmd = pmd_table(mm, addr);
	unsigned int i = pmd_index(addr);

	*shift = PAGE_SHIFT;
	if (!pmd)
		return NULL;
	if (pmd->entry[i] & _PAGE_PSE) {
		*shift = PMD_SHIFT;
		return &pmd->entry[i];
	}
	return pmd->child[i] ? &pmd->child[i]->entry[pte_index(addr)] : NULL;
}

uint64_t lookup_pte(const struct mm_struct *mm, uint64_t addr,
		    unsigned int *shift)
{
	const uint64_t *slot = pte_slot(mm, addr, shift);

	return slot ? *slot : 0;
}

uint64_t zap_page_range(struct machine *m, struct mm_struct *mm,
			const struct vm_area_struct *vma, uint64_t start,
			uint64_t end)
{
	uint64_t addr = start, nr = 0;

	if (vma->vm_flags & VM_HUGETLB)
		return hugetlb_zap(m, mm, vma, start, end);
	while (addr < end) {
		struct pt_table *t;
		uint64_t next = (addr + PMD_SIZE) & ~(PMD_SIZE - 1);

		if (next > end || !next)
			next = end;
		if (pmd_trans_huge_at(mm, addr)) {
			if (!(addr & (PMD_SIZE - 1)) &&
			    next - addr == PMD_SIZE) {
				zap_huge_pmd(m, mm, addr);
				nr++;
				addr = next;
				continue;
			}
			/* part of a huge page goes: map the rest by PTEs */
			split_huge_page_address(m, mm, addr);
		}
		t = pte_table(mm, addr);
		for (; t && addr < next; addr += PAGE_SIZE) {
			unsigned int i = pte_index(addr);
			uint64_t pte = t->entry[i];

			if (!pte)
				continue;
			set_pte(t, i, 0);
			nr++;
			if (is_swap_pte(pte)) {
				mm->rss_stat[MM_SWAPENTS]--;
				free_swap_and_cache(m, pte_to_swp_entry(pte));
			} else if (!(pte & _PAGE_SPECIAL))
				page_remove_rmap(m, mm, pte_pfn(pte));
		}
		addr = next;
	}
	return nr;
}

/*
 * Free the tables below @t (a table of @level covering [@base, @base +
 * span)) whose whole span lies in [@floor, @ceiling) and meets [@start,
 * @end).  Such a table maps nothing any more: its VMAs are gone.
 */
static void free_tables_below(struct machine *m, struct mm_struct *mm,
			      struct pt_table *t, enum pt_level level,
			      uint64_t base, uint64_t start, uint64_t end,
			      uint64_t floor, uint64_t ceiling)
{
	uint64_t span = 1ULL << level_shift[level];
	unsigned int i;

	for (i = 0; i < PTRS_PER_TABLE; i++) {
		uint64_t lo = base + i * span, hi = lo + span;
		struct pt_table *child = t->child[i];

		if (!child || hi <= start || lo >= end ||
		    (t->entry[i] & _PAGE_PSE))
			continue;
		if (level - 1 > PT_PTE)
			free_tables_below(m, mm, child, level - 1, lo, start,
					  end, floor, ceiling);
		if (lo < floor || hi > ceiling || child->nr_used)
			continue;
		t->child[i] = NULL;
		set_pte(t, i, 0);
		pt_table_free(m, mm, child, level - 1);
	}
}

void free_pgtables(struct machine *m, struct mm_struct *mm, uint64_t start,
		   uint64_t end, uint64_t floor, uint64_t ceiling)
{
	if (!ceiling)
		ceiling = 1ULL << 47;
	free_tables_below(m, mm, mm->pgd, PT_PGD, 0, start, end, floor,
			  ceiling);
}

int copy_page_range(struct machine *m, struct mm_struct *dst,
		    struct mm_struct *src, const struct vm_area_struct *vma,
		    int cpu)
{
	int cow = (vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
	uint64_t addr = vma->vm_start;
	int rc;

	if (vma->vm_flags & VM_HUGETLB)
		return copy_hugetlb_page_range(m, dst, src, vma, cpu);

	while (addr < vma->vm_end) {
		struct pt_table *s, *d;
		uint64_t next = (addr + PMD_SIZE) & ~(PMD_SIZE - 1);

		if (next > vma->vm_end)
			next = vma->vm_end;
		if (pmd_trans_huge_at(src, addr)) {
			rc = copy_huge_pmd(m, dst, src, addr, cow, cpu);
			if (rc)
				return rc;
			addr = next;
			continue;
		}
		s = pte_table(src, addr);
		if (!s || !s->nr_used) {
			addr = next;
			continue;
		}
		rc = pte_table_alloc(m, dst, addr, cpu, &d);
		if (rc)
			return rc;
		for (; addr < next; addr += PAGE_SIZE) {
			unsigned int i = pte_index(addr);
			uint64_t pte = s->entry[i];

			if (!pte)
				continue;
			if (is_swap_pte(pte)) {
				swap_duplicate(m, pte_to_swp_entry(pte));
				dst->rss_stat[MM_SWAPENTS]++;
				set_pte(d, i, pte);
				continue;
			}
			/* a private page is now shared: the first write copies
			 */
			if (cow && (pte & _PAGE_RW)) {
				pte &= ~_PAGE_RW;
				s->entry[i] = pte;
			}
			/* the child has not touched it (mkold) */
			if (vma->vm_flags & VM_SHARED)
				pte &= ~_PAGE_DIRTY;
			pte &= ~_PAGE_ACCESSED;
			set_pte(d, i, pte);
			if (!(pte & _PAGE_SPECIAL))
				page_add_rmap(m, dst, pte_pfn(pte));
		}
	}
	return 0;
}

uint64_t change_protection(struct machine *m, struct mm_struct *mm,
			   uint64_t start, uint64_t end, uint64_t vm_flags)
{
	uint64_t addr = start, nr = 0;

	while (addr < end) {
		struct pt_table *t;
		uint64_t next = (addr + PMD_SIZE) & ~(PMD_SIZE - 1);

		if (next > end)
			next = end;
		if (pmd_trans_huge_at(mm, addr)) {
			if (!(addr & (PMD_SIZE - 1)) &&
			    next - addr == PMD_SIZE) {
				struct pt_table *pmd = pmd_table(mm, addr);
				uint64_t *e = &pmd->entry[pmd_index(addr)];

				*e &= ~(_PAGE_RW | _PAGE_NX);
				if (!(vm_flags & VM_EXEC))
					*e |= _PAGE_NX;
				nr++;
				addr = next;
				continue;
			}
			split_huge_page_address(m, mm, addr);
		}
		t = pte_table(mm, addr);
		for (; t && addr < next; addr += PAGE_SIZE) {
			unsigned int i = pte_index(addr);
			uint64_t pte = t->entry[i];

			if (!(pte & _PAGE_PRESENT))
				continue;
			pte &= ~(_PAGE_RW | _PAGE_NX);
			if (!(vm_flags & VM_EXEC))
				pte |= _PAGE_NX;
			/*
			 * Write access comes back only through a fault, which
			 * decides between reuse and copy; a shared writable
			 * page that is already dirty keeps it.
			 */
			if ((vm_flags & VM_WRITE) && (vm_flags & VM_SHARED) &&
			    (pte & _PAGE_DIRTY))
				pte |= _PAGE_RW;
			t->entry[i] = pte;
			nr++;
		}
		addr = next;
	}
	return nr;
}

static uint64_t count_tables(const struct pt_table *t, int level)
{
	uint64_t n = 1;
	unsigned int i;

	if (level == PT_PTE)
		return 1;
	for (i = 0; i < PTRS_PER_TABLE; i++)
		if (t->child[i])
			n += count_tables(t->child[i], level - 1);
	return n;
}

uint64_t mm_pgtable_pages(const struct mm_struct *mm)
{
	return mm->pgd ? count_tables(mm->pgd, PT_PGD) : 0;
}

static int walk_table(const struct machine *m, const struct pt_table *t,
		      int level, uint64_t base, uint64_t start, uint64_t end,
		      int (*fn)(const struct pte_info *pi, void *arg),
		      void *arg)
{
	uint64_t span = 1ULL << level_shift[level];
	unsigned int i = 0;
	int rc;

	if (start > base)
		i = (unsigned int)((start - base) / span);
	for (; i < PTRS_PER_TABLE; i++) {
		uint64_t lo = base + i * span;
		struct pte_info pi;
		const struct page *page;

		if (lo >= end)
			break;
		/* swap entries map nothing */
		if (!(t->entry[i] & _PAGE_PRESENT))
			continue;
		if (level > PT_PTE && !(t->entry[i] & _PAGE_PSE)) {
			rc = walk_table(m, t->child[i], level - 1, lo, start,
					end, fn, arg);
			if (rc)
				return rc;
			continue;
		}
		memset(&pi, 0, sizeof(pi));
		pi.addr = lo;
		pi.pte = t->entry[i];
		pi.shift = level_shift[level];
		pi.pfn = pte_pfn(pi.pte);
		pi.zero_page = pi.pfn == m->zero_pfn;
		page = pi.zero_page ? NULL : pfn_to_page(m, pi.pfn);
		if (page) {
			pi.state = (enum page_state)page->state;
			pi.page_flags = page->flags;
			pi.mapcount = page->mapcount;
		} else {
			pi.state = PAGE_RESERVED;
		}
		pi.nid = pfn_zone(m, pi.pfn)->zone_pgdat->node_id;
		rc = fn(&pi, arg);
		if (rc)
			return rc;
	}
	return 0;
}

int walk_page_range(const struct machine *m, const struct mm_struct *mm,
		    uint64_t start, uint64_t end,
		    int (*fn)(const struct pte_info *pi, void *arg), void *arg)
{
	if (!mm->pgd || start >= end)
		return 0;
	return walk_table(m, mm->pgd, PT_PGD, 0, start, end, fn, arg);
}

/* Free the tables of a dead mm: every VMA is already zapped. */
static void free_all_tables(struct machine *m, struct mm_struct *mm,
			    struct pt_table *t, int level)
{
	unsigned int i;

	if (level > PT_PTE)
		for (i = 0; i < PTRS_PER_TABLE; i++)
			if (t->child[i])
				free_all_tables(m, mm, t->child[i], level - 1);
	pt_table_free(m, mm, t, (enum pt_level)level);
}

void mmput(struct machine *m, struct mm_struct *mm, int cpu)
{
	uint32_t i;

	(void)cpu;
	mm_update_hiwater(mm);
	for (i = 0; i < mm->nr_vmas; i++) {
		const struct vm_area_struct *vma = &mm->vmas[i];

		zap_page_range(m, mm, vma, vma->vm_start, vma->vm_end);
		/* exit_mmap() gives the accountable VMAs' charge back */
		if (vma->vm_flags & VM_ACCOUNT)
			m->vm_committed_as -=
				(vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	}
	for (i = 0; i < mm->nr_vmas; i++)
		vma_unlink_file(m, &mm->vmas[i]);
	exit_vm_structs(m, mm);
	kmem_cache_free_objcg(m, KMEM_MM_STRUCT, 1, mm->objcg);
	tlb_mm_exit(m, mm);
	free_all_tables(m, mm, mm->pgd, PT_PGD);
	free(mm->vmas);
	free(mm->heap.chunks);
	free(mm);
}

static void free_host_tables(struct pt_table *t, int level)
{
	unsigned int i;

	if (level > PT_PTE)
		for (i = 0; i < PTRS_PER_TABLE; i++)
			if (t->child[i])
				free_host_tables(t->child[i], level - 1);
	free(t->child);
	free(t);
}

void mm_free_host(struct mm_struct *mm)
{
	if (!mm)
		return;
	if (mm->pgd)
		free_host_tables(mm->pgd, PT_PGD);
	free(mm->vmas);
	free(mm->heap.chunks);
	free(mm);
}

static int count_mapping(const struct pte_info *pi, void *arg)
{
	struct machine *m = arg;
	struct page *page;

	if (pi->zero_page)
		return 0;
	page = pfn_to_page(m, pi->pfn);
	if (!page || (page->state != PAGE_ANON && page->state != PAGE_FILE &&
		      page->state != PAGE_SHMEM && page->state != PAGE_HUGETLB))
		return -EUCLEAN;
	page->mapcount++;
	return 0;
}

int mm_rebuild_mapcounts(struct machine *m, struct mm_struct *mm)
{
	return walk_page_range(m, mm, 0, TASK_SIZE, count_mapping, m);
}

/* What one mm's page tables say, for the checker. */
struct mm_tally {
	const struct machine *m;
	uint64_t rss[NR_MM_COUNTERS];
	int32_t *mapcount; /* per frame */
	char *why;
	size_t size;
};

static int tally_mapping(const struct pte_info *pi, void *arg)
{
	struct mm_tally *t = arg;

	if (pi->zero_page)
		return 0;
	if (pi->state != PAGE_ANON && pi->state != PAGE_FILE &&
	    pi->state != PAGE_SHMEM && pi->state != PAGE_HUGETLB)
		return -EUCLEAN;
	/* hugetlb pages are not in the rss counters, as in the kernel */
	if (pi->state != PAGE_HUGETLB)
		t->rss[mm_counter_of(pi->state)] += 1ULL
						    << (pi->shift - PAGE_SHIFT);
	t->mapcount[pi->pfn]++;
	return 0;
}

struct cache_tally {
	uint64_t *nr; /* frames found per inode */
	char *why;
	size_t size;
	const struct machine *m;
};

static int tally_cached(pfn_t pfn, const struct page *p, void *arg)
{
	struct cache_tally *t = arg;
	const struct inode *inode;

	if (p->state == PAGE_TAIL || !page_in_file_index(t->m, p))
		return 0;
	inode = inode_get(t->m, p->owner);
	if (!inode || find_get_page(inode, p->index) != pfn) {
		snprintf(t->why, t->size,
			 "cached frame %#x is not in its file's index", pfn);
		return -EUCLEAN;
	}
	t->nr[p->owner]++;
	return 0;
}

/* Every cached frame is where its file's index says, and nothing else is. */
static int check_page_cache(const struct machine *m, char *why, size_t size)
{
	struct cache_tally t = {.why = why, .size = size, .m = m};
	uint32_t ino;
	int rc;

	t.nr = calloc(m->nr_inodes + 1, sizeof(*t.nr));
	if (!t.nr)
		return -ENOMEM;
	rc = walk_pages(m, tally_cached, &t);
	for (ino = 1; ino < m->nr_inodes && !rc; ino++) {
		if (!m->inodes[ino]) {
			if (t.nr[ino]) {
				snprintf(why, size,
					 "%llu frames cached for evicted inode "
					 "%u",
					 (unsigned long long)t.nr[ino], ino);
				rc = -EUCLEAN;
			}
			continue;
		}
		if (m->inodes[ino]->nrpages != t.nr[ino]) {
			snprintf(why, size,
				 "%s: %llu pages indexed, %llu frames cached",
				 m->inodes[ino]->path,
				 (unsigned long long)m->inodes[ino]->nrpages,
				 (unsigned long long)t.nr[ino]);
			rc = -EUCLEAN;
		}
	}
	free(t.nr);
	return rc;
}

/*
 * A frame's mapcount is the PTEs that map it; an anonymous frame of a
 * live process that nothing maps has leaked.
 */
static int check_mapcount(pfn_t pfn, const struct page *p, void *arg)
{
	struct mm_tally *t = arg;
	const struct task_struct *owner;
	int32_t want = t->mapcount[pfn];

	if (p->state == PAGE_TAIL || p->state == PAGE_BUDDY)
		return 0;
	owner = find_task_by_pid(t->m, (int)p->owner);
	/* an unmapped anonymous page is only kept by the swap cache */
	if (p->mapcount == want &&
	    !(p->state == PAGE_ANON && !want && owner && owner->mm &&
	      !(p->flags & PG_swapcache)))
		return 0;
	snprintf(t->why, t->size,
		 "frame %#x (%s): mapcount %d, page tables map it %d times",
		 pfn, page_state_name(p->state), p->mapcount, want);
	return -EUCLEAN;
}

int check_mm_accounting(const struct machine *m, char *why, size_t size)
{
	struct mm_tally tally = {.m = m, .why = why, .size = size};
	int i, rc = 0;

	tally.mapcount = calloc(m->max_pfn, sizeof(*tally.mapcount));
	if (!tally.mapcount)
		return -ENOMEM;
	for (i = 0; i < m->nr_tasks && !rc; i++) {
		const struct mm_struct *mm = m->tasks[i].mm;
		int k;

		if (!mm)
			continue;
		memset(tally.rss, 0, sizeof(tally.rss));
		if (walk_page_range(m, mm, 0, TASK_SIZE, tally_mapping,
				    &tally)) {
			snprintf(why, size,
				 "process %d maps a frame that is not user "
				 "memory",
				 m->tasks[i].pid);
			rc = -EUCLEAN;
			break;
		}
		for (k = 0; k < NR_MM_COUNTERS; k++) {
			if (k != MM_SWAPENTS &&
			    tally.rss[k] != mm->rss_stat[k]) {
				snprintf(why, size,
					 "process %d: rss counter %d is %llu, "
					 "its page tables map %llu",
					 m->tasks[i].pid, k,
					 (unsigned long long)mm->rss_stat[k],
					 (unsigned long long)tally.rss[k]);
				rc = -EUCLEAN;
			}
		}
		if (!rc && (mm_pgtable_pages(mm) - 1) * PAGE_SIZE !=
				   mm->pgtables_bytes) {
			snprintf(why, size,
				 "process %d: VmPTE says %llu bytes, it has "
				 "%llu "
				 "tables",
				 m->tasks[i].pid,
				 (unsigned long long)mm->pgtables_bytes,
				 (unsigned long long)mm_pgtable_pages(mm));
			rc = -EUCLEAN;
		}
	}
	if (!rc)
		rc = walk_pages(m, check_mapcount, &tally);
	free(tally.mapcount);
	rc = rc ?: check_page_cache(m, why, size);
	return rc ?: check_filemap_accounting(m, why, size);
}
