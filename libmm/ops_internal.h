/* SPDX-License-Identifier: GPL-2.0 */
/* What the operation files share: parsed arguments and the op table. */
#ifndef MMSIM_OPS_INTERNAL_H
#define MMSIM_OPS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ops.h"
#include "page_alloc.h"

struct seq_buf;

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

#endif
