/* route.h — routing rules (PCRE2, through pattern.h): named patterns over a message's subject
 * and text that set categories, priority and flags and suggest referrals; and, when the
 * rules file names one in its [model] section, the routing model (route_model.h), whose
 * categories carry what the rules of the same category set.
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
struct route_model;

/* What the rules say of one message.  Strings are owned by the result. */
struct route_result {
	struct strlist rules;       /* names of the rules that matched, in file order;
	                               "model:CATEGORY" for what the model found, "held:RULE"
	                               for a rule it held back (vetoed says why) */
	struct strlist categories;  /* categories set by them, first match first, no repeats */
	struct strlist referrals;   /* suggested referral service ids, no repeats */
	enum route_priority priority; /* the highest any matching rule set */
	int confidential;           /* some matching rule said confidential = yes */
	int reportable;             /* some matching rule said reportable = yes */
	struct strlist skipped;     /* rules skipped because they hit a match or depth limit */
	struct strlist vetoed;      /* rules held back because the model found a look-alike:
	                               "RULE (look-alike P, CATEGORY P)" */
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
/* The same, given what lang_detect (lang.h) says of this subject and text, which the routing
 * model needs and the caller may know already; NULL to have it found. */
void route_match_language(const struct route_rules *rules, const char *subject,
                          const char *text, const char *language, struct route_result *result);
void route_result_clear(struct route_result *result);

const char *route_priority_name(enum route_priority priority);

/* 1 when s may name a rule, a category or a referral: letters, digits, '-', '_' and '.'. */
int route_is_name(const char *s);

/* The model of the rules file's [model] section, or NULL (route_model.h). */
const struct route_model *route_rules_model(const struct route_rules *rules);

/* Adds the categories the rules set to categories (file order, no repeats). */
void route_rules_categories(const struct route_rules *rules, struct strlist *categories);

#endif
