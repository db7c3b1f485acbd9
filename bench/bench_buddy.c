// SPDX-License-Identifier: GPL-2.0
/*
 * The buddy allocator's own speed: a fixed workload of mixed-order
 * allocations and frees on a booted 8 GiB machine, timed on the host's
 * monotonic clock (the bench measures the simulator, not the machine).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "machine.h"
#include "page_alloc.h"

#define OPS 2000000
#define LIVE 50000

struct held {
	pfn_t pfn;
	unsigned int order;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	struct machine_params p = {8ULL << 30, 2, 4, 0, 1};
	struct alloc_context ac = {.highest_zoneidx = ZONE_NORMAL,
				   .alloc_flags = ALLOC_WMARK_LOW};
	struct page_use use = {.state = PAGE_KERNEL};
	struct held *held = calloc(LIVE, sizeof(*held));
	uint64_t allocs = 0, frees = 0, pages = 0;
	struct machine *m;
	struct prng rng;
	double t0, t;
	int nr = 0, i;

	t0 = now();
	if (!held || machine_boot(&p, &m))
		return 1;
	printf("boot of an 8 GiB 2-node machine: %.1f ms\n",
	       (now() - t0) * 1e3);
	prng_seed(&rng, 1);
	t0 = now();
	for (i = 0; i < OPS; i++) {
		if (nr == LIVE || (nr && prng_below(&rng, 2))) {
			int k = (int)prng_below(&rng, (uint64_t)nr);

			free_pages(m, held[k].pfn, held[k].order);
			held[k] = held[--nr];
			frees++;
			continue;
		}
		ac.migratetype = (enum migratetype)prng_below(&rng, 3);
		ac.preferred_nid = (int)prng_below(&rng, 2);
		ac.cpu = ac.preferred_nid * 2;
		held[nr].order = prng_below(&rng, 8)
					 ? 0
					 : (unsigned int)prng_below(&rng, 4);
		if (!alloc_pages(m, held[nr].order, &ac, &use, &held[nr].pfn)) {
			pages += 1ULL << held[nr].order;
			nr++;
			allocs++;
		}
	}
	t = now() - t0;
	printf("buddy allocations: %.0f per second (%.0f pages per second)\n",
	       (double)allocs / t, (double)pages / t);
	printf("buddy frees: %.0f per second\n", (double)frees / t);
	printf("mixed alloc/free operations: %.0f per second\n", OPS / t);
	machine_free(m);
	free(held);
	return 0;
}
