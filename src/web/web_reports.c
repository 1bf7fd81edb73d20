/* web_reports.c — the reports screen (see web_reports.h): a period picker, the monthly report
 * (everyone, a troop or one liaison) or the quarterly summary as the printable report's own
 * HTML inside the console's frame, its downloads (CSV, the printable page, PDF on Letter or
 * A4, each an attachment), and the monthly reports due with a Submit button for each liaison
 * the reader may submit for.  Who may read or submit what is ops_report.h's; every read is
 * audited there with the format it was read in. */
#include "web_reports.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "ops_report.h"
#include "report_pdf.h"
#include "report_render.h"
#include "web_html.h"
#include "web_notice.h"

/* The report asked for, from the query (the picker's fields). */
struct period {
	int quarterly;
	char month[16];    /* "YYYY-MM" */
	char quarter[16];  /* "YYYYQn" */
	char troop;        /* one troop, or '\0' */
	const char *officer; /* one liaison (borrowed from the query), or NULL */
	const char *scope; /* as given: "", "troop-K" or "officer-NAME" */
};

/* Defaults: the last month that is over, and its quarter. */
static void period_defaults(int64_t now, struct period *p)
{
	struct cal_date d = calendar_date_of(now, NULL);
	int y = d.year, m = d.month;
	report_previous_month(d.year, d.month, &y, &m);
	snprintf(p->month, sizeof(p->month), "%04d-%02d", y, m);
	snprintf(p->quarter, sizeof(p->quarter), "%04dQ%d", y, (m - 1) / 3 + 1);
}

static void copy_field(char *dst, size_t size, const char *value)
{
	if (value != NULL && *value != '\0')
		snprintf(dst, size, "%s", value);
}

static void period_read(struct web_ctx *c, struct period *p)
{
	memset(p, 0, sizeof(*p));
	period_defaults(c->req->now, p);
	const char *kind = web_query(c->req, "kind");
	p->quarterly = kind != NULL && strcmp(kind, "quarterly") == 0;
	copy_field(p->month, sizeof(p->month), web_query(c->req, "month"));
	copy_field(p->quarter, sizeof(p->quarter), web_query(c->req, "quarter"));
	const char *scope = web_query(c->req, "scope");
	p->scope = scope ? scope : "";
	if (strncmp(p->scope, "troop-", 6) == 0 && strlen(p->scope) == 7)
		p->troop = (char)toupper((unsigned char)p->scope[6]);
	else if (strncmp(p->scope, "officer-", 8) == 0 && p->scope[8] != '\0')
		p->officer = p->scope + 8;
}

/* The query string that asks for the same report (for the download links): every value
 * percent-encoded, since each came from the request. */
static char *period_query(const struct period *p)
{
	char *scope = web_url_encode(p->scope);
	char *month = web_url_encode(p->month);
	char *quarter = web_url_encode(p->quarter);
	char *q = p->quarterly ? xasprintf("kind=quarterly&quarter=%s", quarter)
	                       : xasprintf("kind=monthly&month=%s&scope=%s", month, scope);
	free(scope);
	free(month);
	free(quarter);
	return q;
}

/* --- Reading a report through ops ------------------------------------------------------ */

struct loaded {
	struct report_monthly *monthly;
	struct report_quarterly *quarterly;
};

static int load(struct web_ctx *c, const struct period *p, const char *format, struct loaded *l,
                char **error_r)
{
	memset(l, 0, sizeof(*l));
	if (p->quarterly)
		return ops_report_quarterly(c->store, &c->actor, p->quarter, format, &l->quarterly,
		                            error_r);
	struct ops_monthly_query q = {p->month, p->officer, p->troop, format, 0};
	return ops_report_monthly(c->store, &c->actor, &q, &l->monthly, error_r);
}

static void loaded_free(struct loaded *l)
{
	report_monthly_free(&l->monthly);
	report_quarterly_free(&l->quarterly);
}

static struct report_meta meta_of(struct web_ctx *c)
{
	struct report_meta meta = {c->config, c->req->now};
	return meta;
}

/* --- The screen ------------------------------------------------------------------------ */

static void picker(struct web_ctx *c, const struct period *p)
{
	struct buf *b = &c->res->body;
	const struct config *cfg = c->config;
	int liaison = c->actor.user->role == ROLE_CTL;
	html(b, "<form class=\"report-picker\" method=\"get\" action=\"/reports\" "
	        "aria-label=\"Choose a report\"><div class=\"field\"><label for=\"kind\">Report</label>"
	        "<select id=\"kind\" name=\"kind\"><option value=\"monthly\"%R>Monthly</option>",
	     p->quarterly ? "" : " selected");
	/* the quarterly summary is not a liaison's (ops refuses it): not offered */
	if (!liaison)
		html(b, "<option value=\"quarterly\"%R>Quarterly summary</option>",
		     p->quarterly ? " selected" : "");
	html(b, "</select></div><div class=\"field\"><label for=\"month\">Month</label>"
	        "<input id=\"month\" name=\"month\" type=\"month\" value=\"%s\"></div>", p->month);
	if (!liaison)
		html(b, "<div class=\"field\"><label for=\"quarter\">Quarter</label>"
		        "<input id=\"quarter\" name=\"quarter\" value=\"%s\" size=\"7\" "
		        "pattern=\"[0-9]{4}[Qq][1-4]\" aria-describedby=\"quarter-hint\">"
		        "<span id=\"quarter-hint\" class=\"hint\">as 2026Q4</span></div>", p->quarter);
	html(b, "<div class=\"field\"><label for=\"scope\">Monthly report of</label>"
	        "<select id=\"scope\" name=\"scope\"><option value=\"\">%s</option>",
	     liaison ? "Myself" : "All liaisons and troops");
	for (size_t i = 0; i < cfg->n_mailboxes; i++) {
		char t = cfg->mailboxes[i].troop;
		if (liaison && !ops_sees_troop(&c->actor, t))
			continue;
		char value[16];
		snprintf(value, sizeof(value), "troop-%c", t);
		html(b, "<option value=\"%s\"%R>Troop %c</option>", value,
		     p->troop == t ? " selected" : "", t);
	}
	for (size_t i = 0; i < cfg->n_users && !liaison; i++) {
		const struct user_config *u = &cfg->users[i];
		if (u->role != ROLE_CTL)
			continue;
		char *value = xasprintf("officer-%s", u->name);
		html(b, "<option value=\"%s\"%R>%s</option>", value,
		     p->officer && strcmp(p->officer, u->name) == 0 ? " selected" : "",
		     u->display_name ? u->display_name : u->name);
		free(value);
	}
	html(b, "</select></div><button type=\"submit\">Show</button></form>");
}

static void downloads(struct web_ctx *c, const struct period *p)
{
	char *q = period_query(p);
	/* (%s: the query's '&' become &amp; in the attribute) */
	html(&c->res->body, "<ul class=\"downloads\" aria-label=\"Download this report\">"
	                    "<li><a href=\"/reports/download?%s&amp;as=csv\" download>CSV</a></li>"
	                    "<li><a href=\"/reports/download?%s&amp;as=html\" download>Printable page "
	                    "(HTML)</a></li>"
	                    "<li><a href=\"/reports/download?%s&amp;as=pdf&amp;paper=letter\" "
	                    "download>PDF, Letter</a></li>"
	                    "<li><a href=\"/reports/download?%s&amp;as=pdf&amp;paper=a4\" "
	                    "download>PDF, A4</a></li></ul>", q, q, q, q);
	free(q);
}

/* The monthly reports due, and a Submit button where the reader may submit. */
static void due_section(struct web_ctx *c)
{
	struct buf *b = &c->res->body;
	struct report_due due;
	char *error = NULL;
	if (ops_report_due(c->store, &c->actor, NULL, c->req->now, &due, &error) != OPS_OK) {
		html(b, "<p role=\"alert\">%s</p>", error ? error : "The reports due cannot be read.");
		free(error);
		return;
	}
	struct report_meta meta = meta_of(c);
	html(b, "<section class=\"due\" aria-labelledby=\"due-h\"><h2 id=\"due-h\">Monthly reports "
	        "due</h2><p>Reports for %s are due on %s%R.</p>", due.month, due.due,
	     due.overdue ? " <strong class=\"overdue\">(overdue)</strong>" : "");
	if (due.missing.count == 0)
		html(b, "<p>None missing.</p>");
	else
		html(b, "<ul class=\"missing\">");
	for (size_t i = 0; i < due.missing.count; i++) {
		const char *who = due.missing.items[i];
		html(b, "<li><span class=\"who\">%s</span> not submitted",
		     report_user_name(&meta, who));
		if (ops_report_may_submit(&c->actor, who)) {
			html(b, "<form class=\"inline\" method=\"post\" action=\"/reports/submit\">");
			web_csrf_field(c);
			html(b, "<input type=\"hidden\" name=\"officer\" value=\"%s\">"
			        "<input type=\"hidden\" name=\"month\" value=\"%s\">"
			        "<button type=\"submit\">Submit %s's report for %s</button></form>",
			     who, due.month, report_user_name(&meta, who), due.month);
		}
		html(b, "</li>");
	}
	if (due.missing.count)
		html(b, "</ul>");
	if (due.submitted.count) {
		html(b, "<p>Submitted: ");
		for (size_t i = 0; i < due.submitted.count; i++)
			html(b, "%s%s", i ? ", " : "", report_user_name(&meta, due.submitted.items[i]));
		html(b, ".</p>");
	}
	html(b, "</section>");
	report_due_free(&due);
}

void web_reports_page(struct web_ctx *c, const char *rest)
{
	(void)rest;
	struct period p;
	period_read(c, &p);
	struct loaded l;
	char *error = NULL;
	int orc = load(c, &p, "screen", &l, &error);
	if (orc != OPS_OK) {
		web_ops_error(c, orc, error);
		free(error);
		return;
	}
	web_page_begin(c, "Reports", "reports");
	struct buf *b = &c->res->body;
	html(b, "<h1>Reports</h1>");
	html(b, "<div class=\"report-status\">");
	web_notice_show(c, "report-submitted");
	html(b, "</div>");
	due_section(c);
	html(b, "<section class=\"report-view\" aria-label=\"The report\">");
	picker(c, &p);
	downloads(c, &p);
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (out != NULL) {
		struct report_meta meta = meta_of(c);
		if (l.quarterly)
			report_quarterly_html_body(out, l.quarterly, &meta, 2);
		else
			report_monthly_html_body(out, l.monthly, &meta, 2);
		fclose(out);
		/* the report's own markup: report_html.c escaped every value in it */
		buf_add(b, text, len);
	}
	free(text);
	html(b, "</section>");
	web_page_end(c);
	loaded_free(&l);
}

/* --- Downloads ------------------------------------------------------------------------- */

static void attachment(struct web_ctx *c, const char *type, const char *name, char *data,
                       size_t len)
{
	char *disposition = xasprintf("attachment; filename=\"%s\"", name);
	web_add_header(c->res, "Content-Disposition", disposition);
	free(disposition);
	c->res->content_type = type;
	buf_add(&c->res->body, data, len);
}

void web_reports_get(struct web_ctx *c, const char *rest)
{
	const char *as = web_query(c->req, "as");
	if (strcmp(rest, "download") != 0 || as == NULL ||
	    (strcmp(as, "csv") != 0 && strcmp(as, "html") != 0 && strcmp(as, "pdf") != 0)) {
		web_not_found(c);
		return;
	}
	enum report_paper paper = REPORT_PAPER_LETTER;
	const char *paper_arg = web_query(c->req, "paper");
	if (paper_arg && report_paper_parse(paper_arg, &paper) < 0) {
		web_plain(c->res, 400, "paper: letter or a4");
		return;
	}
	struct period p;
	period_read(c, &p);
	struct loaded l;
	char *error = NULL;
	int orc = load(c, &p, as, &l, &error);
	if (orc != OPS_OK) {
		web_ops_error(c, orc, error);
		free(error);
		return;
	}
	struct report_meta meta = meta_of(c);
	char *data = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&data, &len);
	int rc = out ? 0 : -1;
	if (out != NULL && strcmp(as, "csv") == 0) {
		if (l.quarterly)
			report_quarterly_csv(out, l.quarterly);
		else
			report_monthly_csv(out, l.monthly, &meta);
	} else if (out != NULL && strcmp(as, "html") == 0) {
		if (l.quarterly)
			report_quarterly_html(out, l.quarterly, &meta);
		else
			report_monthly_html(out, l.monthly, &meta);
	} else if (out != NULL) {
		rc = l.quarterly ? report_quarterly_pdf(out, l.quarterly, &meta, paper, &error)
		                 : report_monthly_pdf(out, l.monthly, &meta, paper, &error);
	}
	if (out != NULL && fclose(out) != 0)
		rc = -1;
	loaded_free(&l);
	if (rc < 0) {
		web_ops_error(c, OPS_FAILED, error ? error : "The report could not be written.");
		free(error);
		free(data);
		return;
	}
	/* the file's name: only the period's digits, letters and '-' reach it */
	char name[96];
	snprintf(name, sizeof(name), "ctl-report-%s%s%s.%s",
	         p.quarterly ? p.quarter : p.month, strcmp(as, "pdf") == 0 ? "-" : "",
	         strcmp(as, "pdf") == 0 ? (paper == REPORT_PAPER_A4 ? "a4" : "letter") : "", as);
	for (char *s = name; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '.')
			*s = '_';
	attachment(c, strcmp(as, "csv") == 0 ? "text/csv; charset=utf-8"
	              : strcmp(as, "html") == 0 ? "text/html; charset=utf-8" : "application/pdf",
	           name, data, len);
	free(data);
}

/* --- Submitting ------------------------------------------------------------------------ */

void web_reports_action(struct web_ctx *c, const char *rest)
{
	if (strcmp(rest, "submit") != 0) {
		web_not_found(c);
		return;
	}
	const char *officer = web_form(c->req, "officer");
	const char *month = web_form(c->req, "month");
	if (officer == NULL || month == NULL) {
		web_plain(c->res, 400, "officer and month are required");
		return;
	}
	char *error = NULL;
	struct report_monthly *r = NULL;
	int orc = ops_report_submit(c->store, &c->actor, officer, month, c->req->now, &r, &error);
	report_monthly_free(&r);
	if (orc != OPS_OK) {
		web_ops_error(c, orc, error);
		free(error);
		return;
	}
	struct report_meta meta = meta_of(c);
	char *text = xasprintf("%s's report for %s was submitted; its figures are kept as they are "
	                       "now.", report_user_name(&meta, officer), month);
	web_notice_set(c, "report-submitted", text);
	free(text);
	web_redirect(c->res, "/reports");
}
