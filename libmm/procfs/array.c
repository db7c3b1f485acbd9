// SPDX-License-Identifier: GPL-2.0
/*
 * status, stat and statm of proc/PID/ and proc/PID/task/TID/
 * (fs/proc/array.c).  Every task is single-threaded, so both show the
 * same task.  What the task model does not hold (signals, credentials
 * beyond one uid and gid, namespaces) prints as a plain task has it:
 * nothing pending, no supplementary groups, the initial namespaces.
 */
#include <inttypes.h>
#include <string.h>

#include "internal.h"
#include "mm.h"

/* task->flags (include/linux/sched.h) */
#define PF_WQ_WORKER 0x00000020
#define PF_FORKNOEXEC 0x00000040
#define PF_MEMALLOC 0x00000800
#define PF_NOFREEZE 0x00008000
#define PF_KCOMPACTD 0x00010000
#define PF_KSWAPD 0x00020000
#define PF_KTHREAD 0x00200000
#define PF_RANDOMIZE 0x00400000
#define PF_NO_SETAFFINITY 0x04000000

/* The scheduling policies (include/uapi/linux/sched.h) and RT range */
#define SCHED_NORMAL 0
#define SCHED_FIFO 1
#define MAX_RT_PRIO 100

/* What a user task sends its parent on exit: SIGCHLD */
#define TASK_EXIT_SIGNAL 17
/* Capabilities 0..CAP_LAST_CAP (40) */
#define CAP_FULL_SET 0x000001ffffffffffULL
/* Kernel threads ignore every signal. */
#define SIGSET_ALL 0xffffffffffffffffULL
/* The distribution kernel's MAX_NUMNODES, which sizes Mems_allowed. */
#define KERNEL_MAX_NUMNODES 1024
/* Slots in a task's first fd table, which FDSize shows. */
#define NR_OPEN_DEFAULT 64
/* RLIMIT_RSS is unlimited */
#define RLIM_INFINITY 0xffffffffffffffffULL
/* The static priority of a SCHED_OTHER task at nice 0, as stat shows it. */
#define DEFAULT_PRIO 20

static int task_is_kworker(const struct task_struct *t)
{
	return t->kthread && !strncmp(t->comm, "kworker/", 8);
}

/*
 * The CPU a per-CPU kernel thread is bound to, by its name
 * ("ksoftirqd/2", "kworker/2:0H"), or -1 for one that may run anywhere.
 */
static int kthread_bound_cpu(const struct machine *m,
			     const struct task_struct *t)
{
	const char *slash = t->kthread ? strchr(t->comm, '/') : NULL;
	const char *p;
	int cpu = 0;

	if (!slash || slash[1] < '0' || slash[1] > '9')
		return -1;
	for (p = slash + 1; *p >= '0' && *p <= '9' && cpu < NR_CPUS; p++)
		cpu = cpu * 10 + (*p - '0');
	if (*p && !(*p == ':' && task_is_kworker(t)))
		return -1;
	return cpu < m->nr_cpu_ids ? cpu : -1;
}

/*
 * The node whose CPUs a per-node kernel thread ("kswapd1", "kcompactd1")
 * runs on, or -1.
 */
static int kthread_node(const struct machine *m, const struct task_struct *t)
{
	static const char *const per_node[] = {"kswapd", "kcompactd"};
	const char *p = NULL;
	int nid = 0;
	size_t i;

	for (i = 0; t->kthread && i < 2 && !p; i++)
		if (!strncmp(t->comm, per_node[i], strlen(per_node[i])))
			p = t->comm + strlen(per_node[i]);
	if (!p || *p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9' && nid < MAX_NUMNODES; p++)
		nid = nid * 10 + (*p - '0');
	return !*p && nid < m->nr_node_ids ? nid : -1;
}

/*
 * SCHED_FIFO kernel threads: the stoppers at the top RT priority, idle
 * injection at the middle one (sched_set_fifo()); 0 for SCHED_NORMAL.
 */
static int task_rt_priority(const struct task_struct *t)
{
	if (!t->kthread)
		return 0;
	if (!strncmp(t->comm, "migration/", 10))
		return MAX_RT_PRIO - 1;
	if (!strncmp(t->comm, "idle_inject/", 12))
		return MAX_RT_PRIO / 2;
	return 0;
}

/* The state letter and its name (task_state_array[]). */
static const char *task_state_name(const struct task_struct *t)
{
	switch (t->state) {
	case 'R':
		return "R (running)";
	case 'D':
		return "D (disk sleep)";
	case 'T':
		return "T (stopped)";
	case 't':
		return "t (tracing stop)";
	case 'X':
		return "X (dead)";
	case 'Z':
		return "Z (zombie)";
	case 'P':
		return "P (parked)";
	case 'I':
		return "I (idle)";
	default:
		return "S (sleeping)";
	}
}

static char task_state_char(const struct task_struct *t)
{
	return task_state_name(t)[0];
}

/* The comm as status shows it: newline and backslash escaped. */
static void seq_put_comm_escaped(struct seq_buf *s, const char *comm)
{
	size_t i;

	for (i = 0; i < TASK_COMM_LEN && comm[i]; i++) {
		if (comm[i] == '\n')
			seq_puts(s, "\\n");
		else if (comm[i] == '\\')
			seq_puts(s, "\\\\");
		else
			seq_putc(s, comm[i]);
	}
}

static void task_state(const struct task_struct *t, struct seq_buf *s)
{
	seq_puts(s, "Umask:\t0022\n");
	seq_printf(s, "State:\t%s\n", task_state_name(t));
	seq_printf(s, "Tgid:\t%d\n", t->pid);
	seq_puts(s, "Ngid:\t0\n");
	seq_printf(s, "Pid:\t%d\n", t->pid);
	seq_printf(s, "PPid:\t%d\n", t->ppid);
	seq_puts(s, "TracerPid:\t0\n");
	seq_printf(s, "Uid:\t%u\t%u\t%u\t%u\n", t->uid, t->uid, t->uid, t->uid);
	seq_printf(s, "Gid:\t%u\t%u\t%u\t%u\n", t->gid, t->gid, t->gid, t->gid);
	seq_printf(s, "FDSize:\t%d\n", NR_OPEN_DEFAULT);
	/* no supplementary groups, and the kernel's trailing space */
	seq_puts(s, "Groups:\t \n");
	seq_printf(s, "NStgid:\t%d\n", t->pid);
	seq_printf(s, "NSpid:\t%d\n", t->pid);
	seq_printf(s, "NSpgid:\t%d\n", t->pgrp);
	seq_printf(s, "NSsid:\t%d\n", t->session);
	seq_printf(s, "Kthread:\t%d\n", t->kthread ? 1 : 0);
}

static void task_sig(const struct machine *m, const struct task_struct *t,
		     struct seq_buf *s)
{
	seq_puts(s, "Threads:\t1\n");
	seq_printf(s, "SigQ:\t0/%" PRIu64 "\n", task_rlimit_nproc(m));
	seq_printf(s, "SigPnd:\t%016" PRIx64 "\n", (uint64_t)0);
	seq_printf(s, "ShdPnd:\t%016" PRIx64 "\n", (uint64_t)0);
	seq_printf(s, "SigBlk:\t%016" PRIx64 "\n", (uint64_t)0);
	seq_printf(s, "SigIgn:\t%016" PRIx64 "\n",
		   t->kthread ? (uint64_t)SIGSET_ALL : 0);
	seq_printf(s, "SigCgt:\t%016" PRIx64 "\n", (uint64_t)0);
}

static void task_cap(const struct task_struct *t, struct seq_buf *s)
{
	uint64_t permitted = t->uid == 0 ? CAP_FULL_SET : 0;

	seq_printf(s, "CapInh:\t%016" PRIx64 "\n", (uint64_t)0);
	seq_printf(s, "CapPrm:\t%016" PRIx64 "\n", permitted);
	seq_printf(s, "CapEff:\t%016" PRIx64 "\n", permitted);
	seq_printf(s, "CapBnd:\t%016" PRIx64 "\n", (uint64_t)CAP_FULL_SET);
	seq_printf(s, "CapAmb:\t%016" PRIx64 "\n", (uint64_t)0);
}

static void task_cpus_allowed(const struct machine *m,
			      const struct task_struct *t, struct seq_buf *s)
{
	uint64_t cpus[CPUMASK_WORDS];
	uint64_t mems[KERNEL_MAX_NUMNODES / 64] = {0};
	uint64_t nodes[NODEMASK_WORDS];
	int bound = kthread_bound_cpu(m, t);
	int nid = kthread_node(m, t);
	int cpu;

	cpu_online_mask(m, cpus);
	if (bound >= 0 || nid >= 0) {
		memset(cpus, 0, sizeof(cpus));
		for (cpu = 0; cpu < m->nr_cpu_ids; cpu++)
			if (cpu == bound ||
			    (nid >= 0 && m->cpu_to_node[cpu] == nid))
				bitmap_set_bit(cpus, cpu);
	}
	/* The root cpuset: all CPUs, all nodes with memory. */
	node_states_mask(m, N_MEMORY, nodes);
	memcpy(mems, nodes, sizeof(nodes));

	seq_puts(s, "Cpus_allowed:\t");
	seq_bitmap_mask(s, cpus, m->nr_cpu_ids);
	seq_puts(s, "\nCpus_allowed_list:\t");
	seq_bitmap_list(s, cpus, m->nr_cpu_ids);
	seq_puts(s, "\nMems_allowed:\t");
	seq_bitmap_mask(s, mems, KERNEL_MAX_NUMNODES);
	seq_puts(s, "\nMems_allowed_list:\t");
	seq_bitmap_list(s, mems, KERNEL_MAX_NUMNODES);
	seq_putc(s, '\n');
}

int proc_pid_status(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct task_struct *t = ctx->task;

	seq_puts(s, "Name:\t");
	seq_put_comm_escaped(s, t->comm);
	seq_putc(s, '\n');
	task_state(t, s);
	if (t->mm) {
		task_mem(s, ctx->m, t->mm);
		seq_puts(s, "CoreDumping:\t0\n");
		seq_puts(s, "THP_enabled:\t1\n");
		/* no LAM: every address bit is significant */
		seq_puts(s, "untag_mask:\t0xffffffffffffffff\n");
	}
	task_sig(ctx->m, t, s);
	task_cap(t, s);
	seq_puts(s, "NoNewPrivs:\t0\n");
	seq_puts(s, "Seccomp:\t0\n");
	seq_puts(s, "Seccomp_filters:\t0\n");
	seq_puts(s, "Speculation_Store_Bypass:\tvulnerable\n");
	seq_puts(s, "SpeculationIndirectBranch:\talways enabled\n");
	task_cpus_allowed(ctx->m, t, s);
	seq_printf(s, "voluntary_ctxt_switches:\t%" PRIu64 "\n", t->nvcsw);
	seq_printf(s, "nonvoluntary_ctxt_switches:\t%" PRIu64 "\n", t->nivcsw);
	return 0;
}

struct kthread_flags {
	const char *comm_prefix;
	uint64_t flags;
};

/* Kernel threads that can be frozen, or that reclaim memory. */
static const struct kthread_flags kthread_flags[] = {
	{"kswapd", PF_KTHREAD | PF_KSWAPD | PF_MEMALLOC | PF_FORKNOEXEC},
	{"kcompactd", PF_KTHREAD | PF_KCOMPACTD | PF_FORKNOEXEC},
	{"kauditd", PF_KTHREAD | PF_FORKNOEXEC},
	{"oom_reaper", PF_KTHREAD | PF_FORKNOEXEC},
	{"ksmd", PF_KTHREAD | PF_FORKNOEXEC},
	{"khugepaged", PF_KTHREAD | PF_FORKNOEXEC},
};

static uint64_t task_flags(const struct machine *m, const struct task_struct *t)
{
	uint64_t flags = PF_KTHREAD | PF_NOFREEZE | PF_FORKNOEXEC;
	size_t i;

	if (!t->kthread)
		return PF_RANDOMIZE;
	for (i = 0; i < sizeof(kthread_flags) / sizeof(kthread_flags[0]); i++)
		if (!strncmp(t->comm, kthread_flags[i].comm_prefix,
			     strlen(kthread_flags[i].comm_prefix)))
			flags = kthread_flags[i].flags;
	/* workqueue workers and per-CPU threads keep their CPUs */
	if (task_is_kworker(t))
		flags |= PF_WQ_WORKER | PF_NO_SETAFFINITY;
	if (kthread_bound_cpu(m, t) >= 0)
		flags |= PF_NO_SETAFFINITY;
	return flags;
}

/* do_task_stat(): one line of 52 fields. */
int proc_pid_stat(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct task_struct *t = ctx->task;
	const struct mm_struct *mm = t->mm;
	/* the old signal fields show the first 31 signals */
	uint64_t sigign = t->kthread ? SIGSET_ALL & 0x7fffffff : 0;
	char state = task_state_char(t);
	int rt_priority = task_rt_priority(t);
	/* task_prio(): -1 - rt_priority for RT tasks, 20 + nice for others */
	int prio = rt_priority ? -1 - rt_priority : DEFAULT_PRIO + t->nice;

	seq_printf(s, "%d (", t->pid);
	seq_write(s, t->comm, strnlen(t->comm, TASK_COMM_LEN));
	/* state ppid pgrp session tty_nr tpgid flags */
	seq_printf(s, ") %c %d %d %d 0 -1 %" PRIu64, state, t->ppid, t->pgrp,
		   t->session, task_flags(ctx->m, t));
	/* minflt cminflt majflt cmajflt utime stime cutime cstime */
	seq_printf(s,
		   " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
		   " %" PRIu64 " 0 0",
		   t->min_flt, t->cmin_flt, t->maj_flt, t->cmaj_flt,
		   nsec_to_clock_t(t->utime_ns), nsec_to_clock_t(t->stime_ns));
	/* priority nice num_threads itrealvalue starttime */
	seq_printf(s, " %d %d 1 0 %" PRIu64, prio, rt_priority ? 0 : t->nice,
		   nsec_to_clock_t(t->start_time_ns));
	/* vsize rss rsslim */
	seq_printf(s, " %" PRIu64 " %" PRIu64 " %" PRIu64,
		   mm ? task_vsize(mm) : 0, mm ? get_mm_rss(mm) : 0,
		   (uint64_t)RLIM_INFINITY);
	/* startcode endcode startstack; kstkesp kstkeip of a live task: 0 */
	seq_printf(s, " %" PRIu64 " %" PRIu64 " %" PRIu64 " 0 0",
		   mm ? mm->start_code : 0, mm ? mm->end_code : 0,
		   mm ? mm->start_stack : 0);
	/* signal blocked sigignore sigcatch */
	seq_printf(s, " 0 0 %" PRIu64 " 0", sigign);
	/* wchan (1: asleep in the kernel) nswap cnswap */
	seq_printf(s, " %d 0 0", state != 'R');
	/* exit_signal processor rt_priority policy blkio gtime cgtime */
	seq_printf(s, " %d %d %d %d 0 0 0", t->kthread ? 0 : TASK_EXIT_SIGNAL,
		   t->cpu, rt_priority,
		   rt_priority ? SCHED_FIFO : SCHED_NORMAL);
	/* start_data end_data start_brk arg_start arg_end env_start env_end */
	if (mm)
		seq_printf(s,
			   " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
			   " %" PRIu64 " %" PRIu64 " %" PRIu64,
			   mm->start_data, mm->end_data, mm->start_brk,
			   mm->arg_start, mm->arg_end, mm->env_start,
			   mm->env_end);
	else
		seq_puts(s, " 0 0 0 0 0 0 0");
	/* exit_code */
	seq_puts(s, " 0\n");
	return 0;
}

int proc_pid_statm(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct mm_struct *mm = ctx->task->mm;
	uint64_t size = 0, resident = 0, shared = 0, text = 0, data = 0;

	if (mm)
		size = task_statm(mm, &shared, &text, &data, &resident);
	/* size resident shared text lib data dt; lib and dt are always 0 */
	seq_printf(s,
		   "%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " 0 %" PRIu64
		   " 0\n",
		   size, resident, shared, text, data);
	return 0;
}
