/* Unit tests: password.c — Argon2id hashes (a fresh salt each time, the right password only,
 * a hash that is no hash, the cost checked for rehashing), the unknown user's dummy check,
 * random tokens (length, alphabet, no two alike) and the constant-time comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <time.h>

#include "password.h"
#include "test_helpers.h"

static void test_hash_and_verify(void **state)
{
	char a[PASSWORD_HASH_SIZE], b[PASSWORD_HASH_SIZE];
	assert_int_equal(password_hash("correct horse battery", a), 0);
	assert_int_equal(password_hash("correct horse battery", b), 0);
	assert_true(strncmp(a, "$argon2id$", 10) == 0);
	assert_non_null(strstr(a, "m=65536,t=2,p=1"));
	/* a fresh salt: the same password never hashes alike twice */
	assert_string_not_equal(a, b);
	assert_int_equal(password_verify(a, "correct horse battery"), 1);
	assert_int_equal(password_verify(b, "correct horse battery"), 1);
	assert_int_equal(password_verify(a, "correct horse batterY"), 0);
	assert_int_equal(password_verify(a, "correct horse battery "), 0);
	assert_int_equal(password_verify(a, ""), 0);
	/* the plain text is nowhere in the hash */
	assert_null(strstr(a, "horse"));
}

static void test_not_a_hash(void **state)
{
	assert_int_equal(password_verify("plain text", "plain text"), 0);
	assert_int_equal(password_verify("", ""), 0);
	assert_int_equal(password_verify(NULL, "x"), 0);
	char *long_one = xcalloc(1, 400);
	memset(long_one, 'a', 399);
	assert_int_equal(password_verify(long_one, "x"), 0);
	assert_int_equal(password_needs_rehash(long_one), -1);
	free(long_one);
	assert_int_equal(password_needs_rehash("not a hash"), -1);
}

static void test_rehash(void **state)
{
	char h[PASSWORD_HASH_SIZE];
	assert_int_equal(password_hash("twelve chars!", h), 0);
	assert_int_equal(password_needs_rehash(h), 0);
	/* a hash made at a lower cost (t=1, 8 MiB) is to be made again */
	static const char cheap[] = "$argon2id$v=19$m=8192,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"
	                            "lT1IXWq1F8bsgBl0OLbBwtOcy5jqv8KHlMvKkcX/RG8";
	assert_int_equal(password_needs_rehash(cheap), 1);
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_dummy(void **state)
{
	/* always "no", whatever is typed, even the phrase its hash was made of */
	assert_int_equal(password_verify_dummy("liaison: no such user"), 0);
	/* and a real Argon2id check: 64 MiB filled twice takes milliseconds on any machine,
	 * where refusing a malformed hash takes microseconds */
	double start = seconds();
	assert_int_equal(password_verify_dummy("guess"), 0);
	double dummy = seconds() - start;
	start = seconds();
	assert_int_equal(password_verify("not a hash", "guess"), 0);
	double malformed = seconds() - start;
	assert_true(dummy > 0.005);
	assert_true(dummy > 20 * malformed);
}

static void test_tokens(void **state)
{
	char seen[64][RANDOM_TOKEN_SIZE];
	for (int i = 0; i < 64; i++) {
		random_token(seen[i], sizeof(seen[i]));
		assert_int_equal(strlen(seen[i]), RANDOM_TOKEN_SIZE - 1);
		/* base64url: safe in a cookie and a URL as it is */
		assert_int_equal(strspn(seen[i], "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		                                 "0123456789-_"), RANDOM_TOKEN_SIZE - 1);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(seen[i], seen[j]);
	}
	unsigned char bytes[32] = {0}, zero[32] = {0};
	random_bytes(bytes, sizeof(bytes));
	assert_memory_not_equal(bytes, zero, sizeof(bytes));
}

static void test_token_equal(void **state)
{
	assert_int_equal(token_equal("abc", "abc"), 1);
	assert_int_equal(token_equal("abc", "abd"), 0);
	assert_int_equal(token_equal("abc", "abcd"), 0);
	assert_int_equal(token_equal("", ""), 1);
	assert_int_equal(token_equal(NULL, "abc"), 0);
	assert_int_equal(token_equal("abc", NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_and_verify),
		cmocka_unit_test(test_not_a_hash),
		cmocka_unit_test(test_rehash),
		cmocka_unit_test(test_dummy),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_token_equal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
