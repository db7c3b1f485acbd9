// SPDX-License-Identifier: GPL-2.0
#include "hugetlb.h"
#include "machine.h"
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

uint64_t hugetlb_free_huge_pages(const struct machine *m, int nid)
{
	return hugetlb_nr_huge_pages(m, nid);
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
		if (grow && full[nid])
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

	if (b->state != PAGE_HUGETLB)
		return 0;
	*pfn = b->pfn;
	return 1;
}

/* Give back one free huge page of @nid: the highest zone's first. */
static void free_pool_huge_page(struct machine *m, int nid)
{
	pfn_t pfn = PFN_NONE;
	int i;

	for (i = MAX_NR_ZONES - 1; i >= 0 && pfn == PFN_NONE; i--)
		walk_zone_blocks(m, &NODE_DATA(m, nid)->node_zones[i],
				 find_huge_page, &pfn);
	if (pfn != PFN_NONE)
		free_pages(m, pfn, HUGETLB_ORDER);
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
	while (hugetlb_nr_huge_pages(m, -1) > count) {
		nid = pick_node(m, 0, full);
		if (nid < 0)
			break;
		free_pool_huge_page(m, nid);
	}
}
