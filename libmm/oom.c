// SPDX-License-Identifier: GPL-2.0
/*
 * The OOM killer's view of a task (mm/oom_kill.c): how bad it would be to
 * keep it, and the 0..2000 score /proc/PID/oom_score shows.
 */
#include "machine.h"
#include "mm.h"
#include "oom.h"
#include "task.h"

/* The OOM killer never picks init or a kernel thread. */
static int oom_unkillable_task(const struct task_struct *t)
{
	return t->pid == 1 || t->kthread;
}

/* The whole machine is the OOM domain: all RAM and all swap. */
static int64_t oom_totalpages(const struct machine *m)
{
	return (int64_t)(totalram_pages(m) + total_swap_pages(m));
}

/*
 * Memory the task holds (resident pages, swap entries and page tables),
 * in pages, shifted by oom_score_adj thousandths of all memory.
 */
int64_t oom_badness(const struct machine *m, const struct task_struct *t)
{
	const struct mm_struct *mm = t->mm;
	int64_t points, adj = t->oom_score_adj;

	if (oom_unkillable_task(t) || !mm || adj == OOM_SCORE_ADJ_MIN)
		return OOM_BADNESS_UNKILLABLE;
	points = (int64_t)(get_mm_rss(mm) + get_mm_counter(mm, MM_SWAPENTS) +
			   mm->pgtables_bytes / PAGE_SIZE);
	/* the kernel divides first, then scales */
	adj *= oom_totalpages(m) / 1000;
	return points + adj;
}

/* proc_oom_score(): badness scaled into 0..2000; 0 for the unkillable. */
unsigned int oom_score(const struct machine *m, const struct task_struct *t)
{
	int64_t totalpages = oom_totalpages(m);
	int64_t badness = oom_badness(m, t);

	if (badness == OOM_BADNESS_UNKILLABLE || totalpages <= 0)
		return 0;
	return (unsigned int)((1000 + badness * 1000 / totalpages) * 2 / 3);
}

/* Every task lives in the root cgroup until cgroups are simulated. */
const char *task_cgroup_path(const struct task_struct *t)
{
	return "/";
}
