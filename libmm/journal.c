// SPDX-License-Identifier: GPL-2.0
/*
 * Journal frames: encoding, writing, and a checking forward reader.  The
 * layout of a frame is in journal.h; how frames make up an image is in
 * image.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crc32c.h"
#include "journal.h"
#include "seq_buf.h"

/* Frames are read through a window of at most this many bytes. */
#define JREADER_WINDOW (1u << 20)

int pread_full(int fd, void *buf, size_t len, uint64_t off)
{
	char *p = buf;
	ssize_t n;

	while (len) {
		n = pread(fd, p, len, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -ENODATA;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

int pwrite_full(int fd, const void *buf, size_t len, uint64_t off)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = pwrite(fd, p, len, (off_t)off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return 0;
}

void jrec_encode_op(unsigned char *buf, uint64_t seq, const char *line,
		    size_t len)
{
	put_le32(buf, JREC_OP_MAGIC);
	put_le32(buf + 4, (uint32_t)len);
	put_le64(buf + 8, seq);
	memcpy(buf + JREC_OP_HDR, line, len);
	put_le32(buf + JREC_OP_HDR + len, crc32c(0, buf, JREC_OP_HDR + len));
}

int jrec_write_ckpt(int fd, uint64_t off, uint64_t ops, const void *data,
		    uint64_t len, uint32_t *data_crc)
{
	unsigned char hdr[JREC_CKPT_HDR], tail[JREC_CRC];
	uint32_t crc;
	int ret;

	put_le32(hdr, JREC_CKPT_MAGIC);
	put_le32(hdr + 4, 0);
	put_le64(hdr + 8, ops);
	put_le64(hdr + 16, len);
	*data_crc = crc32c(0, data, len);
	crc = crc32c(crc32c(0, hdr, sizeof(hdr)), data, len);
	put_le32(tail, crc);

	ret = pwrite_full(fd, hdr, sizeof(hdr), off);
	if (!ret)
		ret = pwrite_full(fd, data, len, off + sizeof(hdr));
	if (!ret)
		ret = pwrite_full(fd, tail, sizeof(tail),
				  off + sizeof(hdr) + len);
	return ret;
}

int jreader_init(struct jreader *r, int fd, const char *name, uint64_t start,
		 uint64_t end, uint64_t nr_ops)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->name = name;
	r->pos = start;
	r->end = end;
	r->nr_ops = nr_ops;
	r->buf_size = JREADER_WINDOW;
	/* A catch-up over one new record needs no megabyte. */
	if (end > start && end - start < r->buf_size)
		r->buf_size = (size_t)(end - start);
	if (r->buf_size < JREC_CKPT_HDR)
		r->buf_size = JREC_CKPT_HDR;
	r->buf = malloc(r->buf_size);
	return r->buf ? 0 : -ENOMEM;
}

void jreader_free(struct jreader *r)
{
	free(r->buf);
	r->buf = NULL;
}

/*
 * The @n bytes at @off, which lie before r->end, with n <= r->buf_size;
 * NULL with the reason in @err.
 */
static const unsigned char *jr_window(struct jreader *r, uint64_t off, size_t n,
				      struct seq_buf *err, int *ret)
{
	size_t want;

	if (off >= r->buf_off && off + n <= r->buf_off + r->buf_len)
		return r->buf + (off - r->buf_off);
	want = r->buf_size;
	if (r->end - off < want)
		want = (size_t)(r->end - off);
	*ret = pread_full(r->fd, r->buf, want, off);
	if (*ret) {
		r->buf_len = 0;
		if (*ret == -ENODATA) {
			/* The size was checked under the lock: it was cut. */
			seq_printf(err,
				   "%s: truncated: file ends before offset "
				   "%" PRIu64,
				   r->name, off + want);
			*ret = -EBADMSG;
		} else {
			seq_printf(err, "%s: read at offset %" PRIu64 ": %s",
				   r->name, off, strerror(-*ret));
		}
		return NULL;
	}
	r->buf_off = off;
	r->buf_len = want;
	return r->buf;
}

/*
 * Run the @len bytes at @off through both checksums (the frame's, and the
 * state's alone), copying them to @dst when it is not NULL.
 */
static int jr_stream(struct jreader *r, uint64_t off, uint64_t len,
		     uint32_t *crc, uint32_t *data_crc, unsigned char *dst,
		     struct seq_buf *err)
{
	const unsigned char *p;
	size_t n;
	int ret = 0;

	while (len) {
		n = r->buf_size;
		if (len < n)
			n = (size_t)len;
		p = jr_window(r, off, n, err, &ret);
		if (!p)
			return ret;
		*crc = crc32c(*crc, p, n);
		*data_crc = crc32c(*data_crc, p, n);
		if (dst) {
			memcpy(dst, p, n);
			dst += n;
		}
		off += n;
		len -= n;
	}
	return 0;
}

static int jr_next_ckpt(struct jreader *r, enum jr_ckpt_mode mode,
			struct jframe *f, struct seq_buf *err)
{
	const unsigned char *p;
	uint64_t room = r->end - r->pos;
	uint32_t crc;
	int ret = 0;

	p = jr_window(r, r->pos, JREC_CKPT_HDR, err, &ret);
	if (!p)
		return ret;
	f->seq = get_le64(p + 8);
	f->len = get_le64(p + 16);
	if (get_le32(p + 4) != 0 || f->len > room - JREC_CKPT_HDR - JREC_CRC) {
		seq_printf(err, "%s: bad checkpoint header at offset %" PRIu64,
			   r->name, r->pos);
		return -EBADMSG;
	}
	f->size = jrec_ckpt_size(f->len);
	if (mode != JR_CKPT_SKIP) {
		crc = crc32c(0, p, JREC_CKPT_HDR);
		if (mode == JR_CKPT_LOAD) {
			/* One spare byte: machine_load() may get 0 bytes. */
			f->data = malloc(f->len + 1);
			if (!f->data)
				return -ENOMEM;
		}
		ret = jr_stream(r, r->pos + JREC_CKPT_HDR, f->len, &crc,
				&f->data_crc, f->data, err);
		if (ret)
			goto fail;
		p = jr_window(r, r->pos + JREC_CKPT_HDR + f->len, JREC_CRC, err,
			      &ret);
		if (!p)
			goto fail;
		if (get_le32(p) != crc) {
			seq_printf(err,
				   "%s: checkpoint checksum mismatch at offset "
				   "%" PRIu64,
				   r->name, r->pos);
			ret = -EBADMSG;
			goto fail;
		}
	}
	if (f->seq != r->nr_ops) {
		seq_printf(err,
			   "%s: checkpoint at offset %" PRIu64
			   " covers %" PRIu64
			   " operations but follows %" PRIu64,
			   r->name, r->pos, f->seq, r->nr_ops);
		ret = -EBADMSG;
		goto fail;
	}
	return 1;
fail:
	free(f->data);
	f->data = NULL;
	return ret;
}

static int jr_next_op(struct jreader *r, struct jframe *f, struct seq_buf *err)
{
	const unsigned char *p;
	uint64_t room = r->end - r->pos;
	uint64_t want = r->nr_ops + 1;
	uint32_t crc;
	size_t len;
	int ret = 0;

	p = jr_window(r, r->pos, JREC_OP_HDR, err, &ret);
	if (!p)
		return ret;
	len = get_le32(p + 4);
	if (len == 0 || len > JREC_OP_MAX_LINE || jrec_op_size(len) > room) {
		seq_printf(err,
			   "%s: bad length in journal record %" PRIu64
			   " at offset %" PRIu64,
			   r->name, want, r->pos);
		return -EBADMSG;
	}
	p = jr_window(r, r->pos, (size_t)jrec_op_size(len), err, &ret);
	if (!p)
		return ret;
	crc = crc32c(0, p, JREC_OP_HDR + len);
	if (crc != get_le32(p + JREC_OP_HDR + len)) {
		seq_printf(err,
			   "%s: checksum mismatch in journal record %" PRIu64
			   " at offset %" PRIu64,
			   r->name, want, r->pos);
		return -EBADMSG;
	}
	f->seq = get_le64(p + 8);
	if (f->seq != want) {
		seq_printf(err,
			   "%s: journal record at offset %" PRIu64
			   " is number %" PRIu64 ", expected %" PRIu64,
			   r->name, r->pos, f->seq, want);
		return -EBADMSG;
	}
	memcpy(r->line, p + JREC_OP_HDR, len);
	r->line[len] = '\0';
	if (strlen(r->line) != len || strchr(r->line, '\n')) {
		seq_printf(err,
			   "%s: journal record %" PRIu64 " at offset %" PRIu64
			   " is not one line of text",
			   r->name, want, r->pos);
		return -EBADMSG;
	}
	f->len = len;
	f->size = jrec_op_size(len);
	f->line = r->line;
	return 1;
}

int jreader_next(struct jreader *r, enum jr_ckpt_mode mode, struct jframe *f,
		 struct seq_buf *err)
{
	const unsigned char *p;
	uint64_t room;
	int ret = 0;

	memset(f, 0, sizeof(*f));
	if (r->pos >= r->end)
		return 0;
	room = r->end - r->pos;
	f->off = r->pos;
	if (room < JREC_OP_HDR + JREC_CRC) {
		seq_printf(
			err,
			"%s: journal ends inside a record at offset %" PRIu64,
			r->name, r->pos);
		return -EBADMSG;
	}
	p = jr_window(r, r->pos, 4, err, &ret);
	if (!p)
		return ret;
	f->magic = get_le32(p);
	if (f->magic == JREC_OP_MAGIC) {
		ret = jr_next_op(r, f, err);
		if (ret == 1)
			r->nr_ops++;
	} else if (f->magic == JREC_CKPT_MAGIC &&
		   room >= JREC_CKPT_HDR + JREC_CRC) {
		ret = jr_next_ckpt(r, mode, f, err);
	} else {
		seq_printf(err,
			   "%s: bad magic in journal record %" PRIu64
			   " at offset %" PRIu64,
			   r->name, r->nr_ops + 1, r->pos);
		return -EBADMSG;
	}
	if (ret == 1)
		r->pos += f->size;
	return ret;
}
