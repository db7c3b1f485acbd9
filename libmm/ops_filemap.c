// SPDX-License-Identifier: GPL-2.0
/*
 * The operations on files and shared memory: file create/read/write/rm,
 * sync, tmpfs mount, and shm (POSIX open/unlink, System V get/attach/rm).
 * A path under a tmpfs mount names a tmpfs file; any other absolute path
 * names a file on the simulated disk.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"
#include "filemap_internal.h"
#include "machine.h"
#include "memcontrol.h"
#include "mm.h"
#include "ops_internal.h"
#include "seq_buf.h"
#include "slab.h"
#include "writeback.h"

/* Files of at most 16 TiB: the page index is 32 bits wide. */
#define MAX_FILE_SIZE (1ULL << 44)

/* An absolute path without empty, "." or ".." components. */
static int parse_path(const char *op, const char *s, struct op_args *a,
		      struct seq_buf *err)
{
	const char *p = s;

	if (*s != '/' || strlen(s) >= sizeof(a->path) || !s[1])
		goto bad;
	while (*p == '/') {
		const char *c = ++p;

		while (*p && *p != '/')
			p++;
		if (p == c || (p - c == 1 && c[0] == '.') ||
		    (p - c == 2 && c[0] == '.' && c[1] == '.'))
			goto bad;
	}
	strcpy(a->path, s);
	return 0;
bad:
	seq_printf(err, "%s: bad path '%s' (absolute, no '.', '..' or '//')",
		   op, s);
	return -EINVAL;
}

static int parse_file_size(const char *op, const char *s, uint64_t *size,
			   struct seq_buf *err)
{
	if (parse_size(s, size) || *size > MAX_FILE_SIZE) {
		seq_printf(err, "%s: bad size '%s'", op, s);
		return -EINVAL;
	}
	return 0;
}

/* A POSIX shared memory name: one path component. */
static int parse_shm_name(const char *s, struct op_args *a, struct seq_buf *err)
{
	const char *p;

	for (p = s; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._-", *p))
			break;
	if (*p || !*s || !strcmp(s, ".") || !strcmp(s, "..") ||
	    strlen(s) > 200) {
		seq_printf(err, "shm: bad name '%s'", s);
		return -EINVAL;
	}
	snprintf(a->path, sizeof(a->path), "/dev/shm/%s", s);
	return 0;
}

/* A disk or tmpfs file, by path; NULL with a message if there is none. */
static struct inode *lookup_file(struct machine *m, const char *op,
				 const char *path, struct seq_buf *err)
{
	struct inode *inode = inode_lookup_path(m, path);

	if (!inode ||
	    (inode->kind != INODE_FILE && inode->kind != INODE_TMPFS)) {
		seq_printf(err, "%s: %s: no such file", op, path);
		return NULL;
	}
	/* open(2) looks it up: a pruned inode comes back into memory */
	if (inode_iget(m, inode)) {
		seq_printf(err, "%s: %s: out of memory", op, path);
		return NULL;
	}
	return inode;
}

/* ---- file create|read|write|rm PATH ... ---- */

static const char file_usage[] =
	"file create PATH SIZE | file read|write PATH [OFFSET LENGTH] "
	"[pid=PID] | file rm PATH";

static int parse_file(struct op_args *a, struct seq_buf *err)
{
	const char *cmd = a->argc > 1 ? a->argv[1] : "", *val;
	int create = !strcmp(cmd, "create"), rm = !strcmp(cmd, "rm");
	int rw = !strcmp(cmd, "read") || !strcmp(cmd, "write");
	int argc = a->argc;

	/* a read or write on behalf of a task names it last */
	if (rw && argc > 3 && parse_option(a->argv[argc - 1], "pid", &val)) {
		if (parse_pid("file", val, &a->pid, err))
			return -EINVAL;
		argc--;
	}
	if ((create && argc != 4) || (rm && argc != 3) ||
	    (rw && argc != 3 && argc != 5) || !(create || rm || rw))
		return usage(err, file_usage);
	a->value = cmd;
	if (parse_path("file", a->argv[2], a, err))
		return -EINVAL;
	if (create)
		return parse_file_size("file", a->argv[3], &a->size, err);
	if (rw && argc == 5) {
		if (parse_file_size("file", a->argv[3], &a->addr, err) ||
		    parse_file_size("file", a->argv[4], &a->size, err))
			return -EINVAL;
		a->populate = 1; /* a range was given */
	}
	return 0;
}

static int file_create(struct machine *m, struct op_args *a,
		       struct seq_buf *err)
{
	int sb = shmem_sb_of_path(m, a->path), rc, i;
	struct inode *inode;

	for (i = 1; i < m->nr_tmpfs; i++) {
		if (!strcmp(m->tmpfs[i].path, a->path)) {
			seq_printf(err, "file: %s is a mount point", a->path);
			return -EISDIR;
		}
	}
	if (inode_lookup_path(m, a->path)) {
		seq_printf(err, "file: %s exists", a->path);
		return -EEXIST;
	}
	rc = inode_create(m, a->path, sb < 0 ? a->size : 0,
			  sb < 0 ? INODE_FILE : INODE_TMPFS, &inode);
	if (rc)
		return report(err, "file", rc);
	/* its data is on the disk, none of it cached; its inode is new */
	if (sb < 0)
		return write_inode(m, inode) ? report(err, "file", -ENOMEM) : 0;
	/* a tmpfs file's data is its memory */
	rc = filemap_write(m, inode, 0, a->size, 0, 0);
	if (rc == -ENOSPC) {
		seq_printf(err, "file: %s: no space left on the tmpfs at %s",
			   a->path, m->tmpfs[sb].path);
		return rc;
	}
	return rc ? report(err, "file", rc) : 0;
}

/*
 * The read or write itself, as task @a->pid when one is named: on its
 * CPU, charged to its memcg as a fault would be (set_active_memcg()), its
 * memcg's limit enforced at each safe point, its stalls its group's.
 */
static int file_rw(struct machine *m, struct op_args *a, struct inode *inode,
		   struct seq_buf *result, struct seq_buf *err)
{
	const struct task_struct *t = NULL;
	struct mem_cgroup *old;
	struct cgroup *old_cgrp;
	uint64_t pos = 0, len = inode->i_size;
	int64_t n;
	int rc;

	if (a->pid && !(t = find_task_by_pid(m, a->pid))) {
		seq_printf(err, "file: no process %d", a->pid);
		return -ESRCH;
	}
	if (a->populate) {
		pos = a->addr;
		len = a->size;
	}
	old = set_active_memcg(m, t ? mem_cgroup_from_task(m, t) : NULL);
	/* what the reader waits for is its group's stall */
	old_cgrp = set_current_cgroup(m, t ? t->cgroup : NULL);
	if (!strcmp(a->value, "read")) {
		n = filemap_read(m, inode, pos, len, t ? t->cpu : 0, a->pid);
		rc = n < 0 ? (int)n : 0;
	} else {
		/* mtime and size change: the inode is dirty too */
		rc = filemap_write(m, inode, pos, len, t ? t->cpu : 0, a->pid)
			     ?: write_inode(m, inode);
	}
	if (t && !rc)
		mem_cgroup_handle_over_high(m, mem_cgroup_from_task(m, t));
	set_current_cgroup(m, old_cgrp);
	set_active_memcg(m, old);
	if (rc == -EINTR)
		return oom_killed(result, "file", a->pid);
	if (rc == -ENOSPC) {
		seq_printf(err, "file: %s: no space left on its tmpfs",
			   a->path);
		return rc;
	}
	return rc ? report(err, "file", rc) : 0;
}

static int apply_file(struct machine *m, struct op_args *a,
		      struct seq_buf *result, struct seq_buf *err)
{
	struct inode *inode;
	int rc;

	if (!strcmp(a->value, "create"))
		return file_create(m, a, err);
	inode = lookup_file(m, "file", a->path, err);
	if (!inode)
		return -ENOENT;
	if (!strcmp(a->value, "rm")) {
		/* the inode's dtime and the free bitmaps go to the disk */
		rc = write_inode(m, inode);
		if (rc)
			return report(err, "file", rc);
		inode_unlink(m, inode);
		return 0;
	}
	/* open(2) takes a struct file for the read or write, close(2) frees it
	 */
	rc = kmem_cache_alloc_n(m, KMEM_FILP, 1, 0);
	if (rc)
		return report(err, "file", rc);
	rc = file_rw(m, a, inode, result, err);
	kmem_cache_free_n(m, KMEM_FILP, 1);
	return rc;
}

/* ---- sync ---- */

static int parse_sync(struct op_args *a, struct seq_buf *err)
{
	return a->argc == 1 ? 0 : usage(err, "sync");
}

static int apply_sync(struct machine *m, struct op_args *a,
		      struct seq_buf *result, struct seq_buf *err)
{
	int rc = sync_inodes(m);

	(void)a;
	(void)result;
	return rc ? report(err, "sync", rc) : 0;
}

/* ---- tmpfs mount PATH SIZE ---- */

static int parse_tmpfs(struct op_args *a, struct seq_buf *err)
{
	if (a->argc != 4 || strcmp(a->argv[1], "mount"))
		return usage(err, "tmpfs mount PATH SIZE");
	if (parse_path("tmpfs", a->argv[2], a, err))
		return -EINVAL;
	if (parse_size(a->argv[3], &a->size) || !a->size) {
		seq_printf(err, "tmpfs: bad size '%s'", a->argv[3]);
		return -EINVAL;
	}
	return 0;
}

static int apply_tmpfs(struct machine *m, struct op_args *a,
		       struct seq_buf *result, struct seq_buf *err)
{
	int rc = shmem_mount(m, a->path, a->size);

	(void)result;
	if (rc == -EBUSY)
		seq_printf(err, "tmpfs: %s is already a tmpfs mount", a->path);
	else if (rc == -ENOSPC)
		seq_printf(err, "tmpfs: at most %d tmpfs mounts",
			   MAX_TMPFS_MOUNTS - 1);
	else if (rc)
		report(err, "tmpfs", rc);
	return rc;
}

/* ---- shm open|unlink|get|attach|rm ---- */

static const char shm_usage[] =
	"shm open NAME SIZE | shm unlink NAME | shm get KEY SIZE [pid=PID] | "
	"shm attach PID SHMID | shm rm SHMID";

static int parse_shmid(const char *s, struct op_args *a, struct seq_buf *err)
{
	int64_t v;

	if (parse_s64(s, 0, INT32_MAX, &v)) {
		seq_printf(err, "shm: bad shmid '%s'", s);
		return -EINVAL;
	}
	a->handle = (uint32_t)v;
	return 0;
}

static int parse_shm(struct op_args *a, struct seq_buf *err)
{
	const char *cmd = a->argc > 1 ? a->argv[1] : "", *val;
	char *end;
	int64_t v;

	a->value = cmd;
	if (!strcmp(cmd, "open") && a->argc == 4) {
		if (parse_shm_name(a->argv[2], a, err))
			return -EINVAL;
		return parse_file_size("shm", a->argv[3], &a->size, err);
	}
	if (!strcmp(cmd, "unlink") && a->argc == 3)
		return parse_shm_name(a->argv[2], a, err);
	if (!strcmp(cmd, "get") && (a->argc == 4 || a->argc == 5)) {
		/* key_t is an int; keys are often written in hex */
		errno = 0;
		v = strtoll(a->argv[2], &end, 0);
		if (errno || end == a->argv[2] || *end || v < INT32_MIN ||
		    v > (int64_t)UINT32_MAX) {
			seq_printf(err, "shm: bad key '%s'", a->argv[2]);
			return -EINVAL;
		}
		a->num = (int32_t)(uint32_t)v;
		if (parse_size(a->argv[3], &a->size)) {
			seq_printf(err, "shm: bad size '%s'", a->argv[3]);
			return -EINVAL;
		}
		if (a->argc == 5 && (!parse_option(a->argv[4], "pid", &val) ||
				     parse_pid("shm", val, &a->pid, err)))
			return usage(err, shm_usage);
		return 0;
	}
	if (!strcmp(cmd, "attach") && a->argc == 4)
		return parse_pid("shm", a->argv[2], &a->pid, err)
			       ?: parse_shmid(a->argv[3], a, err);
	if (!strcmp(cmd, "rm") && a->argc == 3)
		return parse_shmid(a->argv[2], a, err);
	return usage(err, shm_usage);
}

/* shm_open(O_CREAT | O_EXCL) and ftruncate(): a sparse /dev/shm file. */
static int shm_open_file(struct machine *m, struct op_args *a,
			 struct seq_buf *err)
{
	struct inode *inode;
	int rc;

	if (shmem_sb_of_path(m, a->path) < 0) {
		seq_puts(err, "shm: /dev/shm is not a tmpfs mount");
		return -ENOENT;
	}
	if (inode_lookup_path(m, a->path)) {
		seq_printf(err, "shm: %s exists", a->path);
		return -EEXIST;
	}
	rc = inode_create(m, a->path, a->size, INODE_TMPFS, &inode);
	return rc ? report(err, "shm", rc) : 0;
}

static int shm_attach(struct machine *m, struct op_args *a,
		      struct seq_buf *result, struct seq_buf *err)
{
	struct task_struct *t = user_task(m, "shm", a->pid, err);
	struct shmid_kernel *seg;
	struct inode *inode;
	uint64_t addr;
	int rc;

	if (!t)
		return -ESRCH;
	seg = shm_find(m, (int)a->handle);
	if (!seg || (seg->mode & SHM_DEST)) {
		seq_printf(err, "shm: no segment %u", a->handle);
		return -EINVAL;
	}
	inode = inode_mut(m, seg->ino);
	rc = map_shared_inode(m, t, inode, seg->segsz, VM_READ | VM_WRITE,
			      &addr);
	if (rc)
		return report(err, "shm", rc);
	seg->lpid = t->pid;
	seg->atime = m->boot_epoch + m->clock_ns / NSEC_PER_SEC;
	seq_printf(result, "%#llx\n", (unsigned long long)addr);
	return 0;
}

static int apply_shm(struct machine *m, struct op_args *a,
		     struct seq_buf *result, struct seq_buf *err)
{
	const struct task_struct *t = NULL;
	struct inode *inode;
	int shmid, rc;

	if (!strcmp(a->value, "open"))
		return shm_open_file(m, a, err);
	if (!strcmp(a->value, "unlink")) {
		inode = lookup_file(m, "shm", a->path, err);
		if (!inode)
			return -ENOENT;
		inode_unlink(m, inode);
		return 0;
	}
	if (!strcmp(a->value, "attach"))
		return shm_attach(m, a, result, err);
	if (!strcmp(a->value, "rm")) {
		rc = shm_rmid(m, (int)a->handle);
		if (rc)
			seq_printf(err, "shm: no segment %u", a->handle);
		return rc;
	}
	if (a->pid && !(t = find_task_by_pid(m, a->pid))) {
		seq_printf(err, "shm: no process %d", a->pid);
		return -ESRCH;
	}
	rc = shm_get(m, (int32_t)a->num, a->size, a->pid, t ? t->uid : 0,
		     &shmid);
	if (rc == -EINVAL)
		seq_printf(err,
			   "shm: size %llu: zero, too large, or larger than "
			   "key %d's segment",
			   (unsigned long long)a->size, (int)a->num);
	else if (rc == -ENOSPC)
		seq_printf(err, "shm: no room for another segment (%d at most)",
			   SHMMNI);
	else if (rc)
		report(err, "shm", rc);
	if (!rc)
		seq_printf(result, "%d\n", shmid);
	return rc;
}

const struct op file_ops[] = {
	{"file", parse_file, apply_file},
	{"sync", parse_sync, apply_sync},
	{"tmpfs", parse_tmpfs, apply_tmpfs},
	{"shm", parse_shm, apply_shm},
};

const size_t nr_file_ops = sizeof(file_ops) / sizeof(file_ops[0]);
