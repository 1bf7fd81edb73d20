/* Unit tests: rfc2047.c — the tolerant decoder of encoded words, and the encoder for the
 * headers we write: round trips, line lengths, and attempts to inject header lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <time.h>

#include "rfc2047.h"
#include "test_helpers.h"

#define UFFFD "\xEF\xBF\xBD"
#define LINE_MAX_CHARS 76

static void assert_decodes(const char *in, const char *want)
{
	char *got = rfc2047_decode_text(in);
	if (want == NULL) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	if (strcmp(got, want) != 0)
		fail_msg("decoding \"%s\": got \"%s\", want \"%s\"", in, got, want);
	free(got);
}

static void test_decode(void **state)
{
	assert_decodes("no words here", NULL);
	assert_decodes("", NULL);
	assert_decodes("=?UTF-8?B?w6k=?=", "\xC3\xA9");
	assert_decodes("=?utf-8?q?Caf=C3=A9_con_leche?=", "Caf\xC3\xA9 con leche");
	assert_decodes("=?ISO-8859-1?Q?Ren=E9?= Dupont", "Ren\xC3\xA9 Dupont");
	/* white space between words goes, around them it stays */
	assert_decodes("a =?UTF-8?Q?b?= =?UTF-8?Q?c?=\r\n =?UTF-8?Q?d?= e", "a bcd e");
	/* a padded word in the middle of a run does not end the text (GMime's bug) */
	assert_decodes("=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=", "\xC3\xA9\xC3\xA9");
	/* a character split across two words of one charset */
	assert_decodes("=?UTF-8?Q?=C3?= =?UTF-8?Q?=A9?=", "\xC3\xA9");
	/* words touching the text, lower-case encodings, RFC 2231 language suffix */
	assert_decodes("Re:=?utf-8?b?w6k=?=!", "Re:\xC3\xA9!");
	assert_decodes("=?UTF-8*es?Q?se=C3=B1or?=", "se\xC3\xB1or");
	/* a lying or unknown charset by best guess; bad bytes as U+FFFD */
	assert_decodes("=?x-unknown-cs?Q?caf=E9?=", "caf\xC3\xA9");
	assert_decodes("=?us-ascii?Q?caf=C3=A9?=", "caf\xC3\xA9");
	assert_decodes("=?UTF-8?Q?a=FFb?=", "a" UFFFD "b");
	/* base64 that lost its padding keeps its last bytes */
	assert_decodes("=?UTF-8?B?w6nDqQ?=", "\xC3\xA9\xC3\xA9");
	/* not words: kept as they are */
	assert_decodes("=?UTF-8?X?abc?=", "=?UTF-8?X?abc?=");
	assert_decodes("=?UTF-8?Q?unterminated", "=?UTF-8?Q?unterminated");
	assert_decodes("=??Q?x?=", "=??Q?x?=");
	assert_decodes("50% =? off", "50% =? off");
}

/* A header full of "=?" that never closes costs linear time, not quadratic. */
static void test_decode_linear(void **state)
{
	size_t n = 4 * 1024 * 1024;
	char *s = xmalloc(n + 1);
	for (size_t i = 0; i < n; i += 4)
		memcpy(s + i, "=?a?", 4);
	s[n] = '\0';
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	char *d = rfc2047_decode_text(s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (seconds >= 5.0) /* about 0.05 s; quadratic would be hours */
		fail_msg("decoding 4 MiB took %.1f s", seconds);
	assert_string_equal(d, s);
	free(d);
	free(s);
}

static void test_reencode(void **state)
{
	char *s = rfc2047_reencode_words("=?ISO-8859-1?Q?Ren=E9?= <rene@example.org>");
	assert_string_equal(s, "=?UTF-8?B?UmVuw6k=?= <rene@example.org>");
	free(s);
	s = rfc2047_reencode_words("\"=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=\" <a@b>, c@d");
	assert_string_equal(s, "\"=?UTF-8?B?w6nDqQ==?=\" <a@b>, c@d");
	free(s);
	assert_null(rfc2047_reencode_words("Plain <a@b>"));
}

/* ---- encoding ------------------------------------------------------------------------- */

/* Checks everything rfc2047_encode_header_text promises about enc, the value written after
 * a header name of name_len characters and ": ". */
static void assert_well_formed(const char *enc, size_t name_len)
{
	const char *line = enc;
	int first = 1;
	for (;;) {
		const char *crlf = strstr(line, "\r\n");
		size_t len = crlf ? (size_t)(crlf - line) : strlen(line);
		/* no bare CR or LF: every line break is CRLF followed by folding white space */
		assert_null(memchr(line, '\r', len));
		assert_null(memchr(line, '\n', len));
		if (first) {
			if (len > 0 && name_len + 2 + len > LINE_MAX_CHARS)
				fail_msg("first line of %zu characters after a %zu-character name: %s", len,
				         name_len, enc);
		} else {
			assert_true(len > 1 && line[0] == ' ' && line[1] != ' ');
			if (len > LINE_MAX_CHARS)
				fail_msg("line of %zu characters: %s", len, enc);
		}
		if (crlf == NULL)
			break;
		line = crlf + 2;
		first = 0;
	}
}

/* Encodes, checks the form, decodes back; returns the encoding (caller frees). */
static char *assert_round_trip(const char *text, size_t name_len, const char *want_decoded)
{
	char *enc = rfc2047_encode_header_text(text, name_len);
	assert_non_null(enc);
	assert_well_formed(enc, name_len);
	/* a value that starts with the fold reads without it: readers unfold and trim */
	const char *value = strncmp(enc, "\r\n ", 3) == 0 ? enc + 3 : enc;
	char *dec = rfc2047_decode_text(value);
	const char *got = dec != NULL ? dec : value;
	if (strcmp(got, want_decoded) != 0)
		fail_msg("round trip of \"%s\": got \"%s\" from \"%s\"", text, got, enc);
	free(dec);
	return enc;
}

static void test_encode_ascii(void **state)
{
	char *e = rfc2047_encode_header_text("Weekly meeting: agenda (v2)", 7);
	assert_string_equal(e, "Weekly meeting: agenda (v2)");
	free(e);
	e = rfc2047_encode_header_text("", 7);
	assert_string_equal(e, "");
	free(e);
	/* a long word a line can hold is kept as it is, on the first line */
	char longer[301];
	memset(longer, 'a', 300);
	longer[300] = '\0';
	e = rfc2047_encode_header_text(longer, 7);
	assert_string_equal(e, longer);
	free(e);
}

/* Plain ASCII folds before white space at 78 (RFC 5322 2.1.1), the first line counting the
 * name; the white space itself stays, so unfolding gives the text back. */
static void test_encode_ascii_folds(void **state)
{
	const char *text = "Auto: Re: Question about the meeting next Saturday at the community "
	                   "center and the  forms\tto sign";
	char *e = rfc2047_encode_header_text(text, 7);
	assert_string_equal(e, "Auto: Re: Question about the meeting next Saturday at the community"
	                       "\r\n center and the  forms\tto sign");
	free(e);
	/* 69 characters after "Subject: " make a 78-character line: no fold */
	e = rfc2047_encode_header_text("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 7);
	assert_null(strstr(e, "\r\n"));
	free(e);
	e = rfc2047_encode_header_text("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 7);
	assert_string_equal(e, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
	free(e);
	/* white space at the end is never a line of its own */
	e = rfc2047_encode_header_text("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa   ", 7);
	assert_null(strstr(e, "\r\n"));
	free(e);
}

/* A word no line of 998 can hold is encoded in chunks, the whole text with it; a word that
 * fits on a line of its own (997 bytes after the fold's space) is not. */
static void test_encode_ascii_too_long(void **state)
{
	char word[1301];
	memset(word, 'u', 1300);
	word[1300] = '\0';
	char *text = xasprintf("see %s now", word);
	char *e = assert_round_trip(text, 7, text);
	assert_true(strncmp(e, "=?UTF-8?", 8) == 0);
	free(e);
	free(text);
	word[997] = '\0';
	text = xasprintf("see %s", word);
	e = rfc2047_encode_header_text(text, 7);
	char *want = xasprintf("see\r\n %s", word);
	assert_string_equal(e, want);
	free(want);
	free(e);
	free(text);
	word[997] = 'u';
	word[998] = '\0';
	text = xasprintf("see %s", word);
	e = assert_round_trip(text, 7, text);
	assert_true(strncmp(e, "=?UTF-8?", 8) == 0);
	free(e);
	free(text);
}

/* Controls are not allowed in a header (RFC 5322 2.2): encoded, they read back as sent. */
static void test_encode_controls(void **state)
{
	char *e = assert_round_trip("a\x01" "b\x1B[2Jc\x7F", 7, "a\x01" "b\x1B[2Jc\x7F");
	assert_true(strncmp(e, "=?UTF-8?", 8) == 0);
	free(e);
	/* a tab is white space: kept */
	e = rfc2047_encode_header_text("a\tb", 7);
	assert_string_equal(e, "a\tb");
	free(e);
}

static void test_encode_phrase(void **state)
{
	char *e = rfc2047_encode_phrase("Troop K CTL", 4);
	assert_string_equal(e, "Troop K CTL");
	free(e);
	e = rfc2047_encode_phrase("Troop K (CTL), Hartford", 4);
	assert_string_equal(e, "\"Troop K (CTL), Hartford\"");
	free(e);
	/* a quote or a backslash: encoded words, in the restricted set (no quote, no colon) */
	e = rfc2047_encode_phrase("Troop \"K\" \\ CTL: x", 4);
	assert_true(strncmp(e, "=?UTF-8?", 8) == 0);
	assert_null(strpbrk(e, "\"\\:(),"));
	char *d = rfc2047_decode_text(e);
	assert_string_equal(d, "Troop \"K\" \\ CTL: x");
	free(d);
	free(e);
	/* longer than the first line holds: encoded words, folded, never a folded phrase */
	const char *name = "Troop K Community Trust Liaison Office, Connecticut State Police Department";
	e = rfc2047_encode_phrase(name, 4);
	assert_true(strncmp(e, "=?UTF-8?", 8) == 0);
	assert_well_formed(e, 4);
	d = rfc2047_decode_text(e);
	assert_string_equal(d, name);
	free(d);
	free(e);
	e = rfc2047_encode_phrase("Ni\xC3\xB1o", 4);
	assert_string_equal(e, "=?UTF-8?B?TmnDsW8=?=");
	free(e);
}

static void test_encode_spanish(void **state)
{
	const char *subject = "Auto: \xC2\xBF" "D\xC3\xB3nde est\xC3\xA1 la reuni\xC3\xB3n del "
	                      "s\xC3\xA1" "bado? A\xC3\xB1" "adir a los ni\xC3\xB1os de la tropa K";
	char *e = assert_round_trip(subject, 7, subject);
	assert_non_null(strstr(e, "\r\n ")); /* long enough to fold */
	free(e);
	/* mostly letters: the readable "Q" form is the shorter */
	const char *letters = "Reuni\xC3\xB3n de padres ma\xC3\xB1" "ana";
	e = assert_round_trip(letters, 7, letters);
	assert_string_equal(e, "=?UTF-8?Q?Reuni=C3=B3n_de_padres_ma=C3=B1ana?=");
	free(e);
	/* a short word with one accent: "B" is shorter */
	e = assert_round_trip("Ni\xC3\xB1o", 7, "Ni\xC3\xB1o");
	assert_string_equal(e, "=?UTF-8?B?TmnDsW8=?=");
	free(e);
}

static void test_encode_emoji(void **state)
{
	const char *subject = "Campamento \xF0\x9F\x8F\x95\xEF\xB8\x8F\xF0\x9F\x94\xA5 \xF0\x9F\x98\x80"
	                      "\xF0\x9F\x8E\x89\xF0\x9F\x98\x80\xF0\x9F\x8E\x89\xF0\x9F\x98\x80\xF0\x9F"
	                      "\x8E\x89\xF0\x9F\x98\x80\xF0\x9F\x8E\x89\xF0\x9F\x98\x80\xF0\x9F\x8E\x89"
	                      " \xE2\x80\x94 \xC2\xA1ven!";
	char *e = assert_round_trip(subject, 7, subject);
	/* each word holds whole characters: it decodes alone without U+FFFD */
	size_t words = 0;
	for (const char *w = strstr(e, "=?"); w != NULL; w = strstr(w + 2, "=?")) {
		words++;
		const char *end = strstr(w, "?=");
		assert_non_null(end);
		char *one = xstrndup(w, (size_t)(end + 2 - w));
		char *dec = rfc2047_decode_text(one);
		assert_null(strstr(dec, UFFFD));
		free(dec);
		free(one);
		w = end;
	}
	assert_true(words >= 2); /* long enough for more than one word */
	assert_non_null(strstr(e, "\r\n ")); /* ... on more than one line */
	free(e);
	/* mostly 4-byte characters: "B" is shorter */
	const char *emoji = "\xF0\x9F\x98\x80\xF0\x9F\x8E\x89\xF0\x9F\x98\x80\xF0\x9F\x8E\x89";
	e = assert_round_trip(emoji, 7, emoji);
	assert_string_equal(e, "=?UTF-8?B?8J+YgPCfjonwn5iA8J+OiQ==?=");
	free(e);
}

static void test_encode_injection(void **state)
{
	/* ASCII: CR and LF become spaces, nothing else changes */
	char *e = rfc2047_encode_header_text("Hi\r\nBcc: x@y", 7);
	assert_string_equal(e, "Hi  Bcc: x@y");
	free(e);
	e = rfc2047_encode_header_text("a\rb\nc\r\n\r\nd\n", 7);
	assert_string_equal(e, "a b c    d ");
	free(e);
	/* non-ASCII: the same, and the break cannot come back out of the encoding */
	e = assert_round_trip("Hola\r\nBcc: x@y \xC3\xB1\r\n\r\nbody", 7,
	                      "Hola  Bcc: x@y \xC3\xB1    body");
	assert_null(strstr(e, "Bcc:")); /* the colon is always encoded */
	free(e);
	/* a long one, so the encoder folds: only its own CRLF-space folds appear */
	char text[600];
	size_t n = 0;
	while (n + 20 < sizeof(text)) {
		memcpy(text + n, "\xC3\xB1\r\nTo: v@x\n\r", 12);
		n += 12;
	}
	text[n] = '\0';
	e = rfc2047_encode_header_text(text, 7);
	assert_well_formed(e, 7);
	assert_non_null(strstr(e, "\r\n ")); /* it did fold */
	assert_null(strstr(e, "To:"));
	for (const char *p = e; (p = strstr(p, "\r\n")) != NULL; p += 2)
		assert_int_equal(p[2], ' ');
	free(e);
}

static void test_encode_encoded_lookalike(void **state)
{
	/* ASCII text that a reader would decode must be encoded so it reads as written */
	char *e = assert_round_trip("=?UTF-8?B?SGk=?=", 7, "=?UTF-8?B?SGk=?=");
	assert_string_not_equal(e, "=?UTF-8?B?SGk=?=");
	free(e);
	e = assert_round_trip("price =?x", 7, "price =?x");
	free(e);
}

static void test_encode_invalid_utf8(void **state)
{
	char *e = assert_round_trip("caf\xE9 \xFF", 7, "caf" UFFFD " " UFFFD);
	free(e);
}

/* Every header name length, every kind of text: lines never pass 76 characters. */
static void test_encode_line_lengths(void **state)
{
	static const char *const texts[] = {
		"\xC3\xA9",
		"Re: Reuni\xC3\xB3n de padres y madres de la tropa K \xE2\x80\x94 s\xC3\xA1" "bado "
		"10:00, sal\xC3\xB3n parroquial (traed merienda y autorizaci\xC3\xB3n firmada)",
		"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE4\xBB\xB6\xE5\x90\x8D\xE3\x81\xA7"
		"\xE3\x81\x99\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE4\xBB\xB6\xE5\x90\x8D"
		"\xE3\x81\xA7\xE3\x81\x99\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE4\xBB\xB6",
		"\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0"
		"\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F"
		"\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98",
		"?\?\?\?====____      \xC3\xA9",
	};
	for (size_t t = 0; t < sizeof(texts) / sizeof(texts[0]); t++) {
		char *clean = rfc2047_encode_header_text(texts[t], 0);
		char *want = rfc2047_decode_text(clean); /* the text as it reads after cleaning */
		assert_non_null(want);
		for (size_t name_len = 0; name_len <= 90; name_len++) {
			char *e = assert_round_trip(texts[t], name_len, want);
			/* a name that leaves room for a word keeps it on the first line */
			if (name_len + 2 + 24 <= LINE_MAX_CHARS)
				assert_true(strncmp(e, "=?UTF-8?", 8) == 0);
			free(e);
		}
		free(want);
		free(clean);
	}
	/* after a very long name the value starts on a continuation line */
	char *e = rfc2047_encode_header_text("\xC3\xA9", 80);
	assert_string_equal(e, "\r\n =?UTF-8?B?w6k=?=");
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_decode_linear),
		cmocka_unit_test(test_reencode),
		cmocka_unit_test(test_encode_ascii),
		cmocka_unit_test(test_encode_ascii_folds),
		cmocka_unit_test(test_encode_ascii_too_long),
		cmocka_unit_test(test_encode_controls),
		cmocka_unit_test(test_encode_phrase),
		cmocka_unit_test(test_encode_spanish),
		cmocka_unit_test(test_encode_emoji),
		cmocka_unit_test(test_encode_injection),
		cmocka_unit_test(test_encode_encoded_lookalike),
		cmocka_unit_test(test_encode_invalid_utf8),
		cmocka_unit_test(test_encode_line_lengths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
