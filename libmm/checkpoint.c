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

#include "cgroup.h"
#include "checkpoint.h"
#include "filemap_internal.h"
#include "machine.h"
#include "memcontrol.h"
#include "mm_internal.h"
#include "tlb.h"
#include "page_alloc.h"
#include "seq_buf.h"
#include "slab.h"
#include "swap_cgroup.h"
#include "workingset.h"

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

/* A run repeats a head, its index stepping by one (file offsets). */
static int same_head(const struct page *a, const struct page *b,
		     uint64_t repeat)
{
	return a->state == b->state && a->order == b->order &&
	       a->flags == b->flags && a->owner == b->owner &&
	       a->migratetype == b->migratetype && a->private == b->private &&
	       b->index == a->index + repeat;
}

static uint16_t frame_memcg_id(const struct pageblock *pb, unsigned long i)
{
	return pb->memcg_ids ? pb->memcg_ids[i] : 0;
}

static void save_frames(const struct pageblock *pb, struct seq_buf *out)
{
	struct seq_buf body;
	const struct page *run = NULL, *p;
	uint64_t nr_runs = 0, repeat = 0;
	uint16_t run_memcg = 0;
	unsigned long i;

	seq_buf_init(&body);
	for (i = 0; i < pageblock_nr_pages; i += 1UL << p->order) {
		p = &pb->pages[i];
		if (run && same_head(run, p, repeat) &&
		    frame_memcg_id(pb, i) == run_memcg) {
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
		put_u64(&body, p->index);
		put_u64(&body, p->migratetype);
		put_u64(&body, p->private);
		run_memcg = frame_memcg_id(pb, i);
		put_u64(&body, run_memcg);
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

static void put_bytes(struct seq_buf *out, const void *p, size_t len)
{
	put_u64(out, len);
	seq_write(out, p, len);
}

/* Page tables, depth first: each table's frame, then its used slots. */
struct pte_cursor {
	uint64_t prev_pfn;
};

static void save_table(const struct pt_table *t, int level,
		       struct pte_cursor *c, struct seq_buf *out)
{
	unsigned int i, last = 0;

	put_u64(out, t->pfn);
	put_u64(out, t->nr_used);
	for (i = 0; i < PTRS_PER_TABLE; i++) {
		uint64_t e = t->entry[i];

		if (!e)
			continue;
		put_u64(out, i - last);
		last = i;
		/* a PMD entry is a table, or a huge page and its deposit */
		if (level == 1)
			put_u64(out, !(e & _PAGE_PSE) ? 0
				     : t->child[i]    ? 1
						      : 2);
		if (level && !(e & _PAGE_PSE)) {
			save_table(t->child[i], level - 1, c, out);
			continue;
		}
		if (level && t->child[i])
			save_table(t->child[i], 0, c, out);
		/* frames mapped in a row differ by one: small deltas */
		put_s64(out, (int64_t)pte_pfn(e) - (int64_t)c->prev_pfn);
		c->prev_pfn = pte_pfn(e);
		put_u64(out, (e & ~PTE_PFN_MASK & ~_PAGE_NX) |
				     ((e & _PAGE_NX) ? 1ULL << 12 : 0));
	}
}

static void save_mm(const struct mm_struct *mm, struct seq_buf *out)
{
	struct pte_cursor c = {0};
	uint32_t i;

	put_u64(out, mm->nr_vmas);
	for (i = 0; i < mm->nr_vmas; i++) {
		const struct vm_area_struct *v = &mm->vmas[i];

		put_u64(out, v->vm_start);
		put_u64(out, v->vm_end);
		put_u64(out, v->vm_flags);
		put_u64(out, v->vm_pgoff);
		put_u64(out, v->ino);
		put_u64(out, v->kind);
		put_u64(out, v->has_anon);
		put_u64(out, v->resv_owner);
		put_bytes(out, v->anon_name, strlen(v->anon_name));
		put_u64(out, v->swap_readahead_info);
	}
	put_u64(out, mm->mmap_base);
	put_u64(out, mm->start_code);
	put_u64(out, mm->end_code);
	put_u64(out, mm->start_data);
	put_u64(out, mm->end_data);
	put_u64(out, mm->start_brk);
	put_u64(out, mm->brk);
	put_u64(out, mm->start_stack);
	put_u64(out, mm->arg_start);
	put_u64(out, mm->arg_end);
	put_u64(out, mm->env_start);
	put_u64(out, mm->env_end);
	put_u64(out, mm->exe_ino);
	put_u64s(out, mm->rss_stat, NR_MM_COUNTERS);
	put_u64(out, mm->hiwater_rss);
	put_u64(out, mm->hiwater_vm);
	put_u64(out, mm->total_vm);
	put_u64(out, mm->locked_vm);
	put_u64(out, mm->pinned_vm);
	put_u64(out, mm->data_vm);
	put_u64(out, mm->exec_vm);
	put_u64(out, mm->stack_vm);
	put_u64(out, mm->pgtables_bytes);
	put_u64(out, mm->ctx_id);
	put_u64(out, mm->tlb_gen);
	put_u64(out, mm->heap.top);
	put_u64(out, mm->heap.nr_chunks);
	for (i = 0; i < mm->heap.nr_chunks; i++) {
		const struct malloc_chunk *ch = &mm->heap.chunks[i];

		put_u64(out, ch->addr);
		put_u64(out, ch->size);
		put_u64(out, ch->in_use | (uint64_t)ch->mmapped << 1);
	}
	save_table(mm->pgd, 3, &c, out);
}

static void save_tlb_put(void *ctx, uint64_t v)
{
	put_u64(ctx, v);
}

static void save_task(const struct task_struct *t, struct seq_buf *out)
{
	int i;

	put_u64(out, (uint64_t)t->pid);
	put_u64(out, (uint64_t)t->ppid);
	seq_write(out, t->comm, TASK_COMM_LEN);
	put_bytes(out, t->cmdline, t->cmdline_len);
	put_bytes(out, t->environ, t->environ_len);
	put_u64(out, t->uid);
	put_u64(out, t->gid);
	put_u64(out, (uint64_t)t->kthread);
	put_s64(out, t->nice);
	put_u64(out, (uint64_t)t->cpu);
	put_u64(out, (uint64_t)t->pgrp);
	put_u64(out, (uint64_t)t->session);
	put_u64(out, (uint64_t)(unsigned char)t->state);
	put_s64(out, t->oom_score_adj);
	put_u64(out, t->start_time_ns);
	put_u64(out, t->utime_ns);
	put_u64(out, t->stime_ns);
	put_u64(out, t->min_flt);
	put_u64(out, t->maj_flt);
	put_u64(out, t->cmin_flt);
	put_u64(out, t->cmaj_flt);
	put_u64(out, t->nvcsw);
	put_u64(out, t->nivcsw);
	put_u64(out, t->rchar);
	put_u64(out, t->wchar);
	put_u64(out, t->syscr);
	put_u64(out, t->syscw);
	put_u64(out, t->read_bytes);
	put_u64(out, t->write_bytes);
	put_u64(out, t->stack_pages);
	for (i = 0; i < THREAD_STACK_PAGES; i++)
		put_u64(out, t->kstack[i]);
	put_u64(out, t->wake_interval_ns);
	put_u64(out, t->next_wakeup_ns);
	put_u64s(out, (const uint64_t *)&t->tlb,
		 sizeof(t->tlb) / sizeof(uint64_t));
	/* its cgroup, by id: the hierarchy is saved before the tasks */
	put_u64(out, t->cgroup ? t->cgroup->id : 1);
	put_u64(out, t->mm != NULL);
	if (t->mm)
		save_mm(t->mm, out);
}

/* tmpfs mounts and System V segments: what the shmem files belong to */
static void save_shmem(const struct machine *m, struct seq_buf *out)
{
	int i;

	put_u64(out, (uint64_t)m->nr_tmpfs);
	for (i = 0; i < m->nr_tmpfs; i++) {
		const struct shmem_sb *sb = &m->tmpfs[i];

		put_u64(out, sb->dev);
		put_u64(out, sb->max_blocks);
		put_bytes(out, sb->path, strlen(sb->path));
	}
	put_u64(out, (uint64_t)(m->shm_last_idx + 1));
	put_u64(out, (uint64_t)m->shm_seq);
	put_u64(out, (uint64_t)m->nr_shm_segs);
	for (i = 0; i < m->nr_shm_segs; i++) {
		const struct shmid_kernel *seg = &m->shm_segs[i];

		put_u64(out, (uint64_t)seg->id);
		put_s64(out, seg->key);
		put_u64(out, seg->mode);
		put_u64(out, seg->segsz);
		put_u64(out, (uint64_t)seg->cpid);
		put_u64(out, (uint64_t)seg->lpid);
		put_u64(out, (uint64_t)seg->uid);
		put_u64(out, seg->atime);
		put_u64(out, seg->dtime);
		put_u64(out, seg->ctime);
		put_u64(out, seg->ino);
	}
}

static void save_inodes(const struct machine *m, struct seq_buf *out)
{
	uint32_t ino;

	save_shmem(m, out);
	put_u64(out, m->nr_inodes);
	for (ino = 1; ino < m->nr_inodes; ino++) {
		const struct inode *inode = m->inodes[ino];

		/* an evicted inode leaves its number unused */
		put_u64(out, !!inode);
		if (!inode)
			continue;
		put_u64(out, inode->i_ino);
		put_u64(out, inode->dev);
		put_u64(out, inode->kind);
		put_u64(out, inode->unlinked);
		put_u64(out, inode->sb);
		put_u64(out, inode->icached);
		put_u64(out, inode->i_size);
		put_u64(out, inode->elf);
		put_u64(out, inode->hugetlb_resv);
		put_u64(out, inode->dirtied_when);
		put_bytes(out, inode->path, strlen(inode->path));
	}
}

/* The kernel log, oldest record first; their numbers follow from the last. */
static void save_log(const struct machine *m, struct seq_buf *out)
{
	const struct printk_ringbuffer *rb = &m->log;
	const struct printk_record *r;
	uint64_t prev_ts = 0;
	uint32_t i;

	put_u64(out, rb->next_seq);
	put_u64(out, rb->nr);
	for (i = 0; (r = prb_record(rb, i)); i++) {
		/* stamps mostly grow: a delta is short */
		put_s64(out, (int64_t)(r->ts_nsec - prev_ts));
		prev_ts = r->ts_nsec;
		put_u64(out, r->facility);
		put_u64(out, r->level);
		put_u64(out, r->flags);
		put_bytes(out, r->text, r->text_len);
	}
}

/* The LRU lists in order, head to tail: reclaim's order is state too. */
static void save_lruvec(const struct machine *m, const struct lruvec *lruvec,
			struct seq_buf *out)
{
	struct pfn_runs r;
	int lru;

	put_u64(out, lruvec->anon_cost);
	put_u64(out, lruvec->file_cost);
	put_u64(out, lruvec->nonresident_age);
	for (lru = 0; lru < NR_LRU_LISTS; lru++) {
		pfn_t pfn;

		runs_begin(&r, out);
		for (pfn = lruvec->lists[lru].head; pfn != PFN_NONE;
		     pfn = pfn_to_page(m, pfn)->next)
			runs_add(pfn, &r);
		runs_end(&r);
	}
}

static void save_lru(const struct machine *m, const pg_data_t *pgdat,
		     struct seq_buf *out)
{
	put_u64(out, (uint64_t)pgdat->kswapd_wake);
	put_u64s(out, pgdat->refaults, 2);
	save_lruvec(m, &pgdat->__lruvec, out);
}

/* The lists of the memcgs below the root, in the hierarchy's order. */
static void save_memcg_lrus(const struct machine *m, struct seq_buf *out)
{
	struct cgroup *root = (struct cgroup *)&m->cgrp_root, *pos;
	int nid;

	cgroup_for_each_descendant_pre (pos, root)
		if (pos->memcg && pos->parent)
			for_each_online_node (nid, m)
				save_lruvec(m, &pos->memcg->lruvec[nid], out);
}

/* Pressure stall information (psi.h): the stall times and the averages. */
static void save_psi(const struct psi_group *g, struct seq_buf *out)
{
	int s;

	put_u64s(out, g->pending, NR_PSI_STATES);
	put_u64s(out, g->total, NR_PSI_STATES);
	put_u64s(out, g->avg_total, NR_PSI_STATES);
	for (s = 0; s < NR_PSI_STATES; s++)
		put_u64s(out, g->avg[s], NR_PSI_AVGS);
	put_u64(out, g->avg_last_update);
}

/* Every group's own stall times below the root, in pre-order. */
static void save_cgroup_psi(const struct machine *m, struct seq_buf *out)
{
	struct cgroup *pos, *root = (struct cgroup *)&m->cgrp_root;

	cgroup_for_each_descendant_pre (pos, root)
		if (pos->parent)
			save_psi(&pos->psi, out);
}

/* Every group's CPU time below the root (cpu.stat), in pre-order. */
static void save_cgroup_cputime(const struct machine *m, struct seq_buf *out)
{
	struct cgroup *pos, *root = (struct cgroup *)&m->cgrp_root;

	cgroup_for_each_descendant_pre (pos, root) {
		if (!pos->parent)
			continue;
		put_u64(out, pos->bstat.utime);
		put_u64(out, pos->bstat.stime);
		put_u64(out, pos->bstat.ntime);
	}
}

/* The next run of slots charged to one memcg, at or after *@start. */
static uint64_t next_swap_cgroup_run(const struct swap_info_struct *si,
				     uint64_t *start)
{
	uint64_t o = *start, n = 0;

	while (o < si->max && !si->swap_cgroup[o])
		o++;
	*start = o;
	while (o + n < si->max && si->swap_cgroup[o + n] == si->swap_cgroup[o])
		n++;
	return n;
}

/*
 * The memcg ids of an area's slots (swap_cgroup.h), as runs of one id:
 * the gap since the last run, the length and the id.
 */
static void save_swap_cgroup(const struct swap_info_struct *si,
			     struct seq_buf *out)
{
	uint64_t start, len, last = 0, nr = 0;

	for (start = 0; (len = next_swap_cgroup_run(si, &start)); start += len)
		nr++;
	put_u64(out, nr);
	for (start = 0; (len = next_swap_cgroup_run(si, &start));
	     start += len) {
		put_u64(out, start - last);
		put_u64(out, len);
		put_u64(out, si->swap_cgroup[start]);
		last = start + len;
	}
}

/*
 * The swap areas and the memcgs their slots are charged to; their slot
 * counts and cache come back from the pages.
 */
static void save_swap(const struct machine *m, struct seq_buf *out)
{
	int type;

	put_u64(out, (uint64_t)m->swap.nr_swapfiles);
	put_s64(out, m->swap.least_priority);
	put_u64(out, (uint64_t)m->swap.last_type);
	put_u64(out, m->swap.vma_ra_disabled);
	put_u64(out, (uint64_t)(m->swap.ra_hits + SWAP_RA_INITIAL_HITS));
	put_u64(out, m->swap.ra_prev_offset);
	put_u64(out, m->swap.ra_last_pages);
	for (type = 0; type < m->swap.nr_swapfiles; type++) {
		const struct swap_info_struct *si = m->swap.info[type];

		put_u64(out, !!si);
		if (!si)
			continue;
		put_bytes(out, si->name, strlen(si->name));
		put_u64(out, si->max);
		put_s64(out, si->prio);
		put_u64(out, si->partition);
		put_u64(out, si->cluster_next);
		save_swap_cgroup(si, out);
	}
}

/*
 * What the files' indexes hold instead of pages (shadows, shmem swap
 * entries) and the shadows in swap slots: where each is and its word, as a
 * difference from the last (evictions close in time differ in few bits).
 */
static void save_values(const struct machine *m, struct seq_buf *out)
{
	uint64_t nr = 0, index, prev, shadow;
	uint32_t ino;
	int type;

	for (ino = 1; ino < m->nr_inodes; ino++)
		nr += m->inodes[ino] && m->inodes[ino]->nr_values;
	put_u64(out, nr);
	prev = 0;
	for (ino = 1; ino < m->nr_inodes; ino++) {
		const struct inode *inode = m->inodes[ino];
		uint64_t last = 0;

		if (!inode || !inode->nr_values)
			continue;
		put_u64(out, ino);
		put_u64(out, inode->nr_values);
		index = 0;
		while ((shadow = filemap_next_value(inode, &index))) {
			put_u64(out, index - last);
			put_s64(out, (int64_t)(shadow - prev));
			last = index++;
			prev = shadow;
		}
	}
	for (type = 0; type < m->swap.nr_swapfiles; type++) {
		const struct swap_info_struct *si = m->swap.info[type];
		uint64_t offset, last = 0;

		nr = 0;
		for (offset = 0; si && si->shadow && offset < si->max; offset++)
			nr += si->shadow[offset] != SHADOW_NONE;
		put_u64(out, nr);
		for (offset = 0; nr && offset < si->max; offset++) {
			if (si->shadow[offset] == SHADOW_NONE)
				continue;
			put_u64(out, offset - last);
			put_s64(out, (int64_t)(si->shadow[offset] - prev));
			last = offset;
			prev = si->shadow[offset];
		}
	}
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
	put_u64(out, (uint64_t)m->params.nopcid);

	put_u64(out, m->clock_ns);
	put_u64(out, m->boot_epoch);
	put_u64s(out, m->prng.s, 4);
	put_u64s(out, m->avenrun, 3);
	save_psi(&m->psi, out);
	put_u64(out, m->total_forks);
	put_u64(out, (uint64_t)m->last_pid);
	put_u64(out, m->next_handle_id);
	put_u64(out, m->memmap_boot_pages);
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
		save_lru(m, pgdat, out);
	}

	put_u64(out, (uint64_t)m->pid_max);
	put_u64(out, m->vm_committed_as);
	put_u64(out, m->hugetlb_resv);
	put_u64(out, (uint64_t)m->thp_enabled);
	put_u64(out, m->last_mm_ctx_id);
	save_swap(m, out);
	save_inodes(m, out);
	cgroup_save(m, save_tlb_put, out);
	mem_cgroup_save(m, save_tlb_put, out);
	save_memcg_lrus(m, out);
	save_cgroup_psi(m, out);
	save_cgroup_cputime(m, out);
	put_u64(out, (uint64_t)m->nr_tasks);
	for (i = 0; i < (uint32_t)m->nr_tasks; i++)
		save_task(&m->tasks[i], out);
	tlb_save(m, save_tlb_put, out);
	kmem_cache_save(m, save_tlb_put, out);
	memcg_kmem_save(m, save_tlb_put, out);
	pcpu_save(m, save_tlb_put, out);
	mem_cgroup_percpu_save(m, save_tlb_put, out);
	save_values(m, out);

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
	save_log(m, out);
	return seq_buf_error(out);
}

/* ---- loading ---- */

struct reader {
	struct machine *m; /* being loaded, once its frames are */
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
	uint16_t memcg_id;

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
		head.flags = (uint16_t)get_max(rd, PG_readahead * 2 - 1,
					       "page flags");
		head.owner = (uint32_t)get_max(rd, UINT32_MAX, "page owner");
		head.index = get_max(rd, TASK_SIZE >> PAGE_SHIFT, "page index");
		head.migratetype =
			(uint8_t)get_max(rd, MIGRATE_TYPES - 1, "migratetype");
		head.private =
			(uint32_t)get_max(rd, UINT32_MAX, "page private");
		memcg_id =
			(uint16_t)get_max(rd, MEM_CGROUP_ID_MAX, "page memcg");
		/* the root's pages are saved as charged to none */
		if (memcg_id && memcg_id == root_mem_cgroup(m)->id)
			bad(rd,
			    "checkpoint: a frame names the root memcg by id");
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
			if (memcg_id && !b->memcg_ids)
				b->memcg_ids = calloc(pageblock_nr_pages,
						      sizeof(*b->memcg_ids));
			if (memcg_id && !b->memcg_ids) {
				bad(rd, "out of memory loading frames");
				return;
			}
			if (memcg_id)
				b->memcg_ids[pos] = memcg_id;
			head.index++;
			pos += 1UL << head.order;
		}
	}
	/* an order-10 block spans two pageblocks; its head says so */
	if (!rd->failed && pos != pageblock_nr_pages &&
	    !(pos == 2 * pageblock_nr_pages))
		bad(rd, "checkpoint: pageblock %llu frames do not add up",
		    (unsigned long long)pb);
}

/*
 * One memcg's lists on one node (@id 0: the node's own), each frame
 * checked to be a block of that memcg and node that belongs there.
 */
static void load_lruvec(struct reader *rd, struct machine *m,
			struct lruvec *lruvec, uint16_t id)
{
	pg_data_t *pgdat = NODE_DATA(m, lruvec->nid);
	int lru;

	lruvec->anon_cost = get_u64(rd);
	lruvec->file_cost = get_u64(rd);
	lruvec->nonresident_age = get_u64(rd);
	for (lru = 0; lru < NR_LRU_LISTS && !rd->failed; lru++) {
		uint64_t runs = get_max(rd, UINT32_MAX, "LRU runs"), k;
		int64_t pfn = 0;

		for (k = 0; k < runs && !rd->failed; k++) {
			int64_t delta = get_s64(rd);
			uint64_t repeat = get_max(rd, UINT32_MAX, "LRU run");

			while (repeat-- && !rd->failed) {
				const struct page *page;

				pfn += delta;
				page = pfn >= 0 && pfn < (int64_t)m->max_pfn
					       ? pfn_to_page(m, (pfn_t)pfn)
					       : NULL;
				if (!page || page->next != PFN_NONE ||
				    pfn == (int64_t)lruvec->lists[lru].tail ||
				    pfn_zone(m, (pfn_t)pfn)->zone_pgdat !=
					    pgdat ||
				    page_memcg_id(m, (pfn_t)pfn) != id ||
				    page_lru((enum page_state)page->state,
					     page->flags) != lru) {
					bad(rd,
					    "checkpoint: frame %#llx does not "
					    "belong on LRU list %d",
					    (long long)pfn, lru);
					return;
				}
				lru_restore(m, (pfn_t)pfn);
			}
		}
	}
}

static void load_lru(struct reader *rd, struct machine *m, pg_data_t *pgdat)
{
	pgdat->kswapd_wake = (int)get_max(rd, 1, "kswapd wake");
	get_u64s(rd, pgdat->refaults, 2);
	load_lruvec(rd, m, &pgdat->__lruvec, 0);
}

static void load_memcg_lrus(struct reader *rd, struct machine *m)
{
	struct cgroup *root = &m->cgrp_root, *pos;
	int nid;

	cgroup_for_each_descendant_pre (pos, root)
		if (pos->memcg && pos->parent)
			for_each_online_node (nid, m)
				if (!rd->failed)
					load_lruvec(rd, m,
						    &pos->memcg->lruvec[nid],
						    pos->memcg->id);
}

/* Every block that belongs on an LRU list was found on its list. */
static int check_listed(pfn_t pfn, const struct page *page, void *arg)
{
	struct reader *rd = arg;
	int lru;

	if (page->state == PAGE_TAIL)
		return 0;
	lru = page_lru((enum page_state)page->state, page->flags);
	if (lru < 0 || page->prev != PFN_NONE ||
	    page_lruvec(rd->m, pfn)->lists[lru].head == pfn)
		return 0;
	bad(rd, "checkpoint: frame %#x is on no LRU list", pfn);
	return -EUCLEAN;
}

/* A cgroup has a memcg exactly when it has the memory controller. */
static void check_memcgs(struct reader *rd, struct machine *m)
{
	struct cgroup *root = &m->cgrp_root, *pos;

	cgroup_for_each_descendant_pre (pos, root) {
		if (!!pos->memcg == cgroup_has_css(pos, memory_cgrp_id))
			continue;
		bad(rd,
		    "checkpoint: cgroup %s %s a memory cgroup, and the "
		    "memory controller %s",
		    pos->path, pos->memcg ? "has" : "lacks",
		    pos->memcg ? "is not enabled for it" : "is");
		return;
	}
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

static size_t get_bytes(struct reader *rd, void *p, size_t max,
			const char *what)
{
	size_t len = (size_t)get_max(rd, max, what);

	if (rd->failed)
		return 0;
	if ((size_t)(rd->end - rd->p) < len) {
		bad(rd, "checkpoint ends inside %s", what);
		return 0;
	}
	memcpy(p, rd->p, len);
	rd->p += len;
	return len;
}

/* A table loaded back must name a frame that really is a page table. */
static struct pt_table *load_table(struct reader *rd, struct machine *m,
				   struct mm_struct *mm, int level,
				   struct pte_cursor *c)
{
	struct pt_table *t = calloc(1, sizeof(*t));
	const struct page *page;
	uint64_t nr, k, i = 0;
	int huge;

	if (!t) {
		bad(rd, "out of memory loading page tables");
		return NULL;
	}
	if (level && !(t->child = calloc(PTRS_PER_TABLE, sizeof(*t->child)))) {
		free(t);
		bad(rd, "out of memory loading page tables");
		return NULL;
	}
	t->pfn = (pfn_t)get_max(rd, m->max_pfn - 1, "page-table frame");
	page = rd->failed ? NULL : pfn_to_page(m, t->pfn);
	if (!rd->failed && (!page || page->state != PAGE_PGTABLE))
		bad(rd, "checkpoint: page table at pfn %#x is not a table",
		    t->pfn);
	nr = get_max(rd, PTRS_PER_TABLE, "page-table entries");
	for (k = 0; k < nr && !rd->failed; k++) {
		i += get_max(rd, PTRS_PER_TABLE - 1, "page-table slot");
		if (i >= PTRS_PER_TABLE) {
			bad(rd, "checkpoint: page-table slot out of range");
			break;
		}
		huge = level == 1 ? (int)get_max(rd, 2, "huge PMD") : 0;
		if (level && !huge) {
			t->child[i] = load_table(rd, m, mm, level - 1, c);
			if (t->child[i])
				set_pte(t, (unsigned int)i,
					((uint64_t)t->child[i]->pfn
					 << PAGE_SHIFT) |
						_PAGE_PRESENT | _PAGE_RW |
						_PAGE_USER | _PAGE_ACCESSED |
						_PAGE_DIRTY);
		} else {
			int64_t pfn;
			uint64_t bits;

			if (huge == 1)
				t->child[i] = load_table(rd, m, mm, 0, c);
			pfn = (int64_t)c->prev_pfn + get_s64(rd);
			bits = get_max(rd, 0x1fff, "pte bits");

			/* a swap entry keeps its slot where the frame would be
			 */
			if (pfn < 0 || ((bits & _PAGE_PRESENT) &&
					pfn >= (int64_t)m->max_pfn)) {
				bad(rd, "checkpoint: pte maps no frame");
				break;
			}
			c->prev_pfn = (uint64_t)pfn;
			set_pte(t, (unsigned int)i,
				((uint64_t)pfn << PAGE_SHIFT) | (bits & 0xfff) |
					((bits >> 12) ? _PAGE_NX : 0));
		}
	}
	if (!rd->failed && nr != t->nr_used)
		bad(rd, "checkpoint: page table at pfn %#x is malformed",
		    t->pfn);
	return t;
}

static void load_mm(struct reader *rd, struct machine *m, struct mm_struct *mm)
{
	struct pte_cursor c = {0};
	uint64_t nr, i;

	nr = get_max(rd, 1U << 24, "VMA count");
	for (i = 0; i < nr && !rd->failed; i++) {
		struct vm_area_struct v = {0};

		v.vm_start = get_max(rd, TASK_SIZE, "VMA start");
		v.vm_end = get_max(rd, TASK_SIZE, "VMA end");
		v.vm_flags = get_u64(rd);
		v.vm_pgoff = get_u64(rd);
		v.ino = (uint32_t)get_max(rd, m->nr_inodes, "VMA file");
		v.kind = (uint8_t)get_max(rd, VMA_VDSO, "VMA kind");
		v.has_anon = (uint8_t)get_max(rd, 1, "VMA anon");
		v.resv_owner = (uint8_t)get_max(rd, 1, "VMA reservation");
		get_bytes(rd, v.anon_name, VMA_NAME_LEN - 1, "VMA name");
		v.swap_readahead_info = get_u64(rd);
		if (rd->failed)
			break;
		if (v.vm_start >= v.vm_end || (v.vm_start | v.vm_end) & 0xfff ||
		    (mm->nr_vmas &&
		     mm->vmas[mm->nr_vmas - 1].vm_end > v.vm_start)) {
			bad(rd, "checkpoint: VMA %#llx-%#llx is malformed",
			    (unsigned long long)v.vm_start,
			    (unsigned long long)v.vm_end);
			break;
		}
		if (vma_insert(mm, &v))
			bad(rd, "out of memory loading VMAs");
	}
	mm->mmap_base = get_u64(rd);
	mm->start_code = get_u64(rd);
	mm->end_code = get_u64(rd);
	mm->start_data = get_u64(rd);
	mm->end_data = get_u64(rd);
	mm->start_brk = get_u64(rd);
	mm->brk = get_u64(rd);
	mm->start_stack = get_u64(rd);
	mm->arg_start = get_u64(rd);
	mm->arg_end = get_u64(rd);
	mm->env_start = get_u64(rd);
	mm->env_end = get_u64(rd);
	mm->exe_ino = (uint32_t)get_max(rd, m->nr_inodes, "exe file");
	get_u64s(rd, mm->rss_stat, NR_MM_COUNTERS);
	mm->hiwater_rss = get_u64(rd);
	mm->hiwater_vm = get_u64(rd);
	mm->total_vm = get_u64(rd);
	mm->locked_vm = get_u64(rd);
	mm->pinned_vm = get_u64(rd);
	mm->data_vm = get_u64(rd);
	mm->exec_vm = get_u64(rd);
	mm->stack_vm = get_u64(rd);
	mm->pgtables_bytes = get_u64(rd);
	mm->ctx_id = get_u64(rd);
	mm->tlb_gen = get_u64(rd);
	mm->heap.top = get_u64(rd);
	nr = get_max(rd, 1U << 26, "malloc chunk count");
	if (rd->failed)
		return;
	if (nr) {
		mm->heap.chunks = calloc(nr, sizeof(*mm->heap.chunks));
		if (!mm->heap.chunks) {
			bad(rd, "out of memory loading malloc chunks");
			return;
		}
		mm->heap.size = (uint32_t)nr;
	}
	for (i = 0; i < nr && !rd->failed; i++) {
		struct malloc_chunk *ch = &mm->heap.chunks[i];
		uint64_t bits;

		ch->addr = get_u64(rd);
		ch->size = get_u64(rd);
		bits = get_max(rd, 3, "malloc chunk flags");
		ch->in_use = bits & 1;
		ch->mmapped = (bits >> 1) & 1;
		mm->heap.nr_chunks++;
	}
	if (!rd->failed)
		mm->pgd = load_table(rd, m, mm, 3, &c);
}

static uint64_t load_tlb_get(void *ctx)
{
	return get_u64(ctx);
}

static void load_task(struct reader *rd, struct machine *m,
		      struct task_struct *t)
{
	int i;

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
	t->cmdline_len = (uint16_t)get_bytes(rd, t->cmdline, TASK_CMDLINE_LEN,
					     "cmdline");
	t->environ_len = (uint16_t)get_bytes(rd, t->environ, TASK_ENVIRON_LEN,
					     "environ");
	t->uid = (uint32_t)get_max(rd, UINT32_MAX, "uid");
	t->gid = (uint32_t)get_max(rd, UINT32_MAX, "gid");
	t->kthread = (int)get_max(rd, 1, "kthread");
	t->nice = (int)get_s64(rd);
	t->cpu = (int)get_max(rd, (uint64_t)m->nr_cpu_ids - 1, "cpu");
	t->pgrp = (int)get_max(rd, INT32_MAX, "pgrp");
	t->session = (int)get_max(rd, INT32_MAX, "session");
	t->state = (char)get_max(rd, 127, "task state");
	t->oom_score_adj = (int)get_s64(rd);
	t->start_time_ns = get_u64(rd);
	t->utime_ns = get_u64(rd);
	t->stime_ns = get_u64(rd);
	t->min_flt = get_u64(rd);
	t->maj_flt = get_u64(rd);
	t->cmin_flt = get_u64(rd);
	t->cmaj_flt = get_u64(rd);
	t->nvcsw = get_u64(rd);
	t->nivcsw = get_u64(rd);
	t->rchar = get_u64(rd);
	t->wchar = get_u64(rd);
	t->syscr = get_u64(rd);
	t->syscw = get_u64(rd);
	t->read_bytes = get_u64(rd);
	t->write_bytes = get_u64(rd);
	t->stack_pages = get_u64(rd);
	for (i = 0; i < THREAD_STACK_PAGES; i++)
		t->kstack[i] = (pfn_t)get_max(rd, PFN_NONE, "kernel stack");
	t->wake_interval_ns = get_u64(rd);
	t->next_wakeup_ns = get_u64(rd);
	get_u64s(rd, (uint64_t *)&t->tlb, sizeof(t->tlb) / sizeof(uint64_t));
	t->cgroup = cgroup_by_id(m, get_u64(rd));
	if (!t->cgroup && !rd->failed)
		bad(rd, "checkpoint: task %d is in no known cgroup", t->pid);
	if (!get_max(rd, 1, "task mm") || rd->failed)
		return;
	t->mm = calloc(1, sizeof(*t->mm));
	if (!t->mm) {
		bad(rd, "out of memory loading an mm");
		return;
	}
	t->mm->owner = t->pid;
	load_mm(rd, m, t->mm);
}

static void load_shmem(struct reader *rd, struct machine *m)
{
	uint64_t nr;
	int i;

	m->nr_tmpfs = (int)get_max(rd, MAX_TMPFS_MOUNTS, "tmpfs mounts");
	for (i = 0; i < m->nr_tmpfs && !rd->failed; i++) {
		struct shmem_sb *sb = &m->tmpfs[i];
		size_t len;

		sb->dev = (uint32_t)get_max(rd, UINT32_MAX, "tmpfs device");
		sb->max_blocks = get_u64(rd);
		len = get_bytes(rd, sb->path, sizeof(sb->path) - 1,
				"tmpfs path");
		sb->path[len] = '\0';
	}
	m->shm_last_idx = (int)get_max(rd, IPCMNI, "shm index") - 1;
	m->shm_seq = (int)get_max(rd, INT32_MAX / IPCMNI, "shm sequence");
	nr = get_max(rd, SHMMNI, "shm segments");
	if (rd->failed)
		return;
	m->shm_segs = calloc(nr ? nr : 1, sizeof(*m->shm_segs));
	if (!m->shm_segs) {
		bad(rd, "out of memory loading shm segments");
		return;
	}
	m->shm_segs_size = (int)(nr ? nr : 1);
	for (; m->nr_shm_segs < (int)nr && !rd->failed; m->nr_shm_segs++) {
		struct shmid_kernel *seg = &m->shm_segs[m->nr_shm_segs];

		seg->id = (int)get_max(rd, INT32_MAX, "shmid");
		seg->key = (int32_t)get_s64(rd);
		seg->mode = (uint32_t)get_max(rd, 07777, "shm mode");
		seg->segsz = get_u64(rd);
		seg->cpid = (int)get_max(rd, INT32_MAX, "shm cpid");
		seg->lpid = (int)get_max(rd, INT32_MAX, "shm lpid");
		seg->uid = (int)get_max(rd, INT32_MAX, "shm uid");
		seg->atime = get_u64(rd);
		seg->dtime = get_u64(rd);
		seg->ctime = get_u64(rd);
		seg->ino = (uint32_t)get_max(rd, UINT32_MAX, "shm inode");
	}
}

static void load_inodes(struct reader *rd, struct machine *m)
{
	uint64_t nr, ino;
	char path[4096];

	load_shmem(rd, m);
	nr = get_max(rd, 1U << 26, "inode count");
	for (ino = 1; ino < nr && !rd->failed; ino++) {
		struct inode *inode;
		uint64_t i_ino, size, resv, dirtied;
		uint32_t dev;
		uint8_t kind, unlinked, sb, icached;
		uint16_t elf;
		size_t len;

		if (!get_max(rd, 1, "inode presence")) {
			/* keep the numbering: an empty slot */
			if (inode_new(m, "", 0, INODE_FILE, &inode)) {
				bad(rd, "out of memory loading inodes");
				return;
			}
			inode_evict(m, inode);
			continue;
		}
		i_ino = get_u64(rd);
		dev = (uint32_t)get_max(rd, UINT32_MAX, "device");
		kind = (uint8_t)get_max(rd, NR_INODE_KINDS - 1, "inode kind");
		unlinked = (uint8_t)get_max(rd, 1, "unlinked");
		sb = (uint8_t)get_max(rd, (uint64_t)(m->nr_tmpfs - 1),
				      "inode's tmpfs");
		icached = (uint8_t)get_max(rd, 1, "inode in memory");
		size = get_u64(rd);
		elf = (uint16_t)get_max(rd, UINT16_MAX, "elf");
		resv = get_u64(rd);
		dirtied = get_u64(rd);
		len = get_bytes(rd, path, sizeof(path) - 1, "path");
		if (rd->failed)
			return;
		path[len] = '\0';
		if (inode_new(m, path, size, (enum inode_kind)kind, &inode)) {
			bad(rd, "out of memory loading inodes");
			return;
		}
		inode->i_ino = i_ino;
		inode->dev = dev;
		inode->unlinked = unlinked;
		inode->sb = sb;
		inode->icached = icached;
		inode->elf = elf;
		inode->hugetlb_resv = resv;
		inode->dirtied_when = dirtied;
	}
}

/*
 * What the checkpoint does not store because the rest determines it:
 * the page cache index (from the frames), mapcounts (from the page
 * tables) and who maps each file (from the VMAs).
 */
static int rebuild_index_of(pfn_t pfn, const struct page *page, void *arg)
{
	struct reader *rd = arg;
	struct machine *m = rd->m;

	if (page->state == PAGE_TAIL || !page_in_file_index(m, page) ||
	    !inode_rebuild_index(m, pfn))
		return 0;
	bad(rd, "checkpoint: cached page %#x has no place in its file", pfn);
	return -EUCLEAN;
}

/* The swap cache, from the pages that say they are in it. */
static int rebuild_swap_cache_of(pfn_t pfn, const struct page *page, void *arg)
{
	struct reader *rd = arg;

	if (page->state != PAGE_ANON || !(page->flags & PG_swapcache))
		return 0;
	if (swap_restore_cache(rd->m, page->private, pfn)) {
		bad(rd, "checkpoint: frame %#x caches no swap slot", pfn);
		return -EUCLEAN;
	}
	return 0;
}

/*
 * The index values and swap shadows (save_values()), read in stages: to
 * find the section's end (VALUES_SKIP), then, once the indexes are
 * rebuilt, the files' values (VALUES_INODES), and once the swap counts
 * are, the slots' shadows (VALUES_SWAP).
 */
enum values_stage { VALUES_SKIP, VALUES_INODES, VALUES_SWAP };

static void load_values(struct reader *rd, struct machine *m,
			enum values_stage stage)
{
	uint64_t nr, i, k, n, index, prev = 0;
	int type;

	nr = get_max(rd, m->nr_inodes, "inodes with values");
	for (i = 0; i < nr && !rd->failed; i++) {
		uint32_t ino = (uint32_t)get_max(rd, m->nr_inodes - 1, "inode");
		struct inode *inode = rd->failed ? NULL : inode_mut(m, ino);

		n = get_max(rd, UINT32_MAX, "value count");
		index = 0;
		for (k = 0; k < n && !rd->failed; k++) {
			index += get_max(rd, UINT32_MAX, "value index");
			prev += (uint64_t)get_s64(rd);
			if (rd->failed)
				break;
			if (stage != VALUES_INODES)
				continue;
			if (!inode ||
			    filemap_restore_value(m, inode, index, prev))
				bad(rd,
				    "checkpoint: inode %u has a bad value at "
				    "%llu",
				    ino, (unsigned long long)index);
		}
	}
	for (type = 0; type < m->swap.nr_swapfiles && !rd->failed; type++) {
		n = get_max(rd, UINT32_MAX, "swap shadow count");
		index = 0;
		for (k = 0; k < n && !rd->failed; k++) {
			index += get_max(rd, UINT32_MAX, "swap shadow slot");
			prev += (uint64_t)get_s64(rd);
			if (rd->failed || stage != VALUES_SWAP)
				continue;
			if (index >= SWAP_MAX_PAGES ||
			    swap_restore_shadow(
				    m, swp_entry((unsigned int)type, index),
				    prev))
				bad(rd,
				    "checkpoint: swap area %d has a bad "
				    "shadow at slot %llu",
				    type, (unsigned long long)index);
		}
	}
}

static void rebuild_derived(struct reader *rd, struct machine *m,
			    const struct reader *values)
{
	struct reader vr = *values;
	char why[200];
	int i;

	rd->m = m;
	walk_pages(m, rebuild_index_of, rd);
	if (!rd->failed)
		load_values(&vr, m, VALUES_INODES);
	if (vr.failed)
		rd->failed = 1;
	if (!rd->failed && filemap_recount(m))
		bad(rd, "out of memory counting dirty pages");
	for (i = 0; i < m->nr_tasks && !rd->failed; i++) {
		struct mm_struct *mm = m->tasks[i].mm;
		uint32_t v;

		if (!mm)
			continue;
		for (v = 0; v < mm->nr_vmas; v++)
			vma_link_file(m, &mm->vmas[v]);
		if (mm_rebuild_mapcounts(m, mm))
			bad(rd,
			    "checkpoint: process %d maps a frame it "
			    "cannot",
			    m->tasks[i].pid);
	}
	if (!rd->failed)
		walk_pages(m, rebuild_swap_cache_of, rd);
	if (!rd->failed && swap_rebuild_counts(m))
		bad(rd, "checkpoint: swap entries do not match the swap areas");
	if (!rd->failed && swap_cgroup_check(m, why, sizeof(why)))
		bad(rd, "checkpoint: %s", why);
	vr = *values;
	if (!rd->failed)
		load_values(&vr, m, VALUES_SWAP);
	if (vr.failed)
		rd->failed = 1;
}

/*
 * A shmem page out in swap is the only user of its slot (shmem_writeout()
 * takes a fresh one): no other index or process may name it.
 */
static void check_shmem_slots(struct reader *rd, const struct machine *m)
{
	uint32_t ino;

	for (ino = 1; ino < m->nr_inodes && !rd->failed; ino++) {
		const struct inode *inode = m->inodes[ino];
		uint64_t index = 0, value;

		if (!inode || !inode->swapped)
			continue;
		for (; (value = filemap_next_value(inode, &index)); index++) {
			if (!radix_is_swap(value) ||
			    swap_count(m, radix_to_swp_entry(value)) == 1)
				continue;
			bad(rd,
			    "checkpoint: inode %u's page %llu shares its swap "
			    "slot",
			    ino, (unsigned long long)index);
			return;
		}
	}
}

static void load_log(struct reader *rd, struct machine *m)
{
	char text[PRINTK_RECORD_MAX];
	struct printk_record r = {.text = text};
	uint64_t next_seq, nr, i;
	int rc;

	next_seq = get_u64(rd);
	nr = get_max(rd, PRINTK_MAX_RECORDS, "log record count");
	if (!rd->failed && nr > next_seq)
		bad(rd, "checkpoint: %llu log records, numbered below %llu",
		    (unsigned long long)nr, (unsigned long long)next_seq);
	for (i = 0; i < nr && !rd->failed; i++) {
		r.seq = next_seq - nr + i;
		r.ts_nsec += (uint64_t)get_s64(rd);
		r.facility = (uint8_t)get_max(rd, PRINTK_FACILITY_MAX,
					      "log facility");
		r.level = (uint8_t)get_max(rd, LOGLEVEL_DEBUG, "log level");
		r.flags = (uint8_t)get_max(rd, LOG_NEWLINE, "log flags");
		r.text_len =
			(uint16_t)get_bytes(rd, text, sizeof(text), "log text");
		if (rd->failed)
			break;
		rc = prb_restore(&m->log, &r);
		if (rc == -ENOMEM)
			bad(rd, "out of memory loading the kernel log");
		else if (rc)
			bad(rd, "checkpoint: log record %llu is malformed",
			    (unsigned long long)r.seq);
	}
}

static void load_slab(struct reader *rd, struct machine *m)
{
	char why[200];

	if (kmem_cache_load(m, load_tlb_get, rd, why, sizeof(why)) &&
	    !rd->failed)
		bad(rd, "checkpoint: %s", why);
}

static void load_memcg_kmem(struct reader *rd, struct machine *m)
{
	char why[200];

	if (memcg_kmem_load(m, load_tlb_get, rd, why, sizeof(why)) &&
	    !rd->failed)
		bad(rd, "checkpoint: %s", why);
}

/*
 * The percpu chunks and the memcgs' allocations in them, checked against
 * each other and the frames before the charges are counted from them.
 */
static void load_percpu(struct reader *rd, struct machine *m)
{
	char why[200];
	int rc;

	rc = pcpu_load(m, load_tlb_get, rd, why, sizeof(why));
	rc = rc
		     ?: mem_cgroup_percpu_load(m, load_tlb_get, rd, why,
					       sizeof(why));
	if (!rc && !rd->failed) {
		rc = pcpu_check_state(m, why, sizeof(why));
		if (rc == -EUCLEAN)
			rc = -EINVAL;
	}
	if (rc == -ENOMEM)
		bad(rd, "out of memory loading the percpu allocator");
	else if (rc && !rd->failed)
		bad(rd, "checkpoint: %s", why);
}

static void load_psi(struct reader *rd, struct machine *m,
		     struct psi_group *g)
{
	int s;

	get_u64s(rd, g->pending, NR_PSI_STATES);
	get_u64s(rd, g->total, NR_PSI_STATES);
	get_u64s(rd, g->avg_total, NR_PSI_STATES);
	for (s = 0; s < NR_PSI_STATES; s++)
		get_u64s(rd, g->avg[s], NR_PSI_AVGS);
	g->avg_last_update = get_u64(rd);
	if (!rd->failed && psi_group_check(g, m->clock_ns))
		bad(rd, "checkpoint: the pressure stall state is malformed");
}

static void load_cgroup_psi(struct reader *rd, struct machine *m)
{
	struct cgroup *pos;

	cgroup_for_each_descendant_pre (pos, &m->cgrp_root)
		if (pos->parent && !rd->failed)
			load_psi(rd, m, &pos->psi);
}

/* The groups' CPU times, within their parents' and the system's. */
static void load_cgroup_cputime(struct reader *rd, struct machine *m)
{
	struct cgroup *pos;
	char why[200];

	cgroup_for_each_descendant_pre (pos, &m->cgrp_root) {
		if (!pos->parent)
			continue;
		pos->bstat.utime = get_u64(rd);
		pos->bstat.stime = get_u64(rd);
		pos->bstat.ntime = get_u64(rd);
	}
	if (!rd->failed && cgroup_cputime_check(m, why, sizeof(why)))
		bad(rd, "checkpoint: %s", why);
}

/*
 * save_swap_cgroup()'s runs, each of a memcg id within the area (the
 * ids name memcgs on slots in use: checked once both are rebuilt).
 */
static void load_swap_cgroup(struct reader *rd, struct swap_info_struct *si,
			     int type)
{
	uint64_t nr, k, pos = 0, len, id;

	nr = get_max(rd, si->max, "swap cgroup run count");
	for (k = 0; k < nr && !rd->failed; k++) {
		pos += get_max(rd, si->max, "swap cgroup gap");
		len = get_max(rd, si->max, "swap cgroup run length");
		id = get_max(rd, MEM_CGROUP_ID_MAX, "swap cgroup id");
		if (rd->failed)
			return;
		if (!pos || !len || !id || pos + len > si->max) {
			bad(rd,
			    "checkpoint: swap area %d has a bad memcg run at "
			    "slot %llu",
			    type, (unsigned long long)pos);
			return;
		}
		while (len--)
			si->swap_cgroup[pos++] = (uint16_t)id;
	}
}

static void load_swap(struct reader *rd, struct machine *m)
{
	int nr, type;

	nr = (int)get_max(rd, MAX_SWAPFILES, "swap area count");
	m->swap.least_priority = (int)get_s64(rd);
	m->swap.last_type =
		(int)get_max(rd, MAX_SWAPFILES - 1, "last swap area");
	m->swap.vma_ra_disabled = (uint8_t)get_max(rd, 1, "vma_ra_enabled");
	m->swap.ra_hits =
		(int64_t)get_max(rd, INT64_MAX / 2, "swap readahead hits") -
		SWAP_RA_INITIAL_HITS;
	m->swap.ra_prev_offset =
		get_max(rd, SWAP_MAX_PAGES, "swap readahead slot");
	m->swap.ra_last_pages =
		get_max(rd, 1ULL << 31, "swap readahead window");
	for (type = 0; type < nr && !rd->failed; type++) {
		char name[SWAP_NAME_LEN];
		uint64_t max, next;
		int prio;
		uint8_t partition;

		if (!get_max(rd, 1, "swap area present"))
			continue;
		name[get_bytes(rd, name, sizeof(name) - 1, "swap area name")] =
			'\0';
		max = get_u64(rd);
		prio = (int)get_s64(rd);
		partition = (uint8_t)get_max(rd, 1, "swap partition");
		next = get_u64(rd);
		if (rd->failed)
			return;
		if (swap_restore_area(m, type, name, max, prio, partition) ||
		    !next || next > max) {
			bad(rd, "checkpoint: swap area %d is malformed", type);
			return;
		}
		m->swap.info[type]->cluster_next = next;
		load_swap_cgroup(rd, m->swap.info[type], type);
	}
}

static void load_state(struct reader *rd, struct machine *m)
{
	struct reader values;
	uint64_t nr, i;
	int nid, zi, cpu, rc;

	m->clock_ns = get_u64(rd);
	m->boot_epoch = get_u64(rd);
	get_u64s(rd, m->prng.s, 4);
	get_u64s(rd, m->avenrun, 3);
	load_psi(rd, m, &m->psi);
	m->total_forks = get_u64(rd);
	m->last_pid = (int)get_max(rd, INT32_MAX, "last pid");
	m->next_handle_id = (uint32_t)get_max(rd, UINT32_MAX, "handle id");
	m->memmap_boot_pages = get_u64(rd);
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
		if (!rd->failed)
			load_lru(rd, m, pgdat);
	}

	m->pid_max = (int)get_max(rd, 4194304, "pid_max");
	m->vm_committed_as = get_u64(rd);
	m->hugetlb_resv = get_u64(rd);
	m->thp_enabled = (int)get_max(rd, 2, "THP mode");
	m->last_mm_ctx_id = get_u64(rd);
	load_swap(rd, m);
	load_inodes(rd, m);
	if (!rd->failed && cgroup_load(m, load_tlb_get, rd))
		bad(rd, "checkpoint: the cgroup hierarchy is malformed");
	rc = rd->failed ? 0 : mem_cgroup_load(m, load_tlb_get, rd);
	if (rc == -ENOMEM)
		bad(rd, "out of memory loading memory cgroups");
	else if (rc)
		bad(rd, "checkpoint: the memory cgroups are malformed (an "
			"unknown cgroup, a bad or repeated id, a limit or "
			"memory.oom.group out of range)");
	if (!rd->failed)
		load_memcg_lrus(rd, m);
	load_cgroup_psi(rd, m);
	load_cgroup_cputime(rd, m);
	rd->m = m;
	if (!rd->failed)
		walk_pages(m, check_listed, rd);
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
		load_task(rd, m, &m->tasks[m->nr_tasks++]);
	/* the populated counts follow from where the tasks are */
	if (!rd->failed) {
		cgroup_rebuild(m);
		check_memcgs(rd, m);
	}
	if (!rd->failed && tlb_load(m, load_tlb_get, rd))
		bad(rd, "checkpoint: the TLB state is malformed");
	if (!rd->failed)
		load_slab(rd, m);
	if (!rd->failed)
		load_memcg_kmem(rd, m);
	if (!rd->failed)
		load_percpu(rd, m);
	values = *rd;
	if (!rd->failed)
		load_values(rd, m, VALUES_SKIP);
	if (!rd->failed)
		rebuild_derived(rd, m, &values);
	if (!rd->failed)
		check_shmem_slots(rd, m);
	rc = rd->failed ? 0 : mem_cgroup_rebuild(m);
	if (rc == -ENOMEM)
		bad(rd, "out of memory counting memory cgroup charges");
	else if (rc)
		bad(rd, "checkpoint: the frames' memory cgroup charges are "
			"malformed (a frame charged to no memcg, or to one "
			"when it takes no charge, or a memcg's usage above "
			"its peak)");

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
	if (!rd->failed)
		load_log(rd, m);
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
	p.nopcid = (int)get_max(&rd, 1, "nopcid");
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
