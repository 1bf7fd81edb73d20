/* ops.c — who may do what to a thread, and the record each action leaves. */
#include "ops.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "ops_vocab.h"
#include "util.h"

char *ops_unknown_user(const struct config *config, const char *name)
{
	struct strlist names = {0};
	for (size_t i = 0; i < config->n_users; i++)
		strlist_add(&names, config->users[i].name);
	char *joined = strlist_join(&names, ", ");
	char *text = xasprintf("'%s' is not a [user] of %s (users: %s)", name, config->path,
	                       names.count ? joined : "none");
	free(joined);
	strlist_free(&names);
	return text;
}

void ops_ref_canonical(char *ref)
{
	/* References are written upper case; people type them any way (k-2026-00599). */
	for (char *p = ref; *p; p++)
		*p = (char)toupper((unsigned char)*p);
}

int ops_actor(const struct config *config, const char *name, struct actor *actor_r,
              char **error_r)
{
	if (name == NULL || name[0] == '\0') {
		*error_r = xstrdup("who is acting? give --as USER or set LIAISON_USER");
		return OPS_INVALID;
	}
	const struct user_config *user = config_find_user(config, name);
	if (user == NULL) {
		*error_r = ops_unknown_user(config, name);
		return OPS_INVALID;
	}
	actor_r->config = config;
	actor_r->user = user;
	return OPS_OK;
}

int ops_sees_troop(const struct actor *a, char troop)
{
	if (a->user->role != ROLE_CTL)
		return 1;
	return a->user->troops != NULL && strchr(a->user->troops, troop) != NULL;
}

const char *ops_visible_troops(const struct actor *a)
{
	if (a->user->role != ROLE_CTL)
		return NULL;
	return a->user->troops != NULL ? a->user->troops : "";
}

int ops_sees_content(const struct actor *a, char troop, int confidential, const char *assignee)
{
	if (!ops_sees_troop(a, troop))
		return 0;
	if (!confidential || a->user->role != ROLE_CTL)
		return 1;
	return assignee != NULL && strcmp(assignee, a->user->name) == 0;
}

struct load_ctx {
	struct ops_thread *t;
	int found;
};

static int copy_thread(const struct thread_row *row, void *p)
{
	struct load_ctx *c = p;
	c->found = 1;
	c->t->id = row->id;
	c->t->ref = xstrdup(row->ref);
	c->t->status = xstrdup(row->status);
	c->t->assignee = xstrdup(row->assignee);
	c->t->category = xstrdup(row->category);
	c->t->priority = xstrdup(row->priority);
	c->t->correspondent_name = xstrdup(row->correspondent_name);
	c->t->troop = row->troop;
	c->t->confidential = row->confidential;
	c->t->reportable = row->reportable;
	return 1;
}

int ops_thread_load(struct store *store, const struct actor *actor, const char *ref,
                    struct ops_thread *t, char **error_r)
{
	memset(t, 0, sizeof(*t));
	char *upper = xstrdup(ref);
	ops_ref_canonical(upper);
	struct thread_filter filter = {.ref = upper};
	struct load_ctx c = {t, 0};
	int listed = store_threads_list(store, &filter, copy_thread, &c);
	free(upper);
	if (listed < 0) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		return OPS_FAILED;
	}
	if (!c.found) {
		*error_r = xasprintf("no thread %s", ref);
		return OPS_NOT_FOUND;
	}
	if (!ops_sees_troop(actor, t->troop)) {
		*error_r = xasprintf("refused: %s is not a thread of your troops (%s)", ref,
		                     actor->user->troops ? actor->user->troops : "none");
		ops_thread_free(t);
		return OPS_REFUSED;
	}
	return OPS_OK;
}

void ops_thread_free(struct ops_thread *t)
{
	free(t->ref);
	free(t->status);
	free(t->assignee);
	free(t->category);
	free(t->priority);
	free(t->correspondent_name);
	memset(t, 0, sizeof(*t));
}

int ops_note_read(struct store *store, const struct actor *actor, const char *ref,
                  char **error_r)
{
	return audit_append(store, actor->user->name, "read-confidential", ref, NULL, error_r) < 0
	    ? OPS_FAILED : OPS_OK;
}

int ops_load_for_change(struct store *store, const struct actor *actor, const char *ref,
                        struct ops_thread *t, char **error_r)
{
	if (actor->user->role == ROLE_RECORDS) {
		*error_r = xstrdup("refused: records staff read threads and change nothing");
		return OPS_REFUSED;
	}
	int rc = ops_thread_load(store, actor, ref, t, error_r);
	if (rc != OPS_OK)
		return rc;
	/* A confidential thread is worked by its assignee, the coordinator and admins only:
	 * taking it, clearing its flag or writing to its correspondent would show it to
	 * anyone of the troop. */
	if (!ops_sees_content(actor, t->troop, t->confidential, t->assignee)) {
		*error_r = xasprintf("refused: %s is confidential and assigned to %s; the coordinator "
		                     "can assign it", ref, t->assignee ? t->assignee : "nobody yet");
		ops_thread_free(t);
		return OPS_REFUSED;
	}
	return OPS_OK;
}

struct change {
	const char *field, *value;
};

/* Applies the changes, the history entry and the audit entry in one transaction. */
int ops_begin(struct store *store, const char *object, char **error_r)
{
	if (store_begin(store) == 0)
		return OPS_OK;
	*error_r = object ? xasprintf("%s: %s", object, store_error(store))
	                  : xstrdup(store_error(store));
	return OPS_FAILED;
}

int ops_commit_audited(struct store *store, const struct actor *a, const char *action,
                       const char *object, const char *details, int store_rc, char **error_r)
{
	if (store_rc < 0) {
		*error_r = xasprintf("%s: %s", object, store_error(store));
		store_rollback(store);
		return OPS_FAILED;
	}
	if (audit_append(store, a->user->name, action, object, details, error_r) < 0) {
		store_rollback(store);
		return OPS_FAILED;
	}
	if (store_commit(store) < 0) {
		*error_r = xasprintf("%s: %s", object, store_error(store));
		store_rollback(store);
		return OPS_FAILED;
	}
	return OPS_OK;
}

int ops_thread_unchanged(struct store *store, const struct ops_thread *t, char **error_r)
{
	struct ops_thread now;
	memset(&now, 0, sizeof(now));
	struct thread_filter filter = {.ref = t->ref};
	struct load_ctx c = {&now, 0};
	if (store_threads_list(store, &filter, copy_thread, &c) < 0) {
		*error_r = xasprintf("%s: %s", t->ref, store_error(store));
		return OPS_FAILED;
	}
	int same = c.found && strcmp(now.status, t->status) == 0 &&
	           (now.assignee == NULL) == (t->assignee == NULL) &&
	           (now.assignee == NULL || strcmp(now.assignee, t->assignee) == 0) &&
	           now.confidential == t->confidential;
	if (!same)
		*error_r = xasprintf("%s changed meanwhile (now %s, assigned to %s): look at it again "
		                     "(liaison show %s)", t->ref, c.found ? now.status : "gone",
		                     now.assignee ? now.assignee : "nobody", t->ref);
	ops_thread_free(&now);
	return same ? OPS_OK : OPS_CONFLICT;
}

static int commit_change(struct store *store, const struct actor *actor,
                         const struct ops_thread *t, const struct change *changes, size_t n,
                         const char *action, const char *details, char **error_r)
{
	int64_t now = (int64_t)time(NULL);
	if (ops_begin(store, t->ref, error_r) != OPS_OK)
		return OPS_FAILED;
	int rc = ops_thread_unchanged(store, t, error_r);
	if (rc != OPS_OK) {
		store_rollback(store);
		return rc;
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = store_thread_set(store, t->id, changes[i].field, changes[i].value);
	if (rc == 0)
		rc = store_history_add(store, t->id, now, actor->user->name, action, details);
	return ops_commit_audited(store, actor, action, t->ref, details, rc, error_r);
}

/* The coordinator and admins hand threads around; a liaison takes over a colleague's thread
 * only on purpose (force), and that is recorded. */
static int may_reassign(const struct actor *actor, const struct ops_thread *t,
                        const char *assignee, int force, int taking, char **error_r)
{
	if (t->assignee == NULL || strcmp(t->assignee, assignee) == 0 || force)
		return OPS_OK;
	int oversees = actor->user->role == ROLE_COORDINATOR || actor->user->role == ROLE_ADMIN;
	if (!taking && (oversees || strcmp(t->assignee, actor->user->name) == 0))
		return OPS_OK;
	*error_r = xasprintf("refused: %s is assigned to %s; %s it with --force if you mean to "
	                     "take it over (recorded)", t->ref, t->assignee,
	                     taking ? "take" : "assign");
	return OPS_REFUSED;
}

/* ops_assign and ops_take: taking asks for force whoever the actor is. */
static int assign_as(struct store *store, const struct actor *actor, const char *ref,
                     const char *assignee, int force, int taking, int *changed_r,
                     char **error_r)
{
	*changed_r = 0;
	struct ops_thread t;
	int rc = ops_load_for_change(store, actor, ref, &t, error_r);
	if (rc != OPS_OK)
		return rc;
	const struct user_config *to = config_find_user(actor->config, assignee);
	struct actor as_assignee = {actor->config, to};
	if (t.assignee != NULL && strcmp(t.assignee, assignee) == 0) {
		rc = OPS_OK; /* already so: nothing to record */
	} else if ((rc = may_reassign(actor, &t, assignee, force, taking, error_r)) != OPS_OK) {
		;
	} else if (to == NULL) {
		*error_r = ops_unknown_user(actor->config, assignee);
		rc = OPS_INVALID;
	} else if (to->role == ROLE_RECORDS) {
		*error_r = xasprintf("refused: %s is records staff, who work no threads", assignee);
		rc = OPS_REFUSED;
	} else if (!ops_sees_troop(&as_assignee, t.troop)) {
		*error_r = xasprintf("refused: %s does not work troop %c", assignee, t.troop);
		rc = OPS_REFUSED;
	} else {
		/* Someone works it now: a new thread is open. */
		int opens = strcmp(t.status, "new") == 0;
		char *details = xasprintf("to %s (was %s)%s%s", assignee,
		                          t.assignee ? t.assignee : "nobody",
		                          force && t.assignee ? "; taken over with --force" : "",
		                          opens ? "; new -> open" : "");
		const struct change c[] = {{"assignee", assignee}, {"status", "open"}};
		rc = commit_change(store, actor, &t, c, opens ? 2 : 1, "assign", details, error_r);
		free(details);
		*changed_r = rc == OPS_OK;
	}
	ops_thread_free(&t);
	return rc;
}

int ops_assign(struct store *store, const struct actor *actor, const char *ref,
               const char *assignee, int force, int *changed_r, char **error_r)
{
	return assign_as(store, actor, ref, assignee, force, 0, changed_r, error_r);
}

int ops_take(struct store *store, const struct actor *actor, const char *ref, int force,
             int *changed_r, char **error_r)
{
	return assign_as(store, actor, ref, actor->user->name, force, 1, changed_r, error_r);
}

int ops_status(struct store *store, const struct actor *actor, const char *ref,
               const char *status, char **error_r)
{
	if (strcmp(status, "new") != 0 && strcmp(status, "open") != 0 &&
	    strcmp(status, "waiting") != 0) {
		*error_r = strcmp(status, "closed") == 0
		    ? xstrdup("close a thread with `liaison close` (it may need an RMS number)")
		    : xasprintf("'%s' is not a status: new, open, waiting (or close)", status);
		return OPS_INVALID;
	}
	struct ops_thread t;
	int rc = ops_load_for_change(store, actor, ref, &t, error_r);
	if (rc != OPS_OK)
		return rc;
	char *details = xasprintf("%s -> %s", t.status, status);
	const struct change c[] = {{"status", status}, {"closed_at", NULL}};
	rc = commit_change(store, actor, &t, c, 2, "status", details, error_r);
	free(details);
	ops_thread_free(&t);
	return rc;
}

int ops_category(struct store *store, const struct actor *actor, const char *ref,
                 const char *category, char **error_r)
{
	int rc = ops_vocab_check_category(actor->config, category, error_r);
	if (rc != OPS_OK)
		return rc;
	struct ops_thread t;
	rc = ops_load_for_change(store, actor, ref, &t, error_r);
	if (rc != OPS_OK)
		return rc;
	char *details = xasprintf("%s -> %s", t.category ? t.category : "none", category);
	const struct change c[] = {{"category", category}};
	rc = commit_change(store, actor, &t, c, 1, "category", details, error_r);
	free(details);
	ops_thread_free(&t);
	return rc;
}

int ops_flag(struct store *store, const struct actor *actor, const char *ref, const char *flag,
             int on, char **error_r)
{
	struct change c;
	if (strcmp(flag, "confidential") == 0 || strcmp(flag, "reportable") == 0)
		c = (struct change){flag, on ? "1" : "0"};
	else if (strcmp(flag, "urgent") == 0)
		c = (struct change){"priority", on ? "urgent" : "normal"};
	else {
		*error_r = xasprintf("'%s' is not a flag: confidential, reportable, urgent", flag);
		return OPS_INVALID;
	}
	struct ops_thread t;
	int rc = ops_load_for_change(store, actor, ref, &t, error_r);
	if (rc != OPS_OK)
		return rc;
	char *details = xasprintf("%s %s", flag, on ? "on" : "off");
	rc = commit_change(store, actor, &t, &c, 1, "flag", details, error_r);
	free(details);
	ops_thread_free(&t);
	return rc;
}

int ops_note(struct store *store, const struct actor *actor, const char *ref, const char *text,
             char **error_r)
{
	if (text == NULL || text[strspn(text, " \t\r\n")] == '\0') {
		*error_r = xstrdup("an empty note");
		return OPS_INVALID;
	}
	struct ops_thread t;
	int rc = ops_load_for_change(store, actor, ref, &t, error_r);
	if (rc != OPS_OK)
		return rc;
	/* The note's text goes into the thread's history; the audit says only that one was
	 * written (notes may hold what a victim said). */
	int64_t now = (int64_t)time(NULL);
	if (store_begin(store) < 0 ||
	    store_history_add(store, t.id, now, actor->user->name, "note", text) < 0) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		store_rollback(store);
		rc = OPS_FAILED;
	} else if (audit_append(store, actor->user->name, "note", t.ref, NULL, error_r) < 0) {
		store_rollback(store);
		rc = OPS_FAILED;
	} else if (store_commit(store) < 0) {
		*error_r = xasprintf("%s: %s", ref, store_error(store));
		store_rollback(store);
		rc = OPS_FAILED;
	}
	ops_thread_free(&t);
	return rc;
}

int ops_close(struct store *store, const struct actor *actor, const char *ref, const char *rms,
              const char *not_reportable_reason, char **error_r)
{
	/* The number links the thread to its incident report: a typo there loses the link. */
	if (rms != NULL) {
		int vrc = ops_vocab_check_rms(actor->config, rms, error_r);
		if (vrc != OPS_OK)
			return vrc;
	}
	struct ops_thread t;
	int rc = ops_load_for_change(store, actor, ref, &t, error_r);
	if (rc != OPS_OK)
		return rc;
	if (strcmp(t.status, "closed") == 0) {
		/* Closing again would move the closing date and could erase the RMS number. */
		*error_r = xasprintf("%s is closed already (liaison status %s open, then close, to "
		                     "close it again)", ref, ref);
		ops_thread_free(&t);
		return OPS_INVALID;
	}
	if (t.reportable && (rms == NULL || rms[0] == '\0') &&
	    (not_reportable_reason == NULL || not_reportable_reason[0] == '\0')) {
		*error_r = xasprintf("%s is flagged reportable: close it with --rms NUMBER (the incident "
		                     "report in the records system) or --not-reportable --reason TEXT",
		                     ref);
		ops_thread_free(&t);
		return OPS_INVALID;
	}
	char now[32];
	snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
	char *details = rms ? xasprintf("closed; RMS %s", rms)
	    : not_reportable_reason ? xasprintf("closed; not reportable: %s", not_reportable_reason)
	    : xstrdup("closed");
	const struct change c[] = {
		{"status", "closed"},
		{"closed_at", now},
		{"rms_number", rms},
		{"not_reportable_reason", rms ? NULL : not_reportable_reason},
	};
	rc = commit_change(store, actor, &t, c, 4, "close", details, error_r);
	free(details);
	ops_thread_free(&t);
	return rc;
}

char *ops_describe_search(const struct search_filter *f, size_t hits)
{
	return xasprintf("query=%s mailbox=%s from=%s to=%s since=%lld until=%lld category=%s "
	                 "thread=%s attachment=%d direction=%s hits=%zu",
	                 f->query ? f->query : "", f->mailbox ? f->mailbox : "",
	                 f->from ? f->from : "", f->to ? f->to : "", (long long)f->since,
	                 (long long)f->until, f->category ? f->category : "",
	                 f->thread_ref ? f->thread_ref : "", f->has_attachment,
	                 f->direction ? f->direction : "", hits);
}
