/* report_html.c — the reports as HTML: one fragment (the header, tables with total rows,
 * charts as inline SVG) that the console shows in its frame, and the printable page around
 * it (inline CSS with the print rules, no JavaScript, nothing fetched).  Every value that
 * comes from the database or the configuration is escaped.
 *
 * Print: @page sets the margins and leaves the size to the printer, so Letter and A4 both
 * work; tables take the width of the page (fixed layout, headers that wrap), which is that
 * of A4, the narrower; rows and charts do not break across pages, table headers repeat, and
 * the page margin boxes carry "Page N of M" (Chromium prints them since version 131). */
#include "report_render.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "report_heading.h"
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

/* The printable page's style: the fragment's rules and the print rules. */
static const char page_css[] =
	"body{font:10.5pt/1.4 'DejaVu Sans',Verdana,sans-serif;margin:2em auto;max-width:60em;"
	"padding:0 1em;color:#111}\n"
	".report .title{font-size:15pt;margin:.2em 0}"
	".report .section{font-size:11.5pt;border-bottom:1px solid #888;margin:1.4em 0 .4em}\n"
	".report-head p{margin:.1em 0}.report-head .agency{font-weight:bold;font-size:12pt}"
	".report-head .partial{border:1px solid #8a5a00;background:#fff4dc;padding:.3em .5em;"
	"margin-top:.4em}\n"
	".report table{border-collapse:collapse;margin:.4em 0;width:100%;table-layout:fixed}"
	".report th,.report td{border:1px solid #999;padding:2px 4px;text-align:right;"
	"vertical-align:top;overflow-wrap:anywhere}"
	".report th:first-child,.report td:first-child,.report .text{text-align:left}"
	".report thead th{background:#eef0f4;font-size:8.5pt;font-weight:bold}"
	".report tfoot th,.report tfoot td{font-weight:bold;border-top:2px solid #333}"
	".report thead th:first-child{width:20%}.report table.mail thead th:nth-child(2){width:7%}"
	".report table.counts{width:auto;min-width:50%;table-layout:auto}"
	".report caption{text-align:left;font-size:9pt;color:#333;caption-side:bottom}"
	".report .change{display:block;font-size:8pt;color:#444}\n"
	".report svg{display:block;width:100%;max-width:40em;height:auto;margin:.4em 0}"
	".report .bar{fill:#3a5f8f}.report .axis{stroke:#444}"
	".report svg text{font:11px 'DejaVu Sans',sans-serif;fill:#111}\n"
	"@page{margin:15mm 14mm 18mm;"
	"@bottom-right{content:'Page ' counter(page) ' of ' counter(pages);font:8pt sans-serif}}\n"
	"@media print{body{margin:0;max-width:none;padding:0;font-size:9pt}"
	".report table{font-size:8pt}.report thead th{font-size:7pt}.report .section{break-after:avoid}"
	".report tr,.report svg,.report .chart{break-inside:avoid}"
	".report thead{display:table-header-group}.report tfoot{display:table-row-group}}\n";

static void page_start(FILE *out, const char *title)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	      out);
	esc(out, title);
	fputs("</title>\n<style>\n", out);
	fputs(page_css, out);
	fputs("</style></head><body>\n", out);
}

static void page_end(FILE *out)
{
	fputs("</body></html>\n", out);
}

/* The header: agency, program, title, period, when generated, a partial period's note.
 * level is the title's heading level (1 on its own page, 2 inside the console's). */
static void heading_html(FILE *out, const struct report_heading *h, int level)
{
	fputs("<header class=\"report-head\">\n", out);
	if (h->agency) {
		fputs("<p class=\"agency\">", out);
		esc(out, h->agency);
		fputs("</p>\n", out);
	}
	fputs("<p class=\"program\">", out);
	esc(out, h->program);
	fprintf(out, "</p>\n<h%d class=\"title\">", level);
	esc(out, h->title);
	fprintf(out, "</h%d>\n<p class=\"period\">Period: ", level);
	esc(out, h->period);
	fputs("</p>\n<p class=\"generated\">", out);
	esc(out, h->generated);
	fputs("</p>\n", out);
	if (h->partial) {
		fputs("<p class=\"partial\" role=\"note\">", out);
		esc(out, h->partial);
		fputs("</p>\n", out);
	}
	fputs("</header>\n", out);
}

/* A horizontal bar chart (labels at the left, each value at its bar's end), drawn to a
 * viewBox so that it scales to the width it is given. */
static void bar_chart(FILE *out, const char *title, const struct report_bars *bars)
{
	size_t n = bars->n;
	char *const *labels = bars->labels;
	const int64_t *values = bars->values;
	if (n == 0)
		return;
	int64_t max = 1;
	for (size_t i = 0; i < n; i++)
		if (values[i] > max)
			max = values[i];
	const int row = 22, left = 200, right = 60, width = 640;
	int height = (int)n * row + 8;
	fprintf(out, "<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
	             "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"", width, height);
	esc(out, title);
	fputs("\"><title>", out);
	esc(out, title);
	fputs("</title>\n", out);
	fprintf(out, "<line class=\"axis\" x1=\"%d\" y1=\"2\" x2=\"%d\" y2=\"%d\"/>\n", left, left,
	        height - 4);
	for (size_t i = 0; i < n; i++) {
		int w = (int)(values[i] * (width - left - right) / max);
		int y = 4 + (int)i * row;
		fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 6, y + 14);
		esc(out, labels[i]);
		fprintf(out, "</text><rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>"
		             "<text x=\"%d\" y=\"%d\">%" PRId64 "</text>\n",
		        left, y + 2, w, row - 6, left + w + 4, y + 14, values[i]);
	}
	fputs("</svg></div>\n", out);
}

/* A chart under its heading; frees the bars. */
static void chart_section(FILE *out, int level, const char *title, struct report_bars *bars)
{
	fprintf(out, "<h%d class=\"section\">", level);
	esc(out, title);
	fprintf(out, "</h%d>\n", level);
	bar_chart(out, title, bars);
	report_bars_free(bars);
}

/* A table of counts by key with its total row: "Referrals by service", "Events by type". */
static void counts_table(FILE *out, const struct report_meta *meta, int level, const char *title,
                         const char *key_head, const char *count_head,
                         const struct report_counts *c, int services)
{
	fprintf(out, "<h%d class=\"section\">", level);
	esc(out, title);
	fprintf(out, "</h%d>\n<table class=\"counts\"><thead><tr><th scope=\"col\">", level);
	esc(out, key_head);
	fputs("</th><th scope=\"col\">", out);
	esc(out, count_head);
	fputs("</th></tr></thead>\n<tbody>\n", out);
	int64_t total = 0;
	for (size_t i = 0; i < c->count; i++) {
		char *name = services ? report_service_name(meta, c->items[i].key)
		                      : report_key_label(c->items[i].key);
		fputs("<tr><th scope=\"row\" class=\"text\">", out);
		esc(out, name);
		fprintf(out, "</th><td>%" PRId64 "</td></tr>\n", c->items[i].n);
		free(name);
		total += c->items[i].n;
	}
	if (c->count == 0)
		fputs("<tr><td class=\"text\" colspan=\"2\">None</td></tr>\n", out);
	fprintf(out, "</tbody><tfoot><tr><th scope=\"row\" class=\"text\">Total</th>"
	             "<td>%" PRId64 "</td></tr></tfoot></table>\n", total);
}

static void stats_details(FILE *out, struct report_stats *s)
{
	if (s->n_unable) {
		fputs("<p>Unable to fulfil:</p><ul>\n", out);
		for (size_t i = 0; i < s->n_unable; i++) {
			fprintf(out, "<li>Event %" PRId64 ", ", s->unable[i].id);
			esc(out, s->unable[i].date);
			fputs(", ", out);
			esc(out, s->unable[i].place);
			fputs(": ", out);
			esc(out, s->unable[i].text);
			fputs("</li>\n", out);
		}
		fputs("</ul>\n", out);
	}
	if (s->n_visits) {
		fputs("<p>Places visited:</p><ul>\n", out);
		for (size_t i = 0; i < s->n_visits; i++) {
			char *kind = report_key_label(s->visits[i].text);
			fputs("<li>", out);
			esc(out, s->visits[i].date);
			fputs(", ", out);
			esc(out, s->visits[i].place);
			fputs(" (", out);
			esc(out, kind);
			fputs(")</li>\n", out);
			free(kind);
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

/* A cell with its figure for people and, for the tests and scripts, the number it shows
 * (data-field names the JSON field of the same figure). */
static void count_cell(FILE *out, const char *field, int64_t v)
{
	fprintf(out, "<td data-field=\"%s\" data-value=\"%" PRId64 "\">%" PRId64 "</td>", field, v, v);
}

static void duration_cell(FILE *out, const char *field, int64_t seconds)
{
	char text[48];
	report_duration_text(seconds, text, sizeof(text));
	if (seconds < 0)
		fprintf(out, "<td data-field=\"%s\" data-value=\"\">%s</td>", field, text);
	else
		fprintf(out, "<td data-field=\"%s\" data-value=\"%" PRId64 "\">%s</td>", field,
		        seconds, text);
}

/* The mail columns of a monthly row (or of its total). */
static void monthly_mail_cells(FILE *out, struct report_stats *s)
{
	int64_t median, p90;
	report_stats_times(s, &median, &p90);
	count_cell(out, "emails_received", s->received);
	count_cell(out, "emails_answered", s->answered);
	duration_cell(out, "median_seconds", median);
	duration_cell(out, "p90_seconds", p90);
	count_cell(out, "unanswered", s->unanswered);
	count_cell(out, "threads_opened", s->opened);
	count_cell(out, "threads_closed", s->closed);
}

static void monthly_work_cells(FILE *out, struct report_stats *s)
{
	count_cell(out, "referrals_total", s->referrals_total);
	count_cell(out, "events_total", s->events_total);
	count_cell(out, "events_attended_total", s->attended_total);
	count_cell(out, "unable", (int64_t)s->n_unable);
	count_cell(out, "visited", (int64_t)s->n_visits);
	count_cell(out, "reportable", (int64_t)s->n_reportable);
}

static void submitted_cell(FILE *out, const struct report_meta *meta, struct report_row *row)
{
	fputs("<td class=\"text\">", out);
	if (strcmp(row->officer, "unassigned") == 0) {
		fputs("</td>", out);
		return;
	}
	if (row->submitted_by) {
		char day[11];
		calendar_format(calendar_date_of(row->submitted_at, NULL), day);
		fprintf(out, "%s by ", day);
		esc(out, report_user_name(meta, row->submitted_by));
		if (row->stored)
			fputs(" (figures as submitted)", out);
	} else {
		fputs(row->submitted ? "Yes" : "Not yet", out);
	}
	fputs("</td>", out);
}

static void row_head(FILE *out, const struct report_meta *meta, struct report_row *row,
                     int with_troops)
{
	char *name = report_row_name(meta, row);
	fputs("<tr><th scope=\"row\" class=\"text\">", out);
	esc(out, name);
	fputs("</th>", out);
	if (with_troops) {
		fputs("<td class=\"text\">", out);
		esc(out, row->troops ? row->troops : "");
		fputs("</td>", out);
	}
	free(name);
}

void report_monthly_html_body(FILE *out, struct report_monthly *r, const struct report_meta *meta,
                              int level)
{
	struct report_heading h;
	report_heading_monthly(meta, r, &h);
	fputs("<article class=\"report\">\n", out);
	heading_html(out, &h, level);
	report_heading_free(&h);
	int sub = level + 1;

	fprintf(out, "<h%d class=\"section\">Mail and threads</h%d>\n<table class=\"mail\"><thead><tr>"
	             "<th scope=\"col\">Officer</th><th scope=\"col\">Troop</th>"
	             "<th scope=\"col\">Emails received</th><th scope=\"col\">Emails answered</th>"
	             "<th scope=\"col\">Median time to first answer</th>"
	             "<th scope=\"col\">90th percentile time to first answer</th>"
	             "<th scope=\"col\">Not yet answered</th><th scope=\"col\">Threads opened</th>"
	             "<th scope=\"col\">Threads closed</th></tr></thead>\n<tbody>\n", sub, sub);
	for (size_t i = 0; i < r->n_rows; i++) {
		row_head(out, meta, &r->rows[i], 1);
		monthly_mail_cells(out, &r->rows[i].stats);
		fputs("</tr>\n", out);
	}
	fputs("</tbody><tfoot><tr class=\"total\"><th scope=\"row\" class=\"text\">Total</th>"
	      "<td></td>", out);
	monthly_mail_cells(out, &r->total);
	fputs("</tr></tfoot></table>\n", out);

	fprintf(out, "<h%d class=\"section\">Work in the community</h%d>\n<table class=\"work\"><thead><tr>"
	             "<th scope=\"col\">Officer</th><th scope=\"col\">Referrals</th>"
	             "<th scope=\"col\">Events (primary unit)</th>"
	             "<th scope=\"col\">Events attended</th><th scope=\"col\">Unable to fulfil</th>"
	             "<th scope=\"col\">Places visited</th>"
	             "<th scope=\"col\">Reportable disclosures</th>"
	             "<th scope=\"col\">Report submitted</th></tr></thead>\n<tbody>\n", sub, sub);
	size_t submitted = 0, liaisons = 0;
	for (size_t i = 0; i < r->n_rows; i++) {
		struct report_row *row = &r->rows[i];
		row_head(out, meta, row, 0);
		monthly_work_cells(out, &row->stats);
		submitted_cell(out, meta, row);
		fputs("</tr>\n", out);
		if (strcmp(row->officer, "unassigned") != 0 && row->troops) {
			liaisons++;
			submitted += row->submitted != 0;
		}
	}
	fputs("</tbody><tfoot><tr class=\"total\"><th scope=\"row\" class=\"text\">Total</th>",
	      out);
	monthly_work_cells(out, &r->total);
	fprintf(out, "<td class=\"text\">%zu of %zu</td></tr></tfoot></table>\n", submitted,
	        liaisons);

	struct report_bars bars;
	report_bars_officers(meta, r, &bars);
	chart_section(out, sub, "Emails received by officer", &bars);

	if (r->total.referrals.count)
		counts_table(out, meta, sub, "Referrals by service", "Service", "Referrals",
		             &r->total.referrals, 1);
	if (r->total.events.count)
		counts_table(out, meta, sub, "Events by type (primary unit)", "Type", "Events",
		             &r->total.events, 0);
	for (size_t i = 0; i < r->n_rows; i++) {
		struct report_stats *s = &r->rows[i].stats;
		if (!s->n_unable && !s->n_visits && !s->n_reportable)
			continue;
		char *name = report_row_name(meta, &r->rows[i]);
		fprintf(out, "<h%d class=\"section\">", sub);
		esc(out, name);
		fprintf(out, "</h%d>\n", sub);
		free(name);
		stats_details(out, s);
	}
	fputs("</article>\n", out);
}

/* One quarterly cell: the figure, and under it the change from the previous quarter. */
static void change_cell(FILE *out, const char *previous, struct report_troop *t,
                        enum report_metric m)
{
	int64_t c = report_metric_value(&t->current, m);
	int64_t p = report_metric_value(&t->previous, m);
	int duration = m == RM_MEDIAN || m == RM_P90;
	char now[48];
	if (duration)
		report_duration_text(c, now, sizeof(now));
	else
		snprintf(now, sizeof(now), "%" PRId64, c);
	fprintf(out, "<td data-field=\"%s\" data-value=\"", report_metric_names[m]);
	if (c >= 0)
		fprintf(out, "%" PRId64, c);
	fprintf(out, "\">%s<span class=\"change\">", now);
	if (c < 0 && p < 0) {
		/* no answer in either quarter: nothing to compare */
	} else if (c < 0 || p < 0) {
		fprintf(out, "%s: %s", previous, p < 0 ? "no answer" : "");
		if (p >= 0) {
			char was[48];
			report_duration_text(p, was, sizeof(was));
			fputs(was, out);
		}
	} else if (duration) {
		char diff[48];
		report_duration_text(c > p ? c - p : p - c, diff, sizeof(diff));
		fprintf(out, "%s %s", c >= p ? "+" : "\u2212", diff);
	} else {
		fprintf(out, "%+" PRId64, c - p);
		if (p > 0)
			fprintf(out, " (%+.1f%%)", 100.0 * (double)(c - p) / (double)p);
	}
	fputs("</span></td>", out);
}

static void quarterly_table(FILE *out, struct report_quarterly *r, const char *cls,
                            const enum report_metric *metrics, size_t n)
{
	char previous[24];
	report_quarter_label(r->previous, previous, sizeof(previous));
	fprintf(out, "<table class=\"%s\"><caption>Under each figure: the change from %s.</caption>"
	             "<thead><tr><th scope=\"col\">Troop</th>", cls, previous);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "<th scope=\"col\">%s</th>", report_metric_labels[metrics[i]]);
	fputs("</tr></thead>\n<tbody>\n", out);
	for (size_t i = 0; i < r->n_troops; i++) {
		struct report_troop *t = &r->troops[i];
		if (t->troop == '\0')
			continue;
		fprintf(out, "<tr><th scope=\"row\" class=\"text\">Troop %c</th>", t->troop);
		for (size_t k = 0; k < n; k++)
			change_cell(out, previous, t, metrics[k]);
		fputs("</tr>\n", out);
	}
	fputs("</tbody><tfoot>", out);
	for (size_t i = 0; i < r->n_troops; i++) {
		struct report_troop *t = &r->troops[i];
		if (t->troop != '\0')
			continue;
		fputs("<tr class=\"total\"><th scope=\"row\" class=\"text\">All troops</th>", out);
		for (size_t k = 0; k < n; k++)
			change_cell(out, previous, t, metrics[k]);
		fputs("</tr>", out);
	}
	fputs("</tfoot></table>\n", out);
}

void report_quarterly_html_body(FILE *out, struct report_quarterly *r,
                                const struct report_meta *meta, int level)
{
	struct report_heading h;
	report_heading_quarterly(meta, r, &h);
	fputs("<article class=\"report\">\n", out);
	heading_html(out, &h, level);
	report_heading_free(&h);
	int sub = level + 1;
	static const enum report_metric mail[] = {RM_RECEIVED, RM_ANSWERED, RM_OPENED, RM_CLOSED,
	                                          RM_MEDIAN, RM_P90};
	static const enum report_metric work[] = {RM_REFERRALS, RM_EVENTS, RM_UNABLE, RM_VISITED,
	                                          RM_REPORTABLE};
	fprintf(out, "<h%d class=\"section\">Mail and threads</h%d>\n", sub, sub);
	quarterly_table(out, r, "troops mail-q", mail, sizeof(mail) / sizeof(*mail));
	fprintf(out, "<h%d class=\"section\">Work in the community</h%d>\n", sub, sub);
	quarterly_table(out, r, "troops work-q", work, sizeof(work) / sizeof(*work));

	struct report_stats *all = &r->troops[r->n_troops - 1].current;
	struct report_bars bars;
	report_bars_weeks(r, &bars);
	chart_section(out, sub, "Emails received by week, all troops", &bars);
	if (all->categories.count) {
		report_bars_counts(&all->categories, &bars);
		chart_section(out, sub, "Threads opened by category, all troops", &bars);
	}
	report_bars_response(all, &bars);
	chart_section(out, sub, "Threads by time to first answer, all troops", &bars);
	if (all->referrals.count)
		counts_table(out, meta, sub, "Referrals by service, all troops", "Service", "Referrals",
		             &all->referrals, 1);
	for (size_t i = 0; i + 1 < r->n_troops; i++) {
		struct report_stats *s = &r->troops[i].current;
		if (!s->n_unable && !s->n_visits && !s->n_reportable)
			continue;
		fprintf(out, "<h%d class=\"section\">Troop %c</h%d>\n", sub, r->troops[i].troop, sub);
		stats_details(out, s);
	}
	fputs("</article>\n", out);
}

/* The page around a report's content. */
static void page(FILE *out, const struct report_heading *h,
                 void (*body)(FILE *, void *, const struct report_meta *, int), void *r,
                 const struct report_meta *meta)
{
	char *title = xasprintf("%s%s%s, %s", h->agency ? h->agency : "", h->agency ? ": " : "",
	                        h->title, h->period);
	page_start(out, title);
	free(title);
	body(out, r, meta, 1);
	page_end(out);
}

static void monthly_body(FILE *out, void *r, const struct report_meta *meta, int level)
{
	report_monthly_html_body(out, r, meta, level);
}

static void quarterly_body(FILE *out, void *r, const struct report_meta *meta, int level)
{
	report_quarterly_html_body(out, r, meta, level);
}

void report_monthly_html(FILE *out, struct report_monthly *r, const struct report_meta *meta)
{
	struct report_heading h;
	report_heading_monthly(meta, r, &h);
	page(out, &h, monthly_body, r, meta);
	report_heading_free(&h);
}

void report_quarterly_html(FILE *out, struct report_quarterly *r, const struct report_meta *meta)
{
	struct report_heading h;
	report_heading_quarterly(meta, r, &h);
	page(out, &h, quarterly_body, r, meta);
	report_heading_free(&h);
}
