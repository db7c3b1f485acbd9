// SPDX-License-Identifier: GPL-2.0
/*
 * The process model's own speed, through op_apply() as `mmsim run` would
 * apply each line (but with no image, no journal and no parsing of a
 * script): on a booted 16 GiB machine, one process maps 4 GiB and writes
 * every page of it in order (a page fault each), is forked, and then reads
 * 1 GiB of it four times in random order (references through the TLB
 * model, no faults).  Timed on the host's monotonic clock: the bench
 * measures the simulator, not the simulated machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "machine.h"
#include "ops.h"
#include "page_alloc.h"
#include "seq_buf.h"
#include "task.h"
#include "vmstat.h"

#define MAP_BYTES (4ULL << 30)
#define TLB_BYTES (1ULL << 30)
#define TLB_PASSES 4

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Apply @line to @m; on success copy its result (first line, no newline)
 * into @out if given, and return the seconds it took.  Exits on failure.
 */
static double apply(struct machine *m, const char *line, char *out, size_t size)
{
	struct seq_buf result, err;
	double t0, t;
	int rc;

	seq_buf_init(&result);
	seq_buf_init(&err);
	t0 = now();
	rc = op_apply(m, line, &result, &err);
	t = now() - t0;
	if (rc) {
		fprintf(stderr, "bench_fault: %s: %.*s\n", line, (int)err.len,
			err.buf ? err.buf : "");
		exit(1);
	}
	if (out) {
		size_t n = result.len;

		while (n && result.buf[n - 1] == '\n')
			n--;
		if (n >= size)
			n = size - 1;
		memcpy(out, result.buf ? result.buf : "", n);
		out[n] = '\0';
	}
	seq_buf_free(&result);
	seq_buf_free(&err);
	return t;
}

/* Time check_page_accounting() on @m; exits if it finds a fault. */
static double check(const struct machine *m, const char *when)
{
	char why[256];
	double t0, t;

	t0 = now();
	if (check_page_accounting(m, why, sizeof(why))) {
		fprintf(stderr, "bench_fault: invariants broken %s: %s\n", when,
			why);
		exit(1);
	}
	t = now() - t0;
	return t;
}

int main(void)
{
	struct machine_params p = {.mem_bytes = 16ULL << 30,
				   .nr_nodes = 1,
				   .nr_cpus = 4,
				   .swap_bytes = 0,
				   .seed = 1};
	const struct task_struct *t;
	char pid[32], addr[32], child[32], line[256];
	uint64_t faults, refs;
	struct machine *m;
	double t0, dt;

	t0 = now();
	if (machine_boot(&p, &m)) {
		fprintf(stderr, "bench_fault: cannot boot a 16 GiB machine\n");
		return 1;
	}
	printf("boot of a 16 GiB machine: %.1f ms\n", (now() - t0) * 1e3);
	printf("invariant check (check_page_accounting), after boot: %.1f ms\n",
	       check(m, "after boot") * 1e3);

	apply(m, "spawn bench", pid, sizeof(pid));
	snprintf(line, sizeof(line), "mmap %s %llu", pid,
		 (unsigned long long)MAP_BYTES);
	apply(m, line, addr, sizeof(addr));

	/* every page of 4 GiB written in order: one fault each */
	faults = m->vm_events[PGFAULT];
	snprintf(line, sizeof(line), "touch %s %s %llu write seq", pid, addr,
		 (unsigned long long)MAP_BYTES);
	dt = apply(m, line, NULL, 0);
	faults = m->vm_events[PGFAULT] - faults;
	printf("simulated page faults per second (4 GiB, write): %.0f "
	       "(%llu faults in %.1f ms)\n",
	       (double)faults / dt, (unsigned long long)faults, dt * 1e3);
	printf("invariant check (check_page_accounting), 4 GiB mapped: "
	       "%.1f ms\n",
	       check(m, "after the touch") * 1e3);

	snprintf(line, sizeof(line), "fork %s", pid);
	dt = apply(m, line, child, sizeof(child));
	printf("fork of a 4 GiB process: %.1f ms\n", dt * 1e3);

	/* 1 GiB read four times in random order: no faults, all TLB */
	t = find_task_by_pid(m, atoi(pid));
	if (!t) {
		fprintf(stderr, "bench_fault: process %s is gone\n", pid);
		return 1;
	}
	refs = t->tlb.accesses;
	faults = m->vm_events[PGFAULT];
	snprintf(line, sizeof(line), "touch %s %s %llu read random passes=%d",
		 pid, addr, (unsigned long long)TLB_BYTES, TLB_PASSES);
	dt = apply(m, line, NULL, 0);
	t = find_task_by_pid(m, atoi(pid));
	refs = t->tlb.accesses - refs;
	faults = m->vm_events[PGFAULT] - faults;
	printf("TLB simulation: %.0f references per second "
	       "(%llu references, %llu faults, in %.1f ms)\n",
	       (double)refs / dt, (unsigned long long)refs,
	       (unsigned long long)faults, dt * 1e3);
	printf("invariant check (check_page_accounting), 4 GiB shared by "
	       "parent and child: %.1f ms\n",
	       check(m, "after the fork") * 1e3);

	machine_free(m);
	return 0;
}
