/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the OOM killer's files need beyond task.h (oom_badness() and
 * oom_score() are declared there).
 */
#ifndef MMSIM_OOM_H
#define MMSIM_OOM_H

#include <stdint.h>

struct task_struct;

/* OOM_SCORE_ADJ_MIN or the kthread/init case: never chosen */
#define OOM_BADNESS_UNKILLABLE INT64_MIN

/*
 * The task's cgroup, as /proc/PID/cgroup shows it below the root ("/"
 * for the root cgroup).
 */
const char *task_cgroup_path(const struct task_struct *t);

struct machine;

/*
 * out_of_memory(): reclaim could not free enough.  Log the header, pick
 * the task with the highest badness and kill it.  0 when another task
 * died (the task array has moved: look tasks up again), -EINTR when the
 * task @current_pid itself did, -ENOMEM when nothing could be killed.
 */
int out_of_memory(struct machine *m, int current_pid);

#endif
