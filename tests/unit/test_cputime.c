// SPDX-License-Identifier: GPL-2.0
/*
 * cpu.stat: a group's CPU time grows with its tasks' as they run, a
 * parent's is the sum of its own tasks' and its children's, the time
 * stays in the group after a task exits or moves and in the parent after
 * rmdir, the root's is /proc/stat's, the cpu controller adds its keys,
 * and all of it survives a checkpoint and a replay; a checkpoint whose
 * times contradict one another is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "fork.h"
#include "procfs.h"
#include "replay.h"

static struct cgroup *group(struct run *r, const char *path)
{
	struct cgroup *cgrp;

	if (cgroup_lookup(r->m, path, &cgrp))
		FAIL("no cgroup %s", path);
	return cgrp;
}

static void render(struct run *r, const char *path, struct seq_buf *out)
{
	seq_buf_reset(out);
	if (pfs_render(r->m, path, out))
		FAIL("render %s failed", path);
}

/* The value of @key in @path's cpu.stat, read through the file. */
static uint64_t cpu_stat(struct run *r, const char *path, const char *key)
{
	char file[256], want[64];
	struct seq_buf s;
	const char *p;
	uint64_t v;

	snprintf(file, sizeof(file), "sys/fs/cgroup%s/cpu.stat",
		 strcmp(path, "/") ? path : "");
	snprintf(want, sizeof(want), "%s ", key);
	seq_buf_init(&s);
	render(r, file, &s);
	for (p = s.buf; p && strncmp(p, want, strlen(want));) {
		p = strchr(p, '\n');
		p = p && p[1] ? p + 1 : NULL;
	}
	if (!p)
		FAIL("%s has no %s", file, key);
	v = strtoull(p + strlen(want), NULL, 10);
	seq_buf_free(&s);
	return v;
}

static const struct task_struct *task(struct run *r, const char *pid)
{
	const struct task_struct *t = find_task_by_pid(r->m, atoi(pid));

	if (!t)
		FAIL("no task %s", pid);
	return t;
}

static void check(struct run *r)
{
	char why[256];

	if (cgroup_check(r->m, why, sizeof(why)))
		FAIL("cgroup_check: %s", why);
}

/* Grows with the tasks, sums up, stays after exit, move and rmdir. */
static void test_hierarchy(void)
{
	char app[32], web[32], job[32];
	uint64_t b, a, a_before, c;
	struct run r;

	run_boot(&r, 512ULL << 20, 0, 5);
	run_op(&r, "cgroup create /a");
	run_op(&r, "cgroup create /a/b");
	run_op(&r, "cgroup create /c");
	run_op_out(&r, app, sizeof(app), "spawn app cgroup=/a/b");
	run_op_out(&r, web, sizeof(web), "spawn web cgroup=/a");
	ASSERT_EQ(cpu_stat(&r, "/a/b", "usage_usec"), 0);
	run_op(&r, "tick 60s");
	check(&r);

	/* the group's time is its task's, all user time */
	b = group(&r, "/a/b")->bstat.utime;
	ASSERT(b > 0);
	ASSERT_EQ(b, task(&r, app)->utime_ns);
	ASSERT_EQ(group(&r, "/a/b")->bstat.stime, 0);
	ASSERT_EQ(cpu_stat(&r, "/a/b", "user_usec"), b / 1000);
	ASSERT_EQ(cpu_stat(&r, "/a/b", "usage_usec"), b / 1000);
	ASSERT_EQ(cpu_stat(&r, "/a/b", "system_usec"), 0);
	ASSERT_EQ(cpu_stat(&r, "/a/b", "nice_usec"), 0);
	/* the parent's is its own task's and its child's */
	a = group(&r, "/a")->bstat.utime;
	ASSERT_EQ(a, b + task(&r, web)->utime_ns);
	ASSERT_EQ(group(&r, "/c")->bstat.utime, 0);

	/* an exited task's time stays */
	run_op(&r, "exit %s", app);
	run_op(&r, "tick 60s");
	check(&r);
	ASSERT_EQ(group(&r, "/a/b")->bstat.utime, b);
	ASSERT(group(&r, "/a")->bstat.utime > a);

	/* so does a moved one's, and the new group counts from there */
	run_op_out(&r, job, sizeof(job), "spawn job cgroup=/a/b");
	b = group(&r, "/a/b")->bstat.utime;
	run_op(&r, "tick 60s");
	ASSERT_EQ(group(&r, "/a/b")->bstat.utime - b, task(&r, job)->utime_ns);
	b = group(&r, "/a/b")->bstat.utime;
	a = task(&r, job)->utime_ns;
	run_op(&r, "cgroup attach %s /c", job);
	run_op(&r, "tick 60s");
	check(&r);
	ASSERT_EQ(group(&r, "/a/b")->bstat.utime, b);
	c = group(&r, "/c")->bstat.utime;
	ASSERT(c > 0);
	ASSERT_EQ(a + c, task(&r, job)->utime_ns);

	/* a frozen group's tasks do not run */
	run_op(&r, "cgroup set /c cgroup.freeze 1");
	run_op(&r, "tick 60s");
	ASSERT_EQ(group(&r, "/c")->bstat.utime, c);
	run_op(&r, "cgroup set /c cgroup.freeze 0");

	/* rmdir leaves the child's time in the parent's */
	a_before = group(&r, "/a")->bstat.utime;
	run_op(&r, "cgroup rm /a/b");
	ASSERT_EQ(group(&r, "/a")->bstat.utime, a_before);
	ASSERT_EQ(cpu_stat(&r, "/a", "user_usec"), a_before / 1000);
	check(&r);
	run_finish(&r);
}

/* The root's cpu.stat is /proc/stat's cpu line: kcpustat, in usec. */
static void test_root(void)
{
	uint64_t user = 0, nice = 0, sys = 0, irq = 0, softirq = 0;
	unsigned long long f[10];
	struct seq_buf s;
	struct run r;
	int cpu;

	run_boot(&r, 512ULL << 20, 0, 6);
	run_op(&r, "cgroup create /a");
	run_op(&r, "spawn app cgroup=/a");
	run_op(&r, "tick 300s");
	for (cpu = 0; cpu < r.m->nr_cpu_ids; cpu++) {
		const uint64_t *k = r.m->kcpustat[cpu].cpustat;

		user += k[CPUTIME_USER];
		nice += k[CPUTIME_NICE];
		sys += k[CPUTIME_SYSTEM];
		irq += k[CPUTIME_IRQ];
		softirq += k[CPUTIME_SOFTIRQ];
	}
	ASSERT_EQ(cpu_stat(&r, "/", "user_usec"), (user + nice) / 1000);
	ASSERT_EQ(cpu_stat(&r, "/", "system_usec"),
		  (sys + irq + softirq) / 1000);
	ASSERT_EQ(cpu_stat(&r, "/", "nice_usec"), nice / 1000);
	ASSERT_EQ(cpu_stat(&r, "/", "usage_usec"),
		  (user + nice + sys + irq + softirq) / 1000);
	/* and /proc/stat shows the same sums in USER_HZ ticks */
	seq_buf_init(&s);
	render(&r, "proc/stat", &s);
	ASSERT_EQ(sscanf(s.buf, "cpu %llu %llu %llu %llu %llu %llu %llu", &f[0],
			 &f[1], &f[2], &f[3], &f[4], &f[5], &f[6]),
		  7);
	ASSERT_EQ(f[0], user / 10000000);
	ASSERT_EQ(f[1], nice / 10000000);
	ASSERT_EQ(f[2], sys / 10000000);
	seq_buf_free(&s);
	ASSERT(cpu_stat(&r, "/", "user_usec") >=
	       cpu_stat(&r, "/a", "user_usec"));
	check(&r);
	run_finish(&r);
}

/*
 * The cpu controller's keys come with its css: the root always, a child
 * once cpu is in its parent's subtree_control.  No cpu.max is set, so
 * they are all 0.
 */
static void test_cpu_controller(void)
{
	static const char extra[] = "nr_periods 0\nnr_throttled 0\n"
				    "throttled_usec 0\nnr_bursts 0\n"
				    "burst_usec 0\n";
	struct seq_buf s;
	struct run r;

	run_boot(&r, 512ULL << 20, 0, 7);
	run_op(&r, "cgroup create /a");
	seq_buf_init(&s);
	render(&r, "sys/fs/cgroup/a/cpu.stat", &s);
	ASSERT(!strstr(s.buf, "nr_periods"));
	render(&r, "sys/fs/cgroup/a/cpu.stat.local", &s);
	ASSERT_EQ(s.len, 0);
	render(&r, "sys/fs/cgroup/cpu.stat", &s);
	ASSERT(strstr(s.buf, extra));
	render(&r, "sys/fs/cgroup/cpu.stat.local", &s);
	ASSERT(!strcmp(s.buf, "throttled_usec 0\n"));

	run_op(&r, "cgroup set / cgroup.subtree_control +cpu");
	render(&r, "sys/fs/cgroup/a/cpu.stat", &s);
	ASSERT(!strcmp(s.buf, "usage_usec 0\nuser_usec 0\nsystem_usec 0\n"
			      "nice_usec 0\n"
			      "nr_periods 0\nnr_throttled 0\n"
			      "throttled_usec 0\nnr_bursts 0\nburst_usec 0\n"));
	render(&r, "sys/fs/cgroup/a/cpu.stat.local", &s);
	ASSERT(!strcmp(s.buf, "throttled_usec 0\n"));
	seq_buf_free(&s);
	run_finish(&r);
}

/* A niced task's user time is nice time too, here and in /proc/stat. */
static void test_nice(void)
{
	uint64_t nice = 0;
	char pid[32];
	struct run r;
	int cpu;

	run_boot(&r, 512ULL << 20, 0, 8);
	run_op(&r, "cgroup create /batch");
	run_op_out(&r, pid, sizeof(pid), "spawn etl cgroup=/batch");
	/* no operation renices: set it behind the journal's back */
	find_task_mut(r.m, atoi(pid))->nice = 10;
	machine_tick(r.m, 120ULL * NSEC_PER_SEC);
	for (cpu = 0; cpu < r.m->nr_cpu_ids; cpu++)
		nice += r.m->kcpustat[cpu].cpustat[CPUTIME_NICE];
	ASSERT(nice > 0);
	ASSERT_EQ(nice, task(&r, pid)->utime_ns);
	ASSERT_EQ(group(&r, "/batch")->bstat.ntime, nice);
	ASSERT_EQ(group(&r, "/batch")->bstat.utime, nice);
	ASSERT_EQ(cpu_stat(&r, "/batch", "nice_usec"), nice / 1000);
	ASSERT_EQ(cpu_stat(&r, "/", "nice_usec"), nice / 1000);
	check(&r);
	run_free(&r);
}

/* The saved bytes are refused, saying @what. */
static void expect_refused(const struct machine *m, const char *what)
{
	struct machine *copy;
	struct seq_buf img;
	char why[256];

	seq_buf_init(&img);
	ASSERT_EQ(machine_save(m, &img), 0);
	if (!machine_load(img.buf, img.len, &copy, why, sizeof(why)))
		FAIL("a checkpoint with %s was loaded", what);
	if (!strstr(why, what))
		FAIL("refused with '%s', not for '%s'", why, what);
	seq_buf_free(&img);
}

/* Times that contradict one another are refused, and checked. */
static void test_damaged(void)
{
	char why[256], what[64];
	struct cgroup *a, *b;
	struct run r;

	run_boot(&r, 512ULL << 20, 0, 9);
	run_op(&r, "cgroup create /a");
	run_op(&r, "cgroup create /a/b");
	run_op(&r, "spawn app cgroup=/a/b");
	run_op(&r, "tick 60s");
	a = group(&r, "/a");
	b = group(&r, "/a/b");

	b->bstat.stime = a->bstat.stime + 1;
	expect_refused(r.m, "cgroup /a: its children ran");
	ASSERT(cgroup_check(r.m, why, sizeof(why)));
	b->bstat.stime = 0;

	b->bstat.ntime = b->bstat.utime + 1;
	snprintf(what, sizeof(what), "cgroup /a/b: %llu ns of nice CPU time",
		 (unsigned long long)b->bstat.ntime);
	expect_refused(r.m, what);
	b->bstat.ntime = 0;

	/* more than the system ran at all */
	a->bstat.utime += 1ULL << 50;
	b->bstat.utime += 1ULL << 50;
	expect_refused(r.m, "cgroup /: its children ran");
	a->bstat.utime -= 1ULL << 50;
	b->bstat.utime -= 1ULL << 50;
	check(&r);
	run_finish(&r);
}

int main(void)
{
	test_hierarchy();
	test_root();
	test_cpu_controller();
	test_nice();
	test_damaged();
	return unit_done("cputime");
}
