/* SPDX-License-Identifier: GPL-2.0 */
/* Creating, replacing and ending tasks; internal to libmm. */
#ifndef MMSIM_FORK_H
#define MMSIM_FORK_H

#include "machine.h"

/*
 * Add a task with the next PID (after @skip_pids PIDs that short-lived
 * processes used and gave back).  Returns the task or NULL (-ENOMEM).
 * The task table may move: pointers into it are stale afterwards.
 */
struct task_struct *task_create(struct machine *m, const char *comm, int ppid,
				uint32_t uid, int kthread, int cpu,
				int skip_pids);
struct task_struct *find_task_mut(struct machine *m, int pid);
int alloc_thread_stack(struct machine *m, struct task_struct *t);

/* fork(): 0 and the child's PID, -ESRCH, -EPERM (a kernel thread), -ENOMEM */
int do_fork(struct machine *m, int ppid, int *child_pid);
/* execve() of the program named @comm, with a first heap of @heap_kb KiB. */
int do_execve(struct machine *m, int pid, const char *comm,
	      unsigned int heap_kb);
/* exit(): the task's memory goes, its children go to init. */
int do_exit(struct machine *m, int pid);

struct spawn_args {
	const char *comm;
	int ppid;
	uint32_t uid;
	int oom_score_adj;
	int node; /* -1: any */
	unsigned int heap_kb;
	struct cgroup *cgroup; /* CLONE_INTO_CGROUP, or NULL: the parent's */
};

/* fork of @a->ppid and exec of @a->comm, as a shell starts a command. */
int do_spawn(struct machine *m, const struct spawn_args *a, int *pid);

#endif
