// SPDX-License-Identifier: GPL-2.0
/*
 * Address spaces under random operations: after every mmap, munmap,
 * mprotect, madvise, fork, touch, malloc, free and exit, each frame's
 * mapcount equals the page-table entries that map it, each mm's rss
 * counters and VmPTE equal what its tables hold, no anonymous frame is
 * left unmapped and the page cache index agrees with the frames
 * (check_page_accounting).  A checkpoint round trip gives the same bytes,
 * and replaying the same operations from boot gives the same state.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "vmstat.h"
#include "machine.h"
#include "mm.h"
#include "ops.h"
#include "page_alloc.h"
#include "prng.h"
#include "seq_buf.h"
#include "replay.h"
#include "unit.h"

#define MAX_LIVE 12
#define MAX_MAPS 64

struct mapping {
	int pid;
	unsigned long long addr, len;
};

struct world {
	struct machine *m;
	struct prng rng;
	int pids[MAX_LIVE];
	int nr_pids;
	struct mapping maps[MAX_MAPS];
	int nr_maps;
	char **log; /* the lines applied, for the replay */
	size_t nr_log;
	struct seq_buf good; /* the state after the last accepted op */
};

static void save_good(struct world *w)
{
	seq_buf_free(&w->good);
	seq_buf_init(&w->good);
	if (machine_save(w->m, &w->good) || seq_buf_error(&w->good))
		FAIL("save failed");
}

/* Apply @line; a rejected op leaves the machine as it was (reload). */
static int apply(struct world *w, const char *line, char *out, size_t size)
{
	struct seq_buf res, err;
	char why[256];
	int rc;

	seq_buf_init(&res);
	seq_buf_init(&err);
	rc = op_apply(w->m, line, &res, &err);
	if (rc) {
		machine_free(w->m);
		if (machine_load(w->good.buf, w->good.len, &w->m, why,
				 sizeof(why)))
			FAIL("reload after '%s': %s", line, why);
	} else {
		w->log = realloc(w->log, (w->nr_log + 1) * sizeof(*w->log));
		w->log[w->nr_log++] = strdup(line);
		save_good(w);
		if (check_page_accounting(w->m, why, sizeof(why)))
			FAIL("after '%s': %s", line, why);
	}
	if (out && size) {
		snprintf(out, size, "%s", res.buf ? res.buf : "");
		out[strcspn(out, "\n")] = '\0';
	}
	seq_buf_free(&res);
	seq_buf_free(&err);
	return rc;
}

static int pick_pid(struct world *w)
{
	return w->pids[prng_below(&w->rng, (uint64_t)w->nr_pids)];
}

static void forget_pid(struct world *w, int pid)
{
	int i;

	for (i = 0; i < w->nr_pids; i++)
		if (w->pids[i] == pid)
			w->pids[i--] = w->pids[--w->nr_pids];
	for (i = 0; i < w->nr_maps; i++)
		if (w->maps[i].pid == pid)
			w->maps[i--] = w->maps[--w->nr_maps];
}

static void add_pid(struct world *w, const char *out)
{
	if (w->nr_pids < MAX_LIVE)
		w->pids[w->nr_pids++] = atoi(out);
}

static void step(struct world *w)
{
	static const char *const prots[] = {"r", "rw", "none", "rx"};
	static const char *const advice[] = {"dontneed",   "willneed",
					     "sequential", "random",
					     "hugepage",   "hugepage"};
	char line[256], out[64];
	struct mapping *mp;
	unsigned long long off, len;
	int pid, i;
	uint64_t kind = prng_below(&w->rng, 100);

	if (!w->nr_pids || kind < 5) {
		if (!apply(w, "spawn app", out, sizeof(out)))
			add_pid(w, out);
		return;
	}
	pid = pick_pid(w);
	if (kind < 25 && w->nr_maps < MAX_MAPS) {
		static const char *const how[] = {
			"", " shared",
			" file=/usr/lib/x86_64-linux-gnu/libc.so.6",
			" file=/usr/lib/x86_64-linux-gnu/libc.so.6 shared",
			" populate"};

		/* now and then whole huge pages, which madvise may make THPs */
		len = prng_below(&w->rng, 4)
			      ? (1 + prng_below(&w->rng, 512)) * 4096ULL
			      : (1 + prng_below(&w->rng, 4)) * 2097152ULL;
		snprintf(line, sizeof(line), "mmap %d %llu%s", pid, len,
			 how[prng_below(&w->rng, 5)]);
		if (!apply(w, line, out, sizeof(out))) {
			mp = &w->maps[w->nr_maps++];
			mp->pid = pid;
			mp->addr = strtoull(out, NULL, 0);
			mp->len = len;
		}
		return;
	}
	if (kind < 35) {
		snprintf(line, sizeof(line), "fork %d", pid);
		if (!apply(w, line, out, sizeof(out)))
			add_pid(w, out);
		return;
	}
	if (kind < 40 && w->nr_pids > 2) {
		snprintf(line, sizeof(line), "exit %d", pid);
		if (!apply(w, line, NULL, 0))
			forget_pid(w, pid);
		return;
	}
	if (kind < 42) {
		/* compaction moves mapped pages under the processes' feet */
		apply(w, "sysctl vm.compact_memory=1", NULL, 0);
		return;
	}
	if (kind < 48) {
		snprintf(line, sizeof(line), "malloc %d %llu", pid,
			 1 + (unsigned long long)prng_below(&w->rng, 300000));
		if (!apply(w, line, out, sizeof(out)) &&
		    prng_below(&w->rng, 2)) {
			snprintf(line, sizeof(line), "free %d %s", pid, out);
			apply(w, line, NULL, 0);
		}
		return;
	}
	/* the rest work on a mapping of a live process */
	for (i = 0; i < w->nr_maps && w->maps[i].pid != pid; i++)
		;
	if (i == w->nr_maps)
		return;
	mp = &w->maps[i];
	off = prng_below(&w->rng, mp->len / 4096) * 4096ULL;
	len = (1 + prng_below(&w->rng, (mp->len - off) / 4096)) * 4096ULL;
	if (kind < 75)
		snprintf(line, sizeof(line), "touch %d %#llx %llu %s %s", pid,
			 mp->addr + off, len,
			 prng_below(&w->rng, 3) ? "write" : "read",
			 prng_below(&w->rng, 2) ? "seq" : "random");
	else if (kind < 85)
		snprintf(line, sizeof(line), "mprotect %d %#llx %llu %s", pid,
			 mp->addr + off, len, prots[prng_below(&w->rng, 4)]);
	else if (kind < 92)
		snprintf(line, sizeof(line), "madvise %d %#llx %llu %s", pid,
			 mp->addr + off, len, advice[prng_below(&w->rng, 6)]);
	else
		snprintf(line, sizeof(line), "munmap %d %#llx %llu", pid,
			 mp->addr + off, len);
	apply(w, line, NULL, 0);
}

static void run_world(uint64_t seed, int steps)
{
	struct machine_params p = {2ULL << 30, 2, 4, 0, seed, 0};
	struct world w = {0};
	int i;

	prng_seed(&w.rng, seed * 7919);
	seq_buf_init(&w.good);
	if (machine_boot(&p, &w.m))
		FAIL("boot failed");
	save_good(&w);
	for (i = 0; i < steps; i++)
		step(&w);

	check_roundtrip_and_replay(&p, w.log, w.nr_log, &w.good);
	ASSERT(w.nr_log > (size_t)steps / 2);
	free(w.log);
	seq_buf_free(&w.good);
	machine_free(w.m);
}

/* Exiting everything gives every user frame back. */
static void test_exit_all(void)
{
	struct machine_params p = {1ULL << 30, 1, 2, 0, 3, 0};
	struct machine *m;
	struct seq_buf res, err;
	int64_t anon;
	char line[64], why[256];
	int pid;

	if (machine_boot(&p, &m))
		FAIL("boot failed");
	anon = global_node_page_state(m, NR_ANON_MAPPED);
	seq_buf_init(&res);
	seq_buf_init(&err);
	ASSERT_EQ(op_apply(m, "spawn big", &res, &err), 0);
	pid = atoi(res.buf);
	snprintf(line, sizeof(line), "mmap %d 64M populate", pid);
	ASSERT_EQ(op_apply(m, line, &res, &err), 0);
	ASSERT(global_node_page_state(m, NR_ANON_MAPPED) >= anon + 16384);
	snprintf(line, sizeof(line), "exit %d", pid);
	ASSERT_EQ(op_apply(m, line, &res, &err), 0);
	ASSERT_EQ(global_node_page_state(m, NR_ANON_MAPPED), anon);
	ASSERT_EQ(op_apply(m, "exit 1", &res, &err), -EPERM);
	if (check_page_accounting(m, why, sizeof(why)))
		FAIL("after exit: %s", why);
	seq_buf_free(&res);
	seq_buf_free(&err);
	machine_free(m);
}

static int do_op(struct machine *m, char *out, size_t size, const char *fmt,
		 ...) __attribute__((format(printf, 4, 5)));

static int do_op(struct machine *m, char *out, size_t size, const char *fmt,
		 ...)
{
	struct seq_buf res, err;
	char line[256], why[256];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	seq_buf_init(&res);
	seq_buf_init(&err);
	rc = op_apply(m, line, &res, &err);
	if (rc)
		FAIL("'%s': %s", line, err.buf);
	if (out)
		snprintf(out, size, "%s", res.buf ? res.buf : "");
	seq_buf_free(&res);
	seq_buf_free(&err);
	if (check_page_accounting(m, why, sizeof(why)))
		FAIL("after '%s': %s", line, why);
	return rc;
}

/*
 * Transparent huge pages in "madvise" mode: whole aligned 2 MiB pages on
 * write faults, shared by fork, split by a copy-on-write or a partial
 * munmap, given back at exit.
 */
static void test_thp(void)
{
	struct machine_params p = {2ULL << 30, 1, 2, 0, 5, 0};
	struct machine *m;
	char pid[32], child[32], addr[32];
	int64_t anon, faults;
	unsigned long long a;

	if (machine_boot(&p, &m))
		FAIL("boot failed");
	anon = global_node_page_state(m, NR_ANON_MAPPED);
	do_op(m, pid, sizeof(pid), "spawn db");
	pid[strcspn(pid, "\n")] = '\0';
	do_op(m, addr, sizeof(addr), "mmap %s 8M", pid);
	a = strtoull(addr, NULL, 0);
	ASSERT_EQ(a & (PMD_SIZE - 1), 0);
	/* without madvise, small pages */
	do_op(m, NULL, 0, "touch %s %#llx 4K", pid, a);
	ASSERT_EQ(global_node_page_state(m, NR_ANON_THPS), 0);
	do_op(m, NULL, 0, "madvise %s %#llx 8M dontneed", pid, a);
	do_op(m, NULL, 0, "madvise %s %#llx 8M hugepage", pid, a);
	faults = (int64_t)m->vm_events[PGFAULT];
	do_op(m, NULL, 0, "touch %s %#llx 8M write", pid, a);
	/* the first page's table is still there: it stays small */
	ASSERT_EQ(m->vm_events[THP_FAULT_ALLOC], 3);
	ASSERT_EQ(global_node_page_state(m, NR_ANON_THPS), 3 * 512);
	ASSERT_EQ((int64_t)m->vm_events[PGFAULT] - faults, 3 + 512);
	do_op(m, child, sizeof(child), "fork %s", pid);
	child[strcspn(child, "\n")] = '\0';
	ASSERT_EQ(global_node_page_state(m, NR_ANON_THPS), 3 * 512);
	do_op(m, NULL, 0, "touch %s %#llx 4K write", child,
	      a + 2 * PMD_SIZE + 4096);
	ASSERT_EQ(m->vm_events[THP_SPLIT_PAGE], 1);
	ASSERT_EQ(global_node_page_state(m, NR_ANON_THPS), 2 * 512);
	do_op(m, NULL, 0, "munmap %s %#llx 1M", pid, a + 3 * PMD_SIZE);
	ASSERT_EQ(m->vm_events[THP_SPLIT_PAGE], 2);
	do_op(m, NULL, 0, "exit %s", child);
	do_op(m, NULL, 0, "exit %s", pid);
	ASSERT_EQ(global_node_page_state(m, NR_ANON_MAPPED), anon);
	ASSERT_EQ(global_node_page_state(m, NR_ANON_THPS), 0);
	machine_free(m);
}

/* Compaction migrates mapped pages: their PTEs follow, no fault happens. */
static void test_compaction_moves_mapped_pages(void)
{
	struct machine_params p = {1ULL << 30, 1, 2, 0, 11, 0};
	struct machine *m;
	char pid[32], child[32], addr[32];
	static uint64_t before[8192];
	const struct mm_struct *mm;
	uint64_t migrated, faults;
	unsigned long long a;
	unsigned int shift;
	int i, moved = 0;

	if (machine_boot(&p, &m))
		FAIL("boot failed");
	do_op(m, pid, sizeof(pid), "spawn db");
	pid[strcspn(pid, "\n")] = '\0';
	do_op(m, addr, sizeof(addr), "mmap %s 64M", pid);
	a = strtoull(addr, NULL, 0);
	/* every other page written: frames scattered through the zone */
	for (i = 0; i < 16384; i += 2)
		do_op(m, NULL, 0, "touch %s %#llx 4K", pid,
		      a + (unsigned long long)i * 4096);
	do_op(m, child, sizeof(child), "fork %s", pid);
	child[strcspn(child, "\n")] = '\0';
	mm = find_task_by_pid(m, atoi(pid))->mm;
	for (i = 0; i < 8192; i++)
		before[i] = lookup_pte(mm, a + 2ULL * i * 4096, &shift);
	migrated = m->vm_events[PGMIGRATE_SUCCESS];
	do_op(m, NULL, 0, "sysctl vm.compact_memory=1");
	ASSERT(m->vm_events[PGMIGRATE_SUCCESS] > migrated);
	for (i = 0; i < 8192; i++)
		moved += pte_pfn(lookup_pte(mm, a + 2ULL * i * 4096, &shift)) !=
			 pte_pfn(before[i]);
	ASSERT(moved > 0);
	faults = m->vm_events[PGFAULT];
	do_op(m, NULL, 0, "touch %s %#llx 64M read", child, a);
	do_op(m, NULL, 0, "touch %s %#llx 64M read", pid, a);
	/* the written pages are still mapped; only the holes fault */
	ASSERT_EQ(m->vm_events[PGFAULT] - faults, 2 * 8192);
	do_op(m, NULL, 0, "exit %s", child);
	do_op(m, NULL, 0, "exit %s", pid);
	machine_free(m);
}

int main(void)
{
	test_compaction_moves_mapped_pages();
	test_thp();
	test_exit_all();
	run_world(1, 300);
	run_world(2, 300);
	return unit_done("mm");
}
