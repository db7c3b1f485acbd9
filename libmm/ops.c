// SPDX-License-Identifier: GPL-2.0
/*
 * Operations: parse a line into words, check them, apply them.  Each
 * operation has a parser that only checks and fills its arguments, and an
 * apply step; op_validate() runs the parser alone.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmdline.h"
#include "machine.h"
#include "mman.h"
#include "ops.h"
#include "ops_internal.h"
#include "page_alloc.h"
#include "seq_buf.h"

#define MAX_PAGES_PER_HANDLE (1U << 24)
/* Long enough for any scenario; keeps the clock far from overflowing. */
#define MAX_TICK_NS (366ULL * 24 * 3600 * NSEC_PER_SEC)

int usage(struct seq_buf *err, const char *synopsis)
{
	seq_printf(err, "usage: %s", synopsis);
	return -EINVAL;
}

/* ---- sysctl KEY=VALUE ---- */

static int parse_sysctl(struct op_args *a, struct seq_buf *err)
{
	char *eq;

	if (a->argc < 2 || !(eq = strchr(a->argv[1], '=')))
		return usage(err, "sysctl KEY=VALUE");
	*eq = '\0';
	if (sysctl_path_from_key(a->argv[1], a->path, sizeof(a->path)) ||
	    !sysctl_lookup(a->path)) {
		seq_printf(err, "sysctl: no such key: %s", a->argv[1]);
		return -ENOENT;
	}
	/* the value is everything after '=', blanks included */
	a->value = eq + 1;
	return 0;
}

static int apply_sysctl(struct machine *m, struct op_args *a,
			struct seq_buf *result, struct seq_buf *err)
{
	int rc = sysctl_write(m, a->path, a->value, strlen(a->value));

	(void)result;
	if (rc)
		seq_printf(err, "sysctl: %s: %s", a->argv[1], strerror(-rc));
	return rc;
}

/* ---- tick DURATION ---- */

static int parse_tick(struct op_args *a, struct seq_buf *err)
{
	if (a->argc != 2)
		return usage(err, "tick DURATION");
	if (parse_duration(a->argv[1], &a->ns) || !a->ns) {
		seq_printf(err,
			   "tick: bad duration '%s' (e.g. 500ms, 10s, 2m, 1h)",
			   a->argv[1]);
		return -EINVAL;
	}
	if (a->ns > MAX_TICK_NS) {
		seq_printf(err, "tick: '%s' is more than a year at once",
			   a->argv[1]);
		return -ERANGE;
	}
	return 0;
}

static int apply_tick(struct machine *m, struct op_args *a,
		      struct seq_buf *result, struct seq_buf *err)
{
	(void)result;
	(void)err;
	machine_tick(m, a->ns);
	return 0;
}

/* ---- alloc-pages ORDER [COUNT] [node=N] [zone=NAME] [type=T] ---- */

static const char alloc_pages_usage[] =
	"alloc-pages ORDER [COUNT] [node=N] [zone=DMA|DMA32|Normal|Movable] "
	"[type=unmovable|movable|reclaimable]";

int parse_option(const char *arg, const char *key, const char **val)
{
	size_t len = strlen(key);

	if (strncmp(arg, key, len) || arg[len] != '=')
		return 0;
	*val = arg + len + 1;
	return 1;
}

static int parse_alloc_pages(struct op_args *a, struct seq_buf *err)
{
	static const char *const types[] = {"unmovable", "movable",
					    "reclaimable"};
	int64_t v;
	const char *val;
	int i, zone = -1, j;

	if (a->argc < 2)
		return usage(err, alloc_pages_usage);
	if (parse_s64(a->argv[1], 0, MAX_PAGE_ORDER, &v)) {
		seq_printf(err, "alloc-pages: order must be 0 to %d, not '%s'",
			   MAX_PAGE_ORDER, a->argv[1]);
		return -EINVAL;
	}
	a->order = (unsigned int)v;
	a->count = 1;
	a->ac.migratetype = MIGRATE_UNMOVABLE;
	a->ac.alloc_flags = ALLOC_WMARK_LOW;
	for (i = 2; i < a->argc; i++) {
		if (i == 2 && isdigit((unsigned char)a->argv[i][0])) {
			if (parse_s64(a->argv[i], 1,
				      MAX_PAGES_PER_HANDLE >> a->order, &v)) {
				seq_printf(err, "alloc-pages: bad count '%s'",
					   a->argv[i]);
				return -EINVAL;
			}
			a->count = (uint32_t)v;
		} else if (parse_option(a->argv[i], "node", &val)) {
			if (parse_s64(val, 0, MAX_NUMNODES - 1, &v)) {
				seq_printf(err, "alloc-pages: bad node '%s'",
					   val);
				return -EINVAL;
			}
			a->ac.preferred_nid = (int)v;
		} else if (parse_option(a->argv[i], "zone", &val)) {
			for (zone = 0; zone < ZONE_DEVICE; zone++)
				if (!strcasecmp(val, zone_names[zone]))
					break;
			if (zone == ZONE_DEVICE) {
				seq_printf(err, "alloc-pages: bad zone '%s'",
					   val);
				return -EINVAL;
			}
		} else if (parse_option(a->argv[i], "type", &val)) {
			for (j = 0; j < 3; j++)
				if (!strcmp(val, types[j]))
					break;
			if (j == 3) {
				seq_printf(err, "alloc-pages: bad type '%s'",
					   val);
				return -EINVAL;
			}
			a->ac.migratetype = j;
		} else {
			seq_printf(err, "alloc-pages: unexpected '%s'; %s",
				   a->argv[i], alloc_pages_usage);
			return -EINVAL;
		}
	}
	/* GFP_KERNEL reaches ZONE_NORMAL, GFP_HIGHUSER_MOVABLE ZONE_MOVABLE */
	a->ac.highest_zoneidx = a->ac.migratetype == MIGRATE_MOVABLE
					? ZONE_MOVABLE
					: ZONE_NORMAL;
	if (zone >= 0) {
		a->ac.highest_zoneidx = zone;
		a->ac.alloc_flags |= ALLOC_THISZONE;
	}
	return 0;
}

static int add_handle(struct machine *m, struct page_handle *h)
{
	if (m->nr_handles == m->handles_size) {
		uint32_t size = m->handles_size ? 2 * m->handles_size : 16;
		struct page_handle *handles =
			realloc(m->handles, size * sizeof(*handles));

		if (!handles)
			return -ENOMEM;
		m->handles = handles;
		m->handles_size = size;
	}
	m->handles[m->nr_handles++] = *h;
	return 0;
}

static int apply_alloc_pages(struct machine *m, struct op_args *a,
			     struct seq_buf *result, struct seq_buf *err)
{
	struct page_handle h = {.order = (uint8_t)a->order, .count = a->count};
	struct page_use use = {.state = PAGE_KERNEL};
	uint32_t i;
	int rc;

	if (a->ac.preferred_nid >= m->nr_node_ids) {
		seq_printf(err, "alloc-pages: no node %d (the machine has %d)",
			   a->ac.preferred_nid, m->nr_node_ids);
		return -EINVAL;
	}
	while (m->cpu_to_node[a->ac.cpu] != a->ac.preferred_nid)
		a->ac.cpu++;
	h.pfns = malloc(a->count * sizeof(pfn_t));
	if (!h.pfns)
		return -ENOMEM;
	h.id = m->next_handle_id + 1;
	use.owner = h.id;
	for (i = 0; i < a->count; i++) {
		rc = alloc_pages(m, a->order, &a->ac, &use, &h.pfns[i]);
		if (rc) {
			seq_printf(err,
				   "alloc-pages: out of memory after %u of %u "
				   "order-%u blocks",
				   i, a->count, a->order);
			goto fail;
		}
	}
	rc = add_handle(m, &h);
	if (rc)
		goto fail;
	m->next_handle_id = h.id;
	seq_printf(result, "%u\n", h.id);
	return 0;
fail:
	/* the caller throws this machine away (see ops.h) */
	free(h.pfns);
	return rc;
}

/* ---- free-pages HANDLE ---- */

static int parse_free_pages(struct op_args *a, struct seq_buf *err)
{
	int64_t v;

	if (a->argc != 2)
		return usage(err, "free-pages HANDLE");
	if (parse_s64(a->argv[1], 1, UINT32_MAX, &v)) {
		seq_printf(err, "free-pages: bad handle '%s'", a->argv[1]);
		return -EINVAL;
	}
	a->handle = (uint32_t)v;
	return 0;
}

static int apply_free_pages(struct machine *m, struct op_args *a,
			    struct seq_buf *result, struct seq_buf *err)
{
	struct page_handle *h = NULL;
	uint32_t i;

	(void)result;
	for (i = 0; i < m->nr_handles; i++)
		if (m->handles[i].id == a->handle)
			h = &m->handles[i];
	if (!h) {
		seq_printf(err, "free-pages: no page handle %u", a->handle);
		return -ENOENT;
	}
	for (i = 0; i < h->count; i++)
		free_pages(m, h->pfns[i], h->order);
	free(h->pfns);
	memmove(h, h + 1,
		(size_t)(m->handles + m->nr_handles - (h + 1)) * sizeof(*h));
	m->nr_handles--;
	return 0;
}

static const struct op ops[] = {
	{"sysctl", parse_sysctl, apply_sysctl},
	{"tick", parse_tick, apply_tick},
	{"alloc-pages", parse_alloc_pages, apply_alloc_pages},
	{"free-pages", parse_free_pages, apply_free_pages},
};

/* The rest of the command contract, arriving with later work. */
static const char *const planned_ops[] = {
	"numa",
};

const char *const op_names[] = {
	"sysctl", "tick", "alloc-pages", "free-pages", "spawn", "fork",
	"exec",	  "exit", "kill",	 "mmap",       "munmap", "mprotect",
	"madvise", "brk", "malloc",	 "free",       "touch", "oom_score_adj",
	"sysfs", "file", "sync", "tmpfs", "shm", "slab", "swapon", "swapoff",
	"cgroup", NULL};

static int split_words(char *line, struct op_args *a, struct seq_buf *err)
{
	char *p = line;

	a->argc = 0;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		if (a->argc == OP_MAX_ARGS) {
			seq_printf(err, "too many words (at most %d)",
				   OP_MAX_ARGS);
			return -E2BIG;
		}
		a->argv[a->argc++] = p;
		/* a sysctl value runs to the end of the line */
		if (a->argc == 2 && !strcmp(a->argv[0], "sysctl"))
			break;
		/* so does a value written to a cgroup file */
		if (a->argc == 5 && !strcmp(a->argv[0], "cgroup") &&
		    !strcmp(a->argv[1], "set")) {
			p += strlen(p);
			while (p > a->argv[4] && isspace((unsigned char)p[-1]))
				*--p = '\0';
			break;
		}
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	if (!a->argc) {
		seq_puts(err, "empty operation");
		return -EINVAL;
	}
	return 0;
}

static int prepare(char *copy, struct op_args *a, const struct op **op,
		   struct seq_buf *err)
{
	size_t i;
	int rc;

	memset(a, 0, sizeof(*a));
	rc = split_words(copy, a, err);
	if (rc)
		return rc;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (!strcmp(a->argv[0], ops[i].name)) {
			*op = &ops[i];
			return ops[i].parse(a, err);
		}
	}
	for (i = 0; i < nr_mm_ops; i++) {
		if (!strcmp(a->argv[0], mm_ops[i].name)) {
			*op = &mm_ops[i];
			return mm_ops[i].parse(a, err);
		}
	}
	for (i = 0; i < nr_file_ops; i++) {
		if (!strcmp(a->argv[0], file_ops[i].name)) {
			*op = &file_ops[i];
			return file_ops[i].parse(a, err);
		}
	}
	for (i = 0; i < nr_swap_ops; i++) {
		if (!strcmp(a->argv[0], swap_ops[i].name)) {
			*op = &swap_ops[i];
			return swap_ops[i].parse(a, err);
		}
	}
	for (i = 0; i < nr_slab_ops; i++) {
		if (!strcmp(a->argv[0], slab_ops[i].name)) {
			*op = &slab_ops[i];
			return slab_ops[i].parse(a, err);
		}
	}
	for (i = 0; i < nr_cgroup_ops; i++) {
		if (!strcmp(a->argv[0], cgroup_ops[i].name)) {
			*op = &cgroup_ops[i];
			return cgroup_ops[i].parse(a, err);
		}
	}
	for (i = 0; i < sizeof(planned_ops) / sizeof(planned_ops[0]); i++) {
		if (!strcmp(a->argv[0], planned_ops[i])) {
			seq_printf(err, "%s: operation not simulated yet",
				   a->argv[0]);
			return -ENOSYS;
		}
	}
	seq_printf(err, "unknown operation '%s'", a->argv[0]);
	return -EINVAL;
}

static char *copy_line(const char *line, struct seq_buf *err)
{
	size_t len = strlen(line);
	char *copy;

	if (len >= OP_MAX_LINE) {
		seq_printf(err, "operation too long (at most %d bytes)",
			   OP_MAX_LINE - 1);
		return NULL;
	}
	copy = strdup(line);
	if (!copy)
		seq_puts(err, "out of memory");
	return copy;
}

int op_validate(const char *line, struct seq_buf *err)
{
	struct op_args a;
	const struct op *op;
	char *copy = copy_line(line, err);
	int rc;

	if (!copy)
		return -EINVAL;
	rc = prepare(copy, &a, &op, err);
	free(copy);
	return rc;
}

int op_apply(struct machine *m, const char *line, struct seq_buf *result,
	     struct seq_buf *err)
{
	struct op_args a;
	const struct op *op;
	char *copy = copy_line(line, err);
	size_t err_len = err->len;
	int rc;

	if (!copy)
		return -EINVAL;
	rc = prepare(copy, &a, &op, err);
	if (!rc) {
		m->vm_commit_refused = 0;
		m->op_errno = 0;
		m->memcg_nr_pages_over_high = 0;
		rc = op->apply(m, &a, result, err);
	}
	/* an overcommit refusal says what did not fit, whatever the op */
	if (rc == -ENOMEM && m->vm_commit_refused) {
		err->len = err_len;
		if (err->buf)
			err->buf[err_len] = '\0';
		seq_printf(err, "%s: ", a.argv[0]);
		vm_commit_explain(m, err);
	}
	free(copy);
	return rc;
}
