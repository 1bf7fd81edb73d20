/* web_events.c — engagement events: the requests waiting for the coordinator's decision, each
 * with its details and (for those ops lets decide) Approve and Deny with a reason; the events
 * of a month with their status, decision and CAD sub-type; the CAD CSV of the month.  What each
 * reader sees, and every refusal, is ops_event.c's: a liaison sees its troops' events and
 * their decisions, an event of a confidential thread is masked as ops masks it. */
#include "web_events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "ops_event.h"
#include "web_html.h"
#include "web_notice.h"

struct events_ctx {
	struct web_ctx *c;
	const char *month;          /* the month shown, "YYYY-MM" */
	char troop;                 /* a troop filter, or '\0' */
	const char *status;         /* a status filter of the month's list, or NULL */
	int decides;                /* the reader may approve and deny */
	struct buf queue, table;    /* the two lists, built in one pass over the events */
	int n_queue, n_table;
};

static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July", "August", "September",
	"October", "November", "December",
};

/* 1 when s is "YYYY-MM", a real month. */
static int month_ok(const char *s)
{
	char day[11];
	struct cal_date d;
	if (s == NULL || strlen(s) != 7)
		return 0;
	snprintf(day, sizeof(day), "%s-01", s);
	return calendar_parse(day, &d) == 0;
}

/* "December 2026" of "2026-12" (month_ok). */
static void month_title(const char *month, char *out, size_t size)
{
	int m = atoi(month + 5);
	snprintf(out, size, "%s %.4s", month_names[(m - 1) % 12], month);
}

/* The month before (step -1) or after (step 1) "YYYY-MM". */
static void month_step(const char *month, int step, char out[8])
{
	int y = atoi(month), m = atoi(month + 5) + step;
	if (m < 1) {
		m = 12;
		y--;
	} else if (m > 12) {
		m = 1;
		y++;
	}
	snprintf(out, 8, "%04d-%02d", y, m);
}

/* "2026-12-10T18:00" shown as "2026-12-10 18:00". */
static void when_text(const char *date, char *out, size_t size)
{
	snprintf(out, size, "%s", date ? date : "");
	char *t = strchr(out, 'T');
	if (t != NULL)
		*t = ' ';
}

static const char *person(struct web_ctx *c, const char *user)
{
	return ops_user_display_name(c->config, user);
}

/* The decision or outcome in words: what a liaison comes to the page to learn. */
static void decision_text(struct web_ctx *c, struct buf *b, const struct event_row *e)
{
	const char *s = e->status;
	if (strcmp(s, "requested") == 0)
		html(b, "<span class=\"status requested\">Awaiting a decision</span>");
	else if (strcmp(s, "approved") == 0)
		html(b, "<span class=\"status approved\">Approved</span> by %s", person(c, e->decided_by));
	else if (strcmp(s, "denied") == 0)
		html(b, "<span class=\"status denied\">Denied</span> by %s<span class=\"reason\">"
		        "Reason: %s</span>", person(c, e->decided_by),
		     e->deny_reason ? e->deny_reason : "(masked: confidential)");
	else if (strcmp(s, "done") == 0)
		html(b, "<span class=\"status done\">Done</span>, primary unit %s",
		     person(c, e->primary_unit));
	else if (strcmp(s, "unable") == 0)
		html(b, "<span class=\"status unable\">Unable to fulfil</span>%R%s%R",
		     e->narrative ? "<span class=\"reason\">" : "", e->narrative,
		     e->narrative ? "</span>" : "");
	else
		html(b, "%s", s);
}

/* The request's details: where and when, the dispatch notice of a private meeting, media and
 * the group's consent. */
static void request_details(struct web_ctx *c, struct buf *b, const struct event_row *e)
{
	char when[32];
	when_text(e->date, when, sizeof(when));
	html(b, "<dl class=\"facts\"><dt>Date</dt><dd>%s</dd><dt>Place</dt><dd>%s</dd>"
	        "<dt>Kind</dt><dd>%s</dd><dt>Troop</dt><dd>%c</dd><dt>Thread</dt><dd>",
	     when, e->place, e->kind, e->troop);
	if (e->thread_ref)
		html(b, "<a href=\"/t/%U\">%s</a>", e->thread_ref, e->thread_ref);
	else
		html(b, "none (requested on its own)");
	char at[17];
	time_format_local(e->requested_at, at, sizeof(at));
	html(b, "</dd><dt>Requested by</dt><dd>%s, %s</dd><dt>Private meeting</dt><dd>",
	     person(c, e->requested_by), at);
	if (e->private_meeting)
		html(b, "Yes. Dispatch notice: expected to last %s; reach the liaison at %s",
		     e->duration ? e->duration : "(not given)",
		     e->contact ? e->contact : "(masked: confidential)");
	else
		html(b, "No");
	html(b, "</dd><dt>Media</dt><dd>");
	if (!e->media)
		html(b, "No media");
	else if (e->media_consent && strcmp(e->media_consent, "yes") == 0)
		html(b, "Media involved; the group consents");
	else
		html(b, "Media involved; <strong>the group does not consent</strong>");
	html(b, "</dd></dl>");
}

/* The form token into b (web_csrf_field writes to the page, and the queue is built apart). */
static void csrf_into(struct web_ctx *c, struct buf *b)
{
	struct buf page = c->res->body;
	c->res->body = *b;
	web_csrf_field(c);
	*b = c->res->body;
	c->res->body = page;
}

/* Approve, and Deny with its reason: shown only to those ops lets decide. */
static void decision_forms(struct events_ctx *ec, const struct event_row *e)
{
	struct web_ctx *c = ec->c;
	struct buf *b = &ec->queue;
	html(b, "<div class=\"decide\"><form method=\"post\" action=\"/events/%lld/approve\" "
	        "class=\"inline\">", (long long)e->id);
	csrf_into(c, b);
	html(b, "<input type=\"hidden\" name=\"month\" value=\"%s\"><button type=\"submit\">"
	        "Approve event %lld</button></form>"
	        "<form method=\"post\" action=\"/events/%lld/deny\" class=\"deny\">",
	     ec->month, (long long)e->id, (long long)e->id);
	csrf_into(c, b);
	html(b, "<input type=\"hidden\" name=\"month\" value=\"%s\"><label for=\"reason-%lld\">"
	        "Reason for denying (required to deny)</label><textarea id=\"reason-%lld\" "
	        "name=\"reason\" rows=\"2\" maxlength=\"500\" required></textarea>"
	        "<button type=\"submit\" class=\"secondary\">Deny event %lld</button></form></div>",
	     ec->month, (long long)e->id, (long long)e->id, (long long)e->id);
}

static void queue_item(struct events_ctx *ec, const struct event_row *e)
{
	struct buf *b = &ec->queue;
	char when[32];
	when_text(e->date, when, sizeof(when));
	html(b, "<li class=\"request\" id=\"event-%lld\" data-event=\"%lld\"><h3>Event %lld: %s, "
	        "%s</h3>", (long long)e->id, (long long)e->id, (long long)e->id, e->kind, when);
	request_details(ec->c, b, e);
	if (ec->decides)
		decision_forms(ec, e);
	html(b, "</li>");
	ec->n_queue++;
}

static void table_row(struct events_ctx *ec, const struct event_row *e)
{
	struct buf *b = &ec->table;
	char when[32];
	when_text(e->date, when, sizeof(when));
	html(b, "<tr data-event=\"%lld\" data-status=\"%s\"><td>%lld</td><td class=\"when\">%s</td>"
	        "<td>%c</td><td>%s</td><td class=\"place\">%s</td><td class=\"decision\">",
	     (long long)e->id, e->status, (long long)e->id, when, e->troop, e->kind, e->place);
	decision_text(ec->c, b, e);
	html(b, "</td><td>%s</td><td>", e->subtype ? e->subtype : "—");
	if (e->thread_ref)
		html(b, "<a href=\"/t/%U\">%s</a>", e->thread_ref, e->thread_ref);
	else
		html(b, "—");
	html(b, "</td></tr>");
	ec->n_table++;
}

static int event_seen(const struct event_row *e, void *p)
{
	struct events_ctx *ec = p;
	if (ec->troop && e->troop != ec->troop)
		return 0;
	if (strcmp(e->status, "requested") == 0)
		queue_item(ec, e);
	if (strncmp(e->date, ec->month, 7) == 0 &&
	    (ec->status == NULL || strcmp(e->status, ec->status) == 0))
		table_row(ec, e);
	return 0;
}

/* The filter form (a GET: the URL says what is shown) and the months around. */
static void filters(struct events_ctx *ec)
{
	struct web_ctx *c = ec->c;
	struct buf *b = &c->res->body;
	html(b, "<form class=\"filters\" method=\"get\" action=\"/events\">"
	        "<label>Month <input type=\"month\" name=\"month\" value=\"%s\" required></label> "
	        "<label>Troop <select name=\"troop\"><option value=\"\">all</option>", ec->month);
	for (size_t i = 0; i < c->config->n_mailboxes; i++) {
		char t = c->config->mailboxes[i].troop;
		if (ops_sees_troop(&c->actor, t))
			html(b, "<option%R>%c</option>", ec->troop == t ? " selected" : "", t);
	}
	html(b, "</select></label> <label>Status <select name=\"status\">"
	        "<option value=\"\">any</option>");
	static const char *const statuses[] = {"requested", "approved", "denied", "done", "unable"};
	for (size_t i = 0; i < sizeof(statuses) / sizeof(*statuses); i++)
		html(b, "<option%R>%s</option>",
		     ec->status && strcmp(ec->status, statuses[i]) == 0 ? " selected" : "",
		     statuses[i]);
	html(b, "</select></label> <button type=\"submit\">Show</button></form>");
}

void web_events_page(struct web_ctx *c, const char *rest)
{
	(void)rest;
	const char *month = web_query(c->req, "month");
	char this_month[8];
	if (!month_ok(month)) {
		char today[11];
		calendar_format(calendar_date_of(c->req->now, c->config->timezone), today);
		snprintf(this_month, sizeof(this_month), "%.7s", today);
		month = this_month;
	}
	const char *troop = web_query(c->req, "troop");
	const char *status = web_query(c->req, "status");
	struct events_ctx ec = {
		.c = c,
		.month = month,
		.troop = troop && troop[0] ? troop[0] : '\0',
		.status = status && status[0] ? status : NULL,
		.decides = ops_event_may_decide(&c->actor),
	};
	buf_init(&ec.queue, WEB_RESPONSE_MAX);
	buf_init(&ec.table, WEB_RESPONSE_MAX);
	char title[32];
	month_title(month, title, sizeof(title));
	web_page_begin(c, "Events", "events");
	struct buf *b = &c->res->body;
	char *error = NULL;
	int orc = ops_events_list(c->store, &c->actor, NULL, "html", event_seen, &ec, &error);
	if (orc != OPS_OK) {
		html(b, "<h1>Events</h1><p role=\"alert\">%s</p>", error);
		free(error);
		buf_free(&ec.queue);
		buf_free(&ec.table);
		web_page_end(c);
		return;
	}
	html(b, "<h1>Events</h1>");
	web_notice_show(c, "event-decided");
	html(b, "<section class=\"requests\" id=\"requests\" aria-labelledby=\"requests-h\">"
	        "<h2 id=\"requests-h\">Requests awaiting a decision <span class=\"count\">%d</span>"
	        "</h2>", ec.n_queue);
	if (!ec.decides && ec.n_queue > 0)
		html(b, "<p>The coordinator approves or denies these; the decision shows here and in "
		        "the events of the month below.</p>");
	if (ec.n_queue == 0)
		html(b, "<p class=\"empty\">No request waits for a decision.</p>");
	else {
		buf_add(&ec.queue, "", 1);
		html(b, "<ol class=\"requests\">%R</ol>", ec.queue.data);
	}
	html(b, "</section><section class=\"month\" aria-labelledby=\"month-h\">"
	        "<h2 id=\"month-h\">Events of %s</h2>", title);
	filters(&ec);
	char prev[8], next[8];
	month_step(month, -1, prev);
	month_step(month, 1, next);
	char prev_title[32], next_title[32];
	month_title(prev, prev_title, sizeof(prev_title));
	month_title(next, next_title, sizeof(next_title));
	html(b, "<p class=\"months\"><a href=\"/events?month=%U\" rel=\"prev\">← %s</a> "
	        "<a href=\"/events?month=%U\" rel=\"next\">%s →</a> "
	        "<a href=\"/events/cad.csv?month=%U\" download class=\"csv\">Download the CAD CSV of "
	        "%s</a> <span class=\"hint\">(events done or unable to fulfil)</span></p>",
	     prev, prev_title, next, next_title, month, title);
	if (ec.n_table == 0) {
		html(b, "<p class=\"empty\">No events in %s%R.</p>", title,
		     ec.troop || ec.status ? " with these filters" : "");
	} else {
		buf_add(&ec.table, "", 1);
		html(b, "<div class=\"scroll\" role=\"region\" aria-label=\"Events of %s\" tabindex=\"0\">"
		        "<table class=\"events\"><caption class=\"visually-hidden\">Events of %s"
		        "</caption><thead><tr><th scope=\"col\">No.</th><th scope=\"col\">Date</th>"
		        "<th scope=\"col\">Troop</th><th scope=\"col\">Kind</th><th scope=\"col\">Place"
		        "</th><th scope=\"col\">Status and decision</th><th scope=\"col\">Sub-type</th>"
		        "<th scope=\"col\">Thread</th></tr></thead><tbody>%R</tbody></table></div>",
		     title, title, ec.table.data);
	}
	html(b, "</section>");
	buf_free(&ec.queue);
	buf_free(&ec.table);
	web_page_end(c);
}

/* GET /events/cad.csv?month=YYYY-MM: what goes to CAD, as `liaison events --csv` writes it. */
void web_events_get(struct web_ctx *c, const char *rest)
{
	const char *month = web_query(c->req, "month");
	if (strcmp(rest, "cad.csv") != 0 || !month_ok(month)) {
		web_not_found(c);
		return;
	}
	char *data = NULL;
	size_t len = 0, rows = 0;
	FILE *out = open_memstream(&data, &len);
	char *error = NULL;
	int orc = out ? ops_events_csv(c->store, &c->actor, month, out, &rows, &error) : OPS_FAILED;
	if (out != NULL)
		fclose(out);
	if (orc != OPS_OK) {
		free(data);
		web_ops_error(c, orc, error ? error : "the CSV could not be made");
		free(error);
		return;
	}
	char *disposition = xasprintf("attachment; filename=\"cad-events-%s.csv\"", month);
	web_add_header(c->res, "Content-Disposition", disposition);
	free(disposition);
	c->res->content_type = "text/csv; charset=utf-8";
	buf_add(&c->res->body, data, len);
	free(data);
}

/* POST /events/ID/approve and /events/ID/deny (reason): ops decides who may. */
void web_events_action(struct web_ctx *c, const char *rest)
{
	long long id = 0;
	char verb[16] = "";
	int used = 0;
	if (sscanf(rest, "%lld/%15[a-z]%n", &id, verb, &used) != 2 || rest[used] != '\0' || id <= 0 ||
	    (strcmp(verb, "approve") != 0 && strcmp(verb, "deny") != 0)) {
		web_not_found(c);
		return;
	}
	int approve = strcmp(verb, "approve") == 0;
	char *error = NULL;
	int orc = ops_event_decide(c->store, &c->actor, id, approve, web_form(c->req, "reason"),
	                           &error);
	if (orc != OPS_OK) {
		web_ops_error(c, orc, error);
		free(error);
		return;
	}
	const char *month = web_form(c->req, "month");
	char *text = xasprintf("Event %lld %s", (long long)id,
	                       approve ? "approved: the liaison sees it on this page."
	                               : "denied: the liaison sees it and your reason on this page.");
	web_notice_set(c, "event-decided", text);
	free(text);
	char *to = xasprintf("/events?month=%s#requests", month_ok(month) ? month : "");
	web_redirect(c->res, to);
	free(to);
}
