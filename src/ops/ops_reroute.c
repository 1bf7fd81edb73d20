/* ops_reroute.c — liaison reroute: each person's incoming message of the chosen threads is
 * parsed from its original bytes and matched by the current rules, exactly as ingest.c does
 * on arrival; the thread then takes what the rules say, except what a person set. */
#include "ops_reroute.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "mime.h"
#include "util.h"

struct placement {
	int64_t placement_id, message_id, thread_id;
	char *thread_ref;
};

struct placements {
	struct placement *items;
	size_t count, cap;
};

static int collect(const struct reroute_placement_row *row, void *p)
{
	struct placements *l = p;
	if (l->count == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	l->items[l->count++] = (struct placement){row->placement_id, row->message_id, row->thread_id,
	                                          xstrdup(row->thread_ref)};
	return 0;
}

/* What the rules say of a whole thread: as ingest.c builds it message by message (the first
 * category found, the highest priority, any flag, every suggested service). */
struct derived {
	char *category;
	enum route_priority priority;
	int confidential, reportable;
	struct strlist suggestions;
};

/* Which of the thread's routing a person set (its history holds their `category` or `flag`
 * operation): those the rules leave alone. */
struct locks {
	int category, priority, confidential, reportable;
};

static int read_lock(const struct history_row *row, void *p)
{
	struct locks *l = p;
	const char *d = row->details ? row->details : "";
	if (strcmp(row->action, "category") == 0)
		l->category = 1;
	else if (strcmp(row->action, "flag") == 0) {
		if (strncmp(d, "confidential ", 13) == 0)
			l->confidential = 1;
		else if (strncmp(d, "reportable ", 11) == 0)
			l->reportable = 1;
		else if (strncmp(d, "urgent ", 7) == 0)
			l->priority = 1;
	}
	return 0;
}

/* Routes one stored message again and records what was found in its placement.  Returns 1
 * when routed, 0 when its bytes are gone (disposed of), -1 on a store error. */
static int route_one(struct store *store, const struct actor *actor,
                     const struct route_rules *rules, const struct placement *pl, int write,
                     struct derived *d)
{
	char *raw = NULL, *text = NULL;
	size_t len = 0;
	int have = store_message_content(store, pl->message_id, &raw, &len, &text);
	free(text);
	if (have <= 0)
		return have;
	struct parsed_message *msg = NULL;
	mime_parse(raw, len, &actor->config->limits, &msg);
	free(raw);
	struct route_result r;
	route_match(rules, msg->subject, msg->text, &r);
	parsed_message_free(&msg);
	if (d->category == NULL && r.categories.count > 0)
		d->category = xstrdup(r.categories.items[0]);
	if (r.priority > d->priority)
		d->priority = r.priority;
	d->confidential |= r.confidential;
	d->reportable |= r.reportable;
	for (size_t i = 0; i < r.referrals.count; i++)
		strlist_add_unique(&d->suggestions, r.referrals.items[i]);
	int rc = 0;
	if (write) {
		char *categories = r.categories.count ? strlist_join(&r.categories, ",") : NULL;
		char *names = r.rules.count ? strlist_join(&r.rules, ",") : NULL;
		rc = store_placement_route(store, pl->placement_id, categories, names,
		                           route_priority_name(r.priority));
		free(categories);
		free(names);
	}
	route_result_clear(&r);
	return rc < 0 ? -1 : 1;
}

static const char *or_none(const char *s)
{
	return s ? s : "none";
}

static int same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* Compares the thread with what the rules say: changes and kept in words, and (when write)
 * applies the changes.  Returns 0 or -1 on a store error. */
static int settle(struct store *store, int64_t thread_id, const struct derived *d,
                  const struct locks *lk, int write, struct buf *changes, struct buf *kept)
{
	struct thread_routing cur;
	if (store_thread_routing(store, thread_id, &cur) <= 0)
		return -1;
	const char *priority = route_priority_name(d->priority);
	const char *sep_c = "", *sep_k = "";
	int rc = 0;
	if (!same(cur.category, d->category)) {
		struct buf *b = lk->category ? kept : changes;
		buf_addf(b, "%scategory %s -> %s", lk->category ? sep_k : sep_c, or_none(cur.category),
		         or_none(d->category));
		*(lk->category ? &sep_k : &sep_c) = "; ";
		if (!lk->category && write)
			rc = store_thread_set(store, thread_id, "category", d->category);
	}
	if (rc == 0 && strcmp(cur.priority, priority) != 0) {
		struct buf *b = lk->priority ? kept : changes;
		buf_addf(b, "%spriority %s -> %s", lk->priority ? sep_k : sep_c, cur.priority, priority);
		*(lk->priority ? &sep_k : &sep_c) = "; ";
		if (!lk->priority && write)
			rc = store_thread_set(store, thread_id, "priority", priority);
	}
	const struct {
		const char *name;
		int now, rules, locked;
	} flags[] = {
		{"confidential", cur.confidential, d->confidential, lk->confidential},
		{"reportable", cur.reportable, d->reportable, lk->reportable},
	};
	for (size_t i = 0; rc == 0 && i < 2; i++) {
		if (!flags[i].now == !flags[i].rules)
			continue;
		struct buf *b = flags[i].locked ? kept : changes;
		buf_addf(b, "%s%s %s", flags[i].locked ? sep_k : sep_c, flags[i].name,
		         flags[i].rules ? "on" : "off");
		*(flags[i].locked ? &sep_k : &sep_c) = "; ";
		if (!flags[i].locked && write)
			rc = store_thread_set(store, thread_id, flags[i].name, flags[i].rules ? "1" : "0");
	}
	/* Suggested referrals are the rules' alone (a person's referral is a `refer`). */
	struct strlist was = {0};
	if (rc == 0)
		rc = store_thread_suggestions(store, thread_id, &was);
	int64_t now = (int64_t)time(NULL);
	for (size_t i = 0; rc == 0 && i < d->suggestions.count; i++)
		if (!strlist_contains(&was, d->suggestions.items[i])) {
			buf_addf(changes, "%ssuggested +%s", sep_c, d->suggestions.items[i]);
			sep_c = "; ";
			if (write)
				rc = store_thread_suggest(store, thread_id, d->suggestions.items[i], now);
		}
	for (size_t i = 0; rc == 0 && i < was.count; i++)
		if (!strlist_contains(&d->suggestions, was.items[i])) {
			buf_addf(changes, "%ssuggested -%s", sep_c, was.items[i]);
			sep_c = "; ";
			if (write)
				rc = store_thread_unsuggest(store, thread_id, was.items[i]);
		}
	strlist_free(&was);
	free(cur.category);
	return rc;
}

static void derived_clear(struct derived *d)
{
	free(d->category);
	strlist_free(&d->suggestions);
	memset(d, 0, sizeof(*d));
}

/* Reroutes the thread whose placements are items[0..n).  Returns 0 or -1 (store error). */
static int reroute_thread(struct store *store, const struct actor *actor,
                          const struct route_rules *rules, const struct placement *items,
                          size_t n, int write, reroute_change_cb *cb, void *ctx,
                          struct reroute_counts *counts)
{
	struct derived d = {0};
	int64_t thread_id = items[0].thread_id;
	counts->threads++;
	/* A message disposed of cannot be read again: its thread is left as it is (what the
	 * others' placements say is still brought up to date). */
	for (size_t i = 0; i < n; i++) {
		int rc = route_one(store, actor, rules, &items[i], write, &d);
		if (rc <= 0) {
			derived_clear(&d);
			if (rc == 0)
				counts->skipped++;
			return rc;
		}
	}
	counts->messages += (int64_t)n;
	struct locks lk = {0};
	struct buf changes, kept;
	buf_init(&changes, SIZE_MAX);
	buf_init(&kept, SIZE_MAX);
	int rc = store_history_list(store, thread_id, read_lock, &lk);
	if (rc == 0)
		rc = settle(store, thread_id, &d, &lk, write, &changes, &kept);
	if (rc == 0 && changes.len > 0) {
		counts->changed++;
		if (write)
			rc = store_history_add(store, thread_id, (int64_t)time(NULL), actor->user->name,
			                       "reroute", changes.data);
	}
	if (rc == 0 && (changes.len > 0 || kept.len > 0) && cb != NULL) {
		struct reroute_change c = {items[0].thread_ref, changes.len ? changes.data : "",
		                           kept.len ? kept.data : ""};
		cb(&c, ctx);
	}
	buf_free(&changes);
	buf_free(&kept);
	derived_clear(&d);
	return rc;
}

int ops_reroute(struct store *store, const struct actor *actor, const struct route_rules *rules,
                const struct reroute_request *req, reroute_change_cb *cb, void *ctx,
                struct reroute_counts *counts, char **error_r)
{
	memset(counts, 0, sizeof(*counts));
	if (actor->user->role != ROLE_COORDINATOR && actor->user->role != ROLE_ADMIN) {
		*error_r = xstrdup("refused: rerouting is for the coordinator and admins");
		return OPS_REFUSED;
	}
	if (req->mailbox != NULL && config_find_mailbox(actor->config, req->mailbox) == NULL) {
		*error_r = xasprintf("no [mailbox %s] in %s", req->mailbox, actor->config->path);
		return OPS_INVALID;
	}
	const char *object = req->mailbox ? req->mailbox : "all mailboxes";
	if (ops_begin(store, "reroute", error_r) != OPS_OK)
		return OPS_FAILED;
	struct placements l = {0};
	int rc = store_reroute_placements(store, req->mailbox, req->since, collect, &l);
	for (size_t i = 0, j; rc == 0 && i < l.count; i = j) {
		for (j = i + 1; j < l.count && l.items[j].thread_id == l.items[i].thread_id; j++)
			;
		rc = reroute_thread(store, actor, rules, &l.items[i], j - i, !req->dry_run, cb, ctx,
		                    counts);
	}
	for (size_t i = 0; i < l.count; i++)
		free(l.items[i].thread_ref);
	free(l.items);
	char since[32] = "";
	if (req->since) {
		memcpy(since, ", since ", 8);
		time_format_utc(req->since, since + 8, sizeof(since) - 8);
	}
	char *details = xasprintf("%lld threads examined, %lld changed, %lld messages routed, "
	                          "%lld left alone (disposed of)%s%s",
	                          (long long)counts->threads, (long long)counts->changed,
	                          (long long)counts->messages, (long long)counts->skipped, since,
	                          req->dry_run ? "; dry run" : "");
	int orc;
	if (req->dry_run && rc == 0) {
		/* Nothing was written: the read ends, the look is audited on its own. */
		store_rollback(store);
		orc = audit_append(store, actor->user->name, "reroute", object, details, error_r) < 0
		    ? OPS_FAILED : OPS_OK;
	} else {
		orc = ops_commit_audited(store, actor, "reroute", object, details, rc, error_r);
	}
	free(details);
	return orc;
}
