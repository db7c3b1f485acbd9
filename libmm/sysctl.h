/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /proc/sys: the knob table.  Paths are relative to /proc/sys and use
 * slashes ("vm/swappiness"); sysctl_path_from_key() turns "vm.swappiness"
 * into that.  Reads print as the kernel's proc handlers do; writes parse
 * as they do and either change nothing and return a negative errno, or
 * apply the value and its side effects (watermarks, reserves, ...).
 */
#ifndef MMSIM_SYSCTL_H
#define MMSIM_SYSCTL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "mmzone.h"

struct machine;
struct seq_buf;

/* The values behind /proc/sys/vm; names as the kernel's variables. */
struct vm_sysctl {
	int64_t admin_reserve_kbytes;
	int64_t compact_memory;		/* last value written (write-only) */
	int64_t compact_unevictable_allowed;
	int64_t compaction_proactiveness;
	int64_t defrag_mode;
	int64_t dirty_background_bytes;
	int64_t dirty_background_ratio;
	int64_t dirty_bytes;
	int64_t dirty_expire_centisecs;
	int64_t dirty_ratio;
	int64_t dirty_writeback_centisecs;
	int64_t dirtytime_expire_seconds;
	int64_t drop_caches;
	int64_t extfrag_threshold;
	int64_t hugetlb_optimize_vmemmap;
	int64_t hugetlb_shm_group;
	int64_t laptop_mode;
	int64_t legacy_va_layout;
	int64_t lowmem_reserve_ratio[MAX_NR_ZONES];
	int64_t max_map_count;
	int64_t memfd_noexec;
	int64_t min_free_kbytes;
	int64_t min_slab_ratio;
	int64_t min_unmapped_ratio;
	int64_t mmap_min_addr;
	int64_t mmap_rnd_bits;
	int64_t mmap_rnd_compat_bits;
	int64_t nr_hugepages;
	int64_t nr_hugepages_mempolicy;
	int64_t nr_overcommit_hugepages;
	int64_t numa_stat;
	int64_t numa_zonelist_order; /* no effect; reads "Node" */
	int64_t oom_dump_tasks;
	int64_t oom_kill_allocating_task;
	int64_t overcommit_kbytes;
	int64_t overcommit_memory;
	int64_t overcommit_ratio;
	int64_t page_cluster;
	int64_t page_lock_unfairness;
	int64_t panic_on_oom;
	int64_t percpu_pagelist_high_fraction;
	int64_t shrink_inodes_with_pagecache;
	int64_t stat_interval;
	int64_t stat_refresh;
	int64_t swappiness;
	int64_t unprivileged_userfaultfd;
	int64_t user_reserve_kbytes;
	int64_t vfs_cache_pressure;
	int64_t vfs_cache_pressure_denom;
	int64_t watermark_boost_factor;
	int64_t watermark_scale_factor;
	int64_t zone_reclaim_mode;
	/* drop_caches logs until a write with bit 4 silences it */
	int64_t drop_caches_silenced;
};

/* Which capability a write needs beyond the file mode (0: none). */
enum sysctl_cap {
	SYSCTL_CAP_NONE,
	SYSCTL_CAP_SYS_ADMIN,
	SYSCTL_CAP_SYS_RAWIO,
};

struct ctl_entry {
	const char *path; /* "vm/swappiness" */
	mode_t mode; /* 0644, 0200, 0600 ... */
	enum sysctl_cap cap; /* needed to write */
};

/* Set the boot-time defaults (some depend on the machine's memory). */
void sysctl_init_defaults(struct machine *m);

/* The entries, in directory order; NULL-terminated walk by index. */
const struct ctl_entry *sysctl_entry(size_t index);
const struct ctl_entry *sysctl_lookup(const char *path);
/* Whether @path names a directory of the table ("vm", ""). */
int sysctl_is_dir(const char *path);

/* Write "vm/swappiness" for "vm.swappiness"; -EINVAL if it cannot. */
int sysctl_path_from_key(const char *key, char *path, size_t size);

/* Read a knob's text into @out: 0, -ENOENT, or -EACCES for write-only. */
int sysctl_read(const struct machine *m, const char *path, struct seq_buf *out);
/*
 * Parse @len bytes of @buf as the kernel's handler for @path does and
 * apply it: 0 or -ENOENT, -EINVAL, -EACCES (read-only), ... ; on error
 * the machine is untouched.
 */
int sysctl_write(struct machine *m, const char *path, const char *buf,
		 size_t len);

#endif
