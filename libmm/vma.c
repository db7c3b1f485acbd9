// SPDX-License-Identifier: GPL-2.0
/*
 * Virtual memory areas (mm/vma.c, mm/mmap.c, mm/mprotect.c, mm/madvise.c):
 * a sorted array of non-overlapping VMAs per mm; mapping with MAP_FIXED
 * semantics, top-down placement below mmap_base, splitting and merging,
 * unmapping with page-table freeing, mprotect, madvise and brk.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "filemap_internal.h"
#include "memcontrol.h"
#include "mm_internal.h"
#include "mman.h"
#include "slab.h"
#include "tlb.h"

/* vm.mmap_min_addr and the guard gap below a stack (stack_guard_gap) */
#define MMAP_MIN_ADDR 65536ULL
#define STACK_GUARD_GAP (256ULL << PAGE_SHIFT)

static uint32_t vma_slot(const struct mm_struct *mm, uint64_t addr)
{
	uint32_t lo = 0, hi = mm->nr_vmas;

	/* the first VMA that ends above @addr */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (mm->vmas[mid].vm_end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct vm_area_struct *find_vma(const struct mm_struct *mm, uint64_t addr)
{
	uint32_t i = vma_slot(mm, addr);

	return i < mm->nr_vmas ? &mm->vmas[i] : NULL;
}

struct vm_area_struct *find_vma_mut(struct mm_struct *mm, uint64_t addr)
{
	return (struct vm_area_struct *)find_vma(mm, addr);
}

int vma_insert(struct mm_struct *mm, const struct vm_area_struct *vma)
{
	uint32_t i = vma_slot(mm, vma->vm_start);

	if (mm->nr_vmas == mm->vmas_size) {
		uint32_t n = mm->vmas_size ? 2 * mm->vmas_size : 32;
		struct vm_area_struct *v = realloc(mm->vmas, n * sizeof(*v));

		if (!v)
			return -ENOMEM;
		mm->vmas = v;
		mm->vmas_size = n;
	}
	memmove(&mm->vmas[i + 1], &mm->vmas[i],
		(mm->nr_vmas - i) * sizeof(*mm->vmas));
	mm->vmas[i] = *vma;
	mm->nr_vmas++;
	return 0;
}

static void vma_remove(struct mm_struct *mm, uint32_t i)
{
	memmove(&mm->vmas[i], &mm->vmas[i + 1],
		(mm->nr_vmas - i - 1) * sizeof(*mm->vmas));
	mm->nr_vmas--;
}

/* The node the owner of @mm runs on: where its kernel objects come from. */
static int mm_node(const struct machine *m, const struct mm_struct *mm)
{
	const struct task_struct *t = find_task_by_pid(m, mm->owner);

	return t ? m->cpu_to_node[t->cpu] : 0;
}

/*
 * A VMA with anonymous pages has an anon_vma and a chain link to it.  The
 * kernel shares anon_vmas between the parts of a split VMA and chains a
 * child's VMAs to its parent's; here each such VMA holds one of each.
 */
/*
 * Both caches are SLAB_ACCOUNT: the pair is charged to @objcg, kept in
 * the VMA's anon_objcg.
 */
static const enum kmem_cache_id anon_vma_caches[] = {
	KMEM_ANON_VMA,
	KMEM_ANON_VMA_CHAIN,
};

static int anon_vma_alloc(struct machine *m, int nid, uint32_t objcg)
{
	return kmem_cache_alloc_set(m, anon_vma_caches, 2, nid, objcg);
}

static void anon_vma_free(struct machine *m, uint32_t objcg)
{
	kmem_cache_free_set(m, anon_vma_caches, 2, objcg);
}

/* Called from faults, which run with the faulting task's memcg active. */
int anon_vma_prepare(struct machine *m, struct vm_area_struct *vma, int nid)
{
	int rc;

	if (vma->has_anon)
		return 0;
	rc = anon_vma_alloc(m, nid, current_obj_cgroup(m, nid));
	if (!rc)
		vma->anon_objcg = current_obj_cgroup(m, nid);
	return rc;
}

void anon_vma_unprepare(struct machine *m, struct vm_area_struct *vma)
{
	if (vma->has_anon)
		return;
	anon_vma_free(m, vma->anon_objcg);
	vma->anon_objcg = OBJCG_NONE;
}

static void vm_area_free(struct machine *m, const struct vm_area_struct *vma)
{
	if (vma->has_anon)
		anon_vma_free(m, vma->anon_objcg);
	kmem_cache_free_objcg(m, KMEM_VM_AREA_STRUCT, 1, vma->objcg);
}

void mm_kmem_objects(struct mm_struct *mm, kmem_owner_fn fn, void *arg)
{
	uint32_t i;

	fn(&mm->objcg, KMEM_MM_STRUCT, 1, arg);
	for (i = 0; i < mm->nr_vmas; i++) {
		struct vm_area_struct *vma = &mm->vmas[i];

		fn(&vma->objcg, KMEM_VM_AREA_STRUCT, 1, arg);
		if (!vma->has_anon)
			continue;
		fn(&vma->anon_objcg, KMEM_ANON_VMA, 1, arg);
		fn(&vma->anon_objcg, KMEM_ANON_VMA_CHAIN, 1, arg);
	}
}

/*
 * The objcg of what is allocated for @mm: the active memcg's (a fault,
 * fork, exec), else that of the task the mm belongs to, which is the
 * one calling mmap, munmap, mprotect or brk on it.
 */
static uint32_t mm_objcg(const struct machine *m, const struct mm_struct *mm,
			 int nid)
{
	const struct task_struct *t;

	if (m->active_memcg)
		return current_obj_cgroup(m, nid);
	t = find_task_by_pid(m, mm->owner);
	return t ? mem_cgroup_objcg(mem_cgroup_from_task(m, t), nid)
		 : OBJCG_NONE;
}

/*
 * vm_area_alloc() or vm_area_dup(): a new vm_area_struct (and anon_vma
 * pair) for a copy of @proto, charged afresh: a split or a fork's copy
 * is allocated now, by whoever acts.
 */
int insert_vm_struct(struct machine *m, struct mm_struct *mm,
		     const struct vm_area_struct *proto)
{
	struct vm_area_struct vma = *proto;
	int nid = mm_node(m, mm);
	int rc;

	vma.objcg = mm_objcg(m, mm, nid);
	vma.anon_objcg = vma.has_anon ? vma.objcg : OBJCG_NONE;
	rc = kmem_cache_alloc_objcg(m, KMEM_VM_AREA_STRUCT, 1, nid, vma.objcg);
	if (rc)
		return rc;
	if (vma.has_anon) {
		rc = anon_vma_alloc(m, nid, vma.anon_objcg);
		if (rc)
			goto free_vma;
	}
	rc = vma_insert(mm, &vma);
	if (rc)
		goto free_anon;
	return 0;
free_anon:
	if (vma.has_anon)
		anon_vma_free(m, vma.anon_objcg);
free_vma:
	kmem_cache_free_objcg(m, KMEM_VM_AREA_STRUCT, 1, vma.objcg);
	return rc;
}

/* Take the VMA at @i out of @mm and give back its kernel objects. */
static void remove_vm_struct(struct machine *m, struct mm_struct *mm,
			     uint32_t i)
{
	vm_area_free(m, &mm->vmas[i]);
	vma_remove(mm, i);
}

void exit_vm_structs(struct machine *m, const struct mm_struct *mm)
{
	uint32_t i;

	for (i = 0; i < mm->nr_vmas; i++)
		vm_area_free(m, &mm->vmas[i]);
}

static uint64_t vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

void vma_link_file(struct machine *m, const struct vm_area_struct *vma)
{
	struct inode *inode = inode_mut(m, vma->ino);

	if (inode)
		inode->mappers++;
}

void vma_unlink_file(struct machine *m, const struct vm_area_struct *vma)
{
	struct inode *inode = inode_mut(m, vma->ino);

	if (!inode)
		return;
	if (inode->kind == INODE_SYSV_SHM)
		shm_close(m, inode);
	if (--inode->mappers)
		return;
	if (inode->kind == INODE_HUGETLB_SHARED) {
		hugetlbfs_evict_inode(m, inode);
		inode->unlinked = 1;
		return;
	}
	shmem_last_unmap(m, inode);
}

void vm_stat_account(struct mm_struct *mm, uint64_t flags, int64_t npages)
{
	mm->total_vm += (uint64_t)npages;
	if ((flags & (VM_EXEC | VM_WRITE | VM_GROWSDOWN)) == VM_EXEC)
		mm->exec_vm += (uint64_t)npages;
	else if (flags & VM_GROWSDOWN)
		mm->stack_vm += (uint64_t)npages;
	else if ((flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
		mm->data_vm += (uint64_t)npages;
	if (flags & VM_LOCKED)
		mm->locked_vm += (uint64_t)npages;
}

/* Charge or uncharge Committed_AS for an accountable VMA. */
static void vm_commit_account(struct machine *m, uint64_t flags, int64_t npages)
{
	if (flags & VM_ACCOUNT)
		m->vm_committed_as += (uint64_t)npages;
}

void mm_update_hiwater(struct mm_struct *mm)
{
	if (get_mm_rss(mm) > mm->hiwater_rss)
		mm->hiwater_rss = get_mm_rss(mm);
	if (mm->total_vm > mm->hiwater_vm)
		mm->hiwater_vm = mm->total_vm;
}

uint64_t get_unmapped_area(const struct mm_struct *mm, uint64_t len)
{
	return get_unmapped_area_aligned(mm, len, PAGE_SIZE);
}

uint64_t get_unmapped_area_aligned(const struct mm_struct *mm, uint64_t len,
				   uint64_t align)
{
	int64_t i;

	/* gaps from the top down, the highest that fits below mmap_base */
	for (i = (int64_t)mm->nr_vmas; i >= 0; i--) {
		uint64_t lo = i ? mm->vmas[i - 1].vm_end : MMAP_MIN_ADDR;
		uint64_t hi = TASK_SIZE;

		if (i < (int64_t)mm->nr_vmas) {
			const struct vm_area_struct *next = &mm->vmas[i];

			hi = next->vm_start;
			if (next->vm_flags & VM_GROWSDOWN)
				hi = hi > STACK_GUARD_GAP ? hi - STACK_GUARD_GAP
							  : 0;
		}
		if (hi > mm->mmap_base)
			hi = mm->mmap_base;
		if (hi > lo && hi - lo >= len &&
		    ((hi - len) & ~(align - 1)) >= lo)
			return (hi - len) & ~(align - 1);
	}
	return 0;
}

/*
 * Cut the VMA at index @i in two at @addr (split_vma).  The upper part
 * keeps its file offset in step.
 */
static int split_vma(struct machine *m, struct mm_struct *mm, uint32_t i,
		     uint64_t addr)
{
	struct vm_area_struct upper = mm->vmas[i];
	int rc;

	/* a huge page may not straddle two VMAs (vma_adjust_trans_huge) */
	if ((addr & (PMD_SIZE - 1)) && pmd_trans_huge_at(mm, addr))
		split_huge_page_address(m, mm, addr);
	upper.vm_start = addr;
	upper.vm_pgoff += (addr - mm->vmas[i].vm_start) >> PAGE_SHIFT;
	mm->vmas[i].vm_end = addr;
	rc = insert_vm_struct(m, mm, &upper);
	if (rc) {
		mm->vmas[i].vm_end = upper.vm_end;
		return rc;
	}
	vma_link_file(m, &upper);
	return 0;
}

static int vma_can_merge(const struct vm_area_struct *a,
			 const struct vm_area_struct *b)
{
	if (a->vm_end != b->vm_start || a->vm_flags != b->vm_flags ||
	    a->ino != b->ino || a->kind != b->kind ||
	    strcmp(a->anon_name, b->anon_name))
		return 0;
	if (a->kind != VMA_PLAIN && a->kind != VMA_HEAP)
		return 0;
	return a->vm_pgoff + vma_pages(a) == b->vm_pgoff;
}

/*
 * The VMA before @i takes over the range of the VMA at @i, which goes
 * with its vm_area_struct, and its anon_vma if both had one.
 */
static void vma_absorb(struct machine *m, struct mm_struct *mm, uint32_t i)
{
	struct vm_area_struct *prev = &mm->vmas[i - 1], *next = &mm->vmas[i];

	prev->vm_end = next->vm_end;
	if (prev->has_anon && next->has_anon)
		anon_vma_free(m, next->anon_objcg);
	else if (next->has_anon)
		prev->anon_objcg = next->anon_objcg;
	prev->has_anon |= next->has_anon;
	vma_unlink_file(m, next);
	kmem_cache_free_objcg(m, KMEM_VM_AREA_STRUCT, 1, next->objcg);
	vma_remove(mm, i);
}

/* Merge the VMA at @i with its neighbours where they are compatible. */
static void vma_merge_around(struct machine *m, struct mm_struct *mm,
			     uint32_t i)
{
	if (i + 1 < mm->nr_vmas &&
	    vma_can_merge(&mm->vmas[i], &mm->vmas[i + 1]))
		vma_absorb(m, mm, i + 1);
	if (i > 0 && vma_can_merge(&mm->vmas[i - 1], &mm->vmas[i]))
		vma_absorb(m, mm, i);
}

/* A hugetlb VMA can only be cut on huge page boundaries. */
static int range_splits_hugetlb(const struct mm_struct *mm, uint64_t start,
				uint64_t end)
{
	uint32_t i;

	if (!((start | end) & (PMD_SIZE - 1)))
		return 0;
	for (i = vma_slot(mm, start);
	     i < mm->nr_vmas && mm->vmas[i].vm_start < end; i++)
		if (mm->vmas[i].vm_flags & VM_HUGETLB)
			return 1;
	return 0;
}

int do_munmap(struct machine *m, struct mm_struct *mm, uint64_t start,
	      uint64_t len, int cpu)
{
	uint64_t end = start + len, floor, ceiling, zapped = 0;
	uint32_t i = vma_slot(mm, start), first;
	int rc;

	if (i >= mm->nr_vmas || mm->vmas[i].vm_start >= end)
		return 0;
	if (range_splits_hugetlb(mm, start, end))
		return -EINVAL;
	mm_update_hiwater(mm);
	if (mm->vmas[i].vm_start < start) {
		rc = split_vma(m, mm, i, start);
		if (rc)
			return rc;
		i++;
	}
	first = i;
	while (i < mm->nr_vmas && mm->vmas[i].vm_start < end) {
		if (mm->vmas[i].vm_end > end) {
			rc = split_vma(m, mm, i, end);
			if (rc)
				return rc;
		}
		i++;
	}
	floor = first ? mm->vmas[first - 1].vm_end : 0;
	ceiling = i < mm->nr_vmas ? mm->vmas[i].vm_start : 0;
	for (i = first; i < mm->nr_vmas && mm->vmas[i].vm_start < end; i++) {
		struct vm_area_struct *vma = &mm->vmas[i];

		zapped +=
			zap_page_range(m, mm, vma, vma->vm_start, vma->vm_end);
		vm_stat_account(mm, vma->vm_flags, -(int64_t)vma_pages(vma));
		vm_commit_account(m, vma->vm_flags, -(int64_t)vma_pages(vma));
	}
	while (first < mm->nr_vmas && mm->vmas[first].vm_start < end) {
		vma_unlink_file(m, &mm->vmas[first]);
		remove_vm_struct(m, mm, first);
	}
	free_pgtables(m, mm, start, end, floor, ceiling);
	if (zapped)
		flush_tlb_mm_range(m, mm, start, end, PAGE_SHIFT, cpu);
	return 0;
}

/* Pages of [@start, @end) that Committed_AS holds for @mm. */
static uint64_t accounted_pages(const struct mm_struct *mm, uint64_t start,
				uint64_t end)
{
	uint64_t pages = 0;
	uint32_t i;

	for (i = vma_slot(mm, start);
	     i < mm->nr_vmas && mm->vmas[i].vm_start < end; i++) {
		const struct vm_area_struct *vma = &mm->vmas[i];
		uint64_t lo = vma->vm_start > start ? vma->vm_start : start;
		uint64_t hi = vma->vm_end < end ? vma->vm_end : end;

		if (vma->vm_flags & VM_ACCOUNT)
			pages += (hi - lo) >> PAGE_SHIFT;
	}
	return pages;
}

int mmap_region(struct machine *m, struct mm_struct *mm,
		const struct vm_area_struct *proto, int cpu)
{
	uint64_t pages = vma_pages(proto);
	uint32_t i;
	int rc;

	/* what a MAP_FIXED mapping replaces gives its charge back first */
	if (proto->vm_flags & VM_ACCOUNT) {
		rc = vm_enough_memory_mm(
			m, mm, 0,
			pages - accounted_pages(mm, proto->vm_start,
						proto->vm_end));
		if (rc)
			return rc;
	}
	rc = do_munmap(m, mm, proto->vm_start, proto->vm_end - proto->vm_start,
		       cpu);
	if (rc)
		return rc;
	rc = insert_vm_struct(m, mm, proto);
	if (rc)
		return rc;
	vma_link_file(m, proto);
	vm_stat_account(mm, proto->vm_flags, (int64_t)pages);
	vm_commit_account(m, proto->vm_flags, (int64_t)pages);
	i = vma_slot(mm, proto->vm_start);
	vma_merge_around(m, mm, i);
	mm_update_hiwater(mm);
	return 0;
}

/*
 * Split the VMAs so that [@start, @end) begins and ends on VMA
 * boundaries.  -ENOMEM if part of the range is not mapped, as mprotect
 * and madvise report it.
 */
static int vma_isolate_range(struct machine *m, struct mm_struct *mm,
			     uint64_t start, uint64_t end, uint32_t *first,
			     uint32_t *last)
{
	uint32_t i = vma_slot(mm, start);
	uint64_t addr = start;
	int rc;

	if (range_splits_hugetlb(mm, start, end))
		return -EINVAL;
	for (; addr < end; i++) {
		if (i >= mm->nr_vmas || mm->vmas[i].vm_start > addr)
			return -ENOMEM;
		addr = mm->vmas[i].vm_end;
	}
	i = vma_slot(mm, start);
	if (mm->vmas[i].vm_start < start) {
		rc = split_vma(m, mm, i, start);
		if (rc)
			return rc;
		i++;
	}
	*first = i;
	while (mm->vmas[i].vm_end < end)
		i++;
	if (mm->vmas[i].vm_end > end) {
		rc = split_vma(m, mm, i, end);
		if (rc)
			return rc;
	}
	*last = i;
	return 0;
}

/* Whether every VMA of [@start, @end) could take @prot (mprotect_fixup). */
static int mprotect_allowed(const struct mm_struct *mm, uint64_t start,
			    uint64_t end, uint64_t prot)
{
	uint32_t i;

	for (i = vma_slot(mm, start);
	     i < mm->nr_vmas && mm->vmas[i].vm_start < end; i++) {
		uint64_t may = mm->vmas[i].vm_flags;

		if (((prot & VM_READ) && !(may & VM_MAYREAD)) ||
		    ((prot & VM_WRITE) && !(may & VM_MAYWRITE)) ||
		    ((prot & VM_EXEC) && !(may & VM_MAYEXEC)))
			return -EACCES;
	}
	return 0;
}

/*
 * Whether the private mappings of [@start, @end) that @prot makes
 * writable may be charged (mprotect_fixup), VMA by VMA as the kernel
 * asks; all before any VMA is split, so that a refusal changes nothing.
 */
static int mprotect_enough_memory(struct machine *m, const struct mm_struct *mm,
				  uint64_t start, uint64_t end, uint64_t prot)
{
	uint64_t charged = 0;
	uint32_t i;
	int rc;

	if (!(prot & VM_WRITE))
		return 0;
	for (i = vma_slot(mm, start);
	     i < mm->nr_vmas && mm->vmas[i].vm_start < end; i++) {
		const struct vm_area_struct *vma = &mm->vmas[i];
		uint64_t lo = vma->vm_start > start ? vma->vm_start : start;
		uint64_t hi = vma->vm_end < end ? vma->vm_end : end;

		if (vma->vm_flags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB |
				     VM_SHARED | VM_NORESERVE))
			continue;
		rc = vm_enough_memory_mm(m, mm, charged,
					 (hi - lo) >> PAGE_SHIFT);
		if (rc)
			return rc;
		charged += (hi - lo) >> PAGE_SHIFT;
	}
	return 0;
}

int do_mprotect(struct machine *m, struct mm_struct *mm, uint64_t start,
		uint64_t len, uint64_t prot, int cpu)
{
	uint64_t end = start + len;
	uint32_t first, last, i;
	int rc;

	rc = mprotect_allowed(mm, start, end, prot);
	rc = rc ?: mprotect_enough_memory(m, mm, start, end, prot);
	rc = rc ?: vma_isolate_range(m, mm, start, end, &first, &last);
	if (rc)
		return rc;
	for (i = first; i <= last; i++) {
		struct vm_area_struct *vma = &mm->vmas[i];
		uint64_t flags = (vma->vm_flags & ~VM_ACCESS_FLAGS) | prot;
		int64_t pages = (int64_t)vma_pages(vma);

		/* a private mapping made writable is charged, as mmap would */
		if ((prot & VM_WRITE) &&
		    !(vma->vm_flags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB |
				       VM_SHARED | VM_NORESERVE)))
			flags |= VM_ACCOUNT;
		else if (!(prot & VM_WRITE) && !vma->ino && !vma->has_anon)
			flags &= ~VM_ACCOUNT;
		vm_stat_account(mm, vma->vm_flags, -pages);
		vm_commit_account(m, vma->vm_flags, -pages);
		vma->vm_flags = flags;
		vm_stat_account(mm, flags, pages);
		vm_commit_account(m, flags, pages);
		change_protection(m, mm, vma->vm_start, vma->vm_end, flags);
	}
	flush_tlb_mm_range(m, mm, start, end, PAGE_SHIFT, cpu);
	for (i = last + 1; i-- > first;)
		vma_merge_around(m, mm, i);
	return 0;
}

int do_madvise_flags(struct machine *m, struct mm_struct *mm, uint64_t start,
		     uint64_t len, uint64_t set, uint64_t clear)
{
	uint32_t first, last, i;
	int rc;

	rc = vma_isolate_range(m, mm, start, start + len, &first, &last);
	if (rc)
		return rc;
	for (i = first; i <= last; i++)
		mm->vmas[i].vm_flags = (mm->vmas[i].vm_flags & ~clear) | set;
	for (i = last + 1; i-- > first;)
		vma_merge_around(m, mm, i);
	return 0;
}

int do_madvise_dontneed(struct machine *m, struct mm_struct *mm, uint64_t start,
			uint64_t len, int cpu)
{
	uint64_t end = start + len, addr = start, zapped = 0;
	uint32_t i;

	for (i = vma_slot(mm, start); addr < end; i++) {
		const struct vm_area_struct *vma;
		uint64_t lo, hi;

		if (i >= mm->nr_vmas || mm->vmas[i].vm_start > addr)
			return -ENOMEM;
		vma = &mm->vmas[i];
		if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB))
			return -EINVAL;
		lo = addr;
		hi = vma->vm_end < end ? vma->vm_end : end;
		mm_update_hiwater(mm);
		zapped += zap_page_range(m, mm, vma, lo, hi);
		addr = hi;
	}
	if (zapped)
		flush_tlb_mm_range(m, mm, start, end, PAGE_SHIFT, cpu);
	return 0;
}

int do_brk(struct machine *m, struct mm_struct *mm, int64_t delta, int cpu,
	   uint64_t *new_brk)
{
	uint64_t oldbrk = PAGE_ALIGN(mm->brk), brk, newbrk;
	const struct vm_area_struct *next;
	struct vm_area_struct heap = {
		.vm_flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE |
			    VM_MAYEXEC | VM_ACCOUNT | VM_SOFTDIRTY,
		.kind = VMA_HEAP,
	};
	int rc;

	if (delta < 0 && (uint64_t)-delta > mm->brk - mm->start_brk)
		return -ENOMEM;
	brk = mm->brk + (uint64_t)delta;
	newbrk = PAGE_ALIGN(brk);
	if (newbrk < oldbrk) {
		rc = do_munmap(m, mm, newbrk, oldbrk - newbrk, cpu);
		if (rc)
			return rc;
	} else if (newbrk > oldbrk) {
		next = find_vma(mm, oldbrk);
		if (next && newbrk + STACK_GUARD_GAP > next->vm_start)
			return -ENOMEM;
		heap.vm_start = oldbrk;
		heap.vm_end = newbrk;
		heap.vm_pgoff = oldbrk >> PAGE_SHIFT;
		rc = mmap_region(m, mm, &heap, cpu);
		if (rc)
			return rc;
	}
	mm->brk = brk;
	*new_brk = brk;
	return 0;
}
