// SPDX-License-Identifier: GPL-2.0
/*
 * Overcommit policy (mm/util.c): whether a request to commit more
 * private writable memory may go ahead under vm.overcommit_memory.
 *
 * The kernel charges vm_committed_as first and takes the charge back on
 * refusal.  Here the check only looks: the VMA code charges Committed_AS
 * once the mapping is in place (vm_commit_account() in vma.c), so that a
 * refused request leaves nothing behind to undo.
 */
#include <errno.h>

#include "hugetlb.h"
#include "mm_internal.h"
#include "mman.h"
#include "seq_buf.h"

int __vm_enough_memory(struct machine *m, const struct mm_struct *mm,
		       uint64_t pending, uint64_t pages, int cap_sys_admin)
{
	const struct vm_sysctl *vm = &m->sysctl;
	uint64_t reserve = 0, user_reserve, allowed;

	switch (vm->overcommit_memory) {
	case OVERCOMMIT_ALWAYS:
		return 0;
	case OVERCOMMIT_GUESS:
		/* only a single request larger than RAM and swap fails */
		if (pages <= totalram_pages(m) + total_swap_pages(m))
			return 0;
		goto refuse;
	default:
		break;
	}
	/* what root keeps for logging in and killing the hog */
	if (!cap_sys_admin)
		reserve +=
			(uint64_t)vm->admin_reserve_kbytes >> (PAGE_SHIFT - 10);
	/* so that a single process cannot grow too big to recover from */
	if (mm) {
		user_reserve =
			(uint64_t)vm->user_reserve_kbytes >> (PAGE_SHIFT - 10);
		reserve += mm->total_vm / 32 < user_reserve ? mm->total_vm / 32
							    : user_reserve;
	}
	allowed = vm_commit_limit(m);
	if (allowed > reserve &&
	    m->vm_committed_as + pending + pages < allowed - reserve)
		return 0;
refuse:
	m->vm_commit_refused = pending + pages;
	m->vm_commit_reserved = reserve;
	return -ENOMEM;
}

int vm_enough_memory_mm(struct machine *m, const struct mm_struct *mm,
			uint64_t pending, uint64_t pages)
{
	const struct task_struct *t = find_task_by_pid(m, mm->owner);

	/* a simulated task has all capabilities exactly when it is root */
	return __vm_enough_memory(m, mm, pending, pages, t && t->uid == 0);
}

/* @bytes in the largest binary unit it reaches, one decimal if needed. */
static void seq_print_size(struct seq_buf *s, uint64_t bytes)
{
	static const char *const units[] = {"bytes", "KiB", "MiB",
					    "GiB",   "TiB", "PiB"};
	unsigned int u = 0;
	uint64_t tenths;

	while (u + 1 < sizeof(units) / sizeof(units[0]) &&
	       bytes >= 1ULL << (10 * (u + 1)))
		u++;
	if (!u) {
		seq_printf(s, "%llu bytes", (unsigned long long)bytes);
		return;
	}
	/* rounded to the nearest tenth of the unit */
	tenths = (bytes * 10 + (1ULL << (10 * u - 1))) >> (10 * u);
	if (tenths % 10)
		seq_printf(s, "%llu.%llu %s", (unsigned long long)tenths / 10,
			   (unsigned long long)tenths % 10, units[u]);
	else
		seq_printf(s, "%llu %s", (unsigned long long)tenths / 10,
			   units[u]);
}

void vm_commit_explain(const struct machine *m, struct seq_buf *s)
{
	const struct vm_sysctl *vm = &m->sysctl;

	seq_puts(s, "cannot commit ");
	seq_print_size(s, m->vm_commit_refused << PAGE_SHIFT);
	if (vm->overcommit_memory == OVERCOMMIT_GUESS) {
		seq_puts(s, ": more than RAM and swap, ");
		seq_print_size(s, (totalram_pages(m) + total_swap_pages(m))
					  << PAGE_SHIFT);
	} else {
		seq_puts(s, ": Committed_AS ");
		seq_print_size(s, m->vm_committed_as << PAGE_SHIFT);
		seq_puts(s, " of CommitLimit ");
		seq_print_size(s, vm_commit_limit(m) << PAGE_SHIFT);
		if (m->vm_commit_reserved) {
			seq_puts(s, " less ");
			seq_print_size(s, m->vm_commit_reserved << PAGE_SHIFT);
			seq_puts(s, " reserved");
		}
	}
	seq_printf(s, " (overcommit_memory=%lld)",
		   (long long)vm->overcommit_memory);
}
