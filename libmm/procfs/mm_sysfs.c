// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/mm/transparent_hugepage/ (mm/huge_memory.c): the THP mode,
 * which the fault path follows, and the fixed facts beside it; and
 * /sys/kernel/mm/swap/vma_ra_enabled (mm/swap_state.c): VMA-based swap
 * readahead, or the slot cluster around the fault when false.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"
#include "kstrtox.h"
#include "machine.h"
#include "mm_internal.h"

static const char *const thp_modes[] = {
	[THP_ALWAYS] = "always",
	[THP_MADVISE] = "madvise",
	[THP_NEVER] = "never",
};

/* The modes in the kernel's order, the current one in brackets. */
int thp_enabled_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	static const int order[] = {THP_ALWAYS, THP_MADVISE, THP_NEVER};
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		seq_printf(s,
			   ctx->m->thp_enabled == order[i] ? "%s[%s]" : "%s%s",
			   i ? " " : "", thp_modes[order[i]]);
	seq_putc(s, '\n');
	return 0;
}

/* enabled_store(): one of the words, a trailing newline allowed. */
int thp_enabled_write(const struct pfs_ctx *ctx, const char *buf, size_t len,
		      struct seq_buf *op_line)
{
	size_t i;

	(void)ctx;
	if (len && buf[len - 1] == '\n')
		len--;
	for (i = 0; i < sizeof(thp_modes) / sizeof(thp_modes[0]); i++) {
		if (strlen(thp_modes[i]) == len &&
		    !memcmp(buf, thp_modes[i], len)) {
			seq_printf(op_line,
				   "sysfs kernel/mm/transparent_hugepage/"
				   "enabled=%s",
				   thp_modes[i]);
			return 0;
		}
	}
	return -EINVAL;
}

/* Not simulated beyond their defaults: page faults do not compact. */
int thp_defrag_show(const struct pfs_ctx *ctx __maybe_unused, struct seq_buf *s)
{
	seq_puts(s, "always defer defer+madvise [madvise] never\n");
	return 0;
}

int thp_shmem_enabled_show(const struct pfs_ctx *ctx __maybe_unused,
			   struct seq_buf *s)
{
	seq_puts(s, "always within_size advise [never] deny force\n");
	return 0;
}

int thp_hpage_pmd_size_show(const struct pfs_ctx *ctx __maybe_unused,
			    struct seq_buf *s)
{
	seq_printf(s, "%llu\n", (unsigned long long)PMD_SIZE);
	return 0;
}

int thp_use_zero_page_show(const struct pfs_ctx *ctx __maybe_unused,
			   struct seq_buf *s)
{
	seq_puts(s, "1\n");
	return 0;
}

int vma_ra_enabled_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	seq_puts(s, ctx->m->swap.vma_ra_disabled ? "false\n" : "true\n");
	return 0;
}

/* vma_ra_enabled_store(): kstrtobool() of what was written. */
int vma_ra_enabled_write(const struct pfs_ctx *ctx, const char *buf, size_t len,
			 struct seq_buf *op_line)
{
	char val[3] = "";
	int on;

	(void)ctx;
	memcpy(val, buf, len < 2 ? len : 2);
	if (kstrtobool(val, &on))
		return -EINVAL;
	seq_printf(op_line, "sysfs kernel/mm/swap/vma_ra_enabled=%s",
		   on ? "true" : "false");
	return 0;
}
