// SPDX-License-Identifier: GPL-2.0
/*
 * The OOM killer (mm/oom_kill.c): how bad it would be to keep a task, the
 * 0..2000 score /proc/PID/oom_score shows, and, when reclaim cannot meet
 * an allocation, choosing the worst task, killing it and logging what
 * the kernel logs.
 */
#include <errno.h>
#include <stdio.h>

#include "fork.h"
#include "machine.h"
#include "mm.h"
#include "oom.h"
#include "page_alloc.h"
#include "printk.h"
#include "task.h"
#include "vmstat.h"

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

/* select_bad_process(): the first task with the highest badness. */
static const struct task_struct *select_bad_process(const struct machine *m,
						    int64_t *points)
{
	const struct task_struct *victim = NULL;
	int i;

	*points = OOM_BADNESS_UNKILLABLE;
	for (i = 0; i < m->nr_tasks; i++) {
		const struct task_struct *t = &m->tasks[i];
		int64_t badness = oom_badness(m, t);

		/* threads share the leader's mm: the leader stands for them */
		if (badness == OOM_BADNESS_UNKILLABLE ||
		    t->mm->owner != t->pid || badness <= *points)
			continue;
		victim = t;
		*points = badness;
	}
	return victim;
}

static uint64_t kb(uint64_t pages)
{
	return pages << (PAGE_SHIFT - 10);
}

/* show_free_areas(): the summary that starts Mem-Info. */
static void show_mem_info(struct machine *m)
{
	uint64_t swap_free = nr_free_swap_pages(m), present = 0;
	int nid, zi;

	for_each_online_node (nid, m)
		for (zi = 0; zi < MAX_NR_ZONES; zi++)
			present +=
				NODE_DATA(m, nid)->node_zones[zi].present_pages;

	printk(m, LOGLEVEL_DEFAULT, "Mem-Info:\n");
	printk(m, LOGLEVEL_DEFAULT,
	       "active_anon:%lld inactive_anon:%lld isolated_anon:0\n"
	       " active_file:%lld inactive_file:%lld isolated_file:0\n"
	       " unevictable:%lld dirty:%lld writeback:%lld\n"
	       " slab_reclaimable:%lld slab_unreclaimable:%lld\n"
	       " mapped:%lld shmem:%lld pagetables:%lld\n"
	       " sec_pagetables:0 bounce:0\n"
	       " kernel_misc_reclaimable:0\n"
	       " free:%lld free_pcp:0 free_cma:0\n",
	       (long long)global_node_page_state(m, NR_ACTIVE_ANON),
	       (long long)global_node_page_state(m, NR_INACTIVE_ANON),
	       (long long)global_node_page_state(m, NR_ACTIVE_FILE),
	       (long long)global_node_page_state(m, NR_INACTIVE_FILE),
	       (long long)global_node_page_state(m, NR_UNEVICTABLE),
	       (long long)global_node_page_state(m, NR_FILE_DIRTY),
	       (long long)global_node_page_state(m, NR_WRITEBACK),
	       (long long)global_node_page_state_pages(m,
						       NR_SLAB_RECLAIMABLE_B),
	       (long long)global_node_page_state_pages(m,
						       NR_SLAB_UNRECLAIMABLE_B),
	       (long long)global_node_page_state(m, NR_FILE_MAPPED),
	       (long long)global_node_page_state(m, NR_SHMEM),
	       (long long)global_node_page_state(m, NR_PAGETABLE),
	       (long long)global_zone_page_state(m, NR_FREE_PAGES));
	printk(m, LOGLEVEL_DEFAULT, "%lld total pagecache pages\n",
	       (long long)global_node_page_state(m, NR_FILE_PAGES));
	printk(m, LOGLEVEL_DEFAULT, "0 pages in swap cache\n");
	printk(m, LOGLEVEL_DEFAULT, "Free swap  = %llukB\n",
	       (unsigned long long)kb(swap_free));
	printk(m, LOGLEVEL_DEFAULT, "Total swap = %llukB\n",
	       (unsigned long long)kb(total_swap_pages(m)));
	printk(m, LOGLEVEL_DEFAULT, "%llu pages RAM\n",
	       (unsigned long long)present);
	printk(m, LOGLEVEL_DEFAULT, "0 pages HighMem/MovableOnly\n");
	printk(m, LOGLEVEL_DEFAULT, "%llu pages reserved\n",
	       (unsigned long long)(present - totalram_pages(m)));
}

/* dump_tasks(): every task with an mm, in the task list's order. */
static void dump_tasks(struct machine *m)
{
	int i;

	pr_info(m, "Tasks state (memory values in pages):\n");
	pr_info(m, "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file "
		   "rss_shmem pgtables_bytes swapents oom_score_adj name\n");
	for (i = 0; i < m->nr_tasks; i++) {
		const struct task_struct *t = &m->tasks[i];
		const struct mm_struct *mm = t->mm;

		if (!mm || t->kthread || mm->owner != t->pid)
			continue;
		pr_info(m,
			"[%7d] %5u %5d %8llu %8llu %8llu %8llu %9llu %8lld "
			"%8llu         %5d %s\n",
			t->pid, t->uid, t->pid,
			(unsigned long long)mm->total_vm,
			(unsigned long long)get_mm_rss(mm),
			(unsigned long long)get_mm_counter(mm, MM_ANONPAGES),
			(unsigned long long)get_mm_counter(mm, MM_FILEPAGES),
			(unsigned long long)get_mm_counter(mm, MM_SHMEMPAGES),
			(long long)mm->pgtables_bytes,
			(unsigned long long)get_mm_counter(mm, MM_SWAPENTS),
			t->oom_score_adj, t->comm);
	}
}

/* The nodes a task may use, as a node list ("0", "0-1"). */
static void mems_allowed(const struct machine *m, char *buf, size_t size)
{
	if (m->nr_node_ids == 1)
		snprintf(buf, size, "0");
	else
		snprintf(buf, size, "0-%d", m->nr_node_ids - 1);
}

int out_of_memory(struct machine *m, int current_pid)
{
	const struct task_struct *cur = find_task_by_pid(m, current_pid);
	const struct task_struct *victim;
	const struct mm_struct *mm;
	char comm[TASK_COMM_LEN], nodes[32];
	int64_t points;
	int pid, rc;

	victim = select_bad_process(m, &points);
	pr_warn(m,
		"%s invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|"
		"__GFP_COMP), order=0, oom_score_adj=%d\n",
		cur ? cur->comm : "mmsim", cur ? cur->oom_score_adj : 0);
	show_mem_info(m);
	dump_tasks(m);
	if (!victim) {
		pr_emerg(m, "Out of memory and no killable processes...\n");
		return -ENOMEM;
	}
	mm = victim->mm;
	mems_allowed(m, nodes, sizeof(nodes));
	pr_info(m,
		"oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,"
		"mems_allowed=%s,global_oom,task_memcg=%s,task=%s,pid=%d,"
		"uid=%u\n",
		nodes, task_cgroup_path(victim), victim->comm, victim->pid,
		victim->uid);
	pr_err(m,
	       "Out of memory: Killed process %d (%s) total-vm:%llukB, "
	       "anon-rss:%llukB, file-rss:%llukB, shmem-rss:%llukB, UID:%u "
	       "pgtables:%llukB oom_score_adj:%d\n",
	       victim->pid, victim->comm, (unsigned long long)kb(mm->total_vm),
	       (unsigned long long)kb(get_mm_counter(mm, MM_ANONPAGES)),
	       (unsigned long long)kb(get_mm_counter(mm, MM_FILEPAGES)),
	       (unsigned long long)kb(get_mm_counter(mm, MM_SHMEMPAGES)),
	       victim->uid, (unsigned long long)(mm->pgtables_bytes >> 10),
	       victim->oom_score_adj);
	pid = victim->pid;
	snprintf(comm, sizeof(comm), "%s", victim->comm);
	count_vm_event(m, OOM_KILL);
	/* SIGKILL: the victim exits and its memory goes back */
	rc = do_exit(m, pid);
	if (rc)
		return rc;
	pr_info(m,
		"oom_reaper: reaped process %d (%s), now anon-rss:0kB, "
		"file-rss:0kB, shmem-rss:0kB\n",
		pid, comm);
	return pid == current_pid ? -EINTR : 0;
}
