// SPDX-License-Identifier: GPL-2.0
/*
 * The process table, after kernel/fork.c, kernel/exit.c and kernel/pid.c:
 * PIDs are handed out in increasing order; fork duplicates the address
 * space copy-on-write, exec replaces it, exit tears it down and reparents
 * the children to init.  A dead task is reaped at once, its faults added
 * to its parent's cmin_flt and cmaj_flt as wait() does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "binfmt_elf.h"
#include "filemap_internal.h"
#include "fork.h"
#include "memcontrol.h"
#include "mm_internal.h"
#include "mman.h"
#include "page_alloc.h"
#include "slab.h"
#include "tlb.h"

int nr_tasks(const struct machine *m)
{
	return m->nr_tasks;
}

const struct task_struct *task_by_index(const struct machine *m, int i)
{
	return i >= 0 && i < m->nr_tasks ? &m->tasks[i] : NULL;
}

struct task_struct *find_task_mut(struct machine *m, int pid)
{
	int lo = 0, hi = m->nr_tasks - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (m->tasks[mid].pid == pid)
			return &m->tasks[mid];
		if (m->tasks[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

const struct task_struct *find_task_by_pid(const struct machine *m, int pid)
{
	return find_task_mut((struct machine *)m, pid);
}

int last_pid(const struct machine *m)
{
	return m->last_pid;
}

static void set_cmdline(struct task_struct *t, const char *argv0)
{
	size_t len = strlen(argv0);

	if (len > TASK_CMDLINE_LEN - 1)
		len = TASK_CMDLINE_LEN - 1;
	memcpy(t->cmdline, argv0, len);
	t->cmdline[len] = '\0';
	t->cmdline_len = (uint16_t)(len + 1);
}

static void set_environ(struct task_struct *t)
{
	static const char env[] =
		"LANG=C.UTF-8\0PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
		"/usr/bin:/sbin:/bin\0";

	memcpy(t->environ, env, sizeof(env) - 1);
	t->environ_len = sizeof(env) - 1;
}

/* The next PID: pid_max wraps around past the PIDs in use (alloc_pid). */
static int alloc_pid(struct machine *m, int skip)
{
	int pid = m->last_pid + skip;

	do {
		if (++pid >= m->pid_max)
			pid = 300; /* RESERVED_PIDS */
	} while (find_task_mut(m, pid));
	return pid;
}

/*
 * What copy_process() allocates: a kernel thread shares its files and fs
 * with kthreadd (CLONE_FILES | CLONE_FS); a process has its own.  All
 * these caches are SLAB_ACCOUNT (cred_jar and fs_cache merge into
 * kmalloc-cg caches for that reason).
 */
static const enum kmem_cache_id task_caches[] = {
	KMEM_TASK_STRUCT,   KMEM_PID,	      KMEM_CRED_JAR, KMEM_SIGNAL_CACHE,
	KMEM_SIGHAND_CACHE, KMEM_FILES_CACHE, KMEM_FS_CACHE,
};
#define NR_KTHREAD_CACHES 5

static size_t nr_task_caches(int kthread)
{
	return kthread ? NR_KTHREAD_CACHES
		       : sizeof(task_caches) / sizeof(task_caches[0]);
}

static int alloc_task_objects(struct machine *m, int kthread, int nid,
			      uint32_t objcg)
{
	return kmem_cache_alloc_set(m, task_caches, nr_task_caches(kthread),
				    nid, objcg);
}

static void free_task_objects(struct machine *m, const struct task_struct *t)
{
	kmem_cache_free_set(m, task_caches, nr_task_caches(t->kthread),
			    t->objcg);
}

void task_kmem_objects(struct task_struct *t, kmem_owner_fn fn, void *arg)
{
	size_t i;

	for (i = 0; i < nr_task_caches(t->kthread); i++)
		fn(&t->objcg, task_caches[i], 1, arg);
}

struct task_struct *task_create(struct machine *m, const char *comm, int ppid,
				uint32_t uid, int kthread, int cpu,
				int skip_pids)
{
	const struct task_struct *parent;
	struct task_struct *t;
	int pid = alloc_pid(m, skip_pids), i;
	uint32_t objcg;

	if (m->nr_tasks == m->tasks_size) {
		int size = m->tasks_size ? 2 * m->tasks_size : 64;
		struct task_struct *tasks =
			realloc(m->tasks, (size_t)size * sizeof(*tasks));

		if (!tasks)
			return NULL;
		m->tasks = tasks;
		m->tasks_size = size;
	}
	/* dup_task_struct() runs in the parent: its memcg is charged */
	parent = find_task_by_pid(m, ppid);
	objcg = parent ? mem_cgroup_objcg(mem_cgroup_from_task(m, parent),
					  m->cpu_to_node[cpu])
		       : OBJCG_NONE;
	if (alloc_task_objects(m, kthread, m->cpu_to_node[cpu], objcg))
		return NULL;
	m->total_forks += (uint64_t)skip_pids + 1;
	/* PIDs ascend except after a wrap: keep the table sorted */
	for (i = m->nr_tasks; i > 0 && m->tasks[i - 1].pid > pid; i--)
		;
	memmove(&m->tasks[i + 1], &m->tasks[i],
		(size_t)(m->nr_tasks - i) * sizeof(*m->tasks));
	m->nr_tasks++;
	t = &m->tasks[i];
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	m->last_pid = pid;
	t->ppid = ppid;
	strncpy(t->comm, comm, TASK_COMM_LEN - 1);
	t->uid = uid;
	t->gid = uid;
	t->kthread = kthread;
	t->state = kthread && !strncmp(comm, "kworker/", 8) ? 'I' : 'S';
	t->cpu = cpu;
	t->objcg = objcg;
	t->pgrp = t->session = kthread ? 0 : pid;
	for (i = 0; i < THREAD_STACK_PAGES; i++)
		t->kstack[i] = PFN_NONE;
	t->start_time_ns = m->clock_ns;
	if (!kthread) {
		set_cmdline(t, comm);
		set_environ(t);
	}
	/* sleepers wake now and then: timers, work items, polls */
	t->wake_interval_ns = (kthread ? 2000 : 500) * 1000000ULL +
			      prng_below(&m->prng, 4000) * 1000000ULL;
	t->next_wakeup_ns = m->clock_ns + t->wake_interval_ns;
	/* cgroup_post_fork(): the parent's cgroup, the root for boot tasks */
	cgroup_fork(m, t, ppid ? find_task_mut(m, ppid) : NULL);
	return t;
}

/* A 16 KiB vmalloc'ed kernel stack: four order-0 pages on the CPU's node. */
int alloc_thread_stack(struct machine *m, struct task_struct *t)
{
	struct alloc_context ac = {
		.preferred_nid = m->cpu_to_node[t->cpu],
		.highest_zoneidx = ZONE_NORMAL,
		.migratetype = MIGRATE_UNMOVABLE,
		.alloc_flags = ALLOC_WMARK_MIN,
		.cpu = t->cpu,
	};
	struct page_use use = {.state = PAGE_KSTACK, .owner = (uint32_t)t->pid};
	int i, rc;

	for (i = 0; i < THREAD_STACK_PAGES; i++) {
		rc = alloc_pages(m, 0, &ac, &use, &t->kstack[i]);
		if (rc)
			return rc;
		t->stack_pages++;
	}
	return 0;
}

static void free_thread_stack(struct machine *m, struct task_struct *t)
{
	int i;

	for (i = 0; i < THREAD_STACK_PAGES; i++) {
		if (t->kstack[i] != PFN_NONE)
			free_pages(m, t->kstack[i], 0);
		t->kstack[i] = PFN_NONE;
	}
	t->stack_pages = 0;
}

/* The CPU a new task starts on: the least loaded, as the balancer would. */
static int select_task_cpu(const struct machine *m, int node)
{
	int load[NR_CPUS] = {0}, cpu, best = -1, i;

	for (i = 0; i < m->nr_tasks; i++)
		if (!m->tasks[i].kthread)
			load[m->tasks[i].cpu]++;
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		if (node >= 0 && m->cpu_to_node[cpu] != node)
			continue;
		if (best < 0 || load[cpu] < load[best])
			best = cpu;
	}
	return best < 0 ? 0 : best;
}

/* dup_mmap(): the child's VMAs, and the pages that must be shared now. */
static int dup_mmap(struct machine *m, struct mm_struct *mm,
		    struct mm_struct *oldmm, int cpu)
{
	uint32_t i;
	int rc;

	mm->mmap_base = oldmm->mmap_base;
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->arg_start = oldmm->arg_start;
	mm->arg_end = oldmm->arg_end;
	mm->env_start = oldmm->env_start;
	mm->env_end = oldmm->env_end;
	mm->exe_ino = oldmm->exe_ino;
	mm->hiwater_rss = oldmm->hiwater_rss;
	mm->hiwater_vm = oldmm->hiwater_vm;
	if (oldmm->heap.nr_chunks) {
		mm->heap.chunks = malloc(oldmm->heap.nr_chunks *
					 sizeof(*mm->heap.chunks));
		if (!mm->heap.chunks)
			return -ENOMEM;
		memcpy(mm->heap.chunks, oldmm->heap.chunks,
		       oldmm->heap.nr_chunks * sizeof(*mm->heap.chunks));
		mm->heap.nr_chunks = mm->heap.size = oldmm->heap.nr_chunks;
	}
	mm->heap.top = oldmm->heap.top;
	for (i = 0; i < oldmm->nr_vmas; i++) {
		const struct vm_area_struct *vma = &oldmm->vmas[i];
		uint64_t pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;

		if (vma->vm_flags & VM_DONTCOPY)
			continue;
		rc = insert_vm_struct(m, mm, vma);
		if (rc)
			return rc;
		/* the parent keeps the hugetlb reservation */
		find_vma_mut(mm, vma->vm_start)->resv_owner = 0;
		vma_link_file(m, vma);
		vm_stat_account(mm, vma->vm_flags, (int64_t)pages);
		if (vma->vm_flags & VM_ACCOUNT)
			m->vm_committed_as += pages;
		/* file mappings without private copies are refaulted */
		if (!vma->has_anon &&
		    !(vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP)))
			continue;
		rc = copy_page_range(m, mm, oldmm, vma, cpu);
		if (rc)
			return rc;
	}
	/* the parent's private pages turned read-only */
	flush_tlb_mm(m, oldmm, cpu);
	return 0;
}

/*
 * dup_mmap() charges each accountable VMA of the parent in turn: all of
 * them must fit before anything of the child exists.
 */
static int dup_mmap_enough_memory(struct machine *m,
				  const struct mm_struct *oldmm)
{
	uint64_t charged = 0, pages;
	uint32_t i;
	int rc;

	for (i = 0; i < oldmm->nr_vmas; i++) {
		const struct vm_area_struct *vma = &oldmm->vmas[i];

		if ((vma->vm_flags & (VM_DONTCOPY | VM_ACCOUNT)) != VM_ACCOUNT)
			continue;
		pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
		rc = vm_enough_memory_mm(m, oldmm, charged, pages);
		if (rc)
			return rc;
		charged += pages;
	}
	return 0;
}

/*
 * kernel_clone(): the child of @ppid, in @into if not NULL (clone3's
 * CLONE_INTO_CGROUP: placed before anything is charged), else in its
 * parent's group.
 */
static int copy_process(struct machine *m, int ppid, struct cgroup *into,
			int *child_pid)
{
	struct task_struct *parent = find_task_mut(m, ppid), *child;
	char comm[TASK_COMM_LEN];
	struct mem_cgroup *memcg;
	int cpu, rc;

	if (!parent)
		return -ESRCH;
	if (parent->kthread)
		return -EPERM;
	rc = dup_mmap_enough_memory(m, parent->mm);
	if (rc)
		return rc;
	memcpy(comm, parent->comm, sizeof(comm));
	cpu = select_task_cpu(m, -1);
	child = task_create(m, comm, ppid, parent->uid, 0, cpu, 0);
	if (!child)
		return -ENOMEM;
	*child_pid = child->pid;
	parent = find_task_mut(m, ppid); /* the table may have moved */
	if (!parent)
		return -ESRCH;
	memcpy(child->cmdline, parent->cmdline, sizeof(child->cmdline));
	child->cmdline_len = parent->cmdline_len;
	memcpy(child->environ, parent->environ, sizeof(child->environ));
	child->environ_len = parent->environ_len;
	child->gid = parent->gid;
	child->nice = parent->nice;
	child->oom_score_adj = parent->oom_score_adj;
	child->pgrp = parent->pgrp;
	child->session = parent->session;
	if (into) {
		rc = cgroup_attach_pid(m, into, child->pid, 1);
		if (rc)
			return rc;
		child = find_task_mut(m, *child_pid);
	}
	/* the child's stack and page tables are charged to its memcg */
	memcg = set_active_memcg(m, mem_cgroup_from_task(m, child));
	rc = alloc_thread_stack(m, child);
	rc = rc ?: mm_alloc(m, child->pid, cpu, &child->mm);
	rc = rc ?: dup_mmap(m, child->mm, parent->mm, cpu);
	set_active_memcg(m, memcg);
	return rc;
}

int do_fork(struct machine *m, int ppid, int *child_pid)
{
	return copy_process(m, ppid, NULL, child_pid);
}

int do_execve(struct machine *m, int pid, const char *comm,
	      unsigned int heap_kb)
{
	struct task_struct *t = find_task_mut(m, pid);
	struct mem_cgroup *memcg;
	struct mm_struct *old;
	struct inode *exe;
	const char *base;
	int rc;

	if (!t)
		return -ESRCH;
	if (t->kthread)
		return -EPERM;
	/* the program's inode and dentry are charged to the task's memcg */
	memcg = set_active_memcg(m, mem_cgroup_from_task(m, t));
	rc = elf_program_file(m, comm, &exe);
	if (rc)
		goto out;
	t = find_task_mut(m, pid);
	old = t->mm;
	rc = mm_alloc(m, pid, t->cpu, &t->mm);
	if (rc) {
		t->mm = old;
		goto out;
	}
	base = strrchr(exe->path, '/') + 1;
	memset(t->comm, 0, sizeof(t->comm));
	strncpy(t->comm, base, TASK_COMM_LEN - 1);
	set_cmdline(t, exe->path);
	if (old)
		mmput(m, old, t->cpu);
	rc = load_elf_binary(m, t, exe, t->mm, heap_kb);
out:
	set_active_memcg(m, memcg);
	return rc;
}

int do_exit(struct machine *m, int pid)
{
	struct task_struct *t = find_task_mut(m, pid), *parent;
	uint64_t min_flt, maj_flt;
	int ppid, i;

	if (!t)
		return -ESRCH;
	if (t->kthread || pid == 1)
		return -EPERM;
	if (t->mm)
		mmput(m, t->mm, t->cpu);
	t->mm = NULL;
	free_thread_stack(m, t);
	free_task_objects(m, t);
	cgroup_exit_task(m, t);
	min_flt = t->min_flt + t->cmin_flt;
	maj_flt = t->maj_flt + t->cmaj_flt;
	ppid = t->ppid;
	for (i = 0; i < m->nr_tasks; i++)
		if (m->tasks[i].ppid == pid)
			m->tasks[i].ppid = 1;
	i = (int)(t - m->tasks);
	memmove(&m->tasks[i], &m->tasks[i + 1],
		(size_t)(m->nr_tasks - i - 1) * sizeof(*m->tasks));
	m->nr_tasks--;
	parent = find_task_mut(m, ppid);
	if (parent) {
		parent->cmin_flt += min_flt;
		parent->cmaj_flt += maj_flt;
	}
	return 0;
}

int do_spawn(struct machine *m, const struct spawn_args *a, int *pid)
{
	struct task_struct *t;
	int rc;

	/* the child starts in its group: all it allocates is charged there */
	rc = copy_process(m, a->ppid, a->cgroup, pid);
	if (rc)
		return rc;
	t = find_task_mut(m, *pid);
	t->uid = t->gid = a->uid;
	t->oom_score_adj = a->oom_score_adj;
	t->pgrp = t->session = *pid;
	if (a->node >= 0)
		t->cpu = select_task_cpu(m, a->node);
	return do_execve(m, *pid, a->comm, a->heap_kb);
}
