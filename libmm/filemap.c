// SPDX-License-Identifier: GPL-2.0
/*
 * The page cache (mm/filemap.c): the inode table, each inode's index of
 * cached pages, reading pages in (with readahead) and dropping them.
 * The frames are the truth: a cached page is a PAGE_FILE or PAGE_SHMEM
 * frame whose owner is the inode and whose index is its offset, and the
 * per-inode index is rebuilt from them when a checkpoint is loaded.
 * A page that reclaim evicts leaves its shadow in its slot
 * (workingset.h), which tells, if the page is read again, how soon.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filemap_internal.h"
#include "machine.h"
#include "memcontrol.h"
#include "oom.h"
#include "page_alloc.h"
#include "psi.h"
#include "slab.h"
#include "vmstat.h"
#include "workingset.h"
#include "writeback.h"

const struct inode *inode_get(const struct machine *m, uint32_t ino)
{
	return ino && ino < m->nr_inodes ? m->inodes[ino] : NULL;
}

struct inode *inode_mut(struct machine *m, uint32_t ino)
{
	return ino && ino < m->nr_inodes ? m->inodes[ino] : NULL;
}

struct inode *inode_lookup_path(struct machine *m, const char *path)
{
	uint32_t ino;

	for (ino = 1; ino < m->nr_inodes; ino++) {
		struct inode *inode = m->inodes[ino];

		if (inode && !inode->unlinked && inode->path &&
		    !strcmp(inode->path, path))
			return inode;
	}
	return NULL;
}

int inode_new(struct machine *m, const char *path, uint64_t size,
	      enum inode_kind kind, struct inode **out)
{
	struct inode *inode;

	if (m->nr_inodes == m->inodes_size) {
		uint32_t n = m->inodes_size ? 2 * m->inodes_size : 256;
		struct inode **v = realloc(m->inodes, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		memset(v + m->inodes_size, 0,
		       (n - m->inodes_size) * sizeof(*v));
		m->inodes = v;
		m->inodes_size = n;
		if (!m->nr_inodes)
			m->nr_inodes = 1; /* inode 0 means "none" */
	}
	inode = calloc(1, sizeof(*inode));
	if (!inode)
		return -ENOMEM;
	inode->path = strdup(path);
	if (!inode->path) {
		free(inode);
		return -ENOMEM;
	}
	inode->ino = m->nr_inodes;
	inode->kind = (uint8_t)kind;
	inode->i_size = size;
	if (kind == INODE_FILE || kind == INODE_BDEV) {
		inode->dev = DISK_DEV;
		/* ext4 hands out inode numbers from its tables, with gaps */
		inode->i_ino = 131072 + 7ULL * inode->ino +
			       ((inode->ino * 2654435761U) >> 9) % 7;
	} else if (kind == INODE_HUGETLB_SHARED ||
		   kind == INODE_HUGETLB_PRIVATE) {
		inode->dev = HUGETLBFS_DEV;
		inode->i_ino = 4096 + inode->ino;
	} else {
		int sb = kind == INODE_TMPFS ? shmem_sb_of_path(m, path) : 0;

		inode->sb = (uint8_t)(sb < 0 ? 0 : sb);
		inode->dev = m->tmpfs[inode->sb].dev;
		inode->i_ino = 1024 + inode->ino;
	}
	m->inodes[m->nr_inodes++] = inode;
	*out = inode;
	return 0;
}

static void inode_release(struct inode *inode);
static int inode_alloc_objects(struct machine *m, struct inode *inode);

/* The slab cache an inode of @kind is allocated from (alloc_inode()). */
static enum kmem_cache_id inode_cache_of(const struct inode *inode)
{
	switch (inode->kind) {
	case INODE_FILE:
		return KMEM_EXT4_INODE_CACHE;
	case INODE_BDEV:
		return KMEM_BDEV_CACHE;
	case INODE_HUGETLB_SHARED:
	case INODE_HUGETLB_PRIVATE:
		return KMEM_HUGETLBFS_INODE_CACHE;
	default:
		return KMEM_SHMEM_INODE_CACHE;
	}
}

/* The block device's inode lives on bdevfs, with no dentry of its own. */
static int inode_has_dentry(const struct inode *inode)
{
	return inode->kind != INODE_BDEV;
}

/*
 * ext4 keeps 16 inodes of 256 bytes in each block of its inode tables;
 * the model puts the tables from block 1024 on.  Reading an inode in and
 * writing one back go through the disk's own page cache, which is what
 * Buffers counts (ext4 reads 32 table blocks ahead, as readahead does).
 */
#define EXT4_INODE_SIZE 256
#define EXT4_INODE_TABLE_BLOCK 1024

static int inode_table_io(struct machine *m, const struct inode *inode,
			  int write)
{
	uint64_t pos = EXT4_INODE_TABLE_BLOCK * PAGE_SIZE +
		       inode->i_ino * EXT4_INODE_SIZE;
	struct inode *bdev;
	int64_t n;

	if (inode->kind != INODE_FILE)
		return 0;
	bdev = inode_lookup_path(m, "/dev/vda");
	if (!bdev || pos + EXT4_INODE_SIZE > bdev->i_size)
		return 0;
	if (write)
		return filemap_write(m, bdev, pos, EXT4_INODE_SIZE, 0, 0);
	n = filemap_read(m, bdev, pos, EXT4_INODE_SIZE, 0, 0);
	return n < 0 ? (int)n : 0;
}

int write_inode(struct machine *m, const struct inode *inode)
{
	return inode_table_io(m, inode, 1);
}

int inode_iget(struct machine *m, struct inode *inode)
{
	int rc;

	if (inode->icached)
		return 0;
	/* iget_locked() found nothing: ext4_iget() reads it from the table */
	rc = inode_table_io(m, inode, 0);
	if (rc)
		return rc;
	return inode_alloc_objects(m, inode);
}

/*
 * The inode caches and dentry are SLAB_ACCOUNT: whoever looks the file
 * up first pays, and the charge stays while the inode is cached.
 */
static int inode_alloc_objects(struct machine *m, struct inode *inode)
{
	uint32_t objcg = current_obj_cgroup(m, 0);
	int rc;

	rc = kmem_cache_alloc_objcg(m, inode_cache_of(inode), 1, 0, objcg);
	if (rc)
		return rc;
	if (inode_has_dentry(inode)) {
		rc = kmem_cache_alloc_objcg(m, KMEM_DENTRY, 1, 0, objcg);
		if (rc) {
			kmem_cache_free_objcg(m, inode_cache_of(inode), 1,
					      objcg);
			return rc;
		}
	}
	inode->objcg = objcg;
	inode->icached = 1;
	return 0;
}

/* evict(): the in-memory inode and its dentry go; the file stays. */
static void inode_put_objects(struct machine *m, struct inode *inode)
{
	if (!inode->icached)
		return;
	kmem_cache_free_objcg(m, inode_cache_of(inode), 1, inode->objcg);
	if (inode_has_dentry(inode))
		kmem_cache_free_objcg(m, KMEM_DENTRY, 1, inode->objcg);
	inode->objcg = OBJCG_NONE;
	inode->icached = 0;
}

int inode_create(struct machine *m, const char *path, uint64_t size,
		 enum inode_kind kind, struct inode **out)
{
	int rc = inode_new(m, path, size, kind, out);

	if (rc)
		return rc;
	rc = inode_alloc_objects(m, *out);
	if (rc) {
		m->inodes[(*out)->ino] = NULL;
		inode_release(*out);
	}
	return rc;
}

/*
 * prune_icache_sb(), as drop_caches 2 runs it: an inode that no mapping
 * holds and that has no pages in the cache leaves memory with its
 * dentry.  Returns the inodes pruned.
 */
uint64_t prune_icache(struct machine *m)
{
	uint64_t pruned = 0;
	uint32_t ino;

	for (ino = 1; ino < m->nr_inodes; ino++) {
		struct inode *inode = m->inodes[ino];

		if (!inode || !inode->icached || inode->mappers ||
		    inode->nrpages || inode->kind != INODE_FILE)
			continue;
		/* the mapping goes with the inode, and its shadows with it */
		filemap_clear_shadows(m, inode);
		inode_put_objects(m, inode);
		pruned++;
	}
	return pruned;
}

static void inode_release(struct inode *inode)
{
	uint64_t i;

	for (i = 0; i < inode->nr_chunks; i++)
		free(inode->index[i]);
	free(inode->index);
	for (i = 0; i < inode->nr_value_chunks; i++)
		free(inode->values[i]);
	free(inode->values);
	free(inode->path);
	free(inode);
}

/*
 * The last reference to an inode is gone (unlinked, unmapped): its pages
 * are freed and its slot stays empty, so inode numbers are never reused.
 */
void inode_evict(struct machine *m, struct inode *inode)
{
	truncate_inode_pages(m, inode);
	inode_put_objects(m, inode);
	m->inodes[inode->ino] = NULL;
	inode_release(inode);
}

/* unlink(2): the name goes now, the inode with its last mapping. */
void inode_unlink(struct machine *m, struct inode *inode)
{
	inode->unlinked = 1;
	if (!inode->mappers)
		inode_evict(m, inode);
}

void inodes_free(struct machine *m)
{
	uint32_t ino;

	for (ino = 1; ino < m->nr_inodes; ino++)
		if (m->inodes[ino])
			inode_release(m->inodes[ino]);
	free(m->inodes);
	m->inodes = NULL;
	m->nr_inodes = m->inodes_size = 0;
}

pfn_t find_get_page(const struct inode *inode, uint64_t index)
{
	uint64_t chunk = index / PAGE_INDEX_CHUNK;

	if (chunk >= inode->nr_chunks || !inode->index[chunk])
		return PFN_NONE;
	return inode->index[chunk][index % PAGE_INDEX_CHUNK];
}

int page_cache_insert(struct inode *inode, uint64_t index, pfn_t pfn)
{
	uint64_t chunk = index / PAGE_INDEX_CHUNK, i;

	if (chunk >= inode->nr_chunks) {
		uint64_t n = chunk + 1;
		pfn_t **v = realloc(inode->index, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		for (i = inode->nr_chunks; i < n; i++)
			v[i] = NULL;
		inode->index = v;
		inode->nr_chunks = n;
	}
	if (!inode->index[chunk]) {
		inode->index[chunk] =
			malloc(PAGE_INDEX_CHUNK * sizeof(**inode->index));
		if (!inode->index[chunk])
			return -ENOMEM;
		for (i = 0; i < PAGE_INDEX_CHUNK; i++)
			inode->index[chunk][i] = PFN_NONE;
	}
	inode->index[chunk][index % PAGE_INDEX_CHUNK] = pfn;
	inode->nrpages++;
	return 0;
}

void page_cache_delete(struct inode *inode, uint64_t index)
{
	uint64_t chunk = index / PAGE_INDEX_CHUNK;

	if (chunk < inode->nr_chunks && inode->index[chunk] &&
	    inode->index[chunk][index % PAGE_INDEX_CHUNK] != PFN_NONE) {
		inode->index[chunk][index % PAGE_INDEX_CHUNK] = PFN_NONE;
		inode->nrpages--;
	}
}

void page_cache_replace(struct machine *m, pfn_t old, pfn_t new)
{
	const struct page *page = pfn_to_page(m, new);
	struct inode *inode = inode_mut(m, page->owner);

	if (inode && find_get_page(inode, page->index) == old)
		inode->index[page->index / PAGE_INDEX_CHUNK]
			    [page->index % PAGE_INDEX_CHUNK] = new;
}

static enum page_state inode_page_state(const struct inode *inode)
{
	return inode->kind == INODE_FILE || inode->kind == INODE_BDEV
		       ? PAGE_FILE
		       : PAGE_SHMEM;
}

/* The slots of an xarray node (XA_CHUNK_SHIFT 6). */
#define XA_CHUNK_SIZE 64

/* No value: the slot holds a page, or nothing. */
#define VALUE_NONE 0

static uint64_t value_get(const struct inode *inode, uint64_t index)
{
	uint64_t chunk = index / PAGE_INDEX_CHUNK;

	if (chunk >= inode->nr_value_chunks || !inode->values[chunk])
		return VALUE_NONE;
	return inode->values[chunk][index % PAGE_INDEX_CHUNK];
}

/* Store @value (or VALUE_NONE) in slot @index: 0 or -ENOMEM. */
static int value_set(struct inode *inode, uint64_t index, uint64_t value)
{
	uint64_t chunk = index / PAGE_INDEX_CHUNK, old;

	if (chunk >= inode->nr_value_chunks) {
		uint64_t n = chunk + 1, i;
		uint64_t **v;

		if (value == VALUE_NONE)
			return 0;
		v = realloc(inode->values, n * sizeof(*v));
		if (!v)
			return -ENOMEM;
		for (i = inode->nr_value_chunks; i < n; i++)
			v[i] = NULL;
		inode->values = v;
		inode->nr_value_chunks = n;
	}
	if (!inode->values[chunk]) {
		if (value == VALUE_NONE)
			return 0;
		inode->values[chunk] =
			calloc(PAGE_INDEX_CHUNK, sizeof(**inode->values));
		if (!inode->values[chunk])
			return -ENOMEM;
	}
	old = inode->values[chunk][index % PAGE_INDEX_CHUNK];
	inode->values[chunk][index % PAGE_INDEX_CHUNK] = value;
	inode->nr_values += (value != VALUE_NONE) - (old != VALUE_NONE);
	return 0;
}

/* The shadow in slot @index, or SHADOW_NONE (a page, a swap entry). */
static uint64_t shadow_get(const struct inode *inode, uint64_t index)
{
	uint64_t value = value_get(inode, index);

	return radix_is_swap(value) ? SHADOW_NONE : value;
}

static const pfn_t *index_chunk(const struct inode *inode, uint64_t c)
{
	return c < inode->nr_chunks ? inode->index[c] : NULL;
}

static const uint64_t *value_chunk(const struct inode *inode, uint64_t c)
{
	return c < inode->nr_value_chunks ? inode->values[c] : NULL;
}

static int slot_empty(const struct inode *inode, uint64_t index)
{
	return find_get_page(inode, index) == PFN_NONE &&
	       value_get(inode, index) == VALUE_NONE;
}

/*
 * A leaf of the index (64 slots) holding shadows and no page is a
 * workingset node, counted on the node its first shadow came from.
 * Returns that node, or -1 for any other leaf.
 */
static int shadow_leaf_nid(const struct inode *inode, uint64_t index)
{
	uint64_t first = index & ~(uint64_t)(XA_CHUNK_SIZE - 1), i;
	int nid = -1;

	/* shmem's index is not on the shadow list: its values are swap */
	if (!inode->nr_values || inode_page_state(inode) != PAGE_FILE)
		return -1;
	for (i = first; i < first + XA_CHUNK_SIZE; i++) {
		uint64_t shadow = shadow_get(inode, i);

		if (find_get_page(inode, i) != PFN_NONE)
			return -1;
		if (nid < 0 && shadow != SHADOW_NONE)
			nid = workingset_shadow_nid(shadow);
	}
	return nid;
}

/* The leaf around a slot changed from @before: move its count. */
static void account_shadow_leaf(struct machine *m, const struct inode *inode,
				uint64_t index, int before)
{
	int after = shadow_leaf_nid(inode, index);

	if (before == after)
		return;
	if (before >= 0)
		NODE_DATA(m, before)->vm_stat[WORKINGSET_NODES]--;
	if (after >= 0)
		NODE_DATA(m, after)->vm_stat[WORKINGSET_NODES]++;
}

/*
 * The page index is an xarray in the kernel: nodes of 64 slots
 * (XA_CHUNK_SHIFT 6) from the radix_tree_node cache, one for each
 * occupied run of 64 pages and one for each occupied run of 64 such
 * nodes above them, and so on.  Counted here over three levels (files up
 * to 64 GiB); the root's own slot is not told apart.  A slot is taken by
 * a page or by the shadow of one.
 */
#define XA_LEVELS 3

static int index_range_empty(const struct inode *inode, uint64_t start,
			     uint64_t n)
{
	uint64_t i = start, end = start + n;

	while (i < end) {
		uint64_t c = i / PAGE_INDEX_CHUNK;

		if (c >= inode->nr_chunks && c >= inode->nr_value_chunks)
			return 1;
		if (!index_chunk(inode, c) && !value_chunk(inode, c)) {
			i = (c + 1) * PAGE_INDEX_CHUNK;
			continue;
		}
		if (!slot_empty(inode, i))
			return 0;
		i++;
	}
	return 1;
}

/* The levels at which @index's run of slots holds no page. */
static unsigned int xa_empty_levels(const struct inode *inode, uint64_t index)
{
	unsigned int level, n = 0;

	for (level = 1; level <= XA_LEVELS; level++) {
		uint64_t span = 1ULL << (6 * level);

		if (!index_range_empty(inode, index & ~(span - 1), span))
			break;
		n++;
	}
	return n;
}

/* Nodes the index of @inode takes, counted afresh. */
static uint64_t xa_nodes(const struct inode *inode)
{
	uint64_t n = 0, c, i, last[XA_LEVELS + 1];
	unsigned int level;

	for (level = 1; level <= XA_LEVELS; level++)
		last[level] = UINT64_MAX;
	for (c = 0; c < inode->nr_chunks || c < inode->nr_value_chunks; c++) {
		if (!index_chunk(inode, c) && !value_chunk(inode, c))
			continue;
		for (i = 0; i < PAGE_INDEX_CHUNK; i++) {
			uint64_t index = c * PAGE_INDEX_CHUNK + i;

			if (slot_empty(inode, index))
				continue;
			for (level = 1; level <= XA_LEVELS; level++) {
				uint64_t run = index >> (6 * level);

				if (run != last[level]) {
					last[level] = run;
					n++;
				}
			}
		}
	}
	return n;
}

/* Whether the page cache of @inode is an xarray of nodes from the slab. */
static int inode_has_xa_nodes(const struct inode *inode)
{
	return inode->kind != INODE_HUGETLB_SHARED &&
	       inode->kind != INODE_HUGETLB_PRIVATE;
}

/*
 * The page cache's xarray is XA_FLAGS_ACCOUNT, so its nodes are charged
 * to whoever adds a page.  The model keeps one objcg an index: that of
 * the first accounted allocation while none of its nodes are charged;
 * later allocations join it, and freed nodes give back charged ones
 * first.
 */
static int xa_nodes_alloc(struct machine *m, struct inode *inode, uint64_t n,
			  int nid)
{
	int rc;

	if (!inode->xa_charged)
		inode->xa_objcg = current_obj_cgroup(m, nid);
	rc = kmem_cache_alloc_objcg(m, KMEM_RADIX_TREE_NODE, n, nid,
				    inode->xa_objcg);
	if (!rc && inode->xa_objcg != OBJCG_NONE)
		inode->xa_charged += n;
	if (!inode->xa_charged)
		inode->xa_objcg = OBJCG_NONE;
	return rc;
}

static void xa_nodes_free(struct machine *m, struct inode *inode, uint64_t n)
{
	uint64_t charged = n < inode->xa_charged ? n : inode->xa_charged;

	memcg_slab_uncharge(m, inode->xa_objcg, KMEM_RADIX_TREE_NODE, charged);
	kmem_cache_free_n(m, KMEM_RADIX_TREE_NODE, n);
	inode->xa_charged -= charged;
	if (!inode->xa_charged)
		inode->xa_objcg = OBJCG_NONE;
}

void inode_kmem_objects(struct inode *inode, kmem_owner_fn fn, void *arg)
{
	if (inode->icached) {
		fn(&inode->objcg, inode_cache_of(inode), 1, arg);
		if (inode_has_dentry(inode))
			fn(&inode->objcg, KMEM_DENTRY, 1, arg);
	}
	if (inode->xa_charged)
		fn(&inode->xa_objcg, KMEM_RADIX_TREE_NODE, inode->xa_charged,
		   arg);
}

/* The boot's dirty pages were dirtied too (nr_dirtied). */
static int count_boot_dirty(pfn_t pfn, const struct page *page, void *arg)
{
	struct machine *m = arg;

	if (page->state == PAGE_FILE && (page->flags & PG_dirty))
		pfn_zone(m, pfn)->zone_pgdat->vm_stat[NR_DIRTIED]++;
	return 0;
}

int filemap_boot_objects(struct machine *m)
{
	uint64_t n = 0;
	uint32_t ino;

	walk_pages(m, count_boot_dirty, m);
	for (ino = 1; ino < m->nr_inodes; ino++)
		if (m->inodes[ino] && inode_has_xa_nodes(m->inodes[ino]))
			n += xa_nodes(m->inodes[ino]);
	return kmem_cache_alloc_n(m, KMEM_RADIX_TREE_NODE, n, 0);
}

/*
 * shmem_swapin_folio() when readahead already brought the slot in: the
 * swap cache's page becomes the file's page at @index.
 */
static void shmem_take_swapcache(struct machine *m, struct inode *inode,
				 uint64_t index, pfn_t pfn)
{
	const struct page *page = pfn_to_page(m, pfn);
	struct page_use use = {.state = PAGE_SHMEM, .owner = inode->ino};

	delete_from_swap_cache(m, pfn);
	use.flags = page->flags & (PG_active | PG_referenced | PG_workingset);
	set_page_use(m, pfn, &use);
	pfn_to_page(m, pfn)->index = index;
}

/*
 * Allocate page @index of @inode and insert it in the index: zeroed, or
 * about to be overwritten whole.  A shmem page is charged to its mount.
 * A shmem page out in swap comes back instead, its charge never having
 * left: from the swap cache, or read from its slot, which is freed.
 */
static int add_to_page_cache(struct machine *m, struct inode *inode,
			     uint64_t index, int nid, int cpu, pfn_t *pfn)
{
	struct alloc_context ac = {
		.preferred_nid = nid,
		.highest_zoneidx = ZONE_MOVABLE,
		.migratetype = MIGRATE_MOVABLE,
		.alloc_flags = ALLOC_WMARK_LOW,
		.cpu = cpu,
	};
	struct page_use use = {.state = inode_page_state(inode),
			       .owner = inode->ino};
	uint64_t value = value_get(inode, index), shadow = value;
	int swapped = radix_is_swap(value);
	swp_entry_t entry = radix_to_swp_entry(value);
	unsigned int nodes;
	int leaf, rc;

	if (inode->kind == INODE_BDEV)
		use.flags |= PG_blockdev;
	if (use.state == PAGE_SHMEM && !swapped) {
		rc = shmem_charge(m, inode, 1);
		if (rc)
			return rc;
	}
	nodes = xa_empty_levels(inode, index);
	rc = xa_nodes_alloc(m, inode, nodes, nid);
	if (rc)
		goto out_uncharge;
	*pfn = swapped ? swap_cache_lookup(m, entry) : PFN_NONE;
	if (*pfn != PFN_NONE) {
		shmem_take_swapcache(m, inode, index, *pfn);
		shadow = SHADOW_NONE;
		swapped = 2; /* no read */
	} else {
		/* a page read back is charged to its slot's memcg */
		if (swapped)
			use.memcg = mem_cgroup_swapin_memcg(m, entry);
		rc = alloc_pages(m, 0, &ac, &use, pfn);
		if (rc)
			goto out_nodes;
		pfn_to_page(m, *pfn)->index = index;
		if (swapped) {
			shadow = swap_shadow(m, entry);
			count_memcg_page_event(m, *pfn, PSWPIN, 1);
		}
	}
	leaf = shadow_leaf_nid(inode, index);
	rc = page_cache_insert(inode, index, *pfn);
	if (rc) {
		free_pages(m, *pfn, 0);
		goto out_nodes;
	}
	/* the page takes its value's slot, and tells whether it is back */
	value_set(inode, index, VALUE_NONE);
	account_shadow_leaf(m, inode, index, leaf);
	workingset_refault(m, *pfn, shadow);
	if (swapped) {
		/* swap_read_folio(): waiting for a workingset page thrashes */
		if (swapped == 1 &&
		    (pfn_to_page(m, *pfn)->flags & PG_workingset))
			psi_memstall(m, PSI_READ_IO_NS);
		inode->swapped--;
		free_swap_and_cache(m, entry);
	}
	return 0;

out_nodes:
	xa_nodes_free(m, inode, nodes);
out_uncharge:
	if (use.state == PAGE_SHMEM && !swapped)
		shmem_uncharge(m, inode, 1);
	return rc;
}

int shmem_page_swapped(const struct inode *inode, uint64_t index)
{
	return radix_is_swap(value_get(inode, index));
}

int shmem_unuse(struct machine *m, int type)
{
	uint32_t ino;
	int rc;

	for (ino = 1; ino < m->nr_inodes; ino++) {
		struct inode *inode = m->inodes[ino];
		uint64_t index = 0, value;
		pfn_t pfn;

		if (!inode || !inode->swapped)
			continue;
		for (; (value = filemap_next_value(inode, &index)); index++) {
			if (!radix_is_swap(value) ||
			    (int)swp_type(radix_to_swp_entry(value)) != type)
				continue;
			rc = add_to_page_cache(m, inode, index,
					       m->cpu_to_node[0], 0, &pfn);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int shmem_swapin_reads(const struct machine *m, const struct inode *inode,
		       uint64_t index)
{
	uint64_t value = value_get(inode, index);

	return radix_is_swap(value) &&
	       swap_cache_lookup(m, radix_to_swp_entry(value)) == PFN_NONE;
}

/*
 * Bring page @index of @inode in: read from the disk for a file (pgpgin
 * counts 512-byte sectors), zeroed for shmem.
 */
int filemap_add_page(struct machine *m, struct inode *inode, uint64_t index,
		     int nid, int cpu, pfn_t *pfn)
{
	int rc = add_to_page_cache(m, inode, index, nid, cpu, pfn);

	if (!rc && inode_page_state(inode) == PAGE_FILE)
		count_vm_events(m, PGPGIN, PAGE_SIZE / 512);
	return rc;
}

uint64_t inode_pages(const struct inode *inode)
{
	return (inode->i_size + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

int page_cache_ra_window(struct machine *m, struct inode *inode, uint64_t start,
			 uint64_t nr, int nid, int cpu)
{
	uint64_t end = start + nr, i;
	int thrashing = 0, rc = 0;
	pfn_t pfn;

	if (end > inode_pages(inode))
		end = inode_pages(inode);
	for (i = start; i < end; i++) {
		if (find_get_page(inode, i) != PFN_NONE)
			continue;
		rc = filemap_add_page(m, inode, i, nid, cpu, &pfn);
		if (rc)
			break;
		thrashing |= !!(pfn_to_page(m, pfn)->flags & PG_workingset);
	}
	/* read_pages(): waiting to read back a workingset page is a stall */
	if (thrashing)
		psi_memstall(m, PSI_READ_IO_NS);
	return rc;
}

/*
 * __filemap_remove_folio(): the page leaves its file's index and is freed;
 * a dirty page's data is simply gone, as truncation discards it.
 */
static void delete_from_page_cache(struct machine *m, struct inode *inode,
				   pfn_t pfn, uint64_t shadow)
{
	const struct page *page = pfn_to_page(m, pfn);
	uint64_t index = page->index;
	int leaf = shadow_leaf_nid(inode, index);

	if (page->flags & PG_dirty)
		inode->nr_dirty--;
	if (page->state == PAGE_SHMEM)
		shmem_uncharge(m, inode, 1);
	page_cache_delete(inode, index);
	/* without room for the shadow, the page is simply forgotten */
	if (shadow != SHADOW_NONE)
		value_set(inode, index, shadow);
	xa_nodes_free(m, inode, xa_empty_levels(inode, index));
	account_shadow_leaf(m, inode, index, leaf);
	free_pages(m, pfn, 0);
}

void filemap_remove_page(struct machine *m, pfn_t pfn)
{
	struct inode *inode = inode_mut(m, pfn_to_page(m, pfn)->owner);

	if (inode)
		delete_from_page_cache(m, inode, pfn, SHADOW_NONE);
	else
		free_pages(m, pfn, 0);
}

void filemap_evict_page(struct machine *m, pfn_t pfn)
{
	struct inode *inode = inode_mut(m, pfn_to_page(m, pfn)->owner);

	if (inode)
		delete_from_page_cache(m, inode, pfn,
				       workingset_eviction(m, pfn));
	else
		free_pages(m, pfn, 0);
}

int shmem_replace_with_swap(struct machine *m, pfn_t pfn, swp_entry_t entry)
{
	const struct page *page = pfn_to_page(m, pfn);
	struct inode *inode = inode_mut(m, page->owner);
	uint64_t index = page->index;
	int rc;

	if (!inode || find_get_page(inode, index) != pfn)
		return -EINVAL;
	rc = value_set(inode, index, swp_to_radix_entry(entry));
	if (rc)
		return rc;
	page_cache_delete(inode, index);
	inode->swapped++;
	return 0;
}

/*
 * Slot @index gives up its value: a shadow is forgotten (clear_shadow_
 * entry()), a swap entry freed with the mount's charge for its page
 * (shmem_free_swap()).
 */
static void clear_value(struct machine *m, struct inode *inode, uint64_t index)
{
	uint64_t value = value_get(inode, index);
	int leaf = shadow_leaf_nid(inode, index);

	value_set(inode, index, VALUE_NONE);
	if (radix_is_swap(value)) {
		free_swap_and_cache(m, radix_to_swp_entry(value));
		inode->swapped--;
		shmem_uncharge(m, inode, 1);
	}
	xa_nodes_free(m, inode, xa_empty_levels(inode, index));
	account_shadow_leaf(m, inode, index, leaf);
}

/* Clear the values of @inode from index @start on; swap ones if @swap. */
static void clear_values_from(struct machine *m, struct inode *inode,
			      uint64_t start, int swap)
{
	uint64_t c, i;

	for (c = start / PAGE_INDEX_CHUNK;
	     c < inode->nr_value_chunks && inode->nr_values; c++) {
		if (!inode->values[c])
			continue;
		for (i = 0; i < PAGE_INDEX_CHUNK; i++) {
			uint64_t index = c * PAGE_INDEX_CHUNK + i;
			uint64_t value = inode->values[c][i];

			if (value != VALUE_NONE && index >= start &&
			    (swap || !radix_is_swap(value)))
				clear_value(m, inode, index);
		}
	}
}

int filemap_restore_value(struct machine *m, struct inode *inode,
			  uint64_t index, uint64_t value)
{
	int shmem = inode_page_state(inode) == PAGE_SHMEM;
	int rc;

	if (!inode_has_xa_nodes(inode) || !slot_empty(inode, index))
		return -EINVAL;
	if (shmem ? !swap_entry_valid(m, radix_to_swp_entry(value)) ||
			    !radix_is_swap(value)
		  : !workingset_shadow_valid(m, value))
		return -EINVAL;
	rc = value_set(inode, index, value);
	if (!rc && shmem)
		inode->swapped++;
	return rc;
}

uint64_t filemap_next_value(const struct inode *inode, uint64_t *index)
{
	uint64_t i;

	for (i = *index; i / PAGE_INDEX_CHUNK < inode->nr_value_chunks;) {
		uint64_t value;

		if (!inode->values[i / PAGE_INDEX_CHUNK]) {
			i = (i / PAGE_INDEX_CHUNK + 1) * PAGE_INDEX_CHUNK;
			continue;
		}
		value = value_get(inode, i);
		if (value != VALUE_NONE) {
			*index = i;
			return value;
		}
		i++;
	}
	return VALUE_NONE;
}

void filemap_clear_shadows(struct machine *m, struct inode *inode)
{
	clear_values_from(m, inode, 0, 0);
}

uint64_t filemap_shrink_shadow_nodes(struct machine *m, int nid,
				     uint64_t nr_to_scan)
{
	uint64_t freed = 0, c, leaf, i;
	uint32_t ino;

	for (ino = 1; ino < m->nr_inodes && freed < nr_to_scan; ino++) {
		struct inode *inode = m->inodes[ino];

		for (c = 0;
		     inode && c < inode->nr_value_chunks && freed < nr_to_scan;
		     c++) {
			if (!inode->values[c])
				continue;
			for (leaf = c * PAGE_INDEX_CHUNK;
			     leaf < (c + 1) * PAGE_INDEX_CHUNK &&
			     freed < nr_to_scan;
			     leaf += XA_CHUNK_SIZE) {
				if (shadow_leaf_nid(inode, leaf) != nid)
					continue;
				for (i = leaf; i < leaf + XA_CHUNK_SIZE; i++)
					if (value_get(inode, i) != VALUE_NONE)
						clear_value(m, inode, i);
				freed++;
			}
		}
	}
	return freed;
}

void truncate_inode_pages_range(struct machine *m, struct inode *inode,
				uint64_t start)
{
	uint64_t c, i;

	for (c = start / PAGE_INDEX_CHUNK; c < inode->nr_chunks; c++) {
		if (!inode->index[c])
			continue;
		for (i = 0; i < PAGE_INDEX_CHUNK; i++) {
			pfn_t pfn = inode->index[c][i];

			if (pfn != PFN_NONE &&
			    c * PAGE_INDEX_CHUNK + i >= start)
				delete_from_page_cache(m, inode, pfn,
						       SHADOW_NONE);
		}
	}
	clear_values_from(m, inode, start, 1);
}

void truncate_inode_pages(struct machine *m, struct inode *inode)
{
	truncate_inode_pages_range(m, inode, 0);
}

int page_in_file_index(const struct machine *m, const struct page *page)
{
	const struct inode *inode;

	if (page->state == PAGE_FILE || page->state == PAGE_SHMEM)
		return 1;
	if (page->state != PAGE_HUGETLB || !page->owner)
		return 0; /* a huge page free in the pool has no file */
	inode = inode_get(m, page->owner);
	return inode && inode->kind == INODE_HUGETLB_SHARED;
}

int inode_rebuild_index(struct machine *m, pfn_t pfn)
{
	const struct page *page = pfn_to_page(m, pfn);
	struct inode *inode = inode_mut(m, page->owner);

	if (!inode || find_get_page(inode, page->index) != PFN_NONE)
		return -EUCLEAN;
	return page_cache_insert(inode, page->index, pfn);
}

/*
 * mark_page_accessed(): a second reference to an inactive page moves it
 * to the active list.  PG_referenced shares its bit with PG_reclaimable,
 * which only slab pages use.
 */
void mark_page_accessed(struct machine *m, pfn_t pfn)
{
	struct page *page = pfn_to_page(m, pfn);
	struct page_use use = {.state = (enum page_state)page->state,
			       .flags = page->flags,
			       .owner = page->owner};

	if (page->flags & PG_active)
		return;
	if (!(page->flags & PG_referenced)) {
		use.flags |= PG_referenced;
		set_page_use(m, pfn, &use);
		return;
	}
	use.flags = (uint16_t)((use.flags & ~PG_referenced) | PG_active);
	set_page_use(m, pfn, &use);
	count_memcg_page_event(m, pfn, PGACTIVATE, 1);
	workingset_activation(m, pfn);
}

/*
 * get_init_ra_size(): the first readahead window of a read of @req
 * pages: small reads get four times as much, larger ones twice, up to
 * read_ahead_kb.
 */
static uint64_t init_ra_size(uint64_t req)
{
	uint64_t size = 1;

	while (size < req)
		size <<= 1;
	if (size <= VM_READAHEAD_PAGES / 32)
		return size * 4;
	if (size <= VM_READAHEAD_PAGES / 4)
		return size * 2;
	return VM_READAHEAD_PAGES;
}

/* The byte range [@pos, @pos + @len) as page indexes [*first, *end). */
static void byte_range_pages(uint64_t pos, uint64_t len, uint64_t *first,
			     uint64_t *end)
{
	*first = pos >> PAGE_SHIFT;
	*end = (pos + len + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/*
 * filemap_read(): read(2) of [@pos, @pos + @len) through the page cache.
 * Missing pages of a disk file are read with the on-demand readahead
 * window beyond what was asked; a tmpfs hole reads as zeroes and stays
 * a hole.  Pages found are marked accessed.  Returns the pages read from
 * the disk, or a negative errno.
 */
int64_t filemap_read(struct machine *m, struct inode *inode, uint64_t pos,
		     uint64_t len, int cpu, int pid)
{
	int nid = m->cpu_to_node[cpu];
	uint64_t first, end, i, before, read = 0;
	int rc;

	if (pos >= inode->i_size || !len)
		return 0;
	if (len > inode->i_size - pos)
		len = inode->i_size - pos;
	byte_range_pages(pos, len, &first, &end);
	for (i = first; i < end; i++) {
		pfn_t pfn = find_get_page(inode, i);

		if (pfn != PFN_NONE) {
			mark_page_accessed(m, pfn);
			continue;
		}
		if (inode_page_state(inode) != PAGE_FILE) {
			/* shmem_get_folio(SGP_READ): swapped data comes back */
			if (!shmem_page_swapped(inode, i))
				continue;
			rc = reclaim_or_oom(m, nid, pid, OOM_FILE_READ);
			if (!rc)
				rc = add_to_page_cache(m, inode, i, nid, cpu,
						       &pfn);
			if (rc)
				return rc;
			continue;
		}
		rc = reclaim_or_oom(m, nid, pid, OOM_FILE_READ);
		if (rc)
			return rc;
		/*
		 * A window at a time: the next after the safe point above,
		 * whose reclaim may take earlier pages of this very file.
		 */
		before = inode->nrpages;
		rc = page_cache_ra_window(m, inode, i, init_ra_size(end - i),
					  nid, cpu);
		if (rc)
			return rc;
		read += inode->nrpages - before;
	}
	return (int64_t)read;
}

/*
 * generic_perform_write(): write(2) of [@pos, @pos + @len).  A page only
 * partly overwritten that holds data is read first; a whole-page write
 * needs no read.  Disk pages become dirty; tmpfs pages are the data
 * itself, charged to their mount (-ENOSPC past its size).
 */
int filemap_write(struct machine *m, struct inode *inode, uint64_t pos,
		  uint64_t len, int cpu, int pid)
{
	int nid = m->cpu_to_node[cpu];
	uint64_t first, end, i, old_size = inode->i_size;
	enum oom_origin origin = inode_page_state(inode) == PAGE_SHMEM
					 ? OOM_SHMEM_WRITE
					 : OOM_FILE_WRITE;
	int rc;

	if (!len)
		return 0;
	byte_range_pages(pos, len, &first, &end);
	if (pos + len > inode->i_size)
		inode->i_size = pos + len;
	for (i = first; i < end; i++) {
		uint64_t from = i << PAGE_SHIFT, to = from + PAGE_SIZE;
		int partial = pos > from || pos + len < to;
		pfn_t pfn = find_get_page(inode, i);

		if (pfn == PFN_NONE) {
			rc = reclaim_or_oom(m, nid, pid, origin);
			if (rc)
				return rc;
			/* only old data under a partial write is read first */
			rc = partial && from < old_size
				     ? filemap_add_page(m, inode, i, nid, cpu,
							&pfn)
				     : add_to_page_cache(m, inode, i, nid, cpu,
							 &pfn);
			if (rc)
				return rc;
		}
		mark_page_accessed(m, pfn);
		if (inode_page_state(inode) == PAGE_FILE)
			folio_mark_dirty(m, pfn);
	}
	return balance_dirty_pages(m);
}

/*
 * What the frames determine and the inodes keep for speed: each inode's
 * dirty count and each tmpfs mount's pages.
 */
struct file_tally {
	uint64_t *dirty; /* by inode */
	uint64_t blocks[MAX_TMPFS_MOUNTS];
};

static int tally_dirty_page(pfn_t pfn, const struct page *page, void *arg)
{
	struct file_tally *t = arg;

	(void)pfn;
	if (page->state == PAGE_FILE && (page->flags & PG_dirty))
		t->dirty[page->owner]++;
	return 0;
}

static int tally_files(const struct machine *m, struct file_tally *t)
{
	uint32_t ino;

	memset(t, 0, sizeof(*t));
	t->dirty = calloc(m->nr_inodes + 1, sizeof(*t->dirty));
	if (!t->dirty)
		return -ENOMEM;
	walk_pages(m, tally_dirty_page, t);
	for (ino = 1; ino < m->nr_inodes; ino++) {
		const struct inode *inode = m->inodes[ino];

		if (inode && inode_page_state(inode) == PAGE_SHMEM &&
		    inode->kind != INODE_HUGETLB_SHARED &&
		    inode->kind != INODE_HUGETLB_PRIVATE)
			t->blocks[inode->sb] += inode->nrpages + inode->swapped;
	}
	return 0;
}

int filemap_recount(struct machine *m)
{
	struct file_tally t;
	uint32_t ino;
	int sb, rc;

	rc = tally_files(m, &t);
	if (rc)
		return rc;
	for (ino = 1; ino < m->nr_inodes; ino++) {
		struct inode *inode = m->inodes[ino];

		if (!inode)
			continue;
		inode->nr_dirty = t.dirty[ino];
		if (inode->nr_dirty && !inode->dirtied_when)
			inode->dirtied_when = m->clock_ns;
	}
	for (sb = 0; sb < m->nr_tmpfs; sb++)
		m->tmpfs[sb].used_blocks = t.blocks[sb];
	free(t.dirty);
	return 0;
}

/* Objects of @id that neither the boot nor the slab operation hold. */
static uint64_t model_objects(const struct machine *m, enum kmem_cache_id id)
{
	const struct kmem_cache *c = kmem_cache_state(m, id);

	return c->inuse - c->boot_pinned - c->boot_unused - c->manual;
}

/*
 * The inode, dentry and xarray node objects in the slab caches are the
 * ones the files in memory hold.
 */
static int check_file_objects(const struct machine *m, char *why, size_t size)
{
	static const enum kmem_cache_id ids[] = {
		KMEM_EXT4_INODE_CACHE, KMEM_SHMEM_INODE_CACHE,
		KMEM_BDEV_CACHE,       KMEM_HUGETLBFS_INODE_CACHE,
		KMEM_DENTRY,	       KMEM_RADIX_TREE_NODE};
	uint64_t want[6] = {0};
	uint32_t ino;
	size_t i;

	for (ino = 1; ino < m->nr_inodes; ino++) {
		const struct inode *inode = m->inodes[ino];

		if (!inode)
			continue;
		if (inode_has_xa_nodes(inode))
			want[5] += xa_nodes(inode);
		/* charged nodes are some of the index's, all to one objcg */
		if ((inode->xa_charged &&
		     (!inode_has_xa_nodes(inode) ||
		      inode->xa_charged > xa_nodes(inode))) ||
		    !inode->xa_charged != (inode->xa_objcg == OBJCG_NONE) ||
		    (!inode->icached && inode->objcg != OBJCG_NONE)) {
			snprintf(why, size,
				 "file %s: %llu index nodes charged to "
				 "objcg %#x, inode objcg %#x",
				 inode->path,
				 (unsigned long long)inode->xa_charged,
				 inode->xa_objcg, inode->objcg);
			return -EUCLEAN;
		}
		if (!inode->icached)
			continue;
		for (i = 0; i < 4; i++)
			want[i] += inode_cache_of(inode) == ids[i];
		want[4] += (uint64_t)inode_has_dentry(inode);
	}
	for (i = 0; i < 6; i++) {
		if (model_objects(m, ids[i]) == want[i])
			continue;
		snprintf(why, size,
			 "%s: %llu objects held for files, the files hold "
			 "%llu",
			 kmem_cache_name(ids[i]),
			 (unsigned long long)model_objects(m, ids[i]),
			 (unsigned long long)want[i]);
		return -EUCLEAN;
	}
	return 0;
}

/*
 * Every inode's counts are its values and the swap entries among them,
 * and each node's workingset_nodes the leaves that hold shadows and no
 * page.
 */
static int check_shadows(const struct machine *m, char *why, size_t size)
{
	uint64_t leaves[MAX_NUMNODES] = {0};
	uint32_t ino;
	int nid;

	for (ino = 1; ino < m->nr_inodes; ino++) {
		const struct inode *inode = m->inodes[ino];
		uint64_t index = 0, n = 0, swap = 0, leaf = UINT64_MAX, value;

		if (!inode)
			continue;
		for (;
		     (value = filemap_next_value(inode, &index)) != VALUE_NONE;
		     index++) {
			n++;
			swap += radix_is_swap(value);
			if (index / XA_CHUNK_SIZE == leaf)
				continue;
			leaf = index / XA_CHUNK_SIZE;
			nid = shadow_leaf_nid(inode, index);
			if (nid >= 0)
				leaves[nid]++;
		}
		if (n != inode->nr_values || swap != inode->swapped) {
			snprintf(why, size,
				 "%s: %llu values and %llu pages in swap "
				 "counted, its index holds %llu and %llu",
				 inode->path,
				 (unsigned long long)inode->nr_values,
				 (unsigned long long)inode->swapped,
				 (unsigned long long)n,
				 (unsigned long long)swap);
			return -EUCLEAN;
		}
	}
	for_each_online_node (nid, m) {
		const pg_data_t *pgdat = NODE_DATA(m, nid);

		if ((uint64_t)pgdat->vm_stat[WORKINGSET_NODES] == leaves[nid])
			continue;
		snprintf(why, size,
			 "node %d: workingset_nodes is %lld, %llu index nodes "
			 "hold only shadows",
			 nid, (long long)pgdat->vm_stat[WORKINGSET_NODES],
			 (unsigned long long)leaves[nid]);
		return -EUCLEAN;
	}
	return 0;
}

int check_filemap_accounting(const struct machine *m, char *why, size_t size)
{
	struct file_tally t;
	uint32_t ino;
	int sb, rc;

	rc = tally_files(m, &t);
	if (rc)
		return rc;
	for (ino = 1; ino < m->nr_inodes && !rc; ino++) {
		const struct inode *inode = m->inodes[ino];

		if (inode && inode->nr_dirty != t.dirty[ino]) {
			snprintf(
				why, size,
				"%s: %llu pages counted dirty, %llu frames are",
				inode->path,
				(unsigned long long)inode->nr_dirty,
				(unsigned long long)t.dirty[ino]);
			rc = -EUCLEAN;
		}
	}
	rc = rc ?: check_file_objects(m, why, size);
	rc = rc ?: check_shadows(m, why, size);
	for (sb = 0; sb < m->nr_tmpfs && !rc; sb++) {
		if (m->tmpfs[sb].used_blocks != t.blocks[sb]) {
			snprintf(why, size,
				 "tmpfs %s: %llu pages charged, its files "
				 "hold %llu",
				 m->tmpfs[sb].path[0] ? m->tmpfs[sb].path
						      : "(internal)",
				 (unsigned long long)m->tmpfs[sb].used_blocks,
				 (unsigned long long)t.blocks[sb]);
			rc = -EUCLEAN;
		}
	}
	free(t.dirty);
	return rc;
}
