// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel log, after kernel/printk/printk.c and printk_ringbuffer.c.
 *
 * The kernel keeps the text of its records in a data ring of LOG_BUF_LEN
 * bytes, each record's block an id word and the text rounded up to a
 * word, and their metadata in a descriptor ring of a fixed count; a new
 * record pushes out the oldest ones until both have room.  Here the texts
 * live in their own allocations, but the same budget decides what is
 * kept, so the ring holds what a real one of that size would.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine.h"
#include "printk.h"

/* to_blk_size(): the id word, then the text, word-aligned */
static uint32_t record_cost(size_t text_len)
{
	return (uint32_t)((text_len + 2 * sizeof(uint64_t) - 1) &
			  ~(sizeof(uint64_t) - 1));
}

static struct printk_record *slot(const struct printk_ringbuffer *rb,
				  uint32_t i)
{
	return &rb->recs[(rb->first + i) % rb->size];
}

const struct printk_record *prb_record(const struct printk_ringbuffer *rb,
				       uint32_t i)
{
	return i < rb->nr ? slot(rb, i) : NULL;
}

static void drop_oldest(struct printk_ringbuffer *rb)
{
	struct printk_record *r = slot(rb, 0);

	rb->data_used -= record_cost(r->text_len);
	free(r->text);
	r->text = NULL;
	rb->first = (rb->first + 1) % rb->size;
	rb->nr--;
}

/* Room for one more slot: grow the circle, oldest record first. */
static int prb_grow(struct printk_ringbuffer *rb)
{
	uint32_t size = rb->size ? 2 * rb->size : 64, i;
	struct printk_record *recs;

	if (rb->nr < rb->size || rb->size >= PRINTK_MAX_RECORDS)
		return 0;
	if (size > PRINTK_MAX_RECORDS)
		size = PRINTK_MAX_RECORDS;
	recs = calloc(size, sizeof(*recs));
	if (!recs)
		return -ENOMEM;
	for (i = 0; i < rb->nr; i++)
		recs[i] = *slot(rb, i);
	free(rb->recs);
	rb->recs = recs;
	rb->size = size;
	rb->first = 0;
	return 0;
}

/* Push out the oldest records, never @keep of the newest, until @cost fits. */
static void make_room(struct printk_ringbuffer *rb, uint32_t cost,
		      uint32_t keep)
{
	while (rb->nr > keep && (rb->nr + 1 - keep > PRINTK_MAX_RECORDS ||
				 rb->data_used + cost > LOG_BUF_LEN))
		drop_oldest(rb);
}

/* Append a record; @text (len bytes, NUL-terminated) becomes the ring's. */
static int prb_append(struct printk_ringbuffer *rb, uint64_t ts_nsec,
		      int facility, int level, unsigned int flags, char *text,
		      size_t len)
{
	uint32_t cost = record_cost(len);
	struct printk_record *r;

	if (prb_grow(rb))
		return -ENOMEM;
	make_room(rb, cost, 0);
	r = slot(rb, rb->nr++);
	r->seq = rb->next_seq++;
	r->ts_nsec = ts_nsec;
	r->facility = (uint8_t)facility;
	r->level = (uint8_t)level;
	r->flags = (uint8_t)flags;
	r->text_len = (uint16_t)len;
	r->text = text;
	rb->data_used += cost;
	return 0;
}

/* prb_reserve_in_last(): extend the unfinished last record. */
static void prb_extend_last(struct printk_ringbuffer *rb, const char *text,
			    size_t len, unsigned int flags)
{
	struct printk_record *r = slot(rb, rb->nr - 1);
	uint32_t old_cost = record_cost(r->text_len);
	size_t new_len = r->text_len + len;
	char *buf;

	if (new_len > PRINTK_RECORD_MAX)
		new_len = PRINTK_RECORD_MAX;
	buf = realloc(r->text, new_len + 1);
	if (!buf)
		return;
	memcpy(buf + r->text_len, text, new_len - r->text_len);
	buf[new_len] = '\0';
	r->text = buf;
	r->text_len = (uint16_t)new_len;
	r->flags |= (uint8_t)flags;
	rb->data_used += record_cost(new_len) - old_cost;
	make_room(rb, 0, 1);
}

void vprintk_emit(struct machine *m, int facility, int level, const char *fmt,
		  va_list args)
{
	struct printk_ringbuffer *rb = &m->log;
	char buf[PRINTK_RECORD_MAX + 1];
	unsigned int flags = 0;
	const struct printk_record *last;
	size_t len;
	char *text;
	int n;

	n = vsnprintf(buf, sizeof(buf), fmt, args);
	if (n < 0)
		return;
	len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1;
	/* a "%c" of 0 would end the text early anyway */
	len = strnlen(buf, len);
	if (len && buf[len - 1] == '\n') {
		len--;
		flags |= LOG_NEWLINE;
	}
	last = rb->nr ? slot(rb, rb->nr - 1) : NULL;
	if (level == LOGLEVEL_CONT && last && !(last->flags & LOG_NEWLINE) &&
	    last->facility == facility) {
		prb_extend_last(rb, buf, len, flags);
		return;
	}
	if (level < LOGLEVEL_EMERG || level > LOGLEVEL_DEBUG)
		level = MESSAGE_LOGLEVEL_DEFAULT;
	if (facility < 0 || facility > PRINTK_FACILITY_MAX)
		facility = 0;
	text = malloc(len + 1);
	if (!text)
		return;
	memcpy(text, buf, len);
	text[len] = '\0';
	if (prb_append(rb, m->clock_ns, facility, level, flags, text, len))
		free(text);
}

void printk(struct machine *m, int level, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vprintk_emit(m, 0, level, fmt, args);
	va_end(args);
}

int prb_restore(struct printk_ringbuffer *rb, const struct printk_record *r)
{
	char *text;

	if (r->text_len > PRINTK_RECORD_MAX || r->level > LOGLEVEL_DEBUG ||
	    r->facility > PRINTK_FACILITY_MAX || (r->flags & ~LOG_NEWLINE) ||
	    memchr(r->text, '\0', r->text_len) ||
	    rb->nr >= PRINTK_MAX_RECORDS ||
	    rb->data_used + record_cost(r->text_len) > LOG_BUF_LEN)
		return -EINVAL;
	text = malloc(r->text_len + 1U);
	if (!text)
		return -ENOMEM;
	memcpy(text, r->text, r->text_len);
	text[r->text_len] = '\0';
	rb->next_seq = r->seq;
	if (prb_append(rb, r->ts_nsec, r->facility, r->level, r->flags, text,
		       r->text_len)) {
		free(text);
		return -ENOMEM;
	}
	return 0;
}

void prb_free(struct printk_ringbuffer *rb)
{
	while (rb->nr)
		drop_oldest(rb);
	free(rb->recs);
	memset(rb, 0, sizeof(*rb));
}
