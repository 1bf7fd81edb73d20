/* store_report.c — the queries of the monthly reports: the messages and threads that count,
 * the referrals made, and the submissions of each month's report. */
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

/* --- Reports --- */

struct report_mail_ctx {
	store_report_mail_cb *cb;
	void *ctx;
};

static int report_mail_row_cb(sqlite3_stmt *s, void *p)
{
	struct report_mail_ctx *c = p;
	struct report_mail_row row = {
		.troop = sp_col_text(s, 0)[0],
		.assignee = sp_col_text(s, 1),
		.response = sqlite3_column_int(s, 2),
		.date = sqlite3_column_int64(s, 3),
	};
	return c->cb(&row, c->ctx);
}

int store_report_mail(struct store *store, int64_t from, int64_t to, store_report_mail_cb *cb,
                      void *ctx)
{
	sqlite3_stmt *s = sp_query(store,
	    "SELECT m.troop, t.assignee, p.response, p.date FROM placements p "
	    "JOIN threads t ON t.id = p.thread_id JOIN mailboxes m ON m.id = t.mailbox_id "
	    "WHERE p.date >= ?1 AND p.date < ?2 "
	    "AND ((p.direction = 'in' AND p.kind = 'person') OR p.response = 1)");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, from);
	sp_bind_int(s, 2, to);
	struct report_mail_ctx c = {cb, ctx};
	return sp_each_row(store, s, report_mail_row_cb, &c);
}

int store_report_threads(struct store *store, int64_t from, int64_t to, store_thread_cb *cb,
                         void *ctx)
{
	sqlite3_stmt *s = sp_query(store,
	    "SELECT t.id, t.ref, m.name, t.status, t.kind, '', NULL, t.subject, t.category, "
	    "t.priority, t.assignee, t.message_count, t.first_at, t.last_at, "
	    "m.troop, t.confidential, t.reportable, t.rms_number, t.not_reportable_reason, "
	    "coalesce(t.closed_at, 0), coalesce(t.first_in_at, 0), coalesce(t.first_response_at, 0), "
	    "t.suspicious "
	    "FROM threads t JOIN mailboxes m ON m.id = t.mailbox_id WHERE t.kind = 'person' "
	    "AND ((t.first_at >= ?1 AND t.first_at < ?2) OR (t.first_in_at >= ?1 AND t.first_in_at < ?2) "
	    "OR (t.closed_at >= ?1 AND t.closed_at < ?2)) ORDER BY t.first_at, t.id");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, from);
	sp_bind_int(s, 2, to);
	struct thread_cb_ctx c = {cb, ctx};
	return sp_each_row(store, s, sp_thread_row_cb, &c);
}

struct report_referral_ctx {
	store_report_referral_cb *cb;
	void *ctx;
};

static int report_referral_row_cb(sqlite3_stmt *s, void *p)
{
	struct report_referral_ctx *c = p;
	struct report_referral_row row = {
		.troop = sp_col_text(s, 0)[0],
		.thread_ref = sp_col_text(s, 1),
		.service = sp_col_text(s, 2),
		.user = sp_col_text(s, 3),
		.at = sqlite3_column_int64(s, 4),
	};
	return c->cb(&row, c->ctx);
}

int store_report_referrals(struct store *store, int64_t from, int64_t to,
                           store_report_referral_cb *cb, void *ctx)
{
	sqlite3_stmt *s = sp_query(store,
	    "SELECT m.troop, t.ref, r.service, r.user, r.at FROM referrals r "
	    "JOIN threads t ON t.id = r.thread_id JOIN mailboxes m ON m.id = t.mailbox_id "
	    "WHERE r.at >= ?1 AND r.at < ?2 ORDER BY r.at, r.id");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, from);
	sp_bind_int(s, 2, to);
	struct report_referral_ctx c = {cb, ctx};
	return sp_each_row(store, s, report_referral_row_cb, &c);
}

int store_report_submit(struct store *store, const char *officer, const char *month,
                        const char *user, int64_t at, const char *figures)
{
	sqlite3_stmt *s = sp_query(store, "INSERT OR IGNORE INTO report_submissions (officer, month, "
	                               "submitted_by, submitted_at, figures) "
	                               "VALUES (?1, ?2, ?3, ?4, ?5)");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, officer);
	sp_bind_text(s, 2, month);
	sp_bind_text(s, 3, user);
	sp_bind_int(s, 4, at);
	sp_bind_text(s, 5, figures);
	return sp_run_changes(store, s, "report submission");
}

struct report_submission_ctx {
	store_report_submission_cb *cb;
	void *ctx;
};

static int report_submission_row_cb(sqlite3_stmt *s, void *p)
{
	struct report_submission_ctx *c = p;
	return c->cb(sp_col_text(s, 0), sp_col_text(s, 1), sqlite3_column_int64(s, 2), sp_col_text(s, 3),
	             c->ctx);
}

int store_report_submissions(struct store *store, const char *month,
                             store_report_submission_cb *cb, void *ctx)
{
	sqlite3_stmt *s = sp_query(store, "SELECT officer, submitted_by, submitted_at, figures "
	                               "FROM report_submissions WHERE month = ?1 ORDER BY officer");
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, month);
	struct report_submission_ctx c = {cb, ctx};
	return sp_each_row(store, s, report_submission_row_cb, &c);
}
