// SPDX-License-Identifier: GPL-2.0
/*
 * The TLB model's own speed: fixed streams of references driven straight
 * into tlb_lookup() and tlb_fill() (no page tables, no faults), timed on
 * the host's monotonic clock.  Prints simulated lookups per second and
 * the hit rates each stream gets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "machine.h"
#include "mm.h"
#include "tlb.h"

#define REFS 10000000ULL
#define BASE 0x7f0000000000ULL

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum pattern { RANDOM, SEQUENTIAL };

/*
 * @refs references by @nr_tasks processes taking turns on CPU 0 every
 * @slice references, over @span bytes of pages of 1 << @shift bytes.
 */
static void run(const char *name, struct machine *m, struct task_struct *t,
		int nr_tasks, uint64_t slice, enum pattern pat, uint64_t span,
		unsigned int shift)
{
	uint64_t pages = span >> shift, i, page = 0;
	struct tlb_stats s = {0};
	struct prng rng;
	double t0, dt;
	int k, cur = 0;

	/* empty TLBs, so that no run finds the last one's entries */
	tlb_init(m);
	for (k = 0; k < nr_tasks; k++)
		t[k].tlb = s;
	prng_seed(&rng, 1);
	t0 = now();
	for (i = 0; i < REFS; i++) {
		uint64_t addr;

		if (i % slice == 0) {
			cur = (int)((i / slice) % (uint64_t)nr_tasks);
			switch_mm(m, 0, &t[cur]);
		}
		page = pat == RANDOM ? prng_below(&rng, pages)
				     : (page + 1) % pages;
		addr = BASE + (page << shift);
		if (!tlb_lookup(m, 0, &t[cur], addr, 0, NULL))
			tlb_fill(m, 0, &t[cur], addr, shift, 1, 0);
	}
	dt = now() - t0;
	for (k = 0; k < nr_tasks; k++) {
		s.accesses += t[k].tlb.accesses;
		s.dtlb_hits += t[k].tlb.dtlb_hits;
		s.stlb_hits += t[k].tlb.stlb_hits;
		s.walks += t[k].tlb.walks;
	}
	printf("%s: %.0f lookups/s (dtlb %.1f%%, stlb %.1f%%, walks %.1f%%)\n",
	       name, (double)s.accesses / dt,
	       100.0 * (double)s.dtlb_hits / (double)s.accesses,
	       100.0 * (double)s.stlb_hits / (double)s.accesses,
	       100.0 * (double)s.walks / (double)s.accesses);
}

int main(void)
{
	struct machine_params p = {.mem_bytes = 8ULL << 30,
				   .nr_nodes = 1,
				   .nr_cpus = 4,
				   .seed = 1};
	struct mm_struct mm[4] = {{0}};
	struct task_struct t[4] = {{0}};
	struct machine *m;
	int k;

	if (machine_boot(&p, &m) || tlb_init(m))
		return 1;
	for (k = 0; k < 4; k++) {
		init_new_context(m, &mm[k]);
		t[k].pid = 100000 + k;
		t[k].mm = &mm[k];
	}
	run("random_1G_4k", m, t, 1, REFS, RANDOM, 1ULL << 30, PAGE_SHIFT);
	run("random_1G_2m", m, t, 1, REFS, RANDOM, 1ULL << 30, PMD_SHIFT);
	run("random_4M_4k", m, t, 1, REFS, RANDOM, 4ULL << 20, PAGE_SHIFT);
	run("seq_4M_4k", m, t, 1, REFS, SEQUENTIAL, 4ULL << 20, PAGE_SHIFT);
	run("seq_16M_4k", m, t, 1, REFS, SEQUENTIAL, 16ULL << 20, PAGE_SHIFT);
	/* 4 processes sharing CPU 0, switching every 10000 references */
	run("random_1M_4k_4procs", m, t, 4, 10000, RANDOM, 1ULL << 20,
	    PAGE_SHIFT);
	m->params.nopcid = 1;
	run("random_1M_4k_4procs_nopcid", m, t, 4, 10000, RANDOM, 1ULL << 20,
	    PAGE_SHIFT);
	tlb_free(m);
	machine_free(m);
	return 0;
}
