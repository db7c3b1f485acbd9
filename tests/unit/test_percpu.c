// SPDX-License-Identifier: GPL-2.0
/*
 * The percpu allocator: the unit geometry and the boot's chunks, areas
 * handed out and given back with their pages populated and depopulated,
 * the memcgs' percpu statistics charged to their parents, and the
 * checkpoint refusing damaged percpu state with a reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "memcontrol.h"
#include "percpu.h"
#include "replay.h"

/* The two structures a memcg allocates on a 2-CPU, 1-node machine. */
#define VMSTATS_PERCPU 1216U
#define LRUVEC_STATS_PERCPU 528U
/* pcpu_obj_full_size(): two copies and an 8-byte objcg per 4 bytes */
#define MEMCG_PERCPU_2CPU                              \
	(2 * VMSTATS_PERCPU + VMSTATS_PERCPU / 4 * 8 + \
	 2 * LRUVEC_STATS_PERCPU + LRUVEC_STATS_PERCPU / 4 * 8)

static struct mem_cgroup *memcg_of(struct run *r, const char *path)
{
	struct cgroup *cgrp;

	if (cgroup_lookup(r->m, path, &cgrp) || !cgrp->memcg)
		FAIL("no memcg at %s", path);
	return cgrp->memcg;
}

static int count_frames(pfn_t pfn, const struct page *page, void *arg)
{
	(void)pfn;
	*(uint64_t *)arg += page->state == PAGE_PERCPU;
	return 0;
}

static uint64_t percpu_frames(const struct machine *m)
{
	uint64_t n = 0;

	walk_pages(m, count_frames, &n);
	return n;
}

static void assert_sound(const struct machine *m)
{
	char why[256];

	if (check_page_accounting(m, why, sizeof(why)))
		FAIL("%s", why);
}

/* The checker sees areas that nobody in the machine holds. */
static void assert_leak(const struct machine *m)
{
	char why[256];

	ASSERT_EQ(check_page_accounting(m, why, sizeof(why)), -EUCLEAN);
	ASSERT(strstr(why, "allocation map is not its allocations") != NULL);
}

/*
 * A booted machine: 2 CPUs share one 2 MiB allocation (1 MiB units);
 * 48 embedded pages and 77 populated in the second chunk a CPU, which
 * are PAGE_PERCPU frames, 125 pages a CPU in all, as the reference
 * 2-CPU 6.18 machine's 1000 kB.
 */
static void test_boot(void)
{
	struct machine_params p = {1ULL << 30, 1, 2, 0, 7, 0};
	struct machine *m;
	int cpus;

	ASSERT_EQ(machine_boot(&p, &m), 0);
	ASSERT_EQ(m->pcpu.unit_pages, 256);
	ASSERT_EQ(m->pcpu.nr_units, 2);
	ASSERT_EQ(m->pcpu.chunks[0]->nr_populated, 48);
	ASSERT_EQ(m->pcpu.nr_chunks, 2);
	ASSERT_EQ(m->pcpu.chunks[1]->nr_populated, 77);
	ASSERT_EQ(percpu_frames(m), 77 * 2);
	ASSERT_EQ(pcpu_nr_pages(m), 250);
	assert_sound(m);
	machine_free(m);

	/* 4 CPUs: 512 KiB units; 3 CPUs: the same, and a unit unused */
	for (cpus = 3; cpus <= 4; cpus++) {
		p.nr_cpus = cpus;
		ASSERT_EQ(machine_boot(&p, &m), 0);
		ASSERT_EQ(m->pcpu.unit_pages, 128);
		ASSERT_EQ(m->pcpu.nr_units, 4);
		ASSERT_EQ(percpu_frames(m), 77 * (uint64_t)cpus);
		ASSERT_EQ(pcpu_nr_pages(m), 125 * 4);
		machine_free(m);
	}
}

/*
 * Areas of a freshly booted machine: bad requests refused; a large one
 * populates a new chunk's pages on every CPU and gives them back, with
 * the chunk, when freed; small ones share a page, which goes with the
 * last of them.
 */
static void test_alloc_free(void)
{
	struct machine_params p = {1ULL << 30, 2, 2, 0, 3, 0};
	struct pcpu_area a, b, big[128];
	uint64_t boot_pages, boot_frames;
	struct machine *m;
	uint32_t chunks, k, n;

	ASSERT_EQ(machine_boot(&p, &m), 0);
	boot_pages = pcpu_nr_pages(m);
	boot_frames = percpu_frames(m);
	chunks = m->pcpu.nr_chunks;
	ASSERT_EQ(pcpu_alloc(m, 0, 8, &a), -EINVAL);
	ASSERT_EQ(pcpu_alloc(m, PCPU_MIN_UNIT_SIZE + 4, 8, &a), -EINVAL);
	ASSERT_EQ(pcpu_alloc(m, 64, 24, &a), -EINVAL);
	ASSERT_EQ(pcpu_alloc(m, 64, 8192, &a), -EINVAL);

	/*
	 * 32 KiB areas until a new chunk is needed: 8 pages each (one CPU
	 * a node: 2 MiB units)
	 */
	ASSERT_EQ(m->pcpu.unit_pages, 512);
	for (n = 0; n < 128 && m->pcpu.nr_chunks == chunks; n++)
		ASSERT_EQ(pcpu_alloc(m, PCPU_MIN_UNIT_SIZE, PAGE_SIZE, &big[n]),
			  0);
	ASSERT(m->pcpu.nr_chunks > chunks);
	ASSERT_EQ(big[n - 1].chunk, chunks);
	ASSERT_EQ(big[n - 1].off, 0);
	ASSERT_EQ(percpu_frames(m), (m->pcpu.nr_populated - 48) * 2);
	assert_leak(m);
	/* the frames are on each CPU's node (the CPUs are on two nodes) */
	ASSERT(m->cpu_to_node[0] != m->cpu_to_node[1]);
	ASSERT_EQ(pfn_to_nid(m, m->pcpu.chunks[chunks]->pages[0]),
		  m->cpu_to_node[0]);
	ASSERT_EQ(pfn_to_nid(m,
			     m->pcpu.chunks[chunks]->pages[m->pcpu.unit_pages]),
		  m->cpu_to_node[1]);
	for (k = 0; k < n; k++)
		pcpu_free(m, &big[k]);
	ASSERT_EQ(big[0].size, 0);
	ASSERT_EQ(m->pcpu.nr_chunks, chunks);
	ASSERT_EQ(pcpu_nr_pages(m), boot_pages);
	ASSERT_EQ(percpu_frames(m), boot_frames);
	assert_sound(m);

	/* sizes round up to 4 bytes, alignment is kept */
	ASSERT_EQ(pcpu_alloc(m, 6, 2, &a), 0);
	ASSERT_EQ(a.size, 8);
	ASSERT_EQ(pcpu_alloc(m, 100, 64, &b), 0);
	ASSERT_EQ(b.off % 64, 0);
	ASSERT(a.chunk != b.chunk || a.off + a.size <= b.off ||
	       b.off + b.size <= a.off);
	assert_leak(m);
	pcpu_free(m, &a);
	pcpu_free(m, &b);
	ASSERT_EQ(pcpu_nr_pages(m), boot_pages);
	assert_sound(m);
	machine_free(m);
}

static void make_parent(struct run *r)
{
	run_op(r, "cgroup set / cgroup.subtree_control +memory");
	run_op(r, "cgroup create /kubepods");
	run_op(r, "cgroup set /kubepods cgroup.subtree_control +memory");
}

static uint64_t stat_line(const struct machine *m,
			  const struct mem_cgroup *memcg, const char *key)
{
	struct seq_buf s;
	uint64_t v = UINT64_MAX;
	size_t len = strlen(key);
	const char *p;

	seq_buf_init(&s);
	memory_stat_format(m, memcg, &s);
	for (p = s.buf; p && *p;
	     p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, len) && p[len] == ' ')
			v = strtoull(p + len + 1, NULL, 10);
	seq_buf_free(&s);
	return v;
}

/*
 * Children of /kubepods charge it their statistics' percpu memory:
 * memory.stat percpu by the exact bytes, memory.current by the pages
 * they round up to; /kubepods itself, a child of the root, charges
 * nobody.  rmdir gives it all back, and the pages populated for them.
 */
static void test_memcg_charge(void)
{
	struct mem_cgroup *kube;
	uint64_t pages0, usage0;
	struct run r;
	int k;

	run_boot(&r, 1ULL << 30, 0, 11);
	make_parent(&r);
	kube = memcg_of(&r, "/kubepods");
	ASSERT_EQ(kube->css_objcg, OBJCG_NONE);
	ASSERT_EQ(kube->vmstats_percpu.size, VMSTATS_PERCPU);
	ASSERT_EQ(kube->lruvec_stats_percpu[0].size, LRUVEC_STATS_PERCPU);
	ASSERT_EQ(stat_line(r.m, kube, "percpu"), 0);
	pages0 = pcpu_nr_pages(r.m);
	usage0 = kube->memory.usage;

	for (k = 0; k < 12; k++)
		run_op(&r, "cgroup create /kubepods/pod%d", k);
	ASSERT_EQ(stat_line(r.m, kube, "percpu"), 12 * MEMCG_PERCPU_2CPU);
	/* with their slab objects, charged to it too */
	ASSERT_EQ(kube->kmem_bytes,
		  12 * MEMCG_PERCPU_2CPU +
			  memcg_page_state(kube, NR_SLAB_UNRECLAIMABLE_B));
	ASSERT_EQ(kube->memory.usage - usage0,
		  (kube->kmem_bytes + PAGE_SIZE - 1) / PAGE_SIZE);
	ASSERT_EQ(stat_line(r.m, kube, "kernel"),
		  (kube->memory.usage - usage0) * PAGE_SIZE);
	/* 12 * 1744 bytes a unit need more pages, on both units */
	ASSERT(pcpu_nr_pages(r.m) >= pages0 + 2 * 4);
	ASSERT_EQ(pcpu_nr_pages(r.m) % 2, 0);
	ASSERT_EQ(percpu_frames(r.m), pcpu_nr_pages(r.m) - 48 * 2);

	/* a grandchild charges its own parent, not /kubepods */
	run_op(&r, "cgroup set /kubepods/pod0 cgroup.subtree_control +memory");
	run_op(&r, "cgroup create /kubepods/pod0/c");
	ASSERT_EQ(stat_line(r.m, memcg_of(&r, "/kubepods/pod0"), "percpu"),
		  MEMCG_PERCPU_2CPU);
	ASSERT_EQ(kube->stat[MEMCG_PERCPU_B], 12 * MEMCG_PERCPU_2CPU);
	/* hierarchical: /kubepods's memory.stat counts it too */
	ASSERT_EQ(stat_line(r.m, kube, "percpu"), 13 * MEMCG_PERCPU_2CPU);
	run_op(&r, "cgroup rm /kubepods/pod0/c");

	for (k = 0; k < 12; k++)
		run_op(&r, "cgroup rm /kubepods/pod%d", k);
	ASSERT_EQ(stat_line(r.m, kube, "percpu"), 0);
	ASSERT_EQ(kube->kmem_bytes, 0);
	ASSERT_EQ(kube->memory.usage, usage0);
	ASSERT_EQ(pcpu_nr_pages(r.m), pages0);
	for (k = 0; k < 5; k++)
		run_op(&r, "cgroup create /kubepods/again%d", k);
	run_finish(&r);
}

/* Load @t (from its start) into @m's allocator, made afresh. */
static int reload(struct machine *m, struct tape *t, char *why, size_t size)
{
	pcpu_exit(m);
	ASSERT_EQ(pcpu_init(m), 0);
	t->pos = 0;
	return pcpu_load(m, tape_get, t, why, size);
}

/* Where chunk 1's populated pages start on the tape. */
static size_t chunk1_pages(const struct tape *t)
{
	size_t i = 1;

	ASSERT(t->v[0] >= 2 && t->v[i++] == 1);
	i += 1 + 2 * t->v[i]; /* chunk 0's runs */
	ASSERT(t->v[i++] == 1);
	i += 1 + 2 * t->v[i]; /* chunk 1's runs */
	return i;
}

/*
 * The percpu state survives a checkpoint; damaged, it is refused with a
 * reason: no chunks, a run in the static part, a frame that is not a percpu
 * frame, a boot area out of its chunk, a memcg charged to the wrong
 * objcg, a memcg's area that is not in the map.
 */
static void test_checkpoint(void)
{
	struct seq_buf good;
	struct machine *copy;
	struct mem_cgroup *pod;
	struct tape *t, *saved;
	char why[256];
	size_t i;
	struct run r;

	run_boot(&r, 1ULL << 30, 0, 5);
	make_parent(&r);
	run_op(&r, "cgroup create /kubepods/pod1");
	run_op(&r, "cgroup create /kubepods/pod2");
	seq_buf_init(&good);
	ASSERT_EQ(machine_save(r.m, &good), 0);
	if (machine_load(good.buf, good.len, &copy, why, sizeof(why)))
		FAIL("load: %s", why);
	ASSERT_EQ(pcpu_nr_pages(copy), pcpu_nr_pages(r.m));
	pod = copy->memcgs[memcg_of(&r, "/kubepods/pod1")->id];
	ASSERT_EQ(pod->vmstats_percpu.off,
		  memcg_of(&r, "/kubepods/pod1")->vmstats_percpu.off);

	t = calloc(1, sizeof(*t));
	saved = calloc(1, sizeof(*saved));
	ASSERT(t && saved);
	pcpu_save(copy, tape_put, saved);
	ASSERT(saved->nr < sizeof(saved->v) / sizeof(saved->v[0]));
	*t = *saved;
	ASSERT_EQ(reload(copy, t, why, sizeof(why)), 0);
	ASSERT_EQ(pcpu_check_state(copy, why, sizeof(why)), 0);

	t->v[0] = 0;
	ASSERT_EQ(reload(copy, t, why, sizeof(why)), -EINVAL);
	ASSERT(strstr(why, "0 chunks") != NULL);

	*t = *saved;
	/* chunk 0's first run starts in its static part */
	ASSERT(t->v[2] >= 1);
	t->v[3] = 0;
	ASSERT_EQ(reload(copy, t, why, sizeof(why)), -EINVAL);
	ASSERT(strstr(why, "allocation map is malformed") != NULL);

	*t = *saved;
	t->v[4] = UINT64_MAX - 2; /* a run that wraps around */
	ASSERT_EQ(reload(copy, t, why, sizeof(why)), -EINVAL);
	ASSERT(strstr(why, "allocation map is malformed") != NULL);

	*t = *saved;
	i = chunk1_pages(t);
	ASSERT(t->v[i] >= 1);
	t->v[i + 2] = copy->zero_pfn; /* CPU 0's frame of the first page */
	ASSERT_EQ(reload(copy, t, why, sizeof(why)), 0);
	ASSERT_EQ(pcpu_check_state(copy, why, sizeof(why)), -EUCLEAN);
	ASSERT(strstr(why, "not a percpu frame") != NULL);

	*t = *saved;
	t->v[t->nr - 1] = 1U << 30; /* the last boot area's size */
	ASSERT_EQ(reload(copy, t, why, sizeof(why)), -EINVAL);
	ASSERT(strstr(why, "boot allocation") != NULL);

	*t = *saved;
	ASSERT_EQ(reload(copy, t, why, sizeof(why)), 0);
	pod->vmstats_percpu.off += 64;
	ASSERT_EQ(pcpu_check_state(copy, why, sizeof(why)), -EUCLEAN);
	ASSERT(strstr(why, "percpu") != NULL);
	pod->vmstats_percpu.off -= 64;
	ASSERT_EQ(pcpu_check_state(copy, why, sizeof(why)), 0);

	memset(t, 0, sizeof(*t));
	mem_cgroup_percpu_save(copy, tape_put, t);
	/* the root's first, then /kubepods's, then pod1's objcg */
	ASSERT_EQ(t->v[0], OBJCG_NONE);
	i = 2 * (1 + 3 * (size_t)(1 + copy->nr_node_ids));
	ASSERT(t->v[i] != OBJCG_NONE);
	t->v[i] = OBJCG_NONE;
	ASSERT_EQ(mem_cgroup_percpu_load(copy, tape_get, t, why, sizeof(why)),
		  -EINVAL);
	ASSERT(strstr(why, "percpu memory is malformed") != NULL);

	free(t);
	free(saved);
	machine_free(copy);
	seq_buf_free(&good);
	run_finish(&r);
}

int main(void)
{
	test_boot();
	test_alloc_free();
	test_memcg_charge();
	test_checkpoint();
	return unit_done("percpu");
}
