// SPDX-License-Identifier: GPL-2.0
/*
 * A glibc-like malloc in the simulated process, for the `malloc` and
 * `free` operations and for programs' start-up: requests below the mmap
 * threshold (128 KiB) are carved from the brk heap (best fit among free
 * chunks, else from the top chunk, growing the heap by the request plus
 * M_TOP_PAD); larger ones get a mapping of their own.  free() returns a
 * mapped chunk at once, and gives heap memory back to the kernel only
 * from the top, once the top chunk exceeds M_TRIM_THRESHOLD.  Writing a
 * chunk's header touches its page, as the real allocator does.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "binfmt_elf.h"
#include "mm_internal.h"

#define SIZE_SZ 8ULL
#define MALLOC_ALIGNMENT 16ULL
#define MINSIZE 32ULL
#define MMAP_THRESHOLD (128ULL * 1024)
#define TOP_PAD (128ULL * 1024)
#define TRIM_THRESHOLD (128ULL * 1024)
/* the chunk header before the user pointer */
#define CHUNK_HDR (2 * SIZE_SZ)

static uint64_t request2size(uint64_t req)
{
	uint64_t sz = (req + SIZE_SZ + MALLOC_ALIGNMENT - 1) &
		      ~(MALLOC_ALIGNMENT - 1);

	return sz < MINSIZE ? MINSIZE : sz;
}

static uint32_t chunk_slot(const struct malloc_state *ms, uint64_t addr)
{
	uint32_t lo = 0, hi = ms->nr_chunks;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (ms->chunks[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int chunk_insert(struct malloc_state *ms, const struct malloc_chunk *c)
{
	uint32_t i = chunk_slot(ms, c->addr);

	if (ms->nr_chunks == ms->size) {
		uint32_t n = ms->size ? 2 * ms->size : 64;
		struct malloc_chunk *v = realloc(ms->chunks, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		ms->chunks = v;
		ms->size = n;
	}
	memmove(&ms->chunks[i + 1], &ms->chunks[i],
		(ms->nr_chunks - i) * sizeof(*ms->chunks));
	ms->chunks[i] = *c;
	ms->nr_chunks++;
	return 0;
}

static void chunk_remove(struct malloc_state *ms, uint32_t i)
{
	memmove(&ms->chunks[i], &ms->chunks[i + 1],
		(ms->nr_chunks - i - 1) * sizeof(*ms->chunks));
	ms->nr_chunks--;
}

/* The chunk starts CHUNK_HDR before the pointer; its header is written. */
static int write_header(struct machine *m, struct task_struct *t,
			uint64_t chunk)
{
	return access_page(m, t, chunk & PAGE_MASK, 1);
}

static int malloc_mmap_chunk(struct machine *m, struct task_struct *t,
			     uint64_t size, uint64_t *addr)
{
	struct mm_struct *mm = t->mm;
	uint64_t len = PAGE_ALIGN(size + CHUNK_HDR);
	struct vm_area_struct vma = {
		.vm_flags = VM_READ | VM_WRITE | VM_MAY_FLAGS | VM_ACCOUNT |
			    VM_SOFTDIRTY,
	};
	struct malloc_chunk c = {.size = len, .in_use = 1, .mmapped = 1};
	int rc;

	vma.vm_start = get_unmapped_area(mm, len);
	if (!vma.vm_start)
		return -ENOMEM;
	vma.vm_end = vma.vm_start + len;
	vma.vm_pgoff = vma.vm_start >> PAGE_SHIFT;
	rc = mmap_region(m, mm, &vma, t->cpu);
	if (rc)
		return rc;
	c.addr = vma.vm_start + CHUNK_HDR;
	rc = chunk_insert(&mm->heap, &c);
	rc = rc ?: write_header(m, t, vma.vm_start);
	*addr = c.addr;
	return rc;
}

/* Grow the heap so that the top chunk holds @need bytes past ms->top. */
static int sysmalloc(struct machine *m, struct task_struct *t, uint64_t need)
{
	struct mm_struct *mm = t->mm;
	uint64_t avail = mm->brk - mm->heap.top, newbrk;

	if (avail >= need + MINSIZE)
		return 0;
	return do_brk(m, mm,
		      (int64_t)PAGE_ALIGN(need + MINSIZE - avail + TOP_PAD),
		      t->cpu, &newbrk);
}

static int malloc_heap_chunk(struct machine *m, struct task_struct *t,
			     uint64_t nb, uint64_t *addr)
{
	struct malloc_state *ms = &t->mm->heap;
	struct malloc_chunk c = {.size = nb, .in_use = 1};
	uint32_t i, best = UINT32_MAX;
	int rc;

	if (!ms->top)
		ms->top = t->mm->start_brk;
	for (i = 0; i < ms->nr_chunks; i++) {
		const struct malloc_chunk *f = &ms->chunks[i];

		if (!f->in_use && !f->mmapped && f->size >= nb &&
		    (best == UINT32_MAX || f->size < ms->chunks[best].size))
			best = i;
	}
	if (best != UINT32_MAX) {
		struct malloc_chunk *f = &ms->chunks[best];
		uint64_t chunk = f->addr - CHUNK_HDR;

		if (f->size - nb >= MINSIZE) {
			struct malloc_chunk rest = {.addr = f->addr + nb,
						    .size = f->size - nb};

			f->size = nb;
			f->in_use = 1;
			*addr = f->addr;
			rc = chunk_insert(ms, &rest);
			rc = rc ?: write_header(m, t, rest.addr - CHUNK_HDR);
		} else {
			f->in_use = 1;
			*addr = f->addr;
			rc = 0;
		}
		return rc ?: write_header(m, t, chunk);
	}
	rc = sysmalloc(m, t, nb);
	if (rc)
		return rc;
	c.addr = ms->top + CHUNK_HDR;
	ms->top += nb;
	rc = chunk_insert(ms, &c);
	rc = rc ?: write_header(m, t, c.addr - CHUNK_HDR);
	/* the top chunk's header moves up */
	rc = rc ?: write_header(m, t, ms->top);
	*addr = c.addr;
	return rc;
}

int do_malloc(struct machine *m, struct task_struct *t, uint64_t size,
	      uint64_t *addr)
{
	if (!size)
		size = 1;
	if (size >= MMAP_THRESHOLD)
		return malloc_mmap_chunk(m, t, size, addr);
	return malloc_heap_chunk(m, t, request2size(size), addr);
}

/* systrim(): give the top of the heap back, keeping TOP_PAD. */
static int systrim(struct machine *m, struct task_struct *t)
{
	struct mm_struct *mm = t->mm;
	uint64_t top_size = mm->brk - mm->heap.top, extra, newbrk;

	if (top_size < TRIM_THRESHOLD)
		return 0;
	extra = (top_size - TOP_PAD - MINSIZE) & PAGE_MASK;
	if (!extra)
		return 0;
	return do_brk(m, mm, -(int64_t)extra, t->cpu, &newbrk);
}

/*
 * free(@addr): 0, -EINVAL if @addr is not a live chunk, or what the fault
 * of the header write gave (-EAGAIN: the OOM killer killed another task
 * and nothing changed here; look @t up again and free again).
 */
int do_free(struct machine *m, struct task_struct *t, uint64_t addr)
{
	struct malloc_state *ms = &t->mm->heap;
	uint32_t i = chunk_slot(ms, addr);
	struct malloc_chunk *c;
	int rc;

	if (i >= ms->nr_chunks || ms->chunks[i].addr != addr ||
	    !ms->chunks[i].in_use)
		return -EINVAL;
	c = &ms->chunks[i];
	if (c->mmapped) {
		uint64_t start = addr - CHUNK_HDR, len = c->size;

		chunk_remove(ms, i);
		return do_munmap(m, t->mm, start, len, t->cpu);
	}
	/*
	 * The free chunk's links are written into it, before anything else
	 * changes: a fault the OOM killer stopped (-EAGAIN) leaves the chunk
	 * as it was, for the caller to free again.
	 */
	rc = write_header(m, t, addr - CHUNK_HDR);
	if (rc)
		return rc;
	c->in_use = 0;
	if (i + 1 < ms->nr_chunks && !ms->chunks[i + 1].in_use &&
	    !ms->chunks[i + 1].mmapped &&
	    ms->chunks[i + 1].addr == c->addr + c->size) {
		c->size += ms->chunks[i + 1].size;
		chunk_remove(ms, i + 1);
	}
	if (i > 0 && !ms->chunks[i - 1].in_use && !ms->chunks[i - 1].mmapped &&
	    ms->chunks[i - 1].addr + ms->chunks[i - 1].size == c->addr) {
		ms->chunks[i - 1].size += c->size;
		chunk_remove(ms, i);
		i--;
	}
	c = &ms->chunks[i];
	if (c->addr - CHUNK_HDR + c->size == ms->top) {
		ms->top = c->addr - CHUNK_HDR;
		chunk_remove(ms, i);
		return systrim(m, t);
	}
	return 0;
}

int malloc_init_arena(struct machine *m, struct task_struct *t,
		      unsigned int touch_kb)
{
	uint64_t want = (uint64_t)touch_kb * 1024, got = 0, addr, size, a;
	int rc;

	while (got < want) {
		/* mostly small objects, now and then a large buffer */
		size = prng_below(&m->prng, 100) < 3
			       ? MMAP_THRESHOLD + prng_below(&m->prng, 4) *
							  MMAP_THRESHOLD
			       : 16 + prng_below(&m->prng, 4096);
		rc = do_malloc(m, t, size, &addr);
		if (rc)
			return rc;
		for (a = addr & PAGE_MASK; a < addr + size; a += PAGE_SIZE) {
			rc = access_page(m, t, a, 1);
			if (rc)
				return rc;
		}
		got += size;
	}
	return 0;
}
