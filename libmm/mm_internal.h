/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the address-space code (pgtable.c, rmap.c, fault.c, vma.c,
 * fork.c, binfmt_elf.c, malloc.c) shares inside libmm.
 */
#ifndef MMSIM_MM_INTERNAL_H
#define MMSIM_MM_INTERNAL_H

#include "machine.h"
#include "mm.h"
#include "task.h"

#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & PAGE_MASK)

/* ---- pgtable.c ---- */

/* An mm with an empty PGD: 0 and *@out, or -ENOMEM. */
int mm_alloc(struct machine *m, int owner, int cpu, struct mm_struct **out);
/* Tear down everything @mm maps and holds, and free it (exit_mmap). */
void mmput(struct machine *m, struct mm_struct *mm, int cpu);

/* Checkpoint loading: count every PTE into its frame's mapcount. */
int mm_rebuild_mapcounts(struct machine *m, struct mm_struct *mm);

/* Free the host memory of @mm, leaving the simulated frames alone. */
void mm_free_host(struct mm_struct *mm);

/* The PTE-level table mapping @addr, or NULL if there is none. */
struct pt_table *pte_table(const struct mm_struct *mm, uint64_t addr);
/* The same, allocating the missing levels: 0, or -ENOMEM. */
int pte_table_alloc(struct machine *m, struct mm_struct *mm, uint64_t addr,
		    int cpu, struct pt_table **out);
void set_pte(struct pt_table *t, unsigned int i, uint64_t pte);

static inline unsigned int pte_index(uint64_t addr)
{
	return (unsigned int)(addr >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1);
}

/*
 * Unmap [@start, @end) of @vma: drop each page's mapping, free anonymous
 * pages nobody maps any more.  Returns the number of entries cleared.
 */
uint64_t zap_page_range(struct machine *m, struct mm_struct *mm,
			const struct vm_area_struct *vma, uint64_t start,
			uint64_t end);
/*
 * Free the page tables that map only [@floor, @ceiling) (@ceiling 0: the
 * top of the address space), within [@start, @end): free_pgtables().
 */
void free_pgtables(struct machine *m, struct mm_struct *mm, uint64_t start,
		   uint64_t end, uint64_t floor, uint64_t ceiling);
/* fork: share @vma's pages with @dst, write-protecting private ones. */
int copy_page_range(struct machine *m, struct mm_struct *dst,
		    struct mm_struct *src, const struct vm_area_struct *vma,
		    int cpu);
/* Change the protection bits of the present entries in [@start, @end). */
uint64_t change_protection(struct machine *m, struct mm_struct *mm,
			   uint64_t start, uint64_t end, uint64_t vm_flags);

static inline unsigned int pmd_index(uint64_t addr)
{
	return (unsigned int)(addr >> PMD_SHIFT) & (PTRS_PER_TABLE - 1);
}

/* The PMD-level table covering @addr, or NULL. */
struct pt_table *pmd_table(const struct mm_struct *mm, uint64_t addr);
int pmd_table_alloc(struct machine *m, struct mm_struct *mm, uint64_t addr,
		    int cpu, struct pt_table **out);
/* A PTE-level table on its own, as a huge PMD deposits one. */
int pte_table_alloc_one(struct machine *m, struct mm_struct *mm, int cpu,
			struct pt_table **out);
void pte_table_free_one(struct machine *m, struct mm_struct *mm,
			struct pt_table *t);
uint64_t mk_pmd_table_entry(const struct pt_table *pte_table);
/* The entry that maps @addr (a PTE, or a huge PMD), or NULL. */
uint64_t *pte_slot(const struct mm_struct *mm, uint64_t addr,
		   unsigned int *shift);

/* ---- hugetlb.c: MAP_HUGETLB mappings of the pool's pages ---- */

int hugetlb_fault(struct machine *m, struct task_struct *t,
		  struct vm_area_struct *vma, uint64_t addr,
		  unsigned int flags);
uint64_t hugetlb_zap(struct machine *m, struct mm_struct *mm,
		     const struct vm_area_struct *vma, uint64_t start,
		     uint64_t end);
int copy_hugetlb_page_range(struct machine *m, struct mm_struct *dst,
			    struct mm_struct *src,
			    const struct vm_area_struct *vma, int cpu);
struct inode;
/* The last mapping of a hugetlbfs object went: its pages go back. */
void hugetlbfs_evict_inode(struct machine *m, struct inode *inode);

/* ---- huge_memory.c ---- */

/* THP modes of /sys/kernel/mm/transparent_hugepage/enabled */
enum thp_mode { THP_NEVER, THP_MADVISE, THP_ALWAYS };

static inline int pmd_trans_huge_at(const struct mm_struct *mm, uint64_t addr)
{
	const struct pt_table *pmd = pmd_table(mm, addr);

	return pmd && (pmd->entry[pmd_index(addr)] & _PAGE_PSE);
}

/*
 * A write fault in a THP-eligible anonymous VMA: map a whole 2 MiB page.
 * 0, or -EAGAIN to fall back to small pages.
 */
int do_huge_pmd_anonymous_page(struct machine *m, struct task_struct *t,
			       struct vm_area_struct *vma, uint64_t addr);
/* A write to a write-protected huge PMD: reuse it or split it. */
int do_huge_pmd_wp_page(struct machine *m, struct task_struct *t,
			uint64_t addr);
/*
 * Map the huge page at @addr in @mm by PTEs in every process that maps
 * it, and split the page itself (split_huge_page).
 */
void split_huge_page_address(struct machine *m, struct mm_struct *mm,
			     uint64_t addr);
void zap_huge_pmd(struct machine *m, struct mm_struct *mm, uint64_t addr);
int copy_huge_pmd(struct machine *m, struct mm_struct *dst,
		  struct mm_struct *src, uint64_t addr, int cow, int cpu);
/* Whether @vma may get huge pages (the THPeligible of smaps). */
int thp_vma_allowable(const struct machine *m,
		      const struct vm_area_struct *vma);
/* Frames of page tables held by @mm, the PGD included. */
uint64_t mm_pgtable_pages(const struct mm_struct *mm);
/* A PTE for frame @pfn with the protection of @vm_flags. */
uint64_t mk_pte(pfn_t pfn, uint64_t vm_flags);

/* ---- rmap.c ---- */

/* A new mapping of @pfn by @mm (a frame with a struct page). */
void page_add_rmap(struct machine *m, struct mm_struct *mm, pfn_t pfn);
/* A mapping of @pfn by @mm went away; frees anon pages left unmapped. */
void page_remove_rmap(struct machine *m, struct mm_struct *mm, pfn_t pfn);
int mm_counter_of(enum page_state state);
/* Allocate a zeroed (or copied) anonymous page for @vma at @addr. */
int alloc_anon_page(struct machine *m, struct mm_struct *mm,
		    struct vm_area_struct *vma, uint64_t addr, int cpu,
		    pfn_t *pfn);

/* Every PTE mapping a frame of a range, for migrating them (compaction). */
struct rmap_entry {
	pfn_t pfn;
	uint64_t addr;
	struct mm_struct *mm;
	uint64_t *slot;
};

struct rmap_index {
	struct rmap_entry *e;
	size_t nr, size;
};

int rmap_index_build(struct machine *m, pfn_t start, pfn_t end,
		     struct rmap_index *ri);
void rmap_index_free(struct rmap_index *ri);
/* Point the PTEs that map @from at @to, flushing their TLB entries. */
void rmap_move(struct machine *m, const struct rmap_index *ri, pfn_t from,
	       pfn_t to, int cpu);

/* ---- fault.c ---- */

#define FAULT_FLAG_WRITE 0x01

/*
 * Resolve a fault at @addr of @t: 0 (and *@major set for a major fault),
 * -EFAULT (no VMA, or an access the VMA does not allow: SIGSEGV), or
 * -ENOMEM.
 */
int handle_mm_fault(struct machine *m, struct task_struct *t, uint64_t addr,
		    unsigned int flags, int *major);
/* An access as the CPU makes it: fault only if the PTE does not allow it. */
int access_page(struct machine *m, struct task_struct *t, uint64_t addr,
		int write);

/* ---- vma.c ---- */

struct vm_area_struct *find_vma_mut(struct mm_struct *mm, uint64_t addr);
/* Insert a VMA (no overlap allowed); 0 or -ENOMEM. */
int vma_insert(struct mm_struct *mm, const struct vm_area_struct *vma);
/*
 * The same with its kernel objects: a vm_area_struct, and an anon_vma and
 * its chain link if it has anonymous pages.  0 or -ENOMEM (nothing taken).
 * vma_insert() alone is for the checkpoint loader.
 */
int insert_vm_struct(struct machine *m, struct mm_struct *mm,
		     const struct vm_area_struct *vma);
/* Give back the kernel objects of all of @mm's VMAs (exit_mmap). */
void exit_vm_structs(struct machine *m, const struct mm_struct *mm);
/*
 * Before a VMA without anonymous pages gets its first one: take its
 * anon_vma and chain link (0 or -ENOMEM).  The caller sets has_anon once
 * the page is there, or calls anon_vma_unprepare() if it did not come.
 */
int anon_vma_prepare(struct machine *m, struct vm_area_struct *vma, int nid);
void anon_vma_unprepare(struct machine *m, struct vm_area_struct *vma);
/* A free range of @len bytes for mmap, top down below mmap_base. */
uint64_t get_unmapped_area(const struct mm_struct *mm, uint64_t len);
/* The same, at a multiple of @align (a power of two). */
uint64_t get_unmapped_area_aligned(const struct mm_struct *mm, uint64_t len,
				   uint64_t align);
/*
 * Map [@addr, @addr + @len) (MAP_FIXED semantics: what was there is
 * unmapped): the VMA @proto with its start and end set.
 */
int mmap_region(struct machine *m, struct mm_struct *mm,
		const struct vm_area_struct *proto, int cpu);
int do_munmap(struct machine *m, struct mm_struct *mm, uint64_t start,
	      uint64_t len, int cpu);
/* A VMA stops mapping its file; a shmem object nobody maps is freed. */
void vma_unlink_file(struct machine *m, const struct vm_area_struct *vma);
void vma_link_file(struct machine *m, const struct vm_area_struct *vma);
int do_mprotect(struct machine *m, struct mm_struct *mm, uint64_t start,
		uint64_t len, uint64_t prot, int cpu);
/* madvise that only sets or clears VMA flags (sequential, hugepage...) */
int do_madvise_flags(struct machine *m, struct mm_struct *mm, uint64_t start,
		     uint64_t len, uint64_t set, uint64_t clear);
int do_madvise_dontneed(struct machine *m, struct mm_struct *mm, uint64_t start,
			uint64_t len, int cpu);
/* Move the break by @delta bytes: 0 and *@new_brk, or -ENOMEM. */
int do_brk(struct machine *m, struct mm_struct *mm, int64_t delta, int cpu,
	   uint64_t *new_brk);
void vm_stat_account(struct mm_struct *mm, uint64_t flags, int64_t npages);
/* Sum of the sizes of the VMAs, as total_vm, in pages. */
void mm_update_hiwater(struct mm_struct *mm);

#endif
