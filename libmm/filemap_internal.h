/* SPDX-License-Identifier: GPL-2.0 */
/* The page cache's interface to the rest of libmm. */
#ifndef MMSIM_FILEMAP_INTERNAL_H
#define MMSIM_FILEMAP_INTERNAL_H

#include <stddef.h>

#include "filemap.h"
#include "swap.h"

/* Read-around window of a fault (read_ahead_kb = 128) */
#define VM_READAHEAD_PAGES 32

struct inode *inode_mut(struct machine *m, uint32_t ino);
struct inode *inode_lookup_path(struct machine *m, const char *path);
/* A new inode in memory (its inode and dentry objects): 0, -ENOMEM. */
int inode_create(struct machine *m, const char *path, uint64_t size,
		 enum inode_kind kind, struct inode **out);
/* The same without the objects, for the checkpoint loader. */
int inode_new(struct machine *m, const char *path, uint64_t size,
	      enum inode_kind kind, struct inode **out);
/* ext4_write_inode(): dirty the inode's table block (Buffers). */
int write_inode(struct machine *m, const struct inode *inode);
/* iget(): bring a pruned inode back from the disk: 0 or -ENOMEM. */
int inode_iget(struct machine *m, struct inode *inode);
/* drop_caches 2: prune unused inodes without pages; returns how many. */
uint64_t prune_icache(struct machine *m);
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
int page_cache_ra_window(struct machine *m, struct inode *inode, uint64_t start,
			 uint64_t nr, int nid, int cpu);
/* Drop an unmapped page from its file's cache and free it. */
void filemap_remove_page(struct machine *m, pfn_t pfn);
/* The same for reclaim, which leaves the page's shadow in its slot. */
void filemap_evict_page(struct machine *m, pfn_t pfn);
/*
 * The first shadow of @inode at or after *@index (which it moves there),
 * or SHADOW_NONE.
 */
uint64_t filemap_next_value(const struct inode *inode, uint64_t *index);
/* Checkpoint loading: put a saved shadow back: 0, -EINVAL, -ENOMEM. */
int filemap_restore_value(struct machine *m, struct inode *inode,
			  uint64_t index, uint64_t shadow);
/* The same, when bringing it back reads the slot: a major fault. */
int shmem_swapin_reads(const struct machine *m, const struct inode *inode,
		       uint64_t index);
/* shmem_unuse(): swapoff brings back the shmem pages out in area @type. */
int shmem_unuse(struct machine *m, int type);
/*
 * shmem_writeout(): the unmapped shmem page at @pfn leaves its file's
 * index for swap slot @entry, which the index names from now on; its
 * mount stays charged.  0, -EINVAL (not in its index), -ENOMEM.
 */
int shmem_replace_with_swap(struct machine *m, pfn_t pfn, swp_entry_t entry);
/* Forget every shadow of @inode (invalidation, inode eviction). */
void filemap_clear_shadows(struct machine *m, struct inode *inode);
/*
 * Free up to @nr_to_scan index nodes of node @nid that hold only
 * shadows, in inode order; returns how many went.
 */
uint64_t filemap_shrink_shadow_nodes(struct machine *m, int nid,
				     uint64_t nr_to_scan);
/* Free every cached page of @inode (none may be mapped). */
void truncate_inode_pages(struct machine *m, struct inode *inode);
/* Free the cached pages from index @start on (none may be mapped). */
void truncate_inode_pages_range(struct machine *m, struct inode *inode,
				uint64_t start);
/* The last reference is gone: free its pages and its slot. */
void inode_evict(struct machine *m, struct inode *inode);
void inode_unlink(struct machine *m, struct inode *inode);
void mark_page_accessed(struct machine *m, pfn_t pfn);
/*
 * read(2) through the page cache, on @cpu by task @pid (0: from outside
 * the machine), whose memcg the caller made the active one: pages read
 * from disk, or -errno (-EINTR: the OOM killer chose @pid).
 */
int64_t filemap_read(struct machine *m, struct inode *inode, uint64_t pos,
		     uint64_t len, int cpu, int pid);
/* write(2) the same way: 0, -ENOMEM, -ENOSPC (tmpfs) or -EINTR. */
int filemap_write(struct machine *m, struct inode *inode, uint64_t pos,
		  uint64_t len, int cpu, int pid);
/* The boot filled the cache directly: take its xarray nodes. */
int filemap_boot_objects(struct machine *m);
/* Set per-inode dirty counts and tmpfs usage from the frames. */
int filemap_recount(struct machine *m);
/* The same counts kept as they are: 0, or -EUCLEAN and @why. */
int check_filemap_accounting(const struct machine *m, char *why, size_t size);

/* shmem.c */
/* Charge @nr pages to @inode's tmpfs mount: 0 or -ENOSPC. */
int shmem_charge(struct machine *m, struct inode *inode, uint64_t nr);
void shmem_uncharge(struct machine *m, struct inode *inode, uint64_t nr);
/* The internal shm mount and the boot's tmpfs mounts. */
int shmem_init(struct machine *m);
/* mount -t tmpfs -o size=@size tmpfs @path: 0, -EBUSY, -ENOSPC (table) */
int shmem_mount(struct machine *m, const char *path, uint64_t size);
/* A mapping of a System V segment went (shmdt, exit). */
void shm_close(struct machine *m, const struct inode *inode);
/* A shmem inode lost its last mapping. */
void shmem_last_unmap(struct machine *m, struct inode *inode);
/* System V: shmget(), shmat(), shmctl(IPC_RMID). */
int shm_get(struct machine *m, int32_t key, uint64_t size, int pid, int uid,
	    int *shmid);
struct shmid_kernel *shm_find(struct machine *m, int shmid);
int shm_rmid(struct machine *m, int shmid);
void shm_free_all(struct machine *m);
/*
 * Whether @page is in its owner's page index: page cache and shmem, and
 * huge pages of a shared hugetlbfs object.
 */
int page_in_file_index(const struct machine *m, const struct page *page);
/* Checkpoint loading: put the cached frame @pfn back in its inode's index. */
int inode_rebuild_index(struct machine *m, pfn_t pfn);

#endif
