// SPDX-License-Identifier: GPL-2.0
/*
 * The slab allocator, after SLUB (mm/slub.c, mm/slab_common.c).
 *
 * Each cache has the geometry a 6.18 x86_64 kernel gives it (object size
 * s->size, objects per slab, slab order, as /proc/slabinfo shows them)
 * and its flags: the pages of a SLAB_RECLAIM_ACCOUNT cache are
 * reclaimable slab (PG_reclaimable, MIGRATE_RECLAIMABLE), the others
 * unreclaimable.  Caches that SLUB merges with an older cache of the same
 * size (cred_jar, fs_cache) keep their names, but their objects live in
 * the cache they are merged into, which alone is listed.
 *
 * Objects are counted per slab, not placed.  Allocation fills the cpu
 * slab, then the partial slabs (most recently partial first), then new
 * slabs from the buddy allocator.  Frees give back the newest objects
 * first, slab by slab, so that freeing undoes allocating exactly; a slab
 * that empties goes back to the buddy allocator.  Only the boot frees at
 * random, as its many short-lived objects leave partial slabs behind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "memcontrol.h"
#include "mm.h"
#include "page_alloc.h"
#include "slab.h"
#include "vmstat.h"

#define SLAB_RECLAIM_ACCOUNT 0x01
#define SLAB_MERGED 0x02 /* an alias of @merged_into */

/* Boot objects scale with RAM up to this much of it. */
#define SLAB_BOOT_MAX_GIB 16ULL
/*
 * A smaller machine's boot keeps less: the fixed counts shrink with RAM
 * below this size, to a quarter at most.
 */
#define SLAB_BOOT_FULL_GIB 4ULL
#define PAGES_PER_GIB (1ULL << (30 - PAGE_SHIFT))
/* The largest kmalloc cache (KMALLOC_MAX_CACHE_SIZE). */
#define KMALLOC_MAX_CACHE_SIZE 8192

/*
 * What the booting kernel leaves in a cache: @fixed objects (fewer below
 * SLAB_BOOT_FULL_GIB), plus @per_gib per GiB of RAM (up to
 * SLAB_BOOT_MAX_GIB), @per_cpu per CPU and @per_node per node.  Of a
 * reclaimable cache's objects @pinned_pct percent stay in use, the rest
 * are unused cache a shrinker can free.  Another @transient_pct percent
 * are allocated and freed again while booting.
 */
struct slab_boot {
	uint32_t fixed, per_gib, per_cpu, per_node;
	uint16_t pinned_pct, transient_pct;
};

struct kmem_cache_spec {
	const char *name;
	uint32_t size; /* s->size: the object with its alignment */
	uint16_t objects; /* per slab */
	uint8_t order;
	uint8_t flags;
	enum kmem_cache_id merged_into;
	struct slab_boot boot;
};

#define RCL SLAB_RECLAIM_ACCOUNT
#define CACHE(name_, size_, objs_, order_, flags_, ...)         \
	{                                                       \
		.name = name_, .size = size_, .objects = objs_, \
		.order = order_, .flags = flags_, .boot = {     \
			__VA_ARGS__                             \
		}                                               \
	}
#define MERGED(name_, size_, target_)                               \
	{                                                           \
		.name = name_, .size = size_, .flags = SLAB_MERGED, \
		.merged_into = target_                              \
	}

/*
 * Geometry from a 6.18 kernel's /proc/slabinfo.  Boot columns: fixed,
 * per GiB, per CPU, per node, pinned %, transient %.  The kernel's idle
 * tasks take a task_struct per CPU; the tasks the model runs take theirs
 * through fork.c.
 */
static const struct kmem_cache_spec caches[NR_KMEM_CACHES] = {
	[KMEM_KMEM_CACHE] = CACHE("kmem_cache", 256, 16, 0, 0, 240),
	[KMEM_KMEM_CACHE_NODE] =
		CACHE("kmem_cache_node", 128, 32, 0, 0, 0, 0, 0, 256),
	[KMEM_KMALLOC_96] =
		CACHE("kmalloc-96", 96, 42, 0, 0, 3000, 200, 64, 0, 0, 20),
	[KMEM_KMALLOC_192] =
		CACHE("kmalloc-192", 192, 21, 0, 0, 6000, 400, 128, 0, 0, 10),
	[KMEM_KMALLOC_8] =
		CACHE("kmalloc-8", 8, 512, 0, 0, 1600, 64, 32, 0, 0, 20),
	[KMEM_KMALLOC_16] =
		CACHE("kmalloc-16", 16, 256, 0, 0, 3000, 128, 64, 0, 0, 10),
	[KMEM_KMALLOC_32] =
		CACHE("kmalloc-32", 32, 128, 0, 0, 2400, 160, 64, 0, 0, 40),
	[KMEM_KMALLOC_64] =
		CACHE("kmalloc-64", 64, 64, 0, 0, 3600, 100, 96, 0, 0, 20),
	[KMEM_KMALLOC_128] =
		CACHE("kmalloc-128", 128, 32, 0, 0, 7600, 300, 128, 0, 0, 10),
	[KMEM_KMALLOC_256] =
		CACHE("kmalloc-256", 256, 16, 0, 0, 800, 40, 64, 0, 0, 20),
	[KMEM_KMALLOC_512] =
		CACHE("kmalloc-512", 512, 16, 1, 0, 2184, 80, 64, 0, 0, 60),
	[KMEM_KMALLOC_1K] =
		CACHE("kmalloc-1k", 1024, 16, 2, 0, 1192, 40, 32, 0, 0, 20),
	[KMEM_KMALLOC_2K] =
		CACHE("kmalloc-2k", 2048, 16, 3, 0, 500, 16, 12, 0, 0, 20),
	[KMEM_KMALLOC_4K] =
		CACHE("kmalloc-4k", 4096, 8, 3, 0, 548, 24, 16, 0, 0, 30),
	[KMEM_KMALLOC_8K] =
		CACHE("kmalloc-8k", 8192, 4, 3, 0, 86, 2, 2, 0, 0, 20),
	[KMEM_KMALLOC_RCL_96] = CACHE("kmalloc-rcl-96", 96, 42, 0, RCL, 1500,
				      900, 0, 0, 20, 10),
	[KMEM_KMALLOC_RCL_192] =
		CACHE("kmalloc-rcl-192", 192, 21, 0, RCL, 21, 0, 0, 0, 100),
	[KMEM_KMALLOC_RCL_8] = CACHE("kmalloc-rcl-8", 8, 512, 0, RCL),
	[KMEM_KMALLOC_RCL_16] = CACHE("kmalloc-rcl-16", 16, 256, 0, RCL),
	[KMEM_KMALLOC_RCL_32] = CACHE("kmalloc-rcl-32", 32, 128, 0, RCL),
	[KMEM_KMALLOC_RCL_64] = CACHE("kmalloc-rcl-64", 64, 64, 0, RCL),
	[KMEM_KMALLOC_RCL_128] =
		CACHE("kmalloc-rcl-128", 128, 32, 0, RCL, 160, 40, 0, 0, 50, 0),
	[KMEM_KMALLOC_RCL_256] = CACHE("kmalloc-rcl-256", 256, 16, 0, RCL),
	[KMEM_KMALLOC_RCL_512] = CACHE("kmalloc-rcl-512", 512, 16, 1, RCL),
	[KMEM_KMALLOC_RCL_1K] = CACHE("kmalloc-rcl-1k", 1024, 16, 2, RCL),
	[KMEM_KMALLOC_RCL_2K] = CACHE("kmalloc-rcl-2k", 2048, 16, 3, RCL),
	[KMEM_KMALLOC_RCL_4K] = CACHE("kmalloc-rcl-4k", 4096, 8, 3, RCL),
	[KMEM_KMALLOC_RCL_8K] = CACHE("kmalloc-rcl-8k", 8192, 4, 3, RCL),
	[KMEM_KMALLOC_CG_96] = CACHE("kmalloc-cg-96", 96, 42, 0, 0, 60, 0, 6),
	[KMEM_KMALLOC_CG_192] =
		CACHE("kmalloc-cg-192", 192, 21, 0, 0, 150, 0, 8, 0, 0, 20),
	[KMEM_KMALLOC_CG_8] = CACHE("kmalloc-cg-8", 8, 512, 0, 0, 900, 0, 32),
	[KMEM_KMALLOC_CG_16] =
		CACHE("kmalloc-cg-16", 16, 256, 0, 0, 450, 0, 16),
	[KMEM_KMALLOC_CG_32] = CACHE("kmalloc-cg-32", 32, 128, 0, 0, 220, 0, 8),
	[KMEM_KMALLOC_CG_64] = CACHE("kmalloc-cg-64", 64, 64, 0, 0, 90, 0, 4),
	[KMEM_KMALLOC_CG_128] =
		CACHE("kmalloc-cg-128", 128, 32, 0, 0, 80, 0, 4),
	[KMEM_KMALLOC_CG_256] =
		CACHE("kmalloc-cg-256", 256, 16, 0, 0, 64, 0, 4),
	[KMEM_KMALLOC_CG_512] =
		CACHE("kmalloc-cg-512", 512, 16, 1, 0, 120, 0, 10, 0, 0, 20),
	[KMEM_KMALLOC_CG_1K] =
		CACHE("kmalloc-cg-1k", 1024, 16, 2, 0, 70, 0, 6, 0, 0, 60),
	[KMEM_KMALLOC_CG_2K] =
		CACHE("kmalloc-cg-2k", 2048, 16, 3, 0, 154, 0, 2, 0, 0, 70),
	[KMEM_KMALLOC_CG_4K] =
		CACHE("kmalloc-cg-4k", 4096, 8, 3, 0, 90, 0, 4, 0, 0, 20),
	[KMEM_KMALLOC_CG_8K] = CACHE("kmalloc-cg-8k", 8192, 4, 3, 0, 8),
	[KMEM_VMAP_AREA] =
		CACHE("vmap_area", 72, 56, 0, 0, 2400, 500, 64, 0, 0, 10),
	[KMEM_MM_STRUCT] = CACHE("mm_struct", 1600, 20, 3, 0),
	[KMEM_MAPLE_NODE] =
		CACHE("maple_node", 256, 16, 0, 0, 600, 40, 16, 0, 0, 50),
	[KMEM_TASK_GROUP] = CACHE("task_group", 704, 23, 2, 0, 46),
	[KMEM_RADIX_TREE_NODE] = CACHE("radix_tree_node", 584, 14, 1, RCL, 2000,
				       1500, 0, 0, 80, 10),
	[KMEM_POOL_WORKQUEUE] =
		CACHE("pool_workqueue", 512, 16, 1, 0, 160, 0, 48),
	[KMEM_FTRACE_EVENT_FIELD] =
		CACHE("ftrace_event_field", 56, 73, 0, 0, 8392, 0, 0, 0, 0, 15),
	[KMEM_TRACE_EVENT_FILE] = CACHE("trace_event_file", 96, 42, 0, 0, 2352),
	[KMEM_PERF_EVENT] = CACHE("perf_event", 1352, 12, 2, 0, 4, 0, 2),
	[KMEM_NUMA_POLICY] = CACHE("numa_policy", 288, 14, 0, 0, 20, 0, 2),
	[KMEM_SHARED_POLICY_NODE] =
		CACHE("shared_policy_node", 48, 85, 0, 0, 255),
	/* fork_idle(): each CPU's idle task shares init_struct_pid */
	[KMEM_PID] = CACHE("pid", 192, 21, 0, 0),
	[KMEM_ANON_VMA] = CACHE("anon_vma", 104, 39, 0, 0),
	[KMEM_ANON_VMA_CHAIN] = CACHE("anon_vma_chain", 64, 64, 0, 0),
	[KMEM_TASK_STRUCT] = CACHE("task_struct", 5888, 5, 3, 0, 0, 0, 1),
	[KMEM_CRED_JAR] = MERGED("cred_jar", 192, KMEM_KMALLOC_CG_192),
	[KMEM_SIGHAND_CACHE] = CACHE("sighand_cache", 2112, 15, 3, 0, 0, 0, 1),
	[KMEM_SIGNAL_CACHE] = CACHE("signal_cache", 1152, 14, 2, 0, 0, 0, 1),
	[KMEM_FILES_CACHE] = CACHE("files_cache", 704, 23, 2, 0),
	[KMEM_FS_CACHE] = MERGED("fs_cache", 64, KMEM_KMALLOC_CG_64),
	[KMEM_VM_AREA_STRUCT] = CACHE("vm_area_struct", 192, 21, 0, 0),
	[KMEM_NSPROXY] = CACHE("nsproxy", 72, 56, 0, 0, 8),
	[KMEM_KEY_JAR] = CACHE("key_jar", 256, 16, 0, 0, 40, 0, 0, 0, 0, 50),
	[KMEM_LSM_FILE_CACHE] = CACHE("lsm_file_cache", 24, 170, 0, 0, 400),
	[KMEM_LSM_INODE_CACHE] = CACHE("lsm_inode_cache", 32, 128, 0, 0, 8000,
				       2000, 0, 0, 0, 10),
	[KMEM_NET_NAMESPACE] = CACHE("net_namespace", 4288, 7, 3, 0),
	[KMEM_NAMES_CACHE] =
		CACHE("names_cache", 4096, 8, 3, 0, 0, 0, 0, 0, 0, 0),
	[KMEM_DENTRY] =
		CACHE("dentry", 192, 21, 0, RCL, 9000, 4200, 0, 0, 30, 10),
	[KMEM_INODE_CACHE] =
		CACHE("inode_cache", 624, 13, 1, RCL, 300, 0, 0, 0, 60, 10),
	[KMEM_FILP] = CACHE("filp", 192, 21, 0, 0, 320, 0, 24, 0, 0, 40),
	[KMEM_MNT_CACHE] = CACHE("mnt_cache", 384, 21, 1, 0, 100),
	[KMEM_KERNFS_NODE_CACHE] = CACHE("kernfs_node_cache", 136, 30, 0, 0,
					 12500, 400, 250, 0, 0, 5),
	[KMEM_SHMEM_INODE_CACHE] =
		CACHE("shmem_inode_cache", 752, 21, 2, RCL, 150, 0, 0, 0, 90),
	[KMEM_BDEV_CACHE] =
		CACHE("bdev_cache", 1536, 21, 3, RCL, 20, 0, 0, 0, 100),
	[KMEM_SIGQUEUE] = CACHE("sigqueue", 80, 51, 0, 0, 0, 0, 0, 0, 0, 100),
	[KMEM_SEQ_FILE] = CACHE("seq_file", 120, 34, 0, 0, 0, 0, 0, 0, 0, 100),
	[KMEM_PROC_INODE_CACHE] = CACHE("proc_inode_cache", 696, 23, 2, RCL,
					300, 0, 40, 0, 30, 20),
	[KMEM_PDE_OPENER] = CACHE("pde_opener", 40, 102, 0, 0),
	[KMEM_PROC_DIR_ENTRY] =
		CACHE("proc_dir_entry", 192, 21, 0, 0, 300, 0, 8),
	[KMEM_MEM_CGROUP] =
		CACHE("mem_cgroup", 2240, 14, 3, 0, 84, 0, 0, 0, 0, 60),
	[KMEM_TASK_DELAY_INFO] = CACHE("task_delay_info", 256, 16, 0, 0),
	[KMEM_BUFFER_HEAD] =
		CACHE("buffer_head", 104, 39, 0, RCL, 600, 300, 0, 0, 60, 20),
	[KMEM_FILE_LOCK_CACHE] = CACHE("file_lock_cache", 192, 21, 0, 0, 20),
	[KMEM_DEBUGFS_INODE_CACHE] = CACHE("debugfs_inode_cache", 640, 12, 1,
					   RCL, 500, 0, 10, 0, 100),
	[KMEM_TRACEFS_INODE_CACHE] =
		CACHE("tracefs_inode_cache", 656, 12, 1, RCL, 90, 0, 0, 0, 100),
	[KMEM_SKBUFF_HEAD_CACHE] =
		CACHE("skbuff_head_cache", 256, 16, 0, 0, 160, 0, 64, 0, 0, 50),
	[KMEM_SKBUFF_SMALL_HEAD] =
		CACHE("skbuff_small_head", 576, 14, 1, 0, 20, 0, 2),
	[KMEM_SOCK_INODE_CACHE] =
		CACHE("sock_inode_cache", 832, 19, 2, RCL, 90, 0, 0, 0, 100),
	[KMEM_UID_CACHE] = CACHE("uid_cache", 128, 32, 0, 0, 8),
	[KMEM_USER_NAMESPACE] = CACHE("user_namespace", 672, 12, 1, 0),
	[KMEM_MM_SLOT] = CACHE("mm_slot", 40, 102, 0, 0),
	[KMEM_BIOVEC_MAX] =
		CACHE("biovec-max", 4096, 8, 3, 0, 144, 4, 2, 0, 0, 30),
	[KMEM_BIO_184] = CACHE("bio-184", 192, 21, 0, 0, 150, 0, 16),
	[KMEM_REQUEST_QUEUE] = CACHE("request_queue", 984, 16, 2, 0, 4),
	[KMEM_EVENTPOLL_EPI] = CACHE("eventpoll_epi", 128, 32, 0, 0, 200),
	[KMEM_EP_HEAD] = CACHE("ep_head", 16, 256, 0, 0, 400),
	[KMEM_HUGETLBFS_INODE_CACHE] =
		CACHE("hugetlbfs_inode_cache", 632, 25, 2, 0, 2),
	[KMEM_TCP] = CACHE("TCP", 2368, 13, 3, 0, 8),
	[KMEM_REQUEST_SOCK_TCP] = CACHE("request_sock_TCP", 320, 12, 0, 0),
	[KMEM_TW_SOCK_TCP] = CACHE("tw_sock_TCP", 256, 16, 0, 0),
	[KMEM_UDP] = CACHE("UDP", 1344, 12, 2, 0, 8),
	[KMEM_RAW] = CACHE("RAW", 1152, 14, 2, 0, 2),
	[KMEM_IP_FIB_ALIAS] = CACHE("ip_fib_alias", 56, 73, 0, 0, 20),
	[KMEM_IP_FIB_TRIE] = CACHE("ip_fib_trie", 48, 85, 0, 0, 30),
	[KMEM_PID_NAMESPACE] = CACHE("pid_namespace", 344, 23, 1, 0),
	[KMEM_MB_CACHE_ENTRY] = CACHE("mb_cache_entry", 56, 73, 0, RCL),
	[KMEM_EXTENT_STATUS] = CACHE("extent_status", 40, 102, 0, RCL, 10000,
				     4000, 0, 0, 30, 10),
	[KMEM_PENDING_RESERVATION] =
		CACHE("pending_reservation", 32, 128, 0, RCL),
	[KMEM_BIO_POST_READ_CTX] =
		CACHE("bio_post_read_ctx", 48, 85, 0, 0, 128),
	[KMEM_EXT4_IO_END] =
		CACHE("ext4_io_end", 64, 64, 0, 0, 64, 0, 0, 0, 0, 100),
	[KMEM_EXT4_PREALLOC_SPACE] = CACHE("ext4_prealloc_space", 112, 36, 0,
					   RCL, 16, 0, 4, 0, 100, 100),
	[KMEM_EXT4_ALLOCATION_CONTEXT] =
		CACHE("ext4_allocation_context", 168, 24, 0, RCL, 48, 0, 0, 0,
		      100, 200),
	[KMEM_EXT4_INODE_CACHE] = CACHE("ext4_inode_cache", 1128, 14, 2, RCL,
					6000, 2000, 0, 0, 25, 5),
	[KMEM_JBD2_REVOKE_TABLE_S] =
		CACHE("jbd2_revoke_table_s", 16, 256, 0, RCL, 2, 0, 0, 0, 100),
	[KMEM_JBD2_JOURNAL_HEAD] = CACHE("jbd2_journal_head", 120, 34, 0, RCL,
					 34, 0, 0, 0, 100, 200),
	[KMEM_JBD2_TRANSACTION_S] = CACHE("jbd2_transaction_s", 192, 21, 0, RCL,
					  2, 0, 0, 0, 100, 300),
	[KMEM_TCPV6] = CACHE("TCPv6", 2496, 13, 3, 0, 4),
	[KMEM_UDPV6] = CACHE("UDPv6", 1472, 22, 3, 0, 4),
	[KMEM_RAWV6] = CACHE("RAWv6", 1344, 12, 2, 0, 2),
};

/* kmalloc_index(): the cache for a request of @size bytes. */
static const struct {
	uint32_t size;
	enum kmem_cache_id id;
} kmalloc_caches[] = {
	{8, KMEM_KMALLOC_8},	 {16, KMEM_KMALLOC_16},
	{32, KMEM_KMALLOC_32},	 {64, KMEM_KMALLOC_64},
	{96, KMEM_KMALLOC_96},	 {128, KMEM_KMALLOC_128},
	{192, KMEM_KMALLOC_192}, {256, KMEM_KMALLOC_256},
	{512, KMEM_KMALLOC_512}, {1024, KMEM_KMALLOC_1K},
	{2048, KMEM_KMALLOC_2K}, {4096, KMEM_KMALLOC_4K},
	{8192, KMEM_KMALLOC_8K},
};

static const struct kmem_cache_spec *spec_of(enum kmem_cache_id id)
{
	return &caches[kmem_cache_target(id)];
}

static struct kmem_cache *cache_of(struct machine *m, enum kmem_cache_id id)
{
	return &m->kmem_caches[kmem_cache_target(id)];
}

static int valid_id(enum kmem_cache_id id)
{
	return (unsigned int)id < NR_KMEM_CACHES;
}

enum kmem_cache_id kmem_cache_target(enum kmem_cache_id id)
{
	return (caches[id].flags & SLAB_MERGED) ? caches[id].merged_into : id;
}

const char *kmem_cache_name(enum kmem_cache_id id)
{
	return valid_id(id) ? caches[id].name : NULL;
}

int kmem_cache_listed(enum kmem_cache_id id)
{
	return valid_id(id) && !(caches[id].flags & SLAB_MERGED);
}

int kmem_cache_reclaimable(enum kmem_cache_id id)
{
	return valid_id(id) && (spec_of(id)->flags & SLAB_RECLAIM_ACCOUNT);
}

int kmem_cache_lookup(const char *name, enum kmem_cache_id *id)
{
	int i;

	for (i = 0; i < NR_KMEM_CACHES; i++) {
		if (!strcmp(caches[i].name, name)) {
			*id = (enum kmem_cache_id)i;
			return 0;
		}
	}
	return -ENOENT;
}

const struct kmem_cache *kmem_cache_state(const struct machine *m,
					  enum kmem_cache_id id)
{
	return &m->kmem_caches[kmem_cache_target(id)];
}

int kmem_cache_init(struct machine *m)
{
	int i;

	m->kmem_caches = calloc(NR_KMEM_CACHES, sizeof(*m->kmem_caches));
	if (!m->kmem_caches)
		return -ENOMEM;
	for (i = 0; i < NR_KMEM_CACHES; i++)
		m->kmem_caches[i].cpu_slab = PFN_NONE;
	return 0;
}

void slab_free_host(struct machine *m)
{
	int i;

	if (!m->kmem_caches)
		return;
	for (i = 0; i < NR_KMEM_CACHES; i++) {
		free(m->kmem_caches[i].partial.slab);
		free(m->kmem_caches[i].full.slab);
	}
	free(m->kmem_caches);
	m->kmem_caches = NULL;
}

/* ---- slab lists ---- */

static void list_push(struct slab_list *l, pfn_t pfn, uint32_t base)
{
	if (l->nr == l->size) {
		uint64_t size = l->size ? 2 * l->size : 16;
		struct slab_ref *p = realloc(l->slab, size * sizeof(*p));

		/* the simulator's own bookkeeping, as the frame table is */
		if (!p) {
			fprintf(stderr,
				"mmsim: out of memory for slab lists\n");
			abort();
		}
		l->slab = p;
		l->size = size;
	}
	l->slab[l->nr++] = (struct slab_ref){pfn, base};
}

/* Take a slab off a list, searching from the top where frees work. */
static void list_remove(struct slab_list *l, pfn_t pfn)
{
	uint64_t i = l->nr;

	while (l->slab[--i].pfn != pfn)
		;
	memmove(&l->slab[i], &l->slab[i + 1],
		(l->nr - i - 1) * sizeof(*l->slab));
	l->nr--;
}

static uint32_t slab_inuse(const struct machine *m, pfn_t pfn)
{
	return pfn_to_page(m, pfn)->index;
}

static void slab_set_inuse(struct machine *m, pfn_t pfn, uint32_t inuse)
{
	pfn_to_page(m, pfn)->index = inuse;
}

/* ---- slabs from the buddy allocator ---- */

static int allocate_slab(struct machine *m, enum kmem_cache_id id, int nid,
			 unsigned int alloc_flags, pfn_t *pfn)
{
	const struct kmem_cache_spec *spec = &caches[id];
	int reclaimable = spec->flags & SLAB_RECLAIM_ACCOUNT;
	struct alloc_context ac = {
		.preferred_nid = nid,
		.highest_zoneidx = ZONE_NORMAL,
		.migratetype =
			reclaimable ? MIGRATE_RECLAIMABLE : MIGRATE_UNMOVABLE,
		.alloc_flags = alloc_flags,
		.cpu = 0,
	};
	struct page_use use = {
		.state = PAGE_SLAB,
		.flags = reclaimable ? PG_reclaimable : 0,
		.owner = (uint32_t)id,
	};

	while (ac.cpu < m->nr_cpu_ids - 1 && m->cpu_to_node[ac.cpu] != nid)
		ac.cpu++;
	return alloc_pages(m, spec->order, &ac, &use, pfn);
}

static void discard_slab(struct machine *m, struct kmem_cache *s,
			 enum kmem_cache_id id, pfn_t pfn)
{
	free_pages(m, pfn, caches[id].order);
	s->nr_slabs--;
}

/*
 * Take @n objects: the cpu slab, then partial slabs from the top, then
 * new slabs.  The new slabs are allocated first, so that running out of
 * memory leaves the cache untouched.
 */
static int cache_alloc(struct machine *m, enum kmem_cache_id id, uint64_t n,
		       int nid, unsigned int alloc_flags)
{
	struct kmem_cache *s = cache_of(m, id);
	uint64_t objs, avail, need, nr_free, k = 0, take;
	pfn_t *fresh = NULL;
	int rc = 0;

	if (nid < 0 || nid >= m->nr_node_ids)
		return -EINVAL;
	if (!n)
		return 0;
	id = kmem_cache_target(id);
	objs = caches[id].objects;
	avail = s->partial_free;
	if (s->cpu_slab != PFN_NONE)
		avail += objs - slab_inuse(m, s->cpu_slab);
	need = n > avail ? (n - avail + objs - 1) / objs : 0;
	/* more than all free memory: no need to try */
	nr_free = (uint64_t)global_zone_page_state(m, NR_FREE_PAGES);
	if (need > nr_free >> caches[id].order)
		return -ENOMEM;
	if (need) {
		fresh = malloc(need * sizeof(*fresh));
		if (!fresh)
			return -ENOMEM;
		for (k = 0; k < need; k++) {
			rc = allocate_slab(m, id, nid, alloc_flags, &fresh[k]);
			if (rc)
				goto unwind;
		}
		s->nr_slabs += need;
	}
	k = 0;
	while (n) {
		if (s->cpu_slab == PFN_NONE) {
			if (s->partial.nr) {
				s->cpu_slab =
					s->partial.slab[--s->partial.nr].pfn;
				s->partial_free -=
					objs - slab_inuse(m, s->cpu_slab);
			} else {
				s->cpu_slab = fresh[k++];
			}
			s->cpu_base = slab_inuse(m, s->cpu_slab);
		}
		take = objs - slab_inuse(m, s->cpu_slab);
		if (take > n)
			take = n;
		slab_set_inuse(m, s->cpu_slab,
			       slab_inuse(m, s->cpu_slab) + (uint32_t)take);
		s->inuse += take;
		n -= take;
		if (slab_inuse(m, s->cpu_slab) == objs) {
			list_push(&s->full, s->cpu_slab, s->cpu_base);
			s->cpu_slab = PFN_NONE;
			s->cpu_base = 0;
		}
	}
	free(fresh);
	return 0;
unwind:
	while (k--)
		free_pages(m, fresh[k], caches[id].order);
	free(fresh);
	return rc;
}

/*
 * Frees, the newest objects first.  The cpu slab gives back what it took
 * since it became the cpu slab; then each full slab, from the top, goes
 * back to what it held when it was taken.  A slab brought back to that
 * returns to the top of the partial list it came from (or, empty, to the
 * buddy allocator); one left with newer objects becomes the cpu slab.
 * Only then go older objects, from the partial slabs at the top.  So a
 * free undoes the allocations after it exactly.
 */
static uint64_t free_from_cpu_slab(struct machine *m, struct kmem_cache *s,
				   enum kmem_cache_id id, uint64_t n)
{
	pfn_t pfn = s->cpu_slab;
	uint32_t inuse = slab_inuse(m, pfn);
	uint64_t take = inuse - s->cpu_base;

	if (take > n)
		take = n;
	inuse -= (uint32_t)take;
	slab_set_inuse(m, pfn, inuse);
	if (inuse > s->cpu_base)
		return take;
	s->cpu_slab = PFN_NONE;
	s->cpu_base = 0;
	if (!inuse) {
		discard_slab(m, s, id, pfn);
	} else {
		list_push(&s->partial, pfn, 0);
		s->partial_free += caches[id].objects - inuse;
	}
	return take;
}

static uint64_t free_from_full_slab(struct machine *m, struct kmem_cache *s,
				    enum kmem_cache_id id, uint64_t n)
{
	struct slab_ref ref = s->full.slab[--s->full.nr];
	uint64_t objs = caches[id].objects, take = objs - ref.base;

	if (take > n)
		take = n;
	slab_set_inuse(m, ref.pfn, (uint32_t)(objs - take));
	if (take == objs) {
		discard_slab(m, s, id, ref.pfn);
	} else if (objs - take == ref.base) {
		list_push(&s->partial, ref.pfn, 0);
		s->partial_free += take;
	} else {
		s->cpu_slab = ref.pfn;
		s->cpu_base = ref.base;
	}
	return take;
}

static uint64_t free_from_partial_slab(struct machine *m, struct kmem_cache *s,
				       enum kmem_cache_id id, uint64_t n)
{
	pfn_t pfn = s->partial.slab[s->partial.nr - 1].pfn;
	uint32_t inuse = slab_inuse(m, pfn);
	uint64_t take = n < inuse ? n : inuse;

	slab_set_inuse(m, pfn, inuse - (uint32_t)take);
	s->partial_free += take;
	if (inuse == take) {
		s->partial.nr--;
		s->partial_free -= caches[id].objects;
		discard_slab(m, s, id, pfn);
	}
	return take;
}

/* Give back @n objects (at most those in use). */
static void cache_free(struct machine *m, enum kmem_cache_id id, uint64_t n)
{
	struct kmem_cache *s = cache_of(m, id);

	id = kmem_cache_target(id);
	if (n > s->inuse)
		n = s->inuse;
	s->inuse -= n;
	while (n) {
		if (s->cpu_slab != PFN_NONE)
			n -= free_from_cpu_slab(m, s, id, n);
		else if (s->full.nr)
			n -= free_from_full_slab(m, s, id, n);
		else
			n -= free_from_partial_slab(m, s, id, n);
	}
}

int kmem_cache_alloc_n(struct machine *m, enum kmem_cache_id id, uint64_t n,
		       int nid)
{
	if (!valid_id(id))
		return -EINVAL;
	return cache_alloc(m, id, n, nid, ALLOC_WMARK_MIN);
}

void kmem_cache_free_n(struct machine *m, enum kmem_cache_id id, uint64_t n)
{
	if (valid_id(id))
		cache_free(m, id, n);
}

int kmem_cache_alloc_objcg(struct machine *m, enum kmem_cache_id id, uint64_t n,
			   int nid, uint32_t objcg)
{
	int rc = kmem_cache_alloc_n(m, id, n, nid);

	if (!rc)
		memcg_slab_charge(m, objcg, id, n);
	return rc;
}

void kmem_cache_free_objcg(struct machine *m, enum kmem_cache_id id, uint64_t n,
			   uint32_t objcg)
{
	memcg_slab_uncharge(m, objcg, id, n);
	kmem_cache_free_n(m, id, n);
}

int kmem_cache_alloc_set(struct machine *m, const enum kmem_cache_id *ids,
			 size_t nr, int nid, uint32_t objcg)
{
	size_t i;
	int rc;

	for (i = 0; i < nr; i++) {
		rc = kmem_cache_alloc_objcg(m, ids[i], 1, nid, objcg);
		if (rc)
			goto unwind;
	}
	return 0;
unwind:
	kmem_cache_free_set(m, ids, i, objcg);
	return rc;
}

void kmem_cache_free_set(struct machine *m, const enum kmem_cache_id *ids,
			 size_t nr, uint32_t objcg)
{
	while (nr--)
		kmem_cache_free_objcg(m, ids[nr], 1, objcg);
}

unsigned int kmem_cache_size(enum kmem_cache_id id)
{
	return valid_id(id) ? spec_of(id)->size : 0;
}

static int kmalloc_cache(size_t size, enum kmem_cache_id *id)
{
	size_t i;

	if (!size || size > KMALLOC_MAX_CACHE_SIZE)
		return -EINVAL;
	for (i = 0; kmalloc_caches[i].size < size; i++)
		;
	*id = kmalloc_caches[i].id;
	return 0;
}

int kmalloc_n(struct machine *m, size_t size, uint64_t n, int nid)
{
	enum kmem_cache_id id;
	int rc = kmalloc_cache(size, &id);

	return rc ?: kmem_cache_alloc_n(m, id, n, nid);
}

void kfree_n(struct machine *m, size_t size, uint64_t n)
{
	enum kmem_cache_id id;

	if (!kmalloc_cache(size, &id))
		kmem_cache_free_n(m, id, n);
}

int slab_alloc_manual(struct machine *m, enum kmem_cache_id id, uint64_t n,
		      int nid)
{
	int rc = kmem_cache_alloc_n(m, id, n, nid);

	if (!rc)
		cache_of(m, id)->manual += n;
	return rc;
}

int slab_free_manual(struct machine *m, enum kmem_cache_id id, uint64_t n)
{
	struct kmem_cache *s;

	if (!valid_id(id))
		return -EINVAL;
	s = cache_of(m, id);
	if (n > s->manual)
		return -EINVAL;
	s->manual -= n;
	cache_free(m, id, n);
	return 0;
}

/* ---- shrinking ---- */

uint64_t slab_shrink(struct machine *m, enum kmem_cache_id id, uint64_t nr)
{
	struct kmem_cache *s;
	uint64_t manual, boot;

	if (!kmem_cache_reclaimable(id))
		return 0;
	s = cache_of(m, id);
	/* the newest first: what was taken by hand lies on top */
	manual = nr < s->manual ? nr : s->manual;
	boot = nr - manual < s->boot_unused ? nr - manual : s->boot_unused;
	if (!manual && !boot)
		return 0;
	s->manual -= manual;
	s->boot_unused -= boot;
	cache_free(m, id, manual + boot);
	count_vm_events(m, SLABS_SCANNED, manual + boot);
	return manual + boot;
}

uint64_t drop_slab(struct machine *m)
{
	uint64_t freed = 0;
	int i;

	for (i = 0; i < NR_KMEM_CACHES; i++)
		if (kmem_cache_listed(i))
			freed += slab_shrink(m, i, UINT64_MAX);
	return freed;
}

/* ---- the boot ---- */

void kmem_cache_boot_objects(const struct machine *m, enum kmem_cache_id id,
			     uint64_t *kept, uint64_t *transient)
{
	const struct slab_boot *b = &caches[id].boot;
	uint64_t full = SLAB_BOOT_FULL_GIB * PAGES_PER_GIB;
	uint64_t pages = totalram_pages(m), scale;

	*kept = *transient = 0;
	if (!kmem_cache_listed(id))
		return;
	scale = pages < full ? pages : full;
	if (scale < full / 4)
		scale = full / 4;
	if (pages > SLAB_BOOT_MAX_GIB * PAGES_PER_GIB)
		pages = SLAB_BOOT_MAX_GIB * PAGES_PER_GIB;
	*kept = b->fixed * scale / full + b->per_gib * pages / PAGES_PER_GIB +
		(uint64_t)b->per_cpu * (uint64_t)m->nr_cpu_ids +
		(uint64_t)b->per_node * (uint64_t)m->nr_node_ids;
	*transient = *kept * b->transient_pct / 100;
}

int kmem_cache_boot_alloc(struct machine *m, enum kmem_cache_id id, uint64_t n,
			  int nid)
{
	int rc;

	if (!kmem_cache_listed(id))
		return -EINVAL;
	rc = cache_alloc(m, id, n, nid, ALLOC_WMARK_LOW);
	if (!rc)
		m->kmem_caches[id].boot_pinned += n;
	return rc;
}

enum slab_place { ON_CPU, ON_PARTIAL, ON_FULL };

/* The @i-th slab of a cache: the cpu slab, the partial, the full ones. */
static pfn_t nth_slab(const struct kmem_cache *s, uint64_t i,
		      enum slab_place *where)
{
	if (s->cpu_slab != PFN_NONE) {
		if (!i) {
			*where = ON_CPU;
			return s->cpu_slab;
		}
		i--;
	}
	if (i < s->partial.nr) {
		*where = ON_PARTIAL;
		return s->partial.slab[i].pfn;
	}
	*where = ON_FULL;
	return s->full.slab[i - s->partial.nr].pfn;
}

/*
 * Boot-time frees hit slabs at random, a random share of each, as the
 * short-lived objects of a boot lie scattered among the lasting ones.
 */
void kmem_cache_boot_free(struct machine *m, enum kmem_cache_id id, uint64_t n)
{
	struct kmem_cache *s = &m->kmem_caches[id];
	uint64_t objs = caches[id].objects, take;
	enum slab_place where;
	uint32_t inuse, left;
	pfn_t pfn;

	if (!kmem_cache_listed(id))
		return;
	if (n > s->boot_pinned)
		n = s->boot_pinned;
	s->boot_pinned -= n;
	s->inuse -= n;
	while (n) {
		pfn = nth_slab(s, prng_below(&m->prng, s->nr_slabs), &where);
		inuse = slab_inuse(m, pfn);
		take = 1 + prng_below(&m->prng, inuse);
		if (take > n)
			take = n;
		left = inuse - (uint32_t)take;
		slab_set_inuse(m, pfn, left);
		n -= take;
		switch (where) {
		case ON_CPU:
			/* what is left counts as the cpu slab's own */
			if (s->cpu_base >= left)
				s->cpu_base = 0;
			if (left)
				break;
			s->cpu_slab = PFN_NONE;
			discard_slab(m, s, id, pfn);
			break;
		case ON_PARTIAL:
			if (left) {
				s->partial_free += take;
				break;
			}
			list_remove(&s->partial, pfn);
			s->partial_free -= objs - inuse;
			discard_slab(m, s, id, pfn);
			break;
		case ON_FULL:
			list_remove(&s->full, pfn);
			if (!left) {
				discard_slab(m, s, id, pfn);
				break;
			}
			list_push(&s->partial, pfn, 0);
			s->partial_free += take;
			break;
		}
	}
}

void kmem_cache_boot_done(struct machine *m)
{
	int i;

	for (i = 0; i < NR_KMEM_CACHES; i++) {
		struct kmem_cache *s = &m->kmem_caches[i];
		uint64_t unused;

		if (!kmem_cache_reclaimable(i) || !kmem_cache_listed(i))
			continue;
		unused = s->boot_pinned * (100 - caches[i].boot.pinned_pct) /
			 100;
		s->boot_pinned -= unused;
		s->boot_unused += unused;
	}
}

/* ---- /proc/slabinfo ---- */

void get_slabinfo(const struct machine *m, enum kmem_cache_id id,
		  struct slabinfo *si)
{
	const struct kmem_cache_spec *spec = spec_of(id);
	const struct kmem_cache *s = kmem_cache_state(m, id);

	si->num_slabs = s->nr_slabs;
	si->active_slabs = s->nr_slabs;
	si->num_objs = s->nr_slabs * spec->objects;
	/* free objects count only on the partial lists, not in cpu slabs */
	si->active_objs = si->num_objs - s->partial_free;
	si->objsize = spec->size;
	si->objects_per_slab = spec->objects;
	si->cache_order = spec->order;
}

/* ---- the checker ---- */

/* A listed slab must be a slab frame of its cache before it is counted. */
static int slab_frame_ok(const struct machine *m, enum kmem_cache_id id,
			 pfn_t pfn)
{
	const struct page *page = pfn_to_page(m, pfn);

	return page && page->state == PAGE_SLAB && page->owner == (uint32_t)id;
}

struct slab_tally {
	uint64_t slabs[NR_KMEM_CACHES];
	uint64_t inuse[NR_KMEM_CACHES];
	char *why;
	size_t size;
};

static int tally_slab(pfn_t pfn, const struct page *p, void *arg)
{
	struct slab_tally *t = arg;
	const struct kmem_cache_spec *spec;
	int reclaimable;

	if (p->state != PAGE_SLAB)
		return 0;
	if (p->owner >= NR_KMEM_CACHES || !kmem_cache_listed(p->owner)) {
		snprintf(t->why, t->size, "slab frame %#x names no cache (%u)",
			 pfn, p->owner);
		return -EUCLEAN;
	}
	spec = &caches[p->owner];
	reclaimable = !!(spec->flags & SLAB_RECLAIM_ACCOUNT);
	if (p->order != spec->order ||
	    !!(p->flags & PG_reclaimable) != reclaimable) {
		snprintf(t->why, t->size,
			 "slab %#x of %s: order %u flags %#x, the cache's "
			 "order is %u",
			 pfn, spec->name, p->order, p->flags, spec->order);
		return -EUCLEAN;
	}
	if (!p->index || p->index > spec->objects) {
		snprintf(t->why, t->size,
			 "slab %#x of %s holds %llu objects of %u", pfn,
			 spec->name, (unsigned long long)p->index, spec->objects);
		return -EUCLEAN;
	}
	t->slabs[p->owner]++;
	t->inuse[p->owner] += p->index;
	return 0;
}

static int cmp_pfn(const void *a, const void *b)
{
	pfn_t x = *(const pfn_t *)a, y = *(const pfn_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The slabs one cache lists: each a slab frame of the cache, full ones
 * full, the cpu slab and partial ones not; appended to @all.
 */
static int check_cache_lists(const struct machine *m, enum kmem_cache_id id,
			     pfn_t *all, uint64_t *n, uint64_t total)
{
	const struct kmem_cache *s = &m->kmem_caches[id];
	const struct slab_list *lists[2] = {&s->partial, &s->full};
	uint64_t objs = caches[id].objects, inuse = 0, pfree = 0, i;
	uint64_t listed = s->partial.nr + s->full.nr;
	uint32_t used;
	int k;

	listed += s->cpu_slab != PFN_NONE;
	if (listed != s->nr_slabs || *n + listed > total ||
	    (s->cpu_slab == PFN_NONE && s->cpu_base))
		return -EUCLEAN;
	if (s->cpu_slab != PFN_NONE) {
		if (!slab_frame_ok(m, id, s->cpu_slab) ||
		    slab_inuse(m, s->cpu_slab) >= objs ||
		    s->cpu_base >= slab_inuse(m, s->cpu_slab))
			return -EUCLEAN;
		inuse += slab_inuse(m, s->cpu_slab);
		all[(*n)++] = s->cpu_slab;
	}
	for (k = 0; k < 2; k++) {
		for (i = 0; i < lists[k]->nr; i++) {
			pfn_t pfn = lists[k]->slab[i].pfn;

			if (!slab_frame_ok(m, id, pfn) ||
			    lists[k]->slab[i].base >= objs)
				return -EUCLEAN;
			used = slab_inuse(m, pfn);
			if (k ? used != objs : used >= objs)
				return -EUCLEAN;
			inuse += used;
			pfree += k ? 0 : objs - used;
			all[(*n)++] = pfn;
		}
	}
	return inuse == s->inuse && pfree == s->partial_free ? 0 : -EUCLEAN;
}

/* Every listed slab a slab frame of its cache, no slab listed twice. */
static int check_lists(const struct machine *m, char *why, size_t size)
{
	uint64_t total = 0, n = 0, i;
	pfn_t *all;
	int id, rc = 0;

	for (id = 0; id < NR_KMEM_CACHES; id++)
		total += m->kmem_caches[id].nr_slabs;
	all = malloc((total ? total : 1) * sizeof(*all));
	if (!all)
		return -ENOMEM;
	for (id = 0; id < NR_KMEM_CACHES && !rc; id++) {
		const struct kmem_cache *s = &m->kmem_caches[id];

		if (!kmem_cache_listed(id)) {
			if (s->cpu_slab != PFN_NONE || s->partial.nr ||
			    s->full.nr || s->nr_slabs || s->inuse) {
				snprintf(why, size,
					 "%s: a merged cache holds objects",
					 caches[id].name);
				rc = -EUCLEAN;
			}
			continue;
		}
		rc = check_cache_lists(m, id, all, &n, total);
		if (rc)
			snprintf(why, size,
				 "%s: its lists disagree with its slabs "
				 "(%llu slabs, %llu objects in use)",
				 caches[id].name,
				 (unsigned long long)s->nr_slabs,
				 (unsigned long long)s->inuse);
	}
	qsort(all, n, sizeof(*all), cmp_pfn);
	for (i = 1; i < n && !rc; i++) {
		if (all[i] == all[i - 1]) {
			snprintf(why, size, "slab %#x is listed twice", all[i]);
			rc = -EUCLEAN;
		}
	}
	free(all);
	return rc;
}

/* The objects model structures hold, by cache. */
static void model_objects(const struct machine *m, uint64_t *want)
{
	uint64_t tasks = 0, user = 0, mms = 0, vmas = 0, anon = 0;
	int i;
	uint32_t v;

	for (i = 0; i < m->nr_tasks; i++) {
		const struct task_struct *t = &m->tasks[i];

		tasks++;
		user += !t->kthread;
		if (!t->mm)
			continue;
		mms++;
		vmas += t->mm->nr_vmas;
		for (v = 0; v < t->mm->nr_vmas; v++)
			anon += t->mm->vmas[v].has_anon;
	}
	want[KMEM_TASK_STRUCT] = tasks;
	want[KMEM_PID] = tasks;
	want[KMEM_SIGNAL_CACHE] = tasks;
	want[KMEM_SIGHAND_CACHE] = tasks;
	want[kmem_cache_target(KMEM_CRED_JAR)] = tasks;
	want[KMEM_FILES_CACHE] = user;
	want[kmem_cache_target(KMEM_FS_CACHE)] = user;
	want[KMEM_MM_STRUCT] = mms;
	want[KMEM_VM_AREA_STRUCT] = vmas;
	want[KMEM_ANON_VMA] = anon;
	want[KMEM_ANON_VMA_CHAIN] = anon;
}

static const enum kmem_cache_id model_caches[] = {
	KMEM_TASK_STRUCT,    KMEM_PID,
	KMEM_SIGNAL_CACHE,   KMEM_SIGHAND_CACHE,
	KMEM_CRED_JAR,	     KMEM_FILES_CACHE,
	KMEM_FS_CACHE,	     KMEM_MM_STRUCT,
	KMEM_VM_AREA_STRUCT, KMEM_ANON_VMA,
	KMEM_ANON_VMA_CHAIN,
};

/* The caches against the frames: what a loaded checkpoint must pass. */
static int check_slabs(const struct machine *m, char *why, size_t size)
{
	struct slab_tally *t = calloc(1, sizeof(*t));
	int id, rc;

	if (!t)
		return -ENOMEM;
	why[0] = '\0';
	t->why = why;
	t->size = size;
	rc = walk_pages(m, tally_slab, t);
	for (id = 0; id < NR_KMEM_CACHES && !rc; id++) {
		const struct kmem_cache *s = &m->kmem_caches[id];

		if (t->slabs[id] != s->nr_slabs || t->inuse[id] != s->inuse) {
			snprintf(why, size,
				 "%s: %llu slabs with %llu objects counted, "
				 "frames say %llu with %llu",
				 caches[id].name,
				 (unsigned long long)s->nr_slabs,
				 (unsigned long long)s->inuse,
				 (unsigned long long)t->slabs[id],
				 (unsigned long long)t->inuse[id]);
			rc = -EUCLEAN;
		} else if (s->boot_pinned + s->boot_unused + s->manual >
				   s->inuse ||
			   (s->boot_unused && !kmem_cache_reclaimable(id))) {
			snprintf(why, size,
				 "%s: boot %llu+%llu and manual %llu objects "
				 "of %llu in use",
				 caches[id].name,
				 (unsigned long long)s->boot_pinned,
				 (unsigned long long)s->boot_unused,
				 (unsigned long long)s->manual,
				 (unsigned long long)s->inuse);
			rc = -EUCLEAN;
		}
	}
	free(t);
	return rc ?: check_lists(m, why, size);
}

int check_slab_accounting(const struct machine *m, char *why, size_t size)
{
	uint64_t want[NR_KMEM_CACHES] = {0}, held;
	size_t k;
	int rc;

	rc = check_slabs(m, why, size);
	if (rc)
		return rc;
	model_objects(m, want);
	for (k = 0; k < sizeof(model_caches) / sizeof(model_caches[0]); k++) {
		enum kmem_cache_id target = kmem_cache_target(model_caches[k]);
		const struct kmem_cache *s = &m->kmem_caches[target];

		held = s->inuse - s->boot_pinned - s->boot_unused - s->manual;
		if (held == want[target])
			continue;
		snprintf(why, size,
			 "%s: %llu objects held by the model, which has %llu",
			 caches[model_caches[k]].name, (unsigned long long)held,
			 (unsigned long long)want[target]);
		return -EUCLEAN;
	}
	return 0;
}

/* ---- checkpoints ---- */

/* A list as zigzag pfn deltas (slabs taken in a row lie close), and bases. */
static void save_list(const struct slab_list *l, int bases,
		      void (*put)(void *ctx, uint64_t v), void *ctx)
{
	int64_t prev = 0, delta;
	uint64_t i;

	put(ctx, l->nr);
	for (i = 0; i < l->nr; i++) {
		delta = (int64_t)l->slab[i].pfn - prev;
		put(ctx, ((uint64_t)delta << 1) ^ (uint64_t)(delta >> 63));
		prev = l->slab[i].pfn;
		if (bases)
			put(ctx, l->slab[i].base);
	}
}

void kmem_cache_save(const struct machine *m,
		     void (*put)(void *ctx, uint64_t v), void *ctx)
{
	int i;

	put(ctx, NR_KMEM_CACHES);
	for (i = 0; i < NR_KMEM_CACHES; i++) {
		const struct kmem_cache *s = &m->kmem_caches[i];

		if (!kmem_cache_listed(i))
			continue;
		put(ctx, s->boot_pinned);
		put(ctx, s->boot_unused);
		put(ctx, s->manual);
		put(ctx,
		    s->cpu_slab == PFN_NONE ? 0 : (uint64_t)s->cpu_slab + 1);
		if (s->cpu_slab != PFN_NONE)
			put(ctx, s->cpu_base);
		save_list(&s->partial, 0, put, ctx);
		save_list(&s->full, 1, put, ctx);
	}
}

static int load_list(struct machine *m, struct slab_list *l, int bases,
		     uint32_t objs, uint64_t (*get)(void *ctx), void *ctx)
{
	uint64_t nr = get(ctx), i, v;
	int64_t pfn = 0;

	if (nr > m->max_pfn)
		return -EINVAL;
	if (!nr)
		return 0;
	l->slab = malloc(nr * sizeof(*l->slab));
	if (!l->slab)
		return -ENOMEM;
	l->size = nr;
	for (i = 0; i < nr; i++) {
		v = get(ctx);
		pfn += (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
		v = bases ? get(ctx) : 0;
		if (pfn < 0 || pfn >= (int64_t)m->max_pfn || v >= objs)
			return -EINVAL;
		l->slab[l->nr++] = (struct slab_ref){(pfn_t)pfn, (uint32_t)v};
	}
	return 0;
}

static int recount_list(struct machine *m, enum kmem_cache_id id,
			const struct slab_list *l, int partial)
{
	struct kmem_cache *s = &m->kmem_caches[id];
	uint64_t i;
	pfn_t pfn;

	for (i = 0; i < l->nr; i++) {
		pfn = l->slab[i].pfn;
		if (!slab_frame_ok(m, id, pfn))
			return -EINVAL;
		s->inuse += slab_inuse(m, pfn);
		if (partial)
			s->partial_free +=
				caches[id].objects - slab_inuse(m, pfn);
	}
	s->nr_slabs += l->nr;
	return 0;
}

int kmem_cache_load(struct machine *m, uint64_t (*get)(void *ctx), void *ctx,
		    char *why, size_t size)
{
	uint64_t v;
	int i, rc;

	v = get(ctx);
	if (v != NR_KMEM_CACHES) {
		snprintf(why, size, "%llu slab caches, the model has %d",
			 (unsigned long long)v, NR_KMEM_CACHES);
		return -EINVAL;
	}
	for (i = 0; i < NR_KMEM_CACHES; i++) {
		struct kmem_cache *s = &m->kmem_caches[i];

		if (!kmem_cache_listed(i))
			continue;
		s->boot_pinned = get(ctx);
		s->boot_unused = get(ctx);
		s->manual = get(ctx);
		v = get(ctx);
		rc = v > m->max_pfn ? -EINVAL : 0;
		s->cpu_slab = v ? (pfn_t)(v - 1) : PFN_NONE;
		s->cpu_base = v ? (uint32_t)get(ctx) : 0;
		rc = rc
			     ?: load_list(m, &s->partial, 0, caches[i].objects,
					  get, ctx);
		rc = rc
			     ?: load_list(m, &s->full, 1, caches[i].objects,
					  get, ctx);
		if (!rc && s->cpu_slab != PFN_NONE) {
			rc = slab_frame_ok(m, i, s->cpu_slab) ? 0 : -EINVAL;
			if (!rc) {
				s->nr_slabs = 1;
				s->inuse = slab_inuse(m, s->cpu_slab);
			}
		}
		rc = rc ?: recount_list(m, i, &s->partial, 1);
		rc = rc ?: recount_list(m, i, &s->full, 0);
		if (rc) {
			snprintf(why, size, "the slabs of %s are malformed",
				 caches[i].name);
			return rc;
		}
	}
	return check_slabs(m, why, size) ? -EINVAL : 0;
}
