/* ops_foia_decide.c — the decisions on a request's items: withholding a message (with its
 * exemption) or a redaction in it, and revoking either; each recorded and audited (see
 * ops_foia.h, "Decisions"). */
#include "ops_foia.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hash.h"
#include "mime.h"
#include "name_addresses.h"
#include "ops_message.h"
#include "pattern.h"
#include "redact.h"
#include "util.h"

/* The message (see ops_message_resolve) as an item of the open request ref, and the
 * operation's transaction begun (when OPS_OK). */
static int begin_on_item(struct store *store, const struct actor *a, const char *ref,
                         const char *message, int64_t *request_r, int64_t *message_r,
                         char sha_r[SHA256_HEX_SIZE], char **error_r)
{
	int rc = ops_foia_open_for_change(store, a, ref, request_r, error_r);
	if (rc != OPS_OK)
		return rc;
	struct ops_message m;
	if ((rc = ops_message_resolve(store, message, &m, error_r)) != OPS_OK)
		return rc;
	snprintf(sha_r, SHA256_HEX_SIZE, "%s", m.sha256);
	ops_message_clear(&m);
	int found = store_foia_item_id(store, *request_r, sha_r, message_r);
	if (found <= 0) {
		*error_r = found < 0 ? xasprintf("%s: %s", ref, store_error(store))
		                     : xasprintf("%s is not in the responsive set of %s", message, ref);
		return found < 0 ? OPS_FAILED : OPS_INVALID;
	}
	return ops_begin(store, ref, error_r);
}

/* The message as every command names one it acted on: "<Message-ID> (12 digits)". */
static char *message_named(struct store *store, int64_t message_id, const char *sha)
{
	struct ops_message m;
	char *error = NULL, *named = NULL;
	if (ops_message_resolve(store, sha, &m, &error) == OPS_OK && m.id == message_id)
		named = ops_message_describe(&m);
	else
		named = xasprintf("%.12s", sha);
	free(error);
	ops_message_clear(&m);
	return named;
}

int ops_foia_withhold(struct store *store, const struct actor *a, const char *ref,
                      const char *message, const char *exemption, const char *reason,
                      char **done_r, char **error_r)
{
	/* who may, before what is wrong with the request */
	int may = ops_foia_may_change(a, error_r);
	if (may != OPS_OK)
		return may;
	if (exemption == NULL || exemption[0] == '\0' || reason == NULL || reason[0] == '\0') {
		*error_r = xstrdup("withholding needs --exemption CITATION and --reason TEXT");
		return OPS_INVALID;
	}
	int64_t request_id, message_id, id = 0;
	char sha[SHA256_HEX_SIZE];
	int rc = begin_on_item(store, a, ref, message, &request_id, &message_id, sha, error_r);
	if (rc != OPS_OK)
		return rc;
	/* one withholding in force per message: a change of mind is a revocation first, so
	 * that the first decision stays on record */
	int held = store_foia_withholding_in_force(store, request_id, message_id, &id);
	if (held != 0) {
		store_rollback(store);
		*error_r = held < 0 ? xasprintf("%s: %s", ref, store_error(store))
		                    : xasprintf("%s is withheld already (withholding %lld): revoke "
		                                "it first with foia unwithhold %s %s", message,
		                                (long long)id, ref, message);
		return held < 0 ? OPS_FAILED : OPS_INVALID;
	}
	int src = store_foia_withhold(store, request_id, message_id, exemption, reason,
	                              a->user->name, (int64_t)time(NULL), &id);
	char *details = xasprintf("withholding %lld: withheld %s under %s: %s", (long long)id, sha,
	                          exemption, reason);
	rc = ops_commit_audited(store, a, "foia-withhold", ref, details, src, error_r);
	if (rc == OPS_OK) {
		char *named = message_named(store, message_id, sha);
		*done_r = xasprintf("%s: withholding %lld on %s under %s", ref, (long long)id, named,
		                    exemption);
		free(named);
	}
	free(details);
	return rc;
}

int ops_foia_unwithhold(struct store *store, const struct actor *a, const char *ref,
                        const char *message, char **done_r, char **error_r)
{
	int64_t request_id, message_id, id = 0;
	char sha[SHA256_HEX_SIZE];
	int rc = begin_on_item(store, a, ref, message, &request_id, &message_id, sha, error_r);
	if (rc != OPS_OK)
		return rc;
	int held = store_foia_withholding_in_force(store, request_id, message_id, &id);
	int src = held > 0 ? store_foia_unwithhold(store, request_id, message_id, a->user->name,
	                                           (int64_t)time(NULL))
	                   : held;
	if (src == 0) {
		store_rollback(store);
		*error_r = xasprintf("%s is not withheld in %s", message, ref);
		return OPS_INVALID;
	}
	char *details = xasprintf("withholding %lld of %s revoked", (long long)id, sha);
	rc = ops_commit_audited(store, a, "foia-unwithhold", ref, details, src < 0 ? -1 : 0,
	                        error_r);
	if (rc == OPS_OK) {
		char *named = message_named(store, message_id, sha);
		*done_r = xasprintf("%s: withholding %lld on %s revoked", ref, (long long)id, named);
		free(named);
	}
	free(details);
	return rc;
}

int ops_foia_unredact(struct store *store, const struct actor *a, const char *ref,
                      const char *number, char **done_r, char **error_r)
{
	char *end = NULL;
	long long id = number ? strtoll(number, &end, 10) : 0;
	if (number == NULL || end == number || *end != '\0' || id <= 0) {
		*error_r = xasprintf("%s is not a redaction number (foia show %s lists them)",
		                     number ? number : "(none)", ref);
		return OPS_INVALID;
	}
	int64_t request_id;
	int rc = ops_foia_open_for_change(store, a, ref, &request_id, error_r);
	if (rc != OPS_OK)
		return rc;
	if (ops_begin(store, ref, error_r) != OPS_OK)
		return OPS_FAILED;
	int src = store_foia_unredact(store, request_id, id, a->user->name, (int64_t)time(NULL));
	if (src == 0) {
		store_rollback(store);
		*error_r = xasprintf("%s has no redaction %lld in force (foia show %s lists them)", ref,
		                     id, ref);
		return OPS_NOT_FOUND;
	}
	char *details = xasprintf("redaction %lld revoked", id);
	rc = ops_commit_audited(store, a, "foia-unredact", ref, details, src < 0 ? -1 : 0, error_r);
	if (rc == OPS_OK)
		*done_r = xasprintf("%s: redaction %lld revoked", ref, id);
	free(details);
	return rc;
}

/* Presets for what correspondents most often need hidden: phone numbers and street
 * addresses (US forms), and e-mail addresses (a name redacted beside its address hides
 * nothing). */
static const char *preset_pattern(const char *preset)
{
	if (strcmp(preset, "phone") == 0)
		return "(?<!\\d)(?:\\(\\d{3}\\)\\s?|\\d{3}[-. ])\\d{3}[-. ]\\d{4}(?!\\d)";
	if (strcmp(preset, "address") == 0)
		return "\\b\\d{1,6}\\s+(?:[A-Z][A-Za-z]+\\s+){1,3}"
		       "(?:St|Street|Ave|Avenue|Rd|Road|Dr|Drive|Ln|Lane|Blvd|Boulevard|Ct|Court|"
		       "Way|Pl|Place|Ter|Terrace|Hwy|Highway)\\b\\.?";
	if (strcmp(preset, "email") == 0)
		return "(?i)(?<![A-Z0-9._%+-])[A-Z0-9._%+-]+@[A-Z0-9-]+(?:\\.[A-Z0-9-]+)*\\.[A-Z]{2,}"
		       "(?![A-Z0-9-])";
	return NULL;
}

/* What the production draws of a message, and so what a redaction must find. */
struct drawn {
	int64_t id;
	char *fields[5];              /* subject, from, to, Message-ID, mailboxes */
};

static int drawn_fields(const struct export_item_row *r, void *p)
{
	struct drawn *d = p;
	if (r->id != d->id)
		return 0;
	const char *f[] = {r->subject, r->from_text, r->to_text, r->message_id, r->custodians};
	for (size_t i = 0; i < 5; i++)
		d->fields[i] = xstrdup(f[i] ? f[i] : "");
	return 1;
}

/* How many passages the redaction hides in the message as the production draws it (its
 * fields, attachment names and text): OPS_OK with *passages_r, or OPS_FAILED. */
static int count_passages(struct store *store, const struct actor *a, int64_t request_id,
                          int64_t message_id, const struct redaction *r, size_t *passages_r,
                          char **error_r)
{
	*passages_r = 0;
	struct drawn d = {.id = message_id};
	char *raw = NULL, *text = NULL;
	size_t len = 0;
	if (store_foia_export_items(store, request_id, drawn_fields, &d) < 0 ||
	    store_message_content(store, message_id, &raw, &len, &text) < 0) {
		*error_r = xasprintf("%s", store_error(store));
		for (size_t i = 0; i < 5; i++)
			free(d.fields[i]);
		return OPS_FAILED;
	}
	struct parsed_message *parsed = NULL;
	if (raw != NULL)
		mime_parse(raw, len, &a->config->limits, &parsed);
	struct redactor *rd = NULL;
	int rc = redactor_new(r, 1, &rd, error_r);
	for (size_t i = 0; rc == 0 && i < 5; i++) {
		char *out = redact_string(rd, d.fields[i], passages_r, error_r);
		rc = out ? 0 : -1;
		free(out);
	}
	for (size_t i = 0; rc == 0 && parsed != NULL && i < parsed->n_attachments; i++) {
		const char *name = parsed->attachments[i].filename;
		char *out = redact_string(rd, name ? name : "", passages_r, error_r);
		rc = out ? 0 : -1;
		free(out);
	}
	if (rc == 0) {
		char *out = redact_string(rd, text ? text : "", passages_r, error_r);
		rc = out ? 0 : -1;
		free(out);
	}
	redactor_free(&rd);
	parsed_message_free(&parsed);
	free(raw);
	free(text);
	for (size_t i = 0; i < 5; i++)
		free(d.fields[i]);
	return rc == 0 ? OPS_OK : OPS_FAILED;
}

struct seen_ctx {
	struct store *store;
	const struct actor *actor;
	const char *name;
	struct strlist *found, *forms;
	int failed;
};

/* The addresses that go with the name in one message of the request: its From, To and Cc
 * display names, and addresses written next to the name in its text. */
static int seen_in_message(const struct export_item_row *r, void *p)
{
	struct seen_ctx *c = p;
	char *raw = NULL, *text = NULL;
	size_t len = 0;
	int found = store_message_content(c->store, r->id, &raw, &len, &text);
	if (found < 0) {
		c->failed = 1;
		return 1;
	}
	if (found == 0)
		return 0; /* disposed of */
	name_addresses_in_text(c->name, text, c->found);
	struct parsed_message *m = NULL;
	mime_parse(raw, len, &c->actor->config->limits, &m);
	for (size_t i = 0; m != NULL && i <= m->n_to; i++) {
		const struct mime_address *who = i == 0 ? &m->from : &m->to[i - 1];
		/* the same person written another way ("Okafor, Tunde") is not hidden by the
		 * text as given: said too */
		if (name_addresses_in_mailbox(c->name, who->name, who->addr, c->found) &&
		    strcasestr(who->name, c->name) == NULL)
			strlist_add_unique(c->forms, who->name);
	}
	parsed_message_free(&m);
	free(raw);
	free(text);
	return 0;
}

int ops_foia_redact(struct store *store, const struct actor *a, const char *ref,
                    const char *message, const struct foia_redaction *want,
                    struct foia_redacted *done_r, char **error_r)
{
	memset(done_r, 0, sizeof(*done_r));
	const char *text = want->text, *pattern = want->pattern, *preset = want->preset;
	if ((text != NULL) + (pattern != NULL) + (preset != NULL) != 1) {
		*error_r = xstrdup("give one of --text STRING, --pattern PCRE2, "
		                   "--preset phone|address|email");
		return OPS_INVALID;
	}
	if (want->exemption == NULL || want->exemption[0] == '\0') {
		*error_r = xstrdup("a redaction needs --exemption CITATION");
		return OPS_INVALID;
	}
	if (preset != NULL && (pattern = preset_pattern(preset)) == NULL) {
		*error_r = xasprintf("no preset %s: phone, address or email", preset);
		return OPS_INVALID;
	}
	if (text != NULL && text[0] == '\0') {
		*error_r = xstrdup("an empty --text");
		return OPS_INVALID;
	}
	if (pattern != NULL && pattern_check(pattern, error_r) < 0)
		return OPS_INVALID;
	int64_t request_id, message_id, id = 0;
	char sha[SHA256_HEX_SIZE];
	int rc = begin_on_item(store, a, ref, message, &request_id, &message_id, sha, error_r);
	if (rc != OPS_OK)
		return rc;
	/* Counted in the transaction that records it: a redaction that hides nothing (a
	 * misspelt name) would leave the real words on the page. */
	struct redaction r = {text ? "text" : "pattern", text ? text : pattern, want->exemption};
	size_t passages = 0;
	if ((rc = count_passages(store, a, request_id, message_id, &r, &passages, error_r)) != OPS_OK) {
		store_rollback(store);
		return rc;
	}
	if (passages == 0) {
		store_rollback(store);
		*error_r = xasprintf("the %s matches nothing in %s: nothing recorded (check the "
		                     "spelling against foia show / liaison raw)",
		                     text ? "text" : preset ? "preset" : "pattern", message);
		return OPS_INVALID;
	}
	struct redaction_new row = {
		.kind = r.kind, .value = r.value, .preset = preset, .passages = (int64_t)passages,
		.exemption = want->exemption, .reason = want->reason, .user = a->user->name,
		.now = (int64_t)time(NULL),
	};
	int src = store_foia_redact(store, request_id, message_id, &row, &id);
	/* The audit names the rule, never the redacted words. */
	char *details = xasprintf("redaction %lld in %s under %s (%s, %zu passage%s)", (long long)id,
	                          sha, want->exemption, text ? "text" : preset ? preset : "pattern",
	                          passages, passages == 1 ? "" : "s");
	rc = ops_commit_audited(store, a, "foia-redact", ref, details, src, error_r);
	free(details);
	if (rc != OPS_OK)
		return rc;
	done_r->id = id;
	done_r->passages = passages;
	char *named = message_named(store, message_id, sha);
	done_r->done = xasprintf("%s: redaction %lld on %s (%zu passage%s)", ref, (long long)id,
	                         named, passages, passages == 1 ? "" : "s");
	free(named);
	if (text != NULL) {
		struct seen_ctx c = {store, a, text, &done_r->addresses, &done_r->forms, 0};
		/* suggestions only: the redaction is recorded whatever they find */
		if (store_foia_export_items(store, request_id, seen_in_message, &c) < 0 || c.failed) {
			strlist_free(&done_r->addresses);
			strlist_free(&done_r->forms);
		}
	}
	return OPS_OK;
}

void ops_foia_redacted_clear(struct foia_redacted *r)
{
	free(r->done);
	strlist_free(&r->addresses);
	strlist_free(&r->forms);
	memset(r, 0, sizeof(*r));
}
