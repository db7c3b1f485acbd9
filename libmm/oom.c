// SPDX-License-Identifier: GPL-2.0
/*
 * The OOM killer (mm/oom_kill.c): how bad it would be to keep a task, the
 * 0..2000 score /proc/PID/oom_score shows, and, when reclaim cannot meet
 * an allocation, choosing the worst task, killing it and logging what
 * the kernel logs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fork.h"
#include "machine.h"
#include "memcontrol.h"
#include "mm.h"
#include "oom.h"
#include "page_alloc.h"
#include "printk.h"
#include "slab.h"
#include "task.h"
#include "vmscan.h"
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
 * A memcg's OOM domain (mem_cgroup_get_max()): its limit, and swap up to
 * its swap limit.
 */
static int64_t memcg_totalpages(const struct machine *m,
				const struct mem_cgroup *memcg)
{
	uint64_t max = memcg->memory.max, swap = total_swap_pages(m);

	if (max > totalram_pages(m))
		max = totalram_pages(m);
	if (swap > memcg->swap.max)
		swap = memcg->swap.max;
	return (int64_t)(max + swap);
}

static int64_t __oom_badness(const struct task_struct *t, int64_t totalpages)
{
	const struct mm_struct *mm = t->mm;
	int64_t points, adj = t->oom_score_adj;

	if (oom_unkillable_task(t) || !mm || adj == OOM_SCORE_ADJ_MIN)
		return OOM_BADNESS_UNKILLABLE;
	points = (int64_t)(get_mm_rss(mm) + get_mm_counter(mm, MM_SWAPENTS) +
			   mm->pgtables_bytes / PAGE_SIZE);
	/* the kernel divides first, then scales */
	adj *= totalpages / 1000;
	return points + adj;
}

/*
 * Memory the task holds (resident pages, swap entries and page tables),
 * in pages, shifted by oom_score_adj thousandths of all memory.
 */
int64_t oom_badness(const struct machine *m, const struct task_struct *t)
{
	return __oom_badness(t, oom_totalpages(m));
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

/* The task's cgroup v2 path; a task not yet placed is in the root. */
const char *task_cgroup_path(const struct task_struct *t)
{
	return t->cgroup ? t->cgroup->path : "/";
}

/* Whether task @t is in the OOM domain: all of them, or @memcg's. */
static int oom_task_in_domain(const struct machine *m,
			      const struct task_struct *t,
			      const struct mem_cgroup *memcg)
{
	return !memcg || mem_cgroup_is_descendant(mem_cgroup_from_task(m, t),
						  memcg);
}

/*
 * select_bad_process(): the first task with the highest badness, among
 * @memcg's for a memcg OOM.
 */
static const struct task_struct *select_bad_process(const struct machine *m,
						    const struct mem_cgroup *memcg,
						    int64_t *points)
{
	int64_t totalpages = memcg ? memcg_totalpages(m, memcg)
				   : oom_totalpages(m);
	const struct task_struct *victim = NULL;
	int i;

	*points = OOM_BADNESS_UNKILLABLE;
	for (i = 0; i < m->nr_tasks; i++) {
		const struct task_struct *t = &m->tasks[i];
		int64_t badness;

		if (!oom_task_in_domain(m, t, memcg))
			continue;
		badness = __oom_badness(t, totalpages);

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

/* What dmi_get_system_info() names the simulated machine. */
#define DMI_SYSTEM_NAME                                                     \
	"QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.3-debian-1.16.3-2 " \
	"04/01/2014"
/* preempt_model_str() of a PREEMPT_DYNAMIC kernel in voluntary mode */
#define PREEMPT_MODEL "PREEMPT(voluntary)"

/*
 * The stack dump_stack() shows, as symbol+offset/size: the report, the
 * OOM killer (oom_kill_process() when it found a victim) and the
 * allocator, then the path of the allocation that failed.
 */
static const char *const report_frames[] = {
	"dump_stack_lvl+0x5d/0x80",
	"dump_header+0x4a/0x240",
	NULL,
};

static const char *const kill_frames[] = {
	"oom_kill_process+0x10c/0x1b0",
	NULL,
};

static const char *const alloc_frames[] = {
	"out_of_memory+0x102/0x5c0",
	"__alloc_pages_slowpath.constprop.0+0xc3e/0xe50",
	"__alloc_frozen_pages_noprof+0x30a/0x330",
	"alloc_pages_mpol+0x80/0x180",
	NULL,
};

static const char *const fault_frames[] = {
	"folio_alloc_mpol_noprof+0x14/0x40",
	"vma_alloc_folio_noprof+0x69/0xb0",
	"do_anonymous_page+0x32a/0x8b0",
	"__handle_mm_fault+0xb5e/0xfe0",
	"handle_mm_fault+0xe2/0x2c0",
	"do_user_addr_fault+0x217/0x620",
	"exc_page_fault+0x81/0x1b0",
	"asm_exc_page_fault+0x26/0x30",
	NULL,
};

static const char *const read_frames[] = {
	"folio_alloc_noprof+0x5e/0xd0",
	"filemap_alloc_folio_noprof+0xdd/0x100",
	"filemap_create_folio+0x49/0x150",
	"filemap_get_pages+0x2c8/0x6c0",
	"filemap_read+0x104/0x3a0",
	"vfs_read+0x26c/0x380",
	"ksys_read+0x6f/0xf0",
	"do_syscall_64+0x84/0x8e0",
	"entry_SYSCALL_64_after_hwframe+0x76/0x7e",
	NULL,
};

static const char *const write_frames[] = {
	"folio_alloc_noprof+0x5e/0xd0",
	"filemap_alloc_folio_noprof+0xdd/0x100",
	"__filemap_get_folio+0x1a4/0x3a0",
	"ext4_da_write_begin+0x1a3/0x390",
	"generic_perform_write+0x14e/0x2c0",
	"ext4_buffered_write_iter+0x6b/0x130",
	"vfs_write+0x25d/0x460",
	"ksys_write+0x6f/0xf0",
	"do_syscall_64+0x84/0x8e0",
	"entry_SYSCALL_64_after_hwframe+0x76/0x7e",
	NULL,
};

static const char *const shmem_write_frames[] = {
	"folio_alloc_mpol_noprof+0x14/0x40",
	"shmem_alloc_folio+0x4c/0x70",
	"shmem_alloc_and_add_folio+0xd4/0x4a0",
	"shmem_get_folio_gfp+0x1f5/0x6b0",
	"shmem_write_begin+0x64/0x110",
	"generic_perform_write+0x14e/0x2c0",
	"shmem_file_write_iter+0x8b/0xa0",
	"vfs_write+0x25d/0x460",
	"ksys_write+0x6f/0xf0",
	"do_syscall_64+0x84/0x8e0",
	"entry_SYSCALL_64_after_hwframe+0x76/0x7e",
	NULL,
};

/* copy_page_range(): a page table of the child */
static const char *const fork_frames[] = {
	"alloc_pages_noprof+0x57/0xe0",
	"pte_alloc_one+0x2e/0x100",
	"__pte_alloc+0x2d/0x130",
	"copy_page_range+0x103a/0x1af0",
	"dup_mmap+0x4b8/0x7e0",
	"copy_process+0x1ab1/0x1b60",
	"kernel_clone+0xbd/0x3f0",
	"__do_sys_clone+0x65/0x90",
	"do_syscall_64+0x84/0x8e0",
	"entry_SYSCALL_64_after_hwframe+0x76/0x7e",
	NULL,
};

/* mm_alloc() for the new program: its page directory */
static const char *const exec_frames[] = {
	"alloc_pages_noprof+0x57/0xe0",
	"pgd_alloc+0x3d/0x200",
	"mm_init+0x23b/0x330",
	"alloc_bprm+0xb5/0x2f0",
	"do_execveat_common.isra.0+0x8b/0x2a0",
	"__x64_sys_execve+0x3b/0x50",
	"do_syscall_64+0x84/0x8e0",
	"entry_SYSCALL_64_after_hwframe+0x76/0x7e",
	NULL,
};

/* What each allocation asked for (gfp_mask decoded by %pGg), and from where. */
static const struct oom_path {
	const char *gfp;
	const char *const *frames;
} oom_paths[] = {
	[OOM_FAULT] = {"0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)",
		       fault_frames},
	[OOM_FILE_READ] = {"0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)",
			   read_frames},
	[OOM_FILE_WRITE] = {"0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)",
			    write_frames},
	[OOM_SHMEM_WRITE] = {"0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)",
			     shmem_write_frames},
	/* GFP_PGTABLE_USER */
	[OOM_FORK] = {"0x400dc0(GFP_KERNEL_ACCOUNT|__GFP_ZERO)", fork_frames},
	[OOM_EXEC] = {"0x400dc0(GFP_KERNEL_ACCOUNT|__GFP_ZERO)", exec_frames},
};

/* One invocation of the OOM killer (struct oom_control). */
struct oom_control {
	enum oom_origin origin;
	/* a memcg OOM: the group at its limit; NULL for the whole machine */
	struct mem_cgroup *memcg;
	/* the allocating task: NULL for an operation from outside */
	const struct task_struct *cur;
	const struct task_struct *chosen;
	int64_t chosen_points;
};

/* An operation from outside the machine is "mmsim", as drop_caches says. */
static const char *oc_comm(const struct oom_control *oc)
{
	return oc->cur ? oc->cur->comm : "mmsim";
}

static int oc_cpu(const struct oom_control *oc)
{
	return oc->cur ? oc->cur->cpu : 0;
}

static void print_frames(struct machine *m, const char *const *frame)
{
	for (; *frame; frame++)
		printk(m, LOGLEVEL_DEFAULT, " %s\n", *frame);
}

/*
 * dump_stack(): the task, the kernel and the machine, then the stack that
 * got to the OOM killer.
 */
static void dump_stack(struct machine *m, const struct oom_control *oc)
{
	/* init_utsname()->version up to its first space: "#1" */
	const char *version = strstr(MMSIM_LINUX_BANNER, " #") + 1;

	printk(m, LOGLEVEL_DEFAULT,
	       "CPU: %d UID: %u PID: %d Comm: %.20s Not tainted %s %.*s %s \n",
	       oc_cpu(oc), oc->cur ? oc->cur->uid : 0,
	       oc->cur ? oc->cur->pid : 0, oc_comm(oc), MMSIM_KERNEL_RELEASE,
	       (int)strcspn(version, " "), version, PREEMPT_MODEL);
	printk(m, LOGLEVEL_DEFAULT, "Hardware name: %s\n", DMI_SYSTEM_NAME);
	printk(m, LOGLEVEL_DEFAULT, "Call Trace:\n");
	printk(m, LOGLEVEL_DEFAULT, " <TASK>\n");
	print_frames(m, report_frames);
	/* with no victim, out_of_memory() reports by itself */
	if (oc->chosen)
		print_frames(m, kill_frames);
	print_frames(m, alloc_frames);
	print_frames(m, oom_paths[oc->origin].frames);
	printk(m, LOGLEVEL_DEFAULT, " </TASK>\n");
}

/*
 * dump_tasks(): every task with an mm, in the task list's order (those
 * of the memcg for a memcg OOM).
 */
static void dump_tasks(struct machine *m, const struct mem_cgroup *memcg)
{
	int i;

	pr_info(m, "Tasks state (memory values in pages):\n");
	pr_info(m, "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file "
		   "rss_shmem pgtables_bytes swapents oom_score_adj name\n");
	for (i = 0; i < m->nr_tasks; i++) {
		const struct task_struct *t = &m->tasks[i];
		const struct mm_struct *mm = t->mm;

		if (!mm || t->kthread || mm->owner != t->pid ||
		    !oom_task_in_domain(m, t, memcg))
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

/*
 * should_dump_unreclaim_slab(): unreclaimable slab outgrew every LRU list
 * together, so the report says which caches hold it.
 */
static int should_dump_unreclaim_slab(const struct machine *m)
{
	int64_t nr_lru = global_node_page_state(m, NR_ACTIVE_ANON) +
			 global_node_page_state(m, NR_INACTIVE_ANON) +
			 global_node_page_state(m, NR_ACTIVE_FILE) +
			 global_node_page_state(m, NR_INACTIVE_FILE) +
			 global_node_page_state(m, NR_ISOLATED_ANON) +
			 global_node_page_state(m, NR_ISOLATED_FILE) +
			 global_node_page_state(m, NR_UNEVICTABLE);

	return global_node_page_state_pages(m, NR_SLAB_UNRECLAIMABLE_B) >
	       nr_lru;
}

/* dump_unreclaimable_slab(): the caches in /proc/slabinfo's order. */
static void dump_unreclaimable_slab(struct machine *m)
{
	struct slabinfo si;
	int id;

	pr_info(m, "Unreclaimable slab info:\n");
	pr_info(m, "Name                      Used          Total\n");
	for (id = NR_KMEM_CACHES - 1; id >= 0; id--) {
		if (!kmem_cache_listed(id) || kmem_cache_reclaimable(id))
			continue;
		get_slabinfo(m, id, &si);
		if (si.num_objs)
			pr_info(m, "%-17s %10lluKB %10lluKB\n",
				kmem_cache_name(id),
				(unsigned long long)(si.active_objs *
						     si.objsize / 1024),
				(unsigned long long)(si.num_objs * si.objsize /
						     1024));
	}
}

/* dump_header(): the report that comes before the kill. */
static void dump_header(struct machine *m, const struct oom_control *oc)
{
	pr_warn(m,
		"%s invoked oom-killer: gfp_mask=%s, order=0, "
		"oom_score_adj=%d\n",
		oc_comm(oc), oom_paths[oc->origin].gfp,
		oc->cur ? oc->cur->oom_score_adj : 0);
	dump_stack(m, oc);
	if (oc->memcg) {
		mem_cgroup_print_oom_meminfo(m, oc->memcg);
	} else {
		__show_mem(m, oc_cpu(oc));
		if (should_dump_unreclaim_slab(m))
			dump_unreclaimable_slab(m);
	}
	if (m->sysctl.oom_dump_tasks)
		dump_tasks(m, oc->memcg);
}

/* dump_oom_victim(): the one-line summary of the choice. */
static void dump_oom_victim(struct machine *m, const struct oom_control *oc)
{
	const struct task_struct *victim = oc->chosen;
	char nodes[32];

	mems_allowed(m, nodes, sizeof(nodes));
	if (oc->memcg)
		pr_info(m,
			"oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),"
			"cpuset=/,mems_allowed=%s,oom_memcg=%s,task_memcg=%s,"
			"task=%s,pid=%d,uid=%u\n",
			nodes, oc->memcg->cgroup->path,
			task_cgroup_path(victim), victim->comm, victim->pid,
			victim->uid);
	else
		pr_info(m,
			"oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),"
			"cpuset=/,mems_allowed=%s,global_oom,task_memcg=%s,"
			"task=%s,pid=%d,uid=%u\n",
			nodes, task_cgroup_path(victim), victim->comm,
			victim->pid, victim->uid);
}

/* __oom_kill_process(): SIGKILL; the victim exits, the reaper reports. */
static int oom_kill_process(struct machine *m, const struct oom_control *oc)
{
	const struct task_struct *victim = oc->chosen;
	const struct mm_struct *mm = victim->mm;
	char comm[TASK_COMM_LEN];
	int pid = victim->pid, rc;

	pr_err(m,
	       "%s: Killed process %d (%s) total-vm:%llukB, "
	       "anon-rss:%llukB, file-rss:%llukB, shmem-rss:%llukB, UID:%u "
	       "pgtables:%llukB oom_score_adj:%d\n",
	       oc->memcg ? "Memory cgroup out of memory" : "Out of memory",
	       victim->pid, victim->comm, (unsigned long long)kb(mm->total_vm),
	       (unsigned long long)kb(get_mm_counter(mm, MM_ANONPAGES)),
	       (unsigned long long)kb(get_mm_counter(mm, MM_FILEPAGES)),
	       (unsigned long long)kb(get_mm_counter(mm, MM_SHMEMPAGES)),
	       victim->uid, (unsigned long long)(mm->pgtables_bytes >> 10),
	       victim->oom_score_adj);
	snprintf(comm, sizeof(comm), "%s", victim->comm);
	count_vm_event(m, OOM_KILL);
	memcg_memory_event(mem_cgroup_from_task(m, victim), MEMCG_OOM_KILL);
	/* its memory goes back, and the task array moves */
	rc = do_exit(m, pid);
	if (rc)
		return rc;
	pr_info(m,
		"oom_reaper: reaped process %d (%s), now anon-rss:0kB, "
		"file-rss:0kB, shmem-rss:0kB\n",
		pid, comm);
	return 0;
}

/*
 * memory.oom.group: the rest of @group's processes die with the victim
 * (all but the unkillable).  -EINTR if @current_pid was among them.
 */
static int oom_kill_memcg_members(struct machine *m, struct oom_control *oc,
				  struct mem_cgroup *group, int current_pid)
{
	int i, rc, killed_current = 0;

	pr_info(m,
		"Tasks in %s are going to be killed due to memory.oom.group "
		"set\n",
		group->cgroup->path);
	memcg_memory_event(group, MEMCG_OOM_GROUP_KILL);
	for (i = 0; i < m->nr_tasks;) {
		const struct task_struct *t = &m->tasks[i];

		if (!t->mm || t->mm->owner != t->pid ||
		    __oom_badness(t, 1) == OOM_BADNESS_UNKILLABLE ||
		    !oom_task_in_domain(m, t, group)) {
			i++;
			continue;
		}
		killed_current |= t->pid == current_pid;
		oc->chosen = t;
		/* the array moves: the task after the victim is at @i now */
		rc = oom_kill_process(m, oc);
		if (rc)
			return rc;
	}
	return killed_current ? -EINTR : 0;
}

/* 0 (another task died), -EINTR (@current_pid did) or -ENOMEM. */
static int __out_of_memory(struct machine *m, struct mem_cgroup *memcg,
			   int current_pid, enum oom_origin origin)
{
	struct oom_control oc = {
		.origin = origin,
		.memcg = memcg,
		.cur = current_pid ? find_task_by_pid(m, current_pid) : NULL,
	};
	struct mem_cgroup *group;
	int victim_pid, killed_current, rc;

	oc.chosen = select_bad_process(m, memcg, &oc.chosen_points);
	dump_header(m, &oc);
	if (!oc.chosen) {
		/* then the kernel panics: the operation is refused */
		if (!memcg)
			pr_warn(m,
				"Out of memory and no killable processes...\n");
		return -ENOMEM;
	}
	dump_oom_victim(m, &oc);
	victim_pid = oc.chosen->pid;
	group = mem_cgroup_get_oom_group(m, mem_cgroup_from_task(m, oc.chosen),
					 memcg);
	rc = oom_kill_process(m, &oc);
	if (rc)
		return rc;
	killed_current = victim_pid == current_pid;
	if (group) {
		rc = oom_kill_memcg_members(m, &oc, group, current_pid);
		if (rc == -EINTR)
			killed_current = 1;
		else if (rc)
			return rc;
	}
	return killed_current ? -EINTR : 0;
}

int mem_cgroup_out_of_memory(struct machine *m, struct mem_cgroup *memcg,
			     int current_pid)
{
	return __out_of_memory(m, memcg, current_pid, OOM_FAULT);
}

int out_of_memory(struct machine *m, int current_pid)
{
	return __out_of_memory(m, NULL, current_pid, OOM_FAULT);
}

int reclaim_or_oom(struct machine *m, int nid, int current_pid,
		   enum oom_origin origin)
{
	const struct task_struct *cur =
		current_pid ? find_task_by_pid(m, current_pid) : NULL;
	/* the reclaim is a stall of the task's group */
	struct cgroup *old = set_current_cgroup(m, cur ? cur->cgroup : NULL);
	int rc;

	/* a kill frees the victim's memory: reclaim looks again */
	while (reclaim_before_alloc(m, nid)) {
		rc = __out_of_memory(m, NULL, current_pid, origin);
		if (rc)
			goto out;
	}
	rc = 0;
	cur = current_pid ? find_task_by_pid(m, current_pid) : NULL;
	if (!cur)
		goto out;
	rc = mem_cgroup_try_charge(m, mem_cgroup_from_task(m, cur),
				   MEMCG_CHARGE_BATCH, current_pid);
	if (rc == -EAGAIN)
		rc = 0;
out:
	set_current_cgroup(m, old);
	return rc;
}
