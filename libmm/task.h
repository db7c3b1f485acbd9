/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The process table: kernel threads, which have no mm, and user processes
 * with an address space (mm.h).  Every task is single-threaded.
 */
#ifndef MMSIM_TASK_H
#define MMSIM_TASK_H

#include <stdint.h>

#include "mm_types.h"

#define TASK_COMM_LEN 16
/* THREAD_SIZE: 16 KiB kernel stacks */
#define THREAD_STACK_PAGES 4
#define TASK_CMDLINE_LEN 256
#define TASK_ENVIRON_LEN 256
/* The oom_score_adj range (include/uapi/linux/oom.h) */
#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000

struct mm_struct;
struct cgroup;

/* TLB events of one task or one CPU (tlb.c). */
struct tlb_stats {
	uint64_t accesses; /* memory references simulated */
	uint64_t dtlb_hits; /* found in the L1 dTLB */
	uint64_t stlb_hits; /* missed L1, found in the STLB */
	uint64_t walks; /* missed both: a page walk */
	uint64_t flushes; /* full flushes of this CPU's TLB (or for the task) */
	uint64_t flush_one; /* single entries invalidated (invlpg) */
	uint64_t shootdowns_sent; /* IPIs asking other CPUs to flush */
	uint64_t shootdowns_received;
};

struct task_struct {
	int pid;
	int ppid;
	char comm[TASK_COMM_LEN];
	/* argv with NUL separators, and its length; environ likewise */
	char cmdline[TASK_CMDLINE_LEN];
	uint16_t cmdline_len;
	char environ[TASK_ENVIRON_LEN];
	uint16_t environ_len;
	uint32_t uid;
	uint32_t gid;
	int kthread; /* a kernel thread: no mm */
	int nice;
	int cpu; /* CPU it last ran on */
	int pgrp, session;
	char state; /* 'S' sleeping, 'R' running, 'I' idle kthread, 'T' stopped */
	int oom_score_adj;
	uint64_t start_time_ns; /* simulated time since boot */
	uint64_t utime_ns, stime_ns;
	uint64_t min_flt, maj_flt;
	uint64_t cmin_flt, cmaj_flt; /* of waited-for children */
	uint64_t nvcsw, nivcsw; /* context switches */
	uint64_t rchar, wchar, syscr, syscw; /* /proc/PID/io */
	uint64_t read_bytes, write_bytes;
	uint64_t stack_pages; /* kernel stack pages */
	pfn_t kstack[THREAD_STACK_PAGES]; /* the vmalloc'ed kernel stack */
	uint32_t objcg; /* of its task_struct, pid, creds, signal... */
	uint64_t wake_interval_ns; /* how often the sleeping task wakes */
	uint64_t next_wakeup_ns;
	struct mm_struct *mm; /* NULL for kernel threads */
	struct tlb_stats tlb;
	struct cgroup *cgroup; /* its group in the v2 hierarchy (cgroup.h) */
};

struct machine;

/* Tasks in ascending PID order. */
int nr_tasks(const struct machine *m);
const struct task_struct *task_by_index(const struct machine *m, int i);
const struct task_struct *find_task_by_pid(const struct machine *m, int pid);
/* The PID last handed out, as /proc/loadavg shows it. */
int last_pid(const struct machine *m);

/*
 * oom_badness() in pages (rss + swap entries + page tables, adjusted by
 * oom_score_adj), and the 0..2000 oom_score that /proc/PID shows.
 */
int64_t oom_badness(const struct machine *m, const struct task_struct *t);
unsigned int oom_score(const struct machine *m, const struct task_struct *t);

#endif
