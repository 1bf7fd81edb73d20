/* pattern.c — the one wrapper around PCRE2: compile with the program's options, match
 * under limits, find spans, match whole values.  See pattern.h. */
#include "pattern.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <ctype.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Limits that keep a pathological pattern (e.g. "(a+)+$") from hanging the poller.  The JIT
 * honours only the match limit; the interpreter (the fallback) honours all three. */
#define PATTERN_MATCH_LIMIT 100000
#define PATTERN_DEPTH_LIMIT 1000
#define PATTERN_HEAP_LIMIT_KIB (64u * 1024)
/* \C could split a UTF-8 character and make the matcher read garbage: refuse it. */
#define PATTERN_RULE_OPTIONS \
	(PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MULTILINE | PCRE2_NEVER_BACKSLASH_C)
/* A format is matched against the whole value and as written: case matters in an incident
 * number's prefix, and no newline may end a value early. */
#define PATTERN_WHOLE_OPTIONS \
	(PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_DOLLAR_ENDONLY | \
	 PCRE2_NEVER_BACKSLASH_C)

struct pattern {
	pcre2_code *code;
	int jit;
};

/* ---- compiling -------------------------------------------------------------------------- */

struct pattern *pattern_compile(const char *text, enum pattern_mode mode, char **error_r)
{
	uint32_t options = mode == PATTERN_WHOLE ? PATTERN_WHOLE_OPTIONS
	    : mode == PATTERN_FIND ? PATTERN_RULE_OPTIONS | PCRE2_MATCH_INVALID_UTF
	    : PATTERN_RULE_OPTIONS;
	int code;
	PCRE2_SIZE offset;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED, options, &code,
	                               &offset, NULL);
	if (re == NULL) {
		PCRE2_UCHAR msg[256];
		if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "error %d", code);
		*error_r = xasprintf("does not compile at offset %zu: %s", (size_t)offset,
		                     (const char *)msg);
		return NULL;
	}
	struct pattern *p = xcalloc(1, sizeof(*p));
	p->code = re;
	/* Without JIT (unsupported platform, no executable memory) the interpreter matches
	 * the same strings, only slower. */
	if (mode == PATTERN_RULE || mode == PATTERN_FIND)
		p->jit = pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) == 0;
	return p;
}

int pattern_jit(const struct pattern *p)
{
	return p->jit;
}

void pattern_free(struct pattern **p)
{
	if (*p == NULL)
		return;
	pcre2_code_free((*p)->code);
	free(*p);
	*p = NULL;
}

/* ---- limits and match data -------------------------------------------------------------- */

/* A match context: read-only once made, so every thread may pass it to pcre2_match (pcre2api
 * "MULTITHREADING": a context whose values never change can be shared). */
struct pattern_limits *pattern_limits_new(void)
{
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	if (mc != NULL) {
		pcre2_set_match_limit(mc, PATTERN_MATCH_LIMIT);
		pcre2_set_depth_limit(mc, PATTERN_DEPTH_LIMIT);
		pcre2_set_heap_limit(mc, PATTERN_HEAP_LIMIT_KIB);
	}
	return (struct pattern_limits *)mc;
}

void pattern_limits_free(struct pattern_limits **limits)
{
	pcre2_match_context_free((pcre2_match_context *)*limits);
	*limits = NULL;
}

/* Only whether a pattern matched, or where, matters: one ovector pair is enough. */
struct pattern_scratch *pattern_scratch_new(void)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	if (md == NULL)
		abort(); /* out of memory stops the program (docs/conventions.md "Errors") */
	return (struct pattern_scratch *)md;
}

void pattern_scratch_free(struct pattern_scratch **scratch)
{
	pcre2_match_data_free((pcre2_match_data *)*scratch);
	*scratch = NULL;
}

const char *pattern_error_name(int rc)
{
	switch (rc) {
	case PCRE2_ERROR_MATCHLIMIT:
		return "match limit";
	case PCRE2_ERROR_DEPTHLIMIT:
		return "depth limit";
	case PCRE2_ERROR_HEAPLIMIT:
		return "heap limit";
	case PCRE2_ERROR_JIT_STACKLIMIT:
		return "JIT stack limit";
	case PCRE2_ERROR_NOMEMORY:
		return "out of memory";
	default:
		return "match error";
	}
}

/* ---- searching ------------------------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlongs, no surrogates,
 * nothing past U+10FFFF, the same rules as PCRE2's check), or 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	size_t need;
	unsigned char lo = 0x80, hi = 0xBF; /* the bounds of the second byte */
	if (c >= 0xC2 && c <= 0xDF) {
		need = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 3;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (n < need || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < need; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return need;
}

/* The JIT's SIMD scans read whole 16-byte blocks and so may look past the end of the
 * subject (never past a page): harmless, but valgrind reports it, and the project runs under
 * valgrind.  Matching a copy with zeroed bytes after its end keeps those reads defined. */
#define SUBJECT_PAD 64

/* Copies s (len bytes) for matching: each byte that is not part of a well-formed UTF-8
 * sequence becomes U+FFFD, so the rest can still be matched and PCRE2 may skip its own UTF
 * check; SUBJECT_PAD zero bytes follow.  Returns the copy (caller frees), its length in
 * *len_r. */
char *pattern_subject_copy(const char *s, size_t len, size_t *len_r)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t out = 0;
	for (size_t i = 0; i < len;) {
		size_t k = utf8_sequence(u + i, len - i);
		out += k ? k : 3;
		i += k ? k : 1;
	}
	char *copy = xmalloc(out + SUBJECT_PAD);
	if (out == len) {
		memcpy(copy, s, len);
	} else {
		size_t o = 0;
		for (size_t i = 0; i < len;) {
			size_t k = utf8_sequence(u + i, len - i);
			if (k == 0) {
				memcpy(copy + o, "\xEF\xBF\xBD", 3);
				o += 3;
				i++;
			} else {
				memcpy(copy + o, s + i, k);
				o += k;
				i += k;
			}
		}
	}
	memset(copy + out, 0, SUBJECT_PAD);
	*len_r = out;
	return copy;
}

int pattern_search(const struct pattern *p, const struct pattern_limits *limits,
                   const char *subject, size_t len, struct pattern_scratch *scratch)
{
	pcre2_match_context *mc = (pcre2_match_context *)limits;
	pcre2_match_data *md = (pcre2_match_data *)scratch;
	/* pattern_subject_copy made the input valid UTF-8. */
	int rc = pcre2_match(p->code, (PCRE2_SPTR)subject, len, 0, PCRE2_NO_UTF_CHECK, md, mc);
	/* The JIT's stack is small and fixed; the interpreter keeps its frames on the heap
	 * under the depth and heap limits, so give it the second try. */
	if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
		rc = pcre2_match(p->code, (PCRE2_SPTR)subject, len, 0,
		                 PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, md, mc);
	if (rc >= 0) /* 0: matched, the one-pair ovector was too small for the groups */
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	return rc;
}

/* ---- checks and whole-value patterns (configured formats) ------------------------------- */

/* Compiles pattern in mode; NULL with *error_r "the pattern does not compile ...". */
static struct pattern *compile_or_say(const char *pattern, enum pattern_mode mode,
                                      char **error_r)
{
	char *why = NULL;
	struct pattern *p = pattern_compile(pattern, mode, &why);
	if (p == NULL) {
		*error_r = xasprintf("the pattern %s", why);
		free(why);
	}
	return p;
}

int pattern_check(const char *pattern, char **error_r)
{
	struct pattern *p = compile_or_say(pattern, PATTERN_CHECK, error_r);
	if (p == NULL)
		return -1;
	pattern_free(&p);
	return 0;
}

int pattern_whole_check(const char *pattern, char **error_r)
{
	struct pattern *p = compile_or_say(pattern, PATTERN_WHOLE, error_r);
	if (p == NULL)
		return -1;
	pattern_free(&p);
	return 0;
}

int pattern_whole_match(const char *pattern, const char *value, char **error_r)
{
	struct pattern *p = compile_or_say(pattern, PATTERN_WHOLE, error_r);
	if (p == NULL)
		return -1;
	pcre2_match_context *mc = (pcre2_match_context *)pattern_limits_new();
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int result = -1;
	if (mc == NULL || md == NULL) {
		*error_r = xstrdup("out of memory for the match");
	} else {
		/* PCRE2 checks the value is UTF-8: a stray byte is simply no match. */
		int rc = pcre2_match(p->code, (PCRE2_SPTR)value, strlen(value), 0, 0, md, mc);
		if (rc >= 0)
			result = 1;
		else if (rc == PCRE2_ERROR_NOMATCH || (rc <= PCRE2_ERROR_UTF8_ERR1 &&
		                                       rc >= PCRE2_ERROR_UTF8_ERR21))
			result = 0;
		else
			*error_r = xasprintf("the pattern could not be matched (%s)",
			                     pattern_error_name(rc));
	}
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	pattern_free(&p);
	return result;
}

/* ---- finding spans (redaction) ---------------------------------------------------------- */

struct pattern_finder {
	struct pattern **patterns;
	size_t n;
	struct pattern_limits *limits;
};

/* A literal as a pattern: trimmed, every ASCII punctuation escaped, every run of white space
 * matching any run of white space and quote marks (a name wrapped across two lines of a
 * quoted reply, "Jane\n> Roe", is still found), the rest as it is. */
static char *literal_pattern(const char *text)
{
	struct buf b;
	buf_init(&b, SIZE_MAX);
	while (isspace((unsigned char)*text))
		text++;
	size_t n = strlen(text);
	while (n > 0 && isspace((unsigned char)text[n - 1]))
		n--;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		if (isspace(c)) {
			while (i + 1 < n && isspace((unsigned char)text[i + 1]))
				i++;
			buf_addstr(&b, "[\\s>]+");
		} else if (c < 0x80 && !isalnum(c)) {
			char esc[2] = {'\\', (char)c};
			buf_add(&b, esc, 2);
		} else {
			buf_add(&b, text + i, 1);
		}
	}
	return buf_steal(&b, NULL);
}

int pattern_finder_new(const struct pattern_needle *needles, size_t n,
                       struct pattern_finder **finder_r, char **error_r)
{
	struct pattern_finder *f = xcalloc(1, sizeof(*f));
	f->patterns = xcalloc(n ? n : 1, sizeof(*f->patterns));
	for (size_t i = 0; i < n; i++) {
		char *literal = needles[i].literal ? literal_pattern(needles[i].text) : NULL;
		const char *text = literal ? literal : needles[i].text;
		char *why = NULL;
		/* PATTERN_FIND (MATCH_INVALID_UTF): stored text is UTF-8, but a stray byte must
		 * not stop a redaction from being found around it. */
		f->patterns[i] = pattern_compile(text, PATTERN_FIND, &why);
		free(literal);
		if (f->patterns[i] == NULL) {
			*error_r = xasprintf("pattern %zu %s", i + 1, why);
			free(why);
			pattern_finder_free(&f);
			return -1;
		}
		f->n++;
	}
	f->limits = pattern_limits_new();
	if (f->limits == NULL) {
		*error_r = xstrdup("out of memory for a match context");
		pattern_finder_free(&f);
		return -1;
	}
	*finder_r = f;
	return 0;
}

void pattern_finder_free(struct pattern_finder **finder)
{
	struct pattern_finder *f = *finder;
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n; i++)
		pattern_free(&f->patterns[i]);
	free(f->patterns);
	if (f->limits != NULL)
		pattern_limits_free(&f->limits);
	free(f);
	*finder = NULL;
}

int pattern_finder_each(const struct pattern_finder *f, const char *text, size_t len,
                        pattern_span_cb *cb, void *ctx, char **error_r)
{
	if (f->n == 0 || len == 0)
		return 0;
	pcre2_match_context *mc = (pcre2_match_context *)f->limits;
	/* a padded copy for the JIT's block reads (see SUBJECT_PAD); offsets are unchanged */
	char *copy = xmalloc(len + SUBJECT_PAD);
	memcpy(copy, text, len);
	memset(copy + len, 0, SUBJECT_PAD);
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int result = 0;
	for (size_t i = 0; i < f->n && result == 0; i++) {
		const pcre2_code *re = f->patterns[i]->code;
		PCRE2_SIZE start = 0;
		uint32_t options = 0;
		while (start <= len) {
			int rc = pcre2_match(re, (PCRE2_SPTR)copy, len, start, options, md, mc);
			if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
				rc = pcre2_match(re, (PCRE2_SPTR)copy, len, start, options | PCRE2_NO_JIT,
				                 md, mc);
			if (rc == PCRE2_ERROR_NOMATCH && options != 0) {
				/* nothing but the empty match at start: step over one character */
				options = 0;
				start++;
				while (start < len && ((unsigned char)copy[start] & 0xC0) == 0x80)
					start++;
				continue;
			}
			if (rc == PCRE2_ERROR_NOMATCH)
				break;
			if (rc < 0) {
				/* never a silent miss: a redaction not found is text produced */
				*error_r = xasprintf("pattern %zu could not be matched (%s)", i + 1,
				                     pattern_error_name(rc));
				result = -1;
				break;
			}
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			if (ov[1] > ov[0])
				cb(ov[0], ov[1], i, ctx);
			start = ov[1];
			/* after an empty match, first look for a non-empty one at the same place
			 * (pcre2demo's way): stepping on at once would skip it */
			options = ov[1] == ov[0] ? PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED : 0;
		}
	}
	pcre2_match_data_free(md);
	free(copy);
	return result;
}

struct span_list {
	struct pattern_span *v;
	size_t n, cap;
};

static void span_collect(size_t start, size_t end, size_t index, void *p)
{
	struct span_list *s = p;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n++] = (struct pattern_span){start, end, index};
}

static int span_order(const void *a, const void *b)
{
	const struct pattern_span *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int pattern_finder_spans(const struct pattern_finder *f, const char *text, size_t len,
                         struct pattern_span **spans_r, size_t *n_r, char **error_r)
{
	struct span_list s = {0};
	*spans_r = NULL;
	*n_r = 0;
	if (pattern_finder_each(f, text, len, span_collect, &s, error_r) < 0) {
		free(s.v);
		return -1;
	}
	if (s.n > 1)
		qsort(s.v, s.n, sizeof(*s.v), span_order);
	*spans_r = s.v;
	*n_r = s.n;
	return 0;
}
