/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the procfs renderers share with the path tree.  Every generator
 * prints one whole file into a seq_buf and returns 0 or a negative errno;
 * the tree (tree.c) decides which one a path names.
 */
#ifndef MMSIM_PROCFS_INTERNAL_H
#define MMSIM_PROCFS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "hugetlb.h"
#include "machine.h"
#include "procfs.h"
#include "seq_buf.h"

/* For generators that need nothing beyond the machine, or not even that. */
#define __maybe_unused __attribute__((__unused__))

/* What a file in the tree is about, beyond the machine itself. */
struct pfs_ctx {
	const struct machine *m;
	int nid; /* sys/.../nodeN/ files */
	const struct task_struct *task; /* proc/PID/ files */
	/*
	 * For a write handler whose value decides whether the writer needs
	 * a capability: set to that CAP_* (pfs_write_op's @need_cap).
	 */
	int *need_cap;
};

typedef int (*pfs_show_fn)(const struct pfs_ctx *ctx, struct seq_buf *s);

/* The kernel's global counters never read below zero (SMP drift). */
static inline uint64_t pages_nonneg(int64_t v)
{
	return v < 0 ? 0 : (uint64_t)v;
}

static inline uint64_t pages_to_kb(uint64_t pages)
{
	return pages << (PAGE_SHIFT - 10);
}

/* Nanoseconds to the USER_HZ ticks that proc files count in. */
static inline uint64_t nsec_to_clock_t(uint64_t ns)
{
	return ns / (NSEC_PER_SEC / USER_HZ);
}

/* proc/ files (fs/proc, mm/vmstat.c, mm/swapfile.c) */
int meminfo_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int vmstat_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int buddyinfo_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int pagetypeinfo_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int zoneinfo_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int stat_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int uptime_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int loadavg_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int cpuinfo_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int swaps_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int slabinfo_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int sysvipc_shm_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int version_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int kmsg_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s);

/* proc/pressure/ (kernel/sched/psi.c) */
int pressure_cpu_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int pressure_io_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int pressure_memory_show(const struct pfs_ctx *ctx, struct seq_buf *s);
/* psi_show(): @g's stall in @res, the system's (m->psi) or a group's */
int psi_show(const struct machine *m, const struct psi_group *g,
	     enum psi_res res, struct seq_buf *s);
int pressure_write(const struct pfs_ctx *ctx, const char *buf, size_t len,
		   struct seq_buf *op_line);

/*
 * A file too large to render whole (proc/PID/pagemap): @size bytes at
 * @off into @buf, returning how many were read (0 past the end) or a
 * negative errno; a read of 0 bytes checks that it may be read at all.
 */
typedef ssize_t (*pfs_read_fn)(const struct pfs_ctx *ctx, uint64_t off,
			       size_t size, char *buf);
/* A write of @len bytes as the operation line that applies it. */
typedef int (*pfs_write_fn)(const struct pfs_ctx *ctx, const char *buf,
			    size_t len, struct seq_buf *op_line);

/* proc/PID/ and proc/PID/task/TID/: fs/proc/array.c */
int proc_pid_status(const struct pfs_ctx *ctx, struct seq_buf *s);
int proc_pid_stat(const struct pfs_ctx *ctx, struct seq_buf *s);
int proc_pid_statm(const struct pfs_ctx *ctx, struct seq_buf *s);

/* fs/proc/base.c */
int proc_pid_cmdline(const struct pfs_ctx *ctx, struct seq_buf *s);
int proc_pid_environ(const struct pfs_ctx *ctx, struct seq_buf *s);
int proc_pid_comm(const struct pfs_ctx *ctx, struct seq_buf *s);
int proc_pid_comm_write(const struct pfs_ctx *ctx, const char *buf, size_t len,
			struct seq_buf *op_line);
int proc_pid_limits(const struct pfs_ctx *ctx, struct seq_buf *s);
int proc_pid_wchan(const struct pfs_ctx *ctx, struct seq_buf *s);
int proc_pid_io(const struct pfs_ctx *ctx, struct seq_buf *s);
int proc_pid_cgroup(const struct pfs_ctx *ctx, struct seq_buf *s);
int proc_oom_score(const struct pfs_ctx *ctx, struct seq_buf *s);
int proc_oom_adj(const struct pfs_ctx *ctx, struct seq_buf *s);
int proc_oom_adj_write(const struct pfs_ctx *ctx, const char *buf, size_t len,
		       struct seq_buf *op_line);
int proc_oom_score_adj(const struct pfs_ctx *ctx, struct seq_buf *s);
int proc_oom_score_adj_write(const struct pfs_ctx *ctx, const char *buf,
			     size_t len, struct seq_buf *op_line);

/* fs/proc/task_mmu.c */
int proc_pid_maps(const struct pfs_ctx *ctx, struct seq_buf *s);
int proc_pid_smaps(const struct pfs_ctx *ctx, struct seq_buf *s);
int proc_pid_smaps_rollup(const struct pfs_ctx *ctx, struct seq_buf *s);
int proc_pid_numa_maps(const struct pfs_ctx *ctx, struct seq_buf *s);
ssize_t proc_pid_pagemap(const struct pfs_ctx *ctx, uint64_t off, size_t size,
			 char *buf);

struct mm_struct;

/* The memory block of status, and the numbers of statm (task_mmu.c). */
void task_mem(struct seq_buf *s, const struct machine *m,
	      const struct mm_struct *mm);
uint64_t task_vsize(const struct mm_struct *mm);
uint64_t task_statm(const struct mm_struct *mm, uint64_t *shared,
		    uint64_t *text, uint64_t *data, uint64_t *resident);

/*
 * RLIMIT_NPROC and RLIMIT_SIGPENDING of init, which every task inherits:
 * half of max_threads (base.c).
 */
uint64_t task_rlimit_nproc(const struct machine *m);

/* sys/devices/system/node/ (drivers/base/node.c) */
int node_possible_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int node_online_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int node_has_memory_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int node_has_normal_memory_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int node_has_cpu_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int node_meminfo_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int node_numastat_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int node_distance_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int node_cpulist_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int node_cpumap_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int node_vmstat_show(const struct pfs_ctx *ctx, struct seq_buf *s);

/* sys/kernel/mm/transparent_hugepage/ (mm/huge_memory.c) */
int thp_enabled_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int thp_enabled_write(const struct pfs_ctx *ctx, const char *buf, size_t len,
		      struct seq_buf *op_line);
int thp_defrag_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int thp_shmem_enabled_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int thp_hpage_pmd_size_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int thp_use_zero_page_show(const struct pfs_ctx *ctx, struct seq_buf *s);
/* sys/kernel/mm/swap/ (mm/swap_state.c) */
int vma_ra_enabled_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int vma_ra_enabled_write(const struct pfs_ctx *ctx, const char *buf, size_t len,
			 struct seq_buf *op_line);

/* sys/devices/system/cpu/ (drivers/base/cpu.c) */
int cpu_possible_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int cpu_online_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int cpu_present_show(const struct pfs_ctx *ctx, struct seq_buf *s);
int tlb_sysfs_show(const struct pfs_ctx *ctx, struct seq_buf *s);

/* proc/sys/ over the sysctl table (proc_sysctl.c); @rel is below proc/sys */
int sysctl_pfs_getattr(const struct machine *m, const char *rel,
		       struct pfs_stat *st);
int sysctl_pfs_readdir(const struct machine *m, const char *rel,
		       pfs_fill_fn fill, void *ctx);
int sysctl_pfs_render(const struct machine *m, const char *rel,
		      struct seq_buf *out);
int sysctl_pfs_write_op(const struct machine *m, const char *rel,
			const char *buf, size_t len, struct seq_buf *op_line);

/* sys/fs/cgroup/ over the cgroup hierarchy (cgroupfs.c); @rel is below it */
int cgroupfs_getattr(const struct machine *m, const char *rel,
		     struct pfs_stat *st);
int cgroupfs_readdir(const struct machine *m, const char *rel, pfs_fill_fn fill,
		     void *ctx);
int cgroupfs_render(const struct machine *m, const char *rel,
		    struct seq_buf *out);
int cgroupfs_write_op(const struct machine *m, const char *rel, const char *buf,
		      size_t len, struct seq_buf *op_line);
int cgroupfs_mkdir_op(const struct machine *m, const char *rel,
		      struct seq_buf *op_line);
int cgroupfs_rmdir_op(const struct machine *m, const char *rel,
		      struct seq_buf *op_line);

/*
 * Node sets of the kernel's node_states[] (include/linux/nodemask.h), as
 * bitmaps of MAX_NUMNODES bits.
 */
enum node_states {
	N_POSSIBLE,
	N_ONLINE,
	N_NORMAL_MEMORY,
	N_MEMORY,
	N_CPU,
};

#define NODEMASK_WORDS ((MAX_NUMNODES + 63) / 64)
#define CPUMASK_WORDS (NR_CPUS / 64)

void node_states_mask(const struct machine *m, enum node_states state,
		      uint64_t mask[NODEMASK_WORDS]);
/* Every CPU of the machine: all are possible, present and online. */
void cpu_online_mask(const struct machine *m, uint64_t mask[CPUMASK_WORDS]);
/* The number of CPUs on node @nid. */
int nr_cpus_node(const struct machine *m, int nid);

/*
 * The kernel's "%*pbl" (ranges, "0-3,8") and "%*pb" (hex in 32-bit groups
 * from the high end, "ff,ffffffff") for the first @nbits bits of @bits.
 */
void seq_bitmap_list(struct seq_buf *s, const uint64_t *bits, int nbits);
void seq_bitmap_mask(struct seq_buf *s, const uint64_t *bits, int nbits);

static inline int bitmap_test(const uint64_t *bits, int nr)
{
	return (bits[nr / 64] >> (nr % 64)) & 1;
}

static inline void bitmap_set_bit(uint64_t *bits, int nr)
{
	bits[nr / 64] |= 1ULL << (nr % 64);
}

#endif
