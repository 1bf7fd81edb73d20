/* web_records_form.h — what the records office's pages share (web_records.c, web_foia.c,
 * web_review.c): form fields, the search's filters from a form, the exemption picker, whether
 * to show changing controls, and the way back after a change. */
#ifndef LIAISON_WEB_RECORDS_FORM_H
#define LIAISON_WEB_RECORDS_FORM_H

#include "store.h"
#include "web_page.h"

/* A form field of the POST, or "" (never NULL). */
const char *web_records_field(struct web_ctx *c, const char *name);
/* The search's filters from the page's query (form 0: a GET, the URL says what is searched)
 * or its POSTed form (form 1: saving a search, adding all its hits): fields q, mailbox, from,
 * to, category, thread, direction, since, until, attachment.  *search borrows the request's
 * strings; a missing field is "". */
void web_records_filters(struct web_ctx *c, int form, struct saved_search_row *search);
/* An ops call's refusal or failure as the page (web_ops_error); frees error. */
void web_records_failed(struct web_ctx *c, int ops_result, char *error);
/* 1 when ops lets the actor change requests: the pages show their controls only then (ops
 * refuses the POST anyway). */
int web_records_may_change(struct web_ctx *c);
/* A labelled <select name="exemption"> of the § 1-210(b) exemptions (id: the control's id). */
void web_records_exemption_select(struct web_ctx *c, const char *id);
/* 303 to path (already a path of this site, its parts encoded) with "?done=" done. */
void web_records_back(struct web_ctx *c, const char *path, const char *done);
/* A page of this site's own words "done" as a status line, when the query's done is one of
 * texts (pairs of key, text, ending in NULL). */
void web_records_done(struct web_ctx *c, const char *const *texts);

/* The frame of a records page: web_page_begin, the office's navigation (current: the href of
 * the page it is on, or NULL), and a <div class="records"> that records.css styles within
 * (its rules stay off every other page).  web_records_end closes both. */
void web_records_begin(struct web_ctx *c, const char *title, const char *current);
void web_records_end(struct web_ctx *c);

#endif
