/* route.c — routing rules: a small line-oriented rule file compiled to PCRE2 patterns and
 * matched over a message's subject and text.  The only user of PCRE2.
 *
 * The file is read by hand rather than with inih: inih cuts lines at 200 bytes and treats
 * ';' as a comment, and patterns need both long lines and ';'. */
#include "route.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <ctype.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* A rule file is configuration written by people, never this large. */
#define ROUTE_MAX_FILE (4u << 20)
/* Limits that keep a pathological pattern (e.g. "(a+)+$") from hanging the poller.  The JIT
 * honours only the match limit; the interpreter (the fallback) honours all three. */
#define ROUTE_MATCH_LIMIT 100000
#define ROUTE_DEPTH_LIMIT 1000
#define ROUTE_HEAP_LIMIT_KIB (64u * 1024)
/* Only the first MiB of a subject or text is matched.  The default rules scan about 2 MB/s
 * at worst, so a 100 MB body would hold the poller for most of a minute; what a person asks
 * a liaison is at the top of a message, not a megabyte down a forwarded thread. */
#define ROUTE_MAX_MATCH_BYTES (1u << 20)
/* \C could split a UTF-8 character and make the matcher read garbage: refuse it. */
#define ROUTE_COMPILE_OPTIONS \
	(PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MULTILINE | PCRE2_NEVER_BACKSLASH_C)

struct route_rule {
	char *name;
	unsigned line;           /* of its [rule NAME] header */
	pcre2_code **patterns;   /* any of them fires the rule */
	size_t n_patterns;
	int pattern_reported;    /* a pattern was given but reported: not also "no pattern" */
	pcre2_code **unless;     /* any of them suppresses it */
	size_t n_unless;
	char *category;          /* NULL: the rule sets no category */
	enum route_priority priority;
	int confidential;
	int reportable;
	struct strlist referrals;
	/* Lines where single-valued keys were set, to name repeats. */
	unsigned category_line, priority_line, confidential_line, reportable_line;
};

struct route_rules {
	struct route_rule *rules;
	size_t count;
	size_t cap;
	/* Read-only once loaded, so every thread may pass it to pcre2_match (pcre2api
	 * "MULTITHREADING": a context whose values never change can be shared). */
	pcre2_match_context *mcontext;
};

/* ---- loading ---------------------------------------------------------------------------- */

struct loader {
	const char *path;
	unsigned line;
	struct route_rules *rules;
	struct route_rule *cur;  /* the rule whose keys are being read, or NULL */
	int in_bad_section;      /* after a bad header: its keys were already reported with it */
	struct buf errors;
};

static void report(struct loader *ld, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void report(struct loader *ld, unsigned line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	/* The buffer's maximum only drops messages past a megabyte of errors. */
	(void)buf_addf(&ld->errors, "%s:%u: %s\n", ld->path, line, msg);
	free(msg);
}

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

static int is_name(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!is_name_char(*s))
			return 0;
	return 1;
}

static void rule_free(struct route_rule *r)
{
	free(r->name);
	for (size_t i = 0; i < r->n_patterns; i++)
		pcre2_code_free(r->patterns[i]);
	free(r->patterns);
	for (size_t i = 0; i < r->n_unless; i++)
		pcre2_code_free(r->unless[i]);
	free(r->unless);
	free(r->category);
	strlist_free(&r->referrals);
}

static struct route_rule *rule_find(struct route_rules *rules, const char *name)
{
	for (size_t i = 0; i < rules->count; i++)
		if (strcmp(rules->rules[i].name, name) == 0)
			return &rules->rules[i];
	return NULL;
}

/* "[rule NAME]" with spaces allowed inside the brackets. */
static void load_section(struct loader *ld, char *line)
{
	size_t n = strlen(line);
	ld->cur = NULL;
	ld->in_bad_section = 1;
	if (n < 2 || line[n - 1] != ']') {
		report(ld, ld->line, "section must be [rule NAME]");
		return;
	}
	line[n - 1] = '\0';
	char *inner = str_trim(line + 1);
	if (strncmp(inner, "rule", 4) != 0 || (inner[4] != ' ' && inner[4] != '\t')) {
		report(ld, ld->line, "section must be [rule NAME], not [%s]", inner);
		return;
	}
	char *name = str_trim(inner + 4);
	if (!is_name(name)) {
		report(ld, ld->line, "rule name '%s': use letters, digits, '-', '_' and '.'", name);
		return;
	}
	const struct route_rule *prev = rule_find(ld->rules, name);
	if (prev != NULL)
		/* Reported here and the rule still read, so its own lines are checked too. */
		report(ld, ld->line, "rule %s: duplicate rule name (first at line %u)", name,
		       prev->line);
	struct route_rules *rules = ld->rules;
	if (rules->count == rules->cap) {
		rules->cap = rules->cap ? rules->cap * 2 : 16;
		rules->rules = xrealloc(rules->rules, rules->cap * sizeof(*rules->rules));
	}
	struct route_rule *r = &rules->rules[rules->count++];
	memset(r, 0, sizeof(*r));
	r->name = xstrdup(name);
	r->line = ld->line;
	ld->cur = r;
	ld->in_bad_section = 0;
}

static pcre2_code *compile_pattern(struct loader *ld, const char *what, const char *value)
{
	int code;
	PCRE2_SIZE offset;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)value, PCRE2_ZERO_TERMINATED,
	                               ROUTE_COMPILE_OPTIONS, &code, &offset, NULL);
	if (re == NULL) {
		PCRE2_UCHAR msg[256];
		if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "error %d", code);
		report(ld, ld->line, "rule %s: %s does not compile at offset %zu: %s", ld->cur->name,
		       what, (size_t)offset, (const char *)msg);
		return NULL;
	}
	/* Without JIT (unsupported platform, no executable memory) the interpreter matches
	 * the same strings, only slower. */
	if (pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) != 0)
		log_debug("route: rule %s: %s runs without JIT", ld->cur->name, what);
	return re;
}

static void add_code(pcre2_code ***list, size_t *n, pcre2_code *re)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = re;
}

static int parse_yes_no(const char *value, int *flag_r)
{
	if (strcmp(value, "yes") == 0)
		*flag_r = 1;
	else if (strcmp(value, "no") == 0)
		*flag_r = 0;
	else
		return -1;
	return 0;
}

/* Names a key given twice; returns 0 when this is its first time. */
static int once(struct loader *ld, const char *key, unsigned *line_r)
{
	if (*line_r != 0) {
		report(ld, ld->line, "rule %s: %s given twice (first at line %u)", ld->cur->name, key,
		       *line_r);
		return -1;
	}
	*line_r = ld->line;
	return 0;
}

static void load_key(struct loader *ld, const char *key, const char *value)
{
	struct route_rule *r = ld->cur;
	if (strcmp(key, "pattern") == 0 || strcmp(key, "unless") == 0) {
		int is_pattern = key[0] == 'p';
		if (*value == '\0') {
			/* An empty pattern matches every message: surely a mistake. */
			report(ld, ld->line, "rule %s: empty %s", r->name, key);
			r->pattern_reported |= is_pattern;
			return;
		}
		pcre2_code *re = compile_pattern(ld, is_pattern ? "pattern" : "unless pattern", value);
		if (re == NULL) {
			r->pattern_reported |= is_pattern;
			return;
		}
		if (is_pattern)
			add_code(&r->patterns, &r->n_patterns, re);
		else
			add_code(&r->unless, &r->n_unless, re);
	} else if (strcmp(key, "category") == 0) {
		if (once(ld, key, &r->category_line) < 0)
			return;
		if (!is_name(value))
			report(ld, ld->line, "rule %s: bad category '%s'", r->name, value);
		else
			r->category = xstrdup(value);
	} else if (strcmp(key, "priority") == 0) {
		if (once(ld, key, &r->priority_line) < 0)
			return;
		if (strcmp(value, "urgent") == 0)
			r->priority = ROUTE_URGENT;
		else if (strcmp(value, "high") == 0)
			r->priority = ROUTE_HIGH;
		else if (strcmp(value, "normal") == 0)
			r->priority = ROUTE_NORMAL;
		else
			report(ld, ld->line, "rule %s: bad priority '%s' (urgent, high or normal)",
			       r->name, value);
	} else if (strcmp(key, "confidential") == 0) {
		if (once(ld, key, &r->confidential_line) == 0 &&
		    parse_yes_no(value, &r->confidential) < 0)
			report(ld, ld->line, "rule %s: bad confidential '%s' (yes or no)", r->name,
			       value);
	} else if (strcmp(key, "reportable") == 0) {
		if (once(ld, key, &r->reportable_line) == 0 &&
		    parse_yes_no(value, &r->reportable) < 0)
			report(ld, ld->line, "rule %s: bad reportable '%s' (yes or no)", r->name, value);
	} else if (strcmp(key, "referral") == 0) {
		if (!is_name(value))
			report(ld, ld->line, "rule %s: bad referral '%s'", r->name, value);
		else
			strlist_add_unique(&r->referrals, value);
	} else {
		report(ld, ld->line, "rule %s: unknown key '%s'", r->name, key);
	}
}

static void load_line(struct loader *ld, char *line)
{
	char *s = line;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0' || *s == '#')
		return;
	if (*s == '[') {
		load_section(ld, str_trim(s));
		return;
	}
	char *eq = strchr(s, '=');
	if (eq == NULL) {
		report(ld, ld->line, "expected KEY = VALUE");
		return;
	}
	*eq = '\0';
	const char *key = str_trim(s);
	const char *value = str_trim(eq + 1);
	if (ld->cur == NULL) {
		if (!ld->in_bad_section)
			report(ld, ld->line, "%s outside a [rule NAME] section", key);
		return;
	}
	load_key(ld, key, value);
}

/* A match context with the limits that keep any pattern from hanging us, or NULL. */
static pcre2_match_context *match_context_new(void)
{
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	if (mc != NULL) {
		pcre2_set_match_limit(mc, ROUTE_MATCH_LIMIT);
		pcre2_set_depth_limit(mc, ROUTE_DEPTH_LIMIT);
		pcre2_set_heap_limit(mc, ROUTE_HEAP_LIMIT_KIB);
	}
	return mc;
}

int route_rules_load(const char *path, struct route_rules **rules_r, char **errors_r)
{
	*rules_r = NULL;
	*errors_r = NULL;
	char *data = NULL;
	size_t len = 0;
	char *error = NULL;
	if (file_read_all(path, ROUTE_MAX_FILE, &data, &len, &error) < 0) {
		*errors_r = xasprintf("%s\n", error);
		free(error);
		return -1;
	}
	struct route_rules *rules = xcalloc(1, sizeof(*rules));
	struct loader ld = {.path = path, .rules = rules};
	buf_init(&ld.errors, 1 << 20);

	size_t start = 0;
	while (start < len) {
		size_t end = start;
		while (end < len && data[end] != '\n')
			end++;
		ld.line++;
		char *line = data + start;
		size_t n = end - start;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		line[n] = '\0';
		if (strlen(line) != n)
			report(&ld, ld.line, "NUL byte in line");
		else
			load_line(&ld, line);
		start = end + 1;
	}
	free(data);

	for (size_t i = 0; i < rules->count; i++)
		if (rules->rules[i].n_patterns == 0 && !rules->rules[i].pattern_reported)
			report(&ld, rules->rules[i].line, "rule %s: no pattern", rules->rules[i].name);

	if (ld.errors.len > 0) {
		*errors_r = buf_steal(&ld.errors, NULL);
		route_rules_free(&rules);
		return -1;
	}
	buf_free(&ld.errors);
	rules->mcontext = match_context_new();
	if (rules->mcontext == NULL) {
		*errors_r = xasprintf("%s: out of memory for the match context\n", path);
		route_rules_free(&rules);
		return -1;
	}
	*rules_r = rules;
	return 0;
}

size_t route_rules_count(const struct route_rules *rules)
{
	return rules != NULL ? rules->count : 0;
}

void route_rules_free(struct route_rules **rules)
{
	struct route_rules *r = *rules;
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->count; i++)
		rule_free(&r->rules[i]);
	free(r->rules);
	pcre2_match_context_free(r->mcontext);
	free(r);
	*rules = NULL;
}

/* ---- matching --------------------------------------------------------------------------- */

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
static char *subject_copy(const char *s, size_t len, size_t *len_r)
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

struct subject {
	const char *s;
	size_t len;
};

enum match_outcome { MATCH_NO = 0, MATCH_YES = 1, MATCH_SKIPPED = -1 };

/* Matches one compiled pattern; *rc_r holds PCRE2's code when the outcome is unknown. */
static enum match_outcome match_code(const struct route_rules *rules, const pcre2_code *re,
                                     const struct subject *subj, pcre2_match_data *md, int *rc_r)
{
	/* subject_copy made the input valid UTF-8. */
	int rc = pcre2_match(re, (PCRE2_SPTR)subj->s, subj->len, 0, PCRE2_NO_UTF_CHECK, md,
	                     rules->mcontext);
	/* The JIT's stack is small and fixed; the interpreter keeps its frames on the heap
	 * under the depth and heap limits, so give it the second try. */
	if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
		rc = pcre2_match(re, (PCRE2_SPTR)subj->s, subj->len, 0,
		                 PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT, md, rules->mcontext);
	if (rc >= 0) /* 0: matched, the one-pair ovector was too small for the groups */
		return MATCH_YES;
	if (rc == PCRE2_ERROR_NOMATCH)
		return MATCH_NO;
	*rc_r = rc;
	return MATCH_SKIPPED;
}

/* Any of codes matching any subject: MATCH_YES as soon as one matches, else MATCH_SKIPPED
 * when some could not be decided, else MATCH_NO. */
static enum match_outcome match_any(const struct route_rules *rules, pcre2_code *const *codes,
                                    size_t n, const struct subject *subjects, size_t n_subjects,
                                    pcre2_match_data *md, int *rc_r)
{
	enum match_outcome out = MATCH_NO;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n_subjects; j++) {
			enum match_outcome o = match_code(rules, codes[i], &subjects[j], md, rc_r);
			if (o == MATCH_YES)
				return MATCH_YES;
			if (o == MATCH_SKIPPED)
				out = MATCH_SKIPPED;
		}
	return out;
}

static void rule_apply(const struct route_rule *r, struct route_result *result)
{
	strlist_add(&result->rules, r->name);
	if (r->category != NULL)
		strlist_add_unique(&result->categories, r->category);
	for (size_t i = 0; i < r->referrals.count; i++)
		strlist_add_unique(&result->referrals, r->referrals.items[i]);
	if (r->priority > result->priority)
		result->priority = r->priority;
	result->confidential |= r->confidential;
	result->reportable |= r->reportable;
}

static const char *limit_name(int rc)
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

void route_match(const struct route_rules *rules, const char *subject, const char *text,
                 struct route_result *result)
{
	memset(result, 0, sizeof(*result));
	struct subject subjects[1];
	char *owned[2] = {NULL, NULL};
	size_t n = 0;
	/* One subject: the Subject, a blank line, the text.  Every pattern then runs once per
	 * message, not twice (half the matching time); with PCRE2_MULTILINE a pattern anchored
	 * at a line still sees the Subject as a line of its own. */
	const char *parts[2] = {subject ? subject : "", text ? text : ""};
	size_t lens[2];
	for (size_t i = 0; i < 2; i++) {
		size_t len = strnlen(parts[i], ROUTE_MAX_MATCH_BYTES + 1);
		if (len > ROUTE_MAX_MATCH_BYTES) {
			/* Cut before a character, not inside one. */
			len = ROUTE_MAX_MATCH_BYTES;
			while (len > ROUTE_MAX_MATCH_BYTES - 3 &&
			       ((unsigned char)parts[i][len] & 0xC0) == 0x80)
				len--;
		}
		lens[i] = len;
	}
	if (lens[0] + lens[1] > 0) {
		struct buf joined;
		buf_init(&joined, SIZE_MAX);
		buf_add(&joined, parts[0], lens[0]);
		buf_add(&joined, "\n\n", 2);
		buf_add(&joined, parts[1], lens[1]);
		owned[1] = buf_steal(&joined, NULL);
		owned[0] = subject_copy(owned[1], lens[0] + 2 + lens[1], &subjects[0].len);
		subjects[0].s = owned[0];
		n = 1;
	}
	if (rules == NULL || n == 0)
		goto out;
	/* Match data per call: nothing mutable is shared between threads.  Only whether a
	 * pattern matched matters, so one ovector pair is enough. */
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	if (md == NULL)
		abort(); /* out of memory stops the program (docs/conventions.md "Errors") */
	for (size_t i = 0; i < rules->count; i++) {
		const struct route_rule *r = &rules->rules[i];
		int rc = 0;
		enum match_outcome o = match_any(rules, r->patterns, r->n_patterns, subjects, n, md,
		                                 &rc);
		if (o == MATCH_YES && r->n_unless > 0) {
			enum match_outcome u = match_any(rules, r->unless, r->n_unless, subjects, n, md,
			                                 &rc);
			/* An unless that cannot be decided leaves the rule undecided too. */
			o = u == MATCH_YES ? MATCH_NO : u == MATCH_SKIPPED ? MATCH_SKIPPED : MATCH_YES;
		}
		if (o == MATCH_YES) {
			rule_apply(r, result);
		} else if (o == MATCH_SKIPPED) {
			log_warn("route: rule %s skipped for a message: %s (PCRE2 %d)", r->name,
			         limit_name(rc), rc);
			strlist_add(&result->skipped, r->name);
		}
	}
	pcre2_match_data_free(md);
out:
	free(owned[0]);
	free(owned[1]);
}

void route_result_clear(struct route_result *result)
{
	strlist_free(&result->rules);
	strlist_free(&result->categories);
	strlist_free(&result->referrals);
	strlist_free(&result->skipped);
	result->priority = ROUTE_NORMAL;
	result->confidential = 0;
	result->reportable = 0;
}

const char *route_priority_name(enum route_priority priority)
{
	switch (priority) {
	case ROUTE_URGENT:
		return "urgent";
	case ROUTE_HIGH:
		return "high";
	case ROUTE_NORMAL:
	default:
		return "normal";
	}
}

/* Compiles pattern with options; NULL with *error_r saying where and why it does not. */
static pcre2_code *compile_or_say(const char *pattern, uint32_t options, char **error_r)
{
	int code;
	PCRE2_SIZE offset;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, options, &code,
	                               &offset, NULL);
	if (re == NULL) {
		PCRE2_UCHAR msg[256];
		if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "error %d", code);
		*error_r = xasprintf("the pattern does not compile at offset %zu: %s", (size_t)offset,
		                     (const char *)msg);
	}
	return re;
}

int route_pattern_check(const char *pattern, char **error_r)
{
	pcre2_code *re = compile_or_say(pattern, ROUTE_COMPILE_OPTIONS, error_r);
	if (re == NULL)
		return -1;
	pcre2_code_free(re);
	return 0;
}

void route_rules_categories(const struct route_rules *rules, struct strlist *categories)
{
	for (size_t i = 0; rules != NULL && i < rules->count; i++)
		if (rules->rules[i].category != NULL)
			strlist_add_unique(categories, rules->rules[i].category);
}

/* ---- whole-value patterns (configured formats) ------------------------------------------ */

/* A format is matched against the whole value and as written: case matters in an incident
 * number's prefix, and no newline may end a value early. */
#define ROUTE_WHOLE_OPTIONS \
	(PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_DOLLAR_ENDONLY | \
	 PCRE2_NEVER_BACKSLASH_C)

static pcre2_code *whole_compile(const char *pattern, char **error_r)
{
	return compile_or_say(pattern, ROUTE_WHOLE_OPTIONS, error_r);
}

int route_whole_check(const char *pattern, char **error_r)
{
	pcre2_code *re = whole_compile(pattern, error_r);
	if (re == NULL)
		return -1;
	pcre2_code_free(re);
	return 0;
}

int route_whole_match(const char *pattern, const char *value, char **error_r)
{
	pcre2_code *re = whole_compile(pattern, error_r);
	if (re == NULL)
		return -1;
	pcre2_match_context *mc = match_context_new();
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int result = -1;
	if (mc == NULL || md == NULL) {
		*error_r = xstrdup("out of memory for the match");
	} else {
		/* PCRE2 checks the value is UTF-8: a stray byte is simply no match. */
		int rc = pcre2_match(re, (PCRE2_SPTR)value, strlen(value), 0, 0, md, mc);
		if (rc >= 0)
			result = 1;
		else if (rc == PCRE2_ERROR_NOMATCH || (rc <= PCRE2_ERROR_UTF8_ERR1 &&
		                                       rc >= PCRE2_ERROR_UTF8_ERR21))
			result = 0;
		else
			*error_r = xasprintf("the pattern could not be matched (%s)", limit_name(rc));
	}
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	pcre2_code_free(re);
	return result;
}

/* ---- finding spans (redaction) ---------------------------------------------------------- */

struct route_finder {
	pcre2_code **codes;
	size_t n;
	pcre2_match_context *mcontext;
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

int route_finder_new(const struct route_needle *needles, size_t n, struct route_finder **finder_r,
                     char **error_r)
{
	struct route_finder *f = xcalloc(1, sizeof(*f));
	f->codes = xcalloc(n ? n : 1, sizeof(*f->codes));
	for (size_t i = 0; i < n; i++) {
		char *literal = needles[i].literal ? literal_pattern(needles[i].text) : NULL;
		const char *pattern = literal ? literal : needles[i].text;
		int code;
		PCRE2_SIZE offset;
		/* MATCH_INVALID_UTF: stored text is UTF-8, but a stray byte must not stop a
		 * redaction from being found around it. */
		f->codes[i] = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
		                            ROUTE_COMPILE_OPTIONS | PCRE2_MATCH_INVALID_UTF, &code,
		                            &offset, NULL);
		free(literal);
		if (f->codes[i] == NULL) {
			PCRE2_UCHAR msg[256];
			if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
				snprintf((char *)msg, sizeof(msg), "error %d", code);
			*error_r = xasprintf("pattern %zu does not compile at offset %zu: %s", i + 1,
			                     (size_t)offset, (const char *)msg);
			route_finder_free(&f);
			return -1;
		}
		pcre2_jit_compile(f->codes[i], PCRE2_JIT_COMPLETE);
		f->n++;
	}
	f->mcontext = match_context_new();
	if (f->mcontext == NULL) {
		*error_r = xstrdup("out of memory for a match context");
		route_finder_free(&f);
		return -1;
	}
	*finder_r = f;
	return 0;
}

void route_finder_free(struct route_finder **finder)
{
	struct route_finder *f = *finder;
	if (f == NULL)
		return;
	for (size_t i = 0; i < f->n; i++)
		pcre2_code_free(f->codes[i]);
	free(f->codes);
	pcre2_match_context_free(f->mcontext);
	free(f);
	*finder = NULL;
}

int route_finder_each(const struct route_finder *f, const char *text, size_t len,
                      route_span_cb *cb, void *ctx, char **error_r)
{
	if (f->n == 0 || len == 0)
		return 0;
	/* a padded copy for the JIT's block reads (see SUBJECT_PAD); offsets are unchanged */
	char *copy = xmalloc(len + SUBJECT_PAD);
	memcpy(copy, text, len);
	memset(copy + len, 0, SUBJECT_PAD);
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int result = 0;
	for (size_t i = 0; i < f->n && result == 0; i++) {
		PCRE2_SIZE start = 0;
		uint32_t options = 0;
		while (start <= len) {
			int rc = pcre2_match(f->codes[i], (PCRE2_SPTR)copy, len, start, options, md,
			                     f->mcontext);
			if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
				rc = pcre2_match(f->codes[i], (PCRE2_SPTR)copy, len, start,
				                 options | PCRE2_NO_JIT, md, f->mcontext);
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
				                     limit_name(rc));
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
