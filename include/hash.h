/* hash.h — SHA-256 (nettle, which uses the CPU's SHA instructions where it has them). */
#ifndef LIAISON_HASH_H
#define LIAISON_HASH_H

#include <stddef.h>

#define SHA256_HEX_SIZE 65 /* 64 hex digits and a NUL */

struct sha256_stream; /* incremental hashing, for data that arrives in pieces */

/* Writes the lower-case hex digest of data into hex_r. */
void sha256_hex(const void *data, size_t len, char hex_r[SHA256_HEX_SIZE]);

/* Returns a new stream (caller frees with sha256_stream_finish). */
struct sha256_stream *sha256_stream_new(void);
void sha256_stream_update(struct sha256_stream *s, const void *data, size_t len);
/* Writes the digest and frees *s (sets it to NULL). */
void sha256_stream_finish(struct sha256_stream **s, char hex_r[SHA256_HEX_SIZE]);

#endif
