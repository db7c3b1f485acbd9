// SPDX-License-Identifier: GPL-2.0
/*
 * Counter names and readers.  Zone and node gauges are maintained by
 * page_alloc.c as frames change state; the readers only sum them.
 */
#include "machine.h"
#include "mmzone.h"
#include "vmstat.h"
#include "writeback.h"

#define VMSTAT_NAME(item, name) name,

const char *const zone_stat_name[NR_VM_ZONE_STAT_ITEMS] = {
	ZONE_STAT_ITEMS(VMSTAT_NAME)};
const char *const numa_stat_name[NR_VM_NUMA_EVENT_ITEMS] = {
	NUMA_STAT_ITEMS(VMSTAT_NAME)};
const char *const node_stat_name[NR_VM_NODE_STAT_ITEMS] = {
	NODE_STAT_ITEMS(VMSTAT_NAME)};
const char *const vm_stat_name[NR_VM_STAT_ITEMS] = {VM_STAT_ITEMS(VMSTAT_NAME)};
const char *const vm_event_name[NR_VM_EVENT_ITEMS] = {
	VM_EVENT_ITEMS(VMSTAT_NAME)};

int64_t zone_page_state(const struct zone *zone, enum zone_stat_item item)
{
	return zone->vm_stat[item];
}

int64_t node_page_state(const struct pglist_data *pgdat,
			enum node_stat_item item)
{
	return pgdat->vm_stat[item];
}

static int vmstat_item_in_bytes(enum node_stat_item item)
{
	return item == NR_SLAB_RECLAIMABLE_B || item == NR_SLAB_UNRECLAIMABLE_B;
}

int vmstat_item_in_thp(enum node_stat_item item)
{
	return item == NR_ANON_THPS || item == NR_FILE_THPS ||
	       item == NR_SHMEM_THPS || item == NR_SHMEM_PMDMAPPED ||
	       item == NR_FILE_PMDMAPPED;
}

int64_t node_page_state_pages(const struct pglist_data *pgdat,
			      enum node_stat_item item)
{
	int64_t v = node_page_state(pgdat, item);

	if (vmstat_item_in_bytes(item))
		v >>= PAGE_SHIFT;
	return v;
}

int64_t sum_zone_node_page_state(const struct pglist_data *pgdat,
				 enum zone_stat_item item)
{
	int64_t sum = 0;
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		sum += pgdat->node_zones[i].vm_stat[item];
	return sum;
}

uint64_t node_numa_event_state(const struct pglist_data *pgdat,
			       enum numa_stat_item item)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < MAX_NR_ZONES; i++)
		sum += pgdat->node_zones[i].vm_numa_event[item];
	return sum;
}

int64_t global_zone_page_state(const struct machine *m,
			       enum zone_stat_item item)
{
	int64_t sum = 0;
	int nid;

	for_each_online_node (nid, m)
		sum += sum_zone_node_page_state(NODE_DATA(m, nid), item);
	return sum;
}

int64_t global_node_page_state(const struct machine *m,
			       enum node_stat_item item)
{
	int64_t sum = 0;
	int nid;

	for_each_online_node (nid, m)
		sum += node_page_state(NODE_DATA(m, nid), item);
	return sum;
}

int64_t global_node_page_state_pages(const struct machine *m,
				     enum node_stat_item item)
{
	int64_t v = global_node_page_state(m, item);

	if (vmstat_item_in_bytes(item))
		v >>= PAGE_SHIFT;
	return v;
}

uint64_t global_numa_event_state(const struct machine *m,
				 enum numa_stat_item item)
{
	uint64_t sum = 0;
	int nid;

	for_each_online_node (nid, m)
		sum += node_numa_event_state(NODE_DATA(m, nid), item);
	return sum;
}

uint64_t global_vm_stat(const struct machine *m, enum vm_stat_item item)
{
	uint64_t background, dirty;

	switch (item) {
	case NR_DIRTY_THRESHOLD:
		global_dirty_limits(m, &background, &dirty);
		return dirty;
	case NR_DIRTY_BG_THRESHOLD:
		global_dirty_limits(m, &background, &dirty);
		return background;
	case NR_MEMMAP_PAGES:
		/* memmap allocated after boot (hotplug): none */
		return 0;
	case NR_MEMMAP_BOOT_PAGES:
		return m->memmap_boot_pages;
	default:
		return 0;
	}
}

void count_vm_events(struct machine *m, enum vm_event_item item, uint64_t delta)
{
	m->vm_events[item] += delta;
}
