/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fake /proc and /sys as a tree of paths over a machine.  Paths are
 * relative to the mount point and have no leading slash: "proc/meminfo",
 * "sys/devices/system/node/node0/meminfo", "" for the root.  Renderers are
 * pure: machine state in, the exact kernel text out.
 */
#ifndef MMSIM_PROCFS_H
#define MMSIM_PROCFS_H

#include <stddef.h>
#include <sys/types.h>

struct machine;
struct seq_buf;

enum pfs_type {
	PFS_DIR,
	PFS_FILE,
	PFS_LINK,
};

struct pfs_stat {
	enum pfs_type type;
	mode_t mode; /* permission bits only, e.g. 0444, 0400, 0555 */
	off_t size; /* 0 for proc and kernfs files, 4096 for sysfs */
	int write_cap; /* CAP_* a writer needs beyond the mode, or -1 */
	/* owner in the simulation: a process's files are its user's */
	uid_t uid;
	gid_t gid;
	int nlink;
	char link[256]; /* symlink target, for PFS_LINK */
	/*
	 * A file too large to render whole (proc/PID/pagemap): read it in
	 * pieces with pfs_read_range(), never with pfs_render().
	 */
	int ranged;
	/*
	 * @size is the length of the text an open would get, and readers may
	 * mmap the file (proc/kmsg, for `dmesg -F`): serve it through the
	 * page cache rather than with direct I/O.
	 */
	int sized;
};

int pfs_getattr(const struct machine *m, const char *path, struct pfs_stat *st);

typedef int (*pfs_fill_fn)(void *ctx, const char *name,
			   const struct pfs_stat *st);
/* List a directory (without "." and ".."): 0, -ENOENT or -ENOTDIR. */
int pfs_readdir(const struct machine *m, const char *path, pfs_fill_fn fill,
		void *ctx);

/*
 * Visit every entry below the root, depth first: @visit for each entry
 * with its path (a directory before what it holds), then @leave, if
 * given, for each directory after its contents.  A non-zero return from
 * either stops the walk and is returned.
 */
struct pfs_walker {
	int (*visit)(void *ctx, const char *path, const struct pfs_stat *st);
	int (*leave)(void *ctx, const char *path, const struct pfs_stat *st);
};
int pfs_walk(const struct machine *m, const struct pfs_walker *w, void *ctx);

/*
 * Render a file's whole text into @out: 0, -ENOENT, -EISDIR, or the
 * kernel's errno for a file that cannot be read (-EACCES for a write-only
 * knob, -ESRCH ...); -EINVAL for a ranged file.
 */
int pfs_render(const struct machine *m, const char *path, struct seq_buf *out);

/*
 * Read @size bytes at @off of a ranged file into @buf: the number of bytes
 * read (0 past the end), or a negative errno (-EINVAL for an offset or
 * size the file does not take, -ESRCH ...).  A read of 0 bytes checks
 * that the file may be read at all, as its open would.
 */
ssize_t pfs_read_range(const struct machine *m, const char *path, off_t off,
		       size_t size, void *buf);

/*
 * Turn a write of @len bytes at offset 0 into the operation line that
 * applies it (for the journal), e.g. "sysctl vm.swappiness=10".  Returns
 * 0, or -EACCES (not writable), -ENOENT, -EINVAL (unparseable at this
 * level).  Applying the line validates the value itself.  *@need_cap is
 * set to a CAP_* the writer must hold in its effective set for this value
 * (lowering oom_score_adj needs CAP_SYS_RESOURCE), or -1.
 */
int pfs_write_op(const struct machine *m, const char *path, const char *buf,
		 size_t len, struct seq_buf *op_line, int *need_cap);

/*
 * mkdir(2) and rmdir(2) of @path as the operation line that does them
 * ("cgroup create /a"): 0, or -EPERM where the tree takes no new
 * directories (everywhere but sys/fs/cgroup), -EEXIST, -ENOENT,
 * -ENOTDIR, -EBUSY, -EINVAL (a name the hierarchy cannot take).
 */
int pfs_mkdir_op(const struct machine *m, const char *path,
		 struct seq_buf *op_line);
int pfs_rmdir_op(const struct machine *m, const char *path,
		 struct seq_buf *op_line);

#endif
