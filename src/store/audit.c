/* audit.c — the hash chain over the audit table: append and verify. */
#include "audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

static int audit_link(struct store *store, const char *user, const char *action,
                      const char *object, const char *details, char **error_r);

void audit_entry_hash(const struct audit_row *row, char hash_r[SHA256_HEX_SIZE])
{
	struct sha256_stream *s = sha256_stream_new();
	const char *fields[] = {row->prev_hash, row->user, row->action,
	                        row->object ? row->object : "", row->details ? row->details : ""};
	char at[32];
	snprintf(at, sizeof(at), "%lld", (long long)row->at);
	/* "len:bytes," for each field (a netstring): no two entries share an encoding. */
	char prefix[32];
	snprintf(prefix, sizeof(prefix), "%zu:", strlen(at));
	sha256_stream_update(s, prefix, strlen(prefix));
	sha256_stream_update(s, at, strlen(at));
	sha256_stream_update(s, ",", 1);
	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++) {
		snprintf(prefix, sizeof(prefix), "%zu:", strlen(fields[i]));
		sha256_stream_update(s, prefix, strlen(prefix));
		sha256_stream_update(s, fields[i], strlen(fields[i]));
		sha256_stream_update(s, ",", 1);
	}
	sha256_stream_finish(&s, hash_r);
}

int audit_append(struct store *store, const char *user, const char *action, const char *object,
                 const char *details, char **error_r)
{
	/* Reading the last hash and inserting after it must be one write transaction, or two
	 * commands at once would both link to the same entry and break the chain. */
	int own = !store_in_transaction(store);
	if (own && store_begin(store) < 0) {
		*error_r = xasprintf("audit: %s", store_error(store));
		return -1;
	}
	int rc = audit_link(store, user, action, object, details, error_r);
	if (own) {
		if (rc == 0 && store_commit(store) < 0) {
			*error_r = xasprintf("audit: %s", store_error(store));
			rc = -1;
		}
		if (rc < 0)
			store_rollback(store);
	}
	return rc;
}

/* Appends the entry after the newest one, inside the open transaction. */
static int audit_link(struct store *store, const char *user, const char *action,
                      const char *object, const char *details, char **error_r)
{
	char prev[SHA256_HEX_SIZE], hash[SHA256_HEX_SIZE];
	if (store_audit_last_hash(store, prev) < 0) {
		*error_r = xasprintf("audit: %s", store_error(store));
		return -1;
	}
	struct audit_row row = {
		.at = (int64_t)time(NULL),
		.user = user,
		.action = action,
		.object = object ? object : "",
		.details = details ? details : "",
		.prev_hash = prev,
	};
	audit_entry_hash(&row, hash);
	row.hash = hash;
	if (store_audit_add(store, &row) < 0) {
		*error_r = xasprintf("audit: %s", store_error(store));
		return -1;
	}
	return 0;
}

struct verify_ctx {
	struct audit_check *check;
	char expected_prev[SHA256_HEX_SIZE];
	int64_t last_id;
	const struct audit_anchor *anchors; /* by id */
	size_t n_anchors, next;             /* the next anchor to meet */
};

static char *anchor_name(const struct audit_anchor *a)
{
	char when[32];
	time_format_utc(a->at, when, sizeof(when));
	return xasprintf("the anchor of %s (line %d)", when, a->line);
}

/* The anchors up to this entry (the walk goes up by id, and so do the sorted anchors); past
 * the last entry (row NULL), every anchor left. */
static int check_anchors(struct verify_ctx *v, const struct audit_row *row)
{
	for (; v->next < v->n_anchors && (row == NULL || v->anchors[v->next].id <= row->id);
	     v->next++) {
		const struct audit_anchor *a = &v->anchors[v->next];
		char *which = anchor_name(a);
		if (row == NULL || a->id < row->id) {
			v->check->broken_id = a->id;
			v->check->problem = xasprintf("entry %lld of %s is no longer in the trail: "
			                              "entries were removed", (long long)a->id, which);
		} else if (strcmp(a->hash, row->hash) != 0) {
			v->check->broken_id = a->id;
			v->check->problem = xasprintf("entry %lld differs from %s: the trail was "
			                              "rewritten since", (long long)a->id, which);
		} else {
			v->check->anchors++;
		}
		free(which);
		if (v->check->broken_id != 0)
			return 1;
	}
	return 0;
}

static int verify_one(const struct audit_row *row, void *p)
{
	struct verify_ctx *v = p;
	v->check->entries++;
	if (strcmp(row->prev_hash, v->expected_prev) != 0) {
		v->check->broken_id = row->id;
		v->check->problem = xasprintf("entry %lld does not follow the entry before it: an "
		                              "entry was removed or moved", (long long)row->id);
		return 1;
	}
	char hash[SHA256_HEX_SIZE];
	audit_entry_hash(row, hash);
	if (strcmp(hash, row->hash) != 0) {
		v->check->broken_id = row->id;
		v->check->problem = xasprintf("entry %lld was altered: its content does not match "
		                              "its hash", (long long)row->id);
		return 1;
	}
	snprintf(v->expected_prev, sizeof(v->expected_prev), "%s", row->hash);
	v->last_id = row->id;
	return check_anchors(v, row);
}

/* The chain is whole; does it still reach the head? */
static int check_head(struct store *store, struct verify_ctx *v, char **error_r)
{
	struct audit_check *check = v->check;
	int64_t head_id = 0;
	char head_hash[SHA256_HEX_SIZE] = "";
	int found = store_audit_head(store, &head_id, head_hash);
	if (found < 0) {
		*error_r = xasprintf("audit: %s", store_error(store));
		return -1;
	}
	if ((found || v->last_id != 0) &&
	    (head_id != v->last_id || strcmp(head_hash, v->expected_prev) != 0)) {
		check->broken_id = v->last_id ? v->last_id : head_id;
		check->problem = xasprintf("the chain ends at entry %lld but the head records entry "
		                           "%lld: entries were removed from the end",
		                           (long long)v->last_id, (long long)head_id);
		return 0;
	}
	check_anchors(v, NULL);
	return 0;
}

static int by_id(const void *a, const void *b)
{
	int64_t x = ((const struct audit_anchor *)a)->id, y = ((const struct audit_anchor *)b)->id;
	return x < y ? -1 : x > y;
}

int audit_verify(struct store *store, struct audit_check *check, char **error_r)
{
	return audit_verify_anchored(store, NULL, 0, check, error_r);
}

int audit_verify_anchored(struct store *store, const struct audit_anchor *anchors, size_t n,
                          struct audit_check *check, char **error_r)
{
	memset(check, 0, sizeof(*check));
	struct audit_anchor *sorted = NULL;
	if (n > 0) {
		sorted = xmalloc(n * sizeof(*sorted));
		memcpy(sorted, anchors, n * sizeof(*sorted));
		qsort(sorted, n, sizeof(*sorted), by_id);
	}
	struct verify_ctx v = {check, "", 0, sorted, n, 0};
	snprintf(v.expected_prev, sizeof(v.expected_prev), "%064d", 0);
	int rc = store_audit_list(store, 0, NULL, verify_one, &v);
	if (rc < 0)
		*error_r = xasprintf("audit: %s", store_error(store));
	else if (check->broken_id == 0)
		rc = check_head(store, &v, error_r);
	free(sorted);
	return rc;
}

char *audit_anchor_line(int64_t now, int64_t id, const char *hash)
{
	char when[32];
	time_format_utc(now, when, sizeof(when));
	return xasprintf("audit-anchor %s entry %lld sha256 %s", when, (long long)id, hash);
}

static int is_hex64(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");
	return n == 64 && s[n] == '\0';
}

/* One line as audit_anchor_line writes it: 0, or -1 when it is not. */
static int parse_anchor(const char *line, struct audit_anchor *a)
{
	char when[32], hash[80];
	long long id;
	char extra;
	if (sscanf(line, "audit-anchor %31s entry %lld sha256 %79s %c", when, &id, hash,
	           &extra) != 3 || id <= 0 || !is_hex64(hash))
		return -1;
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *end = strptime(when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	a->at = (int64_t)timegm(&tm);
	a->id = id;
	memcpy(a->hash, hash, SHA256_HEX_SIZE); /* 64 digits and the NUL: checked above */
	return 0;
}

int audit_anchors_parse(const char *text, struct audit_anchor **anchors_r, size_t *n_r,
                        char **error_r)
{
	struct audit_anchor *anchors = NULL;
	size_t n = 0;
	int line_no = 0;
	for (const char *p = text; *p != '\0';) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char *line = xasprintf("%.*s", (int)len, p);
		p += len + (eol != NULL);
		line_no++;
		size_t l = strlen(line);
		while (l > 0 && (line[l - 1] == '\r' || line[l - 1] == ' ' || line[l - 1] == '\t'))
			line[--l] = '\0';
		if (l == 0 || line[0] == '#') {
			free(line);
			continue;
		}
		anchors = xrealloc(anchors, (n + 1) * sizeof(*anchors));
		int bad = parse_anchor(line, &anchors[n]) < 0;
		free(line);
		if (bad) {
			free(anchors);
			*error_r = xasprintf("line %d is not an anchor ('audit-anchor "
			                     "YYYY-MM-DDTHH:MM:SSZ entry ID sha256 HASH', as liaison audit "
			                     "anchor prints)", line_no);
			return -1;
		}
		anchors[n++].line = line_no;
	}
	*anchors_r = anchors;
	*n_r = n;
	return 0;
}
