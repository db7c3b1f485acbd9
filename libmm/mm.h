/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Address spaces: the VMAs of a process and the four-level page tables
 * that map them, as include/linux/mm_types.h and mm.h describe them on
 * x86_64 with 4 KiB pages and 47-bit user addresses.
 */
#ifndef MMSIM_MM_H
#define MMSIM_MM_H

#include <stddef.h>
#include <stdint.h>

#include "mm_types.h"
#include "mmzone.h"

struct machine;

#define TASK_SIZE 0x00007ffffffff000ULL /* (1 << 47) - PAGE_SIZE */
#define PTRS_PER_TABLE 512
#define PMD_SHIFT 21
#define PMD_SIZE (1ULL << PMD_SHIFT)
#define PUD_SHIFT 30
#define PGDIR_SHIFT 39
/* The legacy vsyscall page: not a VMA, but maps shows it. */
#define VSYSCALL_ADDR 0xffffffffff600000ULL

/* vm_flags (include/linux/mm.h) */
#define VM_NONE 0x00000000ULL
#define VM_READ 0x00000001ULL
#define VM_WRITE 0x00000002ULL
#define VM_EXEC 0x00000004ULL
#define VM_SHARED 0x00000008ULL
#define VM_MAYREAD 0x00000010ULL
#define VM_MAYWRITE 0x00000020ULL
#define VM_MAYEXEC 0x00000040ULL
#define VM_MAYSHARE 0x00000080ULL
#define VM_GROWSDOWN 0x00000100ULL
#define VM_PFNMAP 0x00000400ULL
#define VM_LOCKED 0x00002000ULL
#define VM_IO 0x00004000ULL
#define VM_SEQ_READ 0x00008000ULL
#define VM_RAND_READ 0x00010000ULL
#define VM_DONTCOPY 0x00020000ULL
#define VM_DONTEXPAND 0x00040000ULL
#define VM_ACCOUNT 0x00100000ULL
#define VM_NORESERVE 0x00200000ULL
#define VM_HUGETLB 0x00400000ULL
#define VM_DONTDUMP 0x04000000ULL
#define VM_SOFTDIRTY 0x08000000ULL
#define VM_MIXEDMAP 0x10000000ULL
#define VM_HUGEPAGE 0x20000000ULL
#define VM_NOHUGEPAGE 0x40000000ULL
#define VM_MERGEABLE 0x80000000ULL

#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)
#define VM_MAY_FLAGS (VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)

/* x86 page-table entry bits (arch/x86/include/asm/pgtable_types.h) */
#define _PAGE_PRESENT (1ULL << 0)
#define _PAGE_RW (1ULL << 1)
#define _PAGE_USER (1ULL << 2)
#define _PAGE_ACCESSED (1ULL << 5)
#define _PAGE_DIRTY (1ULL << 6)
#define _PAGE_PSE (1ULL << 7) /* a 2 MiB leaf at the PMD level */
#define _PAGE_SPECIAL (1ULL << 9) /* no struct page behind it (zero page) */
#define _PAGE_SOFT_DIRTY (1ULL << 11)
#define _PAGE_NX (1ULL << 63)
#define PTE_PFN_MASK 0x000ffffffffff000ULL

static inline pfn_t pte_pfn(uint64_t pte)
{
	return (pfn_t)((pte & PTE_PFN_MASK) >> PAGE_SHIFT);
}

/* What a VMA with no file is, for the names /proc/PID/maps prints. */
enum vma_kind {
	VMA_PLAIN, /* file-backed, or nameless anonymous memory */
	VMA_HEAP, /* [heap] */
	VMA_STACK, /* [stack] */
	VMA_VVAR, /* [vvar] */
	VMA_VVAR_VCLOCK, /* [vvar_vclock] */
	VMA_VDSO, /* [vdso] */
};

#define VMA_NAME_LEN 80

struct vm_area_struct {
	uint64_t vm_start, vm_end; /* [start, end), page aligned */
	uint64_t vm_flags;
	/* file offset in pages; for anonymous memory vm_start's page number */
	uint64_t vm_pgoff;
	uint32_t ino; /* the mapped file (an inode of filemap.h); 0: none */
	uint8_t kind; /* enum vma_kind */
	uint8_t has_anon; /* has anonymous pages (an anon_vma): fork copies */
	uint8_t resv_owner; /* private hugetlb: owns the pool reservation */
	/* "[anon:NAME]" from prctl(PR_SET_VMA_ANON_NAME), or "" */
	char anon_name[VMA_NAME_LEN];
	/*
	 * VMA swap readahead (swap_state.c): the page address of the last
	 * swap fault, its window (bits 6-11) and the readahead hits since
	 * (bits 0-5); 0 until the first one.
	 */
	uint64_t swap_readahead_info;
	/* the objcgs of its vm_area_struct and of its anon_vma and chain */
	uint32_t objcg, anon_objcg;
};

/* Resident pages by kind (include/linux/mm_types_task.h) */
enum mm_counter {
	MM_FILEPAGES,
	MM_ANONPAGES,
	MM_SWAPENTS,
	MM_SHMEMPAGES,
	NR_MM_COUNTERS
};

/*
 * One page of a page table: 512 entries, kept in the frame at @pfn.  The
 * upper levels also keep pointers to the tables their entries name, which
 * a real MMU finds through the physical address.
 */
struct pt_table {
	pfn_t pfn;
	uint16_t nr_used; /* entries that are not zero */
	uint64_t entry[PTRS_PER_TABLE];
	struct pt_table **child; /* NULL at the PTE level */
};

/* A chunk of the glibc-like heap (see malloc.c). */
struct malloc_chunk {
	uint64_t addr; /* the user pointer malloc() returned */
	uint64_t size; /* the chunk, header included */
	uint8_t in_use;
	uint8_t mmapped; /* a chunk of its own mapping */
};

struct malloc_state {
	struct malloc_chunk *chunks; /* ascending addr */
	uint32_t nr_chunks, size;
	uint64_t top; /* start of the top chunk (end of the last chunk) */
};

struct mm_struct {
	struct vm_area_struct *vmas; /* ascending vm_start, never overlapping */
	uint32_t nr_vmas, vmas_size;
	struct pt_table *pgd;
	int owner; /* PID of the task it belongs to */
	uint32_t objcg; /* its mm_struct's (memcontrol.h) */

	uint64_t mmap_base; /* top of the mmap area, which grows down */
	uint64_t start_code, end_code, start_data, end_data;
	uint64_t start_brk, brk, start_stack;
	uint64_t arg_start, arg_end, env_start, env_end;
	uint32_t exe_ino; /* the executable, for /proc/PID/exe */

	uint64_t rss_stat[NR_MM_COUNTERS];
	uint64_t hiwater_rss, hiwater_vm; /* peaks, in pages */
	uint64_t total_vm, locked_vm, pinned_vm; /* pages */
	uint64_t data_vm, exec_vm, stack_vm; /* pages */
	uint64_t pgtables_bytes;

	/* TLB bookkeeping (arch/x86/mm/tlb.c) */
	uint64_t ctx_id; /* never reused, unlike PCIDs */
	uint64_t tlb_gen; /* bumped by every flush of this mm */

	struct malloc_state heap;
};

static inline uint64_t get_mm_counter(const struct mm_struct *mm, int member)
{
	return mm->rss_stat[member];
}

static inline uint64_t get_mm_rss(const struct mm_struct *mm)
{
	return mm->rss_stat[MM_FILEPAGES] + mm->rss_stat[MM_ANONPAGES] +
	       mm->rss_stat[MM_SHMEMPAGES];
}

/* The VMA containing @addr, or else the first one above it, or NULL. */
const struct vm_area_struct *find_vma(const struct mm_struct *mm,
				      uint64_t addr);

/*
 * What one present entry of a page table maps, for the walkers of
 * /proc/PID/smaps, numa_maps and pagemap.
 */
struct pte_info {
	uint64_t addr; /* virtual address the entry maps */
	uint64_t pte; /* the raw entry */
	unsigned int shift; /* PAGE_SHIFT, or PMD_SHIFT for a 2 MiB leaf */
	pfn_t pfn;
	int zero_page; /* the shared zero page: no struct page is counted */
	/* for a frame with a struct page: */
	enum page_state state; /* of the block the frame belongs to */
	uint16_t page_flags; /* enum page_flag_bits of that block */
	int32_t mapcount; /* PTEs mapping this frame in all processes */
	int nid; /* node the frame lies on */
};

/*
 * Call @fn for each present entry mapping [@start, @end) in ascending
 * address order; stops and returns @fn's value if non-zero.
 */
int walk_page_range(const struct machine *m, const struct mm_struct *mm,
		    uint64_t start, uint64_t end,
		    int (*fn)(const struct pte_info *pi, void *arg), void *arg);

/* The raw entry mapping @addr (0 if none) and its level's shift. */
uint64_t lookup_pte(const struct mm_struct *mm, uint64_t addr,
		    unsigned int *shift);

/*
 * The address-space invariants: every mapping of every process counted in
 * its frame's mapcount and its mm's rss counters, no anonymous frame left
 * unmapped, VmPTE equal to the tables held.  0, or -EUCLEAN and @why.
 */
int check_mm_accounting(const struct machine *m, char *why, size_t size);

/* The frame of the shared zero page. */
pfn_t zero_pfn(const struct machine *m);

#endif
