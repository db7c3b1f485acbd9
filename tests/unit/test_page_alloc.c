// SPDX-License-Identifier: GPL-2.0
/*
 * Invariants of the page allocator: after boot and after long random
 * sequences of allocations and frees, every frame is in exactly one
 * block, the free lists agree with the frames, and every counter equals
 * the sum it stands for.  Frees give back exactly what was taken, and the
 * buddy lists merge back as far as the boot layout allows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "page_alloc.h"
#include "unit.h"

static void check(const struct machine *m, const char *when)
{
	char why[512];

	if (check_page_accounting(m, why, sizeof(why)))
		FAIL("%s: %s", when, why);
}

static uint64_t free_pages_total(const struct machine *m)
{
	return (uint64_t)global_zone_page_state(m, NR_FREE_PAGES);
}

static void test_boot(uint64_t mem, int nodes, int cpus)
{
	struct machine_params p = {mem, nodes, cpus, 0, 42, 0};
	struct machine *m;
	char what[64];

	snprintf(what, sizeof(what), "boot %lluM %d nodes",
		 (unsigned long long)(mem >> 20), nodes);
	if (machine_boot(&p, &m))
		FAIL("%s failed", what);
	check(m, what);
	/* a little under the installed RAM, as on real hardware */
	ASSERT(totalram_pages(m) * PAGE_SIZE < mem);
	ASSERT(totalram_pages(m) * PAGE_SIZE >
	       (mem >= (2ULL << 30) ? mem - mem / 16 : mem - mem / 4));
	ASSERT(free_pages_total(m) < totalram_pages(m));
	machine_free(m);
}

struct held {
	pfn_t pfn;
	unsigned int order;
};

static void test_random_ops(int nodes, uint64_t seed)
{
	struct machine_params p = {2ULL << 30, nodes, 2 * nodes, 0, seed, 0};
	struct held *held;
	struct machine *m;
	struct prng rng;
	uint64_t free_at_boot, pgalloc;
	int nr = 0, i;

	if (machine_boot(&p, &m))
		FAIL("boot failed");
	free_at_boot = free_pages_total(m);
	held = calloc(20000, sizeof(*held));
	prng_seed(&rng, seed);
	for (i = 0; i < 20000; i++) {
		if (nr && prng_below(&rng, 100) < 45) {
			int k = (int)prng_below(&rng, (uint64_t)nr);

			free_pages(m, held[k].pfn, held[k].order);
			held[k] = held[--nr];
		} else {
			struct alloc_context ac = {
				.preferred_nid =
					(int)prng_below(&rng, (uint64_t)nodes),
				.highest_zoneidx =
					(enum zone_type)prng_below(&rng, 4),
				.migratetype =
					(enum migratetype)prng_below(&rng, 3),
				.alloc_flags = ALLOC_WMARK_LOW,
			};
			/*
			 * raw blocks; page cache comes through its files,
			 * slab through its caches, percpu pages through
			 * the percpu chunks
			 */
			static const enum page_state states[] = {
				PAGE_KERNEL, PAGE_KSTACK, PAGE_PGTABLE,
				PAGE_VMALLOC, PAGE_ANON};
			struct page_use use = {
				.state = states[prng_below(&rng, 5)]};
			unsigned int order = (unsigned int)prng_below(&rng, 11);

			while (m->cpu_to_node[ac.cpu] != ac.preferred_nid)
				ac.cpu++;
			if (prng_below(&rng, 4))
				order = (unsigned int)prng_below(&rng, 3);
			use.flags =
				(uint8_t)prng_below(&rng, 256) & ~PG_blockdev;
			if (!alloc_pages(m, order, &ac, &use, &held[nr].pfn))
				held[nr++].order = order;
		}
		if (i % 2500 == 0)
			check(m, "random sequence");
	}
	check(m, "random sequence end");
	pgalloc = m->vm_events[PGALLOC_DMA] + m->vm_events[PGALLOC_DMA32] +
		  m->vm_events[PGALLOC_NORMAL];
	while (nr--)
		free_pages(m, held[nr].pfn, held[nr].order);
	check(m, "after freeing everything");
	ASSERT_EQ(free_pages_total(m), free_at_boot);
	ASSERT(pgalloc > 0);
	free(held);
	machine_free(m);
}

/* An order-10 allocation splits nothing and its free restores the lists. */
static void test_split_merge(void)
{
	struct machine_params p = {1ULL << 30, 1, 1, 0, 7, 0};
	struct alloc_context ac = {.highest_zoneidx = ZONE_NORMAL,
				   .migratetype = MIGRATE_UNMOVABLE,
				   .alloc_flags = ALLOC_WMARK_LOW};
	struct page_use use = {.state = PAGE_KERNEL};
	struct machine *m;
	uint64_t before[NR_PAGE_ORDERS];
	struct zone *z;
	pfn_t pfn;
	int o;

	if (machine_boot(&p, &m))
		FAIL("boot failed");
	z = &NODE_DATA(m, 0)->node_zones[ZONE_DMA32];
	for (o = 0; o < NR_PAGE_ORDERS; o++)
		before[o] = z->free_area[o].nr_free;
	/* take the one page, then give it back: everything merges again */
	ASSERT_EQ(alloc_pages(m, 0, &ac, &use, &pfn), 0);
	ASSERT(pfn_zone(m, pfn) == z);
	ASSERT_EQ(pfn_to_page(m, pfn)->state, PAGE_KERNEL);
	free_pages(m, pfn, 0);
	for (o = 0; o < NR_PAGE_ORDERS; o++)
		ASSERT_EQ(z->free_area[o].nr_free, before[o]);
	check(m, "split and merge");
	machine_free(m);
}

/* Allocations that cannot be met fail with -ENOMEM and change nothing. */
static void test_exhaustion(void)
{
	struct machine_params p = {512ULL << 20, 1, 1, 0, 3, 0};
	struct alloc_context ac = {.highest_zoneidx = ZONE_NORMAL,
				   .migratetype = MIGRATE_MOVABLE,
				   .alloc_flags = ALLOC_WMARK_MIN};
	struct page_use use = {.state = PAGE_ANON};
	struct machine *m;
	uint64_t n = 0, free_before_fail;
	pfn_t pfn;

	if (machine_boot(&p, &m))
		FAIL("boot failed");
	while (!alloc_pages(m, 0, &ac, &use, &pfn))
		n++;
	ASSERT(n > 0);
	free_before_fail = free_pages_total(m);
	ASSERT_EQ(alloc_pages(m, 0, &ac, &use, &pfn), -12);
	ASSERT_EQ(free_pages_total(m), free_before_fail);
	/* what is left is the reserve below the min watermarks */
	ASSERT(free_before_fail > 0);
	check(m, "exhausted");
	machine_free(m);
}

int main(void)
{
	test_boot(8ULL << 30, 1, 4);
	test_boot(8ULL << 30, 2, 4);
	test_boot(2ULL << 30, 1, 1);
	test_boot(256ULL << 20, 1, 1);
	test_boot(64ULL << 30, 4, 16);
	test_split_merge();
	test_exhaustion();
	test_random_ops(1, 1);
	test_random_ops(2, 2);
	test_random_ops(3, 3);
	return unit_done("page_alloc");
}
