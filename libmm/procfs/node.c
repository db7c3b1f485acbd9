// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/devices/system/node/ (drivers/base/node.c): the node state lists
 * and, for each node, its meminfo, numastat, distances, CPUs and vmstat.
 */
#include <inttypes.h>
#include <string.h>

#include "internal.h"

static int node_has_state(const struct machine *m, int nid,
			  enum node_states state)
{
	const pg_data_t *pgdat = NODE_DATA(m, nid);
	int z;

	switch (state) {
	case N_POSSIBLE:
	case N_ONLINE:
		return 1;
	case N_NORMAL_MEMORY:
		for (z = 0; z <= ZONE_NORMAL; z++)
			if (populated_zone(&pgdat->node_zones[z]))
				return 1;
		return 0;
	case N_MEMORY:
		for (z = 0; z < MAX_NR_ZONES; z++)
			if (populated_zone(&pgdat->node_zones[z]))
				return 1;
		return 0;
	case N_CPU:
		return nr_cpus_node(m, nid) > 0;
	}
	return 0;
}

void node_states_mask(const struct machine *m, enum node_states state,
		      uint64_t mask[NODEMASK_WORDS])
{
	int nid;

	memset(mask, 0, NODEMASK_WORDS * sizeof(mask[0]));
	for_each_online_node (nid, m)
		if (node_has_state(m, nid, state))
			bitmap_set_bit(mask, nid);
}

static int show_node_state(const struct machine *m, enum node_states state,
			   struct seq_buf *s)
{
	uint64_t mask[NODEMASK_WORDS];

	node_states_mask(m, state, mask);
	seq_bitmap_list(s, mask, MAX_NUMNODES);
	seq_putc(s, '\n');
	return 0;
}

int node_possible_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	return show_node_state(ctx->m, N_POSSIBLE, s);
}

int node_online_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	return show_node_state(ctx->m, N_ONLINE, s);
}

int node_has_memory_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	return show_node_state(ctx->m, N_MEMORY, s);
}

int node_has_normal_memory_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	return show_node_state(ctx->m, N_NORMAL_MEMORY, s);
}

int node_has_cpu_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	return show_node_state(ctx->m, N_CPU, s);
}

static uint64_t node_managed_pages(const pg_data_t *pgdat)
{
	uint64_t managed = 0;
	int z;

	for (z = 0; z < MAX_NR_ZONES; z++)
		managed += pgdat->node_zones[z].managed_pages;
	return managed;
}

static uint64_t sum_zone_item(const pg_data_t *pgdat, enum zone_stat_item item)
{
	return pages_nonneg(sum_zone_node_page_state(pgdat, item));
}

static uint64_t node_item(const pg_data_t *pgdat, enum node_stat_item item)
{
	return pages_nonneg(node_page_state_pages(pgdat, item));
}

/* "Node N label: value kB" with the label padded to 16 columns. */
static void node_show_kb(struct seq_buf *s, int nid, const char *label,
			 uint64_t pages)
{
	seq_printf(s, "Node %d %s%8" PRIu64 " kB\n", nid, label,
		   pages_to_kb(pages));
}

int node_meminfo_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const pg_data_t *pgdat = NODE_DATA(ctx->m, ctx->nid);
	int nid = ctx->nid;
	uint64_t total = node_managed_pages(pgdat);
	uint64_t free = sum_zone_item(pgdat, NR_FREE_PAGES);
	uint64_t active_anon = node_item(pgdat, NR_ACTIVE_ANON);
	uint64_t inactive_anon = node_item(pgdat, NR_INACTIVE_ANON);
	uint64_t active_file = node_item(pgdat, NR_ACTIVE_FILE);
	uint64_t inactive_file = node_item(pgdat, NR_INACTIVE_FILE);
	uint64_t sreclaimable = node_item(pgdat, NR_SLAB_RECLAIMABLE_B);
	uint64_t sunreclaim = node_item(pgdat, NR_SLAB_UNRECLAIMABLE_B);
	uint64_t used = total > free ? total - free : 0;
	uint64_t huge = hugetlb_nr_huge_pages(ctx->m, nid);

	node_show_kb(s, nid, "MemTotal:       ", total);
	node_show_kb(s, nid, "MemFree:        ", free);
	node_show_kb(s, nid, "MemUsed:        ", used);
	node_show_kb(s, nid,
		     "SwapCached:     ", node_item(pgdat, NR_SWAPCACHE));
	node_show_kb(s, nid, "Active:         ", active_anon + active_file);
	node_show_kb(s, nid, "Inactive:       ", inactive_anon + inactive_file);
	node_show_kb(s, nid, "Active(anon):   ", active_anon);
	node_show_kb(s, nid, "Inactive(anon): ", inactive_anon);
	node_show_kb(s, nid, "Active(file):   ", active_file);
	node_show_kb(s, nid, "Inactive(file): ", inactive_file);
	node_show_kb(s, nid,
		     "Unevictable:    ", node_item(pgdat, NR_UNEVICTABLE));
	node_show_kb(s, nid,
		     "Mlocked:        ", sum_zone_item(pgdat, NR_MLOCK));
	node_show_kb(s, nid,
		     "Dirty:          ", node_item(pgdat, NR_FILE_DIRTY));
	node_show_kb(s, nid,
		     "Writeback:      ", node_item(pgdat, NR_WRITEBACK));
	node_show_kb(s, nid,
		     "FilePages:      ", node_item(pgdat, NR_FILE_PAGES));
	node_show_kb(s, nid,
		     "Mapped:         ", node_item(pgdat, NR_FILE_MAPPED));
	node_show_kb(s, nid,
		     "AnonPages:      ", node_item(pgdat, NR_ANON_MAPPED));
	node_show_kb(s, nid, "Shmem:          ", node_item(pgdat, NR_SHMEM));
	seq_printf(s, "Node %d KernelStack:    %8" PRIu64 " kB\n", nid,
		   node_item(pgdat, NR_KERNEL_STACK_KB));
	node_show_kb(s, nid,
		     "PageTables:     ", node_item(pgdat, NR_PAGETABLE));
	node_show_kb(s, nid, "SecPageTables:  ",
		     node_item(pgdat, NR_SECONDARY_PAGETABLE));
	/* Counters gone from 6.18, their lines kept at 0 for ABI. */
	node_show_kb(s, nid, "NFS_Unstable:   ", 0);
	node_show_kb(s, nid, "Bounce:         ", 0);
	node_show_kb(s, nid, "WritebackTmp:   ", 0);
	node_show_kb(s, nid, "KReclaimable:   ",
		     sreclaimable +
			     node_item(pgdat, NR_KERNEL_MISC_RECLAIMABLE));
	node_show_kb(s, nid, "Slab:           ", sreclaimable + sunreclaim);
	node_show_kb(s, nid, "SReclaimable:   ", sreclaimable);
	node_show_kb(s, nid, "SUnreclaim:     ", sunreclaim);
	node_show_kb(s, nid,
		     "AnonHugePages:  ", node_item(pgdat, NR_ANON_THPS));
	node_show_kb(s, nid,
		     "ShmemHugePages: ", node_item(pgdat, NR_SHMEM_THPS));
	node_show_kb(s, nid,
		     "ShmemPmdMapped: ", node_item(pgdat, NR_SHMEM_PMDMAPPED));
	node_show_kb(s, nid,
		     "FileHugePages:  ", node_item(pgdat, NR_FILE_THPS));
	node_show_kb(s, nid,
		     "FilePmdMapped:  ", node_item(pgdat, NR_FILE_PMDMAPPED));
	/* The node's pool is all free: nothing maps huge pages yet. */
	seq_printf(s, "Node %d HugePages_Total: %5" PRIu64 "\n", nid, huge);
	seq_printf(s, "Node %d HugePages_Free:  %5" PRIu64 "\n", nid,
		   hugetlb_free_huge_pages(ctx->m, nid));
	seq_printf(s, "Node %d HugePages_Surp:  %5d\n", nid, 0);
	return 0;
}

int node_numastat_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const pg_data_t *pgdat = NODE_DATA(ctx->m, ctx->nid);

	seq_printf(s,
		   "numa_hit %" PRIu64 "\n"
		   "numa_miss %" PRIu64 "\n"
		   "numa_foreign %" PRIu64 "\n"
		   "interleave_hit %" PRIu64 "\n"
		   "local_node %" PRIu64 "\n"
		   "other_node %" PRIu64 "\n",
		   node_numa_event_state(pgdat, NUMA_HIT),
		   node_numa_event_state(pgdat, NUMA_MISS),
		   node_numa_event_state(pgdat, NUMA_FOREIGN),
		   node_numa_event_state(pgdat, NUMA_INTERLEAVE_HIT),
		   node_numa_event_state(pgdat, NUMA_LOCAL),
		   node_numa_event_state(pgdat, NUMA_OTHER));
	return 0;
}

int node_distance_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct machine *m = ctx->m;
	int i;

	for_each_online_node (i, m)
		seq_printf(s, "%s%d", i ? " " : "",
			   m->node_distance[ctx->nid][i]);
	seq_putc(s, '\n');
	return 0;
}

int node_cpulist_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	seq_bitmap_list(s, NODE_DATA(ctx->m, ctx->nid)->cpumask,
			ctx->m->nr_cpu_ids);
	seq_putc(s, '\n');
	return 0;
}

int node_cpumap_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	seq_bitmap_mask(s, NODE_DATA(ctx->m, ctx->nid)->cpumask,
			ctx->m->nr_cpu_ids);
	seq_putc(s, '\n');
	return 0;
}

int node_vmstat_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const pg_data_t *pgdat = NODE_DATA(ctx->m, ctx->nid);
	uint64_t pages;
	int i;

	for (i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(s, "%s %" PRIu64 "\n", zone_stat_name[i],
			   sum_zone_item(pgdat, i));
	for (i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		seq_printf(s, "%s %" PRIu64 "\n", numa_stat_name[i],
			   node_numa_event_state(pgdat, i));
	for (i = 0; i < NR_VM_NODE_STAT_ITEMS; i++) {
		pages = node_item(pgdat, i);
		if (vmstat_item_in_thp(i))
			pages /= HPAGE_PMD_NR;
		seq_printf(s, "%s %" PRIu64 "\n", node_stat_name[i], pages);
	}
	return 0;
}
