/* SPDX-License-Identifier: GPL-2.0 */
/* Parsing numbers that user space writes (lib/kstrtox.c). */
#ifndef MMSIM_KSTRTOX_H
#define MMSIM_KSTRTOX_H

/*
 * kstrtoint(s, 0): an optional sign, then decimal, octal (0...) or hex
 * (0x...), and at most one trailing newline.  0 and *@res, -EINVAL for
 * anything else, -ERANGE beyond an int.
 */
int kstrtoint(const char *s, int *res);

#endif
