// SPDX-License-Identifier: GPL-2.0
/*
 * The process and address-space operations: spawn, fork, exec, exit,
 * kill, mmap, munmap, mprotect, madvise, brk, malloc, free, touch and
 * oom_score_adj.  Each parser checks its words; each apply step checks
 * what depends on the machine (the PID exists, the range is mapped)
 * before it changes anything it cannot take back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "binfmt_elf.h"
#include "cmdline.h"
#include "filemap_internal.h"
#include "fork.h"
#include "hugetlb.h"
#include "kstrtox.h"
#include "memcontrol.h"
#include "mm_internal.h"
#include "oom.h"
#include "ops_internal.h"
#include "seq_buf.h"
#include "tlb.h"

/* Arbitrary but generous: a mapping of at most 64 TiB. */
#define MAX_MAP_SIZE (1ULL << 46)
#define MAX_TOUCH_PASSES 1000000U
/* The default heap a spawned program writes at start-up, in KiB. */
#define SPAWN_HEAP_KB 64

int parse_pid(const char *op, const char *s, int *pid, struct seq_buf *err)
{
	int64_t v;

	if (parse_s64(s, 1, 4194304, &v)) {
		seq_printf(err, "%s: bad PID '%s'", op, s);
		return -EINVAL;
	}
	*pid = (int)v;
	return 0;
}

static int parse_addr(const char *op, const char *s, uint64_t *addr,
		      struct seq_buf *err)
{
	char *end;

	errno = 0;
	*addr = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-') {
		seq_printf(err, "%s: bad address '%s'", op, s);
		return -EINVAL;
	}
	return 0;
}

static int parse_len(const char *op, const char *s, uint64_t *size,
		     struct seq_buf *err)
{
	if (parse_size(s, size) || !*size || *size > MAX_MAP_SIZE) {
		seq_printf(err, "%s: bad size '%s'", op, s);
		return -EINVAL;
	}
	return 0;
}

/* "rw", "r", "rwx", "none", "x": the PROT_* bits as VM_* flags. */
static int parse_prot(const char *s, uint64_t *prot)
{
	*prot = 0;
	if (!strcmp(s, "none"))
		return 0;
	for (; *s; s++) {
		uint64_t bit = *s == 'r'   ? VM_READ
			       : *s == 'w' ? VM_WRITE
			       : *s == 'x' ? VM_EXEC
					   : 0;

		if (!bit || (*prot & bit))
			return -EINVAL;
		*prot |= bit;
	}
	return *prot ? 0 : -EINVAL;
}

struct task_struct *user_task(struct machine *m, const char *op, int pid,
			      struct seq_buf *err)
{
	struct task_struct *t = find_task_mut(m, pid);

	if (!t) {
		seq_printf(err, "%s: no process %d", op, pid);
		return NULL;
	}
	if (!t->mm) {
		seq_printf(err, "%s: %d (%s) is a kernel thread", op, pid,
			   t->comm);
		return NULL;
	}
	return t;
}

int report(struct seq_buf *err, const char *op, int rc)
{
	seq_printf(err, "%s: %s", op, strerror(-rc));
	return rc;
}

int oom_killed(struct seq_buf *result, const char *op, int pid)
{
	seq_printf(result, "%s: %d was killed (out of memory)\n", op, pid);
	return 0;
}

/*
 * access_page() as task @pid, again after each OOM kill of another task
 * (-EAGAIN: the task array moved).  -EINTR when @pid itself was killed.
 */
static int access_page_retry(struct machine *m, int pid, uint64_t addr,
			     int write)
{
	int rc;

	do {
		rc = access_page(m, find_task_mut(m, pid), addr, write);
	} while (rc == -EAGAIN);
	return rc;
}

/*
 * The safe point before task @pid forks or execs: memory short, the
 * allocator's slow path runs, up to the OOM killer (@origin says for
 * what).  0, -EINTR when @pid itself was killed, or -ENOMEM.
 */
static int task_reclaim_or_oom(struct machine *m, int pid,
			       enum oom_origin origin)
{
	const struct task_struct *t = find_task_by_pid(m, pid);

	return reclaim_or_oom(m, m->cpu_to_node[t->cpu], pid, origin);
}

/*
 * do_execve() until it is not an OOM kill of another task that stopped
 * it: exec builds a new address space, so a retry starts it afresh and
 * the half-built one goes.
 */
static int execve_retry(struct machine *m, int pid, const char *comm, int rc)
{
	while (rc == -EAGAIN)
		rc = do_execve(m, pid, comm, SPAWN_HEAP_KB);
	return rc;
}

/* ---- spawn COMM [uid=N] [parent=PID] [oom_score_adj=N] [node=N] ---- */

static const char spawn_usage[] =
	"spawn COMM [uid=N] [parent=PID] [cgroup=PATH] [oom_score_adj=N] "
	"[node=N]";

static int parse_spawn(struct op_args *a, struct seq_buf *err)
{
	const char *val;
	int64_t v;
	int i;

	if (a->argc < 2 || strchr(a->argv[1], '='))
		return usage(err, spawn_usage);
	if (!a->argv[1][0] || strlen(a->argv[1]) > 200) {
		seq_printf(err, "spawn: bad command name '%s'", a->argv[1]);
		return -EINVAL;
	}
	a->name = a->argv[1];
	a->pid = 1;
	a->node = -1;
	for (i = 2; i < a->argc; i++) {
		if (parse_option(a->argv[i], "uid", &val)) {
			if (parse_s64(val, 0, 65535, &v))
				goto bad;
			a->uid = (int)v;
		} else if (parse_option(a->argv[i], "parent", &val)) {
			if (parse_pid("spawn", val, &a->pid, err))
				return -EINVAL;
		} else if (parse_option(a->argv[i], "oom_score_adj", &val)) {
			if (parse_s64(val, OOM_SCORE_ADJ_MIN, OOM_SCORE_ADJ_MAX,
				      &v))
				goto bad;
			a->oom_score_adj = (int)v;
		} else if (parse_option(a->argv[i], "node", &val)) {
			if (parse_s64(val, 0, MAX_NUMNODES - 1, &v))
				goto bad;
			a->node = (int)v;
		} else if (parse_option(a->argv[i], "cgroup", &val)) {
			if (!*val || strlen(val) >= sizeof(a->path))
				goto bad;
			strcpy(a->path, val);
		} else {
			goto bad;
		}
	}
	return 0;
bad:
	seq_printf(err, "spawn: bad argument '%s'; %s", a->argv[i],
		   spawn_usage);
	return -EINVAL;
}

static int apply_spawn(struct machine *m, struct op_args *a,
		       struct seq_buf *result, struct seq_buf *err)
{
	struct spawn_args sa = {
		.comm = a->name,
		.ppid = a->pid,
		.uid = (uint32_t)a->uid,
		.oom_score_adj = a->oom_score_adj,
		.node = a->node,
		.heap_kb = SPAWN_HEAP_KB,
	};
	int pid, rc;

	if (!user_task(m, "spawn", a->pid, err))
		return -ESRCH;
	if (a->node >= m->nr_node_ids) {
		seq_printf(err, "spawn: no node %d", a->node);
		return -EINVAL;
	}
	/* clone3(CLONE_INTO_CGROUP): the group must exist and take tasks */
	if (a->path[0]) {
		rc = cgroup_lookup(m, a->path, &sa.cgroup);
		if (rc) {
			seq_printf(err, "spawn: no cgroup %s", a->path);
			return rc;
		}
		rc = cgroup_migrate_vet_dst(sa.cgroup);
		if (rc) {
			seq_printf(err,
				   "spawn: cgroup %s cannot take processes "
				   "(%s)",
				   sa.cgroup->path,
				   rc == -EBUSY ? "controllers are enabled "
						  "for its children"
						: "threaded subtree");
			return rc;
		}
	}
	rc = task_reclaim_or_oom(m, a->pid, OOM_FORK);
	if (rc == -EINTR)
		return oom_killed(result, "spawn", a->pid);
	if (rc)
		return report(err, "spawn", rc);
	rc = do_spawn(m, &sa, &pid);
	/* the exec half faults pages in: a kill there is retried */
	rc = execve_retry(m, pid, a->name, rc);
	if (rc == -EINTR)
		return oom_killed(result, "spawn", pid);
	if (rc)
		return report(err, "spawn", rc);
	seq_printf(result, "%d\n", pid);
	return 0;
}

/* ---- fork PID / exit PID ---- */

static int parse_one_pid(struct op_args *a, struct seq_buf *err)
{
	if (a->argc != 2) {
		seq_printf(err, "usage: %s PID", a->argv[0]);
		return -EINVAL;
	}
	return parse_pid(a->argv[0], a->argv[1], &a->pid, err);
}

static int apply_fork(struct machine *m, struct op_args *a,
		      struct seq_buf *result, struct seq_buf *err)
{
	int pid, rc;

	if (!user_task(m, "fork", a->pid, err))
		return -ESRCH;
	rc = task_reclaim_or_oom(m, a->pid, OOM_FORK);
	if (rc == -EINTR)
		return oom_killed(result, "fork", a->pid);
	rc = rc ?: do_fork(m, a->pid, &pid);
	if (rc)
		return report(err, "fork", rc);
	seq_printf(result, "%d\n", pid);
	return 0;
}

static int apply_exit(struct machine *m, struct op_args *a,
		      struct seq_buf *result, struct seq_buf *err)
{
	(void)result;
	if (!user_task(m, "exit", a->pid, err))
		return -ESRCH;
	if (a->pid == 1) {
		seq_puts(err, "exit: init (PID 1) cannot exit");
		return -EPERM;
	}
	return do_exit(m, a->pid);
}

/* ---- exec PID COMM ---- */

static int parse_exec(struct op_args *a, struct seq_buf *err)
{
	if (a->argc != 3)
		return usage(err, "exec PID COMM");
	a->name = a->argv[2];
	return parse_pid("exec", a->argv[1], &a->pid, err);
}

static int apply_exec(struct machine *m, struct op_args *a,
		      struct seq_buf *result, struct seq_buf *err)
{
	int rc;

	if (!user_task(m, "exec", a->pid, err))
		return -ESRCH;
	rc = task_reclaim_or_oom(m, a->pid, OOM_EXEC);
	rc = rc ?: do_execve(m, a->pid, a->name, SPAWN_HEAP_KB);
	rc = execve_retry(m, a->pid, a->name, rc);
	if (rc == -EINTR)
		return oom_killed(result, "exec", a->pid);
	return rc ? report(err, "exec", rc) : 0;
}

/* ---- kill PID [SIGNAL] ---- */

static const char *const signal_names[] = {
	[1] = "HUP",   [2] = "INT",   [3] = "QUIT",  [6] = "ABRT",
	[9] = "KILL",  [10] = "USR1", [12] = "USR2", [13] = "PIPE",
	[14] = "ALRM", [15] = "TERM", [17] = "CHLD", [18] = "CONT",
	[19] = "STOP", [20] = "TSTP",
};

#define NR_SIGNAL_NAMES (sizeof(signal_names) / sizeof(signal_names[0]))

static int parse_kill(struct op_args *a, struct seq_buf *err)
{
	const char *s;
	size_t i;
	int64_t v;

	if (a->argc < 2 || a->argc > 3)
		return usage(err, "kill PID [SIGNAL]");
	a->num = 15;
	if (a->argc == 3) {
		s = a->argv[2];
		if (!strncmp(s, "SIG", 3))
			s += 3;
		for (i = 1; i < NR_SIGNAL_NAMES; i++)
			if (signal_names[i] && !strcmp(s, signal_names[i]))
				break;
		if (i < NR_SIGNAL_NAMES)
			a->num = (int64_t)i;
		else if (!parse_s64(s, 0, 64, &v))
			a->num = v;
		else {
			seq_printf(err, "kill: bad signal '%s'", a->argv[2]);
			return -EINVAL;
		}
	}
	return parse_pid("kill", a->argv[1], &a->pid, err);
}

static int apply_kill(struct machine *m, struct op_args *a,
		      struct seq_buf *result, struct seq_buf *err)
{
	struct task_struct *t = find_task_mut(m, a->pid);

	(void)result;
	if (!t) {
		seq_printf(err, "kill: no process %d", a->pid);
		return -ESRCH;
	}
	/* kernel threads and init ignore signals they have no handler for */
	if (t->kthread || a->pid == 1 || a->num == 0 || a->num == 17)
		return 0;
	if (a->num == 19 || a->num == 20) {
		t->state = 'T';
		return 0;
	}
	if (a->num == 18) {
		t->state = 'S';
		return 0;
	}
	return do_exit(m, a->pid);
}

/* ---- mmap PID SIZE [anon|file=PATH] [private|shared] ... ---- */

static const char mmap_usage[] =
	"mmap PID SIZE [anon|file=PATH|shm=NAME] [private|shared] [populate] "
	"[hugetlb] [prot=rw|r|rwx|...] [name=LABEL] [at=ADDR]";

/* MAP_FIXED may not go below vm.mmap_min_addr */
#define MMAP_MIN_ADDR 65536ULL

static int parse_mmap(struct op_args *a, struct seq_buf *err)
{
	const char *val;
	int i, shared = 0;

	if (a->argc < 3)
		return usage(err, mmap_usage);
	if (parse_pid("mmap", a->argv[1], &a->pid, err) ||
	    parse_len("mmap", a->argv[2], &a->size, err))
		return -EINVAL;
	a->vm_flags = VM_READ | VM_WRITE;
	for (i = 3; i < a->argc; i++) {
		const char *w = a->argv[i];

		if (!strcmp(w, "anon")) {
			a->value = NULL;
		} else if (parse_option(w, "file", &val) && *val == '/') {
			a->value = val;
		} else if (!strcmp(w, "private")) {
			shared = 0;
		} else if (!strcmp(w, "shared")) {
			shared = 1;
		} else if (!strcmp(w, "populate")) {
			a->populate = 1;
		} else if (parse_option(w, "prot", &val)) {
			if (parse_prot(val, &a->vm_flags)) {
				seq_printf(err, "mmap: bad protection '%s'",
					   val);
				return -EINVAL;
			}
		} else if (parse_option(w, "name", &val) && *val &&
			   strlen(val) < VMA_NAME_LEN) {
			a->name = val;
		} else if (parse_option(w, "at", &val)) {
			if (parse_addr("mmap", val, &a->addr, err))
				return -EINVAL;
			if (!a->addr || (a->addr & (PAGE_SIZE - 1))) {
				seq_printf(err,
					   "mmap: at=%s is not a page-aligned "
					   "address",
					   val);
				return -EINVAL;
			}
		} else if (!strcmp(w, "hugetlb")) {
			a->hugetlb = 1;
		} else if (parse_option(w, "shm", &val)) {
			/* POSIX shared memory is a file in /dev/shm */
			if (!*val || strchr(val, '/') ||
			    strlen(val) >= sizeof(a->path) - 10) {
				seq_printf(err, "mmap: bad shm name '%s'", val);
				return -EINVAL;
			}
			snprintf(a->path, sizeof(a->path), "/dev/shm/%s", val);
			a->value = a->path;
		} else {
			seq_printf(err, "mmap: bad argument '%s'; %s", w,
				   mmap_usage);
			return -EINVAL;
		}
	}
	if (shared)
		a->vm_flags |= VM_SHARED | VM_MAYSHARE;
	if (a->hugetlb && a->value) {
		seq_puts(err, "mmap: hugetlb maps anonymous memory only");
		return -EINVAL;
	}
	if (a->name && (a->value || shared)) {
		seq_puts(err,
			 "mmap: name= labels private anonymous memory only");
		return -EINVAL;
	}
	return 0;
}

/*
 * mm_populate(): fault the whole range of task @pid in as the mapping
 * allows; a fault that the OOM killer stopped is made again.  -EINTR when
 * the task itself was killed.
 */
static int populate_range(struct machine *m, int pid, uint64_t start,
			  uint64_t len, uint64_t vm_flags)
{
	int write = (vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
	struct task_struct *t = find_task_mut(m, pid);
	uint64_t a = start;
	int rc;

	while (a < start + len) {
		rc = access_page(m, t, a, write);
		if (rc == -EAGAIN) {
			/* another task was killed: the tasks have moved */
			t = find_task_mut(m, pid);
			continue;
		}
		if (rc)
			return rc;
		a += PAGE_SIZE;
	}
	return 0;
}

/*
 * Where a new mapping of @len bytes goes: at=ADDR replaces whatever is
 * there (MAP_FIXED), else the highest gap below mmap_base that fits.
 */
static int mmap_place(const struct mm_struct *mm, const struct op_args *a,
		      uint64_t len, uint64_t align, uint64_t *start,
		      struct seq_buf *err)
{
	if (a->addr) {
		if (a->addr & (align - 1)) {
			seq_printf(err, "mmap: at=%#llx is not %llu-aligned",
				   (unsigned long long)a->addr,
				   (unsigned long long)align);
			return -EINVAL;
		}
		if (a->addr < MMAP_MIN_ADDR) {
			seq_printf(err, "mmap: at=%#llx is below mmap_min_addr",
				   (unsigned long long)a->addr);
			return -EPERM;
		}
		if (a->addr >= TASK_SIZE || len > TASK_SIZE - a->addr) {
			seq_puts(err, "mmap: beyond the user address space");
			return -ENOMEM;
		}
		*start = a->addr;
		return 0;
	}
	*start = get_unmapped_area_aligned(mm, len, align);
	if (!*start) {
		seq_puts(err, "mmap: no room in the address space");
		return -ENOMEM;
	}
	return 0;
}

/*
 * MAP_HUGETLB: whole 2 MiB pages from the pool, reserved at mmap (ENOMEM
 * if the pool cannot cover them), named /anon_hugepage on hugetlbfs.
 */
static int mmap_hugetlb(struct machine *m, struct task_struct *t,
			struct op_args *a, struct seq_buf *result,
			struct seq_buf *err)
{
	uint64_t len = (a->size + PMD_SIZE - 1) & ~(PMD_SIZE - 1);
	int shared = !!(a->vm_flags & VM_SHARED);
	struct vm_area_struct vma = {0};
	struct inode *inode;
	int rc;

	vma.vm_flags = a->vm_flags | VM_MAY_FLAGS | VM_HUGETLB | VM_DONTEXPAND |
		       VM_SOFTDIRTY;
	rc = mmap_place(t->mm, a, len, PMD_SIZE, &vma.vm_start, err);
	if (rc)
		return rc;
	vma.vm_end = vma.vm_start + len;
	rc = hugetlb_reserve(m, len >> PMD_SHIFT);
	if (rc) {
		seq_printf(err,
			   "mmap: %llu huge pages wanted, the pool has %llu "
			   "free and %llu reserved",
			   (unsigned long long)(len >> PMD_SHIFT),
			   (unsigned long long)hugetlb_free_huge_pages(m, -1),
			   (unsigned long long)hugetlb_resv_huge_pages(m));
		return rc;
	}
	rc = inode_create(m, "/anon_hugepage", len,
			  shared ? INODE_HUGETLB_SHARED : INODE_HUGETLB_PRIVATE,
			  &inode);
	if (rc)
		return report(err, "mmap", rc);
	inode->unlinked = 1;
	if (shared)
		inode->hugetlb_resv = len >> PMD_SHIFT;
	else
		vma.resv_owner = 1;
	vma.ino = inode->ino;
	rc = mmap_region(m, t->mm, &vma, t->cpu);
	if (!rc && a->populate)
		rc = populate_range(m, a->pid, vma.vm_start, len, vma.vm_flags);
	if (rc == -EINTR)
		return oom_killed(result, "mmap", a->pid);
	if (rc)
		return report(err, "mmap", rc);
	seq_printf(result, "%#llx\n", (unsigned long long)vma.vm_start);
	return 0;
}

static int apply_mmap(struct machine *m, struct op_args *a,
		      struct seq_buf *result, struct seq_buf *err)
{
	struct task_struct *t = user_task(m, "mmap", a->pid, err);
	struct vm_area_struct vma = {0};
	uint64_t len = PAGE_ALIGN(a->size);
	struct inode *inode = NULL;
	struct mem_cgroup *memcg;
	int rc;

	if (!t)
		return -ESRCH;
	/*
	 * vm_area_alloc() is charged to the task's group: at its limit it
	 * reclaims, then OOM-kills inside the group, before mmap goes on.
	 */
	do
		rc = mem_cgroup_try_charge(m, mem_cgroup_from_task(m, t), 1,
					   a->pid);
	while (rc == -EAGAIN && (t = find_task_mut(m, a->pid)));
	if (rc == -EINTR)
		return oom_killed(result, "mmap", a->pid);
	if (rc)
		return report(err, "mmap", rc);
	vma.vm_flags = a->vm_flags | VM_MAY_FLAGS | VM_SOFTDIRTY;
	if (a->hugetlb)
		return mmap_hugetlb(m, t, a, result, err);
	if (a->value) {
		inode = inode_lookup_path(m, a->value);
		if (!inode ||
		    (inode->kind != INODE_FILE && inode->kind != INODE_BDEV &&
		     inode->kind != INODE_TMPFS)) {
			seq_printf(err, "mmap: %s: no such file", a->value);
			return -ENOENT;
		}
		/* open(2) in the task: a new inode is charged to its memcg */
		memcg = set_active_memcg(m, mem_cgroup_from_task(m, t));
		rc = inode_iget(m, inode);
		set_active_memcg(m, memcg);
		if (rc)
			return report(err, "mmap", rc);
	} else if (a->vm_flags & VM_SHARED) {
		/* shared anonymous memory is a file on the internal shm mount
		 */
		memcg = set_active_memcg(m, mem_cgroup_from_task(m, t));
		rc = inode_create(m, "/dev/zero", len, INODE_SHMEM_ANON,
				  &inode);
		set_active_memcg(m, memcg);
		if (rc)
			return report(err, "mmap", rc);
		inode->unlinked = 1;
	}
	/* anonymous mappings of whole huge pages are placed for THP */
	rc = mmap_place(t->mm, a, len,
			!a->addr && !inode && !(len & (PMD_SIZE - 1))
				? PMD_SIZE
				: PAGE_SIZE,
			&vma.vm_start, err);
	if (rc)
		return rc;
	vma.vm_end = vma.vm_start + len;
	if (inode) {
		vma.ino = inode->ino;
	} else {
		vma.vm_pgoff = vma.vm_start >> PAGE_SHIFT;
		if (a->name)
			strcpy(vma.anon_name, a->name);
	}
	/* private writable memory is charged to Committed_AS */
	if ((a->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
		vma.vm_flags |= VM_ACCOUNT;
	rc = mmap_region(m, t->mm, &vma, t->cpu);
	if (!rc && a->populate)
		rc = populate_range(m, a->pid, vma.vm_start, len, vma.vm_flags);
	if (rc == -EINTR)
		return oom_killed(result, "mmap", a->pid);
	if (rc)
		return report(err, "mmap", rc);
	seq_printf(result, "%#llx\n", (unsigned long long)vma.vm_start);
	return 0;
}

int map_shared_inode(struct machine *m, struct task_struct *t,
		     struct inode *inode, uint64_t len, uint64_t vm_flags,
		     uint64_t *addr)
{
	struct vm_area_struct vma = {0};
	int rc;

	len = PAGE_ALIGN(len);
	vma.vm_start = get_unmapped_area_aligned(t->mm, len, PAGE_SIZE);
	if (!vma.vm_start)
		return -ENOMEM;
	vma.vm_end = vma.vm_start + len;
	vma.vm_flags = vm_flags | VM_SHARED | VM_MAYSHARE | VM_MAY_FLAGS |
		       VM_SOFTDIRTY;
	vma.ino = inode->ino;
	rc = mmap_region(m, t->mm, &vma, t->cpu);
	if (rc)
		return rc;
	*addr = vma.vm_start;
	return 0;
}

/* ---- munmap PID ADDR [SIZE] ---- */

/* "PID ADDR [SIZE]" of the range operations: a page-aligned start. */
static int parse_range(struct op_args *a, int with_size, struct seq_buf *err)
{
	const char *op = a->argv[0];

	if (parse_pid(op, a->argv[1], &a->pid, err) ||
	    parse_addr(op, a->argv[2], &a->addr, err) ||
	    (with_size && parse_len(op, a->argv[3], &a->size, err)))
		return -EINVAL;
	if (a->addr & (PAGE_SIZE - 1)) {
		seq_printf(err, "%s: %s is not page aligned", op, a->argv[2]);
		return -EINVAL;
	}
	return 0;
}

static int parse_munmap(struct op_args *a, struct seq_buf *err)
{
	if (a->argc < 3 || a->argc > 4)
		return usage(err, "munmap PID ADDR [SIZE]");
	return parse_range(a, a->argc == 4, err);
}

static int apply_munmap(struct machine *m, struct op_args *a,
			struct seq_buf *result, struct seq_buf *err)
{
	struct task_struct *t = user_task(m, "munmap", a->pid, err);
	const struct vm_area_struct *vma;
	uint64_t len = PAGE_ALIGN(a->size);
	int rc;

	(void)result;
	if (!t)
		return -ESRCH;
	if (!len) {
		vma = find_vma(t->mm, a->addr);
		if (!vma || vma->vm_start != a->addr) {
			seq_printf(err, "munmap: no mapping starts at %#llx",
				   (unsigned long long)a->addr);
			return -EINVAL;
		}
		len = vma->vm_end - vma->vm_start;
	}
	if (a->addr >= TASK_SIZE || len > TASK_SIZE - a->addr) {
		seq_puts(err, "munmap: range beyond the user address space");
		return -EINVAL;
	}
	rc = do_munmap(m, t->mm, a->addr, len, t->cpu);
	return rc ? report(err, "munmap", rc) : 0;
}

/* ---- mprotect PID ADDR SIZE PROT ---- */

static int parse_mprotect(struct op_args *a, struct seq_buf *err)
{
	if (a->argc != 5)
		return usage(err, "mprotect PID ADDR SIZE PROT");
	if (parse_range(a, 1, err))
		return -EINVAL;
	if (parse_prot(a->argv[4], &a->vm_flags)) {
		seq_printf(err, "mprotect: bad protection '%s'", a->argv[4]);
		return -EINVAL;
	}
	return 0;
}

static int apply_mprotect(struct machine *m, struct op_args *a,
			  struct seq_buf *result, struct seq_buf *err)
{
	struct task_struct *t = user_task(m, "mprotect", a->pid, err);
	int rc;

	(void)result;
	if (!t)
		return -ESRCH;
	rc = do_mprotect(m, t->mm, a->addr, PAGE_ALIGN(a->size), a->vm_flags,
			 t->cpu);
	return rc ? report(err, "mprotect", rc) : 0;
}

/* ---- madvise PID ADDR SIZE ADVICE ---- */

enum advice {
	ADV_DONTNEED,
	ADV_FREE,
	ADV_WILLNEED,
	ADV_HUGEPAGE,
	ADV_NOHUGEPAGE,
	ADV_SEQUENTIAL,
	ADV_RANDOM,
	NR_ADVICE
};

static const char *const advice_names[NR_ADVICE] = {
	"dontneed",   "free",	    "willneed", "hugepage",
	"nohugepage", "sequential", "random",
};

static int parse_madvise(struct op_args *a, struct seq_buf *err)
{
	static const char synopsis[] =
		"madvise PID ADDR SIZE "
		"dontneed|free|willneed|hugepage|nohugepage|sequential|random";
	unsigned int i;

	if (a->argc != 5)
		return usage(err, synopsis);
	if (parse_range(a, 1, err))
		return -EINVAL;
	for (i = 0; i < NR_ADVICE; i++)
		if (!strcmp(a->argv[4], advice_names[i]))
			break;
	if (i == NR_ADVICE)
		return usage(err, synopsis);
	a->advice = i;
	return 0;
}

/*
 * MADV_WILLNEED on a file mapping: read the range into the page cache, as
 * much of it as memory allows.
 */
static int madvise_willneed(struct machine *m, struct task_struct *t,
			    uint64_t start, uint64_t end)
{
	const struct vm_area_struct *vma;
	uint64_t addr = start;
	int rc;

	while (addr < end && (vma = find_vma(t->mm, addr)) &&
	       vma->vm_start < end) {
		uint64_t lo = addr > vma->vm_start ? addr : vma->vm_start;
		uint64_t hi = end < vma->vm_end ? end : vma->vm_end;
		struct inode *inode = inode_mut(m, vma->ino);

		if (inode && inode->kind != INODE_SHMEM_ANON) {
			rc = page_cache_ra_window(
				m, inode,
				vma->vm_pgoff +
					((lo - vma->vm_start) >> PAGE_SHIFT),
				(hi - lo) >> PAGE_SHIFT, m->cpu_to_node[t->cpu],
				t->cpu);
			/*
			 * readahead allocates with __GFP_NORETRY: short of
			 * memory it stops where it is, and madvise() still
			 * returns 0
			 */
			if (rc == -ENOMEM)
				return 0;
			if (rc)
				return rc;
		}
		addr = hi;
	}
	return 0;
}

static int apply_madvise(struct machine *m, struct op_args *a,
			 struct seq_buf *result, struct seq_buf *err)
{
	struct task_struct *t = user_task(m, "madvise", a->pid, err);
	uint64_t len = PAGE_ALIGN(a->size);
	int rc;

	(void)result;
	if (!t)
		return -ESRCH;
	switch (a->advice) {
	case ADV_DONTNEED:
	case ADV_FREE:
		/* without reclaim, lazily freed pages go at once as well */
		rc = do_madvise_dontneed(m, t->mm, a->addr, len, t->cpu);
		break;
	case ADV_WILLNEED:
		rc = madvise_willneed(m, t, a->addr, a->addr + len);
		break;
	case ADV_HUGEPAGE:
		rc = do_madvise_flags(m, t->mm, a->addr, len, VM_HUGEPAGE,
				      VM_NOHUGEPAGE);
		break;
	case ADV_NOHUGEPAGE:
		rc = do_madvise_flags(m, t->mm, a->addr, len, VM_NOHUGEPAGE,
				      VM_HUGEPAGE);
		break;
	case ADV_SEQUENTIAL:
		rc = do_madvise_flags(m, t->mm, a->addr, len, VM_SEQ_READ,
				      VM_RAND_READ);
		break;
	default:
		rc = do_madvise_flags(m, t->mm, a->addr, len, VM_RAND_READ,
				      VM_SEQ_READ);
		break;
	}
	return rc ? report(err, "madvise", rc) : 0;
}

/* ---- brk PID +SIZE|-SIZE ---- */

static int parse_brk(struct op_args *a, struct seq_buf *err)
{
	uint64_t size;

	if (a->argc != 3 || (a->argv[2][0] != '+' && a->argv[2][0] != '-'))
		return usage(err, "brk PID +SIZE|-SIZE");
	if (parse_pid("brk", a->argv[1], &a->pid, err))
		return -EINVAL;
	if (parse_size(a->argv[2] + 1, &size) || size > MAX_MAP_SIZE) {
		seq_printf(err, "brk: bad size '%s'", a->argv[2]);
		return -EINVAL;
	}
	a->num = a->argv[2][0] == '-' ? -(int64_t)size : (int64_t)size;
	return 0;
}

static int apply_brk(struct machine *m, struct op_args *a,
		     struct seq_buf *result, struct seq_buf *err)
{
	struct task_struct *t = user_task(m, "brk", a->pid, err);
	uint64_t brk;
	int rc;

	if (!t)
		return -ESRCH;
	rc = do_brk(m, t->mm, a->num, t->cpu, &brk);
	if (rc)
		return report(err, "brk", rc);
	seq_printf(result, "%#llx\n", (unsigned long long)brk);
	return 0;
}

/* ---- malloc PID SIZE / free PID ADDR ---- */

static int parse_malloc(struct op_args *a, struct seq_buf *err)
{
	if (a->argc != 3)
		return usage(err, "malloc PID SIZE");
	if (parse_pid("malloc", a->argv[1], &a->pid, err) ||
	    parse_len("malloc", a->argv[2], &a->size, err))
		return -EINVAL;
	return 0;
}

/*
 * do_malloc() stopped at a header write when the OOM killer killed
 * another task: the chunk at @addr is recorded, its headers maybe not
 * written.  Write them again (a page already written takes no fault):
 * the chunk's own, and for a heap chunk the one after it if malloc wrote
 * it, that of the free remainder it split off or of the top chunk.
 */
static int malloc_finish(struct machine *m, int pid, uint64_t addr)
{
	const struct malloc_state *ms = &find_task_mut(m, pid)->mm->heap;
	const struct malloc_chunk *c = NULL, *next = NULL;
	uint64_t end;
	uint32_t i;
	int rc;

	for (i = 0; i < ms->nr_chunks && !c; i++)
		if (ms->chunks[i].addr == addr)
			c = &ms->chunks[i];
	if (!c)
		return -EAGAIN;
	if (c + 1 < ms->chunks + ms->nr_chunks)
		next = c + 1;
	/* a header is the 16 bytes below its pointer: never across a page */
	end = c->addr + c->size;
	rc = access_page_retry(m, pid, (addr - 1) & PAGE_MASK, 1);
	if (rc || c->mmapped)
		return rc;
	/* a kill moves the tasks, not this task's mm and its chunks */
	if ((next && next->addr == end && !next->in_use) ||
	    (ms->top >= addr && ms->top < end))
		rc = access_page_retry(m, pid, (end - 1) & PAGE_MASK, 1);
	return rc;
}

static int apply_malloc(struct machine *m, struct op_args *a,
			struct seq_buf *result, struct seq_buf *err)
{
	struct task_struct *t = user_task(m, "malloc", a->pid, err);
	uint64_t addr = 0;
	int rc;

	if (!t)
		return -ESRCH;
	rc = do_malloc(m, t, a->size, &addr);
	if (rc == -EAGAIN)
		rc = malloc_finish(m, a->pid, addr);
	if (rc == -EINTR)
		return oom_killed(result, "malloc", a->pid);
	if (rc)
		return report(err, "malloc", rc);
	seq_printf(result, "%#llx\n", (unsigned long long)addr);
	return 0;
}

static int parse_free(struct op_args *a, struct seq_buf *err)
{
	if (a->argc != 3)
		return usage(err, "free PID ADDR");
	if (parse_pid("free", a->argv[1], &a->pid, err) ||
	    parse_addr("free", a->argv[2], &a->addr, err))
		return -EINVAL;
	return 0;
}

static int apply_free(struct machine *m, struct op_args *a,
		      struct seq_buf *result, struct seq_buf *err)
{
	struct task_struct *t = user_task(m, "free", a->pid, err);
	int rc;

	if (!t)
		return -ESRCH;
	rc = do_free(m, t, a->addr);
	/* the OOM killer killed another task: the tasks moved, free again */
	while (rc == -EAGAIN)
		rc = do_free(m, find_task_mut(m, a->pid), a->addr);
	if (rc == -EINTR)
		return oom_killed(result, "free", a->pid);
	if (rc == -EINVAL) {
		seq_printf(err, "free: %#llx is not an allocated chunk of %d",
			   (unsigned long long)a->addr, a->pid);
		return rc;
	}
	return rc ? report(err, "free", rc) : 0;
}

/* ---- touch PID ADDR SIZE [read|write] [seq|random] [passes=N] ---- */

static const char touch_usage[] =
	"touch PID ADDR SIZE [read|write] [seq|random] [passes=N]";

static int parse_touch(struct op_args *a, struct seq_buf *err)
{
	const char *val;
	int64_t v;
	int i;

	if (a->argc < 4)
		return usage(err, touch_usage);
	if (parse_pid("touch", a->argv[1], &a->pid, err) ||
	    parse_addr("touch", a->argv[2], &a->addr, err) ||
	    parse_len("touch", a->argv[3], &a->size, err))
		return -EINVAL;
	a->write = 1;
	a->passes = 1;
	for (i = 4; i < a->argc; i++) {
		if (!strcmp(a->argv[i], "read"))
			a->write = 0;
		else if (!strcmp(a->argv[i], "write"))
			a->write = 1;
		else if (!strcmp(a->argv[i], "seq"))
			a->random = 0;
		else if (!strcmp(a->argv[i], "random"))
			a->random = 1;
		else if (parse_option(a->argv[i], "passes", &val) &&
			 !parse_s64(val, 1, MAX_TOUCH_PASSES, &v))
			a->passes = (uint32_t)v;
		else {
			seq_printf(err, "touch: bad argument '%s'; %s",
				   a->argv[i], touch_usage);
			return -EINVAL;
		}
	}
	return 0;
}

/* Every page of the range must be mapped with the access asked for. */
static int touch_range_ok(const struct mm_struct *mm, uint64_t start,
			  uint64_t end, int write)
{
	uint64_t addr = start;

	while (addr < end) {
		const struct vm_area_struct *vma = find_vma(mm, addr);

		if (!vma || vma->vm_start > addr)
			return 0;
		if (write ? !(vma->vm_flags & VM_WRITE)
			  : !(vma->vm_flags & (VM_READ | VM_EXEC)))
			return 0;
		addr = vma->vm_end;
	}
	return 1;
}

/* One reference as the CPU makes it: TLB, then page walk, then fault. */
static int touch_one(struct machine *m, struct task_struct *t, uint64_t addr,
		     int write)
{
	unsigned int shift;
	uint64_t pte;
	int rc;

	if (tlb_lookup(m, t->cpu, t, addr, write, &shift) == 1)
		return 0;
	rc = access_page(m, t, addr, write);
	if (rc)
		return rc;
	pte = lookup_pte(t->mm, addr, &shift);
	tlb_fill(m, t->cpu, t, addr, shift, !!(pte & _PAGE_RW),
		 !!(pte & _PAGE_DIRTY));
	return 0;
}

static int apply_touch(struct machine *m, struct op_args *a,
		       struct seq_buf *result, struct seq_buf *err)
{
	struct task_struct *t = user_task(m, "touch", a->pid, err);
	uint64_t start = a->addr & PAGE_MASK;
	uint64_t end = PAGE_ALIGN(a->addr + a->size);
	uint64_t pages = (end - start) >> PAGE_SHIFT, i, j, tmp;
	uint64_t *order = NULL;
	uint32_t pass;
	int rc = 0;

	(void)result;
	if (!t)
		return -ESRCH;
	if (end > TASK_SIZE || !touch_range_ok(t->mm, start, end, a->write)) {
		seq_printf(err,
			   "touch: %#llx-%#llx is not all mapped %s in %d "
			   "(SIGSEGV)",
			   (unsigned long long)start, (unsigned long long)end,
			   a->write ? "writable" : "readable", a->pid);
		return -EFAULT;
	}
	if (a->random) {
		order = malloc(pages * sizeof(*order));
		if (!order)
			return -ENOMEM;
		for (i = 0; i < pages; i++)
			order[i] = i;
	}
	switch_mm(m, t->cpu, t);
	for (pass = 0; pass < a->passes && !rc; pass++) {
		if (order) {
			for (i = pages; i > 1; i--) {
				j = prng_below(&m->prng, i);
				tmp = order[i - 1];
				order[i - 1] = order[j];
				order[j] = tmp;
			}
		}
		for (i = 0; i < pages && !rc; i++) {
			rc = touch_one(
				m, t,
				start + ((order ? order[i] : i) << PAGE_SHIFT),
				a->write);
			/* the OOM killer killed another: the same page again */
			if (rc == -EAGAIN) {
				t = find_task_mut(m, a->pid);
				switch_mm(m, t->cpu, t);
				rc = 0;
				i--;
			}
		}
	}
	free(order);
	if (rc == -EINTR)
		return oom_killed(result, "touch", a->pid);
	if (rc == -EFAULT) {
		/* past the end of a file, or a hugetlb fault with an empty pool
		 */
		seq_printf(err,
			   "touch: a fault in %d could not be served (SIGBUS)",
			   a->pid);
		return rc;
	}
	return rc ? report(err, "touch", rc) : 0;
}

/* ---- oom_score_adj PID VALUE: a write to /proc/PID/oom_score_adj ---- */

static int parse_oom_score_adj(struct op_args *a, struct seq_buf *err)
{
	if (a->argc != 3)
		return usage(err, "oom_score_adj PID VALUE");
	if (parse_pid("oom_score_adj", a->argv[1], &a->pid, err))
		return -EINVAL;
	if (parse_s64(a->argv[2], OOM_SCORE_ADJ_MIN, OOM_SCORE_ADJ_MAX,
		      &a->num)) {
		seq_printf(err, "oom_score_adj: '%s' is not in -1000..1000",
			   a->argv[2]);
		return -EINVAL;
	}
	return 0;
}

static int apply_oom_score_adj(struct machine *m, struct op_args *a,
			       struct seq_buf *result, struct seq_buf *err)
{
	struct task_struct *t = find_task_mut(m, a->pid);

	(void)result;
	if (!t) {
		seq_printf(err, "oom_score_adj: no process %d", a->pid);
		return -ESRCH;
	}
	/* kernel threads take the value too; the OOM killer skips them */
	t->oom_score_adj = (int)a->num;
	return 0;
}

/* ---- sysfs KEY=VALUE: a write to /sys/KEY ---- */

#define THP_ENABLED_KEY "kernel/mm/transparent_hugepage/enabled"
#define VMA_RA_ENABLED_KEY "kernel/mm/swap/vma_ra_enabled"

static int parse_sysfs(struct op_args *a, struct seq_buf *err)
{
	static const char *const modes[] = {
		[THP_NEVER] = "never",
		[THP_MADVISE] = "madvise",
		[THP_ALWAYS] = "always",
	};
	char *eq;
	int i, on;

	if (a->argc != 2 || !(eq = strchr(a->argv[1], '=')))
		return usage(err, "sysfs KEY=VALUE");
	*eq = '\0';
	if (!strcmp(a->argv[1], VMA_RA_ENABLED_KEY)) {
		a->name = VMA_RA_ENABLED_KEY;
		if (kstrtobool(eq + 1, &on)) {
			seq_printf(err, "sysfs: %s: '%s' is not a boolean",
				   a->argv[1], eq + 1);
			return -EINVAL;
		}
		a->num = on;
		return 0;
	}
	if (strcmp(a->argv[1], THP_ENABLED_KEY)) {
		seq_printf(err, "sysfs: %s is not a writable attribute here",
			   a->argv[1]);
		return -ENOENT;
	}
	a->name = THP_ENABLED_KEY;
	for (i = 0; i < 3; i++) {
		if (!strcmp(eq + 1, modes[i])) {
			a->num = i;
			return 0;
		}
	}
	seq_printf(err, "sysfs: %s: '%s' is not always, madvise or never",
		   a->argv[1], eq + 1);
	return -EINVAL;
}

static int apply_sysfs(struct machine *m, struct op_args *a,
		       struct seq_buf *result, struct seq_buf *err)
{
	(void)result;
	(void)err;
	if (!strcmp(a->name, VMA_RA_ENABLED_KEY))
		m->swap.vma_ra_disabled = !a->num;
	else
		m->thp_enabled = (int)a->num;
	return 0;
}

const struct op mm_ops[] = {
	{"spawn", parse_spawn, apply_spawn},
	{"fork", parse_one_pid, apply_fork},
	{"exec", parse_exec, apply_exec},
	{"exit", parse_one_pid, apply_exit},
	{"kill", parse_kill, apply_kill},
	{"mmap", parse_mmap, apply_mmap},
	{"munmap", parse_munmap, apply_munmap},
	{"mprotect", parse_mprotect, apply_mprotect},
	{"madvise", parse_madvise, apply_madvise},
	{"brk", parse_brk, apply_brk},
	{"malloc", parse_malloc, apply_malloc},
	{"free", parse_free, apply_free},
	{"touch", parse_touch, apply_touch},
	{"oom_score_adj", parse_oom_score_adj, apply_oom_score_adj},
	{"sysfs", parse_sysfs, apply_sysfs},
};

const size_t nr_mm_ops = sizeof(mm_ops) / sizeof(mm_ops[0]);
