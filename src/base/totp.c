/* totp.c — RFC 6238 codes through liboath (the one file that includes liboath/oath.h); the
 * secret's random bytes come from password.c (libsodium's generator). */
#include "totp.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "password.h"
#include "util.h"

/* 160 bits: RFC 4226 section 4 asks for at least 128 and recommends 160. */
#define SECRET_BYTES 20
#define DIGITS 6
/* Steps either side of now that a code may come from: RFC 6238 section 5.2 recommends at
 * most one for the network delay. */
#define WINDOW 1

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void start(void)
{
	/* oath_init only checks its crypto back end; no call fails for want of it later that
	 * the result codes would not report. */
	oath_init();
}

static void ready(void)
{
	pthread_once(&once, start);
}

int totp_secret_new(char secret_r[TOTP_SECRET_SIZE])
{
	char bytes[SECRET_BYTES];
	char *text = NULL;
	size_t len = 0;
	ready();
	random_bytes(bytes, sizeof(bytes));
	int rc = oath_base32_encode(bytes, sizeof(bytes), &text, &len);
	memset(bytes, 0, sizeof(bytes));
	/* 20 bytes are 32 base32 digits exactly: no padding to strip */
	if (rc != OATH_OK || len != TOTP_SECRET_SIZE - 1) {
		free_secret(&text);
		return -1;
	}
	memcpy(secret_r, text, TOTP_SECRET_SIZE);
	free_secret(&text);
	return 0;
}

/* The secret's bytes (caller wipes and frees), or NULL when it is not base32. */
static char *secret_bytes(const char *secret, size_t *len_r)
{
	char *bytes = NULL;
	ready();
	if (oath_base32_decode(secret, strlen(secret), &bytes, len_r) != OATH_OK || *len_r == 0) {
		free(bytes);
		return NULL;
	}
	return bytes;
}

static void free_bytes(char *bytes, size_t len)
{
	if (bytes != NULL)
		memset(bytes, 0, len);
	free(bytes);
}

int totp_code(const char *secret, int64_t now, char code_r[TOTP_CODE_SIZE])
{
	size_t len = 0;
	char *key = secret_bytes(secret, &len);
	if (key == NULL)
		return -1;
	int rc = oath_totp_generate(key, len, (time_t)now, TOTP_STEP, OATH_TOTP_DEFAULT_START_TIME,
	                            DIGITS, code_r);
	free_bytes(key, len);
	return rc == OATH_OK ? 0 : -1;
}

/* liboath's comparison is strcmp, which stops at the first digit that differs: this one
 * looks at all six whatever they are.  0 on a match, as strcmp. */
static int code_differs(void *handle, const char *test_otp)
{
	const char *code = handle;
	unsigned char diff = 0;
	for (size_t i = 0; i < DIGITS; i++)
		diff |= (unsigned char)(code[i] ^ test_otp[i]);
	return diff != 0;
}

static int six_digits(const char *code)
{
	return strlen(code) == DIGITS && strspn(code, "0123456789") == DIGITS;
}

int totp_verify(const char *secret, const char *code, int64_t now, int64_t *step_r)
{
	size_t len = 0;
	char *key = secret_bytes(secret, &len);
	if (key == NULL)
		return -1;
	if (!six_digits(code)) {
		free_bytes(key, len);
		return 0;
	}
	int position = 0;
	uint64_t step = 0;
	int rc = oath_totp_validate3_callback(key, len, (time_t)now, TOTP_STEP,
	                                      OATH_TOTP_DEFAULT_START_TIME, DIGITS, WINDOW,
	                                      &position, &step, code_differs, (void *)code);
	free_bytes(key, len);
	if (rc < 0)
		return rc == OATH_INVALID_OTP ? 0 : -1;
	*step_r = (int64_t)step;
	return 1;
}

char *totp_uri(const char *user, const char *secret)
{
	struct buf b;
	buf_init(&b, 4096 + 3 * strlen(user));
	buf_addstr(&b, "otpauth://totp/liaison:");
	/* RFC 3986 unreserved characters as they are, every other byte %XX: a name with a
	 * space, a colon or a non-ASCII letter stays one label */
	for (const unsigned char *p = (const unsigned char *)user; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p) != NULL)
			buf_add(&b, p, 1);
		else
			buf_addf(&b, "%%%02X", *p);
	}
	buf_addf(&b, "?secret=%s&issuer=liaison", secret);
	return buf_steal(&b, NULL);
}
