/* hash.c — SHA-256 through nettle. */
#include "hash.h"

#include <nettle/sha2.h>

#include "util.h"

struct sha256_stream {
	struct sha256_ctx ctx;
};

static void to_hex(const uint8_t *digest, char hex_r[SHA256_HEX_SIZE])
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
		hex_r[2 * i] = digits[digest[i] >> 4];
		hex_r[2 * i + 1] = digits[digest[i] & 15];
	}
	hex_r[2 * SHA256_DIGEST_SIZE] = '\0';
}

void sha256_hex(const void *data, size_t len, char hex_r[SHA256_HEX_SIZE])
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof(digest), digest);
	to_hex(digest, hex_r);
}

struct sha256_stream *sha256_stream_new(void)
{
	struct sha256_stream *s = xmalloc(sizeof(*s));
	sha256_init(&s->ctx);
	return s;
}

void sha256_stream_update(struct sha256_stream *s, const void *data, size_t len)
{
	sha256_update(&s->ctx, len, data);
}

void sha256_stream_finish(struct sha256_stream **s, char hex_r[SHA256_HEX_SIZE])
{
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_digest(&(*s)->ctx, sizeof(digest), digest);
	to_hex(digest, hex_r);
	xfree(s);
}
