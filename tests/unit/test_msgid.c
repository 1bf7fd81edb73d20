/* Unit tests: msgid.c — Message-ID, In-Reply-To, References and Thread-Index values to ids,
 * without GMime: brackets, garbage between ids, duplicates, the message's own id, the cap of
 * MSGID_REFERENCES_MAX, and a hostile list of 100,000 ids. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "msgid.h"
#include "test_helpers.h"

static void expect_id(char *got, const char *want, const char *in)
{
	if (want == NULL) {
		if (got != NULL)
			fail_msg("\"%s\": got \"%s\", want none", in, got);
		return;
	}
	if (got == NULL || strcmp(got, want) != 0)
		fail_msg("\"%s\": got \"%s\", want \"%s\"", in, got ? got : "(none)", want);
	free(got);
}

static void test_message_id(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"<a@example.com>", "a@example.com"},
		{"  <a@example.com>  (comment)", "a@example.com"},
		{"<no-at> <b@example.com>", "b@example.com"},    /* local@domain first */
		{"<no-at>", "no-at"},                            /* else any <id> */
		{"bare@example.com", "bare@example.com"},        /* Outlook-style, no brackets */
		{"@example.com", NULL},
		{"bare@", NULL},
		{"two words@example.com", NULL},
		{"<>", NULL},
		{"<a b@example.com>", NULL},
		{"<<a@example.com>", "a@example.com"},
		{"", NULL},
		{"<@example.com> <c@example.com>", "c@example.com"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_id(msgid_parse(cases[i].in), cases[i].want, cases[i].in);
}

static void test_in_reply_to(void **state)
{
	expect_id(msgid_first("<a@example.com> <b@example.com>"), "a@example.com", "two");
	expect_id(msgid_first("Your message of 3 May <x@y.z>"), "x@y.z", "prose");
	expect_id(msgid_first("<no-at>"), NULL, "no at");
	expect_id(msgid_first("bare@example.com"), NULL, "bare");
}

static void expect_refs(const char *refs, const char *own, const char *irt, const char *want)
{
	struct strlist got = {0};
	msgid_references(refs, own, irt, &got);
	char *joined = strlist_join(&got, " ");
	if (strcmp(joined, want) != 0)
		fail_msg("References \"%s\": got \"%s\", want \"%s\"", refs ? refs : "(none)", joined,
		         want);
	free(joined);
	strlist_free(&got);
}

static void test_references(void **state)
{
	expect_refs(NULL, NULL, NULL, "");
	expect_refs("<a@x> <b@x>", NULL, NULL, "a@x b@x");
	expect_refs("<a@x>\n\t<b@x>", NULL, "c@x", "a@x b@x c@x");       /* In-Reply-To last */
	expect_refs("<a@x> <b@x> <a@x>", NULL, "b@x", "a@x b@x");         /* each once */
	expect_refs("<a@x> <me@x> <b@x>", "me@x", "me@x", "a@x b@x");     /* never its own id */
	expect_refs("<a@x> garbage <no-at> <c d@x> <b@x>", NULL, NULL, "a@x b@x");
	expect_refs(NULL, NULL, "c@x", "c@x");
}

static void test_references_newest_kept(void **state)
{
	struct buf refs;
	buf_init(&refs, 1 << 20);
	for (int i = 0; i < 100; i++)
		assert_int_equal(buf_addf(&refs, "<id%d@x> ", i), 0);
	char *v = buf_steal(&refs, NULL);

	struct strlist got = {0};
	msgid_references(v, NULL, "reply@x", &got);
	assert_int_equal(got.count, MSGID_REFERENCES_MAX);
	assert_string_equal(got.items[0], "id37@x");      /* 100 + 1 ids, the newest 64 */
	assert_string_equal(got.items[MSGID_REFERENCES_MAX - 2], "id99@x");
	assert_string_equal(got.items[MSGID_REFERENCES_MAX - 1], "reply@x");
	strlist_free(&got);

	msgid_references(v, NULL, NULL, &got);
	assert_int_equal(got.count, MSGID_REFERENCES_MAX);
	assert_string_equal(got.items[0], "id36@x");
	strlist_free(&got);
	free(v);
}

/* 100,000 ids, half of them repeats: linear, and the newest distinct ones kept. */
static void test_references_hostile(void **state)
{
	struct buf refs;
	buf_init(&refs, 8 << 20);
	for (int i = 0; i < 100000; i++)
		assert_int_equal(buf_addf(&refs, "<id%d@x>", i % 50000), 0);
	char *v = buf_steal(&refs, NULL);
	struct strlist got = {0};
	msgid_references(v, "id49999@x", NULL, &got);
	assert_int_equal(got.count, MSGID_REFERENCES_MAX);
	assert_string_equal(got.items[0], "id49935@x");
	assert_string_equal(got.items[MSGID_REFERENCES_MAX - 1], "id49998@x");
	strlist_free(&got);
	free(v);
}

static void test_thread_index(void **state)
{
	/* 27 bytes 0x10..0x2a: the first 22 are the conversation */
	expect_id(msgid_thread_index("EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkq"),
	          "101112131415161718191a1b1c1d1e1f202122232425", "27 bytes");
	expect_id(msgid_thread_index(" EBESExQVFhcYGRob\r\n\tHB0eHyAhIiMkJSYnKCkq "),
	          "101112131415161718191a1b1c1d1e1f202122232425", "folded");
	expect_id(msgid_thread_index("AAECAwQFBgcICQoLDA0ODxAREhMU"), NULL, "21 bytes");
	expect_id(msgid_thread_index("EBESExQVFhcYGRobHB0eHyAhIiMkJSYnKC*q"), NULL, "not base64");
	expect_id(msgid_thread_index("EBESExQVFhcYGRobHB0eHyAh=IiMkJSYnKCkq"), NULL,
	          "data after padding");
	expect_id(msgid_thread_index(""), NULL, "empty");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_message_id),
		cmocka_unit_test(test_in_reply_to),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_references_newest_kept),
		cmocka_unit_test(test_references_hostile),
		cmocka_unit_test(test_thread_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
