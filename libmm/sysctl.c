// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/sys/vm, after kernel/sysctl.c and the handlers in mm/, and the
 * few kernel.* entries that ps and top read at start (pid_max, osrelease).
 *
 * Each knob is an entry with the kernel's mode, value type and bounds.
 * Writes are parsed as proc_dointvec_minmax() and proc_doulongvec_minmax()
 * parse: leading blanks skipped, base detected from the prefix (0x, 0),
 * the number followed by a blank or the end, the value inside its bounds;
 * anything else is -EINVAL and changes nothing.  An accepted value then
 * has the handler's side effects (watermarks, reserves, the other half of
 * a ratio/bytes pair).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "compaction.h"
#include "filemap_internal.h"
#include "hugetlb.h"
#include "machine.h"
#include "page_alloc.h"
#include "printk.h"
#include "seq_buf.h"
#include "slab.h"
#include "sysctl.h"

enum ctl_kind {
	CTL_INT, /* proc_dointvec(_minmax) */
	CTL_ULONG, /* proc_doulongvec_minmax */
	CTL_INT_ARRAY, /* one int per zone */
	CTL_ZONELIST_ORDER,
	CTL_OSRELEASE, /* the kernel release, read-only text */
};

struct ctl_table {
	struct ctl_entry pub;
	enum ctl_kind kind;
	size_t offset; /* into struct vm_sysctl */
	int64_t min, max;
	int (*handler)(struct machine *m, const struct ctl_table *t,
		       const int64_t *vals, int nr);
	/* the value when it is not a stored knob but a fact of the machine */
	int64_t (*show)(const struct machine *m);
};

#define VM(field) offsetof(struct vm_sysctl, field)
#define INT_RANGE(lo, hi) .min = (lo), .max = (hi)
#define ANY_INT INT_RANGE(INT_MIN, INT_MAX)
#define NONNEG_INT INT_RANGE(0, INT_MAX)
#define ANY_ULONG INT_RANGE(0, INT64_MAX)

static int set_value(struct machine *m, const struct ctl_table *t,
		     const int64_t *vals, int nr);
static int min_free_kbytes_handler(struct machine *m, const struct ctl_table *t,
				   const int64_t *vals, int nr);
static int wmark_handler(struct machine *m, const struct ctl_table *t,
			 const int64_t *vals, int nr);
static int lowmem_reserve_handler(struct machine *m, const struct ctl_table *t,
				  const int64_t *vals, int nr);
static int high_fraction_handler(struct machine *m, const struct ctl_table *t,
				 const int64_t *vals, int nr);
static int ratio_bytes_handler(struct machine *m, const struct ctl_table *t,
			       const int64_t *vals, int nr);
static int drop_caches_handler(struct machine *m, const struct ctl_table *t,
			       const int64_t *vals, int nr);
static int compact_memory_handler(struct machine *m, const struct ctl_table *t,
				  const int64_t *vals, int nr);
static int nr_hugepages_handler(struct machine *m, const struct ctl_table *t,
				const int64_t *vals, int nr);
static int64_t nr_hugepages_show(const struct machine *m);
static int pid_max_handler(struct machine *m, const struct ctl_table *t,
			   const int64_t *vals, int nr);
static int64_t pid_max_show(const struct machine *m);

/* pid_max's bounds: above the reserved PIDs, up to PID_MAX_LIMIT */
#define RESERVED_PIDS 300
#define PID_MAX_LIMIT 4194304

/* A kernel.* entry: its value is a fact of the machine, not a vm knob. */
#define KERNEL_ENTRY(name, mode_, kind_, ...)                     \
	{                                                         \
		.pub = {.path = "kernel/" name, .mode = (mode_)}, \
		.kind = (kind_), __VA_ARGS__                      \
	}

#define ENTRY(name, mode_, kind_, field, ...)                                  \
	{                                                                      \
		.pub = {.path = "vm/" name, .mode = (mode_)}, .kind = (kind_), \
		.offset = VM(field), __VA_ARGS__                               \
	}

static const struct ctl_table vm_table[] = {
	KERNEL_ENTRY("osrelease", 0444, CTL_OSRELEASE),
	KERNEL_ENTRY("pid_max", 0644, CTL_INT,
		     INT_RANGE(RESERVED_PIDS + 1, PID_MAX_LIMIT),
		     .handler = pid_max_handler, .show = pid_max_show),
	ENTRY("admin_reserve_kbytes", 0644, CTL_ULONG, admin_reserve_kbytes,
	      ANY_ULONG),
	ENTRY("compact_memory", 0200, CTL_INT, compact_memory, INT_RANGE(1, 1),
	      .handler = compact_memory_handler),
	ENTRY("compact_unevictable_allowed", 0644, CTL_INT,
	      compact_unevictable_allowed, INT_RANGE(0, 1)),
	ENTRY("compaction_proactiveness", 0644, CTL_INT,
	      compaction_proactiveness, INT_RANGE(0, 100)),
	ENTRY("defrag_mode", 0644, CTL_INT, defrag_mode, INT_RANGE(0, 1)),
	ENTRY("dirty_background_bytes", 0644, CTL_ULONG, dirty_background_bytes,
	      INT_RANGE(1, INT64_MAX), .handler = ratio_bytes_handler),
	ENTRY("dirty_background_ratio", 0644, CTL_INT, dirty_background_ratio,
	      INT_RANGE(0, 100), .handler = ratio_bytes_handler),
	ENTRY("dirty_bytes", 0644, CTL_ULONG, dirty_bytes,
	      INT_RANGE(2 * PAGE_SIZE, INT64_MAX),
	      .handler = ratio_bytes_handler),
	ENTRY("dirty_expire_centisecs", 0644, CTL_INT, dirty_expire_centisecs,
	      NONNEG_INT),
	ENTRY("dirty_ratio", 0644, CTL_INT, dirty_ratio, INT_RANGE(0, 100),
	      .handler = ratio_bytes_handler),
	ENTRY("dirty_writeback_centisecs", 0644, CTL_INT,
	      dirty_writeback_centisecs, ANY_INT),
	ENTRY("dirtytime_expire_seconds", 0644, CTL_INT,
	      dirtytime_expire_seconds, NONNEG_INT),
	ENTRY("drop_caches", 0200, CTL_INT, drop_caches, INT_RANGE(1, 4),
	      .handler = drop_caches_handler),
	ENTRY("extfrag_threshold", 0644, CTL_INT, extfrag_threshold,
	      INT_RANGE(0, 1000)),
	ENTRY("hugetlb_optimize_vmemmap", 0644, CTL_INT,
	      hugetlb_optimize_vmemmap, INT_RANGE(0, 1)),
	ENTRY("hugetlb_shm_group", 0644, CTL_INT, hugetlb_shm_group, ANY_INT),
	ENTRY("laptop_mode", 0644, CTL_INT, laptop_mode, ANY_INT),
	ENTRY("legacy_va_layout", 0644, CTL_INT, legacy_va_layout, NONNEG_INT),
	ENTRY("lowmem_reserve_ratio", 0644, CTL_INT_ARRAY, lowmem_reserve_ratio,
	      ANY_INT, .handler = lowmem_reserve_handler),
	ENTRY("max_map_count", 0644, CTL_INT, max_map_count, NONNEG_INT),
	ENTRY("memfd_noexec", 0644, CTL_INT, memfd_noexec, INT_RANGE(0, 2)),
	ENTRY("min_free_kbytes", 0644, CTL_INT, min_free_kbytes, NONNEG_INT,
	      .handler = min_free_kbytes_handler),
	ENTRY("min_slab_ratio", 0644, CTL_INT, min_slab_ratio,
	      INT_RANGE(0, 100)),
	ENTRY("min_unmapped_ratio", 0644, CTL_INT, min_unmapped_ratio,
	      INT_RANGE(0, 100)),
	{.pub = {.path = "vm/mmap_min_addr",
		 .mode = 0644,
		 .cap = SYSCTL_CAP_SYS_RAWIO},
	 .kind = CTL_ULONG,
	 .offset = VM(mmap_min_addr),
	 .handler = set_value,
	 ANY_ULONG},
	ENTRY("mmap_rnd_bits", 0600, CTL_INT, mmap_rnd_bits, INT_RANGE(28, 32)),
	ENTRY("mmap_rnd_compat_bits", 0600, CTL_INT, mmap_rnd_compat_bits,
	      INT_RANGE(8, 16)),
	ENTRY("nr_hugepages", 0644, CTL_ULONG, nr_hugepages, ANY_ULONG,
	      .handler = nr_hugepages_handler, .show = nr_hugepages_show),
	ENTRY("nr_hugepages_mempolicy", 0644, CTL_ULONG, nr_hugepages_mempolicy,
	      ANY_ULONG, .handler = nr_hugepages_handler,
	      .show = nr_hugepages_show),
	ENTRY("nr_overcommit_hugepages", 0644, CTL_ULONG,
	      nr_overcommit_hugepages, ANY_ULONG),
	ENTRY("numa_stat", 0644, CTL_INT, numa_stat, INT_RANGE(0, 1)),
	ENTRY("numa_zonelist_order", 0644, CTL_ZONELIST_ORDER,
	      numa_zonelist_order, ANY_INT),
	ENTRY("oom_dump_tasks", 0644, CTL_INT, oom_dump_tasks, ANY_INT),
	ENTRY("oom_kill_allocating_task", 0644, CTL_INT,
	      oom_kill_allocating_task, ANY_INT),
	ENTRY("overcommit_kbytes", 0644, CTL_ULONG, overcommit_kbytes,
	      ANY_ULONG, .handler = ratio_bytes_handler),
	ENTRY("overcommit_memory", 0644, CTL_INT, overcommit_memory,
	      INT_RANGE(0, 2)),
	ENTRY("overcommit_ratio", 0644, CTL_INT, overcommit_ratio, ANY_INT,
	      .handler = ratio_bytes_handler),
	ENTRY("page-cluster", 0644, CTL_INT, page_cluster, INT_RANGE(0, 31)),
	ENTRY("page_lock_unfairness", 0644, CTL_INT, page_lock_unfairness,
	      NONNEG_INT),
	ENTRY("panic_on_oom", 0644, CTL_INT, panic_on_oom, INT_RANGE(0, 2)),
	ENTRY("percpu_pagelist_high_fraction", 0644, CTL_INT,
	      percpu_pagelist_high_fraction, NONNEG_INT,
	      .handler = high_fraction_handler),
	ENTRY("shrink_inodes_with_pagecache", 0644, CTL_INT,
	      shrink_inodes_with_pagecache, INT_RANGE(0, 1)),
	ENTRY("stat_interval", 0644, CTL_INT, stat_interval, ANY_INT),
	ENTRY("stat_refresh", 0600, CTL_INT, stat_refresh, ANY_INT),
	ENTRY("swappiness", 0644, CTL_INT, swappiness, INT_RANGE(0, 200)),
	ENTRY("unprivileged_userfaultfd", 0644, CTL_INT,
	      unprivileged_userfaultfd, INT_RANGE(0, 1)),
	ENTRY("user_reserve_kbytes", 0644, CTL_ULONG, user_reserve_kbytes,
	      ANY_ULONG),
	ENTRY("vfs_cache_pressure", 0644, CTL_INT, vfs_cache_pressure,
	      NONNEG_INT),
	ENTRY("vfs_cache_pressure_denom", 0644, CTL_INT,
	      vfs_cache_pressure_denom, INT_RANGE(1, INT_MAX)),
	ENTRY("watermark_boost_factor", 0644, CTL_INT, watermark_boost_factor,
	      NONNEG_INT),
	ENTRY("watermark_scale_factor", 0644, CTL_INT, watermark_scale_factor,
	      INT_RANGE(1, 3000), .handler = wmark_handler),
	ENTRY("zone_reclaim_mode", 0644, CTL_INT, zone_reclaim_mode,
	      NONNEG_INT),
};

#define NR_VM_ENTRIES (sizeof(vm_table) / sizeof(vm_table[0]))

static int64_t *knob(struct vm_sysctl *vm, const struct ctl_table *t)
{
	return (int64_t *)((char *)vm + t->offset);
}

static const int64_t *knob_ro(const struct vm_sysctl *vm,
			      const struct ctl_table *t)
{
	return (const int64_t *)((const char *)vm + t->offset);
}

void sysctl_init_defaults(struct machine *m)
{
	struct vm_sysctl *vm = &m->sysctl;
	uint64_t free_kb = (uint64_t)global_zone_page_state(m, NR_FREE_PAGES) *
			   (PAGE_SIZE >> 10);
	static const int64_t ratio[MAX_NR_ZONES] = {256, 256, 32, 0, 0};

	memset(vm, 0, sizeof(*vm));
	vm->admin_reserve_kbytes = free_kb / 32 < 8192 ? free_kb / 32 : 8192;
	vm->user_reserve_kbytes = free_kb / 32 < 131072 ? free_kb / 32 : 131072;
	vm->compact_unevictable_allowed = 1;
	vm->compaction_proactiveness = 20;
	vm->dirty_background_ratio = 10;
	vm->dirty_expire_centisecs = 3000;
	vm->dirty_ratio = 20;
	vm->dirty_writeback_centisecs = 500;
	vm->dirtytime_expire_seconds = 43200;
	vm->extfrag_threshold = 500;
	memcpy(vm->lowmem_reserve_ratio, ratio, sizeof(ratio));
	vm->max_map_count = 65530;
	vm->min_slab_ratio = 5;
	vm->min_unmapped_ratio = 1;
	vm->mmap_min_addr = 4096;
	vm->mmap_rnd_bits = 28;
	vm->mmap_rnd_compat_bits = 8;
	vm->numa_stat = 1;
	vm->oom_dump_tasks = 1;
	vm->overcommit_ratio = 50;
	vm->page_cluster = 3;
	vm->page_lock_unfairness = 5;
	vm->stat_interval = 1;
	vm->swappiness = 60;
	vm->vfs_cache_pressure = 100;
	vm->vfs_cache_pressure_denom = 100;
	vm->watermark_boost_factor = 15000;
	vm->watermark_scale_factor = 10;
	vm->min_free_kbytes = calculate_min_free_kbytes(m);
}

const struct ctl_entry *sysctl_entry(size_t index)
{
	return index < NR_VM_ENTRIES ? &vm_table[index].pub : NULL;
}

static const struct ctl_table *find_table(const char *path)
{
	size_t i;

	for (i = 0; i < NR_VM_ENTRIES; i++)
		if (!strcmp(vm_table[i].pub.path, path))
			return &vm_table[i];
	return NULL;
}

const struct ctl_entry *sysctl_lookup(const char *path)
{
	const struct ctl_table *t = find_table(path);

	return t ? &t->pub : NULL;
}

int sysctl_is_dir(const char *path)
{
	size_t len = strlen(path), i;

	if (!len)
		return 1;
	for (i = 0; i < NR_VM_ENTRIES; i++)
		if (!strncmp(vm_table[i].pub.path, path, len) &&
		    vm_table[i].pub.path[len] == '/')
			return 1;
	return 0;
}

int sysctl_path_from_key(const char *key, char *path, size_t size)
{
	size_t len = strlen(key), i;

	if (!len || len >= size || key[0] == '/' || key[0] == '.')
		return -EINVAL;
	for (i = 0; i <= len; i++)
		path[i] = key[i] == '.' ? '/' : key[i];
	return 0;
}

int sysctl_read(const struct machine *m, const char *path, struct seq_buf *out)
{
	const struct ctl_table *t = find_table(path);
	const int64_t *v;
	int i;

	if (!t)
		return -ENOENT;
	if (!(t->pub.mode & 0400))
		return -EACCES;
	v = knob_ro(&m->sysctl, t);
	switch (t->kind) {
	case CTL_INT_ARRAY:
		for (i = 0; i < MAX_NR_ZONES; i++)
			seq_printf(out, "%s%lld", i ? "\t" : "",
				   (long long)v[i]);
		seq_putc(out, '\n');
		break;
	case CTL_ZONELIST_ORDER:
		seq_puts(out, "Node\n");
		break;
	case CTL_OSRELEASE:
		seq_puts(out, MMSIM_KERNEL_RELEASE "\n");
		break;
	default:
		/* stat_refresh folds the per-cpu deltas and reads empty */
		if (t->offset == VM(stat_refresh))
			break;
		seq_printf(out, "%lld\n",
			   (long long)(t->show ? t->show(m) : *v));
		break;
	}
	return seq_buf_error(out);
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/*
 * proc_get_long(): one number at *@pos, base from its prefix, followed by
 * a blank or the end.  Sets *@neg for a leading '-'.
 */
static int proc_get_long(const char *buf, size_t len, size_t *pos,
			 uint64_t *val, int *neg)
{
	char tmp[24], *end;
	size_t n = 0;
	unsigned long long v;

	while (*pos + n < len && n < sizeof(tmp) - 1 &&
	       !is_blank(buf[*pos + n]))
		n++;
	if (n == sizeof(tmp) - 1)
		return -EINVAL;
	memcpy(tmp, buf + *pos, n);
	tmp[n] = '\0';
	*neg = tmp[0] == '-';
	if (!isdigit((unsigned char)tmp[*neg]))
		return -EINVAL;
	errno = 0;
	v = strtoull(tmp + *neg, &end, 0);
	if (errno == ERANGE || *end != '\0')
		return -EINVAL;
	*val = v;
	*pos += n;
	return 0;
}

/* Parse up to @max values of @t's type from the written bytes. */
static int parse_values(const struct ctl_table *t, const char *buf, size_t len,
			int64_t *vals, int max)
{
	size_t pos = 0;
	uint64_t v;
	int nr = 0, neg, rc;

	while (nr < max) {
		while (pos < len && is_blank(buf[pos]))
			pos++;
		if (pos >= len)
			break;
		rc = proc_get_long(buf, len, &pos, &v, &neg);
		if (rc)
			return rc;
		if (t->kind == CTL_ULONG) {
			if (neg || v > (uint64_t)INT64_MAX)
				return -EINVAL;
			vals[nr] = (int64_t)v;
		} else {
			if (v > (uint64_t)INT_MAX + (neg ? 1 : 0))
				return -EINVAL;
			vals[nr] = neg ? -(int64_t)v : (int64_t)v;
		}
		if (vals[nr] < t->min || vals[nr] > t->max)
			return -EINVAL;
		nr++;
	}
	return nr ? nr : -EINVAL;
}

int sysctl_write(struct machine *m, const char *path, const char *buf,
		 size_t len)
{
	const struct ctl_table *t = find_table(path);
	int64_t vals[MAX_NR_ZONES];
	size_t pos = 0;
	int nr;

	if (!t)
		return -ENOENT;
	if (!(t->pub.mode & 0200))
		return -EACCES;
	if (memchr(buf, '\0', len))
		return -EINVAL;
	if (t->kind == CTL_ZONELIST_ORDER) {
		/* accepted for compatibility, and it changes nothing */
		while (pos < len && is_blank(buf[pos]))
			pos++;
		if (pos == len || !strchr("dDnN", buf[pos]))
			return -EINVAL;
		return 0;
	}
	nr = parse_values(t, buf, len, vals,
			  t->kind == CTL_INT_ARRAY ? MAX_NR_ZONES : 1);
	if (nr < 0)
		return nr;
	return (t->handler ? t->handler : set_value)(m, t, vals, nr);
}

static int set_value(struct machine *m, const struct ctl_table *t,
		     const int64_t *vals, int nr)
{
	int64_t *v = knob(&m->sysctl, t);
	int i;

	for (i = 0; i < nr; i++)
		v[i] = vals[i];
	return 0;
}

static int min_free_kbytes_handler(struct machine *m, const struct ctl_table *t,
				   const int64_t *vals, int nr)
{
	set_value(m, t, vals, nr);
	setup_per_zone_wmarks(m);
	return 0;
}

static int wmark_handler(struct machine *m, const struct ctl_table *t,
			 const int64_t *vals, int nr)
{
	set_value(m, t, vals, nr);
	setup_per_zone_wmarks(m);
	return 0;
}

static int lowmem_reserve_handler(struct machine *m, const struct ctl_table *t,
				  const int64_t *vals, int nr)
{
	int64_t *ratio = knob(&m->sysctl, t);
	int i;

	for (i = 0; i < nr; i++)
		ratio[i] = vals[i] < 1 ? 0 : vals[i];
	setup_per_zone_lowmem_reserve(m);
	return 0;
}

static int high_fraction_handler(struct machine *m, const struct ctl_table *t,
				 const int64_t *vals, int nr)
{
	if (vals[0] && vals[0] < 8)
		return -EINVAL;
	set_value(m, t, vals, nr);
	zone_pcp_update(m);
	return 0;
}

/* Setting one of a ratio/bytes pair clears the other. */
static int ratio_bytes_handler(struct machine *m, const struct ctl_table *t,
			       const int64_t *vals, int nr)
{
	struct vm_sysctl *vm = &m->sysctl;

	set_value(m, t, vals, nr);
	if (t->offset == VM(dirty_background_bytes))
		vm->dirty_background_ratio = 0;
	else if (t->offset == VM(dirty_background_ratio))
		vm->dirty_background_bytes = 0;
	else if (t->offset == VM(dirty_bytes))
		vm->dirty_ratio = 0;
	else if (t->offset == VM(dirty_ratio))
		vm->dirty_bytes = 0;
	else if (t->offset == VM(overcommit_kbytes))
		vm->overcommit_ratio = 0;
	else if (t->offset == VM(overcommit_ratio))
		vm->overcommit_kbytes = 0;
	return 0;
}

/* Clean, unmapped page cache: what invalidate_mapping_pages() can drop. */
static int droppable_block(const struct block_info *b, void *arg)
{
	struct seq_buf *list = arg;

	if (b->state == PAGE_FILE &&
	    !(b->flags & (PG_dirty | PG_writeback | PG_mapped | PG_mlocked)))
		seq_write(list, b, sizeof(*b));
	return seq_buf_error(list);
}

static int drop_pagecache(struct machine *m)
{
	struct seq_buf list;
	const struct block_info *b;
	size_t i;
	uint32_t ino;
	int nid, zi, rc = 0;

	seq_buf_init(&list);
	for_each_online_node (nid, m)
		for (zi = 0; zi < MAX_NR_ZONES && !rc; zi++)
			rc = walk_zone_blocks(
				m, &NODE_DATA(m, nid)->node_zones[zi],
				droppable_block, &list);
	if (!rc)
		for (i = 0; i < list.len / sizeof(*b); i++) {
			b = (const struct block_info *)list.buf + i;
			filemap_remove_page(m, b->pfn);
		}
	seq_buf_free(&list);
	/* invalidation clears the shadows it walks past: all of them */
	for (ino = 1; ino < m->nr_inodes && !rc; ino++)
		if (m->inodes[ino])
			filemap_clear_shadows(m, m->inodes[ino]);
	return rc;
}

static int drop_caches_handler(struct machine *m, const struct ctl_table *t,
			       const int64_t *vals, int nr)
{
	int rc = 0;

	set_value(m, t, vals, nr);
	if (vals[0] & 1) {
		rc = drop_pagecache(m);
		count_vm_event(m, DROP_PAGECACHE);
	}
	if (vals[0] & 2) {
		/* the inode shrinker first: pruned inodes free their dentries */
		prune_icache(m);
		drop_slab(m);
		count_vm_event(m, DROP_SLAB);
	}
	/*
	 * The writer is outside the simulated machine: the line names the
	 * simulator, as the kernel names current.
	 */
	if (!m->sysctl.drop_caches_silenced)
		pr_info(m, "%s (%d): drop_caches: %d\n", "mmsim", 0,
			(int)vals[0]);
	if (vals[0] & 4)
		m->sysctl.drop_caches_silenced = 1;
	return rc;
}

/* The pool is what the allocator could give: read back the real size. */
static int nr_hugepages_handler(struct machine *m, const struct ctl_table *t,
				const int64_t *vals, int nr)
{
	(void)t;
	(void)nr;
	set_max_huge_pages(m, (uint64_t)vals[0]);
	return 0;
}

static int64_t nr_hugepages_show(const struct machine *m)
{
	return (int64_t)hugetlb_nr_huge_pages(m, -1);
}

static int compact_memory_handler(struct machine *m, const struct ctl_table *t,
				  const int64_t *vals, int nr)
{
	set_value(m, t, vals, nr);
	compact_nodes(m);
	return 0;
}

/* kernel.pid_max: where PID allocation wraps (alloc_pid()). */
static int pid_max_handler(struct machine *m, const struct ctl_table *t,
			   const int64_t *vals, int nr)
{
	m->pid_max = (int)vals[0];
	return 0;
}

static int64_t pid_max_show(const struct machine *m)
{
	return m->pid_max;
}
