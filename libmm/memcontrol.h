/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cgroup v2 memory controller (mm/memcontrol.c, mm/page_counter.c).
 *
 * Every cgroup with a memory css (the root, and the children of groups
 * with +memory in cgroup.subtree_control) has a struct mem_cgroup.  A
 * user page (anonymous, page cache, shmem, page tables, kernel stacks)
 * is charged when it is allocated to the memcg the allocation is made
 * for (m->active_memcg: the acting task's, or the root's), and that
 * memcg's id is kept with the frame (page_memcg()) until it is freed, so
 * that freeing uncharges the same group.  A charge counts in the group's
 * page_counter and in every ancestor's; a swap slot taken by a charged
 * page is charged to the swap counters alike.  Accounted slab objects
 * are charged in bytes through the memcg's obj_cgroup (see below).
 */
#ifndef MMSIM_MEMCONTROL_H
#define MMSIM_MEMCONTROL_H

#include <stddef.h>
#include <stdint.h>

#include "mm_types.h"
#include "mmzone.h"
#include "percpu.h"
#include "slab.h"
#include "swap.h"
#include "vmstat.h"

struct cgroup;
struct machine;
struct seq_buf;
struct task_struct;

/* LONG_MAX / PAGE_SIZE: "max" in memory.max and the other limits */
#define PAGE_COUNTER_MAX (INT64_MAX / PAGE_SIZE)

/*
 * What a safe point makes room for in the acting memcg: a fault's or a
 * read's worth of pages, as the kernel's per-cpu charge batch.
 */
#define MEMCG_CHARGE_BATCH 64

/* The ids a frame or swap slot names its memcg by: 0 is "none". */
#define MEM_CGROUP_ID_MAX 0xffff

struct page_counter {
	uint64_t usage; /* pages */
	uint64_t watermark; /* the highest usage: memory.peak */
	/* limits and protection, pages; PAGE_COUNTER_MAX for "max" */
	uint64_t max, high, min, low;
	/*
	 * The protection in effect (emin, elow): min and low as the
	 * parent's own protection and the siblings' claims on it allow,
	 * worked out by reclaim as it walks the tree, parents first.
	 */
	uint64_t emin, elow;
};

/* memory.events, memory.events.local and memory.swap.events */
enum memcg_memory_event {
	MEMCG_LOW,
	MEMCG_HIGH,
	MEMCG_MAX,
	MEMCG_OOM,
	MEMCG_OOM_KILL,
	MEMCG_OOM_GROUP_KILL,
	MEMCG_SWAP_HIGH,
	MEMCG_SWAP_MAX,
	MEMCG_SWAP_FAIL,
	MEMCG_NR_MEMORY_EVENTS
};

/*
 * The memcg-only state items (memcg_stat_item): what memory.stat shows
 * besides the node items.
 */
enum memcg_stat_item {
	MEMCG_SWAP, /* swap slots charged; over the subtree, swap.current */
	MEMCG_KMEM, /* kernel memory charged: "kernel" */
	MEMCG_PERCPU_B, /* bytes of percpu memory charged: "percpu" */
	NR_MEMCG_ITEMS
};

struct mem_cgroup {
	struct machine *machine;
	struct cgroup *cgroup;
	uint16_t id; /* what frames, swap slots and shadows name it by */
	struct page_counter memory, swap;
	int oom_group; /* memory.oom.group */
	/* hierarchical (memory.events) and own (memory.events.local) */
	uint64_t memory_events[MEMCG_NR_MEMORY_EVENTS];
	uint64_t memory_events_local[MEMCG_NR_MEMORY_EVENTS];
	/*
	 * The node state items of its own pages, by node (lruvec_stat):
	 * memory.numa_stat, and summed over nodes and the subtree,
	 * memory.stat.  Kept as the frames change, like the node's own.
	 */
	int64_t (*node_stat)[NR_VM_NODE_STAT_ITEMS]; /* [nr_node_ids] */
	int64_t stat[NR_MEMCG_ITEMS];
	/* its own events (pgfault, pgscan_*...), summed over the subtree */
	uint64_t events[NR_VM_EVENT_ITEMS];
	struct lruvec *lruvec; /* [nr_node_ids]: its pages' LRU lists */
	/*
	 * Its obj_cgroup: the kernel objects charged to it (not to its
	 * children), by node and cache; their bytes (object and objcg
	 * pointer, obj_full_size()); and the pages charged for them, the
	 * bytes rounded up (what is left over is the objcg's stock,
	 * nr_charged_bytes).
	 */
	uint64_t (*slab_objs)[NR_KMEM_CACHES]; /* [nr_node_ids] */
	uint64_t kmem_bytes;
	uint64_t kmem_pages;
	/*
	 * What mem_cgroup_alloc() made it of, with the parent active: its
	 * statistics' percpu memory and its slab objects, charged to the
	 * parent's objcg (css_objcg, node 0's: OBJCG_NONE under the root,
	 * whose structures are the boot's).
	 */
	struct pcpu_area vmstats_percpu;
	struct pcpu_area *lruvec_stats_percpu; /* [nr_node_ids] */
	uint32_t css_objcg;
};

/* Whether pages in @state are charged to a memcg (user pages). */
int memcg_charged_state(enum page_state state);

/* The root's memcg, and the memcg a task's charges go to. */
struct mem_cgroup *root_mem_cgroup(const struct machine *m);
struct mem_cgroup *mem_cgroup_from_task(const struct machine *m,
					const struct task_struct *t);
/* The memcg with @id, or NULL. */
struct mem_cgroup *mem_cgroup_from_id(const struct machine *m, uint16_t id);
/* The parent's memcg, NULL for the root's. */
struct mem_cgroup *parent_mem_cgroup(const struct mem_cgroup *memcg);

/* @memcg's lists on node @nid (NULL or the root: the node's own). */
struct lruvec *mem_cgroup_lruvec(const struct machine *m,
				 struct mem_cgroup *memcg, int nid);

/* The memcg charged for the frame block at @pfn, or NULL if none. */
struct mem_cgroup *page_memcg(const struct machine *m, pfn_t pfn);

/*
 * count_memcg_folio_events(): an event of the page at @pfn, for the
 * machine and for the memcg it is charged to.
 */
void count_memcg_page_event(struct machine *m, pfn_t pfn,
			    enum vm_event_item item, uint64_t nr);

/* Hierarchical sums of a node item, and of an event, over nodes. */
uint64_t memcg_page_state(const struct mem_cgroup *memcg,
			  enum node_stat_item item);
uint64_t memcg_node_page_state(const struct mem_cgroup *memcg, int nid,
			       enum node_stat_item item);
uint64_t memcg_events(const struct mem_cgroup *memcg, enum vm_event_item ev);
/*
 * A node item over @memcg's subtree on node @nid; for NULL, the node's
 * own count, which holds the pages charged to no memcg as well.
 */
uint64_t mem_cgroup_node_page_state(const struct machine *m,
				    const struct mem_cgroup *memcg, int nid,
				    enum node_stat_item item);
uint64_t memcg_stat(const struct mem_cgroup *memcg, enum memcg_stat_item item);

/*
 * set_active_memcg(): the memcg the allocations that follow are charged
 * to (NULL: the root's); returns the one before, to be put back.
 */
struct mem_cgroup *set_active_memcg(struct machine *m,
				    struct mem_cgroup *memcg);

/*
 * The frame block at @pfn, just given a charged state, is charged to
 * @memcg (NULL: the active memcg); and uncharged as it is freed.
 */
void mem_cgroup_charge_page(struct machine *m, pfn_t pfn,
			    struct mem_cgroup *memcg);
void mem_cgroup_uncharge_page(struct machine *m, pfn_t pfn);

/*
 * Swap charges (cgroup v2): a slot taken for a charged page is charged
 * to the page's memcg and its ancestors' swap counters, and the slot
 * keeps the memcg's id (swap_cgroup.h) until it is freed.
 *
 * mem_cgroup_try_charge_swap(): charge slot @entry for the page at
 * @pfn; @entry 0 means no slot was found (MEMCG_SWAP_FAIL).  -ENOMEM,
 * with MEMCG_SWAP_MAX and MEMCG_SWAP_FAIL, when a memory.swap.max at or
 * above the page's memcg has no room: the page stays in memory.
 */
int mem_cgroup_try_charge_swap(struct machine *m, pfn_t pfn, swp_entry_t entry);
/* A freed slot's @nr pages leave the swap charge of the memcg @id. */
void mem_cgroup_uncharge_swap(struct machine *m, uint16_t id, uint64_t nr);
/*
 * mem_cgroup_swapin_charge_folio(): the memcg a page read back from slot
 * @entry is charged to: the slot's, whoever faults it in.
 */
struct mem_cgroup *mem_cgroup_swapin_memcg(const struct machine *m,
					   swp_entry_t entry);
/*
 * The slots @memcg may still take: the free ones, but no more than the
 * least room under memory.swap.max at it and above; can be negative
 * after a lowered swap.max.
 */
int64_t mem_cgroup_get_nr_swap_pages(const struct machine *m,
				     const struct mem_cgroup *memcg);
/*
 * Whether a swap cache page at @pfn should give up its slot: swap is
 * half full, or the page's memcg or an ancestor has used half its
 * memory.swap.high or memory.swap.max.
 */
int mem_cgroup_swap_full(const struct machine *m, pfn_t pfn);

/* The node statistics the block at @pfn counts in, or NULL. */
int64_t *memcg_node_stat_of(const struct machine *m, pfn_t pfn);

/*
 * Lifetime: the root's memcg with the machine; then a memcg for every
 * group that has a memory css and none for the others, after mkdir or
 * a change of cgroup.subtree_control; and a group's before rmdir.
 */
int mem_cgroup_init(struct machine *m);
void mem_cgroup_exit(struct machine *m);
int mem_cgroup_sync_css(struct machine *m);
void mem_cgroup_css_free(struct machine *m, struct cgroup *cgrp);

/*
 * memcg_memory_event(): an event of @memcg, counted in its own
 * memory.events.local and in memory.events of it and its ancestors.
 */
void memcg_memory_event(struct mem_cgroup *memcg,
			enum memcg_memory_event event);

/* Whether @memcg is @root or below it. */
int mem_cgroup_is_descendant(const struct mem_cgroup *memcg,
			     const struct mem_cgroup *root);

/*
 * Protection in reclaim: mem_cgroup_calculate_protection() works out
 * @memcg's effective memory.min and memory.low for a reclaim aimed at
 * @target (NULL: global reclaim), after its parent's.  A group below its
 * effective min is not reclaimed; below its effective low only when
 * nothing unprotected is left.  mem_cgroup_protection(): the effective
 * values, for scaling the scan (0 for the root and the target itself).
 */
void mem_cgroup_calculate_protection(const struct mem_cgroup *target,
				     struct mem_cgroup *memcg);
int mem_cgroup_below_min(const struct mem_cgroup *target,
			 const struct mem_cgroup *memcg);
int mem_cgroup_below_low(const struct mem_cgroup *target,
			 const struct mem_cgroup *memcg);
void mem_cgroup_protection(const struct mem_cgroup *target,
			   const struct mem_cgroup *memcg, uint64_t *min,
			   uint64_t *low);

/*
 * mem_cgroup_get_oom_group(): the highest group from @victim's up to
 * the OOM domain @oom_domain (NULL: the root) with memory.oom.group set,
 * whose processes all die; NULL if none.
 */
struct mem_cgroup *mem_cgroup_get_oom_group(const struct machine *m,
					    struct mem_cgroup *victim,
					    struct mem_cgroup *oom_domain);

/*
 * mem_cgroup_alloc()'s percpu memory: @memcg's per-CPU statistics, made
 * while its parent is the active memcg, so charged to the parent's objcg
 * (MEMCG_PERCPU_B and the kmem pages).  The root's are the boot's and
 * charge nobody.  0 or -ENOMEM with nothing allocated.  Freed with the
 * memcg, uncharged from the objcg it was charged to.
 */
int mem_cgroup_percpu_alloc(struct machine *m, struct mem_cgroup *memcg);
/*
 * The return to user space of a task of @memcg that charged pages while
 * a group at or above its own was over memory.high (or memory.swap.high)
 * in this operation (m->memcg_nr_pages_over_high): reclaim having left
 * the group that far over, the task sleeps (mem_cgroup_handle_over_high()),
 * a memory stall of its groups.  Consumes the count.
 */
void mem_cgroup_handle_over_high(struct machine *m, struct mem_cgroup *memcg);
/*
 * The safe point before a group is made below @parent, which its
 * structures are charged to: at its limit @parent reclaims, then kills
 * inside itself.  0, or -ENOMEM when no room could be made (mkdir
 * fails, as when mem_cgroup_css_alloc()'s charges fail).
 */
int mem_cgroup_css_make_room(struct machine *m, struct mem_cgroup *parent);
/* Every memcg's percpu allocations, for the percpu checker. */
void mem_cgroup_percpu_areas(const struct machine *m, pcpu_area_fn fn,
			     void *arg);
/*
 * Checkpoint: each memcg's objcg charged and allocations, in id order;
 * load after the memcgs and the percpu chunks.  0, or -EINVAL with the
 * reason in @why.
 */
void mem_cgroup_percpu_save(const struct machine *m,
			    void (*put)(void *ctx, uint64_t v), void *ctx);
int mem_cgroup_percpu_load(struct machine *m, uint64_t (*get)(void *ctx),
			   void *ctx, char *why, size_t size);

/* memory.stat of @memcg, as the kernel formats it. */
void memory_stat_format(const struct machine *m,
			const struct mem_cgroup *memcg, struct seq_buf *s);

/* memory.numa_stat: memory.stat's node items, per node. */
void memory_numa_stat_format(const struct machine *m,
			     const struct mem_cgroup *memcg, struct seq_buf *s);

/* The memcg part of an OOM report: usage, limits, and its memory.stat. */
void mem_cgroup_print_oom_meminfo(struct machine *m,
				  const struct mem_cgroup *memcg);

/* Whether @memcg and its ancestors have room for @nr more pages. */
int mem_cgroup_has_room(struct mem_cgroup *memcg, uint64_t nr);

/*
 * try_charge() at a safe point: room for @nr more pages in @memcg and
 * every ancestor.  Over memory.high, reclaim back toward it (MEMCG_HIGH);
 * at memory.max, reclaim from the group at its limit (MEMCG_MAX) and,
 * failing that, its OOM killer (MEMCG_OOM).  0, -EAGAIN when a task was
 * killed (the task array moved), -EINTR when @current_pid was, -ENOMEM
 * when nothing could be killed.
 */
int mem_cgroup_try_charge(struct machine *m, struct mem_cgroup *memcg,
			  uint64_t nr, int current_pid);

/*
 * Kernel objects (slab) are charged per object, through the obj_cgroup
 * of the memcg the allocation is made for.  Their owners (a task, an mm,
 * a VMA, an inode, a file's index) keep that objcg, so that freeing
 * uncharges the same group, as the kernel's per-object objcg pointer
 * does: a u32 packing the memcg id and the node the objects count on.
 * OBJCG_NONE: not charged (the root's own allocations have no objcg).
 * A group's rmdir hands its objcg to the parent: the owners' objcgs are
 * rewritten, and may then name the root.
 */
#define OBJCG_NONE 0U

static inline uint32_t objcg_make(uint16_t memcg_id, int nid)
{
	return memcg_id ? (uint32_t)nid << 16 | memcg_id : OBJCG_NONE;
}

static inline uint16_t objcg_memcg_id(uint32_t objcg)
{
	return (uint16_t)objcg;
}

static inline int objcg_nid(uint32_t objcg)
{
	return (int)(objcg >> 16);
}

/*
 * current_obj_cgroup(): the objcg of accounted allocations made now on
 * node @nid: the active memcg's, none for the root's.
 */
uint32_t current_obj_cgroup(const struct machine *m, int nid);
/* The same for allocations made on behalf of @memcg (NULL: the root). */
uint32_t mem_cgroup_objcg(const struct mem_cgroup *memcg, int nid);

/*
 * memcg_slab_post_alloc_hook() and memcg_slab_free_hook(): @n objects of
 * cache @id, just allocated or about to be freed, charged to or
 * uncharged from @objcg.  The page counters see whole pages: charging
 * takes a page when the objcg's stock of bytes runs out.  Nothing for
 * OBJCG_NONE.
 */
void memcg_slab_charge(struct machine *m, uint32_t objcg, enum kmem_cache_id id,
		       uint64_t n);
void memcg_slab_uncharge(struct machine *m, uint32_t objcg,
			 enum kmem_cache_id id, uint64_t n);

/*
 * What owners of charged objects show the controller: @fn is called
 * with each objcg field and the objects charged through it, cache by
 * cache (the same field may come several times in a row, one a cache).
 */
typedef void (*kmem_owner_fn)(uint32_t *objcg, enum kmem_cache_id id,
			      uint64_t n, void *arg);

/*
 * Each owner's subsystem says what it holds: a task its task_struct,
 * pid, creds, signal and sighand, files and fs (fork.c); an mm its
 * mm_struct and VMAs with their anon_vmas (vma.c); an inode its inode,
 * dentry and charged index nodes (filemap.c).
 */
struct inode;
struct mm_struct;
void task_kmem_objects(struct task_struct *t, kmem_owner_fn fn, void *arg);
void mm_kmem_objects(struct mm_struct *mm, kmem_owner_fn fn, void *arg);
void inode_kmem_objects(struct inode *inode, kmem_owner_fn fn, void *arg);

/*
 * Checkpoint of the objects' attribution: every owner's objcg (and each
 * file index's charged nodes), in the owners' order.  Load after the
 * tasks, inodes and caches; validates every objcg against the memcgs.
 * 0, or -EINVAL with the reason in @why.
 */
void memcg_kmem_save(const struct machine *m,
		     void (*put)(void *ctx, uint64_t v), void *ctx);
int memcg_kmem_load(struct machine *m, uint64_t (*get)(void *ctx), void *ctx,
		    char *why, size_t size);

/*
 * Checkpoint: the memcgs' settings and events; then usage from frames
 * and swap slots.
 */
void mem_cgroup_save(const struct machine *m,
		     void (*put)(void *ctx, uint64_t v), void *ctx);
int mem_cgroup_load(struct machine *m, uint64_t (*get)(void *ctx), void *ctx);
int mem_cgroup_rebuild(struct machine *m);

/*
 * mmsim check: a memcg for each group with a memory css, and every
 * usage and statistic equal to what the frames and slots give.
 */
int mem_cgroup_check(const struct machine *m, char *why, size_t size);

/*
 * The writes to the limit files, in pages (the caller parsed them): set
 * the limit and do what the kernel does at once: memory.max reclaims
 * down to it and OOM-kills inside the group if it cannot (MEMCG_MAX,
 * MEMCG_OOM, MEMCG_OOM_KILL events); memory.high reclaims toward it;
 * the others only set.  0, or -EINTR if the writer... (never here).
 */
int mem_cgroup_set_max(struct machine *m, struct mem_cgroup *memcg,
		       uint64_t pages);
int mem_cgroup_set_high(struct machine *m, struct mem_cgroup *memcg,
			uint64_t pages);
void mem_cgroup_set_min(struct mem_cgroup *memcg, uint64_t pages);
void mem_cgroup_set_low(struct mem_cgroup *memcg, uint64_t pages);
void mem_cgroup_set_swap_max(struct mem_cgroup *memcg, uint64_t pages);
void mem_cgroup_set_swap_high(struct mem_cgroup *memcg, uint64_t pages);

#endif
