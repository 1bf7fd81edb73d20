/* store_read.c — reading back for the commands: threads, messages and their attachments,
 * messages by name, raw bytes, and the statistics of each mailbox. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

/* --- Reading --------------------------------------------------------------------------- */

int store_thread_has_party(struct store *store, int64_t thread_id, const char *addr)
{
	sqlite3_stmt *s = sp_query(store, "SELECT EXISTS (SELECT 1 FROM threads WHERE id = ?1 "
	                               "AND correspondent = ?2) OR EXISTS (SELECT 1 FROM "
	                               "thread_participants WHERE thread_id = ?1 AND addr = ?2)");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	sp_bind_text(s, 2, addr);
	int64_t v = 0;
	return sp_one_int64(store, s, &v, "thread party") < 0 ? -1 : v != 0;
}

struct news_cb_ctx {
	store_thread_news_cb *cb;
	void *ctx;
};

static int news_row_cb(sqlite3_stmt *s, void *p)
{
	struct news_cb_ctx *c = p;
	struct thread_news_row row = {
		.message_id = sqlite3_column_int64(s, 0),
		.outbox_id = sqlite3_column_int64(s, 1),
		.direction = sp_col_text(s, 2),
		.from_addr = sp_col_text(s, 3),
		.author = sp_col_text(s, 4),
		.date = sqlite3_column_int64(s, 5),
	};
	return c->cb(&row, c->ctx);
}

int store_thread_markers(struct store *store, int64_t thread_id, int64_t *message_r,
                         int64_t *outbox_r)
{
	sqlite3_stmt *s = sp_query(store, "SELECT coalesce(max(message_id), 0) FROM placements "
	                                  "WHERE thread_id = ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	if (sp_one_int64(store, s, message_r, "thread markers") < 0)
		return -1;
	s = sp_query(store, "SELECT coalesce(max(id), 0) FROM outbox WHERE thread_id = ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	return sp_one_int64(store, s, outbox_r, "thread markers");
}

int store_thread_news(struct store *store, int64_t thread_id, int64_t since_message,
                      int64_t since_outbox, store_thread_news_cb *cb, void *ctx)
{
	/* A sent message is found again by its Message-ID, as store_outbox_resolve_claimed
	 * does; what is still to send is in the outbox only. */
	sqlite3_stmt *s = sp_query(store,
	    "SELECT m.id, coalesce(o.id, 0), p.direction, m.from_addr, o.created_by, p.date "
	    "FROM placements p JOIN messages m ON m.id = p.message_id "
	    "LEFT JOIN outbox o ON o.message_id = m.message_id "
	    "WHERE p.thread_id = ?1 AND m.id > ?2 "
	    "UNION ALL "
	    "SELECT 0, o.id, 'out', NULL, o.created_by, o.created_at FROM outbox o "
	    "WHERE o.thread_id = ?1 AND o.id > ?3 "
	    "AND o.status IN ('queued', 'sending', 'uncertain') "
	    "ORDER BY 6, 1, 2");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	sp_bind_int(s, 2, since_message);
	sp_bind_int(s, 3, since_outbox);
	struct news_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, news_row_cb, &c);
}

void sp_thread_row_read(sqlite3_stmt *s, struct thread_row *row)
{
	*row = (struct thread_row){
		.id = sqlite3_column_int64(s, 0),
		.ref = sp_col_text(s, 1),
		.mailbox = sp_col_text(s, 2),
		.status = sp_col_text(s, 3),
		.kind = sp_col_text(s, 4),
		.correspondent = sp_col_text(s, 5),
		.correspondent_name = sp_col_text(s, 6),
		.subject = sp_col_text(s, 7),
		.category = sp_col_text(s, 8),
		.priority = sp_col_text(s, 9),
		.assignee = sp_col_text(s, 10),
		.message_count = sqlite3_column_int64(s, 11),
		.first_at = sqlite3_column_int64(s, 12),
		.last_at = sqlite3_column_int64(s, 13),
		.troop = sp_col_text(s, 14)[0],
		.confidential = sqlite3_column_int(s, 15),
		.reportable = sqlite3_column_int(s, 16),
		.rms_number = sp_col_text(s, 17),
		.not_reportable_reason = sp_col_text(s, 18),
		.closed_at = sqlite3_column_int64(s, 19),
		.first_in_at = sqlite3_column_int64(s, 20),
		.first_response_at = sqlite3_column_int64(s, 21),
		.suspicious = sqlite3_column_int(s, 22),
	};
}

int sp_thread_row_cb(sqlite3_stmt *s, void *p)
{
	struct thread_cb_ctx *c = p;
	struct thread_row row;
	sp_thread_row_read(s, &row);
	return c->cb(&row, c->ctx);
}

int store_threads_list(struct store *store, const struct thread_filter *f, store_thread_cb *cb,
                       void *ctx)
{
	/* One thread by its reference is looked up by the index on ref ("?3 IS NULL OR" would
	 * make SQLite read every thread). */
#define THREADS_SQL(by_ref) \
	"SELECT " SP_THREAD_COLUMNS " FROM threads t JOIN mailboxes m ON m.id = t.mailbox_id " \
	"WHERE " by_ref "(?1 IS NULL OR m.name = ?1) AND (?2 IS NULL OR t.status = ?2) " \
	"ORDER BY t.last_at DESC, t.id DESC"
	sqlite3_stmt *s = sp_query(store, f->ref != NULL ? THREADS_SQL("t.ref = ?3 AND ")
	                                                 : THREADS_SQL("?3 IS NULL AND "));
#undef THREADS_SQL
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, f->mailbox);
	sp_bind_text(s, 2, f->status);
	sp_bind_text(s, 3, f->ref);
	struct thread_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, sp_thread_row_cb, &c);
}

struct message_cb_ctx {
	store_message_cb *cb;
	void *ctx;
};

static int message_row_cb(sqlite3_stmt *s, void *p)
{
	struct message_cb_ctx *c = p;
	struct message_row row = {
		.id = sqlite3_column_int64(s, 0),
		.message_id = sp_col_text(s, 1),
		.sha256 = sp_col_text(s, 2),
		.thread_ref = sp_col_text(s, 3),
		.mailbox = sp_col_text(s, 4),
		.folder = sp_col_text(s, 5),
		.direction = sp_col_text(s, 6),
		.kind = sp_col_text(s, 7),
		.kind_reason = sp_col_text(s, 8),
		.quarantine_reason = sp_col_text(s, 9),
		.from_addr = sp_col_text(s, 10),
		.from_name = sp_col_text(s, 11),
		.to_text = sp_col_text(s, 12),
		.subject = sp_col_text(s, 13),
		.text = sp_col_text(s, 14),
		.date = sqlite3_column_int64(s, 15),
		.size = sqlite3_column_int64(s, 16),
		.autoreply = sp_col_text(s, 17),
		.language = sp_col_text(s, 18),
		.categories = sp_col_text(s, 19),
		.rules = sp_col_text(s, 20),
		.priority = sp_col_text(s, 21),
		.troop = sp_col_text(s, 22)[0],
		.thread_confidential = sqlite3_column_int(s, 23),
		.thread_assignee = sp_col_text(s, 24),
	};
	return c->cb(&row, c->ctx);
}

int store_messages_list(struct store *store, const struct message_filter *f, store_message_cb *cb,
                        void *ctx)
{
	/* One row per (message, mailbox) that has custody of it; the folder is where it first
	 * arrived in that mailbox. */
#define MESSAGES_COLUMNS \
	"SELECT m.id, m.message_id, m.sha256, t.ref, mb.name, " \
	"  (SELECT c2.folder FROM custody c2 WHERE c2.message_id = m.id " \
	"   AND c2.mailbox_id = mb.id ORDER BY c2.id LIMIT 1), " \
	"  p.direction, p.kind, p.reason, m.quarantine_reason, m.from_addr, m.from_name, " \
	"  m.to_text, m.subject, CASE WHEN ?4 THEN m.body END, " \
	"  coalesce(p.date, m.date), m.size, p.autoreply, p.language, p.categories, p.rules, " \
	"  p.priority, mb.troop, coalesce(t.confidential, 0), t.assignee "
#define MESSAGES_WHERE \
	"(?1 IS NULL OR mb.name = ?1) AND (NOT ?3 OR m.quarantine_reason IS NOT NULL) " \
	"ORDER BY coalesce(p.date, m.date), m.id"
	/* One thread's: the same rows (a thread's messages all have a placement, unique per
	 * mailbox and message), read from the thread's placements instead of every custody
	 * row of the store. */
	sqlite3_stmt *s = sp_query(store, f->thread_ref != NULL ?
	    MESSAGES_COLUMNS
	    "FROM threads t JOIN placements p ON p.thread_id = t.id "
	    "JOIN messages m ON m.id = p.message_id "
	    "JOIN mailboxes mb ON mb.id = p.mailbox_id "
	    "WHERE t.ref = ?2 AND EXISTS (SELECT 1 FROM custody c WHERE c.message_id = m.id "
	    "AND c.mailbox_id = mb.id) AND " MESSAGES_WHERE :
	    MESSAGES_COLUMNS
	    "FROM (SELECT DISTINCT message_id, mailbox_id FROM custody) c "
	    "JOIN messages m ON m.id = c.message_id "
	    "JOIN mailboxes mb ON mb.id = c.mailbox_id "
	    "LEFT JOIN placements p ON p.message_id = m.id AND p.mailbox_id = mb.id "
	    "LEFT JOIN threads t ON t.id = p.thread_id "
	    "WHERE ?2 IS NULL AND " MESSAGES_WHERE);
#undef MESSAGES_COLUMNS
#undef MESSAGES_WHERE
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, f->mailbox);
	sp_bind_text(s, 2, f->thread_ref);
	sp_bind_int(s, 3, f->quarantined_only);
	sp_bind_int(s, 4, f->with_text);
	struct message_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, message_row_cb, &c);
}

struct attachment_cb_ctx {
	store_attachment_cb *cb;
	void *ctx;
};

static int attachment_row_cb(sqlite3_stmt *s, void *p)
{
	struct attachment_cb_ctx *c = p;
	struct attachment_row row = {
		.filename = sp_col_text(s, 0),
		.content_type = sp_col_text(s, 1),
		.size = sqlite3_column_int64(s, 2),
		.sha256 = sp_col_text(s, 3),
	};
	return c->cb(&row, c->ctx);
}

int store_attachments_list(struct store *store, int64_t message_id, store_attachment_cb *cb,
                           void *ctx)
{
	sqlite3_stmt *s = sp_query(store, "SELECT filename, content_type, size, sha256 FROM attachments "
	                               "WHERE message_id = ?1 ORDER BY ordinal");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, message_id);
	struct attachment_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, attachment_row_cb, &c);
}

static int is_sha256_hex(const char *key)
{
	if (strlen(key) != 64)
		return 0;
	for (const char *p = key; *p; p++)
		if (!isxdigit((unsigned char)*p))
			return 0;
	return 1;
}

int store_raw_get(struct store *store, const char *key, char **raw_r, size_t *len_r,
                  char sha256_r[SHA256_HEX_SIZE])
{
	char *wanted = NULL;
	int by_sha = is_sha256_hex(key);
	if (by_sha) {
		wanted = str_lower(xstrdup(key));
	} else {
		size_t n = strlen(key);
		wanted = (n >= 2 && key[0] == '<' && key[n - 1] == '>') ? xstrndup(key + 1, n - 2)
		                                                       : xstrdup(key);
	}
	sqlite3_stmt *s = sp_query(store, by_sha
	    ? "SELECT m.sha256, r.raw FROM messages m JOIN message_raw r ON r.message_id = m.id "
	      "WHERE m.sha256 = ?1"
	    : "SELECT m.sha256, r.raw FROM messages m JOIN message_raw r ON r.message_id = m.id "
	      "WHERE m.message_id = ?1 ORDER BY m.id LIMIT 2");
	if (s == NULL) {
		free(wanted);
		return -1;
	}
	sp_bind_text(s, 1, wanted);
	int result = 0;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(sha256_r, SHA256_HEX_SIZE, "%s", sp_col_text(s, 0));
		size_t len = (size_t)sqlite3_column_bytes(s, 1);
		const void *raw = sqlite3_column_blob(s, 1);
		*raw_r = xmalloc(len + 1);
		if (len > 0)
			memcpy(*raw_r, raw, len);
		*len_r = len;
		result = 1;
		if (sqlite3_step(s) == SQLITE_ROW) {
			xfree(raw_r);
			free(store->error);
			store->error = xasprintf("several different messages have the Message-ID <%s>; "
			                         "name one by its SHA-256 (liaison messages lists them)",
			                         wanted);
			result = -1;
		}
	} else if (rc != SQLITE_DONE) {
		sp_set_error(store, "read message");
		result = -1;
	}
	sqlite3_finalize(s);
	free(wanted);
	return result;
}

struct named_cb_ctx {
	store_message_named_cb *cb;
	void *ctx;
};

static int named_row_cb(sqlite3_stmt *s, void *p)
{
	struct named_cb_ctx *c = p;
	return c->cb(sqlite3_column_int64(s, 0), sp_col_text(s, 1), sp_col_text(s, 2), c->ctx);
}

int store_messages_named(struct store *store, const char *key, int by_prefix,
                         store_message_named_cb *cb, void *ctx)
{
	char *low = NULL, *high = NULL;
	if (by_prefix) {
		/* a range over the unique index: every hash from the prefix up to the prefix
		 * followed by a character after every hex digit */
		low = str_lower(xstrdup(key));
		high = xasprintf("%sg", low);
	} else {
		size_t n = strlen(key);
		low = (n >= 2 && key[0] == '<' && key[n - 1] == '>') ? xstrndup(key + 1, n - 2)
		                                                    : xstrdup(key);
	}
	sqlite3_stmt *s = sp_query(store, by_prefix
	    ? "SELECT id, sha256, message_id FROM messages WHERE sha256 >= ?1 AND sha256 < ?2 "
	      "ORDER BY sha256"
	    : "SELECT id, sha256, message_id FROM messages WHERE message_id = ?1 ORDER BY id");
	int rc = -1;
	if (s != NULL) {
		sp_bind_text(s, 1, low);
		if (by_prefix)
			sp_bind_text(s, 2, high);
		struct named_cb_ctx c = {cb, ctx};
		rc = sp_each_row(store, s, named_row_cb, &c);
	}
	free(low);
	free(high);
	return rc;
}

struct stats_cb_ctx {
	store_stats_cb *cb;
	void *ctx;
};

static int stats_row_cb(sqlite3_stmt *s, void *p)
{
	struct stats_cb_ctx *c = p;
	struct stats_row row = {
		.mailbox = sp_col_text(s, 0),
		.messages = sqlite3_column_int64(s, 1),
		.threads = sqlite3_column_int64(s, 2),
		.quarantined = sqlite3_column_int64(s, 3),
		.duplicates = sqlite3_column_int64(s, 4),
		.arrivals = sqlite3_column_int64(s, 5),
	};
	return c->cb(&row, c->ctx);
}

int store_stats(struct store *store, store_stats_cb *cb, void *ctx)
{
	sqlite3_stmt *s = sp_query(store,
	    "SELECT * FROM ("
	    "SELECT mb.name AS name, "
	    "  (SELECT count(DISTINCT message_id) FROM custody c WHERE c.mailbox_id = mb.id), "
	    "  (SELECT count(*) FROM threads t WHERE t.mailbox_id = mb.id), "
	    "  (SELECT count(DISTINCT c.message_id) FROM custody c JOIN messages m "
	    "   ON m.id = c.message_id WHERE c.mailbox_id = mb.id "
	    "   AND m.quarantine_reason IS NOT NULL), "
	    "  (SELECT count(*) FROM custody c WHERE c.mailbox_id = mb.id AND c.kind = 'duplicate'), "
	    "  (SELECT count(*) FROM custody c WHERE c.mailbox_id = mb.id AND c.kind != 'resync') "
	    "FROM mailboxes mb "
	    "UNION ALL "
	    "SELECT NULL, (SELECT count(*) FROM messages), (SELECT count(*) FROM threads), "
	    "  (SELECT count(*) FROM messages WHERE quarantine_reason IS NOT NULL), "
	    "  (SELECT count(*) FROM custody WHERE kind = 'duplicate'), "
	    "  (SELECT count(*) FROM custody WHERE kind != 'resync')"
	    ") ORDER BY name IS NULL, name");
	if (s == NULL)
		return -1;
	struct stats_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, stats_row_cb, &c);
}
