// SPDX-License-Identifier: GPL-2.0
/*
 * The cgroup v2 memory controller (mm/memcontrol.c, mm/page_counter.c):
 * the memcgs of the groups that have a memory css, charging and
 * uncharging of user pages, and each memcg's page statistics.
 *
 * A memcg is made when its group gets a memory css (mkdir under a
 * parent with +memory, or +memory written to the parent's
 * cgroup.subtree_control) and goes when it loses it.  The kernel keeps
 * a memcg that still has pages charged as a dying group until they are
 * freed; here its pages move to the nearest ancestor with a memcg at
 * once (as the kernel does for their objcg-charged kernel memory), so
 * no group lingers.
 *
 * The root's charges are not counted in page counters, as in the
 * kernel (the root has no limits), but its pages are its own in the
 * statistics: a frame whose id is 0 and whose state is charged belongs
 * to the root.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "filemap.h"
#include "machine.h"
#include "memcontrol.h"
#include "mm.h"
#include "oom.h"
#include "page_alloc.h"
#include "percpu.h"
#include "printk.h"
#include "seq_buf.h"
#include "swap_cgroup.h"
#include "task.h"
#include "vmstat.h"
#include "vmscan.h"

#define ROOT_MEM_CGROUP_ID 1

int memcg_charged_state(enum page_state state)
{
	switch (state) {
	case PAGE_ANON:
	case PAGE_FILE:
	case PAGE_SHMEM:
	case PAGE_PGTABLE:
	case PAGE_KSTACK:
		return 1;
	default:
		return 0;
	}
}

/* Kernel memory among the charged pages: "kernel" in memory.stat. */
static int memcg_kmem_state(enum page_state state)
{
	return state == PAGE_PGTABLE || state == PAGE_KSTACK;
}

struct mem_cgroup *root_mem_cgroup(const struct machine *m)
{
	return m->memcgs[ROOT_MEM_CGROUP_ID];
}

struct mem_cgroup *mem_cgroup_from_id(const struct machine *m, uint16_t id)
{
	return id && id < m->nr_memcgs ? m->memcgs[id] : NULL;
}

struct mem_cgroup *parent_mem_cgroup(const struct mem_cgroup *memcg)
{
	struct cgroup *parent = memcg->cgroup->parent;

	return parent ? cgroup_e_css(parent, memory_cgrp_id)->memcg : NULL;
}

static int mem_cgroup_is_root(const struct mem_cgroup *memcg)
{
	return memcg->id == ROOT_MEM_CGROUP_ID;
}

struct lruvec *mem_cgroup_lruvec(const struct machine *m,
				 struct mem_cgroup *memcg, int nid)
{
	if (!memcg || mem_cgroup_is_root(memcg))
		return &NODE_DATA(m, nid)->__lruvec;
	return &memcg->lruvec[nid];
}

struct mem_cgroup *mem_cgroup_from_task(const struct machine *m,
					const struct task_struct *t)
{
	const struct cgroup *cgrp = task_cgroup(m, t);

	return cgroup_e_css((struct cgroup *)cgrp, memory_cgrp_id)->memcg;
}

struct mem_cgroup *set_active_memcg(struct machine *m,
				    struct mem_cgroup *memcg)
{
	struct mem_cgroup *old = m->active_memcg;

	m->active_memcg = memcg;
	return old;
}

struct mem_cgroup *page_memcg(const struct machine *m, pfn_t pfn)
{
	const struct page *page = pfn_to_page(m, pfn);
	uint16_t id;

	if (!page || !memcg_charged_state((enum page_state)page->state))
		return NULL;
	id = page_memcg_id(m, pfn);
	return id ? mem_cgroup_from_id(m, id) : root_mem_cgroup(m);
}

/* ---- page counters ---- */

/* The pages an objcg's stock of @bytes takes: whole pages, rounded up. */
static uint64_t kmem_bytes_to_pages(uint64_t bytes)
{
	return (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
}

static void page_counter_init(struct page_counter *c)
{
	memset(c, 0, sizeof(*c));
	c->max = c->high = PAGE_COUNTER_MAX;
}

/*
 * page_counter_charge() without the limit check, from @memcg up to (not
 * including) the root: the safe points made room before the allocation.
 */
static void memcg_charge(struct mem_cgroup *memcg, int swap, uint64_t nr)
{
	struct machine *m = memcg ? memcg->machine : NULL;
	int over_high = 0;

	for (; memcg && !mem_cgroup_is_root(memcg);
	     memcg = parent_mem_cgroup(memcg)) {
		struct page_counter *c = swap ? &memcg->swap : &memcg->memory;

		c->usage += nr;
		if (c->usage > c->watermark)
			c->watermark = c->usage;
		over_high |= memcg->memory.usage > memcg->memory.high ||
			     memcg->swap.usage > memcg->swap.high;
	}
	/* try_charge(): the task reclaims or sleeps on its way back */
	if (!swap && over_high)
		m->memcg_nr_pages_over_high += nr;
}

static void memcg_uncharge(struct mem_cgroup *memcg, int swap, uint64_t nr)
{
	for (; memcg && !mem_cgroup_is_root(memcg);
	     memcg = parent_mem_cgroup(memcg))
		(swap ? &memcg->swap : &memcg->memory)->usage -= nr;
}

void mem_cgroup_charge_page(struct machine *m, pfn_t pfn,
			    struct mem_cgroup *memcg)
{
	const struct page *page = pfn_to_page(m, pfn);
	uint64_t nr = 1ULL << page->order;

	if (!memcg)
		memcg = m->active_memcg ?: root_mem_cgroup(m);
	set_page_memcg_id(m, pfn, mem_cgroup_is_root(memcg) ? 0 : memcg->id);
	memcg_charge(memcg, 0, nr);
	if (memcg_kmem_state((enum page_state)page->state))
		memcg->stat[MEMCG_KMEM] += (int64_t)nr;
}

void mem_cgroup_uncharge_page(struct machine *m, pfn_t pfn)
{
	const struct page *page = pfn_to_page(m, pfn);
	struct mem_cgroup *memcg = page_memcg(m, pfn);
	uint64_t nr = 1ULL << page->order;

	if (!memcg)
		return;
	memcg_uncharge(memcg, 0, nr);
	if (memcg_kmem_state((enum page_state)page->state))
		memcg->stat[MEMCG_KMEM] -= (int64_t)nr;
	set_page_memcg_id(m, pfn, 0);
}

/* ---- swap charges ---- */

int mem_cgroup_try_charge_swap(struct machine *m, pfn_t pfn, swp_entry_t entry)
{
	struct mem_cgroup *memcg = page_memcg(m, pfn), *pos;

	if (!memcg)
		return 0;
	if (!entry) {
		memcg_memory_event(memcg, MEMCG_SWAP_FAIL);
		return 0;
	}
	/* page_counter_try_charge(): a slot is a page, at every level */
	for (pos = memcg; !mem_cgroup_is_root(pos);
	     pos = parent_mem_cgroup(pos)) {
		if (pos->swap.usage + 1 > pos->swap.max) {
			/* the events are the page's memcg's, as the kernel's */
			memcg_memory_event(memcg, MEMCG_SWAP_MAX);
			memcg_memory_event(memcg, MEMCG_SWAP_FAIL);
			return -ENOMEM;
		}
	}
	memcg_charge(memcg, 1, 1);
	memcg->stat[MEMCG_SWAP]++;
	swap_cgroup_record(m, entry, mem_cgroup_is_root(memcg) ? 0 : memcg->id);
	return 0;
}

void mem_cgroup_uncharge_swap(struct machine *m, uint16_t id, uint64_t nr)
{
	struct mem_cgroup *memcg =
		id ? mem_cgroup_from_id(m, id) : root_mem_cgroup(m);

	if (!memcg)
		return;
	memcg_uncharge(memcg, 1, nr);
	memcg->stat[MEMCG_SWAP] -= (int64_t)nr;
}

struct mem_cgroup *mem_cgroup_swapin_memcg(const struct machine *m,
					   swp_entry_t entry)
{
	uint16_t id = lookup_swap_cgroup_id(m, entry);
	struct mem_cgroup *memcg = id ? mem_cgroup_from_id(m, id) : NULL;

	return memcg ?: root_mem_cgroup(m);
}

int64_t mem_cgroup_get_nr_swap_pages(const struct machine *m,
				     const struct mem_cgroup *memcg)
{
	int64_t nr = (int64_t)nr_free_swap_pages(m);

	for (; memcg && !mem_cgroup_is_root(memcg);
	     memcg = parent_mem_cgroup(memcg)) {
		int64_t room =
			(int64_t)memcg->swap.max - (int64_t)memcg->swap.usage;

		if (room < nr)
			nr = room;
	}
	return nr;
}

int mem_cgroup_swap_full(const struct machine *m, pfn_t pfn)
{
	const struct mem_cgroup *memcg;

	if (vm_swap_full(m))
		return 1;
	for (memcg = page_memcg(m, pfn); memcg && !mem_cgroup_is_root(memcg);
	     memcg = parent_mem_cgroup(memcg)) {
		uint64_t usage = memcg->swap.usage;

		if (usage * 2 >= memcg->swap.high ||
		    usage * 2 >= memcg->swap.max)
			return 1;
	}
	return 0;
}

/*
 * swap_find_max_overage(): a charge made while a group at or above
 * @memcg is over memory.swap.high counts MEMCG_SWAP_HIGH there (the
 * kernel then throttles the task; the charge stands).
 */
static void swap_high_events(struct mem_cgroup *memcg)
{
	for (; memcg && !mem_cgroup_is_root(memcg);
	     memcg = parent_mem_cgroup(memcg))
		if (memcg->swap.usage > memcg->swap.high)
			memcg_memory_event(memcg, MEMCG_SWAP_HIGH);
}

/* ---- statistics ---- */

void count_memcg_page_event(struct machine *m, pfn_t pfn,
			    enum vm_event_item item, uint64_t nr)
{
	struct mem_cgroup *memcg = page_memcg(m, pfn);

	count_vm_events(m, item, nr);
	if (memcg)
		memcg->events[item] += nr;
}

uint64_t memcg_node_page_state(const struct mem_cgroup *memcg, int nid,
			       enum node_stat_item item)
{
	struct cgroup *root = memcg->cgroup, *pos;
	int64_t sum = 0;

	cgroup_for_each_descendant_pre (pos, root)
		if (pos->memcg)
			sum += pos->memcg->node_stat[nid][item];
	return sum > 0 ? (uint64_t)sum : 0;
}

uint64_t mem_cgroup_node_page_state(const struct machine *m,
				    const struct mem_cgroup *memcg, int nid,
				    enum node_stat_item item)
{
	if (!memcg)
		return (uint64_t)NODE_DATA(m, nid)->vm_stat[item];
	return memcg_node_page_state(memcg, nid, item);
}

uint64_t memcg_page_state(const struct mem_cgroup *memcg,
			  enum node_stat_item item)
{
	const struct machine *m = memcg->machine;
	uint64_t sum = 0;
	int nid;

	for_each_online_node (nid, m)
		sum += memcg_node_page_state(memcg, nid, item);
	return sum;
}

uint64_t memcg_stat(const struct mem_cgroup *memcg, enum memcg_stat_item item)
{
	struct cgroup *root = memcg->cgroup, *pos;
	int64_t sum = 0;

	cgroup_for_each_descendant_pre (pos, root)
		if (pos->memcg)
			sum += pos->memcg->stat[item];
	return sum > 0 ? (uint64_t)sum : 0;
}

uint64_t memcg_events(const struct mem_cgroup *memcg, enum vm_event_item ev)
{
	struct cgroup *root = memcg->cgroup, *pos;
	uint64_t sum = 0;

	cgroup_for_each_descendant_pre (pos, root)
		if (pos->memcg)
			sum += pos->memcg->events[ev];
	return sum;
}

int64_t *memcg_node_stat_of(const struct machine *m, pfn_t pfn)
{
	struct mem_cgroup *memcg = page_memcg(m, pfn);

	return memcg ? memcg->node_stat[pfn_to_nid(m, pfn)] : NULL;
}

/* ---- the memcgs of the hierarchy ---- */

static int memcg_alloc_id(struct machine *m, uint16_t *id)
{
	uint32_t i;

	for (i = ROOT_MEM_CGROUP_ID + 1; i < m->nr_memcgs; i++)
		if (!m->memcgs[i])
			break;
	if (i > MEM_CGROUP_ID_MAX - 1)
		return -ENOSPC;
	if (i == m->nr_memcgs) {
		struct mem_cgroup **v =
			realloc(m->memcgs, (i + 1) * sizeof(*v));

		if (!v)
			return -ENOMEM;
		v[i] = NULL;
		m->memcgs = v;
		m->nr_memcgs = i + 1;
	}
	*id = (uint16_t)i;
	return 0;
}

static void memcg_free(struct mem_cgroup *memcg);
struct memcg_counts;
static void memcg_kmem_reparent(struct machine *m, struct mem_cgroup *memcg,
				struct mem_cgroup *parent);
static int memcg_kmem_count(const struct machine *m, struct memcg_counts *c);
static int memcg_kmem_check(const struct machine *m,
			    const struct memcg_counts *c, char *why,
			    size_t size);
static void memcg_css_free(struct machine *m, struct mem_cgroup *memcg);
static int memcg_css_alloc(struct machine *m, struct mem_cgroup *memcg);
static void memcg_css_slab_objects(const struct mem_cgroup *memcg,
				   kmem_owner_fn fn, void *arg);
static int memcg_percpu_count(const struct machine *m, struct memcg_counts *c);

static struct mem_cgroup *memcg_alloc(struct machine *m, struct cgroup *cgrp)
{
	struct mem_cgroup *memcg = calloc(1, sizeof(*memcg));
	int nid, lru;

	if (!memcg)
		return NULL;
	memcg->node_stat = calloc((size_t)m->nr_node_ids,
				  sizeof(*memcg->node_stat));
	memcg->lruvec = calloc((size_t)m->nr_node_ids, sizeof(*memcg->lruvec));
	memcg->slab_objs =
		calloc((size_t)m->nr_node_ids, sizeof(*memcg->slab_objs));
	memcg->lruvec_stats_percpu = calloc(
		(size_t)m->nr_node_ids, sizeof(*memcg->lruvec_stats_percpu));
	if (!memcg->node_stat || !memcg->lruvec || !memcg->slab_objs ||
	    !memcg->lruvec_stats_percpu) {
		memcg_free(memcg);
		return NULL;
	}
	for (nid = 0; nid < m->nr_node_ids; nid++) {
		memcg->lruvec[nid].memcg = memcg;
		memcg->lruvec[nid].nid = nid;
		for (lru = 0; lru < NR_LRU_LISTS; lru++)
			memcg->lruvec[nid].lists[lru].head =
				memcg->lruvec[nid].lists[lru].tail = PFN_NONE;
	}
	memcg->machine = m;
	memcg->cgroup = cgrp;
	page_counter_init(&memcg->memory);
	page_counter_init(&memcg->swap);
	return memcg;
}

static void memcg_free(struct mem_cgroup *memcg)
{
	if (!memcg)
		return;
	free(memcg->node_stat);
	free(memcg->lruvec);
	free(memcg->slab_objs);
	free(memcg->lruvec_stats_percpu);
	free(memcg);
}

/* Install @memcg as @cgrp's, under id @id (a free slot). */
static void memcg_install(struct machine *m, struct cgroup *cgrp,
			  struct mem_cgroup *memcg, uint16_t id)
{
	memcg->id = id;
	m->memcgs[id] = memcg;
	cgrp->memcg = memcg;
}

int mem_cgroup_init(struct machine *m)
{
	struct mem_cgroup *root;

	m->memcgs = calloc(ROOT_MEM_CGROUP_ID + 1, sizeof(*m->memcgs));
	root = m->memcgs ? memcg_alloc(m, &m->cgrp_root) : NULL;
	if (!root) {
		free(m->memcgs);
		m->memcgs = NULL;
		return -ENOMEM;
	}
	m->nr_memcgs = ROOT_MEM_CGROUP_ID + 1;
	memcg_install(m, &m->cgrp_root, root, ROOT_MEM_CGROUP_ID);
	return 0;
}

void mem_cgroup_exit(struct machine *m)
{
	uint32_t i;

	for (i = 0; i < m->nr_memcgs; i++)
		memcg_free(m->memcgs[i]);
	free(m->memcgs);
	m->memcgs = NULL;
	m->nr_memcgs = 0;
}

/* The frames charged to @from now are @to's (reparenting). */
struct reparent_walk {
	struct machine *m;
	struct mem_cgroup *from, *to;
};

static int reparent_page(pfn_t pfn, const struct page *page, void *arg)
{
	struct reparent_walk *w = arg;

	/* the ancestors from @to up were charged already */
	if (page->state != PAGE_TAIL && page_memcg(w->m, pfn) == w->from)
		set_page_memcg_id(w->m, pfn,
				  mem_cgroup_is_root(w->to) ? 0 : w->to->id);
	return 0;
}

/*
 * The pages on @from's lists go to @to's, in their order and younger
 * than the pages already there.
 */
static void reparent_lists(struct machine *m, struct lruvec *from,
			   struct lruvec *to)
{
	int lru;

	for (lru = 0; lru < NR_LRU_LISTS; lru++)
		while (from->lists[lru].tail != PFN_NONE)
			lru_move_to(m, from->lists[lru].tail, from, to);
	to->anon_cost += from->anon_cost;
	to->file_cost += from->file_cost;
}

/*
 * mem_cgroup_css_offline() and reparenting: @cgrp's memcg hands its
 * pages, statistics and events to the nearest ancestor with a memcg,
 * and goes.
 */
static void memcg_offline(struct machine *m, struct cgroup *cgrp)
{
	struct mem_cgroup *memcg = cgrp->memcg, *parent;
	struct reparent_walk w;
	int nid, i;

	cgrp->memcg = NULL;
	parent = cgroup_e_css(cgrp->parent, memory_cgrp_id)->memcg;
	w = (struct reparent_walk){m, memcg, parent};
	/* page_memcg() of its frames must still find it: back for a moment */
	cgrp->memcg = memcg;
	for_each_online_node (nid, m)
		reparent_lists(m, &memcg->lruvec[nid],
			       mem_cgroup_lruvec(m, parent, nid));
	walk_pages(m, reparent_page, &w);
	swap_cgroup_reparent(m, memcg->id,
			     mem_cgroup_is_root(parent) ? 0 : parent->id);
	cgrp->memcg = NULL;
	memcg_kmem_reparent(m, memcg, parent);
	for_each_online_node (nid, m)
		for (i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
			parent->node_stat[nid][i] += memcg->node_stat[nid][i];
	for (i = 0; i < NR_MEMCG_ITEMS; i++)
		parent->stat[i] += memcg->stat[i];
	for (i = 0; i < NR_VM_EVENT_ITEMS; i++)
		parent->events[i] += memcg->events[i];
	memcg_css_free(m, memcg);
	m->memcgs[memcg->id] = NULL;
	if (m->active_memcg == memcg)
		m->active_memcg = parent;
	memcg_free(memcg);
}

int mem_cgroup_sync_css(struct machine *m)
{
	struct cgroup *root = &m->cgrp_root, *pos;
	int rc;

	cgroup_for_each_descendant_pre (pos, root) {
		int want = cgroup_has_css(pos, memory_cgrp_id);

		if (want && !pos->memcg) {
			struct mem_cgroup *memcg;
			uint16_t id;

			rc = memcg_alloc_id(m, &id);
			if (rc)
				return rc;
			memcg = memcg_alloc(m, pos);
			if (!memcg)
				return -ENOMEM;
			memcg_install(m, pos, memcg, id);
			rc = memcg_css_alloc(m, memcg);
			if (rc) {
				m->memcgs[id] = NULL;
				pos->memcg = NULL;
				memcg_free(memcg);
				return rc;
			}
		} else if (!want && pos->memcg && pos->parent) {
			memcg_offline(m, pos);
		}
	}
	return 0;
}

void mem_cgroup_css_free(struct machine *m, struct cgroup *cgrp)
{
	if (cgrp->memcg && cgrp->parent)
		memcg_offline(m, cgrp);
}

/* ---- checkpoint ---- */

/*
 * The node items that count events, not frames (the workingset's): kept
 * and saved as they are, where the others are counted from the frames.
 */
static const enum node_stat_item memcg_event_items[] = {
	WORKINGSET_REFAULT_ANON,  WORKINGSET_REFAULT_FILE,
	WORKINGSET_ACTIVATE_ANON, WORKINGSET_ACTIVATE_FILE,
	WORKINGSET_RESTORE_ANON,  WORKINGSET_RESTORE_FILE,
	WORKINGSET_NODERECLAIM,
};

#define NR_MEMCG_EVENT_ITEMS \
	(sizeof(memcg_event_items) / sizeof(memcg_event_items[0]))

static void save_counter(const struct page_counter *c,
			 void (*put)(void *ctx, uint64_t v), void *ctx)
{
	put(ctx, c->watermark);
	put(ctx, c->max);
	put(ctx, c->high);
	put(ctx, c->min);
	put(ctx, c->low);
}

static int load_counter(struct page_counter *c, uint64_t (*get)(void *ctx),
			void *ctx)
{
	c->watermark = get(ctx);
	c->max = get(ctx);
	c->high = get(ctx);
	c->min = get(ctx);
	c->low = get(ctx);
	return c->max > PAGE_COUNTER_MAX || c->high > PAGE_COUNTER_MAX ||
			       c->min > PAGE_COUNTER_MAX ||
			       c->low > PAGE_COUNTER_MAX
		       ? -EINVAL
		       : 0;
}

/*
 * What the frames and slots do not tell: each memcg's id, settings,
 * peaks and event counts.  Usage and statistics come back from the
 * frames (mem_cgroup_rebuild()).
 */
void mem_cgroup_save(const struct machine *m,
		     void (*put)(void *ctx, uint64_t v), void *ctx)
{
	struct cgroup *root = (struct cgroup *)&m->cgrp_root, *pos;
	uint64_t nr = 0;
	size_t k;
	int i, nid;

	cgroup_for_each_descendant_pre (pos, root)
		nr += !!pos->memcg;
	put(ctx, nr);
	cgroup_for_each_descendant_pre (pos, root) {
		const struct mem_cgroup *memcg = pos->memcg;

		if (!memcg)
			continue;
		put(ctx, pos->id);
		put(ctx, memcg->id);
		save_counter(&memcg->memory, put, ctx);
		save_counter(&memcg->swap, put, ctx);
		put(ctx, (uint64_t)memcg->oom_group);
		for (i = 0; i < MEMCG_NR_MEMORY_EVENTS; i++) {
			put(ctx, memcg->memory_events[i]);
			put(ctx, memcg->memory_events_local[i]);
		}
		for (i = 0; i < NR_VM_EVENT_ITEMS; i++)
			put(ctx, memcg->events[i]);
		for (nid = 0; nid < m->nr_node_ids; nid++)
			for (k = 0; k < NR_MEMCG_EVENT_ITEMS; k++)
				put(ctx, (uint64_t)memcg->node_stat
						 [nid][memcg_event_items[k]]);
	}
}

int mem_cgroup_load(struct machine *m, uint64_t (*get)(void *ctx), void *ctx)
{
	uint64_t nr = get(ctx), k;
	size_t e;
	int i, nid;

	if (nr > MEM_CGROUP_ID_MAX)
		return -EINVAL;
	for (k = 0; k < nr; k++) {
		struct cgroup *cgrp = cgroup_by_id(m, get(ctx));
		uint64_t id = get(ctx);
		struct mem_cgroup *memcg;

		if (!cgrp || !id || id >= MEM_CGROUP_ID_MAX ||
		    (id == ROOT_MEM_CGROUP_ID) != !cgrp->parent)
			return -EINVAL;
		memcg = cgrp->memcg;
		/* the root's memcg is the machine's, saved first; no repeats */
		if (memcg && k)
			return -EINVAL;
		if (!memcg) {
			if (id < m->nr_memcgs && m->memcgs[id])
				return -EINVAL;
			while (m->nr_memcgs <= id) {
				struct mem_cgroup **v =
					realloc(m->memcgs, (m->nr_memcgs + 1) *
								   sizeof(*v));

				if (!v)
					return -ENOMEM;
				v[m->nr_memcgs++] = NULL;
				m->memcgs = v;
			}
			memcg = memcg_alloc(m, cgrp);
			if (!memcg)
				return -ENOMEM;
			memcg_install(m, cgrp, memcg, (uint16_t)id);
		}
		if (load_counter(&memcg->memory, get, ctx) ||
		    load_counter(&memcg->swap, get, ctx))
			return -EINVAL;
		memcg->oom_group = (int)get(ctx);
		if (memcg->oom_group > 1)
			return -EINVAL;
		for (i = 0; i < MEMCG_NR_MEMORY_EVENTS; i++) {
			memcg->memory_events[i] = get(ctx);
			memcg->memory_events_local[i] = get(ctx);
		}
		for (i = 0; i < NR_VM_EVENT_ITEMS; i++)
			memcg->events[i] = get(ctx);
		for (nid = 0; nid < m->nr_node_ids; nid++)
			for (e = 0; e < NR_MEMCG_EVENT_ITEMS; e++)
				memcg->node_stat[nid][memcg_event_items[e]] =
					(int64_t)get(ctx);
	}
	return 0;
}

/*
 * Each memcg's own pages counted from the frames: usage (its own, the
 * hierarchy added after), kernel pages and node statistics, into
 * @c[id].  Returns -EINVAL for a frame charged to a memcg that is not,
 * or an id on a page that takes no charge.
 */
struct memcg_counts {
	uint64_t own, usage; /* its pages; with its descendants' */
	uint64_t swap_own, swap_usage; /* its slots; with its descendants' */
	int64_t stat[NR_MEMCG_ITEMS];
	int64_t (*node_stat)[NR_VM_NODE_STAT_ITEMS];
	/* its charged objects by node (c[0]'s: the block of all) */
	uint64_t (*slab_objs)[NR_KMEM_CACHES];
	uint64_t kmem_bytes;
};

struct count_walk {
	const struct machine *m;
	struct memcg_counts *c;
	int bad;
};

static int count_page(pfn_t pfn, const struct page *page, void *arg)
{
	struct count_walk *w = arg;
	uint64_t nr = 1ULL << page->order;
	struct memcg_counts *c;
	uint16_t id;

	if (page->state == PAGE_TAIL)
		return 0;
	id = page_memcg_id(w->m, pfn);
	if (!memcg_charged_state((enum page_state)page->state)) {
		w->bad |= id != 0;
		return 0;
	}
	if (id && !mem_cgroup_from_id(w->m, id)) {
		w->bad = 1;
		return 0;
	}
	c = &w->c[id ? id : ROOT_MEM_CGROUP_ID];
	c->own += nr;
	if (memcg_kmem_state((enum page_state)page->state))
		c->stat[MEMCG_KMEM] += (int64_t)nr;
	account_block_node_stat(w->m, pfn, c->node_stat[pfn_to_nid(w->m, pfn)]);
	return 0;
}

static void free_counts(const struct machine *m, struct memcg_counts *c)
{
	uint32_t i;

	for (i = 0; c && i < m->nr_memcgs; i++)
		free(c[i].node_stat);
	if (c)
		free(c[0].slab_objs);
	free(c);
}

/*
 * Each memcg's own swap slots, from the slots' ids (checked to name
 * memcgs: swap_cgroup_check()); the root's are those with id 0.
 */
static int count_swap_slots(const struct machine *m, struct memcg_counts *c)
{
	uint64_t *nr = calloc(m->nr_memcgs, sizeof(*nr));
	uint32_t i;

	if (!nr)
		return -ENOMEM;
	swap_cgroup_count(m, nr, m->nr_memcgs);
	nr[ROOT_MEM_CGROUP_ID] += nr[0];
	for (i = ROOT_MEM_CGROUP_ID; i < m->nr_memcgs; i++) {
		c[i].swap_own = nr[i];
		c[i].stat[MEMCG_SWAP] = (int64_t)nr[i];
	}
	free(nr);
	return 0;
}

static int count_memcgs(const struct machine *m, struct memcg_counts **out)
{
	struct count_walk w = {m, NULL, 0};
	struct cgroup *root = (struct cgroup *)&m->cgrp_root, *pos;
	uint32_t i;

	w.c = calloc(m->nr_memcgs, sizeof(*w.c));
	if (!w.c)
		return -ENOMEM;
	for (i = 0; i < m->nr_memcgs; i++) {
		w.c[i].node_stat = calloc((size_t)m->nr_node_ids,
					  sizeof(*w.c[i].node_stat));
		if (!w.c[i].node_stat) {
			free_counts(m, w.c);
			return -ENOMEM;
		}
	}
	walk_pages(m, count_page, &w);
	if (count_swap_slots(m, w.c)) {
		free_counts(m, w.c);
		return -ENOMEM;
	}
	if (memcg_kmem_count(m, w.c))
		w.bad = 1;
	for (i = 0; i < m->nr_memcgs; i++) {
		const struct mem_cgroup *memcg = m->memcgs[i];
		size_t k;
		int nid;

		for (nid = 0; memcg && nid < m->nr_node_ids; nid++)
			for (k = 0; k < NR_MEMCG_EVENT_ITEMS; k++)
				w.c[i].node_stat[nid][memcg_event_items[k]] =
					memcg->node_stat
						[nid][memcg_event_items[k]];
	}
	/* a page counter holds the pages of its group and all below it */
	cgroup_for_each_descendant_pre (pos, root) {
		struct mem_cgroup *p;

		for (p = pos->memcg; p && !mem_cgroup_is_root(p);
		     p = parent_mem_cgroup(p)) {
			w.c[p->id].usage += w.c[pos->memcg->id].own;
			w.c[p->id].swap_usage += w.c[pos->memcg->id].swap_own;
		}
	}
	*out = w.c;
	if (w.bad) {
		free_counts(m, w.c);
		return -EINVAL;
	}
	return 0;
}

int mem_cgroup_rebuild(struct machine *m)
{
	struct memcg_counts *c;
	uint32_t i;
	int rc;

	rc = count_memcgs(m, &c);
	if (rc)
		return rc;
	for (i = 0; i < m->nr_memcgs; i++) {
		struct mem_cgroup *memcg = m->memcgs[i];

		if (!memcg)
			continue;
		memcg->memory.usage = c[i].usage;
		memcg->swap.usage = c[i].swap_usage;
		memcpy(memcg->slab_objs, c[i].slab_objs,
		       (size_t)m->nr_node_ids * sizeof(*memcg->slab_objs));
		memcg->kmem_bytes = c[i].kmem_bytes;
		memcg->kmem_pages = kmem_bytes_to_pages(c[i].kmem_bytes);
		memcpy(memcg->stat, c[i].stat, sizeof(memcg->stat));
		memcpy(memcg->node_stat, c[i].node_stat,
		       (size_t)m->nr_node_ids * sizeof(*memcg->node_stat));
		/* the peaks were saved: usage can't be above them */
		if ((memcg->memory.usage > memcg->memory.watermark ||
		     memcg->swap.usage > memcg->swap.watermark) &&
		    !mem_cgroup_is_root(memcg))
			rc = -EINVAL;
	}
	free_counts(m, c);
	return rc;
}

/*
 * Whether a page counter of @memcg (@what) differs from the @counted
 * pages that @source, or is above its peak; @why then says so.
 */
static int counter_differs(const struct mem_cgroup *memcg,
			   const struct page_counter *pc, uint64_t counted,
			   const char *what, const char *source, char *why,
			   size_t size)
{
	if (mem_cgroup_is_root(memcg) ||
	    (pc->usage == counted && pc->usage <= pc->watermark))
		return 0;
	snprintf(why, size, "memcg %s: %s %llu pages (peak %llu), %s %llu",
		 memcg->cgroup->path, what, (unsigned long long)pc->usage,
		 (unsigned long long)pc->watermark, source,
		 (unsigned long long)counted);
	return 1;
}

int mem_cgroup_check(const struct machine *m, char *why, size_t size)
{
	struct cgroup *root = (struct cgroup *)&m->cgrp_root, *pos;
	struct memcg_counts *c;
	uint32_t i;
	int rc;

	cgroup_for_each_descendant_pre (pos, root) {
		if (!!pos->memcg != cgroup_has_css(pos, memory_cgrp_id)) {
			snprintf(why, size, "cgroup %s: %s a memcg", pos->path,
				 pos->memcg ? "has" : "lacks");
			return -EUCLEAN;
		}
	}
	rc = swap_cgroup_check(m, why, size);
	if (rc)
		return rc;
	rc = count_memcgs(m, &c);
	if (rc == -EINVAL)
		snprintf(why, size,
			 "a frame's or a kernel object's memcg is not a "
			 "charge, or a cache has fewer objects than are "
			 "charged");
	if (rc)
		return rc == -EINVAL ? -EUCLEAN : rc;
	rc = memcg_kmem_check(m, c, why, size);
	for (i = 0; i < m->nr_memcgs && !rc; i++) {
		const struct mem_cgroup *memcg = m->memcgs[i];

		if (!memcg)
			continue;
		if (counter_differs(memcg, &memcg->memory, c[i].usage, "usage",
				    "its frames and its children's hold", why,
				    size) ||
		    counter_differs(memcg, &memcg->swap, c[i].swap_usage,
				    "swap usage",
				    "the slots charged in its subtree are", why,
				    size)) {
			rc = -EUCLEAN;
		} else if (memcmp(c[i].stat, memcg->stat,
				  sizeof(memcg->stat)) ||
			   memcmp(c[i].node_stat, memcg->node_stat,
				  (size_t)m->nr_node_ids *
					  sizeof(*memcg->node_stat))) {
			snprintf(why, size,
				 "memcg %s: its statistics differ from its "
				 "frames' and slots'",
				 memcg->cgroup->path);
			rc = -EUCLEAN;
		}
	}
	free_counts(m, c);
	return rc;
}

/* ---- events, limits and the OOM domain ---- */

void memcg_memory_event(struct mem_cgroup *memcg,
			enum memcg_memory_event event)
{
	memcg->memory_events_local[event]++;
	for (; memcg && !mem_cgroup_is_root(memcg);
	     memcg = parent_mem_cgroup(memcg))
		memcg->memory_events[event]++;
}

int mem_cgroup_is_descendant(const struct mem_cgroup *memcg,
			     const struct mem_cgroup *root)
{
	for (; memcg; memcg = parent_mem_cgroup(memcg))
		if (memcg == root)
			return 1;
	return 0;
}

/*
 * Whether @memcg's protection counts in a reclaim aimed at @target: the
 * root charges nothing and supports none, and a group's own limit
 * reclaim ignores its own protection.
 */
static int mem_cgroup_unprotected(const struct mem_cgroup *target,
				  const struct mem_cgroup *memcg)
{
	return mem_cgroup_is_root(memcg) || memcg == target;
}

/* What a group's protection covers of its usage. */
static uint64_t protected_usage(uint64_t usage, uint64_t setting)
{
	return usage < setting ? usage : setting;
}

/* How much of what @memcg's children use their min (or low) covers. */
static uint64_t children_protected_usage(const struct mem_cgroup *memcg,
					 int low)
{
	const struct cgroup *child;
	uint64_t sum = 0;

	for (child = memcg->cgroup->children; child;
	     child = child->next_sibling) {
		const struct page_counter *c;

		if (!child->memcg)
			continue;
		c = &child->memcg->memory;
		sum += protected_usage(c->usage, low ? c->low : c->min);
	}
	return sum;
}

/*
 * effective_protection(): a child gets what it claims and uses, unless
 * the siblings together claim more than the parent has, when they share
 * the parent's in proportion to their claims.  With recursive protection
 * (systemd mounts cgroup2 with memory_recursiveprot, and so does this
 * machine) what the parent has and its children leave unclaimed goes to
 * them in proportion to their unprotected usage.
 */
static uint64_t effective_protection(uint64_t usage, uint64_t parent_usage,
				     uint64_t setting, uint64_t parent_effective,
				     uint64_t siblings_protected)
{
	uint64_t protected = protected_usage(usage, setting);
	uint64_t ep = protected;

	if (siblings_protected > parent_effective)
		return (uint64_t)((unsigned __int128)protected *
				  parent_effective / siblings_protected);
	if (parent_effective > siblings_protected &&
	    parent_usage > siblings_protected && usage > protected)
		ep += (uint64_t)((unsigned __int128)(parent_effective -
						     siblings_protected) *
				 (usage - protected) /
				 (parent_usage - siblings_protected));
	return ep;
}

void mem_cgroup_calculate_protection(const struct mem_cgroup *target,
				     struct mem_cgroup *memcg)
{
	struct page_counter *c = &memcg->memory;
	const struct mem_cgroup *parent = parent_mem_cgroup(memcg);

	if (!target)
		target = root_mem_cgroup(memcg->machine);
	/* the target's own values are never read: leave them */
	if (memcg == target || !c->usage)
		return;
	if (parent == target) {
		c->emin = c->min;
		c->elow = c->low;
		return;
	}
	c->emin = effective_protection(c->usage, parent->memory.usage, c->min,
				       parent->memory.emin,
				       children_protected_usage(parent, 0));
	c->elow = effective_protection(c->usage, parent->memory.usage, c->low,
				       parent->memory.elow,
				       children_protected_usage(parent, 1));
}

int mem_cgroup_below_min(const struct mem_cgroup *target,
			 const struct mem_cgroup *memcg)
{
	return !mem_cgroup_unprotected(target, memcg) &&
	       memcg->memory.emin >= memcg->memory.usage;
}

int mem_cgroup_below_low(const struct mem_cgroup *target,
			 const struct mem_cgroup *memcg)
{
	return !mem_cgroup_unprotected(target, memcg) &&
	       memcg->memory.elow >= memcg->memory.usage;
}

void mem_cgroup_protection(const struct mem_cgroup *target,
			   const struct mem_cgroup *memcg, uint64_t *min,
			   uint64_t *low)
{
	*min = *low = 0;
	if (mem_cgroup_unprotected(target, memcg))
		return;
	*min = memcg->memory.emin;
	*low = memcg->memory.elow;
}

struct mem_cgroup *mem_cgroup_get_oom_group(const struct machine *m,
					    struct mem_cgroup *victim,
					    struct mem_cgroup *oom_domain)
{
	struct mem_cgroup *group = NULL, *memcg;

	if (!oom_domain)
		oom_domain = root_mem_cgroup(m);
	for (memcg = victim; memcg && !mem_cgroup_is_root(memcg);
	     memcg = parent_mem_cgroup(memcg)) {
		if (memcg->oom_group)
			group = memcg;
		if (memcg == oom_domain)
			break;
	}
	return group;
}

static uint64_t kb(uint64_t pages)
{
	return pages << (PAGE_SHIFT - 10);
}

void mem_cgroup_print_oom_meminfo(struct machine *m,
				  const struct mem_cgroup *memcg)
{
	struct seq_buf s;
	const char *line, *end;

	/*
	 * cgroup v2's page counters track no failcnt (that is v1's): the
	 * report's failcnt is the hierarchical max events of each counter.
	 */
	pr_info(m, "memory: usage %llukB, limit %llukB, failcnt %llu\n",
		(unsigned long long)kb(memcg->memory.usage),
		(unsigned long long)kb(memcg->memory.max),
		(unsigned long long)memcg->memory_events[MEMCG_MAX]);
	pr_info(m, "swap: usage %llukB, limit %llukB, failcnt %llu\n",
		(unsigned long long)kb(memcg->swap.usage),
		(unsigned long long)kb(memcg->swap.max),
		(unsigned long long)memcg->memory_events[MEMCG_SWAP_MAX]);
	pr_info(m, "Memory cgroup stats for %s:\n", memcg->cgroup->path);
	seq_buf_init(&s);
	memory_stat_format(m, memcg, &s);
	/* seq_buf_do_printk(): a record a line */
	for (line = s.buf; line && *line; line = end + 1) {
		end = strchr(line, '\n');
		if (!end)
			break;
		pr_info(m, "%.*s\n", (int)(end - line), line);
	}
	seq_buf_free(&s);
}

/*
 * The group at or above @memcg with the least room under memory.max,
 * and that room (0 when it is at or past its limit).
 */
static struct mem_cgroup *mem_cgroup_margin(struct mem_cgroup *memcg,
					    uint64_t *margin)
{
	struct mem_cgroup *tightest = NULL;

	*margin = UINT64_MAX;
	for (; memcg && !mem_cgroup_is_root(memcg);
	     memcg = parent_mem_cgroup(memcg)) {
		const struct page_counter *c = &memcg->memory;
		uint64_t room = c->usage < c->max ? c->max - c->usage : 0;

		if (room < *margin) {
			*margin = room;
			tightest = memcg;
		}
	}
	return tightest;
}

int mem_cgroup_has_room(struct mem_cgroup *memcg, uint64_t nr)
{
	uint64_t margin;

	mem_cgroup_margin(memcg, &margin);
	return margin >= nr;
}

/* How often reclaim is retried before the OOM killer (MAX_RECLAIM_RETRIES). */
#define MAX_RECLAIM_RETRIES 16

/*
 * reclaim_high(): every group at or above @memcg that is over
 * memory.high gives back what it has beyond it.
 */
static void reclaim_high(struct machine *m, struct mem_cgroup *memcg)
{
	for (; memcg && !mem_cgroup_is_root(memcg);
	     memcg = parent_mem_cgroup(memcg)) {
		const struct page_counter *c = &memcg->memory;

		if (c->usage <= c->high)
			continue;
		memcg_memory_event(memcg, MEMCG_HIGH);
		try_to_free_mem_cgroup_pages(m, memcg, c->usage - c->high);
	}
}

/*
 * The allocator throttling above memory.high (mem_cgroup_handle_over_high()).
 * A group's overage is its excess over high as a fraction of high, in
 * MEMCG_DELAY_PRECISION_SHIFT fixed point; the largest of the group's and
 * its ancestors' sets the penalty: overage squared times HZ, scaled down
 * by both shifts, for a charge batch of MEMCG_CHARGE_BATCH pages, memory's
 * and swap's added, at most 2 s a return to user space, and none at all
 * for HZ / 100 or less.  HZ is the 250 of the load average and PSI.
 */
#define HZ 250ULL
#define NSEC_PER_JIFFY (1000000000ULL / HZ)
#define MEMCG_DELAY_PRECISION_SHIFT 20
#define MEMCG_DELAY_SCALING_SHIFT 14
#define MEMCG_MAX_HIGH_DELAY_JIFFIES (2 * HZ)

static uint64_t calculate_overage(uint64_t usage, uint64_t high)
{
	if (usage <= high)
		return 0;
	/* a high of 0 is taken as 1 page, not divided by */
	if (!high)
		high = 1;
	return ((usage - high) << MEMCG_DELAY_PRECISION_SHIFT) / high;
}

static uint64_t find_max_overage(struct mem_cgroup *memcg, int swap)
{
	uint64_t overage, max_overage = 0;

	for (; memcg && !mem_cgroup_is_root(memcg);
	     memcg = parent_mem_cgroup(memcg)) {
		const struct page_counter *c =
			swap ? &memcg->swap : &memcg->memory;

		overage = calculate_overage(c->usage, c->high);
		if (overage > max_overage)
			max_overage = overage;
	}
	return max_overage;
}

static uint64_t calculate_high_delay(uint64_t nr_pages, uint64_t max_overage)
{
	uint64_t penalty_jiffies;

	/* past 2^22 (4 times over) the square would not fit: clamped anyway */
	if (max_overage > 1ULL << 22)
		max_overage = 1ULL << 22;
	penalty_jiffies = max_overage * max_overage * HZ;
	penalty_jiffies >>= MEMCG_DELAY_PRECISION_SHIFT;
	penalty_jiffies >>= MEMCG_DELAY_SCALING_SHIFT;
	return penalty_jiffies * nr_pages / MEMCG_CHARGE_BATCH;
}

void mem_cgroup_handle_over_high(struct machine *m, struct mem_cgroup *memcg)
{
	uint64_t nr = m->memcg_nr_pages_over_high, penalty_jiffies;

	m->memcg_nr_pages_over_high = 0;
	if (!nr || !memcg)
		return;
	penalty_jiffies = calculate_high_delay(MEMCG_CHARGE_BATCH,
					       find_max_overage(memcg, 0)) +
			  calculate_high_delay(MEMCG_CHARGE_BATCH,
					       find_max_overage(memcg, 1));
	if (penalty_jiffies > MEMCG_MAX_HIGH_DELAY_JIFFIES)
		penalty_jiffies = MEMCG_MAX_HIGH_DELAY_JIFFIES;
	if (penalty_jiffies <= HZ / 100)
		return;
	psi_memstall(m, penalty_jiffies * NSEC_PER_JIFFY * nr /
				MEMCG_CHARGE_BATCH);
}

int mem_cgroup_try_charge(struct machine *m, struct mem_cgroup *memcg,
			  uint64_t nr, int current_pid)
{
	struct mem_cgroup *over;
	uint64_t margin;
	int retries = MAX_RECLAIM_RETRIES, rc;

	if (!memcg || mem_cgroup_is_root(memcg))
		return 0;
	reclaim_high(m, memcg);
	swap_high_events(memcg);
	for (;;) {
		over = mem_cgroup_margin(memcg, &margin);
		if (!over || margin >= nr)
			return 0;
		memcg_memory_event(over, MEMCG_MAX);
		if (retries--) {
			try_to_free_mem_cgroup_pages(m, over, nr - margin);
			continue;
		}
		/* mem_cgroup_oom(): reclaim gave up; kill inside the group */
		memcg_memory_event(over, MEMCG_OOM);
		rc = mem_cgroup_out_of_memory(m, over, current_pid);
		if (rc)
			return rc;
		return -EAGAIN;
	}
}

int mem_cgroup_set_max(struct machine *m, struct mem_cgroup *memcg,
		       uint64_t pages)
{
	int retries = MAX_RECLAIM_RETRIES;

	memcg->memory.max = pages;
	/* memory_max_write(): reclaim, then the OOM killer, to fit */
	while (memcg->memory.usage > pages) {
		if (retries) {
			retries--;
			if (!try_to_free_mem_cgroup_pages(
				    m, memcg, memcg->memory.usage - pages))
				retries = retries > 1 ? 1 : retries;
			continue;
		}
		memcg_memory_event(memcg, MEMCG_OOM);
		if (mem_cgroup_out_of_memory(m, memcg, 0) == -ENOMEM)
			break;
	}
	return 0;
}

int mem_cgroup_set_high(struct machine *m, struct mem_cgroup *memcg,
			uint64_t pages)
{
	memcg->memory.high = pages;
	/* memory_high_write(): reclaim toward it, never the OOM killer */
	if (memcg->memory.usage > pages)
		try_to_free_mem_cgroup_pages(m, memcg,
					     memcg->memory.usage - pages);
	return 0;
}

void mem_cgroup_set_min(struct mem_cgroup *memcg, uint64_t pages)
{
	memcg->memory.min = pages;
}

void mem_cgroup_set_low(struct mem_cgroup *memcg, uint64_t pages)
{
	memcg->memory.low = pages;
}

void mem_cgroup_set_swap_max(struct mem_cgroup *memcg, uint64_t pages)
{
	memcg->swap.max = pages;
}

void mem_cgroup_set_swap_high(struct mem_cgroup *memcg, uint64_t pages)
{
	memcg->swap.high = pages;
}

/* ---- memory.stat ---- */

/* A memory.stat line of a node item: bytes, or a count for events. */
struct memory_stat {
	const char *name;
	int item; /* enum node_stat_item, or a MEMCG_* with MEMCG_STAT_BIT */
	unsigned int unit; /* bytes per unit: PAGE_SIZE, 1024 (kB), 1 */
};

#define MEMCG_STAT_BIT 0x10000

/* memory_stats[] of a 6.18 kernel with swap, zswap and THP */
static const struct memory_stat memory_stats[] = {
	{"anon", NR_ANON_MAPPED, PAGE_SIZE},
	{"file", NR_FILE_PAGES, PAGE_SIZE},
	{"kernel", MEMCG_STAT_BIT | MEMCG_KMEM, PAGE_SIZE},
	{"kernel_stack", NR_KERNEL_STACK_KB, 1024},
	{"pagetables", NR_PAGETABLE, PAGE_SIZE},
	{"sec_pagetables", NR_SECONDARY_PAGETABLE, PAGE_SIZE},
	{"percpu", MEMCG_STAT_BIT | MEMCG_PERCPU_B, 1},
	{"sock", -1, 1},
	{"vmalloc", -1, 1},
	{"shmem", NR_SHMEM, PAGE_SIZE},
	{"zswap", -1, 1},
	{"zswapped", -1, 1},
	{"file_mapped", NR_FILE_MAPPED, PAGE_SIZE},
	{"file_dirty", NR_FILE_DIRTY, PAGE_SIZE},
	{"file_writeback", NR_WRITEBACK, PAGE_SIZE},
	{"swapcached", NR_SWAPCACHE, PAGE_SIZE},
	{"anon_thp", NR_ANON_THPS, PAGE_SIZE},
	{"file_thp", NR_FILE_THPS, PAGE_SIZE},
	{"shmem_thp", NR_SHMEM_THPS, PAGE_SIZE},
	{"inactive_anon", NR_INACTIVE_ANON, PAGE_SIZE},
	{"active_anon", NR_ACTIVE_ANON, PAGE_SIZE},
	{"inactive_file", NR_INACTIVE_FILE, PAGE_SIZE},
	{"active_file", NR_ACTIVE_FILE, PAGE_SIZE},
	{"unevictable", NR_UNEVICTABLE, PAGE_SIZE},
	{"slab_reclaimable", NR_SLAB_RECLAIMABLE_B, 1},
	{"slab_unreclaimable", NR_SLAB_UNRECLAIMABLE_B, 1},
	/* "slab" follows in memory.stat, their sum */
	{"hugetlb", NR_HUGETLB, PAGE_SIZE},
	{"workingset_refault_anon", WORKINGSET_REFAULT_ANON, 1},
	{"workingset_refault_file", WORKINGSET_REFAULT_FILE, 1},
	{"workingset_activate_anon", WORKINGSET_ACTIVATE_ANON, 1},
	{"workingset_activate_file", WORKINGSET_ACTIVATE_FILE, 1},
	{"workingset_restore_anon", WORKINGSET_RESTORE_ANON, 1},
	{"workingset_restore_file", WORKINGSET_RESTORE_FILE, 1},
	{"workingset_nodereclaim", WORKINGSET_NODERECLAIM, 1},
	{"pgdemote_kswapd", PGDEMOTE_KSWAPD, 1},
	{"pgdemote_direct", PGDEMOTE_DIRECT, 1},
	{"pgdemote_khugepaged", PGDEMOTE_KHUGEPAGED, 1},
	{"pgdemote_proactive", PGDEMOTE_PROACTIVE, 1},
	{"pgpromote_success", PGPROMOTE_SUCCESS, 1},
};

/* memcg_vm_event_stat[]: after pgscan and pgsteal, these events */
static const enum vm_event_item memcg_vm_event_stat[] = {
	PSWPIN,		    PSWPOUT,	      PGSCAN_KSWAPD,
	PGSCAN_DIRECT,	    PGSCAN_KHUGEPAGED, PGSCAN_PROACTIVE,
	PGSTEAL_KSWAPD,	    PGSTEAL_DIRECT,   PGSTEAL_KHUGEPAGED,
	PGSTEAL_PROACTIVE,  PGFAULT,	      PGMAJFAULT,
	PGREFILL,	    PGACTIVATE,	      PGDEACTIVATE,
	PGLAZYFREE,	    PGLAZYFREED,      SWPIN_ZERO,
	SWPOUT_ZERO,	    ZSWPIN,	      ZSWPOUT,
	ZSWPWB,		    THP_FAULT_ALLOC,  THP_COLLAPSE_ALLOC,
	THP_SWPOUT,	    THP_SWPOUT_FALLBACK, NUMA_PAGE_MIGRATE,
	NUMA_PTE_UPDATES,   NUMA_HINT_FAULTS,
};

static uint64_t memory_stat_value(const struct mem_cgroup *memcg,
				  const struct memory_stat *st)
{
	if (st->item < 0)
		return 0; /* not charged in the model: none of it is */
	if (st->item & MEMCG_STAT_BIT)
		return memcg_stat(memcg, st->item & ~MEMCG_STAT_BIT) *
		       st->unit;
	return memcg_page_state(memcg, (enum node_stat_item)st->item) *
	       st->unit;
}

void memory_stat_format(const struct machine *m,
			const struct mem_cgroup *memcg, struct seq_buf *s)
{
	size_t i;

	(void)m;
	for (i = 0; i < sizeof(memory_stats) / sizeof(memory_stats[0]); i++) {
		const struct memory_stat *st = &memory_stats[i];

		/* without memory_hugetlb_accounting, numa_stat only */
		if (st->item == NR_HUGETLB)
			continue;
		seq_printf(s, "%s %llu\n", st->name,
			   (unsigned long long)memory_stat_value(memcg, st));
		if (st->item == NR_SLAB_UNRECLAIMABLE_B)
			seq_printf(s, "slab %llu\n",
				   (unsigned long long)(memory_stat_value(
								memcg, st) +
							memory_stat_value(
								memcg,
								st - 1)));
	}
	seq_printf(s, "pgscan %llu\n",
		   (unsigned long long)(memcg_events(memcg, PGSCAN_KSWAPD) +
					memcg_events(memcg, PGSCAN_DIRECT) +
					memcg_events(memcg, PGSCAN_KHUGEPAGED) +
					memcg_events(memcg, PGSCAN_PROACTIVE)));
	seq_printf(s, "pgsteal %llu\n",
		   (unsigned long long)(memcg_events(memcg, PGSTEAL_KSWAPD) +
					memcg_events(memcg, PGSTEAL_DIRECT) +
					memcg_events(memcg,
						     PGSTEAL_KHUGEPAGED) +
					memcg_events(memcg,
						     PGSTEAL_PROACTIVE)));
	for (i = 0; i < sizeof(memcg_vm_event_stat) /
				sizeof(memcg_vm_event_stat[0]);
	     i++)
		seq_printf(s, "%s %llu\n",
			   vm_event_name[memcg_vm_event_stat[i]],
			   (unsigned long long)memcg_events(
				   memcg, memcg_vm_event_stat[i]));
}

void memory_numa_stat_format(const struct machine *m,
			     const struct mem_cgroup *memcg, struct seq_buf *s)
{
	size_t i;
	int nid;

	for (i = 0; i < sizeof(memory_stats) / sizeof(memory_stats[0]); i++) {
		const struct memory_stat *st = &memory_stats[i];

		/* memcg-only items have no node */
		if (st->item < 0 || (st->item & MEMCG_STAT_BIT))
			continue;
		seq_puts(s, st->name);
		for_each_online_node (nid, m)
			seq_printf(s, " N%d=%llu", nid,
				   (unsigned long long)(memcg_node_page_state(
								memcg, nid,
								(enum node_stat_item)
									st->item) *
							st->unit));
		seq_putc(s, '\n');
	}
}

/* ---- kernel memory: slab objects through obj_cgroups ---- */

uint32_t mem_cgroup_objcg(const struct mem_cgroup *memcg, int nid)
{
	if (!memcg || mem_cgroup_is_root(memcg))
		return OBJCG_NONE;
	return objcg_make(memcg->id, nid);
}

uint32_t current_obj_cgroup(const struct machine *m, int nid)
{
	return mem_cgroup_objcg(m->active_memcg, nid);
}

/* obj_full_size(): the object and the objcg pointer kept for it. */
static uint64_t obj_full_size(enum kmem_cache_id id)
{
	return kmem_cache_size(id) + sizeof(uint64_t);
}

static enum node_stat_item cache_vmstat_idx(enum kmem_cache_id id)
{
	return kmem_cache_reclaimable(id) ? NR_SLAB_RECLAIMABLE_B
					  : NR_SLAB_UNRECLAIMABLE_B;
}

/*
 * The objcg's byte stock: @memcg's objects now take @bytes; the pages
 * charged follow, one more when the stock runs out and one less when a
 * whole page of it is unused (obj_cgroup_charge(), obj_cgroup_uncharge()).
 */
static void memcg_kmem_set_bytes(struct mem_cgroup *memcg, uint64_t bytes)
{
	uint64_t pages = kmem_bytes_to_pages(bytes);

	if (pages > memcg->kmem_pages)
		memcg_charge(memcg, 0, pages - memcg->kmem_pages);
	else
		memcg_uncharge(memcg, 0, memcg->kmem_pages - pages);
	memcg->stat[MEMCG_KMEM] += (int64_t)pages - (int64_t)memcg->kmem_pages;
	memcg->kmem_pages = pages;
	memcg->kmem_bytes = bytes;
}

static struct mem_cgroup *objcg_memcg(const struct machine *m, uint32_t objcg)
{
	struct mem_cgroup *memcg = mem_cgroup_from_id(m, objcg_memcg_id(objcg));

	return memcg && objcg_nid(objcg) < m->nr_node_ids ? memcg : NULL;
}

/* @n objects of @id more (or, negative, fewer) charged to @objcg. */
static void memcg_slab_mod(struct machine *m, uint32_t objcg,
			   enum kmem_cache_id id, int64_t n)
{
	struct mem_cgroup *memcg = objcg_memcg(m, objcg);
	int nid = objcg_nid(objcg);
	int64_t bytes = n * (int64_t)obj_full_size(id);

	if (!memcg || !n)
		return;
	id = kmem_cache_target(id);
	memcg->slab_objs[nid][id] += (uint64_t)n;
	memcg->node_stat[nid][cache_vmstat_idx(id)] += bytes;
	memcg_kmem_set_bytes(memcg, memcg->kmem_bytes + (uint64_t)bytes);
}

void memcg_slab_charge(struct machine *m, uint32_t objcg, enum kmem_cache_id id,
		       uint64_t n)
{
	memcg_slab_mod(m, objcg, id, (int64_t)n);
}

void memcg_slab_uncharge(struct machine *m, uint32_t objcg,
			 enum kmem_cache_id id, uint64_t n)
{
	memcg_slab_mod(m, objcg, id, -(int64_t)n);
}

/* Every owner of accounted objects: the tasks with their mms, the inodes. */
static void for_each_kmem_owner(const struct machine *m, kmem_owner_fn fn,
				void *arg)
{
	uint32_t ino;
	int i;

	for (i = 0; i < m->nr_tasks; i++) {
		task_kmem_objects(&m->tasks[i], fn, arg);
		if (m->tasks[i].mm)
			mm_kmem_objects(m->tasks[i].mm, fn, arg);
	}
	for (ino = 1; ino < m->nr_inodes; ino++)
		if (m->inodes[ino])
			inode_kmem_objects(m->inodes[ino], fn, arg);
}

struct objcg_reparent {
	uint16_t from, to;
};

static void reparent_objcg(uint32_t *objcg, enum kmem_cache_id id, uint64_t n,
			   void *arg)
{
	const struct objcg_reparent *r = arg;

	(void)id;
	(void)n;
	if (*objcg != OBJCG_NONE && objcg_memcg_id(*objcg) == r->from)
		*objcg = objcg_make(r->to, objcg_nid(*objcg));
}

/*
 * memcg_reparent_objcgs(): @memcg's objects are @parent's from now on,
 * their owners' objcgs rewritten; the pages the two stocks held apart
 * and no longer need together are uncharged.
 */
static void memcg_kmem_reparent(struct machine *m, struct mem_cgroup *memcg,
				struct mem_cgroup *parent)
{
	struct objcg_reparent r = {memcg->id, parent->id};
	uint64_t pages = memcg->kmem_pages, bytes = memcg->kmem_bytes;
	enum node_stat_item item;
	int nid, id;

	for_each_kmem_owner(m, reparent_objcg, &r);
	for (id = 0; id < (int)m->nr_memcgs; id++)
		if (m->memcgs[id])
			reparent_objcg(&m->memcgs[id]->css_objcg,
				       NR_KMEM_CACHES, 0, &r);
	for (nid = 0; nid < m->nr_node_ids; nid++) {
		for (id = 0; id < NR_KMEM_CACHES; id++) {
			parent->slab_objs[nid][id] += memcg->slab_objs[nid][id];
			memcg->slab_objs[nid][id] = 0;
		}
		for (item = NR_SLAB_RECLAIMABLE_B;
		     item <= NR_SLAB_UNRECLAIMABLE_B; item++) {
			parent->node_stat[nid][item] +=
				memcg->node_stat[nid][item];
			memcg->node_stat[nid][item] = 0;
		}
	}
	memcg->stat[MEMCG_KMEM] -= (int64_t)pages;
	memcg->kmem_pages = memcg->kmem_bytes = 0;
	/* the parent's counters hold the child's pages already */
	parent->kmem_pages += pages;
	parent->stat[MEMCG_KMEM] += (int64_t)pages;
	memcg_kmem_set_bytes(parent, parent->kmem_bytes + bytes);
}

/* The objects charged through the owners, by memcg id, node and cache. */
struct kmem_tally {
	const struct machine *m;
	uint64_t (*objs)[NR_KMEM_CACHES]; /* [nr_memcgs * nr_node_ids] */
	int bad;
};

static void tally_objcg(uint32_t *objcg, enum kmem_cache_id id, uint64_t n,
			void *arg)
{
	struct kmem_tally *t = arg;

	if (*objcg == OBJCG_NONE)
		return;
	if (!objcg_memcg(t->m, *objcg)) {
		t->bad = 1;
		return;
	}
	t->objs[objcg_memcg_id(*objcg) * t->m->nr_node_ids + objcg_nid(*objcg)]
	       [kmem_cache_target(id)] += n;
}

/*
 * Count the objects the owners hold charged, into @objs; -EINVAL if an
 * objcg names no memcg, or more objects of a cache are charged than the
 * cache holds.
 */
static int memcg_kmem_tally(const struct machine *m,
			    uint64_t (**objs)[NR_KMEM_CACHES])
{
	struct kmem_tally t = {m, NULL, 0};
	uint64_t sum;
	uint32_t i;
	int id;

	*objs = t.objs = calloc((size_t)m->nr_memcgs * (size_t)m->nr_node_ids,
				sizeof(*t.objs));
	if (!t.objs)
		return -ENOMEM;
	for_each_kmem_owner(m, tally_objcg, &t);
	for (i = 0; i < m->nr_memcgs; i++)
		if (m->memcgs[i])
			memcg_css_slab_objects(m->memcgs[i], tally_objcg, &t);
	for (id = 0; id < NR_KMEM_CACHES && !t.bad; id++) {
		sum = 0;
		for (i = 0; i < m->nr_memcgs * (uint32_t)m->nr_node_ids; i++)
			sum += t.objs[i][id];
		t.bad = sum > kmem_cache_state(m, id)->inuse;
	}
	return t.bad ? -EINVAL : 0;
}

/*
 * The slab statistics @objs (one memcg's, by node) give, added to
 * @node_stat; returns their bytes.
 */
static uint64_t kmem_account_objs(const struct machine *m,
				  uint64_t (*objs)[NR_KMEM_CACHES],
				  int64_t (*node_stat)[NR_VM_NODE_STAT_ITEMS])
{
	uint64_t bytes = 0, b;
	int nid, id;

	for (nid = 0; nid < m->nr_node_ids; nid++) {
		for (id = 0; id < NR_KMEM_CACHES; id++) {
			b = objs[nid][id] * obj_full_size(id);
			node_stat[nid][cache_vmstat_idx(id)] += (int64_t)b;
			bytes += b;
		}
	}
	return bytes;
}

/* The owners' objcgs in a checkpoint: each field once, where it first comes. */
struct objcg_stream {
	const struct machine *m;
	void (*put)(void *ctx, uint64_t v);
	uint64_t (*get)(void *ctx);
	void *ctx;
	const uint32_t *last;
	int bad;
};

static void save_objcg(uint32_t *objcg, enum kmem_cache_id id, uint64_t n,
		       void *arg)
{
	struct objcg_stream *s = arg;

	(void)id;
	(void)n;
	if (objcg == s->last)
		return;
	s->last = objcg;
	s->put(s->ctx, *objcg);
}

static void load_objcg(uint32_t *objcg, enum kmem_cache_id id, uint64_t n,
		       void *arg)
{
	struct objcg_stream *s = arg;
	uint64_t v;

	(void)id;
	(void)n;
	if (objcg == s->last)
		return;
	s->last = objcg;
	v = s->get(s->ctx);
	if (v > UINT32_MAX ||
	    (v != OBJCG_NONE && !objcg_memcg(s->m, (uint32_t)v)))
		s->bad = 1;
	*objcg = s->bad ? OBJCG_NONE : (uint32_t)v;
}

void memcg_kmem_save(const struct machine *m,
		     void (*put)(void *ctx, uint64_t v), void *ctx)
{
	struct objcg_stream s = {.put = put, .ctx = ctx};
	uint32_t ino;

	for (ino = 1; ino < m->nr_inodes; ino++)
		if (m->inodes[ino])
			put(ctx, m->inodes[ino]->xa_charged);
	for_each_kmem_owner(m, save_objcg, &s);
}

int memcg_kmem_load(struct machine *m, uint64_t (*get)(void *ctx), void *ctx,
		    char *why, size_t size)
{
	struct objcg_stream s = {.m = m, .get = get, .ctx = ctx};
	uint64_t(*objs)[NR_KMEM_CACHES];
	uint32_t ino;
	int rc;

	for (ino = 1; ino < m->nr_inodes; ino++) {
		struct inode *inode = m->inodes[ino];

		if (!inode)
			continue;
		inode->objcg = inode->xa_objcg = OBJCG_NONE;
		inode->xa_charged = get(ctx);
		if (inode->xa_charged >
		    kmem_cache_state(m, KMEM_RADIX_TREE_NODE)->inuse) {
			snprintf(why, size,
				 "file %s: %llu index nodes charged, the "
				 "cache has fewer",
				 inode->path,
				 (unsigned long long)inode->xa_charged);
			return -EINVAL;
		}
	}
	for_each_kmem_owner(m, load_objcg, &s);
	if (s.bad) {
		snprintf(why, size,
			 "kernel objects are charged to a memory cgroup that "
			 "is not");
		return -EINVAL;
	}
	rc = memcg_kmem_tally(m, &objs);
	free(objs);
	if (rc == -EINVAL)
		snprintf(why, size,
			 "more objects of a slab cache are charged to memory "
			 "cgroups than the cache holds");
	return rc;
}

/*
 * count_memcgs(): each memcg's charged objects, as the owners name
 * them, with the bytes, pages and statistics they give.
 */
static int memcg_kmem_count(const struct machine *m, struct memcg_counts *c)
{
	uint64_t(*objs)[NR_KMEM_CACHES];
	uint32_t i;
	int rc = memcg_kmem_tally(m, &objs);

	c[0].slab_objs = objs;
	if (rc)
		return rc;
	for (i = 1; i < m->nr_memcgs; i++) {
		c[i].slab_objs = &objs[i * (uint32_t)m->nr_node_ids];
		c[i].kmem_bytes =
			kmem_account_objs(m, c[i].slab_objs, c[i].node_stat);
	}
	rc = memcg_percpu_count(m, c);
	/* slab and percpu bytes share the objcg's stock */
	for (i = 1; i < m->nr_memcgs; i++) {
		uint64_t pages = kmem_bytes_to_pages(c[i].kmem_bytes);

		c[i].own += pages;
		c[i].stat[MEMCG_KMEM] += (int64_t)pages;
	}
	return rc;
}

/* mem_cgroup_check(): the objects each memcg counts are the owners'. */
static int memcg_kmem_check(const struct machine *m,
			    const struct memcg_counts *c, char *why,
			    size_t size)
{
	uint32_t i;

	for (i = 1; i < m->nr_memcgs; i++) {
		const struct mem_cgroup *memcg = m->memcgs[i];

		if (!memcg)
			continue;
		if (!memcmp(memcg->slab_objs, c[i].slab_objs,
			    (size_t)m->nr_node_ids *
				    sizeof(*memcg->slab_objs)) &&
		    memcg->kmem_bytes == c[i].kmem_bytes &&
		    memcg->kmem_pages == kmem_bytes_to_pages(c[i].kmem_bytes))
			continue;
		snprintf(why, size,
			 "memcg %s: %llu bytes of kernel objects in %llu "
			 "pages charged, its objects' owners say %llu bytes",
			 memcg->cgroup->path,
			 (unsigned long long)memcg->kmem_bytes,
			 (unsigned long long)memcg->kmem_pages,
			 (unsigned long long)c[i].kmem_bytes);
		return -EUCLEAN;
	}
	return 0;
}

/* ---- percpu memory: the memcgs' own statistics ---- */

/*
 * The sizes of the two percpu structures mem_cgroup_alloc() makes, in a
 * 6.18 x86_64 kernel configured as Debian's (MEMCG_V1, SWAP, ZSWAP,
 * TRANSPARENT_HUGEPAGE, NUMA_BALANCING, HUGETLB_PAGE):
 *
 * memcg_node_stat_items[]: the LRU sizes (5), slab_reclaimable and
 * _unreclaimable (2), the workingset items (7), anon_mapped,
 * file_mapped, file_pages, file_dirty, writeback, shmem, shmem_thps,
 * file_thps, anon_thps, kernel_stack_kb, pagetable,
 * secondary_pagetable (12), swapcache, pgpromote_success,
 * pgdemote_kswapd/_direct/_khugepaged/_proactive (6) and hugetlb (1):
 * NR_MEMCG_NODE_STAT_ITEMS = 33.  memcg_stat_items[]: swap, sock,
 * percpu_b, vmalloc, kmem, zswap_b, zswapped: 7, so MEMCG_VMSTAT_SIZE
 * = 40.  memcg_vm_event_stat[]: pgpgin, pgpgout (v1), pswpin, pswpout,
 * pgscan and pgsteal of kswapd, direct, khugepaged and proactive (8),
 * pgfault, pgmajfault, pgrefill, pgactivate, pgdeactivate, pglazyfree,
 * pglazyfreed, swpin_zero, swpout_zero, zswpin, zswpout, zswpwb, four
 * THP events, three NUMA events: NR_MEMCG_EVENTS = 31.
 *
 * struct memcg_vmstats_percpu: an unsigned int of flush count and two
 * pointers (24 bytes with padding), then state[] and state_prev[] of
 * MEMCG_VMSTAT_SIZE longs and events[] and events_prev[] of
 * NR_MEMCG_EVENTS longs: 24 + 2 * 8 * (40 + 31) = 1160 bytes, and it is
 * ____cacheline_aligned, so 1216 bytes at 64-byte alignment.
 * struct lruvec_stats_percpu: state[] and state_prev[] of
 * NR_MEMCG_NODE_STAT_ITEMS longs: 2 * 8 * 33 = 528 bytes, 8-aligned.
 */
#define NR_MEMCG_NODE_STAT_ITEMS 33U
#define MEMCG_VMSTAT_SIZE (NR_MEMCG_NODE_STAT_ITEMS + 7U)
#define NR_MEMCG_EVENTS 31U
#define L1_CACHE_BYTES 64U
#define MEMCG_VMSTATS_PERCPU_SIZE                                 \
	((24U + 2U * 8U * (MEMCG_VMSTAT_SIZE + NR_MEMCG_EVENTS) + \
	  L1_CACHE_BYTES - 1) /                                   \
	 L1_CACHE_BYTES * L1_CACHE_BYTES)
#define LRUVEC_STATS_PERCPU_SIZE (2U * 8U * NR_MEMCG_NODE_STAT_ITEMS)

/* What @memcg's percpu memory charges: pcpu_obj_full_size() of each. */
static uint64_t memcg_percpu_bytes(const struct machine *m,
				   const struct mem_cgroup *memcg)
{
	uint64_t bytes = pcpu_obj_full_size(m, memcg->vmstats_percpu.size);
	int nid;

	for (nid = 0; nid < m->nr_node_ids; nid++)
		bytes += pcpu_obj_full_size(
			m, memcg->lruvec_stats_percpu[nid].size);
	return bytes;
}

/* obj_cgroup_charge() and _uncharge() of percpu bytes, and MEMCG_PERCPU_B. */
static void memcg_percpu_mod(struct machine *m, uint32_t objcg, int64_t bytes)
{
	struct mem_cgroup *memcg = objcg_memcg(m, objcg);

	if (objcg == OBJCG_NONE || !memcg)
		return;
	memcg->stat[MEMCG_PERCPU_B] += bytes;
	memcg_kmem_set_bytes(memcg, memcg->kmem_bytes + (uint64_t)bytes);
}

static void memcg_percpu_free_areas(struct machine *m, struct mem_cgroup *memcg)
{
	int nid;

	pcpu_free(m, &memcg->vmstats_percpu);
	for (nid = 0; nid < m->nr_node_ids; nid++)
		pcpu_free(m, &memcg->lruvec_stats_percpu[nid]);
}

int mem_cgroup_percpu_alloc(struct machine *m, struct mem_cgroup *memcg)
{
	struct mem_cgroup *parent = parent_mem_cgroup(memcg);
	int nid, rc;

	rc = pcpu_alloc(m, MEMCG_VMSTATS_PERCPU_SIZE, L1_CACHE_BYTES,
			&memcg->vmstats_percpu);
	for (nid = 0; nid < m->nr_node_ids && !rc; nid++)
		rc = pcpu_alloc(m, LRUVEC_STATS_PERCPU_SIZE, sizeof(int64_t),
				&memcg->lruvec_stats_percpu[nid]);
	if (rc) {
		memcg_percpu_free_areas(m, memcg);
		return rc;
	}
	/* mem_cgroup_css_alloc() makes it with the parent active */
	memcg->css_objcg = mem_cgroup_objcg(parent, 0);
	memcg_percpu_mod(m, memcg->css_objcg,
			 (int64_t)memcg_percpu_bytes(m, memcg));
	return 0;
}

/*
 * The slab objects of a group's mem_cgroup_alloc(): the mem_cgroup itself
 * (2176 bytes and a pointer a node, kmalloc-4k, not accounted), its
 * memcg_vmstats (1712 bytes: kmalloc-cg-2k), and on each node its
 * mem_cgroup_per_node (512: kmalloc-cg-512) and lruvec_stats (792:
 * kmalloc-cg-1k), the sizes of 6.18's structures.  The accounted ones
 * are charged to css_objcg, on the node they are made on.
 */
#define MEM_CGROUP_SIZE 2176U

static size_t mem_cgroup_struct_size(const struct machine *m)
{
	return MEM_CGROUP_SIZE + sizeof(uint64_t) * (size_t)m->nr_node_ids;
}

static uint32_t css_objcg_on(const struct mem_cgroup *memcg, int nid)
{
	if (memcg->css_objcg == OBJCG_NONE)
		return OBJCG_NONE;
	return objcg_make(objcg_memcg_id(memcg->css_objcg), nid);
}

/* Each accounted object of @memcg's, with the objcg it is charged to. */
static void memcg_css_slab_objects(const struct mem_cgroup *memcg,
				   kmem_owner_fn fn, void *arg)
{
	uint32_t objcg = css_objcg_on(memcg, 0);
	int nid;

	fn(&objcg, KMEM_KMALLOC_CG_2K, 1, arg);
	for (nid = 0; nid < memcg->machine->nr_node_ids; nid++) {
		objcg = css_objcg_on(memcg, nid);
		fn(&objcg, KMEM_KMALLOC_CG_512, 1, arg);
		fn(&objcg, KMEM_KMALLOC_CG_1K, 1, arg);
	}
}

/* mem_cgroup_per_node and lruvec_stats, made on each node */
static const enum kmem_cache_id memcg_node_caches[] = {
	KMEM_KMALLOC_CG_512,
	KMEM_KMALLOC_CG_1K,
};

static int memcg_node_slab_alloc(struct machine *m, struct mem_cgroup *memcg,
				 int nid)
{
	return kmem_cache_alloc_set(m, memcg_node_caches, 2, nid,
				    css_objcg_on(memcg, nid));
}

static void memcg_node_slab_free(struct machine *m, struct mem_cgroup *memcg,
				 int nid)
{
	kmem_cache_free_set(m, memcg_node_caches, 2, css_objcg_on(memcg, nid));
}

static int memcg_css_slab_alloc(struct machine *m, struct mem_cgroup *memcg)
{
	int nid = 0, rc;

	rc = kmalloc_n(m, mem_cgroup_struct_size(m), 1, 0);
	if (rc)
		return rc;
	rc = kmem_cache_alloc_objcg(m, KMEM_KMALLOC_CG_2K, 1, 0,
				    css_objcg_on(memcg, 0));
	if (rc)
		goto free_memcg;
	for (nid = 0; nid < m->nr_node_ids; nid++) {
		rc = memcg_node_slab_alloc(m, memcg, nid);
		if (rc)
			goto free_nodes;
	}
	return 0;
free_nodes:
	while (nid--)
		memcg_node_slab_free(m, memcg, nid);
	kmem_cache_free_objcg(m, KMEM_KMALLOC_CG_2K, 1, css_objcg_on(memcg, 0));
free_memcg:
	kfree_n(m, mem_cgroup_struct_size(m), 1);
	return rc;
}

static void memcg_css_slab_free(struct machine *m, struct mem_cgroup *memcg)
{
	int nid;

	for (nid = 0; nid < m->nr_node_ids; nid++)
		memcg_node_slab_free(m, memcg, nid);
	kmem_cache_free_objcg(m, KMEM_KMALLOC_CG_2K, 1, css_objcg_on(memcg, 0));
	kfree_n(m, mem_cgroup_struct_size(m), 1);
}

static void mem_cgroup_percpu_free(struct machine *m, struct mem_cgroup *memcg)
{
	memcg_percpu_mod(m, memcg->css_objcg,
			 -(int64_t)memcg_percpu_bytes(m, memcg));
	memcg->css_objcg = OBJCG_NONE;
	memcg_percpu_free_areas(m, memcg);
}

/* The bytes a new group's structures charge its parent. */
static uint64_t memcg_css_bytes(const struct machine *m)
{
	uint64_t node = pcpu_obj_full_size(m, LRUVEC_STATS_PERCPU_SIZE) +
			obj_full_size(KMEM_KMALLOC_CG_512) +
			obj_full_size(KMEM_KMALLOC_CG_1K);

	return pcpu_obj_full_size(m, MEMCG_VMSTATS_PERCPU_SIZE) +
	       obj_full_size(KMEM_KMALLOC_CG_2K) +
	       node * (uint64_t)m->nr_node_ids;
}

int mem_cgroup_css_make_room(struct machine *m, struct mem_cgroup *parent)
{
	uint64_t nr = (memcg_css_bytes(m) + PAGE_SIZE - 1) / PAGE_SIZE;
	int rc;

	do
		rc = mem_cgroup_try_charge(m, parent, nr, 0);
	while (rc == -EAGAIN);
	return rc;
}

/*
 * A new group's percpu memory and slab objects, as mem_cgroup_alloc()
 * makes them; the root's slab objects are among the boot's.
 */
static int memcg_css_alloc(struct machine *m, struct mem_cgroup *memcg)
{
	int rc = mem_cgroup_percpu_alloc(m, memcg);

	if (rc || mem_cgroup_is_root(memcg))
		return rc;
	rc = memcg_css_slab_alloc(m, memcg);
	if (rc)
		mem_cgroup_percpu_free(m, memcg);
	return rc;
}

static void memcg_css_free(struct machine *m, struct mem_cgroup *memcg)
{
	if (!mem_cgroup_is_root(memcg))
		memcg_css_slab_free(m, memcg);
	mem_cgroup_percpu_free(m, memcg);
}

void mem_cgroup_percpu_areas(const struct machine *m, pcpu_area_fn fn,
			     void *arg)
{
	uint32_t i;
	int nid;

	for (i = 0; i < m->nr_memcgs; i++) {
		const struct mem_cgroup *memcg = m->memcgs[i];

		if (!memcg)
			continue;
		fn(&memcg->vmstats_percpu, arg);
		for (nid = 0; nid < m->nr_node_ids; nid++)
			fn(&memcg->lruvec_stats_percpu[nid], arg);
	}
}

/* count_memcgs(): the percpu bytes charged to each memcg's objcg. */
static int memcg_percpu_count(const struct machine *m, struct memcg_counts *c)
{
	uint32_t i;
	int bad = 0;

	for (i = 0; i < m->nr_memcgs; i++) {
		const struct mem_cgroup *memcg = m->memcgs[i];
		const struct mem_cgroup *to;
		uint64_t bytes;

		if (!memcg || memcg->css_objcg == OBJCG_NONE)
			continue;
		to = objcg_memcg(m, memcg->css_objcg);
		if (!to) {
			bad = 1;
			continue;
		}
		bytes = memcg_percpu_bytes(m, memcg);
		c[to->id].kmem_bytes += bytes;
		c[to->id].stat[MEMCG_PERCPU_B] += (int64_t)bytes;
	}
	return bad ? -EINVAL : 0;
}

static void save_area(const struct pcpu_area *a,
		      void (*put)(void *ctx, uint64_t v), void *ctx)
{
	put(ctx, a->chunk);
	put(ctx, a->off);
	put(ctx, a->size);
}

void mem_cgroup_percpu_save(const struct machine *m,
			    void (*put)(void *ctx, uint64_t v), void *ctx)
{
	uint32_t i;
	int nid;

	for (i = 0; i < m->nr_memcgs; i++) {
		const struct mem_cgroup *memcg = m->memcgs[i];

		if (!memcg)
			continue;
		put(ctx, memcg->css_objcg);
		save_area(&memcg->vmstats_percpu, put, ctx);
		for (nid = 0; nid < m->nr_node_ids; nid++)
			save_area(&memcg->lruvec_stats_percpu[nid], put, ctx);
	}
}

static int load_area(struct pcpu_area *a, uint32_t size,
		     uint64_t (*get)(void *ctx), void *ctx)
{
	uint64_t chunk = get(ctx), off = get(ctx), len = get(ctx);

	if (chunk > UINT32_MAX || off > UINT32_MAX || len != size)
		return -EINVAL;
	*a = (struct pcpu_area){(uint32_t)chunk, (uint32_t)off, size};
	return 0;
}

int mem_cgroup_percpu_load(struct machine *m, uint64_t (*get)(void *ctx),
			   void *ctx, char *why, size_t size)
{
	uint32_t i;
	int nid;

	for (i = 0; i < m->nr_memcgs; i++) {
		struct mem_cgroup *memcg = m->memcgs[i], *parent;
		uint64_t objcg;
		int bad;

		if (!memcg)
			continue;
		parent = parent_mem_cgroup(memcg);
		objcg = get(ctx);
		/*
		 * Charged to the parent's objcg, as made; a child of the
		 * root's to none, or to the root's once reparented there.
		 */
		if (objcg == OBJCG_NONE)
			bad = parent && !mem_cgroup_is_root(parent);
		else
			bad = !parent || objcg != objcg_make(parent->id, 0);
		bad = bad || load_area(&memcg->vmstats_percpu,
				       MEMCG_VMSTATS_PERCPU_SIZE, get, ctx);
		for (nid = 0; nid < m->nr_node_ids && !bad; nid++)
			bad = load_area(&memcg->lruvec_stats_percpu[nid],
					LRUVEC_STATS_PERCPU_SIZE, get, ctx);
		if (bad) {
			snprintf(why, size,
				 "memcg %s: its percpu memory is malformed (a "
				 "size, or the objcg charged, is not what "
				 "making it gives)",
				 memcg->cgroup->path);
			return -EINVAL;
		}
		memcg->css_objcg = (uint32_t)objcg;
	}
	return 0;
}
