/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The percpu allocator (mm/percpu.c).
 *
 * Memory is handed out in chunks of one unit per CPU: an allocation is an
 * offset and a size, the same in every unit, so each CPU has its own copy.
 * The first chunk is embedded at boot (memblock memory, not frames): the
 * kernel's static percpu variables, the modules' reserve and a small
 * dynamic area.  Further chunks are made as needed; a page of a unit is
 * populated (a PAGE_PERCPU frame on the CPU's node, for every CPU at
 * once) when an allocation first covers it.
 *
 * What is freed goes back at once: a page no allocation touches any more
 * is depopulated, and a chunk other than the first with nothing in it is
 * destroyed.  (The kernel's balance work keeps a few empty populated pages
 * and one empty chunk around; the model keeps none, so Percpu follows the
 * allocations exactly.)  A chunk is searched before the ones made after it,
 * first fit, where the kernel prefers the fullest chunk.
 */
#ifndef MMSIM_PERCPU_H
#define MMSIM_PERCPU_H

#include <stddef.h>
#include <stdint.h>

#include "mm_types.h"

struct machine;

#define PCPU_MIN_ALLOC_SHIFT 2
#define PCPU_MIN_ALLOC_SIZE (1 << PCPU_MIN_ALLOC_SHIFT)
/* the smallest unit, and the largest allocation pcpu_alloc() serves */
#define PCPU_MIN_UNIT_SIZE (32 << 10)

/* An allocation: the same @size bytes at @off of every unit of @chunk. */
struct pcpu_area {
	uint32_t chunk; /* its slot in pcpu_state.chunks */
	uint32_t off;
	uint32_t size; /* 0: none */
};

struct pcpu_chunk {
	/* a bit per PCPU_MIN_ALLOC_SIZE bytes of a unit: allocated */
	uint64_t *alloc_map;
	uint8_t *populated; /* per page of a unit */
	/* [cpu * unit_pages + page]: the frame, or PFN_NONE (first chunk) */
	pfn_t *pages;
	/* the part that serves allocations; the first chunk's dynamic area */
	uint32_t start_offset, end_offset;
	uint32_t nr_populated;
};

struct pcpu_state {
	uint32_t unit_pages; /* pages of a unit, in every chunk */
	/* units: one per CPU, and those that fill the last allocation group */
	int nr_units;
	uint32_t static_size, reserved_size, dyn_size;
	struct pcpu_chunk **chunks; /* [0]: the first; NULL: a free slot */
	uint32_t nr_chunks;
	uint64_t nr_populated; /* populated pages of a unit, all chunks */
	/* the boot's allocations, which stay */
	struct pcpu_area *boot;
	uint32_t nr_boot, boot_size;
	uint32_t boot_next; /* the next boot allocation; boot only */
};

/*
 * The unit geometry (pcpu_build_alloc_info()) and the embedded first
 * chunk, with its static and reserved parts, for the machine's CPUs and
 * nodes; nothing allocated in its dynamic area yet.  0 or -ENOMEM.
 */
int pcpu_init(struct machine *m);
void pcpu_exit(struct machine *m);
/* What pcpu_embed_first_chunk() tells the kernel log. */
void pcpu_print_first_chunk(struct machine *m);

/*
 * __alloc_percpu(): @size bytes aligned to @align (both rounded up to
 * PCPU_MIN_ALLOC_SIZE) in every unit, populating what it covers.  0,
 * -EINVAL (size 0 or above PCPU_MIN_UNIT_SIZE, align above a page or not
 * a power of two), or -ENOMEM.  free_percpu(): give it back; @a is
 * cleared.
 */
int pcpu_alloc(struct machine *m, uint32_t size, uint32_t align,
	       struct pcpu_area *a);
void pcpu_free(struct machine *m, struct pcpu_area *a);

/*
 * pcpu_obj_full_size(): what an accounted allocation of @size charges its
 * memcg: a copy per possible CPU, and the objcg pointer kept for each
 * PCPU_MIN_ALLOC_SIZE bytes of it.
 */
uint64_t pcpu_obj_full_size(const struct machine *m, uint32_t size);

/*
 * The boot's percpu allocations, one a call (0 once all are made): what
 * the kernel's built-in users take before userspace starts.
 */
unsigned int pcpu_nr_boot_allocs(void);
int pcpu_boot_alloc(struct machine *m, unsigned int alloc_flags);

/* The embedded first chunk's memory: memblock reserves it at boot. */
uint64_t pcpu_embedded_pages(const struct machine *m);

/*
 * pcpu_nr_pages(): populated pages of a unit over all chunks (the first
 * chunk's embedded part included) times the units, as meminfo's Percpu.
 */
uint64_t pcpu_nr_pages(const struct machine *m);

/*
 * Every allocation the machine holds, for the checks: the boot's and,
 * through @fn, the memory controller's (memcontrol.h).
 */
typedef void (*pcpu_area_fn)(const struct pcpu_area *a, void *arg);

/*
 * Checkpoint: the chunks (allocation map, populated pages and their
 * frames) and the boot's allocations.  Load after the frames; then
 * pcpu_check_state() once the memcgs' allocations are loaded too.
 */
void pcpu_save(const struct machine *m, void (*put)(void *ctx, uint64_t v),
	       void *ctx);
int pcpu_load(struct machine *m, uint64_t (*get)(void *ctx), void *ctx,
	      char *why, size_t size);

/*
 * The checker: the allocation map is exactly the allocations, without
 * overlap; a page of a chunk is populated exactly when an allocation
 * covers it (the first chunk: all of it); the populated pages' frames are
 * PAGE_PERCPU frames on their CPU's node, and the only ones.  0 or
 * -EUCLEAN (-ENOMEM) with the reason in @why.
 */
int pcpu_check_state(const struct machine *m, char *why, size_t size);

#endif
