// SPDX-License-Identifier: GPL-2.0
/*
 * The per-process files (fs/proc/base.c, fs/proc/array.c, task_mmu.c):
 * status, stat, statm, comm and cmdline of proc/PID/ and
 * proc/PID/task/TID/.  Every task is single-threaded, so both show the
 * same task.  What the task model does not hold yet (address-space
 * layout, signals, per-task CPU time) prints as a task that has none.
 */
#include <inttypes.h>
#include <string.h>

#include "internal.h"
#include "mm.h"

/* task->flags of the two kinds of tasks (include/linux/sched.h) */
#define PF_FORKNOEXEC 0x00000040
#define PF_NOFREEZE 0x00008000
#define PF_KTHREAD 0x00200000
#define PF_RANDOMIZE 0x00400000

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
/* Pages of the kernel stack each thread costs, for max_threads. */
#define THREAD_SIZE_PAGES 4
/* RLIMIT_RSS is unlimited */
#define RSS_LIMIT_UNLIMITED 0xffffffffffffffffULL

static uint64_t task_rss(const struct task_struct *t)
{
	return t->mm ? get_mm_rss(t->mm) : 0;
}

/*
 * RLIMIT_SIGPENDING of init: half of max_threads, which fork_init()
 * sizes so that thread stacks take at most 1/8 of RAM.
 */
static uint64_t task_sigpending_limit(const struct machine *m)
{
	uint64_t max_threads = totalram_pages(m) / (8 * THREAD_SIZE_PAGES);

	if (max_threads < 20)
		max_threads = 20;
	return max_threads / 2;
}

/* Session and group: kernel threads have none, daemons lead their own. */
static int task_session(const struct task_struct *t)
{
	return t->kthread ? 0 : t->pid;
}

/* The comm as "Name:" shows it: newline and backslash escaped. */
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

static void seq_put_comm(struct seq_buf *s, const char *comm)
{
	seq_write(s, comm, strnlen(comm, TASK_COMM_LEN));
}

static void task_mem(const struct task_struct *t, struct seq_buf *s)
{
	uint64_t rss = task_rss(t);

	/* No high-water marks are kept: the peaks are the current sizes. */
	seq_printf(s, "VmPeak:\t%8" PRIu64 " kB\n", pages_to_kb((t->mm ? t->mm->total_vm : 0)));
	seq_printf(s, "VmSize:\t%8" PRIu64 " kB\n", pages_to_kb((t->mm ? t->mm->total_vm : 0)));
	seq_printf(s, "VmLck:\t%8d kB\n", 0);
	seq_printf(s, "VmPin:\t%8d kB\n", 0);
	seq_printf(s, "VmHWM:\t%8" PRIu64 " kB\n", pages_to_kb(rss));
	seq_printf(s, "VmRSS:\t%8" PRIu64 " kB\n", pages_to_kb(rss));
	seq_printf(s, "RssAnon:\t%8" PRIu64 " kB\n", pages_to_kb(t->mm->rss_stat[MM_ANONPAGES]));
	seq_printf(s, "RssFile:\t%8" PRIu64 " kB\n", pages_to_kb(t->mm->rss_stat[MM_FILEPAGES]));
	seq_printf(s, "RssShmem:\t%8" PRIu64 " kB\n",
		   pages_to_kb(t->mm->rss_stat[MM_SHMEMPAGES]));
	/* No VMA model yet: data, stack, text and libraries are unknown. */
	seq_printf(s, "VmData:\t%8d kB\n", 0);
	seq_printf(s, "VmStk:\t%8d kB\n", 0);
	seq_printf(s, "VmExe:\t%8d kB\n", 0);
	seq_printf(s, "VmLib:\t%8d kB\n", 0);
	seq_printf(s, "VmPTE:\t%8" PRIu64 " kB\n", pages_to_kb((t->mm->pgtables_bytes >> PAGE_SHIFT)));
	seq_printf(s, "VmSwap:\t%8d kB\n", 0);
	seq_printf(s, "HugetlbPages:\t%8d kB\n", 0);
	seq_puts(s, "CoreDumping:\t0\n");
	seq_puts(s, "THP_enabled:\t1\n");
	seq_puts(s, "untag_mask:\t0xffffffffffffffff\n");
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

static void task_cpus_allowed(const struct machine *m, struct seq_buf *s)
{
	uint64_t cpus[CPUMASK_WORDS];
	uint64_t mems[KERNEL_MAX_NUMNODES / 64] = {0};
	uint64_t nodes[NODEMASK_WORDS];

	cpu_online_mask(m, cpus);
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

int pid_status_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct task_struct *t = ctx->task;
	int sid = task_session(t);

	seq_puts(s, "Name:\t");
	seq_put_comm_escaped(s, t->comm);
	seq_puts(s, "\nUmask:\t0022\n");
	/* No run state is modelled: every task is asleep. */
	seq_puts(s, "State:\tS (sleeping)\n");
	seq_printf(s, "Tgid:\t%d\n", t->pid);
	seq_puts(s, "Ngid:\t0\n");
	seq_printf(s, "Pid:\t%d\n", t->pid);
	seq_printf(s, "PPid:\t%d\n", t->ppid);
	seq_puts(s, "TracerPid:\t0\n");
	seq_printf(s, "Uid:\t%u\t%u\t%u\t%u\n", t->uid, t->uid, t->uid, t->uid);
	seq_printf(s, "Gid:\t%u\t%u\t%u\t%u\n", t->gid, t->gid, t->gid, t->gid);
	seq_printf(s, "FDSize:\t%d\n", NR_OPEN_DEFAULT);
	/* No supplementary groups; the kernel leaves a trailing space. */
	seq_puts(s, "Groups:\t \n");
	seq_printf(s, "NStgid:\t%d\n", t->pid);
	seq_printf(s, "NSpid:\t%d\n", t->pid);
	seq_printf(s, "NSpgid:\t%d\n", sid);
	seq_printf(s, "NSsid:\t%d\n", sid);
	seq_printf(s, "Kthread:\t%d\n", t->kthread ? 1 : 0);
	if (!t->kthread)
		task_mem(t, s);
	seq_puts(s, "Threads:\t1\n");
	seq_printf(s, "SigQ:\t0/%" PRIu64 "\n", task_sigpending_limit(ctx->m));
	seq_printf(s, "SigPnd:\t%016" PRIx64 "\n", (uint64_t)0);
	seq_printf(s, "ShdPnd:\t%016" PRIx64 "\n", (uint64_t)0);
	seq_printf(s, "SigBlk:\t%016" PRIx64 "\n", (uint64_t)0);
	seq_printf(s, "SigIgn:\t%016" PRIx64 "\n",
		   t->kthread ? (uint64_t)SIGSET_ALL : 0);
	seq_printf(s, "SigCgt:\t%016" PRIx64 "\n", (uint64_t)0);
	task_cap(t, s);
	seq_puts(s, "NoNewPrivs:\t0\n");
	seq_puts(s, "Seccomp:\t0\n");
	seq_puts(s, "Seccomp_filters:\t0\n");
	seq_puts(s, "Speculation_Store_Bypass:\tvulnerable\n");
	seq_puts(s, "SpeculationIndirectBranch:\talways enabled\n");
	task_cpus_allowed(ctx->m, s);
	/* Per-task context switches are not counted. */
	seq_puts(s, "voluntary_ctxt_switches:\t0\n");
	seq_puts(s, "nonvoluntary_ctxt_switches:\t0\n");
	return 0;
}

int pid_stat_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct task_struct *t = ctx->task;
	int sid = task_session(t);
	uint64_t flags = t->kthread ? PF_KTHREAD | PF_NOFREEZE | PF_FORKNOEXEC
				    : PF_RANDOMIZE;
	/* The old signal fields show 31 bits of the sets. */
	uint64_t sigign = t->kthread ? SIGSET_ALL & 0x7fffffff : 0;

	seq_printf(s, "%d (", t->pid);
	seq_put_comm(s, t->comm);
	/* state ppid pgrp session tty_nr tpgid flags */
	seq_printf(s, ") S %d %d %d 0 -1 %" PRIu64, t->ppid, sid, sid, flags);
	/* minflt cminflt majflt cmajflt utime stime cutime cstime */
	seq_printf(s, " %" PRIu64 " 0 %" PRIu64 " 0 0 0 0 0", t->min_flt,
		   t->maj_flt);
	/* priority nice num_threads itrealvalue starttime */
	seq_printf(s, " %d %d 1 0 %" PRIu64, 20 + t->nice, t->nice,
		   nsec_to_clock_t(t->start_time_ns));
	/* vsize rss rsslim */
	seq_printf(s, " %" PRIu64 " %" PRIu64 " %" PRIu64,
		   t->kthread ? 0 : (t->mm ? t->mm->total_vm : 0) << PAGE_SHIFT,
		   t->kthread ? 0 : task_rss(t), (uint64_t)RSS_LIMIT_UNLIMITED);
	/*
	 * startcode endcode startstack kstkesp kstkeip signal blocked: no
	 * address-space layout is modelled yet.
	 */
	seq_puts(s, " 0 0 0 0 0 0 0");
	/* sigignore sigcatch wchan (asleep in the kernel) nswap cnswap */
	seq_printf(s, " %" PRIu64 " 0 1 0 0", sigign);
	/* exit_signal processor rt_priority policy blkio gtime cgtime */
	seq_printf(s, " %d %d 0 0 0 0 0", t->kthread ? 0 : TASK_EXIT_SIGNAL,
		   t->cpu);
	/* start_data .. env_end, exit_code */
	seq_puts(s, " 0 0 0 0 0 0 0 0\n");
	return 0;
}

int pid_statm_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct task_struct *t = ctx->task;

	if (t->kthread) {
		seq_puts(s, "0 0 0 0 0 0 0\n");
		return 0;
	}
	/* size resident shared text lib data dt; text and data unknown */
	seq_printf(s, "%" PRIu64 " %" PRIu64 " %" PRIu64 " 0 0 0 0\n",
		   (t->mm ? t->mm->total_vm : 0), task_rss(t), t->mm->rss_stat[MM_FILEPAGES] + t->mm->rss_stat[MM_SHMEMPAGES]);
	return 0;
}

int pid_comm_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	seq_put_comm(s, ctx->task->comm);
	seq_putc(s, '\n');
	return 0;
}

/* The argument vector: just argv[0], the comm, for a user task. */
int pid_cmdline_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	if (ctx->task->kthread)
		return 0;
	seq_put_comm(s, ctx->task->comm);
	seq_putc(s, '\0');
	return 0;
}
