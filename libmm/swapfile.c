// SPDX-License-Identifier: GPL-2.0
/*
 * Swap areas and their slots (mm/swapfile.c): swapon and swapoff, slot
 * allocation by priority, the per-slot reference counts (swap_map) and
 * the swap invariants.
 *
 * A slot's count is the number of page-table entries naming it, plus
 * SWAP_HAS_CACHE while a page of the swap cache holds its data in
 * memory.  A slot is free when its count is 0.  Areas of the same
 * priority take turns, as the kernel's rotating plist makes them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filemap_internal.h"
#include "machine.h"
#include "memcontrol.h"
#include "mm_internal.h"
#include "page_alloc.h"
#include "printk.h"
#include "seq_buf.h"
#include "swap.h"
#include "swap_cgroup.h"
#include "tlb.h"
#include "vmstat.h"
#include "workingset.h"

uint64_t total_swap_pages(const struct machine *m)
{
	uint64_t sum = 0;
	int type;

	for (type = 0; type < m->swap.nr_swapfiles; type++) {
		const struct swap_info_struct *si = m->swap.info[type];

		if (si && (si->flags & SWP_WRITEOK))
			sum += si->pages;
	}
	return sum;
}

uint64_t nr_free_swap_pages(const struct machine *m)
{
	uint64_t sum = 0;
	int type;

	for (type = 0; type < m->swap.nr_swapfiles; type++) {
		const struct swap_info_struct *si = m->swap.info[type];

		if (si && (si->flags & SWP_WRITEOK))
			sum += si->pages - si->inuse_pages;
	}
	return sum;
}

int vm_swap_full(const struct machine *m)
{
	return nr_free_swap_pages(m) * 2 < total_swap_pages(m);
}

const struct swap_info_struct *swap_info(const struct machine *m, int type)
{
	if (type < 0 || type >= m->swap.nr_swapfiles)
		return NULL;
	return m->swap.info[type];
}

/* The area and slot of @entry, or NULL if it names no slot in use. */
static struct swap_info_struct *swap_slot(const struct machine *m,
					  swp_entry_t entry)
{
	struct swap_info_struct *si;
	unsigned int type = swp_type(entry);
	uint64_t offset = swp_offset(entry);

	if ((int)type >= m->swap.nr_swapfiles)
		return NULL;
	si = m->swap.info[type];
	if (!si || !offset || offset >= si->max || !si->swap_map[offset])
		return NULL;
	return si;
}

static struct swap_info_struct *swap_area_alloc(const char *name,
						uint64_t max)
{
	struct swap_info_struct *si = calloc(1, sizeof(*si));
	uint64_t i;

	if (!si)
		return NULL;
	si->swap_map = calloc(max, sizeof(*si->swap_map));
	si->swap_cache = malloc(max * sizeof(*si->swap_cache));
	si->max = max;
	if (!si->swap_map || !si->swap_cache || swap_cgroup_swapon(si)) {
		free(si->swap_map);
		free(si->swap_cache);
		free(si);
		return NULL;
	}
	for (i = 0; i < max; i++)
		si->swap_cache[i] = PFN_NONE;
	snprintf(si->name, sizeof(si->name), "%s", name);
	si->pages = max - 1;
	si->cluster_next = 1;
	si->partition = !strncmp(name, "/dev/", 5);
	return si;
}

static void swap_area_free(struct swap_info_struct *si)
{
	if (!si)
		return;
	free(si->swap_map);
	free(si->swap_cache);
	free(si->shadow);
	swap_cgroup_swapoff(si);
	free(si);
}

void swap_free_all(struct machine *m)
{
	int type;

	for (type = 0; type < MAX_SWAPFILES; type++) {
		swap_area_free(m->swap.info[type]);
		m->swap.info[type] = NULL;
	}
	m->swap.nr_swapfiles = 0;
}

static int swap_type_of(const struct machine *m, const char *name)
{
	int type;

	for (type = 0; type < m->swap.nr_swapfiles; type++)
		if (m->swap.info[type] &&
		    !strcmp(m->swap.info[type]->name, name))
			return type;
	return -1;
}

/* Install @si as @type: the loader's and swapon's common half. */
static void swap_install(struct machine *m, int type,
			 struct swap_info_struct *si, int prio)
{
	si->prio = prio;
	si->flags = SWP_USED | SWP_WRITEOK;
	m->swap.info[type] = si;
	if (type >= m->swap.nr_swapfiles)
		m->swap.nr_swapfiles = type + 1;
}

int swapon(struct machine *m, const char *name, uint64_t bytes, int prio,
	   int has_prio, struct seq_buf *err)
{
	uint64_t max = bytes >> PAGE_SHIFT;
	struct swap_info_struct *si;
	int type;

	if (name[0] != '/' || strlen(name) >= SWAP_NAME_LEN) {
		seq_printf(err, "swapon: '%s' is not an absolute path", name);
		return -EINVAL;
	}
	if (swap_type_of(m, name) >= 0) {
		seq_printf(err, "swapon: %s: already in use", name);
		return -EBUSY;
	}
	if (max < SWAP_MIN_PAGES || max > SWAP_MAX_PAGES) {
		seq_printf(err,
			   "swapon: %s: a swap area takes 40K to %lluG",
			   name, (unsigned long long)(SWAP_MAX_PAGES >> 18));
		return -EINVAL;
	}
	for (type = 0; type < MAX_SWAPFILES; type++)
		if (!m->swap.info[type])
			break;
	if (type == MAX_SWAPFILES) {
		seq_printf(err, "swapon: %s: already %d swap areas", name,
			   MAX_SWAPFILES);
		return -EPERM;
	}
	si = swap_area_alloc(name, max);
	if (!si) {
		seq_puts(err, "swapon: out of memory");
		return -ENOMEM;
	}
	if (!has_prio)
		prio = --m->swap.least_priority;
	swap_install(m, type, si, prio);
	pr_info(m,
		"Adding %lluk swap on %s.  Priority:%d extents:1 "
		"across:%lluk SS\n",
		(unsigned long long)(si->pages << (PAGE_SHIFT - 10)), name,
		prio, (unsigned long long)(si->pages << (PAGE_SHIFT - 10)));
	return 0;
}

int swap_restore_area(struct machine *m, int type, const char *name,
		      uint64_t max, int prio, uint8_t partition)
{
	struct swap_info_struct *si;

	if (type < 0 || type >= MAX_SWAPFILES || m->swap.info[type] ||
	    max < SWAP_MIN_PAGES || max > SWAP_MAX_PAGES)
		return -EINVAL;
	si = swap_area_alloc(name, max);
	if (!si)
		return -ENOMEM;
	si->partition = partition;
	swap_install(m, type, si, prio);
	return 0;
}

/* scan_swap_map_slots(): the next free slot at or after cluster_next. */
static uint64_t scan_swap_map(struct swap_info_struct *si)
{
	uint64_t offset = si->cluster_next, n;

	for (n = 0; n < si->pages; n++) {
		if (offset >= si->max)
			offset = 1;
		if (!si->swap_map[offset]) {
			si->cluster_next = offset + 1;
			return offset;
		}
		offset++;
	}
	return 0;
}

/*
 * get_swap_pages(): a slot of the highest-priority area with room; among
 * areas of one priority, the one after the last that gave a slot.
 */
static int get_swap_page(struct machine *m, swp_entry_t *entry)
{
	int best = -1, n, type;

	for (n = 1; n <= MAX_SWAPFILES; n++) {
		const struct swap_info_struct *si;

		type = (m->swap.last_type + n) % MAX_SWAPFILES;
		si = type < m->swap.nr_swapfiles ? m->swap.info[type] : NULL;
		if (!si || !(si->flags & SWP_WRITEOK) ||
		    si->inuse_pages == si->pages)
			continue;
		if (best < 0 || si->prio > m->swap.info[best]->prio)
			best = type;
	}
	if (best < 0)
		return -ENOSPC;
	*entry = swp_entry((unsigned int)best,
			   scan_swap_map(m->swap.info[best]));
	m->swap.last_type = best;
	return 0;
}

swp_entry_t page_swap_entry(const struct page *page)
{
	return page->private;
}

unsigned int swap_count(const struct machine *m, swp_entry_t entry)
{
	const struct swap_info_struct *si = swap_slot(m, entry);

	return si ? si->swap_map[swp_offset(entry)] & SWAP_MAP_MAX : 0;
}

pfn_t swap_cache_lookup(const struct machine *m, swp_entry_t entry)
{
	const struct swap_info_struct *si = swap_slot(m, entry);

	return si ? si->swap_cache[swp_offset(entry)] : PFN_NONE;
}

static void set_swapcache(struct machine *m, pfn_t pfn, int cached,
			  uint16_t dirty)
{
	const struct page *page = pfn_to_page(m, pfn);
	struct page_use use = {.state = (enum page_state)page->state,
			       .flags = page->flags,
			       .owner = page->owner};

	use.flags &= (uint16_t) ~(PG_swapcache | PG_mapped | PG_dirty);
	if (cached)
		use.flags |= PG_swapcache | dirty |
			     (page->mapcount ? PG_mapped : 0);
	set_page_use(m, pfn, &use);
}

/* swap_cache_add(): @pfn caches the slot @entry, which it holds. */
static void swap_cache_add(struct machine *m, swp_entry_t entry, pfn_t pfn,
			   uint16_t dirty)
{
	struct swap_info_struct *si = m->swap.info[swp_type(entry)];
	uint64_t offset = swp_offset(entry);

	if (!si->swap_map[offset])
		si->inuse_pages++;
	si->swap_map[offset] |= SWAP_HAS_CACHE;
	si->swap_cache[offset] = pfn;
	pfn_to_page(m, pfn)->private = entry;
	set_swapcache(m, pfn, 1, dirty);
}

int add_to_swap(struct machine *m, pfn_t pfn)
{
	swp_entry_t entry = 0;
	int rc;

	rc = get_swap_page(m, &entry);
	/* MEMCG_SWAP_FAIL is counted for a page that found no slot, too */
	if (mem_cgroup_try_charge_swap(m, pfn, entry))
		return -ENOMEM;
	if (rc)
		return rc;
	/* the slot holds nothing yet: the page must be written */
	swap_cache_add(m, entry, pfn, PG_dirty);
	return 0;
}

int swap_entry_valid(const struct machine *m, swp_entry_t entry)
{
	const struct swap_info_struct *si = swap_info(m, (int)swp_type(entry));

	return si && swp_offset(entry) && swp_offset(entry) < si->max;
}

uint64_t swap_shadow(const struct machine *m, swp_entry_t entry)
{
	const struct swap_info_struct *si = swap_slot(m, entry);

	return si && si->shadow ? si->shadow[swp_offset(entry)] : SHADOW_NONE;
}

/* Slot @offset keeps @shadow; without room for it, it is forgotten. */
static void set_swap_shadow(struct swap_info_struct *si, uint64_t offset,
			    uint64_t shadow)
{
	if (!si->shadow && shadow != SHADOW_NONE)
		si->shadow = calloc(si->max, sizeof(*si->shadow));
	if (si->shadow)
		si->shadow[offset] = shadow;
}

void swap_cache_insert(struct machine *m, swp_entry_t entry, pfn_t pfn)
{
	struct swap_info_struct *si = m->swap.info[swp_type(entry)];
	uint64_t shadow = swap_shadow(m, entry);

	swap_cache_add(m, entry, pfn, 0);
	set_swap_shadow(si, swp_offset(entry), SHADOW_NONE);
	workingset_refault(m, pfn, shadow);
}

int swap_restore_shadow(struct machine *m, swp_entry_t entry,
			uint64_t shadow)
{
	struct swap_info_struct *si = swap_slot(m, entry);
	uint64_t offset = swp_offset(entry);

	if (!si || !si->swap_map[offset] ||
	    si->swap_cache[offset] != PFN_NONE ||
	    !workingset_shadow_valid(m, shadow))
		return -EINVAL;
	set_swap_shadow(si, offset, shadow);
	return si->shadow ? 0 : -ENOMEM;
}

int swap_restore_cache(struct machine *m, swp_entry_t entry, pfn_t pfn)
{
	struct swap_info_struct *si;
	uint64_t offset = swp_offset(entry);

	if ((int)swp_type(entry) >= m->swap.nr_swapfiles)
		return -EINVAL;
	si = m->swap.info[swp_type(entry)];
	if (!si || !offset || offset >= si->max ||
	    si->swap_cache[offset] != PFN_NONE)
		return -EINVAL;
	if (!si->swap_map[offset])
		si->inuse_pages++;
	si->swap_map[offset] |= SWAP_HAS_CACHE;
	si->swap_cache[offset] = pfn;
	return 0;
}

/*
 * A slot's count dropped: it is free when nothing refers to it, and its
 * swap charge goes with it.
 */
static void swap_slot_put(struct machine *m, struct swap_info_struct *si,
			  swp_entry_t entry)
{
	uint64_t offset = swp_offset(entry);

	if (!si->swap_map[offset]) {
		mem_cgroup_uncharge_swap(m, swap_cgroup_clear(m, entry), 1);
		set_swap_shadow(si, offset, SHADOW_NONE);
		si->inuse_pages--;
		if (offset < si->cluster_next)
			si->cluster_next = offset;
	}
}

/* delete_from_swap_cache(): the page no longer caches its slot. */
static void swap_cache_del(struct machine *m, pfn_t pfn)
{
	swp_entry_t entry = pfn_to_page(m, pfn)->private;
	struct swap_info_struct *si = m->swap.info[swp_type(entry)];
	uint64_t offset = swp_offset(entry);

	si->swap_cache[offset] = PFN_NONE;
	si->swap_map[offset] &= (uint16_t)~SWAP_HAS_CACHE;
	swap_slot_put(m, si, entry);
	pfn_to_page(m, pfn)->private = 0;
}

void swap_duplicate(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = m->swap.info[swp_type(entry)];

	si->swap_map[swp_offset(entry)]++;
}

void delete_from_swap_cache(struct machine *m, pfn_t pfn)
{
	swap_cache_del(m, pfn);
	set_swapcache(m, pfn, 0, 0);
}

int shmem_swap_out(struct machine *m, pfn_t pfn)
{
	struct swap_info_struct *si;
	swp_entry_t entry = 0;
	uint64_t shadow;
	int rc;

	rc = get_swap_page(m, &entry);
	if (mem_cgroup_try_charge_swap(m, pfn, entry))
		return -ENOSPC;
	if (rc)
		return rc;
	rc = shmem_replace_with_swap(m, pfn, entry);
	if (rc) {
		mem_cgroup_uncharge_swap(m, swap_cgroup_clear(m, entry), 1);
		return rc;
	}
	si = m->swap.info[swp_type(entry)];
	/* the file's reference; the page goes without lingering in the cache */
	si->swap_map[swp_offset(entry)] = 1;
	si->inuse_pages++;
	count_memcg_page_event(m, pfn, PSWPOUT, 1);
	shadow = workingset_eviction(m, pfn);
	set_swap_shadow(si, swp_offset(entry), shadow);
	free_pages(m, pfn, 0);
	return 0;
}

int try_to_free_swap(struct machine *m, pfn_t pfn)
{
	const struct page *page = pfn_to_page(m, pfn);

	if (!(page->flags & PG_swapcache) ||
	    swap_count(m, page->private))
		return 0;
	swap_cache_del(m, pfn);
	set_swapcache(m, pfn, 0, 0);
	return 1;
}

void free_swap_and_cache(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swap_slot(m, entry);
	uint64_t offset = swp_offset(entry);
	pfn_t pfn;

	if (!si || !(si->swap_map[offset] & SWAP_MAP_MAX))
		return;
	si->swap_map[offset]--;
	if (si->swap_map[offset] != SWAP_HAS_CACHE) {
		swap_slot_put(m, si, entry);
		return;
	}
	/*
	 * __try_to_reclaim_swap(): only the cache holds the slot.  A cached
	 * page nobody maps goes with it; a mapped one keeps the slot (a
	 * clean copy on disk) unless swap, or its memcg's, is getting full.
	 */
	pfn = si->swap_cache[offset];
	if (!pfn_to_page(m, pfn)->mapcount) {
		swap_cache_del(m, pfn);
		free_pages(m, pfn, 0);
	} else if (mem_cgroup_swap_full(m, pfn)) {
		try_to_free_swap(m, pfn);
	}
}

void swap_cache_reclaim(struct machine *m, pfn_t pfn, uint64_t shadow)
{
	swp_entry_t entry = pfn_to_page(m, pfn)->private;

	struct swap_info_struct *si = m->swap.info[swp_type(entry)];

	swap_cache_del(m, pfn);
	/* the slot outlives its page only while page tables name it */
	if (si->swap_map[swp_offset(entry)])
		set_swap_shadow(si, swp_offset(entry), shadow);
	free_pages(m, pfn, 0);
}

void swap_cache_replace(struct machine *m, pfn_t from, pfn_t to)
{
	const struct page *page = pfn_to_page(m, to);
	swp_entry_t entry = page->private;

	(void)from;
	if (page->state != PAGE_ANON || !(page->flags & PG_swapcache))
		return;
	m->swap.info[swp_type(entry)]->swap_cache[swp_offset(entry)] = to;
}

/*
 * try_to_unuse(): every page table's entries naming area @type get their
 * page back, read from the area unless the swap cache has it.
 */
static int unuse_mm(struct machine *m, struct task_struct *t, int type)
{
	struct mm_struct *mm = t->mm;
	uint32_t k;
	int rc;

	for (k = 0; k < mm->nr_vmas; k++) {
		struct vm_area_struct *vma = &mm->vmas[k];
		uint64_t addr;

		if (!vma->has_anon)
			continue;
		for (addr = vma->vm_start; addr < vma->vm_end;
		     addr += PAGE_SIZE) {
			struct pt_table *pt = pte_table(mm, addr);
			uint64_t pte;
			int major;

			if (!pt) {
				addr |= PMD_SIZE - 1;
				addr -= PAGE_SIZE - 1;
				continue;
			}
			pte = pt->entry[pte_index(addr)];
			if (!is_swap_pte(pte) ||
			    (int)swp_type(pte_to_swp_entry(pte)) != type)
				continue;
			rc = do_swap_page(m, t, vma, pt, addr, pte, 0, &major);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/*
 * Whether the pages of @si fit back: those not cached must come from the
 * free pages above the high watermarks, the file pages reclaim may drop
 * and the other areas' free slots.
 */
static int swapoff_fits(const struct machine *m,
			const struct swap_info_struct *si)
{
	uint64_t need = 0, room, offset, high = 0, free_pages_now;
	int nid, zi;

	for (offset = 1; offset < si->max; offset++)
		if ((si->swap_map[offset] & SWAP_MAP_MAX) &&
		    si->swap_cache[offset] == PFN_NONE)
			need++;
	for_each_online_node (nid, m)
		for (zi = 0; zi < MAX_NR_ZONES; zi++)
			high += high_wmark_pages(
				&NODE_DATA(m, nid)->node_zones[zi]);
	free_pages_now = (uint64_t)global_zone_page_state(m, NR_FREE_PAGES);
	room = free_pages_now > high ? free_pages_now - high : 0;
	room += global_node_page_state(m, NR_INACTIVE_FILE) +
		global_node_page_state(m, NR_ACTIVE_FILE);
	room += nr_free_swap_pages(m) - (si->pages - si->inuse_pages);
	return need <= room;
}

int swapoff(struct machine *m, const char *name, struct seq_buf *err)
{
	int type = swap_type_of(m, name), i, rc;
	struct swap_info_struct *si;
	uint64_t offset;

	if (type < 0) {
		seq_printf(err, "swapoff: %s: not a swap area in use", name);
		return -ENOENT;
	}
	si = m->swap.info[type];
	if (!swapoff_fits(m, si)) {
		seq_printf(err,
			   "swapoff: %s: its %llu pages in use do not fit in "
			   "memory",
			   name, (unsigned long long)si->inuse_pages);
		return -ENOMEM;
	}
	/* no new slots from here; reclaim may still use the other areas */
	si->flags &= (uint8_t)~SWP_WRITEOK;
	for (i = 0; i < m->nr_tasks; i++) {
		if (!m->tasks[i].mm || m->tasks[i].mm->owner != m->tasks[i].pid)
			continue;
		rc = unuse_mm(m, &m->tasks[i], type);
		if (rc) {
			si->flags |= SWP_WRITEOK;
			seq_printf(err, "swapoff: %s: cannot bring pages back",
				   name);
			return rc;
		}
	}
	rc = shmem_unuse(m, type);
	if (rc) {
		si->flags |= SWP_WRITEOK;
		seq_printf(err, "swapoff: %s: cannot bring shmem pages back",
			   name);
		return rc;
	}
	/* what is left are cached pages whose slots nothing else needs */
	for (offset = 1; offset < si->max; offset++) {
		pfn_t pfn = si->swap_cache[offset];

		if (pfn == PFN_NONE)
			continue;
		if (!pfn_to_page(m, pfn)->mapcount) {
			swap_cache_reclaim(m, pfn, SHADOW_NONE);
			continue;
		}
		swap_cache_del(m, pfn);
		set_swapcache(m, pfn, 0, 0);
	}
	/* areas with lower default priorities move up (the kernel's rule) */
	if (si->prio < 0) {
		for (i = 0; i < m->swap.nr_swapfiles; i++)
			if (m->swap.info[i] && i != type &&
			    m->swap.info[i]->prio < si->prio)
				m->swap.info[i]->prio++;
		m->swap.least_priority++;
	}
	swap_area_free(si);
	m->swap.info[type] = NULL;
	while (m->swap.nr_swapfiles && !m->swap.info[m->swap.nr_swapfiles - 1])
		m->swap.nr_swapfiles--;
	return 0;
}

/* One mm's swap entries, counted into @counts (per area, per slot). */
static void count_swap_entries(const struct mm_struct *mm,
			       uint32_t *const *counts, int nr_types,
			       uint64_t *nr)
{
	uint32_t k;

	for (k = 0; k < mm->nr_vmas; k++) {
		const struct vm_area_struct *vma = &mm->vmas[k];
		uint64_t addr;

		for (addr = vma->vm_start; addr < vma->vm_end;
		     addr += PAGE_SIZE) {
			const struct pt_table *pt = pte_table(mm, addr);
			swp_entry_t entry;
			uint64_t pte;

			if (!pt) {
				addr |= PMD_SIZE - 1;
				addr -= PAGE_SIZE - 1;
				continue;
			}
			pte = pt->entry[pte_index(addr)];
			if (!is_swap_pte(pte))
				continue;
			entry = pte_to_swp_entry(pte);
			(*nr)++;
			if ((int)swp_type(entry) < nr_types &&
			    counts[swp_type(entry)] &&
			    swp_offset(entry) <
				    (uint64_t)counts[swp_type(entry)][0])
				counts[swp_type(entry)][swp_offset(entry)]++;
		}
	}
}

/* The swap entries shmem files' indexes hold, counted into @counts. */
static void count_shmem_entries(const struct machine *m,
				uint32_t *const *counts, int nr_types)
{
	uint32_t ino;

	for (ino = 1; ino < m->nr_inodes; ino++) {
		const struct inode *inode = m->inodes[ino];
		uint64_t index = 0, value;
		swp_entry_t entry;

		if (!inode || !inode->swapped)
			continue;
		for (; (value = filemap_next_value(inode, &index)); index++) {
			if (!radix_is_swap(value))
				continue;
			entry = radix_to_swp_entry(value);
			if ((int)swp_type(entry) < nr_types &&
			    counts[swp_type(entry)] &&
			    swp_offset(entry) <
				    (uint64_t)counts[swp_type(entry)][0])
				counts[swp_type(entry)][swp_offset(entry)]++;
		}
	}
}

/*
 * The counts the page tables and shmem files give: counts[type][offset],
 * with the area's size in counts[type][0] (slot 0 is the header).
 */
static int tally_swap(const struct machine *m, uint32_t **counts)
{
	int type;

	for (type = 0; type < m->swap.nr_swapfiles; type++) {
		const struct swap_info_struct *si = m->swap.info[type];

		counts[type] = NULL;
		if (!si)
			continue;
		counts[type] = calloc(si->max, sizeof(**counts));
		if (!counts[type])
			return -ENOMEM;
		counts[type][0] = (uint32_t)si->max;
	}
	return 0;
}

static void free_tally(const struct machine *m, uint32_t **counts)
{
	int type;

	for (type = 0; type < m->swap.nr_swapfiles; type++)
		free(counts[type]);
}

int swap_rebuild_counts(struct machine *m)
{
	uint32_t *counts[MAX_SWAPFILES] = {0};
	int i, type, rc;

	rc = tally_swap(m, counts);
	for (i = 0; i < m->nr_tasks && !rc; i++) {
		const struct mm_struct *mm = m->tasks[i].mm;
		uint64_t nr = 0;

		if (mm && mm->owner == m->tasks[i].pid)
			count_swap_entries(mm, counts, m->swap.nr_swapfiles,
					   &nr);
	}
	if (!rc)
		count_shmem_entries(m, counts, m->swap.nr_swapfiles);
	for (type = 0; type < m->swap.nr_swapfiles && !rc; type++) {
		struct swap_info_struct *si = m->swap.info[type];
		uint64_t offset;

		if (!si)
			continue;
		for (offset = 1; offset < si->max; offset++) {
			uint32_t n = counts[type][offset];

			if (n > SWAP_MAP_MAX) {
				rc = -EUCLEAN;
				break;
			}
			if (!n)
				continue;
			if (!si->swap_map[offset])
				si->inuse_pages++;
			si->swap_map[offset] |= (uint16_t)n;
		}
	}
	free_tally(m, counts);
	return rc;
}

static int check_area(const struct machine *m, int type, const uint32_t *count,
		      char *why, size_t size)
{
	const struct swap_info_struct *si = m->swap.info[type];
	uint64_t offset, inuse = 0;

	for (offset = 1; offset < si->max; offset++) {
		uint16_t map = si->swap_map[offset];
		pfn_t pfn = si->swap_cache[offset];
		const struct page *page;

		inuse += !!map;
		if ((map & SWAP_MAP_MAX) != count[offset]) {
			snprintf(why, size,
				 "%s: slot %llu counts %u references, page "
				 "tables hold %u",
				 si->name, (unsigned long long)offset,
				 map & SWAP_MAP_MAX, count[offset]);
			return -EUCLEAN;
		}
		if (!!(map & SWAP_HAS_CACHE) != (pfn != PFN_NONE)) {
			snprintf(why, size,
				 "%s: slot %llu: cache flag and cache disagree",
				 si->name, (unsigned long long)offset);
			return -EUCLEAN;
		}
		if (pfn == PFN_NONE)
			continue;
		page = pfn_to_page(m, pfn);
		if (page->state != PAGE_ANON || !(page->flags & PG_swapcache) ||
		    page->private != swp_entry((unsigned int)type, offset)) {
			snprintf(why, size,
				 "%s: slot %llu is cached by frame %#x, which "
				 "is not its swap cache page",
				 si->name, (unsigned long long)offset, pfn);
			return -EUCLEAN;
		}
	}
	if (inuse != si->inuse_pages) {
		snprintf(why, size, "%s: %llu slots in use, inuse_pages says %llu",
			 si->name, (unsigned long long)inuse,
			 (unsigned long long)si->inuse_pages);
		return -EUCLEAN;
	}
	return 0;
}

struct swapcache_walk {
	const struct machine *m;
	char *why;
	size_t size;
};

static int check_swapcache_page(pfn_t pfn, const struct page *p, void *arg)
{
	struct swapcache_walk *w = arg;

	if (p->state != PAGE_ANON || !(p->flags & PG_swapcache))
		return 0;
	if (swap_cache_lookup(w->m, p->private) == pfn &&
	    !!(p->flags & PG_mapped) == !!p->mapcount)
		return 0;
	snprintf(w->why, w->size,
		 "frame %#x is in the swap cache, the cache does not have it",
		 pfn);
	return -EUCLEAN;
}

int check_swap_accounting(const struct machine *m, char *why, size_t size)
{
	uint32_t *counts[MAX_SWAPFILES] = {0};
	struct swapcache_walk w = {.m = m, .why = why, .size = size};
	int i, type, rc;

	rc = tally_swap(m, counts);
	for (i = 0; i < m->nr_tasks && !rc; i++) {
		const struct mm_struct *mm = m->tasks[i].mm;
		uint64_t nr = 0;

		if (!mm || mm->owner != m->tasks[i].pid)
			continue;
		count_swap_entries(mm, counts, m->swap.nr_swapfiles, &nr);
		if (nr != get_mm_counter(mm, MM_SWAPENTS)) {
			snprintf(why, size,
				 "process %d: %llu swap entries, MM_SWAPENTS "
				 "says %llu",
				 m->tasks[i].pid, (unsigned long long)nr,
				 (unsigned long long)get_mm_counter(
					 mm, MM_SWAPENTS));
			rc = -EUCLEAN;
		}
	}
	if (!rc)
		count_shmem_entries(m, counts, m->swap.nr_swapfiles);
	for (type = 0; type < m->swap.nr_swapfiles && !rc; type++)
		if (m->swap.info[type])
			rc = check_area(m, type, counts[type], why, size);
	free_tally(m, counts);
	return rc ?: walk_pages(m, check_swapcache_page, &w);
}
