// SPDX-License-Identifier: GPL-2.0
/*
 * CPU and node masks printed as lib/vsprintf.c prints bitmaps: "%*pbl"
 * as a list of ranges and "%*pb" as hex in comma-separated 32-bit chunks.
 */
#include <inttypes.h>

#include "internal.h"

void seq_bitmap_list(struct seq_buf *s, const uint64_t *bits, int nbits)
{
	int first = 1;
	int start, end;

	for (start = 0; start < nbits; start = end + 1) {
		if (!bitmap_test(bits, start)) {
			end = start;
			continue;
		}
		end = start;
		while (end + 1 < nbits && bitmap_test(bits, end + 1))
			end++;
		if (!first)
			seq_putc(s, ',');
		first = 0;
		if (end == start)
			seq_printf(s, "%d", start);
		else
			seq_printf(s, "%d-%d", start, end);
	}
}

static uint32_t bitmap_chunk32(const uint64_t *bits, int bit, int width)
{
	uint64_t word = bits[bit / 64] >> (bit % 64);

	return (uint32_t)(word & ((1ULL << width) - 1));
}

void seq_bitmap_mask(struct seq_buf *s, const uint64_t *bits, int nbits)
{
	/* The top chunk is as wide as the bits left over, in hex digits. */
	int width = nbits % 32 ? nbits % 32 : 32;
	int bit;

	for (bit = ((nbits + 31) / 32 - 1) * 32; bit >= 0; bit -= 32) {
		seq_printf(s, "%s%0*" PRIx32, bit + width < nbits ? "," : "",
			   (width + 3) / 4, bitmap_chunk32(bits, bit, width));
		width = 32;
	}
}
