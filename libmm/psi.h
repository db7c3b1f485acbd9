/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pressure stall information (kernel/sched/psi.c), in simulated time: how
 * much of the time that passed some task (and all of them) waited for
 * memory, as /proc/pressure/memory shows it.
 */
#ifndef MMSIM_PSI_H
#define MMSIM_PSI_H

#include <stdint.h>

#include "loadavg.h"

struct machine;

/* The resources and their states, in the kernel's order. */
enum psi_res {
	PSI_IO,
	PSI_MEM,
	PSI_CPU,
	NR_PSI_RESOURCES,
};

enum psi_states {
	PSI_IO_SOME,
	PSI_IO_FULL,
	PSI_MEM_SOME,
	PSI_MEM_FULL,
	PSI_CPU_SOME,
	PSI_CPU_FULL,
	NR_PSI_STATES,
};

/* avg10, avg60, avg300 */
#define NR_PSI_AVGS 3
/* the averages' fixed point, the load average's (FSHIFT, FIXED_1) */
#define PSI_FSHIFT FSHIFT
#define PSI_FIXED_1 FIXED_1

/*
 * The averaging period, PSI_FREQ = 2 * HZ + 1 jiffies at HZ=250 (the HZ
 * the load average assumes too): the averages move at multiples of it
 * since boot.
 */
#define PSI_PERIOD_NS 2004000000ULL

/*
 * The system-wide group.  All zeroes is the state at boot.  Times are in
 * nanoseconds of simulated time; the averages are percentages in
 * PSI_FSHIFT fixed point.
 */
struct psi_group {
	/* stall recorded since the last tick, not yet placed in time */
	uint64_t pending[NR_PSI_STATES];
	/* stall within the time that has passed: total= */
	uint64_t total[NR_PSI_STATES];
	/* the part of @total that the averages have taken in */
	uint64_t avg_total[NR_PSI_STATES];
	uint64_t avg[NR_PSI_STATES][NR_PSI_AVGS];
	/* the last period boundary the averages were updated at */
	uint64_t avg_last_update;
};

/*
 * What direct reclaim costs the task that allocates: a fixed price for
 * going into reclaim (the zonelist walk, LRU lock round trips, draining
 * the per-cpu lists, the shrinkers) and a price per page looked at on the
 * LRU lists (isolating it, the rmap walk for its accessed bits, unmapping
 * and freeing it).  1 us a page is what reclaiming clean page cache costs
 * a current x86 core, give or take a factor of two.
 */
#define PSI_RECLAIM_ENTRY_NS 10000ULL
#define PSI_RECLAIM_PAGE_NS 1000ULL

/*
 * The operation in progress kept its task stalled on memory for @ns
 * nanoseconds (direct reclaim, waiting for a swap-in).  Operations happen
 * between ticks, so the stall is pending until the next tick places it at
 * the start of the time that tick covers.  It counts for the system and
 * for the task's cgroup and its ancestors (m->current_cgrp), as each
 * group's memory.pressure shows.
 */
void psi_memstall(struct machine *m, uint64_t ns);

/* What a read from the disk stalls a task for: one request (an SSD). */
#define PSI_READ_IO_NS 80000ULL

/*
 * Time passes from m->clock_ns to @until: place the pending stall, add
 * it to the totals and update the averages at every period boundary
 * passed, for the system and every cgroup.  Called from machine_tick()
 * before the clock moves.
 */
void psi_tick(struct machine *m, uint64_t until);

/*
 * Whether a loaded @g can be the state of a machine whose clock reads
 * @clock_ns: 0, or -EINVAL.
 */
int psi_group_check(const struct psi_group *g, uint64_t clock_ns);

#endif
