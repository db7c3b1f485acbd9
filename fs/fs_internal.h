/* SPDX-License-Identifier: GPL-2.0 */
/* What the parts of the daemon share; not for the commands. */
#ifndef MMSIM_FS_INTERNAL_H
#define MMSIM_FS_INTERNAL_H

/* 3.5 is the newest API level that libfuse 3.10 (our floor) accepts. */
#define FUSE_USE_VERSION 35

#include <fuse.h>
#include <fuse_lowlevel.h>
#include <pthread.h>
#include <time.h>

#include "mmfs.h"

struct mmfs {
	struct image *img;
	/*
	 * Serialises everything that touches the image or its machine:
	 * refresh, render, apply.  libmm is not thread-safe.
	 */
	pthread_mutex_t lock;
	struct mmfs_opts opts;
	struct fuse *fuse;
	pthread_mutex_t files_lock;
	struct mmfs_file *files; /* open files, for teardown */
	struct timespec born; /* every inode's times, like a fresh procfs */
	char *mountpoint; /* absolute */
	int mounted;
	int signals; /* libfuse's signal handlers installed */
};

/* fuse_ops.c */
const struct fuse_operations *mmfs_operations(void);
void mmfs_release_all(struct mmfs *fs);

/* Access bits as access(2) spells them. */
#define MMFS_MAY_EXEC 1
#define MMFS_MAY_WRITE 2
#define MMFS_MAY_READ 4

/* snapshot.c: the tree as plain files under @dir, as others see it. */
struct machine;
int mmfs_copy_tree(const struct machine *m, const char *dir,
		   struct seq_buf *err);

/* perm.c */
int mmfs_permission(const struct mmfs_opts *opts, uid_t uid, gid_t gid,
		    mode_t mode, int mask);
int mmfs_capable(pid_t pid, int cap);

#endif
