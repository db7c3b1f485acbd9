// SPDX-License-Identifier: GPL-2.0
/*
 * The runner behind mmsim exec and shell: an unmodified program sees the
 * image's tree as /proc and /sys.  procps has no option to read another
 * proc root, so the tree is bind-mounted over the real ones in a mount
 * namespace of the program's own.
 *
 * First we move into a private mount namespace, so that the FUSE mount
 * on a temporary directory is seen by nobody else and goes away with us
 * whatever happens.  An ordinary user needs a user namespace for that, in
 * which they are root; but, as on a real kernel, the root of a user
 * namespace is not the machine's: the daemon takes no caller for root
 * (mmfs_opts.root_uid), files show as nobody's, and writes are refused.
 *
 * The daemon serves from this process, on the main thread; the program
 * is a child, with a mount namespace of its own for the binds, so that
 * the daemon keeps the real /proc.  A reaper thread waits for the child,
 * then unmounts the tree and wakes the loop, and this thread tears down
 * the rest.
 *
 * An ordinary user who may not open /dev/fuse (fusermount3 opens it with
 * the user's rights too) gets a copy of the tree on a tmpfs instead
 * (snapshot.c), as it was at the start.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs_internal.h"
#include "image.h"
#include "seq_buf.h"

enum run_mode {
	RUN_ROOT,
	RUN_USERNS,
};

/* Where the child's set-up failed, sent back to the parent. */
enum run_stage {
	STAGE_NONE,
	STAGE_FDS,
	STAGE_UNSHARE,
	STAGE_PRIVATE,
	STAGE_COPY,
	STAGE_BIND,
	STAGE_CAPS,
	STAGE_EXEC,
};

struct run_report {
	int stage;
	int err;
};

/* File descriptors the program should inherit. */
struct fdset {
	int known; /* /proc/self/fd could be listed */
	uint64_t bits[1024 / 64];
};

struct runner {
	enum run_mode mode;
	int copy; /* no FUSE: a copy of the tree on a tmpfs */
	const struct mmfs_run_opts *opts;
	struct image *img;
	struct fdset inherit;
	uid_t uid;
	gid_t gid;
	char dir[PATH_MAX];
	struct mmfs *fs;
	pid_t child;
	int report_fd;
	struct run_report report;
	int status; /* the child's wait status */
	pthread_t main_thread;
	int reaped; /* __atomic: the child has been waited for */
	int loop_done; /* __atomic: the loop has returned */
};

static volatile sig_atomic_t forward_pid;

/* SIGTERM and SIGHUP to us are meant for the program. */
static void forward_signal(int sig)
{
	if (forward_pid > 0)
		kill((pid_t)forward_pid, sig);
}

/* Only there to interrupt the loop's sem_wait(). */
static void wake_signal(int sig)
{
}

/* Note the descriptors open now: the ones the program inherits. */
static void fdset_snapshot(struct fdset *set)
{
	struct dirent *de;
	DIR *d;

	memset(set, 0, sizeof(*set));
	d = opendir("/proc/self/fd");
	if (!d)
		return;
	while ((de = readdir(d))) {
		int fd = atoi(de->d_name);

		if (de->d_name[0] == '.' || fd == dirfd(d))
			continue;
		if (fd >= 0 && fd < 1024)
			set->bits[fd / 64] |= 1ULL << (fd % 64);
	}
	closedir(d);
	set->known = 1;
}

/*
 * Close on exec whatever this process opened itself, so the program holds
 * nothing of ours.  What we know of (the image, the FUSE device) is
 * opened with O_CLOEXEC already: without a /proc to list (under another
 * mmsim exec) there is nothing more to do.
 */
static int cloexec_ours(const struct fdset *keep)
{
	struct dirent *de;
	DIR *d;

	if (!keep->known)
		return 0;
	d = opendir("/proc/self/fd");
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		int fd = atoi(de->d_name);
		int flags;

		if (de->d_name[0] == '.' || fd == dirfd(d) || fd >= 1024)
			continue;
		if (keep->bits[fd / 64] & (1ULL << (fd % 64)))
			continue;
		flags = fcntl(fd, F_GETFD);
		if (flags >= 0)
			fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
	}
	closedir(d);
	return 0;
}

static int write_file(const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, text, len);
	if (n < 0) {
		n = -errno;
		close(fd);
		return (int)n;
	}
	close(fd);
	return (size_t)n == len ? 0 : -EIO;
}

/* Map the caller (outside) to root (inside) a fresh user namespace. */
static int map_to_root(uid_t uid, gid_t gid)
{
	char line[64];
	int ret;

	/* An unprivileged gid_map needs setgroups(2) off for good. */
	ret = write_file("/proc/self/setgroups", "deny");
	if (ret && ret != -ENOENT)
		return ret;
	snprintf(line, sizeof(line), "0 %u 1", (unsigned int)uid);
	ret = write_file("/proc/self/uid_map", line);
	if (ret)
		return ret;
	snprintf(line, sizeof(line), "0 %u 1", (unsigned int)gid);
	return write_file("/proc/self/gid_map", line);
}

/*
 * Take @caps (all of them if @nr < 0) out of every set: bounding,
 * ambient, effective, permitted, inheritable.  Root keeps nothing across
 * execve() of what is not in its bounding set.
 */
static int in_caps(cap_value_t c, const cap_value_t *caps, int nr)
{
	int i;

	if (nr < 0)
		return 1;
	for (i = 0; i < nr; i++)
		if (caps[i] == c)
			return 1;
	return 0;
}

static int drop_caps(const cap_value_t *caps, int nr)
{
	cap_value_t c, last = cap_max_bits();
	cap_t cur;
	int ret;

	for (c = 0; c < last; c++)
		if (in_caps(c, caps, nr) && cap_drop_bound(c) &&
		    errno != EINVAL)
			return -errno;
	if (nr < 0 && cap_reset_ambient() && errno != EINVAL)
		return -errno;
	cur = nr < 0 ? cap_init() : cap_get_proc();
	if (!cur)
		return -ENOMEM;
	ret = 0;
	if (nr >= 0 &&
	    (cap_set_flag(cur, CAP_EFFECTIVE, nr, caps, CAP_CLEAR) ||
	     cap_set_flag(cur, CAP_PERMITTED, nr, caps, CAP_CLEAR) ||
	     cap_set_flag(cur, CAP_INHERITABLE, nr, caps, CAP_CLEAR)))
		ret = -errno;
	if (!ret && cap_set_proc(cur))
		ret = -errno;
	cap_free(cur);
	return ret;
}

static void __attribute__((noreturn))
child_fail(int fd, enum run_stage stage, int err)
{
	struct run_report rep = {.stage = stage, .err = err};

	if (write(fd, &rep, sizeof(rep)) < 0)
		_exit(1);
	_exit(stage == STAGE_EXEC ? (err == ENOENT ? 127 : 126) : 1);
}

/* Put a copy of the tree on a tmpfs at r->dir (in our namespace). */
static int copy_tree(struct runner *r)
{
	struct seq_buf err;
	int ret;

	if (mount("mmsim", r->dir, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755"))
		return -errno;
	seq_buf_init(&err);
	ret = mmfs_copy_tree(image_machine(r->img), r->dir, &err);
	if (ret && r->opts->debug)
		fprintf(stderr, "mmsim: %s\n", err.buf);
	seq_buf_free(&err);
	return ret;
}

/*
 * The child: its own mount namespace, the tree over /proc and /sys, then
 * the program.  The parent is single-threaded when it forks us, so
 * anything goes here.
 */
static void __attribute__((noreturn)) run_child(struct runner *r, int fd)
{
	/* What would let root in a user namespace past the copy's modes. */
	static const cap_value_t dac[] = {CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH,
					  CAP_FOWNER};
	char src[PATH_MAX + 8];
	int ret;

	ret = cloexec_ours(&r->inherit);
	if (ret)
		child_fail(fd, STAGE_FDS, -ret);
	if (unshare(CLONE_NEWNS))
		child_fail(fd, STAGE_UNSHARE, errno);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		child_fail(fd, STAGE_PRIVATE, errno);
	if (r->copy) {
		ret = copy_tree(r);
		if (ret)
			child_fail(fd, STAGE_COPY, -ret);
	}

	/* Each bind blocks on a lookup until the parent's loop serves it. */
	snprintf(src, sizeof(src), "%s/proc", r->dir);
	if (mount(src, "/proc", NULL, MS_BIND, NULL))
		child_fail(fd, STAGE_BIND, errno);
	snprintf(src, sizeof(src), "%s/sys", r->dir);
	if (mount(src, "/sys", NULL, MS_BIND, NULL))
		child_fail(fd, STAGE_BIND, errno);

	if (r->opts->drop_caps)
		ret = drop_caps(NULL, -1);
	else if (r->copy)
		ret = drop_caps(dac, sizeof(dac) / sizeof(dac[0]));
	if (ret)
		child_fail(fd, STAGE_CAPS, -ret);
	execvp(r->opts->argv[0], (char *const *)r->opts->argv);
	child_fail(fd, STAGE_EXEC, errno);
}

static void *reaper(void *arg)
{
	struct runner *r = arg;
	struct timespec tick = {.tv_sec = 0, .tv_nsec = 20 * 1000 * 1000};
	struct seq_buf err;
	size_t got = 0;
	ssize_t n;

	/* EOF when the program is running (exec closed it), or a report. */
	while (got < sizeof(r->report)) {
		n = read(r->report_fd, (char *)&r->report + got,
			 sizeof(r->report) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (got != sizeof(r->report))
		memset(&r->report, 0, sizeof(r->report));
	while (waitpid(r->child, &r->status, 0) < 0 && errno == EINTR)
		;
	forward_pid = 0;
	__atomic_store_n(&r->reaped, 1, __ATOMIC_RELEASE);
	if (!r->fs)
		return NULL;

	/*
	 * Unmounting aborts the connection, which ends the loop's reads;
	 * signals cover a straggler the program left holding a file open.
	 */
	mmfs_exit(r->fs);
	seq_buf_init(&err);
	mmfs_detach(r->fs, &err);
	seq_buf_free(&err);
	while (!__atomic_load_n(&r->loop_done, __ATOMIC_ACQUIRE)) {
		pthread_kill(r->main_thread, SIGUSR1);
		nanosleep(&tick, NULL);
	}
	return NULL;
}

/* Enter a mount namespace of our own (and a user namespace if needed). */
static int private_namespace(struct runner *r, struct seq_buf *err)
{
	int ret;

	if (r->mode == RUN_USERNS) {
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS)) {
			ret = -errno;
			seq_printf(err, "cannot create a user namespace: %s",
				   strerror(errno));
			return ret;
		}
		ret = map_to_root(r->uid, r->gid);
		if (ret) {
			seq_printf(err, "cannot map uid %u to root: %s",
				   (unsigned int)r->uid, strerror(-ret));
			return ret;
		}
	} else if (unshare(CLONE_NEWNS)) {
		ret = -errno;
		seq_printf(err, "cannot create a mount namespace: %s",
			   strerror(errno));
		return ret;
	}
	/* Or our mounts would propagate to the rest of the system. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		ret = -errno;
		seq_printf(err, "cannot make / private: %s", strerror(errno));
		return ret;
	}
	return 0;
}

static int make_dir(struct runner *r, struct seq_buf *err)
{
	const char *tmp = getenv("TMPDIR");
	int ret;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if ((size_t)snprintf(r->dir, sizeof(r->dir), "%s/mmsim-exec.XXXXXX",
			     tmp) >= sizeof(r->dir)) {
		seq_printf(err, "TMPDIR is too long: %s", tmp);
		return -ENAMETOOLONG;
	}
	if (!mkdtemp(r->dir)) {
		ret = -errno;
		seq_printf(err, "cannot make a directory in %s: %s", tmp,
			   strerror(errno));
		r->dir[0] = '\0';
		return ret;
	}
	return 0;
}

static const char *stage_name(enum run_stage stage)
{
	switch (stage) {
	case STAGE_FDS:
		return "cannot list open files";
	case STAGE_UNSHARE:
		return "cannot create the program's namespaces";
	case STAGE_PRIVATE:
		return "cannot make / private";
	case STAGE_COPY:
		return "cannot copy the tree";
	case STAGE_BIND:
		return "cannot bind the tree over /proc and /sys";
	case STAGE_CAPS:
		return "cannot drop capabilities";
	default:
		return "cannot start the program";
	}
}

/* Serve until the child is gone; returns its wait status or -errno. */
static int serve_child(struct runner *r, struct seq_buf *err)
{
	struct sigaction sa, old_term, old_hup, old_int, old_quit, old_pipe,
		old_usr1;
	sigset_t all, old_mask;
	pthread_t tid;
	int pfd[2];
	int ret;

	if (pipe2(pfd, O_CLOEXEC)) {
		ret = -errno;
		seq_printf(err, "pipe: %s", strerror(errno));
		return ret;
	}
	fflush(NULL);
	r->child = fork();
	if (r->child < 0) {
		ret = -errno;
		seq_printf(err, "fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return ret;
	}
	if (r->child == 0) {
		close(pfd[0]);
		run_child(r, pfd[1]);
	}
	close(pfd[1]);
	r->report_fd = pfd[0];
	r->main_thread = pthread_self();
	forward_pid = r->child;

	/* Like system(3): the keyboard's signals are the program's. */
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGQUIT, &sa, &old_quit);
	sigaction(SIGPIPE, &sa, &old_pipe);
	sa.sa_handler = forward_signal;
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	sa.sa_handler = wake_signal;
	sigaction(SIGUSR1, &sa, &old_usr1);

	/* No daemon to run: just wait. */
	if (!r->fs) {
		reaper(r);
		ret = r->status;
		goto restore;
	}

	/* Process signals land on this thread, not the reaper. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old_mask);
	ret = pthread_create(&tid, NULL, reaper, r);
	pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
	if (ret) {
		seq_printf(err, "cannot start a thread: %s", strerror(ret));
		kill(r->child, SIGKILL);
		while (waitpid(r->child, NULL, 0) < 0 && errno == EINTR)
			;
		ret = -ret;
		goto restore;
	}

	mmfs_loop(r->fs);
	/*
	 * The loop only ends before the child did if the tree was taken
	 * away under us; the child may be stuck on a request nobody serves.
	 */
	if (!__atomic_load_n(&r->reaped, __ATOMIC_ACQUIRE))
		kill(r->child, SIGKILL);
	__atomic_store_n(&r->loop_done, 1, __ATOMIC_RELEASE);
	pthread_join(tid, NULL);
	ret = r->status;

restore:
	forward_pid = 0;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	sigaction(SIGPIPE, &old_pipe, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	sigaction(SIGUSR1, &old_usr1, NULL);
	close(r->report_fd);
	return ret;
}

/*
 * Mount the daemon's tree on r->dir; an ordinary user without FUSE gets
 * the copy.  The mount is private to our namespace.
 */
static int make_tree(struct runner *r, struct seq_buf *err)
{
	struct mmfs_opts fo = {0};
	int ret;

	if (r->mode == RUN_USERNS) {
		/* Not the machine's root: no id here is (see the top). */
		fo.root_uid = (uid_t)-1;
		fo.root_gid = (gid_t)-1;
		if (access("/dev/fuse", R_OK | W_OK)) {
			r->copy = 1;
			return 0;
		}
	}
	fo.allow_other = 1;
	fo.debug = r->opts->debug;
	ret = mmfs_new(r->img, &fo, &r->fs, err);
	if (ret)
		return ret;
	ret = mmfs_mount(r->fs, r->dir, err);
	if (!ret)
		return 0;
	mmfs_destroy(r->fs);
	r->fs = NULL;
	if (r->mode != RUN_USERNS)
		return ret;
	if (r->opts->debug)
		fprintf(stderr, "mmsim: %s; using a copy of the tree\n",
			err->buf);
	seq_buf_reset(err);
	r->copy = 1;
	return 0;
}

int mmfs_run_image(const char *path, const struct mmfs_run_opts *opts,
		   struct seq_buf *err)
{
	struct runner r;
	int ret;

	memset(&r, 0, sizeof(r));
	fdset_snapshot(&r.inherit);
	ret = mmfs_open_image(path, &r.img, err);
	if (ret)
		return ret;
	r.opts = opts;
	r.uid = getuid();
	r.gid = getgid();
	r.mode = geteuid() == 0 ? RUN_ROOT : RUN_USERNS;

	ret = private_namespace(&r, err);
	if (ret)
		goto out_img;
	ret = make_dir(&r, err);
	if (ret)
		goto out_img;
	ret = make_tree(&r, err);
	if (ret)
		goto out_dir;
	if (r.copy && opts->debug)
		fprintf(stderr,
			"mmsim: no FUSE for uid %u: the program sees "
			"a copy of the tree\n",
			(unsigned int)r.uid);

	ret = serve_child(&r, err);
	if (ret < 0)
		goto out_fs;
	if (r.report.stage == STAGE_EXEC) {
		seq_printf(err, "%s: %s", opts->argv[0],
			   strerror(r.report.err));
		ret = r.report.err == ENOENT ? 127 : 126;
	} else if (r.report.stage != STAGE_NONE) {
		seq_printf(err, "%s: %s", stage_name(r.report.stage),
			   strerror(r.report.err));
		ret = r.report.err ? -r.report.err : -EIO;
	} else if (WIFEXITED(ret)) {
		ret = WEXITSTATUS(ret);
	} else if (WIFSIGNALED(ret)) {
		ret = 128 + WTERMSIG(ret);
	} else {
		ret = 1;
	}
out_fs:
	mmfs_destroy(r.fs);
out_dir:
	if (rmdir(r.dir) && errno != ENOENT) {
		/* Still mounted (a straggler): detach it and try again. */
		struct seq_buf ignore;

		seq_buf_init(&ignore);
		mmfs_umount_dir(r.dir, 1, &ignore);
		seq_buf_free(&ignore);
		rmdir(r.dir);
	}
out_img:
	image_close(r.img);
	return ret;
}
