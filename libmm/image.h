/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The image file: a versioned, checksummed header; a checkpoint of the
 * machine state; and an append-only journal of the operations applied
 * since creation, each record with its own checksum.  Opening loads the
 * checkpoint and replays the journal records after it.  Applying an
 * operation takes the image's lock, applies it to the machine, appends the
 * record, syncs, and only then commits it in the header.
 */
#ifndef MMSIM_IMAGE_H
#define MMSIM_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "machine.h"

struct image;
struct seq_buf;

enum image_open_flags {
	IMAGE_RDONLY = 0,
	IMAGE_RDWR = 1,
	/*
	 * Check the image but do not load the machine (image_machine() is
	 * NULL): for reading the journal or the header alone.
	 */
	IMAGE_NOLOAD = 2,
};

/* Create a freshly booted machine at @path; -EEXIST unless @force. */
int image_create(const char *path, const struct machine_params *p, int force,
		 struct seq_buf *err);
/*
 * Open and load an image: the machine after the last committed operation.
 * A damaged image gives -EBADMSG (or -EPROTONOSUPPORT for a version from
 * the future) with the reason in @err, and is not written to.
 */
int image_open(const char *path, int flags, struct image **out,
	       struct seq_buf *err);
void image_close(struct image *img);

/*
 * The loaded machine.  A refresh or an apply may replace it (after another
 * process compacted or recreated the image): fetch it again after those.
 * An image is not safe to use from two threads at once.
 */
struct machine *image_machine(struct image *img);
/* Operations committed since creation. */
uint64_t image_nr_ops(const struct image *img);

/* What the header says, for `mmsim info`. */
struct image_info {
	struct machine_params params; /* as created */
	uint64_t nr_ops; /* committed operations */
	uint64_t ckpt_ops; /* ... the latest checkpoint covers */
	uint64_t ckpt_bytes; /* the latest checkpoint's state */
	uint64_t committed_bytes; /* of the file */
	uint64_t file_bytes;
};
void image_get_info(const struct image *img, struct image_info *info);

/*
 * Bring the loaded machine up to date with operations other processes
 * committed since; cheap when nothing changed.  Sets *@changed.
 */
int image_refresh(struct image *img, int *changed, struct seq_buf *err);

/*
 * Apply one operation line under the image lock (refreshing first),
 * journal it and commit.  The result text goes to @result.  A rejected
 * operation returns its negative errno with the reason in @err and
 * leaves both the file and the loaded machine unchanged.
 */
int image_apply(struct image *img, const char *line, struct seq_buf *result,
		struct seq_buf *err);

/* Visit the committed operation lines in order. */
int image_for_each_op(struct image *img,
		      int (*fn)(uint64_t seq, const char *line, void *arg),
		      void *arg);

/*
 * Verify an image completely: header, checkpoint and every record
 * checksum, and that replaying the whole history from creation gives the
 * saved state byte for byte, and that the page accounting holds.  0 when
 * sound; otherwise the first fault is described in @err.
 */
int image_check(const char *path, struct seq_buf *report, struct seq_buf *err);

#endif
