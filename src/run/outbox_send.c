/* outbox_send.c — claim, send, mark; retries and give-ups; the sent copy into the thread. */
#include "outbox_send.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credential.h"
#include "ingest.h"
#include "log.h"
#include "mailbox_imap.h"
#include "outbox_about.h"
#include "outbox_notice.h"
#include "smtp.h"
#include "util.h"

int64_t outbox_retry_delay(int64_t attempts)
{
	int64_t delay = 60;
	for (int64_t i = 1; i < attempts && delay < 3600; i++)
		delay *= 2;
	return delay < 3600 ? delay : 3600;
}

static void resolved(int64_t id, const char *status, const char *recipient, void *p)
{
	struct outbox_counts *counts = p;
	int sent = strcmp(status, "sent") == 0;
	int uncertain = strcmp(status, "uncertain") == 0;
	if (sent)
		counts->sent++;
	else if (uncertain)
		counts->uncertain++;
	log_msg(uncertain ? LOG_LEVEL_ERROR : LOG_LEVEL_INFO, "outbox %lld: %s after a crash",
	        (long long)id, uncertain ? "uncertain (not sent again)" : status);
}

int outbox_resolve_claimed(struct store *store, struct outbox_counts *counts, char **error_r)
{
	static const char why[] =
	    "interrupted after it was handed to the SMTP server, before its answer was recorded; "
	    "not sent again automatically: check, then `liaison outbox retry` or `cancel`";
	if (store_outbox_resolve_claimed(store, why, resolved, counts) < 0) {
		*error_r = xasprintf("outbox: %s", store_error(store));
		return -1;
	}
	return 0;
}

struct send_ctx {
	struct store *store;
	const struct config *config;
	int64_t now;
	struct credential cr; /* the SMTP login, read once a run */
	int renewed;          /* a refused token was replaced in this run (once only) */
	struct outbox_counts *counts;
	char *error;          /* a store error or a refused login: the run stops */
	size_t n_gave_up;     /* rows failed in this run after every retry */
};

/* Files the sent copy into its thread (folder "liaison") and marks the row sent, in one
 * transaction: finding the copy later proves the row was sent. */
static int record_sent(struct send_ctx *ctx, const struct outbox_row *row)
{
	const struct mailbox_config *mailbox = config_find_mailbox(ctx->config, row->mailbox);
	struct ingest *ing = NULL;
	char *error = NULL;
	int rc = -1;
	if (mailbox == NULL) {
		/* The mailbox left the configuration: mark it sent all the same. */
		return store_outbox_finish(ctx->store, row->id, "sent", NULL, 0, ctx->now);
	}
	if (ingest_open(ctx->store, ctx->config, mailbox, "liaison", &ing, &error) < 0)
		goto out;
	struct ingest_item item = {
		.raw = xmalloc(row->len + 1),
		.len = row->len,
		.source = xasprintf("outbox:%lld", (long long)row->id),
		.internal_date = ctx->now,
	};
	memcpy(item.raw, row->raw, row->len);
	ingest_item_prepare(&item, &ctx->config->limits, NULL, NULL, NULL);
	enum ingest_outcome outcome;
	if (ingest_item_commit(ing, &item, &outcome, &error) == 0 &&
	    store_outbox_finish(ctx->store, row->id, "sent", NULL, 0, ctx->now) == 0 &&
	    ingest_flush(ing, &error) == 0)
		rc = 0;
	else if (error == NULL)
		error = xstrdup(store_error(ctx->store));
	ingest_item_clear(&item);
out:
	ingest_close(&ing);
	if (rc < 0) {
		ctx->error = xasprintf("outbox %lld: recording it sent: %s", (long long)row->id, error);
		free(error);
	}
	return rc;
}

struct data_complete_ctx {
	struct send_ctx *send;
	int64_t id;
	int marked;
};

/* Without the mark, a crash after the server's 250 would send the message again: rather
 * abort this attempt before the end of DATA. */
static int mark_data_complete(void *p)
{
	struct data_complete_ctx *c = p;
	if (store_outbox_data_complete(c->send->store, c->id) < 0) {
		log_error("outbox %lld: %s", (long long)c->id, store_error(c->send->store));
		return -1;
	}
	c->marked = 1;
	return 0;
}

static int send_one(const struct outbox_row *row, void *p)
{
	char about[160];
	struct send_ctx *ctx = p;
	struct smtp_outcome out;
	struct data_complete_ctx dc = {ctx, row->id, 0};
	int ok = smtp_send(&ctx->config->smtp, ctx->cr.secret, row->envelope_from, row->recipient,
	                   row->raw, row->len, mark_data_complete, &dc, &out) == 0;
	char *login_error = NULL;
	if (!ok && out.auth_refused && !ctx->renewed && credential_refused(&ctx->cr)) {
		/* An [oauth2] token refused: one new token, at once, for this row and the rest. */
		ctx->renewed = 1;
		credential_clear(&ctx->cr);
		if (credential_for_smtp(&ctx->config->smtp, &ctx->cr, &login_error) == 0) {
			smtp_outcome_clear(&out);
			dc.marked = 0;
			ok = smtp_send(&ctx->config->smtp, ctx->cr.secret, row->envelope_from,
			               row->recipient, row->raw, row->len, mark_data_complete, &dc,
			               &out) == 0;
		}
	}
	/* A refused login (or no token to log in with) is about every message: this one waits,
	 * and the run ends before another is tried; the sender backs off. */
	if (!ok && out.auth_refused && login_error == NULL)
		login_error = xasprintf("smtp: the server refused liaison's login: %s", out.text);
	/* A 5xx refuses this message; a refused login (535) is about every message. */
	int refused_message = out.code >= 500 && !out.auth_refused;
	int rc = 0;
	if (ok) {
		rc = record_sent(ctx, row);
		if (rc == 0)
			ctx->counts->sent++;
		log_info("%s: sent", outbox_row_about(row, about, sizeof(about)));
		/* A liaison's reply also goes into the mailbox's Sent folder, as a mail client
		 * would keep it; the poller then finds the same bytes there (stored once). */
		const struct mailbox_config *m = config_find_mailbox(ctx->config, row->mailbox);
		char *append_error = NULL;
		if (rc == 0 && m && strcmp(row->kind, "reply") == 0 &&
		    mailbox_imap_append_sent(m, row->raw, row->len, &append_error) < 0) {
			log_warn("%s: saving to %s/%s: %s (the copy is in the thread)",
			         outbox_row_about(row, about, sizeof(about)), m->name, m->sent_folder,
			         append_error);
			free(append_error);
		}
	} else if (out.code == 0 && dc.marked) {
		/* The whole message went out, then no answer (a timeout, a dropped connection):
		 * the server may have accepted it.  Not sent again by itself. */
		char *why = xasprintf("no answer after the whole message was sent (%s); not sent "
		                      "again automatically: check, then `liaison outbox retry` or "
		                      "`cancel`", out.text);
		rc = store_outbox_finish(ctx->store, row->id, "uncertain", why, 0, ctx->now);
		ctx->counts->uncertain++;
		log_error("%s: %s", outbox_row_about(row, about, sizeof(about)), why);
		free(why);
	} else if (refused_message || row->attempts >= OUTBOX_MAX_ATTEMPTS) {
		char *why = refused_message ? xstrdup(out.text)
		    : xasprintf(OUTBOX_GAVE_UP "%lld attempts: %s", (long long)row->attempts, out.text);
		rc = store_outbox_finish(ctx->store, row->id, "failed", why, 0, ctx->now);
		ctx->counts->failed++;
		log_warn("%s: failed: %s", outbox_row_about(row, about, sizeof(about)), why);
		free(why);
		/* A refusal (5xx) is about one message; giving up is about the server: the
		 * coordinator hears of those (outbox_notice.h), but never of the notice itself. */
		if (rc == 0 && !refused_message && outbox_notice_is_failure_notice(row))
			log_error("%s: the notice of failed messages could not be sent either; "
			          "`liaison outbox --status failed` lists them",
			          outbox_row_about(row, about, sizeof(about)));
		else if (rc == 0 && !refused_message)
			ctx->n_gave_up++;
	} else {
		int64_t next = ctx->now + outbox_retry_delay(row->attempts);
		rc = store_outbox_finish(ctx->store, row->id, "queued", out.text, next, ctx->now);
		ctx->counts->deferred++;
		log_msg(out.auth_refused ? LOG_LEVEL_WARN : LOG_LEVEL_INFO, "%s: deferred: %s%s",
		        outbox_row_about(row, about, sizeof(about)), out.text,
		        out.auth_refused ? " (the SMTP server refused liaison's login)" : "");
	}
	if (rc < 0 && ctx->error == NULL)
		ctx->error = xasprintf("outbox %lld: %s", (long long)row->id, store_error(ctx->store));
	if (ctx->error == NULL && login_error != NULL) {
		ctx->error = login_error; /* ends the run: the rows left stay queued, uncounted */
		login_error = NULL;
	}
	free(login_error);
	smtp_outcome_clear(&out);
	return rc < 0 || ctx->error != NULL;
}

int outbox_send_due(struct store *store, const struct config *config, int64_t now,
                    struct outbox_counts *counts, char **error_r)
{
	struct send_ctx ctx = {store, config, now, {0}, 0, counts, NULL, 0};
	const struct smtp_config *smtp = &config->smtp;
	if (smtp->url == NULL) {
		int64_t due = 0;
		if (store_outbox_next_due(store, &due) == 0 && due != 0 && due <= now)
			log_warn("outbox: messages are due but no [smtp] url is configured");
		return 0;
	}
	/* The login only when something is due: an [oauth2] provider is not asked for a token
	 * nobody uses. */
	int due = 1;
	if ((store_outbox_any_due(store, now, &due) < 0 || due) &&
	    credential_for_smtp(smtp, &ctx.cr, error_r) < 0)
		return -1;
	int rc = store_set_durable(store);
	while (rc == 0 && (rc = store_outbox_claim(store, now, send_one, &ctx)) == 1 &&
	       ctx.error == NULL)
		rc = 0;
	credential_clear(&ctx.cr);
	/* Every run, not only one that gave up: the store says who is not told yet, so a run
	 * that stopped before telling is made up for. */
	if (rc >= 0 && ctx.error == NULL &&
	    outbox_notice_failed(store, config, ctx.n_gave_up, now, &ctx.error) < 0)
		rc = -1;
	if (rc < 0 || ctx.error != NULL) {
		*error_r = ctx.error ? ctx.error : xasprintf("outbox: %s", store_error(store));
		return -1;
	}
	return 0;
}
