/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmfs: the FUSE3 daemon that serves an image's machine as DIR/proc and
 * DIR/sys, and the runner that puts that tree over a program's /proc and
 * /sys in a private mount namespace.  Functions return 0 or a negative
 * errno; where a reason is worth more than the errno it goes to @err.
 */
#ifndef MMSIM_FS_MMFS_H
#define MMSIM_FS_MMFS_H

#include <stdint.h>
#include <sys/types.h>

struct image;
struct seq_buf;
struct mmfs;

struct mmfs_opts {
	/*
	 * The caller identity that is root of the simulated machine, as
	 * the kernel reports callers to us: 0, or -1 for nobody (under a
	 * user namespace, whose root is not the machine's).  Files are
	 * reported as owned by it.
	 */
	uid_t root_uid;
	gid_t root_gid;
	int allow_other; /* let every user in (needs root) */
	int auto_unmount; /* fusermount3 unmounts if the daemon dies */
	int debug; /* libfuse's request trace on stderr */
};

/*
 * Open @path for serving: read-write so that writes to knobs can be
 * journaled, or read-only when the file may not be written (knobs then
 * fail with the image's errno).  A damaged image is refused with the
 * reason in @err.
 */
int mmfs_open_image(const char *path, struct image **out, struct seq_buf *err);

/* The daemon over an open image; the image stays the caller's to close. */
int mmfs_new(struct image *img, const struct mmfs_opts *opts, struct mmfs **out,
	     struct seq_buf *err);
int mmfs_mount(struct mmfs *fs, const char *dir, struct seq_buf *err);
/*
 * Serve requests with a pool of threads until the tree is unmounted or
 * mmfs_exit() is called (and the loop woken, see mmfs_wake()).
 */
int mmfs_loop(struct mmfs *fs);
/* Make SIGINT, SIGTERM and SIGHUP end mmfs_loop(); SIGPIPE ignored. */
int mmfs_handle_signals(struct mmfs *fs);
void mmfs_exit(struct mmfs *fs);
/*
 * Detach the tree now (lazily: open files keep working until closed);
 * once nothing holds it, the loop's reads end and mmfs_loop() returns.
 * Not to be called concurrently with mmfs_destroy().
 */
int mmfs_detach(struct mmfs *fs, struct seq_buf *err);
/* Unmount (if still mounted) and free; the image is left open. */
void mmfs_destroy(struct mmfs *fs);

/*
 * Detach the mount at @dir: umount2() when we may, else fusermount3 -u.
 * @lazy detaches it even while files are open.
 */
int mmfs_umount_dir(const char *dir, int lazy, struct seq_buf *err);

/*
 * Where @dir is mounted, by /proc/self/mountinfo: 0 and the file system
 * type of the topmost mount on @dir (e.g. "fuse.mmsim") in @fstype, or
 * -ENOENT when @dir is not a mount point.  @dir need not be reachable (a
 * dead daemon's mount point fails every stat with ENOTCONN).
 */
int mmfs_find_mount(const char *dir, char *fstype, size_t fstype_len,
		    char *mountpoint, size_t mountpoint_len);

/* The file system type an mmsim mount shows in /proc/self/mountinfo. */
#define MMFS_FSTYPE "fuse.mmsim"

struct mmfs_run_opts {
	const char *const *argv; /* program and arguments, NULL-ended */
	int drop_caps; /* empty bounding, effective, permitted sets */
	int debug;
};

/*
 * Open the image at @path and run a program with its tree over /proc and
 * /sys in a private mount namespace (and a user namespace when not root);
 * tear it all down after the program ends.  The program inherits our
 * descriptors but none the runner opened.  Returns the program's exit
 * status the way a shell reports it (127 not found, 126 not executable,
 * 128 + signal), with a message in @err when it could not be started; or
 * a negative errno with the reason in @err when the stage could not be
 * set up.
 */
int mmfs_run_image(const char *path, const struct mmfs_run_opts *opts,
		   struct seq_buf *err);

#endif
