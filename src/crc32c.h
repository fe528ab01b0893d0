/*
 * crc32c.h: CRC-32C (Castagnoli), the checksum of TFRecords. Safe to call
 * from several threads at once.
 */
#ifndef GUILD_CRC32C_H
#define GUILD_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* crc of buf, going on from crc (0 to start). */
uint32_t	 crc32c_update(uint32_t crc, const void *buf, size_t len);
/* The same without the processor's crc32 instruction (for the tests). */
uint32_t	 crc32c_update_soft(uint32_t crc, const void *buf, size_t len);

#endif
