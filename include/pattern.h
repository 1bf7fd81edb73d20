/* pattern.h — regular expressions (PCRE2), the one place that knows PCRE2: compiling with
 * the program's options, matching under limits, finding every span for redaction, and
 * matching a whole value against a configured format.  Used by route.c (routing rules),
 * redact.c (FOIA redactions), ops_vocab.c and config.c (the RMS number's format) and
 * ops_foia.c (checking a redaction pattern).
 *
 * Every match runs under match, depth and heap limits, so no pattern and no text can hang
 * the program: a match that hits a limit is an error the caller reports, never a silent
 * "no match". */
#ifndef LIAISON_PATTERN_H
#define LIAISON_PATTERN_H

#include <stddef.h>

/* How a pattern is compiled. */
enum pattern_mode {
	/* Routing rules: UTF-8, Unicode properties, caseless, multiline, \C refused; JIT. */
	PATTERN_RULE,
	/* The same, checked only (not matched): no JIT. */
	PATTERN_CHECK,
	/* Redaction: PATTERN_RULE's options, and a stray byte in the text does not stop a
	 * match around it (PCRE2_MATCH_INVALID_UTF); JIT. */
	PATTERN_FIND,
	/* A configured format: the whole value, case as written, no newline ending it early;
	 * no JIT. */
	PATTERN_WHOLE,
};

struct pattern;          /* one compiled pattern; read-only once compiled (any thread) */
struct pattern_limits;   /* the match limits; read-only once made (any thread) */
struct pattern_scratch;  /* per-thread match data */

/* Compiles text.  Returns the pattern, or NULL with *error_r (caller frees) "does not
 * compile at offset N: PCRE2's reason" for the caller to prefix with what it compiled. */
struct pattern *pattern_compile(const char *text, enum pattern_mode mode, char **error_r);
/* 1 when the pattern runs with the JIT (else the interpreter matches the same, slower). */
int pattern_jit(const struct pattern *p);
void pattern_free(struct pattern **p);

/* The limits every match runs under, or NULL when out of memory. */
struct pattern_limits *pattern_limits_new(void);
void pattern_limits_free(struct pattern_limits **limits);

/* Match data for one thread's matches, reused across them; aborts when out of memory. */
struct pattern_scratch *pattern_scratch_new(void);
void pattern_scratch_free(struct pattern_scratch **scratch);

/* Copies s (len bytes) for pattern_search: each byte that is not part of well-formed UTF-8
 * becomes U+FFFD, and zero padding follows the end.  Returns the copy (caller frees), its
 * length in *len_r. */
char *pattern_subject_copy(const char *s, size_t len, size_t *len_r);

/* Searches subject (made by pattern_subject_copy, len bytes) for p.  Returns 1 when it
 * matches, 0 when not, or a negative PCRE2 code when it could not be decided (a limit; see
 * pattern_error_name). */
int pattern_search(const struct pattern *p, const struct pattern_limits *limits,
                   const char *subject, size_t len, struct pattern_scratch *scratch);
/* What a negative code from a match means: "match limit", "depth limit", ... */
const char *pattern_error_name(int rc);

/* Checks that pattern compiles as a redaction pattern (PATTERN_CHECK).  Returns 0, or -1
 * with *error_r "the pattern does not compile at offset N: reason". */
int pattern_check(const char *pattern, char **error_r);

/* A configured format (the RMS number's): pattern must match the whole value, case as
 * written.  pattern_whole_check returns 0 when pattern compiles, or -1 with *error_r saying
 * where and why; pattern_whole_match returns 1 when value matches, 0 when not (a value that
 * is not UTF-8 does not match), or -1 with *error_r (the pattern does not compile or hit a
 * match limit). */
int pattern_whole_check(const char *pattern, char **error_r);
int pattern_whole_match(const char *pattern, const char *value, char **error_r);

/* Finding every span a set of needles matches, for redaction: never a silent miss. */
struct pattern_needle {
	const char *text;
	int literal;   /* 1: text is matched as it is, case-insensitively, any white space
	                  matching any run of white space; 0: text is a PCRE2 pattern */
};
struct pattern_finder;
/* Compiles the needles (PATTERN_FIND).  Returns 0 with *finder_r, or -1 with *error_r
 * ("pattern N does not compile at offset ..."). */
int pattern_finder_new(const struct pattern_needle *needles, size_t n,
                       struct pattern_finder **finder_r, char **error_r);
void pattern_finder_free(struct pattern_finder **finder);
/* Called for each non-empty match [start, end) of needle number index. */
typedef void pattern_span_cb(size_t start, size_t end, size_t index, void *ctx);
/* Finds every match of every needle in text (len bytes, UTF-8; stray bytes tolerated).
 * Returns 0, or -1 with *error_r when a needle hit a match limit: the caller must not
 * produce text it could not search. */
int pattern_finder_each(const struct pattern_finder *finder, const char *text, size_t len,
                        pattern_span_cb *cb, void *ctx, char **error_r);

/* A match [start, end) of needle number index. */
struct pattern_span {
	size_t start, end, index;
};
/* Every match of pattern_finder_each, sorted by start, then end, then needle: a new array
 * in *spans_r (caller frees; NULL when none) of *n_r spans.  Returns 0, or -1 with *error_r
 * and nothing in *spans_r, as pattern_finder_each. */
int pattern_finder_spans(const struct pattern_finder *finder, const char *text, size_t len,
                         struct pattern_span **spans_r, size_t *n_r, char **error_r);

#endif
