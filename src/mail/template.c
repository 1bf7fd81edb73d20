/* template.c — render NAME.LANG.txt with {{variables}}, values flattened to one line. */
#include "template.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "util.h"

#define VALUE_MAX 200
#define TEMPLATE_MAX (64u << 10)

/* Characters that end or break a line (C0 and C1 controls, NEL U+0085 among them, DEL, the
 * Unicode line and paragraph separators) or separate words: a value keeps its words on one
 * line, so each run of them becomes one space. */
static int is_break(uint32_t c)
{
	return c <= 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
}

/* Invisible marks that change how the text around them is shown: the bidirectional
 * embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the LRM, RLM and ALM
 * marks reverse what follows in the reader's client (a forged "call 1-1-9"), and a BOM
 * (U+FEFF) hides a break between words.  Dropped, not spaced: they stand for no character. */
static int is_invisible_format(uint32_t c)
{
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0x200e ||
	       c == 0x200f || c == 0x061c || c == 0xfeff;
}

/* The code point of the valid UTF-8 sequence at s and its length in *len_r. */
static uint32_t utf8_next(const unsigned char *s, size_t *len_r)
{
	if (s[0] < 0x80) {
		*len_r = 1;
		return s[0];
	}
	size_t n = charset_utf8_len(s[0]);
	uint32_t c = s[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++)
		c = (c << 6) | (s[i] & 0x3f);
	*len_r = n;
	return c;
}

char *template_clean_value(const char *value)
{
	/* Invalid bytes become U+FFFD, as mime.c reads mail: the reader sees that something
	 * was there, and no byte can join its neighbours into a character nobody wrote. */
	char *valid = charset_clean_utf8(value ? value : "");
	struct buf b;
	buf_init(&b, SIZE_MAX);
	int space = 0;
	size_t len;
	for (const unsigned char *s = (const unsigned char *)valid; *s; s += len) {
		uint32_t c = utf8_next(s, &len);
		if (is_break(c)) {
			space = b.len > 0;
			continue;
		}
		if (is_invisible_format(c))
			continue;
		/* Stop before a character that would pass the limit: never cut inside one. */
		if (b.len + space + len > VALUE_MAX)
			break;
		if (space)
			buf_add(&b, " ", 1);
		space = 0;
		buf_add(&b, s, len);
	}
	free(valid);
	return buf_steal(&b, NULL);
}

static int render_one(const char *dir, const char *name, const char *lang,
                      const struct template_var *vars, size_t n_vars, struct buf *out,
                      char **error_r)
{
	char *path = xasprintf("%s/%s.%s.txt", dir, name, lang);
	char *text = NULL;
	size_t len = 0;
	if (file_read_all(path, TEMPLATE_MAX, &text, &len, error_r) < 0) {
		free(path);
		return -1;
	}
	int rc = 0;
	const char *p = text;
	for (;;) {
		const char *open = strstr(p, "{{");
		if (open == NULL) {
			buf_addstr(out, p);
			break;
		}
		buf_add(out, p, (size_t)(open - p));
		const char *close = strstr(open + 2, "}}");
		if (close == NULL) {
			*error_r = xasprintf("%s: '{{' without '}}'", path);
			rc = -1;
			break;
		}
		size_t n = (size_t)(close - open - 2);
		size_t i;
		for (i = 0; i < n_vars; i++)
			if (strlen(vars[i].name) == n && strncmp(vars[i].name, open + 2, n) == 0)
				break;
		if (i == n_vars) {
			*error_r = xasprintf("%s: unknown variable {{%.*s}}", path, (int)n, open + 2);
			rc = -1;
			break;
		}
		char *clean = template_clean_value(vars[i].value);
		buf_addstr(out, clean);
		free(clean);
		p = close + 2;
	}
	free(text);
	free(path);
	return rc;
}

int template_render(const char *dir, const char *name, const char *lang,
                    const struct template_var *vars, size_t n_vars, char **text_r,
                    char **error_r)
{
	struct buf out;
	buf_init(&out, SIZE_MAX);
	int both = strcmp(lang, "both") == 0;
	if (render_one(dir, name, both ? "en" : lang, vars, n_vars, &out, error_r) < 0 ||
	    (both && (buf_addstr(&out, "\n-- -- -- -- -- -- -- -- -- -- -- -- --\n\n") < 0 ||
	              render_one(dir, name, "es", vars, n_vars, &out, error_r) < 0))) {
		buf_free(&out);
		return -1;
	}
	*text_r = buf_steal(&out, NULL);
	return 0;
}

/* Every text liaison sends, with the variables it is given (autoreply.c, ops_reply.c): a
 * variable a template names and its sender does not give is an error found here, before
 * anything is sent. */
static const struct template_var autoreply_vars[] = {
	{"troop", "K"}, {"ref", "K-2026-00001"}, {"subject", "test"}, {"category", "test"},
	{"mailbox", "K"},
};
static const struct template_var referral_vars[] = {
	{"troop", "K"}, {"ref", "K-2026-00001"}, {"service_name", "test"},
	{"service_phone", "test"}, {"service_url", "test"}, {"service_description", "test"},
};
static const struct {
	const char *name, *lang;
	const struct template_var *vars;
	size_t n_vars;
} sent_texts[] = {
	{"autoreply", "en", autoreply_vars, 5},
	{"autoreply", "es", autoreply_vars, 5},
	{"autoreply-urgent", "en", autoreply_vars, 5},
	{"autoreply-urgent", "es", autoreply_vars, 5},
	{"urgent-notice", "en", autoreply_vars, 5},
	{"referral", "en", referral_vars, 6},
	{"referral", "es", referral_vars, 6},
};

int template_check(const char *dir, struct strlist *problems)
{
	int bad = 0;
	for (size_t i = 0; i < sizeof(sent_texts) / sizeof(*sent_texts); i++) {
		char *text = NULL, *error = NULL;
		if (template_render(dir, sent_texts[i].name, sent_texts[i].lang, sent_texts[i].vars,
		                    sent_texts[i].n_vars, &text, &error) < 0) {
			strlist_add(problems, error);
			free(error);
			bad++;
		}
		free(text);
	}
	return bad;
}
