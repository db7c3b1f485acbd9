// SPDX-License-Identifier: GPL-2.0
/*
 * Machine-wide memory figures, after mm/show_mem.c and mm/util.c: each is
 * a sum over zones or tasks of what the frames and tasks hold.
 */
#include "hugetlb.h"
#include "machine.h"
#include "oom.h"

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

/* vmalloc'ed memory: the vmalloc area and the tasks' vmap'ed stacks. */
uint64_t vmalloc_nr_pages(const struct machine *m)
{
	return sum_zone_states(m, PAGE_VMALLOC) +
	       sum_zone_states(m, PAGE_KSTACK);
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

/* K(): pages to KiB */
static uint64_t K(uint64_t pages)
{
	return pages << (PAGE_SHIFT - 10);
}

/* The kernel's readers clamp a counter caught below zero to 0. */
static uint64_t nonneg(int64_t v)
{
	return v < 0 ? 0 : (uint64_t)v;
}

static uint64_t node_pages(const pg_data_t *pgdat, enum node_stat_item item)
{
	return nonneg(node_page_state_pages(pgdat, item));
}

static uint64_t zone_pages(const struct zone *zone, enum zone_stat_item item)
{
	return nonneg(zone_page_state(zone, item));
}

/* Pages on the per-cpu lists of @zone: all CPUs', or @cpu's alone. */
static uint64_t zone_pcp_pages(const struct machine *m, const struct zone *zone,
			       int cpu)
{
	uint64_t sum = 0;
	int i;

	if (cpu >= 0)
		return (uint64_t)zone->pcp[cpu].count;
	for (i = 0; i < m->nr_cpu_ids; i++)
		sum += (uint64_t)zone->pcp[i].count;
	return sum;
}

/* Free pages in blocks on the free lists of migrate type @mt. */
static uint64_t zone_free_of_type(const struct zone *zone, enum migratetype mt)
{
	uint64_t sum = 0;
	unsigned int order;

	for (order = 0; order < NR_PAGE_ORDERS; order++)
		sum += zone->free_area[order].list[mt].nr_free << order;
	return sum;
}

static int node_has_managed_zones(const pg_data_t *pgdat)
{
	int zi;

	for (zi = 0; zi < MAX_NR_ZONES; zi++)
		if (managed_zone(&pgdat->node_zones[zi]))
			return 1;
	return 0;
}

static void show_node_state(struct machine *m, const pg_data_t *pgdat)
{
	/* kswapd_failures is not modelled: kswapd never gives up on a node */
	printk(m, LOGLEVEL_DEFAULT,
	       "Node %d active_anon:%llukB inactive_anon:%llukB "
	       "active_file:%llukB inactive_file:%llukB unevictable:%llukB "
	       "isolated(anon):%llukB isolated(file):%llukB mapped:%llukB "
	       "dirty:%llukB writeback:%llukB shmem:%llukB shmem_thp:%llukB "
	       "shmem_pmdmapped:%llukB anon_thp:%llukB kernel_stack:%llukB "
	       "pagetables:%llukB sec_pagetables:%llukB "
	       "all_unreclaimable? no Balloon:%llukB\n",
	       pgdat->node_id,
	       (unsigned long long)K(node_pages(pgdat, NR_ACTIVE_ANON)),
	       (unsigned long long)K(node_pages(pgdat, NR_INACTIVE_ANON)),
	       (unsigned long long)K(node_pages(pgdat, NR_ACTIVE_FILE)),
	       (unsigned long long)K(node_pages(pgdat, NR_INACTIVE_FILE)),
	       (unsigned long long)K(node_pages(pgdat, NR_UNEVICTABLE)),
	       (unsigned long long)K(node_pages(pgdat, NR_ISOLATED_ANON)),
	       (unsigned long long)K(node_pages(pgdat, NR_ISOLATED_FILE)),
	       (unsigned long long)K(node_pages(pgdat, NR_FILE_MAPPED)),
	       (unsigned long long)K(node_pages(pgdat, NR_FILE_DIRTY)),
	       (unsigned long long)K(node_pages(pgdat, NR_WRITEBACK)),
	       (unsigned long long)K(node_pages(pgdat, NR_SHMEM)),
	       (unsigned long long)K(node_pages(pgdat, NR_SHMEM_THPS)),
	       (unsigned long long)K(node_pages(pgdat, NR_SHMEM_PMDMAPPED)),
	       (unsigned long long)K(node_pages(pgdat, NR_ANON_THPS)),
	       (unsigned long long)node_pages(pgdat, NR_KERNEL_STACK_KB),
	       (unsigned long long)K(node_pages(pgdat, NR_PAGETABLE)),
	       (unsigned long long)K(node_pages(pgdat, NR_SECONDARY_PAGETABLE)),
	       (unsigned long long)K(node_pages(pgdat, NR_BALLOON_PAGES)));
}

static void show_zone_state(struct machine *m, const struct zone *zone, int cpu)
{
	int i;

	/*
	 * No pageblock is ever reserved for high-order atomic allocations,
	 * and no page is bounced: both stay 0, as the kernel's do here.
	 */
	printk(m, LOGLEVEL_DEFAULT,
	       "Node %d %s free:%llukB boost:%llukB min:%llukB low:%llukB "
	       "high:%llukB reserved_highatomic:%lluKB free_highatomic:%lluKB "
	       "active_anon:%llukB inactive_anon:%llukB active_file:%llukB "
	       "inactive_file:%llukB unevictable:%llukB writepending:%llukB "
	       "zspages:%llukB present:%llukB managed:%llukB mlocked:%llukB "
	       "bounce:%llukB free_pcp:%llukB local_pcp:%llukB "
	       "free_cma:%llukB\n",
	       zone->zone_pgdat->node_id, zone_names[zone->idx],
	       (unsigned long long)K(zone_pages(zone, NR_FREE_PAGES)),
	       (unsigned long long)K(zone->watermark_boost),
	       (unsigned long long)K(min_wmark_pages(zone)),
	       (unsigned long long)K(low_wmark_pages(zone)),
	       (unsigned long long)K(high_wmark_pages(zone)), 0ULL,
	       (unsigned long long)K(
		       zone_free_of_type(zone, MIGRATE_HIGHATOMIC)),
	       (unsigned long long)K(zone_pages(zone, NR_ZONE_ACTIVE_ANON)),
	       (unsigned long long)K(zone_pages(zone, NR_ZONE_INACTIVE_ANON)),
	       (unsigned long long)K(zone_pages(zone, NR_ZONE_ACTIVE_FILE)),
	       (unsigned long long)K(zone_pages(zone, NR_ZONE_INACTIVE_FILE)),
	       (unsigned long long)K(zone_pages(zone, NR_ZONE_UNEVICTABLE)),
	       (unsigned long long)K(zone_pages(zone, NR_ZONE_WRITE_PENDING)),
	       (unsigned long long)K(zone_pages(zone, NR_ZSPAGES)),
	       (unsigned long long)K(zone->present_pages),
	       (unsigned long long)K(zone->managed_pages),
	       (unsigned long long)K(zone_pages(zone, NR_MLOCK)), 0ULL,
	       (unsigned long long)K(zone_pcp_pages(m, zone, -1)),
	       (unsigned long long)K(zone_pcp_pages(m, zone, cpu)),
	       (unsigned long long)K(zone_pages(zone, NR_FREE_CMA_PAGES)));
	printk(m, LOGLEVEL_DEFAULT, "lowmem_reserve[]:");
	for (i = 0; i < MAX_NR_ZONES; i++)
		pr_cont(m, " %lld", (long long)zone->lowmem_reserve[i]);
	pr_cont(m, "\n");
}

/* show_migration_types(): the letters of the lists that hold blocks. */
static void show_migration_types(struct machine *m, unsigned int types)
{
	static const char letters[MIGRATE_TYPES] = {
		[MIGRATE_UNMOVABLE] = 'U',   [MIGRATE_MOVABLE] = 'M',
		[MIGRATE_RECLAIMABLE] = 'E', [MIGRATE_HIGHATOMIC] = 'H',
		[MIGRATE_ISOLATE] = 'I',
	};
	char tmp[MIGRATE_TYPES + 1], *p = tmp;
	int mt;

	for (mt = 0; mt < MIGRATE_TYPES; mt++)
		if (types & (1U << mt))
			*p++ = letters[mt];
	*p = '\0';
	pr_cont(m, "(%s) ", tmp);
}

/* The zone's free blocks by order, as /proc/buddyinfo counts them. */
static void show_zone_free_areas(struct machine *m, const struct zone *zone)
{
	uint64_t total = 0, nr;
	unsigned int order, types;
	int mt;

	printk(m, LOGLEVEL_DEFAULT, "Node %d %s: ", zone->zone_pgdat->node_id,
	       zone_names[zone->idx]);
	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		const struct free_area *area = &zone->free_area[order];

		nr = area->nr_free;
		total += nr << order;
		pr_cont(m, "%llu*%llukB ", (unsigned long long)nr,
			(unsigned long long)K(1ULL << order));
		if (!nr)
			continue;
		types = 0;
		for (mt = 0; mt < MIGRATE_TYPES; mt++)
			if (area->list[mt].nr_free)
				types |= 1U << mt;
		show_migration_types(m, types);
	}
	pr_cont(m, "= %llukB\n", (unsigned long long)K(total));
}

/*
 * hugetlb_show_meminfo_node(): each hstate, the 1 GiB one registered
 * first on x86.  Only the default 2 MiB hstate has a pool here.
 */
static void hugetlb_show_meminfo_node(struct machine *m, int nid)
{
	printk(m, LOGLEVEL_DEFAULT,
	       "Node %d hugepages_total=0 hugepages_free=0 hugepages_surp=0 "
	       "hugepages_size=1048576kB\n",
	       nid);
	printk(m, LOGLEVEL_DEFAULT,
	       "Node %d hugepages_total=%llu hugepages_free=%llu "
	       "hugepages_surp=0 hugepages_size=%llukB\n",
	       nid, (unsigned long long)hugetlb_nr_huge_pages(m, nid),
	       (unsigned long long)hugetlb_free_huge_pages(m, nid),
	       (unsigned long long)K(1ULL << HUGETLB_ORDER));
}

/* show_free_areas(): every figure here is a sum the counters keep. */
static void show_free_areas(struct machine *m, int cpu)
{
	uint64_t free_pcp = 0;
	int nid, zi;

	for_each_online_node (nid, m)
		for (zi = 0; zi < MAX_NR_ZONES; zi++)
			if (populated_zone(&NODE_DATA(m, nid)->node_zones[zi]))
				free_pcp += zone_pcp_pages(
					m, &NODE_DATA(m, nid)->node_zones[zi],
					-1);
	printk(m, LOGLEVEL_DEFAULT,
	       "active_anon:%llu inactive_anon:%llu isolated_anon:%llu\n"
	       " active_file:%llu inactive_file:%llu isolated_file:%llu\n"
	       " unevictable:%llu dirty:%llu writeback:%llu\n"
	       " slab_reclaimable:%llu slab_unreclaimable:%llu\n"
	       " mapped:%llu shmem:%llu pagetables:%llu\n"
	       " sec_pagetables:%llu bounce:0\n"
	       " kernel_misc_reclaimable:%llu\n"
	       " free:%llu free_pcp:%llu free_cma:%llu\n",
	       (unsigned long long)nonneg(
		       global_node_page_state(m, NR_ACTIVE_ANON)),
	       (unsigned long long)nonneg(
		       global_node_page_state(m, NR_INACTIVE_ANON)),
	       (unsigned long long)nonneg(
		       global_node_page_state(m, NR_ISOLATED_ANON)),
	       (unsigned long long)nonneg(
		       global_node_page_state(m, NR_ACTIVE_FILE)),
	       (unsigned long long)nonneg(
		       global_node_page_state(m, NR_INACTIVE_FILE)),
	       (unsigned long long)nonneg(
		       global_node_page_state(m, NR_ISOLATED_FILE)),
	       (unsigned long long)nonneg(
		       global_node_page_state(m, NR_UNEVICTABLE)),
	       (unsigned long long)nonneg(
		       global_node_page_state(m, NR_FILE_DIRTY)),
	       (unsigned long long)nonneg(
		       global_node_page_state(m, NR_WRITEBACK)),
	       (unsigned long long)nonneg(
		       global_node_page_state_pages(m, NR_SLAB_RECLAIMABLE_B)),
	       (unsigned long long)nonneg(global_node_page_state_pages(
		       m, NR_SLAB_UNRECLAIMABLE_B)),
	       (unsigned long long)nonneg(
		       global_node_page_state(m, NR_FILE_MAPPED)),
	       (unsigned long long)nonneg(global_node_page_state(m, NR_SHMEM)),
	       (unsigned long long)nonneg(
		       global_node_page_state(m, NR_PAGETABLE)),
	       (unsigned long long)nonneg(
		       global_node_page_state(m, NR_SECONDARY_PAGETABLE)),
	       (unsigned long long)nonneg(
		       global_node_page_state(m, NR_KERNEL_MISC_RECLAIMABLE)),
	       (unsigned long long)nonneg(
		       global_zone_page_state(m, NR_FREE_PAGES)),
	       (unsigned long long)free_pcp,
	       (unsigned long long)nonneg(
		       global_zone_page_state(m, NR_FREE_CMA_PAGES)));

	for_each_online_node (nid, m)
		if (node_has_managed_zones(NODE_DATA(m, nid)))
			show_node_state(m, NODE_DATA(m, nid));
	for_each_online_node (nid, m)
		for (zi = 0; zi < MAX_NR_ZONES; zi++)
			if (populated_zone(&NODE_DATA(m, nid)->node_zones[zi]))
				show_zone_state(
					m, &NODE_DATA(m, nid)->node_zones[zi],
					cpu);
	for_each_online_node (nid, m)
		for (zi = 0; zi < MAX_NR_ZONES; zi++)
			if (populated_zone(&NODE_DATA(m, nid)->node_zones[zi]))
				show_zone_free_areas(
					m, &NODE_DATA(m, nid)->node_zones[zi]);
	for_each_online_node (nid, m)
		hugetlb_show_meminfo_node(m, nid);
	printk(m, LOGLEVEL_DEFAULT, "%llu total pagecache pages\n",
	       (unsigned long long)nonneg(
		       global_node_page_state(m, NR_FILE_PAGES)));
	/* show_swap_cache_info() */
	printk(m, LOGLEVEL_DEFAULT, "%llu pages in swap cache\n",
	       (unsigned long long)nonneg(
		       global_node_page_state(m, NR_SWAPCACHE)));
	printk(m, LOGLEVEL_DEFAULT, "Free swap  = %llukB\n",
	       (unsigned long long)K(nr_free_swap_pages(m)));
	printk(m, LOGLEVEL_DEFAULT, "Total swap = %llukB\n",
	       (unsigned long long)K(total_swap_pages(m)));
}

void __show_mem(struct machine *m, int cpu)
{
	uint64_t total = 0, reserved = 0;
	const struct zone *zone;
	int nid, zi;

	printk(m, LOGLEVEL_DEFAULT, "Mem-Info:\n");
	show_free_areas(m, cpu);
	for_each_online_node (nid, m) {
		for (zi = 0; zi < MAX_NR_ZONES; zi++) {
			zone = &NODE_DATA(m, nid)->node_zones[zi];
			total += zone->present_pages;
			reserved += zone->present_pages - zone->managed_pages;
		}
	}
	printk(m, LOGLEVEL_DEFAULT, "%llu pages RAM\n",
	       (unsigned long long)total);
	/* x86_64 has no highmem: ZONE_MOVABLE counts only with it */
	printk(m, LOGLEVEL_DEFAULT, "0 pages HighMem/MovableOnly\n");
	printk(m, LOGLEVEL_DEFAULT, "%llu pages reserved\n",
	       (unsigned long long)reserved);
}
