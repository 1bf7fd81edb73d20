/* password.h — web console passwords (Argon2id) and the program's random secrets: session
 * and CSRF tokens, TOTP keys.  libsodium behind one module: nothing else includes sodium.h.
 *
 * Every function may be called from any thread; the library is set up once on first use.
 * Without a working random source (libsodium cannot start) the program stops, as it does
 * when memory runs out: there is no safe way on without one. */
#ifndef LIAISON_PASSWORD_H
#define LIAISON_PASSWORD_H

#include <stddef.h>

/* An encoded hash, "$argon2id$v=19$m=65536,t=2,p=1$salt$hash" and its NUL
 * (crypto_pwhash_STRBYTES). */
#define PASSWORD_HASH_SIZE 128
/* A token: 32 random bytes in base64url without padding (43 characters) and a NUL. */
#define RANDOM_TOKEN_SIZE 44

/* Hashes password (NUL-terminated) with Argon2id at libsodium's interactive cost (2 passes
 * over 64 MiB) and a fresh random salt, into hash_r.  Returns 0, or -1 when the 64 MiB
 * could not be had. */
int password_hash(const char *password, char hash_r[PASSWORD_HASH_SIZE]);

/* 1 when password matches hash (an encoded hash of password_hash), 0 when it does not or
 * hash is not one.  The comparison takes the same time wherever the two differ. */
int password_verify(const char *hash, const char *password);

/* Does the work of one password_verify against a hash of nothing anyone knows, and returns
 * 0: a user who does not exist (or has no password) costs what a real one does, so the time
 * of an answer never tells which names exist. */
int password_verify_dummy(const char *password);

/* 1 when hash was made at another cost than password_hash uses now (hash again at the next
 * successful sign-in), 0 when not, -1 when hash is not an Argon2id hash. */
int password_needs_rehash(const char *hash);

/* Fills out with size random bytes (the kernel's CSPRNG). */
void random_bytes(void *out, size_t size);

/* Writes a fresh token (32 random bytes, base64url, no padding) into out, which must hold
 * RANDOM_TOKEN_SIZE bytes (size, a smaller one, is a bug). */
void random_token(char *out, size_t size);

/* 1 when the strings a and b are equal, 0 when not (either NULL: 0), in a time that
 * depends only on their lengths: for comparing a CSRF token the client sent with the
 * session's. */
int token_equal(const char *a, const char *b);

#endif
