// SPDX-License-Identifier: GPL-2.0
/*
 * Workingset detection: evicted pages leave shadows that the checker can
 * count, refaults within the workingset are activated and those of
 * former workingset pages are restores, invalidation drops the shadows,
 * the shadow-node shrinker keeps them to their share, and all of it
 * survives a checkpoint and a replay.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filemap_internal.h"
#include "replay.h"
#include "vmstat.h"

static uint64_t node_state(const struct run *r, enum node_stat_item item)
{
	return (uint64_t)global_node_page_state(r->m, item);
}

static void boot(struct run *r, uint64_t mem, uint64_t swap)
{
	run_boot(r, mem, swap, 5);
}

/*
 * A file read once more after a stream pushed it out comes back within
 * the active list's reach: every page is a refault, and activated.
 */
static void test_file_refault(void)
{
	struct run r;
	uint64_t refault, activate;
	const struct inode *x;

	boot(&r, 1ULL << 30, 0);
	run_op(&r, "file create /data/hot 200M");
	run_op(&r, "file create /data/x 100M");
	run_op(&r, "file create /data/y 650M");
	run_op(&r, "file read /data/hot");
	run_op(&r, "file read /data/hot");
	run_op(&r, "file read /data/x");
	run_op(&r, "file read /data/y");
	x = inode_lookup_path(r.m, "/data/x");
	ASSERT(x && x->nr_values > 0);
	ASSERT(node_state(&r, WORKINGSET_NODES) > 0);
	refault = node_state(&r, WORKINGSET_REFAULT_FILE);
	activate = node_state(&r, WORKINGSET_ACTIVATE_FILE);
	run_op(&r, "file read /data/x");
	/* each shadow of x was consumed by its page's return */
	ASSERT_EQ(node_state(&r, WORKINGSET_REFAULT_FILE) - refault,
		  (100ULL << 20) / PAGE_SIZE);
	ASSERT(node_state(&r, WORKINGSET_ACTIVATE_FILE) - activate > 0);
	ASSERT_EQ(node_state(&r, WORKINGSET_REFAULT_ANON), 0);

	/* thrashing over more than memory: former active pages come back */
	run_op(&r, "file read /data/y");
	run_op(&r, "file read /data/hot");
	run_op(&r, "file read /data/x");
	run_op(&r, "file read /data/y");
	run_op(&r, "file read /data/hot");
	ASSERT(node_state(&r, WORKINGSET_RESTORE_FILE) > 0);
	ASSERT(node_state(&r, WORKINGSET_RESTORE_FILE) <=
	       node_state(&r, WORKINGSET_ACTIVATE_FILE));
	ASSERT(node_state(&r, WORKINGSET_ACTIVATE_FILE) <=
	       node_state(&r, WORKINGSET_REFAULT_FILE));
	/* a restore is a wait on memory the task needed */
	ASSERT(r.m->psi.pending[PSI_MEM_SOME] > 0);
	run_finish(&r);
}

/* A stream alone never activates: no active list to have kept it. */
static void test_stream_not_activated(void)
{
	struct run r;

	boot(&r, 512ULL << 20, 0);
	run_op(&r, "file create /data/big 700M");
	run_op(&r, "file read /data/big");
	run_op(&r, "file read /data/big");
	ASSERT(node_state(&r, WORKINGSET_REFAULT_FILE) > 0);
	ASSERT_EQ(node_state(&r, WORKINGSET_ACTIVATE_FILE), 0);
	run_finish(&r);
}

/* drop_caches invalidates: shadows and the nodes holding them go. */
static void test_drop_caches(void)
{
	struct run r;
	uint32_t ino;

	boot(&r, 512ULL << 20, 0);
	run_op(&r, "file create /data/big 700M");
	run_op(&r, "file read /data/big");
	ASSERT(node_state(&r, WORKINGSET_NODES) > 0);
	run_op(&r, "sysctl vm.drop_caches=1");
	ASSERT_EQ(node_state(&r, WORKINGSET_NODES), 0);
	for (ino = 1; ino < r.m->nr_inodes; ino++)
		ASSERT(!r.m->inodes[ino] || !r.m->inodes[ino]->nr_values);
	/* what comes back now is a first read, not a refault */
	run_op(&r, "file read /data/big 0 4096");
	run_finish(&r);
}

/*
 * Anonymous pages leave their shadows in their swap slots: a second
 * pass over memory swapped out refaults, one per page swapped in.
 */
static void test_anon_refault(void)
{
	char pid[32], addr[32];
	struct run r;

	boot(&r, 512ULL << 20, 1ULL << 30);
	run_op_out(&r, pid, sizeof(pid), "spawn app");
	run_op_out(&r, addr, sizeof(addr), "mmap %s 600M anon private", pid);
	run_op(&r, "touch %s %s 600M write", pid, addr);
	ASSERT(r.m->vm_events[PSWPOUT] > 0);
	run_op(&r, "touch %s %s 600M write passes=2", pid, addr);
	ASSERT(node_state(&r, WORKINGSET_REFAULT_ANON) > 0);
	ASSERT(node_state(&r, WORKINGSET_REFAULT_ANON) <=
	       r.m->vm_events[PSWPIN]);
	run_finish(&r);
}

/*
 * A file ten times memory read through leaves a shadow-only node per 64
 * pages pushed out; past an eighth of memory's worth, the shrinker takes
 * the excess back, half of it a pass.
 */
static void test_shadow_shrinker(void)
{
	struct run r;
	uint64_t max_nodes;

	boot(&r, 256ULL << 20, 0);
	max_nodes = NODE_DATA(r.m, 0)->node_present_pages >> 3;
	run_op(&r, "file create /data/big 2600M");
	run_op(&r, "file read /data/big");
	ASSERT(node_state(&r, WORKINGSET_NODERECLAIM) > 0);
	ASSERT(node_state(&r, WORKINGSET_NODES) <= max_nodes + 64);
	run_finish(&r);
}

/*
 * tmpfs pages go out to swap: the file's index names their slots, the
 * mount stays charged, the checker counts the slots' references; the
 * state survives a checkpoint; reading part back and swapoff bring them
 * in again.
 */
static void test_shmem_swap(void)
{
	char pid[32], addr[32];
	const struct inode *f;
	uint64_t swapped;
	struct run r;

	boot(&r, 1ULL << 30, 1ULL << 30);
	run_op(&r, "file create /dev/shm/data 400M");
	run_op_out(&r, pid, sizeof(pid), "spawn app");
	run_op_out(&r, addr, sizeof(addr), "mmap %s 800M anon private", pid);
	run_op(&r, "touch %s %s 800M write", pid, addr);
	f = inode_lookup_path(r.m, "/dev/shm/data");
	ASSERT(f && f->swapped > 0);
	ASSERT_EQ(f->nrpages + f->swapped, (400ULL << 20) / PAGE_SIZE);
	swapped = f->swapped;
	run_op(&r, "file read /dev/shm/data 0 40M");
	ASSERT(f->swapped < swapped);
	run_finish(&r);

	boot(&r, 1ULL << 30, 1ULL << 30);
	run_op(&r, "file create /dev/shm/data 400M");
	run_op_out(&r, pid, sizeof(pid), "spawn app");
	run_op_out(&r, addr, sizeof(addr), "mmap %s 800M anon private", pid);
	run_op(&r, "touch %s %s 800M write", pid, addr);
	run_op(&r, "exit %s", pid);
	run_op(&r, "swapoff /dev/vdb");
	f = inode_lookup_path(r.m, "/dev/shm/data");
	ASSERT_EQ(f->swapped, 0);
	ASSERT_EQ(f->nrpages, (400ULL << 20) / PAGE_SIZE);
	run_finish(&r);
}

int main(void)
{
	test_file_refault();
	test_stream_not_activated();
	test_drop_caches();
	test_anon_refault();
	test_shadow_shrinker();
	test_shmem_swap();
	return unit_done("workingset");
}
