/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files and their page cache.  A file is an inode with a path on the
 * simulated disk (or on an internal shmem mount); its cached pages are
 * frames in state PAGE_FILE (or PAGE_SHMEM) whose owner is the inode and
 * whose index is the page offset, found through the inode's page index.
 */
#ifndef MMSIM_FILEMAP_H
#define MMSIM_FILEMAP_H

#include <stdint.h>

#include "mm_types.h"

struct machine;

/* Device numbers as maps prints them (MKDEV(major, minor)). */
#define DISK_DEV ((0xfeU << 8) | 0) /* fe:00, the root disk /dev/vda */
#define SHM_DEV ((0x00U << 8) | 1) /* 00:01, the internal shmem mount */
#define HUGETLBFS_DEV ((0x00U << 8) | 16) /* 00:10, the internal hugetlbfs */

enum inode_kind {
	INODE_FILE, /* a regular file on the disk */
	INODE_BDEV, /* the disk itself: its cache is Buffers */
	INODE_SHMEM_ANON, /* backs a shared anonymous mapping (/dev/zero) */
	INODE_TMPFS, /* a file on a tmpfs mount (/run, /dev/shm) */
	INODE_HUGETLB_SHARED, /* hugetlbfs: a MAP_SHARED|MAP_HUGETLB object */
	INODE_HUGETLB_PRIVATE, /* names a private MAP_HUGETLB mapping */
	INODE_SYSV_SHM, /* a System V segment on the internal shm mount */
	NR_INODE_KINDS
};

/* Page cache slots in chunks of 512, allocated as they are used. */
#define PAGE_INDEX_CHUNK 512

struct inode {
	uint32_t ino; /* index in the machine's table; 0 is never used */
	uint64_t i_ino; /* the inode number stat() and maps show */
	uint32_t dev;
	uint8_t kind; /* enum inode_kind */
	uint8_t unlinked; /* "(deleted)" */
	uint8_t sb; /* tmpfs kinds: the shmem superblock (shmem.h) */
	uint8_t icached; /* in memory: its inode and dentry objects exist */
	uint32_t objcg; /* its inode's and dentry's (memcontrol.h) */
	/*
	 * The index's nodes charged (XA_FLAGS_ACCOUNT), all to @xa_objcg:
	 * the objcg of the first accounted allocation while none are.
	 */
	uint32_t xa_objcg;
	uint64_t xa_charged;
	char *path;
	uint64_t i_size; /* bytes */
	uint64_t nrpages; /* frames in the page cache */
	pfn_t **index; /* index[i / 512][i % 512]: a cached page, or PFN_NONE */
	uint64_t nr_chunks;
	/*
	 * values[i / 512][i % 512]: what slot i holds instead of a page, as
	 * the kernel's xarray value entries: the shadow of an evicted file
	 * page (workingset.h), or the swap entry of a shmem page (swap.h).
	 */
	uint64_t **values;
	uint64_t nr_value_chunks;
	uint64_t nr_values;
	uint64_t swapped; /* shmem: pages out in swap (info->swapped) */
	uint32_t mappers; /* VMAs mapping the file: a shmem inode dies at 0 */
	uint16_t elf; /* its program layout (binfmt_elf.c), or 0 */
	uint64_t hugetlb_resv; /* huge pages reserved for it, not yet used */
	uint64_t nr_dirty; /* cached pages dirty, waiting for writeback */
	uint64_t dirtied_when; /* clock_ns when it went from clean to dirty */
};

/* The inode @ino, or NULL. */
const struct inode *inode_get(const struct machine *m, uint32_t ino);

/* The cached frame of page @index of @inode, or PFN_NONE. */
pfn_t find_get_page(const struct inode *inode, uint64_t index);

/* Whether slot @index of a shmem inode names a swap entry. */
int shmem_page_swapped(const struct inode *inode, uint64_t index);

#endif
