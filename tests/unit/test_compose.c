/* Unit tests: compose.c — headers, quoted-printable, References trimming, no injection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "compose.h"
#include "mime.h"
#include "test_helpers.h"

#define LINE_MAX_BYTES 998 /* RFC 5322 2.1.1: MUST, without the CRLF */
#define LINE_SOFT_MAX 78   /* RFC 5322 2.1.1: SHOULD */

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

/* ---- every line of every composed message: RFC 5322 2.1.1, parsed back ---------------- */

static struct outgoing outgoing_default(void)
{
	struct outgoing out = {
		.from_name = "Troop K CTL",
		.from_addr = "troopkctl@ct.gov",
		.to_addr = "maria@example.com",
		.subject = "Auto: Question",
		.message_id = "liaison.abc@ct.gov",
		.in_reply_to = "orig@example.com",
		.auto_submitted = "auto-replied",
		.body = "Hello\n",
		.date = 1795000000,
	};
	return out;
}

/* The header block of raw as a new string (through the CRLF of its last line). */
static char *header_block(const char *raw)
{
	const char *end = strstr(raw, "\r\n\r\n");
	assert_non_null(end);
	return xstrndup(raw, (size_t)(end + 2 - raw));
}

/* How many header fields of raw are named name (case as written). */
static size_t header_count(const char *raw, const char *name)
{
	char *h = header_block(raw);
	char *want = xasprintf("\n%s:", name);
	size_t n = strncmp(h, want + 1, strlen(want + 1)) == 0;
	for (const char *p = h; (p = strstr(p, want)) != NULL; p++)
		n++;
	free(want);
	free(h);
	return n;
}

/* Checks the line rules on the whole message: every line ends in CRLF, no CR or LF
 * elsewhere, none over 998 bytes; every header line is "Name:" or a fold that is not only
 * white space.  Returns the longest header line. */
static size_t assert_lines(const char *raw, size_t len)
{
	size_t longest = 0;
	int in_header = 1;
	for (size_t start = 0; start < len;) {
		const char *eol = memchr(raw + start, '\n', len - start);
		if (eol == NULL || eol == raw + start || eol[-1] != '\r')
			fail_msg("line at byte %zu does not end in CRLF", start);
		size_t n = (size_t)(eol - 1 - (raw + start));
		const char *line = raw + start;
		if (memchr(line, '\r', n) != NULL)
			fail_msg("bare CR in the line at byte %zu", start);
		if (n > LINE_MAX_BYTES)
			fail_msg("line of %zu bytes at byte %zu: [%.60s...]", n, start, line);
		if (in_header && n == 0) {
			in_header = 0;
		} else if (in_header) {
			if (n > longest)
				longest = n;
			size_t name = strcspn(line, ":\r\n \t");
			int fold = line[0] == ' ' || line[0] == '\t';
			if (fold && strspn(line, " \t") == n)
				fail_msg("a fold of white space only at byte %zu", start);
			if (!fold && !(name > 0 && name < n && line[name] == ':'))
				fail_msg("header line neither 'Name:' nor a fold: [%.*s]", (int)n, line);
		}
		start = (size_t)(eol + 1 - raw);
	}
	assert_int_equal(in_header, 0);
	return longest;
}

/* Composes out, checks every line, and parses the message back with mime.c. */
static struct parsed_message *compose_checked(const struct outgoing *out, char **raw_r,
                                              size_t *longest_r)
{
	size_t len = 0;
	char *raw = compose_message(out, &len);
	assert_int_equal(strlen(raw), len);
	size_t longest = assert_lines(raw, len);
	if (longest_r != NULL)
		*longest_r = longest;
	struct parsed_message *msg = NULL;
	mime_parse(raw, len, NULL, &msg);
	assert_non_null(msg);
	if (msg->quarantine_reason != NULL)
		fail_msg("quarantined: %s", msg->quarantine_reason);
	assert_string_equal(msg->message_id, out->message_id);
	if (raw_r != NULL)
		*raw_r = raw;
	else
		free(raw);
	return msg;
}

/* A subject composed and parsed back reads exactly as it was given. */
static void assert_subject_round_trip(const char *subject, size_t max_header_line)
{
	struct outgoing out = outgoing_default();
	out.subject = subject;
	size_t longest = 0;
	struct parsed_message *msg = compose_checked(&out, NULL, &longest);
	if (strcmp(msg->subject, subject) != 0)
		fail_msg("subject of %zu bytes read back as %zu bytes: [%.80s]", strlen(subject),
		         strlen(msg->subject), msg->subject);
	if (longest > max_header_line)
		fail_msg("a header line of %zu bytes (at most %zu wanted)", longest, max_header_line);
	parsed_message_free(&msg);
}

/* A URL of len characters, as a stranger pastes one. */
static char *long_url(size_t len)
{
	static const char tail[] = "abcdefghijklmnopqrstuvwxyz0123456789-_.~/%?=&+:;,";
	struct buf b;
	buf_init(&b, SIZE_MAX);
	buf_addstr(&b, "https://example.com/track?");
	while (b.len < len)
		buf_add(&b, &tail[b.len % (sizeof(tail) - 1)], 1);
	return buf_steal(&b, NULL);
}

/* The issue's case: a 1,300-character URL in the subject made a 1,344-byte line. */
static void test_subject_long_url(void **state)
{
	char *url = long_url(1300);
	char *subject = xasprintf("Auto: Re: see %s please", url);
	/* a word no line can hold is encoded in chunks, so every line keeps to 78 */
	assert_subject_round_trip(subject, LINE_SOFT_MAX);
	free(subject);
	free(url);
	/* a URL alone, and one that a line could hold (900): kept as it is, on its own line */
	url = long_url(1300);
	assert_subject_round_trip(url, LINE_SOFT_MAX);
	free(url);
	url = long_url(900);
	subject = xasprintf("Auto: see %s", url);
	struct outgoing out = outgoing_default();
	out.subject = subject;
	char *raw = NULL;
	struct parsed_message *msg = compose_checked(&out, &raw, NULL);
	assert_string_equal(msg->subject, subject);
	char *want = xasprintf("Subject: Auto: see\r\n %s\r\n", url);
	assert_non_null(strstr(raw, want));
	free(want);
	parsed_message_free(&msg);
	free(raw);
	free(subject);
	free(url);
}

/* Plain words fold at their spaces, not encoded; runs of white space survive. */
static void test_subject_plain_folds(void **state)
{
	struct buf b;
	buf_init(&b, SIZE_MAX);
	buf_addstr(&b, "Auto: Re:");
	for (int i = 0; b.len < 1300; i++)
		buf_addf(&b, " word%d", i);
	char *subject = buf_steal(&b, NULL);
	struct outgoing out = outgoing_default();
	out.subject = subject;
	char *raw = NULL;
	size_t longest = 0;
	struct parsed_message *msg = compose_checked(&out, &raw, &longest);
	assert_string_equal(msg->subject, subject);
	assert_true(longest <= LINE_SOFT_MAX);
	assert_null(strstr(raw, "=?"));
	parsed_message_free(&msg);
	free(raw);
	free(subject);
	/* 1,200 spaces between two words, and tabs: a run no line holds is encoded */
	char spaces[1201];
	memset(spaces, ' ', 1200);
	spaces[1200] = '\0';
	subject = xasprintf("Auto: a%sb\t\tc", spaces);
	assert_subject_round_trip(subject, LINE_MAX_BYTES);
	free(subject);
	subject = xasprintf("Auto: a%.500s\t%.400sb", spaces, spaces);
	assert_subject_round_trip(subject, LINE_MAX_BYTES);
	free(subject);
}

static void test_subject_non_ascii(void **state)
{
	static const char *const pieces[] = {
		"\xC2\xBF" "D\xC3\xB3nde est\xC3\xA1 la reuni\xC3\xB3n? ",               /* Spanish */
		"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE4\xBB\xB6\xE5\x90\x8D", /* Japanese */
		"\xF0\x9F\x98\x80\xF0\x9F\x8E\x89 ",                                       /* emoji */
		"\xD8\xB4\xD9\x83\xD8\xB1\xD8\xA7 \xD9\x84\xD9\x83\xD9\x85 ",              /* Arabic */
		"=?UTF-8?B?SGk=?= ",                                       /* looks encoded: is not */
	};
	for (size_t i = 0; i < sizeof(pieces) / sizeof(*pieces); i++) {
		struct buf b;
		buf_init(&b, SIZE_MAX);
		buf_addstr(&b, "Auto: ");
		while (b.len < 1500)
			buf_addstr(&b, pieces[i]);
		buf_addstr(&b, "fin");
		char *subject = buf_steal(&b, NULL);
		assert_subject_round_trip(subject, LINE_SOFT_MAX);
		free(subject);
	}
	/* accents with a 1,300-character URL in the middle */
	char *url = long_url(1300);
	char *subject = xasprintf("Auto: Informaci\xC3\xB3n %s ni\xC3\xB1os", url);
	assert_subject_round_trip(subject, LINE_SOFT_MAX);
	free(subject);
	free(url);
}

/* The issue's case: a 1,500-character Message-ID made a 1,527-byte In-Reply-To line.  An id
 * no line can hold is dropped from In-Reply-To and References; the others stay. */
static void test_message_id_too_long(void **state)
{
	char id[1501];
	memset(id, 'x', 1500);
	memcpy(id + 1500 - 12, "@example.com", 12);
	id[1500] = '\0';
	struct strlist refs = {0};
	strlist_add(&refs, "root@example.org");
	strlist_add(&refs, "middle@example.org");
	strlist_add(&refs, id);
	struct outgoing out = outgoing_default();
	out.in_reply_to = id;
	out.references = &refs;
	char *raw = NULL;
	struct parsed_message *msg = compose_checked(&out, &raw, NULL);
	assert_int_equal(header_count(raw, "In-Reply-To"), 0);
	assert_null(msg->in_reply_to);
	assert_int_equal(msg->references.count, 2);
	assert_string_equal(msg->references.items[0], "root@example.org");
	assert_string_equal(msg->references.items[1], "middle@example.org");
	parsed_message_free(&msg);
	free(raw);
	strlist_free(&refs);
}

/* The longest id that fits: " <id>" is exactly 998 bytes; one more byte and it is dropped. */
static void test_message_id_limit(void **state)
{
	for (size_t n = 994; n <= 996; n++) {
		char *id = xmalloc(n + 1);
		memset(id, 'y', n);
		memcpy(id + n - 8, "@ct.test", 8);
		id[n] = '\0';
		struct strlist refs = {0};
		strlist_add(&refs, id);
		struct outgoing out = outgoing_default();
		out.in_reply_to = id;
		out.references = &refs;
		char *raw = NULL;
		size_t longest = 0;
		struct parsed_message *msg = compose_checked(&out, &raw, &longest);
		if (n <= 995) {
			assert_non_null(msg->in_reply_to);
			assert_string_equal(msg->in_reply_to, id);
			assert_int_equal(msg->references.count, 1);
			assert_string_equal(msg->references.items[0], id);
			assert_int_equal(longest, n + 3);
		} else {
			assert_null(msg->in_reply_to);
			assert_int_equal(msg->references.count, 0);
			assert_int_equal(header_count(raw, "References"), 0);
		}
		parsed_message_free(&msg);
		free(raw);
		strlist_free(&refs);
		free(id);
	}
}

/* 200 ids: the root and the newest nine, one per line; ids no line holds, or that would have
 * to be altered to be written, are passed over and the next ones kept instead. */
static void test_references_200(void **state)
{
	struct strlist refs = {0};
	for (int i = 0; i < 200; i++) {
		char id[32];
		snprintf(id, sizeof(id), "r%03d@example.org", i);
		strlist_add(&refs, id);
	}
	struct outgoing out = outgoing_default();
	out.in_reply_to = "r199@example.org";
	out.references = &refs;
	char *raw = NULL;
	size_t longest = 0;
	struct parsed_message *msg = compose_checked(&out, &raw, &longest);
	assert_true(longest <= LINE_SOFT_MAX);
	assert_non_null(strstr(raw, "References: <r000@example.org>\r\n <r191@example.org>\r\n"));
	assert_int_equal(msg->references.count, 10);
	assert_string_equal(msg->references.items[0], "r000@example.org");
	for (int i = 1; i < 10; i++) {
		char id[32];
		snprintf(id, sizeof(id), "r%03d@example.org", 190 + i);
		assert_string_equal(msg->references.items[i], id);
	}
	assert_string_equal(msg->in_reply_to, "r199@example.org");
	parsed_message_free(&msg);
	free(raw);

	/* the root and every tenth id 1,200 bytes long, one with a byte no header may hold */
	char big[1201];
	memset(big, 'z', 1200);
	memcpy(big + 1200 - 4, "@x.y", 4);
	big[1200] = '\0';
	xfree(&refs.items[0]);
	refs.items[0] = xstrdup(big);
	for (size_t i = 10; i < 200; i += 10) {
		free(refs.items[i]);
		refs.items[i] = xstrdup(big);
	}
	free(refs.items[195]);
	refs.items[195] = xstrdup("r195\xC3\xA9@example.org");
	msg = compose_checked(&out, &raw, &longest);
	assert_true(longest <= LINE_SOFT_MAX);
	static const char *const want[] = {
		"r001@example.org", "r188@example.org", "r189@example.org", "r191@example.org",
		"r192@example.org", "r193@example.org", "r194@example.org", "r196@example.org",
		"r197@example.org", "r198@example.org", "r199@example.org",
	};
	assert_int_equal(msg->references.count, 10);
	for (size_t i = 0; i < 10; i++)
		assert_string_equal(msg->references.items[i], want[i == 0 ? 0 : i + 1]);
	parsed_message_free(&msg);
	free(raw);
	strlist_free(&refs);
}

/* A display name is folded or encoded like a subject, and reads back exactly. */
static void test_display_name(void **state)
{
	struct buf b;
	buf_init(&b, SIZE_MAX);
	while (b.len < 300)
		buf_addstr(&b, "Troop K Community Trust Liaison ");
	buf_addstr(&b, "Office");
	char *words = buf_steal(&b, NULL);
	char word[1201];
	memset(word, 'K', 1200);
	word[1200] = '\0';
	buf_init(&b, SIZE_MAX);
	while (b.len < 1000)
		buf_addstr(&b, "Tropa K \xE2\x80\x94 Enlace de Confianza Comunitaria ");
	buf_addstr(&b, "(CTL)");
	char *spanish = buf_steal(&b, NULL);
	const char *const names[] = {
		words, word, spanish,
		"Troop K (CTL), \"Main\" Office \\ Hartford",
		"Troop K C.T.L.",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		struct outgoing out = outgoing_default();
		out.from_name = names[i];
		size_t longest = 0;
		char *raw = NULL;
		struct parsed_message *msg = compose_checked(&out, &raw, &longest);
		if (msg->from.name == NULL || strcmp(msg->from.name, names[i]) != 0)
			fail_msg("name %zu read back as [%.80s]\n%.400s", i,
			         msg->from.name ? msg->from.name : "(null)", raw);
		assert_string_equal(msg->from.addr, "troopkctl@ct.gov");
		if (longest > LINE_SOFT_MAX)
			fail_msg("name %zu: a header line of %zu bytes", i, longest);
		parsed_message_free(&msg);
		free(raw);
	}
	free(spanish);
	free(words);
}

/* A recipient address SMTP cannot carry (RFC 5321 4.5.3.1.3: 254 bytes) leaves the To header
 * out; the envelope names the recipient, and RFC 5322 3.6 makes To optional. */
static void test_to_too_long(void **state)
{
	char addr[1201];
	memset(addr, 'a', 1200);
	memcpy(addr + 1200 - 12, "@example.com", 12);
	addr[1200] = '\0';
	struct outgoing out = outgoing_default();
	out.to_addr = addr;
	char *raw = NULL;
	struct parsed_message *msg = compose_checked(&out, &raw, NULL);
	assert_int_equal(header_count(raw, "To"), 0);
	parsed_message_free(&msg);
	free(raw);
	for (size_t n = 254; n <= 255; n++) {
		memset(addr, 'a', n - 12);
		memcpy(addr + n - 12, "@example.com", 13);
		msg = compose_checked(&out, &raw, NULL);
		assert_int_equal(header_count(raw, "To"), n == 254);
		assert_int_equal(msg->n_to, n == 254);
		if (n == 254)
			assert_string_equal(msg->to[0].addr, addr);
		parsed_message_free(&msg);
		free(raw);
	}
}

/* Found by fuzz_compose: a reply address that is not an addr-spec was written as it was, and
 * its colons read as groups (mime.c quarantined the reply).  Only an RFC 5322 addr-spec is
 * written; the others leave To out.  Quoted local parts and domain literals are kept. */
static void test_to_not_an_address(void **state)
{
	static const struct {
		const char *addr;
		int written;
	} cases[] = {
		{"maria.lopez+ctl@example.com", 1},
		{"o'brien@example.ie", 1},
		{"\"john doe\"@example.com", 1},
		{"\"a:b,c\"@example.com", 1},
		{"user@[192.0.2.1]", 1},
		{",example.com/track?a=1:::::::::;@x", 0},
		{"a:b@example.com", 0},
		{"a,b@example.com", 0},
		{"a b@example.com", 0},
		{"a@b@example.com", 0},
		{"ni\xC3\xB1o@example.es", 0},
		{"a(comment)@example.com", 0},
		{"a@example.com>, <b@example.org", 0},
		{".a@example.com", 0},
		{"a..b@example.com", 0},
		{"a@", 0},
		{"@example.com", 0},
		{"\"unterminated@example.com", 0},
		{"a@[192.0.2.1", 0},
		{"", 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct outgoing out = outgoing_default();
		out.to_addr = cases[i].addr;
		char *raw = NULL;
		struct parsed_message *msg = compose_checked(&out, &raw, NULL);
		if (header_count(raw, "To") != (size_t)cases[i].written)
			fail_msg("case %zu [%s]: To %s", i, cases[i].addr,
			         cases[i].written ? "left out" : "written");
		if (cases[i].written && (msg->n_to != 1 || strcmp(msg->to[0].addr, cases[i].addr) != 0))
			fail_msg("case %zu [%s] read back as [%s]", i, cases[i].addr,
			         msg->n_to ? msg->to[0].addr : "(none)");
		parsed_message_free(&msg);
		free(raw);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_no_injection),
		cmocka_unit_test(test_quoted_printable),
		cmocka_unit_test(test_references_keep_root),
		cmocka_unit_test(test_message_id),
		cmocka_unit_test(test_subject_long_url),
		cmocka_unit_test(test_subject_plain_folds),
		cmocka_unit_test(test_subject_non_ascii),
		cmocka_unit_test(test_message_id_too_long),
		cmocka_unit_test(test_message_id_limit),
		cmocka_unit_test(test_references_200),
		cmocka_unit_test(test_display_name),
		cmocka_unit_test(test_to_too_long),
		cmocka_unit_test(test_to_not_an_address),
	};
	mime_global_init();
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	mime_global_deinit();
	return rc;
}
