// SPDX-License-Identifier: GPL-2.0
/*
 * The address-space files of proc/PID/ (fs/proc/task_mmu.c): maps,
 * smaps, smaps_rollup, numa_maps and pagemap, and the memory lines of
 * status and statm.  Like the kernel's page walkers they look at the
 * task's VMAs and at the page-table entries that map them: the present
 * ones, and the swap entries of pages that went out to a swap area.
 *
 * The kernel they imitate is built without CONFIG_MEM_SOFT_DIRTY (its
 * smaps shows no "sd") and without CONFIG_READ_ONLY_THP_FOR_FS, on CPUs
 * without protection keys: soft-dirty bits never show, only anonymous
 * memory gets huge pages, and no ProtectionKey line is printed.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "filemap.h"
#include "internal.h"
#include "mm.h"
#include "mm_internal.h"
#include "swap.h"

/* smaps keeps PSS in fixed point: bytes << PSS_SHIFT. */
#define PSS_SHIFT 12
/* Where maps pads a name to: 25 + 6 * sizeof(void *) - 1 on 64-bit. */
#define MAPS_NAME_COLUMN 72
#define PMD_NR_PAGES (PMD_SIZE >> PAGE_SHIFT)

/* pagemap entries (Documentation/admin-guide/mm/pagemap.rst) */
#define PM_ENTRY_BYTES 8
#define PM_PFRAME_MASK ((1ULL << 55) - 1)
#define PM_MMAP_EXCLUSIVE (1ULL << 56)
#define PM_FILE (1ULL << 61)
#define PM_SWAP (1ULL << 62)
#define PM_PRESENT (1ULL << 63)
/* a swap entry's frame field: the type in bits 0-4, the offset above */
#define MAX_SWAPFILES_SHIFT 5

/* The flag bits a kernel without CONFIG_MEM_SOFT_DIRTY never has. */
#define VM_FLAGS_NOT_BUILT VM_SOFTDIRTY

static uint64_t page_align(uint64_t addr)
{
	return (addr + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/*
 * Call @fn for each swap entry in [@start, @end) of @mm, in ascending
 * address order: the non-present entries walk_page_range() leaves out.
 * A range without a PTE-level table (or mapped by a huge PMD) has none.
 */
static int
walk_swap_range(const struct mm_struct *mm, uint64_t start, uint64_t end,
		int (*fn)(uint64_t addr, swp_entry_t entry, void *arg),
		void *arg)
{
	uint64_t addr = start & PAGE_MASK, next, pte;
	const struct pt_table *pt;
	int rc;

	while (addr < end) {
		next = (addr | (PMD_SIZE - 1)) + 1;
		if (!next || next > end)
			next = end;
		pt = pte_table(mm, addr);
		for (; pt && addr < next; addr += PAGE_SIZE) {
			pte = pt->entry[pte_index(addr)];
			if (!is_swap_pte(pte))
				continue;
			rc = fn(addr, pte_to_swp_entry(pte), arg);
			if (rc)
				return rc;
		}
		addr = next;
	}
	return 0;
}

/* ---- status and statm ---- */

static int count_hugetlb(const struct pte_info *pi, void *arg)
{
	uint64_t *bytes = arg;

	if (pi->state == PAGE_HUGETLB)
		*bytes += 1ULL << pi->shift;
	return 0;
}

/* Bytes of hugetlb pages @mm maps (mm->hugetlb_usage in the kernel). */
static uint64_t hugetlb_usage(const struct machine *m,
			      const struct mm_struct *mm)
{
	uint64_t bytes = 0;
	uint32_t i;

	for (i = 0; i < mm->nr_vmas; i++)
		if (mm->vmas[i].vm_flags & VM_HUGETLB)
			walk_page_range(m, mm, mm->vmas[i].vm_start,
					mm->vmas[i].vm_end, count_hugetlb,
					&bytes);
	return bytes;
}

void task_mem(struct seq_buf *s, const struct machine *m,
	      const struct mm_struct *mm)
{
	uint64_t anon = get_mm_counter(mm, MM_ANONPAGES);
	uint64_t file = get_mm_counter(mm, MM_FILEPAGES);
	uint64_t shmem = get_mm_counter(mm, MM_SHMEMPAGES);
	uint64_t total_rss = anon + file + shmem;
	/* the peaks are kept only when the sizes go down */
	uint64_t hiwater_vm = max_u64(mm->total_vm, mm->hiwater_vm);
	uint64_t hiwater_rss = max_u64(total_rss, mm->hiwater_rss);
	uint64_t text, lib;

	/* executable mappings split between the program's text and libraries */
	text = page_align(mm->end_code) - (mm->start_code & ~(PAGE_SIZE - 1));
	text = min_u64(text, mm->exec_vm << PAGE_SHIFT);
	lib = (mm->exec_vm << PAGE_SHIFT) - text;

	seq_printf(s, "VmPeak:\t%8" PRIu64 " kB\n", pages_to_kb(hiwater_vm));
	seq_printf(s, "VmSize:\t%8" PRIu64 " kB\n", pages_to_kb(mm->total_vm));
	seq_printf(s, "VmLck:\t%8" PRIu64 " kB\n", pages_to_kb(mm->locked_vm));
	seq_printf(s, "VmPin:\t%8" PRIu64 " kB\n", pages_to_kb(mm->pinned_vm));
	seq_printf(s, "VmHWM:\t%8" PRIu64 " kB\n", pages_to_kb(hiwater_rss));
	seq_printf(s, "VmRSS:\t%8" PRIu64 " kB\n", pages_to_kb(total_rss));
	seq_printf(s, "RssAnon:\t%8" PRIu64 " kB\n", pages_to_kb(anon));
	seq_printf(s, "RssFile:\t%8" PRIu64 " kB\n", pages_to_kb(file));
	seq_printf(s, "RssShmem:\t%8" PRIu64 " kB\n", pages_to_kb(shmem));
	seq_printf(s, "VmData:\t%8" PRIu64 " kB\n", pages_to_kb(mm->data_vm));
	seq_printf(s, "VmStk:\t%8" PRIu64 " kB\n", pages_to_kb(mm->stack_vm));
	seq_printf(s, "VmExe:\t%8" PRIu64 " kB\n", text >> 10);
	seq_printf(s, "VmLib:\t%8" PRIu64 " kB\n", lib >> 10);
	seq_printf(s, "VmPTE:\t%8" PRIu64 " kB\n", mm->pgtables_bytes >> 10);
	seq_printf(s, "VmSwap:\t%8" PRIu64 " kB\n",
		   pages_to_kb(get_mm_counter(mm, MM_SWAPENTS)));
	/* hugetlb_report_usage(): the huge pages this mm maps */
	seq_printf(s, "HugetlbPages:\t%8" PRIu64 " kB\n",
		   hugetlb_usage(m, mm) >> 10);
}

uint64_t task_vsize(const struct mm_struct *mm)
{
	return mm->total_vm << PAGE_SHIFT;
}

uint64_t task_statm(const struct mm_struct *mm, uint64_t *shared,
		    uint64_t *text, uint64_t *data, uint64_t *resident)
{
	*shared = get_mm_counter(mm, MM_FILEPAGES) +
		  get_mm_counter(mm, MM_SHMEMPAGES);
	*text = (page_align(mm->end_code) -
		 (mm->start_code & ~(PAGE_SIZE - 1))) >>
		PAGE_SHIFT;
	*data = mm->data_vm + mm->stack_vm;
	*resident = *shared + get_mm_counter(mm, MM_ANONPAGES);
	return mm->total_vm;
}

/* ---- VMAs and their names ---- */

/* The x86_64 vsyscall page: no VMA of the mm, but maps shows it last. */
static const struct vm_area_struct gate_vma = {
	.vm_start = VSYSCALL_ADDR,
	.vm_end = VSYSCALL_ADDR + PAGE_SIZE,
	.vm_flags = VM_EXEC,
};

static const struct inode *vma_inode(const struct machine *m,
				     const struct vm_area_struct *vma)
{
	return vma->ino ? inode_get(m, vma->ino) : NULL;
}

static int vma_is_initial_heap(const struct mm_struct *mm,
			       const struct vm_area_struct *vma)
{
	return vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk;
}

static int vma_is_initial_stack(const struct mm_struct *mm,
				const struct vm_area_struct *vma)
{
	return vma->vm_start <= mm->start_stack &&
	       vma->vm_end >= mm->start_stack;
}

static const char *special_mapping_name(const struct vm_area_struct *vma)
{
	if (vma == &gate_vma)
		return "[vsyscall]";
	switch (vma->kind) {
	case VMA_VVAR:
		return "[vvar]";
	case VMA_VVAR_VCLOCK:
		return "[vvar_vclock]";
	case VMA_VDSO:
		return "[vdso]";
	default:
		return NULL;
	}
}

/*
 * A path as d_path() gives it (" (deleted)" after an unlinked file) with
 * the characters of @esc written as "\ooo", as seq_path() does.
 */
static void seq_inode_path(struct seq_buf *s, const struct inode *inode,
			   const char *esc)
{
	static const char deleted[] = " (deleted)";
	const char *parts[2] = {inode->path ? inode->path : "",
				inode->unlinked ? deleted : ""};
	const char *p;
	int i;

	for (i = 0; i < 2; i++) {
		for (p = parts[i]; *p; p++) {
			if (strchr(esc, *p))
				seq_printf(s, "\\%03o", (unsigned char)*p);
			else
				seq_putc(s, *p);
		}
	}
}

/* seq_pad(): spaces up to the name column of the line at @line, then one. */
static void seq_pad(struct seq_buf *s, size_t line)
{
	while (s->len < line + MAPS_NAME_COLUMN && !s->error)
		seq_putc(s, ' ');
	seq_putc(s, ' ');
}

static void show_vma_header_prefix(struct seq_buf *s, uint64_t start,
				   uint64_t end, uint64_t flags, uint64_t pgoff,
				   uint32_t dev, uint64_t ino)
{
	seq_printf(s,
		   "%08" PRIx64 "-%08" PRIx64 " %c%c%c%c %08" PRIx64
		   " %02x:%02x %" PRIu64 " ",
		   start, end, flags & VM_READ ? 'r' : '-',
		   flags & VM_WRITE ? 'w' : '-', flags & VM_EXEC ? 'x' : '-',
		   flags & VM_MAYSHARE ? 's' : 'p', pgoff, (dev >> 8) & 0xff,
		   dev & 0xff, ino);
}

/* One line of maps, which is also the head of each VMA in smaps. */
static void show_map_vma(struct seq_buf *s, const struct machine *m,
			 const struct mm_struct *mm,
			 const struct vm_area_struct *vma)
{
	const struct inode *inode = vma_inode(m, vma);
	size_t line = s->len;
	const char *name;

	show_vma_header_prefix(s, vma->vm_start, vma->vm_end, vma->vm_flags,
			       inode ? vma->vm_pgoff << PAGE_SHIFT : 0,
			       inode ? inode->dev : 0,
			       inode ? inode->i_ino : 0);
	if (inode) {
		seq_pad(s, line);
		/* a shared anonymous region named with PR_SET_VMA */
		if (vma->anon_name[0])
			seq_printf(s, "[anon_shmem:%s]", vma->anon_name);
		else
			seq_inode_path(s, inode, "\n");
	} else if ((name = special_mapping_name(vma))) {
		seq_pad(s, line);
		seq_puts(s, name);
	} else if (vma_is_initial_heap(mm, vma)) {
		seq_pad(s, line);
		seq_puts(s, "[heap]");
	} else if (vma_is_initial_stack(mm, vma)) {
		seq_pad(s, line);
		seq_puts(s, "[stack]");
	} else if (vma->anon_name[0]) {
		seq_pad(s, line);
		seq_printf(s, "[anon:%s]", vma->anon_name);
	}
	seq_putc(s, '\n');
}

int proc_pid_maps(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct mm_struct *mm = ctx->task->mm;
	uint32_t i;

	/* a kernel thread's maps reads empty */
	if (!mm)
		return 0;
	for (i = 0; i < mm->nr_vmas; i++)
		show_map_vma(s, ctx->m, mm, &mm->vmas[i]);
	show_map_vma(s, ctx->m, mm, &gate_vma);
	return 0;
}

/* ---- smaps ---- */

/* Byte counts, and PSS in fixed point (<< PSS_SHIFT). */
struct mem_size_stats {
	uint64_t resident;
	uint64_t shared_clean;
	uint64_t shared_dirty;
	uint64_t private_clean;
	uint64_t private_dirty;
	uint64_t referenced;
	uint64_t anonymous;
	uint64_t lazyfree;
	uint64_t anonymous_thp;
	uint64_t shmem_thp;
	uint64_t file_thp;
	uint64_t swap;
	uint64_t shared_hugetlb;
	uint64_t private_hugetlb;
	uint64_t ksm;
	uint64_t pss;
	uint64_t pss_anon;
	uint64_t pss_file;
	uint64_t pss_shmem;
	uint64_t pss_dirty;
	uint64_t pss_locked;
	uint64_t swap_pss;
};

struct smaps_walk {
	struct mem_size_stats *mss;
	const struct vm_area_struct *vma;
	int locked; /* VM_LOCKED: the PSS is Locked too */
};

/*
 * The page behind an entry, as vm_normal_page() finds it: none for the
 * zero page, special entries and raw PFN mappings.
 */
static int pte_has_page(const struct pte_info *pi,
			const struct vm_area_struct *vma)
{
	return !pi->zero_page && !(pi->pte & _PAGE_SPECIAL) &&
	       !(vma->vm_flags & VM_PFNMAP);
}

static void smaps_page_accumulate(struct mem_size_stats *mss,
				  const struct pte_info *pi, uint64_t size,
				  uint64_t pss, int dirty, int locked,
				  int private)
{
	mss->pss += pss;
	if (pi->state == PAGE_ANON)
		mss->pss_anon += pss;
	else if (pi->state == PAGE_SHMEM)
		mss->pss_shmem += pss;
	else
		mss->pss_file += pss;
	if (locked)
		mss->pss_locked += pss;
	if (dirty) {
		mss->pss_dirty += pss;
		if (private)
			mss->private_dirty += size;
		else
			mss->shared_dirty += size;
	} else {
		if (private)
			mss->private_clean += size;
		else
			mss->shared_clean += size;
	}
}

/*
 * smaps_account(): a page mapped by one entry only is private and all of
 * it is this process's; a shared page's size is divided among its
 * mappers, page by page for a huge page.
 */
static int smaps_pte_entry(const struct pte_info *pi, void *arg)
{
	struct smaps_walk *w = arg;
	struct mem_size_stats *mss = w->mss;
	uint64_t nr = pi->shift == PMD_SHIFT ? PMD_NR_PAGES : 1;
	uint64_t size = nr << PAGE_SHIFT;
	int dirty = (pi->pte & _PAGE_DIRTY) || (pi->page_flags & PG_dirty);
	int mapcount = pi->mapcount > 1 ? pi->mapcount : 1;
	uint64_t i;

	if (!pte_has_page(pi, w->vma))
		return 0;
	/* smaps_hugetlb_range(): hugetlb pages are not in Rss */
	if (pi->state == PAGE_HUGETLB) {
		if (pi->mapcount > 1)
			mss->shared_hugetlb += size;
		else
			mss->private_hugetlb += size;
		return 0;
	}
	if (pi->state == PAGE_ANON)
		mss->anonymous += size;
	if (nr > 1) {
		if (pi->state == PAGE_ANON)
			mss->anonymous_thp += size;
		else if (pi->state == PAGE_SHMEM)
			mss->shmem_thp += size;
		else
			mss->file_thp += size;
	}
	mss->resident += size;
	if (pi->pte & _PAGE_ACCESSED)
		mss->referenced += size;
	if (mapcount == 1) {
		smaps_page_accumulate(mss, pi, size, size << PSS_SHIFT, dirty,
				      w->locked, 1);
		return 0;
	}
	for (i = 0; i < nr; i++)
		smaps_page_accumulate(mss, pi, PAGE_SIZE,
				      ((uint64_t)PAGE_SIZE << PSS_SHIFT) /
					      (uint64_t)mapcount,
				      dirty, w->locked, 0);
	return 0;
}

struct smaps_swap_walk {
	const struct machine *m;
	struct mem_size_stats *mss;
};

/*
 * smaps_pte_entry() for a swap entry: the page is in Swap, and its size
 * is divided among the page tables that name its slot (swp_swapcount(),
 * which leaves out the swap cache's reference).
 */
static int smaps_swap_entry(uint64_t addr, swp_entry_t entry, void *arg)
{
	struct smaps_swap_walk *w = arg;
	struct mem_size_stats *mss = w->mss;
	unsigned int mapcount = swap_count(w->m, entry);
	uint64_t pss_delta = (uint64_t)PAGE_SIZE << PSS_SHIFT;

	(void)addr;
	mss->swap += PAGE_SIZE;
	if (mapcount >= 2)
		pss_delta /= mapcount;
	mss->swap_pss += pss_delta;
	return 0;
}

/*
 * shmem_swap_usage(): the pages of a shmem mapping that are out in swap
 * count in its Swap.  A private writable one counts only those it has
 * not replaced with a copy of its own (the holes in its page tables).
 */
static uint64_t shmem_swap_usage(const struct machine *m,
				 const struct mm_struct *mm,
				 const struct vm_area_struct *vma)
{
	const struct inode *inode = vma->ino ? inode_get(m, vma->ino) : NULL;
	int holes = !(vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_WRITE);
	uint64_t addr, swapped = 0;
	unsigned int shift;

	if (!inode || !inode->swapped)
		return 0;
	for (addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
		uint64_t index =
			vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);

		if (shmem_page_swapped(inode, index) &&
		    !(holes && lookup_pte(mm, addr, &shift)))
			swapped += PAGE_SIZE;
	}
	return swapped;
}

static void smap_gather_stats(const struct machine *m,
			      const struct mm_struct *mm,
			      const struct vm_area_struct *vma,
			      struct mem_size_stats *mss)
{
	struct smaps_walk w = {mss, vma, !!(vma->vm_flags & VM_LOCKED)};
	struct smaps_swap_walk sw = {m, mss};

	/* the vsyscall page is not in the process's page tables */
	if (vma == &gate_vma)
		return;
	walk_page_range(m, mm, vma->vm_start, vma->vm_end, smaps_pte_entry, &w);
	if (!(vma->vm_flags & VM_HUGETLB))
		walk_swap_range(mm, vma->vm_start, vma->vm_end,
				smaps_swap_entry, &sw);
	mss->swap += shmem_swap_usage(m, mm, vma);
}

/* A "Label:  value kB" line: the value in kB, right-aligned in 8. */
static void seq_put_kb(struct seq_buf *s, const char *label, uint64_t bytes)
{
	seq_printf(s, "%s%8" PRIu64 " kB\n", label, bytes >> 10);
}

static void __show_smap(struct seq_buf *s, const struct mem_size_stats *mss,
			int rollup)
{
	seq_put_kb(s, "Rss:            ", mss->resident);
	seq_put_kb(s, "Pss:            ", mss->pss >> PSS_SHIFT);
	seq_put_kb(s, "Pss_Dirty:      ", mss->pss_dirty >> PSS_SHIFT);
	/* the split is meaningful only for a whole process */
	if (rollup) {
		seq_put_kb(s, "Pss_Anon:       ", mss->pss_anon >> PSS_SHIFT);
		seq_put_kb(s, "Pss_File:       ", mss->pss_file >> PSS_SHIFT);
		seq_put_kb(s, "Pss_Shmem:      ", mss->pss_shmem >> PSS_SHIFT);
	}
	seq_put_kb(s, "Shared_Clean:   ", mss->shared_clean);
	seq_put_kb(s, "Shared_Dirty:   ", mss->shared_dirty);
	seq_put_kb(s, "Private_Clean:  ", mss->private_clean);
	seq_put_kb(s, "Private_Dirty:  ", mss->private_dirty);
	seq_put_kb(s, "Referenced:     ", mss->referenced);
	seq_put_kb(s, "Anonymous:      ", mss->anonymous);
	seq_put_kb(s, "KSM:            ", mss->ksm);
	seq_put_kb(s, "LazyFree:       ", mss->lazyfree);
	seq_put_kb(s, "AnonHugePages:  ", mss->anonymous_thp);
	seq_put_kb(s, "ShmemPmdMapped: ", mss->shmem_thp);
	seq_put_kb(s, "FilePmdMapped:  ", mss->file_thp);
	seq_put_kb(s, "Shared_Hugetlb: ", mss->shared_hugetlb);
	/* one character longer than the others: the value is one narrower */
	seq_printf(s, "Private_Hugetlb: %7" PRIu64 " kB\n",
		   mss->private_hugetlb >> 10);
	seq_put_kb(s, "Swap:           ", mss->swap);
	seq_put_kb(s, "SwapPss:        ", mss->swap_pss >> PSS_SHIFT);
	seq_put_kb(s, "Locked:         ", mss->pss_locked >> PSS_SHIFT);
}

/*
 * thp_vma_allowable_orders() for smaps: whether the THP mode and the
 * VMA's flags allow huge pages, and a PMD-aligned 2 MiB fits in it.
 */
static int thp_vma_eligible(const struct machine *m,
			    const struct vm_area_struct *vma)
{
	uint64_t haddr;

	if (vma == &gate_vma || !thp_vma_allowable(m, vma))
		return 0;
	/* the highest PMD-aligned 2 MiB that ends inside the VMA */
	if (vma->vm_end - vma->vm_start < PMD_SIZE)
		return 0;
	haddr = (vma->vm_end - PMD_SIZE) & ~(PMD_SIZE - 1);
	return haddr >= vma->vm_start;
}

/* VmFlags mnemonics by bit; "??" marks a bit this kernel does not know. */
static const char *vm_flag_mnemonic(unsigned int bit)
{
	static const char *const mnemonics[64] = {
		[0] = "rd",
		[1] = "wr",
		[2] = "ex",
		[3] = "sh",
		[4] = "mr",
		[5] = "mw",
		[6] = "me",
		[7] = "ms",
		[8] = "gd",
		[9] = "um",
		[10] = "pf",
		[12] = "uw",
		[13] = "lo",
		[14] = "io",
		[15] = "sr",
		[16] = "rr",
		[17] = "dc",
		[18] = "de",
		[19] = "lf",
		[20] = "ac",
		[21] = "nr",
		[22] = "ht",
		[23] = "sf",
		[24] = "ar",
		[25] = "wf",
		[26] = "dd",
		[28] = "mm",
		[29] = "hg",
		[30] = "nh",
		[31] = "mg",
		/* the protection-key bits show as ProtectionKey instead */
		[32] = "",
		[33] = "",
		[34] = "",
		[35] = "",
		[38] = "ui",
		[40] = "dp",
		[42] = "sl",
	};

	return mnemonics[bit] ? mnemonics[bit] : "??";
}

static void show_smap_vma_flags(struct seq_buf *s, uint64_t flags)
{
	unsigned int bit;

	flags &= ~VM_FLAGS_NOT_BUILT;
	seq_puts(s, "VmFlags: ");
	for (bit = 0; bit < 64; bit++) {
		const char *mn = vm_flag_mnemonic(bit);

		if ((flags >> bit) & 1 && *mn) {
			seq_puts(s, mn);
			seq_putc(s, ' ');
		}
	}
	seq_putc(s, '\n');
}

static void show_smap(struct seq_buf *s, const struct machine *m,
		      const struct mm_struct *mm,
		      const struct vm_area_struct *vma)
{
	struct mem_size_stats mss;

	memset(&mss, 0, sizeof(mss));
	smap_gather_stats(m, mm, vma, &mss);
	show_map_vma(s, m, mm, vma);
	seq_put_kb(s, "Size:           ", vma->vm_end - vma->vm_start);
	/* vma_kernel_pagesize(): a hugetlb VMA's page is its huge page */
	seq_put_kb(s, "KernelPageSize: ",
		   vma->vm_flags & VM_HUGETLB ? PMD_SIZE : PAGE_SIZE);
	seq_put_kb(s, "MMUPageSize:    ",
		   vma->vm_flags & VM_HUGETLB ? PMD_SIZE : PAGE_SIZE);
	__show_smap(s, &mss, 0);
	seq_printf(s, "THPeligible:    %8d\n", thp_vma_eligible(m, vma));
	show_smap_vma_flags(s, vma->vm_flags);
}

int proc_pid_smaps(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct mm_struct *mm = ctx->task->mm;
	uint32_t i;

	if (!mm)
		return 0;
	for (i = 0; i < mm->nr_vmas; i++)
		show_smap(s, ctx->m, mm, &mm->vmas[i]);
	show_smap(s, ctx->m, mm, &gate_vma);
	return 0;
}

int proc_pid_smaps_rollup(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct mm_struct *mm = ctx->task->mm;
	struct mem_size_stats mss;
	uint64_t start = 0, end = 0;
	size_t line = s->len;
	uint32_t i;

	/* unlike maps, a kernel thread's rollup cannot be opened */
	if (!mm)
		return -ESRCH;
	memset(&mss, 0, sizeof(mss));
	for (i = 0; i < mm->nr_vmas; i++)
		smap_gather_stats(ctx->m, mm, &mm->vmas[i], &mss);
	if (mm->nr_vmas) {
		start = mm->vmas[0].vm_start;
		end = mm->vmas[mm->nr_vmas - 1].vm_end;
	}
	show_vma_header_prefix(s, start, end, 0, 0, 0, 0);
	seq_pad(s, line);
	seq_puts(s, "[rollup]\n");
	__show_smap(s, &mss, 1);
	return 0;
}

/* ---- numa_maps ---- */

struct numa_maps {
	uint64_t pages;
	uint64_t anon;
	uint64_t active;
	uint64_t writeback;
	uint64_t mapcount_max;
	uint64_t dirty;
	uint64_t swapcache;
	uint64_t node[MAX_NUMNODES];
};

struct numa_walk {
	struct numa_maps *md;
	const struct vm_area_struct *vma;
};

/*
 * can_gather_numa_stats() and gather_stats(): pages with a struct page
 * that is not reserved (the vDSO's are), counted by their head's flags.
 */
static int gather_pte_stats(const struct pte_info *pi, void *arg)
{
	struct numa_walk *w = arg;
	struct numa_maps *md = w->md;
	uint64_t nr = pi->shift == PMD_SHIFT ? PMD_NR_PAGES : 1;

	if (!pte_has_page(pi, w->vma) || pi->state == PAGE_RESERVED ||
	    pi->nid < 0 || pi->nid >= MAX_NUMNODES)
		return 0;
	md->pages += nr;
	if ((pi->pte & _PAGE_DIRTY) || (pi->page_flags & PG_dirty))
		md->dirty += nr;
	if (pi->page_flags & (PG_active | PG_unevictable))
		md->active += nr;
	if (pi->page_flags & PG_writeback)
		md->writeback += nr;
	if (pi->state == PAGE_ANON)
		md->anon += nr;
	if (pi->state == PAGE_ANON && (pi->page_flags & PG_swapcache))
		md->swapcache += nr;
	if (pi->mapcount > 0 && (uint64_t)pi->mapcount > md->mapcount_max)
		md->mapcount_max = (uint64_t)pi->mapcount;
	md->node[pi->nid] += nr;
	return 0;
}

static void show_numa_map(struct seq_buf *s, const struct machine *m,
			  const struct mm_struct *mm,
			  const struct vm_area_struct *vma,
			  struct numa_maps *md)
{
	const struct inode *inode = vma_inode(m, vma);
	struct numa_walk w = {md, vma};
	uint64_t nodes[NODEMASK_WORDS];
	int nid;

	memset(md, 0, sizeof(*md));
	/* no mempolicy is simulated: every VMA follows the task's default */
	seq_printf(s, "%08" PRIx64 " default", vma->vm_start);
	if (inode) {
		seq_puts(s, " file=");
		seq_inode_path(s, inode, "\n\t= ");
	} else if (vma_is_initial_heap(mm, vma)) {
		seq_puts(s, " heap");
	} else if (vma_is_initial_stack(mm, vma)) {
		seq_puts(s, " stack");
	}
	if (vma->vm_flags & VM_HUGETLB)
		seq_puts(s, " huge");
	walk_page_range(m, mm, vma->vm_start, vma->vm_end, gather_pte_stats,
			&w);
	if (md->pages) {
		if (md->anon)
			seq_printf(s, " anon=%" PRIu64, md->anon);
		if (md->dirty)
			seq_printf(s, " dirty=%" PRIu64, md->dirty);
		if (md->pages != md->anon && md->pages != md->dirty)
			seq_printf(s, " mapped=%" PRIu64, md->pages);
		if (md->mapcount_max > 1)
			seq_printf(s, " mapmax=%" PRIu64, md->mapcount_max);
		if (md->swapcache)
			seq_printf(s, " swapcache=%" PRIu64, md->swapcache);
		if (md->active < md->pages && !(vma->vm_flags & VM_HUGETLB))
			seq_printf(s, " active=%" PRIu64, md->active);
		if (md->writeback)
			seq_printf(s, " writeback=%" PRIu64, md->writeback);
		node_states_mask(m, N_MEMORY, nodes);
		for (nid = 0; nid < MAX_NUMNODES; nid++)
			if (bitmap_test(nodes, nid) && md->node[nid])
				seq_printf(s, " N%d=%" PRIu64, nid,
					   md->node[nid]);
		seq_printf(s, " kernelpagesize_kB=%lu", PAGE_SIZE >> 10);
	}
	seq_putc(s, '\n');
}

int proc_pid_numa_maps(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct mm_struct *mm = ctx->task->mm;
	struct numa_maps md;
	uint32_t i;

	/* the vsyscall page has no mm, and show_numa_map() skips it */
	if (!mm)
		return 0;
	for (i = 0; i < mm->nr_vmas; i++)
		show_numa_map(s, ctx->m, mm, &mm->vmas[i], &md);
	return 0;
}

/* ---- pagemap ---- */

struct pagemap_walk {
	char *buf; /* an entry per page from @start */
	uint64_t start, end;
	const struct mm_struct *mm;
};

static void put_le64(char *p, uint64_t v)
{
	int i;

	for (i = 0; i < PM_ENTRY_BYTES; i++)
		p[i] = (char)(v >> (8 * i));
}

/*
 * pte_to_pagemap_entry(): present, with the frame (the reader is root,
 * who may see PFNs); a page of a file or of shmem is marked as such, and
 * one mapped by this entry alone as exclusive.
 */
static int pagemap_pte_entry(const struct pte_info *pi, void *arg)
{
	struct pagemap_walk *w = arg;
	const struct vm_area_struct *vma = find_vma(w->mm, pi->addr);
	uint64_t nr = pi->shift == PMD_SHIFT ? PMD_NR_PAGES : 1;
	uint64_t flags = PM_PRESENT, i, addr;

	if (vma && vma->vm_start <= pi->addr && pte_has_page(pi, vma)) {
		if (pi->state != PAGE_ANON)
			flags |= PM_FILE;
		if (pi->mapcount == 1)
			flags |= PM_MMAP_EXCLUSIVE;
	}
	for (i = 0; i < nr; i++) {
		addr = pi->addr + (i << PAGE_SHIFT);
		if (addr < w->start || addr >= w->end)
			continue;
		put_le64(w->buf + ((addr - w->start) >> PAGE_SHIFT) *
					  PM_ENTRY_BYTES,
			 flags | (((uint64_t)pi->pfn + i) & PM_PFRAME_MASK));
	}
	return 0;
}

/*
 * pte_to_pagemap_entry() for a swap entry: swapped, with the area's type
 * and the slot's offset where a frame would be.  No page stands behind
 * it, so it is neither a file page nor exclusive.
 */
static int pagemap_swap_entry(uint64_t addr, swp_entry_t entry, void *arg)
{
	struct pagemap_walk *w = arg;
	uint64_t frame =
		swp_type(entry) | (swp_offset(entry) << MAX_SWAPFILES_SHIFT);

	put_le64(w->buf + ((addr - w->start) >> PAGE_SHIFT) * PM_ENTRY_BYTES,
		 PM_SWAP | (frame & PM_PFRAME_MASK));
	return 0;
}

/*
 * pagemap_read(): 8 bytes per virtual page, at offset vaddr / 4096 * 8,
 * up to the end of the user address space; pages with nothing present
 * read as 0.
 */
ssize_t proc_pid_pagemap(const struct pfs_ctx *ctx, uint64_t off, size_t size,
			 char *buf)
{
	const struct mm_struct *mm = ctx->task->mm;
	struct pagemap_walk w = {.buf = buf, .mm = mm};
	uint64_t svpfn = off / PM_ENTRY_BYTES, nr;
	uint32_t i;
	int rc;

	if (!mm)
		return -ESRCH;
	if (off % PM_ENTRY_BYTES || size % PM_ENTRY_BYTES)
		return -EINVAL;
	if (!size || svpfn >= TASK_SIZE >> PAGE_SHIFT)
		return 0;
	w.start = svpfn << PAGE_SHIFT;
	nr = min_u64(size / PM_ENTRY_BYTES,
		     (TASK_SIZE - w.start) >> PAGE_SHIFT);
	w.end = w.start + (nr << PAGE_SHIFT);
	memset(buf, 0, nr * PM_ENTRY_BYTES);
	rc = walk_page_range(ctx->m, mm, w.start, w.end, pagemap_pte_entry, &w);
	for (i = 0; i < mm->nr_vmas && !rc; i++) {
		const struct vm_area_struct *vma = &mm->vmas[i];

		if (vma->vm_end <= w.start || vma->vm_start >= w.end ||
		    (vma->vm_flags & VM_HUGETLB))
			continue;
		rc = walk_swap_range(mm, max_u64(vma->vm_start, w.start),
				     min_u64(vma->vm_end, w.end),
				     pagemap_swap_entry, &w);
	}
	return rc ? rc : (ssize_t)(nr * PM_ENTRY_BYTES);
}
