// SPDX-License-Identifier: GPL-2.0
/* Walking the whole tree, for the snapshot writers. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Deeper than any path in /proc or /sys: a loop in the tree. */
#define WALK_MAX_DEPTH 32

struct walk_entry {
	char *name;
	struct pfs_stat st;
};

struct walk_list {
	struct walk_entry *v;
	size_t nr, size;
	int error;
};

static int collect(void *arg, const char *name, const struct pfs_stat *st)
{
	struct walk_list *l = arg;
	struct walk_entry *v;

	if (l->error)
		return 0;
	if (l->nr == l->size) {
		size_t size = l->size ? 2 * l->size : 32;

		v = realloc(l->v, size * sizeof(*v));
		if (!v) {
			l->error = -ENOMEM;
			return 0;
		}
		l->v = v;
		l->size = size;
	}
	l->v[l->nr].name = strdup(name);
	if (!l->v[l->nr].name) {
		l->error = -ENOMEM;
		return 0;
	}
	l->v[l->nr++].st = *st;
	return 0;
}

static int walk_dir(const struct machine *m, const char *path,
		    const struct pfs_walker *w, void *ctx, int depth)
{
	struct walk_list l = {0};
	char sub[PATH_MAX];
	size_t i;
	int ret;

	if (depth > WALK_MAX_DEPTH)
		return -ELOOP;
	ret = pfs_readdir(m, path, collect, &l);
	if (!ret)
		ret = l.error;
	for (i = 0; i < l.nr && !ret; i++) {
		const struct pfs_stat *st = &l.v[i].st;

		if (snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "/" : "",
			     l.v[i].name) >= (int)sizeof(sub)) {
			ret = -ENAMETOOLONG;
			break;
		}
		ret = w->visit(ctx, sub, st);
		if (!ret && st->type == PFS_DIR) {
			ret = walk_dir(m, sub, w, ctx, depth + 1);
			if (!ret && w->leave)
				ret = w->leave(ctx, sub, st);
		}
	}
	for (i = 0; i < l.nr; i++)
		free(l.v[i].name);
	free(l.v);
	return ret;
}

int pfs_walk(const struct machine *m, const struct pfs_walker *w, void *ctx)
{
	return walk_dir(m, "", w, ctx, 0);
}
