// SPDX-License-Identifier: GPL-2.0
/*
 * Pressure stall information (kernel/sched/psi.c) in simulated time.
 *
 * The kernel measures, per resource, the time in which some task was
 * stalled on it (SOME) and in which every non-idle task was (FULL); it
 * reports the cumulative time in microseconds and, every PSI_FREQ, folds
 * the share of the period that was stalled, in percent, into three
 * exponentially decaying averages over 10 s, 60 s and 300 s, with the
 * load average's fixed-point arithmetic.
 *
 * Here time passes only in tick.  An operation that stalls on memory
 * (direct reclaim, a swap-in) says for how long; that stall is pending
 * until the next tick, which places it at the start of the time it covers
 * and cuts it to that time.  The tick then walks the period boundaries it
 * passes: each one with stall in its period is an update of its own; a
 * stretch of periods without stall is one update that folds them, as the
 * kernel catches up when its averaging work restarts after idling.  So a
 * long tick after thrashing lets the averages decay while the totals
 * stay.
 */
#include <errno.h>

#include "cgroup.h"
#include "loadavg.h"
#include "machine.h"
#include "psi.h"

#define EXP_10s 1677 /* 1/exp(2s/10s) in PSI_FSHIFT fixed point */
#define EXP_60s 1981 /* 1/exp(2s/60s) */
#define EXP_300s 2034 /* 1/exp(2s/300s) */

static const uint64_t psi_exps[NR_PSI_AVGS] = {EXP_10s, EXP_60s, EXP_300s};

/*
 * calc_avgs(): decay through @missed periods without stall, then take in
 * a period with @time of stall.
 */
static void calc_avgs(uint64_t avg[NR_PSI_AVGS], uint64_t missed, uint64_t time)
{
	uint64_t pct = time * 100 / PSI_PERIOD_NS * PSI_FIXED_1;
	int w;

	for (w = 0; w < NR_PSI_AVGS; w++) {
		if (missed)
			avg[w] = calc_load(avg[w],
					   fixed_power_int(psi_exps[w], missed),
					   0);
		avg[w] = calc_load(avg[w], psi_exps[w], pct);
	}
}

/*
 * update_averages() at the boundary @missed periods after the next one:
 * what @total gained since the last update is the last period's sample.
 */
static void update_averages(struct psi_group *g, uint64_t missed)
{
	int s;

	for (s = 0; s < NR_PSI_STATES; s++) {
		uint64_t sample = g->total[s] - g->avg_total[s];

		/*
		 * The kernel defers what exceeds a period to the next one;
		 * placed stall never does, but a period stays <= 100%.
		 */
		if (sample > PSI_PERIOD_NS)
			sample = PSI_PERIOD_NS;
		g->avg_total[s] += sample;
		calc_avgs(g->avg[s], missed, sample);
	}
	g->avg_last_update += (missed + 1) * PSI_PERIOD_NS;
}

static void psi_group_memstall(struct psi_group *g, uint64_t ns)
{
	static const enum psi_states states[] = {PSI_MEM_SOME, PSI_MEM_FULL};
	size_t i;

	/*
	 * An operation is one task working while every other simulated task
	 * sleeps (nr_running() is 0 between operations).  Its task stalled
	 * on memory is then the only non-idle task: some task is stalled,
	 * and no non-idle task makes progress, which is test_state()'s
	 * PSI_MEM_FULL (every running task is a reclaimer).  So the stall is
	 * both.
	 */
	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		uint64_t *p = &g->pending[states[i]];

		*p = *p + ns < *p ? UINT64_MAX : *p + ns;
	}
}

void psi_memstall(struct machine *m, uint64_t ns)
{
	struct cgroup *cgrp;

	psi_group_memstall(&m->psi, ns);
	/*
	 * The root group's files are the system's; below it, a group with
	 * cgroup.pressure 0 records nothing (its files are hidden).
	 */
	for (cgrp = m->current_cgrp; cgrp && cgrp->parent; cgrp = cgrp->parent)
		if (cgrp->psi_enabled)
			psi_group_memstall(&cgrp->psi, ns);
}

/*
 * @base plus the part of @stall, placed from @start on, that lies before
 * @t.
 */
static uint64_t stall_until(uint64_t base, uint64_t stall, uint64_t start,
			    uint64_t t)
{
	if (t <= start)
		return base;
	return base + (t - start < stall ? t - start : stall);
}

static void psi_group_tick(struct psi_group *g, uint64_t start,
			   uint64_t until)
{
	uint64_t base[NR_PSI_STATES], stall[NR_PSI_STATES];
	int s;

	for (s = 0; s < NR_PSI_STATES; s++) {
		/* a task cannot be stalled for longer than the time passed */
		stall[s] = g->pending[s] < until - start ? g->pending[s]
							 : until - start;
		g->pending[s] = 0;
		base[s] = g->total[s];
	}
	while (g->avg_last_update + PSI_PERIOD_NS <= until) {
		uint64_t next = g->avg_last_update + PSI_PERIOD_NS;
		int idle = 1;

		for (s = 0; s < NR_PSI_STATES; s++) {
			g->total[s] =
				stall_until(base[s], stall[s], start, next);
			if (g->total[s] != g->avg_total[s])
				idle = 0;
		}
		/*
		 * The stall is one stretch from @start: once a period has
		 * none, neither has any later one in this tick.
		 */
		update_averages(g, idle ? (until - next) / PSI_PERIOD_NS : 0);
	}
	for (s = 0; s < NR_PSI_STATES; s++)
		g->total[s] = base[s] + stall[s];
}

void psi_tick(struct machine *m, uint64_t until)
{
	struct cgroup *pos;

	psi_group_tick(&m->psi, m->clock_ns, until);
	cgroup_for_each_descendant_pre (pos, &m->cgrp_root)
		if (pos->parent)
			psi_group_tick(&pos->psi, m->clock_ns, until);
}

int psi_group_check(const struct psi_group *g, uint64_t clock_ns)
{
	int s, w;

	if (g->avg_last_update % PSI_PERIOD_NS || g->avg_last_update > clock_ns)
		return -EINVAL;
	for (s = 0; s < NR_PSI_STATES; s++) {
		if (g->total[s] > clock_ns || g->avg_total[s] > g->total[s])
			return -EINVAL;
		for (w = 0; w < NR_PSI_AVGS; w++)
			if (g->avg[s][w] > 100 * PSI_FIXED_1)
				return -EINVAL;
	}
	return 0;
}
