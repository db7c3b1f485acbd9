/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the random-sequence tests end: the last good checkpoint loads,
 * passes the checker and saves to the same bytes, and replaying the
 * accepted operations on a machine booted alike gives that state again.
 */
#ifndef MMSIM_TEST_REPLAY_H
#define MMSIM_TEST_REPLAY_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "machine.h"
#include "ops.h"
#include "page_alloc.h"
#include "seq_buf.h"
#include "unit.h"

/* Whether the task with the PID a spawn or fork printed still runs. */
static inline int task_alive(const struct machine *m, const char *pid)
{
	int i;

	for (i = 0; i < m->nr_tasks; i++)
		if (m->tasks[i].pid == atoi(pid))
			return 1;
	return 0;
}

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

/*
 * A tape of the values a subsystem's checkpoint section puts, to read
 * back (damaged, maybe) through its loader.
 */
struct tape {
	uint64_t v[1 << 16];
	size_t nr, pos;
};

static inline void tape_put(void *ctx, uint64_t v)
{
	struct tape *t = ctx;

	if (t->nr < sizeof(t->v) / sizeof(t->v[0]))
		t->v[t->nr++] = v;
}

static inline uint64_t tape_get(void *ctx)
{
	struct tape *t = ctx;

	return t->pos < t->nr ? t->v[t->pos++] : 0;
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

/*
 * A scenario on one machine: every accepted operation is logged and
 * followed by the checker; run_finish() checks the checkpoint and the
 * replay of the log, and frees the machine.
 */
struct run {
	struct machine_params p;
	struct machine *m;
	char *log[8192];
	size_t nr;
};

static inline void run_boot(struct run *r, uint64_t mem, uint64_t swap,
			    uint64_t seed)
{
	struct machine_params p = {mem, 1, 2, swap, seed, 0};

	memset(r, 0, sizeof(*r));
	r->p = p;
	if (machine_boot(&r->p, &r->m))
		FAIL("boot failed");
}

/* Apply an operation that must succeed; its result in @out. */
static inline void run_op_out(struct run *r, char *out, size_t size,
			      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static inline void run_op_out(struct run *r, char *out, size_t size,
			      const char *fmt, ...)
{
	char line[256], why[256];
	struct seq_buf res, err;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	seq_buf_init(&res);
	seq_buf_init(&err);
	if (op_apply(r->m, line, &res, &err))
		FAIL("'%s': %s", line, err.buf ? err.buf : "");
	if (out) {
		snprintf(out, size, "%s", res.buf ? res.buf : "");
		out[strcspn(out, "\n")] = '\0';
	}
	seq_buf_free(&res);
	seq_buf_free(&err);
	if (r->nr >= sizeof(r->log) / sizeof(r->log[0]))
		FAIL("too many operations");
	r->log[r->nr++] = strdup(line);
	if (check_page_accounting(r->m, why, sizeof(why)))
		FAIL("after '%s': %s", line, why);
}

#define run_op(r, ...) run_op_out(r, NULL, 0, __VA_ARGS__)

/* The end of a scenario whose last operations may not replay. */
static inline void run_free(struct run *r)
{
	while (r->nr)
		free(r->log[--r->nr]);
	machine_free(r->m);
}

static inline void run_finish(struct run *r)
{
	struct seq_buf good;

	seq_buf_init(&good);
	ASSERT_EQ(machine_save(r->m, &good), 0);
	check_roundtrip_and_replay(&r->p, r->log, r->nr, &good);
	seq_buf_free(&good);
	machine_free(r->m);
}

#endif
