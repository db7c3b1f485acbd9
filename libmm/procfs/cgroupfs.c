// SPDX-License-Identifier: GPL-2.0
/*
 * sys/fs/cgroup: the cgroup2 filesystem over the hierarchy (cgroup.h).
 * A directory per group and its core files, with kernfs's modes and a
 * size of 0.  A write becomes "cgroup set PATH FILE VALUE", mkdir and
 * rmdir become "cgroup create" and "cgroup rm": the operation applies
 * the kernel's checks and answers with its errno.  @rel is a path below
 * sys/fs/cgroup ("" for the root).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "internal.h"

/* The group @rel names, or the group and core file it names. */
static int resolve(const struct machine *m, const char *rel,
		   struct cgroup **cgrp, const struct cgroup_file_info **file)
{
	const char *slash = strrchr(rel, '/');
	const char *name = slash ? slash + 1 : rel;
	char dir[PATH_MAX];
	int i;

	*file = NULL;
	if (!cgroup_lookup(m, rel, cgrp))
		return 0;
	if ((size_t)(name - rel) >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, rel, (size_t)(name - rel));
	dir[name - rel] = '\0';
	if (cgroup_lookup(m, dir, cgrp))
		return -ENOENT;
	for (i = 0; cgroup_file(*cgrp, i); i++) {
		if (!strcmp(cgroup_file(*cgrp, i)->name, name)) {
			*file = cgroup_file(*cgrp, i);
			return 0;
		}
	}
	return -ENOENT;
}

/* @rel must name a core file: its group and file, or -EISDIR. */
static int resolve_file(const struct machine *m, const char *rel,
			struct cgroup **cgrp,
			const struct cgroup_file_info **file)
{
	int err = resolve(m, rel, cgrp, file);

	return err ?: !*file ? -EISDIR : 0;
}

/* @rel must name a group: it, or -ENOTDIR for a file. */
static int resolve_dir(const struct machine *m, const char *rel,
		       struct cgroup **cgrp)
{
	const struct cgroup_file_info *file;
	int err = resolve(m, rel, cgrp, &file);

	return err ?: file ? -ENOTDIR : 0;
}

static void dir_stat(const struct cgroup *cgrp, struct pfs_stat *st)
{
	const struct cgroup *c;

	memset(st, 0, sizeof(*st));
	st->type = PFS_DIR;
	st->mode = 0755;
	st->write_cap = -1;
	st->nlink = 2;
	for (c = cgrp->children; c; c = c->next_sibling)
		st->nlink++;
}

static void file_stat(const struct cgroup_file_info *f, struct pfs_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->type = PFS_FILE;
	st->mode = f->mode;
	st->write_cap = -1;
	st->nlink = 1;
}

int cgroupfs_getattr(const struct machine *m, const char *rel,
		     struct pfs_stat *st)
{
	const struct cgroup_file_info *f;
	struct cgroup *cgrp;
	int err = resolve(m, rel, &cgrp, &f);

	if (err)
		return err;
	if (f)
		file_stat(f, st);
	else
		dir_stat(cgrp, st);
	return 0;
}

/* kernfs lists a directory's files, then the groups made in it. */
int cgroupfs_readdir(const struct machine *m, const char *rel, pfs_fill_fn fill,
		     void *ctx)
{
	const struct cgroup_file_info *f;
	struct cgroup *cgrp, *c;
	struct pfs_stat st;
	int err = resolve_dir(m, rel, &cgrp), i;

	if (err)
		return err;
	for (i = 0; (f = cgroup_file(cgrp, i)); i++) {
		file_stat(f, &st);
		err = fill(ctx, f->name, &st);
		if (err)
			return err;
	}
	for (c = cgrp->children; c; c = c->next_sibling) {
		dir_stat(c, &st);
		err = fill(ctx, c->name, &st);
		if (err)
			return err;
	}
	return 0;
}

int cgroupfs_render(const struct machine *m, const char *rel,
		    struct seq_buf *out)
{
	const struct cgroup_file_info *f;
	struct cgroup *cgrp;
	int err = resolve_file(m, rel, &cgrp, &f);

	if (err)
		return err;
	/* the root's stall files are the system's, /proc/pressure/ */
	if (cgroup_psi_file(f->name) >= 0)
		return psi_show(m, cgrp->parent ? &cgrp->psi : &m->psi,
				(enum psi_res)cgroup_psi_file(f->name), out);
	return cgroup_file_show(m, cgrp, f->name, out);
}

int cgroupfs_write_op(const struct machine *m, const char *rel, const char *buf,
		      size_t len, struct seq_buf *op_line)
{
	const struct cgroup_file_info *f;
	struct cgroup *cgrp;
	size_t i;
	int err = resolve_file(m, rel, &cgrp, &f);

	if (err)
		return err;
	if (!(f->mode & 0200))
		return -EACCES;
	/* a trigger, as for /proc/pressure/: refused either way */
	if (cgroup_psi_file(f->name) >= 0) {
		struct pfs_ctx ctx = {.m = m};

		return pressure_write(&ctx, buf, len, op_line);
	}
	/*
	 * Whatever is written to a peak file resets the peak seen through
	 * that open file only, which changes nothing in the machine: no
	 * operation.  (The text was made at open, so the writer's own
	 * handle goes on showing the peak since the group was made.)
	 */
	if (!strcmp(f->name, "memory.peak") ||
	    !strcmp(f->name, "memory.swap.peak"))
		return 0;
	/* strstrip(): the handlers see the value without blanks around it */
	while (len && isspace((unsigned char)buf[len - 1]))
		len--;
	while (len && isspace((unsigned char)*buf)) {
		buf++;
		len--;
	}
	/*
	 * A value that spans lines, or holds a NUL, is garbage to every core
	 * file's parser (and could not be one operation line).
	 */
	for (i = 0; i < len; i++)
		if (buf[i] == '\n' || buf[i] == '\r' || !buf[i])
			return -EINVAL;
	/* "echo > cgroup.subtree_control" enables and disables nothing */
	if (!len && !strcmp(f->name, "cgroup.subtree_control"))
		return 0;
	if (!len)
		return -EINVAL;
	seq_printf(op_line, "cgroup set %s %s %.*s", cgrp->path, f->name,
		   (int)len, buf);
	return 0;
}

int cgroupfs_mkdir_op(const struct machine *m, const char *rel,
		      struct seq_buf *op_line)
{
	const struct cgroup_file_info *f;
	const char *slash = strrchr(rel, '/');
	const char *name = slash ? slash + 1 : rel;
	struct cgroup *cgrp;

	if (!resolve(m, rel, &cgrp, &f))
		return -EEXIST;
	if (strlen(name) > CGROUP_NAME_MAX)
		return -ENAMETOOLONG;
	if (!cgroup_name_valid(name))
		return -EINVAL;
	seq_printf(op_line, "cgroup create /%s", rel);
	return 0;
}

int cgroupfs_rmdir_op(const struct machine *m, const char *rel,
		      struct seq_buf *op_line)
{
	struct cgroup *cgrp;
	int err = resolve_dir(m, rel, &cgrp);

	if (err)
		return err;
	/* the root is the mount point */
	if (!cgrp->parent)
		return -EBUSY;
	seq_printf(op_line, "cgroup rm %s", cgrp->path);
	return 0;
}
