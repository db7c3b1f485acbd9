// SPDX-License-Identifier: GPL-2.0
/*
 * mmsim mount IMAGE DIR [-f]: serve the image's machine as DIR/proc and
 * DIR/sys.  Without -f the daemon goes to the background once DIR is
 * usable, so a script can read DIR/proc as soon as we return.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <popt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd-common.h"
#include "image.h"
#include "mmfs.h"
#include "seq_buf.h"

/* Point stdio at /dev/null: nobody reads a daemon's output. */
static void detach_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

/*
 * Open, mount and serve until unmounted.  With @ready_fd >= 0 we are the
 * background daemon: once the mount is up, let go of the terminal and
 * tell the waiting parent.
 */
static int mount_and_serve(const char *image, const char *dir, int debug,
			   int ready_fd)
{
	struct mmfs_opts opts = {0};
	struct mmfs *fs = NULL;
	struct image *img;
	struct seq_buf err;
	int ret;

	seq_buf_init(&err);
	ret = mmfs_open_image(image, &img, &err);
	if (ret)
		goto out;
	/* Root lets everyone read, as /proc does; a user needs fusermount3. */
	opts.allow_other = geteuid() == 0;
	opts.auto_unmount = geteuid() != 0;
	opts.debug = debug;
	ret = mmfs_new(img, &opts, &fs, &err);
	if (ret)
		goto out_img;
	ret = mmfs_mount(fs, dir, &err);
	if (ret)
		goto out_fs;
	ret = mmfs_handle_signals(fs);
	if (ret) {
		seq_puts(&err, "cannot install signal handlers");
		goto out_fs;
	}
	if (ready_fd >= 0) {
		if (chdir("/"))
			ret = -errno;
		detach_stdio();
		if (write(ready_fd, "R", 1) != 1)
			ret = -errno;
		close(ready_fd);
		if (ret)
			goto out_fs;
	}
	mmfs_loop(fs);
out_fs:
	mmfs_destroy(fs);
out_img:
	image_close(img);
out:
	if (ret)
		mmsim_fail("mount", &err, ret);
	seq_buf_free(&err);
	return ret ? 1 : 0;
}

static int mount_background(const char *image, const char *dir)
{
	int pfd[2], status;
	ssize_t n;
	char c;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC)) {
		mmsim_error("mount: pipe: %s", strerror(errno));
		return 1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		mmsim_error("mount: fork: %s", strerror(errno));
		close(pfd[0]);
		close(pfd[1]);
		return 1;
	}
	if (pid == 0) {
		close(pfd[0]);
		setsid();
		/*
		 * Hold nothing of the caller's: a test harness waits for its
		 * descriptors (bats' fd 3) to close.
		 */
		if (pfd[1] > STDERR_FILENO + 1)
			close_range(STDERR_FILENO + 1, pfd[1] - 1, 0);
		close_range(pfd[1] + 1, ~0U, 0);
		_exit(mount_and_serve(image, dir, 0, pfd[1]));
	}
	close(pfd[1]);
	do {
		n = read(pfd[0], &c, 1);
	} while (n < 0 && errno == EINTR);
	close(pfd[0]);
	if (n == 1)
		return 0;
	/* The daemon said why on stderr before it gave up. */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status))
		return WEXITSTATUS(status);
	return 1;
}

int cmd_mount(int argc, const char **argv)
{
	int foreground = 0, debug = 0;
	const struct poptOption opts[] = {
		{"foreground", 'f', POPT_ARG_NONE, &foreground, 0,
		 "stay in the foreground until unmounted or interrupted", NULL},
		{"debug", 'd', POPT_ARG_NONE, &debug, 0,
		 "trace requests on stderr (implies -f)", NULL},
		POPT_TABLEEND};
	struct mmsim_args a;
	char *image;
	int ret;

	ret = mmsim_parse("mount", argc, argv, opts, 0, 2, 2, &a);
	if (ret >= 0)
		return ret;
	/*
	 * The daemon leaves the caller's directory and reopens the image
	 * whenever a checkpoint rewrite replaces it: it needs the full path.
	 * A path that does not resolve is passed on to be refused by name.
	 */
	image = realpath(a.argv[0], NULL);
	if (foreground || debug)
		ret = mount_and_serve(image ? image : a.argv[0], a.argv[1],
				      debug, -1);
	else
		ret = mount_background(image ? image : a.argv[0], a.argv[1]);
	free(image);
	mmsim_args_free(&a);
	return ret;
}
