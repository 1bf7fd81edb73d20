/* web_program.c — the program view: one row per troop, the counts that need the coordinator's
 * attention, each a link to the list it counts (the inbox's views and filters, the events
 * page's requests), and a total row.  The counts and who may see them are ops_program.c's. */
#include "web_program.h"

#include <stdio.h>
#include <stdlib.h>

#include "ops_inbox.h"
#include "ops_program.h"
#include "web_html.h"

/* A column: its heading, and the list its numbers open for troop K ("%c" the troop; an
 * empty troop for the total row opens every troop's). */
struct column {
	const char *key;         /* data-col of its cells (for tests and scripts) */
	const char *title;
	const char *href;        /* the list, before the troop: "/?view=unassigned&amp;troop=" */
	const char *after;       /* after the troop: "" or "&status=new" */
	int64_t (*value)(const struct ops_program_row *r);
};

static int64_t fresh(const struct ops_program_row *r) { return r->fresh; }
static int64_t unassigned(const struct ops_program_row *r) { return r->unassigned; }
static int64_t urgent(const struct ops_program_row *r) { return r->urgent; }
static int64_t overdue(const struct ops_program_row *r) { return r->overdue; }
static int64_t reportable(const struct ops_program_row *r) { return r->reportable; }
static int64_t requests(const struct ops_program_row *r) { return r->event_requests; }

static const struct column columns[] = {
	{"fresh", "New", "/?view=all&amp;status=new&amp;troop=", "", fresh},
	{"unassigned", "Unassigned", "/?view=unassigned&amp;troop=", "", unassigned},
	{"urgent", "Urgent", "/?view=urgent&amp;troop=", "", urgent},
	{"overdue", "Overdue", "/?view=overdue&amp;troop=", "", overdue},
	{"reportable", "Reportable, no RMS number", "/?view=reportable&amp;troop=", "", reportable},
	{"requests", "Event requests", "/events?status=requested&amp;troop=", "#requests", requests},
};
#define N_COLUMNS (sizeof(columns) / sizeof(*columns))

/* One cell: the number as a link to its list, named for a screen reader. */
static void cell(struct buf *b, const struct column *col, const char *troop_name, char troop,
                 int64_t n)
{
	char t[2] = {troop, '\0'};
	html(b, "<td data-col=\"%s\"%R><a href=\"%R%U%R\" aria-label=\"%s: %lld, %s\">%lld</a></td>",
	     col->key, n == 0 ? " class=\"zero\"" : "", col->href, t, col->after, col->title,
	     (long long)n, troop_name, (long long)n);
}

void web_program_page(struct web_ctx *c, const char *rest)
{
	(void)rest;
	struct ops_program_row *rows = NULL;
	size_t n = 0;
	char *error = NULL;
	int orc = ops_program_counts(c->store, &c->actor, c->req->now, &rows, &n, &error);
	if (orc != OPS_OK) {
		web_ops_error(c, orc, error);
		free(error);
		return;
	}
	web_page_begin(c, "Program", "program");
	struct buf *b = &c->res->body;
	html(b, "<h1>Program</h1><p class=\"hint\">What needs attention in each troop now. Each "
	        "number opens its list.</p><div class=\"scroll\" role=\"region\" "
	        "aria-labelledby=\"program-caption\" tabindex=\"0\"><table class=\"program\">"
	        "<caption id=\"program-caption\" class=\"visually-hidden\">Threads and event "
	        "requests needing attention, by troop</caption><thead><tr>"
	        "<th scope=\"col\">Troop</th>");
	for (size_t k = 0; k < N_COLUMNS; k++)
		html(b, "<th scope=\"col\">%s</th>", columns[k].title);
	html(b, "</tr></thead><tbody>");
	int64_t totals[N_COLUMNS] = {0};
	for (size_t i = 0; i < n; i++) {
		char name[16];
		snprintf(name, sizeof(name), "troop %c", rows[i].troop);
		html(b, "<tr data-troop=\"%c\"><th scope=\"row\">Troop %c</th>", rows[i].troop,
		     rows[i].troop);
		for (size_t k = 0; k < N_COLUMNS; k++) {
			int64_t v = columns[k].value(&rows[i]);
			totals[k] += v;
			cell(b, &columns[k], name, rows[i].troop, v);
		}
		html(b, "</tr>");
	}
	html(b, "</tbody><tfoot><tr data-troop=\"all\"><th scope=\"row\">All troops</th>");
	for (size_t k = 0; k < N_COLUMNS; k++)
		cell(b, &columns[k], "all troops", '\0', totals[k]);
	html(b, "</tr></tfoot></table></div>");
	free(rows);
	web_page_end(c);
}
