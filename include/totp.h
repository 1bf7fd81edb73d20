/* totp.h — time-based one-time passwords (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps,
 * as every authenticator app reads an otpauth:// URI).  liboath behind one module: nothing
 * else includes liboath/oath.h.
 *
 * A secret is kept as the authenticator app is given it: base32, upper case, no padding. */
#ifndef LIAISON_TOTP_H
#define LIAISON_TOTP_H

#include <stdint.h>

/* A secret: 20 random bytes (RFC 4226's recommended 160 bits) in base32, and a NUL. */
#define TOTP_SECRET_SIZE 33
/* A code: 6 digits and a NUL. */
#define TOTP_CODE_SIZE 7
/* The seconds of one step. */
#define TOTP_STEP 30

/* Writes a new random secret into secret_r.  Returns 0, or -1 when it could not be
 * encoded (out of memory inside liboath). */
int totp_secret_new(char secret_r[TOTP_SECRET_SIZE]);

/* The code of secret (base32) at instant now (seconds since the epoch) into code_r: what the
 * app shows then.  Returns 0, or -1 when secret is not base32. */
int totp_code(const char *secret, int64_t now, char code_r[TOTP_CODE_SIZE]);

/* Checks code (6 digits, nothing else) against secret at instant now, allowing one step
 * before and after for a slow typist and a clock a little off.  Returns 1 with *step_r the
 * step the code belongs to (now / TOTP_STEP, give or take one): the caller refuses a step
 * no newer than the last one it took, so that a code is good once (RFC 6238 section 5.2);
 * 0 when the code matches none of the three steps (or is not 6 digits); -1 when secret is
 * not base32.  The code is compared in constant time. */
int totp_verify(const char *secret, const char *code, int64_t now, int64_t *step_r);

/* The otpauth:// URI an authenticator app reads from a QR code:
 * "otpauth://totp/liaison:USER?secret=SECRET&issuer=liaison", user percent-encoded.
 * Returns a new string (caller frees). */
char *totp_uri(const char *user, const char *secret);

#endif
