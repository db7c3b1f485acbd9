// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/meminfo (fs/proc/meminfo.c, hugetlb_report_meminfo() and the x86
 * arch_report_meminfo()), with the field set of Linux 6.18 on x86_64.
 */
#include <inttypes.h>

#include "internal.h"

/* VMALLOC_TOTAL >> 10 with 4-level paging: a constant of the layout. */
#define VMALLOC_TOTAL_KB 34359738367ULL
#define HPAGE_PMD_KB (HPAGE_PMD_NR << (PAGE_SHIFT - 10))

#define PFN_2M (1UL << (21 - PAGE_SHIFT))
#define PFN_1G (1UL << (30 - PAGE_SHIFT))

/* Every "label: value kB" line; the label comes padded to 16 columns. */
static void show_val_kb(struct seq_buf *s, const char *label, uint64_t pages)
{
	seq_printf(s, "%s%8" PRIu64 " kB\n", label, pages_to_kb(pages));
}

struct direct_map {
	uint64_t pages_4k;
	uint64_t pages_2m;
	uint64_t pages_1g;
};

static uint64_t round_up_pfn(uint64_t pfn, uint64_t align)
{
	return (pfn + align - 1) / align * align;
}

static uint64_t round_down_pfn(uint64_t pfn, uint64_t align)
{
	return pfn / align * align;
}

/*
 * Account one run of RAM [@start, @end) the way the x86-64 direct map
 * covers it with gbpages (split_mem_range()): 4k pages up to the first
 * 2 MiB boundary and after the last one, 2M pages up to the first 1 GiB
 * boundary and after the last one, and 1G pages in between.
 */
static void direct_map_range(struct direct_map *dm, uint64_t start,
			     uint64_t end)
{
	uint64_t start_2m = round_up_pfn(start, PFN_2M);
	uint64_t end_2m = round_down_pfn(end, PFN_2M);
	uint64_t start_1g, end_1g;

	if (start_2m >= end_2m) {
		dm->pages_4k += end - start;
		return;
	}
	dm->pages_4k += (start_2m - start) + (end - end_2m);
	start_1g = round_up_pfn(start_2m, PFN_1G);
	end_1g = round_down_pfn(end_2m, PFN_1G);
	if (start_1g >= end_1g) {
		dm->pages_2m += end_2m - start_2m;
		return;
	}
	dm->pages_2m += (start_1g - start_2m) + (end_2m - end_1g);
	dm->pages_1g += end_1g - start_1g;
}

/*
 * Whether the frames from @pfn on are RAM, and how many frames the answer
 * holds for: a whole pageblock unless it is described frame by frame, then
 * one block (head page and order) at a time.
 */
static uint64_t ram_extent(const struct machine *m, uint64_t pfn, int *is_ram)
{
	const struct pageblock *pb = &m->pageblocks[pfn >> pageblock_order];
	uint64_t in_block = pfn & (pageblock_nr_pages - 1);
	const struct page *page;

	if (pb->kind == PB_HOLE) {
		*is_ram = 0;
		return pageblock_nr_pages - in_block;
	}
	if (pb->kind != PB_PAGES || !pb->pages) {
		*is_ram = 1;
		return pageblock_nr_pages - in_block;
	}
	page = &pb->pages[in_block];
	*is_ram = page->state != PAGE_HOLE;
	return 1ULL << page->order;
}

/*
 * The direct map of the simulated machine, as a kernel booted with
 * gbpages would build it, with this simple, deterministic rule:
 *  - the first 2 MiB of physical memory (BIOS and ISA area) is mapped
 *    wholesale with 4k pages, holes included;
 *  - every maximal run of RAM frames above it is split as
 *    direct_map_range() does.
 * The splits a running kernel makes later (set_memory_ro() of its text,
 * ...) are not modelled.
 */
static void direct_map_pages(const struct machine *m, struct direct_map *dm)
{
	uint64_t end_pfn = m->nr_pageblocks << pageblock_order;
	uint64_t run_start = 0, pfn, step;
	int in_run = 0, is_ram;

	dm->pages_4k = end_pfn < PFN_2M ? end_pfn : PFN_2M;
	dm->pages_2m = 0;
	dm->pages_1g = 0;
	if (end_pfn > m->max_pfn)
		end_pfn = m->max_pfn;

	/* A block may run past its pageblock: frames before @pfn are done. */
	for (pfn = PFN_2M; pfn < end_pfn; pfn += step) {
		step = ram_extent(m, pfn, &is_ram);
		if (is_ram && !in_run) {
			run_start = pfn;
			in_run = 1;
		} else if (!is_ram && in_run) {
			direct_map_range(dm, run_start, pfn);
			in_run = 0;
		}
	}
	if (in_run)
		direct_map_range(dm, run_start, end_pfn);
}

static uint64_t node_stat(const struct machine *m, enum node_stat_item item)
{
	return pages_nonneg(global_node_page_state_pages(m, item));
}

static uint64_t zone_stat(const struct machine *m, enum zone_stat_item item)
{
	return pages_nonneg(global_zone_page_state(m, item));
}

/*
 * hugetlb_report_meminfo() for the default 2 MiB hstate: the pool taken
 * from the buddy allocator by vm.nr_hugepages; nothing maps huge pages
 * yet, so none is reserved or surplus.
 */
static void hugetlb_report_meminfo(const struct machine *m, struct seq_buf *s)
{
	uint64_t nr_huge = hugetlb_nr_huge_pages(m, -1);

	seq_printf(s, "HugePages_Total:   %5" PRIu64 "\n", nr_huge);
	seq_printf(s, "HugePages_Free:    %5" PRIu64 "\n",
		   hugetlb_free_huge_pages(m, -1));
	seq_printf(s, "HugePages_Rsvd:    %5" PRIu64 "\n",
		   hugetlb_resv_huge_pages(m));
	seq_printf(s, "HugePages_Surp:    %5" PRIu64 "\n", (uint64_t)0);
	seq_printf(s, "Hugepagesize:   %8d kB\n", HPAGE_PMD_KB);
	seq_printf(s, "Hugetlb:        %8" PRIu64 " kB\n",
		   nr_huge * HPAGE_PMD_KB);
}

static void arch_report_meminfo(const struct machine *m, struct seq_buf *s)
{
	struct direct_map dm;

	direct_map_pages(m, &dm);
	seq_printf(s, "DirectMap4k:    %8" PRIu64 " kB\n",
		   pages_to_kb(dm.pages_4k));
	seq_printf(s, "DirectMap2M:    %8" PRIu64 " kB\n",
		   pages_to_kb(dm.pages_2m));
	seq_printf(s, "DirectMap1G:    %8" PRIu64 " kB\n",
		   pages_to_kb(dm.pages_1g));
}

int meminfo_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct machine *m = ctx->m;
	uint64_t file_pages = node_stat(m, NR_FILE_PAGES);
	uint64_t swapcache = node_stat(m, NR_SWAPCACHE);
	uint64_t buffers = nr_blockdev_pages(m);
	uint64_t sreclaimable = node_stat(m, NR_SLAB_RECLAIMABLE_B);
	uint64_t sunreclaim = node_stat(m, NR_SLAB_UNRECLAIMABLE_B);
	uint64_t active_anon = node_stat(m, NR_ACTIVE_ANON);
	uint64_t inactive_anon = node_stat(m, NR_INACTIVE_ANON);
	uint64_t active_file = node_stat(m, NR_ACTIVE_FILE);
	uint64_t inactive_file = node_stat(m, NR_INACTIVE_FILE);
	uint64_t cached = 0;
	int64_t available = si_mem_available(m);

	if (file_pages > swapcache + buffers)
		cached = file_pages - swapcache - buffers;

	show_val_kb(s, "MemTotal:       ", totalram_pages(m));
	show_val_kb(s, "MemFree:        ", zone_stat(m, NR_FREE_PAGES));
	show_val_kb(s, "MemAvailable:   ", pages_nonneg(available));
	show_val_kb(s, "Buffers:        ", buffers);
	show_val_kb(s, "Cached:         ", cached);
	show_val_kb(s, "SwapCached:     ", swapcache);
	show_val_kb(s, "Active:         ", active_anon + active_file);
	show_val_kb(s, "Inactive:       ", inactive_anon + inactive_file);
	show_val_kb(s, "Active(anon):   ", active_anon);
	show_val_kb(s, "Inactive(anon): ", inactive_anon);
	show_val_kb(s, "Active(file):   ", active_file);
	show_val_kb(s, "Inactive(file): ", inactive_file);
	show_val_kb(s, "Unevictable:    ", node_stat(m, NR_UNEVICTABLE));
	show_val_kb(s, "Mlocked:        ", zone_stat(m, NR_MLOCK));
	show_val_kb(s, "SwapTotal:      ", total_swap_pages(m));
	show_val_kb(s, "SwapFree:       ", nr_free_swap_pages(m));
	/* No zswap model yet: the compressed pool is always empty. */
	show_val_kb(s, "Zswap:          ", 0);
	show_val_kb(s, "Zswapped:       ", 0);
	show_val_kb(s, "Dirty:          ", node_stat(m, NR_FILE_DIRTY));
	show_val_kb(s, "Writeback:      ", node_stat(m, NR_WRITEBACK));
	show_val_kb(s, "AnonPages:      ", node_stat(m, NR_ANON_MAPPED));
	show_val_kb(s, "Mapped:         ", node_stat(m, NR_FILE_MAPPED));
	show_val_kb(s, "Shmem:          ", node_stat(m, NR_SHMEM));
	show_val_kb(s, "KReclaimable:   ",
		    sreclaimable + node_stat(m, NR_KERNEL_MISC_RECLAIMABLE));
	show_val_kb(s, "Slab:           ", sreclaimable + sunreclaim);
	show_val_kb(s, "SReclaimable:   ", sreclaimable);
	show_val_kb(s, "SUnreclaim:     ", sunreclaim);
	seq_printf(s, "KernelStack:    %8" PRIu64 " kB\n",
		   node_stat(m, NR_KERNEL_STACK_KB));
	show_val_kb(s, "PageTables:     ", node_stat(m, NR_PAGETABLE));
	show_val_kb(s,
		    "SecPageTables:  ", node_stat(m, NR_SECONDARY_PAGETABLE));
	/* Counters gone from 6.18, their lines kept at 0 for ABI. */
	show_val_kb(s, "NFS_Unstable:   ", 0);
	show_val_kb(s, "Bounce:         ", 0);
	show_val_kb(s, "WritebackTmp:   ", 0);
	show_val_kb(s, "CommitLimit:    ", vm_commit_limit(m));
	show_val_kb(s, "Committed_AS:   ", vm_committed_as(m));
	seq_printf(s, "VmallocTotal:   %8llu kB\n", VMALLOC_TOTAL_KB);
	show_val_kb(s, "VmallocUsed:    ", vmalloc_nr_pages(m));
	show_val_kb(s, "VmallocChunk:   ", 0);
	show_val_kb(s, "Percpu:         ", pcpu_nr_pages(m));
	show_val_kb(s, "AnonHugePages:  ", node_stat(m, NR_ANON_THPS));
	show_val_kb(s, "ShmemHugePages: ", node_stat(m, NR_SHMEM_THPS));
	show_val_kb(s, "ShmemPmdMapped: ", node_stat(m, NR_SHMEM_PMDMAPPED));
	show_val_kb(s, "FileHugePages:  ", node_stat(m, NR_FILE_THPS));
	show_val_kb(s, "FilePmdMapped:  ", node_stat(m, NR_FILE_PMDMAPPED));
	show_val_kb(s, "Balloon:        ", node_stat(m, NR_BALLOON_PAGES));
	hugetlb_report_meminfo(m, s);
	arch_report_meminfo(m, s);
	return 0;
}
