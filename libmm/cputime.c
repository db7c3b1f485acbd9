// SPDX-License-Identifier: GPL-2.0
/*
 * Simulated time, after kernel/sched/cputime.c and kernel/sched/loadavg.c.
 *
 * Tasks of an idle machine sleep and wake now and then (timers, work
 * items); each wakeup costs a little CPU time, two context switches and
 * an interrupt on the task's CPU.  Whatever time a CPU does not spend so
 * is idle.  The load average is sampled every LOAD_FREQ as the kernel does.
 */
#include "loadavg.h"
#include "machine.h"
#include "vmscan.h"
#include "writeback.h"

#define LOAD_FREQ (5 * NSEC_PER_SEC + NSEC_PER_SEC / 250)
#define EXP_1 1884 /* 1/exp(5sec/1min) as fixed-point */
#define EXP_5 2014 /* 1/exp(5sec/5min) */
#define EXP_15 2037 /* 1/exp(5sec/15min) */
#define WAKEUP_USER_NS 40000ULL
#define WAKEUP_KTHREAD_NS 15000ULL

unsigned int nr_running(const struct machine *m)
{
	/* every simulated task is asleep between operations */
	(void)m;
	return 0;
}

unsigned int nr_iowait(const struct machine *m)
{
	(void)m;
	return 0;
}

/*
 * calc_load_n(): @n samples at once, valid because nothing runs between
 * operations, so every sample of a tick sees the same number of tasks.
 */
static void calc_global_load_n(struct machine *m, uint64_t n)
{
	uint64_t active = (uint64_t)(nr_running(m) + nr_iowait(m)) * FIXED_1;
	static const uint64_t exps[3] = {EXP_1, EXP_5, EXP_15};
	int i;

	if (!n)
		return;
	for (i = 0; i < 3; i++)
		m->avenrun[i] = calc_load(m->avenrun[i],
					  fixed_power_int(exps[i], n), active);
}

/*
 * account_user_time() and account_system_index_time(): @ns to the task,
 * to its CPU's kcpustat and to its cgroup.  A kernel thread's time is
 * all system time; a user task's is nice time when it runs niced.
 */
static void account_task_time(struct machine *m, struct task_struct *t,
			      uint64_t ns)
{
	enum cpu_usage_stat index;

	if (t->kthread) {
		t->stime_ns += ns;
		index = CPUTIME_SYSTEM;
	} else {
		t->utime_ns += ns;
		index = t->nice > 0 ? CPUTIME_NICE : CPUTIME_USER;
	}
	m->kcpustat[t->cpu].cpustat[index] += ns;
	cgroup_account_cputime_field(t, index, ns);
}

/* Wake the tasks whose timers fire before @until; adds busy ns per CPU. */
static void run_wakeups(struct machine *m, uint64_t until, uint64_t *busy)
{
	int i;

	for (i = 0; i < m->nr_tasks; i++) {
		struct task_struct *t = &m->tasks[i];
		struct kernel_cpustat *kcs = &m->kcpustat[t->cpu];
		uint64_t cost = t->kthread ? WAKEUP_KTHREAD_NS : WAKEUP_USER_NS;
		uint64_t n;

		if (t->next_wakeup_ns >= until || !t->wake_interval_ns)
			continue;
		n = (until - t->next_wakeup_ns - 1) / t->wake_interval_ns + 1;
		/* a frozen task's timers fire, but it does not run */
		if (cgroup_task_frozen(t)) {
			t->next_wakeup_ns += n * t->wake_interval_ns;
			continue;
		}
		account_task_time(m, t, n * cost);
		kcs->nr_switches += 2 * n;
		kcs->nr_irqs += n;
		kcs->nr_softirqs += n;
		busy[t->cpu] += n * cost;
		t->next_wakeup_ns += n * t->wake_interval_ns;
	}
}

void machine_tick(struct machine *m, uint64_t ns)
{
	uint64_t busy[NR_CPUS] = {0};
	uint64_t until = m->clock_ns + ns;
	int cpu;

	run_wakeups(m, until, busy);
	wb_do_writeback(m, until);
	kswapd_run(m);
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++)
		m->kcpustat[cpu].cpustat[CPUTIME_IDLE] +=
			busy[cpu] < ns ? ns - busy[cpu] : 0;
	calc_global_load_n(m, until / LOAD_FREQ - m->clock_ns / LOAD_FREQ);
	psi_tick(m, until);
	m->clock_ns = until;
}
