/* production_pages.c — what a produced message looks like on paper: its pages (headers, how
 * it is produced, its attachments, its text, redactions burned in as black boxes) and one
 * slip sheet per attachment, as runs of styled text for pdf.c.  production.c decides what is
 * produced, numbers and files it.  See production_pages.h. */
#include "production_pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"
#include "util.h"

/* The runs of a message's pages; texts made for them are owned here. */
struct runs {
	struct pdf_run *v;
	size_t n, cap;
	char **owned;
	size_t n_owned;
};

static void run_add(struct runs *r, const char *text, enum pdf_style style)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 32;
		r->v = xrealloc(r->v, r->cap * sizeof(*r->v));
	}
	r->v[r->n++] = (struct pdf_run){text, style};
}

/* Adds text made for the run (taken: freed with the runs). */
static void run_take(struct runs *r, char *text, enum pdf_style style)
{
	r->owned = xrealloc(r->owned, (r->n_owned + 1) * sizeof(*r->owned));
	r->owned[r->n_owned++] = text;
	run_add(r, text, style);
}

/* Adds text with the message's redactions burned in: labels as black boxes. */
static int runs_add_redacted(struct runs *r, const struct redactor *rd, const char *text,
                             enum pdf_style style, size_t *found, char **error_r)
{
	struct redacted red;
	if (redactor_apply(rd, text, &red, found, error_r) < 0)
		return -1;
	for (size_t i = 0; i < red.n; i++) {
		run_take(r, red.pieces[i].text, red.pieces[i].is_label ? PDF_REDACTED : style);
		red.pieces[i].text = NULL;
	}
	redacted_clear(&red);
	return 0;
}

static int runs_field(struct runs *r, const struct redactor *rd, const char *label,
                      const char *value, size_t *found, char **error_r)
{
	run_add(r, label, PDF_LABEL);
	run_add(r, " ", PDF_TEXT);
	if (runs_add_redacted(r, rd, value ? value : "", PDF_TEXT, found, error_r) < 0)
		return -1;
	run_add(r, "\n", PDF_TEXT);
	return 0;
}

static void runs_free(struct runs *r)
{
	free(r->v);
	for (size_t i = 0; i < r->n_owned; i++)
		free(r->owned[i]);
	free(r->owned);
	memset(r, 0, sizeof(*r));
}

/* The message's pages: its headers, how it is produced, its attachments, its text. */
int production_message_pages(struct message_out *m, struct pdf_doc *doc, char **error_r)
{
	const struct item *it = m->it;
	size_t *found = xcalloc(it->n_reds ? it->n_reds : 1, sizeof(*found));
	struct runs r = {0};
	int rc = runs_add_redacted(&r, m->rd, it->subject && *it->subject ? it->subject : "(no subject)",
	                           PDF_TITLE, found, error_r);
	run_add(&r, "\n", PDF_TEXT);
	if (rc == 0)
		rc = runs_field(&r, m->rd, "From:", it->from_text, found, error_r);
	if (rc == 0)
		rc = runs_field(&r, m->rd, "To:", it->to_text, found, error_r);
	run_add(&r, "Date:", PDF_LABEL);
	run_add(&r, " ", PDF_TEXT);
	run_add(&r, m->date, PDF_TEXT);
	run_add(&r, "\n", PDF_TEXT);
	if (rc == 0)
		rc = runs_field(&r, m->rd, "Message-ID:", it->message_id, found, error_r);
	if (rc == 0)
		rc = runs_field(&r, m->rd, "Mailbox:", it->custodians, found, error_r);
	run_add(&r, "Produced as:", PDF_LABEL);
	if (m->rd != NULL) {
		run_add(&r, " this redacted copy only; the original is not produced\n", PDF_TEXT);
	} else {
		run_take(&r, xasprintf(" %s\n", m->native_rel), PDF_TEXT);
		run_add(&r, "SHA-256:", PDF_LABEL);
		run_take(&r, xasprintf(" %s\n", it->sha256), PDF_TEXT);
	}
	size_t n_att = m->parsed ? m->parsed->n_attachments : 0;
	if (n_att > 0) {
		run_add(&r, "Attachments:", PDF_LABEL);
		run_take(&r, xasprintf(" %zu, each on a slip sheet after this message\n", n_att),
		         PDF_TEXT);
		for (size_t i = 0; i < n_att && rc == 0; i++) {
			const struct mime_attachment *a = &m->parsed->attachments[i];
			run_add(&r, "  \xe2\x80\xa2 ", PDF_TEXT);
			rc = runs_add_redacted(&r, m->rd, a->filename ? a->filename : "(no name)",
			                       PDF_TEXT, found, error_r);
			run_take(&r, xasprintf(" (%s, %llu bytes)\n", a->content_type,
			                      (unsigned long long)a->size), PDF_TEXT);
		}
	}
	if (m->parsed != NULL && m->parsed->quarantine_reason != NULL) {
		run_add(&r, "Note:", PDF_LABEL);
		run_take(&r, xasprintf(" the message could not be read whole (%s); the text below "
		                       "is what could be\n", m->parsed->quarantine_reason), PDF_TEXT);
	}
	run_add(&r, "\n", PDF_TEXT);
	if (rc == 0)
		rc = runs_add_redacted(&r, m->rd, m->text, PDF_BODY, found, error_r);
	if (rc == 0)
		pdf_write(doc, r.v, r.n);
	runs_free(&r);
	for (size_t j = 0; j < it->n_reds; j++)
		it->reds[j].found = found[j];
	free(found);
	return rc;
}

/* The slip sheet of attachment i: natively in natives/ unless its message is redacted. */
void production_slip_page(const struct message_out *m, size_t i, struct pdf_doc *doc)
{
	size_t n_att = m->parsed->n_attachments;
	const struct mime_attachment *a = &m->parsed->attachments[i];
	const struct slip *sl = &m->slips[i];
	struct runs r = {0};
	if (m->rd == NULL) {
		run_add(&r, "Attachment produced natively\n", PDF_TITLE);
	} else {
		run_add(&r, "Attachment not produced\n", PDF_TITLE);
		run_add(&r, "Its message carries redactions, and an attachment cannot be redacted "
		            "here: it is listed in withholding-log.csv for review by hand.\n\n",
		        PDF_TEXT);
	}
	run_add(&r, "Attachment:", PDF_LABEL);
	run_take(&r, xasprintf(" %zu of %zu to the message %s\n", i + 1, n_att, m->beg), PDF_TEXT);
	run_add(&r, "File name:", PDF_LABEL);
	run_add(&r, " ", PDF_TEXT);
	run_add(&r, sl->name, PDF_TEXT);
	run_add(&r, "\n", PDF_TEXT);
	run_add(&r, "Type:", PDF_LABEL);
	run_take(&r, xasprintf(" %s, %llu bytes\n", a->content_type, (unsigned long long)a->size),
	         PDF_TEXT);
	if (m->rd == NULL) {
		run_add(&r, "Native file:", PDF_LABEL);
		run_take(&r, xasprintf(" %s\n", sl->native), PDF_TEXT);
		run_add(&r, "SHA-256:", PDF_LABEL);
		run_take(&r, xasprintf(" %s\n", a->sha256), PDF_TEXT);
	}
	pdf_write(doc, r.v, r.n);
	runs_free(&r);
}
