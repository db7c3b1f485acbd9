/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The slab allocator, after SLUB (mm/slub.c, mm/slab_common.c): caches of
 * equal-sized kernel objects carved from buddy blocks.  A slab is one
 * block of 2^order frames in state PAGE_SLAB; its head page names the
 * cache (page->owner) and counts the objects in use (page->index).
 *
 * Objects are counted, not placed: a cache knows how many objects each of
 * its slabs holds, and which slabs it allocates from and frees to, in the
 * order SLUB would.  Objects held by model structures (tasks, mms, VMAs,
 * inodes ...) are taken and given back by their owners through
 * kmem_cache_alloc_n() and kmem_cache_free_n(); the rest are held by the
 * kernel since boot or were taken by hand (the slab operation).
 */
#ifndef MMSIM_SLAB_H
#define MMSIM_SLAB_H

#include <stddef.h>
#include <stdint.h>

#include "mm_types.h"

struct machine;

/*
 * Every cache, in the order the kernel creates them (/proc/slabinfo lists
 * the newest first).  Ids are stored in frames and images: append, never
 * reorder, or bump MMSIM_MODEL_VERSION.
 */
enum kmem_cache_id {
	KMEM_KMEM_CACHE,
	KMEM_KMEM_CACHE_NODE,
	KMEM_KMALLOC_96,
	KMEM_KMALLOC_192,
	KMEM_KMALLOC_8,
	KMEM_KMALLOC_16,
	KMEM_KMALLOC_32,
	KMEM_KMALLOC_64,
	KMEM_KMALLOC_128,
	KMEM_KMALLOC_256,
	KMEM_KMALLOC_512,
	KMEM_KMALLOC_1K,
	KMEM_KMALLOC_2K,
	KMEM_KMALLOC_4K,
	KMEM_KMALLOC_8K,
	KMEM_KMALLOC_RCL_96,
	KMEM_KMALLOC_RCL_192,
	KMEM_KMALLOC_RCL_8,
	KMEM_KMALLOC_RCL_16,
	KMEM_KMALLOC_RCL_32,
	KMEM_KMALLOC_RCL_64,
	KMEM_KMALLOC_RCL_128,
	KMEM_KMALLOC_RCL_256,
	KMEM_KMALLOC_RCL_512,
	KMEM_KMALLOC_RCL_1K,
	KMEM_KMALLOC_RCL_2K,
	KMEM_KMALLOC_RCL_4K,
	KMEM_KMALLOC_RCL_8K,
	KMEM_KMALLOC_CG_96,
	KMEM_KMALLOC_CG_192,
	KMEM_KMALLOC_CG_8,
	KMEM_KMALLOC_CG_16,
	KMEM_KMALLOC_CG_32,
	KMEM_KMALLOC_CG_64,
	KMEM_KMALLOC_CG_128,
	KMEM_KMALLOC_CG_256,
	KMEM_KMALLOC_CG_512,
	KMEM_KMALLOC_CG_1K,
	KMEM_KMALLOC_CG_2K,
	KMEM_KMALLOC_CG_4K,
	KMEM_KMALLOC_CG_8K,
	KMEM_VMAP_AREA,
	KMEM_MM_STRUCT,
	KMEM_MAPLE_NODE,
	KMEM_TASK_GROUP,
	KMEM_RADIX_TREE_NODE,
	KMEM_POOL_WORKQUEUE,
	KMEM_FTRACE_EVENT_FIELD,
	KMEM_TRACE_EVENT_FILE,
	KMEM_PERF_EVENT,
	KMEM_NUMA_POLICY,
	KMEM_SHARED_POLICY_NODE,
	KMEM_PID,
	KMEM_ANON_VMA,
	KMEM_ANON_VMA_CHAIN,
	KMEM_TASK_STRUCT,
	KMEM_CRED_JAR, /* merged into kmalloc-cg-192 */
	KMEM_SIGHAND_CACHE,
	KMEM_SIGNAL_CACHE,
	KMEM_FILES_CACHE,
	KMEM_FS_CACHE, /* merged into kmalloc-cg-64 */
	KMEM_VM_AREA_STRUCT,
	KMEM_NSPROXY,
	KMEM_KEY_JAR,
	KMEM_LSM_FILE_CACHE,
	KMEM_LSM_INODE_CACHE,
	KMEM_NET_NAMESPACE,
	KMEM_NAMES_CACHE,
	KMEM_DENTRY,
	KMEM_INODE_CACHE,
	KMEM_FILP,
	KMEM_MNT_CACHE,
	KMEM_KERNFS_NODE_CACHE,
	KMEM_SHMEM_INODE_CACHE,
	KMEM_BDEV_CACHE,
	KMEM_SIGQUEUE,
	KMEM_SEQ_FILE,
	KMEM_PROC_INODE_CACHE,
	KMEM_PDE_OPENER,
	KMEM_PROC_DIR_ENTRY,
	KMEM_MEM_CGROUP,
	KMEM_TASK_DELAY_INFO,
	KMEM_BUFFER_HEAD,
	KMEM_FILE_LOCK_CACHE,
	KMEM_DEBUGFS_INODE_CACHE,
	KMEM_TRACEFS_INODE_CACHE,
	KMEM_SKBUFF_HEAD_CACHE,
	KMEM_SKBUFF_SMALL_HEAD,
	KMEM_SOCK_INODE_CACHE,
	KMEM_UID_CACHE,
	KMEM_USER_NAMESPACE,
	KMEM_MM_SLOT,
	KMEM_BIOVEC_MAX,
	KMEM_BIO_184,
	KMEM_REQUEST_QUEUE,
	KMEM_EVENTPOLL_EPI,
	KMEM_EP_HEAD,
	KMEM_HUGETLBFS_INODE_CACHE,
	KMEM_TCP,
	KMEM_REQUEST_SOCK_TCP,
	KMEM_TW_SOCK_TCP,
	KMEM_UDP,
	KMEM_RAW,
	KMEM_IP_FIB_ALIAS,
	KMEM_IP_FIB_TRIE,
	KMEM_PID_NAMESPACE,
	KMEM_MB_CACHE_ENTRY,
	KMEM_EXTENT_STATUS,
	KMEM_PENDING_RESERVATION,
	KMEM_BIO_POST_READ_CTX,
	KMEM_EXT4_IO_END,
	KMEM_EXT4_PREALLOC_SPACE,
	KMEM_EXT4_ALLOCATION_CONTEXT,
	KMEM_EXT4_INODE_CACHE,
	KMEM_JBD2_REVOKE_TABLE_S,
	KMEM_JBD2_JOURNAL_HEAD,
	KMEM_JBD2_TRANSACTION_S,
	KMEM_TCPV6,
	KMEM_UDPV6,
	KMEM_RAWV6,
	NR_KMEM_CACHES
};

/*
 * A slab on a list: its head pfn and, on the full list, the objects it
 * held when the allocator last took it (what a last-in first-out free
 * brings it back to).
 */
struct slab_ref {
	pfn_t pfn;
	uint32_t base;
};

/* A stack of slabs; the top is the last element. */
struct slab_list {
	struct slab_ref *slab;
	uint64_t nr, size;
};

/*
 * A cache's state.  Every slab is the cpu slab, on the partial list (some
 * objects free) or on the full list (none free); an emptied slab goes back
 * to the buddy allocator at once (SLUB's min_partial is not modelled).
 * The objects in use are held by model structures, by the kernel since
 * boot (@boot_pinned, and @boot_unused: cached objects nothing uses, which
 * a shrinker may free) or by hand (@manual).
 */
struct kmem_cache {
	pfn_t cpu_slab; /* allocated from first; PFN_NONE if none */
	/* objects it held when it became the cpu slab (it holds more) */
	uint32_t cpu_base;
	struct slab_list partial; /* top: most recently made partial */
	struct slab_list full; /* top: most recently filled */
	uint64_t nr_slabs;
	uint64_t inuse; /* objects in use in all slabs */
	uint64_t partial_free; /* free objects on the partial list */
	uint64_t boot_pinned, boot_unused, manual;
};

/* What /proc/slabinfo shows of a cache (struct slabinfo in mm/slab.h). */
struct slabinfo {
	uint64_t active_objs;
	uint64_t num_objs;
	uint64_t active_slabs;
	uint64_t num_slabs;
	unsigned int objsize; /* s->size */
	unsigned int objects_per_slab;
	unsigned int cache_order;
};

/* Set up the (empty) caches of a new machine: 0 or -ENOMEM. */
int kmem_cache_init(struct machine *m);
/* Free the host memory of the caches, leaving the frames alone. */
void slab_free_host(struct machine *m);

/* The cache called @name (a merged name gives its own id): 0 or -ENOENT. */
int kmem_cache_lookup(const char *name, enum kmem_cache_id *id);
const char *kmem_cache_name(enum kmem_cache_id id);
/* Whether @id is a cache of its own, listed in /proc/slabinfo. */
int kmem_cache_listed(enum kmem_cache_id id);
/* Whether @id's objects are reclaimable (SLAB_RECLAIM_ACCOUNT). */
int kmem_cache_reclaimable(enum kmem_cache_id id);
/* The cache a merged name's objects really come from (else @id). */
enum kmem_cache_id kmem_cache_target(enum kmem_cache_id id);
/* The slabinfo numbers of a listed cache (get_slabinfo()). */
void get_slabinfo(const struct machine *m, enum kmem_cache_id id,
		  struct slabinfo *si);
/* The state of a cache (a merged name gives the cache it is merged into). */
const struct kmem_cache *kmem_cache_state(const struct machine *m,
					  enum kmem_cache_id id);

/*
 * Allocate @n objects of cache @id for a model structure, new slabs
 * preferring node @nid (GFP_KERNEL).  All or nothing: 0, or -ENOMEM with
 * the caches and the frames as they were (the allocator's event counters
 * keep the attempt, as a real kernel's do); -EINVAL for a bad @nid.
 */
int kmem_cache_alloc_n(struct machine *m, enum kmem_cache_id id, uint64_t n,
		       int nid);
/*
 * Give back @n objects a model structure held, the newest first: a free
 * undoes the allocations made after it exactly.
 */
void kmem_cache_free_n(struct machine *m, enum kmem_cache_id id, uint64_t n);
/*
 * The same for an accounted allocation (a SLAB_ACCOUNT cache, or
 * __GFP_ACCOUNT): the objects are charged to @objcg (memcontrol.h), and
 * freeing them must name it again.
 */
int kmem_cache_alloc_objcg(struct machine *m, enum kmem_cache_id id, uint64_t n,
			   int nid, uint32_t objcg);
void kmem_cache_free_objcg(struct machine *m, enum kmem_cache_id id, uint64_t n,
			   uint32_t objcg);
/*
 * One object of each cache in @ids on @nid, charged to @objcg: all, or
 * none and the error; freed in the reverse order.
 */
int kmem_cache_alloc_set(struct machine *m, const enum kmem_cache_id *ids,
			 size_t nr, int nid, uint32_t objcg);
void kmem_cache_free_set(struct machine *m, const enum kmem_cache_id *ids,
			 size_t nr, uint32_t objcg);
/* s->size: the bytes an object of @id takes in its slab. */
unsigned int kmem_cache_size(enum kmem_cache_id id);
/*
 * The same through the kmalloc cache for @size bytes (1 to 8192; larger
 * requests go to the page allocator): 0, -EINVAL or -ENOMEM.
 */
int kmalloc_n(struct machine *m, size_t size, uint64_t n, int nid);
void kfree_n(struct machine *m, size_t size, uint64_t n);

/*
 * The slab operation: objects taken and given back by hand.  0, -ENOMEM
 * (nothing changed), or -EINVAL when freeing more than were taken.
 */
int slab_alloc_manual(struct machine *m, enum kmem_cache_id id, uint64_t n,
		      int nid);
int slab_free_manual(struct machine *m, enum kmem_cache_id id, uint64_t n);

/*
 * Shrink a reclaimable cache: free up to @nr of its unused objects (those
 * taken by hand first, then the boot's unused ones).  Returns the number
 * freed, counted in slabs_scanned.  0 for a cache that is not
 * reclaimable.
 */
uint64_t slab_shrink(struct machine *m, enum kmem_cache_id id, uint64_t nr);
/* Shrink every reclaimable cache fully, as drop_caches 2 does. */
uint64_t drop_slab(struct machine *m);

/*
 * The boot: what the kernel holds in each cache once booted
 * (@kept, of which a share is unused cache) and takes and frees again
 * while booting (@transient), scaled to the machine.
 */
void kmem_cache_boot_objects(const struct machine *m, enum kmem_cache_id id,
			     uint64_t *kept, uint64_t *transient);
/* Boot allocations and frees (ALLOC_WMARK_LOW); frees are scattered. */
int kmem_cache_boot_alloc(struct machine *m, enum kmem_cache_id id, uint64_t n,
			  int nid);
void kmem_cache_boot_free(struct machine *m, enum kmem_cache_id id, uint64_t n);
/* The boot is over: mark each reclaimable cache's unused share. */
void kmem_cache_boot_done(struct machine *m);

/*
 * Checkpoints: the counts, the cpu slab and the list order of every cache
 * as a sequence of numbers.  kmem_cache_load() reads them back into a
 * machine whose frames are loaded, and checks them against the frames:
 * 0, -ENOMEM, or -EINVAL with the reason in @why.
 */
void kmem_cache_save(const struct machine *m,
		     void (*put)(void *ctx, uint64_t v), void *ctx);
int kmem_cache_load(struct machine *m, uint64_t (*get)(void *ctx), void *ctx,
		    char *why, size_t size);

/*
 * Verify the caches: every PAGE_SLAB frame is a slab of its cache and
 * every slab a PAGE_SLAB frame; no slab holds more than fit; the totals
 * are the sums; and the objects of task_struct, mm_struct,
 * vm_area_struct (and the other per-task and per-VMA caches) not held by
 * the boot or by hand are what the model's tasks, mms and VMAs hold.
 * 0, or -EUCLEAN with the first fault in @why.
 */
int check_slab_accounting(const struct machine *m, char *why, size_t size);

#endif
