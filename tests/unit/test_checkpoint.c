// SPDX-License-Identifier: GPL-2.0
/*
 * The checkpoint is canonical and complete: saving, loading and saving
 * again gives the same bytes; a machine loaded from a checkpoint and one
 * that kept running give the same state after the same operations; and
 * replaying the whole history from boot equals the saved state.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "checkpoint.h"
#include "filemap_internal.h"
#include "machine.h"
#include "memcontrol.h"
#include "ops.h"
#include "page_alloc.h"
#include "seq_buf.h"
#include "unit.h"
#include "workingset.h"

static void save(const struct machine *m, struct seq_buf *out)
{
	seq_buf_reset(out);
	if (machine_save(m, out))
		FAIL("machine_save failed");
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
	if (check_page_accounting(copy, why, sizeof(why)))
		FAIL("loaded machine: %s", why);
	seq_buf_free(&buf);
	return copy;
}

static void assert_same_state(const struct machine *a, const struct machine *b,
			      const char *when)
{
	struct seq_buf x, y;
	size_t i;

	seq_buf_init(&x);
	seq_buf_init(&y);
	save(a, &x);
	save(b, &y);
	if (x.len != y.len || memcmp(x.buf, y.buf, x.len)) {
		for (i = 0; i < x.len && i < y.len && x.buf[i] == y.buf[i]; i++)
			;
		FAIL("%s: states differ at byte %zu (sizes %zu, %zu)", when, i,
		     x.len, y.len);
	}
	seq_buf_free(&x);
	seq_buf_free(&y);
}

static void apply(struct machine *m, const char *line, struct seq_buf *res)
{
	struct seq_buf err;

	seq_buf_init(&err);
	seq_buf_reset(res);
	if (op_apply(m, line, res, &err))
		FAIL("'%s': %s", line, err.buf ? err.buf : "?");
	seq_buf_free(&err);
}

static void random_history(char lines[][96], int n, uint64_t seed)
{
	struct prng rng;
	int i, handles = 0;

	prng_seed(&rng, seed);
	for (i = 0; i < n; i++) {
		uint64_t x = prng_below(&rng, 100);

		if (x < 50 || !handles) {
			snprintf(lines[i], 96,
				 "alloc-pages %u %u node=%u type=%s",
				 (unsigned)prng_below(&rng, 11),
				 1 + (unsigned)prng_below(&rng, 20),
				 (unsigned)prng_below(&rng, 2),
				 x % 3 == 0   ? "movable"
				 : x % 3 == 1 ? "reclaimable"
					      : "unmovable");
			handles++;
		} else if (x < 80) {
			snprintf(lines[i], 96, "free-pages %u",
				 1 + (unsigned)prng_below(&rng,
							  (uint64_t)handles));
		} else if (x < 90) {
			snprintf(lines[i], 96, "tick %ums",
				 1 + (unsigned)prng_below(&rng, 5000));
		} else {
			snprintf(lines[i], 96, "sysctl vm.min_free_kbytes=%u",
				 20000 + (unsigned)prng_below(&rng, 100000));
		}
	}
}

/* Apply what applies; a free of an already freed handle is just refused. */
static void run_history(struct machine *m, char lines[][96], int from, int to)
{
	struct seq_buf res, err;
	int i;

	seq_buf_init(&res);
	seq_buf_init(&err);
	for (i = from; i < to; i++) {
		seq_buf_reset(&err);
		if (op_apply(m, lines[i], &res, &err) &&
		    strncmp(lines[i], "free-pages", 10))
			FAIL("'%s': %s", lines[i], err.buf ? err.buf : "?");
	}
	seq_buf_free(&res);
	seq_buf_free(&err);
}

static void test_roundtrip(uint64_t mem, int nodes)
{
	struct machine_params p = {mem, nodes, 2 * nodes, 1ULL << 30, 9, 0};
	struct machine *m, *copy;

	if (machine_boot(&p, &m))
		FAIL("boot failed");
	copy = reload(m);
	assert_same_state(m, copy, "fresh reload");
	machine_free(copy);
	machine_free(m);
}

static void test_replay(void)
{
	static char lines[400][96];
	struct machine_params p = {4ULL << 30, 2, 4, 0, 5, 0};
	struct machine *a, *b, *c;

	random_history(lines, 400, 77);
	if (machine_boot(&p, &a) || machine_boot(&p, &b))
		FAIL("boot failed");
	run_history(a, lines, 0, 400);
	/* b saves and reloads half way, as an image's checkpoint would */
	run_history(b, lines, 0, 200);
	c = reload(b);
	machine_free(b);
	run_history(c, lines, 200, 400);
	assert_same_state(a, c, "replay across a checkpoint");
	machine_free(a);
	machine_free(c);
}

static void test_small_when_idle(void)
{
	struct machine_params p = {1ULL << 40, 4, 8, 0, 1, 0};
	struct seq_buf buf;
	struct machine *m;

	if (machine_boot(&p, &m))
		FAIL("boot failed");
	seq_buf_init(&buf);
	save(m, &buf);
	printf("fresh 1 TiB machine: checkpoint of %zu bytes\n", buf.len);
	ASSERT(buf.len < 1024 * 1024);
	seq_buf_free(&buf);
	machine_free(m);
}

static void test_results(void)
{
	struct machine_params p = {1ULL << 30, 1, 1, 0, 1, 0};
	struct seq_buf res, err;
	struct machine *m;

	if (machine_boot(&p, &m))
		FAIL("boot failed");
	seq_buf_init(&res);
	seq_buf_init(&err);
	apply(m, "alloc-pages 3 4", &res);
	ASSERT(!strcmp(res.buf, "1\n"));
	apply(m, "alloc-pages 0", &res);
	ASSERT(!strcmp(res.buf, "2\n"));
	ASSERT_EQ(op_apply(m, "free-pages 9", &res, &err), -2);
	ASSERT_EQ(op_apply(m, "alloc-pages 11", &res, &err), -22);
	ASSERT_EQ(op_apply(m, "alloc-pages 0 node=3", &res, &err), -22);
	ASSERT_EQ(op_apply(m, "bogus 1", &res, &err), -22);
	ASSERT_EQ(op_apply(m, "tick 5x", &res, &err), -22);
	ASSERT_EQ(op_apply(m, "tick 9000h", &res, &err), -34);
	/* a long idle stretch is one step, and the load decays to zero */
	apply(m, "tick 8000h", &res);
	ASSERT(m->clock_ns > 8000ULL * 3600 * NSEC_PER_SEC);
	ASSERT_EQ(m->avenrun[0], 0);
	ASSERT_EQ(op_validate("alloc-pages 2 3 zone=DMA32 type=movable", &err),
		  0);
	apply(m, "free-pages 1", &res);
	apply(m, "free-pages 2", &res);
	seq_buf_free(&res);
	seq_buf_free(&err);
	machine_free(m);
}

/*
 * The cgroup hierarchy and task membership survive a reload: the same
 * groups, settings, tasks in them, and the counts that follow, with the
 * reloaded machine going on as the one that kept running.
 */
static void test_cgroups(void)
{
	static const char *const ops[] = {
		"cgroup create kubepods",
		"cgroup create kubepods/pod1",
		"cgroup create /kubepods/pod2",
		"cgroup create batch",
		"cgroup set / cgroup.subtree_control +memory +cpu +pids",
		"cgroup set kubepods cgroup.subtree_control +memory",
		"cgroup set kubepods/pod2 cgroup.max.depth 3",
		"cgroup set batch cgroup.max.descendants 1",
		"cgroup set batch cgroup.freeze 1",
	};
	struct machine_params p = {1ULL << 30, 1, 2, 0, 3, 0};
	struct machine *a, *b;
	struct seq_buf res, err;
	struct cgroup *cg;
	char why[256], after[6][64], line[64];
	int app, job;
	size_t i;

	if (machine_boot(&p, &a))
		FAIL("boot failed");
	seq_buf_init(&res);
	seq_buf_init(&err);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		apply(a, ops[i], &res);
	apply(a, "spawn app cgroup=kubepods/pod1", &res);
	app = atoi(res.buf);
	apply(a, "spawn job cgroup=batch", &res);
	job = atoi(res.buf);
	apply(a, "tick 1s", &res);
	snprintf(after[0], 64, "fork %d", job);
	snprintf(after[1], 64, "cgroup create batch/one");
	snprintf(after[2], 64, "cgroup set batch cgroup.freeze 0");
	snprintf(after[3], 64, "cgroup attach %d kubepods/pod2", app);
	snprintf(after[4], 64, "exit %d", job);
	snprintf(after[5], 64, "cgroup rm kubepods/pod1");
	/* refused: no internal processes, limits, names, no such group */
	snprintf(line, sizeof(line), "cgroup attach %d kubepods", app);
	ASSERT_EQ(op_apply(a, line, &res, &err), -EBUSY);
	ASSERT_EQ(op_apply(a, "cgroup create batch/x/y", &res, &err), -ENOENT);
	ASSERT_EQ(op_apply(a, "cgroup rm kubepods", &res, &err), -EBUSY);
	ASSERT_EQ(op_apply(a, "cgroup set / cgroup.subtree_control memory",
			   &res, &err),
		  -EINVAL);
	ASSERT_EQ(op_apply(a,
			   "cgroup set kubepods/pod1 "
			   "cgroup.subtree_control +io",
			   &res, &err),
		  -ENOENT);
	ASSERT_EQ(op_apply(a, "cgroup set / cgroup.subtree_control -memory",
			   &res, &err),
		  -EBUSY);
	ASSERT_EQ(op_apply(a, "spawn x cgroup=kubepods", &res, &err), -EBUSY);
	ASSERT_EQ(op_apply(a, "cgroup attach 2 batch", &res, &err), -EINVAL);
	if (cgroup_check(a, why, sizeof(why)))
		FAIL("cgroups: %s", why);

	b = reload(a);
	assert_same_state(a, b, "cgroups reloaded");
	if (cgroup_check(b, why, sizeof(why)))
		FAIL("reloaded cgroups: %s", why);
	ASSERT_EQ(cgroup_lookup(b, "/kubepods/pod1", &cg), 0);
	ASSERT_EQ(cg->nr_tasks, 1);
	ASSERT(!strcmp(cg->path, "/kubepods/pod1"));
	ASSERT_EQ(cgroup_lookup(b, "batch", &cg), 0);
	ASSERT_EQ(cg->e_freeze, 1);
	for (i = 0; i < 6; i++) {
		apply(a, after[i], &res);
		apply(b, after[i], &res);
	}
	assert_same_state(a, b, "cgroups after a reload");
	if (cgroup_check(b, why, sizeof(why)))
		FAIL("cgroups after a reload: %s", why);
	ASSERT_EQ(cgroup_lookup(b, "/kubepods/pod2", &cg), 0);
	ASSERT_EQ(cg->nr_tasks, 1);
	ASSERT(cgroup_is_populated(cg->parent));
	/* the job's forked child stays where it was born */
	ASSERT_EQ(cgroup_lookup(b, "/batch", &cg), 0);
	ASSERT_EQ(cg->nr_tasks, 1);
	ASSERT_EQ(cg->e_freeze, 0);
	ASSERT_EQ(op_apply(b, "cgroup create batch/two", &res, &err), -EAGAIN);
	seq_buf_free(&res);
	seq_buf_free(&err);
	machine_free(a);
	machine_free(b);
}

/*
 * Damaged sections.  A damaged image fails its checksums; what is tested
 * here is the loader behind them: a checkpoint whose encoding is sound but
 * whose content contradicts itself.  Each case damages the machine in
 * place, saves it, puts it back, and the saved bytes must be refused with
 * the reason.
 */
struct damage_scene {
	struct machine *m;
	struct mem_cgroup *pod1, *pod2, *pod3;
	struct inode *file, *shm;
};

/* The first block head for which @pick says yes. */
struct frame_pick {
	int (*pick)(const struct machine *m, pfn_t pfn, const struct page *page,
		    const void *arg);
	const struct machine *m;
	const void *arg;
	pfn_t found;
};

static int frame_pick_one(pfn_t pfn, const struct page *page, void *arg)
{
	struct frame_pick *f = arg;

	if (page->state == PAGE_TAIL || !f->pick(f->m, pfn, page, f->arg))
		return 0;
	f->found = pfn;
	return 1;
}

static pfn_t find_frame(const struct machine *m,
			int (*pick)(const struct machine *m, pfn_t pfn,
				    const struct page *page, const void *arg),
			const void *arg)
{
	struct frame_pick f = {pick, m, arg, PFN_NONE};

	walk_pages(m, frame_pick_one, &f);
	if (f.found == PFN_NONE)
		FAIL("no frame to damage");
	return f.found;
}

static int charged_table(const struct machine *m, pfn_t pfn,
			 const struct page *page, const void *memcg)
{
	return page->state == PAGE_PGTABLE && page_memcg(m, pfn) == memcg;
}

static int slab_frame(const struct machine *m, pfn_t pfn,
		      const struct page *page, const void *arg)
{
	(void)m;
	(void)pfn;
	(void)arg;
	return page->state == PAGE_SLAB;
}

static int listed_file_page(const struct machine *m, pfn_t pfn,
			    const struct page *page, const void *memcg)
{
	return page->state == PAGE_FILE && page_memcg(m, pfn) == memcg &&
	       page_lru(PAGE_FILE, page->flags) == LRU_INACTIVE_FILE;
}

/* The saved bytes are refused, saying @what. */
static void expect_refused(const struct seq_buf *buf, const char *what,
			   const char *damage)
{
	struct machine *copy;
	char why[256];

	if (!machine_load(buf->buf, buf->len, &copy, why, sizeof(why)))
		FAIL("%s: the damaged checkpoint was loaded", damage);
	if (!strstr(why, what))
		FAIL("%s: refused with '%s', not for '%s'", damage, why, what);
	ASSERT(!strncmp(why, "checkpoint", 10));
}

#define REFUSED(sc, what, damage, repair)             \
	do {                                          \
		struct seq_buf buf_;                  \
                                                      \
		seq_buf_init(&buf_);                  \
		damage;                               \
		save((sc)->m, &buf_);                 \
		repair;                               \
		expect_refused(&buf_, what, #damage); \
		seq_buf_free(&buf_);                  \
	} while (0)

static struct mem_cgroup *memcg_at(struct machine *m, const char *path)
{
	struct cgroup *cgrp;

	if (cgroup_lookup(m, path, &cgrp) || !cgrp->memcg)
		FAIL("no memcg at %s", path);
	return cgrp->memcg;
}

/*
 * Two pods: pod1's reader at its memory.max leaves page cache, shadows
 * in its file and pages on its LRU lists; pod2's writer pushes anonymous
 * and tmpfs pages out to swap, whose slots keep shadows; pod3 is empty.
 */
static void damage_scene_boot(struct damage_scene *sc)
{
	static const char *const ops[] = {
		"cgroup set / cgroup.subtree_control +memory",
		"cgroup create /kubepods",
		"cgroup set /kubepods cgroup.subtree_control +memory",
		"cgroup create /kubepods/pod1",
		"cgroup create /kubepods/pod2",
		"cgroup create /kubepods/pod3",
		"cgroup set /kubepods/pod1 memory.max 64M",
		"file create /data/big 120M",
		"file create /dev/shm/seg 40M",
	};
	struct machine_params p = {512ULL << 20, 1, 2, 256ULL << 20, 4, 0};
	struct seq_buf res;
	char why[256];
	size_t i;
	int app, web;

	if (machine_boot(&p, &sc->m))
		FAIL("boot failed");
	seq_buf_init(&res);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		apply(sc->m, ops[i], &res);
	apply(sc->m, "spawn app cgroup=/kubepods/pod1", &res);
	app = atoi(res.buf);
	apply(sc->m, "spawn web cgroup=/kubepods/pod2", &res);
	web = atoi(res.buf);
	snprintf(why, sizeof(why), "file read /data/big pid=%d", app);
	apply(sc->m, why, &res);
	snprintf(why, sizeof(why), "mmap %d 600M populate", web);
	apply(sc->m, why, &res);
	apply(sc->m, "file read /data/big 0 8M", &res);
	seq_buf_free(&res);
	if (check_page_accounting(sc->m, why, sizeof(why)))
		FAIL("damage scene: %s", why);
	sc->pod1 = memcg_at(sc->m, "/kubepods/pod1");
	sc->pod2 = memcg_at(sc->m, "/kubepods/pod2");
	sc->pod3 = memcg_at(sc->m, "/kubepods/pod3");
	sc->file = inode_lookup_path(sc->m, "/data/big");
	sc->shm = inode_lookup_path(sc->m, "/dev/shm/seg");
	ASSERT(sc->file && sc->file->nr_values);
	ASSERT(sc->shm && sc->shm->swapped >= 2);
}

/* Where @inode's @nth value (from 0) is, that @want says yes to. */
static uint64_t *nth_value(struct inode *inode, int (*want)(uint64_t), int nth)
{
	uint64_t c, i;

	for (c = 0; c < inode->nr_value_chunks; c++)
		for (i = 0; inode->values[c] && i < PAGE_INDEX_CHUNK; i++)
			if (inode->values[c][i] && want(inode->values[c][i]) &&
			    !nth--)
				return &inode->values[c][i];
	FAIL("inode %llu has too few values", (unsigned long long)inode->i_ino);
}

static int any_value(uint64_t v)
{
	(void)v;
	return 1;
}

static int swap_value(uint64_t v)
{
	return radix_is_swap(v);
}

static void damage_frames(struct damage_scene *sc)
{
	struct machine *m = sc->m;
	pfn_t table = find_frame(m, charged_table, sc->pod2);
	pfn_t slab = find_frame(m, slab_frame, NULL);
	pfn_t cached = find_frame(m, listed_file_page, sc->pod1);

	REFUSED(sc, "memory cgroup charges", set_page_memcg_id(m, table, 999),
		set_page_memcg_id(m, table, sc->pod2->id));
	REFUSED(sc, "memory cgroup charges",
		set_page_memcg_id(m, slab, sc->pod1->id),
		set_page_memcg_id(m, slab, 0));
	REFUSED(sc, "names the root memcg",
		set_page_memcg_id(m, table, root_mem_cgroup(m)->id),
		set_page_memcg_id(m, table, sc->pod2->id));
	/* listed as pod1's, saying pod2's */
	REFUSED(sc, "does not belong on LRU list",
		set_page_memcg_id(m, cached, sc->pod2->id),
		set_page_memcg_id(m, cached, sc->pod1->id));
}

static void damage_memcgs(struct damage_scene *sc)
{
	struct cgroup *kube = sc->pod1->cgroup->parent;
	uint16_t id2 = sc->pod2->id, id3 = sc->pod3->id;
	uint16_t on = kube->subtree_control;
	uint64_t peak = sc->pod1->memory.watermark;

	REFUSED(sc, "lacks a memory cgroup", sc->pod3->cgroup->memcg = NULL,
		sc->pod3->cgroup->memcg = sc->pod3);
	REFUSED(sc, "has a memory cgroup",
		kube->subtree_control &= (uint16_t) ~(1U << memory_cgrp_id),
		kube->subtree_control = on);
	REFUSED(sc, "memory cgroups are malformed",
		sc->pod1->memory.max = PAGE_COUNTER_MAX + 1,
		sc->pod1->memory.max = (64ULL << 20) / 4096);
	REFUSED(sc, "memory cgroups are malformed", sc->pod3->oom_group = 2,
		sc->pod3->oom_group = 0);
	REFUSED(sc, "memory cgroups are malformed", sc->pod2->id = sc->pod1->id,
		sc->pod2->id = id2);
	REFUSED(sc, "memory cgroups are malformed", sc->pod3->id = 0,
		sc->pod3->id = id3);
	REFUSED(sc, "above its peak", sc->pod1->memory.watermark = 1,
		sc->pod1->memory.watermark = peak);
}

static void damage_memcg_lrus(struct damage_scene *sc)
{
	struct lru_head *node =
		&NODE_DATA(sc->m, 0)->__lruvec.lists[LRU_INACTIVE_FILE];
	struct lru_head *pod = &sc->pod1->lruvec[0].lists[LRU_INACTIVE_FILE];
	struct lru_head keep = *node;
	struct page *last = pfn_to_page(sc->m, pod->tail);
	pfn_t tail = pod->tail, before = last->prev;

	ASSERT(pod->nr > 1);
	/* pod1's pages saved as the node's own, and the node's as pod1's */
	REFUSED(sc, "does not belong on LRU list", (*node = *pod, *pod = keep),
		(*pod = *node, *node = keep));
	/* the list's last page left out */
	REFUSED(sc, "is on no LRU list",
		(pod->tail = before,
		 pfn_to_page(sc->m, before)->next = PFN_NONE),
		(pod->tail = tail, pfn_to_page(sc->m, before)->next = tail));
}

static void damage_values(struct damage_scene *sc)
{
	uint64_t *shadow = nth_value(sc->file, any_value, 0), was = *shadow;
	uint64_t *slot0 = nth_value(sc->shm, swap_value, 0), s0 = *slot0;
	uint64_t *slot1 = nth_value(sc->shm, swap_value, 1), s1 = *slot1;
	swp_entry_t entry = radix_to_swp_entry(s0);
	struct swap_info_struct *si = sc->m->swap.info[swp_type(entry)];
	uint64_t shadow1;

	ASSERT(si && si->shadow);
	shadow1 = si->shadow[swp_offset(radix_to_swp_entry(s1))];
	REFUSED(sc, "has a bad value", *shadow = 4, *shadow = was);
	REFUSED(sc, "has a bad value", *shadow = s0, *shadow = was);
	REFUSED(sc, "has a bad value", *slot0 = was, *slot0 = s0);
	REFUSED(sc, "has a bad value",
		*slot0 = swp_to_radix_entry(swp_entry(3, swp_offset(entry))),
		*slot0 = s0);
	REFUSED(sc, "has a bad value",
		*slot0 = swp_to_radix_entry(swp_entry(swp_type(entry), 0)),
		*slot0 = s0);
	/* two pages out in one slot (and the other slot free, unshadowed) */
	REFUSED(sc, "shares its swap slot",
		(*slot1 = s0,
		 si->shadow[swp_offset(radix_to_swp_entry(s1))] = SHADOW_NONE),
		(*slot1 = s1,
		 si->shadow[swp_offset(radix_to_swp_entry(s1))] = shadow1));
}

static void damage_swap_shadows(struct damage_scene *sc)
{
	struct swap_info_struct *si = sc->m->swap.info[0];
	uint64_t used = 0, free_slot = 0, off, keep;

	ASSERT(si && si->shadow);
	for (off = 1; off < si->max && (!used || !free_slot); off++) {
		if (!used && si->shadow[off] != SHADOW_NONE)
			used = off;
		if (!free_slot && !si->swap_map[off])
			free_slot = off;
	}
	ASSERT(used && free_slot);
	keep = si->shadow[used];
	REFUSED(sc, "has a bad shadow", si->shadow[free_slot] = keep,
		si->shadow[free_slot] = SHADOW_NONE);
	REFUSED(sc, "has a bad shadow", si->shadow[used] = 4,
		si->shadow[used] = keep);
}

static void test_damaged_sections(void)
{
	struct damage_scene sc;
	struct machine *copy;

	damage_scene_boot(&sc);
	copy = reload(sc.m);
	assert_same_state(sc.m, copy, "the scene before damage");
	machine_free(copy);
	damage_frames(&sc);
	damage_memcgs(&sc);
	damage_memcg_lrus(&sc);
	damage_values(&sc);
	damage_swap_shadows(&sc);
	/* every repair held: the machine saves as it did */
	copy = reload(sc.m);
	assert_same_state(sc.m, copy, "the scene after damage");
	machine_free(copy);
	machine_free(sc.m);
}

int main(void)
{
	test_damaged_sections();
	test_cgroups();
	test_roundtrip(8ULL << 30, 1);
	test_roundtrip(8ULL << 30, 2);
	test_roundtrip(256ULL << 20, 1);
	test_results();
	test_replay();
	test_small_when_idle();
	return unit_done("checkpoint");
}
