// SPDX-License-Identifier: GPL-2.0
/*
 * The slab allocator: random allocations, frees and shrinks keep every
 * slab frame in its cache and every counter equal to the frames
 * (check_slab_accounting, within check_page_accounting); running out of
 * memory changes nothing; a checkpoint keeps the caches exactly, list
 * order included; and the slab operation replays to the same state.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "machine.h"
#include "ops.h"
#include "page_alloc.h"
#include "prng.h"
#include "seq_buf.h"
#include "slab.h"
#include "replay.h"
#include "unit.h"
#include "vmstat.h"

static struct machine *boot(uint64_t mem, int nodes, int cpus, uint64_t seed)
{
	struct machine_params p = {.mem_bytes = mem,
				   .nr_nodes = nodes,
				   .nr_cpus = cpus,
				   .seed = seed};
	struct machine *m;
	char why[256];

	if (machine_boot(&p, &m))
		FAIL("boot failed");
	if (check_page_accounting(m, why, sizeof(why)))
		FAIL("fresh machine: %s", why);
	return m;
}

static void check(const struct machine *m, const char *when)
{
	char why[256];

	if (check_page_accounting(m, why, sizeof(why)))
		FAIL("%s: %s", when, why);
}

static void save(const struct machine *m, struct seq_buf *out)
{
	seq_buf_reset(out);
	if (machine_save(m, out) || seq_buf_error(out))
		FAIL("machine_save failed");
}

static void assert_same(const struct machine *a, const struct machine *b,
			const char *when)
{
	struct seq_buf x, y;

	seq_buf_init(&x);
	seq_buf_init(&y);
	save(a, &x);
	save(b, &y);
	if (x.len != y.len || memcmp(x.buf, y.buf, x.len))
		FAIL("%s: states differ (sizes %zu, %zu)", when, x.len, y.len);
	seq_buf_free(&x);
	seq_buf_free(&y);
}

static struct machine *reload(const struct machine *m)
{
	struct seq_buf buf;
	struct machine *copy;
	char why[256];

	seq_buf_init(&buf);
	save(m, &buf);
	if (machine_load(buf.buf, buf.len, &copy, why, sizeof(why)))
		FAIL("machine_load: %s", why);
	seq_buf_free(&buf);
	check(copy, "loaded machine");
	assert_same(m, copy, "save, load, save");
	return copy;
}

static uint64_t slab_pages(const struct machine *m)
{
	return (uint64_t)(global_node_page_state(m, NR_SLAB_RECLAIMABLE_B) +
			  global_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B)) /
	       PAGE_SIZE;
}

static uint64_t nr_free_pages(const struct machine *m)
{
	return (uint64_t)global_zone_page_state(m, NR_FREE_PAGES);
}

static void test_names(void)
{
	enum kmem_cache_id id;
	struct machine *m = boot(1ULL << 30, 1, 2, 1);

	ASSERT_EQ(kmem_cache_lookup("dentry", &id), 0);
	ASSERT_EQ(id, KMEM_DENTRY);
	ASSERT(kmem_cache_reclaimable(KMEM_DENTRY));
	ASSERT(!kmem_cache_reclaimable(KMEM_TASK_STRUCT));
	ASSERT_EQ(kmem_cache_lookup("no_such_cache", &id), -ENOENT);
	/* SLUB merges cred_jar: the name works, the cache is not listed */
	ASSERT_EQ(kmem_cache_lookup("cred_jar", &id), 0);
	ASSERT(!kmem_cache_listed(id));
	ASSERT_EQ(kmem_cache_target(id), KMEM_KMALLOC_CG_192);
	ASSERT_EQ(kmalloc_n(m, 0, 1, 0), -EINVAL);
	ASSERT_EQ(kmalloc_n(m, 8193, 1, 0), -EINVAL);
	ASSERT_EQ(kmem_cache_alloc_n(m, KMEM_DENTRY, 1, 5), -EINVAL);
	/* kmalloc_index(): 65 bytes come from kmalloc-96, 129 from -192 */
	{
		static const struct {
			size_t size;
			enum kmem_cache_id id;
		} sizes[] = {{1, KMEM_KMALLOC_8},     {65, KMEM_KMALLOC_96},
			     {97, KMEM_KMALLOC_128},  {129, KMEM_KMALLOC_192},
			     {193, KMEM_KMALLOC_256}, {4097, KMEM_KMALLOC_8K}};
		size_t i;

		for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			uint64_t before =
				kmem_cache_state(m, sizes[i].id)->inuse;

			ASSERT_EQ(kmalloc_n(m, sizes[i].size, 3, 0), 0);
			ASSERT_EQ(kmem_cache_state(m, sizes[i].id)->inuse,
				  before + 3);
			kfree_n(m, sizes[i].size, 3);
			ASSERT_EQ(kmem_cache_state(m, sizes[i].id)->inuse,
				  before);
		}
	}
	check(m, "kmalloc");
	machine_free(m);
}

/* Caches no model structure counts on: the test's own objects. */
static const enum kmem_cache_id free_caches[] = {
	KMEM_KMALLOC_8,	    KMEM_KMALLOC_64,	    KMEM_KMALLOC_192,
	KMEM_KMALLOC_1K,    KMEM_KMALLOC_8K,	    KMEM_KMALLOC_RCL_96,
	KMEM_EXTENT_STATUS, KMEM_KERNFS_NODE_CACHE, KMEM_MAPLE_NODE,
	KMEM_VMAP_AREA,	    KMEM_BIOVEC_MAX,	    KMEM_LSM_INODE_CACHE,
};
#define NR_FREE_CACHES (sizeof(free_caches) / sizeof(free_caches[0]))

static const enum kmem_cache_id manual_caches[] = {
	KMEM_DENTRY,	  KMEM_EXT4_INODE_CACHE, KMEM_RADIX_TREE_NODE,
	KMEM_KMALLOC_512, KMEM_TASK_STRUCT,	 KMEM_CRED_JAR,
};
#define NR_MANUAL_CACHES (sizeof(manual_caches) / sizeof(manual_caches[0]))

static void check_slabinfo(const struct machine *m)
{
	struct slabinfo si;
	int id;

	for (id = 0; id < NR_KMEM_CACHES; id++) {
		if (!kmem_cache_listed(id))
			continue;
		get_slabinfo(m, id, &si);
		ASSERT(si.active_objs <= si.num_objs);
		ASSERT(si.active_objs >= kmem_cache_state(m, id)->inuse);
		ASSERT_EQ(si.num_objs, si.num_slabs * si.objects_per_slab);
	}
}

/* Random alloc, free, shrink and drop sequences on a two-node machine. */
static void test_random(void)
{
	struct machine *m = boot(2ULL << 30, 2, 4, 7), *copy;
	uint64_t held[NR_FREE_CACHES] = {0};
	struct prng rng;
	int i;

	prng_seed(&rng, 42);
	check_slabinfo(m);
	for (i = 0; i < 4000; i++) {
		uint64_t op = prng_below(&rng, 100);
		uint64_t n =
			1 + prng_below(&rng, prng_below(&rng, 10) ? 50 : 5000);
		int nid = (int)prng_below(&rng, 2);
		size_t k = prng_below(&rng, NR_FREE_CACHES);
		size_t j = prng_below(&rng, NR_MANUAL_CACHES);
		enum kmem_cache_id id = manual_caches[j];

		if (op < 35) {
			if (!kmem_cache_alloc_n(m, free_caches[k], n, nid))
				held[k] += n;
		} else if (op < 65) {
			n = n < held[k] ? n : held[k];
			kmem_cache_free_n(m, free_caches[k], n);
			held[k] -= n;
		} else if (op < 80) {
			ASSERT_EQ(slab_alloc_manual(m, id, n, nid), 0);
		} else if (op < 92) {
			uint64_t manual = kmem_cache_state(m, id)->manual;

			if (n > manual)
				ASSERT_EQ(slab_free_manual(m, id, n), -EINVAL);
			else
				ASSERT_EQ(slab_free_manual(m, id, n), 0);
		} else if (op < 99) {
			uint64_t before = kmem_cache_state(m, id)->inuse;
			uint64_t freed = slab_shrink(m, id, n);

			ASSERT(freed <= n);
			ASSERT_EQ(kmem_cache_state(m, id)->inuse,
				  before - freed);
			if (!kmem_cache_reclaimable(id))
				ASSERT_EQ(freed, 0);
		} else {
			drop_slab(m);
		}
		if (i % 250 == 0) {
			check(m, "random sequence");
			check_slabinfo(m);
		}
		if (i % 1000 == 999) {
			/* a reloaded machine goes on exactly the same way */
			copy = reload(m);
			machine_free(m);
			m = copy;
		}
	}
	check(m, "random sequence end");
	for (i = 0; i < (int)NR_FREE_CACHES; i++)
		kmem_cache_free_n(m, free_caches[i], held[i]);
	drop_slab(m);
	check(m, "after freeing everything");
	machine_free(m);
}

/* A copy of a cache's state, lists included. */
static struct kmem_cache copy_cache(const struct kmem_cache *s)
{
	struct kmem_cache c = *s;

	c.partial.slab = malloc((s->partial.nr + 1) * sizeof(*s->partial.slab));
	c.full.slab = malloc((s->full.nr + 1) * sizeof(*s->full.slab));
	if (!c.partial.slab || !c.full.slab)
		FAIL("out of memory");
	memcpy(c.partial.slab, s->partial.slab,
	       s->partial.nr * sizeof(*s->partial.slab));
	memcpy(c.full.slab, s->full.slab, s->full.nr * sizeof(*s->full.slab));
	return c;
}

static void assert_same_cache(const struct kmem_cache *a,
			      const struct kmem_cache *b)
{
	ASSERT_EQ(a->cpu_slab, b->cpu_slab);
	ASSERT_EQ(a->cpu_base, b->cpu_base);
	ASSERT_EQ(a->nr_slabs, b->nr_slabs);
	ASSERT_EQ(a->inuse, b->inuse);
	ASSERT_EQ(a->partial_free, b->partial_free);
	ASSERT_EQ(a->manual, b->manual);
	ASSERT_EQ(a->partial.nr, b->partial.nr);
	ASSERT_EQ(a->full.nr, b->full.nr);
	ASSERT(!memcmp(a->partial.slab, b->partial.slab,
		       a->partial.nr * sizeof(*a->partial.slab)));
	ASSERT(!memcmp(a->full.slab, b->full.slab,
		       a->full.nr * sizeof(*a->full.slab)));
}

/* Freeing what was just allocated leaves each cache as it was. */
static void test_undo(void)
{
	static const enum kmem_cache_id ids[] = {
		KMEM_KMALLOC_512, KMEM_DENTRY,	   KMEM_KMALLOC_CG_2K,
		KMEM_FILP,	  KMEM_MAPLE_NODE,
	};
	static const uint64_t counts[] = {1, 7, 100, 1000, 33333};
	struct machine *m = boot(4ULL << 30, 1, 4, 9);
	size_t i, k;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		for (k = 0; k < sizeof(counts) / sizeof(counts[0]); k++) {
			struct kmem_cache before =
				copy_cache(kmem_cache_state(m, ids[i]));

			ASSERT(before.partial.nr > 0 || k);
			ASSERT_EQ(slab_alloc_manual(m, ids[i], counts[k], 0),
				  0);
			ASSERT_EQ(slab_alloc_manual(m, ids[i], 5, 0), 0);
			/* nested: the last taken go first */
			ASSERT_EQ(slab_free_manual(m, ids[i], 5), 0);
			ASSERT_EQ(slab_free_manual(m, ids[i], counts[k]), 0);
			assert_same_cache(kmem_cache_state(m, ids[i]), &before);
			free(before.partial.slab);
			free(before.full.slab);
		}
	}
	check(m, "after undoing");
	machine_free(m);
}

/* Out of memory leaves the caches and the buddy allocator as they were. */
static void test_enomem(void)
{
	struct machine *m = boot(256ULL << 20, 1, 2, 3);
	struct kmem_cache before = *kmem_cache_state(m, KMEM_DENTRY);
	uint64_t slab = slab_pages(m), nr_free = nr_free_pages(m);
	const struct kmem_cache *s;

	/* more than memory holds: refused before anything is tried */
	ASSERT_EQ(slab_alloc_manual(m, KMEM_DENTRY, 1ULL << 40, 0), -ENOMEM);
	/* what passes that test but not the watermarks: taken, given back */
	ASSERT_EQ(slab_alloc_manual(m, KMEM_DENTRY, nr_free * 21, 0), -ENOMEM);
	ASSERT_EQ(kmalloc_n(m, 8192, nr_free, 0), -ENOMEM);
	s = kmem_cache_state(m, KMEM_DENTRY);
	ASSERT_EQ(s->nr_slabs, before.nr_slabs);
	ASSERT_EQ(s->inuse, before.inuse);
	ASSERT_EQ(s->manual, before.manual);
	ASSERT_EQ(s->cpu_slab, before.cpu_slab);
	ASSERT_EQ(s->partial.nr, before.partial.nr);
	ASSERT_EQ(slab_pages(m), slab);
	ASSERT_EQ(nr_free_pages(m), nr_free);
	check(m, "after ENOMEM");
	/* a small machine still takes a few thousand */
	ASSERT_EQ(slab_alloc_manual(m, KMEM_DENTRY, 20000, 0), 0);
	ASSERT(slab_pages(m) > slab);
	ASSERT_EQ(slab_free_manual(m, KMEM_DENTRY, 20001), -EINVAL);
	ASSERT_EQ(slab_free_manual(m, KMEM_DENTRY, 20000), 0);
	check(m, "after a small machine's allocation");
	machine_free(m);
}

/* Slab comes and goes in whole slabs, and drop_caches 2 gives it back. */
static void test_pages(void)
{
	struct machine *m = boot(8ULL << 30, 1, 4, 11);
	const struct kmem_cache *s = kmem_cache_state(m, KMEM_DENTRY);
	uint64_t slabs = s->nr_slabs, pages = slab_pages(m);
	uint64_t spare = slabs * 21 - s->inuse;
	uint64_t scanned = m->vm_events[SLABS_SCANNED];
	struct seq_buf res, err;

	ASSERT_EQ(slab_alloc_manual(m, KMEM_DENTRY, 2000000, 0), 0);
	ASSERT_EQ(slab_pages(m) - pages, s->nr_slabs - slabs);
	ASSERT_EQ(s->nr_slabs - slabs, (2000000 - spare + 20) / 21);
	check(m, "2000000 dentries");
	seq_buf_init(&res);
	seq_buf_init(&err);
	ASSERT_EQ(op_apply(m, "sysctl vm.drop_caches=2", &res, &err), 0);
	ASSERT_EQ(s->manual, 0);
	ASSERT_EQ(s->boot_unused, 0);
	ASSERT(slab_pages(m) < pages);
	ASSERT(m->vm_events[SLABS_SCANNED] >= scanned + 2000000);
	ASSERT_EQ(m->vm_events[DROP_SLAB], 1);
	check(m, "after drop_caches");
	seq_buf_free(&res);
	seq_buf_free(&err);
	machine_free(m);
}

/* The slab operation, and the tasks' and VMAs' objects, replay exactly. */
static void test_ops_replay(void)
{
	static const char *const lines[] = {
		"slab alloc dentry 50000",
		"slab alloc kmalloc-64 1000 node=1",
		"spawn bash",
		"slab free dentry 20000",
		"slab alloc cred_jar 7",
		"sysctl vm.drop_caches=2",
		"slab alloc ext4_inode_cache 3000",
		"slab free kmalloc-64 999",
	};
	static const char *const bad[] = {
		"slab",
		"slab alloc",
		"slab alloc dentry",
		"slab alloc no_such_cache 5",
		"slab alloc dentry 0",
		"slab alloc dentry -5",
		"slab alloc dentry 12x",
		"slab grow dentry 5",
		"slab free kmalloc-64 2",
		"slab free dentry 5 node=0",
		"slab alloc dentry 5 node=2",
		"slab alloc dentry 5 node=x",
	};
	struct machine *a = boot(2ULL << 30, 2, 4, 5), *b;
	struct seq_buf before, after;
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		if (try_op(a, lines[i]))
			FAIL("'%s' failed", lines[i]);
		check(a, lines[i]);
	}
	seq_buf_init(&before);
	seq_buf_init(&after);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		save(a, &before);
		if (!try_op(a, bad[i]))
			FAIL("'%s' was taken", bad[i]);
		save(a, &after);
		if (before.len != after.len ||
		    memcmp(before.buf, after.buf, before.len))
			FAIL("'%s' changed the machine", bad[i]);
	}
	seq_buf_free(&before);
	seq_buf_free(&after);
	b = boot(2ULL << 30, 2, 4, 5);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		if (try_op(b, lines[i]))
			FAIL("replay of '%s' failed", lines[i]);
	assert_same(a, b, "replay");
	machine_free(b);
	b = reload(a);
	assert_same(a, b, "reload");
	machine_free(a);
	machine_free(b);
}

int main(void)
{
	test_names();
	test_random();
	test_undo();
	test_enomem();
	test_pages();
	test_ops_replay();
	return unit_done("slab");
}
