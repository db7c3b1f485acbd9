// SPDX-License-Identifier: GPL-2.0
/*
 * The mount table side of the daemon: which file system is on a
 * directory (from /proc/self/mountinfo), and taking a mount down with
 * umount2() or, for an ordinary user, the setuid fusermount3.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmfs.h"
#include "seq_buf.h"

/*
 * The absolute path of @dir without touching @dir itself, which may be
 * the mount point of a daemon that died: resolve its parent and append
 * the last component.
 */
static int canonical_dir(const char *dir, char *out, size_t len)
{
	char buf[PATH_MAX], parent[PATH_MAX];
	char *slash, *base;
	size_t n;

	if (realpath(dir, parent)) {
		if (strlen(parent) >= len)
			return -ENAMETOOLONG;
		strcpy(out, parent);
		return 0;
	}
	n = strlen(dir);
	if (n == 0 || n >= sizeof(buf))
		return n ? -ENAMETOOLONG : -ENOENT;
	memcpy(buf, dir, n + 1);
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	slash = strrchr(buf, '/');
	if (slash) {
		*slash = '\0';
		base = slash + 1;
		if (!realpath(slash == buf ? "/" : buf, parent))
			return -errno;
	} else {
		base = buf;
		if (!realpath(".", parent))
			return -errno;
	}
	if (!strcmp(base, ".") || !strcmp(base, ".."))
		return -EINVAL;
	if ((size_t)snprintf(out, len, "%s%s%s", parent,
			     strcmp(parent, "/") ? "/" : "", base) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static void unescape(char *s)
{
	char *d = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*d++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
				      (s[3] - '0'));
			s += 4;
		} else {
			*d++ = *s++;
		}
	}
	*d = '\0';
}

int mmfs_find_mount(const char *dir, char *fstype, size_t fstype_len,
		    char *mountpoint, size_t mountpoint_len)
{
	char want[PATH_MAX];
	char *line = NULL;
	size_t cap = 0;
	int found = 0;
	FILE *f;
	int ret;

	ret = canonical_dir(dir, want, sizeof(want));
	if (ret)
		return ret;
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	while (getline(&line, &cap, f) > 0) {
		char *save = NULL, *mp, *tok, *type = NULL;
		int field = 0;

		mp = NULL;
		for (tok = strtok_r(line, " \n", &save); tok;
		     tok = strtok_r(NULL, " \n", &save), field++) {
			if (field == 4)
				mp = tok;
			if (field > 5 && !strcmp(tok, "-")) {
				type = strtok_r(NULL, " \n", &save);
				break;
			}
		}
		if (!mp || !type)
			continue;
		unescape(mp);
		if (strcmp(mp, want))
			continue;
		/* Later lines are mounted on top of earlier ones. */
		found = 1;
		snprintf(fstype, fstype_len, "%s", type);
	}
	free(line);
	fclose(f);
	if (!found)
		return -ENOENT;
	if (mountpoint)
		snprintf(mountpoint, mountpoint_len, "%s", want);
	return 0;
}

/*
 * Run fusermount3 -u on @dir, keeping the first line it says on stderr
 * for our own message.
 */
static int fusermount_u(const char *dir, int lazy, struct seq_buf *err)
{
	const char *argv[6];
	char msg[256], spill[256];
	ssize_t n, got = 0;
	int pfd[2], status;
	int argc = 0;
	pid_t pid;

	argv[argc++] = "fusermount3";
	argv[argc++] = "-u";
	argv[argc++] = "-q";
	if (lazy)
		argv[argc++] = "-z";
	argv[argc++] = dir;
	argv[argc] = NULL;
	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -errno;
	}
	if (pid == 0) {
		dup2(pfd[1], STDERR_FILENO);
		execvp(argv[0], (char *const *)argv);
		dprintf(pfd[1], "cannot run fusermount3: %s\n",
			strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	/* Read to the end, so that it never blocks on a full pipe. */
	for (;;) {
		if (got < (ssize_t)sizeof(msg) - 1)
			n = read(pfd[0], msg + got, sizeof(msg) - 1 - got);
		else
			n = read(pfd[0], spill, sizeof(spill));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (got < (ssize_t)sizeof(msg) - 1)
			got += n;
	}
	msg[got] = '\0';
	close(pfd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	msg[strcspn(msg, "\n")] = '\0';
	seq_printf(err, "cannot unmount %s: %s", dir,
		   msg[0] ? msg : "fusermount3 failed");
	return -EIO;
}

int mmfs_umount_dir(const char *dir, int lazy, struct seq_buf *err)
{
	int e;

	if (!umount2(dir, lazy ? MNT_DETACH : 0))
		return 0;
	e = errno;
	/* An ordinary user's FUSE mounts are fusermount3's to take down. */
	if (e == EPERM)
		return fusermount_u(dir, lazy, err);
	seq_printf(err, "cannot unmount %s: %s", dir, strerror(e));
	return -e;
}
