/* Unit tests: name_addresses.c — the addresses seen with a name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "name_addresses.h"

static void test_mailbox(void **state)
{
	struct strlist found = {0};
	assert_int_equal(name_addresses_in_mailbox("Tunde Okafor", "Tunde Okafor",
	                                           "TOkafor914@Example.org", &found), 1);
	assert_int_equal(name_addresses_in_mailbox("tunde okafor", "Okafor, Tunde",
	                                           "t.okafor@example.net", &found), 1);
	assert_int_equal(name_addresses_in_mailbox("Tunde Okafor", "Tunde Adeyemi", "ta@example.org",
	                                           &found), 0);
	name_addresses_in_mailbox("Tunde Okafor", "Tundeokafor", "x@example.org", &found);
	name_addresses_in_mailbox("Tunde Okafor", "Tunde Okafor", "", &found);
	assert_int_equal(found.count, 2);
	assert_string_equal(found.items[0], "tokafor914@example.org");
	assert_string_equal(found.items[1], "t.okafor@example.net");
	strlist_free(&found);
}

static void test_text(void **state)
{
	struct strlist found = {0};
	name_addresses_in_text("Tunde Okafor",
	    "This is Tunde Okafor (tokafor914@example.org) again.\n"
	    "Write to TUNDE OKAFOR <t.okafor@example.net>.\n"
	    "or okafor@home.example.com: Tunde Okafor\n"
	    "Tunde Okafor said jane@example.org is his neighbour's.\n"
	    "Tunde Okafor tokafor@nodot.\n", &found);
	assert_int_equal(found.count, 3);
	assert_string_equal(found.items[0], "tokafor914@example.org");
	assert_string_equal(found.items[1], "t.okafor@example.net");
	assert_string_equal(found.items[2], "okafor@home.example.com");
	strlist_free(&found);
}

static void test_sentence_end(void **state)
{
	struct strlist found = {0};
	name_addresses_in_text("Ana", "Ana: ana@example.org.", &found);
	assert_int_equal(found.count, 1);
	assert_string_equal(found.items[0], "ana@example.org");
	strlist_free(&found);
	name_addresses_in_text("", "anything", &found);
	name_addresses_in_text("Ana", NULL, &found);
	assert_int_equal(found.count, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mailbox),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_sentence_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
