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

#endif
