/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A growable text buffer: every procfs renderer prints into one, and the
 * filesystem hands its bytes to readers.  It never truncates; an allocation
 * failure is sticky and reported by seq_buf_error().
 */
#ifndef MMSIM_SEQ_BUF_H
#define MMSIM_SEQ_BUF_H

#include <stddef.h>

struct seq_buf {
	char *buf;
	size_t len;
	size_t size;
	int error; /* 0 or -ENOMEM once an append failed */
};

void seq_buf_init(struct seq_buf *s);
void seq_buf_free(struct seq_buf *s);
void seq_buf_reset(struct seq_buf *s);
/* Hand the bytes over to the caller, who frees them; @s is empty again. */
char *seq_buf_detach(struct seq_buf *s, size_t *len);

__attribute__((format(printf, 2, 3))) void seq_printf(struct seq_buf *s,
						      const char *fmt, ...);
void seq_puts(struct seq_buf *s, const char *str);
void seq_putc(struct seq_buf *s, char c);
void seq_write(struct seq_buf *s, const void *data, size_t len);

static inline int seq_buf_error(const struct seq_buf *s)
{
	return s->error;
}

#endif
