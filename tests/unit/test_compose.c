/* Unit tests: compose.c — headers, quoted-printable, References trimming, no injection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "compose.h"
#include "test_helpers.h"

static char *compose_simple(const char *subject, const char *body, const struct strlist *refs)
{
	struct outgoing out = {
		.from_name = "Troop K CTL",
		.from_addr = "troopkctl@ct.gov",
		.to_addr = "maria@example.com",
		.subject = subject,
		.message_id = "liaison.abc@ct.gov",
		.in_reply_to = "orig@example.com",
		.references = refs,
		.auto_submitted = "auto-replied",
		.body = body,
		.date = 1795000000,
	};
	size_t len = 0;
	char *raw = compose_message(&out, &len);
	assert_int_equal(strlen(raw), len);
	return raw;
}

static void test_headers(void **state)
{
	char *raw = compose_simple("Auto: Question", "Hello\n", NULL);
	assert_non_null(strstr(raw, "From: Troop K CTL <troopkctl@ct.gov>\r\n"));
	assert_non_null(strstr(raw, "To: <maria@example.com>\r\n"));
	assert_non_null(strstr(raw, "Subject: Auto: Question\r\n"));
	assert_non_null(strstr(raw, "Message-ID: <liaison.abc@ct.gov>\r\n"));
	assert_non_null(strstr(raw, "In-Reply-To: <orig@example.com>\r\n"));
	assert_non_null(strstr(raw, "Auto-Submitted: auto-replied\r\n"));
	assert_non_null(strstr(raw, "X-Auto-Response-Suppress: All\r\n"));
	assert_non_null(strstr(raw, "Content-Transfer-Encoding: quoted-printable\r\n\r\nHello\r\n"));
	free(raw);
}

static void test_no_injection(void **state)
{
	char *raw = compose_simple("Auto: Hi\r\nBcc: victim@example.com\r\n\r\nfake body", "x\n", NULL);
	char *end = strstr(raw, "\r\n\r\n");
	assert_non_null(end);
	*end = '\0';
	assert_null(strstr(raw, "\r\nBcc:"));
	assert_null(strstr(raw, "\nBcc:"));
	/* Every header line starts with a name and a colon, or is a fold (white space).  (The
	 * colon is looked for in the line itself, not in the rest of the header block.) */
	size_t lines = 0;
	for (char *line = raw; line && *line; line = strstr(line, "\r\n") ? strstr(line, "\r\n") + 2 : NULL) {
		size_t len = strcspn(line, "\r\n");
		size_t name = strspn(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");
		if (!(*line == ' ' || *line == '\t' || (name > 0 && name < len && line[name] == ':')))
			fail_msg("header line %zu is neither 'Name: value' nor a fold: [%.*s]", lines,
			         (int)len, line);
		lines++;
	}
	assert_true(lines >= 9); /* From To Subject Message-ID In-Reply-To Auto-Submitted ... */
	free(raw);
}

static void test_quoted_printable(void **state)
{
	char body[400];
	snprintf(body, sizeof(body), "%s\n.leading dot\ntrailing space \nlíneas en español = ok\n",
	         "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789");
	char *raw = compose_simple("s", body, NULL);
	char *b = strstr(raw, "\r\n\r\n") + 4;
	for (char *line = b; *line; ) {
		char *eol = strstr(line, "\r\n");
		assert_non_null(eol);
		assert_true(eol - line <= 76);
		assert_true(*line != '.'); /* SMTP's dot is encoded */
		assert_false(eol > line && (eol[-1] == ' ' || eol[-1] == '\t'));
		line = eol + 2;
	}
	assert_non_null(strstr(b, "=2Eleading dot"));
	assert_non_null(strstr(b, "trailing space=20\r\n"));
	assert_non_null(strstr(b, "l=C3=ADneas en espa=C3=B1ol =3D ok"));
	free(raw);
}

static void test_references_keep_root(void **state)
{
	struct strlist refs = {0};
	for (int i = 0; i < 15; i++) {
		char id[32];
		snprintf(id, sizeof(id), "r%02d@x", i);
		strlist_add(&refs, id);
	}
	char *raw = compose_simple("s", "b\n", &refs);
	assert_non_null(strstr(raw, "References: <r00@x>\r\n <r06@x>"));
	assert_null(strstr(raw, "<r05@x>"));
	assert_non_null(strstr(raw, "<r14@x>\r\n"));
	free(raw);
	strlist_free(&refs);
}

static void test_message_id(void **state)
{
	char a[COMPOSE_MSGID_SIZE], b[COMPOSE_MSGID_SIZE];
	compose_message_id("ct.gov", a);
	compose_message_id("ct.gov", b);
	assert_string_not_equal(a, b);
	assert_true(strncmp(a, "liaison.", 8) == 0);
	assert_non_null(strstr(a, "@ct.gov"));
	assert_string_equal(compose_domain_of("TroopKCTL@ct.gov"), "ct.gov");
	assert_string_equal(compose_domain_of("nodomain"), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_no_injection),
		cmocka_unit_test(test_quoted_printable),
		cmocka_unit_test(test_references_keep_root),
		cmocka_unit_test(test_message_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
