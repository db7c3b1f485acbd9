// SPDX-License-Identifier: GPL-2.0
/*
 * The slab allocator's own speed on a booted 8 GiB machine: single-object
 * allocations and frees as the model's tasks and VMAs make them, batches
 * as the slab operation makes them, and shrinking, timed on the host's
 * monotonic clock (the bench measures the simulator, not the machine).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "machine.h"
#include "slab.h"

#define OPS 4000000
#define BATCHES 2000
#define BATCH 1000

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const enum kmem_cache_id ids[] = {
	KMEM_KMALLOC_64, KMEM_KMALLOC_512, KMEM_VM_AREA_STRUCT,
	KMEM_DENTRY,	 KMEM_TASK_STRUCT, KMEM_EXT4_INODE_CACHE,
};
#define NR_IDS (sizeof(ids) / sizeof(ids[0]))

int main(void)
{
	struct machine_params p = {.mem_bytes = 8ULL << 30,
				   .nr_nodes = 2,
				   .nr_cpus = 4,
				   .seed = 1};
	uint64_t held[NR_IDS] = {0}, allocs = 0, frees = 0, objs = 0;
	struct machine *m;
	struct prng rng;
	double t0, t;
	size_t k;
	int i;

	t0 = now();
	if (machine_boot(&p, &m))
		return 1;
	printf("boot of an 8 GiB 2-node machine: %.1f ms\n",
	       (now() - t0) * 1e3);
	prng_seed(&rng, 1);
	t0 = now();
	for (i = 0; i < OPS; i++) {
		k = prng_below(&rng, NR_IDS);
		if (held[k] && prng_below(&rng, 2)) {
			slab_free_manual(m, ids[k], 1);
			held[k]--;
			frees++;
		} else if (!slab_alloc_manual(m, ids[k], 1,
					      (int)prng_below(&rng, 2))) {
			held[k]++;
			allocs++;
		}
	}
	t = now() - t0;
	printf("slab allocations, one object each: %.0f per second\n",
	       (double)allocs / t);
	printf("slab frees, one object each: %.0f per second\n",
	       (double)frees / t);
	t0 = now();
	for (i = 0; i < BATCHES; i++) {
		k = prng_below(&rng, NR_IDS);
		if (!slab_alloc_manual(m, ids[k], BATCH, 0))
			objs += BATCH;
	}
	t = now() - t0;
	printf("slab alloc of %d objects: %.0f per second (%.0f objects per "
	       "second)\n",
	       BATCH, BATCHES / t, (double)objs / t);
	t0 = now();
	slab_alloc_manual(m, KMEM_DENTRY, 2000000, 0);
	printf("slab alloc dentry 2000000: %.1f ms\n", (now() - t0) * 1e3);
	t0 = now();
	objs = drop_slab(m);
	t = now() - t0;
	printf("drop_slab: %llu objects in %.1f ms (%.0f objects per second)\n",
	       (unsigned long long)objs, t * 1e3, (double)objs / t);
	t0 = now();
	/* drop_slab took the reclaimable caches' share already */
	for (k = 0; k < NR_IDS; k++)
		slab_free_manual(m, ids[k],
				 kmem_cache_state(m, ids[k])->manual);
	printf("freeing the rest: %.1f ms\n", (now() - t0) * 1e3);
	machine_free(m);
	return 0;
}
