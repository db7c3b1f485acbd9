// SPDX-License-Identifier: GPL-2.0
/*
 * The rest of proc/PID/ and proc/PID/task/TID/ (fs/proc/base.c): cmdline,
 * environ, comm, limits, wchan, io, cgroup and the OOM killer's files.
 * Writes to oom_score_adj and oom_adj become "oom_score_adj PID VALUE"
 * operations, which the model applies.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/capability.h>
#include <string.h>

#include "internal.h"
#include "kstrtox.h"
#include "mm.h"
#include "oom.h"

/* The longest write the oom files look at: PROC_NUMBUF - 1 bytes. */
#define PROC_NUMBUF 13
/* The legacy oom_adj scale (include/uapi/linux/oom.h) */
#define OOM_DISABLE (-17)
#define OOM_ADJUST_MIN (-16)
#define OOM_ADJUST_MAX 15
/* Pages of the kernel stack each thread costs, for max_threads. */
#define THREAD_SIZE_PAGES 4
#define MIN_THREADS 20

uint64_t task_rlimit_nproc(const struct machine *m)
{
	/* set_max_threads(): thread stacks may take at most 1/8 of RAM */
	uint64_t max_threads = totalram_pages(m) / (8 * THREAD_SIZE_PAGES);

	if (max_threads < MIN_THREADS)
		max_threads = MIN_THREADS;
	return max_threads / 2;
}

/* The argument vector as the process laid it out; none for kthreads. */
int proc_pid_cmdline(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct task_struct *t = ctx->task;

	if (t->mm)
		seq_write(s, t->cmdline, t->cmdline_len);
	return 0;
}

/* A kernel thread has no environment to read: the open fails. */
int proc_pid_environ(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct task_struct *t = ctx->task;

	if (!t->mm)
		return -ESRCH;
	seq_write(s, t->environ, t->environ_len);
	return 0;
}

int proc_pid_comm(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	seq_write(s, ctx->task->comm, strnlen(ctx->task->comm, TASK_COMM_LEN));
	seq_putc(s, '\n');
	return 0;
}

/*
 * comm_write(): a task may rename only itself or its threads, and no
 * reader of this tree is a task of the simulated machine.
 */
int proc_pid_comm_write(const struct pfs_ctx *ctx, const char *buf, size_t len,
			struct seq_buf *op_line)
{
	return -EINVAL;
}

/* ---- limits ---- */

struct rlimit_desc {
	const char *name;
	const char *unit;
};

static const struct rlimit_desc rlimit_names[] = {
	{"Max cpu time", "seconds"},	 {"Max file size", "bytes"},
	{"Max data size", "bytes"},	 {"Max stack size", "bytes"},
	{"Max core file size", "bytes"}, {"Max resident set", "bytes"},
	{"Max processes", "processes"},	 {"Max open files", "files"},
	{"Max locked memory", "bytes"},	 {"Max address space", "bytes"},
	{"Max file locks", "locks"},	 {"Max pending signals", "signals"},
	{"Max msgqueue size", "bytes"},	 {"Max nice priority", NULL},
	{"Max realtime priority", NULL}, {"Max realtime timeout", "us"},
};

#define NR_RLIMITS (sizeof(rlimit_names) / sizeof(rlimit_names[0]))
#define RLIM_INFINITY UINT64_MAX

enum {
	RLIMIT_STACK = 3,
	RLIMIT_CORE = 4,
	RLIMIT_NPROC = 6,
	RLIMIT_NOFILE = 7,
	RLIMIT_MEMLOCK = 8,
	RLIMIT_SIGPENDING = 11,
	RLIMIT_MSGQUEUE = 12,
	RLIMIT_NICE = 13,
	RLIMIT_RTPRIO = 14,
};

/*
 * The limits every task has: the kernel's defaults (INIT_RLIMITS, and
 * fork_init() for processes and signals), with systemd's open-file hard
 * limit for the processes it starts.
 */
static void task_rlimits(const struct machine *m, const struct task_struct *t,
			 uint64_t cur[NR_RLIMITS], uint64_t max[NR_RLIMITS])
{
	size_t i;

	for (i = 0; i < NR_RLIMITS; i++)
		cur[i] = max[i] = RLIM_INFINITY;
	cur[RLIMIT_STACK] = 8ULL << 20;
	cur[RLIMIT_CORE] = 0;
	cur[RLIMIT_NPROC] = max[RLIMIT_NPROC] = task_rlimit_nproc(m);
	cur[RLIMIT_NOFILE] = 1024;
	max[RLIMIT_NOFILE] = t->mm && t->pid != 1 ? 524288 : 4096;
	cur[RLIMIT_MEMLOCK] = max[RLIMIT_MEMLOCK] = 8ULL << 20;
	cur[RLIMIT_SIGPENDING] = max[RLIMIT_SIGPENDING] = task_rlimit_nproc(m);
	cur[RLIMIT_MSGQUEUE] = max[RLIMIT_MSGQUEUE] = 819200;
	cur[RLIMIT_NICE] = max[RLIMIT_NICE] = 0;
	cur[RLIMIT_RTPRIO] = max[RLIMIT_RTPRIO] = 0;
}

static void seq_put_rlimit(struct seq_buf *s, uint64_t v)
{
	if (v == RLIM_INFINITY)
		seq_printf(s, "%-20s ", "unlimited");
	else
		seq_printf(s, "%-20" PRIu64 " ", v);
}

int proc_pid_limits(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	uint64_t cur[NR_RLIMITS], max[NR_RLIMITS];
	size_t i;

	task_rlimits(ctx->m, ctx->task, cur, max);
	seq_printf(s, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit",
		   "Hard Limit", "Units");
	for (i = 0; i < NR_RLIMITS; i++) {
		seq_printf(s, "%-25s ", rlimit_names[i].name);
		seq_put_rlimit(s, cur[i]);
		seq_put_rlimit(s, max[i]);
		if (rlimit_names[i].unit)
			seq_printf(s, "%-10s", rlimit_names[i].unit);
		seq_putc(s, '\n');
	}
	return 0;
}

/* ---- wchan ---- */

struct wchan_desc {
	const char *comm_prefix;
	const char *wchan;
};

/* Where each kind of kernel thread sleeps, by its name. */
static const struct wchan_desc kthread_wchans[] = {
	{"kthreadd", "kthreadd"},
	{"kworker/R-", "rescuer_thread"},
	{"kworker/", "worker_thread"},
	{"ksoftirqd/", "smpboot_thread_fn"},
	{"migration/", "smpboot_thread_fn"},
	{"cpuhp/", "smpboot_thread_fn"},
	{"idle_inject/", "smpboot_thread_fn"},
	{"rcu_preempt", "rcu_gp_fqs_loop"},
	{"rcu_tasks", "rcu_tasks_one_gp"},
	{"kdevtmpfs", "devtmpfs_work_loop"},
	{"kauditd", "kauditd_thread"},
	{"khungtaskd", "watchdog"},
	{"oom_reaper", "oom_reaper"},
	{"ksmd", "ksm_scan_thread"},
	{"khugepaged", "khugepaged"},
	{"kswapd", "kswapd"},
	{"kcompactd", "kcompactd"},
	{"jbd2/", "kjournald2"},
};

/* Where user processes wait: most daemons in their event loop. */
static const struct wchan_desc user_wchans[] = {
	{"cron", "hrtimer_nanosleep"},
	{"agetty", "wait_woken"},
	{"rsyslogd", "do_select"},
	{"sshd", "do_sys_poll"},
};

static const char *lookup_wchan(const struct wchan_desc *d, size_t n,
				const char *comm)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strncmp(comm, d[i].comm_prefix, strlen(d[i].comm_prefix)))
			return d[i].wchan;
	return NULL;
}

/*
 * The function a sleeping task waits in, without a newline; "0" for a
 * task on a CPU.
 */
int proc_pid_wchan(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct task_struct *t = ctx->task;
	const char *wchan;

	if (t->state == 'R') {
		seq_putc(s, '0');
		return 0;
	}
	if (t->state == 'T') {
		seq_puts(s, "do_signal_stop");
		return 0;
	}
	if (t->kthread) {
		wchan = lookup_wchan(kthread_wchans,
				     sizeof(kthread_wchans) /
					     sizeof(kthread_wchans[0]),
				     t->comm);
		seq_puts(s, wchan ? wchan : "kthread_worker_fn");
		return 0;
	}
	wchan = lookup_wchan(user_wchans,
			     sizeof(user_wchans) / sizeof(user_wchans[0]),
			     t->comm);
	seq_puts(s, wchan ? wchan : "do_epoll_wait");
	return 0;
}

int proc_pid_io(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct task_struct *t = ctx->task;

	seq_printf(s, "rchar: %" PRIu64 "\n", t->rchar);
	seq_printf(s, "wchar: %" PRIu64 "\n", t->wchar);
	seq_printf(s, "syscr: %" PRIu64 "\n", t->syscr);
	seq_printf(s, "syscw: %" PRIu64 "\n", t->syscw);
	seq_printf(s, "read_bytes: %" PRIu64 "\n", t->read_bytes);
	seq_printf(s, "write_bytes: %" PRIu64 "\n", t->write_bytes);
	seq_puts(s, "cancelled_write_bytes: 0\n");
	return 0;
}

/* proc_cgroup_show() on a cgroup2-only machine: one line. */
int proc_pid_cgroup(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	seq_printf(s, "0::%s\n", task_cgroup_path(ctx->task));
	return 0;
}

/* ---- the OOM killer ---- */

int proc_oom_score(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	seq_printf(s, "%u\n", oom_score(ctx->m, ctx->task));
	return 0;
}

int proc_oom_score_adj(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	seq_printf(s, "%d\n", ctx->task->oom_score_adj);
	return 0;
}

/* The old scale: 15 for the maximum, else adj * 17 / 1000, at most 15. */
int proc_oom_adj(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	int adj = ctx->task->oom_score_adj;
	int oom_adj;

	if (adj == OOM_SCORE_ADJ_MAX)
		oom_adj = OOM_ADJUST_MAX;
	else
		oom_adj = adj * -OOM_DISABLE / OOM_SCORE_ADJ_MAX;
	if (oom_adj > OOM_ADJUST_MAX)
		oom_adj = OOM_ADJUST_MAX;
	seq_printf(s, "%d\n", oom_adj);
	return 0;
}

/*
 * kstrtoint(strstrip(buf), 0) on the first PROC_NUMBUF - 1 bytes of a
 * write: blanks around a number in decimal, octal (0...) or hex (0x...),
 * with a sign; -EINVAL for anything else, -ERANGE beyond an int.
 */
static int parse_proc_int(const char *buf, size_t len, int *val)
{
	char tmp[PROC_NUMBUF] = {0};
	const char *p = tmp;
	size_t n;

	memcpy(tmp, buf, len < sizeof(tmp) - 1 ? len : sizeof(tmp) - 1);
	n = strlen(tmp);
	while (n && isspace((unsigned char)tmp[n - 1]))
		tmp[--n] = '\0';
	while (isspace((unsigned char)*p))
		p++;
	return kstrtoint(p, val);
}

static int oom_score_adj_op(const struct pfs_ctx *ctx, int adj,
			    struct seq_buf *op_line)
{
	seq_printf(op_line, "oom_score_adj %d %d", ctx->task->pid, adj);
	return 0;
}

int proc_oom_score_adj_write(const struct pfs_ctx *ctx, const char *buf,
			     size_t len, struct seq_buf *op_line)
{
	int adj, rc;

	rc = parse_proc_int(buf, len, &adj);
	if (rc)
		return rc;
	if (adj < OOM_SCORE_ADJ_MIN || adj > OOM_SCORE_ADJ_MAX)
		return -EINVAL;
	/*
	 * The kernel's floor is signal->oom_score_adj_min, which only a
	 * privileged writer moves; the task's current value stands in for it.
	 */
	if (adj < ctx->task->oom_score_adj)
		*ctx->need_cap = CAP_SYS_RESOURCE;
	return oom_score_adj_op(ctx, adj, op_line);
}

/* -17..15 scaled to oom_score_adj, so that 15 still reaches the maximum. */
int proc_oom_adj_write(const struct pfs_ctx *ctx, const char *buf, size_t len,
		       struct seq_buf *op_line)
{
	int oom_adj, rc;

	rc = parse_proc_int(buf, len, &oom_adj);
	if (rc)
		return rc;
	if ((oom_adj < OOM_ADJUST_MIN || oom_adj > OOM_ADJUST_MAX) &&
	    oom_adj != OOM_DISABLE)
		return -EINVAL;
	if (oom_adj == OOM_ADJUST_MAX)
		oom_adj = OOM_SCORE_ADJ_MAX;
	else
		oom_adj = oom_adj * OOM_SCORE_ADJ_MAX / -OOM_DISABLE;
	/* the legacy file's floor is the current value (__set_oom_adj) */
	if (oom_adj < ctx->task->oom_score_adj)
		*ctx->need_cap = CAP_SYS_RESOURCE;
	return oom_score_adj_op(ctx, oom_adj, op_line);
}
