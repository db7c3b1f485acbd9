/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The frames of an image's journal (internal to image.c; the format is
 * described at the top of image.c and in mmsim-image(5)).  Two kinds of
 * frame follow one another after the header: an operation record, and a
 * checkpoint of the machine state after the operations before it.
 *
 *   operation:  u32 magic "MMOP"  u32 length  u64 seq  line  u32 crc32c
 *   checkpoint: u32 magic "MMCK"  u32 0  u64 ops  u64 length  state  u32 crc32c
 *
 * All integers are little-endian; each crc32c covers every byte of its
 * frame before it.
 */
#ifndef MMSIM_JOURNAL_H
#define MMSIM_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ops.h"

struct seq_buf;

#define JREC_OP_MAGIC 0x504f4d4du /* "MMOP" as bytes on disk */
#define JREC_CKPT_MAGIC 0x4b434d4du /* "MMCK" */
#define JREC_OP_HDR 16
#define JREC_CKPT_HDR 24
#define JREC_CRC 4
#define JREC_OP_MAX_LINE OP_MAX_LINE

static inline void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static inline void put_le64(unsigned char *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline uint64_t get_le64(const unsigned char *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

/* Whole-buffer pread/pwrite: 0, -errno, or -ENODATA for end of file. */
int pread_full(int fd, void *buf, size_t len, uint64_t off);
int pwrite_full(int fd, const void *buf, size_t len, uint64_t off);

static inline uint64_t jrec_op_size(size_t len)
{
	return JREC_OP_HDR + (uint64_t)len + JREC_CRC;
}

static inline uint64_t jrec_ckpt_size(uint64_t len)
{
	return JREC_CKPT_HDR + len + JREC_CRC;
}

/* Encode operation @seq into @buf, which holds jrec_op_size(@len) bytes. */
void jrec_encode_op(unsigned char *buf, uint64_t seq, const char *line,
		    size_t len);

/*
 * Write a checkpoint frame of @len bytes of state at @off.  Sets
 * *@data_crc to the crc32c of the state alone.  0 or -errno.
 */
int jrec_write_ckpt(int fd, uint64_t off, uint64_t ops, const void *data,
		    uint64_t len, uint32_t *data_crc);

/* What jreader_next() does with a checkpoint's state. */
enum jr_ckpt_mode {
	JR_CKPT_SKIP, /* check the frame's header only */
	JR_CKPT_VERIFY, /* read the state and check its checksum */
	JR_CKPT_LOAD, /* that, and hand the state to the caller */
};

struct jframe {
	uint32_t magic;
	uint64_t off; /* where the frame starts in the file */
	uint64_t size; /* header, payload and checksum */
	uint64_t seq; /* operation: its number; checkpoint: ops before */
	uint64_t len; /* payload bytes */
	const char *line; /* operation: the line, until the next call */
	void *data; /* checkpoint with JR_CKPT_LOAD: caller frees */
	uint32_t data_crc; /* checkpoint, unless skipped: the state's crc */
};

/*
 * A forward reader over the committed frames in [start, end), checking
 * each frame's framing, checksum and sequence number as it goes.
 */
struct jreader {
	int fd;
	const char *name; /* the image, for messages */
	uint64_t pos, end;
	uint64_t nr_ops; /* operation records before @pos */
	unsigned char *buf; /* a window of the file at @buf_off */
	size_t buf_size, buf_len;
	uint64_t buf_off;
	char line[JREC_OP_MAX_LINE + 1];
};

/* @nr_ops: how many operations come before @start. */
int jreader_init(struct jreader *r, int fd, const char *name, uint64_t start,
		 uint64_t end, uint64_t nr_ops);
void jreader_free(struct jreader *r);
/*
 * The next frame: 1 with *@f filled in, 0 at @end, or -EBADMSG (-EIO ...)
 * with one line naming the fault and its offset in @err.
 */
int jreader_next(struct jreader *r, enum jr_ckpt_mode mode, struct jframe *f,
		 struct seq_buf *err);

#endif
