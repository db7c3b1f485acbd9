/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The machine's own random numbers (xoshiro256**): seeded at create, kept
 * in the image, so that the same image and operations give the same state.
 */
#ifndef MMSIM_PRNG_H
#define MMSIM_PRNG_H

#include <stdint.h>

struct prng {
	uint64_t s[4];
};

void prng_seed(struct prng *r, uint64_t seed);
uint64_t prng_next(struct prng *r);
/* Uniform in [0, bound); bound 0 gives 0. */
uint64_t prng_below(struct prng *r, uint64_t bound);

#endif
