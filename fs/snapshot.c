// SPDX-License-Identifier: GPL-2.0
/*
 * The tree as plain files, for mmsim exec when FUSE is out of reach: an
 * ordinary user on a system whose /dev/fuse only root may open (and
 * fusermount3 opens it with the user's rights).  It is the machine as it
 * was at the start, and shows what such a user may have of the real
 * thing.  The program owns the copy (it is root of its user namespace, and
 * the only id there), so every file and directory gets only the "other"
 * read and search bits, for everyone: no knob can be written (EACCES) and
 * a root-only file cannot be read.  The runner takes away the
 * capabilities that would get past the modes.  (Immutable files would
 * keep the write bits visible, but setting that flag needs
 * CAP_LINUX_IMMUTABLE outside any user namespace.)
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs_internal.h"
#include "procfs.h"
#include "seq_buf.h"

struct copy {
	const struct machine *m;
	const char *dir;
	struct seq_buf text;
	struct seq_buf *err;
};

/* What everyone gets: the other read and search bits, never write. */
static mode_t others_view(mode_t mode)
{
	return (mode & 05) * 0111;
}

static int fail(struct copy *c, const char *path, int ret)
{
	seq_printf(c->err, "cannot copy %s: %s", *path ? path : "/",
		   strerror(-ret));
	return ret;
}

static int copy_file(struct copy *c, const char *path, const char *out,
		     const struct pfs_stat *st)
{
	mode_t mode = st->mode;
	size_t off = 0;
	ssize_t n;
	int fd, ret = 0;

	seq_buf_reset(&c->text);
	/*
	 * Unreadable anyway: no need to render it.  A ranged file (pagemap)
	 * is too large to copy and stays empty.
	 */
	if ((others_view(mode) & 04) && !st->ranged) {
		ret = pfs_render(c->m, path, &c->text);
		if (!ret)
			ret = seq_buf_error(&c->text);
		if (ret == -EACCES || ret == -ESRCH)
			ret = 0;
		if (ret)
			return fail(c, path, ret);
	}
	fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return fail(c, out, -errno);
	while (off < c->text.len) {
		n = write(fd, c->text.buf + off, c->text.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		off += (size_t)n;
	}
	if (!ret && fchmod(fd, others_view(mode)))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	return ret ? fail(c, out, ret) : 0;
}

static int copy_visit(void *arg, const char *path, const struct pfs_stat *st)
{
	struct copy *c = arg;
	char out[PATH_MAX];

	if (snprintf(out, sizeof(out), "%s/%s", c->dir, path) >=
	    (int)sizeof(out))
		return fail(c, path, -ENAMETOOLONG);
	switch (st->type) {
	case PFS_DIR:
		return mkdir(out, 0700) && errno != EEXIST
			       ? fail(c, out, -errno)
			       : 0;
	case PFS_LINK:
		return symlink(st->link, out) ? fail(c, out, -errno) : 0;
	default:
		return copy_file(c, path, out, st);
	}
}

/* Directories lose their write bits only once they are filled. */
static int copy_leave(void *arg, const char *path, const struct pfs_stat *st)
{
	struct copy *c = arg;
	char out[PATH_MAX];

	snprintf(out, sizeof(out), "%s/%s", c->dir, path);
	return chmod(out, others_view(st->mode)) ? fail(c, out, -errno) : 0;
}

int mmfs_copy_tree(const struct machine *m, const char *dir,
		   struct seq_buf *err)
{
	static const struct pfs_walker walker = {copy_visit, copy_leave};
	struct copy c = {.m = m, .dir = dir, .err = err};
	struct pfs_stat root;
	int ret;

	memset(&root, 0, sizeof(root));
	ret = pfs_getattr(m, "", &root);
	if (ret)
		return fail(&c, "", ret);
	if (mkdir(dir, 0700) && errno != EEXIST)
		return fail(&c, dir, -errno);
	seq_buf_init(&c.text);
	ret = pfs_walk(m, &walker, &c);
	seq_buf_free(&c.text);
	if (!ret && chmod(dir, others_view(root.mode)))
		ret = fail(&c, dir, -errno);
	return ret;
}
