// SPDX-License-Identifier: GPL-2.0
/*
 * The mm/vmstat.c files: /proc/vmstat, /proc/buddyinfo, /proc/pagetypeinfo
 * and /proc/zoneinfo, in the Linux 6.18 layout.
 */
#include <inttypes.h>

#include "internal.h"

/* The free-list walk of pagetypeinfo stops counting here. */
#define PAGETYPEINFO_FREE_CAP 100000

static uint64_t node_item_pages(const pg_data_t *pgdat,
				enum node_stat_item item)
{
	uint64_t pages = pages_nonneg(node_page_state_pages(pgdat, item));

	if (vmstat_item_in_thp(item))
		pages /= HPAGE_PMD_NR;
	return pages;
}

int vmstat_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct machine *m = ctx->m;
	uint64_t v;
	int i;

	for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(s, "%s %" PRIu64 "\n", zone_stat_name[i],
			   pages_nonneg(global_zone_page_state(m, i)));
	for (i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		seq_printf(s, "%s %" PRIu64 "\n", numa_stat_name[i],
			   global_numa_event_state(m, i));
	for (i = 0; i < NR_VM_NODE_STAT_ITEMS; i++) {
		v = pages_nonneg(global_node_page_state_pages(m, i));
		if (vmstat_item_in_thp(i))
			v /= HPAGE_PMD_NR;
		seq_printf(s, "%s %" PRIu64 "\n", node_stat_name[i], v);
	}
	for (i = 0; i < NR_VM_STAT_ITEMS; i++)
		seq_printf(s, "%s %" PRIu64 "\n", vm_stat_name[i],
			   global_vm_stat(m, i));
	for (i = 0; i < NR_VM_EVENT_ITEMS; i++) {
		v = m->vm_events[i];
		/* pgpgin/pgpgout count 512-byte sectors and print in KiB. */
		if (i == PGPGIN || i == PGPGOUT)
			v /= 2;
		seq_printf(s, "%s %" PRIu64 "\n", vm_event_name[i], v);
	}
	/* The counter is gone; the line stays for ABI. */
	seq_puts(s, "nr_unstable 0\n");
	return 0;
}

/* Nodes without memory print nothing in the fragmentation files. */
static int node_has_memory(const pg_data_t *pgdat)
{
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++)
		if (populated_zone(&pgdat->node_zones[z]))
			return 1;
	return 0;
}

int buddyinfo_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct machine *m = ctx->m;
	const pg_data_t *pgdat;
	const struct zone *zone;
	int nid, z, order;

	for_each_online_node (nid, m) {
		pgdat = NODE_DATA(m, nid);
		for (z = 0; z < MAX_NR_ZONES; z++) {
			zone = &pgdat->node_zones[z];
			if (!populated_zone(zone))
				continue;
			seq_printf(s, "Node %d, zone %8s ", nid, zone_names[z]);
			for (order = 0; order < NR_PAGE_ORDERS; order++)
				seq_printf(s, "%6" PRIu64 " ",
					   zone->free_area[order].nr_free);
			seq_putc(s, '\n');
		}
	}
	return 0;
}

static void pagetypeinfo_showfree(const pg_data_t *pgdat, struct seq_buf *s)
{
	const struct free_area *area;
	const struct zone *zone;
	uint64_t nr_free;
	int z, mt, order;

	seq_printf(s, "%-43s ", "Free pages count per migrate type at order");
	for (order = 0; order < NR_PAGE_ORDERS; order++)
		seq_printf(s, "%6d ", order);
	seq_putc(s, '\n');

	for (z = 0; z < MAX_NR_ZONES; z++) {
		zone = &pgdat->node_zones[z];
		if (!populated_zone(zone))
			continue;
		for (mt = 0; mt < MIGRATE_TYPES; mt++) {
			seq_printf(s, "Node %4d, zone %8s, type %12s ",
				   pgdat->node_id, zone_names[z],
				   migratetype_names[mt]);
			for (order = 0; order < NR_PAGE_ORDERS; order++) {
				area = &zone->free_area[order];
				nr_free = area->list[mt].nr_free;
				if (nr_free >= PAGETYPEINFO_FREE_CAP)
					seq_printf(s, ">%6d ",
						   PAGETYPEINFO_FREE_CAP);
				else
					seq_printf(s, "%6" PRIu64 " ", nr_free);
			}
			seq_putc(s, '\n');
		}
	}
}

/*
 * Pageblocks of each migrate type in zone @z of @pgdat, counted as the
 * kernel does: the pageblock of every pageblock_nr_pages-th frame from the
 * zone's first one (so a zone starting at pfn 1 still counts its first
 * block), when that pageblock has RAM and belongs to the zone.
 */
static void zone_blocks_by_type(const struct machine *m, const pg_data_t *pgdat,
				int z, uint64_t count[MIGRATE_TYPES])
{
	const struct zone *zone = &pgdat->node_zones[z];
	uint64_t end = (uint64_t)zone->zone_start_pfn + zone->spanned_pages;
	const struct pageblock *pb;
	uint64_t pfn;
	int mt;

	for (mt = 0; mt < MIGRATE_TYPES; mt++)
		count[mt] = 0;
	for (pfn = zone->zone_start_pfn; pfn < end; pfn += pageblock_nr_pages) {
		if ((pfn >> pageblock_order) >= m->nr_pageblocks)
			break;
		pb = &m->pageblocks[pfn >> pageblock_order];
		if (pb->kind == PB_HOLE || pb->nid != pgdat->node_id ||
		    pb->zone_idx != z)
			continue;
		if (pb->migratetype < MIGRATE_TYPES)
			count[pb->migratetype]++;
	}
}

static void pagetypeinfo_showblockcount(const struct machine *m,
					const pg_data_t *pgdat,
					struct seq_buf *s)
{
	uint64_t count[MIGRATE_TYPES];
	const struct zone *zone;
	int z, mt;

	seq_printf(s, "\n%-23s", "Number of blocks type ");
	for (mt = 0; mt < MIGRATE_TYPES; mt++)
		seq_printf(s, "%12s ", migratetype_names[mt]);
	seq_putc(s, '\n');

	for (z = 0; z < MAX_NR_ZONES; z++) {
		zone = &pgdat->node_zones[z];
		if (!populated_zone(zone))
			continue;
		zone_blocks_by_type(m, pgdat, z, count);
		seq_printf(s, "Node %d, zone %8s ", pgdat->node_id,
			   zone_names[z]);
		for (mt = 0; mt < MIGRATE_TYPES; mt++)
			seq_printf(s, "%12" PRIu64 " ", count[mt]);
		seq_putc(s, '\n');
	}
}

int pagetypeinfo_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct machine *m = ctx->m;
	const pg_data_t *pgdat;
	int nid;

	for_each_online_node (nid, m) {
		pgdat = NODE_DATA(m, nid);
		if (!node_has_memory(pgdat))
			continue;
		seq_printf(s, "Page block order: %d\n", pageblock_order);
		seq_printf(s, "Pages per block:  %lu\n", pageblock_nr_pages);
		seq_putc(s, '\n');
		pagetypeinfo_showfree(pgdat, s);
		pagetypeinfo_showblockcount(m, pgdat, s);
	}
	return 0;
}

static int is_zone_first_populated(const pg_data_t *pgdat,
				   const struct zone *zone)
{
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++)
		if (populated_zone(&pgdat->node_zones[z]))
			return &pgdat->node_zones[z] == zone;
	return 0;
}

static void zoneinfo_show_node_stats(const pg_data_t *pgdat, struct seq_buf *s)
{
	int i;

	seq_puts(s, "\n  per-node stats");
	for (i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		seq_printf(s, "\n      %-12s %" PRIu64, node_stat_name[i],
			   node_item_pages(pgdat, i));
}

static void zoneinfo_show_pagesets(const struct machine *m,
				   const struct zone *zone, struct seq_buf *s)
{
	const struct per_cpu_pages *pcp;
	int cpu;

	seq_puts(s, "\n  pagesets");
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		pcp = &zone->pcp[cpu];
		seq_printf(s,
			   "\n    cpu: %i"
			   "\n              count:    %i"
			   "\n              high:     %i"
			   "\n              batch:    %i"
			   "\n              high_min: %i"
			   "\n              high_max: %i",
			   cpu, pcp->count, pcp->high, pcp->batch,
			   pcp->high_min, pcp->high_max);
		seq_printf(s, "\n  vm stats threshold: %d",
			   zone->stat_threshold);
	}
}

static void zoneinfo_show_zone(const struct machine *m, const pg_data_t *pgdat,
			       int z, struct seq_buf *s)
{
	const struct zone *zone = &pgdat->node_zones[z];
	/* kswapd_failures is not modelled: kswapd never gives up on a node. */
	unsigned int node_unreclaimable = 0;
	int i;

	seq_printf(s, "Node %d, zone %8s", pgdat->node_id, zone_names[z]);
	if (is_zone_first_populated(pgdat, zone))
		zoneinfo_show_node_stats(pgdat, s);

	seq_printf(s,
		   "\n  pages free     %" PRIu64 "\n        boost    %" PRIu64
		   "\n        min      %" PRIu64 "\n        low      %" PRIu64
		   "\n        high     %" PRIu64 "\n        promo    %" PRIu64
		   "\n        spanned  %" PRIu64 "\n        present  %" PRIu64
		   "\n        managed  %" PRIu64
		   /* no CMA areas are modelled */
		   "\n        cma      %d",
		   pages_nonneg(zone_page_state(zone, NR_FREE_PAGES)),
		   zone->watermark_boost, min_wmark_pages(zone),
		   low_wmark_pages(zone), high_wmark_pages(zone),
		   promo_wmark_pages(zone), zone->spanned_pages,
		   zone->present_pages, zone->managed_pages, 0);

	seq_printf(s, "\n        protection: (%" PRId64,
		   (int64_t)zone->lowmem_reserve[0]);
	for (i = 1; i < MAX_NR_ZONES; i++)
		seq_printf(s, ", %" PRId64, (int64_t)zone->lowmem_reserve[i]);
	seq_putc(s, ')');

	/* An empty zone has nothing more worth showing. */
	if (!populated_zone(zone)) {
		seq_putc(s, '\n');
		return;
	}

	for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(s, "\n      %-12s %" PRIu64, zone_stat_name[i],
			   pages_nonneg(zone_page_state(zone, i)));
	for (i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		seq_printf(s, "\n      %-12s %" PRIu64, numa_stat_name[i],
			   zone->vm_numa_event[i]);
	zoneinfo_show_pagesets(m, zone, s);

	seq_printf(s,
		   "\n  node_unreclaimable:  %u"
		   "\n  start_pfn:           %" PRIu64 "\n",
		   node_unreclaimable, (uint64_t)zone->zone_start_pfn);
}

int zoneinfo_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct machine *m = ctx->m;
	const pg_data_t *pgdat;
	int nid, z;

	for_each_online_node (nid, m) {
		pgdat = NODE_DATA(m, nid);
		for (z = 0; z < MAX_NR_ZONES; z++)
			zoneinfo_show_zone(m, pgdat, z, s);
	}
	return 0;
}
