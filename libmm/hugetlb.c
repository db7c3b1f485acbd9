// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <string.h>

#include "filemap_internal.h"
#include "hugetlb.h"
#include "machine.h"
#include "mm_internal.h"
#include "page_alloc.h"

uint64_t hugetlb_nr_huge_pages(const struct machine *m, int nid)
{
	uint64_t pages = 0;
	int n, i;

	for_each_online_node (n, m) {
		if (nid >= 0 && n != nid)
			continue;
		for (i = 0; i < MAX_NR_ZONES; i++)
			pages += NODE_DATA(m, n)
					 ->node_zones[i]
					 .nr_state_pages[PAGE_HUGETLB];
	}
	return pages >> HUGETLB_ORDER;
}

static int count_free_huge(const struct block_info *b, void *arg)
{
	uint64_t *n = arg;

	if (b->state == PAGE_HUGETLB && !b->owner)
		(*n)++;
	return 0;
}

uint64_t hugetlb_free_huge_pages(const struct machine *m, int nid)
{
	uint64_t n = 0;
	int node, i;

	if (!hugetlb_nr_huge_pages(m, nid))
		return 0;
	for_each_online_node (node, m)
		for (i = 0; i < MAX_NR_ZONES; i++)
			if (nid < 0 || node == nid)
				walk_zone_blocks(
					m, &NODE_DATA(m, node)->node_zones[i],
					count_free_huge, &n);
	return n;
}

uint64_t hugetlb_resv_huge_pages(const struct machine *m)
{
	return m->hugetlb_resv;
}

int hugetlb_reserve(struct machine *m, uint64_t n)
{
	if (hugetlb_free_huge_pages(m, -1) < m->hugetlb_resv + n)
		return -ENOMEM;
	m->hugetlb_resv += n;
	return 0;
}

void hugetlb_unreserve(struct machine *m, uint64_t n)
{
	m->hugetlb_resv -= n < m->hugetlb_resv ? n : m->hugetlb_resv;
}

struct find_free_huge {
	pfn_t pfn;
};

static int first_free_huge(const struct block_info *b, void *arg)
{
	struct find_free_huge *f = arg;

	if (b->state != PAGE_HUGETLB || b->owner)
		return 0;
	f->pfn = b->pfn;
	return 1;
}

int alloc_hugetlb_page(struct machine *m, int nid, uint32_t owner, int reserved,
		       uint64_t *pfn)
{
	struct find_free_huge f = {.pfn = PFN_NONE};
	struct page_use use = {.state = PAGE_HUGETLB, .owner = owner};
	int k, i;

	if (!reserved && hugetlb_free_huge_pages(m, -1) <= m->hugetlb_resv)
		return -ENOMEM;
	/* the local node first, then the others in order */
	for (k = 0; k < m->nr_node_ids && f.pfn == PFN_NONE; k++) {
		int node = (nid + k) % m->nr_node_ids;

		for (i = 0; i < MAX_NR_ZONES && f.pfn == PFN_NONE; i++)
			walk_zone_blocks(m, &NODE_DATA(m, node)->node_zones[i],
					 first_free_huge, &f);
	}
	if (f.pfn == PFN_NONE)
		return -ENOMEM;
	if (reserved)
		hugetlb_unreserve(m, 1);
	set_page_use(m, f.pfn, &use);
	pfn_to_page(m, f.pfn)->mapcount = 0;
	*pfn = f.pfn;
	return 0;
}

void free_hugetlb_page(struct machine *m, uint64_t pfn)
{
	struct page_use use = {.state = PAGE_HUGETLB};

	set_page_use(m, (pfn_t)pfn, &use);
	pfn_to_page(m, (pfn_t)pfn)->index = 0;
	pfn_to_page(m, (pfn_t)pfn)->mapcount = 0;
}

uint64_t hugetlb_total_pages(const struct machine *m)
{
	return hugetlb_nr_huge_pages(m, -1) << HUGETLB_ORDER;
}

/* The node that should get (@grow) or give up the next huge page. */
static int pick_node(const struct machine *m, int grow, const int *full)
{
	int nid, best = -1;
	uint64_t best_pages = 0, pages;

	for_each_online_node (nid, m) {
		if (full[nid])
			continue;
		pages = hugetlb_nr_huge_pages(m, nid);
		if (!grow && !pages)
			continue;
		if (best < 0 ||
		    (grow ? pages < best_pages : pages >= best_pages)) {
			best = nid;
			best_pages = pages;
		}
	}
	return best;
}

/* alloc_pool_huge_folio(): GFP_HIGHUSER | __GFP_THISNODE | __GFP_RETRY_MAYFAIL
 */
static int alloc_pool_huge_page(struct machine *m, int nid)
{
	struct alloc_context ac = {
		.preferred_nid = nid,
		.highest_zoneidx = ZONE_NORMAL,
		.migratetype = MIGRATE_UNMOVABLE,
		.alloc_flags = ALLOC_WMARK_LOW | ALLOC_THISNODE,
	};
	struct page_use use = {.state = PAGE_HUGETLB};
	pfn_t pfn;
	int rc;

	while (m->cpu_to_node[ac.cpu] != nid)
		ac.cpu++;
	rc = alloc_pages(m, HUGETLB_ORDER, &ac, &use, &pfn);
	count_vm_event(m, rc ? HTLB_BUDDY_PGALLOC_FAIL : HTLB_BUDDY_PGALLOC);
	return rc;
}

static int find_huge_page(const struct block_info *b, void *arg)
{
	pfn_t *pfn = arg;

	if (b->state != PAGE_HUGETLB || b->owner)
		return 0;
	*pfn = b->pfn;
	return 1;
}

/* Give back one free huge page of @nid: the highest zone's first. */
static int free_pool_huge_page(struct machine *m, int nid)
{
	pfn_t pfn = PFN_NONE;
	int i;

	for (i = MAX_NR_ZONES - 1; i >= 0 && pfn == PFN_NONE; i--)
		walk_zone_blocks(m, &NODE_DATA(m, nid)->node_zones[i],
				 find_huge_page, &pfn);
	if (pfn == PFN_NONE)
		return 0;
	free_pages(m, pfn, HUGETLB_ORDER);
	return 1;
}

void set_max_huge_pages(struct machine *m, uint64_t count)
{
	int full[MAX_NUMNODES] = {0};
	int nid;

	while (hugetlb_nr_huge_pages(m, -1) < count) {
		nid = pick_node(m, 1, full);
		if (nid < 0)
			break;
		if (alloc_pool_huge_page(m, nid))
			full[nid] = 1;
	}
	/* only free pages can go, and not those reserved */
	memset(full, 0, sizeof(full));
	while (hugetlb_nr_huge_pages(m, -1) > count &&
	       hugetlb_free_huge_pages(m, -1) > m->hugetlb_resv) {
		nid = pick_node(m, 0, full);
		if (nid < 0)
			break;
		if (!free_pool_huge_page(m, nid))
			full[nid] = 1;
	}
}

/* ---- hugetlb mappings ---- */

static uint64_t vma_hpage_index(const struct vm_area_struct *vma,
				uint64_t haddr)
{
	return (vma->vm_pgoff >> HUGETLB_ORDER) +
	       ((haddr - vma->vm_start) >> PMD_SHIFT);
}

int hugetlb_fault(struct machine *m, struct task_struct *t,
		  struct vm_area_struct *vma, uint64_t addr, unsigned int flags)
{
	uint64_t haddr = addr & ~(PMD_SIZE - 1), entry, pfn;
	int write = flags & FAULT_FLAG_WRITE, nid = m->cpu_to_node[t->cpu];
	struct inode *inode = inode_mut(m, vma->ino);
	struct pt_table *pmd;
	unsigned int i = pmd_index(addr);
	struct page *page;
	int rc;

	rc = pmd_table_alloc(m, t->mm, haddr, t->cpu, &pmd);
	if (rc)
		return rc;
	entry = pmd->entry[i];
	if (entry) {
		if (!write || (entry & _PAGE_RW))
			return 0;
		page = pfn_to_page(m, pte_pfn(entry));
		if ((vma->vm_flags & VM_SHARED) || page->mapcount == 1) {
			pmd->entry[i] |=
				_PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED;
			return 0;
		}
		/* hugetlb_wp(): a private copy, from the pool */
		rc = alloc_hugetlb_page(m, nid, vma->ino, 0, &pfn);
		if (rc)
			return -EFAULT; /* SIGBUS: the pool is empty */
		page->mapcount--;
		pfn_to_page(m, (pfn_t)pfn)->index =
			(uint32_t)(haddr >> PAGE_SHIFT);
		pfn_to_page(m, (pfn_t)pfn)->mapcount = 1;
		pmd->entry[i] = mk_pte((pfn_t)pfn, vma->vm_flags) | _PAGE_PSE |
				_PAGE_RW | _PAGE_DIRTY;
		return 0;
	}
	if (vma->vm_flags & VM_SHARED) {
		uint64_t idx = vma_hpage_index(vma, haddr);

		pfn = find_get_page(inode, idx);
		if (pfn == PFN_NONE) {
			int reserved = inode->hugetlb_resv > 0;

			if (alloc_hugetlb_page(m, nid, inode->ino, reserved,
					       &pfn))
				return -EFAULT;
			if (reserved)
				inode->hugetlb_resv--;
			pfn_to_page(m, (pfn_t)pfn)->index = (uint32_t)idx;
			rc = page_cache_insert(inode, idx, (pfn_t)pfn);
			if (rc)
				return rc;
		}
	} else {
		if (alloc_hugetlb_page(m, nid, inode->ino, vma->resv_owner,
				       &pfn))
			return -EFAULT;
		pfn_to_page(m, (pfn_t)pfn)->index =
			(uint32_t)(haddr >> PAGE_SHIFT);
	}
	entry = mk_pte((pfn_t)pfn, vma->vm_flags) | _PAGE_PSE;
	if (vma->vm_flags & VM_WRITE)
		entry |= _PAGE_RW;
	if (write)
		entry |= _PAGE_DIRTY;
	set_pte(pmd, i, entry);
	pfn_to_page(m, (pfn_t)pfn)->mapcount++;
	return 0;
}

uint64_t hugetlb_zap(struct machine *m, struct mm_struct *mm,
		     const struct vm_area_struct *vma, uint64_t start,
		     uint64_t end)
{
	uint64_t addr, nr = 0, unused = 0;

	for (addr = start & ~(PMD_SIZE - 1); addr < end; addr += PMD_SIZE) {
		struct pt_table *pmd = pmd_table(mm, addr);
		unsigned int i = pmd_index(addr);
		struct page *page;
		pfn_t pfn;

		if (!pmd || !pmd->entry[i]) {
			unused++;
			continue;
		}
		pfn = pte_pfn(pmd->entry[i]);
		set_pte(pmd, i, 0);
		nr++;
		page = pfn_to_page(m, pfn);
		if (!--page->mapcount && !(vma->vm_flags & VM_SHARED))
			free_hugetlb_page(m, pfn);
	}
	/* what a private mapping reserved and never used goes back */
	if (vma->resv_owner && !(vma->vm_flags & VM_SHARED))
		hugetlb_unreserve(m, unused);
	return nr;
}

int copy_hugetlb_page_range(struct machine *m, struct mm_struct *dst,
			    struct mm_struct *src,
			    const struct vm_area_struct *vma, int cpu)
{
	int cow = !(vma->vm_flags & VM_SHARED);
	uint64_t addr;
	int rc;

	for (addr = vma->vm_start; addr < vma->vm_end; addr += PMD_SIZE) {
		struct pt_table *spmd = pmd_table(src, addr), *dpmd;
		unsigned int i = pmd_index(addr);

		if (!spmd || !spmd->entry[i])
			continue;
		rc = pmd_table_alloc(m, dst, addr, cpu, &dpmd);
		if (rc)
			return rc;
		if (cow)
			spmd->entry[i] &= ~_PAGE_RW;
		set_pte(dpmd, i, spmd->entry[i] & ~_PAGE_ACCESSED);
		pfn_to_page(m, pte_pfn(spmd->entry[i]))->mapcount++;
	}
	return 0;
}

void hugetlbfs_evict_inode(struct machine *m, struct inode *inode)
{
	uint64_t c, i;

	for (c = 0; c < inode->nr_chunks; c++) {
		if (!inode->index[c])
			continue;
		for (i = 0; i < PAGE_INDEX_CHUNK; i++) {
			if (inode->index[c][i] == PFN_NONE)
				continue;
			free_hugetlb_page(m, inode->index[c][i]);
			inode->index[c][i] = PFN_NONE;
			inode->nrpages--;
		}
	}
	hugetlb_unreserve(m, inode->hugetlb_resv);
	inode->hugetlb_resv = 0;
}
