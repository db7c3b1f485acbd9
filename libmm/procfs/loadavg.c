// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/loadavg (fs/proc/loadavg.c): the three load averages, runnable
 * over all tasks, and the last PID handed out.
 */
#include <inttypes.h>

#include "internal.h"
#include "loadavg.h"

int loadavg_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct machine *m = ctx->m;
	uint64_t avnrun[3];
	int i;

	/* Rounded to the nearest hundredth, as get_avenrun() is asked to. */
	for (i = 0; i < 3; i++)
		avnrun[i] = m->avenrun[i] + FIXED_1 / 200;

	seq_printf(s,
		   "%" PRIu64 ".%02" PRIu64 " %" PRIu64 ".%02" PRIu64
		   " %" PRIu64 ".%02" PRIu64 " %u/%d %d\n",
		   LOAD_INT(avnrun[0]), LOAD_FRAC(avnrun[0]),
		   LOAD_INT(avnrun[1]), LOAD_FRAC(avnrun[1]),
		   LOAD_INT(avnrun[2]), LOAD_FRAC(avnrun[2]), nr_running(m),
		   nr_tasks(m), last_pid(m));
	return 0;
}
