// SPDX-License-Identifier: GPL-2.0
/*
 * The swap operations, as swapon(8) and swapoff(8) would do them:
 *
 *   swapon NAME SIZE [prio=N]     a new swap area (a partition if NAME
 *                                 is under /dev, else a swap file)
 *   swapoff NAME                  its pages back in memory, and it goes
 */
#include <errno.h>
#include <string.h>

#include "cmdline.h"
#include "machine.h"
#include "ops_internal.h"
#include "seq_buf.h"
#include "swap.h"

static const char swapon_usage[] = "swapon NAME SIZE [prio=N]";

static int parse_swapon(struct op_args *a, struct seq_buf *err)
{
	const char *val;
	int64_t v;

	if (a->argc < 3 || a->argc > 4)
		return usage(err, swapon_usage);
	a->name = a->argv[1];
	if (parse_size(a->argv[2], &a->size)) {
		seq_printf(err, "swapon: bad size '%s'", a->argv[2]);
		return -EINVAL;
	}
	a->num = -1; /* the next default priority */
	if (a->argc == 4) {
		if (!parse_option(a->argv[3], "prio", &val)) {
			seq_printf(err, "swapon: unexpected '%s'; %s",
				   a->argv[3], swapon_usage);
			return -EINVAL;
		}
		/* SWAP_FLAG_PRIO_MASK; -1 asks for the default */
		if (parse_s64(val, -1, 32767, &v)) {
			seq_printf(err, "swapon: bad priority '%s' (-1..32767)",
				   val);
			return -EINVAL;
		}
		a->num = v;
	}
	return 0;
}

static int apply_swapon(struct machine *m, struct op_args *a,
			struct seq_buf *result, struct seq_buf *err)
{
	(void)result;
	return swapon(m, a->name, a->size, (int)a->num, a->num >= 0, err);
}

static int parse_swapoff(struct op_args *a, struct seq_buf *err)
{
	if (a->argc != 2)
		return usage(err, "swapoff NAME");
	a->name = a->argv[1];
	return 0;
}

static int apply_swapoff(struct machine *m, struct op_args *a,
			 struct seq_buf *result, struct seq_buf *err)
{
	(void)result;
	return swapoff(m, a->name, err);
}

const struct op swap_ops[] = {
	{"swapon", parse_swapon, apply_swapon},
	{"swapoff", parse_swapoff, apply_swapoff},
};
const size_t nr_swap_ops = sizeof(swap_ops) / sizeof(swap_ops[0]);
