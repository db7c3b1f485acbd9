// SPDX-License-Identifier: GPL-2.0
/*
 * The page cache (mm/filemap.c): the inode table, each inode's index of
 * cached pages, reading pages in (with readahead) and dropping them.
 * The frames are the truth: a cached page is a PAGE_FILE or PAGE_SHMEM
 * frame whose owner is the inode and whose index is its offset, and the
 * per-inode index is rebuilt from them when a checkpoint is loaded.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "filemap_internal.h"
#include "machine.h"
#include "page_alloc.h"
#include "vmstat.h"

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

int inode_create(struct machine *m, const char *path, uint64_t size,
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
		inode->dev = SHM_DEV;
		inode->i_ino = 1024 + inode->ino;
	}
	m->inodes[m->nr_inodes++] = inode;
	*out = inode;
	return 0;
}

static void inode_release(struct inode *inode)
{
	uint64_t i;

	for (i = 0; i < inode->nr_chunks; i++)
		free(inode->index[i]);
	free(inode->index);
	free(inode->path);
	free(inode);
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

/*
 * Allocate and insert page @index of @inode: read from the disk for a
 * file (pgpgin counts 512-byte sectors), zeroed for shmem.
 */
int filemap_add_page(struct machine *m, struct inode *inode, uint64_t index,
		     int nid, int cpu, pfn_t *pfn)
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
	int rc;

	if (inode->kind == INODE_BDEV)
		use.flags |= PG_blockdev;
	rc = alloc_pages(m, 0, &ac, &use, pfn);
	if (rc)
		return rc;
	pfn_to_page(m, *pfn)->index = (uint32_t)index;
	rc = page_cache_insert(inode, index, *pfn);
	if (rc) {
		free_pages(m, *pfn, 0);
		return rc;
	}
	if (use.state == PAGE_FILE)
		count_vm_events(m, PGPGIN, PAGE_SIZE / 512);
	return 0;
}

uint64_t inode_pages(const struct inode *inode)
{
	return (inode->i_size + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

int page_cache_ra_window(struct machine *m, struct inode *inode, uint64_t start,
			 uint64_t nr, int nid, int cpu)
{
	uint64_t end = start + nr, i;
	pfn_t pfn;
	int rc;

	if (end > inode_pages(inode))
		end = inode_pages(inode);
	for (i = start; i < end; i++) {
		if (find_get_page(inode, i) != PFN_NONE)
			continue;
		rc = filemap_add_page(m, inode, i, nid, cpu, &pfn);
		if (rc)
			return rc;
	}
	return 0;
}

void filemap_remove_page(struct machine *m, pfn_t pfn)
{
	const struct page *page = pfn_to_page(m, pfn);
	struct inode *inode = inode_mut(m, page->owner);

	if (inode)
		page_cache_delete(inode, page->index);
	free_pages(m, pfn, 0);
}

void truncate_inode_pages(struct machine *m, struct inode *inode)
{
	uint64_t c, i;

	for (c = 0; c < inode->nr_chunks; c++) {
		if (!inode->index[c])
			continue;
		for (i = 0; i < PAGE_INDEX_CHUNK; i++) {
			pfn_t pfn = inode->index[c][i];

			if (pfn == PFN_NONE)
				continue;
			inode->index[c][i] = PFN_NONE;
			inode->nrpages--;
			free_pages(m, pfn, 0);
		}
	}
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
