// SPDX-License-Identifier: GPL-2.0
/*
 * The page cache's own speed, through op_apply() as `mmsim run` would
 * apply each line (but with no image, no journal and no parsing of a
 * script): on a booted 16 GiB machine, a 1 GiB file is read cold (every
 * page read from the simulated disk into the cache, with readahead), then
 * warm four times (every page found in the cache); a file is written in
 * 4 MiB writes, each followed by sync; and 1 GiB of dirty pages is
 * written back by sync at once.  Timed on the host's monotonic clock:
 * the bench measures the simulator, not the simulated machine, so "GiB/s"
 * is simulated bytes moved per second of host time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "machine.h"
#include "ops.h"
#include "page_alloc.h"
#include "seq_buf.h"
#include "vmstat.h"

#define FILE_BYTES (1ULL << 30)
#define FILE_PAGES (FILE_BYTES >> 12)
#define WARM_PASSES 4
#define WRITE_BYTES (4ULL << 20)
#define NR_WRITES 256

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Apply @line to @m and return the seconds it took.  Exits on failure. */
static double apply(struct machine *m, const char *line)
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
		fprintf(stderr, "bench_filemap: %s: %.*s\n", line, (int)err.len,
			err.buf ? err.buf : "");
		exit(1);
	}
	seq_buf_free(&result);
	seq_buf_free(&err);
	return t;
}

static void check(const struct machine *m, const char *when)
{
	char why[256];

	if (check_page_accounting(m, why, sizeof(why))) {
		fprintf(stderr, "bench_filemap: invariants broken %s: %s\n",
			when, why);
		exit(1);
	}
}

static void report(const char *what, double pages, double dt)
{
	printf("%s: %.0f pages/s, %.2f GiB/s simulated (%.0f pages in "
	       "%.1f ms)\n",
	       what, pages / dt, pages * 4096.0 / (1 << 30) / dt, pages,
	       dt * 1e3);
}

int main(void)
{
	struct machine_params p = {.mem_bytes = 16ULL << 30,
				   .nr_nodes = 1,
				   .nr_cpus = 4,
				   .swap_bytes = 0,
				   .seed = 1};
	uint64_t in, written;
	struct machine *m;
	char line[128];
	double dt;
	int i;

	if (machine_boot(&p, &m)) {
		fprintf(stderr,
			"bench_filemap: cannot boot a 16 GiB machine\n");
		return 1;
	}

	/* cold: the file is on the disk, none of it cached */
	apply(m, "file create /data/big 1G");
	in = m->vm_events[PGPGIN];
	dt = apply(m, "file read /data/big");
	in = (m->vm_events[PGPGIN] - in) / 8; /* sectors to pages */
	if (in != FILE_PAGES) {
		fprintf(stderr, "bench_filemap: cold read read %llu pages\n",
			(unsigned long long)in);
		return 1;
	}
	report("cold file read of 1 GiB", (double)in, dt);

	/* warm: every page is in the cache */
	dt = 0;
	for (i = 0; i < WARM_PASSES; i++)
		dt += apply(m, "file read /data/big");
	report("warm file read of 1 GiB, 4 passes",
	       (double)FILE_PAGES * WARM_PASSES, dt);
	check(m, "after the reads");

	/* 4 MiB writes, each made durable by sync */
	apply(m, "file create /data/log 0");
	written = (uint64_t)global_node_page_state(m, NR_WRITTEN);
	dt = 0;
	for (i = 0; i < NR_WRITES; i++) {
		snprintf(line, sizeof(line), "file write /data/log %llu %llu",
			 (unsigned long long)(i * WRITE_BYTES),
			 (unsigned long long)WRITE_BYTES);
		dt += apply(m, line);
		dt += apply(m, "sync");
	}
	written = (uint64_t)global_node_page_state(m, NR_WRITTEN) - written;
	printf("file write 4 MiB + sync: %.0f pairs per second "
	       "(%d pairs in %.1f ms)\n",
	       NR_WRITES / dt, NR_WRITES, dt * 1e3);
	report("  of which pages dirtied and written back", (double)written,
	       dt);

	/* one big write, then one sync that writes all of it back */
	apply(m, "file create /data/dump 0");
	dt = apply(m, "file write /data/dump 0 1G");
	report("file write of 1 GiB (new pages, dirty)", (double)FILE_PAGES,
	       dt);
	written = (uint64_t)global_node_page_state(m, NR_WRITTEN);
	dt = apply(m, "sync");
	written = (uint64_t)global_node_page_state(m, NR_WRITTEN) - written;
	report("sync of the dirty pages", (double)written, dt);
	dt = apply(m, "sysctl vm.drop_caches=1");
	printf("drop_caches of ~3 GiB of clean cache: %.1f ms\n", dt * 1e3);
	check(m, "at the end");

	machine_free(m);
	return 0;
}
