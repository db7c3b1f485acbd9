// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/mmsim/tlb: the simulated TLBs' counters, per CPU and per
 * user process (mmsim-tlb(7)).  No kernel has this file; it is mmsim's
 * own, in the spirit of /proc/vmstat's nr_tlb_* lines but finer.
 */
#include <inttypes.h>

#include "internal.h"
#include "tlb.h"

static void show_stats(struct seq_buf *s, const struct tlb_stats *st)
{
	seq_printf(s,
		   " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		   " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
		   st->accesses, st->dtlb_hits, st->stlb_hits, st->walks,
		   st->flushes, st->flush_one, st->shootdowns_sent,
		   st->shootdowns_received);
}

int tlb_sysfs_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	static const struct tlb_stats none;
	const struct machine *m = ctx->m;
	const struct tlb_stats *st;
	const struct task_struct *t;
	int cpu, i;

	seq_puts(s, "name accesses dtlb_hits stlb_hits walks flushes flush_one "
		    "shootdowns_sent shootdowns_received\n");
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		st = cpu_tlb_stats(m, cpu);
		seq_printf(s, "cpu%d", cpu);
		show_stats(s, st ? st : &none);
	}
	for (i = 0; i < nr_tasks(m); i++) {
		t = task_by_index(m, i);
		if (t->kthread || !t->tlb.accesses)
			continue;
		seq_printf(s, "pid %d %s", t->pid, t->comm);
		show_stats(s, &t->tlb);
	}
	return 0;
}
