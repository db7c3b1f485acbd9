/* SPDX-License-Identifier: GPL-2.0 */
/* What the operation files share: parsed arguments and the op table. */
#ifndef MMSIM_OPS_INTERNAL_H
#define MMSIM_OPS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ops.h"
#include "page_alloc.h"

struct seq_buf;
struct machine;
struct inode;
struct task_struct;

struct op_args {
	int argc;
	char *argv[OP_MAX_ARGS];
	/* parsed */
	char path[256];
	const char *value;
	uint64_t ns;
	unsigned int order;
	uint32_t count;
	uint32_t handle;
	struct alloc_context ac;
	/* process and address-space operations */
	int pid;
	int64_t num; /* a signed count, delta or score */
	uint64_t addr, size;
	uint64_t vm_flags; /* protection or mapping flags */
	unsigned int advice;
	int write, random, populate, hugetlb;
	uint32_t passes;
	int uid, node, oom_score_adj;
	const char *name;
};

struct op {
	const char *name;
	int (*parse)(struct op_args *a, struct seq_buf *err);
	int (*apply)(struct machine *m, struct op_args *a,
		     struct seq_buf *result, struct seq_buf *err);
};

int usage(struct seq_buf *err, const char *synopsis);
/* Whether @arg is "@key=VALUE"; *@val is then VALUE. */
int parse_option(const char *arg, const char *key, const char **val);

/* ops_mm.c: processes and address spaces */
extern const struct op mm_ops[];
extern const size_t nr_mm_ops;
int parse_pid(const char *op, const char *s, int *pid, struct seq_buf *err);
struct task_struct *user_task(struct machine *m, const char *op, int pid,
			      struct seq_buf *err);
/*
 * The OOM killer chose the task @pid that the operation ran as: what it
 * did so far stands, and the operation is done (0, said in @result).
 */
int oom_killed(struct seq_buf *result, const char *op, int pid);
/* Say what errno @rc means for @op; returns @rc. */
int report(struct seq_buf *err, const char *op, int rc);
/* shmat(): map @inode shared at a free address of @t: 0 and *@addr. */
int map_shared_inode(struct machine *m, struct task_struct *t,
		     struct inode *inode, uint64_t len, uint64_t vm_flags,
		     uint64_t *addr);

/* ops_filemap.c: files, sync, tmpfs and shared memory */
extern const struct op file_ops[];
extern const size_t nr_file_ops;

/* ops_swap.c: swapon and swapoff */
extern const struct op swap_ops[];
extern const size_t nr_swap_ops;

/* ops_slab.c: slab objects by hand */
extern const struct op slab_ops[];
extern const size_t nr_slab_ops;

/* ops_cgroup.c: the cgroup v2 hierarchy */
extern const struct op cgroup_ops[];
extern const size_t nr_cgroup_ops;

#endif
