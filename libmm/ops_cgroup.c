// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroup operations, the same as the filesystem calls on
 * /sys/fs/cgroup that they stand for:
 *
 *   cgroup create PATH              mkdir PATH
 *   cgroup rm PATH                  rmdir PATH
 *   cgroup set PATH FILE VALUE      a write of VALUE to PATH/FILE
 *   cgroup attach PID PATH          a write of PID to PATH/cgroup.procs
 *
 * PATH is below the hierarchy's root, with or without a leading '/'.
 * VALUE is the rest of the line, as the kernel's handlers see a write
 * with the blanks at its ends stripped.
 */
#include <errno.h>
#include <string.h>

#include "cgroup.h"
#include "machine.h"
#include "ops_internal.h"
#include "seq_buf.h"

static const char cgroup_usage[] =
	"cgroup create PATH | cgroup rm PATH | cgroup set PATH FILE VALUE | "
	"cgroup attach PID PATH";

enum { CG_CREATE, CG_RM, CG_SET, CG_ATTACH };

static int parse_cgroup(struct op_args *a, struct seq_buf *err)
{
	if (a->argc < 3)
		return usage(err, cgroup_usage);
	if (!strcmp(a->argv[1], "create") && a->argc == 3) {
		a->num = CG_CREATE;
	} else if (!strcmp(a->argv[1], "rm") && a->argc == 3) {
		a->num = CG_RM;
	} else if (!strcmp(a->argv[1], "set") && a->argc == 5) {
		a->num = CG_SET;
		a->name = a->argv[3];
		a->value = a->argv[4];
	} else if (!strcmp(a->argv[1], "attach") && a->argc == 4) {
		a->num = CG_ATTACH;
		if (parse_pid("cgroup attach", a->argv[2], &a->pid, err))
			return -EINVAL;
		a->name = a->argv[3];
		return 0;
	} else {
		return usage(err, cgroup_usage);
	}
	a->name = a->num == CG_SET ? a->name : NULL;
	if (strlen(a->argv[2]) >= sizeof(a->path)) {
		seq_printf(err, "cgroup: path too long: %s", a->argv[2]);
		return -ENAMETOOLONG;
	}
	strcpy(a->path, a->argv[2]);
	return 0;
}

/* What the errno of a refused write means, in the words of the docs. */
static const char *why(int rc)
{
	switch (rc) {
	case -EBUSY:
		return "device or resource busy";
	case -EOPNOTSUPP:
		return "not supported by the group's type (threaded subtree)";
	case -EAGAIN:
		return "cgroup.max.depth or cgroup.max.descendants reached";
	default:
		return strerror(-rc);
	}
}

/* Why a well-formed write to @file was refused with EOPNOTSUPP. */
static const char *why_not_supported(const char *file)
{
	if (!strncmp(file, "memory.zswap.", 13))
		return "there is no zswap pool: only the default is kept "
		       "(operation not supported)";
	if (strstr(file, ".pressure"))
		return "a PSI trigger lives with an open file; an operation "
		       "cannot register one (operation not supported)";
	return why(-EOPNOTSUPP);
}

static int lookup(struct machine *m, const char *path, struct cgroup **cgrp,
		  struct seq_buf *err)
{
	int rc = cgroup_lookup(m, path, cgrp);

	if (rc)
		seq_printf(err, "cgroup: %s: %s", path,
			   rc == -ENOENT ? "no such cgroup" : strerror(-rc));
	return rc;
}

static int apply_cgroup(struct machine *m, struct op_args *a,
			struct seq_buf *result, struct seq_buf *err)
{
	struct cgroup *cgrp;
	const char *dir;
	int rc;

	(void)result;
	switch (a->num) {
	case CG_CREATE:
		rc = cgroup_mkdir(m, a->path);
		if (rc)
			seq_printf(err, "cgroup create: %s: %s", a->path,
				   why(rc));
		return rc;
	case CG_RM:
		rc = cgroup_rmdir(m, a->path);
		if (rc == -EBUSY)
			seq_printf(err,
				   "cgroup rm: %s: has processes or child "
				   "cgroups (device or resource busy)",
				   a->path);
		else if (rc)
			seq_printf(err, "cgroup rm: %s: %s", a->path, why(rc));
		return rc;
	case CG_SET:
		rc = lookup(m, a->path, &cgrp, err);
		if (rc)
			return rc;
		rc = cgroup_file_write(m, cgrp, a->name, a->value);
		/* the root's path is "/": no second slash before the file */
		dir = cgrp->parent ? cgrp->path : "";
		if (rc == -ENOENT)
			seq_printf(err, "cgroup set: %s has no file %s",
				   cgrp->path, a->name);
		else if (rc == -EACCES)
			seq_printf(err, "cgroup set: %s/%s is read-only", dir,
				   a->name);
		else if (rc == -EOPNOTSUPP)
			seq_printf(err, "cgroup set: %s/%s: '%s': %s", dir,
				   a->name, a->value,
				   why_not_supported(a->name));
		else if (rc)
			seq_printf(err, "cgroup set: %s/%s: '%s': %s", dir,
				   a->name, a->value, why(rc));
		else if (m->op_errno == -EAGAIN)
			seq_printf(result,
				   "cgroup set: %s/%s: '%s': reclaim gave up "
				   "short of it (what it freed stays freed)",
				   dir, a->name, a->value);
		return rc;
	default:
		rc = lookup(m, a->name, &cgrp, err);
		if (rc)
			return rc;
		rc = cgroup_attach_pid(m, cgrp, a->pid, 1);
		if (rc == -ESRCH)
			seq_printf(err, "cgroup attach: no process %d", a->pid);
		else if (rc == -EINVAL)
			seq_printf(err,
				   "cgroup attach: %d is a kernel thread, "
				   "bound to its CPUs",
				   a->pid);
		else if (rc == -EBUSY)
			seq_printf(err,
				   "cgroup attach: %s has controllers enabled "
				   "for its children (no internal processes)",
				   cgrp->path);
		else if (rc)
			seq_printf(err, "cgroup attach: %s: %s", cgrp->path,
				   why(rc));
		return rc;
	}
}

const struct op cgroup_ops[] = {
	{"cgroup", parse_cgroup, apply_cgroup},
};

const size_t nr_cgroup_ops = sizeof(cgroup_ops) / sizeof(cgroup_ops[0]);
