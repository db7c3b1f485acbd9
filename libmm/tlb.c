// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU TLBs, after arch/x86/mm/tlb.c: ASID (PCID) slots handed out
 * round-robin per CPU and kept valid by comparing each slot's tlb_gen with
 * the mm's; flushes that invalidate page by page up to a ceiling and the
 * whole ASID beyond it; IPIs to the other CPUs that have the mm loaded.
 * The TLB itself is a set-associative cache of translations with LRU
 * replacement, tagged with the ASID, in the sizes of tlb.h.
 *
 * Every CPU is taken to be running the mm it has loaded (there is no lazy
 * TLB mode to skip IPIs for), so a flush reaches every CPU that has the
 * mm loaded and those CPUs never hold stale entries.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fork.h"
#include "machine.h"
#include "mm.h"
#include "tlb.h"
#include "vmstat.h"

#define DTLB_SETS (DTLB_ENTRIES / DTLB_WAYS)
#define DTLB_2M_SETS (DTLB_2M_ENTRIES / DTLB_2M_WAYS)
#define STLB_SETS (STLB_ENTRIES / STLB_WAYS)
#define TLB_E_PERM (TLB_E_WRITE | TLB_E_DIRTY)
/* user addresses: the lower half of the 48-bit address space */
#define TLB_USER_BITS 47
/* the bits between the TLB_E_* flags and the ASID */
#define TLB_E_RESERVED 0xf0ULL

/* What a flush asks each CPU to do (struct flush_tlb_info). */
struct flush_tlb_info {
	const struct mm_struct *mm;
	uint64_t start, end;
	unsigned int stride_shift;
	uint64_t new_tlb_gen;
	int initiating_cpu;
	struct task_struct *owner; /* the mm's task, for its counters */
};

static struct cpu_tlb *this_tlb(struct machine *m, int cpu)
{
	if (!m->cpu_tlb || cpu < 0 || cpu >= m->nr_cpu_ids)
		return NULL;
	return &m->cpu_tlb[cpu];
}

const struct tlb_stats *cpu_tlb_stats(const struct machine *m, int cpu)
{
	if (!m->cpu_tlb || cpu < 0 || cpu >= m->nr_cpu_ids)
		return NULL;
	return &m->cpu_tlb[cpu].stats;
}

static uint64_t tlb_key(uint64_t vpn, unsigned int asid, uint64_t huge)
{
	return vpn << TLB_VPN_SHIFT | (uint64_t)asid << TLB_ASID_SHIFT | huge |
	       TLB_E_VALID;
}

/* The ways of the set that @vpn (in the array's page size) indexes. */
static struct tlb_entry *dtlb_set(struct cpu_tlb *c, uint64_t vpn)
{
	return &c->dtlb[(vpn % DTLB_SETS) * DTLB_WAYS];
}

static struct tlb_entry *dtlb_2m_set(struct cpu_tlb *c, uint64_t vpn)
{
	return &c->dtlb_2m[(vpn % DTLB_2M_SETS) * DTLB_2M_WAYS];
}

static struct tlb_entry *stlb_set(struct cpu_tlb *c, uint64_t vpn)
{
	return &c->stlb[(vpn % STLB_SETS) * STLB_WAYS];
}

static struct tlb_entry *set_find(struct tlb_entry *set, unsigned int ways,
				  uint64_t key)
{
	unsigned int i;

	for (i = 0; i < ways; i++)
		if ((set[i].tag & ~TLB_E_PERM) == key)
			return &set[i];
	return NULL;
}

/*
 * Put @tag in its set: over the entry with the same key if there is one,
 * else in the first free way, else over the least recently used.
 */
static void set_insert(struct cpu_tlb *c, struct tlb_entry *set,
		       unsigned int ways, uint64_t tag)
{
	struct tlb_entry *victim = set_find(set, ways, tag & ~TLB_E_PERM);
	unsigned int i;

	for (i = 0; !victim && i < ways; i++)
		if (!(set[i].tag & TLB_E_VALID))
			victim = &set[i];
	if (!victim) {
		victim = &set[0];
		for (i = 1; i < ways; i++)
			if (set[i].lru < victim->lru)
				victim = &set[i];
	}
	victim->tag = tag;
	victim->lru = ++c->clock;
}

static void set_drop(struct tlb_entry *set, unsigned int ways, uint64_t key)
{
	struct tlb_entry *e = set_find(set, ways, key);

	if (e)
		e->tag = e->lru = 0;
}

/* invlpg: whatever entry of @asid translates @addr, of either size. */
static void flush_tlb_one(struct cpu_tlb *c, unsigned int asid, uint64_t addr)
{
	uint64_t vpn = addr >> PAGE_SHIFT, hpn = addr >> PMD_SHIFT;
	uint64_t k4 = tlb_key(vpn, asid, 0),
		 k2 = tlb_key(hpn, asid, TLB_E_HUGE);

	set_drop(dtlb_set(c, vpn), DTLB_WAYS, k4);
	set_drop(dtlb_2m_set(c, hpn), DTLB_2M_WAYS, k2);
	set_drop(stlb_set(c, vpn), STLB_WAYS, k4);
	set_drop(stlb_set(c, hpn), STLB_WAYS, k2);
}

static void drop_asid(struct tlb_entry *e, unsigned int n, unsigned int asid)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if ((e[i].tag & TLB_E_VALID) &&
		    ((e[i].tag >> TLB_ASID_SHIFT) & 0xff) == asid)
			e[i].tag = e[i].lru = 0;
}

/*
 * Every entry of @asid: a CR3 write without the no-flush bit.  Without
 * PCID all entries are ASID 0, so that is the whole TLB.
 */
static void flush_tlb_asid(struct cpu_tlb *c, unsigned int asid)
{
	drop_asid(c->dtlb, DTLB_ENTRIES, asid);
	drop_asid(c->dtlb_2m, DTLB_2M_ENTRIES, asid);
	drop_asid(c->stlb, STLB_ENTRIES, asid);
}

static void reset_cpu_tlb(struct cpu_tlb *c)
{
	memset(c, 0, sizeof(*c));
	/* initialize_tlbstate_and_flush(): init_mm in ASID 0 */
	c->loaded_ctx_id = INIT_MM_CTX_ID;
	c->next_asid = 1;
	c->ctxs[0].ctx_id = INIT_MM_CTX_ID;
}

int tlb_init(struct machine *m)
{
	int cpu;

	if (!m->cpu_tlb) {
		m->cpu_tlb = calloc((size_t)m->nr_cpu_ids, sizeof(*m->cpu_tlb));
		if (!m->cpu_tlb)
			return -ENOMEM;
	}
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++)
		reset_cpu_tlb(&m->cpu_tlb[cpu]);
	m->pcid = !m->params.nopcid;
	if (m->last_mm_ctx_id < INIT_MM_CTX_ID)
		m->last_mm_ctx_id = INIT_MM_CTX_ID;
	return 0;
}

void tlb_free(struct machine *m)
{
	free(m->cpu_tlb);
	m->cpu_tlb = NULL;
}

void init_new_context(struct machine *m, struct mm_struct *mm)
{
	if (m->last_mm_ctx_id < INIT_MM_CTX_ID)
		m->last_mm_ctx_id = INIT_MM_CTX_ID;
	mm->ctx_id = ++m->last_mm_ctx_id;
	mm->tlb_gen = 0;
}

/*
 * The ASID for @ctx_id on this CPU (choose_new_asid()): the slot that
 * already names it, flushed only if it missed a flush, or else the next
 * slot round-robin, flushed.
 */
static unsigned int choose_new_asid(const struct machine *m, struct cpu_tlb *c,
				    uint64_t ctx_id, uint64_t tlb_gen,
				    int *need_flush)
{
	unsigned int asid;

	if (!m->pcid) {
		*need_flush = 1;
		return 0;
	}
	for (asid = 0; asid < TLB_NR_DYN_ASIDS; asid++) {
		if (c->ctxs[asid].ctx_id != ctx_id)
			continue;
		*need_flush = c->ctxs[asid].tlb_gen < tlb_gen;
		return asid;
	}
	asid = c->next_asid++;
	if (asid >= TLB_NR_DYN_ASIDS) {
		asid = 0;
		c->next_asid = 1;
	}
	*need_flush = 1;
	return asid;
}

/*
 * Load the context @ctx_id at generation @tlb_gen (the body of
 * switch_mm_irqs_off()); @t, if any, is charged for the flush.
 */
static void load_new_mm(struct machine *m, struct cpu_tlb *c, uint64_t ctx_id,
			uint64_t tlb_gen, struct task_struct *t)
{
	unsigned int asid;
	int need_flush;

	if (c->loaded_ctx_id == ctx_id) {
		asid = c->loaded_mm_asid;
		/* it missed a flush while it was not running here */
		if (c->ctxs[asid].tlb_gen >= tlb_gen)
			return;
		need_flush = 1;
	} else {
		asid = choose_new_asid(m, c, ctx_id, tlb_gen, &need_flush);
	}
	if (need_flush) {
		c->ctxs[asid].ctx_id = ctx_id;
		c->ctxs[asid].tlb_gen = tlb_gen;
		flush_tlb_asid(c, asid);
		c->stats.flushes++;
		if (t)
			t->tlb.flushes++;
	}
	c->loaded_ctx_id = ctx_id;
	c->loaded_mm_asid = asid;
}

int switch_mm(struct machine *m, int cpu, struct task_struct *t)
{
	struct cpu_tlb *c = this_tlb(m, cpu);

	if (!c || !t)
		return -EINVAL;
	/* enter_lazy_tlb(): a kernel thread borrows whatever is loaded */
	if (!t->mm)
		return 0;
	load_new_mm(m, c, t->mm->ctx_id, t->mm->tlb_gen, t);
	return 0;
}

/* The CPU's TLB, if @t's mm is the one loaded on it. */
static struct cpu_tlb *tlb_of(struct machine *m, int cpu,
			      const struct task_struct *t)
{
	struct cpu_tlb *c = this_tlb(m, cpu);

	if (!c || !t || !t->mm || c->loaded_ctx_id != t->mm->ctx_id)
		return NULL;
	return c;
}

static int entry_allows(const struct tlb_entry *e, int write)
{
	return !write || (e->tag & TLB_E_PERM) == TLB_E_PERM;
}

static unsigned int entry_shift(const struct tlb_entry *e)
{
	return e->tag & TLB_E_HUGE ? PMD_SHIFT : PAGE_SHIFT;
}

int tlb_lookup(struct machine *m, int cpu, struct task_struct *t, uint64_t addr,
	       int write, unsigned int *shift)
{
	struct cpu_tlb *c = tlb_of(m, cpu, t);
	uint64_t vpn = addr >> PAGE_SHIFT, hpn = addr >> PMD_SHIFT;
	uint64_t k4, k2;
	struct tlb_entry *e;
	int l1 = 1;

	if (!c || addr >> TLB_USER_BITS)
		return -EINVAL;
	k4 = tlb_key(vpn, c->loaded_mm_asid, 0);
	k2 = tlb_key(hpn, c->loaded_mm_asid, TLB_E_HUGE);
	c->stats.accesses++;
	t->tlb.accesses++;

	e = set_find(dtlb_set(c, vpn), DTLB_WAYS, k4);
	if (!e)
		e = set_find(dtlb_2m_set(c, hpn), DTLB_2M_WAYS, k2);
	if (!e) {
		l1 = 0;
		e = set_find(stlb_set(c, vpn), STLB_WAYS, k4);
		if (!e)
			e = set_find(stlb_set(c, hpn), STLB_WAYS, k2);
	}
	if (!e) {
		c->stats.walks++;
		t->tlb.walks++;
		return 0;
	}
	if (!entry_allows(e, write)) {
		/* the walk that follows rewrites the translation */
		flush_tlb_one(c, c->loaded_mm_asid, addr);
		c->stats.walks++;
		t->tlb.walks++;
		return 0;
	}
	e->lru = ++c->clock;
	if (shift)
		*shift = entry_shift(e);
	if (l1) {
		c->stats.dtlb_hits++;
		t->tlb.dtlb_hits++;
		return 1;
	}
	c->stats.stlb_hits++;
	t->tlb.stlb_hits++;
	if (e->tag & TLB_E_HUGE)
		set_insert(c, dtlb_2m_set(c, hpn), DTLB_2M_WAYS, e->tag);
	else
		set_insert(c, dtlb_set(c, vpn), DTLB_WAYS, e->tag);
	return 1;
}

int tlb_fill(struct machine *m, int cpu, struct task_struct *t, uint64_t addr,
	     unsigned int shift, int writable, int dirty)
{
	struct cpu_tlb *c = tlb_of(m, cpu, t);
	uint64_t perm =
		(writable ? TLB_E_WRITE : 0) | (dirty ? TLB_E_DIRTY : 0);
	uint64_t vpn = addr >> shift;

	if (!c || addr >> TLB_USER_BITS ||
	    (shift != PAGE_SHIFT && shift != PMD_SHIFT))
		return -EINVAL;
	if (shift == PMD_SHIFT) {
		uint64_t tag = tlb_key(vpn, c->loaded_mm_asid, TLB_E_HUGE);

		set_insert(c, dtlb_2m_set(c, vpn), DTLB_2M_WAYS, tag | perm);
		set_insert(c, stlb_set(c, vpn), STLB_WAYS, tag | perm);
	} else {
		uint64_t tag = tlb_key(vpn, c->loaded_mm_asid, 0);

		set_insert(c, dtlb_set(c, vpn), DTLB_WAYS, tag | perm);
		set_insert(c, stlb_set(c, vpn), STLB_WAYS, tag | perm);
	}
	return 0;
}

/*
 * One CPU's part of a flush (flush_tlb_func()): the IPI handler on the
 * other CPUs, a plain call on the initiating one.  Only the initiating CPU
 * counts its flush in the local vmstat events, as the kernel does.
 */
static void flush_tlb_func(struct machine *m, int cpu,
			   const struct flush_tlb_info *f)
{
	struct cpu_tlb *c = &m->cpu_tlb[cpu];
	int local = cpu == f->initiating_cpu;
	unsigned int asid = c->loaded_mm_asid;
	uint64_t local_tlb_gen = c->ctxs[asid].tlb_gen;
	uint64_t mm_tlb_gen = f->mm->tlb_gen;
	struct task_struct *owner = f->owner;

	if (!local) {
		count_vm_event(m, NR_TLB_REMOTE_FLUSH_RECEIVED);
		c->stats.shootdowns_received++;
		if (owner)
			owner->tlb.shootdowns_received++;
	}
	if (c->loaded_ctx_id != f->mm->ctx_id)
		return;
	/* already caught up by a later flush */
	if (f->new_tlb_gen <= local_tlb_gen || local_tlb_gen == mm_tlb_gen)
		return;

	/*
	 * One by one only if this flush alone brings the CPU up to date;
	 * otherwise an earlier full flush may be owed.
	 */
	if (f->end != TLB_FLUSH_ALL && f->new_tlb_gen == local_tlb_gen + 1 &&
	    f->new_tlb_gen == mm_tlb_gen) {
		uint64_t addr, nr = 0;

		for (addr = f->start; addr < f->end;
		     addr += 1ULL << f->stride_shift) {
			flush_tlb_one(c, asid, addr);
			nr++;
		}
		c->stats.flush_one += nr;
		if (owner)
			owner->tlb.flush_one += nr;
		if (local)
			count_vm_events(m, NR_TLB_LOCAL_FLUSH_ONE, nr);
	} else {
		flush_tlb_asid(c, asid);
		c->stats.flushes++;
		if (owner)
			owner->tlb.flushes++;
		if (local)
			count_vm_event(m, NR_TLB_LOCAL_FLUSH_ALL);
	}
	c->ctxs[asid].tlb_gen = mm_tlb_gen;
}

int flush_tlb_mm_range(struct machine *m, struct mm_struct *mm, uint64_t start,
		       uint64_t end, unsigned int stride_shift, int cpu)
{
	struct flush_tlb_info f;
	int i, nr_remote = 0;

	if (!this_tlb(m, cpu) || !mm || stride_shift >= 64 || end < start)
		return -EINVAL;
	/* get_flush_tlb_info(): many pages are cheaper flushed at once */
	if (end != TLB_FLUSH_ALL &&
	    (end - start) >> stride_shift > TLB_SINGLE_PAGE_FLUSH_CEILING) {
		start = 0;
		end = TLB_FLUSH_ALL;
	}
	f.mm = mm;
	f.start = start;
	f.end = end;
	f.stride_shift = stride_shift;
	f.new_tlb_gen = ++mm->tlb_gen;
	f.initiating_cpu = cpu;
	f.owner = find_task_mut(m, mm->owner);
	if (f.owner && f.owner->mm != mm)
		f.owner = NULL;

	for (i = 0; i < m->nr_cpu_ids; i++)
		if (i != cpu && m->cpu_tlb[i].loaded_ctx_id == mm->ctx_id)
			nr_remote++;
	if (nr_remote) {
		/* native_flush_tlb_multi(): one event per shootdown */
		count_vm_event(m, NR_TLB_REMOTE_FLUSH);
		m->cpu_tlb[cpu].stats.shootdowns_sent += (uint64_t)nr_remote;
		if (f.owner)
			f.owner->tlb.shootdowns_sent += (uint64_t)nr_remote;
		for (i = 0; i < m->nr_cpu_ids; i++)
			if (m->cpu_tlb[i].loaded_ctx_id == mm->ctx_id)
				flush_tlb_func(m, i, &f);
	} else if (m->cpu_tlb[cpu].loaded_ctx_id == mm->ctx_id) {
		flush_tlb_func(m, cpu, &f);
	}
	return 0;
}

int flush_tlb_mm(struct machine *m, struct mm_struct *mm, int cpu)
{
	return flush_tlb_mm_range(m, mm, 0, TLB_FLUSH_ALL, PAGE_SHIFT, cpu);
}

void tlb_mm_exit(struct machine *m, struct mm_struct *mm)
{
	int cpu, asid;

	if (!m->cpu_tlb || !mm)
		return;
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		struct cpu_tlb *c = &m->cpu_tlb[cpu];

		/* leave_mm(): the kernel's own page tables, init_mm */
		if (c->loaded_ctx_id == mm->ctx_id)
			load_new_mm(m, c, INIT_MM_CTX_ID, 0, NULL);
		/* a dead context never matches again; say so plainly */
		for (asid = 0; asid < TLB_NR_DYN_ASIDS; asid++)
			if (c->ctxs[asid].ctx_id == mm->ctx_id)
				c->ctxs[asid].ctx_id = c->ctxs[asid].tlb_gen =
					0;
	}
}

static const uint64_t *stats_fields(const struct tlb_stats *s, int *n)
{
	*n = (int)(sizeof(*s) / sizeof(uint64_t));
	return &s->accesses;
}

/* The entry arrays of a CPU, and what each may hold. */
struct tlb_array {
	struct tlb_entry *e;
	unsigned int n, ways;
	uint64_t huge; /* TLB_E_HUGE if only 2 MiB, 0 if only 4 KiB */
	int mixed; /* both sizes */
};

static void cpu_arrays(struct cpu_tlb *c, struct tlb_array a[3])
{
	a[0] = (struct tlb_array){c->dtlb, DTLB_ENTRIES, DTLB_WAYS, 0, 0};
	a[1] = (struct tlb_array){c->dtlb_2m, DTLB_2M_ENTRIES, DTLB_2M_WAYS,
				  TLB_E_HUGE, 0};
	a[2] = (struct tlb_array){c->stlb, STLB_ENTRIES, STLB_WAYS, 0, 1};
}

void tlb_save(const struct machine *m, void (*put)(void *ctx, uint64_t v),
	      void *ctx)
{
	struct tlb_array a[3];
	const uint64_t *st;
	int cpu, i, n;
	unsigned int k, j, valid;

	put(ctx, (uint64_t)m->nr_cpu_ids);
	put(ctx, (uint64_t)m->pcid);
	put(ctx, m->last_mm_ctx_id);
	if (!m->cpu_tlb)
		return;
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		struct cpu_tlb *c = &m->cpu_tlb[cpu];

		put(ctx, c->loaded_ctx_id);
		put(ctx, c->loaded_mm_asid);
		put(ctx, c->next_asid);
		put(ctx, c->clock);
		for (i = 0; i < TLB_NR_DYN_ASIDS; i++) {
			put(ctx, c->ctxs[i].ctx_id);
			put(ctx, c->ctxs[i].tlb_gen);
		}
		st = stats_fields(&c->stats, &n);
		for (i = 0; i < n; i++)
			put(ctx, st[i]);
		cpu_arrays(c, a);
		for (k = 0; k < 3; k++) {
			for (valid = 0, j = 0; j < a[k].n; j++)
				valid += (a[k].e[j].tag & TLB_E_VALID) != 0;
			put(ctx, valid);
			/* age rather than stamp: small numbers, short varints
			 */
			for (j = 0; j < a[k].n; j++) {
				if (!(a[k].e[j].tag & TLB_E_VALID))
					continue;
				put(ctx, j);
				put(ctx, a[k].e[j].tag);
				put(ctx, c->clock - a[k].e[j].lru);
			}
		}
	}
}

/* Whether @tag may sit at index @j of array @a. */
static int tag_fits(const struct tlb_array *a, unsigned int j, uint64_t tag)
{
	uint64_t huge = tag & TLB_E_HUGE;
	uint64_t vpn = tag >> TLB_VPN_SHIFT;
	unsigned int sets = a->n / a->ways;

	if (!(tag & TLB_E_VALID) || (tag & TLB_E_RESERVED) ||
	    ((tag >> TLB_ASID_SHIFT) & 0xff) >= TLB_NR_DYN_ASIDS)
		return 0;
	if (!a->mixed && huge != a->huge)
		return 0;
	return vpn % sets == j / a->ways;
}

int tlb_load(struct machine *m, uint64_t (*get)(void *ctx), void *ctx)
{
	struct tlb_array a[3];
	uint64_t *st, v, pcid;
	int cpu, i, n, rc;
	unsigned int k;

	if (get(ctx) != (uint64_t)m->nr_cpu_ids)
		return -EINVAL;
	pcid = get(ctx);
	v = get(ctx);
	if (pcid > 1 || v < INIT_MM_CTX_ID)
		return -EINVAL;
	rc = tlb_init(m);
	if (rc)
		return rc;
	m->pcid = (int)pcid;
	m->last_mm_ctx_id = v;
	for (cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		struct cpu_tlb *c = &m->cpu_tlb[cpu];

		c->loaded_ctx_id = get(ctx);
		v = get(ctx);
		if (v >= TLB_NR_DYN_ASIDS)
			return -EINVAL;
		c->loaded_mm_asid = (uint32_t)v;
		v = get(ctx);
		if (v < 1 || v > TLB_NR_DYN_ASIDS)
			return -EINVAL;
		c->next_asid = (uint32_t)v;
		c->clock = get(ctx);
		for (i = 0; i < TLB_NR_DYN_ASIDS; i++) {
			c->ctxs[i].ctx_id = get(ctx);
			c->ctxs[i].tlb_gen = get(ctx);
		}
		st = (uint64_t *)stats_fields(&c->stats, &n);
		for (i = 0; i < n; i++)
			st[i] = get(ctx);
		cpu_arrays(c, a);
		for (k = 0; k < 3; k++) {
			uint64_t valid = get(ctx), idx, prev = 0, age;

			if (valid > a[k].n)
				return -EINVAL;
			while (valid--) {
				struct tlb_entry *e;

				idx = get(ctx);
				/* ascending indices: one encoding per state */
				if (idx >= a[k].n || (prev && idx < prev))
					return -EINVAL;
				prev = idx + 1;
				e = &a[k].e[idx];
				e->tag = get(ctx);
				age = get(ctx);
				if (!tag_fits(&a[k], (unsigned int)idx,
					      e->tag) ||
				    age > c->clock)
					return -EINVAL;
				e->lru = c->clock - age;
			}
		}
	}
	return 0;
}
