/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Operations: the words of `mmsim do` and of scenario scripts.  Each
 * operation is validated completely before it changes anything, so that a
 * rejected one leaves the machine as it was and is never journaled.
 */
#ifndef MMSIM_OPS_H
#define MMSIM_OPS_H

#include <stddef.h>

struct machine;
struct seq_buf;

#define OP_MAX_ARGS 32
#define OP_MAX_LINE 4096

/*
 * Apply one operation line (no '#' comment, no "NAME =" binding, "$NAME"
 * already substituted).  On success returns 0 and prints the result, if
 * any, into @result (e.g. "7\n").  On failure returns a negative errno
 * and writes one line saying what was wrong into @err.
 *
 * Arguments are checked before anything changes, but an operation can
 * still fail part-way (the 5th of 8 allocations finds no memory).  Undoing
 * that by hand could not restore free-list order exactly, so after a
 * failure the caller must throw @m away and reload it: image_apply() does
 * (the file was not touched, so the reload is the state before the op).
 */
int op_apply(struct machine *m, const char *line, struct seq_buf *result,
	     struct seq_buf *err);

/*
 * Whether @line names a known operation with well-formed arguments
 * (without applying it).  Same return convention as op_apply().
 */
int op_validate(const char *line, struct seq_buf *err);

/* The operation names, for --help and the man page; NULL-terminated. */
extern const char *const op_names[];

#endif
