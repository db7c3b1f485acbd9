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
 * The allocation that ran out of memory: what dump_stack() shows above
 * the allocator in the report.
 */
enum oom_origin {
	OOM_FAULT, /* a page fault of the task */
	OOM_FILE_READ, /* read(2) into the page cache */
	OOM_FILE_WRITE, /* write(2) to a disk file */
	OOM_SHMEM_WRITE, /* write(2) to a tmpfs file */
	OOM_FORK, /* fork(2): the child's page tables */
	OOM_EXEC, /* execve(2): the new address space */
};

/*
 * out_of_memory(): reclaim could not free enough for a page fault of task
 * @current_pid.  Log the report, pick the task with the highest badness
 * and kill it.  0 when another task died (the task array has moved: look
 * tasks up again), -EINTR when the task @current_pid itself did, -ENOMEM
 * when nothing could be killed.
 */
int out_of_memory(struct machine *m, int current_pid);

struct mem_cgroup;

/*
 * mem_cgroup_out_of_memory(): the same inside @memcg, which reclaim could
 * not bring below its limit: its report, a victim among its tasks (and
 * the rest of an oom.group), "Memory cgroup out of memory".
 */
int mem_cgroup_out_of_memory(struct machine *m, struct mem_cgroup *memcg,
			     int current_pid);

/*
 * The allocator's slow path at a safe point on node @nid, for task
 * @current_pid (0: an operation from outside the machine, the file
 * operations): direct reclaim, and while that cannot keep the node above
 * its min watermark, the OOM killer and reclaim again.  0 (a kill moves
 * the tasks: look them up again), -EINTR when the task @current_pid was
 * killed, -ENOMEM when nothing is left to kill.
 */
int reclaim_or_oom(struct machine *m, int nid, int current_pid,
		   enum oom_origin origin);

/*
 * __show_mem() (show_mem.c): the Mem-Info block of the report, from the
 * counters, watermarks and free lists of every zone; @cpu is the CPU
 * that reports (its own per-cpu lists are local_pcp).
 */
void __show_mem(struct machine *m, int cpu);

#endif
