// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's life: a libfuse high-level handle over the operations in
 * fuse_ops.c, mounted with our own permission checks (no
 * default_permissions), served by libfuse's thread pool.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int mmfs_new(struct image *img, const struct mmfs_opts *opts, struct mmfs **out,
	     struct seq_buf *err)
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
	pthread_mutex_init(&fs->files_lock, NULL);
	clock_gettime(CLOCK_REALTIME, &fs->born);

	log_debug = opts->debug;
	fuse_set_log_func(mmfs_log);

	snprintf(mount_opts, sizeof(mount_opts),
		 "fsname=mmsim,subtype=mmsim%s%s",
		 opts->allow_other ? ",allow_other" : "",
		 opts->auto_unmount ? ",auto_unmount" : "");
	argv[argc++] = "mmsim";
	argv[argc++] = "-o";
	argv[argc++] = mount_opts;
	if (opts->debug)
		argv[argc++] = "-d";
	argv[argc] = NULL;
	args = (struct fuse_args)FUSE_ARGS_INIT(argc, (char **)argv);

	fs->fuse = fuse_new(&args, mmfs_operations(),
			    sizeof(struct fuse_operations), fs);
	fuse_opt_free_args(&args);
	if (!fs->fuse) {
		seq_puts(err, "cannot set up the FUSE session");
		pthread_mutex_destroy(&fs->files_lock);
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

	/*
	 * fusermount3 opens /dev/fuse with the user's rights: say so once,
	 * rather than leave it to fusermount3's own line.
	 */
	if (geteuid() != 0 && access("/dev/fuse", R_OK | W_OK)) {
		ret = -errno;
		seq_printf(err, "cannot mount %s: /dev/fuse: %s", dir,
			   strerror(errno));
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
	fs->mountpoint = strdup(abs);
	if (!fs->mountpoint) {
		fuse_unmount(fs->fuse);
		return -ENOMEM;
	}
	fs->mounted = 1;
	return 0;
}

int mmfs_detach(struct mmfs *fs, struct seq_buf *err)
{
	int ret;

	if (!fs->mounted)
		return 0;
	ret = mmfs_umount_dir(fs->mountpoint, 1, err);
	if (!ret)
		fs->mounted = 0;
	return ret;
}

int mmfs_loop(struct mmfs *fs)
{
	struct fuse_loop_config cfg = {
		.clone_fd = 0,
		.max_idle_threads = 10,
	};

	return fuse_loop_mt(fs->fuse, &cfg);
}

static struct fuse_session *signal_session;
static const int exit_signals[] = {SIGHUP, SIGINT, SIGTERM};
static struct sigaction saved_actions[3];
static struct sigaction saved_pipe;

static void exit_signal(int sig)
{
	if (signal_session)
		fuse_session_exit(signal_session);
}

/*
 * Our own handlers rather than libfuse's, which leave alone a signal the
 * shell ignored: `mmsim mount -f ... &` must still stop on kill -INT.
 */
int mmfs_handle_signals(struct mmfs *fs)
{
	struct sigaction sa;
	size_t i;

	if (signal_session)
		return -EBUSY;
	signal_session = fuse_get_session(fs->fuse);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = exit_signal;
	for (i = 0; i < sizeof(exit_signals) / sizeof(exit_signals[0]); i++)
		sigaction(exit_signals[i], &sa, &saved_actions[i]);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, &saved_pipe);
	fs->signals = 1;
	return 0;
}

static void restore_signals(void)
{
	size_t i;

	for (i = 0; i < sizeof(exit_signals) / sizeof(exit_signals[0]); i++)
		sigaction(exit_signals[i], &saved_actions[i], NULL);
	sigaction(SIGPIPE, &saved_pipe, NULL);
	signal_session = NULL;
}

void mmfs_exit(struct mmfs *fs)
{
	fuse_exit(fs->fuse);
}

/*
 * After mmfs_detach() libfuse still holds the mount point, freed only by
 * fuse_unmount(); while a straggler keeps the connection up, that tries
 * to unmount again and says on stderr, not through its log, that nothing
 * is mounted there.  That is not news: silence it.
 */
static void forget_mount(struct mmfs *fs)
{
	int null, saved;

	fflush(stderr);
	null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 0);
	if (null >= 0 && saved >= 0)
		dup2(null, STDERR_FILENO);
	fuse_unmount(fs->fuse);
	if (null >= 0 && saved >= 0)
		dup2(saved, STDERR_FILENO);
	if (saved >= 0)
		close(saved);
	if (null >= 0)
		close(null);
}

void mmfs_destroy(struct mmfs *fs)
{
	if (!fs)
		return;
	if (fs->signals)
		restore_signals();
	if (fs->mountpoint && !fs->mounted)
		forget_mount(fs);
	else
		fuse_unmount(fs->fuse);
	fuse_destroy(fs->fuse);
	mmfs_release_all(fs);
	pthread_mutex_destroy(&fs->files_lock);
	pthread_mutex_destroy(&fs->lock);
	free(fs->mountpoint);
	free(fs);
}
