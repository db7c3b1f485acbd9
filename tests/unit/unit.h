/* SPDX-License-Identifier: GPL-2.0 */
/* A few assertion helpers for the C unit tests (automake TAP-less tests). */
#ifndef MMSIM_UNIT_H
#define MMSIM_UNIT_H

#include <stdio.h>
#include <stdlib.h>

static int unit_checks;

#define FAIL(...)                                               \
	do {                                                    \
		fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__);                   \
		fputc('\n', stderr);                            \
		exit(1);                                        \
	} while (0)

#define ASSERT(cond)                                         \
	do {                                                 \
		unit_checks++;                               \
		if (!(cond))                                 \
			FAIL("assertion failed: %s", #cond); \
	} while (0)

#define ASSERT_EQ(a, b)                                                     \
	do {                                                                \
		long long a_ = (long long)(a), b_ = (long long)(b);         \
		unit_checks++;                                              \
		if (a_ != b_)                                               \
			FAIL("%s == %lld, expected %s == %lld", #a, a_, #b, \
			     b_);                                           \
	} while (0)

static inline int unit_done(const char *name)
{
	printf("%s: %d checks passed\n", name, unit_checks);
	return 0;
}

#endif
