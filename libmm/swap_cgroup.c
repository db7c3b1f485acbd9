// SPDX-License-Identifier: GPL-2.0
/*
 * The memcg of each swap slot (mm/swap_cgroup.c).  In cgroup v2 a swap
 * charge lives as long as its slot, not its page: whichever task frees
 * the slot, or faults its page back in, the charge was made by the page's
 * memcg when it went out, and the slot remembers it.  The kernel keeps a
 * short id per slot in a map of its own beside the area; so does the
 * model, beside swap_map.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "machine.h"
#include "memcontrol.h"
#include "swap_cgroup.h"

int swap_cgroup_swapon(struct swap_info_struct *si)
{
	si->swap_cgroup = calloc(si->max, sizeof(*si->swap_cgroup));
	return si->swap_cgroup ? 0 : -ENOMEM;
}

void swap_cgroup_swapoff(struct swap_info_struct *si)
{
	free(si->swap_cgroup);
	si->swap_cgroup = NULL;
}

void swap_cgroup_record(struct machine *m, swp_entry_t entry, uint16_t id)
{
	m->swap.info[swp_type(entry)]->swap_cgroup[swp_offset(entry)] = id;
}

uint16_t swap_cgroup_clear(struct machine *m, swp_entry_t entry)
{
	uint16_t *slot =
		&m->swap.info[swp_type(entry)]->swap_cgroup[swp_offset(entry)];
	uint16_t id = *slot;

	*slot = 0;
	return id;
}

uint16_t lookup_swap_cgroup_id(const struct machine *m, swp_entry_t entry)
{
	const struct swap_info_struct *si = swap_info(m, (int)swp_type(entry));

	if (!si || swp_offset(entry) >= si->max)
		return 0;
	return si->swap_cgroup[swp_offset(entry)];
}

void swap_cgroup_reparent(struct machine *m, uint16_t from, uint16_t to)
{
	uint64_t offset;
	int type;

	for (type = 0; type < m->swap.nr_swapfiles; type++) {
		struct swap_info_struct *si = m->swap.info[type];

		for (offset = 1; si && offset < si->max; offset++)
			if (si->swap_cgroup[offset] == from)
				si->swap_cgroup[offset] = to;
	}
}

void swap_cgroup_count(const struct machine *m, uint64_t *nr, uint32_t nr_ids)
{
	uint64_t offset;
	int type;

	for (type = 0; type < m->swap.nr_swapfiles; type++) {
		const struct swap_info_struct *si = m->swap.info[type];

		for (offset = 1; si && offset < si->max; offset++)
			if (si->swap_map[offset] &&
			    si->swap_cgroup[offset] < nr_ids)
				nr[si->swap_cgroup[offset]]++;
	}
}

int swap_cgroup_check(const struct machine *m, char *why, size_t size)
{
	uint64_t offset;
	int type;

	for (type = 0; type < m->swap.nr_swapfiles; type++) {
		const struct swap_info_struct *si = m->swap.info[type];

		for (offset = 0; si && offset < si->max; offset++) {
			uint16_t id = si->swap_cgroup[offset];
			const char *wrong = NULL;

			if (!id)
				continue;
			if (!si->swap_map[offset])
				wrong = "it is free";
			else if (!mem_cgroup_from_id(m, id))
				wrong = "no such memcg exists";
			else
				continue;
			snprintf(why, size,
				 "%s: slot %llu is charged to memcg %u, but %s",
				 si->name, (unsigned long long)offset, id,
				 wrong);
			return -EUCLEAN;
		}
	}
	return 0;
}
