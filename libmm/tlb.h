/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TLBs of the machine's CPUs (arch/x86/mm/tlb.c), one per CPU, sized
 * like Skylake's: an L1 dTLB of 64 entries, 4-way, for 4 KiB pages, one of
 * 32 entries, 4-way, for 2 MiB pages, and a 1536-entry 12-way STLB that
 * holds both sizes.  Entries are tagged with the address space's PCID, so
 * with PCID a switch back to a recent mm finds its entries still there;
 * without it ("nopcid") every switch to another mm empties the TLB.
 *
 * Everything is deterministic: replacement is LRU by a per-CPU counter,
 * and nothing depends on host addresses.  PTI is off (a CPU that is not
 * affected by Meltdown), and only user addresses are looked up.
 */
#ifndef MMSIM_TLB_H
#define MMSIM_TLB_H

#include <stdint.h>

#include "task.h"

struct machine;
struct mm_struct;

#define DTLB_ENTRIES 64 /* L1 dTLB, 4 KiB pages */
#define DTLB_WAYS 4
#define DTLB_2M_ENTRIES 32 /* L1 dTLB, 2 MiB pages */
#define DTLB_2M_WAYS 4
#define STLB_ENTRIES 1536 /* second level, both sizes */
#define STLB_WAYS 12

/* PCIDs the kernel hands out per CPU (asm/tlbflush.h) */
#define TLB_NR_DYN_ASIDS 6
/* Larger flushes flush everything (the debugfs knob's default). */
#define TLB_SINGLE_PAGE_FLUSH_CEILING 33
#define TLB_FLUSH_ALL (~0ULL)
/*
 * init_mm's context: the address space of kernel threads, which a CPU
 * switches to when its mm dies.  User mms are numbered from 2, as in the
 * kernel, whose last_mm_ctx_id starts at 1.
 */
#define INIT_MM_CTX_ID 1ULL

/*
 * One entry.  @tag is 0 when the entry is invalid; else it packs the page
 * number (of the entry's own page size) from bit TLB_VPN_SHIFT, the ASID
 * in bits 8-15 and the TLB_E_* bits below.
 */
struct tlb_entry {
	uint64_t tag;
	uint64_t lru; /* the CPU's clock when last used */
};

#define TLB_E_VALID 0x1ULL
#define TLB_E_HUGE 0x2ULL /* a 2 MiB page */
#define TLB_E_WRITE 0x4ULL /* the PTE allowed writing */
#define TLB_E_DIRTY 0x8ULL /* the PTE was dirty */
#define TLB_ASID_SHIFT 8
#define TLB_VPN_SHIFT 16

/* What an ASID slot holds (cpu_tlbstate.ctxs[]) */
struct tlb_context {
	uint64_t ctx_id; /* 0: unused */
	uint64_t tlb_gen; /* the mm's tlb_gen this CPU has caught up to */
};

struct cpu_tlb {
	/* cpu_tlbstate.loaded_mm, by its ctx_id: the mm in CR3 */
	uint64_t loaded_ctx_id;
	uint32_t loaded_mm_asid;
	uint32_t next_asid; /* the round-robin hand, 1..TLB_NR_DYN_ASIDS */
	uint64_t clock; /* ticks at every use of an entry, for LRU */
	struct tlb_context ctxs[TLB_NR_DYN_ASIDS];
	struct tlb_stats stats;
	struct tlb_entry dtlb[DTLB_ENTRIES];
	struct tlb_entry dtlb_2m[DTLB_2M_ENTRIES];
	struct tlb_entry stlb[STLB_ENTRIES];
};

/*
 * Allocate (once) and reset the TLBs of m->nr_cpu_ids CPUs, each running
 * init_mm with an empty TLB; m->pcid follows m->params.nopcid.  0 or
 * -ENOMEM.
 */
int tlb_init(struct machine *m);
void tlb_free(struct machine *m);

/* A new mm's context: a ctx_id never used before, tlb_gen 0. */
void init_new_context(struct machine *m, struct mm_struct *mm);

/*
 * Load @t's mm on @cpu (switch_mm_irqs_off()).  A kernel thread leaves
 * the previous mm loaded (lazy TLB).  With PCID an mm that still owns an
 * up-to-date ASID slot is reloaded without a flush; otherwise the next
 * slot is taken round-robin and its entries flushed.  Without PCID a
 * switch to another mm flushes the whole TLB.  0 or -EINVAL.
 */
int switch_mm(struct machine *m, int cpu, struct task_struct *t);

/*
 * One memory reference by @t (whose mm must be loaded on @cpu) at the
 * user address @addr (below 1 << 47).
 * 1: a hit in the L1 dTLB or the STLB (which refills the L1), with the
 * entry's page shift in *@shift if @shift is not NULL; 0: a miss, and the
 * caller walks the page tables (faulting if need be) and calls tlb_fill().
 * A write that finds its entry read-only or clean misses too, as the CPU
 * walks again to fault or set the dirty bit.  Counts accesses, dtlb_hits,
 * stlb_hits and walks for @t and @cpu.  -EINVAL on bad arguments.
 */
int tlb_lookup(struct machine *m, int cpu, struct task_struct *t, uint64_t addr,
	       int write, unsigned int *shift);

/*
 * Cache the translation a page walk found for @addr: @shift is PAGE_SHIFT
 * or PMD_SHIFT; @writable and @dirty the PTE's R/W and D bits.  Fills the
 * L1 dTLB of that size and the STLB.  0 or -EINVAL.
 */
int tlb_fill(struct machine *m, int cpu, struct task_struct *t, uint64_t addr,
	     unsigned int shift, int writable, int dirty);

/*
 * The mm's page tables changed in [@start, @end) (page aligned; @end may
 * be TLB_FLUSH_ALL), with mappings of 1 << @stride_shift bytes, on @cpu.
 * Bumps mm->tlb_gen; every CPU with the mm loaded flushes: the entries
 * one by one (invlpg) for up to TLB_SINGLE_PAGE_FLUSH_CEILING pages, else
 * the mm's whole ASID.  The CPUs other than @cpu get it by IPI.  CPUs that
 * keep the mm in an ASID slot without having it loaded flush when they
 * switch back to it.  0 or -EINVAL.
 */
int flush_tlb_mm_range(struct machine *m, struct mm_struct *mm, uint64_t start,
		       uint64_t end, unsigned int stride_shift, int cpu);
int flush_tlb_mm(struct machine *m, struct mm_struct *mm, int cpu);

/*
 * @mm is going away: CPUs with it loaded switch to init_mm, and the ASID
 * slots that named it are emptied.  Call it after the final unmapping.
 */
void tlb_mm_exit(struct machine *m, struct mm_struct *mm);

/* @cpu's counters, or NULL (no such CPU, or no TLBs yet). */
const struct tlb_stats *cpu_tlb_stats(const struct machine *m, int cpu);

/*
 * The TLB state as u64 words, for the checkpoint: m->pcid and
 * m->last_mm_ctx_id, then per CPU its registers, ASID slots, counters and
 * the valid entries of each array.  tlb_load() reads the same sequence
 * into a machine with the same number of CPUs (allocating the TLBs if
 * need be); 0, -ENOMEM, or -EINVAL if the words are not a TLB state.
 * Per-task counters live in task_struct and are saved with the tasks.
 */
void tlb_save(const struct machine *m, void (*put)(void *ctx, uint64_t v),
	      void *ctx);
int tlb_load(struct machine *m, uint64_t (*get)(void *ctx), void *ctx);

#endif
