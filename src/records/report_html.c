/* report_html.c — the reports as one printable HTML page: inline CSS with a print
 * stylesheet, charts as inline SVG, no JavaScript and nothing fetched; every value that
 * comes from the database is escaped. */
#include "report_render.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "util.h"

static void esc(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*s, out);
		}
	}
}

static void page_start(FILE *out, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>", out);
	esc(out, title);
	fputs("</title>\n<style>\n"
	      "body{font:11pt/1.35 Georgia,serif;margin:2em auto;max-width:60em;color:#111}\n"
	      "h1{font-size:16pt}h2{font-size:13pt;border-bottom:1px solid #888;margin-top:1.6em}\n"
	      "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #bbb;"
	      "padding:2px 6px;text-align:right}th:first-child,td:first-child{text-align:left}\n"
	      "svg{display:block;margin:.5em 0}.bar{fill:#3a5f8f}.axis{stroke:#444}"
	      "svg text{font:9px sans-serif}\n"
	      "@media print{body{margin:0;max-width:none;font-size:10pt}"
	      "h2{page-break-after:avoid}table,svg{page-break-inside:avoid}"
	      "@page{size:letter;margin:1.5cm}}\n"
	      "</style></head><body>\n<h1>", out);
	esc(out, title);
	fputs("</h1>\n", out);
}

static void page_end(FILE *out)
{
	fputs("</body></html>\n", out);
}

/* A bar chart: n bars with labels, scaled to the largest value. */
static void bar_chart(FILE *out, const char *title, const char *const *labels,
                      const int64_t *values, size_t n)
{
	int64_t max = 1;
	for (size_t i = 0; i < n; i++)
		if (values[i] > max)
			max = values[i];
	const int height = 140, base = 160, bw = n > 10 ? 32 : 60;
	int width = 40 + (int)n * (bw + 8);
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"200\" "
	             "role=\"img\" aria-label=\"", width);
	esc(out, title);
	fputs("\"><title>", out);
	esc(out, title);
	fputs("</title>\n", out);
	fprintf(out, "<line class=\"axis\" x1=\"30\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", base, width,
	        base);
	for (size_t i = 0; i < n; i++) {
		int h = (int)(values[i] * height / max);
		int x = 36 + (int)i * (bw + 8);
		fprintf(out, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>"
		             "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%" PRId64 "</text>"
		             "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
		        x, base - h, bw, h, x + bw / 2, base - h - 3, values[i], x + bw / 2, base + 12);
		esc(out, labels[i]);
		fputs("</text>\n", out);
	}
	fputs("</svg>\n", out);
}

static void counts_chart(FILE *out, const char *title, const struct report_counts *c)
{
	if (c->count == 0)
		return;
	const char **labels = xcalloc(c->count, sizeof(*labels));
	int64_t *values = xcalloc(c->count, sizeof(*values));
	for (size_t i = 0; i < c->count; i++) {
		labels[i] = c->items[i].key;
		values[i] = c->items[i].n;
	}
	bar_chart(out, title, labels, values, c->count);
	free(labels);
	free(values);
}

static void duration(int64_t s, char *out, size_t size)
{
	if (s < 0)
		snprintf(out, size, "-");
	else
		snprintf(out, size, "%.1f h", (double)s / 3600.0);
}

static void counts_cell(FILE *out, const struct report_counts *c)
{
	fputs("<td>", out);
	for (size_t i = 0; i < c->count; i++) {
		if (i)
			fputs(", ", out);
		esc(out, c->items[i].key);
		fprintf(out, " %" PRId64, c->items[i].n);
	}
	fputs("</td>", out);
}

static void stats_details(FILE *out, struct report_stats *s)
{
	if (s->n_unable) {
		fputs("<p>Unable to fulfil:</p><ul>\n", out);
		for (size_t i = 0; i < s->n_unable; i++) {
			fprintf(out, "<li>#%" PRId64 " ", s->unable[i].id);
			esc(out, s->unable[i].date);
			fputs(" ", out);
			esc(out, s->unable[i].place);
			fputs(": ", out);
			esc(out, s->unable[i].text);
			fputs("</li>\n", out);
		}
		fputs("</ul>\n", out);
	}
	if (s->n_visits) {
		fputs("<p>Visited:</p><ul>\n", out);
		for (size_t i = 0; i < s->n_visits; i++) {
			fputs("<li>", out);
			esc(out, s->visits[i].date);
			fputs(" ", out);
			esc(out, s->visits[i].place);
			fputs(" (", out);
			esc(out, s->visits[i].text);
			fputs(")</li>\n", out);
		}
		fputs("</ul>\n", out);
	}
	if (s->n_reportable) {
		fputs("<p>Reportable disclosures:</p><ul>\n", out);
		for (size_t i = 0; i < s->n_reportable; i++) {
			const struct report_disclosure *d = &s->reportable[i];
			fputs("<li>", out);
			esc(out, d->ref);
			fputs(" &ldquo;", out);
			esc(out, d->subject ? d->subject : "(confidential)");
			fputs("&rdquo; ", out);
			esc(out, d->status);
			fputs(": ", out);
			if (d->rms_number) {
				fputs("RMS ", out);
				esc(out, d->rms_number);
			} else if (d->not_reportable_reason) {
				fputs("not reportable: ", out);
				esc(out, d->not_reportable_reason);
			} else {
				fputs("RMS report pending", out);
			}
			fputs("</li>\n", out);
		}
		fputs("</ul>\n", out);
	}
}

void report_monthly_html(FILE *out, struct report_monthly *r)
{
	char *title = xasprintf("Community Trust Liaison monthly report %s%s%s", r->month,
	                        r->officer ? ", " : "", r->officer ? r->officer : "");
	page_start(out, title);
	free(title);
	fputs("<table><tr><th>Officer</th><th>Troops</th><th>Received</th><th>Answered</th>"
	      "<th>Median first response</th><th>90th percentile</th><th>Opened</th><th>Closed</th>"
	      "<th>Referrals</th><th>Events</th><th>Submitted</th></tr>\n", out);
	const char **labels = xcalloc(r->n_rows + 1, sizeof(*labels));
	int64_t *values = xcalloc(r->n_rows + 1, sizeof(*values));
	for (size_t i = 0; i < r->n_rows; i++) {
		struct report_row *row = &r->rows[i];
		struct report_stats *s = &row->stats;
		int64_t median, p90;
		report_stats_times(s, &median, &p90);
		char a[32], b[32];
		duration(median, a, sizeof(a));
		duration(p90, b, sizeof(b));
		fputs("<tr><td>", out);
		esc(out, row->officer);
		fputs("</td><td>", out);
		esc(out, row->troops ? row->troops : "");
		fprintf(out, "</td><td>%" PRId64 "</td><td>%" PRId64 "</td><td>%s</td><td>%s</td>"
		             "<td>%" PRId64 "</td><td>%" PRId64 "</td>", s->received, s->answered, a, b,
		        s->opened, s->closed);
		counts_cell(out, &s->referrals);
		counts_cell(out, &s->events);
		if (row->submitted_by) {
			char day[11];
			calendar_format(calendar_date_of(row->submitted_at, NULL), day);
			fputs("<td>by ", out);
			esc(out, row->submitted_by);
			fprintf(out, " on %s%s</td></tr>\n", day,
			        row->stored ? " (figures as submitted)" : "");
		} else {
			fprintf(out, "<td>%s</td></tr>\n", row->submitted ? "yes" : "no");
		}
		labels[i] = row->officer;
		values[i] = s->received;
	}
	fputs("</table>\n<h2>Emails received by officer</h2>\n", out);
	bar_chart(out, "Emails received by officer", labels, values, r->n_rows);
	free(labels);
	free(values);
	for (size_t i = 0; i < r->n_rows; i++) {
		struct report_stats *s = &r->rows[i].stats;
		if (!s->n_unable && !s->n_visits && !s->n_reportable)
			continue;
		fputs("<h2>", out);
		esc(out, r->rows[i].officer);
		fputs("</h2>\n", out);
		stats_details(out, s);
	}
	page_end(out);
}

void report_quarterly_html(FILE *out, struct report_quarterly *r)
{
	char *title = xasprintf("Community Trust Liaison quarterly report %s", r->quarter);
	page_start(out, title);
	free(title);
	fprintf(out, "<p>All troops, against %s.</p>\n<table><tr><th>Troop</th>", r->previous);
	for (int m = 0; m < RM_COUNT; m++)
		fprintf(out, "<th>%s</th>", report_metric_names[m]);
	fputs("</tr>\n", out);
	for (size_t i = 0; i < r->n_troops; i++) {
		struct report_troop *t = &r->troops[i];
		if (t->troop)
			fprintf(out, "<tr><td>%c</td>", t->troop);
		else
			fputs("<tr><th>all</th>", out);
		for (int m = 0; m < RM_COUNT; m++) {
			int64_t c = report_metric_value(&t->current, (enum report_metric)m);
			int64_t p = report_metric_value(&t->previous, (enum report_metric)m);
			if (m == RM_MEDIAN || m == RM_P90) {
				char a[32];
				duration(c, a, sizeof(a));
				fprintf(out, "<td>%s</td>", a);
				continue;
			}
			fprintf(out, "<td>%" PRId64 "<br><small>%+" PRId64, c, c - p);
			if (p > 0)
				fprintf(out, " (%+.1f%%)", 100.0 * (double)(c - p) / (double)p);
			fputs("</small></td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
	struct report_stats *all = &r->troops[r->n_troops - 1].current;
	char week_names[REPORT_MAX_WEEKS][16]; /* "w" and any int: no truncation */
	const char *labels[REPORT_MAX_WEEKS];
	for (int w = 0; w < r->n_weeks; w++) {
		snprintf(week_names[w], sizeof(week_names[w]), "w%d", w + 1);
		labels[w] = week_names[w];
	}
	fputs("<h2>Volume by week (incoming emails from people)</h2>\n", out);
	bar_chart(out, "Volume by week", labels, all->weeks, (size_t)r->n_weeks);
	fputs("<h2>Threads by category</h2>\n", out);
	counts_chart(out, "Threads by category", &all->categories);
	fputs("<h2>Time to first response</h2>\n", out);
	bar_chart(out, "Time to first response", report_rt_bucket_names, all->rt_buckets,
	          REPORT_RT_BUCKETS);
	for (size_t i = 0; i + 1 < r->n_troops; i++) {
		struct report_stats *s = &r->troops[i].current;
		if (!s->n_unable && !s->n_visits && !s->n_reportable)
			continue;
		fprintf(out, "<h2>Troop %c</h2>\n", r->troops[i].troop);
		stats_details(out, s);
	}
	page_end(out);
}
