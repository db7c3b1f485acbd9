/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tmpfs and shared memory (mm/shmem.c, ipc/shm.c).  A tmpfs mount is a
 * superblock with a size limit; its files' pages are PAGE_SHMEM frames
 * charged to it.  Superblock 0 is the kernel's internal shm mount, which
 * backs shared anonymous mappings and System V segments and has no limit.
 */
#ifndef MMSIM_SHMEM_H
#define MMSIM_SHMEM_H

#include <stdint.h>

struct machine;
struct inode;

#define MAX_TMPFS_MOUNTS 16
#define TMPFS_PATH_MAX 128

struct shmem_sb {
	char path[TMPFS_PATH_MAX]; /* mount point; "" for the internal mount */
	uint32_t dev;
	uint64_t max_blocks; /* size= in pages; 0: no limit */
	uint64_t used_blocks; /* pages its files hold */
};

/* A System V shared memory segment (struct shmid_kernel). */
struct shmid_kernel {
	int id; /* shmid: sequence << 15 | index */
	int32_t key; /* IPC_PRIVATE (0) once removed */
	uint32_t mode; /* permissions, SHM_DEST once removed */
	uint64_t segsz; /* bytes asked for */
	int cpid, lpid;
	int uid;
	uint64_t atime, dtime, ctime; /* seconds since the epoch */
	uint32_t ino; /* the shmem file behind it */
};

#define SHM_DEST 01000 /* removed, destroyed at the last detach */
#define IPCMNI 32768
#define SHMMNI 4096
/* The defaults of kernel.shmmax and kernel.shmall (ULONG_MAX - 2^24). */
#define SHMMAX (UINT64_MAX - (1ULL << 24))
#define SHMALL (UINT64_MAX - (1ULL << 24))

/* The mount holding @path (longest prefix), or -1 for the root disk. */
int shmem_sb_of_path(const struct machine *m, const char *path);
const struct shmem_sb *shmem_sb_get(const struct machine *m, int sb);

/* System V segments, ascending shmid. */
const struct shmid_kernel *shm_segments(const struct machine *m, int *nr);

#endif
