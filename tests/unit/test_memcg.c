// SPDX-License-Identifier: GPL-2.0
/*
 * The memory controller: charges follow the pages (hierarchically, and
 * back when they are freed), memory.max reclaims inside the group and
 * then OOM-kills inside it, memory.high reclaims without killing, page
 * cache a group faults in is charged to it and reclaimed at its limit,
 * rmdir hands the pages to the parent, and all of it survives a
 * checkpoint and a replay.  Swap slots are charged to the memcg of the
 * page that took them until they are freed, memory.swap.max keeps a
 * group's anon in memory, a page swapped in is charged to its slot's
 * memcg, and an image whose slots name no memcg is refused.
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
#include "swap.h"

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
 * A process "app" in @group, at memory.high @high (NULL: as it is),
 * writing @size of anonymous memory: its pid in @pid and the address in
 * @addr, 32 bytes each.
 */
static void spawn_writer(struct run *r, const char *group, const char *high,
			 const char *size, char *pid, char *addr)
{
	if (high)
		run_op(r, "cgroup set %s memory.high %s", group, high);
	run_op_out(r, pid, 32, "spawn app cgroup=%s", group);
	run_op_out(r, addr, 32, "mmap %s %s", pid, size);
	run_op(r, "touch %s %s %s write", pid, addr, size);
}

/*
 * The opening the cases share: a machine of @mem and @swap bytes with
 * /kubepods/pod1, and spawn_writer()'s process in the pod.  Returns the
 * pod's memcg.
 */
static struct mem_cgroup *run_in_pod(struct run *r, uint64_t mem, uint64_t swap,
				     const char *high, const char *size,
				     char *pid, char *addr)
{
	boot(r, mem, swap);
	make_pod(r);
	spawn_writer(r, "/kubepods/pod1", high, size, pid, addr);
	return memcg_of(r, "/kubepods/pod1");
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
	/*
	 * a child's charges are its parent's too; the parent's own are
	 * the child's percpu statistics, charged when it was made
	 */
	ASSERT(kube->kmem_pages > 0);
	ASSERT_EQ(kube->memory.usage, pod->memory.usage + kube->kmem_pages);
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

	pod = run_in_pod(&r, 4ULL << 30, 2ULL << 30, "256M", "600M", app, a);
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
 * Without swap a group's anon cannot go back under memory.high: its task
 * is throttled, 2 s for each 64 pages charged while the group is more
 * than about 18% over (the penalty's clamp), nothing while it is within
 * about 1% (below HZ / 100), and the sleep is its group's memory stall,
 * which a tick places in memory.pressure.  No kill, high events counted.
 */
static void test_high_throttle(void)
{
	const uint64_t high = (32ULL << 20) / PAGE_SIZE;
	const uint64_t clamped = high + high * 18 / 100;
	const uint64_t batch_ns = 2000000000ULL / MEMCG_CHARGE_BATCH;
	const struct psi_group *psi;
	char app[32], a[32];
	struct mem_cgroup *pod;
	uint64_t stall;
	struct run r;

	pod = run_in_pod(&r, 1ULL << 30, 0, "32M", "64M", app, a);
	psi = &pod->cgroup->psi;
	ASSERT(task_alive(r.m, app));
	ASSERT_EQ(pod->memory_events[MEMCG_OOM_KILL], 0);
	ASSERT(pod->memory_events[MEMCG_HIGH] > 0);
	ASSERT(pod->memory.usage > high + (30ULL << 20) / PAGE_SIZE);
	stall = psi->pending[PSI_MEM_SOME];
	ASSERT(stall >= (pod->memory.usage - clamped) * batch_ns);
	ASSERT(stall <= (pod->memory.usage - high) * batch_ns + 1000000000ULL);
	ASSERT_EQ(r.m->psi.pending[PSI_MEM_SOME], stall);

	/* a tick of 10 s: the stall outlasts it, every period is full */
	run_op(&r, "tick 10s");
	ASSERT_EQ(psi->total[PSI_MEM_SOME], 10000000000ULL);
	ASSERT_EQ(psi->total[PSI_MEM_FULL], 10000000000ULL);

	/* under memory.high again, the same task is let go */
	run_op(&r, "cgroup set /kubepods/pod1 memory.high max");
	run_op_out(&r, a, sizeof(a), "mmap %s 8M", app);
	run_op(&r, "touch %s %s 8M write", app, a);
	ASSERT(pod->memory.usage > high + (38ULL << 20) / PAGE_SIZE);
	ASSERT_EQ(psi->pending[PSI_MEM_SOME], 0);
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
	spawn_writer(&r, "/kubepods/pod1", "256M", "600M", app, a);
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

/* Swap slots in use, over all areas. */
static uint64_t swap_used(const struct machine *m)
{
	return total_swap_pages(m) - nr_free_swap_pages(m);
}

/*
 * A group held at memory.high by swapping owns the slots its pages took,
 * as does its parent; they go when its process exits, the peak stays.
 */
static void test_swap_charge(void)
{
	char app[32], a[32];
	struct mem_cgroup *pod, *kube;
	struct run r;
	uint64_t used;

	pod = run_in_pod(&r, 2ULL << 30, 1ULL << 30, "128M", "300M", app, a);
	kube = memcg_of(&r, "/kubepods");
	used = swap_used(r.m);
	/* only the pod swapped: every slot in use is its own */
	ASSERT(pod->swap.usage > (100ULL << 20) / PAGE_SIZE);
	ASSERT_EQ(pod->swap.usage, used);
	ASSERT_EQ(kube->swap.usage, pod->swap.usage);
	ASSERT_EQ(memcg_stat(kube, MEMCG_SWAP), pod->swap.usage);
	ASSERT(pod->swap.watermark >= pod->swap.usage);
	ASSERT_EQ(pod->memory_events[MEMCG_SWAP_MAX], 0);
	/* the swap cache keeps both charges: read some of it back */
	run_op(&r, "cgroup set /kubepods/pod1 memory.high max");
	run_op(&r, "touch %s %s 64M read", app, a);
	ASSERT_EQ(pod->swap.usage, swap_used(r.m));
	ASSERT(memcg_page_state(pod, NR_SWAPCACHE) > 0);
	run_op(&r, "exit %s", app);
	ASSERT_EQ(pod->swap.usage, 0);
	ASSERT_EQ(kube->swap.usage, 0);
	ASSERT(pod->swap.watermark >= used);
	ASSERT_EQ(swap_used(r.m), 0);
	run_finish(&r);
}

/*
 * memory.swap.max=0 keeps a group's anon in memory while the host swaps
 * its own; a small swap.max caps the group's slots and counts the
 * charges it refused; swap.high only counts.
 */
static void test_swap_max(void)
{
	char app[32], web[32], big[32], a[32], b[32], c[32];
	struct mem_cgroup *pod, *pod2, *pod3;
	struct run r;
	uint64_t anon, pswpout;

	boot(&r, 1ULL << 30, 2ULL << 30);
	make_pod(&r);
	run_op(&r, "cgroup create /kubepods/pod2");
	run_op(&r, "cgroup create /kubepods/pod3");
	run_op(&r, "cgroup set /kubepods/pod1 memory.swap.max 0");
	spawn_writer(&r, "/kubepods/pod1", NULL, "200M", app, a);
	pod = memcg_of(&r, "/kubepods/pod1");
	anon = memcg_page_state(pod, NR_ANON_MAPPED);
	ASSERT(anon >= (200ULL << 20) / PAGE_SIZE);
	run_op_out(&r, web, sizeof(web), "spawn web");
	run_op_out(&r, b, sizeof(b), "mmap %s 1G", web);
	run_op(&r, "touch %s %s 1G write", web, b);
	ASSERT(r.m->vm_events[PSWPOUT] > 0);
	ASSERT_EQ(pod->swap.usage, 0);
	ASSERT_EQ(pod->events[PSWPOUT], 0);
	ASSERT_EQ(memcg_page_state(pod, NR_ANON_MAPPED), anon);
	run_op(&r, "exit %s", web);

	/* 1000K: room for 250 slots, and then the charges fail */
	run_op(&r, "cgroup set /kubepods/pod2 memory.swap.max 1000K");
	spawn_writer(&r, "/kubepods/pod2", "64M", "100M", big, c);
	pod2 = memcg_of(&r, "/kubepods/pod2");
	ASSERT_EQ(pod2->swap.usage, 250);
	ASSERT_EQ(pod2->swap.watermark, 250);
	ASSERT(pod2->memory_events[MEMCG_SWAP_MAX] > 0);
	ASSERT(pod2->memory_events[MEMCG_SWAP_FAIL] >=
	       pod2->memory_events[MEMCG_SWAP_MAX]);
	ASSERT_EQ(memcg_of(&r, "/kubepods")->memory_events[MEMCG_SWAP_MAX],
		  pod2->memory_events[MEMCG_SWAP_MAX]);
	ASSERT_EQ(pod2->memory_events[MEMCG_OOM_KILL], 0);
	/* lowering swap.max takes nothing back, but nothing more goes */
	run_op(&r, "cgroup set /kubepods/pod2 memory.swap.max 0");
	ASSERT_EQ(pod2->swap.usage, 250);
	ASSERT(mem_cgroup_get_nr_swap_pages(r.m, pod2) < 0);
	/*
	 * Written back in, the pages free their slots; none go out again.
	 * What stays out is the rest of the process (its stack, its data).
	 */
	pswpout = pod2->events[PSWPOUT];
	run_op(&r, "touch %s %s 100M write", big, c);
	ASSERT_EQ(pod2->events[PSWPOUT], pswpout);
	ASSERT(pod2->swap.usage < 100);
	ASSERT_EQ(pod2->swap.usage,
		  get_mm_counter(find_task_by_pid(r.m, atoi(big))->mm,
				 MM_SWAPENTS));
	/* garbage changes nothing */
	ASSERT(try_op(r.m, "cgroup set /kubepods/pod2 memory.swap.max 1Q"));
	ASSERT(try_op(r.m, "cgroup set /kubepods/pod2 memory.swap.high x"));
	ASSERT_EQ(pod2->swap.max, 0);

	run_op(&r, "cgroup set /kubepods/pod3 memory.swap.high 8M");
	spawn_writer(&r, "/kubepods/pod3", "32M", "64M", big, c);
	pod3 = memcg_of(&r, "/kubepods/pod3");
	ASSERT(pod3->swap.usage > (8ULL << 20) / PAGE_SIZE);
	ASSERT(pod3->memory_events[MEMCG_SWAP_HIGH] > 0);
	ASSERT_EQ(pod3->memory_events[MEMCG_SWAP_MAX], 0);
	run_finish(&r);
}

/* A group that finds every slot taken counts swap.events fail, not max. */
static void test_swap_fail(void)
{
	char app[32], a[32];
	struct mem_cgroup *pod;
	struct run r;

	pod = run_in_pod(&r, 1ULL << 30, 1100ULL << 10, "32M", "64M", app, a);
	ASSERT_EQ(nr_free_swap_pages(r.m), 0);
	ASSERT_EQ(pod->swap.usage, total_swap_pages(r.m));
	ASSERT(pod->memory_events[MEMCG_SWAP_FAIL] > 0);
	ASSERT_EQ(pod->memory_events[MEMCG_SWAP_MAX], 0);
	run_finish(&r);
}

/*
 * A page swapped out by one group and faulted in by a task of another
 * (a child moved after fork) is charged to the slot's group; the
 * memcg OOM report shows the swap line; rmdir hands slots to the parent.
 */
static void test_swapin_owner(void)
{
	char app[32], child[32], a[32];
	struct mem_cgroup *pod, *pod2, *kube;
	struct run r;
	uint64_t swapped, anon2;

	boot(&r, 2ULL << 30, 1ULL << 30);
	make_pod(&r);
	run_op(&r, "cgroup create /kubepods/pod2");
	spawn_writer(&r, "/kubepods/pod1", "32M", "100M", app, a);
	pod = memcg_of(&r, "/kubepods/pod1");
	pod2 = memcg_of(&r, "/kubepods/pod2");
	swapped = pod->swap.usage;
	ASSERT(swapped > (50ULL << 20) / PAGE_SIZE);
	run_op(&r, "cgroup set /kubepods/pod1 memory.high max");
	run_op_out(&r, child, sizeof(child), "fork %s", app);
	run_op(&r, "cgroup attach %s /kubepods/pod2", child);
	anon2 = memcg_page_state(pod2, NR_ANON_MAPPED);
	run_op(&r, "touch %s %s 100M read", child, a);
	/* what came back is the pod's, whoever read it */
	ASSERT_EQ(memcg_page_state(pod2, NR_ANON_MAPPED), anon2);
	ASSERT(memcg_page_state(pod, NR_ANON_MAPPED) >=
	       (100ULL << 20) / PAGE_SIZE);
	ASSERT(memcg_events(pod, PSWPIN) > 0);
	ASSERT_EQ(memcg_events(pod2, PSWPIN), 0);
	/* still in the swap cache: the slots stay charged */
	ASSERT_EQ(pod->swap.usage, swapped);
	run_op(&r, "exit %s", child);
	/* with no swap room, the pod at its limit OOM-kills, and says so */
	run_op(&r, "cgroup set /kubepods/pod1 memory.swap.max 0");
	run_op(&r, "cgroup set /kubepods/pod1 memory.max 16M");
	ASSERT(!task_alive(r.m, app));
	ASSERT(log_has(r.m, "swap: usage "));
	ASSERT_EQ(pod->swap.usage, 0);

	run_op(&r, "cgroup set /kubepods/pod1 memory.max max");
	run_op(&r, "cgroup set /kubepods/pod1 memory.swap.max max");
	spawn_writer(&r, "/kubepods/pod1", "16M", "64M", app, a);
	swapped = pod->swap.usage;
	ASSERT(swapped > 0);
	run_op(&r, "cgroup attach %s /kubepods/pod2", app);
	run_op(&r, "cgroup rm /kubepods/pod1");
	kube = memcg_of(&r, "/kubepods");
	ASSERT_EQ(kube->swap.usage, swapped);
	ASSERT_EQ(kube->stat[MEMCG_SWAP], (int64_t)swapped);
	ASSERT_EQ(pod2->swap.usage, 0);
	run_op(&r, "exit %s", app);
	ASSERT_EQ(kube->swap.usage, 0);
	run_finish(&r);
}

/* An image whose slots name a memcg wrongly is refused, with why. */
static void test_swap_cgroup_damaged(void)
{
	char app[32], a[32], why[256];
	struct swap_info_struct *si;
	struct machine *copy;
	struct seq_buf img;
	uint64_t used = 0, free_slot = 0, o;
	struct run r;
	uint16_t id;

	run_in_pod(&r, 1ULL << 30, 256ULL << 20, "16M", "32M", app, a);
	si = r.m->swap.info[0];
	for (o = 1; o < si->max && (!used || !free_slot); o++) {
		if (si->swap_map[o] && !used)
			used = o;
		else if (!si->swap_map[o] && !free_slot)
			free_slot = o;
	}
	ASSERT(used && free_slot);
	id = si->swap_cgroup[used];
	ASSERT_EQ(id, memcg_of(&r, "/kubepods/pod1")->id);

	si->swap_cgroup[free_slot] = id;
	seq_buf_init(&img);
	ASSERT_EQ(machine_save(r.m, &img), 0);
	ASSERT(machine_load(img.buf, img.len, &copy, why, sizeof(why)));
	ASSERT(strstr(why, "it is free"));
	ASSERT(check_page_accounting(r.m, why, sizeof(why)));
	seq_buf_free(&img);
	si->swap_cgroup[free_slot] = 0;

	si->swap_cgroup[used] = 999;
	seq_buf_init(&img);
	ASSERT_EQ(machine_save(r.m, &img), 0);
	ASSERT(machine_load(img.buf, img.len, &copy, why, sizeof(why)));
	ASSERT(strstr(why, "no such memcg"));
	seq_buf_free(&img);
	si->swap_cgroup[used] = id;
	run_finish(&r);
}

int main(void)
{
	test_max_oom();
	test_high();
	test_high_throttle();
	test_pressure();
	test_page_cache();
	test_protection();
	test_swap_charge();
	test_swap_max();
	test_swap_fail();
	test_swapin_owner();
	test_swap_cgroup_damaged();
	return unit_done("memcg");
}
