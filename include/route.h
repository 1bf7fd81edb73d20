/* route.h — routing rules (PCRE2): named patterns over a message's subject and text that set
 * categories, priority and flags and suggest referrals.  route.c is the only user of PCRE2.
 *
 * Rules are compiled once (JIT where available) with match and depth limits, so no rule and
 * no message can hang the poller: a rule that hits a limit on a message is logged and
 * skipped for that message. */
#ifndef LIAISON_ROUTE_H
#define LIAISON_ROUTE_H

#include <stddef.h>

#include "util.h"

enum route_priority { ROUTE_NORMAL = 0, ROUTE_HIGH = 1, ROUTE_URGENT = 2 };

struct route_rules;

/* What the rules say of one message.  Strings are owned by the result. */
struct route_result {
	struct strlist rules;       /* names of the rules that matched, in file order */
	struct strlist categories;  /* categories set by them, first match first, no repeats */
	struct strlist referrals;   /* suggested referral service ids, no repeats */
	enum route_priority priority; /* the highest any matching rule set */
	int confidential;           /* some matching rule said confidential = yes */
	int reportable;             /* some matching rule said reportable = yes */
	struct strlist skipped;     /* rules skipped because they hit a match or depth limit */
};

/* Loads and compiles the rules of path.  Returns 0 with *rules_r, or -1 with *errors_r
 * (caller frees) holding one "FILE:LINE: what is wrong" line per problem (a pattern that
 * does not compile names its file and line and PCRE2's reason and offset). */
int route_rules_load(const char *path, struct route_rules **rules_r, char **errors_r);
/* Number of rules loaded. */
size_t route_rules_count(const struct route_rules *rules);
void route_rules_free(struct route_rules **rules);

/* Matches every rule against subject and text (UTF-8; either may be NULL), taken together as
 * one subject (the Subject, a blank line, the text).  Thread-safe for concurrent calls on
 * the same rules.  Free the result with route_result_clear. */
void route_match(const struct route_rules *rules, const char *subject, const char *text,
                 struct route_result *result);
void route_result_clear(struct route_result *result);

const char *route_priority_name(enum route_priority priority);

/* Checks that pattern compiles with the rules' options (a redaction pattern).  Returns 0, or
 * -1 with *error_r saying where and why. */
int route_pattern_check(const char *pattern, char **error_r);

/* Adds the categories the rules set to categories (file order, no repeats). */
void route_rules_categories(const struct route_rules *rules, struct strlist *categories);

/* A configured format (the RMS number's): pattern must match the whole value, case as
 * written.  route_whole_check returns 0 when pattern compiles, or -1 with *error_r saying
 * where and why; route_whole_match returns 1 when value matches, 0 when not, or -1 with
 * *error_r (the pattern does not compile or hit a match limit). */
int route_whole_check(const char *pattern, char **error_r);
int route_whole_match(const char *pattern, const char *value, char **error_r);

/* Finding every span a set of needles matches, for redaction: never a silent miss. */
struct route_needle {
	const char *text;
	int literal;   /* 1: text is matched as it is, case-insensitively, any white space
	                  matching any run of white space; 0: text is a PCRE2 pattern */
};
struct route_finder;
/* Compiles the needles (patterns with the rules' options).  Returns 0 with *finder_r, or -1
 * with *error_r. */
int route_finder_new(const struct route_needle *needles, size_t n, struct route_finder **finder_r,
                     char **error_r);
void route_finder_free(struct route_finder **finder);
/* Called for each non-empty match [start, end) of needle number index. */
typedef void route_span_cb(size_t start, size_t end, size_t index, void *ctx);
/* Finds every match of every needle in text (len bytes, UTF-8; stray bytes tolerated).
 * Returns 0, or -1 with *error_r when a needle hit a match limit: the caller must not
 * produce text it could not search. */
int route_finder_each(const struct route_finder *finder, const char *text, size_t len,
                      route_span_cb *cb, void *ctx, char **error_r);

#endif
