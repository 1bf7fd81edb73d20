/* route.c — routing rules: a small line-oriented rule file compiled to PCRE2 patterns and
 * matched over a message's subject and text (PCRE2, through pattern.c).
 *
 * The file is read by hand rather than with inih: inih cuts lines at 200 bytes and treats
 * ';' as a comment, and patterns need both long lines and ';'. */
#include "route.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pattern.h"
#include "route_model.h"

/* A rule file is configuration written by people, never this large. */
#define ROUTE_MAX_FILE (4u << 20)
/* Only the first MiB of a subject or text is matched.  The default rules scan about 2 MB/s
 * at worst, so a 100 MB body would hold the poller for most of a minute; what a person asks
 * a liaison is at the top of a message, not a megabyte down a forwarded thread. */
#define ROUTE_MAX_MATCH_BYTES (1u << 20)
struct route_rule {
	char *name;
	unsigned line;           /* of its [rule NAME] header */
	struct pattern **patterns; /* any of them fires the rule */
	size_t n_patterns;
	int pattern_reported;    /* a pattern was given but reported: not also "no pattern" */
	struct pattern **unless; /* any of them suppresses it */
	size_t n_unless;
	char *category;          /* NULL: the rule sets no category */
	enum route_priority priority;
	int confidential;
	int reportable;
	struct strlist referrals;
	/* Lines where single-valued keys were set, to name repeats. */
	unsigned category_line, priority_line, confidential_line, reportable_line;
};

/* What a category found by the model means: what the rules of that category set. */
struct model_category {
	enum route_priority priority;
	int confidential;
	int reportable;
	struct strlist referrals;
};

struct route_rules {
	struct route_rule *rules;
	size_t count;
	size_t cap;
	/* Read-only once loaded, so every thread may match with it. */
	struct pattern_limits *limits;
	struct route_model *model;          /* [model] file, or NULL */
	unsigned model_line;
	struct model_category *model_categories; /* one per model category */
};

/* ---- loading ---------------------------------------------------------------------------- */

struct loader {
	const char *path;
	unsigned line;
	struct route_rules *rules;
	struct route_rule *cur;  /* the rule whose keys are being read, or NULL */
	int in_bad_section;      /* after a bad header: its keys were already reported with it */
	int in_model;            /* in the [model] section */
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

int route_is_name(const char *s)
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
		pattern_free(&r->patterns[i]);
	free(r->patterns);
	for (size_t i = 0; i < r->n_unless; i++)
		pattern_free(&r->unless[i]);
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
		report(ld, ld->line, "section must be [rule NAME] or [model]");
		return;
	}
	line[n - 1] = '\0';
	char *inner = str_trim(line + 1);
	ld->in_model = 0;
	if (strcmp(inner, "model") == 0) {
		if (ld->rules->model_line != 0)
			report(ld, ld->line, "[model] given twice (first at line %u)",
			       ld->rules->model_line);
		ld->rules->model_line = ld->line;
		ld->in_model = 1;
		ld->in_bad_section = 0;
		return;
	}
	if (strncmp(inner, "rule", 4) != 0 || (inner[4] != ' ' && inner[4] != '\t')) {
		report(ld, ld->line, "section must be [rule NAME] or [model], not [%s]", inner);
		return;
	}
	char *name = str_trim(inner + 4);
	if (!route_is_name(name)) {
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

static struct pattern *compile_pattern(struct loader *ld, const char *what, const char *value)
{
	char *why = NULL;
	struct pattern *re = pattern_compile(value, PATTERN_RULE, &why);
	if (re == NULL) {
		report(ld, ld->line, "rule %s: %s %s", ld->cur->name, what, why);
		free(why);
		return NULL;
	}
	if (!pattern_jit(re))
		log_debug("route: rule %s: %s runs without JIT", ld->cur->name, what);
	return re;
}

static void add_code(struct pattern ***list, size_t *n, struct pattern *re)
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
		struct pattern *re = compile_pattern(ld, is_pattern ? "pattern" : "unless pattern", value);
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
		if (!route_is_name(value))
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
		if (!route_is_name(value))
			report(ld, ld->line, "rule %s: bad referral '%s'", r->name, value);
		else
			strlist_add_unique(&r->referrals, value);
	} else {
		report(ld, ld->line, "rule %s: unknown key '%s'", r->name, key);
	}
}

/* [model] file = PATH: relative to the rules file's folder. */
static void load_model_key(struct loader *ld, const char *key, const char *value)
{
	if (strcmp(key, "file") != 0) {
		report(ld, ld->line, "[model]: unknown key '%s' (file)", key);
		return;
	}
	if (ld->rules->model != NULL) {
		report(ld, ld->line, "[model]: file given twice");
		return;
	}
	char *path;
	const char *slash = strrchr(ld->path, '/');
	if (value[0] == '/' || slash == NULL)
		path = xstrdup(value);
	else
		path = xasprintf("%.*s/%s", (int)(slash - ld->path), ld->path, value);
	char *error = NULL;
	if (route_model_load(path, &ld->rules->model, &error) < 0) {
		report(ld, ld->line, "[model]: %s", error);
		free(error);
	}
	free(path);
}

/* What each model category means, from the rules of that category: a category no rule sets
 * would be found with no priority, no flag and no referral, surely not what was meant. */
static void model_categories_make(struct loader *ld)
{
	struct route_rules *rules = ld->rules;
	if (rules->model == NULL)
		return;
	size_t nc = route_model_category_count(rules->model);
	rules->model_categories = xcalloc(nc, sizeof(*rules->model_categories));
	for (size_t c = 0; c < nc; c++) {
		const char *name = route_model_category(rules->model, c);
		struct model_category *mc = &rules->model_categories[c];
		if (strcmp(name, ROUTE_MODEL_LOOKALIKE) == 0)
			continue; /* it sets nothing: it only holds back rules (model_vetoes) */
		int found = 0;
		for (size_t i = 0; i < rules->count; i++) {
			const struct route_rule *r = &rules->rules[i];
			if (r->category == NULL || strcmp(r->category, name) != 0)
				continue;
			found = 1;
			if (r->priority > mc->priority)
				mc->priority = r->priority;
			mc->confidential |= r->confidential;
			mc->reportable |= r->reportable;
			for (size_t k = 0; k < r->referrals.count; k++)
				strlist_add_unique(&mc->referrals, r->referrals.items[k]);
		}
		if (!found)
			report(ld, rules->model_line,
			       "[model]: the model's category %s is set by no rule here, so nothing says "
			       "its priority, flags and referrals", name);
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
	if (ld->in_model) {
		load_model_key(ld, key, value);
		return;
	}
	if (ld->cur == NULL) {
		if (!ld->in_bad_section)
			report(ld, ld->line, "%s outside a [rule NAME] section", key);
		return;
	}
	load_key(ld, key, value);
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
	model_categories_make(&ld);

	if (ld.errors.len > 0) {
		*errors_r = buf_steal(&ld.errors, NULL);
		route_rules_free(&rules);
		return -1;
	}
	buf_free(&ld.errors);
	rules->limits = pattern_limits_new();
	if (rules->limits == NULL) {
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
	if (r->model != NULL) {
		for (size_t c = 0; r->model_categories && c < route_model_category_count(r->model); c++)
			strlist_free(&r->model_categories[c].referrals);
		free(r->model_categories);
		route_model_free(&r->model);
	}
	if (r->limits != NULL)
		pattern_limits_free(&r->limits);
	free(r);
	*rules = NULL;
}

/* ---- matching --------------------------------------------------------------------------- */

struct subject {
	const char *s;
	size_t len;
};

enum match_outcome { MATCH_NO = 0, MATCH_YES = 1, MATCH_SKIPPED = -1 };

/* Matches one compiled pattern; *rc_r holds PCRE2's code when the outcome is unknown. */
static enum match_outcome match_code(const struct route_rules *rules, const struct pattern *re,
                                     const struct subject *subj, struct pattern_scratch *md,
                                     int *rc_r)
{
	int rc = pattern_search(re, rules->limits, subj->s, subj->len, md);
	if (rc == 1)
		return MATCH_YES;
	if (rc == 0)
		return MATCH_NO;
	*rc_r = rc;
	return MATCH_SKIPPED;
}

/* Any of codes matching any subject: MATCH_YES as soon as one matches, else MATCH_SKIPPED
 * when some could not be decided, else MATCH_NO. */
static enum match_outcome match_any(const struct route_rules *rules,
                                    struct pattern *const *codes, size_t n,
                                    const struct subject *subjects, size_t n_subjects,
                                    struct pattern_scratch *md, int *rc_r)
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

static long model_index(const struct route_model *model, const char *category)
{
	for (size_t c = 0; c < route_model_category_count(model); c++)
		if (strcmp(route_model_category(model, c), category) == 0)
			return (long)c;
	return -1;
}

/* A look-alike's probability from which the model may hold a rule back, and how far below
 * the rule's category threshold the model must then score it. */
#define LOOKALIKE_LIKELY 0.5
#define FAR_BELOW 4

/* When the model finds a message only reads like danger (an awareness walk, a trap-shooting
 * fundraiser, "me quiero morir de la vergüenza"), a rule whose category the model scores and
 * does not find is held back: named in result->vetoed, its category not set.  Sure of the
 * look-alike (its threshold), any such rule; only likely (LOOKALIKE_LIKELY), a rule whose
 * category the model scores far below its threshold.  The model's own findings are never
 * held back, and a rule of a category the model does not score stands. */
static void model_vetoes(const struct route_rules *rules, const double *p, unsigned char *fired,
                         struct route_result *result)
{
	long la = model_index(rules->model, ROUTE_MODEL_LOOKALIKE);
	if (la < 0 || p[la] < LOOKALIKE_LIKELY)
		return;
	int sure = p[la] >= route_model_threshold(rules->model, (size_t)la);
	for (size_t i = 0; i < rules->count; i++) {
		const struct route_rule *r = &rules->rules[i];
		if (!fired[i] || r->category == NULL)
			continue;
		long c = model_index(rules->model, r->category);
		double threshold = c >= 0 ? route_model_threshold(rules->model, (size_t)c) : 0;
		if (c < 0 || p[c] >= threshold || (!sure && p[c] >= threshold / FAR_BELOW))
			continue;
		fired[i] = 0;
		char *why = xasprintf("%s (look-alike %.2f, %s %.2f)", r->name, p[la], r->category,
		                      p[c]);
		strlist_add(&result->vetoed, why);
		/* kept where it is stored (the placement's rules, "held:NAME"), where a rule
		 * wrongly held back is found with its message; the log knows no message */
		log_debug("route: rule %s held back: %s", r->name, why);
		free(why);
		char *held = xasprintf("held:%s", r->name);
		strlist_add(&result->rules, held);
		free(held);
	}
}

/* The model's categories that no rule found, each with what the rules of its category set,
 * named "model:CATEGORY" among the rules that matched. */
static void model_apply(const struct route_rules *rules, const double *p,
                        struct route_result *result)
{
	for (size_t c = 0; c < route_model_category_count(rules->model); c++) {
		const char *name = route_model_category(rules->model, c);
		if (strcmp(name, ROUTE_MODEL_LOOKALIKE) == 0 ||
		    p[c] < route_model_threshold(rules->model, c) ||
		    strlist_contains(&result->categories, name))
			continue;
		const struct model_category *mc = &rules->model_categories[c];
		char *rule = xasprintf("model:%s", name);
		strlist_add(&result->rules, rule);
		free(rule);
		strlist_add_unique(&result->categories, name);
		for (size_t i = 0; i < mc->referrals.count; i++)
			strlist_add_unique(&result->referrals, mc->referrals.items[i]);
		if (mc->priority > result->priority)
			result->priority = mc->priority;
		result->confidential |= mc->confidential;
		result->reportable |= mc->reportable;
	}
}

void route_match(const struct route_rules *rules, const char *subject, const char *text,
                 struct route_result *result)
{
	route_match_language(rules, subject, text, NULL, result);
}

void route_match_language(const struct route_rules *rules, const char *subject,
                          const char *text, const char *language, struct route_result *result)
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
		owned[0] = pattern_subject_copy(owned[1], lens[0] + 2 + lens[1], &subjects[0].len);
		subjects[0].s = owned[0];
		n = 1;
	}
	if (rules == NULL || n == 0)
		goto out;
	/* Match data per call: nothing mutable is shared between threads. */
	struct pattern_scratch *md = pattern_scratch_new();
	unsigned char *fired = xcalloc(rules->count + 1, 1);
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
			fired[i] = 1;
		} else if (o == MATCH_SKIPPED) {
			log_warn("route: rule %s skipped for a message: %s (PCRE2 %d)", r->name,
			         pattern_error_name(rc), rc);
			strlist_add(&result->skipped, r->name);
		}
	}
	pattern_scratch_free(&md);
	double p[ROUTE_MODEL_MAX_CATEGORIES];
	if (rules->model != NULL) {
		struct route_features f;
		route_features_hashes(subject, text, language, &f);
		route_model_score(rules->model, &f, p);
		route_features_free(&f);
		model_vetoes(rules, p, fired, result);
	}
	for (size_t i = 0; i < rules->count; i++)
		if (fired[i])
			rule_apply(&rules->rules[i], result);
	if (rules->model != NULL)
		model_apply(rules, p, result);
	free(fired);
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
	strlist_free(&result->vetoed);
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

void route_rules_categories(const struct route_rules *rules, struct strlist *categories)
{
	for (size_t i = 0; rules != NULL && i < rules->count; i++)
		if (rules->rules[i].category != NULL)
			strlist_add_unique(categories, rules->rules[i].category);
}

const struct route_model *route_rules_model(const struct route_rules *rules)
{
	return rules != NULL ? rules->model : NULL;
}
