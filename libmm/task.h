/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The process table.  This first slice knows the tasks a booted machine
 * has (kernel threads and a few daemons) and what their pages are; address
 * spaces come with the process issue.
 */
#ifndef MMSIM_TASK_H
#define MMSIM_TASK_H

#include <stdint.h>

#define TASK_COMM_LEN 16

struct task_struct {
	int pid;
	int ppid;
	char comm[TASK_COMM_LEN];
	uint32_t uid;
	uint32_t gid;
	int kthread; /* a kernel thread: no mm */
	int nice;
	int cpu; /* CPU it last ran on */
	uint64_t start_time_ns; /* simulated time since boot */
	uint64_t min_flt, maj_flt;
	/* Resident pages by kind (MM_ANONPAGES, MM_FILEPAGES, MM_SHMEMPAGES) */
	uint64_t rss_anon, rss_file, rss_shmem;
	uint64_t nr_ptes; /* page-table pages */
	uint64_t total_vm; /* pages of address space */
	uint64_t stack_pages; /* kernel stack pages */
	uint64_t committed_vm; /* pages charged to Committed_AS */
	uint64_t wake_interval_ns; /* how often the sleeping task wakes */
	uint64_t next_wakeup_ns;
};

struct machine;

/* Tasks in ascending PID order. */
int nr_tasks(const struct machine *m);
const struct task_struct *task_by_index(const struct machine *m, int i);
const struct task_struct *find_task_by_pid(const struct machine *m, int pid);
/* The PID last handed out, as /proc/loadavg shows it. */
int last_pid(const struct machine *m);

#endif
