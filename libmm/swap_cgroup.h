/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The memcg of each swap slot (include/linux/swap_cgroup.h): the id of
 * the memcg a slot's swap charge belongs to, kept per slot of every area
 * from the charge (mem_cgroup_try_charge_swap()) until the slot is
 * freed.  0 is the root's, as for frames (page_memcg_id()).
 */
#ifndef MMSIM_SWAP_CGROUP_H
#define MMSIM_SWAP_CGROUP_H

#include <stddef.h>
#include <stdint.h>

#include "swap.h"

struct machine;

/* The map of a new area, all 0; and its end with the area. */
int swap_cgroup_swapon(struct swap_info_struct *si);
void swap_cgroup_swapoff(struct swap_info_struct *si);

/* Slot @entry's swap is charged to the memcg @id. */
void swap_cgroup_record(struct machine *m, swp_entry_t entry, uint16_t id);

/* Slot @entry is freed: the id it had, which then is 0. */
uint16_t swap_cgroup_clear(struct machine *m, swp_entry_t entry);

/* The id of the memcg slot @entry is charged to (0: the root, or none). */
uint16_t lookup_swap_cgroup_id(const struct machine *m, swp_entry_t entry);

/* rmdir: the slots of the memcg @from are @to's from now on. */
void swap_cgroup_reparent(struct machine *m, uint16_t from, uint16_t to);

/*
 * The slots in use charged to each memcg id, added to @nr[id] for ids
 * below @nr_ids.
 */
void swap_cgroup_count(const struct machine *m, uint64_t *nr, uint32_t nr_ids);

/*
 * Every id names a memcg and sits on a slot in use.  0, or -EUCLEAN and
 * @why (the loader's reason for refusing an image, the checker's).
 */
int swap_cgroup_check(const struct machine *m, char *why, size_t size);

#endif
