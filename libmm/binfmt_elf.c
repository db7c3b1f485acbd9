// SPDX-License-Identifier: GPL-2.0
/*
 * Loading programs (fs/binfmt_elf.c, fs/exec.c, and what ld.so does next
 * in user space): a PIE executable at a randomized load bias, the brk
 * area after it, the stack at a randomized top, the dynamic loader and
 * the vDSO in the mmap area, then the shared libraries below them.  Then
 * the program starts: it touches its text, writes its data and relro
 * pages (copy-on-write), its stack and its first heap arena.
 *
 * The programs and libraries are a fixed catalogue with the segment
 * sizes of a Debian 12 system; a program not in it gets the layout of a
 * small C program.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "binfmt_elf.h"
#include "filemap_internal.h"
#include "mm_internal.h"
#include "tlb.h"

#define KB 1024U
/* ELF_ET_DYN_BASE: 2/3 of the 47-bit address space, page aligned */
#define ELF_ET_DYN_BASE 0x555555554000ULL
#define MMAP_RND_BITS 28
#define STACK_RND_MASK 0x3fffffULL /* 16 GiB of stack randomization */
#define BRK_RND_RANGE (1ULL << 30)
#define STACK_RLIMIT (8ULL << 20)
#define STACK_GUARD_GAP (256ULL << PAGE_SHIFT)
#define STACK_EXPAND (128ULL * 1024) /* setup_arg_pages() stack_expand */
#define MIN_GAP (128ULL << 20)
/* glibc's first sbrk: the request plus M_TOP_PAD (128 KiB) */
#define MALLOC_INITIAL_ARENA 0x21000ULL

/*
 * An ELF object as its PT_LOAD segments map it: the read-only headers,
 * text, read-only data, RELRO (read-only after relocation), data, and
 * bss beyond the file.  Sizes in KiB; the segments follow one another in
 * the file and in memory.
 */
struct elf_object {
	const char *path;
	uint32_t hdr, text, rodata, relro, data, bss;
	uint8_t text_touch; /* percent of text a start touches */
};

enum {
	LIB_LD,
	LIB_C,
	LIB_M,
	LIB_SYSTEMD_SHARED,
	LIB_CAP,
	LIB_SELINUX,
	LIB_MOUNT,
	LIB_BLKID,
	LIB_CRYPTO,
	LIB_Z,
	LIB_ZSTD,
	LIB_LZMA,
	LIB_GCRYPT,
	LIB_DBUS,
	LIB_PCRE2,
	LIB_AUDIT,
	NR_LIBS
};

#define LIBDIR "/usr/lib/x86_64-linux-gnu/"

static const struct elf_object libs[NR_LIBS] = {
	[LIB_LD] = {LIBDIR "ld-linux-x86-64.so.2", 4, 152, 40, 8, 8, 0, 90},
	[LIB_C] = {LIBDIR "libc.so.6", 152, 1368, 332, 16, 8, 52, 60},
	[LIB_M] = {LIBDIR "libm.so.6", 64, 464, 360, 4, 4, 0, 20},
	[LIB_SYSTEMD_SHARED] = {"/usr/lib/systemd/libsystemd-shared-252.so",
				240, 1980, 540, 48, 8, 4, 35},
	[LIB_CAP] = {LIBDIR "libcap.so.2.66", 12, 20, 8, 4, 4, 0, 60},
	[LIB_SELINUX] = {LIBDIR "libselinux.so.1", 24, 100, 36, 4, 4, 8, 40},
	[LIB_MOUNT] = {LIBDIR "libmount.so.1.1.0", 36, 220, 60, 8, 4, 0, 30},
	[LIB_BLKID] = {LIBDIR "libblkid.so.1.1.0", 32, 168, 44, 16, 4, 0, 30},
	[LIB_CRYPTO] = {LIBDIR "libcrypto.so.3", 636, 2924, 868, 100, 16, 12,
			15},
	[LIB_Z] = {LIBDIR "libz.so.1.2.13", 12, 76, 28, 4, 4, 0, 40},
	[LIB_ZSTD] = {LIBDIR "libzstd.so.1.5.4", 16, 644, 60, 4, 4, 0, 15},
	[LIB_LZMA] = {LIBDIR "liblzma.so.5.4.1", 16, 116, 48, 4, 4, 0, 25},
	[LIB_GCRYPT] = {LIBDIR "libgcrypt.so.20.4.1", 64, 980, 160, 16, 4, 0,
			15},
	[LIB_DBUS] = {LIBDIR "libdbus-1.so.3.32.4", 40, 196, 68, 4, 4, 0, 40},
	[LIB_PCRE2] = {LIBDIR "libpcre2-8.so.0.11.2", 12, 436, 120, 4, 4, 0,
		       20},
	[LIB_AUDIT] = {LIBDIR "libaudit.so.1.0.0", 16, 60, 32, 4, 4, 4, 40},
};

#define L(x) (1U << (x))
#define SYSTEMD_LIBS                                                           \
	(L(LIB_SYSTEMD_SHARED) | L(LIB_CAP) | L(LIB_SELINUX) | L(LIB_MOUNT) |  \
	 L(LIB_BLKID) | L(LIB_CRYPTO) | L(LIB_Z) | L(LIB_ZSTD) | L(LIB_LZMA) | \
	 L(LIB_GCRYPT) | L(LIB_PCRE2) | L(LIB_AUDIT))

struct elf_program {
	struct elf_object exe;
	uint32_t libs; /* L(LIB_*) besides ld.so and libc */
};

static const struct elf_program programs[] = {
	/* the layout of a program the catalogue does not know */
	{{"", 4, 4, 4, 4, 4, 0, 100}, 0},
	{{"/usr/lib/systemd/systemd", 32, 64, 24, 12, 4, 0, 70}, SYSTEMD_LIBS},
	{{"/usr/lib/systemd/systemd-journald", 28, 100, 32, 8, 4, 0, 60},
	 SYSTEMD_LIBS},
	{{"/usr/lib/systemd/systemd-udevd", 52, 280, 76, 12, 4, 0, 40},
	 SYSTEMD_LIBS | L(LIB_M)},
	{{"/usr/lib/systemd/systemd-timesyncd", 12, 28, 12, 4, 4, 0, 80},
	 SYSTEMD_LIBS | L(LIB_M)},
	{{"/usr/bin/dbus-daemon", 36, 196, 52, 8, 4, 0, 50},
	 L(LIB_SYSTEMD_SHARED) | L(LIB_DBUS) | L(LIB_SELINUX) | L(LIB_AUDIT) |
		 L(LIB_CAP)},
	{{"/usr/lib/systemd/systemd-logind", 28, 188, 56, 8, 4, 0, 50},
	 SYSTEMD_LIBS},
	{{"/usr/sbin/cron", 12, 36, 16, 4, 4, 4, 70},
	 L(LIB_SELINUX) | L(LIB_AUDIT) | L(LIB_PCRE2)},
	{{"/usr/sbin/rsyslogd", 60, 440, 100, 12, 8, 8, 40},
	 L(LIB_Z) | L(LIB_SYSTEMD_SHARED) | L(LIB_M)},
	{{"/usr/sbin/sshd", 76, 600, 180, 12, 8, 24, 35},
	 L(LIB_CRYPTO) | L(LIB_Z) | L(LIB_SELINUX) | L(LIB_AUDIT) |
		 L(LIB_PCRE2)},
	{{"/usr/sbin/agetty", 8, 40, 16, 4, 4, 4, 80}, 0},
};

#define NR_PROGRAMS (sizeof(programs) / sizeof(programs[0]))

static uint64_t elf_span(const struct elf_object *o)
{
	return (uint64_t)(o->hdr + o->text + o->rodata + o->relro + o->data) *
	       KB;
}

/* Each segment's size and protection, in the order they are mapped. */
static void elf_segments(const struct elf_object *o, uint64_t size[5],
			 uint64_t prot[5])
{
	size[0] = (uint64_t)o->hdr * KB;
	prot[0] = VM_READ;
	size[1] = (uint64_t)o->text * KB;
	prot[1] = VM_READ | VM_EXEC;
	size[2] = (uint64_t)o->rodata * KB;
	prot[2] = VM_READ;
	/* relocated while writable; ld.so makes it read-only afterwards */
	size[3] = (uint64_t)o->relro * KB;
	prot[3] = VM_READ | VM_WRITE;
	size[4] = (uint64_t)o->data * KB;
	prot[4] = VM_READ | VM_WRITE;
}

static int elf_file_get(struct machine *m, const struct elf_object *o,
			uint16_t layout, struct inode **out)
{
	struct inode *inode = inode_lookup_path(m, o->path);
	int rc;

	if (inode) {
		*out = inode;
		return inode_iget(m, inode);
	}
	/* the file holds the segments plus symbols and section headers */
	rc = inode_create(m, o->path, elf_span(o) + elf_span(o) / 8, INODE_FILE,
			  &inode);
	if (rc)
		return rc;
	inode->elf = layout;
	*out = inode;
	return 0;
}

static uint64_t rnd_pages(struct machine *m, unsigned int bits)
{
	return prng_below(&m->prng, 1ULL << bits) << PAGE_SHIFT;
}

/*
 * Map @o's segments at @base (MAP_FIXED|MAP_PRIVATE), and its bss: the
 * rest of the last data page is zero-filled file memory, whole pages
 * beyond it anonymous.
 */
static int map_elf_object(struct machine *m, struct mm_struct *mm,
			  const struct elf_object *o, uint32_t ino,
			  uint64_t base, int cpu)
{
	uint64_t size[5], prot[5], off = 0;
	struct vm_area_struct vma;
	int k, rc;

	elf_segments(o, size, prot);
	for (k = 0; k < 5; k++) {
		if (!size[k])
			continue;
		memset(&vma, 0, sizeof(vma));
		vma.vm_start = base + off;
		vma.vm_end = base + off + size[k];
		vma.vm_flags = prot[k] | VM_MAY_FLAGS | VM_SOFTDIRTY;
		/* written RELRO and data are private copies: accounted */
		if (k >= 3)
			vma.vm_flags |= VM_ACCOUNT;
		vma.vm_pgoff = off >> PAGE_SHIFT;
		vma.ino = ino;
		rc = mmap_region(m, mm, &vma, cpu);
		if (rc)
			return rc;
		off += size[k];
	}
	if (o->bss) {
		memset(&vma, 0, sizeof(vma));
		vma.vm_start = base + off;
		vma.vm_end = base + off + (uint64_t)o->bss * KB;
		vma.vm_flags = VM_READ | VM_WRITE | VM_MAY_FLAGS | VM_ACCOUNT |
			       VM_SOFTDIRTY;
		vma.vm_pgoff = vma.vm_start >> PAGE_SHIFT;
		rc = mmap_region(m, mm, &vma, cpu);
		if (rc)
			return rc;
	}
	return 0;
}

static int map_special(struct machine *m, struct mm_struct *mm, uint64_t start,
		       uint64_t pages, uint64_t flags, enum vma_kind kind,
		       int cpu)
{
	struct vm_area_struct vma = {
		.vm_start = start,
		.vm_end = start + (pages << PAGE_SHIFT),
		.vm_flags = flags,
		.kind = (uint8_t)kind,
	};

	return mmap_region(m, mm, &vma, cpu);
}

/* Touch @pct percent of [@start, @start + @len) page by page. */
static int touch_part(struct machine *m, struct task_struct *t, uint64_t start,
		      uint64_t len, unsigned int pct, int write)
{
	uint64_t pages = len >> PAGE_SHIFT, i;
	int rc;

	for (i = 0; i < pages; i++) {
		if (prng_below(&m->prng, 100) >= pct)
			continue;
		rc = access_page(m, t, start + (i << PAGE_SHIFT), write);
		if (rc)
			return rc;
	}
	return 0;
}

/* What starting an object costs: text read, RELRO and data written. */
static int touch_object(struct machine *m, struct task_struct *t,
			const struct elf_object *o, uint64_t base)
{
	uint64_t size[5], prot[5], off = 0;
	int rc;

	elf_segments(o, size, prot);
	rc = touch_part(m, t, base, size[0], 100, 0);
	off = size[0];
	rc = rc ?: touch_part(m, t, base + off, size[1], o->text_touch, 0);
	off += size[1];
	rc = rc ?: touch_part(m, t, base + off, size[2], o->text_touch / 2, 0);
	off += size[2];
	rc = rc ?: touch_part(m, t, base + off, size[3] + size[4], 100, 1);
	rc = rc
		     ?: touch_part(m, t, base + off + size[3] + size[4],
				   (uint64_t)o->bss * KB, 50, 1);
	/* RELRO: relocations done, mprotect(PROT_READ) */
	if (!rc && size[3])
		rc = do_mprotect(m, t->mm, base + off, size[3], VM_READ,
				 t->cpu);
	return rc;
}

/* mmap_base(): below the stack, its rlimit, guard and randomization. */
static uint64_t mmap_base(uint64_t rnd)
{
	uint64_t pad = (STACK_RND_MASK << PAGE_SHIFT) + STACK_GUARD_GAP;
	uint64_t gap = STACK_RLIMIT + pad;

	if (gap < MIN_GAP)
		gap = MIN_GAP;
	return (TASK_SIZE - gap - rnd) & PAGE_MASK;
}

static int load_library(struct machine *m, struct mm_struct *mm,
			const struct elf_object *o, int cpu, uint64_t *base)
{
	struct inode *inode;
	uint64_t span = elf_span(o) + (uint64_t)o->bss * KB;
	int rc;

	rc = elf_file_get(m, o, 0, &inode);
	if (rc)
		return rc;
	*base = get_unmapped_area(mm, span);
	if (!*base)
		return -ENOMEM;
	return map_elf_object(m, mm, o, inode->ino, *base, cpu);
}

int load_elf_binary(struct machine *m, struct task_struct *t, struct inode *exe,
		    struct mm_struct *mm, unsigned int heap_kb)
{
	const struct elf_program *prog =
		&programs[exe->elf < NR_PROGRAMS ? exe->elf : 0];
	struct elf_object o = prog->exe;
	uint64_t load_bias, stack_top, base[NR_LIBS], lib_base[NR_LIBS];
	uint64_t vdso, exe_end, brk;
	unsigned int k;
	int rc, cpu = t->cpu;

	o.path = exe->path;
	load_bias = ELF_ET_DYN_BASE + rnd_pages(m, MMAP_RND_BITS);
	mm->mmap_base = mmap_base(rnd_pages(m, MMAP_RND_BITS));
	stack_top = TASK_SIZE -
		    ((prng_below(&m->prng, STACK_RND_MASK + 1)) << PAGE_SHIFT);
	mm->exe_ino = exe->ino;

	rc = map_elf_object(m, mm, &o, exe->ino, load_bias, cpu);
	if (rc)
		return rc;
	exe_end = load_bias + elf_span(&o) + (uint64_t)o.bss * KB;
	mm->start_code = load_bias + (uint64_t)o.hdr * KB;
	mm->end_code = mm->start_code + (uint64_t)o.text * KB;
	mm->start_data = load_bias + elf_span(&o) - (uint64_t)o.data * KB;
	mm->end_data = load_bias + elf_span(&o);
	brk = PAGE_ALIGN(exe_end) +
	      (prng_below(&m->prng, BRK_RND_RANGE >> PAGE_SHIFT) << PAGE_SHIFT);
	mm->start_brk = mm->brk = brk;

	/* the stack: argv and envp at the top, 132 KiB to start with */
	rc = map_special(m, mm, stack_top - STACK_EXPAND - PAGE_SIZE,
			 (STACK_EXPAND >> PAGE_SHIFT) + 1,
			 VM_READ | VM_WRITE | VM_MAY_FLAGS | VM_GROWSDOWN |
				 VM_ACCOUNT | VM_SOFTDIRTY,
			 VMA_STACK, cpu);
	if (rc)
		return rc;
	mm->vmas[mm->nr_vmas - 1].vm_pgoff =
		mm->vmas[mm->nr_vmas - 1].vm_start >> PAGE_SHIFT;
	mm->start_stack = stack_top - 0x200 - prng_below(&m->prng, 0x100) * 16;
	mm->arg_start = mm->start_stack + 0x100;
	mm->arg_end = mm->arg_start + t->cmdline_len;
	mm->env_start = mm->arg_end;
	mm->env_end = mm->env_start + t->environ_len;

	/* the interpreter first, then the vDSO below it */
	rc = load_library(m, mm, &libs[LIB_LD], cpu, &lib_base[LIB_LD]);
	if (rc)
		return rc;
	vdso = get_unmapped_area(mm, 8 << PAGE_SHIFT);
	rc = map_special(m, mm, vdso, 4,
			 VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP |
				 VM_PFNMAP | VM_DONTEXPAND,
			 VMA_VVAR, cpu);
	rc = rc
		     ?: map_special(m, mm, vdso + (4 << PAGE_SHIFT), 2,
				    VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP |
					    VM_PFNMAP | VM_DONTEXPAND,
				    VMA_VVAR_VCLOCK, cpu);
	rc = rc
		     ?: map_special(m, mm, vdso + (6 << PAGE_SHIFT), 2,
				    VM_READ | VM_EXEC | VM_MAY_FLAGS |
					    VM_DONTEXPAND,
				    VMA_VDSO, cpu);
	if (rc)
		return rc;

	/* user space: ld.so maps the libraries, libc last */
	for (k = 0; k < NR_LIBS; k++) {
		base[k] = 0;
		if (k == LIB_LD || k == LIB_C || !(prog->libs & L(k)))
			continue;
		rc = load_library(m, mm, &libs[k], cpu, &base[k]);
		if (rc)
			return rc;
	}
	rc = load_library(m, mm, &libs[LIB_C], cpu, &base[LIB_C]);
	if (rc)
		return rc;
	base[LIB_LD] = lib_base[LIB_LD];

	/* the program runs: loader, libraries, itself, its stack */
	rc = touch_object(m, t, &libs[LIB_LD], base[LIB_LD]);
	for (k = 0; k < NR_LIBS && !rc; k++)
		if (k != LIB_LD && base[k])
			rc = touch_object(m, t, &libs[k], base[k]);
	rc = rc ?: touch_object(m, t, &o, load_bias);
	rc = rc
		     ?: touch_part(m, t, stack_top - 8 * PAGE_SIZE,
				   8 * PAGE_SIZE, 100, 1);
	if (rc || !heap_kb)
		return rc;
	return malloc_init_arena(m, t, heap_kb);
}

int elf_program_file(struct machine *m, const char *comm, struct inode **out)
{
	char path[128];
	unsigned int k;

	for (k = 1; k < NR_PROGRAMS; k++) {
		const char *base = strrchr(programs[k].exe.path, '/') + 1;

		if (!strncmp(base, comm, TASK_COMM_LEN - 1) ||
		    !strcmp(programs[k].exe.path, comm))
			return elf_file_get(m, &programs[k].exe, (uint16_t)k,
					    out);
	}
	snprintf(path, sizeof(path), "%s%s", comm[0] == '/' ? "" : "/usr/bin/",
		 comm);
	{
		struct elf_object o = programs[0].exe;

		o.path = path;
		return elf_file_get(m, &o, 0, out);
	}
}
