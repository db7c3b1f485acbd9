// SPDX-License-Identifier: GPL-2.0
/*
 * The TLB model on its own: hits and misses of sequential passes that fit
 * the L1 dTLB, fit the STLB, or thrash both; 2 MiB entries; writes to
 * read-only or clean entries; PCID reuse across switches against nopcid;
 * shootdowns that reach only the CPUs with the mm loaded; the lazy flush
 * of a stale ASID slot; exit; and a save/load round trip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "mm.h"
#include "procfs/internal.h"
#include "tlb.h"
#include "unit.h"

#define BASE 0x10000000ULL /* aligned to every set count */

struct proc {
	struct mm_struct *mm;
	struct task_struct *t;
};

static struct machine *boot(int cpus, int nopcid)
{
	struct machine_params p = {.mem_bytes = 1ULL << 30,
				   .nr_nodes = 1,
				   .nr_cpus = cpus,
				   .seed = 7,
				   .nopcid = nopcid};
	struct machine *m;

	if (machine_boot(&p, &m))
		FAIL("boot failed");
	if (tlb_init(m))
		FAIL("tlb_init failed");
	ASSERT_EQ(m->pcid, !nopcid);
	return m;
}

static struct proc new_proc(struct machine *m, int pid)
{
	struct proc p;

	p.mm = calloc(1, sizeof(*p.mm));
	p.t = calloc(1, sizeof(*p.t));
	if (!p.mm || !p.t)
		FAIL("out of memory");
	init_new_context(m, p.mm);
	/* not in the machine's task table: flushes charge no task */
	p.mm->owner = pid;
	p.t->pid = pid;
	p.t->mm = p.mm;
	snprintf(p.t->comm, sizeof(p.t->comm), "fake%d", pid);
	return p;
}

static void free_proc(struct proc *p)
{
	free(p->mm);
	free(p->t);
}

/*
 * A pass over @n pages of 1 << @shift bytes from @base, filling on a miss
 * as the fault path would; the counters it moved are in @d.
 */
static void pass_at(struct machine *m, int cpu, struct proc *p, uint64_t base,
		    uint64_t n, unsigned int shift, int write,
		    struct tlb_stats *d)
{
	struct tlb_stats before = p->t->tlb;
	unsigned int got = 0;
	uint64_t i;
	int rc;

	for (i = 0; i < n; i++) {
		uint64_t addr = base + (i << shift);

		rc = tlb_lookup(m, cpu, p->t, addr, write, &got);
		if (rc < 0)
			FAIL("tlb_lookup: %d", rc);
		if (rc == 1 && got != shift)
			FAIL("hit with shift %u, expected %u", got, shift);
		if (rc == 0 && tlb_fill(m, cpu, p->t, addr, shift, 1, write))
			FAIL("tlb_fill failed");
	}
	d->accesses = p->t->tlb.accesses - before.accesses;
	d->dtlb_hits = p->t->tlb.dtlb_hits - before.dtlb_hits;
	d->stlb_hits = p->t->tlb.stlb_hits - before.stlb_hits;
	d->walks = p->t->tlb.walks - before.walks;
}

static void pass(struct machine *m, int cpu, struct proc *p, uint64_t n,
		 unsigned int shift, int write, struct tlb_stats *d)
{
	pass_at(m, cpu, p, BASE, n, shift, write, d);
}

static void expect(const struct tlb_stats *d, uint64_t dtlb, uint64_t stlb,
		   uint64_t walks)
{
	ASSERT_EQ(d->dtlb_hits, dtlb);
	ASSERT_EQ(d->stlb_hits, stlb);
	ASSERT_EQ(d->walks, walks);
	ASSERT_EQ(d->accesses, dtlb + stlb + walks);
}

static void test_capacity(void)
{
	struct machine *m = boot(2, 0);
	struct proc p = new_proc(m, 90001);
	struct tlb_stats d;

	ASSERT_EQ(switch_mm(m, 0, p.t), 0);

	/* 64 pages: the L1 dTLB holds them all */
	pass(m, 0, &p, 64, PAGE_SHIFT, 0, &d);
	expect(&d, 0, 0, 64);
	pass(m, 0, &p, 64, PAGE_SHIFT, 0, &d);
	expect(&d, 64, 0, 0);
	ASSERT_EQ(flush_tlb_mm(m, p.mm, 0), 0);

	/* 1536 pages: the L1 thrashes, the STLB holds them */
	pass(m, 0, &p, STLB_ENTRIES, PAGE_SHIFT, 0, &d);
	expect(&d, 0, 0, STLB_ENTRIES);
	pass(m, 0, &p, STLB_ENTRIES, PAGE_SHIFT, 0, &d);
	expect(&d, 0, STLB_ENTRIES, 0);
	/* the last 64 STLB hits refilled the L1 */
	pass(m, 0, &p, 1, PAGE_SHIFT, 0, &d);
	expect(&d, 0, 1, 0);
	ASSERT_EQ(flush_tlb_mm(m, p.mm, 0), 0);

	/* 4096 pages: LRU over 32 pages a set keeps nothing */
	pass(m, 0, &p, 4096, PAGE_SHIFT, 0, &d);
	expect(&d, 0, 0, 4096);
	pass(m, 0, &p, 4096, PAGE_SHIFT, 0, &d);
	expect(&d, 0, 0, 4096);
	ASSERT_EQ(flush_tlb_mm(m, p.mm, 0), 0);

	/* 2 MiB pages have their own 32 L1 entries */
	pass(m, 0, &p, 32, PMD_SHIFT, 0, &d);
	expect(&d, 0, 0, 32);
	pass(m, 0, &p, 32, PMD_SHIFT, 0, &d);
	expect(&d, 32, 0, 0);
	/* and 4 KiB pages next to them do not disturb them */
	pass_at(m, 0, &p, BASE + (32 << PMD_SHIFT), 64, PAGE_SHIFT, 0, &d);
	expect(&d, 0, 0, 64);
	pass(m, 0, &p, 32, PMD_SHIFT, 0, &d);
	expect(&d, 32, 0, 0);
	/* 64 of them fit the STLB only */
	ASSERT_EQ(flush_tlb_mm(m, p.mm, 0), 0);
	pass(m, 0, &p, 64, PMD_SHIFT, 0, &d);
	pass(m, 0, &p, 64, PMD_SHIFT, 0, &d);
	expect(&d, 0, 64, 0);

	/* the per-CPU counters agree with the task's */
	ASSERT_EQ(cpu_tlb_stats(m, 0)->accesses, p.t->tlb.accesses);
	ASSERT_EQ(cpu_tlb_stats(m, 0)->walks, p.t->tlb.walks);
	ASSERT_EQ(cpu_tlb_stats(m, 1)->accesses, 0);
	ASSERT(cpu_tlb_stats(m, 2) == NULL);

	free_proc(&p);
	tlb_free(m);
	machine_free(m);
}

static void test_permissions(void)
{
	struct machine *m = boot(1, 0);
	struct proc p = new_proc(m, 90001);
	unsigned int shift;

	ASSERT_EQ(switch_mm(m, 0, p.t), 0);
	/* a read fills a clean, read-only entry */
	ASSERT_EQ(tlb_lookup(m, 0, p.t, BASE, 0, &shift), 0);
	ASSERT_EQ(tlb_fill(m, 0, p.t, BASE, PAGE_SHIFT, 0, 0), 0);
	ASSERT_EQ(tlb_lookup(m, 0, p.t, BASE, 0, &shift), 1);
	/* a write must walk: to fault, then to set the dirty bit */
	ASSERT_EQ(tlb_lookup(m, 0, p.t, BASE, 1, &shift), 0);
	ASSERT_EQ(tlb_fill(m, 0, p.t, BASE, PAGE_SHIFT, 1, 0), 0);
	ASSERT_EQ(tlb_lookup(m, 0, p.t, BASE, 1, &shift), 0);
	ASSERT_EQ(tlb_fill(m, 0, p.t, BASE, PAGE_SHIFT, 1, 1), 0);
	ASSERT_EQ(tlb_lookup(m, 0, p.t, BASE, 1, &shift), 1);
	ASSERT_EQ(tlb_lookup(m, 0, p.t, BASE + 100, 1, &shift), 1);
	ASSERT_EQ(shift, PAGE_SHIFT);
	ASSERT_EQ(p.t->tlb.walks, 3);
	ASSERT_EQ(p.t->tlb.dtlb_hits, 3);

	/* bad arguments */
	ASSERT_EQ(tlb_fill(m, 0, p.t, BASE, 30, 1, 1), -22);
	ASSERT_EQ(tlb_lookup(m, 1, p.t, BASE, 0, NULL), -22);
	ASSERT_EQ(tlb_lookup(m, 0, p.t, 1ULL << 47, 0, NULL), -22);
	ASSERT_EQ(p.t->tlb.accesses, 6);
	ASSERT_EQ(flush_tlb_mm(m, p.mm, 5), -22);
	free_proc(&p);
	tlb_free(m);
	machine_free(m);
}

/* A and B take turns on CPU 0; with PCID each keeps its entries. */
static void test_switch(int nopcid)
{
	struct machine *m = boot(1, nopcid);
	struct proc a = new_proc(m, 90001), b = new_proc(m, 90002);
	struct task_struct kthread = {.pid = 2, .kthread = 1};
	uint64_t flushes;
	struct tlb_stats d;
	int i;

	ASSERT(a.mm->ctx_id > INIT_MM_CTX_ID);
	ASSERT_EQ(b.mm->ctx_id, a.mm->ctx_id + 1);
	ASSERT_EQ(switch_mm(m, 0, a.t), 0);
	pass(m, 0, &a, 32, PAGE_SHIFT, 0, &d);
	ASSERT_EQ(switch_mm(m, 0, b.t), 0);
	pass(m, 0, &b, 32, PAGE_SHIFT, 0, &d);
	flushes = cpu_tlb_stats(m, 0)->flushes;
	ASSERT_EQ(flushes, 2);
	for (i = 0; i < 4; i++) {
		/* a kernel thread in between changes nothing (lazy TLB) */
		ASSERT_EQ(switch_mm(m, 0, &kthread), 0);
		ASSERT_EQ(switch_mm(m, 0, a.t), 0);
		pass(m, 0, &a, 32, PAGE_SHIFT, 0, &d);
		if (nopcid)
			expect(&d, 0, 0, 32);
		else
			expect(&d, 32, 0, 0);
		ASSERT_EQ(switch_mm(m, 0, b.t), 0);
		pass(m, 0, &b, 32, PAGE_SHIFT, 0, &d);
		if (nopcid)
			expect(&d, 0, 0, 32);
		else
			expect(&d, 32, 0, 0);
		/* switching to the mm already loaded never flushes */
		ASSERT_EQ(switch_mm(m, 0, b.t), 0);
	}
	ASSERT_EQ(cpu_tlb_stats(m, 0)->flushes, flushes + (nopcid ? 8 : 0));
	ASSERT_EQ(a.t->tlb.flushes, nopcid ? 5 : 1);

	/* with PCID, a seventh mm takes a slot back round-robin */
	if (!nopcid) {
		struct proc p[TLB_NR_DYN_ASIDS];

		/* slot 0 is init_mm's, 1 and 2 A's and B's */
		for (i = 0; i < TLB_NR_DYN_ASIDS - 3; i++) {
			p[i] = new_proc(m, 90010 + i);
			ASSERT_EQ(switch_mm(m, 0, p[i].t), 0);
		}
		ASSERT_EQ(switch_mm(m, 0, a.t), 0);
		pass(m, 0, &a, 32, PAGE_SHIFT, 0, &d);
		expect(&d, 32, 0, 0);
		/* this one evicts init_mm (slot 0), the next one A */
		p[i] = new_proc(m, 90010 + i);
		ASSERT_EQ(switch_mm(m, 0, p[i].t), 0);
		ASSERT_EQ(m->cpu_tlb[0].loaded_mm_asid, 0);
		i++;
		p[i] = new_proc(m, 90010 + i);
		ASSERT_EQ(switch_mm(m, 0, p[i].t), 0);
		ASSERT_EQ(m->cpu_tlb[0].loaded_mm_asid, 1);
		ASSERT_EQ(switch_mm(m, 0, a.t), 0);
		pass(m, 0, &a, 32, PAGE_SHIFT, 0, &d);
		expect(&d, 0, 0, 32);
		while (i >= 0)
			free_proc(&p[i--]);
	}
	free_proc(&a);
	free_proc(&b);
	tlb_free(m);
	machine_free(m);
}

static uint64_t ev(const struct machine *m, enum vm_event_item item)
{
	return m->vm_events[item];
}

/*
 * A is loaded on CPUs 0 and 1 (it ran on both), B on 2; CPU 3 never ran
 * anything.  A's flushes reach CPU 1 by IPI and nobody else.
 */
static void test_shootdown(void)
{
	struct machine *m = boot(4, 0);
	struct proc a = new_proc(m, 90001), b = new_proc(m, 90002);
	uint64_t rf = ev(m, NR_TLB_REMOTE_FLUSH);
	uint64_t rr = ev(m, NR_TLB_REMOTE_FLUSH_RECEIVED);
	uint64_t la = ev(m, NR_TLB_LOCAL_FLUSH_ALL);
	uint64_t lo = ev(m, NR_TLB_LOCAL_FLUSH_ONE);
	struct tlb_stats d;
	int cpu;

	ASSERT_EQ(switch_mm(m, 0, a.t), 0);
	ASSERT_EQ(switch_mm(m, 1, a.t), 0);
	ASSERT_EQ(switch_mm(m, 2, b.t), 0);
	pass(m, 0, &a, 16, PAGE_SHIFT, 1, &d);
	pass(m, 1, &a, 16, PAGE_SHIFT, 1, &d);
	pass(m, 2, &b, 16, PAGE_SHIFT, 1, &d);

	/* 4 pages: invlpg on both CPUs, one shootdown */
	ASSERT_EQ(flush_tlb_mm_range(m, a.mm, BASE, BASE + 4 * PAGE_SIZE,
				     PAGE_SHIFT, 0),
		  0);
	ASSERT_EQ(a.mm->tlb_gen, 1);
	ASSERT_EQ(ev(m, NR_TLB_REMOTE_FLUSH), rf + 1);
	ASSERT_EQ(ev(m, NR_TLB_REMOTE_FLUSH_RECEIVED), rr + 1);
	ASSERT_EQ(ev(m, NR_TLB_LOCAL_FLUSH_ONE), lo + 4);
	ASSERT_EQ(ev(m, NR_TLB_LOCAL_FLUSH_ALL), la);
	ASSERT_EQ(cpu_tlb_stats(m, 0)->shootdowns_sent, 1);
	ASSERT_EQ(cpu_tlb_stats(m, 0)->flush_one, 4);
	ASSERT_EQ(cpu_tlb_stats(m, 1)->shootdowns_received, 1);
	ASSERT_EQ(cpu_tlb_stats(m, 1)->flush_one, 4);
	for (cpu = 2; cpu < 4; cpu++) {
		ASSERT_EQ(cpu_tlb_stats(m, cpu)->shootdowns_received, 0);
		ASSERT_EQ(cpu_tlb_stats(m, cpu)->flush_one, 0);
	}
	/* the 4 pages are gone on both CPUs, the other 12 are there */
	for (cpu = 0; cpu < 2; cpu++) {
		pass(m, cpu, &a, 16, PAGE_SHIFT, 1, &d);
		expect(&d, 12, 0, 4);
	}
	/* B's entries on CPU 2 were not touched */
	pass(m, 2, &b, 16, PAGE_SHIFT, 1, &d);
	expect(&d, 16, 0, 0);

	/* over the ceiling: a full flush of A's ASID */
	ASSERT_EQ(flush_tlb_mm_range(m, a.mm, BASE,
				     BASE + (TLB_SINGLE_PAGE_FLUSH_CEILING +
					     1) * PAGE_SIZE,
				     PAGE_SHIFT, 1),
		  0);
	ASSERT_EQ(ev(m, NR_TLB_REMOTE_FLUSH), rf + 2);
	ASSERT_EQ(ev(m, NR_TLB_REMOTE_FLUSH_RECEIVED), rr + 2);
	ASSERT_EQ(ev(m, NR_TLB_LOCAL_FLUSH_ALL), la + 1);
	ASSERT_EQ(cpu_tlb_stats(m, 1)->shootdowns_sent, 1);
	ASSERT_EQ(cpu_tlb_stats(m, 0)->shootdowns_received, 1);
	for (cpu = 0; cpu < 2; cpu++) {
		pass(m, cpu, &a, 16, PAGE_SHIFT, 0, &d);
		expect(&d, 0, 0, 16);
	}
	/* exactly the ceiling still goes page by page */
	ASSERT_EQ(flush_tlb_mm_range(m, a.mm, BASE,
				     BASE + TLB_SINGLE_PAGE_FLUSH_CEILING *
						     PAGE_SIZE,
				     PAGE_SHIFT, 0),
		  0);
	ASSERT_EQ(ev(m, NR_TLB_LOCAL_FLUSH_ONE),
		  lo + 4 + TLB_SINGLE_PAGE_FLUSH_CEILING);

	/* a flush from a CPU that does not have A loaded: IPIs only */
	ASSERT_EQ(flush_tlb_mm(m, a.mm, 3), 0);
	ASSERT_EQ(ev(m, NR_TLB_REMOTE_FLUSH), rf + 4);
	ASSERT_EQ(ev(m, NR_TLB_REMOTE_FLUSH_RECEIVED), rr + 5);
	ASSERT_EQ(ev(m, NR_TLB_LOCAL_FLUSH_ALL), la + 1);
	ASSERT_EQ(cpu_tlb_stats(m, 3)->shootdowns_sent, 2);

	/* only CPU 2 has B: a local flush, no IPI */
	ASSERT_EQ(flush_tlb_mm(m, b.mm, 2), 0);
	ASSERT_EQ(ev(m, NR_TLB_REMOTE_FLUSH), rf + 4);
	ASSERT_EQ(ev(m, NR_TLB_LOCAL_FLUSH_ALL), la + 2);

	free_proc(&a);
	free_proc(&b);
	tlb_free(m);
	machine_free(m);
}

/*
 * A ran on CPU 1 and B replaced it there; A's ASID slot on CPU 1 keeps
 * its entries.  A flush of A from CPU 0 sends CPU 1 nothing, and CPU 1
 * flushes A's slot when it next switches to A.
 */
static void test_lazy(void)
{
	struct machine *m = boot(2, 0);
	struct proc a = new_proc(m, 90001), b = new_proc(m, 90002);
	uint64_t flushes;
	struct tlb_stats d;

	ASSERT_EQ(switch_mm(m, 1, a.t), 0);
	pass(m, 1, &a, 16, PAGE_SHIFT, 0, &d);
	ASSERT_EQ(switch_mm(m, 1, b.t), 0);
	/* first without a flush: A comes back to its entries */
	ASSERT_EQ(switch_mm(m, 1, a.t), 0);
	pass(m, 1, &a, 16, PAGE_SHIFT, 0, &d);
	expect(&d, 16, 0, 0);
	ASSERT_EQ(switch_mm(m, 1, b.t), 0);

	ASSERT_EQ(switch_mm(m, 0, a.t), 0);
	ASSERT_EQ(flush_tlb_mm_range(m, a.mm, BASE, BASE + PAGE_SIZE,
				     PAGE_SHIFT, 0),
		  0);
	ASSERT_EQ(cpu_tlb_stats(m, 1)->shootdowns_received, 0);
	ASSERT_EQ(m->vm_events[NR_TLB_REMOTE_FLUSH], 0);
	flushes = cpu_tlb_stats(m, 1)->flushes;
	ASSERT_EQ(switch_mm(m, 1, a.t), 0);
	ASSERT_EQ(cpu_tlb_stats(m, 1)->flushes, flushes + 1);
	pass(m, 1, &a, 16, PAGE_SHIFT, 0, &d);
	expect(&d, 0, 0, 16);
	/* caught up: the next switch back is free again */
	ASSERT_EQ(switch_mm(m, 1, b.t), 0);
	ASSERT_EQ(switch_mm(m, 1, a.t), 0);
	ASSERT_EQ(cpu_tlb_stats(m, 1)->flushes, flushes + 1);

	/* A exits: CPUs 0 and 1 go to init_mm, no slot names A */
	tlb_mm_exit(m, a.mm);
	ASSERT_EQ(m->cpu_tlb[0].loaded_ctx_id, INIT_MM_CTX_ID);
	ASSERT_EQ(m->cpu_tlb[1].loaded_ctx_id, INIT_MM_CTX_ID);
	{
		int cpu, i;

		for (cpu = 0; cpu < 2; cpu++)
			for (i = 0; i < TLB_NR_DYN_ASIDS; i++)
				ASSERT(m->cpu_tlb[cpu].ctxs[i].ctx_id !=
				       a.mm->ctx_id);
	}
	ASSERT_EQ(tlb_lookup(m, 0, a.t, BASE, 0, NULL), -22);
	free_proc(&a);
	free_proc(&b);
	tlb_free(m);
	machine_free(m);
}

struct words {
	uint64_t *v;
	size_t n, size, pos;
};

static void put_word(void *ctx, uint64_t v)
{
	struct words *w = ctx;

	if (w->n == w->size) {
		w->size = w->size ? 2 * w->size : 1024;
		w->v = realloc(w->v, w->size * sizeof(*w->v));
		if (!w->v)
			FAIL("out of memory");
	}
	w->v[w->n++] = v;
}

static uint64_t get_word(void *ctx)
{
	struct words *w = ctx;

	return w->pos < w->n ? w->v[w->pos++] : ~0ULL;
}

/* A busy history on 3 CPUs with 3 processes, the same for any seed. */
static void history(struct machine *m, struct proc *p, uint64_t seed)
{
	struct prng rng;
	int i;

	prng_seed(&rng, seed);
	for (i = 0; i < 20000; i++) {
		int cpu = (int)prng_below(&rng, 3);
		struct proc *q = &p[prng_below(&rng, 3)];
		uint64_t addr = BASE + (prng_below(&rng, 3000) << PAGE_SHIFT);
		int write = prng_below(&rng, 4) == 0;

		if (prng_below(&rng, 50) == 0) {
			flush_tlb_mm_range(m, q->mm, addr, addr + 8 * PAGE_SIZE,
					   PAGE_SHIFT, cpu);
			continue;
		}
		switch_mm(m, cpu, q->t);
		if (tlb_lookup(m, cpu, q->t, addr, write, NULL) == 0)
			tlb_fill(m, cpu, q->t, addr, PAGE_SHIFT, 1, write);
	}
}

static void test_save_load(void)
{
	struct machine *m = boot(3, 0), *copy = boot(3, 0);
	struct words w = {0}, w2 = {0};
	struct proc p[3];
	int i, cpu;

	for (i = 0; i < 3; i++)
		p[i] = new_proc(m, 90001 + i);
	history(m, p, 5);
	tlb_save(m, put_word, &w);
	ASSERT_EQ(tlb_load(copy, get_word, &w), 0);
	ASSERT_EQ(w.pos, w.n);
	tlb_save(copy, put_word, &w2);
	ASSERT_EQ(w2.n, w.n);
	ASSERT(!memcmp(w.v, w2.v, w.n * sizeof(*w.v)));
	for (cpu = 0; cpu < 3; cpu++)
		ASSERT(!memcmp(&m->cpu_tlb[cpu], &copy->cpu_tlb[cpu],
			       sizeof(struct cpu_tlb)));
	ASSERT_EQ(copy->last_mm_ctx_id, m->last_mm_ctx_id);

	/* a machine of another size, or damaged words, are refused */
	w.pos = 0;
	w.v[0] = 4;
	ASSERT_EQ(tlb_load(copy, get_word, &w), -22);
	w.v[0] = 3;
	w.pos = 0;
	w.v[4] = 9; /* CPU 0's loaded ASID */
	ASSERT_EQ(tlb_load(copy, get_word, &w), -22);

	/* the same history gives the same state */
	tlb_free(copy);
	machine_free(copy);
	copy = boot(3, 0);
	for (i = 0; i < 3; i++) {
		free_proc(&p[i]);
		p[i] = new_proc(copy, 90001 + i);
	}
	history(copy, p, 5);
	w2.n = 0;
	tlb_save(copy, put_word, &w2);
	w.n = w.pos = 0;
	tlb_save(m, put_word, &w);
	ASSERT_EQ(w2.n, w.n);
	ASSERT(!memcmp(w.v, w2.v, w.n * sizeof(*w.v)));

	for (i = 0; i < 3; i++)
		free_proc(&p[i]);
	free(w.v);
	free(w2.v);
	tlb_free(m);
	tlb_free(copy);
	machine_free(m);
	machine_free(copy);
}

static void test_sysfs(void)
{
	struct machine *m = boot(2, 0);
	struct proc p = new_proc(m, 90001);
	struct pfs_ctx ctx = {.m = m};
	struct seq_buf s;
	struct tlb_stats d;

	ASSERT_EQ(switch_mm(m, 1, p.t), 0);
	pass(m, 1, &p, 70, PAGE_SHIFT, 0, &d);
	seq_buf_init(&s);
	ASSERT_EQ(tlb_sysfs_show(&ctx, &s), 0);
	seq_putc(&s, '\0');
	ASSERT(!strncmp(s.buf,
			"name accesses dtlb_hits stlb_hits walks flushes "
			"flush_one shootdowns_sent shootdowns_received\n"
			"cpu0 0 0 0 0 0 0 0 0\n"
			"cpu1 70 0 0 70 1 0 0 0\n",
			s.len));
	seq_buf_free(&s);

	/* the events sit where Linux prints them */
	ASSERT(!strcmp(vm_event_name[NR_TLB_REMOTE_FLUSH - 1],
		       "balloon_migrate"));
	ASSERT(!strcmp(vm_event_name[NR_TLB_REMOTE_FLUSH],
		       "nr_tlb_remote_flush"));
	ASSERT(!strcmp(vm_event_name[NR_TLB_LOCAL_FLUSH_ONE + 1], "swap_ra"));
	free_proc(&p);
	tlb_free(m);
	machine_free(m);
}

int main(void)
{
	test_capacity();
	test_permissions();
	test_switch(0);
	test_switch(1);
	test_shootdown();
	test_lazy();
	test_save_load();
	test_sysfs();
	return unit_done("test_tlb");
}
