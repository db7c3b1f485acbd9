// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim snapshot IMAGE DIR: the proc/ and sys/ trees of the machine as
 * plain files, directories and symlinks under DIR, for test fixtures.
 * Files that cannot be read (write-only knobs: EACCES; a kernel thread's
 * smaps_rollup or environ: ESRCH) are left out, and so is pagemap, which
 * is too large to copy.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd-common.h"
#include "image.h"
#include "procfs.h"
#include "seq_buf.h"

struct snapshot {
	const struct machine *m;
	const char *dir;
	struct seq_buf text;
	size_t nr_files;
};

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
	if (ret == -EACCES || ret == -ESRCH)
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

static int snap_visit(void *arg, const char *path, const struct pfs_stat *st)
{
	struct snapshot *s = arg;
	char out[PATH_MAX];

	if (snprintf(out, sizeof(out), "%s/%s", s->dir, path) >=
	    (int)sizeof(out)) {
		mmsim_error("snapshot: %s: path too long", path);
		return -ENAMETOOLONG;
	}
	if (st->type == PFS_FILE)
		return st->ranged ? 0 : snap_file(s, path, out);
	if (st->type == PFS_DIR ? mkdir(out, 0755) : symlink(st->link, out)) {
		int err = errno;

		mmsim_error("snapshot: %s: %s", out, strerror(err));
		return -err;
	}
	return 0;
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
	static const struct pfs_walker walker = {snap_visit, NULL};
	struct snapshot s = {0};
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
	ret = prepare_dir(s.dir) || pfs_walk(s.m, &walker, &s) ? 1 : 0;
	image_close(img);
out:
	seq_buf_free(&s.text);
	seq_buf_free(&err);
	mmsim_args_free(&a);
	return ret;
}
