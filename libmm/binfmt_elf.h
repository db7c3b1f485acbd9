/* SPDX-License-Identifier: GPL-2.0 */
/* Loading programs into a fresh mm; internal to libmm. */
#ifndef MMSIM_BINFMT_ELF_H
#define MMSIM_BINFMT_ELF_H

#include <stdint.h>

struct machine;
struct task_struct;
struct mm_struct;
struct inode;

/*
 * The executable file for a command name: a known program of the
 * catalogue, or /usr/bin/COMM with the layout of a small C program.
 */
int elf_program_file(struct machine *m, const char *comm, struct inode **out);
/*
 * Lay out @mm for @exe and start it as @t (whose mm it already is): the
 * start-up touches and a first malloc arena of @heap_kb KiB (0: none).
 */
int load_elf_binary(struct machine *m, struct task_struct *t,
		    struct inode *exe, struct mm_struct *mm,
		    unsigned int heap_kb);

/* malloc.c */
int malloc_init_arena(struct machine *m, struct task_struct *t,
		      unsigned int touch_kb);
/* glibc's malloc(@size): 0 and the pointer in *@addr, or -ENOMEM. */
int do_malloc(struct machine *m, struct task_struct *t, uint64_t size,
	      uint64_t *addr);
/* free(@addr): -EINVAL if @addr is not a live chunk. */
int do_free(struct machine *m, struct task_struct *t, uint64_t addr);

#endif
