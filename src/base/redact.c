/* redact.c — replaces what a message's redactions match with a label, before rendering.
 *
 * Text to redact is first normalized (NFKC, invisible format characters such as soft hyphens
 * and zero-width spaces removed; GLib's Unicode tables), and so are literal redactions: a name
 * written in full-width letters, with decomposed accents or with a soft hyphen inside looks
 * the same on the page and must be found the same. */
#include "redact.h"

#include <glib.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "util.h"

struct redactor {
	struct pattern_finder *finder;
	char **exemptions;
	size_t n;
};

/* NFKC without format characters (Unicode category Cf); invalid UTF-8 becomes U+FFFD. */
static char *normalize(const char *text)
{
	gchar *valid = g_utf8_make_valid(text, -1);
	gchar *nfkc = g_utf8_normalize(valid, -1, G_NORMALIZE_NFKC);
	g_free(valid);
	struct buf b;
	buf_init(&b, SIZE_MAX);
	for (const gchar *p = nfkc ? nfkc : ""; *p != '\0'; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);
		if (g_unichar_type(c) != G_UNICODE_FORMAT)
			buf_add(&b, p, (size_t)(g_utf8_next_char(p) - p));
	}
	g_free(nfkc);
	return buf_steal(&b, NULL);
}

int redactor_new(const struct redaction *redactions, size_t n, struct redactor **redactor_r,
                 char **error_r)
{
	struct redactor *r = xcalloc(1, sizeof(*r));
	struct pattern_needle *needles = xcalloc(n ? n : 1, sizeof(*needles));
	r->exemptions = xcalloc(n ? n : 1, sizeof(*r->exemptions));
	r->n = n;
	char **texts = xcalloc(n ? n : 1, sizeof(*texts));
	for (size_t i = 0; i < n; i++) {
		needles[i].literal = strcmp(redactions[i].kind, "text") == 0;
		texts[i] = needles[i].literal ? normalize(redactions[i].value) : NULL;
		needles[i].text = needles[i].literal ? texts[i] : redactions[i].value;
		r->exemptions[i] = xstrdup(redactions[i].exemption);
	}
	int rc = pattern_finder_new(needles, n, &r->finder, error_r);
	for (size_t i = 0; i < n; i++)
		free(texts[i]);
	free(texts);
	free(needles);
	if (rc < 0) {
		redactor_free(&r);
		return -1;
	}
	*redactor_r = r;
	return 0;
}

void redactor_free(struct redactor **redactor)
{
	struct redactor *r = *redactor;
	if (r == NULL)
		return;
	pattern_finder_free(&r->finder);
	for (size_t i = 0; i < r->n; i++)
		free(r->exemptions[i]);
	free(r->exemptions);
	free(r);
	*redactor = NULL;
}

static void piece_add(struct redacted *out, char *text, int is_label)
{
	out->pieces = xrealloc(out->pieces, (out->n + 1) * sizeof(*out->pieces));
	out->pieces[out->n++] = (struct redact_piece){text, is_label};
	if (is_label)
		out->labels++;
}

/* "[REDACTED 1-210(b)(3)(G)]", each exemption of the merged spans v[0..n) named once. */
static char *label_for(const struct redactor *r, const struct pattern_span *v, size_t n)
{
	struct buf b;
	buf_init(&b, SIZE_MAX);
	buf_addstr(&b, "[REDACTED");
	for (size_t i = 0; i < n; i++) {
		const char *ex = r->exemptions[v[i].index];
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(r->exemptions[v[j].index], ex) == 0;
		if (!seen)
			buf_addf(&b, "%s%s", i == 0 ? " " : ", ", ex);
	}
	buf_addstr(&b, "]");
	return buf_steal(&b, NULL);
}

int redactor_apply(const struct redactor *r, const char *text, struct redacted *out,
                   size_t *found, char **error_r)
{
	memset(out, 0, sizeof(*out));
	if (text == NULL)
		text = "";
	/* a message without redactions is shown as it is; one with them, normalized */
	char *normalized = r != NULL ? normalize(text) : NULL;
	if (normalized != NULL)
		text = normalized;
	size_t len = strlen(text);
	struct pattern_span *v = NULL;
	size_t n = 0;
	if (r != NULL && pattern_finder_spans(r->finder, text, len, &v, &n, error_r) < 0) {
		free(normalized);
		return -1;
	}
	size_t at = 0;
	for (size_t i = 0; i < n;) {
		/* merge every span that overlaps the first of this group */
		size_t j = i + 1, end = v[i].end;
		while (j < n && v[j].start < end) {
			if (v[j].end > end)
				end = v[j].end;
			j++;
		}
		if (v[i].start > at)
			piece_add(out, xstrndup(text + at, v[i].start - at), 0);
		piece_add(out, label_for(r, v + i, j - i), 1);
		for (size_t k = i; k < j && found != NULL; k++)
			found[v[k].index]++;
		at = end;
		i = j;
	}
	if (at < len || out->n == 0)
		piece_add(out, xstrdup(text + at), 0);
	free(v);
	free(normalized);
	return 0;
}

char *redacted_join(const struct redacted *r)
{
	struct buf b;
	buf_init(&b, SIZE_MAX);
	for (size_t i = 0; i < r->n; i++)
		buf_addstr(&b, r->pieces[i].text);
	return buf_steal(&b, NULL);
}

void redacted_clear(struct redacted *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->pieces[i].text);
	free(r->pieces);
	memset(r, 0, sizeof(*r));
}

char *redact_string(const struct redactor *redactor, const char *text, size_t *found,
                    char **error_r)
{
	struct redacted r;
	if (redactor_apply(redactor, text, &r, found, error_r) < 0)
		return NULL;
	char *s = redacted_join(&r);
	redacted_clear(&r);
	return s;
}
