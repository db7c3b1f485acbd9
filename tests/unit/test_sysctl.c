// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/sys/vm writes parse as the kernel's handlers do: a bad value is
 * -EINVAL and changes nothing; a good one takes effect with its side
 * effects (watermarks, reserves, the other half of a ratio/bytes pair).
 */
#include <errno.h>
#include <string.h>

#include "hugetlb.h"
#include "machine.h"
#include "page_alloc.h"
#include "seq_buf.h"
#include "unit.h"

static int write_knob(struct machine *m, const char *path, const char *val)
{
	return sysctl_write(m, path, val, strlen(val));
}

static void expect_read(const struct machine *m, const char *path,
			const char *want)
{
	struct seq_buf out;

	seq_buf_init(&out);
	if (sysctl_read(m, path, &out))
		FAIL("read %s failed", path);
	if (strcmp(out.buf ? out.buf : "", want))
		FAIL("%s reads '%s', expected '%s'", path, out.buf, want);
	seq_buf_free(&out);
}

static void test_parse(struct machine *m)
{
	static const char *const bad[] = {"abc", "201", "-1",
					  "",	 " ",	"10abc",
					  "1.5", "0x",	"99999999999999999999"};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ASSERT_EQ(write_knob(m, "vm/swappiness", bad[i]), -EINVAL);
		expect_read(m, "vm/swappiness", "60\n");
	}
	ASSERT_EQ(write_knob(m, "vm/swappiness", "10\n"), 0);
	expect_read(m, "vm/swappiness", "10\n");
	ASSERT_EQ(write_knob(m, "vm/swappiness", "  0x20"), 0);
	expect_read(m, "vm/swappiness", "32\n");
	ASSERT_EQ(write_knob(m, "vm/swappiness", "010"), 0);
	expect_read(m, "vm/swappiness", "8\n");
	ASSERT_EQ(write_knob(m, "vm/overcommit_kbytes", "-5"), -EINVAL);
	ASSERT_EQ(write_knob(m, "vm/nope", "1"), -ENOENT);
	ASSERT_EQ(write_knob(m, "vm/percpu_pagelist_high_fraction", "7"),
		  -EINVAL);
	ASSERT_EQ(write_knob(m, "vm/numa_zonelist_order", "zone"), -EINVAL);
	ASSERT_EQ(write_knob(m, "vm/numa_zonelist_order", "node"), 0);
	expect_read(m, "vm/numa_zonelist_order", "Node\n");
}

static void test_modes(struct machine *m)
{
	struct seq_buf out;

	seq_buf_init(&out);
	ASSERT_EQ(sysctl_read(m, "vm/drop_caches", &out), -EACCES);
	ASSERT_EQ(sysctl_read(m, "vm/compact_memory", &out), -EACCES);
	ASSERT_EQ(sysctl_lookup("vm/drop_caches")->mode, 0200);
	ASSERT_EQ(sysctl_lookup("vm/mmap_rnd_bits")->mode, 0600);
	ASSERT_EQ(sysctl_lookup("vm/mmap_min_addr")->cap, SYSCTL_CAP_SYS_RAWIO);
	ASSERT(sysctl_is_dir("vm"));
	ASSERT(!sysctl_is_dir("vm/swappiness"));
	seq_buf_free(&out);
}

static void test_side_effects(struct machine *m)
{
	struct zone *z = &NODE_DATA(m, 0)->node_zones[ZONE_NORMAL];
	uint64_t min = z->watermark[WMARK_MIN], reserve;

	ASSERT_EQ(write_knob(m, "vm/min_free_kbytes", "200000"), 0);
	ASSERT(z->watermark[WMARK_MIN] > min);
	ASSERT_EQ(write_knob(m, "vm/watermark_scale_factor", "3001"), -EINVAL);
	reserve = NODE_DATA(m, 0)
			  ->node_zones[ZONE_DMA]
			  .lowmem_reserve[ZONE_NORMAL];
	ASSERT_EQ(write_knob(m, "vm/lowmem_reserve_ratio", "128\t128 16"), 0);
	ASSERT(NODE_DATA(m, 0)
		       ->node_zones[ZONE_DMA]
		       .lowmem_reserve[ZONE_NORMAL] > reserve);
	expect_read(m, "vm/lowmem_reserve_ratio", "128\t128\t16\t0\t0\n");
	ASSERT_EQ(write_knob(m, "vm/dirty_bytes", "4096"), -EINVAL);
	ASSERT_EQ(write_knob(m, "vm/dirty_bytes", "1048576"), 0);
	expect_read(m, "vm/dirty_ratio", "0\n");
	ASSERT_EQ(write_knob(m, "vm/overcommit_kbytes", "1000"), 0);
	expect_read(m, "vm/overcommit_ratio", "0\n");
}

/* drop_caches 1 frees clean unmapped page cache and nothing else. */
static void test_drop_caches(struct machine *m)
{
	int64_t file = global_node_page_state(m, NR_FILE_PAGES);
	int64_t mapped = global_node_page_state(m, NR_FILE_MAPPED);
	int64_t dirty = global_node_page_state(m, NR_FILE_DIRTY);
	int64_t anon = global_node_page_state(m, NR_ANON_MAPPED);
	char why[256];

	ASSERT_EQ(write_knob(m, "vm/drop_caches", "0"), -EINVAL);
	ASSERT_EQ(write_knob(m, "vm/drop_caches", "5"), -EINVAL);
	ASSERT_EQ(write_knob(m, "vm/drop_caches", "1"), 0);
	ASSERT(global_node_page_state(m, NR_FILE_PAGES) < file);
	ASSERT_EQ(global_node_page_state(m, NR_FILE_MAPPED), mapped);
	ASSERT_EQ(global_node_page_state(m, NR_FILE_DIRTY), dirty);
	ASSERT_EQ(global_node_page_state(m, NR_ANON_MAPPED), anon);
	ASSERT_EQ(m->vm_events[DROP_PAGECACHE], 1);
	if (check_page_accounting(m, why, sizeof(why)))
		FAIL("after drop_caches: %s", why);
}

/* vm.nr_hugepages takes real 2 MiB blocks from the buddy allocator. */
static void test_hugetlb_pool(void)
{
	struct machine_params p = {4ULL << 30, 2, 2, 0, 12, 0};
	struct machine *m;
	int64_t free_before;
	char why[256];

	if (machine_boot(&p, &m))
		FAIL("boot failed");
	free_before = global_zone_page_state(m, NR_FREE_PAGES);
	ASSERT_EQ(write_knob(m, "vm/nr_hugepages", "100"), 0);
	expect_read(m, "vm/nr_hugepages", "100\n");
	ASSERT_EQ(hugetlb_nr_huge_pages(m, 0), 50);
	ASSERT_EQ(hugetlb_nr_huge_pages(m, 1), 50);
	ASSERT_EQ(global_zone_page_state(m, NR_FREE_PAGES),
		  free_before - 100 * 512);
	ASSERT_EQ(global_node_page_state(m, NR_HUGETLB), 100 * 512);
	ASSERT_EQ(write_knob(m, "vm/nr_hugepages", "10"), 0);
	expect_read(m, "vm/nr_hugepages", "10\n");
	/* more than the machine has: the pool stops short, no error */
	ASSERT_EQ(write_knob(m, "vm/nr_hugepages", "100000"), 0);
	ASSERT(hugetlb_nr_huge_pages(m, -1) > 1000);
	ASSERT(hugetlb_nr_huge_pages(m, -1) < 2048);
	ASSERT(m->vm_events[HTLB_BUDDY_PGALLOC_FAIL] > 0);
	if (check_page_accounting(m, why, sizeof(why)))
		FAIL("with a hugetlb pool: %s", why);
	ASSERT_EQ(write_knob(m, "vm/nr_hugepages", "0"), 0);
	ASSERT_EQ(global_zone_page_state(m, NR_FREE_PAGES), free_before);
	machine_free(m);
}

static uint64_t free_blocks_at_least(const struct machine *m,
				     unsigned int order)
{
	uint64_t n = 0;
	int nid, zi;
	unsigned int o;

	for_each_online_node (nid, m)
		for (zi = 0; zi < MAX_NR_ZONES; zi++)
			for (o = order; o < NR_PAGE_ORDERS; o++)
				n += NODE_DATA(m, nid)
					     ->node_zones[zi]
					     .free_area[o]
					     .nr_free
				     << (o - order);
	return n;
}

/*
 * Fragment memory with every other page of a movable fill, then
 * vm.compact_memory: pages move, free memory merges into huge blocks.
 */
static void test_compaction(void)
{
	struct machine_params p = {1ULL << 30, 1, 1, 0, 13, 0};
	struct alloc_context ac = {.highest_zoneidx = ZONE_MOVABLE,
				   .migratetype = MIGRATE_MOVABLE,
				   .alloc_flags = ALLOC_WMARK_LOW};
	struct page_use use = {.state = PAGE_ANON};
	static pfn_t pfns[160000];
	uint64_t huge_before, n = 0, i;
	int64_t free_before, anon;
	struct machine *m;
	char why[256];

	if (machine_boot(&p, &m))
		FAIL("boot failed");
	while (n < 160000 && !alloc_pages(m, 0, &ac, &use, &pfns[n]))
		n++;
	for (i = 0; i < n; i += 2)
		free_pages(m, pfns[i], 0);
	huge_before = free_blocks_at_least(m, pageblock_order);
	free_before = global_zone_page_state(m, NR_FREE_PAGES);
	anon = global_node_page_state(m, NR_ANON_MAPPED);
	ASSERT_EQ(write_knob(m, "vm/compact_memory", "1"), 0);
	ASSERT_EQ(write_knob(m, "vm/compact_memory", "2"), -EINVAL);
	if (check_page_accounting(m, why, sizeof(why)))
		FAIL("after compaction: %s", why);
	ASSERT_EQ(global_zone_page_state(m, NR_FREE_PAGES), free_before);
	ASSERT_EQ(global_node_page_state(m, NR_ANON_MAPPED), anon);
	ASSERT(m->vm_events[PGMIGRATE_SUCCESS] > 0);
	ASSERT(free_blocks_at_least(m, pageblock_order) > huge_before + 50);
	machine_free(m);
}

int main(void)
{
	struct machine_params p = {4ULL << 30, 1, 2, 0, 11, 0};
	struct machine *m;

	if (machine_boot(&p, &m))
		FAIL("boot failed");
	test_parse(m);
	test_modes(m);
	test_side_effects(m);
	test_drop_caches(m);
	machine_free(m);
	test_hugetlb_pool();
	test_compaction();
	return unit_done("sysctl");
}
