/* SPDX-License-Identifier: GPL-2.0 */
/* Parsing numbers that user space writes (lib/kstrtox.c). */
#ifndef MMSIM_KSTRTOX_H
#define MMSIM_KSTRTOX_H

#include <stdint.h>

/*
 * kstrtoint(s, 0): an optional sign, then decimal, octal (0...) or hex
 * (0x...), and at most one trailing newline.  0 and *@res, -EINVAL for
 * anything else, -ERANGE beyond an int.
 */
int kstrtoint(const char *s, int *res);

/*
 * kstrtobool(): only the first characters count: y, t, 1 or "on" for
 * true, n, f, 0 or "off" for false, either case.  0 and *@res, or
 * -EINVAL.
 */
int kstrtobool(const char *s, int *res);

/*
 * simple_strtoull(s, end, 0): no sign, then as many digits as the base
 * (0x... hex, 0... octal, else decimal) takes, wrapping past 64 bits as
 * the kernel's does.  *@end is the first character not taken: @s itself
 * when there was no digit.  Never fails.
 */
uint64_t simple_strtoull(const char *s, const char **end);

/*
 * memparse() (lib/cmdline.c): simple_strtoull(), then at most one of the
 * suffixes K M G T P E (either case), each 1024 times the one before.
 * *@end is what follows; the caller decides whether anything may.
 */
uint64_t memparse(const char *s, const char **end);

#endif
