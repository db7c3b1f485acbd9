// SPDX-License-Identifier: GPL-2.0
/*
 * The image file: one machine and its whole history.
 *
 * Layout (all integers little-endian; mmsim-image(5) says the same):
 *
 *   offset  size  header, version 1 (128 bytes)
 *        0     8  magic "MMSIMIMG"
 *        8     4  format version (1)
 *       12     4  header size (128)
 *       16     8  machine: RAM bytes          } the machine_params of
 *       24     4  machine: nodes              } create, so that the whole
 *       28     4  machine: CPUs               } history replays from
 *       32     8  machine: swap bytes         } machine_boot()
 *       40     8  machine: seed               }
 *       48     8  journal start (= header size)
 *       56     8  committed end: bytes of the file that count
 *       64     8  committed operations
 *       72     8  latest checkpoint: offset of its frame
 *       80     8  latest checkpoint: state bytes
 *       88     8  latest checkpoint: operations it covers
 *       96     4  latest checkpoint: crc32c of the state
 *      100     4  machine: boot options (bit 0: nopcid)
 *      104    20  zero
 *      124     4  crc32c of bytes 0..123
 *
 * From the journal start to the committed end come frames, with no gaps
 * (journal.h): operation records numbered 1, 2, 3 ... in the order they
 * were applied, and checkpoints, each holding machine_save() bytes of the
 * state after the operations before it.  A new image is the header and
 * one checkpoint covering 0 operations.  Every operation ever applied
 * stays in the journal.  Bytes after the committed end (an append that
 * was cut short) do not count and are overwritten by the next append.
 *
 * Opening reads the header under a shared flock(), checks every frame's
 * checksum and numbering, loads the checkpoint the header names and
 * replays the operations after it.  Every byte of the committed part is
 * under exactly one checksum (the header's or a frame's) and the frames
 * must tile it exactly, so any damaged byte is found.
 *
 * Applying an operation, under an exclusive flock(): bring the machine up
 * to the committed end, op_apply() it (a rejected operation changes
 * nothing and writes nothing), write its record after the committed end,
 * fdatasync, then rewrite the header with the new end and count,
 * fdatasync.  The header rewrite is the commit: it is 128 bytes in the
 * first page, so it lands whole or not at all when the process is killed,
 * and a torn sector after a power cut fails the header checksum rather
 * than pass as a state that never was.  Killed before it, the record is
 * past the committed end and does not count.
 *
 * Every IMAGE_CKPT_OPS operations (or IMAGE_CKPT_BYTES of records) a new
 * checkpoint is appended the same way, so that opening replays little;
 * superseded checkpoints stay until they take as much room as everything
 * else, when the image is compacted: PATH.tmp.PID gets the header, every
 * operation record and the latest checkpoint, is fsynced and renamed over
 * PATH, and the directory is fsynced.  Killed before the rename, PATH is
 * untouched (a PATH.tmp.PID is left over); after it, PATH is complete.
 * Compacting copies what has accumulated, so appends stay amortised
 * constant time however long the history grows.
 *
 * A writer takes the lock and then checks that PATH still names the file
 * it has open, reopening when a compaction or `create --force` replaced
 * it; it takes the new file's lock before the rename, so two writers
 * never hold the locks of both files at once.  The committed part of a
 * file never changes once written, except the header.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checkpoint.h"
#include "crc32c.h"
#include "image.h"
#include "journal.h"
#include "machine.h"
#include "ops.h"
#include "page_alloc.h"
#include "seq_buf.h"

#define IMAGE_MAGIC "MMSIMIMG"
#define IMAGE_VERSION 1
#define IMAGE_HDR_SIZE 128
#define IMAGE_HDR_CRC_OFF 124
#define BOOT_OPT_NOPCID 0x1

/* When to append a checkpoint: operations or record bytes after the last. */
#define IMAGE_CKPT_OPS 512
#define IMAGE_CKPT_BYTES (1u << 20)
/* Compact once superseded checkpoints take this much and half the file. */
#define IMAGE_COMPACT_MIN (4u << 20)

struct image_header {
	uint32_t version;
	uint32_t header_size;
	struct machine_params params;
	uint64_t journal_start;
	uint64_t committed_end;
	uint64_t committed_ops;
	uint64_t ckpt_off;
	uint64_t ckpt_len;
	uint64_t ckpt_ops;
	uint32_t ckpt_crc;
};

struct image {
	char *path;
	int fd;
	int flags;
	dev_t dev;
	ino_t ino;
	struct image_header hdr; /* the commit the machine is at */
	unsigned char raw[IMAGE_HDR_SIZE];
	uint64_t ckpt_size; /* frame bytes of the latest checkpoint */
	uint64_t dead; /* ... and of superseded ones */
	struct machine *m; /* NULL with IMAGE_NOLOAD */
	int replaced; /* PATH names another file: reload */
	int stale; /* m may be ahead of the file: reload */
};

static void hdr_encode(const struct image_header *h,
		       unsigned char raw[IMAGE_HDR_SIZE])
{
	memset(raw, 0, IMAGE_HDR_SIZE);
	memcpy(raw, IMAGE_MAGIC, 8);
	put_le32(raw + 8, IMAGE_VERSION);
	put_le32(raw + 12, IMAGE_HDR_SIZE);
	put_le64(raw + 16, h->params.mem_bytes);
	put_le32(raw + 24, (uint32_t)h->params.nr_nodes);
	put_le32(raw + 28, (uint32_t)h->params.nr_cpus);
	put_le64(raw + 32, h->params.swap_bytes);
	put_le64(raw + 40, h->params.seed);
	put_le64(raw + 48, h->journal_start);
	put_le64(raw + 56, h->committed_end);
	put_le64(raw + 64, h->committed_ops);
	put_le64(raw + 72, h->ckpt_off);
	put_le64(raw + 80, h->ckpt_len);
	put_le64(raw + 88, h->ckpt_ops);
	put_le32(raw + 96, h->ckpt_crc);
	put_le32(raw + 100, h->params.nopcid ? BOOT_OPT_NOPCID : 0);
	put_le32(raw + IMAGE_HDR_CRC_OFF, crc32c(0, raw, IMAGE_HDR_CRC_OFF));
}

static int hdr_crc_ok(const unsigned char *raw)
{
	return crc32c(0, raw, IMAGE_HDR_CRC_OFF) ==
	       get_le32(raw + IMAGE_HDR_CRC_OFF);
}

static int truncated(const char *name, uint64_t have, struct seq_buf *err)
{
	seq_printf(err,
		   "%s: truncated: file has %" PRIu64
		   " bytes, the header alone needs %d",
		   name, have, IMAGE_HDR_SIZE);
	return -EBADMSG;
}

/*
 * Check and decode the first @have bytes of a file of @fsize bytes (have
 * = min(fsize, IMAGE_HDR_SIZE)).  Magic and version come first, so that a
 * stranger or a newer image is named as such; after that everything is
 * under the header checksum.
 */
static int hdr_decode(const char *name, const unsigned char *raw, uint64_t have,
		      uint64_t fsize, struct image_header *h,
		      struct seq_buf *err)
{
	unsigned char v1[IMAGE_HDR_SIZE];
	uint64_t ckpt_end;
	uint32_t boot_opts;

	if (memcmp(raw, IMAGE_MAGIC, have < 8 ? have : 8)) {
		seq_printf(err, "%s: not an mmsim image (bad magic)", name);
		return -EBADMSG;
	}
	if (have < 12)
		return truncated(name, fsize, err);
	h->version = get_le32(raw + 8);
	if (h->version != IMAGE_VERSION) {
		/* A damaged version-1 header, rather than a newer image? */
		if (have == IMAGE_HDR_SIZE) {
			memcpy(v1, raw, IMAGE_HDR_SIZE);
			put_le32(v1 + 8, IMAGE_VERSION);
			if (hdr_crc_ok(v1))
				goto bad_crc;
		}
		if (h->version > IMAGE_VERSION) {
			seq_printf(err,
				   "%s: format version %" PRIu32
				   " is newer than this mmsim (%d)",
				   name, h->version, IMAGE_VERSION);
			return -EPROTONOSUPPORT;
		}
		seq_printf(err, "%s: bad format version %" PRIu32, name,
			   h->version);
		return -EBADMSG;
	}
	if (have < IMAGE_HDR_SIZE)
		return truncated(name, fsize, err);
	if (!hdr_crc_ok(raw))
		goto bad_crc;

	h->header_size = get_le32(raw + 12);
	h->params.mem_bytes = get_le64(raw + 16);
	h->params.nr_nodes = (int)get_le32(raw + 24);
	h->params.nr_cpus = (int)get_le32(raw + 28);
	h->params.swap_bytes = get_le64(raw + 32);
	h->params.seed = get_le64(raw + 40);
	h->journal_start = get_le64(raw + 48);
	h->committed_end = get_le64(raw + 56);
	h->committed_ops = get_le64(raw + 64);
	h->ckpt_off = get_le64(raw + 72);
	h->ckpt_len = get_le64(raw + 80);
	h->ckpt_ops = get_le64(raw + 88);
	h->ckpt_crc = get_le32(raw + 96);
	boot_opts = get_le32(raw + 100);
	h->params.nopcid = !!(boot_opts & BOOT_OPT_NOPCID);

	/* The checksum held: what follows are bugs, not bit rot. */
	if (h->header_size != IMAGE_HDR_SIZE ||
	    h->journal_start != IMAGE_HDR_SIZE ||
	    h->committed_end < h->journal_start) {
		seq_printf(err, "%s: bad header (sizes)", name);
		return -EBADMSG;
	}
	if (h->params.nr_nodes < 1 || h->params.nr_nodes > MAX_NUMNODES ||
	    h->params.nr_cpus < 1 || h->params.nr_cpus > NR_CPUS ||
	    (boot_opts & ~(uint32_t)BOOT_OPT_NOPCID)) {
		seq_printf(err, "%s: bad header (machine parameters)", name);
		return -EBADMSG;
	}
	ckpt_end = h->ckpt_off + jrec_ckpt_size(h->ckpt_len);
	if (h->ckpt_off < h->journal_start || h->ckpt_off > h->committed_end ||
	    h->ckpt_len > h->committed_end || ckpt_end > h->committed_end ||
	    h->ckpt_ops > h->committed_ops) {
		seq_printf(err, "%s: bad header (checkpoint offset)", name);
		return -EBADMSG;
	}
	if (h->committed_end > fsize) {
		seq_printf(err,
			   "%s: truncated: header says %" PRIu64
			   " bytes, file has %" PRIu64,
			   name, h->committed_end, fsize);
		return -EBADMSG;
	}
	return 0;
bad_crc:
	seq_printf(err, "%s: header checksum mismatch", name);
	return -EBADMSG;
}

/* Read and check the header of @fd; the caller holds its lock. */
static int read_header(int fd, const char *name, struct image_header *h,
		       unsigned char raw[IMAGE_HDR_SIZE], uint64_t *fsize,
		       struct seq_buf *err)
{
	struct stat st;
	uint64_t have;
	int ret;

	if (fstat(fd, &st) < 0) {
		ret = -errno;
		seq_printf(err, "%s: %s", name, strerror(errno));
		return ret;
	}
	have = (uint64_t)st.st_size;
	if (have > IMAGE_HDR_SIZE)
		have = IMAGE_HDR_SIZE;
	memset(raw, 0, IMAGE_HDR_SIZE);
	ret = pread_full(fd, raw, (size_t)have, 0);
	if (ret == -ENODATA)
		return truncated(name, 0, err);
	if (ret) {
		seq_printf(err, "%s: read: %s", name, strerror(-ret));
		return ret;
	}
	if (fsize)
		*fsize = (uint64_t)st.st_size;
	return hdr_decode(name, raw, have, (uint64_t)st.st_size, h, err);
}

/* Open @img->path afresh, replacing the descriptor. */
static int img_reopen(struct image *img, struct seq_buf *err)
{
	int oflags = (img->flags & IMAGE_RDWR) ? O_RDWR : O_RDONLY;
	struct stat st;
	int fd, ret;

	fd = open(img->path, oflags | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		seq_printf(err, "%s: %s", img->path, strerror(errno));
		return ret;
	}
	if (fstat(fd, &st) < 0) {
		ret = -errno;
		seq_printf(err, "%s: %s", img->path, strerror(errno));
		close(fd);
		return ret;
	}
	if (!S_ISREG(st.st_mode)) {
		seq_printf(err, "%s: not a regular file", img->path);
		close(fd);
		return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	if (img->fd >= 0)
		close(img->fd);
	img->fd = fd;
	img->dev = st.st_dev;
	img->ino = st.st_ino;
	return 0;
}

/*
 * Lock the file PATH names now (LOCK_SH or LOCK_EX), reopening it if a
 * compaction or `create --force` put another file there.
 */
static int lock_current(struct image *img, int how, struct seq_buf *err)
{
	struct stat st;
	int ret;

	for (;;) {
		while (flock(img->fd, how) < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			seq_printf(err, "%s: lock: %s", img->path,
				   strerror(errno));
			return ret;
		}
		if (stat(img->path, &st) < 0) {
			ret = -errno;
			seq_printf(err, "%s: %s", img->path, strerror(errno));
			flock(img->fd, LOCK_UN);
			return ret;
		}
		if (st.st_dev == img->dev && st.st_ino == img->ino)
			return 0;
		flock(img->fd, LOCK_UN);
		ret = img_reopen(img, err);
		if (ret)
			return ret;
		img->replaced = 1;
	}
}

static void unlock(struct image *img)
{
	flock(img->fd, LOCK_UN);
}

/* Apply one journaled operation again; @what says to what, for messages. */
static int replay_op(struct machine *m, const char *name,
		     const struct jframe *f, const char *what,
		     struct seq_buf *err)
{
	struct seq_buf res, why;
	int ret;

	seq_buf_init(&res);
	seq_buf_init(&why);
	ret = op_apply(m, f->line, &res, &why);
	if (ret) {
		seq_printf(err,
			   "%s: journal record %" PRIu64 " at offset %" PRIu64
			   " does not replay%s: %s",
			   name, f->seq, f->off, what,
			   why.len ? why.buf : strerror(-ret));
		ret = -EBADMSG;
	}
	seq_buf_free(&res);
	seq_buf_free(&why);
	return ret;
}

static int load_ckpt(const char *name, const struct jframe *f,
		     struct machine **out, struct seq_buf *err)
{
	char why[256] = "";
	int ret;

	ret = machine_load(f->data, f->len, out, why, sizeof(why));
	if (ret) {
		seq_printf(err,
			   "%s: checkpoint at offset %" PRIu64
			   " does not load: %s",
			   name, f->off, why[0] ? why : strerror(-ret));
		return -EBADMSG;
	}
	return 0;
}

static int ckpt_matches_header(const char *name, const struct jframe *f,
			       const struct image_header *h,
			       struct seq_buf *err)
{
	if (f->seq == h->ckpt_ops && f->len == h->ckpt_len &&
	    f->data_crc == h->ckpt_crc)
		return 0;
	seq_printf(err,
		   "%s: checkpoint at offset %" PRIu64
		   " does not match the header",
		   name, f->off);
	return -EBADMSG;
}

static int newer_ckpt(const char *name, const struct jframe *f,
		      struct seq_buf *err)
{
	seq_printf(err,
		   "%s: checkpoint at offset %" PRIu64
		   " is newer than the header's",
		   name, f->off);
	return -EBADMSG;
}

/*
 * Load the whole image from img->fd, whose lock the caller holds: check
 * every frame, load the latest checkpoint, replay what follows it.  On
 * success the result replaces what @img held; on failure @img is as it
 * was.
 */
static int load_locked(struct image *img, struct seq_buf *err)
{
	int noload = img->flags & IMAGE_NOLOAD;
	struct image_header h;
	unsigned char raw[IMAGE_HDR_SIZE];
	struct machine *m = NULL;
	uint64_t dead = 0, ckpt_size = 0;
	enum jr_ckpt_mode mode;
	struct jreader r;
	struct jframe f;
	int found = 0, ret;

	ret = read_header(img->fd, img->path, &h, raw, NULL, err);
	if (ret)
		return ret;
	ret = jreader_init(&r, img->fd, img->path, h.journal_start,
			   h.committed_end, 0);
	if (ret)
		return ret;
	for (;;) {
		mode = JR_CKPT_VERIFY;
		if (r.pos == h.ckpt_off && !noload)
			mode = JR_CKPT_LOAD;
		ret = jreader_next(&r, mode, &f, err);
		if (ret <= 0)
			break;
		if (f.magic == JREC_OP_MAGIC) {
			if (found && m) {
				ret = replay_op(m, img->path, &f, "", err);
				if (ret)
					goto out;
			}
			continue;
		}
		if (f.off != h.ckpt_off) {
			if (found) {
				ret = newer_ckpt(img->path, &f, err);
				goto out;
			}
			dead += f.size;
			continue;
		}
		found = 1;
		ckpt_size = f.size;
		ret = ckpt_matches_header(img->path, &f, &h, err);
		if (!ret && !noload)
			ret = load_ckpt(img->path, &f, &m, err);
		free(f.data);
		if (ret)
			goto out;
	}
	if (ret < 0)
		goto out;
	if (!found) {
		seq_printf(err,
			   "%s: no checkpoint at offset %" PRIu64
			   ", where the header says",
			   img->path, h.ckpt_off);
		ret = -EBADMSG;
		goto out;
	}
	if (r.nr_ops != h.committed_ops) {
		seq_printf(err,
			   "%s: header says %" PRIu64
			   " operations, the journal has %" PRIu64,
			   img->path, h.committed_ops, r.nr_ops);
		ret = -EBADMSG;
		goto out;
	}

	if (img->m)
		machine_free(img->m);
	img->m = m;
	m = NULL;
	img->hdr = h;
	memcpy(img->raw, raw, IMAGE_HDR_SIZE);
	img->ckpt_size = ckpt_size;
	img->dead = dead;
	img->replaced = 0;
	img->stale = 0;
	ret = 0;
out:
	if (m)
		machine_free(m);
	jreader_free(&r);
	return ret;
}

/*
 * Replay the frames another process committed after ours, up to @nh's
 * end.  On failure the machine may be part way: it is marked stale.
 */
static int catch_up_locked(struct image *img, const struct image_header *nh,
			   const unsigned char *raw, struct seq_buf *err)
{
	uint64_t dead = img->dead, ckpt_size = img->ckpt_size;
	int seen = nh->ckpt_off == img->hdr.ckpt_off;
	struct jreader r;
	struct jframe f;
	int ret;

	ret = jreader_init(&r, img->fd, img->path, img->hdr.committed_end,
			   nh->committed_end, img->hdr.committed_ops);
	if (ret)
		return ret;
	/* Checkpoints are not needed here: their frames are checked on open. */
	while ((ret = jreader_next(&r, JR_CKPT_SKIP, &f, err)) > 0) {
		if (f.magic == JREC_OP_MAGIC) {
			if (img->m) {
				ret = replay_op(img->m, img->path, &f, "", err);
				if (ret)
					goto fail;
			}
			continue;
		}
		if (seen) {
			ret = newer_ckpt(img->path, &f, err);
			goto fail;
		}
		if (f.off == nh->ckpt_off) {
			/* Its state's checksum is checked on open. */
			f.data_crc = nh->ckpt_crc;
			ret = ckpt_matches_header(img->path, &f, nh, err);
			if (ret)
				goto fail;
			seen = 1;
			dead += ckpt_size;
			ckpt_size = f.size;
		} else {
			dead += f.size;
		}
	}
	if (ret < 0)
		goto fail;
	if (!seen || r.nr_ops != nh->committed_ops) {
		seq_printf(err,
			   "%s: header does not match the journal after offset "
			   "%" PRIu64,
			   img->path, img->hdr.committed_end);
		ret = -EBADMSG;
		goto fail;
	}
	img->hdr = *nh;
	memcpy(img->raw, raw, IMAGE_HDR_SIZE);
	img->dead = dead;
	img->ckpt_size = ckpt_size;
	jreader_free(&r);
	return 0;
fail:
	img->stale = 1;
	jreader_free(&r);
	return ret;
}

static int same_params(const struct machine_params *a,
		       const struct machine_params *b)
{
	return a->mem_bytes == b->mem_bytes && a->nr_nodes == b->nr_nodes &&
	       a->nr_cpus == b->nr_cpus && a->swap_bytes == b->swap_bytes &&
	       a->seed == b->seed && a->nopcid == b->nopcid;
}

/* Bring @img up to the committed state of the file; the lock is held. */
static int sync_locked(struct image *img, int *changed, struct seq_buf *err)
{
	struct image_header nh;
	unsigned char raw[IMAGE_HDR_SIZE];
	struct seq_buf scratch;
	int ret;

	*changed = 0;
	if (!img->replaced && !img->stale) {
		ret = read_header(img->fd, img->path, &nh, raw, NULL, err);
		if (ret)
			return ret;
		if (!memcmp(raw, img->raw, IMAGE_HDR_SIZE))
			return 0;
		*changed = 1;
		/*
		 * Anything odd (the file was copied over in place, say) gets
		 * a full load, which names the fault if there is one.
		 */
		if (nh.committed_ops >= img->hdr.committed_ops &&
		    nh.committed_end >= img->hdr.committed_end &&
		    same_params(&nh.params, &img->hdr.params)) {
			seq_buf_init(&scratch);
			ret = catch_up_locked(img, &nh, raw, &scratch);
			seq_buf_free(&scratch);
			if (!ret)
				return 0;
		}
	}
	*changed = 1;
	return load_locked(img, err);
}

int image_open(const char *path, int flags, struct image **out,
	       struct seq_buf *err)
{
	struct image *img;
	int ret;

	img = calloc(1, sizeof(*img));
	if (!img)
		return -ENOMEM;
	img->fd = -1;
	img->flags = flags;
	img->path = strdup(path);
	if (!img->path) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = img_reopen(img, err);
	if (ret)
		goto fail;
	ret = lock_current(img, LOCK_SH, err);
	if (ret)
		goto fail;
	ret = load_locked(img, err);
	unlock(img);
	if (ret)
		goto fail;
	*out = img;
	return 0;
fail:
	image_close(img);
	return ret;
}

void image_close(struct image *img)
{
	if (!img)
		return;
	if (img->m)
		machine_free(img->m);
	if (img->fd >= 0)
		close(img->fd);
	free(img->path);
	free(img);
}

struct machine *image_machine(struct image *img)
{
	return img->m;
}

uint64_t image_nr_ops(const struct image *img)
{
	return img->hdr.committed_ops;
}

void image_get_info(const struct image *img, struct image_info *info)
{
	struct stat st;

	memset(info, 0, sizeof(*info));
	info->params = img->hdr.params;
	info->nr_ops = img->hdr.committed_ops;
	info->ckpt_ops = img->hdr.ckpt_ops;
	info->ckpt_bytes = img->hdr.ckpt_len;
	info->committed_bytes = img->hdr.committed_end;
	if (fstat(img->fd, &st) == 0)
		info->file_bytes = (uint64_t)st.st_size;
}

int image_refresh(struct image *img, int *changed, struct seq_buf *err)
{
	int ret;

	*changed = 0;
	ret = lock_current(img, LOCK_SH, err);
	if (ret)
		return ret;
	ret = sync_locked(img, changed, err);
	unlock(img);
	return ret;
}

/*
 * Make a rename in @path's directory durable.  Best effort: the rename
 * itself is done, and only a power cut could undo it.
 */
static void fsync_dir(const char *path)
{
	char *dir = strdup(path), *slash;
	int fd;

	if (!dir)
		return;
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/*
 * Make room for a frame at the committed end: cut off what an
 * interrupted append left there.
 */
static int begin_append(struct image *img)
{
	struct stat st;

	if (fstat(img->fd, &st) < 0)
		return -errno;
	if ((uint64_t)st.st_size > img->hdr.committed_end &&
	    ftruncate(img->fd, (off_t)img->hdr.committed_end) < 0)
		return -errno;
	return 0;
}

/* The frame is written: make it durable, then commit it in the header. */
static int commit_header(struct image *img, const struct image_header *nh)
{
	unsigned char raw[IMAGE_HDR_SIZE];
	int ret;

	if (fdatasync(img->fd) < 0)
		return -errno;
	hdr_encode(nh, raw);
	ret = pwrite_full(img->fd, raw, IMAGE_HDR_SIZE, 0);
	if (ret)
		return ret;
	if (fdatasync(img->fd) < 0)
		return -errno;
	img->hdr = *nh;
	memcpy(img->raw, raw, IMAGE_HDR_SIZE);
	return 0;
}

/* The target of a rename over PATH: PATH itself, or where it links to. */
static char *real_target(const char *path)
{
	char *real = realpath(path, NULL);

	return real ? real : strdup(path);
}

static char *tmp_name(const char *target)
{
	size_t n = strlen(target) + 32;
	char *tmp = malloc(n);

	if (tmp)
		snprintf(tmp, n, "%s.tmp.%ld", target, (long)getpid());
	return tmp;
}

/*
 * Remove the TARGET.tmp.PID files of compactions whose process was killed.
 * We hold the image's lock, so no compaction is writing one; a create
 * --force of the same path might be, but its process is alive.
 */
static void remove_litter(const char *target)
{
	const char *base = strrchr(target, '/');
	size_t dir_len = base ? (size_t)(base - target) + 1 : 0;
	char *dir, *path, *end;
	struct dirent *de;
	size_t base_len;
	long pid;
	DIR *d;

	base = target + dir_len;
	base_len = strlen(base);
	dir = dir_len ? strndup(target, dir_len) : strdup(".");
	if (!dir)
		return;
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, base, base_len) ||
		    strncmp(de->d_name + base_len, ".tmp.", 5))
			continue;
		pid = strtol(de->d_name + base_len + 5, &end, 10);
		if (*end || pid <= 0 || pid == (long)getpid() ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		path = malloc(dir_len + strlen(de->d_name) + 1);
		if (!path)
			break;
		sprintf(path, "%.*s%s", (int)dir_len, target, de->d_name);
		unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
	free(dir);
}

/* Copy @len bytes at @from in @img's file to @to in @fd. */
static int copy_range(struct image *img, int fd, uint64_t from, uint64_t len,
		      uint64_t to, unsigned char *buf, size_t size)
{
	size_t n;
	int ret;

	while (len) {
		n = len < size ? (size_t)len : size;
		ret = pread_full(img->fd, buf, n, from);
		if (!ret)
			ret = pwrite_full(fd, buf, n, to);
		if (ret)
			return ret;
		from += n;
		to += n;
		len -= n;
	}
	return 0;
}

/*
 * Write every operation record and the latest checkpoint, in order, from
 * @img's file to @fd after the header; fills in @nh's offsets.  Frames
 * are copied as they are, checksums and all, a run of them at a time.
 */
static int copy_live_frames(struct image *img, int fd, struct image_header *nh,
			    struct seq_buf *err)
{
	const size_t size = 1u << 20;
	uint64_t out = IMAGE_HDR_SIZE, run = img->hdr.journal_start;
	enum jr_ckpt_mode mode;
	unsigned char *buf;
	struct jreader r;
	struct jframe f;
	int ret;

	buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	ret = jreader_init(&r, img->fd, img->path, img->hdr.journal_start,
			   img->hdr.committed_end, 0);
	if (ret)
		goto out_free;
	for (;;) {
		/* The latest checkpoint is read through: nothing bad is copied.
		 */
		mode = JR_CKPT_SKIP;
		if (r.pos == img->hdr.ckpt_off)
			mode = JR_CKPT_VERIFY;
		ret = jreader_next(&r, mode, &f, err);
		if (ret <= 0)
			break;
		if (f.magic != JREC_CKPT_MAGIC)
			continue;
		if (f.off == img->hdr.ckpt_off) {
			nh->ckpt_off = out + (f.off - run);
			continue;
		}
		/* A superseded checkpoint ends a run of frames to keep. */
		ret = copy_range(img, fd, run, f.off - run, out, buf, size);
		if (ret)
			goto out;
		out += f.off - run;
		run = f.off + f.size;
	}
	if (ret < 0)
		goto out;
	ret = copy_range(img, fd, run, r.pos - run, out, buf, size);
	nh->committed_end = out + (r.pos - run);
out:
	jreader_free(&r);
out_free:
	free(buf);
	return ret;
}

/*
 * Rewrite the image without its superseded checkpoints (see the top of
 * the file).  The exclusive lock is held; on failure nothing changed.
 */
static int compact_locked(struct image *img, struct seq_buf *err)
{
	struct image_header nh = img->hdr;
	unsigned char raw[IMAGE_HDR_SIZE];
	char *target, *tmp = NULL;
	struct stat st;
	int fd = -1, ret;

	target = real_target(img->path);
	if (target)
		tmp = tmp_name(target);
	if (!target || !tmp) {
		ret = -ENOMEM;
		goto out;
	}
	if (fstat(img->fd, &st) < 0) {
		ret = -errno;
		goto out;
	}
	remove_litter(target);
	fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC,
		  st.st_mode & 07777);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	/*
	 * Keep the owner when root compacts someone's image.  Best effort: a
	 * user who may write the image but not chown gets the file as theirs.
	 */
	(void)!fchown(fd, st.st_uid, st.st_gid);
	/* Locked before anyone can open it by PATH. */
	if (flock(fd, LOCK_EX) < 0) {
		ret = -errno;
		goto out_unlink;
	}
	ret = copy_live_frames(img, fd, &nh, err);
	if (ret)
		goto out_unlink;
	hdr_encode(&nh, raw);
	ret = pwrite_full(fd, raw, IMAGE_HDR_SIZE, 0);
	if (ret)
		goto out_unlink;
	if (fsync(fd) < 0 || fstat(fd, &st) < 0 || rename(tmp, target) < 0) {
		ret = -errno;
		goto out_unlink;
	}
	fsync_dir(target);
	/* Closing the old file lets its waiters in, to find PATH changed. */
	close(img->fd);
	img->fd = fd;
	fd = -1;
	img->dev = st.st_dev;
	img->ino = st.st_ino;
	img->hdr = nh;
	memcpy(img->raw, raw, IMAGE_HDR_SIZE);
	img->dead = 0;
	ret = 0;
	goto out;
out_unlink:
	unlink(tmp);
out:
	if (fd >= 0)
		close(fd);
	free(tmp);
	free(target);
	return ret;
}

/*
 * Append a checkpoint of the current state when enough has been applied
 * since the last, and compact when superseded checkpoints have piled up.
 * The operation is already committed, so a failure here is not reported:
 * the next append tries again.
 */
static void maybe_checkpoint_locked(struct image *img)
{
	struct image_header nh = img->hdr;
	uint64_t tail_ops = img->hdr.committed_ops - img->hdr.ckpt_ops;
	uint64_t tail_bytes =
		img->hdr.committed_end - (img->hdr.ckpt_off + img->ckpt_size);
	struct seq_buf state, err;
	uint64_t size;

	if (tail_ops < IMAGE_CKPT_OPS && tail_bytes < IMAGE_CKPT_BYTES)
		return;
	seq_buf_init(&state);
	seq_buf_init(&err);
	if (machine_save(img->m, &state) || seq_buf_error(&state))
		goto out;
	if (begin_append(img))
		goto out;
	if (jrec_write_ckpt(img->fd, img->hdr.committed_end,
			    img->hdr.committed_ops, state.buf, state.len,
			    &nh.ckpt_crc))
		goto out;
	size = jrec_ckpt_size(state.len);
	nh.ckpt_off = img->hdr.committed_end;
	nh.ckpt_len = state.len;
	nh.ckpt_ops = img->hdr.committed_ops;
	nh.committed_end += size;
	if (commit_header(img, &nh)) {
		/* Whether it landed is unknown: read the file again. */
		img->stale = 1;
		goto out;
	}
	img->dead += img->ckpt_size;
	img->ckpt_size = size;
	if (img->dead >= IMAGE_COMPACT_MIN &&
	    img->dead >= img->hdr.committed_end - img->dead)
		compact_locked(img, &err);
out:
	seq_buf_free(&state);
	seq_buf_free(&err);
}

int image_apply(struct image *img, const char *line, struct seq_buf *result,
		struct seq_buf *err)
{
	size_t len = strlen(line), res_len = result->len;
	struct image_header nh;
	unsigned char *rec;
	int changed, ret;

	if (!(img->flags & IMAGE_RDWR) || (img->flags & IMAGE_NOLOAD)) {
		seq_printf(err, "%s: image is not open for writing", img->path);
		return -EBADF;
	}
	if (len == 0 || len > JREC_OP_MAX_LINE || strchr(line, '\n')) {
		seq_printf(err, "an operation is one line of 1 to %d bytes",
			   JREC_OP_MAX_LINE);
		return -EINVAL;
	}
	rec = malloc(jrec_op_size(len));
	if (!rec)
		return -ENOMEM;
	ret = lock_current(img, LOCK_EX, err);
	if (ret)
		goto out_free;
	ret = sync_locked(img, &changed, err);
	if (ret)
		goto out_unlock;
	ret = op_apply(img->m, line, result, err);
	if (ret) {
		/*
		 * A rejected operation may have changed the machine part
		 * way (see ops.h); the file still holds the state before it.
		 */
		img->stale = 1;
		goto out_unlock;
	}

	nh = img->hdr;
	nh.committed_ops++;
	jrec_encode_op(rec, nh.committed_ops, line, len);
	nh.committed_end += jrec_op_size(len);
	ret = begin_append(img);
	if (!ret)
		ret = pwrite_full(img->fd, rec, (size_t)jrec_op_size(len),
				  img->hdr.committed_end);
	if (!ret)
		ret = commit_header(img, &nh);
	if (ret) {
		/* The machine has the operation, the file may not. */
		img->stale = 1;
		result->len = res_len;
		if (result->buf)
			result->buf[res_len] = '\0';
		seq_printf(err, "%s: cannot write the journal: %s", img->path,
			   strerror(-ret));
		goto out_unlock;
	}
	maybe_checkpoint_locked(img);
out_unlock:
	unlock(img);
out_free:
	free(rec);
	return ret;
}

int image_for_each_op(struct image *img,
		      int (*fn)(uint64_t seq, const char *line, void *arg),
		      void *arg)
{
	struct seq_buf err;
	struct jreader r;
	struct jframe f;
	int ret;

	/* The committed part below our end never changes: no lock needed. */
	ret = jreader_init(&r, img->fd, img->path, img->hdr.journal_start,
			   img->hdr.committed_end, 0);
	if (ret)
		return ret;
	seq_buf_init(&err);
	while ((ret = jreader_next(&r, JR_CKPT_SKIP, &f, &err)) > 0) {
		if (f.magic != JREC_OP_MAGIC)
			continue;
		ret = fn(f.seq, f.line, arg);
		if (ret)
			break;
	}
	seq_buf_free(&err);
	jreader_free(&r);
	return ret;
}

/* Write a new image at @tmp: the header and one checkpoint of @m. */
static int write_new_image(int fd, const struct machine_params *p,
			   const struct seq_buf *state)
{
	struct image_header h;
	unsigned char raw[IMAGE_HDR_SIZE];
	int ret;

	memset(&h, 0, sizeof(h));
	h.params = *p;
	h.journal_start = IMAGE_HDR_SIZE;
	h.ckpt_off = IMAGE_HDR_SIZE;
	h.ckpt_len = state->len;
	h.committed_end = IMAGE_HDR_SIZE + jrec_ckpt_size(state->len);
	ret = jrec_write_ckpt(fd, h.ckpt_off, 0, state->buf, state->len,
			      &h.ckpt_crc);
	if (ret)
		return ret;
	hdr_encode(&h, raw);
	ret = pwrite_full(fd, raw, IMAGE_HDR_SIZE, 0);
	if (ret)
		return ret;
	return fsync(fd) < 0 ? -errno : 0;
}

/* Put @tmp at @path unless something is there already. */
static int link_new(const char *tmp, const char *path)
{
	if (link(tmp, path) == 0)
		return 0;
	if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP)
		return -errno;
#ifdef RENAME_NOREPLACE
	/* A filesystem without hard links. */
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
#endif
	return -errno;
}

int image_create(const char *path, const struct machine_params *p, int force,
		 struct seq_buf *err)
{
	struct machine *m = NULL;
	struct seq_buf state;
	char *target, *tmp = NULL;
	struct stat st;
	int fd = -1, ret;

	seq_buf_init(&state);
	target = force ? real_target(path) : strdup(path);
	if (target)
		tmp = tmp_name(target);
	if (!target || !tmp) {
		ret = -ENOMEM;
		goto out;
	}
	/* Booting a large machine takes a moment: fail early. */
	if (!force && lstat(path, &st) == 0) {
		ret = -EEXIST;
		goto exists;
	}
	ret = machine_boot(p, &m);
	if (ret) {
		seq_printf(err, "%s: cannot boot the machine: %s", path,
			   strerror(-ret));
		goto out;
	}
	ret = machine_save(m, &state);
	if (!ret)
		ret = seq_buf_error(&state);
	if (ret) {
		seq_printf(err, "%s: cannot save the machine: %s", path,
			   strerror(-ret));
		goto out;
	}
	fd = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		ret = -errno;
		seq_printf(err, "%s: %s", tmp, strerror(errno));
		goto out;
	}
	ret = write_new_image(fd, p, &state);
	if (ret) {
		seq_printf(err, "%s: write: %s", tmp, strerror(-ret));
		goto out_unlink;
	}
	if (force)
		ret = rename(tmp, target) < 0 ? -errno : 0;
	else
		ret = link_new(tmp, target);
	if (ret == -EEXIST)
		goto exists_unlink;
	if (ret) {
		seq_printf(err, "%s: %s", path, strerror(-ret));
		goto out_unlink;
	}
	if (!force)
		unlink(tmp);
	fsync_dir(target);
	ret = 0;
	goto out;
exists_unlink:
	unlink(tmp);
exists:
	seq_printf(err, "%s: already exists (--force replaces it)", path);
	goto out;
out_unlink:
	unlink(tmp);
out:
	if (fd >= 0)
		close(fd);
	if (m)
		machine_free(m);
	seq_buf_free(&state);
	free(tmp);
	free(target);
	return ret;
}

/* Where two machine_save() outputs first differ, for the check report. */
static uint64_t first_difference(const char *a, size_t alen, const char *b,
				 size_t blen)
{
	size_t n = alen < blen ? alen : blen, i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			break;
	return i;
}

static int same_state(const char *name, const struct machine *m,
		      const void *data, uint64_t len, const char *what,
		      struct seq_buf *err)
{
	struct seq_buf s;
	int ret;

	seq_buf_init(&s);
	ret = machine_save(m, &s);
	if (!ret)
		ret = seq_buf_error(&s);
	if (ret) {
		seq_printf(err, "%s: cannot save the replayed machine: %s",
			   name, strerror(-ret));
		goto out;
	}
	if (s.len != len || memcmp(s.buf, data, len)) {
		seq_printf(err,
			   "%s: replaying the history from boot does not give "
			   "%s: first difference at byte %" PRIu64
			   " (%zu vs %" PRIu64 " bytes)",
			   name, what,
			   first_difference(s.buf, s.len, data, (size_t)len),
			   s.len, len);
		ret = -EBADMSG;
	}
out:
	seq_buf_free(&s);
	return ret;
}

struct check_state {
	const char *name;
	struct image_header h;
	struct machine *boot; /* the whole history replayed from boot */
	struct machine *saved; /* the latest checkpoint and what follows */
	uint64_t nr_ckpts, dead;
};

static int check_frame(struct check_state *c, struct jframe *f,
		       struct seq_buf *err)
{
	char what[96];
	int ret;

	if (f->magic == JREC_OP_MAGIC) {
		ret = replay_op(c->boot, c->name, f, " from boot", err);
		if (!ret && c->saved)
			ret = replay_op(c->saved, c->name, f,
					" on the checkpoint", err);
		return ret;
	}
	c->nr_ckpts++;
	snprintf(what, sizeof(what), "the checkpoint at offset %" PRIu64,
		 f->off);
	ret = same_state(c->name, c->boot, f->data, f->len, what, err);
	if (ret)
		return ret;
	if (f->off != c->h.ckpt_off) {
		if (c->saved)
			return newer_ckpt(c->name, f, err);
		c->dead += f->size;
		return 0;
	}
	ret = ckpt_matches_header(c->name, f, &c->h, err);
	if (ret)
		return ret;
	return load_ckpt(c->name, f, &c->saved, err);
}

int image_check(const char *path, struct seq_buf *report, struct seq_buf *err)
{
	struct check_state c = {.name = path};
	unsigned char raw[IMAGE_HDR_SIZE];
	struct seq_buf state;
	struct jreader r;
	struct jframe f;
	char why[256] = "";
	uint64_t fsize;
	int fd, ret;

	seq_buf_init(&state);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		seq_printf(err, "%s: %s", path, strerror(errno));
		return ret;
	}
	/*
	 * The header is read under the lock; the frames before its committed
	 * end never change, so the long replay does not hold writers up.
	 */
	while (flock(fd, LOCK_SH) < 0 && errno == EINTR)
		;
	ret = read_header(fd, path, &c.h, raw, &fsize, err);
	flock(fd, LOCK_UN);
	if (ret)
		goto out_close;

	ret = machine_boot(&c.h.params, &c.boot);
	if (ret) {
		seq_printf(err,
			   "%s: the machine in the header does not boot: %s",
			   path, strerror(-ret));
		ret = -EBADMSG;
		goto out_close;
	}
	ret = jreader_init(&r, fd, path, c.h.journal_start, c.h.committed_end,
			   0);
	if (ret)
		goto out_free;
	while ((ret = jreader_next(&r, JR_CKPT_LOAD, &f, err)) > 0) {
		ret = check_frame(&c, &f, err);
		free(f.data);
		if (ret)
			break;
	}
	jreader_free(&r);
	if (ret < 0)
		goto out_free;
	if (!c.saved) {
		seq_printf(err,
			   "%s: no checkpoint at offset %" PRIu64
			   ", where the header says",
			   path, c.h.ckpt_off);
		ret = -EBADMSG;
		goto out_free;
	}
	if (r.nr_ops != c.h.committed_ops) {
		seq_printf(err,
			   "%s: header says %" PRIu64
			   " operations, the journal has %" PRIu64,
			   path, c.h.committed_ops, r.nr_ops);
		ret = -EBADMSG;
		goto out_free;
	}
	ret = machine_save(c.saved, &state);
	if (!ret)
		ret = seq_buf_error(&state);
	if (ret) {
		seq_printf(err, "%s: cannot save the loaded machine: %s", path,
			   strerror(-ret));
		goto out_free;
	}
	ret = same_state(path, c.boot, state.buf, state.len, "the saved state",
			 err);
	if (ret)
		goto out_free;
	ret = check_page_accounting(c.saved, why, sizeof(why));
	if (ret) {
		seq_printf(err, "%s: page accounting: %s", path, why);
		goto out_free;
	}
	/* the replayed machine's counts are the ones kept incrementally */
	ret = cgroup_check(c.boot, why, sizeof(why));
	if (ret) {
		seq_printf(err, "%s: cgroups: %s", path, why);
		goto out_free;
	}

	seq_printf(report, "format: mmsim image version %d\n", IMAGE_VERSION);
	seq_printf(report,
		   "operations: %" PRIu64 " (%" PRIu64
		   " in the checkpoint, %" PRIu64 " after it)\n",
		   c.h.committed_ops, c.h.ckpt_ops,
		   c.h.committed_ops - c.h.ckpt_ops);
	seq_printf(report,
		   "checkpoint: %" PRIu64 " bytes at offset %" PRIu64
		   "; %" PRIu64 " superseded (%" PRIu64 " bytes)\n",
		   c.h.ckpt_len, c.h.ckpt_off, c.nr_ckpts - 1, c.dead);
	seq_printf(report, "file: %" PRIu64 " bytes committed",
		   c.h.committed_end);
	if (fsize > c.h.committed_end)
		seq_printf(report,
			   ", %" PRIu64
			   " after them from an interrupted write (ignored)",
			   fsize - c.h.committed_end);
	seq_puts(report, "\n");
	seq_printf(
		report,
		"replay from boot: identical to the saved state (%zu bytes)\n",
		state.len);
	seq_puts(report, "page accounting: consistent\n");
	seq_puts(report, "cgroups: consistent\n");
	ret = seq_buf_error(report);
out_free:
	if (c.saved)
		machine_free(c.saved);
	machine_free(c.boot);
out_close:
	seq_buf_free(&state);
	close(fd);
	return ret;
}
