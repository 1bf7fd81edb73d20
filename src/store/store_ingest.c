/* store_ingest.c — the ingest hot path, on the prepared statements of store.c: mailboxes,
 * custody, messages (raw bytes, text, attachments, search entry), placements, finding and
 * creating threads, routing results, the response clock, and the IMAP folders' state. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_private.h"

/* --- Mailboxes ------------------------------------------------------------------------- */

int store_mailbox_ensure(struct store *store, const char *name, char troop, const char *address,
                         int64_t *mailbox_id_r)
{
	char troop_s[2] = {troop, '\0'};
	sqlite3_stmt *s = sp_stmt(store, ST_MAILBOX_FIND);
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, name);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		int same = strcmp((const char *)sqlite3_column_text(s, 1), troop_s) == 0 &&
		           strcmp((const char *)sqlite3_column_text(s, 2), address) == 0;
		sqlite3_reset(s);
		sqlite3_clear_bindings(s);
		*mailbox_id_r = id;
		if (same)
			return 0;
		s = sp_stmt(store, ST_MAILBOX_UPDATE);
		if (s == NULL)
			return -1;
		sp_bind_int(s, 1, id);
		sp_bind_text(s, 2, troop_s);
		sp_bind_text(s, 3, address);
		return sp_step_done(store, s, "update mailbox");
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE) {
		sp_set_error(store, "find mailbox");
		return -1;
	}
	s = sp_stmt(store, ST_MAILBOX_INSERT);
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, name);
	sp_bind_text(s, 2, troop_s);
	sp_bind_text(s, 3, address);
	if (sp_step_done(store, s, "add mailbox") < 0)
		return -1;
	*mailbox_id_r = sqlite3_last_insert_rowid(store->db);
	return 0;
}

/* --- Messages and custody -------------------------------------------------------------- */

int store_custody_has_source(struct store *store, int64_t mailbox_id, const char *folder,
                             const char *source)
{
	sqlite3_stmt *s = sp_stmt(store, ST_CUSTODY_HAS_SOURCE);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, mailbox_id);
	sp_bind_text(s, 2, folder);
	sp_bind_text(s, 3, source);
	return sp_step_find(store, s, NULL, "find custody");
}

int store_custody_has_message(struct store *store, int64_t mailbox_id, const char *folder,
                              int64_t message_id)
{
	sqlite3_stmt *s = sp_stmt(store, ST_CUSTODY_HAS_MESSAGE);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, mailbox_id);
	sp_bind_text(s, 2, folder);
	sp_bind_int(s, 3, message_id);
	return sp_step_find(store, s, NULL, "find custody");
}

int store_custody_has_uid(struct store *store, int64_t mailbox_id, const char *folder,
                          int64_t uidvalidity, int64_t uid)
{
	sqlite3_stmt *s = sp_stmt(store, ST_CUSTODY_HAS_UID);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, mailbox_id);
	sp_bind_text(s, 2, folder);
	sp_bind_int(s, 3, uidvalidity);
	sp_bind_int(s, 4, uid);
	return sp_step_find(store, s, NULL, "find custody by UID");
}

int store_message_find_sha(struct store *store, const char *sha256, int64_t *message_id_r)
{
	sqlite3_stmt *s = sp_stmt(store, ST_MESSAGE_FIND_SHA);
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, sha256);
	return sp_step_find(store, s, message_id_r, "find message");
}

int store_custody_add(struct store *store, const struct custody_new *c)
{
	sqlite3_stmt *s = sp_stmt(store, ST_CUSTODY_INSERT);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, c->message_id);
	sp_bind_int(s, 2, c->mailbox_id);
	sp_bind_text(s, 3, c->folder);
	if (c->uidvalidity != 0) {
		sp_bind_int(s, 4, c->uidvalidity);
		sp_bind_int(s, 5, c->uid);
	}
	sp_bind_text(s, 6, c->source);
	sp_bind_int(s, 7, c->internal_date);
	sp_bind_int(s, 8, c->arrived_at);
	sp_bind_text(s, 9, c->kind ? c->kind : "arrival");
	return sp_step_done(store, s, "add custody");
}

/* "Name <addr>" for search and display. */
static char *address_text(const struct mime_address *a)
{
	if (a->name != NULL && a->name[0] != '\0')
		return xasprintf("%s <%s>", a->name, a->addr ? a->addr : "");
	return xstrdup(a->addr ? a->addr : "");
}

static char *recipients_text(const struct parsed_message *msg)
{
	struct buf b;
	buf_init(&b, SIZE_MAX);
	for (size_t i = 0; i < msg->n_to; i++) {
		char *one = address_text(&msg->to[i]);
		if (i > 0)
			buf_addstr(&b, ", ");
		buf_addstr(&b, one);
		free(one);
	}
	return buf_steal(&b, NULL);
}

static char *attachment_names(const struct parsed_message *msg)
{
	struct buf b;
	buf_init(&b, SIZE_MAX);
	for (size_t i = 0; i < msg->n_attachments; i++) {
		if (msg->attachments[i].filename == NULL)
			continue;
		if (b.len > 0)
			buf_addstr(&b, "\n");
		buf_addstr(&b, msg->attachments[i].filename);
	}
	return buf_steal(&b, NULL);
}

static int add_attachments(struct store *store, int64_t id, const struct parsed_message *msg)
{
	for (size_t i = 0; i < msg->n_attachments; i++) {
		const struct mime_attachment *a = &msg->attachments[i];
		sqlite3_stmt *s = sp_stmt(store, ST_ATTACHMENT_INSERT);
		if (s == NULL)
			return -1;
		sp_bind_int(s, 1, id);
		sp_bind_int(s, 2, (int64_t)i + 1);
		sp_bind_text(s, 3, a->filename);
		sp_bind_text(s, 4, a->content_type ? a->content_type : "application/octet-stream");
		sp_bind_int(s, 5, (int64_t)a->size);
		sp_bind_text(s, 6, a->sha256);
		if (sp_step_done(store, s, "add attachment") < 0)
			return -1;
	}
	return 0;
}

void sp_message_text_init(struct message_text *t, const struct parsed_message *msg)
{
	t->subject = msg->subject ? msg->subject : "";
	t->body = msg->text ? msg->text : "";
	t->from_text = address_text(&msg->from);
	t->to_text = recipients_text(msg);
	t->names = attachment_names(msg);
}

void sp_message_text_free(struct message_text *t)
{
	free(t->from_text);
	free(t->to_text);
	free(t->names);
}

/* Stores a message row's raw bytes and its full-text entry. */
int sp_bytes_and_index_add(struct store *store, int64_t id, const char *raw, size_t len,
                        const struct message_text *t)
{
	sqlite3_stmt *s = sp_stmt(store, ST_RAW_INSERT);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, id);
	sqlite3_bind_blob64(s, 2, raw, len, SQLITE_STATIC);
	if (sp_step_done(store, s, "add raw message") < 0)
		return -1;
	s = sp_stmt(store, ST_FTS_INSERT);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, id);
	sp_bind_text(s, 2, t->subject);
	sp_bind_text(s, 3, t->body);
	sp_bind_text(s, 4, t->from_text);
	sp_bind_text(s, 5, t->to_text);
	sp_bind_text(s, 6, t->names);
	return sp_step_done(store, s, "index message");
}

int store_message_add(struct store *store, const char *raw, size_t len,
                      const char sha256[SHA256_HEX_SIZE], const struct parsed_message *msg,
                      int64_t stored_at, int64_t *message_id_r)
{
	sqlite3_stmt *s = sp_stmt(store, ST_MESSAGE_INSERT);
	if (s == NULL)
		return -1;
	struct message_text t;
	sp_message_text_init(&t, msg);
	int rc = -1;

	sp_bind_text(s, 1, sha256);
	sp_bind_int(s, 2, (int64_t)len);
	sp_bind_text(s, 3, msg->message_id);
	sp_bind_text(s, 4, t.subject);
	sp_bind_text(s, 5, msg->from.addr ? msg->from.addr : "");
	sp_bind_text(s, 6, msg->from.name);
	sp_bind_text(s, 7, t.from_text);
	sp_bind_text(s, 8, t.to_text);
	sp_bind_int(s, 9, msg->date);
	sp_bind_text(s, 10, t.body);
	sp_bind_text(s, 11, t.names);
	sp_bind_text(s, 12, msg->quarantine_reason);
	sp_bind_int(s, 13, stored_at);
	if (sp_step_done(store, s, "add message") < 0)
		goto out;
	int64_t id = sqlite3_last_insert_rowid(store->db);
	if (sp_bytes_and_index_add(store, id, raw, len, &t) < 0 || add_attachments(store, id, msg) < 0)
		goto out;
	*message_id_r = id;
	rc = 0;
out:
	sp_message_text_free(&t);
	return rc;
}

/* --- Placements ------------------------------------------------------------------------ */

int store_placement_add(struct store *store, const struct placement_new *p)
{
	sqlite3_stmt *s = sp_stmt(store, ST_PLACEMENT_INSERT);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, p->message_id);
	sp_bind_int(s, 2, p->mailbox_id);
	sp_bind_int(s, 3, p->thread_id);
	sp_bind_text(s, 4, p->direction);
	sp_bind_text(s, 5, p->kind);
	sp_bind_text(s, 6, p->reason);
	sp_bind_int(s, 7, p->date);
	sp_bind_text(s, 8, p->autoreply);
	sp_bind_text(s, 9, p->language);
	sp_bind_text(s, 10, p->categories);
	sp_bind_text(s, 11, p->rules);
	sp_bind_text(s, 12, p->priority);
	return sp_step_done(store, s, "file message");
}

int store_placement_exists(struct store *store, int64_t mailbox_id, int64_t message_id)
{
	sqlite3_stmt *s = sp_stmt(store, ST_PLACEMENT_EXISTS);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, mailbox_id);
	sp_bind_int(s, 2, message_id);
	return sp_step_find(store, s, NULL, "find placement");
}

/* --- Threads --------------------------------------------------------------------------- */

int store_thread_find_by_ids(struct store *store, int64_t mailbox_id, const char *const *ids,
                             size_t n_ids, int64_t *thread_id_r)
{
	for (size_t i = 0; i < n_ids; i++) {
		sqlite3_stmt *s = sp_stmt(store, ST_THREAD_BY_ID);
		if (s == NULL)
			return -1;
		sp_bind_int(s, 1, mailbox_id);
		sp_bind_text(s, 2, ids[i]);
		int rc = sp_step_find(store, s, thread_id_r, "find thread by Message-ID");
		if (rc != 0)
			return rc;
	}
	return 0;
}

int store_thread_find_by_ref(struct store *store, int64_t mailbox_id, const char *ref,
                             const char *addr, int64_t *thread_id_r)
{
	sqlite3_stmt *s = sp_stmt(store, ST_THREAD_BY_REF);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, mailbox_id);
	sp_bind_text(s, 2, ref);
	sp_bind_text(s, 3, addr);
	return sp_step_find(store, s, thread_id_r, "find thread by reference");
}

int store_thread_find_by_index(struct store *store, int64_t mailbox_id, const char *thread_index,
                               int64_t *thread_id_r)
{
	sqlite3_stmt *s = sp_stmt(store, ST_THREAD_BY_INDEX);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, mailbox_id);
	sp_bind_text(s, 2, thread_index);
	return sp_step_find(store, s, thread_id_r, "find thread by Thread-Index");
}

int store_thread_find_by_subject(struct store *store, int64_t mailbox_id,
                                 const char *correspondent, const char *base_subject,
                                 int64_t date, int64_t window, int64_t *thread_id_r)
{
	sqlite3_stmt *s = sp_stmt(store, ST_THREAD_BY_SUBJECT);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, mailbox_id);
	sp_bind_text(s, 2, correspondent);
	sp_bind_text(s, 3, base_subject);
	sp_bind_int(s, 4, date);
	sp_bind_int(s, 5, window);
	return sp_step_find(store, s, thread_id_r, "find thread by subject");
}

int store_thread_create(struct store *store, const struct thread_new *t, int64_t *thread_id_r,
                        char *ref_r, size_t ref_size)
{
	char troop_s[2] = {t->troop, '\0'};
	int64_t seq = 0;
	sqlite3_stmt *s = sp_stmt(store, ST_COUNTER_NEXT);
	if (s == NULL)
		return -1;
	sp_bind_text(s, 1, troop_s);
	sp_bind_int(s, 2, t->year);
	if (sp_step_find(store, s, &seq, "number thread") != 1)
		return -1;
	snprintf(ref_r, ref_size, "%c-%04d-%05lld", t->troop, t->year, (long long)seq);

	s = sp_stmt(store, ST_THREAD_INSERT);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, t->mailbox_id);
	sp_bind_text(s, 2, ref_r);
	sp_bind_int(s, 3, t->year);
	sp_bind_int(s, 4, seq);
	sp_bind_text(s, 5, t->correspondent ? t->correspondent : "");
	sp_bind_text(s, 6, t->correspondent_name);
	sp_bind_text(s, 7, t->subject ? t->subject : "");
	sp_bind_text(s, 8, t->base_subject ? t->base_subject : "");
	sp_bind_text(s, 9, t->kind);
	sp_bind_int(s, 10, t->date);
	if (sp_step_done(store, s, "add thread") < 0)
		return -1;
	*thread_id_r = sqlite3_last_insert_rowid(store->db);
	return 0;
}

int store_thread_reopen_on_mail(struct store *store, int64_t thread_id)
{
	sqlite3_stmt *s = sp_stmt(store, ST_THREAD_REOPEN);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	if (sp_step_done(store, s, "reopen thread") < 0)
		return -1;
	return sqlite3_changes(store->db);
}

int store_thread_touch(struct store *store, int64_t thread_id, int64_t date, int from_person)
{
	sqlite3_stmt *s = sp_stmt(store, ST_THREAD_TOUCH);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	sp_bind_int(s, 2, date);
	sp_bind_int(s, 3, from_person);
	return sp_step_done(store, s, "update thread");
}

static int add_key(struct store *store, enum stmt_id id, int64_t a, const char *key, int64_t b,
                   const char *what)
{
	sqlite3_stmt *s = sp_stmt(store, id);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, a);
	sp_bind_text(s, 2, key);
	if (id != ST_PARTICIPANT_INSERT)
		sp_bind_int(s, 3, b);
	return sp_step_done(store, s, what);
}

int store_thread_add_id(struct store *store, int64_t mailbox_id, const char *msgid,
                        int64_t thread_id)
{
	return add_key(store, ST_THREAD_ID_INSERT, mailbox_id, msgid, thread_id, "remember Message-ID");
}

int store_thread_add_index(struct store *store, int64_t mailbox_id, const char *thread_index,
                           int64_t thread_id)
{
	return add_key(store, ST_THREAD_INDEX_INSERT, mailbox_id, thread_index, thread_id,
	               "remember Thread-Index");
}

int store_thread_add_participant(struct store *store, int64_t thread_id, const char *addr)
{
	return add_key(store, ST_PARTICIPANT_INSERT, thread_id, addr, 0, "remember participant");
}

/* --- Routing results on threads ------------------------------------------------------- */

int store_thread_route(struct store *store, int64_t thread_id, const char *category,
                       const char *priority, int confidential, int reportable)
{
	sqlite3_stmt *s = sp_stmt(store, ST_THREAD_ROUTE);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	sp_bind_text(s, 2, category);
	sp_bind_text(s, 3, priority ? priority : "normal");
	sp_bind_int(s, 4, confidential);
	sp_bind_int(s, 5, reportable);
	return sp_step_done(store, s, "route thread");
}

int store_thread_suggest(struct store *store, int64_t thread_id, const char *service,
                         int64_t now)
{
	sqlite3_stmt *s = sp_stmt(store, ST_THREAD_SUGGEST);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	sp_bind_text(s, 2, service);
	sp_bind_int(s, 3, now);
	return sp_step_done(store, s, "suggest referral");
}

int store_thread_ref(struct store *store, int64_t thread_id, char *ref_r, size_t size)
{
	sqlite3_stmt *s = sp_stmt(store, ST_THREAD_REF);
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		snprintf(ref_r, size, "%s", sp_col_text(s, 0));
	else if (rc != SQLITE_DONE)
		sp_set_error(store, "thread reference");
	rc = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return rc;
}

/* --- IMAP folder state ----------------------------------------------------------------- */

int store_folder_get(struct store *store, int64_t mailbox_id, const char *folder,
                     uint32_t *uidvalidity_r, uint32_t *last_uid_r)
{
	sqlite3_stmt *s = sp_query(store, "SELECT uidvalidity, last_uid FROM folders "
	                               "WHERE mailbox_id = ?1 AND name = ?2");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, mailbox_id);
	sp_bind_text(s, 2, folder);
	int rc = sqlite3_step(s);
	int result = 0;
	if (rc == SQLITE_ROW) {
		*uidvalidity_r = (uint32_t)sqlite3_column_int64(s, 0);
		*last_uid_r = (uint32_t)sqlite3_column_int64(s, 1);
		result = 1;
	} else if (rc != SQLITE_DONE) {
		sp_set_error(store, "folder state");
		result = -1;
	}
	sqlite3_finalize(s);
	return result;
}

int store_folder_set(struct store *store, int64_t mailbox_id, const char *folder,
                     uint32_t uidvalidity, uint32_t last_uid)
{
	sqlite3_stmt *s = sp_query(store,
	    "INSERT INTO folders (mailbox_id, name, uidvalidity, last_uid, updated_at) "
	    "VALUES (?1, ?2, ?3, ?4, strftime('%s','now')) ON CONFLICT (mailbox_id, name) DO UPDATE "
	    "SET uidvalidity = ?3, last_uid = ?4, updated_at = strftime('%s','now')");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, mailbox_id);
	sp_bind_text(s, 2, folder);
	sp_bind_int(s, 3, uidvalidity);
	sp_bind_int(s, 4, last_uid);
	return sp_run_update(store, s, "save folder state");
}

int store_mailbox_enrolled(struct store *store, int64_t mailbox_id, int64_t *enrolled_r)
{
	sqlite3_stmt *s = sp_query(store, "SELECT enrolled_at FROM mailboxes WHERE id = ?1");
	if (s == NULL)
		return -1;
	sp_bind_int(s, 1, mailbox_id);
	return sp_one_int64(store, s, enrolled_r, "mailbox enrolment");
}

/* --- The response clock ---------------------------------------------------------------- */

int store_thread_clock(struct store *store, int64_t thread_id, int64_t message_id, int response)
{
	sqlite3_stmt *s;
	if (response) {
		if ((s = sp_stmt(store, ST_CLOCK_MARK)) == NULL)
			return -1;
		sp_bind_int(s, 1, thread_id);
		sp_bind_int(s, 2, message_id);
		if (sp_step_done(store, s, "response clock") < 0)
			return -1;
	}
	if ((s = sp_stmt(store, ST_CLOCK_UPDATE)) == NULL)
		return -1;
	sp_bind_int(s, 1, thread_id);
	return sp_step_done(store, s, "response clock");
}
