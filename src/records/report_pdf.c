/* report_pdf.c — the reports as PDF (see report_pdf.h).
 *
 * The document is laid out twice with the same code: once without drawing, to count the
 * pages ("Page N of M" needs M on the first page), then drawing.  A table row, a paragraph
 * and a chart never break across pages; a table's header row repeats on each page it
 * continues on. */
#include "report_pdf.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "pdf.h"
#include "report_render.h"
#include "util.h"

/* Content width: A4's 595 pt less two 42 pt margins; Letter (612 pt) gets wider margins. */
#define CONTENT_W 511.0
#define TOP 54.0
#define BOTTOM_GAP 58.0   /* from the content's end to the page's bottom edge */
#define FOOTER_GAP 32.0   /* the footer's top, from the bottom edge */
#define BODY_PT 9.5
#define CELL_PT 8.5
#define HEAD_PT 7.5
#define PAD 2.5
#define MAX_COLS 12

struct writer {
	struct pdf_canvas *canvas;
	int draw;
	double page_w, page_h, left, y;
	int page, pages;          /* pages: the count from the first pass (0 during it) */
	const struct report_heading *h;
	/* the table being written, for its header row on each new page */
	size_t n_cols;
	double col_w[MAX_COLS];
	const char *const *head;
};

static double bottom(const struct writer *w)
{
	return w->page_h - BOTTOM_GAP;
}

/* A new page with its running header and its footer. */
static void new_page(struct writer *w)
{
	w->page++;
	if (w->draw)
		pdf_canvas_page(w->canvas);
	double top = 26.0, right = w->left + CONTENT_W;
	char *run = xasprintf("%s%s%s \u00b7 %s", w->h->agency ? w->h->agency : "",
	                      w->h->agency ? " \u00b7 " : "", w->h->program, w->h->period);
	char *page = xasprintf("Page %d of %d", w->page, w->pages ? w->pages : w->page);
	if (w->draw) {
		pdf_canvas_text(w->canvas, w->left, top, CONTENT_W, run, 8, 0, PDF_ALIGN_LEFT, 1);
		pdf_canvas_line(w->canvas, w->left, top + 12, right, top + 12, 0.4, 0.5);
		double fy = w->page_h - FOOTER_GAP;
		pdf_canvas_line(w->canvas, w->left, fy - 4, right, fy - 4, 0.4, 0.5);
		pdf_canvas_text(w->canvas, w->left, fy, CONTENT_W * 0.7, w->h->generated, 8, 0,
		                PDF_ALIGN_LEFT, 1);
		pdf_canvas_text(w->canvas, w->left, fy, CONTENT_W, page, 8.5, 1, PDF_ALIGN_RIGHT, 1);
	}
	free(run);
	free(page);
	w->y = TOP;
}

/* Room for height more points on this page, or a new page. */
static void need(struct writer *w, double height)
{
	if (w->page == 0 || w->y + height > bottom(w))
		new_page(w);
}

static void paragraph(struct writer *w, const char *text, double size, int bold, double after)
{
	double h = pdf_canvas_text(w->canvas, 0, 0, CONTENT_W, text, size, bold, PDF_ALIGN_LEFT, 0);
	need(w, h);
	if (w->draw)
		pdf_canvas_text(w->canvas, w->left, w->y, CONTENT_W, text, size, bold, PDF_ALIGN_LEFT, 1);
	w->y += h + after;
}

/* A section's heading, kept with at least keep points of what follows. */
static void section(struct writer *w, const char *title, double keep)
{
	double h = pdf_canvas_text(w->canvas, 0, 0, CONTENT_W, title, 12, 1, PDF_ALIGN_LEFT, 0);
	need(w, 10 + h + 4 + keep);
	w->y += 10;
	if (w->draw) {
		pdf_canvas_text(w->canvas, w->left, w->y, CONTENT_W, title, 12, 1, PDF_ALIGN_LEFT, 1);
		pdf_canvas_line(w->canvas, w->left, w->y + h + 1, w->left + CONTENT_W, w->y + h + 1,
		                0.5, 0.45);
	}
	w->y += h + 4;
}

/* A row's height: its tallest cell. */
static double row_height(struct writer *w, const char *const *cells, int bold, double size)
{
	double h = 0;
	for (size_t i = 0; i < w->n_cols; i++) {
		double ch = pdf_canvas_text(w->canvas, 0, 0, w->col_w[i] - 2 * PAD,
		                            cells[i] ? cells[i] : "", size, bold, PDF_ALIGN_LEFT, 0);
		if (ch > h)
			h = ch;
	}
	return h + 2 * PAD;
}

/* Draws a row at y (first column to the left, the others to the right). */
static void row_draw(struct writer *w, const char *const *cells, int bold, double size,
                     double height, int shade)
{
	if (!w->draw)
		return;
	if (shade)
		pdf_canvas_fill(w->canvas, w->left, w->y, CONTENT_W, height, 0.92, 0.93, 0.95);
	double x = w->left;
	for (size_t i = 0; i < w->n_cols; i++) {
		pdf_canvas_text(w->canvas, x + PAD, w->y + PAD, w->col_w[i] - 2 * PAD,
		                cells[i] ? cells[i] : "", size, bold,
		                i == 0 ? PDF_ALIGN_LEFT : PDF_ALIGN_RIGHT, 1);
		x += w->col_w[i];
	}
	pdf_canvas_line(w->canvas, w->left, w->y + height, w->left + CONTENT_W, w->y + height,
	                bold ? 0.9 : 0.3, bold ? 0.2 : 0.7);
}

static void head_row(struct writer *w)
{
	double h = row_height(w, w->head, 1, HEAD_PT);
	row_draw(w, w->head, 1, HEAD_PT, h, 1);
	w->y += h;
}

/* Starts a table: the columns' shares of the width (the first for names), their headings. */
static void table_begin(struct writer *w, size_t n, const double *shares,
                        const char *const *head)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += shares[i];
	w->n_cols = n;
	for (size_t i = 0; i < n; i++)
		w->col_w[i] = CONTENT_W * shares[i] / sum;
	w->head = head;
	/* the header row with at least one row under it */
	double h = row_height(w, head, 1, HEAD_PT);
	need(w, h + 24);
	head_row(w);
}

/* A row of the table begun last; total: bold, with a rule above. */
static void table_row(struct writer *w, const char *const *cells, int total)
{
	double h = row_height(w, cells, total, CELL_PT);
	if (w->y + h > bottom(w)) {
		new_page(w);
		head_row(w);
	}
	if (total && w->draw)
		pdf_canvas_line(w->canvas, w->left, w->y, w->left + CONTENT_W, w->y, 1.0, 0.1);
	row_draw(w, cells, total, CELL_PT, h, 0);
	w->y += h;
}

static void table_end(struct writer *w)
{
	w->n_cols = 0;
	w->y += 6;
}

/* Horizontal bars, labels at the left, each value after its bar; never split. */
/* (frees the bars) */
static void bar_chart(struct writer *w, const char *title, struct report_bars *bars)
{
	size_t n = bars->n;
	char *const *labels = bars->labels;
	const int64_t *values = bars->values;
	if (n == 0) {
		report_bars_free(bars);
		return;
	}
	const double row = 13, label_w = 170, value_w = 40;
	/* kept on one page when it fits on one; a longer one goes on bar by bar */
	section(w, title, (double)n * row + 6 < bottom(w) - TOP - 40 ? (double)n * row + 6 : row);
	int64_t max = 1;
	for (size_t i = 0; i < n; i++)
		if (values[i] > max)
			max = values[i];
	double bar_x = w->left + label_w + 6, bar_max = CONTENT_W - label_w - 6 - value_w;
	for (size_t i = 0; i < n; i++) {
		need(w, row);
		double bw = bar_max * (double)values[i] / (double)max;
		if (w->draw) {
			pdf_canvas_text(w->canvas, w->left, w->y + 1.5, label_w, labels[i], CELL_PT, 0,
			                PDF_ALIGN_RIGHT, 1);
			pdf_canvas_fill(w->canvas, bar_x, w->y + 2, bw, row - 4, 0.227, 0.373, 0.561);
			char v[32];
			snprintf(v, sizeof(v), "%" PRId64, values[i]);
			pdf_canvas_text(w->canvas, bar_x + bw + 3, w->y + 1.5, value_w, v, CELL_PT, 0,
			                PDF_ALIGN_LEFT, 1);
			pdf_canvas_line(w->canvas, bar_x, w->y, bar_x, w->y + row, 0.6, 0.3);
		}
		w->y += row;
	}
	w->y += 8;
	report_bars_free(bars);
}

static void heading(struct writer *w)
{
	const struct report_heading *h = w->h;
	if (h->agency)
		paragraph(w, h->agency, 14, 1, 1);
	paragraph(w, h->program, 12, 0, 3);
	paragraph(w, h->title, 18, 1, 3);
	char *period = xasprintf("Period: %s", h->period);
	paragraph(w, period, BODY_PT + 1, 0, 1);
	free(period);
	paragraph(w, h->generated, BODY_PT, 0, 2);
	if (h->partial) {
		double th = pdf_canvas_text(w->canvas, 0, 0, CONTENT_W - 8, h->partial, BODY_PT, 1,
		                            PDF_ALIGN_LEFT, 0);
		need(w, th + 8);
		if (w->draw) {
			pdf_canvas_fill(w->canvas, w->left, w->y, CONTENT_W, th + 6, 1.0, 0.957, 0.863);
			pdf_canvas_text(w->canvas, w->left + 4, w->y + 3, CONTENT_W - 8, h->partial,
			                BODY_PT, 1, PDF_ALIGN_LEFT, 1);
		}
		w->y += th + 10;
	}
}

/* Text cells are built into a pool freed after each row. */
struct cells {
	char *v[MAX_COLS];
	size_t n;
};

static void cell(struct cells *c, char *text)
{
	c->v[c->n++] = text;
}

static void cell_int(struct cells *c, int64_t v)
{
	cell(c, xasprintf("%" PRId64, v));
}

static void cell_duration(struct cells *c, int64_t seconds)
{
	char text[48];
	report_duration_text(seconds, text, sizeof(text));
	cell(c, xstrdup(text));
}

static void cells_row(struct writer *w, struct cells *c, int total)
{
	table_row(w, (const char *const *)c->v, total);
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i]);
	c->n = 0;
}

static void counts_table(struct writer *w, const struct report_meta *meta, const char *title,
                         const char *key_head, const char *count_head,
                         const struct report_counts *counts, int services)
{
	section(w, title, 30);
	static const double shares[] = {3, 1};
	const char *head[] = {key_head, count_head};
	table_begin(w, 2, shares, head);
	struct cells c = {0};
	int64_t total = 0;
	for (size_t i = 0; i < counts->count; i++) {
		cell(&c, services ? report_service_name(meta, counts->items[i].key)
		                  : report_key_label(counts->items[i].key));
		cell_int(&c, counts->items[i].n);
		cells_row(w, &c, 0);
		total += counts->items[i].n;
	}
	cell(&c, xstrdup("Total"));
	cell_int(&c, total);
	cells_row(w, &c, 1);
	table_end(w);
}

static void details(struct writer *w, const char *who, struct report_stats *s)
{
	if (!s->n_unable && !s->n_visits && !s->n_reportable)
		return;
	section(w, who, 20);
	for (size_t i = 0; i < s->n_unable; i++) {
		char *t = xasprintf("Unable to fulfil: event %" PRId64 ", %s, %s: %s", s->unable[i].id,
		                    s->unable[i].date, s->unable[i].place, s->unable[i].text);
		paragraph(w, t, BODY_PT, 0, 2);
		free(t);
	}
	for (size_t i = 0; i < s->n_visits; i++) {
		char *kind = report_key_label(s->visits[i].text);
		char *t = xasprintf("Visited: %s, %s (%s)", s->visits[i].date, s->visits[i].place, kind);
		paragraph(w, t, BODY_PT, 0, 2);
		free(t);
		free(kind);
	}
	for (size_t i = 0; i < s->n_reportable; i++) {
		const struct report_disclosure *d = &s->reportable[i];
		char *t = xasprintf("Reportable disclosure: %s \u201c%s\u201d %s: %s%s", d->ref,
		                    d->subject ? d->subject : "(confidential)", d->status,
		                    d->rms_number ? "RMS " : d->not_reportable_reason ? "not reportable: "
		                                                                      : "RMS report pending",
		                    d->rms_number ? d->rms_number
		                                  : d->not_reportable_reason ? d->not_reportable_reason : "");
		paragraph(w, t, BODY_PT, 0, 2);
		free(t);
	}
}

/* --- Monthly -------------------------------------------------------------------------- */

static void monthly_mail_cells(struct cells *c, struct report_stats *s)
{
	int64_t median, p90;
	report_stats_times(s, &median, &p90);
	cell_int(c, s->received);
	cell_int(c, s->answered);
	cell_duration(c, median);
	cell_duration(c, p90);
	cell_int(c, s->unanswered);
	cell_int(c, s->opened);
	cell_int(c, s->closed);
}

static void monthly_work_cells(struct cells *c, struct report_stats *s)
{
	cell_int(c, s->referrals_total);
	cell_int(c, s->events_total);
	cell_int(c, s->attended_total);
	cell_int(c, (int64_t)s->n_unable);
	cell_int(c, (int64_t)s->n_visits);
	cell_int(c, (int64_t)s->n_reportable);
}

static int is_unassigned(const struct report_row *row)
{
	return strcmp(row->officer, "unassigned") == 0;
}

static void monthly_pages(struct writer *w, struct report_monthly *r,
                          const struct report_meta *meta)
{
	heading(w);
	struct cells c = {0};
	static const double mail_shares[] = {1.9, 0.6, 1, 1, 1.15, 1.2, 1, 1, 1};
	static const char *const mail_head[] = {
		"Officer", "Troop", "Emails received", "Emails answered", "Median time to first answer",
		"90th percentile time to first answer", "Not yet answered", "Threads opened",
		"Threads closed"};
	section(w, "Mail and threads", 40);
	table_begin(w, 9, mail_shares, mail_head);
	for (size_t i = 0; i < r->n_rows; i++) {
		cell(&c, report_row_name(meta, &r->rows[i]));
		cell(&c, xstrdup(r->rows[i].troops ? r->rows[i].troops : ""));
		monthly_mail_cells(&c, &r->rows[i].stats);
		cells_row(w, &c, 0);
	}
	cell(&c, xstrdup("Total"));
	cell(&c, xstrdup(""));
	monthly_mail_cells(&c, &r->total);
	cells_row(w, &c, 1);
	table_end(w);

	static const double work_shares[] = {1.8, 1, 1, 1, 1, 1, 1.1, 1.3};
	static const char *const work_head[] = {
		"Officer", "Referrals", "Events (primary unit)", "Events attended", "Unable to fulfil",
		"Places visited", "Reportable disclosures", "Report submitted"};
	section(w, "Work in the community", 40);
	table_begin(w, 8, work_shares, work_head);
	size_t submitted = 0, liaisons = 0;
	for (size_t i = 0; i < r->n_rows; i++) {
		struct report_row *row = &r->rows[i];
		cell(&c, report_row_name(meta, row));
		monthly_work_cells(&c, &row->stats);
		if (is_unassigned(row)) {
			cell(&c, xstrdup(""));
		} else if (row->submitted_by) {
			char day[11];
			calendar_format(calendar_date_of(row->submitted_at, NULL), day);
			cell(&c, xasprintf("%s by %s", day, report_user_name(meta, row->submitted_by)));
		} else {
			cell(&c, xstrdup(row->submitted ? "Yes" : "Not yet"));
		}
		cells_row(w, &c, 0);
		if (!is_unassigned(row) && row->troops) {
			liaisons++;
			submitted += row->submitted != 0;
		}
	}
	cell(&c, xstrdup("Total"));
	monthly_work_cells(&c, &r->total);
	cell(&c, xasprintf("%zu of %zu", submitted, liaisons));
	cells_row(w, &c, 1);
	table_end(w);

	struct report_bars bars;
	report_bars_officers(meta, r, &bars);
	bar_chart(w, "Emails received by officer", &bars);
	if (r->total.referrals.count)
		counts_table(w, meta, "Referrals by service", "Service", "Referrals",
		             &r->total.referrals, 1);
	if (r->total.events.count)
		counts_table(w, meta, "Events by type (primary unit)", "Type", "Events",
		             &r->total.events, 0);
	for (size_t i = 0; i < r->n_rows; i++) {
		char *name = report_row_name(meta, &r->rows[i]);
		details(w, name, &r->rows[i].stats);
		free(name);
	}
}

/* --- Quarterly ------------------------------------------------------------------------ */

/* A figure with, under it, its change from the previous quarter. */
static char *change_text(const char *previous, struct report_troop *t, enum report_metric m)
{
	int64_t c = report_metric_value(&t->current, m);
	int64_t p = report_metric_value(&t->previous, m);
	int duration = m == RM_MEDIAN || m == RM_P90;
	char now[48], change[128];
	if (duration)
		report_duration_text(c, now, sizeof(now));
	else
		snprintf(now, sizeof(now), "%" PRId64, c);
	if (c < 0 && p < 0) {
		change[0] = '\0';
	} else if (c < 0 || p < 0) {
		char was[48];
		report_duration_text(p, was, sizeof(was));
		snprintf(change, sizeof(change), "%s: %s", previous, p < 0 ? "no answer" : was);
	} else if (duration) {
		char diff[48];
		report_duration_text(c > p ? c - p : p - c, diff, sizeof(diff));
		snprintf(change, sizeof(change), "%s %s", c >= p ? "+" : "\u2212", diff);
	} else if (p > 0) {
		snprintf(change, sizeof(change), "%+" PRId64 " (%+.1f%%)", c - p,
		         100.0 * (double)(c - p) / (double)p);
	} else {
		snprintf(change, sizeof(change), "%+" PRId64, c - p);
	}
	return xasprintf("%s\n%s", now, change);
}

static void quarterly_table(struct writer *w, struct report_quarterly *r, const char *title,
                            const enum report_metric *metrics, size_t n)
{
	double shares[MAX_COLS];
	const char *head[MAX_COLS];
	shares[0] = 1.3;
	head[0] = "Troop";
	for (size_t i = 0; i < n; i++) {
		shares[i + 1] = 1;
		head[i + 1] = report_metric_labels[metrics[i]];
	}
	section(w, title, 40);
	table_begin(w, n + 1, shares, head);
	char previous[24];
	report_quarter_label(r->previous, previous, sizeof(previous));
	struct cells c = {0};
	for (int pass = 0; pass < 2; pass++) /* the troops, then all troops as the total row */
		for (size_t i = 0; i < r->n_troops; i++) {
			struct report_troop *t = &r->troops[i];
			if ((t->troop == '\0') != pass)
				continue;
			cell(&c, t->troop ? xasprintf("Troop %c", t->troop) : xstrdup("All troops"));
			for (size_t k = 0; k < n; k++)
				cell(&c, change_text(previous, t, metrics[k]));
			cells_row(w, &c, pass);
		}
	table_end(w);
}

static void quarterly_pages(struct writer *w, struct report_quarterly *r,
                            const struct report_meta *meta)
{
	heading(w);
	char previous[24];
	report_quarter_label(r->previous, previous, sizeof(previous));
	char *note = xasprintf("Under each figure: the change from %s.", previous);
	paragraph(w, note, BODY_PT, 0, 2);
	free(note);
	static const enum report_metric mail[] = {RM_RECEIVED, RM_ANSWERED, RM_OPENED, RM_CLOSED,
	                                          RM_MEDIAN, RM_P90};
	static const enum report_metric work[] = {RM_REFERRALS, RM_EVENTS, RM_UNABLE, RM_VISITED,
	                                          RM_REPORTABLE};
	quarterly_table(w, r, "Mail and threads", mail, sizeof(mail) / sizeof(*mail));
	quarterly_table(w, r, "Work in the community", work, sizeof(work) / sizeof(*work));

	struct report_stats *all = &r->troops[r->n_troops - 1].current;
	struct report_bars bars;
	report_bars_weeks(r, &bars);
	bar_chart(w, "Emails received by week, all troops", &bars);
	if (all->categories.count) {
		report_bars_counts(&all->categories, &bars);
		bar_chart(w, "Threads opened by category, all troops", &bars);
	}
	report_bars_response(all, &bars);
	bar_chart(w, "Time to first answer, all troops", &bars);
	if (all->referrals.count)
		counts_table(w, meta, "Referrals by service, all troops", "Service", "Referrals",
		             &all->referrals, 1);
	for (size_t i = 0; i + 1 < r->n_troops; i++) {
		char who[16];
		snprintf(who, sizeof(who), "Troop %c", r->troops[i].troop);
		details(w, who, &r->troops[i].current);
	}
}

/* --- Both ----------------------------------------------------------------------------- */

int report_paper_parse(const char *s, enum report_paper *paper_r)
{
	if (strcasecmp(s, "letter") == 0)
		*paper_r = REPORT_PAPER_LETTER;
	else if (strcasecmp(s, "a4") == 0)
		*paper_r = REPORT_PAPER_A4;
	else
		return -1;
	return 0;
}

typedef void pages_fn(struct writer *w, void *report, const struct report_meta *meta);

static void monthly_fn(struct writer *w, void *r, const struct report_meta *meta)
{
	monthly_pages(w, r, meta);
}

static void quarterly_fn(struct writer *w, void *r, const struct report_meta *meta)
{
	quarterly_pages(w, r, meta);
}

/* Lays the report out once to count its pages, then draws it; frees the heading. */
static int write_pdf_free(FILE *out, pages_fn *pages, void *report, struct report_heading *h,
                          const struct report_meta *meta, enum report_paper paper,
                          char **error_r)
{
	struct writer w = {0};
	w.page_w = paper == REPORT_PAPER_A4 ? 595.276 : 612.0;
	w.page_h = paper == REPORT_PAPER_A4 ? 841.89 : 792.0;
	w.left = (w.page_w - CONTENT_W) / 2;
	w.h = h;
	char *title = xasprintf("%s, %s", h->title, h->period);
	int rc = pdf_canvas_open(out, w.page_w, w.page_h, title, meta->generated, &w.canvas, error_r);
	free(title);
	if (rc == 0) {
		pages(&w, report, meta);
		w.pages = w.page;
		w.page = 0;
		w.draw = 1;
		pages(&w, report, meta);
		rc = pdf_canvas_close(&w.canvas, error_r);
	}
	report_heading_free(h);
	return rc;
}

int report_monthly_pdf(FILE *out, struct report_monthly *r, const struct report_meta *meta,
                       enum report_paper paper, char **error_r)
{
	struct report_heading h;
	report_heading_monthly(meta, r, &h);
	return write_pdf_free(out, monthly_fn, r, &h, meta, paper, error_r);
}

int report_quarterly_pdf(FILE *out, struct report_quarterly *r, const struct report_meta *meta,
                         enum report_paper paper, char **error_r)
{
	struct report_heading h;
	report_heading_quarterly(meta, r, &h);
	return write_pdf_free(out, quarterly_fn, r, &h, meta, paper, error_r);
}
