// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel log: the boot writes its memory lines; records are numbered
 * in order and stamped with the simulated clock; lines, continuations,
 * levels and facilities come out of proc/kmsg as SYSLOG_ACTION_READ_ALL
 * prints them; a full ring drops its oldest records; and the log survives
 * a checkpoint round trip byte for byte, while a damaged one is refused.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "machine.h"
#include "printk.h"
#include "procfs.h"
#include "seq_buf.h"
#include "unit.h"

static struct machine *boot(void)
{
	struct machine_params p = {
		.mem_bytes = 512ULL << 20,
		.nr_nodes = 1,
		.nr_cpus = 2,
		.seed = 7,
	};
	struct machine *m;

	if (machine_boot(&p, &m))
		FAIL("machine_boot failed");
	return m;
}

static const struct printk_record *last_record(const struct machine *m)
{
	return prb_record(&m->log, m->log.nr - 1);
}

/* proc/kmsg as a string, freed by the caller. */
static char *kmsg(const struct machine *m, size_t *len)
{
	struct seq_buf s;
	char *text;

	seq_buf_init(&s);
	if (pfs_render(m, "proc/kmsg", &s))
		FAIL("rendering proc/kmsg failed");
	seq_putc(&s, '\0');
	text = seq_buf_detach(&s, len);
	(*len)--;
	return text;
}

static void emit(struct machine *m, int facility, int level, const char *fmt,
		 ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk_emit(m, facility, level, fmt, ap);
	va_end(ap);
}

static void test_boot_log(void)
{
	struct machine *m = boot();
	const struct printk_record *r, *prev = NULL;
	char *text;
	size_t len;
	uint32_t i;

	ASSERT(m->log.nr > 20);
	ASSERT_EQ(m->log.next_seq, m->log.nr);
	r = prb_record(&m->log, 0);
	ASSERT_EQ(r->seq, 0);
	ASSERT_EQ(r->level, LOGLEVEL_NOTICE);
	ASSERT(!strcmp(r->text, MMSIM_LINUX_BANNER));
	for (i = 0; (r = prb_record(&m->log, i)); i++) {
		ASSERT_EQ(r->seq, i);
		ASSERT_EQ(r->facility, 0);
		ASSERT(r->flags & LOG_NEWLINE);
		if (prev)
			ASSERT(r->ts_nsec >= prev->ts_nsec);
		prev = r;
	}
	ASSERT(prev->ts_nsec > 0);
	ASSERT(!strncmp(prev->text, "Freeing unused kernel image", 27));

	text = kmsg(m, &len);
	ASSERT(!strncmp(text, "<5>[    0.000000] Linux version ", 32));
	ASSERT(strstr(text, "\n<6>[    0.000000] Zone ranges:\n"));
	ASSERT(strstr(text, "\n<7>[    0.000000] e820: update [mem "));
	ASSERT(strstr(text, "\n<6>[    0.000000] Memory: "));
	ASSERT_EQ(text[len - 1], '\n');
	free(text);
	machine_free(m);
}

static void test_formats(void)
{
	struct machine *m = boot();
	uint64_t seq = m->log.next_seq;
	char *text, *tail;
	size_t len;

	m->clock_ns = 1500000000ULL;
	pr_err(m, "two\nlines\n");
	ASSERT_EQ(last_record(m)->seq, seq);
	ASSERT_EQ(last_record(m)->text_len, 9);

	/* an unfinished line takes continuations until its newline */
	m->clock_ns = 12345678901ULL;
	pr_info(m, "free:%d", 5);
	pr_cont(m, " kB");
	pr_cont(m, "\n");
	ASSERT_EQ(m->log.next_seq, seq + 2);
	ASSERT(!strcmp(last_record(m)->text, "free:5 kB"));
	/* after it, a continuation starts a record of the default level */
	pr_cont(m, "orphan\n");
	ASSERT_EQ(last_record(m)->level, MESSAGE_LOGLEVEL_DEFAULT);
	/* a new message ends an unfinished one */
	printk(m, LOGLEVEL_WARNING, "open");
	printk(m, LOGLEVEL_DEBUG, "next\n");
	ASSERT_EQ(m->log.next_seq, seq + 5);
	/* a daemon's message through /dev/kmsg: facility 3, "<30>" */
	emit(m, 3, LOGLEVEL_INFO, "systemd[1]: Started cron.\n");
	/* an empty message is still a line */
	printk(m, LOGLEVEL_INFO, "\n");

	text = kmsg(m, &len);
	tail = strstr(text, "<3>[    1.500000] two\n");
	ASSERT(tail);
	ASSERT(!strcmp(tail, "<3>[    1.500000] two\n"
			     "<3>[    1.500000] lines\n"
			     "<6>[   12.345678] free:5 kB\n"
			     "<4>[   12.345678] orphan\n"
			     "<4>[   12.345678] open\n"
			     "<7>[   12.345678] next\n"
			     "<30>[   12.345678] systemd[1]: Started cron.\n"
			     "<6>[   12.345678] \n"));
	free(text);

	/* a record keeps at most PRINTKRB_RECORD_MAX bytes of text */
	text = malloc(3000);
	memset(text, 'x', 2999);
	text[2999] = '\0';
	pr_info(m, "%s\n", text);
	ASSERT_EQ(last_record(m)->text_len, PRINTK_RECORD_MAX);
	free(text);
	machine_free(m);
}

static void test_wrap(void)
{
	struct machine *m = boot();
	const struct printk_record *r;
	char *text;
	size_t len;
	uint32_t i;
	int k;

	/* 100-byte records: the data ring is the bound */
	for (k = 0; k < 5000; k++)
		pr_info(m, "%-90s%08d\n", "filler", k);
	ASSERT(m->log.nr < 5000);
	ASSERT(m->log.data_used <= LOG_BUF_LEN);
	ASSERT(m->log.data_used + 112 > LOG_BUF_LEN);
	ASSERT_EQ(prb_record(&m->log, 0)->seq, m->log.next_seq - m->log.nr);
	ASSERT(!strncmp(prb_record(&m->log, 0)->text, "filler", 6));
	ASSERT(!strcmp(last_record(m)->text + 90, "00004999"));
	for (i = 1; (r = prb_record(&m->log, i)); i++)
		ASSERT_EQ(r->seq, prb_record(&m->log, i - 1)->seq + 1);

	/* the syslog dump keeps the newest lines that fit its buffer */
	text = kmsg(m, &len);
	ASSERT(len <= LOG_BUF_LEN);
	ASSERT(len + 120 > LOG_BUF_LEN);
	ASSERT(!strcmp(text + len - 9, "00004999\n"));
	free(text);

	/* tiny records: the descriptor count is the bound */
	for (k = 0; k < 10000; k++)
		pr_info(m, "%d\n", k);
	ASSERT_EQ(m->log.nr, PRINTK_MAX_RECORDS);
	ASSERT(!strcmp(last_record(m)->text, "9999"));
	ASSERT(!strcmp(prb_record(&m->log, 0)->text, "5904"));
	machine_free(m);
}

static void save(const struct machine *m, struct seq_buf *out)
{
	seq_buf_init(out);
	if (machine_save(m, out) || seq_buf_error(out))
		FAIL("machine_save failed");
}

static void test_checkpoint(void)
{
	struct machine *m = boot(), *copy;
	struct seq_buf a, b;
	char why[256];
	size_t at;
	uint32_t i;

	m->clock_ns += 1000;
	pr_warn(m, "unfinished-record");
	save(m, &a);
	if (machine_load(a.buf, a.len, &copy, why, sizeof(why)))
		FAIL("machine_load: %s", why);
	save(copy, &b);
	ASSERT_EQ(a.len, b.len);
	ASSERT(!memcmp(a.buf, b.buf, a.len));
	ASSERT_EQ(copy->log.nr, m->log.nr);
	ASSERT_EQ(copy->log.next_seq, m->log.next_seq);
	ASSERT_EQ(copy->log.data_used, m->log.data_used);
	for (i = 0; i < m->log.nr; i++) {
		const struct printk_record *x = prb_record(&m->log, i);
		const struct printk_record *y = prb_record(&copy->log, i);

		ASSERT_EQ(x->seq, y->seq);
		ASSERT_EQ(x->ts_nsec, y->ts_nsec);
		ASSERT_EQ(x->level, y->level);
		ASSERT_EQ(x->flags, y->flags);
		ASSERT(!strcmp(x->text, y->text));
	}
	/* the loaded machine's open record still takes continuations */
	pr_cont(copy, " now\n");
	ASSERT(!strcmp(last_record(copy)->text, "unfinished-record now"));
	machine_free(copy);

	/* a record is saved as ... level, flags, text length, text */
	for (at = 0; at + 17 <= a.len; at++)
		if (!memcmp(a.buf + at, "unfinished-record", 17))
			break;
	ASSERT(at + 17 <= a.len);
	at -= 3;
	ASSERT_EQ(a.buf[at], LOGLEVEL_WARNING);
	a.buf[at] = 9;
	ASSERT(machine_load(a.buf, a.len, &copy, why, sizeof(why)) < 0);
	ASSERT(strstr(why, "log level"));
	a.buf[at] = LOGLEVEL_WARNING;
	a.buf[at + 1] = 3;
	ASSERT(machine_load(a.buf, a.len, &copy, why, sizeof(why)) < 0);
	ASSERT(strstr(why, "log flags"));
	a.buf[at + 1] = 0;
	/* a text longer than a record holds: 0xff makes a two-byte number */
	a.buf[at + 2] = (char)0xff;
	ASSERT(machine_load(a.buf, a.len, &copy, why, sizeof(why)) < 0);
	ASSERT(strstr(why, "log text"));
	/* cut short */
	ASSERT(machine_load(a.buf, a.len - 1, &copy, why, sizeof(why)) < 0);
	seq_buf_free(&a);
	seq_buf_free(&b);
	machine_free(m);
}

int main(void)
{
	test_boot_log();
	test_formats();
	test_wrap();
	test_checkpoint();
	return unit_done("test_printk");
}
