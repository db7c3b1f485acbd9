// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's life: a libfuse high-level handle over the operations in
 * fuse_ops.c, mounted with our own permission checks (no
 * default_permissions), served by libfuse's thread pool.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fs_internal.h"
#include "image.h"
#include "seq_buf.h"

/*
 * libfuse reports mount failures through its log; while mounting we keep
 * the last message to put into our own one-line error instead.
 */
static int log_capture;
static int log_debug;
static char log_last[256];

static void mmfs_log(enum fuse_log_level level, const char *fmt, va_list ap)
{
	size_t len;

	if (log_capture && level <= FUSE_LOG_ERR) {
		vsnprintf(log_last, sizeof(log_last), fmt, ap);
		len = strlen(log_last);
		while (len && log_last[len - 1] == '\n')
			log_last[--len] = '\0';
		return;
	}
	if (level <= FUSE_LOG_ERR || log_debug)
		vfprintf(stderr, fmt, ap);
}

int mmfs_open_image(const char *path, struct image **out, struct seq_buf *err)
{
	int ret;

	ret = image_open(path, IMAGE_RDWR, out, err);
	if (ret == -EACCES || ret == -EROFS || ret == -EPERM) {
		seq_buf_reset(err);
		ret = image_open(path, IMAGE_RDONLY, out, err);
	}
	if (ret && !err->len)
		seq_printf(err, "%s: %s", path, strerror(-ret));
	return ret;
}

int mmfs_new(struct image *img, const struct mmfs_opts *opts,
	     struct mmfs **out, struct seq_buf *err)
{
	char mount_opts[128];
	const char *argv[5];
	struct fuse_args args;
	struct mmfs *fs;
	int argc = 0;

	fs = calloc(1, sizeof(*fs));
	if (!fs)
		return -ENOMEM;
	fs->img = img;
	fs->opts = *opts;
	pthread_mutex_init(&fs->lock, NULL);
	clock_gettime(CLOCK_REALTIME, &fs->born);

	log_debug = opts->debug;
	fuse_set_log_func(mmfs_log);

	snprintf(mount_opts, sizeof(mount_opts), "fsname=mmsim,subtype=mmsim%s%s",
		 opts->allow_other ? ",allow_other" : "",
		 opts->auto_unmount ? ",auto_unmount" : "");
	argv[argc++] = "mmsim";
	argv[argc++] = "-o";
	argv[argc++] = mount_opts;
	if (opts->debug)
		argv[argc++] = "-d";
	argv[argc] = NULL;
	args = (struct fuse_args)FUSE_ARGS_INIT(argc, (char **)argv);

	fs->fuse = fuse_new(&args, mmfs_operations(), sizeof(struct fuse_operations),
			    fs);
	fuse_opt_free_args(&args);
	if (!fs->fuse) {
		seq_puts(err, "cannot set up the FUSE session");
		pthread_mutex_destroy(&fs->lock);
		free(fs);
		return -EIO;
	}
	*out = fs;
	return 0;
}

int mmfs_mount(struct mmfs *fs, const char *dir, struct seq_buf *err)
{
	char abs[PATH_MAX];
	struct stat st;
	int ret;

	if (stat(dir, &st)) {
		ret = -errno;
		seq_printf(err, "%s: %s", dir, strerror(errno));
		return ret;
	}
	if (!S_ISDIR(st.st_mode)) {
		seq_printf(err, "%s: %s", dir, strerror(ENOTDIR));
		return -ENOTDIR;
	}
	/* libfuse keeps the path to unmount later, maybe from elsewhere. */
	if (!realpath(dir, abs)) {
		ret = -errno;
		seq_printf(err, "%s: %s", dir, strerror(errno));
		return ret;
	}

	log_last[0] = '\0';
	log_capture = 1;
	ret = fuse_mount(fs->fuse, abs);
	log_capture = 0;
	if (ret) {
		seq_printf(err, "cannot mount %s: %s", dir,
			   log_last[0] ? log_last : "fuse_mount failed");
		return -EIO;
	}
	fs->mounted = 1;
	return 0;
}

int mmfs_loop(struct mmfs *fs)
{
	struct fuse_loop_config cfg = {
		.clone_fd = 0,
		.max_idle_threads = 10,
	};

	return fuse_loop_mt(fs->fuse, &cfg);
}

int mmfs_handle_signals(struct mmfs *fs)
{
	if (fuse_set_signal_handlers(fuse_get_session(fs->fuse)))
		return -EIO;
	fs->signals = 1;
	return 0;
}

void mmfs_exit(struct mmfs *fs)
{
	fuse_exit(fs->fuse);
}

void mmfs_destroy(struct mmfs *fs)
{
	if (!fs)
		return;
	if (fs->signals)
		fuse_remove_signal_handlers(fuse_get_session(fs->fuse));
	if (fs->mounted)
		fuse_unmount(fs->fuse);
	fuse_destroy(fs->fuse);
	pthread_mutex_destroy(&fs->lock);
	free(fs);
}
