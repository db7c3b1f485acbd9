/* SPDX-License-Identifier: GPL-2.0 */
/* Sizes and durations as the command line and the operations take them. */
#ifndef MMSIM_CMDLINE_H
#define MMSIM_CMDLINE_H

#include <stdint.h>

/* "8G", "4096", "512M", "4K" (binary suffixes K M G T): 0 or -EINVAL/-ERANGE.
 */
int parse_size(const char *s, uint64_t *bytes);
/* "10s", "500ms", "2m", "1h" (a bare number is seconds): 0 or -EINVAL. */
int parse_duration(const char *s, uint64_t *ns);
/* A whole decimal number in [min, max]: 0 or -EINVAL/-ERANGE. */
int parse_s64(const char *s, int64_t min, int64_t max, int64_t *out);

#endif
