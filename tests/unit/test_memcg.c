// SPDX-License-Identifier: GPL-2.0
/*
 * The memory controller: charges follow the pages (hierarchically, and
 * back when they are freed), memory.max reclaims inside the group and
 * then OOM-kills inside it, memory.high reclaims without killing, page
 * cache a group faults in is charged to it and reclaimed at its limit,
 * rmdir hands the pages to the parent, and all of it survives a
 * checkpoint and a replay.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "memcontrol.h"
#include "printk.h"
#include "replay.h"

static void boot(struct run *r, uint64_t mem, uint64_t swap)
{
	run_boot(r, mem, swap, 3);
}

static struct mem_cgroup *memcg_of(struct run *r, const char *path)
{
	struct cgroup *cgrp;

	if (cgroup_lookup(r->m, path, &cgrp) || !cgrp->memcg)
		FAIL("no memcg at %s", path);
	return cgrp->memcg;
}

/* The kernel log holds @text. */
static int log_has(const struct machine *m, const char *text)
{
	const struct printk_record *rec;
	uint32_t i;

	for (i = 0; (rec = prb_record(&m->log, i)); i++)
		if (memmem(rec->text, rec->text_len, text, strlen(text)))
			return 1;
	return 0;
}

static void make_pod(struct run *r)
{
	run_op(r, "cgroup set / cgroup.subtree_control +memory");
	run_op(r, "cgroup create /kubepods");
	run_op(r, "cgroup set /kubepods cgroup.subtree_control +memory");
	run_op(r, "cgroup create /kubepods/pod1");
}

/*
 * A pod at memory.max=512M writing 600M is OOM-killed inside the pod;
 * the host had memory to spare and the process outside is untouched.
 */
static void test_max_oom(void)
{
	char app[32], other[32], a[32], b[32];
	struct mem_cgroup *pod, *kube;
	struct run r;

	boot(&r, 4ULL << 30, 0);
	make_pod(&r);
	run_op(&r, "cgroup set /kubepods/pod1 memory.max 512M");
	run_op_out(&r, other, sizeof(other), "spawn web");
	run_op_out(&r, b, sizeof(b), "mmap %s 200M", other);
	run_op(&r, "touch %s %s 200M write", other, b);
	run_op_out(&r, app, sizeof(app), "spawn app cgroup=/kubepods/pod1");
	pod = memcg_of(&r, "/kubepods/pod1");
	kube = memcg_of(&r, "/kubepods");
	ASSERT(pod->memory.usage > 0);
	/* a child's charges are its parent's too */
	ASSERT_EQ(kube->memory.usage, pod->memory.usage);
	run_op_out(&r, a, sizeof(a), "mmap %s 600M", app);
	run_op(&r, "touch %s %s 600M write", app, a);
	ASSERT(!task_alive(r.m, app));
	ASSERT(task_alive(r.m, other));
	ASSERT_EQ(pod->memory_events[MEMCG_OOM], 1);
	ASSERT_EQ(pod->memory_events[MEMCG_OOM_KILL], 1);
	ASSERT(pod->memory_events[MEMCG_MAX] > 0);
	ASSERT_EQ(kube->memory_events[MEMCG_OOM_KILL], 1);
	ASSERT_EQ(kube->memory_events_local[MEMCG_OOM_KILL], 0);
	ASSERT(pod->memory.watermark <= (512ULL << 20) / PAGE_SIZE);
	ASSERT(log_has(r.m, "Memory cgroup out of memory: Killed process"));
	ASSERT(log_has(r.m, "oom_memcg=/kubepods/pod1"));
	ASSERT(log_has(r.m, "Memory cgroup stats for /kubepods/pod1:"));
	/* the host never ran short */
	ASSERT_EQ(r.m->vm_events[ALLOCSTALL_NORMAL], 0);
	run_finish(&r);
}

/* memory.high: reclaim to swap holds the pod near it, nobody dies. */
static void test_high(void)
{
	char app[32], a[32];
	struct mem_cgroup *pod;
	struct run r;

	boot(&r, 4ULL << 30, 2ULL << 30);
	make_pod(&r);
	run_op(&r, "cgroup set /kubepods/pod1 memory.high 256M");
	run_op_out(&r, app, sizeof(app), "spawn app cgroup=/kubepods/pod1");
	run_op_out(&r, a, sizeof(a), "mmap %s 600M", app);
	run_op(&r, "touch %s %s 600M write", app, a);
	pod = memcg_of(&r, "/kubepods/pod1");
	ASSERT(task_alive(r.m, app));
	ASSERT(pod->memory_events[MEMCG_HIGH] > 0);
	ASSERT_EQ(pod->memory_events[MEMCG_OOM_KILL], 0);
	ASSERT(pod->memory.usage <= (256ULL << 20) / PAGE_SIZE +
					    2 * MEMCG_CHARGE_BATCH);
	ASSERT(r.m->vm_events[PSWPOUT] > 0);
	ASSERT(pod->events[PGSCAN_DIRECT] > 0);
	run_finish(&r);
}

/*
 * Page cache faulted in by a task of the pod is the pod's, and goes at
 * its limit before anything is killed; rmdir of an emptied group hands
 * what is left to the parent.
 */
static void test_page_cache(void)
{
	char app[32], a[32];
	struct mem_cgroup *pod, *kube;
	struct run r;
	uint64_t file;

	boot(&r, 2ULL << 30, 0);
	make_pod(&r);
	run_op(&r, "file create /data/big 300M");
	run_op(&r, "cgroup set /kubepods/pod1 memory.max 100M");
	run_op_out(&r, app, sizeof(app), "spawn app cgroup=/kubepods/pod1");
	run_op_out(&r, a, sizeof(a), "mmap %s 300M file=/data/big", app);
	run_op(&r, "touch %s %s 300M read", app, a);
	pod = memcg_of(&r, "/kubepods/pod1");
	ASSERT(task_alive(r.m, app));
	ASSERT_EQ(pod->memory_events[MEMCG_OOM], 0);
	file = memcg_page_state(pod, NR_FILE_PAGES);
	ASSERT(file > 0);
	ASSERT(pod->memory.usage <= (100ULL << 20) / PAGE_SIZE);
	ASSERT(pod->events[PGSTEAL_DIRECT] > 0);
	run_op(&r, "exit %s", app);
	run_op(&r, "cgroup rm /kubepods/pod1");
	kube = memcg_of(&r, "/kubepods");
	ASSERT(memcg_page_state(kube, NR_FILE_PAGES) >= file);
	run_finish(&r);
}

int main(void)
{
	test_max_oom();
	test_high();
	test_page_cache();
	return unit_done("memcg");
}
