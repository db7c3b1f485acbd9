/* SPDX-License-Identifier: GPL-2.0 */
/* The page cache's interface to the rest of libmm. */
#ifndef MMSIM_FILEMAP_INTERNAL_H
#define MMSIM_FILEMAP_INTERNAL_H

#include "filemap.h"

/* Read-around window of a fault (read_ahead_kb = 128) */
#define VM_READAHEAD_PAGES 32

struct inode *inode_mut(struct machine *m, uint32_t ino);
struct inode *inode_lookup_path(struct machine *m, const char *path);
/* A new inode: 0 and *@out, or -ENOMEM. */
int inode_create(struct machine *m, const char *path, uint64_t size,
		 enum inode_kind kind, struct inode **out);
void inodes_free(struct machine *m);
/* Pages the file spans. */
uint64_t inode_pages(const struct inode *inode);

int page_cache_insert(struct inode *inode, uint64_t index, pfn_t pfn);
void page_cache_delete(struct inode *inode, uint64_t index);
/* Compaction moved a cached page from @old to @new. */
void page_cache_replace(struct machine *m, pfn_t old, pfn_t new);

/* Bring page @index of @inode into the cache: 0 and *@pfn, or -ENOMEM. */
int filemap_add_page(struct machine *m, struct inode *inode, uint64_t index,
		     int nid, int cpu, pfn_t *pfn);
/* Read the pages of [@start, @start + @nr) that are not cached yet. */
int page_cache_ra_window(struct machine *m, struct inode *inode,
			 uint64_t start, uint64_t nr, int nid, int cpu);
/* Drop an unmapped page from its file's cache and free it. */
void filemap_remove_page(struct machine *m, pfn_t pfn);
/* Free every cached page of @inode (none may be mapped). */
void truncate_inode_pages(struct machine *m, struct inode *inode);
/*
 * Whether @page is in its owner's page index: page cache and shmem, and
 * huge pages of a shared hugetlbfs object.
 */
int page_in_file_index(const struct machine *m, const struct page *page);
/* Checkpoint loading: put the cached frame @pfn back in its inode's index. */
int inode_rebuild_index(struct machine *m, pfn_t pfn);

#endif
