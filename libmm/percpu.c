// SPDX-License-Identifier: GPL-2.0
/*
 * The percpu allocator (mm/percpu.c): chunks of one unit per CPU, the
 * first embedded at boot, the others populated page by page on demand.
 * See percpu.h for the rules the model follows.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "memcontrol.h"
#include "page_alloc.h"
#include "percpu.h"
#include "printk.h"

/*
 * The embedded first chunk of an x86_64 6.18 kernel: the image's
 * .data..percpu section, PERCPU_MODULE_RESERVE for modules, and at least
 * PERCPU_DYNAMIC_RESERVE of dynamic space (28 KiB on 64-bit), the whole
 * rounded up to a page.  With these the first chunk takes 48 pages a CPU.
 */
#define PCPU_STATIC_SIZE 158536U
#define PERCPU_MODULE_RESERVE (8U << 10)
#define PERCPU_DYNAMIC_RESERVE (28U << 10)
/* x86_64 embeds the first chunk in PMD-sized allocations */
#define PCPU_ATOM_SIZE (2U << 20)

#define BITS_PER_WORD 64U
#define PAGE_BITS ((uint32_t)PAGE_SIZE / PCPU_MIN_ALLOC_SIZE)

static uint32_t align_up(uint32_t v, uint32_t a)
{
	return (v + a - 1) / a * a;
}

static uint32_t unit_size(const struct pcpu_state *pcpu)
{
	return pcpu->unit_pages * (uint32_t)PAGE_SIZE;
}

static uint32_t map_words(const struct pcpu_state *pcpu)
{
	return unit_size(pcpu) / PCPU_MIN_ALLOC_SIZE / BITS_PER_WORD;
}

/* ---- the allocation bitmap ---- */

static int test_bit(const uint64_t *map, uint32_t b)
{
	return (int)(map[b / BITS_PER_WORD] >> (b % BITS_PER_WORD) & 1);
}

static void assign_bits(uint64_t *map, uint32_t start, uint32_t n, int val)
{
	uint32_t b;

	for (b = start; b < start + n; b++) {
		uint64_t bit = 1ULL << (b % BITS_PER_WORD);

		if (val)
			map[b / BITS_PER_WORD] |= bit;
		else
			map[b / BITS_PER_WORD] &= ~bit;
	}
}

/* The first set bit in [start, end), or end. */
static uint32_t next_set_bit(const uint64_t *map, uint32_t start, uint32_t end)
{
	uint32_t b = start;

	while (b < end) {
		uint64_t w = map[b / BITS_PER_WORD] >> (b % BITS_PER_WORD);

		if (w)
			return b + (uint32_t)__builtin_ctzll(w) < end
				       ? b + (uint32_t)__builtin_ctzll(w)
				       : end;
		b = (b / BITS_PER_WORD + 1) * BITS_PER_WORD;
	}
	return end;
}

/* ---- chunks ---- */

static void pcpu_chunk_free(struct pcpu_chunk *chunk)
{
	if (!chunk)
		return;
	free(chunk->alloc_map);
	free(chunk->populated);
	free(chunk->pages);
	free(chunk);
}

static struct pcpu_chunk *pcpu_chunk_alloc(const struct machine *m)
{
	const struct pcpu_state *pcpu = &m->pcpu;
	struct pcpu_chunk *chunk = calloc(1, sizeof(*chunk));
	size_t i, nr_pages = (size_t)pcpu->unit_pages * (size_t)m->nr_cpu_ids;

	if (!chunk)
		return NULL;
	chunk->alloc_map = calloc(map_words(pcpu), sizeof(uint64_t));
	chunk->populated = calloc(pcpu->unit_pages, 1);
	chunk->pages = malloc(nr_pages * sizeof(pfn_t));
	if (!chunk->alloc_map || !chunk->populated || !chunk->pages) {
		pcpu_chunk_free(chunk);
		return NULL;
	}
	for (i = 0; i < nr_pages; i++)
		chunk->pages[i] = PFN_NONE;
	chunk->end_offset = unit_size(pcpu);
	return chunk;
}

/* A new chunk in the lowest free slot; -ENOMEM. */
static int pcpu_create_chunk(struct machine *m, uint32_t *slot)
{
	struct pcpu_state *pcpu = &m->pcpu;
	struct pcpu_chunk *chunk = pcpu_chunk_alloc(m);
	uint32_t i;

	if (!chunk)
		return -ENOMEM;
	for (i = 1; i < pcpu->nr_chunks && pcpu->chunks[i]; i++)
		;
	if (i == pcpu->nr_chunks) {
		struct pcpu_chunk **v =
			realloc(pcpu->chunks, (i + 1) * sizeof(*v));

		if (!v) {
			pcpu_chunk_free(chunk);
			return -ENOMEM;
		}
		pcpu->chunks = v;
		pcpu->nr_chunks = i + 1;
	}
	pcpu->chunks[i] = chunk;
	*slot = i;
	return 0;
}

static void pcpu_destroy_chunk(struct machine *m, uint32_t slot)
{
	struct pcpu_state *pcpu = &m->pcpu;

	pcpu_chunk_free(pcpu->chunks[slot]);
	pcpu->chunks[slot] = NULL;
	while (pcpu->nr_chunks > 1 && !pcpu->chunks[pcpu->nr_chunks - 1])
		pcpu->nr_chunks--;
}

/*
 * pcpu_build_alloc_info(): CPUs are grouped by node; each group takes
 * whole allocations of PCPU_ATOM_SIZE holding @upa units.  The most units
 * an allocation can hold that wastes no more than a third of the CPUs'
 * worth of units and needs no more allocations than a larger choice.
 */
static void pcpu_build_alloc_info(struct machine *m, uint32_t size_sum)
{
	struct pcpu_state *pcpu = &m->pcpu;
	uint32_t min_unit =
		size_sum > PCPU_MIN_UNIT_SIZE ? size_sum : PCPU_MIN_UNIT_SIZE;
	uint32_t alloc_size = align_up(min_unit, PCPU_ATOM_SIZE);
	uint32_t upa, max_upa = alloc_size / min_unit, best = 1;
	int group_cnt[MAX_NUMNODES] = {0};
	int cpu, nid, last_allocs = -1, units;

	while (alloc_size % max_upa || (alloc_size / max_upa) % PAGE_SIZE)
		max_upa--;
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++)
		group_cnt[m->cpu_to_node[cpu]]++;
	for (upa = max_upa; upa; upa--) {
		int allocs = 0, wasted = 0;

		if (alloc_size % upa || (alloc_size / upa) % PAGE_SIZE)
			continue;
		for_each_online_node (nid, m) {
			int n = (group_cnt[nid] + (int)upa - 1) / (int)upa;

			allocs += n;
			wasted += n * (int)upa - group_cnt[nid];
		}
		if (wasted > m->nr_cpu_ids / 3)
			continue;
		if (last_allocs >= 0 && allocs > last_allocs)
			break;
		last_allocs = allocs;
		best = upa;
	}
	units = 0;
	for_each_online_node (nid, m)
		units += (group_cnt[nid] + (int)best - 1) / (int)best *
			 (int)best;
	pcpu->nr_units = units;
	pcpu->unit_pages = alloc_size / best / (uint32_t)PAGE_SIZE;
}

int pcpu_init(struct machine *m)
{
	struct pcpu_state *pcpu = &m->pcpu;
	struct pcpu_chunk *first;
	uint32_t size_sum, p;

	pcpu->static_size = PCPU_STATIC_SIZE;
	pcpu->reserved_size = PERCPU_MODULE_RESERVE;
	size_sum = align_up(PCPU_STATIC_SIZE + PERCPU_MODULE_RESERVE +
				    PERCPU_DYNAMIC_RESERVE,
			    (uint32_t)PAGE_SIZE);
	pcpu->dyn_size = size_sum - pcpu->static_size - pcpu->reserved_size;
	pcpu_build_alloc_info(m, size_sum);
	pcpu->chunks = calloc(1, sizeof(*pcpu->chunks));
	first = pcpu->chunks ? pcpu_chunk_alloc(m) : NULL;
	if (!first) {
		free(pcpu->chunks);
		pcpu->chunks = NULL;
		return -ENOMEM;
	}
	/* the static and reserved parts serve no dynamic allocation */
	first->start_offset = pcpu->static_size + pcpu->reserved_size;
	first->end_offset = size_sum;
	/* the embedded part is memory from the start; the rest was freed */
	for (p = 0; p < size_sum / PAGE_SIZE; p++)
		first->populated[p] = 1;
	first->nr_populated = size_sum / (uint32_t)PAGE_SIZE;
	pcpu->nr_populated = first->nr_populated;
	pcpu->chunks[0] = first;
	pcpu->nr_chunks = 1;
	return 0;
}

void pcpu_print_first_chunk(struct machine *m)
{
	const struct pcpu_state *pcpu = &m->pcpu;

	pr_info(m, "percpu: Embedded %u pages/cpu s%u r%u d%u u%u\n",
		m->pcpu.chunks[0]->nr_populated, pcpu->static_size,
		pcpu->reserved_size, pcpu->dyn_size, unit_size(pcpu));
}

void pcpu_exit(struct machine *m)
{
	struct pcpu_state *pcpu = &m->pcpu;
	uint32_t i;

	for (i = 0; i < pcpu->nr_chunks; i++)
		pcpu_chunk_free(pcpu->chunks[i]);
	free(pcpu->chunks);
	free(pcpu->boot);
	memset(pcpu, 0, sizeof(*pcpu));
}

uint64_t pcpu_embedded_pages(const struct machine *m)
{
	return m->pcpu.chunks[0]->nr_populated * (uint64_t)m->nr_cpu_ids;
}

uint64_t pcpu_nr_pages(const struct machine *m)
{
	return m->pcpu.nr_populated * (uint64_t)m->pcpu.nr_units;
}

uint64_t pcpu_obj_full_size(const struct machine *m, uint32_t size)
{
	return (uint64_t)size * (uint64_t)m->nr_cpu_ids +
	       size / PCPU_MIN_ALLOC_SIZE * sizeof(uint64_t);
}

/* ---- population ---- */

static void pcpu_depopulate_page(struct machine *m, struct pcpu_chunk *chunk,
				 uint32_t page)
{
	uint32_t upages = m->pcpu.unit_pages;
	int cpu;

	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		pfn_t *pfn = &chunk->pages[(uint32_t)cpu * upages + page];

		if (*pfn != PFN_NONE)
			free_pages(m, *pfn, 0);
		*pfn = PFN_NONE;
	}
	chunk->populated[page] = 0;
	chunk->nr_populated--;
	m->pcpu.nr_populated--;
}

/* A page of every unit, each on its CPU's node; all or nothing. */
static int pcpu_populate_page(struct machine *m, uint32_t slot, uint32_t page,
			      unsigned int alloc_flags)
{
	struct pcpu_chunk *chunk = m->pcpu.chunks[slot];
	uint32_t upages = m->pcpu.unit_pages;
	struct page_use use = {.state = PAGE_PERCPU, .owner = slot};
	int cpu, rc;

	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		struct alloc_context ac = {
			.preferred_nid = m->cpu_to_node[cpu],
			.highest_zoneidx = ZONE_NORMAL,
			.migratetype = MIGRATE_UNMOVABLE,
			.alloc_flags = alloc_flags,
			.cpu = cpu,
		};

		rc = alloc_pages(m, 0, &ac, &use,
				 &chunk->pages[(uint32_t)cpu * upages + page]);
		if (rc) {
			while (cpu--) {
				pfn_t *pfn =
					&chunk->pages[(uint32_t)cpu * upages +
						      page];

				free_pages(m, *pfn, 0);
				*pfn = PFN_NONE;
			}
			return rc;
		}
	}
	chunk->populated[page] = 1;
	chunk->nr_populated++;
	m->pcpu.nr_populated++;
	return 0;
}

/* ---- allocation ---- */

/* pcpu_find_block_fit(): the first fitting offset of @chunk, or -1. */
static int64_t pcpu_find_fit(const struct pcpu_chunk *chunk, uint32_t size,
			     uint32_t align)
{
	uint32_t nbits = size / PCPU_MIN_ALLOC_SIZE;
	uint32_t abits = align / PCPU_MIN_ALLOC_SIZE;
	uint32_t end = chunk->end_offset / PCPU_MIN_ALLOC_SIZE;
	uint32_t b = align_up(chunk->start_offset / PCPU_MIN_ALLOC_SIZE, abits);

	while (b + nbits <= end) {
		uint32_t set = next_set_bit(chunk->alloc_map, b, b + nbits);

		if (set == b + nbits)
			return (int64_t)b * PCPU_MIN_ALLOC_SIZE;
		b = align_up(set + 1, abits);
	}
	return -1;
}

static int pcpu_chunk_empty(const struct machine *m,
			    const struct pcpu_chunk *chunk)
{
	uint32_t i;

	for (i = 0; i < map_words(&m->pcpu); i++)
		if (chunk->alloc_map[i])
			return 0;
	return 1;
}

void pcpu_free(struct machine *m, struct pcpu_area *a)
{
	struct pcpu_chunk *chunk;
	uint32_t p;

	if (!a->size)
		return;
	chunk = m->pcpu.chunks[a->chunk];
	assign_bits(chunk->alloc_map, a->off / PCPU_MIN_ALLOC_SIZE,
		    a->size / PCPU_MIN_ALLOC_SIZE, 0);
	/* the embedded chunk keeps its memory */
	if (a->chunk) {
		for (p = a->off / PAGE_SIZE;
		     p <= (a->off + a->size - 1) / PAGE_SIZE; p++)
			if (chunk->populated[p] &&
			    next_set_bit(chunk->alloc_map, p * PAGE_BITS,
					 (p + 1) * PAGE_BITS) ==
				    (p + 1) * PAGE_BITS)
				pcpu_depopulate_page(m, chunk, p);
		if (pcpu_chunk_empty(m, chunk))
			pcpu_destroy_chunk(m, a->chunk);
	}
	memset(a, 0, sizeof(*a));
}

static int __pcpu_alloc(struct machine *m, uint32_t size, uint32_t align,
			unsigned int alloc_flags, struct pcpu_area *a)
{
	struct pcpu_state *pcpu = &m->pcpu;
	int64_t off = -1;
	uint32_t slot, p;
	int rc;

	if (!size || size > PCPU_MIN_UNIT_SIZE || align > PAGE_SIZE ||
	    (align & (align - 1)))
		return -EINVAL;
	size = align_up(size, PCPU_MIN_ALLOC_SIZE);
	if (align < PCPU_MIN_ALLOC_SIZE)
		align = PCPU_MIN_ALLOC_SIZE;
	for (slot = 0; slot < pcpu->nr_chunks && off < 0; slot++)
		if (pcpu->chunks[slot])
			off = pcpu_find_fit(pcpu->chunks[slot], size, align);
	if (off >= 0) {
		slot--;
	} else {
		rc = pcpu_create_chunk(m, &slot);
		if (rc)
			return rc;
		off = pcpu_find_fit(pcpu->chunks[slot], size, align);
	}
	assign_bits(pcpu->chunks[slot]->alloc_map,
		    (uint32_t)off / PCPU_MIN_ALLOC_SIZE,
		    size / PCPU_MIN_ALLOC_SIZE, 1);
	*a = (struct pcpu_area){slot, (uint32_t)off, size};
	for (p = a->off / PAGE_SIZE; p <= (a->off + size - 1) / PAGE_SIZE;
	     p++) {
		if (pcpu->chunks[slot]->populated[p])
			continue;
		rc = pcpu_populate_page(m, slot, p, alloc_flags);
		if (rc) {
			pcpu_free(m, a);
			return rc;
		}
	}
	return 0;
}

int pcpu_alloc(struct machine *m, uint32_t size, uint32_t align,
	       struct pcpu_area *a)
{
	return __pcpu_alloc(m, size, align, ALLOC_WMARK_MIN, a);
}

/* ---- the boot's allocations ---- */

/*
 * What the kernel's built-in users allocate at boot, besides the root
 * memcg's statistics (made first): the slab caches' per-CPU slabs, the
 * zones' pagesets, counters, the network and block layers, timers and
 * workqueues.  The model does not simulate them one by one; it makes
 * PCPU_BOOT_ALLOCS allocations cycling through this spread of sizes,
 * that many so that a booted machine holds 125 pages a CPU (48 embedded,
 * 77 in the second chunk), which is what the reference 2-CPU 6.18 machine
 * shows (Percpu: 1000 kB).
 */
static const uint16_t pcpu_boot_sizes[] = {
	8, 16, 8, 64, 24, 128, 8, 192, 16, 512, 64, 1024, 32, 256, 2048, 8,
};
#define PCPU_BOOT_ALLOCS 1246U

unsigned int pcpu_nr_boot_allocs(void)
{
	return PCPU_BOOT_ALLOCS + 1;
}

int pcpu_boot_alloc(struct machine *m, unsigned int alloc_flags)
{
	struct pcpu_state *pcpu = &m->pcpu;
	unsigned int i = pcpu->boot_next++;
	struct pcpu_area a;
	uint32_t size;
	int rc;

	if (!i)
		return mem_cgroup_percpu_alloc(m, root_mem_cgroup(m));
	if (i > PCPU_BOOT_ALLOCS)
		return 0;
	size = pcpu_boot_sizes[(i - 1) % (sizeof(pcpu_boot_sizes) /
					  sizeof(pcpu_boot_sizes[0]))];
	if (pcpu->nr_boot == pcpu->boot_size) {
		uint32_t n = pcpu->boot_size ? 2 * pcpu->boot_size : 256;
		struct pcpu_area *v = realloc(pcpu->boot, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		pcpu->boot = v;
		pcpu->boot_size = n;
	}
	rc = __pcpu_alloc(m, size, size >= 64 ? 64 : 8, alloc_flags, &a);
	if (!rc)
		pcpu->boot[pcpu->nr_boot++] = a;
	return rc;
}

/* ---- checkpoint ---- */

void pcpu_save(const struct machine *m, void (*put)(void *ctx, uint64_t v),
	       void *ctx)
{
	const struct pcpu_state *pcpu = &m->pcpu;
	uint32_t i, b, end, p;
	int cpu;

	put(ctx, pcpu->nr_chunks);
	for (i = 0; i < pcpu->nr_chunks; i++) {
		const struct pcpu_chunk *chunk = pcpu->chunks[i];
		uint64_t runs = 0;

		put(ctx, !!chunk);
		if (!chunk)
			continue;
		/* the allocation map as runs of allocated units */
		end = unit_size(pcpu) / PCPU_MIN_ALLOC_SIZE;
		for (b = 0; b < end; b++)
			runs += test_bit(chunk->alloc_map, b) &&
				(!b || !test_bit(chunk->alloc_map, b - 1));
		put(ctx, runs);
		for (b = next_set_bit(chunk->alloc_map, 0, end); b < end;
		     b = next_set_bit(chunk->alloc_map, b, end)) {
			uint32_t s = b;

			while (b < end && test_bit(chunk->alloc_map, b))
				b++;
			put(ctx, s);
			put(ctx, b - s);
		}
		if (!i)
			continue;
		put(ctx, chunk->nr_populated);
		for (p = 0; p < pcpu->unit_pages; p++) {
			if (!chunk->populated[p])
				continue;
			put(ctx, p);
			for (cpu = 0; cpu < m->nr_cpu_ids; cpu++)
				put(ctx, chunk->pages[(uint32_t)cpu *
							      pcpu->unit_pages +
						      p]);
		}
	}
	put(ctx, pcpu->nr_boot);
	for (i = 0; i < pcpu->nr_boot; i++) {
		put(ctx, pcpu->boot[i].chunk);
		put(ctx, pcpu->boot[i].off);
		put(ctx, pcpu->boot[i].size);
	}
}

/* Whether @a lies in the serving part of a chunk the machine has. */
static int pcpu_area_valid(const struct machine *m, const struct pcpu_area *a)
{
	const struct pcpu_chunk *chunk;

	if (a->chunk >= m->pcpu.nr_chunks || !m->pcpu.chunks[a->chunk] ||
	    !a->size || a->size % PCPU_MIN_ALLOC_SIZE ||
	    a->off % PCPU_MIN_ALLOC_SIZE)
		return 0;
	chunk = m->pcpu.chunks[a->chunk];
	return a->off >= chunk->start_offset && a->off < chunk->end_offset &&
	       a->size <= chunk->end_offset - a->off;
}

static int pcpu_load_chunk(struct machine *m, uint32_t slot,
			   uint64_t (*get)(void *ctx), void *ctx, char *why,
			   size_t size)
{
	struct pcpu_state *pcpu = &m->pcpu;
	struct pcpu_chunk *chunk = pcpu->chunks[slot];
	uint64_t runs = get(ctx), k, s, n, nr, p, pfn, last = 0;
	uint64_t start = chunk->start_offset / PCPU_MIN_ALLOC_SIZE;
	uint64_t end = chunk->end_offset / PCPU_MIN_ALLOC_SIZE;
	int cpu;

	for (k = 0; k < runs; k++) {
		s = get(ctx);
		n = get(ctx);
		/* in order, apart, inside the serving part */
		if (!n || s < last || (k && s == last) || s < start ||
		    s > end || n > end - s) {
			snprintf(why, size,
				 "percpu chunk %u: its allocation map is "
				 "malformed",
				 slot);
			return -EINVAL;
		}
		assign_bits(chunk->alloc_map, (uint32_t)s, (uint32_t)n, 1);
		last = s + n;
	}
	if (!slot)
		return 0;
	nr = get(ctx);
	if (nr > pcpu->unit_pages) {
		snprintf(why, size, "percpu chunk %u: %llu populated pages",
			 slot, (unsigned long long)nr);
		return -EINVAL;
	}
	for (k = 0; k < nr; k++) {
		p = get(ctx);
		if (p >= pcpu->unit_pages || chunk->populated[p]) {
			snprintf(why, size,
				 "percpu chunk %u: a populated page is out "
				 "of range or repeated",
				 slot);
			return -EINVAL;
		}
		chunk->populated[p] = 1;
		chunk->nr_populated++;
		pcpu->nr_populated++;
		for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
			pfn = get(ctx);
			if (pfn >= m->max_pfn) {
				snprintf(why, size,
					 "percpu chunk %u: page %llu of "
					 "CPU %d is no frame",
					 slot, (unsigned long long)p, cpu);
				return -EINVAL;
			}
			chunk->pages[(uint32_t)cpu * pcpu->unit_pages + p] =
				(pfn_t)pfn;
		}
	}
	return 0;
}

int pcpu_load(struct machine *m, uint64_t (*get)(void *ctx), void *ctx,
	      char *why, size_t size)
{
	struct pcpu_state *pcpu = &m->pcpu;
	uint64_t nr = get(ctx), i;
	int rc;

	/* the first chunk comes with the topology; the rest from here */
	if (!nr || nr > (1U << 16)) {
		snprintf(why, size, "percpu: %llu chunks",
			 (unsigned long long)nr);
		return -EINVAL;
	}
	for (i = 0; i < nr; i++) {
		uint64_t present = get(ctx);

		if (present > 1 || (!i && !present)) {
			snprintf(why, size, "percpu: chunk %llu is malformed",
				 (unsigned long long)i);
			return -EINVAL;
		}
		if (!present)
			continue;
		if (i) {
			uint32_t slot;

			/* slots below are taken or free: make them all */
			while (pcpu->nr_chunks <= i) {
				rc = pcpu_create_chunk(m, &slot);
				if (rc)
					return rc;
			}
		}
		rc = pcpu_load_chunk(m, (uint32_t)i, get, ctx, why, size);
		if (rc)
			return rc;
	}
	/* the slots made only to reach a later one */
	for (i = 1; i < pcpu->nr_chunks; i++)
		if (!pcpu->chunks[i]->nr_populated &&
		    pcpu_chunk_empty(m, pcpu->chunks[i]))
			pcpu_destroy_chunk(m, (uint32_t)i);
	nr = get(ctx);
	if (nr > (1U << 24)) {
		snprintf(why, size, "percpu: %llu boot allocations",
			 (unsigned long long)nr);
		return -EINVAL;
	}
	pcpu->boot = calloc(nr ? nr : 1, sizeof(*pcpu->boot));
	if (!pcpu->boot)
		return -ENOMEM;
	pcpu->boot_size = (uint32_t)(nr ? nr : 1);
	for (i = 0; i < nr; i++) {
		struct pcpu_area *a = &pcpu->boot[pcpu->nr_boot++];
		uint64_t chunk = get(ctx), off = get(ctx), len = get(ctx);

		*a = (struct pcpu_area){(uint32_t)chunk, (uint32_t)off,
					(uint32_t)len};
		if (chunk > UINT32_MAX || off > UINT32_MAX ||
		    len > UINT32_MAX || !pcpu_area_valid(m, a)) {
			snprintf(why, size,
				 "percpu: boot allocation %llu is out of "
				 "its chunk",
				 (unsigned long long)i);
			return -EINVAL;
		}
	}
	return 0;
}

/* ---- the checker ---- */

struct area_tally {
	const struct machine *m;
	uint64_t **maps; /* [nr_chunks]: the allocations' bits */
	int bad;
};

static void tally_area(const struct pcpu_area *a, void *arg)
{
	struct area_tally *t = arg;
	uint32_t b;

	if (!a->size)
		return;
	if (!pcpu_area_valid(t->m, a)) {
		t->bad = 1;
		return;
	}
	for (b = a->off / PCPU_MIN_ALLOC_SIZE;
	     b < (a->off + a->size) / PCPU_MIN_ALLOC_SIZE; b++) {
		if (test_bit(t->maps[a->chunk], b))
			t->bad = 1;
		assign_bits(t->maps[a->chunk], b, 1, 1);
	}
}

static int cmp_pfn(const void *a, const void *b)
{
	pfn_t x = *(const pfn_t *)a, y = *(const pfn_t *)b;

	return x < y ? -1 : x > y;
}

static int count_percpu_frames(pfn_t pfn, const struct page *page, void *arg)
{
	(void)pfn;
	*(uint64_t *)arg += page->state == PAGE_PERCPU;
	return 0;
}

/* The populated pages' frames: PAGE_PERCPU, on their CPU's node, once. */
static int pcpu_check_frames(const struct machine *m, char *why, size_t size)
{
	const struct pcpu_state *pcpu = &m->pcpu;
	uint64_t nr = 0, n = 0, frames = 0, i;
	uint32_t slot, p;
	pfn_t *all;
	int cpu, rc = 0;

	for (slot = 1; slot < pcpu->nr_chunks; slot++)
		if (pcpu->chunks[slot])
			nr += pcpu->chunks[slot]->nr_populated;
	nr *= (uint64_t)m->nr_cpu_ids;
	all = malloc((nr ? nr : 1) * sizeof(*all));
	if (!all)
		return -ENOMEM;
	for (slot = 1; slot < pcpu->nr_chunks && !rc; slot++) {
		const struct pcpu_chunk *chunk = pcpu->chunks[slot];

		for (p = 0; chunk && p < pcpu->unit_pages && !rc; p++) {
			if (!chunk->populated[p])
				continue;
			for (cpu = 0; cpu < m->nr_cpu_ids && !rc; cpu++) {
				pfn_t pfn =
					chunk->pages[(uint32_t)cpu *
							     pcpu->unit_pages +
						     p];
				const struct page *page =
					pfn < m->max_pfn ? pfn_to_page(m, pfn)
							 : NULL;

				if (!page || page->state != PAGE_PERCPU ||
				    page->order ||
				    pfn_to_nid(m, pfn) != m->cpu_to_node[cpu]) {
					snprintf(why, size,
						 "percpu chunk %u: page %u of "
						 "CPU %d is not a percpu "
						 "frame on its node",
						 slot, p, cpu);
					rc = -EUCLEAN;
				}
				all[n++] = pfn;
			}
		}
	}
	qsort(all, n, sizeof(*all), cmp_pfn);
	for (i = 1; i < n && !rc; i++) {
		if (all[i] == all[i - 1]) {
			snprintf(why, size,
				 "percpu: frame %u backs two chunk pages",
				 (unsigned)all[i]);
			rc = -EUCLEAN;
		}
	}
	free(all);
	if (rc)
		return rc;
	walk_pages(m, count_percpu_frames, &frames);
	if (frames != n) {
		snprintf(why, size,
			 "percpu: %llu percpu frames, the chunks' populated "
			 "pages are %llu",
			 (unsigned long long)frames, (unsigned long long)n);
		return -EUCLEAN;
	}
	return 0;
}

int pcpu_check_state(const struct machine *m, char *why, size_t size)
{
	const struct pcpu_state *pcpu = &m->pcpu;
	struct area_tally t = {m, NULL, 0};
	uint64_t populated = 0;
	uint32_t slot, i, p;
	int rc = 0;

	t.maps = calloc(pcpu->nr_chunks, sizeof(*t.maps));
	if (!t.maps)
		return -ENOMEM;
	for (slot = 0; slot < pcpu->nr_chunks; slot++) {
		if (!pcpu->chunks[slot])
			continue;
		t.maps[slot] = calloc(map_words(pcpu), sizeof(uint64_t));
		if (!t.maps[slot]) {
			rc = -ENOMEM;
			goto out;
		}
	}
	for (i = 0; i < pcpu->nr_boot; i++)
		tally_area(&pcpu->boot[i], &t);
	mem_cgroup_percpu_areas(m, tally_area, &t);
	if (t.bad) {
		snprintf(why, size,
			 "percpu: an allocation is out of its chunk or "
			 "overlaps another");
		rc = -EUCLEAN;
		goto out;
	}
	for (slot = 0; slot < pcpu->nr_chunks && !rc; slot++) {
		const struct pcpu_chunk *chunk = pcpu->chunks[slot];

		if (!chunk)
			continue;
		populated += chunk->nr_populated;
		if (memcmp(chunk->alloc_map, t.maps[slot],
			   map_words(pcpu) * sizeof(uint64_t))) {
			snprintf(why, size,
				 "percpu chunk %u: its allocation map is not "
				 "its allocations",
				 slot);
			rc = -EUCLEAN;
			break;
		}
		if (!slot)
			continue;
		if (pcpu_chunk_empty(m, chunk)) {
			snprintf(why, size, "percpu chunk %u is empty", slot);
			rc = -EUCLEAN;
		}
		for (p = 0; p < pcpu->unit_pages && !rc; p++) {
			int used = next_set_bit(chunk->alloc_map, p * PAGE_BITS,
						(p + 1) * PAGE_BITS) <
				   (p + 1) * PAGE_BITS;

			if (used != chunk->populated[p]) {
				snprintf(why, size,
					 "percpu chunk %u: page %u is %s "
					 "but %s",
					 slot, p, used ? "used" : "unused",
					 chunk->populated[p] ? "populated"
							     : "not populated");
				rc = -EUCLEAN;
			}
		}
	}
	if (!rc && populated != pcpu->nr_populated) {
		snprintf(why, size,
			 "percpu: %llu populated pages counted, the chunks "
			 "have %llu",
			 (unsigned long long)pcpu->nr_populated,
			 (unsigned long long)populated);
		rc = -EUCLEAN;
	}
	rc = rc ?: pcpu_check_frames(m, why, size);
out:
	for (slot = 0; slot < pcpu->nr_chunks; slot++)
		free(t.maps[slot]);
	free(t.maps);
	return rc;
}
