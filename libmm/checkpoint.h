/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine state as bytes: what an image's checkpoint holds.  The
 * encoding is canonical: two machines in the same state give the same
 * bytes, so "replay equals state" is a memcmp.  It is sparse: free memory
 * is written as runs, so a fresh 1 TiB machine takes a few kilobytes.
 */
#ifndef MMSIM_CHECKPOINT_H
#define MMSIM_CHECKPOINT_H

#include <stddef.h>

struct machine;
struct seq_buf;

int machine_save(const struct machine *m, struct seq_buf *out);
/*
 * Rebuild a machine from machine_save() bytes.  0, or -EINVAL/-ENOMEM
 * with the reason in @why (the bytes passed a checksum, so a failure here
 * means a bug or a format from another version).
 */
int machine_load(const void *data, size_t len, struct machine **out, char *why,
		 size_t whysize);

#endif
