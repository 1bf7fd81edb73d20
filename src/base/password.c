/* password.c — Argon2id password hashes and random tokens through libsodium (the one file
 * that includes sodium.h). */
#include "password.h"

#include <assert.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(PASSWORD_HASH_SIZE == crypto_pwhash_STRBYTES, "PASSWORD_HASH_SIZE");
_Static_assert(RANDOM_TOKEN_SIZE ==
               sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
               "RANDOM_TOKEN_SIZE");

/* Bytes of randomness in a token: 256 bits, beyond guessing however many are tried. */
#define TOKEN_BYTES 32

/* A hash of a phrase nobody signs in with, made once at password_hash's cost: what an
 * unknown user's password is checked against (password_verify_dummy). */
static const char dummy_hash[PASSWORD_HASH_SIZE] =
    "$argon2id$v=19$m=65536,t=2,p=1$g8iUw7+0ZSV/al3b0N91PQ$"
    "1iQG5oRTFOr1PvFqDxHtDTUdcaTjtAmJU/40QmI7lVI";

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void start(void)
{
	/* sodium_init picks the fastest implementations and opens the random source; it is 0
	 * or 1 (started already) when it worked. */
	if (sodium_init() < 0) {
		fputs("liaison: libsodium could not start (no random source)\n", stderr);
		abort();
	}
}

static void ready(void)
{
	pthread_once(&once, start);
}

int password_hash(const char *password, char hash_r[PASSWORD_HASH_SIZE])
{
	ready();
	return crypto_pwhash_str(hash_r, password, strlen(password),
	                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                         crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0 ? 0 : -1;
}

/* libsodium may read all PASSWORD_HASH_SIZE bytes of the hash it is given: a copy padded
 * with NULs.  -1 for a string too long to be a hash of ours. */
static int padded(const char *hash, char h_r[PASSWORD_HASH_SIZE])
{
	size_t n = hash ? strlen(hash) : PASSWORD_HASH_SIZE;
	if (n >= PASSWORD_HASH_SIZE)
		return -1;
	memset(h_r, 0, PASSWORD_HASH_SIZE);
	memcpy(h_r, hash, n);
	return 0;
}

int password_verify(const char *hash, const char *password)
{
	char h[PASSWORD_HASH_SIZE];
	if (padded(hash, h) < 0)
		return 0;
	ready();
	return crypto_pwhash_str_verify(h, password, strlen(password)) == 0;
}

int password_verify_dummy(const char *password)
{
	password_verify(dummy_hash, password);
	return 0;
}

int password_needs_rehash(const char *hash)
{
	char h[PASSWORD_HASH_SIZE];
	if (padded(hash, h) < 0)
		return -1;
	ready();
	return crypto_pwhash_str_needs_rehash(h, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                                      crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

void random_bytes(void *out, size_t size)
{
	ready();
	randombytes_buf(out, size);
}

void random_token(char *out, size_t size)
{
	unsigned char bytes[TOKEN_BYTES];
	assert(size >= RANDOM_TOKEN_SIZE); /* a cut token would be a weaker one */
	random_bytes(bytes, sizeof(bytes));
	sodium_bin2base64(out, size, bytes, sizeof(bytes), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(bytes, sizeof(bytes));
}

int token_equal(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return 0;
	size_t n = strlen(a);
	/* The length of a token is no secret; its bytes are. */
	return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}
