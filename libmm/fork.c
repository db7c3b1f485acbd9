// SPDX-License-Identifier: GPL-2.0
/*
 * The process table, after kernel/fork.c and kernel/pid.c: PIDs are
 * handed out in increasing order and never reused while pid_max is far.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fork.h"

int nr_tasks(const struct machine *m)
{
	return m->nr_tasks;
}

const struct task_struct *task_by_index(const struct machine *m, int i)
{
	return i >= 0 && i < m->nr_tasks ? &m->tasks[i] : NULL;
}

struct task_struct *find_task_mut(struct machine *m, int pid)
{
	int lo = 0, hi = m->nr_tasks - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (m->tasks[mid].pid == pid)
			return &m->tasks[mid];
		if (m->tasks[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

const struct task_struct *find_task_by_pid(const struct machine *m, int pid)
{
	return find_task_mut((struct machine *)m, pid);
}

int last_pid(const struct machine *m)
{
	return m->last_pid;
}

struct task_struct *task_create(struct machine *m, const char *comm, int ppid,
				uint32_t uid, int kthread, int cpu,
				int skip_pids)
{
	struct task_struct *t;

	if (m->nr_tasks == m->tasks_size) {
		int size = m->tasks_size ? 2 * m->tasks_size : 64;
		struct task_struct *tasks =
			realloc(m->tasks, (size_t)size * sizeof(*tasks));

		if (!tasks)
			return NULL;
		m->tasks = tasks;
		m->tasks_size = size;
	}
	m->last_pid += skip_pids;
	m->total_forks += (uint64_t)skip_pids;
	t = &m->tasks[m->nr_tasks++];
	memset(t, 0, sizeof(*t));
	t->pid = ++m->last_pid;
	m->total_forks++;
	t->ppid = ppid;
	strncpy(t->comm, comm, TASK_COMM_LEN - 1);
	t->uid = uid;
	t->gid = uid;
	t->kthread = kthread;
	t->cpu = cpu;
	t->start_time_ns = m->clock_ns;
	/* sleepers wake now and then: timers, work items, polls */
	t->wake_interval_ns = (kthread ? 2000 : 500) * 1000000ULL +
			      prng_below(&m->prng, 4000) * 1000000ULL;
	t->next_wakeup_ns = m->clock_ns + t->wake_interval_ns;
	return t;
}
