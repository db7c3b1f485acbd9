// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim snapshot IMAGE DIR: the proc/ and sys/ trees of the machine as
 * plain files, directories and symlinks under DIR, for test fixtures.
 * Files that cannot be read (write-only knobs: EACCES) are left out.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd-common.h"
#include "image.h"
#include "procfs.h"
#include "seq_buf.h"

/* Deeper than any real path in /proc or /sys: a loop in the tree. */
#define SNAPSHOT_MAX_DEPTH 32

struct entry {
	char *name;
	struct pfs_stat st;
};

struct listing {
	struct entry *v;
	size_t nr, size;
	int error;
};

struct snapshot {
	const struct machine *m;
	const char *dir;
	struct seq_buf text;
	size_t nr_files;
};

static int collect(void *ctx, const char *name, const struct pfs_stat *st)
{
	struct listing *l = ctx;
	struct entry *v;

	if (l->error)
		return 0;
	if (l->nr == l->size) {
		l->size = l->size ? 2 * l->size : 32;
		v = realloc(l->v, l->size * sizeof(*v));
		if (!v) {
			l->error = -ENOMEM;
			return 0;
		}
		l->v = v;
	}
	l->v[l->nr].name = strdup(name);
	if (!l->v[l->nr].name) {
		l->error = -ENOMEM;
		return 0;
	}
	l->v[l->nr++].st = *st;
	return 0;
}

static void free_listing(struct listing *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->v[i].name);
	free(l->v);
}

static int write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Render @path (relative to the tree) into the file @out. */
static int snap_file(struct snapshot *s, const char *path, const char *out)
{
	int fd, ret;

	seq_buf_reset(&s->text);
	ret = pfs_render(s->m, path, &s->text);
	if (ret == -EACCES)
		return 0;
	if (!ret)
		ret = seq_buf_error(&s->text);
	if (ret) {
		mmsim_error("snapshot: %s: %s", path, strerror(-ret));
		return ret;
	}
	fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		ret = -errno;
		mmsim_error("snapshot: %s: %s", out, strerror(errno));
		return ret;
	}
	ret = write_all(fd, s->text.buf, s->text.len);
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (ret)
		mmsim_error("snapshot: %s: %s", out, strerror(-ret));
	s->nr_files++;
	return ret;
}

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = malloc(n);

	if (p)
		snprintf(p, n, "%s%s%s", a, *a ? "/" : "", b);
	return p;
}

/* Copy the directory @path of the tree into the directory @out. */
static int snap_dir(struct snapshot *s, const char *path, const char *out,
		    int depth)
{
	struct listing l = { 0 };
	char *sub = NULL, *dst = NULL;
	size_t i;
	int ret;

	if (depth > SNAPSHOT_MAX_DEPTH) {
		mmsim_error("snapshot: %s: too deep", path);
		return -ELOOP;
	}
	ret = pfs_readdir(s->m, path, collect, &l);
	if (!ret)
		ret = l.error;
	if (ret) {
		mmsim_error("snapshot: %s: %s", *path ? path : "/",
			    strerror(-ret));
		goto out;
	}
	for (i = 0; i < l.nr && !ret; i++) {
		sub = join(path, l.v[i].name);
		dst = join(out, l.v[i].name);
		if (!sub || !dst) {
			mmsim_error("snapshot: out of memory");
			ret = -ENOMEM;
		} else if (l.v[i].st.type == PFS_DIR) {
			if (mkdir(dst, 0755) < 0) {
				ret = -errno;
				mmsim_error("snapshot: %s: %s", dst,
					    strerror(errno));
			} else {
				ret = snap_dir(s, sub, dst, depth + 1);
			}
		} else if (l.v[i].st.type == PFS_LINK) {
			if (symlink(l.v[i].st.link, dst) < 0) {
				ret = -errno;
				mmsim_error("snapshot: %s: %s", dst,
					    strerror(errno));
			}
		} else {
			ret = snap_file(s, sub, dst);
		}
		free(sub);
		free(dst);
	}
out:
	free_listing(&l);
	return ret;
}

/* DIR must be new or an empty directory: stale files would mislead. */
static int prepare_dir(const char *dir)
{
	struct dirent *de;
	DIR *d;
	int found = 0;

	if (mkdir(dir, 0755) == 0)
		return 0;
	if (errno != EEXIST) {
		mmsim_error("snapshot: %s: %s", dir, strerror(errno));
		return -1;
	}
	d = opendir(dir);
	if (!d) {
		mmsim_error("snapshot: %s: %s", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			found = 1;
	closedir(d);
	if (found) {
		mmsim_error("snapshot: %s: directory not empty", dir);
		return -1;
	}
	return 0;
}

int cmd_snapshot(int argc, const char **argv)
{
	struct snapshot s = { 0 };
	struct mmsim_args a;
	struct image *img;
	struct seq_buf err;
	int ret;

	ret = mmsim_parse("snapshot", argc, argv, NULL, 0, 2, 2, &a);
	if (ret >= 0)
		return ret;
	seq_buf_init(&err);
	seq_buf_init(&s.text);
	ret = image_open(a.argv[0], IMAGE_RDONLY, &img, &err);
	if (ret) {
		ret = mmsim_fail("snapshot", &err, ret);
		goto out;
	}
	s.m = image_machine(img);
	s.dir = a.argv[1];
	ret = prepare_dir(s.dir) || snap_dir(&s, "", s.dir, 0) ? 1 : 0;
	image_close(img);
out:
	seq_buf_free(&s.text);
	seq_buf_free(&err);
	mmsim_args_free(&a);
	return ret;
}
