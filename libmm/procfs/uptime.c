// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/uptime (fs/proc/uptime.c): time since boot and the idle time of
 * all CPUs together, both as seconds and truncated hundredths.
 */
#include <inttypes.h>

#include "internal.h"

/* Seconds and truncated hundredths, "%lu.%02lu". */
static void seq_put_seconds(struct seq_buf *s, uint64_t ns)
{
	uint64_t sec = ns / NSEC_PER_SEC;
	uint64_t hundredths = ns % NSEC_PER_SEC / (NSEC_PER_SEC / 100);

	seq_printf(s, "%" PRIu64 ".%02" PRIu64, sec, hundredths);
}

int uptime_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct machine *m = ctx->m;
	uint64_t idle_ns = 0;
	int cpu;

	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++)
		idle_ns += m->kcpustat[cpu].cpustat[CPUTIME_IDLE];

	seq_put_seconds(s, m->clock_ns);
	seq_putc(s, ' ');
	seq_put_seconds(s, idle_ns);
	seq_putc(s, '\n');
	return 0;
}
