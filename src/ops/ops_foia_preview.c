/* ops_foia_preview.c — a message of a request's set as it will be produced, for the review
 * desk: the same fields, attachment names and text the production draws
 * (production_pages.c), through the same
 * redactor (redact.c) with the redactions in force, so that what the desk shows hidden is
 * what the PDF hides (see ops_foia.h). */
#include "ops_foia.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime.h"
#include "ops_message.h"
#include "util.h"

struct fields_ctx {
	int64_t id;
	int found;
	char *values[FOIA_FIELDS];
	int64_t date;
	char *withheld;
};

static int item_fields(const struct export_item_row *r, void *p)
{
	struct fields_ctx *c = p;
	if (r->id != c->id)
		return 0;
	const char *v[FOIA_FIELDS] = {
		[FOIA_FIELD_SUBJECT] = r->subject && r->subject[0] ? r->subject : "(no subject)",
		[FOIA_FIELD_FROM] = r->from_text, [FOIA_FIELD_TO] = r->to_text,
		[FOIA_FIELD_MESSAGE_ID] = r->message_id, [FOIA_FIELD_MAILBOXES] = r->custodians,
	};
	for (int i = 0; i < FOIA_FIELDS; i++)
		c->values[i] = xstrdup(v[i] ? v[i] : "");
	c->date = r->date;
	c->withheld = r->withheld_exemption ? xstrdup(r->withheld_exemption) : NULL;
	c->found = 1;
	return 1;
}

struct reds_ctx {
	int64_t id;
	struct redaction *v;
	size_t n;
};

static int message_redaction(const struct redaction_row *r, void *p)
{
	struct reds_ctx *c = p;
	if (r->message_id != c->id)
		return 0;
	c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
	c->v[c->n++] = (struct redaction){xstrdup(r->kind), xstrdup(r->value),
	                                  xstrdup(r->exemption)};
	return 0;
}

static void reds_free(struct reds_ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free((char *)c->v[i].kind);
		free((char *)c->v[i].value);
		free((char *)c->v[i].exemption);
	}
	free(c->v);
}

/* The fields, attachment names and text through the message's redactor (none when it has
 * no redaction: the production then draws it as it is). */
static int burn_in(struct foia_preview *p, const struct reds_ctx *reds, char **values,
                   const struct parsed_message *parsed, char **error_r)
{
	struct redactor *rd = NULL;
	if (reds->n > 0 && redactor_new(reds->v, reds->n, &rd, error_r) < 0)
		return OPS_FAILED;
	int rc = 0;
	for (int i = 0; rc == 0 && i < FOIA_FIELDS; i++)
		rc = redactor_apply(rd, values[i], &p->fields[i], NULL, error_r);
	size_t n = parsed ? parsed->n_attachments : 0;
	p->attachments = n ? xcalloc(n, sizeof(*p->attachments)) : NULL;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct mime_attachment *a = &parsed->attachments[i];
		struct foia_preview_attachment *out = &p->attachments[p->n_attachments++];
		out->content_type = xstrdup(a->content_type ? a->content_type : "");
		out->size = a->size;
		rc = redactor_apply(rd, a->filename ? a->filename : "(no name)", &out->name, NULL,
		                    error_r);
	}
	if (rc == 0)
		rc = redactor_apply(rd, p->original, &p->text, NULL, error_r);
	redactor_free(&rd);
	return rc == 0 ? OPS_OK : OPS_FAILED;
}

int ops_foia_preview(struct store *store, const struct actor *a, const char *ref,
                     const char *message, struct foia_preview *p, char **error_r)
{
	memset(p, 0, sizeof(*p));
	int64_t request_id = 0;
	int rc = ops_foia_lookup(store, a, ref, &request_id, error_r);
	if (rc != OPS_OK)
		return rc;
	struct ops_message m;
	if ((rc = ops_message_resolve(store, message, &m, error_r)) != OPS_OK)
		return rc;
	snprintf(p->sha256, sizeof(p->sha256), "%s", m.sha256);
	p->id = m.id;
	ops_message_clear(&m);
	struct fields_ctx f = {.id = p->id};
	struct reds_ctx reds = {.id = p->id};
	char *raw = NULL;
	size_t len = 0;
	if (store_foia_export_items(store, request_id, item_fields, &f) < 0 ||
	    (f.found && (store_foia_redactions(store, request_id, message_redaction, &reds) < 0 ||
	                 store_message_content(store, p->id, &raw, &len, &p->original) < 0))) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		rc = OPS_FAILED;
	} else if (!f.found) {
		*error_r = xasprintf("%s is not in the responsive set of %s", message, ref);
		rc = OPS_INVALID;
	}
	struct parsed_message *parsed = NULL;
	if (rc == OPS_OK && raw != NULL)
		mime_parse(raw, len, &a->config->limits, &parsed);
	free(raw);
	p->date = f.date;
	p->withheld = f.withheld;
	p->redactions = reds.n;
	if (rc == OPS_OK)
		rc = burn_in(p, &reds, f.values, parsed, error_r);
	parsed_message_free(&parsed);
	for (int i = 0; i < FOIA_FIELDS; i++)
		free(f.values[i]);
	reds_free(&reds);
	/* a person read the message's words: on the trail like liaison raw */
	if (rc == OPS_OK && ops_begin(store, ref, error_r) == OPS_OK) {
		char *details = xasprintf("read %s on the review desk", p->sha256);
		rc = ops_commit_audited(store, a, "foia-read", ref, details, 0, error_r);
		free(details);
	} else if (rc == OPS_OK) {
		rc = OPS_FAILED;
	}
	if (rc != OPS_OK)
		ops_foia_preview_clear(p);
	return rc;
}

void ops_foia_preview_clear(struct foia_preview *p)
{
	for (int i = 0; i < FOIA_FIELDS; i++)
		redacted_clear(&p->fields[i]);
	redacted_clear(&p->text);
	for (size_t i = 0; i < p->n_attachments; i++) {
		redacted_clear(&p->attachments[i].name);
		free(p->attachments[i].content_type);
	}
	free(p->attachments);
	free(p->original);
	free(p->withheld);
	memset(p, 0, sizeof(*p));
}
