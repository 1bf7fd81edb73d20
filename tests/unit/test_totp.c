/* Unit tests: totp.c — the RFC 6238 SHA-1 test vectors (secret "12345678901234567890"),
 * the window of one step either side and no more, the step handed back (the caller's guard
 * against a code used twice), what is not six digits, a secret that is not base32, new
 * secrets, and the otpauth:// URI with a name that needs percent-encoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "totp.h"
#include "test_helpers.h"

/* "12345678901234567890" (RFC 6238 appendix B's SHA-1 key) in base32. */
#define RFC_SECRET "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

/* RFC 6238 appendix B, SHA-1: the 8-digit codes' last six digits are the 6-digit codes
 * (the code is the truncated value mod 10^digits). */
static const struct {
	int64_t t;
	const char *code;
} vectors[] = {
	{59, "287082"},          /* 94287082 */
	{1111111109, "081804"},  /* 07081804 */
	{1111111111, "050471"},  /* 14050471 */
	{1234567890, "005924"},  /* 89005924 */
	{2000000000, "279037"},  /* 69279037 */
	{20000000000, "353130"}, /* 65353130 */
};

static void test_rfc6238_vectors(void **state)
{
	for (size_t i = 0; i < sizeof(vectors) / sizeof(*vectors); i++) {
		char code[TOTP_CODE_SIZE];
		assert_int_equal(totp_code(RFC_SECRET, vectors[i].t, code), 0);
		assert_string_equal(code, vectors[i].code);
		int64_t step = -1;
		assert_int_equal(totp_verify(RFC_SECRET, vectors[i].code, vectors[i].t, &step), 1);
		assert_int_equal(step, vectors[i].t / TOTP_STEP);
	}
}

static void test_window(void **state)
{
	/* 1111111109 is step 37037036; its code is good one step before and after, not two */
	const int64_t t = 1111111109, step = t / TOTP_STEP;
	int64_t got = 0;
	assert_int_equal(totp_verify(RFC_SECRET, "081804", t + TOTP_STEP, &got), 1);
	assert_int_equal(got, step);
	assert_int_equal(totp_verify(RFC_SECRET, "081804", t - TOTP_STEP, &got), 1);
	assert_int_equal(got, step);
	assert_int_equal(totp_verify(RFC_SECRET, "081804", t + 2 * TOTP_STEP, &got), 0);
	assert_int_equal(totp_verify(RFC_SECRET, "081804", t - 2 * TOTP_STEP, &got), 0);
	/* the next step's code, typed early, names the next step: a later code than the last
	 * one taken */
	char next[TOTP_CODE_SIZE];
	assert_int_equal(totp_code(RFC_SECRET, t + TOTP_STEP, next), 0);
	assert_int_equal(totp_verify(RFC_SECRET, next, t, &got), 1);
	assert_int_equal(got, step + 1);
}

static void test_replay_step(void **state)
{
	/* the same code at two instants of its step names the same step: the caller, which keeps
	 * the last step taken, refuses it the second time */
	int64_t first = 0, again = 0;
	assert_int_equal(totp_verify(RFC_SECRET, "050471", 1111111110, &first), 1);
	assert_int_equal(totp_verify(RFC_SECRET, "050471", 1111111119, &again), 1);
	assert_int_equal(first, again);
	/* the step before's code, still in the window, names an older step */
	int64_t older = 0;
	assert_int_equal(totp_verify(RFC_SECRET, "081804", 1111111111, &older), 1);
	assert_true(older < first);
}

static void test_not_a_code(void **state)
{
	int64_t step = 0;
	static const char *const wrong[] = {"", "28708", "2870822", "28708a", " 287082",
	                                    "287082 ", "-87082", "94287082"};
	for (size_t i = 0; i < sizeof(wrong) / sizeof(*wrong); i++)
		assert_int_equal(totp_verify(RFC_SECRET, wrong[i], 59, &step), 0);
	assert_int_equal(totp_verify(RFC_SECRET, "287083", 59, &step), 0);
	/* not base32 */
	char code[TOTP_CODE_SIZE];
	assert_int_equal(totp_verify("not base32!", "287082", 59, &step), -1);
	assert_int_equal(totp_code("not base32!", 59, code), -1);
}

static void test_new_secret(void **state)
{
	char a[TOTP_SECRET_SIZE], b[TOTP_SECRET_SIZE];
	assert_int_equal(totp_secret_new(a), 0);
	assert_int_equal(totp_secret_new(b), 0);
	assert_int_equal(strlen(a), 32);
	assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 32);
	assert_string_not_equal(a, b);
	/* a code from it is good at once */
	char code[TOTP_CODE_SIZE];
	int64_t step = 0;
	assert_int_equal(totp_code(a, 1772000000, code), 0);
	assert_int_equal(totp_verify(a, code, 1772000000, &step), 1);
	assert_int_equal(step, 1772000000 / TOTP_STEP);
}

static void test_uri(void **state)
{
	char *uri = totp_uri("reyes", RFC_SECRET);
	assert_string_equal(uri, "otpauth://totp/liaison:reyes?secret=" RFC_SECRET "&issuer=liaison");
	free(uri);
	uri = totp_uri("ana maría:x/y?&=", "ABC");
	assert_string_equal(uri, "otpauth://totp/liaison:ana%20mar%C3%ADa%3Ax%2Fy%3F%26%3D"
	                         "?secret=ABC&issuer=liaison");
	free(uri);
	uri = totp_uri("a.b-c_d~e", "ABC");
	assert_string_equal(uri, "otpauth://totp/liaison:a.b-c_d~e?secret=ABC&issuer=liaison");
	free(uri);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc6238_vectors),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_replay_step),
		cmocka_unit_test(test_not_a_code),
		cmocka_unit_test(test_new_secret),
		cmocka_unit_test(test_uri),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
