// SPDX-License-Identifier: GPL-2.0
/*
 * Who may open what.  The daemon mounts without default_permissions and
 * decides itself, the way proc_sys_permission() and kernfs do: the mode
 * bits alone, with root getting the owner bits and nothing more (no
 * CAP_DAC_OVERRIDE), so a 0200 knob cannot be read even by root.  Plain
 * /proc files are the exception, as generic_permission() treats them:
 * CAP_DAC_OVERRIDE opens them whatever their mode (fuse_ops.c), and a
 * write to one without a handler gets EIO.  A few knobs also want a
 * capability of the writer, checked on its effective set as capable()
 * would.
 */
#include "config.h"

#include <errno.h>
#include <sys/capability.h>

#include "fs_internal.h"

int mmfs_permission(const struct mmfs_opts *opts, uid_t uid, gid_t gid,
		    mode_t mode, int mask)
{
	mode_t bits;

	/*
	 * FUSE passes only the primary fsgid; supplementary groups would
	 * need a read of /proc/PID/status per request, and no file in the
	 * tree gives group root more than others.
	 */
	if (uid == opts->root_uid)
		bits = (mode >> 6) & 7;
	else if (gid == opts->root_gid)
		bits = (mode >> 3) & 7;
	else
		bits = mode & 7;
	return (mask & ~bits) ? -EACCES : 0;
}

int mmfs_capable(pid_t pid, int cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps;

	/*
	 * pid 0 means the caller lives in a pid namespace the mount cannot
	 * see; cap_get_pid(0) would answer for the daemon itself.
	 */
	if (pid <= 0)
		return -EPERM;
	caps = cap_get_pid(pid);
	if (!caps)
		return -EPERM;
	if (cap_get_flag(caps, cap, CAP_EFFECTIVE, &v))
		v = CAP_CLEAR;
	cap_free(caps);
	return v == CAP_SET ? 0 : -EPERM;
}
