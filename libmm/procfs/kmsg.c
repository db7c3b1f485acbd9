// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/kmsg (fs/proc/kmsg.c) as SYSLOG_ACTION_READ_ALL gives the log
 * (kernel/printk/printk.c: syslog_print_all()): every line of every record
 * as "<PRI>[seconds.micros] text", where PRI is facility * 8 + level.
 * That is the buffer util-linux reads with `dmesg -F FILE`.  The real file
 * hands out each record once; this one is made whole at open, so every
 * reader gets the whole ring.  Like a READ_ALL into a buffer the size of
 * the log, it keeps the newest records that fit in LOG_BUF_LEN bytes.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* info_print_prefix(): "<6>[    1.234567] " */
static size_t print_prefix(const struct printk_record *r, char *buf,
			   size_t size)
{
	uint64_t ts = r->ts_nsec;
	int n;

	n = snprintf(buf, size, "<%u>[%5llu.%06llu] ",
		     (unsigned int)r->facility << 3 | r->level,
		     (unsigned long long)(ts / NSEC_PER_SEC),
		     (unsigned long long)(ts % NSEC_PER_SEC / 1000));
	return n < 0 ? 0 : (size_t)n;
}

/* record_print_text(): the prefix again before each line of the text. */
static size_t record_print_text(const struct printk_record *r,
				struct seq_buf *s)
{
	const char *line = r->text, *end = r->text + r->text_len, *nl;
	char prefix[64];
	size_t plen = print_prefix(r, prefix, sizeof(prefix)), len = 0;

	do {
		nl = memchr(line, '\n', (size_t)(end - line));
		if (!nl)
			nl = end;
		if (s) {
			seq_write(s, prefix, plen);
			seq_write(s, line, (size_t)(nl - line));
			seq_putc(s, '\n');
		}
		len += plen + (size_t)(nl - line) + 1;
		line = nl + 1;
	} while (nl < end);
	return len;
}

int kmsg_proc_show(const struct pfs_ctx *ctx, struct seq_buf *s)
{
	const struct printk_ringbuffer *rb = &ctx->m->log;
	const struct printk_record *r;
	uint32_t first = rb->nr, i;
	size_t len = 0, rlen;

	/* find_first_fitting_seq(): the newest records that fit */
	while (first > 0) {
		rlen = record_print_text(prb_record(rb, first - 1), NULL);
		if (len + rlen > LOG_BUF_LEN)
			break;
		len += rlen;
		first--;
	}
	for (i = first; (r = prb_record(rb, i)); i++)
		record_print_text(r, s);
	return 0;
}
