// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/stat (fs/proc/stat.c): CPU time in USER_HZ ticks, interrupts,
 * context switches, forks and the run queue.
 */
#include <inttypes.h>
#include <stdio.h>

#include "internal.h"

/*
 * IRQ lines listed after the intr total.  Only the local timer is
 * modelled; its count goes to IRQ 0 (the legacy timer line) and the other
 * lines stay at zero.
 */
#define NR_IRQS_SHOWN 64

enum {
	HI_SOFTIRQ,
	TIMER_SOFTIRQ,
	NET_TX_SOFTIRQ,
	NET_RX_SOFTIRQ,
	BLOCK_SOFTIRQ,
	IRQ_POLL_SOFTIRQ,
	TASKLET_SOFTIRQ,
	SCHED_SOFTIRQ,
	HRTIMER_SOFTIRQ,
	RCU_SOFTIRQ,
	NR_SOFTIRQS
};

/* The columns of a cpu line, in the order the file prints them. */
static const enum cpu_usage_stat stat_columns[] = {
	CPUTIME_USER,	CPUTIME_NICE,	    CPUTIME_SYSTEM,  CPUTIME_IDLE,
	CPUTIME_IOWAIT, CPUTIME_IRQ,	    CPUTIME_SOFTIRQ, CPUTIME_STEAL,
	CPUTIME_GUEST,	CPUTIME_GUEST_NICE,
};

#define NR_STAT_COLUMNS (sizeof(stat_columns) / sizeof(stat_columns[0]))

static void show_cpu_line(struct seq_buf *s, const char *label,
			  const uint64_t *cpustat)
{
	size_t i;

	seq_puts(s, label);
	for (i = 0; i < NR_STAT_COLUMNS; i++)
		seq_printf(s, "%s%" PRIu64, i ? " " : "",
			   nsec_to_clock_t(cpustat[stat_columns[i]]));
	seq_putc(s, '\n');
}

int stat_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct machine *m = ctx->m;
	uint64_t sum[NR_STATS] = {0};
	uint64_t irqs = 0, softirqs = 0, switches = 0;
	const struct kernel_cpustat *kcs;
	char label[16];
	int cpu, i;

	/* The summary line converts the sums, not the per-CPU ticks. */
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		kcs = &m->kcpustat[cpu];
		for (i = 0; i < NR_STATS; i++)
			sum[i] += kcs->cpustat[i];
		irqs += kcs->nr_irqs;
		softirqs += kcs->nr_softirqs;
		switches += kcs->nr_switches;
	}
	show_cpu_line(s, "cpu  ", sum);
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		snprintf(label, sizeof(label), "cpu%d ", cpu);
		show_cpu_line(s, label, m->kcpustat[cpu].cpustat);
	}

	seq_printf(s, "intr %" PRIu64, irqs);
	for (i = 0; i < NR_IRQS_SHOWN; i++)
		seq_printf(s, " %" PRIu64, i == 0 ? irqs : 0);
	seq_printf(s, "\nctxt %" PRIu64 "\n", switches);
	seq_printf(s, "btime %" PRIu64 "\n", m->boot_epoch);
	seq_printf(s, "processes %" PRIu64 "\n", m->total_forks);
	seq_printf(s, "procs_running %u\n", nr_running(m));
	seq_printf(s, "procs_blocked %u\n", nr_iowait(m));

	/* Softirqs are all timer softirqs: the tick is all that runs. */
	seq_printf(s, "softirq %" PRIu64, softirqs);
	for (i = 0; i < NR_SOFTIRQS; i++)
		seq_printf(s, " %" PRIu64, i == TIMER_SOFTIRQ ? softirqs : 0);
	seq_putc(s, '\n');
	return 0;
}
