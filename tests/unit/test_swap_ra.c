// SPDX-License-Identifier: GPL-2.0
/*
 * Swap readahead (swap_state.c).  A process's memory is pushed out to
 * swap by another's and then faulted back one page at a time, so that
 * each fault's window can be checked against the kernel's rules: VMA
 * readahead's first window of 8 centred on the fault, the hits that are
 * minor faults and count swap_ra_hit once, the next window reading on
 * in the direction of travel, a window halved after a miss, reading
 * downwards, vm.page-cluster=0 reading nothing ahead, and cluster
 * readahead's aligned block of slots with its global hit count.  Reading
 * back more than fits takes no readahead page below the low watermarks,
 * so it never stalls on reclaim of its own or kills.  Every state
 * passes the checker, survives a checkpoint and replays from boot.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "machine.h"
#include "mm.h"
#include "ops.h"
#include "page_alloc.h"
#include "replay.h"
#include "seq_buf.h"
#include "swap.h"
#include "task.h"
#include "unit.h"
#include "vmstat.h"

#define PG 4096ULL
#define PAGES_PER_PMD 512ULL

static const struct mm_struct *task_mm(const struct machine *m, int pid)
{
	const struct task_struct *t = find_task_by_pid(m, pid);

	if (!t || !t->mm)
		FAIL("no process %d", pid);
	return t->mm;
}

/* Whether @addr of @pid is swapped out and not in the swap cache. */
static int out_and_uncached(const struct machine *m, int pid, uint64_t addr)
{
	unsigned int shift;
	uint64_t pte = lookup_pte(task_mm(m, pid), addr, &shift);

	return is_swap_pte(pte) &&
	       swap_cache_lookup(m, pte_to_swp_entry(pte)) == PFN_NONE;
}

/* The swap cache page of @addr's entry, which must be a swap entry. */
static pfn_t cached_page(const struct machine *m, int pid, uint64_t addr)
{
	unsigned int shift;
	uint64_t pte = lookup_pte(task_mm(m, pid), addr, &shift);

	if (!is_swap_pte(pte))
		return PFN_NONE;
	return swap_cache_lookup(m, pte_to_swp_entry(pte));
}

/*
 * A page-table-sized range of @pid's [@start, @start + @len) whose pages
 * @from..@to (page numbers in it) are all swapped out and uncached: its
 * base address, or 0.
 */
static uint64_t find_swapped(const struct machine *m, int pid, uint64_t start,
			     uint64_t len, uint64_t skip, int from, int to)
{
	uint64_t base;
	int i;

	for (base = (start + PAGES_PER_PMD * PG - 1) &
		    ~(PAGES_PER_PMD * PG - 1);
	     base + PAGES_PER_PMD * PG <= start + len;
	     base += PAGES_PER_PMD * PG) {
		if (base == skip)
			continue;
		for (i = from; i <= to; i++)
			if (!out_and_uncached(m, pid, base + (uint64_t)i * PG))
				break;
		if (i > to)
			return base;
	}
	return 0;
}

struct counts {
	uint64_t pswpin, ra, hit, maj, flt;
};

static struct counts counts(const struct machine *m)
{
	struct counts c = {
		.pswpin = m->vm_events[PSWPIN],
		.ra = m->vm_events[SWAP_RA],
		.hit = m->vm_events[SWAP_RA_HIT],
		.maj = m->vm_events[PGMAJFAULT],
		.flt = m->vm_events[PGFAULT],
	};
	return c;
}

/*
 * Read the page at @addr; check what it read (@read pages from swap, of
 * which @ra ahead), whether it was a major fault and a readahead hit.
 */
static void fault(struct run *w, int pid, uint64_t addr, uint64_t read,
		  uint64_t ra, int major, int hit)
{
	struct counts a = counts(w->m), b;

	run_op(w, "touch %d %#llx 4K read", pid, (unsigned long long)addr);
	b = counts(w->m);
	ASSERT_EQ(b.flt - a.flt, 1);
	ASSERT_EQ(b.pswpin - a.pswpin, read);
	ASSERT_EQ(b.ra - a.ra, ra);
	ASSERT_EQ(b.maj - a.maj, major);
	ASSERT_EQ(b.hit - a.hit, hit);
}

/* Pages @from..@to of @base are in the swap cache, unmapped, read ahead. */
static void expect_read_ahead(const struct machine *m, int pid, uint64_t base,
			      int from, int to)
{
	int i;

	for (i = from; i <= to; i++) {
		pfn_t pfn = cached_page(m, pid, base + (uint64_t)i * PG);
		const struct page *page;

		ASSERT(pfn != PFN_NONE);
		page = pfn_to_page(m, pfn);
		ASSERT(page->flags & PG_readahead);
		ASSERT(page->flags & PG_swapcache);
		ASSERT(!(page->flags & PG_mapped));
		ASSERT_EQ(page->mapcount, 0);
		ASSERT_EQ(page->index, (base >> 12) + (uint64_t)i);
	}
}

/*
 * app writes 400M on a 512M machine, hog 300M more, which pushes the
 * older part of app's memory out; hog exits, leaving room to read back.
 */
static int setup(struct run *w, uint64_t *addr)
{
	char pid[32], a[32], hog[32], h[32];

	run_boot(w, 512ULL << 20, 512ULL << 20, 7);
	run_op_out(w, pid, sizeof(pid), "spawn app");
	run_op_out(w, a, sizeof(a), "mmap %s 400M", pid);
	run_op(w, "touch %s %s 400M write", pid, a);
	run_op_out(w, hog, sizeof(hog), "spawn hog");
	run_op_out(w, h, sizeof(h), "mmap %s 300M", hog);
	run_op(w, "touch %s %s 300M write", hog, h);
	run_op(w, "exit %s", hog);
	*addr = strtoull(a, NULL, 16);
	return atoi(pid);
}

static void test_vma_readahead(void)
{
	struct run w;
	uint64_t addr, a, b, c;
	int pid, i;

	pid = setup(&w, &addr);
	ASSERT(w.m->vm_events[PSWPOUT] > 0);
	ASSERT_EQ(w.m->vm_events[SWAP_RA], 0);

	/*
	 * The VMA's first swap fault has the initial 4 hits to go by: a
	 * window of 8 around it, 3 pages below and 4 above.
	 */
	a = find_swapped(w.m, pid, addr, 400ULL << 20, 0, 13, 28);
	ASSERT(a);
	fault(&w, pid, a + 16 * PG, 8, 7, 1, 0);
	expect_read_ahead(w.m, pid, a, 13, 15);
	expect_read_ahead(w.m, pid, a, 17, 20);
	ASSERT(out_and_uncached(w.m, pid, a + 21 * PG));
	ASSERT(out_and_uncached(w.m, pid, a + 12 * PG));
	/* the pages read ahead are minor faults, each hit counted once */
	for (i = 17; i <= 20; i++)
		fault(&w, pid, a + (uint64_t)i * PG, 0, 0, 0, 1);
	/* the hit is counted once: the mark went with it */
	for (i = 17; i <= 20; i++) {
		unsigned int shift;
		uint64_t pte = lookup_pte(task_mm(w.m, pid),
					  a + (uint64_t)i * PG, &shift);

		ASSERT(pte & _PAGE_PRESENT);
		ASSERT(!(pfn_to_page(w.m, pte_pfn(pte))->flags & PG_readahead));
	}
	/* past the window, 4 hits and a fault next to the last: 8 upwards */
	fault(&w, pid, a + 21 * PG, 8, 7, 1, 0);
	expect_read_ahead(w.m, pid, a, 22, 28);

	/*
	 * A fault far away after no hits reads half the last window,
	 * around it (1 below, 2 above); reading downwards from there,
	 * after a hit, reads the 4 pages that end at the fault.
	 */
	b = find_swapped(w.m, pid, addr, 400ULL << 20, a, 10, 20);
	ASSERT(b);
	fault(&w, pid, b + 16 * PG, 4, 3, 1, 0);
	expect_read_ahead(w.m, pid, b, 15, 15);
	expect_read_ahead(w.m, pid, b, 17, 18);
	fault(&w, pid, b + 15 * PG, 0, 0, 0, 1);
	fault(&w, pid, b + 14 * PG, 4, 3, 1, 0);
	expect_read_ahead(w.m, pid, b, 11, 13);
	ASSERT(out_and_uncached(w.m, pid, b + 10 * PG));

	/* vm.page-cluster=0: one page a fault, nothing ahead */
	run_op(&w, "sysctl vm.page-cluster=0");
	c = find_swapped(w.m, pid, addr, 400ULL << 20, 0, 0, 8);
	ASSERT(c);
	for (i = 0; i < 8; i++)
		fault(&w, pid, c + (uint64_t)i * PG, 1, 0, 1, 0);

	/* the readahead state replays, and survives a checkpoint */
	run_finish(&w);
}

/*
 * With vma_ra_enabled false: the aligned block of 1 << page-cluster
 * slots around the faulting one, its slots in use read ahead; the hits
 * count in the global history, which the next window takes.
 */
static void test_cluster_readahead(void)
{
	struct run w;
	uint64_t addr, a, off, o, start, nr_ra = 0, va, pte;
	const struct swap_info_struct *si;
	unsigned int shift;
	struct counts before, after;
	swp_entry_t entry;
	int pid;

	pid = setup(&w, &addr);
	run_op(&w, "sysfs kernel/mm/swap/vma_ra_enabled=false");
	a = find_swapped(w.m, pid, addr, 400ULL << 20, 0, 0, 0);
	ASSERT(a);
	entry = pte_to_swp_entry(lookup_pte(task_mm(w.m, pid), a, &shift));
	si = swap_info(w.m, (int)swp_type(entry));
	off = swp_offset(entry);
	start = off & ~7ULL;
	for (o = start ? start : 1; o <= (off | 7); o++) {
		swp_entry_t e = swp_entry(swp_type(entry), o);

		if (o != off && o < si->max && swap_count(w.m, e) &&
		    swap_cache_lookup(w.m, e) == PFN_NONE)
			nr_ra++;
	}
	ASSERT(nr_ra > 0);
	before = counts(w.m);
	run_op(&w, "touch %d %#llx 4K read", pid, (unsigned long long)a);
	after = counts(w.m);
	ASSERT_EQ(after.ra - before.ra, nr_ra);
	ASSERT_EQ(after.pswpin - before.pswpin, nr_ra + 1);
	ASSERT_EQ(after.maj - before.maj, 1);
	/* the 4 initial hits were taken: a window of 8 */
	ASSERT_EQ(w.m->swap.ra_hits + SWAP_RA_INITIAL_HITS, 0);
	ASSERT_EQ(w.m->swap.ra_last_pages, 8);

	/* a page whose slot was read ahead: a hit, in the global count */
	for (va = addr; va < addr + (400ULL << 20); va += PG) {
		pfn_t pfn = cached_page(w.m, pid, va);

		if (pfn != PFN_NONE &&
		    (pfn_to_page(w.m, pfn)->flags & PG_readahead))
			break;
	}
	ASSERT(va < addr + (400ULL << 20));
	before = counts(w.m);
	run_op(&w, "touch %d %#llx 4K read", pid, (unsigned long long)va);
	after = counts(w.m);
	ASSERT_EQ(after.hit - before.hit, 1);
	ASSERT_EQ(after.maj - before.maj, 0);
	ASSERT_EQ(w.m->swap.ra_hits + SWAP_RA_INITIAL_HITS, 1);
	/* read by slot, the page learnt its address when it was mapped */
	pte = lookup_pte(task_mm(w.m, pid), va, &shift);
	ASSERT(pte & _PAGE_PRESENT);
	ASSERT_EQ(pfn_to_page(w.m, pte_pfn(pte))->index, va >> 12);
	run_finish(&w);
}

/*
 * Reading back more than fits: readahead pages are taken only above the
 * low watermarks, so the read-back stalls in direct reclaim no more
 * often than it does without readahead (vm.page-cluster=0), and kills
 * no one; it still counts fewer major faults than pages read.
 */
static void read_back(int page_cluster, struct counts *c, uint64_t *stalls)
{
	struct run w;
	char pid[32], a[32];
	struct counts before;
	uint64_t stall0;

	run_boot(&w, 512ULL << 20, 512ULL << 20, 9);
	run_op(&w, "sysctl vm.page-cluster=%d", page_cluster);
	run_op_out(&w, pid, sizeof(pid), "spawn app");
	run_op_out(&w, a, sizeof(a), "mmap %s 600M", pid);
	run_op(&w, "touch %s %s 600M write", pid, a);
	before = counts(w.m);
	stall0 = w.m->vm_events[ALLOCSTALL_DMA32] +
		 w.m->vm_events[ALLOCSTALL_NORMAL];
	run_op(&w, "touch %s %s 600M read", pid, a);
	ASSERT_EQ(w.m->vm_events[OOM_KILL], 0);
	ASSERT(find_task_by_pid(w.m, atoi(pid)));
	c->pswpin = w.m->vm_events[PSWPIN] - before.pswpin;
	c->ra = w.m->vm_events[SWAP_RA] - before.ra;
	c->hit = w.m->vm_events[SWAP_RA_HIT] - before.hit;
	c->maj = w.m->vm_events[PGMAJFAULT] - before.maj;
	*stalls = w.m->vm_events[ALLOCSTALL_DMA32] +
		  w.m->vm_events[ALLOCSTALL_NORMAL] - stall0;
	run_finish(&w);
}

static void test_no_reclaim_for_readahead(void)
{
	struct counts ra, none;
	uint64_t ra_stalls, none_stalls;

	read_back(3, &ra, &ra_stalls);
	read_back(0, &none, &none_stalls);
	ASSERT(ra.pswpin > 0);
	ASSERT(ra.ra > 0 && ra.hit > 0);
	ASSERT(ra.maj < ra.pswpin);
	ASSERT_EQ(none.ra, 0);
	ASSERT_EQ(none.hit, 0);
	ASSERT(ra_stalls <= none_stalls);
}

int main(void)
{
	test_vma_readahead();
	test_cluster_readahead();
	test_no_reclaim_for_readahead();
	return unit_done("swap_ra");
}
