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
#include <errno.h>
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

static int task_alive(const struct machine *m, const char *pid)
{
	int i;

	for (i = 0; i < m->nr_tasks; i++)
		if (m->tasks[i].pid == atoi(pid))
			return 1;
	return 0;
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
 * The reclaim a group's task waits for is its group's memory pressure,
 * and its ancestors', not a sibling's: memory.pressure below the root.
 */
static void test_pressure(void)
{
	const struct psi_group *pod, *kube, *other;
	char app[32], a[32];
	struct run r;

	boot(&r, 4ULL << 30, 2ULL << 30);
	make_pod(&r);
	run_op(&r, "cgroup create /kubepods/pod2");
	run_op(&r, "cgroup set /kubepods/pod1 memory.high 256M");
	run_op_out(&r, app, sizeof(app), "spawn app cgroup=/kubepods/pod1");
	run_op_out(&r, a, sizeof(a), "mmap %s 600M", app);
	run_op(&r, "touch %s %s 600M write", app, a);
	run_op(&r, "tick 5s");
	pod = &memcg_of(&r, "/kubepods/pod1")->cgroup->psi;
	kube = &memcg_of(&r, "/kubepods")->cgroup->psi;
	other = &memcg_of(&r, "/kubepods/pod2")->cgroup->psi;
	ASSERT(pod->total[PSI_MEM_SOME] > 0);
	ASSERT_EQ(pod->total[PSI_MEM_FULL], pod->total[PSI_MEM_SOME]);
	ASSERT(pod->avg[PSI_MEM_SOME][0] > 0);
	ASSERT_EQ(kube->total[PSI_MEM_SOME], pod->total[PSI_MEM_SOME]);
	ASSERT_EQ(other->total[PSI_MEM_SOME], 0);
	ASSERT(r.m->psi.total[PSI_MEM_SOME] >= pod->total[PSI_MEM_SOME]);
	/* the app's later stalls while cgroup.pressure is 0 are not its */
	run_op(&r, "cgroup set /kubepods/pod1 cgroup.pressure 0");
	run_op(&r, "touch %s %s 600M write", app, a);
	run_op(&r, "tick 5s");
	ASSERT(kube->total[PSI_MEM_SOME] > pod->total[PSI_MEM_SOME]);
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
	/*
	 * memory.reclaim of more than there is: it takes what it can and
	 * stands (journaled, replayed) though the writer is told EAGAIN
	 */
	run_op(&r, "cgroup set /kubepods/pod1 memory.reclaim 1G");
	ASSERT_EQ(r.m->op_errno, -EAGAIN);
	ASSERT(pod->events[PGSTEAL_PROACTIVE] > 0);
	ASSERT(memcg_page_state(pod, NR_FILE_PAGES) < file);
	file = memcg_page_state(pod, NR_FILE_PAGES);
	run_op(&r, "exit %s", app);
	run_op(&r, "cgroup rm /kubepods/pod1");
	kube = memcg_of(&r, "/kubepods");
	ASSERT(memcg_page_state(kube, NR_FILE_PAGES) >= file);
	run_finish(&r);
}

/*
 * Two groups under host pressure: /prod's page cache within its
 * protection stays, /batch's goes.  memory.min holds even when nothing
 * else is left; memory.low gives way then, counting "low" events.
 */
static void protection_run(struct run *r, const char *knob, uint64_t prod_mb,
			   uint64_t batch_mb, uint64_t host_mb, int nested)
{
	char prod[32], batch[32], host[32], a[32];

	boot(r, 2ULL << 30, 0);
	run_op(r, "cgroup set / cgroup.subtree_control +memory");
	run_op(r, "cgroup create /prod");
	run_op(r, "cgroup create /batch");
	run_op(r, "cgroup set /prod %s 300M", knob);
	run_op(r, "file create /data/prod 400M");
	run_op(r, "file create /data/batch 400M");
	if (nested) {
		run_op(r, "cgroup set /prod cgroup.subtree_control +memory");
		run_op(r, "cgroup create /prod/db");
	}
	run_op_out(r, prod, sizeof(prod), "spawn db cgroup=%s",
		   nested ? "/prod/db" : "/prod");
	run_op_out(r, a, sizeof(a), "mmap %s %lluM file=/data/prod", prod,
		   (unsigned long long)prod_mb);
	run_op(r, "touch %s %s %lluM read", prod, a,
	       (unsigned long long)prod_mb);
	run_op_out(r, batch, sizeof(batch), "spawn etl cgroup=/batch");
	run_op_out(r, a, sizeof(a), "mmap %s %lluM file=/data/batch", batch,
		   (unsigned long long)batch_mb);
	run_op(r, "touch %s %s %lluM read", batch, a,
	       (unsigned long long)batch_mb);
	run_op_out(r, host, sizeof(host), "spawn hog");
	run_op_out(r, a, sizeof(a), "mmap %s %lluM", host,
		   (unsigned long long)host_mb);
	run_op(r, "touch %s %s %lluM write", host, a,
	       (unsigned long long)host_mb);
}

/* reclaim's batch, SWAP_CLUSTER_MAX */
#define RECLAIM_BATCH 32

static void test_protection(void)
{
	const uint64_t protected = (300ULL << 20) / PAGE_SIZE;
	struct mem_cgroup *prod, *batch, *db;
	struct run r;

	/* enough in /batch: /prod keeps all it has within memory.low */
	protection_run(&r, "memory.low", 400, 400, 1300, 0);
	prod = memcg_of(&r, "/prod");
	batch = memcg_of(&r, "/batch");
	ASSERT(r.m->vm_events[PGSTEAL_KSWAPD] + r.m->vm_events[PGSTEAL_DIRECT] >
	       0);
	ASSERT(prod->memory.usage >= protected);
	ASSERT(batch->memory.usage < (200ULL << 20) / PAGE_SIZE);
	ASSERT_EQ(prod->memory_events[MEMCG_LOW], 0);
	run_finish(&r);

	/* not enough: memory.low gives way, and says so */
	protection_run(&r, "memory.low", 400, 100, 1550, 0);
	prod = memcg_of(&r, "/prod");
	ASSERT(prod->memory.usage < protected);
	ASSERT(prod->memory_events[MEMCG_LOW] > 0);
	ASSERT_EQ(prod->memory_events_local[MEMCG_LOW],
		  prod->memory_events[MEMCG_LOW]);
	run_finish(&r);

	/*
	 * memory.min does not (but for the last batch reclaim took while
	 * the group was still above it)
	 */
	protection_run(&r, "memory.min", 400, 100, 1550, 0);
	prod = memcg_of(&r, "/prod");
	ASSERT(prod->memory.usage + RECLAIM_BATCH >= protected);
	ASSERT_EQ(r.m->vm_events[OOM_KILL], 0);
	ASSERT_EQ(prod->memory_events[MEMCG_LOW], 0);
	run_finish(&r);

	/*
	 * A parent's protection covers children that claim none of their
	 * own (memory_recursiveprot): /prod/db has no memory.min itself
	 */
	protection_run(&r, "memory.min", 400, 100, 1550, 1);
	db = memcg_of(&r, "/prod/db");
	ASSERT(db->memory.usage + RECLAIM_BATCH >= protected);
	ASSERT(db->memory.emin > 0);
	run_finish(&r);
}

int main(void)
{
	test_max_oom();
	test_high();
	test_pressure();
	test_page_cache();
	test_protection();
	return unit_done("memcg");
}
