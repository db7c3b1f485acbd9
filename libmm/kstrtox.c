// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing numbers that user space writes (lib/kstrtox.c): the rules
 * every integer knob shares, so that they all refuse the same input.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>

#include "kstrtox.h"

int kstrtoint(const char *s, int *res)
{
	unsigned long long v = 0;
	unsigned int base = 10, digit;
	int neg = 0, digits = 0;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (s[0] == '0' && tolower((unsigned char)s[1]) == 'x' &&
	    isxdigit((unsigned char)s[2])) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (; *s && !(s[0] == '\n' && !s[1]); s++, digits++) {
		if (isdigit((unsigned char)*s))
			digit = (unsigned int)(*s - '0');
		else if (isxdigit((unsigned char)*s))
			digit = (unsigned int)(tolower((unsigned char)*s) -
					       'a' + 10);
		else
			return -EINVAL;
		if (digit >= base)
			return -EINVAL;
		v = v * base + digit;
		if (v > (unsigned long long)INT_MAX + 1)
			return -ERANGE;
	}
	if (!digits)
		return -EINVAL;
	if (v > (unsigned long long)INT_MAX + (neg ? 1 : 0))
		return -ERANGE;
	*res = neg ? (int)-(long long)v : (int)v;
	return 0;
}

uint64_t simple_strtoull(const char *s, const char **end)
{
	unsigned int base = 10, digit;
	uint64_t v = 0;

	/* _parse_integer_fixup_radix() */
	if (s[0] == '0') {
		if (tolower((unsigned char)s[1]) == 'x' &&
		    isxdigit((unsigned char)s[2])) {
			base = 16;
			s += 2;
		} else {
			base = 8;
		}
	}
	for (;; s++) {
		if (isdigit((unsigned char)*s))
			digit = (unsigned int)(*s - '0');
		else if (isxdigit((unsigned char)*s))
			digit = (unsigned int)(tolower((unsigned char)*s) -
					       'a' + 10);
		else
			break;
		if (digit >= base)
			break;
		/* the overflow is flagged in the kernel, and ignored here */
		v = v * base + digit;
	}
	*end = s;
	return v;
}

uint64_t memparse(const char *s, const char **end)
{
	uint64_t v = simple_strtoull(s, end);
	int shift;

	switch (tolower((unsigned char)**end)) {
	case 'e':
		shift = 60;
		break;
	case 'p':
		shift = 50;
		break;
	case 't':
		shift = 40;
		break;
	case 'g':
		shift = 30;
		break;
	case 'm':
		shift = 20;
		break;
	case 'k':
		shift = 10;
		break;
	default:
		return v;
	}
	(*end)++;
	return v << shift;
}

int kstrtobool(const char *s, int *res)
{
	switch (s[0]) {
	case 'y':
	case 'Y':
	case 't':
	case 'T':
	case '1':
		*res = 1;
		return 0;
	case 'n':
	case 'N':
	case 'f':
	case 'F':
	case '0':
		*res = 0;
		return 0;
	case 'o':
	case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*res = 1;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*res = 0;
			return 0;
		}
		break;
	}
	return -EINVAL;
}
