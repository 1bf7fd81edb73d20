/* Unit tests: route.c — the default rules of config/routes.conf on short English and Spanish
 * messages, the rule-file format and its errors, the match limits, bad UTF-8, threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <fcntl.h>
#include <pthread.h>
#include <time.h>

#include "pattern.h"
#include "route.h"
#include "test_helpers.h"

#define DEFAULT_RULES "config/routes.conf" /* the tests run from the repository root */

static char *joined(const struct strlist *l)
{
	struct buf b;
	buf_init(&b, 1 << 16);
	for (size_t i = 0; i < l->count; i++)
		(void)buf_addf(&b, "%s%s", i ? "," : "", l->items[i]);
	return buf_steal(&b, NULL);
}

static struct route_rules *load_ok(const char *path)
{
	struct route_rules *rules = NULL;
	char *errors = NULL;
	int rc = route_rules_load(path, &rules, &errors);
	if (rc != 0)
		fprintf(stderr, "%s", errors);
	assert_int_equal(rc, 0);
	assert_null(errors);
	assert_non_null(rules);
	return rules;
}

/* Writes content to a new file and loads it; returns the errors (caller frees) or NULL. */
static char *load_text(const char *content, char **path_r, struct route_rules **rules_r)
{
	char *dir = test_tmpdir();
	assert_non_null(dir);
	char *path = xasprintf("%s/routes.conf", dir);
	free(dir);
	test_write_file(path, content);
	struct route_rules *rules = NULL;
	char *errors = NULL;
	int rc = route_rules_load(path, &rules, &errors);
	assert_int_equal(rc, errors != NULL ? -1 : 0);
	if (rc < 0)
		assert_null(rules);
	if (rules_r != NULL)
		*rules_r = rules;
	else
		route_rules_free(&rules);
	if (path_r != NULL)
		*path_r = path;
	else
		free(path);
	return errors;
}

/* The shipped rules alone, without their [model] section: these tests are of the rules; the
 * routing model has its own (test_route_model.c) and its measure (bench/route-eval.sh). */
static int setup_defaults(void **state)
{
	char *text = NULL, *error = NULL;
	size_t len = 0;
	assert_int_equal(file_read_all(DEFAULT_RULES, 1 << 20, &text, &len, &error), 0);
	struct buf alone;
	buf_init(&alone, 1 << 20);
	int in_model = 0;
	for (char *line = text, *next; line != NULL && *line; line = next) {
		next = strchr(line, '\n');
		size_t n = next ? (size_t)(++next - line) : strlen(line);
		if (line[0] == '[')
			in_model = strncmp(line, "[model]", 7) == 0;
		if (!in_model)
			assert_int_equal(buf_add(&alone, line, n), 0);
	}
	free(text);
	char *dir = test_tmpdir();
	char *path = xasprintf("%s/routes.conf", dir);
	test_write_file(path, alone.data);
	buf_free(&alone);
	*state = load_ok(path);
	assert_null(route_rules_model(*state));
	free(path);
	free(dir);
	return 0;
}

static int teardown_defaults(void **state)
{
	struct route_rules *rules = *state;
	route_rules_free(&rules);
	return 0;
}

/* ---- the default rules ------------------------------------------------------------------ */

struct route_case {
	const char *subject;
	const char *text;
	const char *categories;  /* exactly, in rule-file order; "" for none */
	enum route_priority priority;
	int confidential;
	int reportable;
	const char *referrals;   /* exactly; NULL: not checked */
};

static void check_case(const struct route_rules *rules, const struct route_case *c)
{
	struct route_result r;
	route_match(rules, c->subject, c->text, &r);
	char *cats = joined(&r.categories);
	if (strcmp(cats, c->categories) != 0 || r.priority != c->priority ||
	    r.confidential != c->confidential || r.reportable != c->reportable)
		fprintf(stderr, "case: %s | %s\n  got [%s] %s conf=%d rep=%d\n",
		        c->subject ? c->subject : "(null)", c->text ? c->text : "(null)", cats,
		        route_priority_name(r.priority), r.confidential, r.reportable);
	assert_string_equal(cats, c->categories);
	assert_int_equal(r.priority, c->priority);
	assert_int_equal(r.confidential, c->confidential);
	assert_int_equal(r.reportable, c->reportable);
	if (c->referrals != NULL) {
		char *refs = joined(&r.referrals);
		assert_string_equal(refs, c->referrals);
		free(refs);
	}
	assert_int_equal(r.skipped.count, 0);
	free(cats);
	route_result_clear(&r);
}

#define N ROUTE_NORMAL
#define H ROUTE_HIGH
#define U ROUTE_URGENT

/* Every [rule NAME] section of the shipped file is loaded, counted here from the file. */
static void test_defaults_loaded(void **state)
{
	const struct route_rules *rules = *state;
	char *text = NULL, *error = NULL;
	size_t len = 0;
	assert_int_equal(file_read_all(DEFAULT_RULES, 1 << 20, &text, &len, &error), 0);
	size_t sections = 0;
	for (const char *p = text; p != NULL; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		sections += strncmp(p, "[rule ", 6) == 0;
	free(text);
	assert_true(sections >= 13); /* the categories DESIGN.md names */
	assert_int_equal(route_rules_count(rules), sections);
}

static void test_default_emergencies(void **state)
{
	static const struct route_case cases[] = {
		{"URGENT", "A man is outside with a gun threatening my neighbor.", "emergency", U, 0, 0, ""},
		{NULL, "He has a knife and says he will come back tonight.", "emergency", U, 0, 0, ""},
		{NULL, "Someone just got shot outside the store on Park St.", "emergency", U, 0, 0, ""},
		{NULL, "My friend took a bunch of pills and won't answer.", "emergency", U, 0, 0, ""},
		{NULL, "I think my brother is suicidal.", "emergency", U, 0, 0, ""},
		{NULL, "She says she wants to die.", "emergency", U, 0, 0, ""},
		{NULL, "Somebody is breaking in next door right now!", "emergency", U, 0, 0, ""},
		{"HELP NOW", "Please.", "emergency", U, 0, 0, ""},
		{NULL, "¡Hay un hombre con una pistola en la calle!", "emergency", U, 0, 0, ""},
		{NULL, "Mi hermana se tomó muchas pastillas.", "emergency", U, 0, 0, ""},
		{NULL, "Mi amigo dice que quiere morir.", "emergency", U, 0, 0, ""},
		{NULL, "Nos están amenazando ahora mismo.", "emergency", U, 0, 0, ""},
		{NULL, "Estamos en peligro.", "emergency", U, 0, 0, ""},
		/* Not emergencies. */
		{"Suggestion", "More foot patrols downtown would be great.", "suggestion", N, 0, 0, ""},
		{NULL, "Is the clinic in Putnam giving the flu shot this week?", "", N, 0, 0, ""},
		{NULL, "I got my flu shot and now I am shooting you a question.", "", N, 0, 0, ""},
		{NULL, "My kids want a water gun fight at the picnic.", "event-request", N, 0, 0, ""},
		{NULL, "Thanks for the help now that the road is fixed.", "", N, 0, 0, ""},
		{NULL, "My dad needs help remembering to take his pills.", "", N, 0, 0, ""},
		{NULL, "Vamos a vacunarnos: ¿dónde ponen la vacuna?", "", N, 0, 0, ""},
		{NULL, "How do I renew my pistol permit?", "", N, 0, 0, ""},
		{NULL, "We are shooting a short video about the town.", "", N, 0, 0, ""},
		{NULL, "The suicide prevention walk is May 3, can a trooper attend?", "event-request", N,
		 0, 0, ""},
		{NULL, "¿Cómo saco un permiso de armas?", "", N, 0, 0, ""},
		/* A permit named beside a real threat does not hide it. */
		{NULL, "I have a gun permit but my neighbor pulled a gun on me.", "emergency", U, 0, 0, ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(*state, &cases[i]);
}

static void test_default_disclosures(void **state)
{
	static const struct route_case cases[] = {
		{NULL, "Someone painted a swastika on our fence.", "hate-crime", H, 0, 1, "victim-advocate"},
		{NULL, "Our mosque got a threatening voicemail last night.", "hate-crime", H, 0, 1, NULL},
		{NULL, "A neighbor keeps yelling racial slurs at us.", "hate-crime", H, 0, 1, NULL},
		{NULL, "Alguien dejó mensajes de odio en la escuela.", "hate-crime", H, 0, 1, NULL},
		{NULL, "Vandalizaron la sinagoga del pueblo.", "hate-crime", H, 0, 1, NULL},
		{NULL, "My husband hits me when he drinks.", "domestic-violence", H, 1, 1,
		 "dv-hotline,victim-advocate"},
		{NULL, "My sister is being abused by her boyfriend.", "domestic-violence", H, 1, 1, NULL},
		{NULL, "I am afraid to go home tonight.", "domestic-violence", H, 1, 1, NULL},
		{NULL, "My ex-husband still sends me threatening texts.", "domestic-violence", H, 1, 1, NULL},
		{NULL, "Mi esposo me pega.", "domestic-violence", H, 1, 1, NULL},
		{NULL, "Mi pareja grita mucho y tengo miedo.", "domestic-violence", H, 1, 1, NULL},
		{NULL, "I was sexually assaulted in college.", "sexual-assault", H, 1, 1,
		 "victim-advocate"},
		{NULL, "I was raped by someone I knew.", "sexual-assault", H, 1, 1, NULL},
		{NULL, "Fui víctima de abuso sexual.", "sexual-assault", H, 1, 1, NULL},
		{NULL, "I think my neighbor is hurting his kids.", "child-abuse", H, 1, 1, "dss"},
		{NULL, "Quiero denunciar abuso infantil.", "child-abuse", H, 1, 1, "dss"},
		/* "tengo miedo" alone is not domestic violence; "violación de tráfico" is no rape. */
		{NULL, "Tengo miedo de manejar en la nieve.", "", N, 0, 0, ""},
		{NULL, "Me dieron una multa por una violación de tráfico y fue grosero.",
		 "negative-interaction", N, 0, 0, ""},
		/* Places of worship in ordinary mail. */
		{NULL, "I am the new pastor at Grace Baptist Church.", "", N, 0, 0, ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(*state, &cases[i]);
}

static void test_default_program_mail(void **state)
{
	static const struct route_case cases[] = {
		{NULL, "The trooper who stopped me was rude.", "negative-interaction", N, 0, 0, ""},
		{NULL, "I felt profiled at a traffic stop.", "negative-interaction", N, 0, 0, ""},
		{"Queja", "El policía fue grosero.", "negative-interaction", N, 0, 0, ""},
		{"Invitation", "Could a trooper attend our community day?", "event-request", N, 0, 0, ""},
		{NULL, "We'd like to host Coffee with a Cop in June.", "event-request", N, 0, 0, ""},
		{NULL, "Tenemos un evento en la biblioteca.", "event-request", N, 0, 0, ""},
		{NULL, "We were evicted and need housing.", "services", N, 0, 0, "211,dss"},
		{NULL, "My mother needs heating assistance.", "services", N, 0, 0, "211,dss"},
		{NULL, "Necesitamos comida.", "services", N, 0, 0, "211,dss"},
		{NULL, "Can I talk to a victim advocate?", "victim-services", N, 0, 0, "victim-advocate"},
		{NULL, "¿Dónde hay un defensor de víctimas?", "victim-services", N, 0, 0, NULL},
		{NULL, "I have a suggestion about the intersection.", "suggestion", N, 0, 0, ""},
		{NULL, "Una sugerencia: más patrullas.", "suggestion", N, 0, 0, ""},
		{NULL, "How do I become a state trooper?", "recruiting", N, 0, 0, ""},
		{NULL, "Mi hijo quiere ser policía.", "recruiting", N, 0, 0, ""},
		{NULL, "Will troopers ask about my immigration status?", "immigration-question", N, 1, 0, ""},
		{NULL, "¿Preguntan por los papeles?", "immigration-question", N, 1, 0, ""},
		{NULL, "Will you call ICE?", "immigration-question", N, 1, 0, ""},
		{NULL, "We had ice on the road all week.", "", N, 0, 0, ""},
		{NULL, "I'm a reporter with the local newspaper.", "media", N, 0, 0, ""},
		{NULL, "Soy periodista.", "media", N, 0, 0, ""},
		{NULL, "As a teacher I am a mandated reporter.", "", N, 0, 0, ""},
		{"Hello", "What is the best way to reach your office during the week?", "", N, 0, 0, ""},
		{"Hola", "¿Cómo puedo comunicarme con su oficina?", "", N, 0, 0, ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(*state, &cases[i]);
}

static void test_default_multi_match(void **state)
{
	static const struct route_case cases[] = {
		/* Highest priority wins; flags and referrals add up without repeats. */
		{NULL, "My husband is beating me right now and he has a gun.",
		 "emergency,domestic-violence", U, 1, 1, "dv-hotline,victim-advocate"},
		{NULL, "My ex hits me and we have nowhere to go, no food either.",
		 "domestic-violence,services", H, 1, 1, "dv-hotline,victim-advocate,211,dss"},
		{NULL, "My boyfriend raped me and hits me.", "domestic-violence,sexual-assault", H, 1, 1,
		 "dv-hotline,victim-advocate"},
		{"Career fair invitation", "Also, my daughter wants to become a trooper.",
		 "event-request,recruiting", N, 0, 0, ""},
		/* The subject counts as much as the text. */
		{"Suggestion", "Foot patrols downtown.", "suggestion", N, 0, 0, ""},
		{"Sexual assault", NULL, "sexual-assault", H, 1, 1, NULL},
		{NULL, NULL, "", N, 0, 0, ""},
		{"", "", "", N, 0, 0, ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(*state, &cases[i]);

	struct route_result r;
	route_match(*state, NULL, "My husband is beating me right now and he has a gun.", &r);
	char *names = joined(&r.rules);
	assert_string_equal(names, "emergency-weapon,emergency-danger-now,domestic-violence");
	free(names);
	route_result_clear(&r);
}

/* Bytes that are not UTF-8 are read as U+FFFD: no crash, the rest still matches. */
static void test_invalid_utf8(void **state)
{
	static const char *const texts[] = {
		"\xff\xfe a man with a gun \xc3",          /* stray bytes, truncated sequence */
		"he pulled a gun \xc0\xaf overlong",         /* overlong '/' */
		"\xed\xa0\x80 surrogate, shots fired",        /* UTF-16 surrogate */
		"\xf4\x90\x80\x80 past U+10FFFF, with a gun", /* too large */
		"g\x80un with a gun",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct route_result r;
		route_match(*state, "\xe2\x82", texts[i], &r);
		assert_int_equal(r.categories.count, 1);
		assert_string_equal(r.categories.items[0], "emergency");
		assert_int_equal(r.skipped.count, 0);
		route_result_clear(&r);
	}
	/* Valid multi-byte text in both languages is untouched. */
	struct route_result r;
	route_match(*state, "Invitación", "Señora Núñez — evento el sábado", &r);
	assert_int_equal(r.categories.count, 1);
	assert_string_equal(r.categories.items[0], "event-request");
	route_result_clear(&r);
}

/* Only the first MiB of a text is matched (route.c ROUTE_MAX_MATCH_BYTES), cut before a
 * character rather than inside one (which would read as bad UTF-8, i.e. U+FFFD). */
static void test_long_text(void **state)
{
	struct route_rules *rules = NULL;
	char *errors = load_text("[rule gun]\npattern = gun\n"
	                         "[rule replaced]\npattern = \\x{FFFD}\n"
	                         "[rule euro]\npattern = \xe2\x82\xac\n", NULL, &rules);
	assert_null(errors);
	size_t mib = 1u << 20, n = 2 * mib + 16;
	char *text = xmalloc(n + 1);
	memset(text, 'x', n);
	text[n] = '\0';
	memcpy(text, "gun ", 4);
	memcpy(text + mib - 1, "\xe2\x82\xac", 3); /* the cut falls inside this euro sign */
	struct route_result r;
	route_match(rules, NULL, text, &r);
	char *names = joined(&r.rules);
	assert_string_equal(names, "gun");
	free(names);
	route_result_clear(&r);

	memcpy(text, "xxx", 3);
	memcpy(text + mib - 2, "gun", 3); /* straddles the cut */
	memcpy(text + n - 4, "gun", 3);
	route_match(rules, NULL, text, &r);
	assert_int_equal(r.rules.count, 0);
	route_result_clear(&r);
	free(text);
	route_rules_free(&rules);
}

/* ---- the file format -------------------------------------------------------------------- */

static void test_format(void **state)
{
	struct buf long_pattern;
	buf_init(&long_pattern, 1 << 16);
	(void)buf_addstr(&long_pattern, "pattern = \\b(?:zz0");
	for (int i = 1; i < 60; i++)
		(void)buf_addf(&long_pattern, "|zz%d", i);
	(void)buf_addstr(&long_pattern, "|semi;colon|hash#mark)\\b\n");
	assert_true(long_pattern.len > 300);
	char *content = xasprintf(
		"# comment\n"
		"   # indented comment\n"
		"\n"
		"[rule first]\n"
		"%s"
		"category = one\n"
		"priority = high\n"
		"confidential = yes\n"
		"reportable = no\n"
		"referral = 211\n"
		"referral = dss\n"
		"referral = 211\n"
		"\r\n"
		"[ rule   second ]\r\n"
		"pattern = (?-i:CAPS)\r\n"
		"pattern =    a = b   \r\n"
		"unless = never\r\n"
		"category = two\r\n"
		"[rule third.x_3]\n"
		"pattern = ^starts$\n",
		long_pattern.data);
	buf_free(&long_pattern);
	struct route_rules *rules = NULL;
	char *errors = load_text(content, NULL, &rules);
	free(content);
	assert_null(errors);
	assert_int_equal(route_rules_count(rules), 3);

	struct route_result r;
	route_match(rules, NULL, "a semi;colon here", &r);
	assert_int_equal(r.rules.count, 1);
	assert_string_equal(r.rules.items[0], "first");
	char *refs = joined(&r.referrals);
	assert_string_equal(refs, "211,dss");
	free(refs);
	assert_int_equal(r.priority, ROUTE_HIGH);
	assert_true(r.confidential);
	assert_false(r.reportable);
	route_result_clear(&r);

	route_match(rules, NULL, "zz59 and hash#mark", &r);
	assert_int_equal(r.rules.count, 1);
	route_result_clear(&r);

	/* Inline (?-i) makes part of a pattern case-sensitive; values are literal after '='. */
	route_match(rules, "caps", "x a = b y", &r);
	assert_int_equal(r.rules.count, 1);
	assert_string_equal(r.rules.items[0], "second");
	route_result_clear(&r);
	route_match(rules, "caps", NULL, &r);
	assert_int_equal(r.rules.count, 0);
	route_result_clear(&r);
	route_match(rules, "CAPS but never", NULL, &r);
	assert_int_equal(r.rules.count, 0); /* unless */
	route_result_clear(&r);

	/* MULTILINE: ^ and $ at every line. */
	route_match(rules, NULL, "first line\nStarts\nlast", &r);
	assert_int_equal(r.rules.count, 1);
	assert_string_equal(r.rules.items[0], "third.x_3");
	assert_int_equal(r.categories.count, 0); /* a rule may set no category */
	route_result_clear(&r);
	route_rules_free(&rules);
	assert_null(rules);
}

static void test_every_bad_line_reported(void **state)
{
	static const char content[] =
		"category = stray\n"                 /* 1 */
		"[rule good]\n"                      /* 2 */
		"pattern = fine\n"                   /* 3 */
		"colour = blue\n"                    /* 4 */
		"priority = critical\n"              /* 5 */
		"confidential = maybe\n"             /* 6 */
		"reportable = 1\n"                   /* 7 */
		"referral = two words\n"             /* 8 */
		"category = a\n"                     /* 9 */
		"category = b\n"                     /* 10 */
		"no equals sign here\n"              /* 11 */
		"pattern = (abc\n"                   /* 12 */
		"unless = [z-a]\n"                   /* 13 */
		"pattern =\n"                        /* 14 */
		"[section]\n"                        /* 15 */
		"pattern = ignored\n"                /* 16: belongs to the bad section */
		"[rule]\n"                           /* 17 */
		"[rule bad name!]\n"                 /* 18 */
		"[rule good]\n"                      /* 19 */
		"pattern = again\n"                  /* 20 */
		"[rule empty]\n"                     /* 21 */
		"category = nothing\n"               /* 22 */
		"[rule last\n";                      /* 23 */
	char *path = NULL;
	char *errors = load_text(content, &path, NULL);
	assert_non_null(errors);
	static const char *const expected[] = {
		":1: category outside a [rule NAME] section\n",
		":4: rule good: unknown key 'colour'\n",
		":5: rule good: bad priority 'critical' (urgent, high or normal)\n",
		":6: rule good: bad confidential 'maybe' (yes or no)\n",
		":7: rule good: bad reportable '1' (yes or no)\n",
		":8: rule good: bad referral 'two words'\n",
		":10: rule good: category given twice (first at line 9)\n",
		":11: expected KEY = VALUE\n",
		":12: rule good: pattern does not compile at offset 4: missing closing parenthesis\n",
		":13: rule good: unless pattern does not compile at offset 3: range out of order in "
		"character class\n",
		":14: rule good: empty pattern\n",
		":15: section must be [rule NAME] or [model], not [section]\n",
		":17: section must be [rule NAME] or [model], not [rule]\n",
		":18: rule name 'bad name!': use letters, digits, '-', '_' and '.'\n",
		":19: rule good: duplicate rule name (first at line 2)\n",
		":21: rule empty: no pattern\n",
		":23: section must be [rule NAME] or [model]\n",
	};
	size_t lines = 0;
	for (const char *p = errors; *p; p++)
		lines += *p == '\n';
	if (lines != sizeof(expected) / sizeof(expected[0]))
		fprintf(stderr, "%s", errors);
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		char *want = xasprintf("%s%s", path, expected[i]);
		if (strstr(errors, want) == NULL)
			fprintf(stderr, "missing: %s in:\n%s", want, errors);
		assert_non_null(strstr(errors, want));
		free(want);
	}
	assert_int_equal(lines, sizeof(expected) / sizeof(expected[0]));
	free(errors);
	free(path);
}

static void test_missing_file(void **state)
{
	struct route_rules *rules = NULL;
	char *errors = NULL;
	assert_int_equal(route_rules_load("/nonexistent/routes.conf", &rules, &errors), -1);
	assert_null(rules);
	assert_string_equal(errors, "/nonexistent/routes.conf: No such file or directory\n");
	free(errors);
}

static void test_empty_file(void **state)
{
	struct route_rules *rules = NULL;
	char *errors = load_text("# nothing yet\n", NULL, &rules);
	assert_null(errors);
	assert_int_equal(route_rules_count(rules), 0);
	struct route_result r;
	route_match(rules, "gun", "gun", &r);
	assert_int_equal(r.rules.count, 0);
	route_result_clear(&r);
	route_rules_free(&rules);
	route_rules_free(&rules); /* NULL-safe */
	assert_int_equal(route_rules_count(NULL), 0);
}

/* ---- limits ----------------------------------------------------------------------------- */

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs route_match with stderr going to a file; returns what was logged (caller frees). */
static char *match_logged(const struct route_rules *rules, const char *subject, const char *text,
                          struct route_result *r, double *seconds_r)
{
	char *dir = test_tmpdir();
	char *path = xasprintf("%s/stderr", dir);
	free(dir);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
	double t0 = now_seconds();
	route_match(rules, subject, text, r);
	*seconds_r = now_seconds() - t0;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	char *logged = NULL;
	size_t len;
	char *error = NULL;
	assert_int_equal(file_read_all(path, 1 << 20, &logged, &len, &error), 0);
	free(path);
	return logged;
}

static size_t count_of(const char *haystack, const char *needle)
{
	size_t n = 0;
	for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

static void test_catastrophic_backtracking(void **state)
{
	/* (a+)+$ on a run of 'a' ending in 'b' takes exponential time without a limit.  The
	 * second copy forces the interpreter, whose depth and heap limits apply too; the last
	 * rule's unless is just as bad, which leaves it undecided, so skipped as well. */
	static const char content[] =
		"[rule before]\npattern = aaa\ncategory = before\npriority = high\n"
		"[rule evil]\npattern = (a+)+$\ncategory = evil\npriority = urgent\n"
		"[rule evil-interp]\npattern = (*NO_JIT)(a+)+$\ncategory = evil\n"
		"[rule evil-unless]\npattern = b\nunless = (*NO_JIT)(?:a|aa)+$\ncategory = evil\n"
		/* Deep enough to overflow the JIT's stack: retried in the interpreter, which stops
		 * at its depth limit. */
		"[rule evil-deep]\npattern = ^(?:(a)|b)*b$\ncategory = evil\n"
		"[rule fine]\npattern = a+b\ncategory = fine\n"
		"[rule other]\npattern = nothing here\nunless = (a+)+$\ncategory = other\n";
	struct route_rules *rules = NULL;
	char *errors = load_text(content, NULL, &rules);
	assert_null(errors);

	size_t n = 30000;
	char *text = xmalloc(n + 2);
	memset(text, 'a', n);
	text[n] = 'b';
	text[n + 1] = '\0';
	struct route_result r;
	double seconds;
	char *logged = match_logged(rules, text, text, &r, &seconds);
	assert_true(seconds < 5.0);
	char *skipped = joined(&r.skipped);
	assert_string_equal(skipped, "evil,evil-interp,evil-unless,evil-deep");
	free(skipped);
	char *names = joined(&r.rules);
	assert_string_equal(names, "before,fine");
	free(names);
	char *cats = joined(&r.categories);
	assert_string_equal(cats, "before,fine");
	free(cats);
	assert_int_equal(r.priority, ROUTE_HIGH);
	/* Each skipped rule logged once, though it failed on the subject and the text. */
	assert_int_equal(count_of(logged, "rule evil skipped"), 1);
	assert_int_equal(count_of(logged, "rule evil-interp skipped"), 1);
	assert_int_equal(count_of(logged, "rule evil-unless skipped"), 1);
	assert_int_equal(count_of(logged, "rule evil-deep skipped"), 1);
	assert_int_equal(count_of(logged, "skipped"), 4);
	free(logged);
	route_result_clear(&r);

	/* A short subject decides the same rules normally. */
	route_match(rules, "aaab", NULL, &r);
	assert_int_equal(r.skipped.count, 0);
	cats = joined(&r.categories);
	assert_string_equal(cats, "before,evil,fine");
	free(cats);
	route_result_clear(&r);
	free(text);
	route_rules_free(&rules);
}

/* ---- threads ---------------------------------------------------------------------------- */

static const char *const thread_texts[] = {
	"My husband hits me and I have nowhere to go.",
	"Could a trooper attend our career fair?",
	"Hay un hombre con una pistola ahora mismo.",
	"Just a suggestion: more patrols.",
	"Hello, how do I reach you?",
};
#define N_TEXTS (sizeof(thread_texts) / sizeof(thread_texts[0]))

struct thread_job {
	const struct route_rules *rules;
	const char *expected[N_TEXTS];
	int failures;
};

static void *thread_main(void *arg)
{
	struct thread_job *job = arg;
	for (int round = 0; round < 300; round++)
		for (size_t i = 0; i < N_TEXTS; i++) {
			struct route_result r;
			route_match(job->rules, NULL, thread_texts[i], &r);
			char *cats = joined(&r.categories);
			job->failures += strcmp(cats, job->expected[i]) != 0;
			free(cats);
			route_result_clear(&r);
		}
	return NULL;
}

static void test_threads(void **state)
{
	struct thread_job jobs[4];
	char *expected[N_TEXTS];
	for (size_t i = 0; i < N_TEXTS; i++) {
		struct route_result r;
		route_match(*state, NULL, thread_texts[i], &r);
		expected[i] = joined(&r.categories);
		route_result_clear(&r);
	}
	assert_string_equal(expected[0], "domestic-violence,services");
	pthread_t tids[4];
	for (size_t t = 0; t < 4; t++) {
		jobs[t].rules = *state;
		jobs[t].failures = 0;
		for (size_t i = 0; i < N_TEXTS; i++)
			jobs[t].expected[i] = expected[i];
		assert_int_equal(pthread_create(&tids[t], NULL, thread_main, &jobs[t]), 0);
	}
	for (size_t t = 0; t < 4; t++) {
		pthread_join(tids[t], NULL);
		assert_int_equal(jobs[t].failures, 0);
	}
	for (size_t i = 0; i < N_TEXTS; i++)
		free(expected[i]);
}

static void test_priority_names(void **state)
{
	assert_string_equal(route_priority_name(ROUTE_NORMAL), "normal");
	assert_string_equal(route_priority_name(ROUTE_HIGH), "high");
	assert_string_equal(route_priority_name(ROUTE_URGENT), "urgent");
}

/* The categories the rules set, for the liaisons' vocabulary: each once, in file order. */
static void test_categories_listed(void **state)
{
	struct strlist cats = {0};
	route_rules_categories(*state, &cats);
	assert_true(strlist_contains(&cats, "services"));
	assert_true(strlist_contains(&cats, "domestic-violence"));
	for (size_t i = 0; i < cats.count; i++)
		for (size_t j = i + 1; j < cats.count; j++)
			assert_string_not_equal(cats.items[i], cats.items[j]);
	strlist_free(&cats);
}

/* A configured format matches the whole value, case as written, no trailing newline. */
static void test_whole_match(void **state)
{
	char *error = NULL;
	const char *rms = "CSP-[0-9]{4}-[0-9]{6}";
	assert_int_equal(pattern_whole_check(rms, &error), 0);
	assert_int_equal(pattern_whole_match(rms, "CSP-2026-004411", &error), 1);
	assert_int_equal(pattern_whole_match(rms, "csp-2026-004411", &error), 0);
	assert_int_equal(pattern_whole_match(rms, "CSP-2026-0044111", &error), 0);
	assert_int_equal(pattern_whole_match(rms, "xCSP-2026-004411", &error), 0);
	assert_int_equal(pattern_whole_match(rms, "CSP-2026-004411\n", &error), 0);
	assert_int_equal(pattern_whole_match("a|b", "ab", &error), 0);
	assert_int_equal(pattern_whole_match("[0-9]+$", "12", &error), 1);
	assert_null(error);
	assert_int_equal(pattern_whole_check("CSP-(", &error), -1);
	assert_non_null(strstr(error, "does not compile at offset"));
	free(error);
	error = NULL;
	assert_int_equal(pattern_whole_match("(", "x", &error), -1);
	assert_non_null(error);
	free(error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_loaded),
		cmocka_unit_test(test_default_emergencies),
		cmocka_unit_test(test_default_disclosures),
		cmocka_unit_test(test_default_program_mail),
		cmocka_unit_test(test_default_multi_match),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_categories_listed),
	};
	const struct CMUnitTest file_tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_every_bad_line_reported),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_long_text),
		cmocka_unit_test(test_catastrophic_backtracking),
		cmocka_unit_test(test_priority_names),
		cmocka_unit_test(test_whole_match),
	};
	int failed = cmocka_run_group_tests_name("route: default rules", tests, setup_defaults,
	                                         teardown_defaults);
	failed += cmocka_run_group_tests_name("route: file format and limits", file_tests, NULL,
	                                      NULL);
	return failed;
}
