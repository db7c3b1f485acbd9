/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the random-sequence tests end: the last good checkpoint loads,
 * passes the checker and saves to the same bytes, and replaying the
 * accepted operations on a machine booted alike gives that state again.
 */
#ifndef MMSIM_TEST_REPLAY_H
#define MMSIM_TEST_REPLAY_H

#include <string.h>

#include "checkpoint.h"
#include "machine.h"
#include "ops.h"
#include "page_alloc.h"
#include "seq_buf.h"
#include "unit.h"

/* Apply @line and say nothing: the operation's return value. */
static inline int try_op(struct machine *m, const char *line)
{
	struct seq_buf res, err;
	int rc;

	seq_buf_init(&res);
	seq_buf_init(&err);
	rc = op_apply(m, line, &res, &err);
	seq_buf_free(&res);
	seq_buf_free(&err);
	return rc;
}

static inline void assert_same_bytes(const struct seq_buf *a,
				     const struct seq_buf *b)
{
	ASSERT_EQ(a->len, b->len);
	ASSERT(!memcmp(a->buf, b->buf, a->len));
}

/*
 * @good is the saved state after @log[0..@nr) were applied to a machine
 * booted from @p.  Frees the log's lines.
 */
static inline void check_roundtrip_and_replay(const struct machine_params *p,
					      char **log, size_t nr,
					      const struct seq_buf *good)
{
	struct seq_buf again, replay;
	struct machine *copy;
	char why[256];
	size_t k;

	seq_buf_init(&again);
	if (machine_load(good->buf, good->len, &copy, why, sizeof(why)))
		FAIL("load: %s", why);
	if (check_page_accounting(copy, why, sizeof(why)))
		FAIL("loaded machine: %s", why);
	ASSERT_EQ(machine_save(copy, &again), 0);
	assert_same_bytes(&again, good);
	machine_free(copy);

	if (machine_boot(p, &copy))
		FAIL("boot failed");
	for (k = 0; k < nr; k++) {
		if (try_op(copy, log[k]))
			FAIL("replay of '%s' failed", log[k]);
		free(log[k]);
	}
	seq_buf_init(&replay);
	ASSERT_EQ(machine_save(copy, &replay), 0);
	assert_same_bytes(&replay, good);
	machine_free(copy);
	seq_buf_free(&again);
	seq_buf_free(&replay);
}

#endif
