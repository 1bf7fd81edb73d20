/* Unit tests: what a report says to people (report_heading.c) and how the HTML and PDF
 * renderers use it — the configuration's agency and program (the program's default), the
 * period's dates and the partial period's note at fixed instants in New York (daylight time
 * and standard time), durations in their units, display names and the unassigned rows of
 * each troop, labels of keys; a monthly report's HTML with a total row in each table and no
 * raw field name shown, and its PDF on Letter and A4. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "report_heading.h"
#include "report_pdf.h"
#include "report_render.h"
#include "test_helpers.h"

#define OCT_20 1792497600 /* 2026-10-20T12:00:00Z: 08:00 EDT */
#define NOV_05 1793880000 /* 2026-11-05T12:00:00Z: 07:00 EST */

static struct config *load(const char *content)
{
	char *dir = test_tmpdir();
	char *path = xasprintf("%s/liaison.conf", dir);
	test_write_file(path, content);
	char *errors = NULL;
	struct config *config = NULL;
	assert_int_equal(config_load(path, &config, &errors), 0);
	assert_null(errors);
	free(path);
	free(dir);
	return config;
}

static const char conf_text[] =
	"[liaison]\ndatabase = x.db\nagency = Connecticut State Police\n\n"
	"[mailbox K]\ntroop = K\naddress = TroopKCTL@ct.gov\n\n"
	"[mailbox L]\ntroop = L\naddress = TroopLCTL@ct.gov\n\n"
	"[user reyes]\nrole = ctl\ntroops = K\ndisplay_name = Tpr. Maria Reyes\n\n"
	"[user walsh]\nrole = ctl\ntroops = K\n";

static void new_york(void)
{
	setenv("TZ", "America/New_York", 1);
	tzset();
}

static void test_config_keys(void **state)
{
	(void)state;
	struct config *c = load(conf_text);
	assert_string_equal(c->agency, "Connecticut State Police");
	assert_string_equal(c->program, "Community Trust Liaison Program"); /* the default */
	config_free(&c);
	c = load("[liaison]\ndatabase = x.db\nprogram = Trust and Outreach\n");
	assert_null(c->agency);
	assert_string_equal(c->program, "Trust and Outreach");
	config_free(&c);
}

/* A monthly report of October 2026 with rows for reyes, walsh and each troop's unassigned
 * threads, built by hand (report.c's figures are tested elsewhere). */
static struct report_monthly *october(void)
{
	struct report_monthly *r = xcalloc(1, sizeof(*r));
	snprintf(r->month, sizeof(r->month), "2026-10");
	assert_int_equal(report_window(2026, 10, 1, &r->from, &r->to), 0);
	const char *who[] = {"reyes", "walsh", "unassigned", "unassigned"};
	const char *troops[] = {"K", "K", "K", "L"};
	r->n_rows = 4;
	r->rows = xcalloc(r->n_rows, sizeof(*r->rows));
	for (size_t i = 0; i < r->n_rows; i++) {
		r->rows[i].officer = xstrdup(who[i]);
		r->rows[i].troops = xstrdup(troops[i]);
		r->rows[i].stats.received = (int64_t)i + 1;
		report_stats_add_time(&r->rows[i].stats, 16200);
		report_stats_merge(&r->total, &r->rows[i].stats);
	}
	return r;
}

static void test_heading(void **state)
{
	(void)state;
	new_york();
	struct config *c = load(conf_text);
	struct report_monthly *r = october();
	struct report_meta during = {c, OCT_20}, after = {c, NOV_05};
	struct report_heading h;
	report_heading_monthly(&during, r, &h);
	assert_string_equal(h.agency, "Connecticut State Police");
	assert_string_equal(h.program, "Community Trust Liaison Program");
	assert_string_equal(h.period, "1\u201331 October 2026");
	assert_string_equal(h.generated, "Generated 20 October 2026 at 08:00 EDT");
	assert_string_equal(h.partial, "Partial period: figures to 20 October 2026; the period ends "
	                               "31 October 2026");
	report_heading_free(&h);
	report_heading_monthly(&after, r, &h);
	assert_null(h.partial);
	assert_string_equal(h.generated, "Generated 5 November 2026 at 07:00 EST");
	report_heading_free(&h);
	struct report_meta ahead = {c, OCT_20 - 30 * 86400}; /* 20 September */
	report_heading_monthly(&ahead, r, &h);
	assert_string_equal(h.partial, "Not begun: the period starts 1 October 2026; there are no "
	                               "figures yet");
	report_heading_free(&h);

	struct report_quarterly q = {.n_troops = 0};
	snprintf(q.quarter, sizeof(q.quarter), "2026Q4");
	assert_int_equal(report_window(2026, 10, 3, &q.from, &q.to), 0);
	report_heading_quarterly(&after, &q, &h);
	assert_string_equal(h.period, "Q4 2026: 1 October \u2013 31 December 2026");
	assert_string_equal(h.partial, "Partial period: figures to 5 November 2026; the period ends "
	                               "31 December 2026");
	report_heading_free(&h);
	report_monthly_free(&r);
	config_free(&c);
}

static void test_words(void **state)
{
	(void)state;
	char d[48];
	const struct { int64_t s; const char *text; } durations[] = {
		{-1, "\u2013"}, {0, "0 min"}, {59, "1 min"}, {119, "1 min"}, {3599, "59 min"}, {3600, "1 h 0 min"},
		{16200, "4 h 30 min"}, {86399, "23 h 59 min"}, {180000, "2 d 2 h"},
	};
	for (size_t i = 0; i < sizeof(durations) / sizeof(*durations); i++) {
		report_duration_text(durations[i].s, d, sizeof(d));
		assert_string_equal(d, durations[i].text);
	}
	report_quarter_label("2026Q3", d, sizeof(d));
	assert_string_equal(d, "Q3 2026");
	report_quarter_label("2026Q5", d, sizeof(d)); /* not a quarter: as written */
	assert_string_equal(d, "2026Q5");
	report_quarter_label("2026Q1x", d, sizeof(d));
	assert_string_equal(d, "2026Q1x");
	struct config *c = load(conf_text);
	struct report_meta meta = {c, OCT_20};
	struct report_row rows[] = {
		{.officer = "reyes", .troops = "K"}, {.officer = "walsh", .troops = "K"},
		{.officer = "unassigned", .troops = "K"}, {.officer = "unassigned", .troops = "L"},
	};
	const char *names[] = {"Tpr. Maria Reyes", "walsh", "Unassigned, troop K", "Unassigned, troop L"};
	for (size_t i = 0; i < 4; i++) {
		char *n = report_row_name(&meta, &rows[i]);
		assert_string_equal(n, names[i]);
		free(n);
	}
	const char *keys[][2] = {{"community-group", "Community group"}, {"1-4 h", "1-4 h"},
	                         {"none", "No category"}, {"school", "School"}};
	for (size_t i = 0; i < 4; i++) {
		char *l = report_key_label(keys[i][0]);
		assert_string_equal(l, keys[i][1]);
		free(l);
	}
	for (int m = 0; m < RM_COUNT; m++)
		assert_null(strchr(report_metric_labels[m], '_')); /* labels, not field names */
	/* a bar's label: a long one keeps its start and its end, 28 characters in all */
	struct report_counts counts = {0};
	report_counts_add(&counts, "school", 2);
	report_counts_add(&counts, "trooper-first-class-alexandria-montgomery-fitzgerald-12", 1);
	struct report_bars bars;
	report_bars_counts(&counts, &bars);
	assert_int_equal(bars.n, 2);
	assert_string_equal(bars.labels[0], "School");
	assert_string_equal(bars.labels[1], "Trooper first\u2026 fitzgerald-12");
	assert_int_equal(bars.values[1], 1);
	report_bars_free(&bars);
	for (size_t i = 0; i < counts.count; i++)
		free(counts.items[i].key);
	free(counts.items);
	config_free(&c);
}

__attribute__((noinline)) static char *render(void (*fn)(FILE *, struct report_monthly *, const struct report_meta *),
                    struct report_monthly *r, const struct report_meta *meta)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	fn(out, r, meta);
	fclose(out);
	return text;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;
	for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
		n++;
	return n;
}

static void test_html_and_pdf(void **state)
{
	(void)state;
	new_york();
	struct config *c = load(conf_text);
	struct report_monthly *r = october();
	struct report_meta meta = {c, NOV_05};
	char *page = render(report_monthly_html, r, &meta);
	/* two tables of officers, each with a total row */
	assert_int_equal(count(page, "<table class="), 2);
	assert_int_equal(count(page, "<tfoot><tr class=\"total\"><th scope=\"row\" class=\"text\">Total"), 2);
	assert_non_null(strstr(page, "data-field=\"emails_received\" data-value=\"10\">10<"));
	assert_non_null(strstr(page, ">4 h 30 min<"));
	assert_non_null(strstr(page, ">Tpr. Maria Reyes<"));
	/* its row in each table and its bar */
	assert_int_equal(count(page, ">Unassigned, troop K<"), 3);
	assert_int_equal(count(page, ">Unassigned, troop L<"), 3);
	assert_null(strstr(page, ">emails_received<"));
	assert_null(strstr(page, "Partial period"));
	assert_non_null(strstr(page, "<title>Connecticut State Police: Monthly report: all liaisons "
	                             "and troops, 1\u201331 October 2026</title>"));
	free(page);

	for (int paper = 0; paper < 2; paper++) {
		char *pdf = NULL;
		size_t len = 0;
		char *error = NULL;
		FILE *out = open_memstream(&pdf, &len);
		assert_int_equal(report_monthly_pdf(out, r, &meta, (enum report_paper)paper, &error), 0);
		fclose(out);
		assert_true(len > 1000 && memcmp(pdf, "%PDF-", 5) == 0);
		const char *box = paper == REPORT_PAPER_A4 ? "/MediaBox [ 0 0 595.2" : "/MediaBox [ 0 0 612 792 ]";
		assert_non_null(memmem(pdf, len, box, strlen(box))); /* (binary: no strstr) */
		free(pdf);
	}
	report_monthly_free(&r);
	config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_keys),
		cmocka_unit_test(test_heading),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_html_and_pdf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
