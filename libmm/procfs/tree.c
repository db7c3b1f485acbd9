// SPDX-License-Identifier: GPL-2.0
/*
 * The path tree of the fake /proc and /sys: a table of path templates,
 * each naming its type, mode and generator, and the four entry points of
 * procfs.h over it.  A template component may carry one argument:
 * "%pid" (a task), "%tid" (a thread of that task: the task itself, as
 * every task is single-threaded) or "node%nid" (an online node).
 * Everything below proc/sys comes from the sysctl table instead.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

enum pfs_entry_flags {
	PFS_SYSFS = 1 << 0, /* an attribute file: st_size is a page */
	PFS_SYSCTL = 1 << 1, /* the root of the sysctl directories */
	/* st_size is the text's length, so that it can be mmapped */
	PFS_SIZED = 1 << 2,
	PFS_CGROUPFS = 1 << 3, /* the root of the cgroup2 mount */
};

struct pfs_entry {
	const char *path;
	enum pfs_type type;
	mode_t mode;
	unsigned int flags;
	pfs_show_fn show;
	void (*link)(const struct machine *m, char *buf, size_t size);
	pfs_write_fn write; /* a writable file's parser, or NULL */
	pfs_read_fn read; /* a ranged file's reader instead of @show */
};

/* A path resolved to its entry and the arguments its components bind. */
struct pfs_node {
	const struct pfs_entry *entry;
	struct pfs_ctx ctx;
};

static void self_link(const struct machine *m, char *buf, size_t size);
static void thread_self_link(const struct machine *m, char *buf, size_t size);

#define PROC_FILE(path_, mode_, show_)                                        \
	{                                                                     \
		.path = path_, .type = PFS_FILE, .mode = mode_, .show = show_ \
	}
/* A proc file that takes writes: a show and a write function. */
#define PROC_RW_FILE(path_, mode_, show_, write_)                              \
	{                                                                      \
		.path = path_, .type = PFS_FILE, .mode = mode_, .show = show_, \
		.write = write_                                                \
	}
/* A proc file read in pieces, never rendered whole. */
#define PROC_RANGED_FILE(path_, mode_, read_)                                 \
	{                                                                     \
		.path = path_, .type = PFS_FILE, .mode = mode_, .read = read_ \
	}
#define SYSFS_FILE(path_, show_)                               \
	{                                                      \
		.path = path_, .type = PFS_FILE, .mode = 0444, \
		.flags = PFS_SYSFS, .show = show_              \
	}
/* A sysfs attribute that takes writes (0644). */
#define SYSFS_RW_FILE(path_, show_, write_)                        \
	{                                                          \
		.path = path_, .type = PFS_FILE, .mode = 0644,     \
		.flags = PFS_SYSFS, .show = show_, .write = write_ \
	}
#define DIR_ENTRY(path_, mode_)                               \
	{                                                     \
		.path = path_, .type = PFS_DIR, .mode = mode_ \
	}
#define LINK_ENTRY(path_, fn_)                                             \
	{                                                                  \
		.path = path_, .type = PFS_LINK, .mode = 0777, .link = fn_ \
	}

/*
 * The files of proc/PID and proc/PID/task/TID, in the order the kernel
 * lists them (tgid_base_stuff[], tid_base_stuff[]).
 */
#define PID_FILES(dir)                                                       \
	PROC_FILE(dir "/environ", 0400, proc_pid_environ),                   \
		PROC_FILE(dir "/status", 0444, proc_pid_status),             \
		PROC_FILE(dir "/limits", 0444, proc_pid_limits),             \
		PROC_RW_FILE(dir "/comm", 0644, proc_pid_comm,               \
			     proc_pid_comm_write),                           \
		PROC_FILE(dir "/cmdline", 0444, proc_pid_cmdline),           \
		PROC_FILE(dir "/stat", 0444, proc_pid_stat),                 \
		PROC_FILE(dir "/statm", 0444, proc_pid_statm),               \
		PROC_FILE(dir "/maps", 0444, proc_pid_maps),                 \
		PROC_FILE(dir "/numa_maps", 0444, proc_pid_numa_maps),       \
		PROC_FILE(dir "/smaps", 0444, proc_pid_smaps),               \
		PROC_FILE(dir "/smaps_rollup", 0444, proc_pid_smaps_rollup), \
		PROC_RANGED_FILE(dir "/pagemap", 0400, proc_pid_pagemap),    \
		PROC_FILE(dir "/wchan", 0444, proc_pid_wchan),               \
		PROC_FILE(dir "/cgroup", 0444, proc_pid_cgroup),             \
		PROC_FILE(dir "/oom_score", 0444, proc_oom_score),           \
		PROC_RW_FILE(dir "/oom_adj", 0644, proc_oom_adj,             \
			     proc_oom_adj_write),                            \
		PROC_RW_FILE(dir "/oom_score_adj", 0644, proc_oom_score_adj, \
			     proc_oom_score_adj_write),                      \
		PROC_FILE(dir "/io", 0400, proc_pid_io)

#define NODE_DIR "sys/devices/system/node"
#define CPU_DIR "sys/devices/system/cpu"
#define THP_DIR "sys/kernel/mm/transparent_hugepage"

/* Directory order: fixed entries first, then PIDs, as proc_root_readdir(). */
static const struct pfs_entry pfs_entries[] = {
	DIR_ENTRY("", 0555),
	DIR_ENTRY("proc", 0555),
	PROC_FILE("proc/buddyinfo", 0444, buddyinfo_proc_show),
	PROC_FILE("proc/cpuinfo", 0444, cpuinfo_proc_show),
	/* sized, unlike the real one, for `dmesg -F`, which mmaps its file */
	{.path = "proc/kmsg",
	 .type = PFS_FILE,
	 .mode = 0400,
	 .flags = PFS_SIZED,
	 .show = kmsg_proc_show},
	PROC_FILE("proc/loadavg", 0444, loadavg_proc_show),
	PROC_FILE("proc/meminfo", 0444, meminfo_proc_show),
	PROC_FILE("proc/pagetypeinfo", 0400, pagetypeinfo_proc_show),
	/* 0666: a write would register a trigger (pressure.c) */
	DIR_ENTRY("proc/pressure", 0555),
	PROC_RW_FILE("proc/pressure/cpu", 0666, pressure_cpu_show,
		     pressure_write),
	PROC_RW_FILE("proc/pressure/io", 0666, pressure_io_show,
		     pressure_write),
	PROC_RW_FILE("proc/pressure/memory", 0666, pressure_memory_show,
		     pressure_write),
	LINK_ENTRY("proc/self", self_link),
	/* root only, and no write handler (SLABINFO_RIGHTS with SLUB) */
	PROC_FILE("proc/slabinfo", 0400, slabinfo_proc_show),
	PROC_FILE("proc/stat", 0444, stat_proc_show),
	PROC_FILE("proc/swaps", 0444, swaps_proc_show),
	{.path = "proc/sys",
	 .type = PFS_DIR,
	 .mode = 0555,
	 .flags = PFS_SYSCTL},
	DIR_ENTRY("proc/sysvipc", 0555),
	PROC_FILE("proc/sysvipc/shm", 0444, sysvipc_shm_proc_show),
	LINK_ENTRY("proc/thread-self", thread_self_link),
	PROC_FILE("proc/uptime", 0444, uptime_proc_show),
	PROC_FILE("proc/version", 0444, version_proc_show),
	PROC_FILE("proc/vmstat", 0444, vmstat_proc_show),
	PROC_FILE("proc/zoneinfo", 0444, zoneinfo_proc_show),
	DIR_ENTRY("proc/%pid", 0555),
	DIR_ENTRY("proc/%pid/task", 0555),
	PID_FILES("proc/%pid"),
	DIR_ENTRY("proc/%pid/task/%tid", 0555),
	PID_FILES("proc/%pid/task/%tid"),
	/* sysfs directories are 0755 below the 0555 mount point */
	DIR_ENTRY("sys", 0555),
	DIR_ENTRY("sys/devices", 0755),
	DIR_ENTRY("sys/devices/system", 0755),
	DIR_ENTRY(CPU_DIR, 0755),
	SYSFS_FILE(CPU_DIR "/online", cpu_online_show),
	SYSFS_FILE(CPU_DIR "/possible", cpu_possible_show),
	SYSFS_FILE(CPU_DIR "/present", cpu_present_show),
	DIR_ENTRY(NODE_DIR, 0755),
	SYSFS_FILE(NODE_DIR "/has_cpu", node_has_cpu_show),
	SYSFS_FILE(NODE_DIR "/has_memory", node_has_memory_show),
	SYSFS_FILE(NODE_DIR "/has_normal_memory", node_has_normal_memory_show),
	SYSFS_FILE(NODE_DIR "/online", node_online_show),
	SYSFS_FILE(NODE_DIR "/possible", node_possible_show),
	DIR_ENTRY(NODE_DIR "/node%nid", 0755),
	SYSFS_FILE(NODE_DIR "/node%nid/cpulist", node_cpulist_show),
	SYSFS_FILE(NODE_DIR "/node%nid/cpumap", node_cpumap_show),
	SYSFS_FILE(NODE_DIR "/node%nid/distance", node_distance_show),
	SYSFS_FILE(NODE_DIR "/node%nid/meminfo", node_meminfo_show),
	SYSFS_FILE(NODE_DIR "/node%nid/numastat", node_numastat_show),
	SYSFS_FILE(NODE_DIR "/node%nid/vmstat", node_vmstat_show),
	DIR_ENTRY("sys/fs", 0755),
	{.path = "sys/fs/cgroup",
	 .type = PFS_DIR,
	 .mode = 0755,
	 .flags = PFS_CGROUPFS},
	DIR_ENTRY("sys/kernel", 0755),
	DIR_ENTRY("sys/kernel/mm", 0755),
	DIR_ENTRY("sys/kernel/mm/swap", 0755),
	SYSFS_RW_FILE("sys/kernel/mm/swap/vma_ra_enabled", vma_ra_enabled_show,
		      vma_ra_enabled_write),
	DIR_ENTRY(THP_DIR, 0755),
	/* only "enabled" is simulated; the others show their defaults */
	SYSFS_FILE(THP_DIR "/defrag", thp_defrag_show),
	SYSFS_RW_FILE(THP_DIR "/enabled", thp_enabled_show, thp_enabled_write),
	SYSFS_FILE(THP_DIR "/hpage_pmd_size", thp_hpage_pmd_size_show),
	SYSFS_FILE(THP_DIR "/shmem_enabled", thp_shmem_enabled_show),
	SYSFS_FILE(THP_DIR "/use_zero_page", thp_use_zero_page_show),
	/* mmsim's own: what the simulated TLBs did (mmsim-tlb(7)) */
	DIR_ENTRY("sys/kernel/mmsim", 0755),
	SYSFS_FILE("sys/kernel/mmsim/tlb", tlb_sysfs_show),
};

#define NR_PFS_ENTRIES (sizeof(pfs_entries) / sizeof(pfs_entries[0]))

/* init: the first task, PID 1 on a booted machine */
static int init_pid(const struct machine *m)
{
	return nr_tasks(m) > 0 ? task_by_index(m, 0)->pid : 1;
}

/*
 * The readers' own PIDs are the filesystem's business; the tree itself
 * points at init.
 */
static void self_link(const struct machine *m, char *buf, size_t size)
{
	snprintf(buf, size, "%d", init_pid(m));
}

static void thread_self_link(const struct machine *m, char *buf, size_t size)
{
	snprintf(buf, size, "%d/task/%d", init_pid(m), init_pid(m));
}

/*
 * Step to the next component of @*p: its start in *@name and length in
 * *@len.  0 at the end of the path, 1 for a component, -ENOENT for an
 * empty one ("a//b", "a/").
 */
static int next_component(const char **p, const char **name, size_t *len)
{
	const char *s = *p;
	const char *slash;

	if (!s)
		return 0;
	slash = strchr(s, '/');
	*name = s;
	*len = slash ? (size_t)(slash - s) : strlen(s);
	*p = slash ? slash + 1 : NULL;
	return *len ? 1 : -ENOENT;
}

/* A decimal number as procfs spells it: digits, no leading zero. */
static int parse_id(const char *s, size_t len, int *id)
{
	long v = 0;
	size_t i;

	if (!len || len > 9 || (len > 1 && s[0] == '0'))
		return -ENOENT;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -ENOENT;
		v = v * 10 + (s[i] - '0');
	}
	*id = (int)v;
	return 0;
}

/* Whether path component @pc fits template component @tc, binding args. */
static int match_component(const char *tc, size_t tlen, const char *pc,
			   size_t plen, struct pfs_ctx *ctx)
{
	const char *arg = memchr(tc, '%', tlen);
	size_t prefix;
	int id;

	if (!arg)
		return tlen == plen && !memcmp(tc, pc, plen);
	prefix = (size_t)(arg - tc);
	if (plen <= prefix || memcmp(tc, pc, prefix))
		return 0;
	if (parse_id(pc + prefix, plen - prefix, &id))
		return 0;
	arg++;
	if (!strncmp(arg, "pid", 3)) {
		ctx->task = find_task_by_pid(ctx->m, id);
		return ctx->task != NULL;
	}
	if (!strncmp(arg, "tid", 3))
		return ctx->task && ctx->task->pid == id;
	if (!strncmp(arg, "nid", 3)) {
		ctx->nid = id;
		return id < ctx->m->nr_node_ids;
	}
	return 0;
}

static int match_entry(const struct pfs_entry *e, const char *path,
		       struct pfs_ctx *ctx)
{
	const char *t = *e->path ? e->path : NULL;
	const char *p = *path ? path : NULL;
	const char *tc, *pc;
	size_t tlen, plen;
	int tn, pn;

	for (;;) {
		tn = next_component(&t, &tc, &tlen);
		pn = next_component(&p, &pc, &plen);
		if (pn < 0)
			return 0;
		if (!tn || !pn)
			return tn == pn;
		if (!match_component(tc, tlen, pc, plen, ctx))
			return 0;
	}
}

/* Paths come without a leading slash; take one all the same. */
static const char *skip_root(const char *path)
{
	while (*path == '/')
		path++;
	return path;
}

/*
 * Whether @path is under the tree at @root, whose contents are made up
 * as they are looked up (sysctl, cgroupfs): 1 with the part below it in
 * *@rel ("vm/swappiness", "" for the root itself), 0 if it is not, or
 * -ENOENT for a path there with an empty component ("proc/sys/vm/").
 */
static int tree_rel_path(const char *path, const char *root, const char **rel)
{
	size_t len = strlen(root);

	if (strncmp(path, root, len))
		return 0;
	path += len;
	if (!*path) {
		*rel = path;
		return 1;
	}
	if (*path != '/')
		return 0;
	path++;
	len = strlen(path);
	if (!len || path[0] == '/' || path[len - 1] == '/' ||
	    strstr(path, "//"))
		return -ENOENT;
	*rel = path;
	return 1;
}

static int sysctl_rel_path(const char *path, const char **rel)
{
	return tree_rel_path(path, "proc/sys", rel);
}

static int cgroupfs_rel_path(const char *path, const char **rel)
{
	return tree_rel_path(path, "sys/fs/cgroup", rel);
}

static int pfs_lookup(const struct machine *m, const char *path,
		      struct pfs_node *node)
{
	size_t i;

	for (i = 0; i < NR_PFS_ENTRIES; i++) {
		memset(&node->ctx, 0, sizeof(node->ctx));
		node->ctx.m = m;
		node->ctx.nid = -1;
		if (match_entry(&pfs_entries[i], path, &node->ctx)) {
			node->entry = &pfs_entries[i];
			return 0;
		}
	}
	return -ENOENT;
}

/* Whether entry @e sits directly in the directory of template @dir. */
static int is_child_entry(const struct pfs_entry *e, const char *dir)
{
	size_t dlen = strlen(dir);
	const char *rest;

	if (!*e->path)
		return 0;
	if (dlen) {
		if (strncmp(e->path, dir, dlen) || e->path[dlen] != '/')
			return 0;
		rest = e->path + dlen + 1;
	} else {
		rest = e->path;
	}
	return !strchr(rest, '/');
}

typedef int (*pfs_child_fn)(const struct pfs_node *child, const char *name,
			    void *arg);

/* Call @fn on each argument value an entry's last component takes. */
static int for_each_instance(const struct pfs_node *dir,
			     const struct pfs_entry *e, pfs_child_fn fn,
			     void *arg)
{
	const char *last = strrchr(e->path, '/');
	const char *pct;
	struct pfs_node child = {e, dir->ctx};
	char name[32];
	int prefix, i, err;

	last = last ? last + 1 : e->path;
	pct = strchr(last, '%');
	if (!pct)
		return fn(&child, last, arg);
	prefix = (int)(pct - last);

	if (!strcmp(pct, "%pid")) {
		for (i = 0; i < nr_tasks(dir->ctx.m); i++) {
			child.ctx.task = task_by_index(dir->ctx.m, i);
			snprintf(name, sizeof(name), "%.*s%d", prefix, last,
				 child.ctx.task->pid);
			err = fn(&child, name, arg);
			if (err)
				return err;
		}
		return 0;
	}
	if (!strcmp(pct, "%tid")) {
		snprintf(name, sizeof(name), "%.*s%d", prefix, last,
			 dir->ctx.task->pid);
		return fn(&child, name, arg);
	}
	if (!strcmp(pct, "%nid")) {
		for_each_online_node (i, dir->ctx.m) {
			child.ctx.nid = i;
			snprintf(name, sizeof(name), "%.*s%d", prefix, last, i);
			err = fn(&child, name, arg);
			if (err)
				return err;
		}
	}
	return 0;
}

/* Call @fn on every entry of the table directory @dir. */
static int for_each_child(const struct pfs_node *dir, pfs_child_fn fn,
			  void *arg)
{
	size_t i;
	int err;

	for (i = 0; i < NR_PFS_ENTRIES; i++) {
		if (!is_child_entry(&pfs_entries[i], dir->entry->path))
			continue;
		err = for_each_instance(dir, &pfs_entries[i], fn, arg);
		if (err)
			return err;
	}
	return 0;
}

static int count_subdir(const struct pfs_node *child,
			const char *name __maybe_unused, void *arg)
{
	if (child->entry->type == PFS_DIR)
		(*(int *)arg)++;
	return 0;
}

/* A sized file's length is that of its text as it would be read now. */
static void node_size(const struct pfs_node *node, struct pfs_stat *st)
{
	struct seq_buf text;

	seq_buf_init(&text);
	if (!node->entry->show(&node->ctx, &text) && !seq_buf_error(&text))
		st->size = (off_t)text.len;
	seq_buf_free(&text);
	st->sized = 1;
}

static void node_getattr(const struct pfs_node *node, struct pfs_stat *st)
{
	const struct pfs_entry *e = node->entry;
	int subdirs = 0;

	if (e->flags & PFS_CGROUPFS) {
		cgroupfs_getattr(node->ctx.m, "", st);
		return;
	}
	memset(st, 0, sizeof(*st));
	st->type = e->type;
	st->mode = e->mode;
	st->write_cap = -1;
	st->nlink = 1;
	/* task_dump_owner(): a user process's files belong to its user */
	if (node->ctx.task && !node->ctx.task->kthread) {
		st->uid = node->ctx.task->uid;
		st->gid = node->ctx.task->gid;
	}
	if (e->flags & PFS_SYSFS)
		st->size = PAGE_SIZE;
	switch (e->type) {
	case PFS_DIR:
		/* proc_sys directories keep a single link */
		if (e->flags & PFS_SYSCTL)
			break;
		for_each_child(node, count_subdir, &subdirs);
		st->nlink = 2 + subdirs;
		break;
	case PFS_LINK:
		e->link(node->ctx.m, st->link, sizeof(st->link));
		break;
	case PFS_FILE:
		st->ranged = e->read != NULL;
		if (e->flags & PFS_SIZED)
			node_size(node, st);
		break;
	}
}

int pfs_getattr(const struct machine *m, const char *path, struct pfs_stat *st)
{
	struct pfs_node node;
	const char *rel;
	int err;

	path = skip_root(path);
	err = sysctl_rel_path(path, &rel);
	if (err)
		return err < 0 ? err : sysctl_pfs_getattr(m, rel, st);
	err = cgroupfs_rel_path(path, &rel);
	if (err)
		return err < 0 ? err : cgroupfs_getattr(m, rel, st);
	err = pfs_lookup(m, path, &node);
	if (err)
		return err;
	node_getattr(&node, st);
	return 0;
}

struct readdir_state {
	pfs_fill_fn fill;
	void *ctx;
};

static int fill_child(const struct pfs_node *child, const char *name, void *arg)
{
	struct readdir_state *rs = arg;
	struct pfs_stat st;

	node_getattr(child, &st);
	return rs->fill(rs->ctx, name, &st);
}

int pfs_readdir(const struct machine *m, const char *path, pfs_fill_fn fill,
		void *ctx)
{
	struct readdir_state rs = {fill, ctx};
	struct pfs_node node;
	const char *rel;
	int err;

	path = skip_root(path);
	err = sysctl_rel_path(path, &rel);
	if (err)
		return err < 0 ? err : sysctl_pfs_readdir(m, rel, fill, ctx);
	err = cgroupfs_rel_path(path, &rel);
	if (err)
		return err < 0 ? err : cgroupfs_readdir(m, rel, fill, ctx);
	err = pfs_lookup(m, path, &node);
	if (err)
		return err;
	if (node.entry->type != PFS_DIR)
		return -ENOTDIR;
	return for_each_child(&node, fill_child, &rs);
}

static int render_path(const struct machine *m, const char *path,
		       struct seq_buf *out)
{
	struct pfs_node node;
	const char *rel;
	int err;

	err = sysctl_rel_path(path, &rel);
	if (err)
		return err < 0 ? err : sysctl_pfs_render(m, rel, out);
	err = cgroupfs_rel_path(path, &rel);
	if (err)
		return err < 0 ? err : cgroupfs_render(m, rel, out);
	err = pfs_lookup(m, path, &node);
	if (err)
		return err;
	switch (node.entry->type) {
	case PFS_DIR:
		return -EISDIR;
	case PFS_LINK:
		/* the filesystem resolves links before it opens anything */
		return -EINVAL;
	case PFS_FILE:
		break;
	}
	if (!node.entry->show)
		return -EINVAL;
	return node.entry->show(&node.ctx, out);
}

int pfs_render(const struct machine *m, const char *path, struct seq_buf *out)
{
	size_t start = out->len;
	int err;

	err = render_path(m, skip_root(path), out);
	if (!err)
		err = seq_buf_error(out);
	/* A failed rendering leaves nothing half-written behind. */
	if (err && out->len > start) {
		out->len = start;
		out->buf[start] = '\0';
	}
	return err;
}

int pfs_write_op(const struct machine *m, const char *path, const char *buf,
		 size_t len, struct seq_buf *op_line, int *need_cap)
{
	struct pfs_node node;
	const char *rel;
	int err;

	*need_cap = -1;
	path = skip_root(path);
	err = sysctl_rel_path(path, &rel);
	if (err)
		return err < 0 ? err
			       : sysctl_pfs_write_op(m, rel, buf, len, op_line);
	err = cgroupfs_rel_path(path, &rel);
	if (err)
		return err < 0 ? err
			       : cgroupfs_write_op(m, rel, buf, len, op_line);
	err = pfs_lookup(m, path, &node);
	if (err)
		return err;
	if (node.entry->type == PFS_DIR)
		return -EISDIR;
	if (!node.entry->write)
		return -EACCES;
	node.ctx.need_cap = need_cap;
	return node.entry->write(&node.ctx, buf, len, op_line);
}

ssize_t pfs_read_range(const struct machine *m, const char *path, off_t off,
		       size_t size, void *buf)
{
	struct pfs_node node;
	const char *rel;
	int err;

	if (off < 0)
		return -EINVAL;
	path = skip_root(path);
	err = sysctl_rel_path(path, &rel);
	if (err)
		return err < 0 ? err : -EINVAL;
	err = cgroupfs_rel_path(path, &rel);
	if (err)
		return err < 0 ? err : -EINVAL;
	err = pfs_lookup(m, path, &node);
	if (err)
		return err;
	if (node.entry->type == PFS_DIR)
		return -EISDIR;
	if (!node.entry->read)
		return -EINVAL;
	return node.entry->read(&node.ctx, (uint64_t)off, size, buf);
}

int pfs_mkdir_op(const struct machine *m, const char *path,
		 struct seq_buf *op_line)
{
	const char *rel;
	int err = cgroupfs_rel_path(skip_root(path), &rel);

	if (err <= 0)
		return err < 0 ? err : -EPERM;
	/* the mount's root exists */
	if (!*rel)
		return -EEXIST;
	return cgroupfs_mkdir_op(m, rel, op_line);
}

int pfs_rmdir_op(const struct machine *m, const char *path,
		 struct seq_buf *op_line)
{
	const char *rel;
	int err = cgroupfs_rel_path(skip_root(path), &rel);

	if (err <= 0)
		return err < 0 ? err : -EPERM;
	return cgroupfs_rmdir_op(m, rel, op_line);
}
