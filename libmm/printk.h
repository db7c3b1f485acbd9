/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel log (kernel/printk/): a bounded ring of records, each with a
 * sequence number, the simulated time it was written at, a facility and a
 * level, and its text.  Only simulation events write to it, so it is as
 * deterministic as the rest of the machine and is part of its saved state.
 */
#ifndef MMSIM_PRINTK_H
#define MMSIM_PRINTK_H

#include <stdarg.h>
#include <stdint.h>

struct machine;

/* include/linux/kern_levels.h */
#define LOGLEVEL_EMERG 0
#define LOGLEVEL_ALERT 1
#define LOGLEVEL_CRIT 2
#define LOGLEVEL_ERR 3
#define LOGLEVEL_WARNING 4
#define LOGLEVEL_NOTICE 5
#define LOGLEVEL_INFO 6
#define LOGLEVEL_DEBUG 7
/* KERN_DEFAULT: stored as CONFIG_MESSAGE_LOGLEVEL_DEFAULT */
#define LOGLEVEL_DEFAULT -1
/* KERN_CONT: carry on the last record if it has not ended its line */
#define LOGLEVEL_CONT -2

#define MESSAGE_LOGLEVEL_DEFAULT LOGLEVEL_WARNING

/*
 * CONFIG_LOG_BUF_SHIFT=17, as Debian's kernel: 128 KiB of record data,
 * and one descriptor per 32 bytes of it (PRB_AVGBITS).
 */
#define LOG_BUF_LEN (1U << 17)
#define PRINTK_MAX_RECORDS (LOG_BUF_LEN >> 5)
/* PRINTKRB_RECORD_MAX: the most text one record keeps */
#define PRINTK_RECORD_MAX 1024
/* syslog facilities fit the 7 bits /dev/kmsg takes (LOG_FACMASK) */
#define PRINTK_FACILITY_MAX 127

/* enum printk_info_flags: the text ended with a newline */
#define LOG_NEWLINE 2

struct printk_record {
	uint64_t seq;
	uint64_t ts_nsec; /* the simulated clock when it was written */
	uint8_t facility;
	uint8_t level;
	uint8_t flags;
	uint16_t text_len;
	char *text; /* text_len bytes and a NUL; no trailing newline */
};

struct printk_ringbuffer {
	struct printk_record *recs; /* a circle of @size slots */
	uint32_t size;
	uint32_t first; /* the slot of the oldest record */
	uint32_t nr;
	uint64_t next_seq; /* what the next record is numbered */
	uint32_t data_used; /* bytes of LOG_BUF_LEN the records take */
};

/*
 * Log a message at @level (LOGLEVEL_*), stamped with the simulated clock.
 * A trailing newline ends the record; without one, the next
 * LOGLEVEL_CONT message (pr_cont) is appended to it.  The oldest records
 * make way when the ring is full.  Logging never fails an operation: a
 * message that cannot be stored (no memory) is dropped.
 */
__attribute__((format(printf, 3, 4))) void printk(struct machine *m, int level,
						  const char *fmt, ...);
/* The same with a syslog facility (0 is the kernel's own). */
__attribute__((format(printf, 4, 0))) void vprintk_emit(struct machine *m,
							int facility, int level,
							const char *fmt,
							va_list args);

#define pr_emerg(m, ...) printk(m, LOGLEVEL_EMERG, __VA_ARGS__)
#define pr_alert(m, ...) printk(m, LOGLEVEL_ALERT, __VA_ARGS__)
#define pr_crit(m, ...) printk(m, LOGLEVEL_CRIT, __VA_ARGS__)
#define pr_err(m, ...) printk(m, LOGLEVEL_ERR, __VA_ARGS__)
#define pr_warn(m, ...) printk(m, LOGLEVEL_WARNING, __VA_ARGS__)
#define pr_notice(m, ...) printk(m, LOGLEVEL_NOTICE, __VA_ARGS__)
#define pr_info(m, ...) printk(m, LOGLEVEL_INFO, __VA_ARGS__)
#define pr_cont(m, ...) printk(m, LOGLEVEL_CONT, __VA_ARGS__)

/* The @i-th oldest record, or NULL past the newest. */
const struct printk_record *prb_record(const struct printk_ringbuffer *rb,
				       uint32_t i);

/*
 * For the checkpoint loader: append a record as it was saved, numbered
 * after the last.  0, -EINVAL if it does not fit the ring's bounds, or
 * -ENOMEM.
 */
int prb_restore(struct printk_ringbuffer *rb, const struct printk_record *r);

void prb_free(struct printk_ringbuffer *rb);

#endif
