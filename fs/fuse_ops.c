// SPDX-License-Identifier: GPL-2.0
/*
 * The FUSE operations: a path tree over libmm's procfs renderers.  A file
 * is rendered once at open into the handle's buffer and later reads are
 * served from it, so a reader never sees a torn file; a read at offset 0
 * after the first one renders again, because procps re-reads by lseek(0)
 * and read() on a descriptor it keeps open (what seq_file does).  Every
 * render and write first catches up with operations other processes
 * committed to the image.
 *
 * The machine's /proc/self names its PID 1, but procps also looks itself
 * up by getpid() ("ps: fatal library error, lookup self"), a PID the
 * machine does not have: a reader's own PID therefore resolves to what
 * /proc/self does, as it would in a pid namespace of its own.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs_internal.h"
#include "image.h"
#include "procfs.h"
#include "seq_buf.h"

/* An open file. */
struct mmfs_file {
	struct mmfs_file *prev, *next; /* on fs->files */
	char *path; /* in the tree, aliases resolved */
	pthread_mutex_t lock; /* buf, len, fresh */
	char *buf;
	size_t len;
	int fresh; /* rendered by open, not read at offset 0 yet */
	int write_cap; /* from pfs_stat: CAP_* a writer needs, or -1 */
	int ranged; /* read piece by piece from the machine (pagemap) */
};

static struct mmfs *mmfs_self(void)
{
	return fuse_get_context()->private_data;
}

/* FUSE paths start with '/', the tree's do not. */
static const char *tree_path(const char *path)
{
	while (*path == '/')
		path++;
	return path;
}

static mode_t type_bits(enum pfs_type type)
{
	switch (type) {
	case PFS_DIR:
		return S_IFDIR;
	case PFS_LINK:
		return S_IFLNK;
	default:
		return S_IFREG;
	}
}

/* Catch up with the journal; called with fs->lock held. */
static int refresh_locked(struct mmfs *fs)
{
	struct seq_buf err;
	int changed = 0;
	int ret;

	seq_buf_init(&err);
	ret = image_refresh(fs->img, &changed, &err);
	if (ret)
		fuse_log(FUSE_LOG_ERR, "mmsim: refresh: %s\n",
			 err.buf ? err.buf : strerror(-ret));
	seq_buf_free(&err);
	return ret ? -EIO : 0;
}

/*
 * If @tpath is "proc/N..." with N the caller's own (real) PID, the same
 * path under /proc/self's target, in @out.
 */
static int alias_self(struct mmfs *fs, const char *tpath, char *out, size_t len)
{
	const struct fuse_context *ctx = fuse_get_context();
	struct pfs_stat self;
	char probe[64];
	unsigned long pid;
	char *end;

	if (strncmp(tpath, "proc/", 5) || tpath[5] < '1' || tpath[5] > '9' ||
	    ctx->pid <= 0)
		return -ENOENT;
	pid = strtoul(tpath + 5, &end, 10);
	if (*end && *end != '/')
		return -ENOENT;
	/* ctx->pid is a thread; N must be its thread group (our /proc). */
	snprintf(probe, sizeof(probe), "/proc/%lu/task/%d", pid, (int)ctx->pid);
	if (access(probe, F_OK))
		return -ENOENT;
	memset(&self, 0, sizeof(self));
	if (pfs_getattr(image_machine(fs->img), "proc/self", &self) ||
	    self.type != PFS_LINK)
		return -ENOENT;
	if ((size_t)snprintf(out, len, "proc/%.*s%s", (int)sizeof(self.link),
			     self.link, end) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/*
 * Find @path in the tree, after catching up with the journal; the tree
 * path it resolved to goes to @tpath (PATH_MAX bytes).  Called with
 * fs->lock held.
 */
static int lookup_locked(struct mmfs *fs, const char *path, struct pfs_stat *ps,
			 char *tpath)
{
	const struct machine *m;
	int ret;

	ret = refresh_locked(fs);
	if (ret)
		return ret;
	m = image_machine(fs->img);
	if (strlen(tree_path(path)) >= PATH_MAX)
		return -ENAMETOOLONG;
	strcpy(tpath, tree_path(path));
	memset(ps, 0, sizeof(*ps));
	ret = pfs_getattr(m, tpath, ps);
	if (ret == -ENOENT &&
	    !alias_self(fs, tree_path(path), tpath, PATH_MAX)) {
		memset(ps, 0, sizeof(*ps));
		ret = pfs_getattr(m, tpath, ps);
	}
	return ret;
}

static int lookup(struct mmfs *fs, const char *path, struct pfs_stat *ps,
		  char *tpath)
{
	int ret;

	pthread_mutex_lock(&fs->lock);
	ret = lookup_locked(fs, path, ps, tpath);
	pthread_mutex_unlock(&fs->lock);
	return ret;
}

static int check_access(struct mmfs *fs, const struct pfs_stat *ps, int mask)
{
	const struct fuse_context *ctx = fuse_get_context();

	return mmfs_permission(&fs->opts, ctx->uid, ctx->gid, ps->mode, mask);
}

/*
 * A file of procfs proper, made by proc_create() (proc/meminfo,
 * proc/slabinfo, proc/pressure/memory, ...): not a sysctl, whose
 * proc_sys_permission() gives root the mode bits only, nor a process's.
 */
static int is_proc_entry(const char *tpath)
{
	if (strncmp(tpath, "proc/", 5))
		return 0;
	tpath += 5;
	return strncmp(tpath, "sys/", 4) && !isdigit((unsigned char)*tpath);
}

/*
 * check_access(), with generic_permission()'s override for procfs
 * proper: CAP_DAC_OVERRIDE opens such a file for reading or writing
 * whatever its mode (root writing the 0400 /proc/slabinfo gets as far as
 * the write, which pde_write() refuses with EIO).
 */
static int check_proc_access(struct mmfs *fs, const char *tpath,
			     const struct pfs_stat *ps, int mask)
{
	int ret = check_access(fs, ps, mask);

	if (ret == -EACCES && ps->type == PFS_FILE && is_proc_entry(tpath) &&
	    !mmfs_capable(fuse_get_context()->pid, CAP_DAC_OVERRIDE))
		ret = 0;
	return ret;
}

static int mmfs_getattr(const char *path, struct stat *st,
			struct fuse_file_info *fi)
{
	struct mmfs *fs = mmfs_self();
	char tpath[PATH_MAX];
	struct pfs_stat ps;
	int ret;

	ret = lookup(fs, path, &ps, tpath);
	if (ret)
		return ret;
	memset(st, 0, sizeof(*st));
	st->st_mode = type_bits(ps.type) | (ps.mode & 07777);
	st->st_nlink = ps.nlink > 0 ? ps.nlink : (ps.type == PFS_DIR ? 2 : 1);
	/* the simulation's root is the mount's root; other users keep ids */
	st->st_uid = ps.uid && fs->opts.root_uid != (uid_t)-1 ? ps.uid
							     : fs->opts.root_uid;
	st->st_gid = ps.gid && fs->opts.root_uid != (uid_t)-1 ? ps.gid
							     : fs->opts.root_gid;
	if (ps.type == PFS_LINK)
		st->st_size = strnlen(ps.link, sizeof(ps.link));
	else if (ps.type == PFS_FILE)
		st->st_size = ps.size;
	st->st_blksize = 1024;
	st->st_atim = fs->born;
	st->st_mtim = fs->born;
	st->st_ctim = fs->born;
	return 0;
}

static int mmfs_readlink(const char *path, char *buf, size_t size)
{
	char tpath[PATH_MAX];
	struct pfs_stat ps;
	size_t len;
	int ret;

	ret = lookup(mmfs_self(), path, &ps, tpath);
	if (ret)
		return ret;
	if (ps.type != PFS_LINK)
		return -EINVAL;
	if (!size)
		return -EINVAL;
	len = strnlen(ps.link, sizeof(ps.link));
	if (len > size - 1)
		len = size - 1;
	memcpy(buf, ps.link, len);
	buf[len] = '\0';
	return 0;
}

static int mmfs_access(const char *path, int mask)
{
	struct mmfs *fs = mmfs_self();
	char tpath[PATH_MAX];
	struct pfs_stat ps;
	int ret;

	ret = lookup(fs, path, &ps, tpath);
	if (ret || mask == F_OK)
		return ret;
	return check_access(fs, &ps, mask & (R_OK | W_OK | X_OK));
}

static int mmfs_opendir(const char *path, struct fuse_file_info *fi)
{
	struct mmfs *fs = mmfs_self();
	char tpath[PATH_MAX];
	struct pfs_stat ps;
	int ret;

	ret = lookup(fs, path, &ps, tpath);
	if (ret)
		return ret;
	if (ps.type != PFS_DIR)
		return -ENOTDIR;
	return check_access(fs, &ps, MMFS_MAY_READ);
}

struct fill_ctx {
	void *buf;
	fuse_fill_dir_t filler;
};

static int fill_one(void *arg, const char *name, const struct pfs_stat *ps)
{
	struct fill_ctx *fc = arg;
	struct stat st;

	/* Only the type matters here: it becomes the entry's d_type. */
	memset(&st, 0, sizeof(st));
	st.st_mode = type_bits(ps->type) | (ps->mode & 07777);
	return fc->filler(fc->buf, name, &st, 0, 0) ? -ENOMEM : 0;
}

static int mmfs_readdir(const char *path, void *buf, fuse_fill_dir_t filler,
			off_t off, struct fuse_file_info *fi,
			enum fuse_readdir_flags flags)
{
	struct mmfs *fs = mmfs_self();
	struct fill_ctx fc = {.buf = buf, .filler = filler};
	char tpath[PATH_MAX];
	struct pfs_stat ps;
	int ret;

	if (filler(buf, ".", NULL, 0, 0) || filler(buf, "..", NULL, 0, 0))
		return -ENOMEM;
	pthread_mutex_lock(&fs->lock);
	ret = lookup_locked(fs, path, &ps, tpath);
	if (!ret)
		ret = pfs_readdir(image_machine(fs->img), tpath, fill_one, &fc);
	pthread_mutex_unlock(&fs->lock);
	return ret;
}

/* Render @f's file into its buffer; called with fs->lock held. */
static int render_locked(struct mmfs *fs, struct mmfs_file *f)
{
	struct seq_buf sb;
	int ret;

	seq_buf_init(&sb);
	ret = pfs_render(image_machine(fs->img), f->path, &sb);
	if (!ret)
		ret = seq_buf_error(&sb);
	if (ret) {
		seq_buf_free(&sb);
		return ret;
	}
	free(f->buf);
	f->buf = seq_buf_detach(&sb, &f->len);
	return 0;
}

static void file_free(struct mmfs_file *f)
{
	pthread_mutex_destroy(&f->lock);
	free(f->path);
	free(f->buf);
	free(f);
}

static int mmfs_open(const char *path, struct fuse_file_info *fi)
{
	struct mmfs *fs = mmfs_self();
	int acc = fi->flags & O_ACCMODE;
	int mask = 0;
	char tpath[PATH_MAX];
	struct mmfs_file *f;
	struct pfs_stat ps;
	int ret;

	if (acc == O_RDONLY || acc == O_RDWR)
		mask |= MMFS_MAY_READ;
	if (acc == O_WRONLY || acc == O_RDWR)
		mask |= MMFS_MAY_WRITE;

	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	pthread_mutex_init(&f->lock, NULL);

	pthread_mutex_lock(&fs->lock);
	ret = lookup_locked(fs, path, &ps, tpath);
	if (ret)
		goto unlock;
	if (ps.type == PFS_DIR) {
		ret = -EISDIR;
		goto unlock;
	}
	ret = check_proc_access(fs, tpath, &ps, mask);
	if (ret)
		goto unlock;
	f->write_cap = ps.write_cap;
	f->ranged = ps.ranged;
	f->path = strdup(tpath);
	if (!f->path) {
		ret = -ENOMEM;
		goto unlock;
	}
	/* a ranged file is too large to render: only check it can be read */
	if ((mask & MMFS_MAY_READ) && f->ranged) {
		ret = (int)pfs_read_range(image_machine(fs->img), f->path, 0, 0,
					  NULL);
	} else if (mask & MMFS_MAY_READ) {
		ret = render_locked(fs, f);
		f->fresh = 1;
	}
unlock:
	pthread_mutex_unlock(&fs->lock);
	if (ret) {
		file_free(f);
		return ret;
	}
	pthread_mutex_lock(&fs->files_lock);
	f->next = fs->files;
	if (f->next)
		f->next->prev = f;
	fs->files = f;
	pthread_mutex_unlock(&fs->files_lock);
	fi->fh = (uintptr_t)f;
	/*
	 * procfs sizes are 0: only direct I/O makes the kernel read on.  A
	 * sized file goes through the page cache, which mmap needs.
	 */
	fi->direct_io = !ps.sized;
	fi->keep_cache = 0;
	return 0;
}

static struct mmfs_file *file_of(const struct fuse_file_info *fi)
{
	return (struct mmfs_file *)(uintptr_t)fi->fh;
}

/* Each read of a ranged file asks the machine as it is now. */
static int read_ranged(struct mmfs *fs, struct mmfs_file *f, char *buf,
		       size_t size, off_t off)
{
	ssize_t n;
	int ret;

	pthread_mutex_lock(&fs->lock);
	ret = refresh_locked(fs);
	n = ret ? ret
		: pfs_read_range(image_machine(fs->img), f->path, off, size,
				 buf);
	pthread_mutex_unlock(&fs->lock);
	return (int)n;
}

static int mmfs_read(const char *path, char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	struct mmfs *fs = mmfs_self();
	struct mmfs_file *f = file_of(fi);
	size_t n = 0;
	int ret = 0;

	if (off < 0)
		return -EINVAL;
	if (f->ranged)
		return read_ranged(fs, f, buf, size, off);
	pthread_mutex_lock(&f->lock);
	if (off == 0 && !f->fresh) {
		pthread_mutex_lock(&fs->lock);
		ret = refresh_locked(fs);
		if (!ret)
			ret = render_locked(fs, f);
		pthread_mutex_unlock(&fs->lock);
	}
	f->fresh = 0;
	if (!ret && (size_t)off < f->len) {
		n = f->len - (size_t)off;
		if (n > size)
			n = size;
		memcpy(buf, f->buf + off, n);
	}
	pthread_mutex_unlock(&f->lock);
	return ret ? ret : (int)n;
}

/*
 * Each write() is one complete value, as with sysctl_writes_strict: it
 * must start at offset 0, and it is parsed and applied at once.  The
 * accepted value becomes a journaled operation.
 */
static int mmfs_write(const char *path, const char *buf, size_t size, off_t off,
		      struct fuse_file_info *fi)
{
	struct mmfs *fs = mmfs_self();
	struct mmfs_file *f = file_of(fi);
	struct seq_buf op, result, err;
	int need_cap, ret;

	if (off != 0)
		return -EINVAL;
	/* Like capable() in the knob's handler: checked at write time. */
	if (f->write_cap >= 0) {
		ret = mmfs_capable(fuse_get_context()->pid, f->write_cap);
		if (ret)
			return ret;
	}

	seq_buf_init(&op);
	seq_buf_init(&result);
	seq_buf_init(&err);
	pthread_mutex_lock(&fs->lock);
	/* the value may be judged against the state: the latest one */
	ret = refresh_locked(fs);
	if (!ret)
		ret = pfs_write_op(image_machine(fs->img), f->path, buf, size,
				   &op, &need_cap);
	/* pde_write(): an entry of procfs proper without a proc_write */
	if (ret == -EACCES && is_proc_entry(f->path))
		ret = -EIO;
	if (!ret)
		ret = seq_buf_error(&op);
	/* as __set_oom_adj() answers a writer without the capability */
	if (!ret && need_cap >= 0 &&
	    mmfs_capable(fuse_get_context()->pid, need_cap))
		ret = -EACCES;
	/* a value that changes nothing ("echo > cgroup.subtree_control") */
	if (!ret && op.len)
		ret = image_apply(fs->img, op.buf, &result, &err);
	/* it stands, but the writer hears otherwise (memory.reclaim) */
	if (!ret && op.len)
		ret = image_machine(fs->img)->op_errno;
	pthread_mutex_unlock(&fs->lock);
	if (ret)
		fuse_log(FUSE_LOG_DEBUG, "mmsim: write to %s: %s\n", path,
			 err.buf ? err.buf : strerror(-ret));
	seq_buf_free(&op);
	seq_buf_free(&result);
	seq_buf_free(&err);
	return ret ? ret : (int)size;
}

/*
 * O_TRUNC from a shell's '>' arrives as a truncate: meaningless for a
 * knob, so accepted and ignored where the caller may write.
 */
static int mmfs_truncate(const char *path, off_t size,
			 struct fuse_file_info *fi)
{
	struct mmfs *fs = mmfs_self();
	char tpath[PATH_MAX];
	struct pfs_stat ps;
	int ret;

	ret = lookup(fs, path, &ps, tpath);
	if (ret)
		return ret;
	if (ps.type == PFS_DIR)
		return -EISDIR;
	return check_proc_access(fs, tpath, &ps, MMFS_MAY_WRITE);
}

static int mmfs_release(const char *path, struct fuse_file_info *fi)
{
	struct mmfs *fs = mmfs_self();
	struct mmfs_file *f = file_of(fi);

	pthread_mutex_lock(&fs->files_lock);
	if (f->prev)
		f->prev->next = f->next;
	else
		fs->files = f->next;
	if (f->next)
		f->next->prev = f->prev;
	pthread_mutex_unlock(&fs->files_lock);
	file_free(f);
	return 0;
}

/*
 * Files still open when the connection went away: their release never
 * came (the kernel drops queued requests when a mount is aborted).
 */
void mmfs_release_all(struct mmfs *fs)
{
	struct mmfs_file *f;

	pthread_mutex_lock(&fs->files_lock);
	while ((f = fs->files)) {
		fs->files = f->next;
		file_free(f);
	}
	pthread_mutex_unlock(&fs->files_lock);
}

/* The tree is fixed by the machine: no new files, no removals. */
static int mmfs_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	return -EACCES;
}

/*
 * mkdir and rmdir make and remove cgroups, and nothing else: the tree
 * gives the operation that does it, the writer needs write and search
 * permission on the parent directory (may_create(), may_delete()), and
 * the operation's errno is the caller's.
 */
static int dir_op(const char *path, int make)
{
	struct mmfs *fs = mmfs_self();
	struct seq_buf op, result, err;
	char parent[PATH_MAX], tpath[PATH_MAX];
	struct pfs_stat ps;
	char *slash;
	int ret;

	if (strlen(path) >= sizeof(parent))
		return -ENAMETOOLONG;
	strcpy(parent, path);
	slash = strrchr(parent, '/');
	if (slash)
		*slash = '\0';
	seq_buf_init(&op);
	seq_buf_init(&result);
	seq_buf_init(&err);
	pthread_mutex_lock(&fs->lock);
	ret = refresh_locked(fs);
	if (!ret)
		ret = (make ? pfs_mkdir_op : pfs_rmdir_op)(
			image_machine(fs->img), tree_path(path), &op);
	if (!ret)
		ret = seq_buf_error(&op);
	if (!ret)
		ret = lookup_locked(fs, parent, &ps, tpath);
	if (!ret)
		ret = check_access(fs, &ps, MMFS_MAY_WRITE | MMFS_MAY_EXEC);
	if (!ret)
		ret = image_apply(fs->img, op.buf, &result, &err);
	pthread_mutex_unlock(&fs->lock);
	if (ret)
		fuse_log(FUSE_LOG_DEBUG, "mmsim: %s %s: %s\n",
			 make ? "mkdir" : "rmdir", path,
			 err.buf ? err.buf : strerror(-ret));
	seq_buf_free(&op);
	seq_buf_free(&result);
	seq_buf_free(&err);
	return ret;
}

static int mmfs_mkdir(const char *path, mode_t mode)
{
	return dir_op(path, 1);
}

static int mmfs_unlink(const char *path)
{
	return -EPERM;
}

static int mmfs_rmdir(const char *path)
{
	return dir_op(path, 0);
}

static int mmfs_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	return -EPERM;
}

static int mmfs_chown(const char *path, uid_t uid, gid_t gid,
		      struct fuse_file_info *fi)
{
	return -EPERM;
}

/* touch(1) on a proc file succeeds and changes nothing. */
static int mmfs_utimens(const char *path, const struct timespec tv[2],
			struct fuse_file_info *fi)
{
	char tpath[PATH_MAX];
	struct pfs_stat ps;

	return lookup(mmfs_self(), path, &ps, tpath);
}

static void *mmfs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	/* Short timeouts: processes come and go between two lookups. */
	cfg->entry_timeout = 1.0;
	cfg->attr_timeout = 1.0;
	cfg->negative_timeout = 0;
	/* direct I/O is chosen at each open (mmfs_open) */
	cfg->direct_io = 0;
	cfg->kernel_cache = 0;
	cfg->auto_cache = 0;
	cfg->use_ino = 0;
	/* One read() arrives as requests in order, never in parallel. */
	conn->want &= ~FUSE_CAP_ASYNC_DIO;
	return fuse_get_context()->private_data;
}

static const struct fuse_operations mmfs_fuse_ops = {
	.init = mmfs_init,
	.getattr = mmfs_getattr,
	.readlink = mmfs_readlink,
	.access = mmfs_access,
	.opendir = mmfs_opendir,
	.readdir = mmfs_readdir,
	.open = mmfs_open,
	.read = mmfs_read,
	.write = mmfs_write,
	.truncate = mmfs_truncate,
	.release = mmfs_release,
	.create = mmfs_create,
	.mkdir = mmfs_mkdir,
	.unlink = mmfs_unlink,
	.rmdir = mmfs_rmdir,
	.chmod = mmfs_chmod,
	.chown = mmfs_chown,
	.utimens = mmfs_utimens,
};

const struct fuse_operations *mmfs_operations(void)
{
	return &mmfs_fuse_ops;
}
