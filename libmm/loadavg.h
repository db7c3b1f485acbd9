/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exponentially decaying averages in fixed point, which the load average
 * and PSI share (include/linux/sched/loadavg.h).
 */
#ifndef MMSIM_LOADAVG_H
#define MMSIM_LOADAVG_H

#include <stdint.h>

#define FSHIFT 11
#define FIXED_1 ((uint64_t)1 << FSHIFT)
/* the whole and hundredths parts, as /proc prints them */
#define LOAD_INT(x) ((uint64_t)(x) >> FSHIFT)
#define LOAD_FRAC(x) LOAD_INT(((x) & (FIXED_1 - 1)) * 100)

/* One step: @load decays by @exp towards @active. */
static inline uint64_t calc_load(uint64_t load, uint64_t exp, uint64_t active)
{
	uint64_t newload = load * exp + active * (FIXED_1 - exp);

	/* rounds up while rising, so that a steady 100% reaches 100.00 */
	if (active >= load)
		newload += FIXED_1 - 1;
	return newload / FIXED_1;
}

/* x^n in FSHIFT fixed point, by squaring (fixed_power_int()). */
static inline uint64_t fixed_power_int(uint64_t x, uint64_t n)
{
	uint64_t result = FIXED_1;

	while (n) {
		if (n & 1)
			result = (result * x + FIXED_1 / 2) >> FSHIFT;
		n >>= 1;
		if (n)
			x = (x * x + FIXED_1 / 2) >> FSHIFT;
	}
	return result;
}

#endif
