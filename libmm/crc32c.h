/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CRC-32C (Castagnoli), the checksum of the image file.  Chainable:
 * crc32c(crc32c(0, a, n), b, m) is the checksum of a followed by b, and
 * crc32c(0, "123456789", 9) is 0xe3069283.
 */
#ifndef MMSIM_CRC32C_H
#define MMSIM_CRC32C_H

#include <stddef.h>
#include <stdint.h>

uint32_t crc32c(uint32_t crc, const void *data, size_t len);

#endif
