/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated machine: its nodes and zones, frame table, clock, knobs
 * and counters.  Everything that the fake /proc and /sys show comes out of
 * this structure; libmm never reads the wall clock or prints to a terminal.
 */
#ifndef MMSIM_MACHINE_H
#define MMSIM_MACHINE_H

#include <stdint.h>

#include "cgroup.h"
#include "mmzone.h"
#include "percpu.h"
#include "printk.h"
#include "prng.h"
#include "psi.h"
#include "shmem.h"
#include "swap.h"
#include "sysctl.h"
#include "task.h"

#define MMSIM_KERNEL_RELEASE "6.18.0-mmsim"
/* linux_banner: /proc/version and the first line of the kernel log */
#define MMSIM_LINUX_BANNER                                         \
	"Linux version " MMSIM_KERNEL_RELEASE " (mmsim@simulator)" \
	" (gcc (GCC) 14.2.0, GNU ld (GNU Binutils) 2.44)"          \
	" #1 SMP PREEMPT_DYNAMIC @0"
/*
 * The simulation model's version.  An image replays its history from
 * boot, so a machine made by one model is only meaningful to the same
 * model: bump this whenever boot or any operation would give different
 * state for the same inputs.
 */
#define MMSIM_MODEL_VERSION 9
#define NSEC_PER_SEC 1000000000ULL
#define USER_HZ 100

struct inode;
struct cpu_tlb;
struct kmem_cache;

struct machine_params {
	uint64_t
		mem_bytes; /* RAM installed, before the kernel's reservations */
	int nr_nodes;
	int nr_cpus;
	uint64_t swap_bytes;
	uint64_t seed;
	int nopcid; /* boot with "nopcid": flush the TLB at every switch */
};

#define MACHINE_DEFAULT_MEM (8ULL << 30)
#define MACHINE_DEFAULT_CPUS 4
#define MACHINE_MIN_MEM (256ULL << 20)
#define MACHINE_MAX_MEM (8ULL << 40)

/* CPU time per CPU in nanoseconds, as kernel_cpustat keeps it. */
enum cpu_usage_stat {
	CPUTIME_USER,
	CPUTIME_NICE,
	CPUTIME_SYSTEM,
	CPUTIME_SOFTIRQ,
	CPUTIME_IRQ,
	CPUTIME_IDLE,
	CPUTIME_IOWAIT,
	CPUTIME_STEAL,
	CPUTIME_GUEST,
	CPUTIME_GUEST_NICE,
	NR_STATS
};

struct kernel_cpustat {
	uint64_t cpustat[NR_STATS];
	uint64_t nr_switches;
	uint64_t nr_irqs; /* local timer and device interrupts */
	uint64_t nr_softirqs;
};

/* A batch of pages taken with the alloc-pages operation. */
struct page_handle {
	uint32_t id;
	uint8_t order;
	uint32_t count;
	pfn_t *pfns;
};

struct machine {
	struct machine_params params;

	int nr_node_ids;
	pg_data_t *node_data[MAX_NUMNODES];
	uint8_t node_distance[MAX_NUMNODES][MAX_NUMNODES];
	int nr_cpu_ids;
	int cpu_to_node[NR_CPUS];

	pfn_t max_pfn; /* one past the last frame */
	struct pageblock *pageblocks; /* indexed by pfn >> pageblock_order */
	uint64_t nr_pageblocks;
	uint64_t memmap_boot_pages; /* the struct page arrays */
	uint64_t totalreserve_pages;

	struct vm_sysctl sysctl;
	uint64_t vm_events[NR_VM_EVENT_ITEMS];

	uint64_t clock_ns; /* simulated time since boot */
	uint64_t boot_epoch; /* btime: boot time, seconds since 1970 */
	struct prng prng;
	struct kernel_cpustat kcpustat[NR_CPUS];
	uint64_t avenrun[3]; /* load averages, FSHIFT fixed point */
	struct psi_group psi; /* pressure stall information (psi.h) */
	uint64_t total_forks;
	uint64_t vm_committed_as; /* pages of VM_ACCOUNT mappings */
	/*
	 * The last request __vm_enough_memory() refused in this operation,
	 * and the reserves it kept back (pages): for the error message only,
	 * never saved.
	 */
	uint64_t vm_commit_refused, vm_commit_reserved;
	uint64_t hugetlb_resv; /* huge pages reserved by mappings */

	struct task_struct *tasks; /* ascending PID */
	int nr_tasks;
	int tasks_size;
	int last_pid;
	int pid_max; /* kernel.pid_max */

	/* files, indexed by inode (filemap.h); slot 0 unused */
	struct inode **inodes;
	uint32_t nr_inodes, inodes_size;
	pfn_t zero_pfn; /* empty_zero_page, in the kernel image */
	int thp_enabled; /* enum thp_mode of transparent_hugepage/enabled */

	/* tmpfs superblocks (shmem.h); 0 is the internal shm mount */
	struct shmem_sb tmpfs[MAX_TMPFS_MOUNTS];
	int nr_tmpfs;
	/* System V shared memory, ascending shmid */
	struct shmid_kernel *shm_segs;
	int nr_shm_segs, shm_segs_size;
	int shm_last_idx; /* ipc_idr_alloc's cyclic cursor */
	int shm_seq;

	/* the TLBs, one per CPU (tlb.h) */
	struct cpu_tlb *cpu_tlb;
	int pcid; /* X86_FEATURE_PCID in use: tagged TLB entries */
	uint64_t last_mm_ctx_id;

	/* the slab caches, indexed by enum kmem_cache_id (slab.h) */
	struct kmem_cache *kmem_caches;

	struct pcpu_state pcpu; /* the percpu allocator (percpu.h) */

	struct page_handle *handles; /* ascending id */
	uint32_t nr_handles;
	uint32_t handles_size;
	uint32_t next_handle_id;

	struct printk_ringbuffer log; /* the kernel log (printk.h) */

	struct swap_state swap; /* the swap areas (swap.h) */

	/* the cgroup v2 hierarchy (cgroup.h): its root and the last id */
	struct cgroup cgrp_root;
	uint64_t cgroup_last_id;

	/* the memory controller (memcontrol.h): memcgs by id, 1 the root */
	struct mem_cgroup **memcgs;
	uint32_t nr_memcgs; /* one past the highest id in use */
	/* what the allocations in progress are charged to (NULL: root) */
	struct mem_cgroup *active_memcg;
	/*
	 * The group of the task the work in progress is done for, whose
	 * stalls it is (task_dfl_cgroup(current)); NULL: no task, the root.
	 */
	struct cgroup *current_cgrp;
	/*
	 * What the operation under way answers the write that asked for it
	 * although it stands and is journaled (memory.reclaim short of its
	 * target: -EAGAIN); 0 otherwise.  Reset by op_apply(), never saved.
	 */
	int op_errno;
	/*
	 * Pages charged in this operation to groups over memory.high, for
	 * the task's throttling on its way back to user space (the
	 * kernel's current->memcg_nr_pages_over_high); 0 between ops.
	 */
	uint64_t memcg_nr_pages_over_high;
};

#define for_each_online_node(nid, m) \
	for ((nid) = 0; (nid) < (m)->nr_node_ids; (nid)++)

static inline pg_data_t *NODE_DATA(const struct machine *m, int nid)
{
	return m->node_data[nid];
}

/*
 * Boot a machine: lay out RAM as firmware would, take the kernel's
 * reservations out, hand the rest to the buddy allocator and run the boot
 * allocations.  Deterministic in @p.  0 or -EINVAL (bad parameters),
 * -ENOMEM.
 */
int machine_boot(const struct machine_params *p, struct machine **out);
void machine_free(struct machine *m);

/* An empty machine with @p's topology, for the checkpoint loader. */
int machine_alloc_topology(const struct machine_params *p,
			   struct machine **out);

uint64_t totalram_pages(const struct machine *m);
/* Pages in the vmalloc area (percpu.h has the percpu allocator's). */
uint64_t vmalloc_nr_pages(const struct machine *m);
uint64_t nr_blockdev_pages(const struct machine *m);
/* MemAvailable, as si_mem_available() computes it. */
int64_t si_mem_available(const struct machine *m);
/* CommitLimit and Committed_AS in pages. */
uint64_t vm_commit_limit(const struct machine *m);
uint64_t vm_committed_as(const struct machine *m);

/* Tasks runnable and in uninterruptible sleep right now. */
unsigned int nr_running(const struct machine *m);
unsigned int nr_iowait(const struct machine *m);

/* Advance simulated time. */
void machine_tick(struct machine *m, uint64_t ns);

#endif
