// SPDX-License-Identifier: GPL-2.0
/*
 * tmpfs (mm/shmem.c) and System V shared memory (ipc/shm.c).
 *
 * A tmpfs file's pages are its data: PAGE_SHMEM frames in its page index,
 * counted in Shmem and Cached, never dropped by drop_caches, charged to
 * the mount, which refuses pages past its size= with ENOSPC.  The boot
 * mounts /run (10% of RAM, as initramfs-tools does), /dev/shm (half of
 * RAM, systemd's default) and /run/lock (5 MiB).  The kernel's internal
 * mount backs shared anonymous mappings ("/dev/zero (deleted)") and
 * System V segments ("/SYSV%08x (deleted)"), with no limit of its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filemap_internal.h"
#include "machine.h"

/* The first minor number the boot's anonymous devices leave free. */
#define TMPFS_FIRST_MINOR 0x19

int shmem_sb_of_path(const struct machine *m, const char *path)
{
	size_t best_len = 0;
	int sb, best = -1;

	for (sb = 1; sb < m->nr_tmpfs; sb++) {
		const char *mnt = m->tmpfs[sb].path;
		size_t len = strlen(mnt);

		if (!strncmp(path, mnt, len) && path[len] == '/' &&
		    len > best_len) {
			best = sb;
			best_len = len;
		}
	}
	return best;
}

const struct shmem_sb *shmem_sb_get(const struct machine *m, int sb)
{
	return sb >= 0 && sb < m->nr_tmpfs ? &m->tmpfs[sb] : NULL;
}

int shmem_charge(struct machine *m, struct inode *inode, uint64_t nr)
{
	struct shmem_sb *sb = &m->tmpfs[inode->sb];

	if (sb->max_blocks && sb->used_blocks + nr > sb->max_blocks)
		return -ENOSPC;
	sb->used_blocks += nr;
	return 0;
}

void shmem_uncharge(struct machine *m, struct inode *inode, uint64_t nr)
{
	m->tmpfs[inode->sb].used_blocks -= nr;
}

static int add_sb(struct machine *m, const char *path, uint32_t dev,
		  uint64_t max_blocks)
{
	struct shmem_sb *sb;

	if (m->nr_tmpfs == MAX_TMPFS_MOUNTS)
		return -ENOSPC;
	sb = &m->tmpfs[m->nr_tmpfs++];
	memset(sb, 0, sizeof(*sb));
	snprintf(sb->path, sizeof(sb->path), "%s", path);
	sb->dev = dev;
	sb->max_blocks = max_blocks;
	return 0;
}

int shmem_mount(struct machine *m, const char *path, uint64_t size)
{
	int sb;

	if (strlen(path) >= TMPFS_PATH_MAX)
		return -ENAMETOOLONG;
	for (sb = 1; sb < m->nr_tmpfs; sb++)
		if (!strcmp(m->tmpfs[sb].path, path))
			return -EBUSY;
	/* size=N rounds up to whole pages */
	return add_sb(m, path, TMPFS_FIRST_MINOR + (uint32_t)m->nr_tmpfs - 1,
		      (size + PAGE_SIZE - 1) >> PAGE_SHIFT);
}

int shmem_init(struct machine *m)
{
	uint64_t ram = totalram_pages(m);
	int rc;

	m->nr_tmpfs = 0;
	m->shm_last_idx = -1; /* the first segment gets shmid 0 */
	rc = add_sb(m, "", SHM_DEV, 0);
	rc = rc ?: shmem_mount(m, "/run", ram / 10 << PAGE_SHIFT);
	rc = rc ?: shmem_mount(m, "/dev/shm", ram / 2 << PAGE_SHIFT);
	rc = rc ?: shmem_mount(m, "/run/lock", 5ULL << 20);
	return rc;
}

/* ---- System V shared memory ---- */

const struct shmid_kernel *shm_segments(const struct machine *m, int *nr)
{
	*nr = m->nr_shm_segs;
	return m->shm_segs;
}

struct shmid_kernel *shm_find(struct machine *m, int shmid)
{
	int i;

	for (i = 0; i < m->nr_shm_segs; i++)
		if (m->shm_segs[i].id == shmid)
			return &m->shm_segs[i];
	return NULL;
}

static uint64_t now_seconds(const struct machine *m)
{
	return m->boot_epoch + m->clock_ns / NSEC_PER_SEC;
}

static uint64_t shm_tot(const struct machine *m)
{
	uint64_t pages = 0;
	int i;

	for (i = 0; i < m->nr_shm_segs; i++)
		pages += (m->shm_segs[i].segsz + PAGE_SIZE - 1) >> PAGE_SHIFT;
	return pages;
}

/*
 * ipc_idr_alloc(): the index cycles through [0, IPCMNI) and the
 * sequence number steps each time it wraps, so shmids only grow until
 * then.  -ENOSPC when every index is taken.
 */
static int shm_alloc_id(struct machine *m)
{
	int idx = m->shm_last_idx, n;

	for (n = 0; n < IPCMNI; n++) {
		int i, taken = 0;

		idx = (idx + 1) % IPCMNI;
		for (i = 0; i < m->nr_shm_segs && !taken; i++)
			taken = m->shm_segs[i].id % IPCMNI == idx;
		if (taken)
			continue;
		if (idx <= m->shm_last_idx)
			m->shm_seq = (m->shm_seq + 1) % (INT32_MAX / IPCMNI);
		m->shm_last_idx = idx;
		return m->shm_seq * IPCMNI + idx;
	}
	return -ENOSPC;
}

static int shm_insert(struct machine *m, const struct shmid_kernel *seg)
{
	int i;

	if (m->nr_shm_segs == m->shm_segs_size) {
		int n = m->shm_segs_size ? 2 * m->shm_segs_size : 16;
		struct shmid_kernel *v =
			realloc(m->shm_segs, (size_t)n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->shm_segs = v;
		m->shm_segs_size = n;
	}
	for (i = m->nr_shm_segs; i > 0 && m->shm_segs[i - 1].id > seg->id; i--)
		m->shm_segs[i] = m->shm_segs[i - 1];
	m->shm_segs[i] = *seg;
	m->nr_shm_segs++;
	return 0;
}

int shm_get(struct machine *m, int32_t key, uint64_t size, int pid, int uid,
	    int *shmid)
{
	struct shmid_kernel seg = {0};
	uint64_t pages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	struct inode *inode;
	char name[32];
	int i, id, rc;

	for (i = 0; key && i < m->nr_shm_segs; i++) {
		if (m->shm_segs[i].key != key)
			continue;
		if (size > m->shm_segs[i].segsz)
			return -EINVAL;
		*shmid = m->shm_segs[i].id;
		return 0;
	}
	if (!size || size > SHMMAX)
		return -EINVAL;
	if (m->nr_shm_segs >= SHMMNI || shm_tot(m) + pages > SHMALL)
		return -ENOSPC;
	/* find a free index before taking one, so a failure changes nothing */
	id = shm_alloc_id(m);
	if (id < 0)
		return id;
	snprintf(name, sizeof(name), "/SYSV%08x", (uint32_t)key);
	rc = inode_create(m, name, pages << PAGE_SHIFT, INODE_SYSV_SHM, &inode);
	if (rc)
		return rc;
	inode->unlinked = 1;
	inode->i_ino = (uint64_t)id;
	seg.id = id;
	seg.key = key;
	seg.mode = 0600;
	seg.segsz = size;
	seg.cpid = pid;
	seg.uid = uid;
	seg.ctime = now_seconds(m);
	seg.ino = inode->ino;
	rc = shm_insert(m, &seg);
	if (rc) {
		inode_evict(m, inode);
		return rc;
	}
	*shmid = id;
	return 0;
}

static void shm_destroy(struct machine *m, struct shmid_kernel *seg)
{
	struct inode *inode = inode_mut(m, seg->ino);

	if (inode)
		inode_evict(m, inode);
	memmove(seg, seg + 1,
		(size_t)(m->shm_segs + m->nr_shm_segs - (seg + 1)) *
			sizeof(*seg));
	m->nr_shm_segs--;
}

/* IPC_RMID: gone now if nobody is attached, else at the last detach. */
int shm_rmid(struct machine *m, int shmid)
{
	struct shmid_kernel *seg = shm_find(m, shmid);
	const struct inode *inode;

	if (!seg)
		return -EINVAL;
	inode = inode_get(m, seg->ino);
	if (!inode || !inode->mappers) {
		shm_destroy(m, seg);
		return 0;
	}
	seg->mode |= SHM_DEST;
	seg->key = 0;
	seg->ctime = now_seconds(m);
	return 0;
}

void shm_free_all(struct machine *m)
{
	free(m->shm_segs);
	m->shm_segs = NULL;
	m->nr_shm_segs = m->shm_segs_size = 0;
}

/* __shm_close(): every detach stamps the segment's dtime. */
void shm_close(struct machine *m, const struct inode *inode)
{
	int i;

	for (i = 0; i < m->nr_shm_segs; i++)
		if (m->shm_segs[i].ino == inode->ino)
			m->shm_segs[i].dtime = now_seconds(m);
}

/*
 * The last mapping of a shmem inode went: a shared anonymous object dies
 * with it, an unlinked tmpfs file too, and a removed segment.
 */
void shmem_last_unmap(struct machine *m, struct inode *inode)
{
	int i;

	switch (inode->kind) {
	case INODE_SHMEM_ANON:
		inode_evict(m, inode);
		break;
	case INODE_SYSV_SHM:
		for (i = 0; i < m->nr_shm_segs; i++) {
			struct shmid_kernel *seg = &m->shm_segs[i];

			if (seg->ino == inode->ino && (seg->mode & SHM_DEST)) {
				shm_destroy(m, seg);
				break;
			}
		}
		break;
	case INODE_FILE:
	case INODE_TMPFS:
		if (inode->unlinked)
			inode_evict(m, inode);
		break;
	default:
		break;
	}
}
