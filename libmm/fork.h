/* SPDX-License-Identifier: GPL-2.0 */
/* Creating tasks; internal to libmm. */
#ifndef MMSIM_FORK_H
#define MMSIM_FORK_H

#include "machine.h"

/*
 * Add a task with the next PID (after @skip_pids PIDs that short-lived
 * processes used and gave back).  Returns the task or NULL (-ENOMEM).
 */
struct task_struct *task_create(struct machine *m, const char *comm, int ppid,
				uint32_t uid, int kthread, int cpu,
				int skip_pids);
struct task_struct *find_task_mut(struct machine *m, int pid);

#endif
