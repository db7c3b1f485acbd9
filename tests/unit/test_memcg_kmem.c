// SPDX-License-Identifier: GPL-2.0
/*
 * Kernel memory in the memory controller: the slab objects a group's
 * tasks allocate (task, mm and VMA structures, inodes, dentries, page
 * cache index nodes) are charged to it and its ancestors in bytes, the
 * page counter seeing whole pages; they are uncharged as they are freed,
 * stay with the group that paid for them when a task moves, go to the
 * parent at rmdir, and all of it survives a checkpoint and a replay.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "memcontrol.h"
#include "replay.h"
#include "slab.h"
#include "task.h"

/*
 * What making a group charges its parent in slab on a 1-node machine:
 * memcg_vmstats (kmalloc-cg-2k), mem_cgroup_per_node (kmalloc-cg-512)
 * and lruvec_stats (kmalloc-cg-1k), each with its 8-byte objcg pointer.
 */
#define MEMCG_CSS_SLAB_1NODE (2048U + 8 + 512 + 8 + 1024 + 8)

static struct mem_cgroup *memcg_of(struct run *r, const char *path)
{
	struct cgroup *cgrp;

	if (cgroup_lookup(r->m, path, &cgrp) || !cgrp->memcg)
		FAIL("no memcg at %s", path);
	return cgrp->memcg;
}

static void make_pod(struct run *r)
{
	run_op(r, "cgroup set / cgroup.subtree_control +memory");
	run_op(r, "cgroup create /kubepods");
	run_op(r, "cgroup set /kubepods cgroup.subtree_control +memory");
	run_op(r, "cgroup create /kubepods/pod1");
}

static uint64_t slab_bytes(const struct mem_cgroup *memcg)
{
	return memcg_page_state(memcg, NR_SLAB_RECLAIMABLE_B) +
	       memcg_page_state(memcg, NR_SLAB_UNRECLAIMABLE_B);
}

/* Objects of @id charged to @memcg itself, over nodes. */
static uint64_t own_objs(const struct machine *m,
			 const struct mem_cgroup *memcg, enum kmem_cache_id id)
{
	uint64_t n = 0;
	int nid;

	for (nid = 0; nid < m->nr_node_ids; nid++)
		n += memcg->slab_objs[nid][kmem_cache_target(id)];
	return n;
}

/*
 * memory.current of a group without swap or sockets is what memory.stat
 * adds up to in 6.18: anon + file + kernel (stacks, page tables and the
 * slab's pages), the anon and file pages each counted once.
 */
static void assert_current_adds_up(const struct mem_cgroup *memcg)
{
	uint64_t pages = memcg_page_state(memcg, NR_ANON_MAPPED) +
			 memcg_page_state(memcg, NR_FILE_PAGES) +
			 memcg_stat(memcg, MEMCG_KMEM);

	ASSERT_EQ(memcg->memory.usage, pages);
}

/*
 * A pod's process maps many regions and forks: its VMAs, anon_vmas,
 * mm_structs and task structures are the pod's slab_unreclaimable, at
 * obj_full_size() each, and the pod's parent sees them too.
 */
static void test_vmas_and_fork(void)
{
	char app[32], a[32], c1[32], c2[32];
	struct mem_cgroup *pod, *kube;
	uint64_t vmas = 0, bytes;
	struct run r;
	int i, k;

	run_boot(&r, 2ULL << 30, 0, 11);
	make_pod(&r);
	run_op_out(&r, app, sizeof(app), "spawn app cgroup=/kubepods/pod1");
	for (i = 0; i < 40; i++) {
		run_op_out(&r, a, sizeof(a), "mmap %s 64K %s", app,
			   i % 2 ? "prot=r" : "prot=rw");
		run_op(&r, "touch %s %s 4K %s", app, a,
		       i % 2 ? "read" : "write");
	}
	run_op_out(&r, c1, sizeof(c1), "fork %s", app);
	run_op_out(&r, c2, sizeof(c2), "fork %s", c1);
	pod = memcg_of(&r, "/kubepods/pod1");
	kube = memcg_of(&r, "/kubepods");
	for (k = 0; k < r.m->nr_tasks; k++)
		if (r.m->tasks[k].mm &&
		    mem_cgroup_from_task(r.m, &r.m->tasks[k]) == pod)
			vmas += r.m->tasks[k].mm->nr_vmas;
	ASSERT(vmas > 120);
	ASSERT_EQ(own_objs(r.m, pod, KMEM_VM_AREA_STRUCT), vmas);
	/*
	 * The spawned task's own structures were allocated by its parent,
	 * outside (CLONE_INTO_CGROUP charges the parent); the forks' by it.
	 */
	ASSERT_EQ(own_objs(r.m, pod, KMEM_TASK_STRUCT), 2);
	ASSERT_EQ(own_objs(r.m, pod, KMEM_MM_STRUCT), 3);
	ASSERT(own_objs(r.m, pod, KMEM_ANON_VMA) >= 60);
	ASSERT_EQ(own_objs(r.m, pod, KMEM_ANON_VMA),
		  own_objs(r.m, pod, KMEM_ANON_VMA_CHAIN));
	bytes = memcg_page_state(pod, NR_SLAB_UNRECLAIMABLE_B);
	ASSERT(bytes >= vmas * (kmem_cache_size(KMEM_VM_AREA_STRUCT) + 8));
	ASSERT_EQ(bytes, pod->kmem_bytes -
				 memcg_page_state(pod, NR_SLAB_RECLAIMABLE_B));
	/* whole pages in the counter, the rest of the last in the stock */
	ASSERT_EQ(pod->kmem_pages,
		  (pod->kmem_bytes + PAGE_SIZE - 1) / PAGE_SIZE);
	ASSERT_EQ(memcg_stat(pod, MEMCG_KMEM),
		  pod->kmem_pages +
			  memcg_page_state(pod, NR_KERNEL_STACK_KB) /
				  (PAGE_SIZE / 1024) +
			  memcg_page_state(pod, NR_PAGETABLE));
	assert_current_adds_up(pod);
	/*
	 * The hierarchy: of its own, the parent holds only what making the
	 * pod charged it, the pod's statistics in percpu memory and slab.
	 */
	ASSERT_EQ(slab_bytes(kube), slab_bytes(pod) + MEMCG_CSS_SLAB_1NODE);
	ASSERT_EQ(kube->kmem_bytes,
		  (uint64_t)kube->stat[MEMCG_PERCPU_B] + MEMCG_CSS_SLAB_1NODE);
	ASSERT(kube->kmem_bytes > 0);
	ASSERT_EQ(kube->memory.usage, pod->memory.usage + kube->kmem_pages);
	run_finish(&r);
}

/*
 * A pod's process reads files through mmap: their inodes, dentries and
 * index nodes are its slab_reclaimable.  When the processes exit their
 * unreclaimable objects go and the cached files stay charged; dropping
 * the caches uncharges those too.
 */
static void test_files_and_exit(void)
{
	char app[32], a[32];
	struct mem_cgroup *pod;
	uint64_t rcl;
	struct run r;
	int i;

	run_boot(&r, 2ULL << 30, 0, 12);
	for (i = 0; i < 30; i++)
		run_op(&r, "file create /data/f%d 1M", i);
	run_op(&r, "sysctl vm.drop_caches=3");
	make_pod(&r);
	run_op_out(&r, app, sizeof(app), "spawn app cgroup=/kubepods/pod1");
	for (i = 0; i < 30; i++) {
		run_op_out(&r, a, sizeof(a), "mmap %s 1M file=/data/f%d", app,
			   i);
		run_op(&r, "touch %s %s 1M read", app, a);
	}
	pod = memcg_of(&r, "/kubepods/pod1");
	rcl = memcg_page_state(pod, NR_SLAB_RECLAIMABLE_B);
	ASSERT(own_objs(r.m, pod, KMEM_DENTRY) >= 30);
	ASSERT(own_objs(r.m, pod, KMEM_EXT4_INODE_CACHE) >= 30);
	ASSERT(own_objs(r.m, pod, KMEM_RADIX_TREE_NODE) >= 30);
	ASSERT(rcl >= 30 * (kmem_cache_size(KMEM_DENTRY) + 8 +
			    kmem_cache_size(KMEM_EXT4_INODE_CACHE) + 8));
	assert_current_adds_up(pod);
	run_op(&r, "exit %s", app);
	ASSERT_EQ(memcg_page_state(pod, NR_SLAB_UNRECLAIMABLE_B), 0);
	/* the cached files stay charged, as the kernel's dentries do */
	ASSERT(own_objs(r.m, pod, KMEM_DENTRY) >= 30);
	ASSERT(memcg_page_state(pod, NR_SLAB_RECLAIMABLE_B) > 0);
	ASSERT(memcg_page_state(pod, NR_SLAB_RECLAIMABLE_B) <= rcl);
	assert_current_adds_up(pod);
	run_op(&r, "sysctl vm.drop_caches=3");
	ASSERT_EQ(slab_bytes(pod), 0);
	ASSERT_EQ(pod->kmem_pages, 0);
	assert_current_adds_up(pod);
	run_finish(&r);
}

/*
 * A task that moves keeps its old objects charged where they were; what
 * it allocates afterwards is charged to its new group.  rmdir of the old
 * group hands its objects to the parent.
 */
static void test_move_and_rmdir(void)
{
	char app[32], a[32];
	struct mem_cgroup *pod, *other, *kube;
	uint64_t pod_vmas, kube_bytes;
	struct run r;

	run_boot(&r, 2ULL << 30, 0, 13);
	make_pod(&r);
	run_op(&r, "cgroup create /kubepods/pod2");
	run_op_out(&r, a, sizeof(a), "spawn app cgroup=/kubepods/pod1");
	run_op_out(&r, app, sizeof(app), "fork %s", a);
	run_op(&r, "exit %s", a);
	run_op_out(&r, a, sizeof(a), "mmap %s 64K", app);
	pod = memcg_of(&r, "/kubepods/pod1");
	other = memcg_of(&r, "/kubepods/pod2");
	pod_vmas = own_objs(r.m, pod, KMEM_VM_AREA_STRUCT);
	ASSERT(pod_vmas > 0);
	run_op(&r, "cgroup attach %s /kubepods/pod2", app);
	ASSERT_EQ(own_objs(r.m, pod, KMEM_TASK_STRUCT), 1);
	ASSERT_EQ(own_objs(r.m, other, KMEM_TASK_STRUCT), 0);
	run_op_out(&r, a, sizeof(a), "mmap %s 64K prot=r", app);
	ASSERT_EQ(own_objs(r.m, pod, KMEM_VM_AREA_STRUCT), pod_vmas);
	ASSERT_EQ(own_objs(r.m, other, KMEM_VM_AREA_STRUCT), 1);
	kube = memcg_of(&r, "/kubepods");
	kube_bytes = slab_bytes(kube);
	run_op(&r, "cgroup rm /kubepods/pod1");
	/*
	 * The parent has them now, and its counters did all along; only
	 * pod1's own structures, charged to it, are gone.
	 */
	ASSERT_EQ(slab_bytes(kube), kube_bytes - MEMCG_CSS_SLAB_1NODE);
	ASSERT_EQ(own_objs(r.m, kube, KMEM_TASK_STRUCT), 1);
	ASSERT_EQ(own_objs(r.m, kube, KMEM_VM_AREA_STRUCT), pod_vmas);
	assert_current_adds_up(kube);
	run_op(&r, "exit %s", app);
	ASSERT_EQ(memcg_page_state(kube, NR_SLAB_UNRECLAIMABLE_B),
		  MEMCG_CSS_SLAB_1NODE);
	ASSERT_EQ(own_objs(r.m, kube, KMEM_TASK_STRUCT), 0);
	/* up to the root: its objects are the root's, uncharged at free */
	run_op_out(&r, app, sizeof(app), "spawn app cgroup=/kubepods/pod2");
	ASSERT(own_objs(r.m, other, KMEM_VM_AREA_STRUCT) > 0);
	run_op(&r, "cgroup set /kubepods cgroup.subtree_control -memory");
	run_op(&r, "cgroup set / cgroup.subtree_control -memory");
	ASSERT(own_objs(r.m, root_mem_cgroup(r.m), KMEM_VM_AREA_STRUCT) > 0);
	run_op(&r, "exit %s", app);
	ASSERT_EQ(own_objs(r.m, root_mem_cgroup(r.m), KMEM_VM_AREA_STRUCT), 0);
	run_finish(&r);
}

/*
 * Kernel memory counts toward memory.max: a process that only maps
 * regions, never touching them, fills its group with VMAs until the
 * group's OOM killer takes it, and the group never went over its limit.
 */
static void test_limit(void)
{
	struct mem_cgroup *pod;
	uint64_t max;
	char app[32];
	struct run r;
	int i;

	run_boot(&r, 1ULL << 30, 0, 15);
	make_pod(&r);
	run_op_out(&r, app, sizeof(app), "spawn app cgroup=/kubepods/pod1");
	pod = memcg_of(&r, "/kubepods/pod1");
	max = pod->memory.usage + 8;
	run_op(&r, "cgroup set /kubepods/pod1 memory.max %llu",
	       (unsigned long long)(max * PAGE_SIZE));
	for (i = 0; i < 1000 && task_alive(r.m, app); i++)
		run_op(&r, "mmap %s 4K prot=%s", app, i % 2 ? "r" : "rw");
	ASSERT(!task_alive(r.m, app));
	ASSERT(i > 100);
	ASSERT_EQ(pod->memory_events[MEMCG_OOM_KILL], 1);
	ASSERT(pod->memory_events[MEMCG_MAX] > 0);
	ASSERT(pod->memory.watermark <= max);
	run_finish(&r);
}

/*
 * The objects' attribution is in the checkpoint: a loaded machine
 * counts what the saved one did, and an objcg naming a memcg that does
 * not exist is refused with the reason.
 */
static void test_checkpoint(void)
{
	struct seq_buf good;
	struct machine *copy;
	struct tape *tape;
	char app[32], why[256];
	struct mem_cgroup *pod;
	struct run r;
	uint32_t ino;
	size_t i;

	run_boot(&r, 2ULL << 30, 0, 14);
	make_pod(&r);
	run_op_out(&r, app, sizeof(app), "spawn app cgroup=/kubepods/pod1");
	run_op(&r, "fork %s", app);
	pod = memcg_of(&r, "/kubepods/pod1");
	seq_buf_init(&good);
	ASSERT_EQ(machine_save(r.m, &good), 0);
	if (machine_load(good.buf, good.len, &copy, why, sizeof(why)))
		FAIL("load: %s", why);
	ASSERT_EQ(memcg_of(&r, "/kubepods/pod1")->kmem_bytes, pod->kmem_bytes);
	ASSERT_EQ(copy->memcgs[pod->id]->kmem_bytes, pod->kmem_bytes);
	ASSERT_EQ(copy->memcgs[pod->id]->memory.usage, pod->memory.usage);
	tape = calloc(1, sizeof(*tape));
	ASSERT(tape != NULL);
	memcg_kmem_save(copy, tape_put, tape);
	/* the files' charged index nodes come first, then the objcgs */
	for (ino = 1, i = 0; ino < copy->nr_inodes; ino++)
		i += copy->inodes[ino] != NULL;
	for (; i < tape->nr; i++)
		if (objcg_memcg_id((uint32_t)tape->v[i]) == pod->id)
			break;
	ASSERT(i < tape->nr);
	tape->v[i] = objcg_make(0x7ff0, 0);
	ASSERT_EQ(memcg_kmem_load(copy, tape_get, tape, why, sizeof(why)),
		  -EINVAL);
	ASSERT(strstr(why, "memory cgroup that is not") != NULL);
	free(tape);
	machine_free(copy);
	seq_buf_free(&good);
	run_finish(&r);
}

static uint64_t cache_inuse(const struct machine *m, enum kmem_cache_id id)
{
	return kmem_cache_state(m, id)->inuse;
}

/*
 * Making a group takes its mem_cgroup from kmalloc-4k, unaccounted, and
 * its statistics from kmalloc-cg caches, charged to the parent as
 * slab_unreclaimable; rmdir gives them back.  The checkpoint keeps the
 * attribution, and the checker finds the objects charged.
 */
static void test_memcg_structures(void)
{
	uint64_t k4, cg2k, cg1k, cg512, before;
	struct mem_cgroup *kube;
	struct run r;
	int k;

	run_boot(&r, 1ULL << 30, 0, 17);
	make_pod(&r);
	kube = memcg_of(&r, "/kubepods");
	k4 = cache_inuse(r.m, KMEM_KMALLOC_4K);
	cg2k = cache_inuse(r.m, KMEM_KMALLOC_CG_2K);
	cg1k = cache_inuse(r.m, KMEM_KMALLOC_CG_1K);
	cg512 = cache_inuse(r.m, KMEM_KMALLOC_CG_512);
	before = memcg_page_state(kube, NR_SLAB_UNRECLAIMABLE_B);

	for (k = 0; k < 10; k++)
		run_op(&r, "cgroup create /kubepods/c%d", k);
	ASSERT_EQ(cache_inuse(r.m, KMEM_KMALLOC_4K), k4 + 10);
	ASSERT_EQ(cache_inuse(r.m, KMEM_KMALLOC_CG_2K), cg2k + 10);
	ASSERT_EQ(cache_inuse(r.m, KMEM_KMALLOC_CG_1K), cg1k + 10);
	ASSERT_EQ(cache_inuse(r.m, KMEM_KMALLOC_CG_512), cg512 + 10);
	ASSERT_EQ(own_objs(r.m, kube, KMEM_KMALLOC_CG_2K), 11);
	ASSERT_EQ(memcg_page_state(kube, NR_SLAB_UNRECLAIMABLE_B),
		  before + 10 * MEMCG_CSS_SLAB_1NODE);
	/* the children themselves hold none of it */
	ASSERT_EQ(slab_bytes(memcg_of(&r, "/kubepods/c3")), 0);

	for (k = 0; k < 10; k++)
		run_op(&r, "cgroup rm /kubepods/c%d", k);
	ASSERT_EQ(cache_inuse(r.m, KMEM_KMALLOC_4K), k4);
	ASSERT_EQ(cache_inuse(r.m, KMEM_KMALLOC_CG_2K), cg2k);
	ASSERT_EQ(cache_inuse(r.m, KMEM_KMALLOC_CG_1K), cg1k);
	ASSERT_EQ(cache_inuse(r.m, KMEM_KMALLOC_CG_512), cg512);
	ASSERT_EQ(memcg_page_state(kube, NR_SLAB_UNRECLAIMABLE_B), before);
	run_op(&r, "cgroup create /kubepods/again");
	run_finish(&r);
}

/*
 * A group made below one at its limit is charged to it: mkdir reclaims
 * there first, then OOM-kills inside it, and with nothing left to kill
 * fails with ENOMEM, the group not made.
 */
static void test_mkdir_at_limit(void)
{
	struct mem_cgroup *kube;
	struct cgroup *cgrp;
	char app[32], a[32];
	uint64_t cg2k;
	struct run r;

	run_boot(&r, 1ULL << 30, 0, 19);
	make_pod(&r);
	run_op_out(&r, app, sizeof(app), "spawn app cgroup=/kubepods/pod1");
	run_op_out(&r, a, sizeof(a), "mmap %s 16M", app);
	run_op(&r, "touch %s %s 16M write", app, a);
	kube = memcg_of(&r, "/kubepods");
	run_op(&r, "cgroup set /kubepods memory.max %llu",
	       (unsigned long long)(kube->memory.usage * PAGE_SIZE));
	/* the pod's page cache makes room */
	run_op(&r, "cgroup create /kubepods/pod2");
	ASSERT(task_alive(r.m, app));
	ASSERT(kube->memory_events[MEMCG_MAX] > 0);
	ASSERT_EQ(kube->memory_events[MEMCG_OOM], 0);
	ASSERT(kube->memory.watermark <= kube->memory.max);

	/* no swap and no cache left: the pod's anon cannot go, its task does */
	run_op(&r, "cgroup set /kubepods memory.reclaim 1G");
	ASSERT_EQ(memcg_page_state(kube, NR_FILE_PAGES), 0);
	run_op(&r, "cgroup set /kubepods memory.max %llu",
	       (unsigned long long)(kube->memory.usage * PAGE_SIZE));
	run_op(&r, "cgroup create /kubepods/pod3");
	ASSERT(!task_alive(r.m, app));
	ASSERT_EQ(kube->memory_events[MEMCG_OOM_KILL], 1);
	ASSERT(kube->memory.usage <= kube->memory.max);

	run_op(&r, "cgroup set /kubepods memory.max %llu",
	       (unsigned long long)(kube->memory.usage * PAGE_SIZE));
	cg2k = kmem_cache_state(r.m, KMEM_KMALLOC_CG_2K)->inuse;
	ASSERT_EQ(try_op(r.m, "cgroup create /kubepods/pod4"), -ENOMEM);
	ASSERT_EQ(cgroup_lookup(r.m, "/kubepods/pod4", &cgrp), -ENOENT);
	ASSERT_EQ(kmem_cache_state(r.m, KMEM_KMALLOC_CG_2K)->inuse, cg2k);
	ASSERT(kube->memory.usage <= kube->memory.max);
	run_free(&r);
}

int main(void)
{
	test_vmas_and_fork();
	test_files_and_exit();
	test_move_and_rmdir();
	test_limit();
	test_checkpoint();
	test_memcg_structures();
	test_mkdir_at_limit();
	return unit_done("memcg_kmem");
}
