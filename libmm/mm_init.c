// SPDX-License-Identifier: GPL-2.0
/*
 * Booting a machine, after mm/mm_init.c and mm/memblock.c.
 *
 * The firmware map is that of a PC: RAM in [4 KiB, 636 KiB), the rest of
 * the first 3 GiB, and everything beyond 3 GiB remapped above the 4 GiB
 * PCI hole.  Nodes take equal shares of RAM in address order, cut at
 * 128 MiB section boundaries.  The kernel reserves the first MiB, its own
 * image and, per node, the memmap (64 bytes per frame of every present
 * section) and a few early structures; the rest goes to the buddy
 * allocator.  Then the boot itself runs: kernel threads and daemons start
 * and allocate slab, stacks, page tables, percpu chunks, page cache and
 * anonymous memory, and some of the early allocations are freed again.
 */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "filemap_internal.h"
#include "fork.h"
#include "machine.h"
#include "memcontrol.h"
#include "mm_internal.h"
#include "page_alloc.h"
#include "seq_buf.h"
#include "slab.h"
#include "tlb.h"

#define SECTION_PAGES (1UL << (27 - PAGE_SHIFT)) /* 128 MiB */
#define LOW_RAM_END_PFN 159UL /* 636 KiB: the EBDA starts here */
#define LEGACY_END_PFN 256UL /* 1 MiB */
#define DMA_END_PFN 4096UL /* 16 MiB */
#define DMA32_END_PFN (1UL << 20) /* 4 GiB */
#define PCI_HOLE_START_PFN (3UL << 18) /* 3 GiB */
#define KERNEL_LOAD_PFN 4096UL /* the kernel is loaded at 16 MiB */
#define KERNEL_IMAGE_PAGES 8960UL /* text, data, bss: 35 MiB */
#define KERNEL_INIT_PAGES 1024UL /* __init sections, freed after boot */
#define NODE_EARLY_PAGES 96UL /* pgdat, zone tables, direct map PMDs */
/* 2026-01-01T00:00:00Z: the simulated machines boot on new year's day. */
#define BOOT_EPOCH 1767225600ULL

struct ram_range {
	pfn_t start, end;
};

/* The firmware (e820) map of usable RAM for @ram_pages frames. */
static int e820_ram_ranges(uint64_t ram_pages, struct ram_range *r)
{
	uint64_t low_end =
		ram_pages < PCI_HOLE_START_PFN ? ram_pages : PCI_HOLE_START_PFN;
	int n = 0;

	r[n++] = (struct ram_range){1, LOW_RAM_END_PFN};
	r[n++] = (struct ram_range){LEGACY_END_PFN, (pfn_t)low_end};
	if (ram_pages > PCI_HOLE_START_PFN)
		r[n++] = (struct ram_range){DMA32_END_PFN,
					    (pfn_t)(DMA32_END_PFN + ram_pages -
						    PCI_HOLE_START_PFN)};
	return n;
}

static const pfn_t zone_low_pfn[MAX_NR_ZONES] = {0, DMA_END_PFN, DMA32_END_PFN,
						 0, 0};
static const uint64_t zone_high_pfn[MAX_NR_ZONES] = {DMA_END_PFN, DMA32_END_PFN,
						     UINT64_MAX, 0, 0};

static uint64_t ranges_pages_in(const struct ram_range *r, int n, uint64_t lo,
				uint64_t hi)
{
	uint64_t sum = 0, s, e;
	int i;

	for (i = 0; i < n; i++) {
		s = r[i].start > lo ? r[i].start : lo;
		e = r[i].end < hi ? r[i].end : hi;
		if (e > s)
			sum += e - s;
	}
	return sum;
}

/* The pfn below which @pages frames of RAM lie. */
static uint64_t ranges_pfn_after(const struct ram_range *r, int n,
				 uint64_t pages)
{
	int i;

	for (i = 0; i < n; i++) {
		uint64_t len = r[i].end - r[i].start;

		if (pages <= len)
			return r[i].start + pages;
		pages -= len;
	}
	return r[n - 1].end;
}

static int validate_params(const struct machine_params *p)
{
	if (p->mem_bytes < MACHINE_MIN_MEM || p->mem_bytes > MACHINE_MAX_MEM)
		return -EINVAL;
	if (p->nr_nodes < 1 || p->nr_nodes > MAX_NUMNODES)
		return -EINVAL;
	if (p->nr_cpus < p->nr_nodes || p->nr_cpus > NR_CPUS)
		return -EINVAL;
	/* every node gets at least one memory section */
	if (p->mem_bytes / (uint64_t)p->nr_nodes <
	    (SECTION_PAGES << PAGE_SHIFT))
		return -EINVAL;
	return 0;
}

static void init_node_distances(struct machine *m)
{
	int i, j;

	/* SLIT-like: local 10, one hop 21, two or more hops 31 */
	for (i = 0; i < m->nr_node_ids; i++)
		for (j = 0; j < m->nr_node_ids; j++)
			m->node_distance[i][j] =
				i == j ? 10
				: (abs(i - j) == 1 ||
				   abs(i - j) == m->nr_node_ids - 1)
					? 21
					: 31;
}

static void init_cpus(struct machine *m)
{
	int cpu, nid;

	m->nr_cpu_ids = m->params.nr_cpus;
	/* CPUs are spread over the nodes in blocks, as sockets are */
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		nid = (int)((uint64_t)cpu * m->nr_node_ids / m->nr_cpu_ids);
		m->cpu_to_node[cpu] = nid;
		m->node_data[nid]->cpumask[cpu / 64] |= 1ULL << (cpu % 64);
	}
}

/* Cut RAM into nodes: returns each node's [start, end) pfn bounds. */
static void node_bounds(const struct machine *m, const struct ram_range *r,
			int n, uint64_t *bound)
{
	uint64_t total = ranges_pages_in(r, n, 0, UINT64_MAX);
	int nid;

	bound[0] = 0;
	for (nid = 1; nid < m->nr_node_ids; nid++) {
		uint64_t pfn =
			ranges_pfn_after(r, n, total * nid / m->nr_node_ids);

		pfn &= ~(uint64_t)(SECTION_PAGES - 1);
		if (pfn >= PCI_HOLE_START_PFN && pfn < DMA32_END_PFN)
			pfn = DMA32_END_PFN;
		if (pfn <= bound[nid - 1])
			pfn = bound[nid - 1] + SECTION_PAGES;
		bound[nid] = pfn;
	}
	bound[m->nr_node_ids] = r[n - 1].end;
}

static void set_pageblock_range(struct machine *m, uint64_t start, uint64_t end,
				int nid, int zone_idx)
{
	uint64_t pb;

	for (pb = start >> pageblock_order;
	     pb < ((end + pageblock_nr_pages - 1) >> pageblock_order); pb++) {
		m->pageblocks[pb].nid = (uint8_t)nid;
		m->pageblocks[pb].zone_idx = (uint8_t)zone_idx;
	}
}

/*
 * Lay out nodes and zones over the firmware map: spans, present pages and
 * each pageblock's owner.  No frame is marked yet.
 */
static void init_zones(struct machine *m, const struct ram_range *r, int n)
{
	uint64_t bound[MAX_NUMNODES + 1];
	int nid, zi;

	node_bounds(m, r, n, bound);
	for_each_online_node (nid, m) {
		pg_data_t *pgdat = m->node_data[nid];
		uint64_t lo = bound[nid], hi = bound[nid + 1];
		uint64_t first = UINT64_MAX, last = 0;
		int i;

		for (i = 0; i < n; i++) {
			uint64_t s = r[i].start > lo ? r[i].start : lo;
			uint64_t e = r[i].end < hi ? r[i].end : hi;

			if (e <= s)
				continue;
			if (s < first)
				first = s;
			if (e > last)
				last = e;
		}
		pgdat->node_start_pfn = (pfn_t)first;
		pgdat->node_spanned_pages = last - first;
		pgdat->node_present_pages = ranges_pages_in(r, n, lo, hi);
		for (zi = 0; zi < MAX_NR_ZONES; zi++) {
			struct zone *z = &pgdat->node_zones[zi];
			uint64_t s = first > zone_low_pfn[zi]
					     ? first
					     : zone_low_pfn[zi];
			uint64_t e = last < zone_high_pfn[zi]
					     ? last
					     : zone_high_pfn[zi];

			if (e <= s)
				continue;
			z->zone_start_pfn = (pfn_t)s;
			z->spanned_pages = e - s;
			z->present_pages = ranges_pages_in(r, n, s, e);
			if (z->present_pages)
				pgdat->nr_zones = zi + 1;
			set_pageblock_range(m, s, e, nid, zi);
		}
	}
}

/* Mark the RAM frames of the firmware map present (and reserved). */
static void init_ram_frames(struct machine *m, const struct ram_range *r, int n)
{
	uint64_t pb, pfn;
	int i;

	for (i = 0; i < n; i++) {
		for (pfn = r[i].start; pfn < r[i].end;) {
			struct pageblock *blk;

			pb = pfn >> pageblock_order;
			blk = &m->pageblocks[pb];
			if (!(pfn & (pageblock_nr_pages - 1)) &&
			    pfn + pageblock_nr_pages <= r[i].end) {
				blk->kind = PB_RESERVED;
				pfn += pageblock_nr_pages;
				continue;
			}
			if (blk->kind != PB_PAGES) {
				blk->pages = calloc(pageblock_nr_pages,
						    sizeof(struct page));
				if (!blk->pages)
					abort();
				blk->kind = PB_PAGES;
			}
			blk->pages[pfn & (pageblock_nr_pages - 1)].state =
				PAGE_RESERVED;
			pfn++;
		}
	}
	for (pb = 0; pb < m->nr_pageblocks; pb++) {
		struct pageblock *blk = &m->pageblocks[pb];

		blk->next = PFN_NONE;
		blk->prev = PFN_NONE;
		blk->migratetype = MIGRATE_MOVABLE;
		if (blk->kind == PB_PAGES)
			for (i = 0; i < (int)pageblock_nr_pages; i++) {
				blk->pages[i].next = PFN_NONE;
				blk->pages[i].prev = PFN_NONE;
			}
	}
}

int machine_alloc_topology(const struct machine_params *p, struct machine **out)
{
	struct ram_range r[4];
	struct machine *m;
	int nid, n, rc;

	rc = validate_params(p);
	if (rc)
		return rc;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->params = *p;
	m->nr_node_ids = p->nr_nodes;
	cgroup_init(m);
	if (mem_cgroup_init(m)) {
		free(m);
		return -ENOMEM;
	}
	for_each_online_node (nid, m) {
		m->node_data[nid] = calloc(1, sizeof(pg_data_t));
		if (!m->node_data[nid])
			goto nomem;
		m->node_data[nid]->node_id = nid;
		m->node_data[nid]->__lruvec.nid = nid;
		m->node_data[nid]->machine = m;
		for (n = 0; n < NR_LRU_LISTS; n++)
			m->node_data[nid]->__lruvec.lists[n].head =
				m->node_data[nid]->__lruvec.lists[n].tail =
					PFN_NONE;
		for (n = 0; n < MAX_NR_ZONES; n++) {
			struct zone *z = &m->node_data[nid]->node_zones[n];
			int o, mt;

			z->zone_pgdat = m->node_data[nid];
			z->idx = n;
			for (o = 0; o < NR_PAGE_ORDERS; o++)
				for (mt = 0; mt < MIGRATE_TYPES; mt++)
					z->free_area[o].list[mt].head =
						PFN_NONE;
		}
	}
	init_node_distances(m);
	init_cpus(m);
	if (pcpu_init(m))
		goto nomem;
	n = e820_ram_ranges(p->mem_bytes >> PAGE_SHIFT, r);
	m->max_pfn = r[n - 1].end;
	m->nr_pageblocks = ((uint64_t)m->max_pfn + pageblock_nr_pages - 1) >>
			   pageblock_order;
	m->pageblocks = calloc(m->nr_pageblocks, sizeof(struct pageblock));
	if (!m->pageblocks)
		goto nomem;
	init_zones(m, r, n);
	init_ram_frames(m, r, n);
	m->boot_epoch = BOOT_EPOCH;
	/* empty_zero_page lies in the kernel's bss */
	m->zero_pfn = (pfn_t)(KERNEL_LOAD_PFN + KERNEL_IMAGE_PAGES -
			      KERNEL_INIT_PAGES - 16);
	m->pcid = !p->nopcid;
	m->thp_enabled = 1; /* "madvise", as Debian's kernel starts */
	/* pid_max_init(): 32768, or 1024 per CPU on large machines */
	m->pid_max = m->nr_cpu_ids * 1024 > 32768 ? m->nr_cpu_ids * 1024
						   : 32768;
	if (tlb_init(m) || kmem_cache_init(m))
		goto nomem;
	*out = m;
	return 0;
nomem:
	machine_free(m);
	return -ENOMEM;
}

void machine_free(struct machine *m)
{
	uint64_t pb;
	uint32_t h;
	int nid;

	if (!m)
		return;
	swap_free_all(m);
	if (m->pageblocks)
		for (pb = 0; pb < m->nr_pageblocks; pb++) {
			free(m->pageblocks[pb].pages);
			free(m->pageblocks[pb].memcg_ids);
		}
	free(m->pageblocks);
	for (h = 0; h < m->nr_handles; h++)
		free(m->handles[h].pfns);
	free(m->handles);
	for (h = 0; h < (uint32_t)m->nr_tasks; h++)
		mm_free_host(m->tasks[h].mm);
	free(m->tasks);
	mem_cgroup_exit(m);
	pcpu_exit(m);
	cgroup_exit(m);
	inodes_free(m);
	shm_free_all(m);
	tlb_free(m);
	prb_free(&m->log);
	slab_free_host(m);
	prb_free(&m->log);
	for (nid = 0; nid < MAX_NUMNODES; nid++)
		free(m->node_data[nid]);
	free(m);
}

/* ---- memblock: what the kernel keeps for itself ---- */

struct memblock {
	struct ram_range reserved[2 * MAX_NUMNODES + 4];
	int nr;
};

static void memblock_reserve(struct memblock *mb, uint64_t start, uint64_t end)
{
	mb->reserved[mb->nr++] = (struct ram_range){(pfn_t)start, (pfn_t)end};
}

static int cmp_range(const void *a, const void *b)
{
	const struct ram_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static uint64_t node_memmap_pages(const struct machine *m, int nid,
				  const struct ram_range *r, int n)
{
	const pg_data_t *pgdat = m->node_data[nid];
	uint64_t s, sections = 0;
	uint64_t end =
		(uint64_t)pgdat->node_start_pfn + pgdat->node_spanned_pages;

	for (s = pgdat->node_start_pfn & ~(uint64_t)(SECTION_PAGES - 1);
	     s < end; s += SECTION_PAGES)
		if (ranges_pages_in(r, n, s, s + SECTION_PAGES))
			sections++;
	return sections * SECTION_PAGES * KERNEL_STRUCT_PAGE_SIZE / PAGE_SIZE;
}

/*
 * The reservations of a booting x86_64 kernel: the first MiB, the kernel
 * image, and per node (allocated top-down, as memblock does) the memmap
 * and the node's early structures; the embedded first percpu chunk comes
 * from node 0.
 */
static void reserve_boot_memory(struct machine *m, struct memblock *mb,
				const struct ram_range *r, int n)
{
	uint64_t top, size;
	int nid;

	memblock_reserve(mb, 0, LEGACY_END_PFN);
	memblock_reserve(mb, KERNEL_LOAD_PFN,
			 KERNEL_LOAD_PFN + KERNEL_IMAGE_PAGES);
	for_each_online_node (nid, m) {
		const pg_data_t *pgdat = m->node_data[nid];

		size = node_memmap_pages(m, nid, r, n);
		m->memmap_boot_pages += size;
		size += NODE_EARLY_PAGES;
		if (nid == 0)
			size += pcpu_embedded_pages(m);
		top = (uint64_t)pgdat->node_start_pfn +
		      pgdat->node_spanned_pages;
		/* node 0's top may be in the PCI hole's shadow: stay in RAM */
		memblock_reserve(mb, top - size, top);
	}
	qsort(mb->reserved, mb->nr, sizeof(mb->reserved[0]), cmp_range);
}

/* Count the frames of [start, end) that are RAM, zone by zone, as managed. */
static void adjust_managed_pages(struct machine *m, const struct ram_range *r,
				 int n, uint64_t start, uint64_t end, int sign)
{
	int nid, zi;

	for_each_online_node (nid, m) {
		for (zi = 0; zi < MAX_NR_ZONES; zi++) {
			struct zone *z = &m->node_data[nid]->node_zones[zi];
			uint64_t s = z->zone_start_pfn,
				 e = s + z->spanned_pages;

			if (s < start)
				s = start;
			if (e > end)
				e = end;
			if (e > s)
				z->managed_pages +=
					sign *
					(int64_t)ranges_pages_in(r, n, s, e);
		}
	}
}

/* Free [start, end) ∩ RAM to the buddy allocator (memblock_free_all). */
static void free_ram_range(struct machine *m, const struct ram_range *r, int n,
			   uint64_t start, uint64_t end)
{
	int i, nid, zi;

	adjust_managed_pages(m, r, n, start, end, 1);
	for (i = 0; i < n; i++) {
		uint64_t s = r[i].start > start ? r[i].start : start;
		uint64_t e = r[i].end < end ? r[i].end : end;

		/* buddy blocks never cross a zone boundary */
		for_each_online_node (nid, m) {
			for (zi = 0; zi < MAX_NR_ZONES; zi++) {
				const struct zone *z =
					&m->node_data[nid]->node_zones[zi];
				uint64_t zs = z->zone_start_pfn;
				uint64_t ze = zs + z->spanned_pages;

				if (zs < s)
					zs = s;
				if (ze > e)
					ze = e;
				if (ze > zs)
					free_boot_range(m, (pfn_t)zs,
							(pfn_t)ze);
			}
		}
	}
}

static void memblock_free_all(struct machine *m, const struct memblock *mb,
			      const struct ram_range *r, int n)
{
	uint64_t pos = 0;
	int i;

	for (i = 0; i < mb->nr; i++) {
		if (mb->reserved[i].start > pos)
			free_ram_range(m, r, n, pos, mb->reserved[i].start);
		if (mb->reserved[i].end > pos)
			pos = mb->reserved[i].end;
	}
	if (pos < m->max_pfn)
		free_ram_range(m, r, n, pos, m->max_pfn);
}

/* ---- the boot itself ---- */

/* One allocation the booting kernel or a starting task makes. */
struct boot_req {
	uint8_t state; /* enum page_state */
	uint16_t flags;
	uint8_t order;
	uint8_t migratetype;
	uint8_t transient; /* freed again before boot ends */
	int nid;
	uint32_t owner;
	uint32_t count; /* slab objects, for PAGE_SLAB */
	pfn_t pfn; /* PFN_NONE until allocated */
};

struct boot_plan {
	struct boot_req *req;
	size_t nr, size;
};

static int plan_add(struct boot_plan *bp, const struct boot_req *r,
		    unsigned int count)
{
	while (count--) {
		if (bp->nr == bp->size) {
			size_t size = bp->size ? 2 * bp->size : 4096;
			struct boot_req *req =
				realloc(bp->req, size * sizeof(*req));

			if (!req)
				return -ENOMEM;
			bp->req = req;
			bp->size = size;
		}
		bp->req[bp->nr] = *r;
		bp->req[bp->nr++].pfn = PFN_NONE;
	}
	return 0;
}

/* Each cache's boot objects are taken in this many steps. */
#define SLAB_BOOT_STEPS 16

/*
 * The objects the boot leaves in each slab cache, and those it takes and
 * frees again, in steps that interleave with everything else.
 */
static int plan_slab(struct machine *m, struct boot_plan *bp)
{
	struct boot_req r = {.state = PAGE_SLAB};
	uint64_t n[2], step;
	int id, k, rc;

	for (id = 0; id < NR_KMEM_CACHES; id++) {
		kmem_cache_boot_objects(m, id, &n[0], &n[1]);
		for (k = 0; k < 2; k++) {
			r.owner = (uint32_t)id;
			r.transient = (uint8_t)k;
			step = (n[k] + SLAB_BOOT_STEPS - 1) / SLAB_BOOT_STEPS;
			while (n[k]) {
				r.count = (uint32_t)(step < n[k] ? step : n[k]);
				n[k] -= r.count;
				r.nid = (int)prng_below(
					&m->prng, (uint64_t)m->nr_node_ids);
				rc = plan_add(bp, &r, 1);
				if (rc)
					return rc;
			}
		}
	}
	return 0;
}

/*
 * The files whose pages the boot leaves in the page cache: what systemd,
 * udev and the package manager read while the system comes up.
 */
#define NR_BOOT_FILES 400

struct boot_files {
	uint32_t ino[NR_BOOT_FILES];
	uint32_t bdev, tmpfs; /* /dev/vda and the journal in /run */
};

static int create_boot_files(struct machine *m, struct boot_files *bf)
{
	static const char *const patterns[] = {
		"/var/lib/dpkg/info/pkg%03u.list",
		"/usr/share/locale/C.utf8/msg%03u.mo",
		"/etc/systemd/system/unit%03u.service",
		"/usr/lib/udev/rules.d/%03u-device.rules",
		"/usr/lib/modules/6.18.0-mmsim/kernel/mod%03u.ko",
		"/var/log/journal/system@%03u.journal",
		"/usr/share/zoneinfo/zone%03u",
		"/usr/lib/x86_64-linux-gnu/libaux%03u.so.1",
	};
	struct inode *inode;
	char path[128];
	unsigned int i;
	int rc;

	rc = inode_create(m, "/dev/vda", m->params.mem_bytes, INODE_BDEV,
			  &inode);
	if (rc)
		return rc;
	bf->bdev = inode->ino;
	rc = inode_create(m, "/run/log/journal/system.journal", 0, INODE_TMPFS,
			  &inode);
	if (rc)
		return rc;
	bf->tmpfs = inode->ino;
	for (i = 0; i < NR_BOOT_FILES; i++) {
		snprintf(path, sizeof(path),
			 patterns[i % (sizeof(patterns) / sizeof(patterns[0]))],
			 i);
		rc = inode_create(m, path, 0, INODE_FILE, &inode);
		if (rc)
			return rc;
		bf->ino[i] = inode->ino;
	}
	return 0;
}

static int plan_page_cache(struct machine *m, struct boot_plan *bp,
			   const struct boot_files *bf, uint64_t pages,
			   int transient)
{
	struct boot_req r = {.state = PAGE_FILE,
			     .migratetype = MIGRATE_MOVABLE,
			     .transient = (uint8_t)transient};
	uint64_t planned = 0;
	int rc;

	while (planned < pages) {
		/* readahead makes some 16 KiB folios */
		r.order = prng_below(&m->prng, 100) < 15 ? 2 : 0;
		r.flags = prng_below(&m->prng, 100) < 40 ? PG_active : 0;
		r.owner = bf->ino[prng_below(&m->prng, NR_BOOT_FILES)];
		if (prng_below(&m->prng, 100) < 3) {
			r.flags |= PG_blockdev;
			r.owner = bf->bdev;
		} else if (prng_below(&m->prng, 1000) < 5) {
			r.flags |= PG_dirty;
		}
		r.nid = (int)prng_below(&m->prng, (uint64_t)m->nr_node_ids);
		rc = plan_add(bp, &r, 1);
		if (rc)
			return rc;
		planned += 1ULL << r.order;
	}
	return 0;
}

/* The daemons systemd starts, and the heap each writes as it starts. */
struct daemon_spec {
	const char *comm;
	uint32_t uid;
	unsigned int heap_kb;
};

static const struct daemon_spec boot_daemons[] = {
	{"systemd-journald", 0, 1900},
	{"systemd-udevd", 0, 1600},
	{"systemd-timesyncd", 997, 800},
	{"dbus-daemon", 100, 500},
	{"systemd-logind", 0, 800},
	{"cron", 0, 200},
	{"rsyslogd", 0, 2200},
	{"sshd", 0, 700},
	{"agetty", 0, 100},
};

/* init's own start-up heap */
#define INIT_HEAP_KB 3600

static const char *const boot_kthreads[] = {
	"kthreadd",
	"pool_workqueue_release",
	"kworker/R-rcu_gp",
	"kworker/R-sync_wq",
	"kworker/R-slub_flushwq",
	"kworker/R-netns",
	"kworker/R-mm_percpu_wq",
	"rcu_tasks_kthread",
	"rcu_tasks_rude_kthread",
	"rcu_tasks_trace_kthread",
	"rcu_preempt",
	"rcu_exp_gp_kthread_worker",
};

static const char *const percpu_kthreads[] = {
	"cpuhp/%d",	"idle_inject/%d", "migration/%d",
	"ksoftirqd/%d", "kworker/%d:0",	  "kworker/%d:0H",
};

static const char *const late_kthreads[] = {
	"kdevtmpfs",
	"kworker/R-inet_frag_wq",
	"kauditd",
	"khungtaskd",
	"oom_reaper",
	"kworker/R-writeback",
	"ksmd",
	"khugepaged",
	"kworker/R-kblockd",
	"kworker/R-blkcg_punt_bio",
	"kworker/R-mld",
	"kworker/R-ipv6_addrconf",
	"jbd2/vda1-8",
	"kworker/R-ext4-rsv-conver",
};

static struct task_struct *boot_kthread(struct machine *m,
					struct boot_plan *bp, const char *comm,
					int ppid, int cpu)
{
	struct boot_req stack = {.state = PAGE_KSTACK,
				 .migratetype = MIGRATE_UNMOVABLE};
	struct task_struct *t;

	t = task_create(m, comm, ppid, 0, 1, cpu, 0);
	if (!t)
		return NULL;
	/* rescuers and high-priority workers run at -20, the mm scanners low */
	if (!strncmp(comm, "kworker/R-", 10) ||
	    (!strncmp(comm, "kworker/", 8) && comm[strlen(comm) - 1] == 'H'))
		t->nice = -20;
	else if (!strcmp(comm, "ksmd"))
		t->nice = 5;
	else if (!strcmp(comm, "khugepaged"))
		t->nice = 19;
	/* 16 KiB vmalloc'ed stacks: four order-0 pages */
	stack.owner = (uint32_t)t->pid;
	stack.nid = m->cpu_to_node[cpu];
	if (plan_add(bp, &stack, THREAD_STACK_PAGES))
		return NULL;
	m->clock_ns += 2000000ULL;
	return t;
}

/*
 * The kernel's threads, after init has its PID; init itself starts
 * running once the kernel's own allocations are made.
 */
static int plan_tasks(struct machine *m, struct boot_plan *bp)
{
	char comm[32];
	size_t i;
	int cpu, nid;

	if (!task_create(m, "init", 0, 0, 0, 0, 0))
		return -ENOMEM;
	for (i = 0; i < sizeof(boot_kthreads) / sizeof(boot_kthreads[0]); i++)
		if (!boot_kthread(m, bp, boot_kthreads[i], i ? 2 : 0, 0))
			return -ENOMEM;
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		for (i = 0;
		     i < sizeof(percpu_kthreads) / sizeof(percpu_kthreads[0]);
		     i++) {
			snprintf(comm, sizeof(comm), percpu_kthreads[i], cpu);
			if (!boot_kthread(m, bp, comm, 2, cpu))
				return -ENOMEM;
		}
	}
	for (i = 0; i < sizeof(late_kthreads) / sizeof(late_kthreads[0]); i++)
		if (!boot_kthread(m, bp, late_kthreads[i], 2, 0))
			return -ENOMEM;
	for_each_online_node (nid, m) {
		int first_cpu = 0;

		while (m->cpu_to_node[first_cpu] != nid)
			first_cpu++;
		snprintf(comm, sizeof(comm), "kcompactd%d", nid);
		if (!boot_kthread(m, bp, comm, 2, first_cpu))
			return -ENOMEM;
		snprintf(comm, sizeof(comm), "kswapd%d", nid);
		if (!boot_kthread(m, bp, comm, 2, first_cpu))
			return -ENOMEM;
	}
	return 0;
}

/*
 * User space: init execs systemd, which starts the daemons; short-lived
 * helpers (udev workers, generators) take PIDs in between.
 */
static int start_userspace(struct machine *m)
{
	struct task_struct *init = find_task_mut(m, 1);
	struct spawn_args sa = {.ppid = 1, .node = -1};
	size_t i;
	int pid, rc;

	rc = alloc_thread_stack(m, init);
	rc = rc ?: mm_alloc(m, 1, init->cpu, &init->mm);
	rc = rc ?: do_execve(m, 1, "systemd", INIT_HEAP_KB);
	if (rc)
		return rc;
	m->clock_ns += 150000000ULL;
	for (i = 0; i < sizeof(boot_daemons) / sizeof(boot_daemons[0]); i++) {
		int skip = 5 + (int)prng_below(&m->prng, 40);

		m->last_pid += skip;
		m->total_forks += (uint64_t)skip;
		sa.comm = boot_daemons[i].comm;
		sa.uid = boot_daemons[i].uid;
		sa.heap_kb = boot_daemons[i].heap_kb;
		rc = do_spawn(m, &sa, &pid);
		if (rc)
			return rc;
		m->clock_ns += 150000000ULL;
	}
	return 0;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static int plan_kernel(struct machine *m, struct boot_plan *bp,
		       const struct boot_files *bf)
{
	uint64_t managed = totalram_pages(m);
	struct boot_req r = {.order = 0, .migratetype = MIGRATE_UNMOVABLE};
	int rc;

	/* each request is the next of the boot's percpu allocations */
	r.nid = 0;
	r.state = PAGE_PERCPU;
	rc = plan_add(bp, &r, pcpu_nr_boot_allocs());
	r.state = PAGE_PGTABLE;
	rc = rc ?: plan_add(bp, &r, 48);
	r.state = PAGE_VMALLOC;
	rc = rc ?: plan_add(bp, &r, (unsigned int)min_u64(2048, managed / 512));
	rc = rc ?: plan_slab(m, bp);
	rc = rc ?: plan_page_cache(m, bp, bf, min_u64(40960, managed / 24), 0);
	rc = rc ?: plan_page_cache(m, bp, bf, min_u64(10240, managed / 96), 1);
	r.state = PAGE_SHMEM;
	r.owner = bf->tmpfs;
	r.migratetype = MIGRATE_MOVABLE;
	rc = rc
		     ?: plan_add(bp, &r,
				 (unsigned int)min_u64(1024, managed / 1024));
	return rc;
}

static int boot_alloc_one(struct machine *m, struct boot_req *r)
{
	int user = r->migratetype == MIGRATE_MOVABLE;
	struct alloc_context ac = {
		.preferred_nid = r->nid,
		.highest_zoneidx = user ? ZONE_MOVABLE : ZONE_NORMAL,
		.migratetype = r->migratetype,
		.alloc_flags = ALLOC_WMARK_LOW,
		.cpu = 0,
	};
	struct page_use use = {
		.state = r->state, .flags = r->flags, .owner = r->owner};
	int rc;

	if (r->state == PAGE_SLAB) {
		rc = kmem_cache_boot_alloc(m, r->owner, r->count, r->nid);
		/* objects have no block of their own: pfn 0 says they landed */
		if (!rc)
			r->pfn = 0;
		return rc;
	}
	if (r->state == PAGE_PERCPU) {
		/* populating takes the frames, on each CPU's node */
		rc = pcpu_boot_alloc(m, ALLOC_WMARK_LOW);
		if (!rc)
			r->pfn = 0;
		return rc;
	}
	while (m->cpu_to_node[ac.cpu] != r->nid)
		ac.cpu++;
	return alloc_pages(m, r->order, &ac, &use, &r->pfn);
}

/*
 * A boot allocation has landed: cache pages get their file offsets (the
 * folios split into pages, which is what the fault path maps), kernel
 * stacks go to their task.
 */
static int settle_boot_req(struct machine *m, const struct boot_req *r)
{
	uint64_t n = 1ULL << r->order, i;
	struct task_struct *t;
	struct inode *inode;
	int rc;

	if (r->state == PAGE_KSTACK) {
		t = find_task_mut(m, (int)r->owner);
		for (i = 0; t && i < THREAD_STACK_PAGES; i++) {
			if (t->kstack[i] == PFN_NONE) {
				t->kstack[i] = r->pfn;
				t->stack_pages++;
				break;
			}
		}
		return 0;
	}
	if (r->state != PAGE_FILE && r->state != PAGE_SHMEM)
		return 0;
	inode = inode_mut(m, r->owner);
	if (r->order)
		split_page(m, r->pfn, r->order);
	for (i = 0; i < n; i++) {
		uint64_t index = inode_pages(inode);

		pfn_to_page(m, r->pfn + (pfn_t)i)->index = (uint32_t)index;
		inode->i_size = (index + 1) << PAGE_SHIFT;
		rc = page_cache_insert(inode, index, r->pfn + (pfn_t)i);
		if (rc)
			return rc;
	}
	return 0;
}

static void free_boot_req(struct machine *m, struct boot_req *r)
{
	uint64_t n = 1ULL << r->order, i;

	if (r->state == PAGE_SLAB) {
		kmem_cache_boot_free(m, r->owner, r->count);
	} else if (r->state == PAGE_FILE || r->state == PAGE_SHMEM) {
		for (i = 0; i < n; i++)
			filemap_remove_page(m, r->pfn + (pfn_t)i);
	} else {
		free_pages(m, r->pfn, r->order);
	}
	r->pfn = PFN_NONE;
}

/* Files end somewhere in their last page. */
static void settle_boot_files(struct machine *m, const struct boot_files *bf)
{
	unsigned int i;

	for (i = 0; i < NR_BOOT_FILES; i++) {
		struct inode *inode = inode_mut(m, bf->ino[i]);

		if (inode->i_size)
			inode->i_size -= prng_below(&m->prng, PAGE_SIZE);
		else
			inode->i_size = 1 + prng_below(&m->prng, 64 * 1024);
	}
}

static void account_boot_cpu_time(struct machine *m)
{
	int cpu;

	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		struct kernel_cpustat *kcs = &m->kcpustat[cpu];
		uint64_t busy;

		kcs->cpustat[CPUTIME_SYSTEM] +=
			cpu ? 90000000ULL : 420000000ULL;
		kcs->cpustat[CPUTIME_SOFTIRQ] += 6000000ULL;
		kcs->cpustat[CPUTIME_USER] += cpu ? 60000000ULL : 250000000ULL;
		kcs->nr_switches += 1500;
		kcs->nr_irqs += 900;
		kcs->nr_softirqs += 700;
		busy = kcs->cpustat[CPUTIME_SYSTEM] +
		       kcs->cpustat[CPUTIME_USER] +
		       kcs->cpustat[CPUTIME_SOFTIRQ];
		kcs->cpustat[CPUTIME_IDLE] =
			m->clock_ns > busy ? m->clock_ns - busy : 0;
	}
}

/*
 * Boot: start the tasks and make the kernel's allocations in an order that
 * interleaves them as a real boot does, then free the transient ones
 * (initramfs, early buffers).  That leaves the buddy lists with the
 * spread over orders and migrate types a freshly booted machine has.  On a
 * small machine the optional allocations stop when memory runs low.
 */
static int boot_allocations(struct machine *m)
{
	struct boot_plan bp = {0};
	struct boot_files bf;
	size_t i, j;
	int rc;

	m->clock_ns = 1200000000ULL; /* firmware and kernel decompression */
	rc = shmem_init(m);
	rc = rc ?: create_boot_files(m, &bf);
	rc = rc ?: plan_tasks(m, &bp);
	rc = rc ?: plan_kernel(m, &bp, &bf);
	if (rc)
		goto out;
	for (i = bp.nr; i > 1; i--) {
		struct boot_req tmp;

		j = prng_below(&m->prng, i);
		tmp = bp.req[i - 1];
		bp.req[i - 1] = bp.req[j];
		bp.req[j] = tmp;
	}
	for (i = 0; i < bp.nr; i++) {
		struct boot_req *r = &bp.req[i];

		rc = boot_alloc_one(m, r);
		if (rc == -ENOMEM && r->state != PAGE_KSTACK)
			rc = 0;
		if (rc)
			goto out;
		if (r->pfn == PFN_NONE)
			continue;
		/* page cache came from disk: pgpgin counts 512-byte sectors */
		if (r->state == PAGE_FILE)
			count_vm_events(m, PGPGIN,
					(PAGE_SIZE / 512) << r->order);
		if (r->flags & PG_active)
			count_vm_events(m, PGACTIVATE, 1ULL << r->order);
		rc = settle_boot_req(m, r);
		if (rc)
			goto out;
	}
	settle_boot_files(m, &bf);
	/* the boot put pages in the cache directly: count them once */
	rc = filemap_recount(m);
	rc = rc ?: filemap_boot_objects(m);
	rc = rc ?: start_userspace(m);
	if (rc)
		goto out;
	for (i = 0; i < bp.nr; i++)
		if (bp.req[i].pfn != PFN_NONE && bp.req[i].transient)
			free_boot_req(m, &bp.req[i]);
	kmem_cache_boot_done(m);
	account_boot_cpu_time(m);
out:
	free(bp.req);
	return rc;
}

/* ---- what the boot tells the kernel log ---- */

#define PFN_PHYS(pfn) ((unsigned long long)(pfn) << PAGE_SHIFT)
/* the EBDA: the firmware's low RAM ends here, in LOW_RAM_END_PFN's page */
#define EBDA_START 0x9fc00ULL
/* MAXMEM >> PAGE_SHIFT with four-level paging */
#define MAX_ARCH_PFN 0x400000000ULL
/* the kernel image's sections, in KiB (the rest is the __init sections) */
#define KERNEL_CODE_KB 18432ULL
#define KERNEL_RWDATA_KB 4096ULL
#define KERNEL_RODATA_KB 7168ULL
#define KERNEL_BSS_KB 2048ULL

_Static_assert(KERNEL_CODE_KB + KERNEL_RWDATA_KB + KERNEL_RODATA_KB +
			       KERNEL_BSS_KB + KERNEL_INIT_PAGES * 4 ==
		       KERNEL_IMAGE_PAGES * 4,
	       "the kernel image's sections fill it");

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* What the boot loader passes: the disk's first partition is the root. */
static void boot_command_line(const struct machine *m, char *buf, size_t size)
{
	snprintf(buf, size,
		 "BOOT_IMAGE=/boot/vmlinuz-" MMSIM_KERNEL_RELEASE
		 " root=/dev/vda1 ro quiet%s",
		 m->params.nopcid ? " nopcid" : "");
}

static void e820_print_range(struct machine *m, unsigned long long start,
			     unsigned long long end, const char *type)
{
	pr_info(m, "BIOS-e820: [mem 0x%016llx-0x%016llx] %s\n", start, end - 1,
		type);
}

/*
 * The firmware map as a PC's BIOS reports it (e820__print_table()): RAM
 * to the EBDA, the legacy area, RAM to the PCI hole, the IOAPIC, local
 * APIC and BIOS flash in the hole, and the RAM remapped above 4 GiB.
 */
static void e820_print_table(struct machine *m, const struct ram_range *r,
			     int n)
{
	pr_info(m, "BIOS-provided physical RAM map:\n");
	e820_print_range(m, 0, EBDA_START, "usable");
	e820_print_range(m, EBDA_START, PFN_PHYS(LEGACY_END_PFN), "reserved");
	e820_print_range(m, PFN_PHYS(r[1].start), PFN_PHYS(r[1].end), "usable");
	e820_print_range(m, 0xfec00000ULL, 0xfec01000ULL, "reserved");
	e820_print_range(m, 0xfee00000ULL, 0xfee01000ULL, "reserved");
	e820_print_range(m, 0xfffc0000ULL, 1ULL << 32, "reserved");
	if (n > 2)
		e820_print_range(m, PFN_PHYS(r[2].start), PFN_PHYS(r[2].end),
				 "usable");
	/* trim_bios_range(): page 0 and the legacy area are not RAM */
	printk(m, LOGLEVEL_DEBUG,
	       "e820: update [mem 0x00000000-0x00000fff] usable ==> "
	       "reserved\n");
	printk(m, LOGLEVEL_DEBUG,
	       "e820: remove [mem 0x%08llx-0x%08llx] usable\n", 0xa0000ULL,
	       PFN_PHYS(LEGACY_END_PFN) - 1);
	pr_info(m, "last_pfn = 0x%llx max_arch_pfn = 0x%llx\n",
		(unsigned long long)m->max_pfn, MAX_ARCH_PFN);
	if (m->max_pfn > DMA32_END_PFN)
		pr_info(m, "last_pfn = 0x%llx max_arch_pfn = 0x%llx\n",
			(unsigned long long)r[1].end, MAX_ARCH_PFN);
}

/* The firmware's NUMA affinity: SRAT entries, or one faked node. */
static void numa_print(struct machine *m, const struct ram_range *r, int n)
{
	int nid, i;

	if (m->nr_node_ids == 1) {
		pr_info(m, "No NUMA configuration found\n");
		pr_info(m, "Faking a node at [mem 0x%016llx-0x%016llx]\n", 0ULL,
			PFN_PHYS(m->max_pfn) - 1);
		return;
	}
	for_each_online_node (nid, m) {
		const pg_data_t *pgdat = NODE_DATA(m, nid);
		uint64_t ns = pgdat->node_start_pfn;
		uint64_t ne = ns + pgdat->node_spanned_pages;

		for (i = 0; i < n; i++) {
			uint64_t s = max_u64(r[i].start, ns);
			uint64_t e = min_u64(r[i].end, ne);

			if (e <= s)
				continue;
			/* the firmware describes the low 640 KiB whole */
			if (!i) {
				s = 0;
				e = 0xa0000ULL >> PAGE_SHIFT;
			}
			pr_info(m,
				"ACPI: SRAT: Node %d PXM %d [mem "
				"0x%08llx-0x%08llx]\n",
				nid, nid, PFN_PHYS(s), PFN_PHYS(e) - 1);
		}
	}
}

/* pfn_valid(): a frame has a struct page when its section has RAM. */
static uint64_t valid_pfns_in(const struct ram_range *r, int n, uint64_t start,
			      uint64_t end)
{
	uint64_t s, count = 0;

	for (s = start & ~(uint64_t)(SECTION_PAGES - 1); s < end;
	     s += SECTION_PAGES)
		if (ranges_pages_in(r, n, s, s + SECTION_PAGES))
			count += min_u64(s + SECTION_PAGES, end) -
				 max_u64(s, start);
	return count;
}

static void print_unavailable(struct machine *m, const struct ram_range *r,
			      int n, uint64_t start, uint64_t end, int nid,
			      int zi)
{
	uint64_t pages = valid_pfns_in(r, n, start, end);

	if (pages)
		pr_info(m,
			"On node %d, zone %s: %llu pages in unavailable "
			"ranges\n",
			nid, zone_names[zi], (unsigned long long)pages);
}

/*
 * free_area_init() and memmap_init(): the zone bounds, the RAM of each
 * node, and the frames in holes that still get a (reserved) struct page.
 */
static void free_area_init_print(struct machine *m, const struct ram_range *r,
				 int n)
{
	uint64_t max_zone_pfn[MAX_NR_ZONES] = {
		DMA_END_PFN, min_u64(DMA32_END_PFN, m->max_pfn), m->max_pfn};
	uint64_t start = r[0].start, end, hole = 0;
	int nid, zi, i, last_nid = 0, last_zone = 0;

	pr_info(m, "Zone ranges:\n");
	for (zi = 0; zi < MAX_NR_ZONES; zi++) {
		if (zi == ZONE_MOVABLE)
			continue;
		end = max_u64(max_zone_pfn[zi], start);
		if (end == start)
			pr_info(m, "  %-8s empty\n", zone_names[zi]);
		else
			pr_info(m, "  %-8s [mem 0x%016llx-0x%016llx]\n",
				zone_names[zi], PFN_PHYS(start),
				PFN_PHYS(end) - 1);
		start = end;
	}
	pr_info(m, "Movable zone start for each node\n");
	for_each_online_node (nid, m) {
		const struct zone *z =
			&NODE_DATA(m, nid)->node_zones[ZONE_MOVABLE];

		if (z->present_pages)
			pr_info(m, "  Node %d: 0x%016llx\n", nid,
				PFN_PHYS(z->zone_start_pfn));
	}
	pr_info(m, "Early memory node ranges\n");
	for_each_online_node (nid, m) {
		const pg_data_t *pgdat = NODE_DATA(m, nid);
		uint64_t ns = pgdat->node_start_pfn;
		uint64_t ne = ns + pgdat->node_spanned_pages;

		for (i = 0; i < n; i++) {
			uint64_t s = max_u64(r[i].start, ns);
			uint64_t e = min_u64(r[i].end, ne);

			if (e > s)
				pr_info(m,
					"  node %3d: [mem "
					"0x%016llx-0x%016llx]\n",
					nid, PFN_PHYS(s), PFN_PHYS(e) - 1);
		}
	}
	for_each_online_node (nid, m) {
		const pg_data_t *pgdat = NODE_DATA(m, nid);

		pr_info(m, "Initmem setup node %d [mem 0x%016llx-0x%016llx]\n",
			nid, PFN_PHYS(pgdat->node_start_pfn),
			PFN_PHYS(pgdat->node_start_pfn +
				 pgdat->node_spanned_pages) -
				1);
	}
	/* memmap_init(): each hole goes to the zone above it */
	end = 0;
	for_each_online_node (nid, m) {
		const pg_data_t *pgdat = NODE_DATA(m, nid);
		uint64_t ns = pgdat->node_start_pfn;
		uint64_t ne = ns + pgdat->node_spanned_pages;

		for (i = 0; i < n; i++) {
			uint64_t s = max_u64(r[i].start, ns);
			uint64_t e = min_u64(r[i].end, ne);

			if (e <= s)
				continue;
			for (zi = 0; zi < MAX_NR_ZONES; zi++) {
				const struct zone *z = &pgdat->node_zones[zi];
				uint64_t zs = max_u64(s, z->zone_start_pfn);
				uint64_t ze =
					min_u64(e, z->zone_start_pfn +
							   z->spanned_pages);

				if (!z->present_pages)
					continue;
				last_nid = nid;
				last_zone = zi;
				if (zs >= ze)
					continue;
				if (hole < zs)
					print_unavailable(m, r, n, hole, zs,
							  nid, zi);
				hole = ze;
			}
			end = e;
		}
	}
	/* the tail of the last section belongs to the last zone */
	end = (end + SECTION_PAGES - 1) & ~(uint64_t)(SECTION_PAGES - 1);
	if (hole < end)
		print_unavailable(m, r, n, hole, end, last_nid, last_zone);
}

/*
 * setup_arch() to mm_core_init(): the firmware map, the zones and nodes,
 * the command line, and the zonelists with all present pages.
 */
static void boot_print_memory_map(struct machine *m, const struct ram_range *r,
				  int n)
{
	uint64_t present = 0;
	int nid, zi, policy_zone = ZONE_DMA;
	char cmdline[256];

	boot_command_line(m, cmdline, sizeof(cmdline));
	pr_notice(m, "%s\n", MMSIM_LINUX_BANNER);
	pr_info(m, "Command line: %s\n", cmdline);
	e820_print_table(m, r, n);
	numa_print(m, r, n);
	free_area_init_print(m, r, n);
	pcpu_print_first_chunk(m);
	pr_notice(m, "Kernel command line: %s\n", cmdline);
	for_each_online_node (nid, m) {
		for (zi = 0; zi < MAX_NR_ZONES; zi++) {
			const struct zone *z =
				&NODE_DATA(m, nid)->node_zones[zi];

			present += z->present_pages;
			if (z->present_pages && zi != ZONE_MOVABLE &&
			    zi > policy_zone)
				policy_zone = zi;
		}
	}
	pr_info(m,
		"Built %d zonelists, mobility grouping %s.  Total pages: "
		"%llu\n",
		m->nr_node_ids,
		present < pageblock_nr_pages * MIGRATE_TYPES ? "off" : "on",
		(unsigned long long)present);
	pr_info(m, "Policy zone: %s\n", zone_names[policy_zone]);
}

/* mem_init_print_info(): the buddy allocator has all it will get. */
static void mem_init_print_info(struct machine *m)
{
	uint64_t physpages = 0;
	int nid;

	for_each_online_node (nid, m)
		physpages += NODE_DATA(m, nid)->node_present_pages;
	pr_info(m,
		"Memory: %lluK/%lluK available (%lluK kernel code, %lluK "
		"rwdata, %lluK rodata, %lluK init, %lluK bss, %lluK reserved, "
		"0K cma-reserved)\n",
		(unsigned long long)global_zone_page_state(m, NR_FREE_PAGES)
			<< (PAGE_SHIFT - 10),
		(unsigned long long)physpages << (PAGE_SHIFT - 10),
		KERNEL_CODE_KB, KERNEL_RWDATA_KB, KERNEL_RODATA_KB,
		KERNEL_INIT_PAGES * 4ULL, KERNEL_BSS_KB,
		(unsigned long long)(physpages - totalram_pages(m))
			<< (PAGE_SHIFT - 10));
}

int machine_boot(const struct machine_params *p, struct machine **out)
{
	struct ram_range r[4];
	struct memblock mb = {.nr = 0};
	struct machine *m;
	int n, rc;

	rc = machine_alloc_topology(p, &m);
	if (rc)
		return rc;
	n = e820_ram_ranges(p->mem_bytes >> PAGE_SHIFT, r);
	prng_seed(&m->prng, p->seed);
	boot_print_memory_map(m, r, n);
	reserve_boot_memory(m, &mb, r, n);
	memblock_free_all(m, &mb, r, n);
	mem_init_print_info(m);

	sysctl_init_defaults(m);
	setup_per_zone_lowmem_reserve(m);
	setup_per_zone_wmarks(m);

	rc = boot_allocations(m);
	if (rc)
		goto fail;
	/* free_initmem(): the __init sections go back to the allocator */
	free_ram_range(m, r, n,
		       KERNEL_LOAD_PFN + KERNEL_IMAGE_PAGES - KERNEL_INIT_PAGES,
		       KERNEL_LOAD_PFN + KERNEL_IMAGE_PAGES);
	pr_info(m, "Freeing unused kernel image (initmem) memory: %luK\n",
		KERNEL_INIT_PAGES << (PAGE_SHIFT - 10));
	setup_per_zone_lowmem_reserve(m);
	setup_per_zone_wmarks(m);
	/* systemd's swap unit enables the disk given at create */
	m->swap.least_priority = -1;
	if (p->swap_bytes) {
		struct seq_buf err;

		seq_buf_init(&err);
		rc = swapon(m, SWAP_BOOT_DEVICE, p->swap_bytes, 0, 0, &err);
		seq_buf_free(&err);
		if (rc)
			goto fail;
	}
	*out = m;
	return 0;
fail:
	machine_free(m);
	return rc;
}
