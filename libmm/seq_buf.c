// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "seq_buf.h"

void seq_buf_init(struct seq_buf *s)
{
	memset(s, 0, sizeof(*s));
}

void seq_buf_free(struct seq_buf *s)
{
	free(s->buf);
	seq_buf_init(s);
}

void seq_buf_reset(struct seq_buf *s)
{
	s->len = 0;
	s->error = 0;
	if (s->buf)
		s->buf[0] = '\0';
}

char *seq_buf_detach(struct seq_buf *s, size_t *len)
{
	char *buf = s->buf;

	if (len)
		*len = s->len;
	seq_buf_init(s);
	return buf;
}

/* Make room for @extra more bytes plus the terminating NUL. */
static int seq_buf_reserve(struct seq_buf *s, size_t extra)
{
	size_t want = s->len + extra + 1;
	size_t size = s->size ? s->size : 256;
	char *buf;

	if (s->error)
		return s->error;
	if (want <= s->size)
		return 0;
	while (size < want)
		size *= 2;
	buf = realloc(s->buf, size);
	if (!buf) {
		s->error = -ENOMEM;
		return s->error;
	}
	s->buf = buf;
	s->size = size;
	return 0;
}

void seq_write(struct seq_buf *s, const void *data, size_t len)
{
	if (!len || seq_buf_reserve(s, len))
		return;
	memcpy(s->buf + s->len, data, len);
	s->len += len;
	s->buf[s->len] = '\0';
}

void seq_puts(struct seq_buf *s, const char *str)
{
	seq_write(s, str, strlen(str));
}

void seq_putc(struct seq_buf *s, char c)
{
	seq_write(s, &c, 1);
}

void seq_printf(struct seq_buf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || seq_buf_reserve(s, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(s->buf + s->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	s->len += (size_t)n;
}
