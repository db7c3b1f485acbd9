/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cgroup v2 hierarchy (kernel/cgroup/cgroup.c): the root, the groups
 * made below it, which task is where, and the core interface files
 * (cgroup.procs, cgroup.subtree_control, ...).  The controllers hang
 * their own state on a cgroup (the memory controller: ->memcg).
 *
 * Every task belongs to exactly one cgroup, ->cgroup in task.h; a fork
 * inherits its parent's.  Groups are never renamed, so a group's path is
 * kept whole, for /proc/PID/cgroup and the OOM report.
 */
#ifndef MMSIM_CGROUP_H
#define MMSIM_CGROUP_H

#include <stddef.h>
#include <stdint.h>

#include "psi.h"

struct machine;
struct seq_buf;
struct task_struct;
struct mem_cgroup;

/*
 * The controllers bound to the default hierarchy, by the kernel's
 * subsystem ids (include/linux/cgroup_subsys.h) less the v1-only ones
 * that are inhibited on v2 (cpuacct, devices, freezer, net_cls,
 * net_prio): the order cgroup.controllers and cgroup.stat list them in.
 */
enum cgroup_subsys_id {
	cpuset_cgrp_id,
	cpu_cgrp_id,
	io_cgrp_id,
	memory_cgrp_id,
	perf_event_cgrp_id, /* implicit: in every group, never listed */
	hugetlb_cgrp_id,
	pids_cgrp_id,
	rdma_cgrp_id,
	misc_cgrp_id,
	CGROUP_SUBSYS_COUNT
};

#define CGROUP_NAME_MAX 255 /* NAME_MAX: a kernfs node's name */
/* INT_MAX: "max" in cgroup.max.depth and cgroup.max.descendants */
#define CGROUP_MAX_LIMIT 0x7fffffff

/*
 * rstat's cgroup_base_stat: CPU time in ns.  usage (sum_exec_runtime) is
 * utime + stime, as every simulated run is charged whole to one or the
 * other, so cputime_adjust() would give them back unchanged.
 */
struct cgroup_base_stat {
	uint64_t utime; /* user, nice included */
	uint64_t stime;
	uint64_t ntime; /* nice */
};

struct cgroup {
	struct cgroup *parent; /* NULL for the root */
	/* children in creation order, as the kernel's sibling lists */
	struct cgroup *children, *last_child;
	struct cgroup *next_sibling, *prev_sibling;
	const char *name; /* "" for the root */
	const char *path; /* from the root: "/", "/kubepods/pod1" */
	/*
	 * The kernfs node id (cgroup_id()): 1 for the root, then one more
	 * for each group made, never reused; it names the group in the
	 * checkpoint and is what the memory controller's ids can follow.
	 */
	uint64_t id;
	int level; /* 0 for the root */

	uint16_t subtree_control; /* enabled for the children, by the user */
	/* with the implicit controllers: what the children have a css for */
	uint16_t subtree_ss_mask;

	/*
	 * Threaded mode: the domain this group's resources are accounted to
	 * (itself unless "threaded" was written to cgroup.type), and how
	 * many children are threaded.
	 */
	struct cgroup *dom_cgrp;
	int nr_threaded_children;

	int nr_descendants, nr_dying_descendants;
	int max_descendants, max_depth; /* CGROUP_MAX_LIMIT: "max" */

	/*
	 * Populated state (cgroup_update_populated()): the tasks in this
	 * group itself, and the children with tasks somewhere below them.
	 */
	int nr_tasks;
	int nr_populated_domain_children;
	int nr_populated_threaded_children;

	/* the v2 freezer: the user's cgroup.freeze, and the effective one */
	int freeze;
	int e_freeze; /* how many of it and its ancestors are frozen */
	uint64_t freeze_start_ns; /* when e_freeze last became non-zero */
	uint64_t frozen_ns; /* frozen time before that: cgroup.stat.local */
	int psi_enabled; /* cgroup.pressure */
	/* its tasks' stalls, memory.pressure (the root's is m->psi) */
	struct psi_group psi;
	/*
	 * cgrp->bstat: the CPU time its tasks and its descendants' ran,
	 * kept when they exit or move, and in the parent's after rmdir
	 * (cpu.stat).  Not kept for the root, whose cpu.stat is the
	 * system's (root_cgroup_cputime()).
	 */
	struct cgroup_base_stat bstat;

	/*
	 * The memory controller's state, when it has a css here (memory in
	 * the parent's subtree_ss_mask, or the root); NULL until then.
	 */
	struct mem_cgroup *memcg;
};

/*
 * Whether controller @ssid has a css in @cgrp (the root has them all; a
 * child those in its parent's subtree_ss_mask), and the nearest group at
 * or above @cgrp that has one (cgroup_e_css()): the group a task's
 * charges go to.
 */
int cgroup_has_css(const struct cgroup *cgrp, enum cgroup_subsys_id ssid);
struct cgroup *cgroup_e_css(struct cgroup *cgrp, enum cgroup_subsys_id ssid);

/* Set up the root cgroup of a new machine; free the hierarchy. */
void cgroup_init(struct machine *m);
void cgroup_exit(struct machine *m);

struct cgroup *cgroup_root(struct machine *m);

/*
 * The group at @path below the root ("/", "a/b", "/a/b"): 0 and *@out,
 * -ENOENT, or -EINVAL for a path that is not a plain one ("a//b", "..").
 */
int cgroup_lookup(const struct machine *m, const char *path,
		  struct cgroup **out);

/* Whether @name is one the hierarchy can take as a group's name. */
int cgroup_name_valid(const char *name);

/*
 * mkdir(2) and rmdir(2) on the hierarchy (cgroup_mkdir(),
 * cgroup_rmdir()), with their errnos; nothing changes on an error.
 */
int cgroup_mkdir(struct machine *m, const char *path);
int cgroup_rmdir(struct machine *m, const char *path);

/*
 * A write of @value (blanks at either end already stripped, as
 * strstrip() does) to @file of @cgrp, with the kernel's checks and
 * errnos; nothing changes on an error.  -ENOENT for a file the group
 * does not have, -EACCES for one that takes no writes.
 */
int cgroup_file_write(struct machine *m, struct cgroup *cgrp, const char *file,
		      const char *value);

/*
 * Whether @dst may take tasks (cgroup_migrate_vet_dst()): 0, -EBUSY
 * under the no-internal-process rule, -EOPNOTSUPP for an invalid domain.
 */
int cgroup_migrate_vet_dst(const struct cgroup *dst);
/* Move task @pid to @dst, as a write to cgroup.procs (@threadgroup) does. */
int cgroup_attach_pid(struct machine *m, struct cgroup *dst, int pid,
		      int threadgroup);

/* Task lifetime: fork inherits (@child is fresh), exit leaves. */
void cgroup_fork(struct machine *m, struct task_struct *child,
		 const struct task_struct *parent);
void cgroup_exit_task(struct machine *m, struct task_struct *t);

/*
 * The group whose stalls the work that follows is (m->current_cgrp): a
 * task's t->cgroup, or NULL for none; returns the one before, to be put
 * back.
 */
struct cgroup *set_current_cgroup(struct machine *m, struct cgroup *cgrp);

/* A task's group; the root's for a task not yet placed. */
const struct cgroup *task_cgroup(const struct machine *m,
				 const struct task_struct *t);
int cgroup_is_populated(const struct cgroup *cgrp);
int cgroup_is_threaded(const struct cgroup *cgrp);
/*
 * __cgroup_account_cputime_field(): @ns of the CPU time of task @t, of
 * kind @index (an enum cpu_usage_stat), to its group and every group
 * above it but the root.
 */
void cgroup_account_cputime_field(struct task_struct *t, int index,
				  uint64_t ns);
/* Whether task @t is frozen by the v2 freezer (it does not run). */
int cgroup_task_frozen(const struct task_struct *t);

/* Pre-order walk: the next group after @pos below @root, or NULL. */
struct cgroup *cgroup_next_descendant_pre(struct cgroup *pos,
					  struct cgroup *root);

/* @root and every group below it, parents before children. */
#define cgroup_for_each_descendant_pre(pos, root)                   \
	for ((pos) = cgroup_next_descendant_pre(NULL, root); (pos); \
	     (pos) = cgroup_next_descendant_pre(pos, root))

/* The core files of a group, in the order the kernel creates them. */
struct cgroup_file_info {
	const char *name;
	unsigned int mode; /* 0444, 0644 or 0200 */
};
/* The @i-th core file of @cgrp (some are not on the root), or NULL. */
const struct cgroup_file_info *cgroup_file(const struct cgroup *cgrp, int i);
/* The resource a *.pressure stall file shows, or -1 for another file. */
int cgroup_psi_file(const char *file);
/* Render @file of @cgrp: 0, -ENOENT, or the kernel's errno for a read. */
int cgroup_file_show(const struct machine *m, const struct cgroup *cgrp,
		     const char *file, struct seq_buf *s);

/*
 * The hierarchy in the checkpoint: groups in pre-order with their
 * settings (@put/@get as tlb_save()); task membership is saved with
 * each task as its group's id.  cgroup_load() reads into a machine
 * whose root is fresh; cgroup_rebuild() recounts what follows from
 * the tasks once they are loaded.
 */
void cgroup_save(const struct machine *m, void (*put)(void *ctx, uint64_t v),
		 void *ctx);
int cgroup_load(struct machine *m, uint64_t (*get)(void *ctx), void *ctx);
struct cgroup *cgroup_by_id(const struct machine *m, uint64_t id);
void cgroup_rebuild(struct machine *m);

/*
 * The invariants mmsim check verifies: every task in a live group, the
 * populated counts equal to what the tasks give, no task in a non-root
 * domain group with domain controllers in its subtree_control, the CPU
 * times as cgroup_cputime_check() and the live tasks' within the
 * system's.  0, or -EBADMSG with the first broken one in @why.
 */
int cgroup_check(const struct machine *m, char *why, size_t size);
/*
 * What the loader can check of the groups' CPU times: nice within user,
 * and no group's children more between them than the group has (the
 * root has the system's).  0, or -EBADMSG with the reason in @why.
 */
int cgroup_cputime_check(const struct machine *m, char *why, size_t size);

#endif
