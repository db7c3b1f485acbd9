// SPDX-License-Identifier: GPL-2.0
/* mmsim umount [-l] DIR: take down a tree mounted by mmsim mount. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <popt.h>
#include <string.h>

#include "cmd-common.h"
#include "mmfs.h"
#include "seq_buf.h"

static int umount_one(const char *dir, int lazy)
{
	char fstype[64], mp[PATH_MAX];
	struct seq_buf err;
	int ret;

	ret = mmfs_find_mount(dir, fstype, sizeof(fstype), mp, sizeof(mp));
	if (ret == -ENOENT || (!ret && strcmp(fstype, MMFS_FSTYPE))) {
		mmsim_error("umount: %s is not an mmsim mount", dir);
		return 1;
	}
	if (ret) {
		mmsim_error("umount: %s: %s", dir, strerror(-ret));
		return 1;
	}
	seq_buf_init(&err);
	ret = mmfs_umount_dir(mp, lazy, &err);
	if (ret)
		ret = mmsim_fail("umount", &err, ret);
	seq_buf_free(&err);
	return ret;
}

int cmd_umount(int argc, const char **argv)
{
	int lazy = 0;
	const struct poptOption opts[] = {
		{"lazy", 'l', POPT_ARG_NONE, &lazy, 0,
		 "detach it now even while files are open", NULL},
		POPT_TABLEEND};
	struct mmsim_args a;
	int ret;

	ret = mmsim_parse("umount", argc, argv, opts, 0, 1, 1, &a);
	if (ret >= 0)
		return ret;
	ret = umount_one(a.argv[0], lazy);
	mmsim_args_free(&a);
	return ret;
}
