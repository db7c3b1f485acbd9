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

#include "checkpoint.h"
#include "machine.h"
#include "ops.h"
#include "page_alloc.h"
#include "seq_buf.h"
#include "unit.h"

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

int main(void)
{
	test_cgroups();
	test_roundtrip(8ULL << 30, 1);
	test_roundtrip(8ULL << 30, 2);
	test_roundtrip(256ULL << 20, 1);
	test_results();
	test_replay();
	test_small_when_idle();
	return unit_done("checkpoint");
}
