/* SPDX-License-Identifier: GPL-2.0 */
/* Overcommit accounting (include/linux/mman.h, mm/util.c). */
#ifndef MMSIM_MMAN_H
#define MMSIM_MMAN_H

#include <stdint.h>

struct machine;
struct mm_struct;
struct seq_buf;

/* vm.overcommit_memory */
#define OVERCOMMIT_GUESS 0
#define OVERCOMMIT_ALWAYS 1
#define OVERCOMMIT_NEVER 2

/*
 * Whether @pages more pages may be committed for @mm (NULL: no user
 * reserve) when the same request has already been allowed @pending pages
 * (the earlier VMAs of a fork or an mprotect).  0, or -ENOMEM with the
 * refusal noted for vm_commit_explain().  Nothing is charged: the caller
 * charges Committed_AS when the mapping is made.
 */
int __vm_enough_memory(struct machine *m, const struct mm_struct *mm,
		       uint64_t pending, uint64_t pages, int cap_sys_admin);
/* The same, with CAP_SYS_ADMIN when @mm's owner is root. */
int vm_enough_memory_mm(struct machine *m, const struct mm_struct *mm,
			uint64_t pending, uint64_t pages);
/*
 * Why the last request was refused, e.g. "cannot commit 24 GiB:
 * Committed_AS 1.2 GiB of CommitLimit 4.1 GiB (overcommit_memory=2)".
 */
void vm_commit_explain(const struct machine *m, struct seq_buf *s);

#endif
