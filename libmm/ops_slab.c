// SPDX-License-Identifier: GPL-2.0
/*
 * The slab operation: kernel objects taken and given back by hand, as a
 * leaking driver or a dentry-hungry workload would.
 *
 *   slab alloc CACHE COUNT [node=N]
 *   slab free CACHE COUNT
 *
 * A free gives back objects taken by hand only, never those of the boot
 * or of the model's tasks, VMAs and files.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmdline.h"
#include "machine.h"
#include "ops_internal.h"
#include "seq_buf.h"
#include "slab.h"
#include "vmscan.h"

static const char slab_usage[] =
	"slab alloc CACHE COUNT [node=N] | slab free CACHE COUNT";

static int parse_slab(struct op_args *a, struct seq_buf *err)
{
	enum kmem_cache_id id;
	const char *val;
	int64_t v;

	if (a->argc < 4 || a->argc > 5)
		return usage(err, slab_usage);
	/* write: alloc, else free */
	if (!strcmp(a->argv[1], "alloc"))
		a->write = 1;
	else if (strcmp(a->argv[1], "free"))
		return usage(err, slab_usage);
	if (kmem_cache_lookup(a->argv[2], &id)) {
		seq_printf(err, "slab: no cache named '%s'", a->argv[2]);
		return -ENOENT;
	}
	a->name = a->argv[2];
	if (parse_s64(a->argv[3], 1, INT64_MAX, &v)) {
		seq_printf(err, "slab: bad count '%s' (a positive number)",
			   a->argv[3]);
		return -EINVAL;
	}
	a->size = (uint64_t)v;
	a->node = 0;
	if (a->argc == 5) {
		if (!a->write || !parse_option(a->argv[4], "node", &val)) {
			seq_printf(err, "slab: unexpected '%s'; %s", a->argv[4],
				   slab_usage);
			return -EINVAL;
		}
		if (parse_s64(val, 0, MAX_NUMNODES - 1, &v)) {
			seq_printf(err, "slab: bad node '%s'", val);
			return -EINVAL;
		}
		a->node = (int)v;
	}
	return 0;
}

static int apply_slab(struct machine *m, struct op_args *a,
		      struct seq_buf *result, struct seq_buf *err)
{
	const struct kmem_cache *s;
	enum kmem_cache_id id;
	int rc;

	(void)result;
	kmem_cache_lookup(a->name, &id);
	if (a->node >= m->nr_node_ids) {
		seq_printf(err, "slab: no node %d (the machine has %d)",
			   a->node, m->nr_node_ids);
		return -EINVAL;
	}
	if (a->write) {
		struct slabinfo si;
		uint64_t done, n;

		/* a batch at a time, reclaiming between them when short */
		get_slabinfo(m, kmem_cache_target(id), &si);
		n = 32 * PAGE_SIZE / si.objsize ?: 1;
		for (done = 0, rc = 0; done < a->size && !rc; done += n) {
			if (n > a->size - done)
				n = a->size - done;
			reclaim_before_alloc(m, a->node);
			rc = slab_alloc_manual(m, id, n, a->node);
		}
		if (rc)
			seq_printf(err,
				   "slab: out of memory for %llu %s objects",
				   (unsigned long long)a->size, a->name);
		return rc;
	}
	s = kmem_cache_state(m, id);
	if (a->size > s->manual) {
		seq_printf(err,
			   "slab: cannot free %llu %s objects: %llu were "
			   "allocated by hand",
			   (unsigned long long)a->size, a->name,
			   (unsigned long long)s->manual);
		return -EINVAL;
	}
	return slab_free_manual(m, id, a->size);
}

const struct op slab_ops[] = {
	{"slab", parse_slab, apply_slab},
};

const size_t nr_slab_ops = sizeof(slab_ops) / sizeof(slab_ops[0]);
