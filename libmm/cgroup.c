// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroup v2 hierarchy, after kernel/cgroup/cgroup.c and freezer.c:
 * groups made and removed as mkdir and rmdir do, tasks moved by a write
 * to cgroup.procs, controllers handed down with cgroup.subtree_control,
 * threaded subtrees, the limits on depth and descendants, the freezer
 * and cgroup.kill.  Each write handler checks everything it can refuse
 * before it changes anything, so a refused write leaves no trace.
 *
 * A v2 css_set is fixed by the cgroup alone, so the kernel's per-css_set
 * bookkeeping reduces here to a task count per group: nr_populated_csets
 * is "nr_tasks > 0".
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "fork.h"
#include "kstrtox.h"
#include "machine.h"
#include "memcontrol.h"
#include "seq_buf.h"
#include "vmscan.h"

#define SS_BIT(id) ((uint16_t)(1U << (id)))
#define NSEC_PER_USEC 1000ULL

/* What each bound controller is, as its cgroup_subsys declares it. */
static const struct {
	const char *name;
	int threaded; /* may be enabled inside a threaded subtree */
	int implicit; /* implicit_on_dfl: everywhere, never listed */
} subsys[CGROUP_SUBSYS_COUNT] = {
	[cpuset_cgrp_id] = {"cpuset", 1, 0},
	[cpu_cgrp_id] = {"cpu", 1, 0},
	[io_cgrp_id] = {"io", 0, 0},
	[memory_cgrp_id] = {"memory", 0, 0},
	[perf_event_cgrp_id] = {"perf_event", 1, 1},
	[hugetlb_cgrp_id] = {"hugetlb", 0, 0},
	[pids_cgrp_id] = {"pids", 1, 0},
	[rdma_cgrp_id] = {"rdma", 0, 0},
	[misc_cgrp_id] = {"misc", 0, 0},
};

static uint16_t ss_mask_where(int threaded, int implicit)
{
	uint16_t mask = 0;
	int ssid;

	for (ssid = 0; ssid < CGROUP_SUBSYS_COUNT; ssid++)
		if ((threaded && subsys[ssid].threaded) ||
		    (implicit && subsys[ssid].implicit))
			mask |= SS_BIT(ssid);
	return mask;
}

/* cgrp_dfl_threaded_ss_mask and cgrp_dfl_implicit_ss_mask */
static uint16_t threaded_ss_mask(void)
{
	return ss_mask_where(1, 0);
}

static uint16_t implicit_ss_mask(void)
{
	return ss_mask_where(0, 1);
}

/* The root's subsys_mask: every controller bound to the hierarchy. */
static uint16_t root_ss_mask(void)
{
	return (uint16_t)(SS_BIT(CGROUP_SUBSYS_COUNT) - 1);
}

struct cgroup *cgroup_root(struct machine *m)
{
	return &m->cgrp_root;
}

void cgroup_init(struct machine *m)
{
	struct cgroup *root = &m->cgrp_root;

	memset(root, 0, sizeof(*root));
	root->name = "";
	root->path = "/";
	root->id = 1; /* the kernfs root's inode */
	root->dom_cgrp = root;
	root->max_descendants = CGROUP_MAX_LIMIT;
	root->max_depth = CGROUP_MAX_LIMIT;
	root->psi_enabled = 1;
	root->subtree_ss_mask = implicit_ss_mask();
	m->cgroup_last_id = 1;
}

static void cgroup_free_one(struct cgroup *cgrp)
{
	free((char *)cgrp->name);
	free((char *)cgrp->path);
	free(cgrp);
}

/* Post-order, so that children go before their parent. */
static void cgroup_free_subtree(struct cgroup *cgrp)
{
	struct cgroup *child = cgrp->children, *next;

	for (; child; child = next) {
		next = child->next_sibling;
		cgroup_free_subtree(child);
		cgroup_free_one(child);
	}
	cgrp->children = cgrp->last_child = NULL;
}

void cgroup_exit(struct machine *m)
{
	cgroup_free_subtree(&m->cgrp_root);
}

struct cgroup *cgroup_next_descendant_pre(struct cgroup *pos,
					  struct cgroup *root)
{
	if (!pos)
		return root;
	if (pos->children)
		return pos->children;
	while (pos != root) {
		if (pos->next_sibling)
			return pos->next_sibling;
		pos = pos->parent;
	}
	return NULL;
}

/* ---- the state predicates of kernel/cgroup/cgroup.c ---- */

int cgroup_is_threaded(const struct cgroup *cgrp)
{
	return cgrp->dom_cgrp != cgrp;
}

static int cgroup_has_tasks(const struct cgroup *cgrp)
{
	return cgrp->nr_tasks > 0;
}

int cgroup_is_populated(const struct cgroup *cgrp)
{
	return cgrp->nr_tasks + cgrp->nr_populated_domain_children +
		       cgrp->nr_populated_threaded_children >
	       0;
}

/* The root is exempt from the no-internal-process rule. */
static int cgroup_is_mixable(const struct cgroup *cgrp)
{
	return !cgrp->parent;
}

static int cgroup_can_be_thread_root(const struct cgroup *cgrp)
{
	if (cgroup_is_mixable(cgrp))
		return 1;
	if (cgroup_is_threaded(cgrp))
		return 0;
	/* either domain or threaded children, never both */
	if (cgrp->nr_populated_domain_children)
		return 0;
	return !(cgrp->subtree_control & ~threaded_ss_mask());
}

static int cgroup_is_thread_root(const struct cgroup *cgrp)
{
	if (cgroup_is_threaded(cgrp))
		return 0;
	if (cgrp->nr_threaded_children)
		return 1;
	/* tasks and threaded controllers make a domain a thread root */
	return cgroup_has_tasks(cgrp) &&
	       (cgrp->subtree_control & threaded_ss_mask());
}

/* A domain that cannot reach the root without a thread root in between. */
static int cgroup_is_valid_domain(const struct cgroup *cgrp)
{
	if (cgroup_is_threaded(cgrp))
		return 0;
	while ((cgrp = cgrp->parent)) {
		if (!cgroup_is_mixable(cgrp) && cgroup_is_thread_root(cgrp))
			return 0;
		if (cgroup_is_threaded(cgrp))
			return 0;
	}
	return 1;
}

/* cgroup_control(): what cgroup.controllers lists. */
static uint16_t cgroup_control(const struct cgroup *cgrp)
{
	uint16_t mask;

	if (!cgrp->parent)
		return root_ss_mask() & ~implicit_ss_mask();
	mask = cgrp->parent->subtree_control;
	if (cgroup_is_threaded(cgrp))
		mask &= threaded_ss_mask();
	return mask;
}

/* cgroup_ss_mask(): the controllers that have a css in @cgrp. */
static uint16_t cgroup_ss_mask(const struct cgroup *cgrp)
{
	uint16_t mask;

	if (!cgrp->parent)
		return root_ss_mask();
	mask = cgrp->parent->subtree_ss_mask;
	if (cgroup_is_threaded(cgrp))
		mask &= threaded_ss_mask();
	return mask;
}

int cgroup_has_css(const struct cgroup *cgrp, enum cgroup_subsys_id ssid)
{
	return !!(cgroup_ss_mask(cgrp) & SS_BIT(ssid));
}

struct cgroup *cgroup_e_css(struct cgroup *cgrp, enum cgroup_subsys_id ssid)
{
	while (!cgroup_has_css(cgrp, ssid))
		cgrp = cgrp->parent;
	return cgrp;
}

/*
 * cgroup_calc_subtree_ss_mask(): what the user enabled plus the implicit
 * controllers, within what the group itself has (no controller here
 * depends on another).
 */
static void cgroup_update_subtree_ss_mask(struct cgroup *cgrp)
{
	cgrp->subtree_ss_mask = (cgrp->subtree_control | implicit_ss_mask()) &
				cgroup_ss_mask(cgrp);
}

/* ---- paths ---- */

int cgroup_name_valid(const char *name)
{
	size_t len = strlen(name);
	const char *p;

	if (!len || len > CGROUP_NAME_MAX)
		return 0;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	/*
	 * The kernel refuses '\n' only, to keep /proc/PID/cgroup parseable;
	 * the journal's operations are words, so no blank either.
	 */
	for (p = name; *p; p++)
		if (*p == '/' || isspace((unsigned char)*p) ||
		    iscntrl((unsigned char)*p))
			return 0;
	return 1;
}

static struct cgroup *find_child(const struct cgroup *parent, const char *name,
				 size_t len)
{
	struct cgroup *c;

	for (c = parent->children; c; c = c->next_sibling)
		if (strlen(c->name) == len && !memcmp(c->name, name, len))
			return c;
	return NULL;
}

/*
 * Walk @path from the root.  The last component is left to the caller
 * when @last is given: *@last points at it and the group returned is
 * its parent.
 */
static int walk_path(const struct machine *m, const char *path,
		     struct cgroup **out, const char **last)
{
	struct cgroup *cgrp = (struct cgroup *)&m->cgrp_root;
	const char *p = path, *slash;
	size_t len;

	while (*p == '/')
		p++;
	if (!*p) {
		if (last)
			return -EEXIST; /* the root has no name to make */
		*out = cgrp;
		return 0;
	}
	for (;;) {
		slash = strchr(p, '/');
		len = slash ? (size_t)(slash - p) : strlen(p);
		if (!len || (len == 1 && p[0] == '.') ||
		    (len == 2 && p[0] == '.' && p[1] == '.'))
			return -EINVAL;
		if (len > CGROUP_NAME_MAX)
			return -ENAMETOOLONG;
		/* a trailing slash, as in "a/b/", ends the path */
		if (!slash || !slash[1]) {
			if (last) {
				*last = p;
				*out = cgrp;
				return 0;
			}
		}
		cgrp = find_child(cgrp, p, len);
		if (!cgrp)
			return -ENOENT;
		if (!slash || !slash[1])
			break;
		p = slash + 1;
	}
	*out = cgrp;
	return 0;
}

int cgroup_lookup(const struct machine *m, const char *path,
		  struct cgroup **out)
{
	return walk_path(m, path, out, NULL);
}

struct cgroup *cgroup_by_id(const struct machine *m, uint64_t id)
{
	struct cgroup *root = (struct cgroup *)&m->cgrp_root, *pos;

	cgroup_for_each_descendant_pre (pos, root)
		if (pos->id == id)
			return pos;
	return NULL;
}

/* ---- populated state: cgroup_update_populated() ---- */

static void cgroup_update_populated(struct cgroup *cgrp, int populated)
{
	struct cgroup *child = NULL;
	int adj = populated ? 1 : -1;

	do {
		int was_populated = cgroup_is_populated(cgrp);

		if (!child)
			cgrp->nr_tasks += adj;
		else if (cgroup_is_threaded(child))
			cgrp->nr_populated_threaded_children += adj;
		else
			cgrp->nr_populated_domain_children += adj;
		/* only a change of state travels up */
		if (was_populated == cgroup_is_populated(cgrp))
			break;
		child = cgrp;
		cgrp = cgrp->parent;
	} while (cgrp);
}

static void cgroup_link_task(struct task_struct *t, struct cgroup *cgrp)
{
	t->cgroup = cgrp;
	cgroup_update_populated(cgrp, 1);
}

static void cgroup_unlink_task(struct task_struct *t)
{
	cgroup_update_populated(t->cgroup, 0);
	t->cgroup = NULL;
}

const struct cgroup *task_cgroup(const struct machine *m,
				 const struct task_struct *t)
{
	return t->cgroup ? t->cgroup : &m->cgrp_root;
}

struct cgroup *set_current_cgroup(struct machine *m, struct cgroup *cgrp)
{
	struct cgroup *old = m->current_cgrp;

	m->current_cgrp = cgrp;
	return old;
}

int cgroup_task_frozen(const struct task_struct *t)
{
	/* the freezer leaves kernel threads alone */
	return !t->kthread && t->cgroup && t->cgroup->e_freeze > 0;
}

void cgroup_account_cputime_field(struct task_struct *t, int index, uint64_t ns)
{
	struct cgroup *cgrp;

	/*
	 * rstat flushes a group's time into its parent's when read; adding
	 * it all the way up at once gives the same totals.
	 */
	for (cgrp = t->cgroup; cgrp && cgrp->parent; cgrp = cgrp->parent) {
		switch (index) {
		case CPUTIME_NICE:
			cgrp->bstat.ntime += ns;
			/* fallthrough */
		case CPUTIME_USER:
			cgrp->bstat.utime += ns;
			break;
		case CPUTIME_SYSTEM:
		case CPUTIME_IRQ:
		case CPUTIME_SOFTIRQ:
			cgrp->bstat.stime += ns;
			break;
		default:
			break;
		}
	}
}

void cgroup_fork(struct machine *m, struct task_struct *child,
		 const struct task_struct *parent)
{
	cgroup_link_task(child, parent && parent->cgroup ? parent->cgroup
							 : &m->cgrp_root);
}

void cgroup_exit_task(struct machine *m, struct task_struct *t)
{
	(void)m;
	if (t->cgroup)
		cgroup_unlink_task(t);
}

/* ---- mkdir and rmdir ---- */

/* cgroup_check_hierarchy_limits(): -EAGAIN past a limit on the way up. */
static int cgroup_check_hierarchy_limits(const struct cgroup *parent)
{
	const struct cgroup *cgrp;
	int level = 0;

	for (cgrp = parent; cgrp; cgrp = cgrp->parent) {
		if (cgrp->nr_descendants >= cgrp->max_descendants)
			return -EAGAIN;
		if (level >= cgrp->max_depth)
			return -EAGAIN;
		level++;
	}
	return 0;
}

static char *join_path(const struct cgroup *parent, const char *name)
{
	size_t plen = strlen(parent->path), nlen = strlen(name);
	char *path = malloc(plen + nlen + 2);

	if (!path)
		return NULL;
	memcpy(path, parent->path, plen);
	if (parent->parent)
		path[plen++] = '/';
	memcpy(path + plen, name, nlen + 1);
	return path;
}

/* @cgrp becomes @parent's last child, and a descendant of its line. */
static void cgroup_link_child(struct cgroup *parent, struct cgroup *cgrp)
{
	struct cgroup *pos;

	cgrp->prev_sibling = parent->last_child;
	if (parent->last_child)
		parent->last_child->next_sibling = cgrp;
	else
		parent->children = cgrp;
	parent->last_child = cgrp;
	for (pos = parent; pos; pos = pos->parent)
		pos->nr_descendants++;
}

int cgroup_mkdir(struct machine *m, const char *path)
{
	struct cgroup *parent, *cgrp;
	const char *last;
	char name[CGROUP_NAME_MAX + 1];
	size_t len;
	int rc;

	rc = walk_path(m, path, &parent, &last);
	if (rc)
		return rc;
	len = strcspn(last, "/");
	memcpy(name, last, len);
	name[len] = '\0';
	if (!cgroup_name_valid(name))
		return -EINVAL;
	/* a group or one of the core files of the parent */
	if (find_child(parent, name, len))
		return -EEXIST;
	for (rc = 0; cgroup_file(parent, rc); rc++)
		if (!strcmp(cgroup_file(parent, rc)->name, name))
			return -EEXIST;
	rc = cgroup_check_hierarchy_limits(parent);
	if (rc)
		return rc;
	/* a memory css of its own is charged to the parent's group */
	if (parent->subtree_ss_mask & SS_BIT(memory_cgrp_id)) {
		rc = mem_cgroup_css_make_room(m, parent->memcg);
		if (rc)
			return rc;
	}

	cgrp = calloc(1, sizeof(*cgrp));
	if (!cgrp)
		return -ENOMEM;
	cgrp->name = strdup(name);
	cgrp->path = join_path(parent, name);
	if (!cgrp->name || !cgrp->path) {
		cgroup_free_one(cgrp);
		return -ENOMEM;
	}
	cgrp->parent = parent;
	cgrp->id = ++m->cgroup_last_id;
	cgrp->level = parent->level + 1;
	/* a new group is a domain, even below a thread root */
	cgrp->dom_cgrp = cgrp;
	cgrp->max_descendants = CGROUP_MAX_LIMIT;
	cgrp->max_depth = CGROUP_MAX_LIMIT;
	cgrp->psi_enabled = 1;
	/* its averages start at the period under way */
	cgrp->psi.avg_last_update = m->clock_ns - m->clock_ns % PSI_PERIOD_NS;
	/* a child of a frozen group is born frozen */
	cgrp->e_freeze = parent->e_freeze;
	if (cgrp->e_freeze)
		cgrp->freeze_start_ns = m->clock_ns;
	cgroup_update_subtree_ss_mask(cgrp);

	cgroup_link_child(parent, cgrp);
	return mem_cgroup_sync_css(m);
}

int cgroup_rmdir(struct machine *m, const char *path)
{
	struct cgroup *cgrp, *tmp, *parent;
	int rc;

	rc = cgroup_lookup(m, path, &cgrp);
	if (rc)
		return rc;
	/* the root is the mount point */
	if (!cgrp->parent)
		return -EBUSY;
	/* cgroup_destroy_locked(): no tasks below, no live children */
	if (cgroup_is_populated(cgrp) || cgrp->children)
		return -EBUSY;

	parent = cgrp->parent;
	if (cgroup_is_threaded(cgrp))
		parent->nr_threaded_children--;
	for (tmp = parent; tmp; tmp = tmp->parent)
		tmp->nr_descendants--;
	if (cgrp->prev_sibling)
		cgrp->prev_sibling->next_sibling = cgrp->next_sibling;
	else
		parent->children = cgrp->next_sibling;
	if (cgrp->next_sibling)
		cgrp->next_sibling->prev_sibling = cgrp->prev_sibling;
	else
		parent->last_child = cgrp->prev_sibling;
	/*
	 * Its memcg's pages go to the parent's (memcontrol.c), so nothing
	 * holds a css of the empty group: it is released at once instead
	 * of lingering among the dying descendants.
	 */
	mem_cgroup_css_free(m, cgrp);
	cgroup_free_one(cgrp);
	return 0;
}

/* ---- moving tasks: cgroup.procs and cgroup.threads ---- */

int cgroup_migrate_vet_dst(const struct cgroup *dst)
{
	if (!cgroup_is_valid_domain(dst->dom_cgrp))
		return -EOPNOTSUPP;
	/* a thread root, or one that can become one, takes tasks */
	if (cgroup_can_be_thread_root(dst) || cgroup_is_threaded(dst))
		return 0;
	/* the no-internal-process rule */
	if (dst->subtree_control)
		return -EBUSY;
	return 0;
}

int cgroup_attach_pid(struct machine *m, struct cgroup *dst, int pid,
		      int threadgroup)
{
	struct task_struct *t;
	struct cgroup *src;
	int rc;

	/* "0" is the writer itself, which is no task of this machine */
	if (pid <= 0)
		return pid < 0 ? -EINVAL : -ESRCH;
	t = find_task_mut(m, pid);
	if (!t)
		return -ESRCH;
	/*
	 * Kernel threads are bound to their CPUs (PF_NO_SETAFFINITY), which
	 * cgroup_procs_write_start() refuses.
	 */
	if (t->kthread)
		return -EINVAL;
	src = t->cgroup ? t->cgroup : &m->cgrp_root;
	rc = cgroup_migrate_vet_dst(dst);
	if (rc)
		return rc;
	if (!threadgroup && src->dom_cgrp != dst->dom_cgrp)
		return -EOPNOTSUPP;
	if (src == dst)
		return 0;
	if (t->cgroup)
		cgroup_unlink_task(t);
	cgroup_link_task(t, dst);
	return 0;
}

/* ---- the write handlers ---- */

/* cgroup_vet_subtree_control_enable() */
static int cgroup_vet_subtree_control_enable(const struct cgroup *cgrp,
					     uint16_t enable)
{
	uint16_t domain_enable = enable & ~threaded_ss_mask();

	if (!enable)
		return 0;
	if (!cgroup_is_valid_domain(cgrp->dom_cgrp))
		return -EOPNOTSUPP;
	if (cgroup_is_mixable(cgrp))
		return 0;
	if (domain_enable) {
		/* no domain controllers inside a thread subtree */
		if (cgroup_is_thread_root(cgrp) || cgroup_is_threaded(cgrp))
			return -EOPNOTSUPP;
	} else if (cgroup_can_be_thread_root(cgrp) ||
		   cgroup_is_threaded(cgrp)) {
		/* threaded controllers live with internal tasks */
		return 0;
	}
	/* children would compete with the group's own tasks */
	if (cgroup_has_tasks(cgrp))
		return -EBUSY;
	return 0;
}

/* The masks of the subtree below @cgrp follow its subtree_control. */
static void cgroup_apply_control(struct cgroup *cgrp)
{
	struct cgroup *pos;

	cgroup_for_each_descendant_pre (pos, cgrp)
		cgroup_update_subtree_ss_mask(pos);
}

static int subtree_control_write(struct cgroup *cgrp, const char *value)
{
	uint16_t enable = 0, disable = 0;
	const char *p = value, *tok;
	struct cgroup *child;
	size_t len;
	int ssid;

	/* tokens separated by single spaces, as strsep(&buf, " ") */
	while (p) {
		tok = p;
		p = strchr(p, ' ');
		len = p ? (size_t)(p - tok) : strlen(tok);
		if (p)
			p++;
		if (!len)
			continue;
		for (ssid = 0; ssid < CGROUP_SUBSYS_COUNT; ssid++) {
			if (strlen(subsys[ssid].name) != len - 1 ||
			    memcmp(tok + 1, subsys[ssid].name, len - 1))
				continue;
			if (*tok == '+') {
				enable |= SS_BIT(ssid);
				disable &= ~SS_BIT(ssid);
			} else if (*tok == '-') {
				disable |= SS_BIT(ssid);
				enable &= ~SS_BIT(ssid);
			} else {
				return -EINVAL;
			}
			break;
		}
		if (ssid == CGROUP_SUBSYS_COUNT)
			return -EINVAL;
	}

	for (ssid = 0; ssid < CGROUP_SUBSYS_COUNT; ssid++) {
		if (enable & SS_BIT(ssid)) {
			if (cgrp->subtree_control & SS_BIT(ssid)) {
				enable &= ~SS_BIT(ssid);
				continue;
			}
			/* only what the parent hands down */
			if (!(cgroup_control(cgrp) & SS_BIT(ssid)))
				return -ENOENT;
		} else if (disable & SS_BIT(ssid)) {
			if (!(cgrp->subtree_control & SS_BIT(ssid))) {
				disable &= ~SS_BIT(ssid);
				continue;
			}
			/* still handed on by a child */
			for (child = cgrp->children; child;
			     child = child->next_sibling)
				if (child->subtree_control & SS_BIT(ssid))
					return -EBUSY;
		}
	}
	if (!enable && !disable)
		return 0;
	ssid = cgroup_vet_subtree_control_enable(cgrp, enable);
	if (ssid)
		return ssid;
	cgrp->subtree_control |= enable;
	cgrp->subtree_control &= (uint16_t)~disable;
	cgroup_apply_control(cgrp);
	return 0;
}

/* cgroup_enable_threaded(): "threaded" written to cgroup.type */
static int cgroup_type_write(struct cgroup *cgrp, const char *value)
{
	struct cgroup *parent = cgrp->parent, *dom = parent->dom_cgrp, *pos;

	if (strcmp(value, "threaded"))
		return -EINVAL;
	if (cgroup_is_threaded(cgrp))
		return 0;
	if (cgroup_is_populated(cgrp) ||
	    (cgrp->subtree_control & ~threaded_ss_mask()))
		return -EOPNOTSUPP;
	/* joining the parent's domain, which must be able to host it */
	if (!cgroup_is_valid_domain(dom) || !cgroup_can_be_thread_root(dom))
		return -EOPNOTSUPP;
	cgroup_for_each_descendant_pre (pos, cgrp)
		if (pos == cgrp || cgroup_is_threaded(pos))
			pos->dom_cgrp = dom;
	parent->nr_threaded_children++;
	cgroup_apply_control(cgrp);
	return 0;
}

/* "max" or a non-negative int: cgroup.max.depth, cgroup.max.descendants */
static int max_write(int *limit, const char *value)
{
	int v, rc;

	if (!strcmp(value, "max")) {
		v = CGROUP_MAX_LIMIT;
	} else {
		rc = kstrtoint(value, &v);
		if (rc)
			return rc;
	}
	if (v < 0)
		return -ERANGE;
	*limit = v;
	return 0;
}

/* cgroup_freeze(): the group and every group below it. */
static void cgroup_freeze(struct machine *m, struct cgroup *cgrp, int freeze)
{
	struct cgroup *pos;

	if (cgrp->freeze == freeze)
		return;
	cgrp->freeze = freeze;
	cgroup_for_each_descendant_pre (pos, cgrp) {
		if (freeze) {
			/* already frozen by an ancestor: nothing changes */
			if (pos->e_freeze++)
				continue;
			pos->freeze_start_ns = m->clock_ns;
		} else {
			if (--pos->e_freeze)
				continue;
			pos->frozen_ns += m->clock_ns - pos->freeze_start_ns;
		}
	}
}

static int freeze_write(struct machine *m, struct cgroup *cgrp,
			const char *value)
{
	int v, rc;

	rc = kstrtoint(value, &v);
	if (rc)
		return rc;
	if (v < 0 || v > 1)
		return -ERANGE;
	cgroup_freeze(m, cgrp, v);
	return 0;
}

/*
 * cgroup_kill(): SIGKILL to every process of the subtree.  Init and
 * kernel threads ignore it, as SIGNAL_UNKILLABLE and PF_KTHREAD make
 * them.  The pids are gathered first: an exit moves the task table.
 */
static int kill_write(struct machine *m, struct cgroup *cgrp, const char *value)
{
	int v, rc, i, n = 0, *pids;
	const struct cgroup *c;

	rc = kstrtoint(value, &v);
	if (rc)
		return rc;
	if (v != 1)
		return -ERANGE;
	if (cgroup_is_threaded(cgrp))
		return -EOPNOTSUPP;
	pids = malloc((size_t)(m->nr_tasks ? m->nr_tasks : 1) * sizeof(*pids));
	if (!pids)
		return -ENOMEM;
	for (i = 0; i < m->nr_tasks; i++) {
		const struct task_struct *t = &m->tasks[i];

		if (t->kthread || t->pid == 1)
			continue;
		for (c = t->cgroup; c && c != cgrp; c = c->parent)
			;
		if (c)
			pids[n++] = t->pid;
	}
	for (i = 0, rc = 0; i < n && !rc; i++)
		rc = do_exit(m, pids[i]);
	free(pids);
	return rc;
}

static int pressure_write(struct cgroup *cgrp, const char *value)
{
	int v, rc;

	rc = kstrtoint(value, &v);
	if (rc)
		return rc;
	if (v < 0 || v > 1)
		return -ERANGE;
	cgrp->psi_enabled = v;
	return 0;
}

static int procs_write(struct machine *m, struct cgroup *cgrp,
		       const char *value, int threadgroup)
{
	int pid, rc;

	rc = kstrtoint(value, &pid);
	if (rc)
		return rc;
	return cgroup_attach_pid(m, cgrp, pid, threadgroup);
}

static struct mem_cgroup *cgroup_memcg(const struct cgroup *cgrp);
static int memory_file_write(struct machine *m, struct mem_cgroup *memcg,
			     const char *file, const char *value);

int cgroup_file_write(struct machine *m, struct cgroup *cgrp, const char *file,
		      const char *value)
{
	const struct cgroup_file_info *f = NULL;
	int i;

	for (i = 0; cgroup_file(cgrp, i); i++)
		if (!strcmp(cgroup_file(cgrp, i)->name, file))
			f = cgroup_file(cgrp, i);
	if (!f)
		return -ENOENT;
	if (!(f->mode & 0200))
		return -EACCES;
	if (!strcmp(file, "cgroup.procs"))
		return procs_write(m, cgrp, value, 1);
	if (!strcmp(file, "cgroup.threads"))
		return procs_write(m, cgrp, value, 0);
	if (!strcmp(file, "cgroup.subtree_control"))
		return subtree_control_write(cgrp, value) ?: mem_cgroup_sync_css(m);
	if (!strcmp(file, "cgroup.type"))
		return cgroup_type_write(cgrp, value) ?: mem_cgroup_sync_css(m);
	if (!strcmp(file, "cgroup.max.descendants"))
		return max_write(&cgrp->max_descendants, value);
	if (!strcmp(file, "cgroup.max.depth"))
		return max_write(&cgrp->max_depth, value);
	if (!strcmp(file, "cgroup.freeze"))
		return freeze_write(m, cgrp, value);
	if (!strcmp(file, "cgroup.kill"))
		return kill_write(m, cgrp, value);
	if (!strcmp(file, "cgroup.pressure"))
		return pressure_write(cgrp, value);
	/*
	 * A PSI trigger lives with the open file that wrote it, so no
	 * operation can register one (cgroupfs answers a write to the file).
	 */
	if (cgroup_psi_file(file) >= 0)
		return -EOPNOTSUPP;
	if (!strncmp(file, "memory.", 7))
		return memory_file_write(m, cgroup_memcg(cgrp), file, value);
	return -EACCES;
}

/* ---- the files ---- */

#define NOT_ON_ROOT 1
#define PSI_FILE 4 /* a *.pressure file */

static const struct {
	struct cgroup_file_info info;
	int flags;
} core_files[] = {
	/* cgroup_base_files[] */
	{{"cgroup.type", 0644}, NOT_ON_ROOT},
	{{"cgroup.procs", 0644}, 0},
	{{"cgroup.threads", 0644}, 0},
	{{"cgroup.controllers", 0444}, 0},
	{{"cgroup.subtree_control", 0644}, 0},
	{{"cgroup.events", 0444}, NOT_ON_ROOT},
	{{"cgroup.max.descendants", 0644}, 0},
	{{"cgroup.max.depth", 0644}, 0},
	{{"cgroup.stat", 0444}, 0},
	{{"cgroup.stat.local", 0444}, NOT_ON_ROOT},
	{{"cgroup.freeze", 0644}, NOT_ON_ROOT},
	{{"cgroup.kill", 0200}, NOT_ON_ROOT},
	{{"cpu.stat", 0444}, 0},
	{{"cpu.stat.local", 0444}, 0},
	/*
	 * cgroup_psi_files[]: the stall files, hidden while cgroup.pressure
	 * is 0, then the switch.  The root's are the system's.  Only memory
	 * stalls are simulated: io and cpu read as without such stalls.
	 */
	{{"io.pressure", 0644}, PSI_FILE},
	{{"memory.pressure", 0644}, PSI_FILE},
	{{"cpu.pressure", 0644}, PSI_FILE},
	{{"cgroup.pressure", 0644}, 0},
};

int cgroup_psi_file(const char *file)
{
	static const char *const names[NR_PSI_RESOURCES] = {
		[PSI_IO] = "io.pressure",
		[PSI_MEM] = "memory.pressure",
		[PSI_CPU] = "cpu.pressure",
	};
	int res;

	for (res = 0; res < NR_PSI_RESOURCES; res++)
		if (!strcmp(file, names[res]))
			return res;
	return -1;
}

#define NR_CORE_FILES (int)(sizeof(core_files) / sizeof(core_files[0]))

static const struct cgroup_file_info *memory_file(const struct cgroup *cgrp,
						  int i);

const struct cgroup_file_info *cgroup_file(const struct cgroup *cgrp, int i)
{
	int k;

	for (k = 0; k < NR_CORE_FILES; k++) {
		if ((core_files[k].flags & NOT_ON_ROOT) && !cgrp->parent)
			continue;
		if ((core_files[k].flags & PSI_FILE) && !cgrp->psi_enabled)
			continue;
		if (!i--)
			return &core_files[k].info;
	}
	/* then the controllers' files: the memory controller's */
	return memory_file(cgrp, i);
}

/* cgroup_print_ss_mask() */
static void print_ss_mask(struct seq_buf *s, uint16_t mask)
{
	int ssid, first = 1;

	for (ssid = 0; ssid < CGROUP_SUBSYS_COUNT; ssid++) {
		if (!(mask & SS_BIT(ssid)))
			continue;
		if (!first)
			seq_putc(s, ' ');
		seq_puts(s, subsys[ssid].name);
		first = 0;
	}
	seq_putc(s, '\n');
}

static void type_show(const struct cgroup *cgrp, struct seq_buf *s)
{
	if (cgroup_is_threaded(cgrp))
		seq_puts(s, "threaded\n");
	else if (!cgroup_is_valid_domain(cgrp))
		seq_puts(s, "domain invalid\n");
	else if (cgroup_is_thread_root(cgrp))
		seq_puts(s, "domain threaded\n");
	else
		seq_puts(s, "domain\n");
}

/*
 * cgroup.procs lists the processes of a domain and of the threaded
 * groups that account to it; cgroup.threads the tasks of the group
 * itself.  Every task here is its own thread group, in PID order.
 */
static int procs_show(const struct machine *m, const struct cgroup *cgrp,
		      int threads, struct seq_buf *s)
{
	int i;

	if (!threads && cgroup_is_threaded(cgrp))
		return -EOPNOTSUPP;
	for (i = 0; i < m->nr_tasks; i++) {
		const struct cgroup *c = task_cgroup(m, &m->tasks[i]);

		if (threads ? c == cgrp : c->dom_cgrp == cgrp)
			seq_printf(s, "%d\n", m->tasks[i].pid);
	}
	return 0;
}

static void max_show(int limit, struct seq_buf *s)
{
	if (limit == CGROUP_MAX_LIMIT)
		seq_puts(s, "max\n");
	else
		seq_printf(s, "%d\n", limit);
}

/*
 * cgroup_stat_show(): for each controller, the csses alive at and below
 * the group; all are released at rmdir, so none is dying.
 */
static void stat_show(const struct cgroup *cgrp, struct seq_buf *s)
{
	struct cgroup *pos, *root = (struct cgroup *)cgrp;
	int ssid, n;

	seq_printf(s, "nr_descendants %d\n", cgrp->nr_descendants);
	for (ssid = 0; ssid < CGROUP_SUBSYS_COUNT; ssid++) {
		n = 0;
		cgroup_for_each_descendant_pre (pos, root)
			if (cgroup_ss_mask(pos) & SS_BIT(ssid))
				n++;
		seq_printf(s, "nr_subsys_%s %d\n", subsys[ssid].name, n);
	}
	seq_printf(s, "nr_dying_descendants %d\n", cgrp->nr_dying_descendants);
	for (ssid = 0; ssid < CGROUP_SUBSYS_COUNT; ssid++)
		seq_printf(s, "nr_dying_subsys_%s %d\n", subsys[ssid].name, 0);
}

static void stat_line(struct seq_buf *s, const char *name, uint64_t v)
{
	seq_printf(s, "%s %llu\n", name, (unsigned long long)v);
}

/*
 * root_cgroup_cputime(): the root's CPU time is the system's, sorted as
 * __cgroup_account_cputime_field() sorts a group's.
 */
static void root_cgroup_cputime(const struct machine *m,
				struct cgroup_base_stat *bstat)
{
	int cpu;

	memset(bstat, 0, sizeof(*bstat));
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		const uint64_t *cpustat = m->kcpustat[cpu].cpustat;

		bstat->utime += cpustat[CPUTIME_USER] + cpustat[CPUTIME_NICE];
		bstat->stime += cpustat[CPUTIME_SYSTEM] + cpustat[CPUTIME_IRQ] +
				cpustat[CPUTIME_SOFTIRQ];
		bstat->ntime += cpustat[CPUTIME_NICE];
	}
}

static void cgroup_bstat(const struct machine *m, const struct cgroup *cgrp,
			 struct cgroup_base_stat *bstat)
{
	if (cgrp->parent)
		*bstat = cgrp->bstat;
	else
		root_cgroup_cputime(m, bstat);
}

/*
 * cpu_stat_show(): cgroup_base_stat_cputime_show() (no core scheduling,
 * so no force_idle line), then, where the group has a cpu css, the CFS
 * bandwidth keys of cpu_extra_stat_show().  No group has a cpu.max, so
 * no period timer runs and nothing is throttled or bursts.
 */
static void cpu_stat_show(const struct machine *m, const struct cgroup *cgrp,
			  struct seq_buf *s)
{
	struct cgroup_base_stat b;

	cgroup_bstat(m, cgrp, &b);
	stat_line(s, "usage_usec", (b.utime + b.stime) / NSEC_PER_USEC);
	stat_line(s, "user_usec", b.utime / NSEC_PER_USEC);
	stat_line(s, "system_usec", b.stime / NSEC_PER_USEC);
	stat_line(s, "nice_usec", b.ntime / NSEC_PER_USEC);
	if (!cgroup_has_css(cgrp, cpu_cgrp_id))
		return;
	stat_line(s, "nr_periods", 0);
	stat_line(s, "nr_throttled", 0);
	stat_line(s, "throttled_usec", 0);
	stat_line(s, "nr_bursts", 0);
	stat_line(s, "burst_usec", 0);
}

static int memory_file_show(const struct machine *m,
			    const struct mem_cgroup *memcg, const char *file,
			    struct seq_buf *s);

int cgroup_file_show(const struct machine *m, const struct cgroup *cgrp,
		     const char *file, struct seq_buf *s)
{
	const struct cgroup_file_info *f = NULL;
	uint64_t frozen_ns;
	int i;

	for (i = 0; cgroup_file(cgrp, i); i++)
		if (!strcmp(cgroup_file(cgrp, i)->name, file))
			f = cgroup_file(cgrp, i);
	if (!f)
		return -ENOENT;
	if (!(f->mode & 0444))
		return -EINVAL; /* kernfs: no seq_show for a write-only file */
	if (!strcmp(file, "cgroup.type")) {
		type_show(cgrp, s);
	} else if (!strcmp(file, "cgroup.procs")) {
		return procs_show(m, cgrp, 0, s);
	} else if (!strcmp(file, "cgroup.threads")) {
		return procs_show(m, cgrp, 1, s);
	} else if (!strcmp(file, "cgroup.controllers")) {
		print_ss_mask(s, cgroup_control(cgrp));
	} else if (!strcmp(file, "cgroup.subtree_control")) {
		print_ss_mask(s, cgrp->subtree_control);
	} else if (!strcmp(file, "cgroup.events")) {
		/* freezing is instant here: frozen as soon as asked */
		seq_printf(s, "populated %d\n", cgroup_is_populated(cgrp));
		seq_printf(s, "frozen %d\n", cgrp->e_freeze > 0);
	} else if (!strcmp(file, "cgroup.max.descendants")) {
		max_show(cgrp->max_descendants, s);
	} else if (!strcmp(file, "cgroup.max.depth")) {
		max_show(cgrp->max_depth, s);
	} else if (!strcmp(file, "cgroup.stat")) {
		stat_show(cgrp, s);
	} else if (!strcmp(file, "cgroup.stat.local")) {
		frozen_ns = cgrp->frozen_ns;
		if (cgrp->e_freeze)
			frozen_ns += m->clock_ns - cgrp->freeze_start_ns;
		seq_printf(s, "frozen_usec %llu\n",
			   (unsigned long long)(frozen_ns / NSEC_PER_USEC));
	} else if (!strcmp(file, "cgroup.freeze")) {
		seq_printf(s, "%d\n", cgrp->freeze);
	} else if (!strcmp(file, "cpu.stat")) {
		cpu_stat_show(m, cgrp, s);
	} else if (!strcmp(file, "cpu.stat.local")) {
		/* cpu_local_stat_show(): its own cfs_rqs' throttled time */
		if (cgroup_has_css(cgrp, cpu_cgrp_id))
			stat_line(s, "throttled_usec", 0);
	} else if (!strcmp(file, "cgroup.pressure")) {
		seq_printf(s, "%d\n", cgrp->psi_enabled);
	} else if (cgroup_psi_file(file) >= 0) {
		/* the PSI renderers are procfs's: cgroupfs.c shows them */
		return -EOPNOTSUPP;
	} else if (!strncmp(file, "memory.", 7)) {
		return memory_file_show(m, cgroup_memcg(cgrp), file, s);
	}
	return 0;
}

/* ---- the memory controller's files (mm/memcontrol.c) ---- */

/*
 * memory_files[], then swap_files[] and zswap_files[], which the kernel
 * adds to the controller at boot (CONFIG_SWAP, CONFIG_ZSWAP): the order
 * a group's directory lists them in, after the core files.  The root has
 * only those without CFTYPE_NOT_ON_ROOT.  memory.peak and
 * memory.swap.peak take a write (a reset for the writer's own file) as
 * of 6.12, hence 0644.
 */
static const struct {
	struct cgroup_file_info info;
	int flags;
} memory_files[] = {
	{{"memory.current", 0444}, NOT_ON_ROOT},
	{{"memory.peak", 0644}, NOT_ON_ROOT},
	{{"memory.min", 0644}, NOT_ON_ROOT},
	{{"memory.low", 0644}, NOT_ON_ROOT},
	{{"memory.high", 0644}, NOT_ON_ROOT},
	{{"memory.max", 0644}, NOT_ON_ROOT},
	{{"memory.events", 0444}, NOT_ON_ROOT},
	{{"memory.events.local", 0444}, NOT_ON_ROOT},
	{{"memory.stat", 0444}, 0},
	{{"memory.numa_stat", 0444}, 0},
	{{"memory.oom.group", 0644}, NOT_ON_ROOT},
	{{"memory.reclaim", 0200}, 0},
	/* swap_files[] */
	{{"memory.swap.current", 0444}, NOT_ON_ROOT},
	{{"memory.swap.high", 0644}, NOT_ON_ROOT},
	{{"memory.swap.max", 0644}, NOT_ON_ROOT},
	{{"memory.swap.peak", 0644}, NOT_ON_ROOT},
	{{"memory.swap.events", 0444}, NOT_ON_ROOT},
	/* zswap_files[] */
	{{"memory.zswap.current", 0444}, NOT_ON_ROOT},
	{{"memory.zswap.max", 0644}, NOT_ON_ROOT},
	{{"memory.zswap.writeback", 0644}, 0},
};

#define NR_MEMORY_FILES (int)(sizeof(memory_files) / sizeof(memory_files[0]))

/*
 * The memcg whose files @cgrp shows: its own where it has a memory css
 * (the root always does), none where it has not.
 */
static struct mem_cgroup *cgroup_memcg(const struct cgroup *cgrp)
{
	if (cgrp->parent && !cgroup_has_css(cgrp, memory_cgrp_id))
		return NULL;
	return cgrp->memcg;
}

/* The @i-th memory file of @cgrp, or NULL. */
static const struct cgroup_file_info *memory_file(const struct cgroup *cgrp,
						  int i)
{
	int k;

	if (!cgroup_memcg(cgrp))
		return NULL;
	for (k = 0; k < NR_MEMORY_FILES; k++) {
		if ((memory_files[k].flags & NOT_ON_ROOT) && !cgrp->parent)
			continue;
		if (!i--)
			return &memory_files[k].info;
	}
	return NULL;
}

/*
 * The node items among memory.stat's (memory_stats[] of 6.18), in its
 * order, and what one count of each is in the file: memory.numa_stat.
 * hugetlb is among them whatever the mount option, unlike in memory.stat
 * (memcontrol.c formats that one).
 */

static void bytes_show(uint64_t pages, struct seq_buf *s)
{
	unsigned long long bytes = pages * PAGE_SIZE;

	seq_printf(s, "%llu\n", bytes);
}

/* seq_puts_memcg_tunable() */
static void memcg_tunable_show(uint64_t pages, struct seq_buf *s)
{
	if (pages == PAGE_COUNTER_MAX)
		seq_puts(s, "max\n");
	else
		bytes_show(pages, s);
}

/*
 * __memory_events_show().  sock_throttled counts the times the group's
 * sockets were throttled: it has none in the model.
 */
static void memory_events_show(const uint64_t *events, struct seq_buf *s)
{
	static const char *const names[] = {
		[MEMCG_LOW] = "low",
		[MEMCG_HIGH] = "high",
		[MEMCG_MAX] = "max",
		[MEMCG_OOM] = "oom",
		[MEMCG_OOM_KILL] = "oom_kill",
		[MEMCG_OOM_GROUP_KILL] = "oom_group_kill",
	};
	int i;

	for (i = MEMCG_LOW; i <= MEMCG_OOM_GROUP_KILL; i++)
		stat_line(s, names[i], events[i]);
	stat_line(s, "sock_throttled", 0);
}

static void swap_events_show(const uint64_t *events, struct seq_buf *s)
{
	stat_line(s, "high", events[MEMCG_SWAP_HIGH]);
	stat_line(s, "max", events[MEMCG_SWAP_MAX]);
	stat_line(s, "fail", events[MEMCG_SWAP_FAIL]);
}

static int memory_file_show(const struct machine *m,
			    const struct mem_cgroup *memcg, const char *file,
			    struct seq_buf *s)
{
	const char *f = file + strlen("memory.");

	if (!strcmp(f, "current"))
		bytes_show(memcg->memory.usage, s);
	else if (!strcmp(f, "peak"))
		bytes_show(memcg->memory.watermark, s);
	else if (!strcmp(f, "min"))
		memcg_tunable_show(memcg->memory.min, s);
	else if (!strcmp(f, "low"))
		memcg_tunable_show(memcg->memory.low, s);
	else if (!strcmp(f, "high"))
		memcg_tunable_show(memcg->memory.high, s);
	else if (!strcmp(f, "max"))
		memcg_tunable_show(memcg->memory.max, s);
	else if (!strcmp(f, "events"))
		memory_events_show(memcg->memory_events, s);
	else if (!strcmp(f, "events.local"))
		memory_events_show(memcg->memory_events_local, s);
	else if (!strcmp(f, "stat"))
		memory_stat_format(m, memcg, s);
	else if (!strcmp(f, "numa_stat"))
		memory_numa_stat_format(m, memcg, s);
	else if (!strcmp(f, "oom.group"))
		seq_printf(s, "%d\n", memcg->oom_group);
	else if (!strcmp(f, "swap.current"))
		bytes_show(memcg->swap.usage, s);
	else if (!strcmp(f, "swap.high"))
		memcg_tunable_show(memcg->swap.high, s);
	else if (!strcmp(f, "swap.max"))
		memcg_tunable_show(memcg->swap.max, s);
	else if (!strcmp(f, "swap.peak"))
		bytes_show(memcg->swap.watermark, s);
	else if (!strcmp(f, "swap.events"))
		swap_events_show(memcg->memory_events, s);
	/* no zswap pool: nothing is compressed, and the settings stay put */
	else if (!strcmp(f, "zswap.current"))
		seq_puts(s, "0\n");
	else if (!strcmp(f, "zswap.max"))
		memcg_tunable_show(PAGE_COUNTER_MAX, s);
	else if (!strcmp(f, "zswap.writeback"))
		seq_puts(s, "1\n");
	else
		return -ENOENT;
	return 0;
}

/*
 * page_counter_memparse(): "max", or memparse() bytes with nothing after
 * them, rounded down to pages and capped at PAGE_COUNTER_MAX.  The kernel
 * reads an empty value as 0 bytes; here nothing empty reaches a handler
 * (cgroupfs refuses an empty write to every file, and an operation has
 * no empty value), and an empty one is refused in case one does.
 */
static int page_counter_memparse(const char *buf, uint64_t *nr_pages)
{
	const char *end;
	uint64_t bytes;

	if (!strcmp(buf, "max")) {
		*nr_pages = PAGE_COUNTER_MAX;
		return 0;
	}
	if (!*buf)
		return -EINVAL;
	bytes = memparse(buf, &end);
	if (*end)
		return -EINVAL;
	bytes /= PAGE_SIZE;
	*nr_pages = bytes < PAGE_COUNTER_MAX ? bytes : PAGE_COUNTER_MAX;
	return 0;
}

/* memory.oom.group and memory.zswap.writeback: kstrtoint, 0 or 1 */
static int bool_write(const char *value, int *v)
{
	int rc = kstrtoint(value, v);

	if (rc)
		return rc;
	return *v == 0 || *v == 1 ? 0 : -EINVAL;
}


/*
 * match_token()'s "swappiness=%d": simple_strtol() of what follows, which
 * must take all of it; then match_int(), which refuses what overflows.
 */
static int parse_swappiness(const char *p, int *swappiness)
{
	int neg = *p == '-';
	const char *end, *q;
	uint64_t v;

	p += neg;
	v = simple_strtoull(p, &end);
	if (end == p || *end)
		return -EINVAL;
	/*
	 * More than three digits past the leading zeros is more than 200 in
	 * any base, or more than match_int() takes: refused before the
	 * value could have wrapped.
	 */
	q = p;
	if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X'))
		q += 2;
	while (*q == '0')
		q++;
	if (end - q > 3 || (neg && v) || v > MAX_SWAPPINESS)
		return -EINVAL;
	*swappiness = (int)v;
	return 0;
}

static int memory_reclaim_parse(const char *value, uint64_t *nr_pages,
				int *swappiness)
{
	const char *p, *tok;
	size_t len;

	*swappiness = -1;
	*nr_pages = memparse(value, &p) / PAGE_SIZE;
	if (p == value)
		return -EINVAL;
	/* the rest, split at single spaces as strsep(&buf, " ") does */
	while (*p) {
		char word[32];

		tok = p;
		len = strcspn(p, " ");
		p += len;
		if (*p)
			p++;
		if (!len)
			continue;
		if (len >= sizeof(word))
			return -EINVAL;
		memcpy(word, tok, len);
		word[len] = '\0';
		if (!strcmp(word, "swappiness=max"))
			*swappiness = SWAPPINESS_ANON_ONLY;
		else if (strncmp(word, "swappiness=", 11) ||
			 parse_swappiness(word + 11, swappiness))
			return -EINVAL;
	}
	return 0;
}

/* memory.reclaim: user_proactive_reclaim() */
static int memory_reclaim_write(struct machine *m, struct mem_cgroup *memcg,
				const char *value)
{
	uint64_t nr_pages;
	int swappiness, rc;

	rc = memory_reclaim_parse(value, &nr_pages, &swappiness);
	if (rc)
		return rc;
	rc = user_proactive_reclaim(m, memcg, nr_pages, swappiness);
	/* short of the target: the writer is told, what came back stays */
	if (rc == -EAGAIN) {
		m->op_errno = rc;
		rc = 0;
	}
	return rc;
}

static int memory_file_write(struct machine *m, struct mem_cgroup *memcg,
			     const char *file, const char *value)
{
	const char *f = file + strlen("memory.");
	uint64_t pages;
	int v, rc;

	/*
	 * A write to a peak file resets the peak seen through the writer's
	 * own open file, and nothing else: the machine does not change.
	 */
	if (!strcmp(f, "peak") || !strcmp(f, "swap.peak"))
		return 0;
	if (!strcmp(f, "oom.group")) {
		rc = bool_write(value, &v);
		if (!rc)
			memcg->oom_group = v;
		return rc;
	}
	if (!strcmp(f, "zswap.writeback")) {
		rc = bool_write(value, &v);
		/* writeback stays on: there is no zswap pool to keep pages */
		return rc ? rc : v ? 0 : -EOPNOTSUPP;
	}
	if (!strcmp(f, "reclaim"))
		return memory_reclaim_write(m, memcg, value);
	rc = page_counter_memparse(value, &pages);
	if (rc)
		return rc;
	if (!strcmp(f, "max"))
		return mem_cgroup_set_max(m, memcg, pages);
	if (!strcmp(f, "high"))
		return mem_cgroup_set_high(m, memcg, pages);
	if (!strcmp(f, "min"))
		mem_cgroup_set_min(memcg, pages);
	else if (!strcmp(f, "low"))
		mem_cgroup_set_low(memcg, pages);
	else if (!strcmp(f, "swap.max"))
		mem_cgroup_set_swap_max(memcg, pages);
	else if (!strcmp(f, "swap.high"))
		mem_cgroup_set_swap_high(memcg, pages);
	else if (!strcmp(f, "zswap.max"))
		/* only "max" is kept: there is no zswap pool to limit */
		return pages == PAGE_COUNTER_MAX ? 0 : -EOPNOTSUPP;
	else
		return -EACCES;
	return 0;
}

/* ---- checkpoint ---- */

void cgroup_save(const struct machine *m, void (*put)(void *ctx, uint64_t v),
		 void *ctx)
{
	struct cgroup *root = (struct cgroup *)&m->cgrp_root, *pos;
	const char *p;

	put(ctx, m->cgroup_last_id);
	put(ctx, (uint64_t)root->nr_descendants);
	cgroup_for_each_descendant_pre (pos, root) {
		if (pos != root) {
			put(ctx, pos->parent->id);
			put(ctx, pos->id);
			put(ctx, strlen(pos->name));
			for (p = pos->name; *p; p++)
				put(ctx, (unsigned char)*p);
			put(ctx, pos->dom_cgrp->id);
		}
		put(ctx, pos->subtree_control);
		put(ctx, (uint64_t)pos->max_descendants);
		put(ctx, (uint64_t)pos->max_depth);
		put(ctx, (uint64_t)pos->freeze);
		put(ctx, pos->freeze_start_ns);
		put(ctx, pos->frozen_ns);
		put(ctx, (uint64_t)pos->psi_enabled);
	}
}

static int load_settings(struct cgroup *cgrp, uint64_t (*get)(void *ctx),
			 void *ctx)
{
	uint64_t sc = get(ctx), md = get(ctx), mdepth = get(ctx);
	uint64_t freeze = get(ctx);

	cgrp->freeze_start_ns = get(ctx);
	cgrp->frozen_ns = get(ctx);
	cgrp->psi_enabled = (int)get(ctx);
	if (sc >= SS_BIT(CGROUP_SUBSYS_COUNT) || md > CGROUP_MAX_LIMIT ||
	    mdepth > CGROUP_MAX_LIMIT || freeze > 1 || cgrp->psi_enabled > 1)
		return -EINVAL;
	cgrp->subtree_control = (uint16_t)sc;
	cgrp->max_descendants = (int)md;
	cgrp->max_depth = (int)mdepth;
	cgrp->freeze = (int)freeze;
	return 0;
}

int cgroup_load(struct machine *m, uint64_t (*get)(void *ctx), void *ctx)
{
	struct cgroup *root = &m->cgrp_root, *parent, *cgrp;
	uint64_t nr, i, len, k, dom;
	char name[CGROUP_NAME_MAX + 1];

	m->cgroup_last_id = get(ctx);
	nr = get(ctx);
	if (nr > (1U << 20) || load_settings(root, get, ctx))
		return -EINVAL;
	for (i = 0; i < nr; i++) {
		parent = cgroup_by_id(m, get(ctx));
		cgrp = calloc(1, sizeof(*cgrp));
		if (!cgrp)
			return -ENOMEM;
		cgrp->id = get(ctx);
		len = get(ctx);
		if (!parent || len > CGROUP_NAME_MAX || cgrp->id <= 1 ||
		    cgrp->id > m->cgroup_last_id || cgroup_by_id(m, cgrp->id)) {
			free(cgrp);
			return -EINVAL;
		}
		for (k = 0; k < len; k++)
			name[k] = (char)get(ctx);
		name[len] = '\0';
		cgrp->name = strdup(name);
		cgrp->path = join_path(parent, name);
		/* linked first, so that the hierarchy frees it on error */
		cgrp->parent = parent;
		cgrp->level = parent->level + 1;
		cgroup_link_child(parent, cgrp);
		dom = get(ctx);
		cgrp->dom_cgrp = dom == cgrp->id ? cgrp : cgroup_by_id(m, dom);
		if (!cgrp->name || !cgrp->path || !cgrp->dom_cgrp ||
		    !cgroup_name_valid(name) ||
		    find_child(parent, name, len) != cgrp)
			return -EINVAL;
		if (cgrp->dom_cgrp != cgrp)
			parent->nr_threaded_children++;
		if (load_settings(cgrp, get, ctx))
			return -EINVAL;
	}
	return 0;
}

/*
 * What follows from the settings and the tasks: the masks, the frozen
 * counts and the populated counts.
 */
void cgroup_rebuild(struct machine *m)
{
	struct cgroup *root = &m->cgrp_root, *pos;
	int i;

	cgroup_for_each_descendant_pre (pos, root) {
		cgroup_update_subtree_ss_mask(pos);
		pos->e_freeze =
			(pos->parent ? pos->parent->e_freeze : 0) + pos->freeze;
		pos->nr_tasks = 0;
		pos->nr_populated_domain_children = 0;
		pos->nr_populated_threaded_children = 0;
	}
	for (i = 0; i < m->nr_tasks; i++)
		if (m->tasks[i].cgroup)
			cgroup_update_populated(m->tasks[i].cgroup, 1);
}

/* ---- mmsim check ---- */

__attribute__((format(printf, 3, 4))) static int broken(char *why, size_t size,
							const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return -EBADMSG;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

static int bstat_within(const struct cgroup_base_stat *a,
			const struct cgroup_base_stat *b)
{
	return a->utime <= b->utime && a->stime <= b->stime &&
	       a->ntime <= b->ntime;
}

int cgroup_cputime_check(const struct machine *m, char *why, size_t size)
{
	struct cgroup *root = (struct cgroup *)&m->cgrp_root, *pos, *c;
	struct cgroup_base_stat own, sum;

	cgroup_for_each_descendant_pre (pos, root) {
		cgroup_bstat(m, pos, &own);
		memset(&sum, 0, sizeof(sum));
		for (c = pos->children; c; c = c->next_sibling) {
			if (c->bstat.ntime > c->bstat.utime)
				return broken(
					why, size,
					"cgroup %s: %llu ns of nice CPU "
					"time, more than its %llu ns of "
					"user time",
					c->path,
					(unsigned long long)c->bstat.ntime,
					(unsigned long long)c->bstat.utime);
			sum.utime = add_sat(sum.utime, c->bstat.utime);
			sum.stime = add_sat(sum.stime, c->bstat.stime);
			sum.ntime = add_sat(sum.ntime, c->bstat.ntime);
		}
		/* a child's time is its parent's too, even once it is gone */
		if (!bstat_within(&sum, &own))
			return broken(why, size,
				      "cgroup %s: its children ran %llu ns "
				      "user, %llu system, %llu nice; more "
				      "than its %llu, %llu, %llu",
				      pos->path, (unsigned long long)sum.utime,
				      (unsigned long long)sum.stime,
				      (unsigned long long)sum.ntime,
				      (unsigned long long)own.utime,
				      (unsigned long long)own.stime,
				      (unsigned long long)own.ntime);
	}
	return 0;
}

/* Every live task's CPU time is in the system's, the root's cpu.stat. */
static int check_task_cputime(const struct machine *m, char *why, size_t size)
{
	struct cgroup_base_stat sys;
	uint64_t utime = 0, stime = 0;
	int i;

	root_cgroup_cputime(m, &sys);
	for (i = 0; i < m->nr_tasks; i++) {
		utime = add_sat(utime, m->tasks[i].utime_ns);
		stime = add_sat(stime, m->tasks[i].stime_ns);
	}
	if (utime > sys.utime || stime > sys.stime)
		return broken(why, size,
			      "the tasks ran %llu ns user and %llu ns "
			      "system, more than the system's %llu and %llu",
			      (unsigned long long)utime,
			      (unsigned long long)stime,
			      (unsigned long long)sys.utime,
			      (unsigned long long)sys.stime);
	return 0;
}

int cgroup_check(const struct machine *m, char *why, size_t size)
{
	struct cgroup *root = (struct cgroup *)&m->cgrp_root, *pos, *c;
	int i, tasks, dom, thr, desc;

	cgroup_for_each_descendant_pre (pos, root) {
		tasks = dom = thr = desc = 0;
		for (i = 0; i < m->nr_tasks; i++)
			if (m->tasks[i].cgroup == pos)
				tasks++;
		for (c = pos->children; c; c = c->next_sibling) {
			if (cgroup_is_populated(c))
				*(cgroup_is_threaded(c) ? &thr : &dom) += 1;
			desc += 1 + c->nr_descendants;
		}
		if (tasks != pos->nr_tasks ||
		    dom != pos->nr_populated_domain_children ||
		    thr != pos->nr_populated_threaded_children)
			return broken(why, size,
				      "cgroup %s: %d tasks and %d+%d populated "
				      "children, counted %d and %d+%d",
				      pos->path, tasks, dom, thr, pos->nr_tasks,
				      pos->nr_populated_domain_children,
				      pos->nr_populated_threaded_children);
		if (desc != pos->nr_descendants)
			return broken(why, size,
				      "cgroup %s: %d descendants, counted %d",
				      pos->path, desc, pos->nr_descendants);
		if (pos->parent && !cgroup_is_threaded(pos) && tasks &&
		    (pos->subtree_control & ~threaded_ss_mask()))
			return broken(why, size,
				      "cgroup %s has processes and domain "
				      "controllers in its subtree_control",
				      pos->path);
	}
	for (i = 0; i < m->nr_tasks; i++) {
		const struct task_struct *t = &m->tasks[i];

		for (c = t->cgroup; c && c != root; c = c->parent)
			;
		if (!t->cgroup || !c)
			return broken(
				why, size,
				"task %d is in no cgroup of the hierarchy",
				t->pid);
	}
	return cgroup_cputime_check(m, why, size)
		       ?: check_task_cputime(m, why, size);
}
