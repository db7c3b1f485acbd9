// SPDX-License-Identifier: GPL-2.0
/*
 * Saving and loading the machine state.
 *
 * Numbers are LEB128 varints, so small values take one byte.  Pageblocks
 * are run-length encoded by (kind, migratetype); frames of split
 * pageblocks by runs of equal block heads; free lists as their pfns in
 * list order, delta- and run-length encoded.  A fresh machine's free
 * memory is a few long runs whatever its size.  The encoding visits
 * everything in a fixed order, so equal states give equal bytes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "machine.h"
#include "page_alloc.h"
#include "seq_buf.h"

#define CHECKPOINT_MAGIC 0x4b434d4dU /* "MMCK" */
#define CHECKPOINT_VERSION 1

/* pageblock classes as saved: free heads and tails are both "free" */
enum { PBC_HOLE, PBC_RESERVED, PBC_FREE, PBC_PAGES, NR_PBC };

static void put_u64(struct seq_buf *out, uint64_t v)
{
	unsigned char b[10];
	int n = 0;

	do {
		b[n] = v & 0x7f;
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	seq_write(out, b, (size_t)n);
}

static void put_s64(struct seq_buf *out, int64_t v)
{
	put_u64(out, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void put_u64s(struct seq_buf *out, const uint64_t *v, size_t n)
{
	while (n--)
		put_u64(out, *v++);
}

static void put_s64s(struct seq_buf *out, const int64_t *v, size_t n)
{
	while (n--)
		put_s64(out, *v++);
}

/* A sequence of pfns as runs of equal deltas. */
struct pfn_runs {
	struct seq_buf *out;
	struct seq_buf body;
	uint64_t nr_runs;
	pfn_t prev;
	int64_t delta;
	uint64_t repeat;
};

static void runs_flush(struct pfn_runs *r)
{
	if (!r->repeat)
		return;
	put_s64(&r->body, r->delta);
	put_u64(&r->body, r->repeat);
	r->nr_runs++;
	r->repeat = 0;
}

static int runs_add(pfn_t pfn, void *arg)
{
	struct pfn_runs *r = arg;
	int64_t delta = (int64_t)pfn - (int64_t)r->prev;

	if (r->repeat && delta != r->delta)
		runs_flush(r);
	r->delta = delta;
	r->repeat++;
	r->prev = pfn;
	return 0;
}

static void runs_begin(struct pfn_runs *r, struct seq_buf *out)
{
	memset(r, 0, sizeof(*r));
	r->out = out;
	seq_buf_init(&r->body);
}

static void runs_end(struct pfn_runs *r)
{
	runs_flush(r);
	put_u64(r->out, r->nr_runs);
	seq_write(r->out, r->body.buf, r->body.len);
	if (r->body.error)
		r->out->error = r->body.error;
	seq_buf_free(&r->body);
}

static int pageblock_class(const struct pageblock *pb)
{
	switch (pb->kind) {
	case PB_HOLE:
		return PBC_HOLE;
	case PB_RESERVED:
		return PBC_RESERVED;
	case PB_PAGES:
		return PBC_PAGES;
	default:
		return PBC_FREE;
	}
}

static int same_head(const struct page *a, const struct page *b)
{
	return a->state == b->state && a->order == b->order &&
	       a->flags == b->flags && a->owner == b->owner &&
	       a->migratetype == b->migratetype;
}

static void save_frames(const struct pageblock *pb, struct seq_buf *out)
{
	struct seq_buf body;
	const struct page *run = NULL, *p;
	uint64_t nr_runs = 0, repeat = 0;
	unsigned long i;

	seq_buf_init(&body);
	for (i = 0; i < pageblock_nr_pages; i += 1UL << p->order) {
		p = &pb->pages[i];
		if (run && same_head(run, p)) {
			repeat++;
			continue;
		}
		if (run) {
			put_u64(&body, repeat);
			nr_runs++;
		}
		run = p;
		repeat = 1;
		put_u64(&body, p->state);
		put_u64(&body, p->order);
		put_u64(&body, p->flags);
		put_u64(&body, p->owner);
		put_u64(&body, p->migratetype);
	}
	put_u64(&body, repeat);
	nr_runs++;
	put_u64(out, nr_runs);
	seq_write(out, body.buf, body.len);
	if (body.error)
		out->error = body.error;
	seq_buf_free(&body);
}

static void save_pageblocks(const struct machine *m, struct seq_buf *out)
{
	uint64_t pb = 0, end;

	while (pb < m->nr_pageblocks) {
		const struct pageblock *b = &m->pageblocks[pb];
		int cls = pageblock_class(b);

		for (end = pb + 1; end < m->nr_pageblocks; end++) {
			const struct pageblock *e = &m->pageblocks[end];

			if (cls == PBC_PAGES || pageblock_class(e) != cls ||
			    e->migratetype != b->migratetype)
				break;
		}
		put_u64(out, (uint64_t)cls);
		put_u64(out, b->migratetype);
		put_u64(out, end - pb);
		if (cls == PBC_PAGES)
			save_frames(b, out);
		pb = end;
	}
}

static void save_zone(const struct machine *m, const struct zone *z,
		      struct seq_buf *out)
{
	struct pfn_runs r;
	unsigned int order;
	int mt, cpu;

	put_u64(out, z->managed_pages);
	put_u64s(out, z->watermark, NR_WMARK);
	put_u64(out, z->watermark_boost);
	put_u64s(out, z->lowmem_reserve, MAX_NR_ZONES);
	put_s64s(out, z->vm_stat, NR_VM_ZONE_STAT_ITEMS);
	put_u64s(out, z->vm_numa_event, NR_VM_NUMA_EVENT_ITEMS);
	put_u64s(out, z->nr_state_pages, NR_PAGE_STATES);
	put_u64(out, z->nr_blockdev_pages);
	put_u64(out, (uint64_t)z->stat_threshold);
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		const struct per_cpu_pages *pcp = &z->pcp[cpu];

		put_u64(out, (uint64_t)pcp->count);
		put_u64(out, (uint64_t)pcp->high);
		put_u64(out, (uint64_t)pcp->high_min);
		put_u64(out, (uint64_t)pcp->high_max);
		put_u64(out, (uint64_t)pcp->batch);
	}
	for (order = 0; order < NR_PAGE_ORDERS; order++) {
		for (mt = 0; mt < MIGRATE_TYPES; mt++) {
			runs_begin(&r, out);
			walk_free_list(m, z, order, mt, runs_add, &r);
			runs_end(&r);
		}
	}
}

static void save_task(const struct task_struct *t, struct seq_buf *out)
{
	put_u64(out, (uint64_t)t->pid);
	put_u64(out, (uint64_t)t->ppid);
	seq_write(out, t->comm, TASK_COMM_LEN);
	put_u64(out, t->uid);
	put_u64(out, t->gid);
	put_u64(out, (uint64_t)t->kthread);
	put_s64(out, t->nice);
	put_u64(out, (uint64_t)t->cpu);
	put_u64(out, t->start_time_ns);
	put_u64(out, t->min_flt);
	put_u64(out, t->maj_flt);
	put_u64(out, t->rss_anon);
	put_u64(out, t->rss_file);
	put_u64(out, t->rss_shmem);
	put_u64(out, t->nr_ptes);
	put_u64(out, t->total_vm);
	put_u64(out, t->stack_pages);
	put_u64(out, t->committed_vm);
	put_u64(out, t->wake_interval_ns);
	put_u64(out, t->next_wakeup_ns);
}

int machine_save(const struct machine *m, struct seq_buf *out)
{
	struct pfn_runs r;
	uint32_t h, i;
	int nid, zi, cpu;

	put_u64(out, CHECKPOINT_MAGIC);
	put_u64(out, CHECKPOINT_VERSION);
	put_u64(out, MMSIM_MODEL_VERSION);
	put_u64(out, m->params.mem_bytes);
	put_u64(out, (uint64_t)m->params.nr_nodes);
	put_u64(out, (uint64_t)m->params.nr_cpus);
	put_u64(out, m->params.swap_bytes);
	put_u64(out, m->params.seed);

	put_u64(out, m->clock_ns);
	put_u64(out, m->boot_epoch);
	put_u64s(out, m->prng.s, 4);
	put_u64s(out, m->avenrun, 3);
	put_u64(out, m->total_forks);
	put_u64(out, (uint64_t)m->last_pid);
	put_u64(out, m->next_handle_id);
	put_u64(out, m->memmap_boot_pages);
	put_u64(out, m->pcpu_first_chunk_pages);
	put_u64(out, m->totalreserve_pages);
	put_s64s(out, (const int64_t *)&m->sysctl,
		 sizeof(m->sysctl) / sizeof(int64_t));
	put_u64s(out, m->vm_events, NR_VM_EVENT_ITEMS);
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		const struct kernel_cpustat *k = &m->kcpustat[cpu];

		put_u64s(out, k->cpustat, NR_STATS);
		put_u64(out, k->nr_switches);
		put_u64(out, k->nr_irqs);
		put_u64(out, k->nr_softirqs);
	}

	save_pageblocks(m, out);
	for_each_online_node (nid, m) {
		const pg_data_t *pgdat = NODE_DATA(m, nid);

		put_u64(out, pgdat->totalreserve_pages);
		put_s64s(out, pgdat->vm_stat, NR_VM_NODE_STAT_ITEMS);
		for (zi = 0; zi < MAX_NR_ZONES; zi++)
			save_zone(m, &pgdat->node_zones[zi], out);
	}

	put_u64(out, (uint64_t)m->nr_tasks);
	for (i = 0; i < (uint32_t)m->nr_tasks; i++)
		save_task(&m->tasks[i], out);

	put_u64(out, m->nr_handles);
	for (h = 0; h < m->nr_handles; h++) {
		const struct page_handle *ph = &m->handles[h];

		put_u64(out, ph->id);
		put_u64(out, ph->order);
		put_u64(out, ph->count);
		runs_begin(&r, out);
		for (i = 0; i < ph->count; i++)
			runs_add(ph->pfns[i], &r);
		runs_end(&r);
	}
	return seq_buf_error(out);
}

/* ---- loading ---- */

struct reader {
	const unsigned char *p, *end;
	char *why;
	size_t whysize;
	int failed;
};

__attribute__((format(printf, 2, 3))) static void bad(struct reader *rd,
						      const char *fmt, ...)
{
	va_list ap;

	if (rd->failed)
		return;
	rd->failed = 1;
	va_start(ap, fmt);
	vsnprintf(rd->why, rd->whysize, fmt, ap);
	va_end(ap);
}

static uint64_t get_u64(struct reader *rd)
{
	uint64_t v = 0;
	int shift = 0;

	while (!rd->failed) {
		unsigned char b;

		if (rd->p >= rd->end || shift > 63) {
			bad(rd, "checkpoint ends in the middle of a number");
			break;
		}
		b = *rd->p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
		shift += 7;
	}
	return 0;
}

static uint64_t get_max(struct reader *rd, uint64_t max, const char *what)
{
	uint64_t v = get_u64(rd);

	if (v > max) {
		bad(rd, "checkpoint: %s %llu out of range", what,
		    (unsigned long long)v);
		return 0;
	}
	return v;
}

static int64_t get_s64(struct reader *rd)
{
	uint64_t v = get_u64(rd);

	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static void get_u64s(struct reader *rd, uint64_t *v, size_t n)
{
	while (n--)
		*v++ = get_u64(rd);
}

static void get_s64s(struct reader *rd, int64_t *v, size_t n)
{
	while (n--)
		*v++ = get_s64(rd);
}

static void load_frames(struct reader *rd, struct machine *m, uint64_t pb)
{
	struct pageblock *b = &m->pageblocks[pb];
	uint64_t nr_runs, repeat, i;
	unsigned long pos = 0, k;
	struct page head;

	free(b->pages);
	b->pages = calloc(pageblock_nr_pages, sizeof(struct page));
	if (!b->pages) {
		bad(rd, "out of memory loading frames");
		return;
	}
	b->kind = PB_PAGES;
	for (k = 0; k < pageblock_nr_pages; k++) {
		b->pages[k].state = PAGE_TAIL;
		b->pages[k].next = PFN_NONE;
		b->pages[k].prev = PFN_NONE;
	}
	nr_runs = get_max(rd, pageblock_nr_pages, "frame runs");
	for (i = 0; i < nr_runs && !rd->failed; i++) {
		memset(&head, 0, sizeof(head));
		head.state = (uint8_t)get_max(rd, PAGE_TAIL, "page state");
		head.order = (uint8_t)get_max(rd, MAX_PAGE_ORDER, "page order");
		head.flags = (uint8_t)get_max(rd, 0xff, "page flags");
		head.owner = (uint32_t)get_max(rd, UINT32_MAX, "page owner");
		head.migratetype =
			(uint8_t)get_max(rd, MIGRATE_TYPES - 1, "migratetype");
		head.next = PFN_NONE;
		head.prev = PFN_NONE;
		repeat = get_max(rd, pageblock_nr_pages, "frame run length");
		while (repeat-- && !rd->failed) {
			if (pos >= pageblock_nr_pages ||
			    (pos & ((1UL << head.order) - 1))) {
				bad(rd,
				    "checkpoint: frame runs overflow pageblock "
				    "%llu",
				    (unsigned long long)pb);
				return;
			}
			b->pages[pos] = head;
			pos += 1UL << head.order;
		}
	}
	/* an order-10 block spans two pageblocks; its head says so */
	if (!rd->failed && pos != pageblock_nr_pages &&
	    !(pos == 2 * pageblock_nr_pages))
		bad(rd, "checkpoint: pageblock %llu frames do not add up",
		    (unsigned long long)pb);
}

static void load_pageblocks(struct reader *rd, struct machine *m)
{
	static const uint8_t kinds[NR_PBC] = {PB_HOLE, PB_RESERVED,
					      PB_FREE_TAIL, PB_PAGES};
	uint64_t pb = 0, cls, mt, n, i;

	while (pb < m->nr_pageblocks && !rd->failed) {
		cls = get_max(rd, NR_PBC - 1, "pageblock class");
		mt = get_max(rd, MIGRATE_TYPES - 1, "pageblock type");
		n = get_max(rd, m->nr_pageblocks - pb, "pageblock run");
		if (!n)
			bad(rd, "checkpoint: empty pageblock run");
		for (i = pb; i < pb + n && !rd->failed; i++) {
			struct pageblock *b = &m->pageblocks[i];

			b->migratetype = (uint8_t)mt;
			if (cls == PBC_PAGES) {
				load_frames(rd, m, i);
				continue;
			}
			free(b->pages);
			b->pages = NULL;
			b->kind = kinds[cls];
		}
		pb += n;
	}
}

static void load_free_list(struct reader *rd, struct machine *m, struct zone *z,
			   unsigned int order, int mt)
{
	uint64_t nr_runs = get_u64(rd), i, repeat;
	int64_t delta;
	int64_t pfn = 0;

	for (i = 0; i < nr_runs && !rd->failed; i++) {
		delta = get_s64(rd);
		repeat = get_u64(rd);
		while (repeat-- && !rd->failed) {
			pfn += delta;
			if (pfn < 0 || pfn >= (int64_t)m->max_pfn ||
			    (pfn & ((1LL << order) - 1)) ||
			    pfn_zone(m, (pfn_t)pfn) != z) {
				bad(rd,
				    "checkpoint: free block pfn %lld is not in "
				    "its zone",
				    (long long)pfn);
				return;
			}
			if (order < pageblock_order &&
			    m->pageblocks[pfn >> pageblock_order].kind !=
				    PB_PAGES) {
				bad(rd,
				    "checkpoint: free block pfn %lld has no "
				    "frames",
				    (long long)pfn);
				return;
			}
			free_list_restore(m, z, (pfn_t)pfn, order, mt);
		}
	}
}

static void load_zone(struct reader *rd, struct machine *m, struct zone *z)
{
	unsigned int order;
	int mt, cpu;

	z->managed_pages = get_u64(rd);
	get_u64s(rd, z->watermark, NR_WMARK);
	z->watermark_boost = get_u64(rd);
	get_u64s(rd, z->lowmem_reserve, MAX_NR_ZONES);
	get_s64s(rd, z->vm_stat, NR_VM_ZONE_STAT_ITEMS);
	get_u64s(rd, z->vm_numa_event, NR_VM_NUMA_EVENT_ITEMS);
	get_u64s(rd, z->nr_state_pages, NR_PAGE_STATES);
	z->nr_blockdev_pages = get_u64(rd);
	z->stat_threshold = (int)get_max(rd, 1000, "stat threshold");
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		struct per_cpu_pages *pcp = &z->pcp[cpu];

		pcp->count = (int)get_max(rd, INT32_MAX, "pcp count");
		pcp->high = (int)get_max(rd, INT32_MAX, "pcp high");
		pcp->high_min = (int)get_max(rd, INT32_MAX, "pcp high_min");
		pcp->high_max = (int)get_max(rd, INT32_MAX, "pcp high_max");
		pcp->batch = (int)get_max(rd, INT32_MAX, "pcp batch");
	}
	for (order = 0; order < NR_PAGE_ORDERS; order++)
		for (mt = 0; mt < MIGRATE_TYPES; mt++)
			load_free_list(rd, m, z, order, mt);
}

static void load_task(struct reader *rd, struct task_struct *t)
{
	memset(t, 0, sizeof(*t));
	t->pid = (int)get_max(rd, INT32_MAX, "pid");
	t->ppid = (int)get_max(rd, INT32_MAX, "ppid");
	if (rd->end - rd->p < TASK_COMM_LEN) {
		bad(rd, "checkpoint ends inside a task name");
		return;
	}
	memcpy(t->comm, rd->p, TASK_COMM_LEN);
	t->comm[TASK_COMM_LEN - 1] = '\0';
	rd->p += TASK_COMM_LEN;
	t->uid = (uint32_t)get_max(rd, UINT32_MAX, "uid");
	t->gid = (uint32_t)get_max(rd, UINT32_MAX, "gid");
	t->kthread = (int)get_max(rd, 1, "kthread");
	t->nice = (int)get_s64(rd);
	t->cpu = (int)get_max(rd, NR_CPUS - 1, "cpu");
	t->start_time_ns = get_u64(rd);
	t->min_flt = get_u64(rd);
	t->maj_flt = get_u64(rd);
	t->rss_anon = get_u64(rd);
	t->rss_file = get_u64(rd);
	t->rss_shmem = get_u64(rd);
	t->nr_ptes = get_u64(rd);
	t->total_vm = get_u64(rd);
	t->stack_pages = get_u64(rd);
	t->committed_vm = get_u64(rd);
	t->wake_interval_ns = get_u64(rd);
	t->next_wakeup_ns = get_u64(rd);
}

static void load_state(struct reader *rd, struct machine *m)
{
	uint64_t nr, i;
	int nid, zi, cpu;

	m->clock_ns = get_u64(rd);
	m->boot_epoch = get_u64(rd);
	get_u64s(rd, m->prng.s, 4);
	get_u64s(rd, m->avenrun, 3);
	m->total_forks = get_u64(rd);
	m->last_pid = (int)get_max(rd, INT32_MAX, "last pid");
	m->next_handle_id = (uint32_t)get_max(rd, UINT32_MAX, "handle id");
	m->memmap_boot_pages = get_u64(rd);
	m->pcpu_first_chunk_pages = get_u64(rd);
	m->totalreserve_pages = get_u64(rd);
	get_s64s(rd, (int64_t *)&m->sysctl,
		 sizeof(m->sysctl) / sizeof(int64_t));
	get_u64s(rd, m->vm_events, NR_VM_EVENT_ITEMS);
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		struct kernel_cpustat *k = &m->kcpustat[cpu];

		get_u64s(rd, k->cpustat, NR_STATS);
		k->nr_switches = get_u64(rd);
		k->nr_irqs = get_u64(rd);
		k->nr_softirqs = get_u64(rd);
	}

	load_pageblocks(rd, m);
	for_each_online_node (nid, m) {
		pg_data_t *pgdat = NODE_DATA(m, nid);

		pgdat->totalreserve_pages = get_u64(rd);
		get_s64s(rd, pgdat->vm_stat, NR_VM_NODE_STAT_ITEMS);
		for (zi = 0; zi < MAX_NR_ZONES && !rd->failed; zi++)
			load_zone(rd, m, &pgdat->node_zones[zi]);
	}

	nr = get_max(rd, 1U << 22, "task count");
	if (rd->failed)
		return;
	m->tasks = calloc(nr ? nr : 1, sizeof(*m->tasks));
	if (!m->tasks) {
		bad(rd, "out of memory loading tasks");
		return;
	}
	m->tasks_size = (int)(nr ? nr : 1);
	for (i = 0; i < nr && !rd->failed; i++)
		load_task(rd, &m->tasks[m->nr_tasks++]);

	nr = get_max(rd, 1U << 24, "handle count");
	if (rd->failed)
		return;
	m->handles = calloc(nr ? nr : 1, sizeof(*m->handles));
	if (!m->handles) {
		bad(rd, "out of memory loading handles");
		return;
	}
	m->handles_size = (uint32_t)(nr ? nr : 1);
	for (i = 0; i < nr && !rd->failed; i++) {
		struct page_handle *h = &m->handles[m->nr_handles++];
		uint64_t runs, k, repeat, n = 0;
		int64_t pfn = 0, delta;

		h->id = (uint32_t)get_max(rd, UINT32_MAX, "handle id");
		h->order = (uint8_t)get_max(rd, MAX_PAGE_ORDER, "handle order");
		h->count = (uint32_t)get_max(rd, 1U << 24, "handle count");
		h->pfns = malloc((h->count ? h->count : 1) * sizeof(pfn_t));
		if (!h->pfns) {
			bad(rd, "out of memory loading handles");
			return;
		}
		runs = get_u64(rd);
		for (k = 0; k < runs && !rd->failed; k++) {
			delta = get_s64(rd);
			repeat = get_u64(rd);
			while (repeat-- && !rd->failed) {
				pfn += delta;
				if (n >= h->count || pfn < 0 ||
				    pfn >= (int64_t)m->max_pfn) {
					bad(rd,
					    "checkpoint: handle %u is "
					    "malformed",
					    h->id);
					break;
				}
				h->pfns[n++] = (pfn_t)pfn;
			}
		}
		if (!rd->failed && n != h->count)
			bad(rd, "checkpoint: handle %u is short", h->id);
	}
	if (!rd->failed && rd->p != rd->end)
		bad(rd, "checkpoint has %zu bytes of trailing garbage",
		    (size_t)(rd->end - rd->p));
}

int machine_load(const void *data, size_t len, struct machine **out, char *why,
		 size_t whysize)
{
	struct reader rd = {.p = data,
			    .end = (const unsigned char *)data + len,
			    .why = why,
			    .whysize = whysize};
	struct machine_params p;
	struct machine *m;
	uint64_t model;
	int rc;

	why[0] = '\0';
	if (get_u64(&rd) != CHECKPOINT_MAGIC) {
		snprintf(why, whysize, "checkpoint has a bad magic number");
		return -EINVAL;
	}
	if (get_u64(&rd) != CHECKPOINT_VERSION) {
		snprintf(why, whysize, "checkpoint format version is unknown");
		return -EINVAL;
	}
	model = get_u64(&rd);
	if (model != MMSIM_MODEL_VERSION) {
		snprintf(why, whysize,
			 "machine was made by simulation model %llu; this "
			 "mmsim has model %d",
			 (unsigned long long)model, MMSIM_MODEL_VERSION);
		return -EPROTONOSUPPORT;
	}
	memset(&p, 0, sizeof(p));
	p.mem_bytes = get_u64(&rd);
	p.nr_nodes = (int)get_max(&rd, MAX_NUMNODES, "node count");
	p.nr_cpus = (int)get_max(&rd, NR_CPUS, "cpu count");
	p.swap_bytes = get_u64(&rd);
	p.seed = get_u64(&rd);
	if (rd.failed)
		return -EINVAL;
	rc = machine_alloc_topology(&p, &m);
	if (rc) {
		snprintf(why, whysize,
			 "checkpoint describes an impossible machine");
		return rc;
	}
	load_state(&rd, m);
	if (rd.failed) {
		machine_free(m);
		return -EINVAL;
	}
	*out = m;
	return 0;
}
