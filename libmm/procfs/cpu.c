// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/devices/system/cpu/ (drivers/base/cpu.c): the CPU masks.  Every
 * CPU of the machine is possible, present and online; there is no
 * hotplug.
 */
#include <string.h>

#include "internal.h"

void cpu_online_mask(const struct machine *m, uint64_t mask[CPUMASK_WORDS])
{
	int cpu;

	memset(mask, 0, CPUMASK_WORDS * sizeof(mask[0]));
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++)
		bitmap_set_bit(mask, cpu);
}

int nr_cpus_node(const struct machine *m, int nid)
{
	int cpu, n = 0;

	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++)
		if (m->cpu_to_node[cpu] == nid)
			n++;
	return n;
}

static int show_cpus_attr(const struct machine *m, struct seq_buf *s)
{
	uint64_t mask[CPUMASK_WORDS];

	cpu_online_mask(m, mask);
	seq_bitmap_list(s, mask, m->nr_cpu_ids);
	seq_putc(s, '\n');
	return 0;
}

int cpu_possible_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	return show_cpus_attr(ctx->m, s);
}

int cpu_online_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	return show_cpus_attr(ctx->m, s);
}

int cpu_present_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	return show_cpus_attr(ctx->m, s);
}
