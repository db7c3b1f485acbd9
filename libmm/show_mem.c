// SPDX-License-Identifier: GPL-2.0
/*
 * Machine-wide memory figures, after mm/show_mem.c and mm/util.c: each is
 * a sum over zones or tasks of what the frames and tasks hold.
 */
#include "hugetlb.h"
#include "machine.h"

static uint64_t sum_zone_states(const struct machine *m, enum page_state state)
{
	uint64_t sum = 0;
	int nid, i;

	for_each_online_node (nid, m)
		for (i = 0; i < MAX_NR_ZONES; i++)
			sum += NODE_DATA(m, nid)
				       ->node_zones[i]
				       .nr_state_pages[state];
	return sum;
}

uint64_t totalram_pages(const struct machine *m)
{
	uint64_t sum = 0;
	int nid, i;

	for_each_online_node (nid, m)
		for (i = 0; i < MAX_NR_ZONES; i++)
			sum += NODE_DATA(m, nid)->node_zones[i].managed_pages;
	return sum;
}

/*
 * The swap partition given at create, as swapon would take it: the first
 * page holds the swap header and is not usable.
 */
uint64_t total_swap_pages(const struct machine *m)
{
	uint64_t pages = m->params.swap_bytes >> PAGE_SHIFT;

	return pages ? pages - 1 : 0;
}

uint64_t nr_free_swap_pages(const struct machine *m)
{
	/* nothing is swapped out until reclaim exists */
	return total_swap_pages(m);
}

/* vmalloc'ed memory: the vmalloc area and the tasks' vmap'ed stacks. */
uint64_t vmalloc_nr_pages(const struct machine *m)
{
	return sum_zone_states(m, PAGE_VMALLOC) +
	       sum_zone_states(m, PAGE_KSTACK);
}

uint64_t pcpu_nr_pages(const struct machine *m)
{
	return m->pcpu_first_chunk_pages + sum_zone_states(m, PAGE_PERCPU);
}

uint64_t nr_blockdev_pages(const struct machine *m)
{
	uint64_t sum = 0;
	int nid, i;

	for_each_online_node (nid, m)
		for (i = 0; i < MAX_NR_ZONES; i++)
			sum += NODE_DATA(m, nid)
				       ->node_zones[i]
				       .nr_blockdev_pages;
	return sum;
}

int64_t si_mem_available(const struct machine *m)
{
	int64_t available, pagecache, reclaimable, wmark_low = 0;
	int nid, i;

	for_each_online_node (nid, m)
		for (i = 0; i < MAX_NR_ZONES; i++)
			wmark_low += (int64_t)low_wmark_pages(
				&NODE_DATA(m, nid)->node_zones[i]);
	available = global_zone_page_state(m, NR_FREE_PAGES) -
		    (int64_t)m->totalreserve_pages;
	pagecache = global_node_page_state(m, NR_ACTIVE_FILE) +
		    global_node_page_state(m, NR_INACTIVE_FILE);
	pagecache -= pagecache / 2 < wmark_low ? pagecache / 2 : wmark_low;
	available += pagecache;
	reclaimable = global_node_page_state_pages(m, NR_SLAB_RECLAIMABLE_B) +
		      global_node_page_state(m, NR_KERNEL_MISC_RECLAIMABLE);
	reclaimable -=
		reclaimable / 2 < wmark_low ? reclaimable / 2 : wmark_low;
	available += reclaimable;
	return available < 0 ? 0 : available;
}

uint64_t vm_commit_limit(const struct machine *m)
{
	const struct vm_sysctl *vm = &m->sysctl;
	uint64_t allowed;

	if (vm->overcommit_kbytes)
		allowed = (uint64_t)vm->overcommit_kbytes >> (PAGE_SHIFT - 10);
	else
		allowed = (totalram_pages(m) - hugetlb_total_pages(m)) *
			  (uint64_t)vm->overcommit_ratio / 100;
	return allowed + total_swap_pages(m);
}

/* Every private writable mapping charges its size (VM_ACCOUNT). */
uint64_t vm_committed_as(const struct machine *m)
{
	return m->vm_committed_as;
}
