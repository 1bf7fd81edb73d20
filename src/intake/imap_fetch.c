/* imap_fetch.c — listing new UIDs and fetching their messages in bounded chunks, sorted by
 * UID (see imap_fetch_since in imap.h). */
#include "imap_private.h"

#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "util.h"

/* INTERNALDATE to Unix time.  libetpan gives the zone as the signed number written, so
 * "-0500" is -500: hours and minutes, not minutes. */
static int64_t imap_date_to_unix(const struct mailimap_date_time *d)
{
	if (d == NULL || d->dt_month < 1 || d->dt_month > 12)
		return 0;
	int zone = d->dt_zone < 0 ? -d->dt_zone : d->dt_zone;
	int64_t offset = (int64_t)(zone / 100) * 3600 + (int64_t)(zone % 100) * 60;
	if (d->dt_zone < 0)
		offset = -offset;
	/* the one date conversion of the program: calendar.c's */
	return calendar_days_from_civil(d->dt_year, d->dt_month, d->dt_day) * 86400 +
	       (int64_t)d->dt_hour * 3600 + (int64_t)d->dt_min * 60 + d->dt_sec - offset;
}

static int imap_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int imap_cmp_message(const void *a, const void *b)
{
	const struct imap_message *x = a, *y = b;
	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

/* The UIDs >= first_uid of the selected folder, ascending, without repeats. */
static int imap_list_uids(struct imap_session *s, uint32_t first_uid, uint32_t **uids_r,
                          size_t *count_r, char **error_r)
{
	struct mailimap_set *set = mailimap_set_new_interval(first_uid, 0); /* first:* */
	struct mailimap_search_key *key = set != NULL ? mailimap_search_key_new_uid(set) : NULL;
	if (key == NULL) {
		if (set != NULL)
			mailimap_set_free(set);
		error_replace(error_r, "%s: out of memory", s->host);
		return IMAP_ERR_NETWORK;
	}
	clist *result = NULL;
	int r = mailimap_uid_search(s->imap, NULL, key, &result);
	mailimap_search_key_free(key); /* frees set too */
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(s, r, IMAP_ERR_SERVER, "UID SEARCH", error_r);

	size_t n = 0, cap = result != NULL ? (size_t)clist_count(result) : 0;
	uint32_t *uids = xmalloc((cap ? cap : 1) * sizeof(*uids));
	if (result != NULL) {
		for (clistiter *it = clist_begin(result); it != NULL; it = clist_next(it)) {
			uint32_t uid = *(uint32_t *)clist_content(it);
			/* "first:*" always matches the last message, even below first */
			if (uid >= first_uid)
				uids[n++] = uid;
		}
		mailimap_search_result_free(result);
	}
	qsort(uids, n, sizeof(*uids), imap_cmp_u32);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (k == 0 || uids[i] != uids[k - 1])
			uids[k++] = uids[i];
	*uids_r = uids;
	*count_r = k;
	return IMAP_OK;
}

/* UID, INTERNALDATE and BODY.PEEK[] (never sets \Seen). */
static struct mailimap_fetch_type *imap_fetch_type_new(void)
{
	struct mailimap_fetch_type *type = mailimap_fetch_type_new_fetch_att_list_empty();
	if (type == NULL)
		return NULL;
	struct mailimap_fetch_att *atts[3];
	atts[0] = mailimap_fetch_att_new_uid();
	atts[1] = mailimap_fetch_att_new_internaldate();
	struct mailimap_section *section = mailimap_section_new(NULL); /* BODY[]: everything */
	atts[2] = section != NULL ? mailimap_fetch_att_new_body_peek_section(section) : NULL;
	if (atts[2] == NULL && section != NULL)
		mailimap_section_free(section);
	int ok = 1;
	for (int i = 0; i < 3; i++) {
		if (ok && atts[i] != NULL &&
		    mailimap_fetch_type_new_fetch_att_list_add(type, atts[i]) == MAILIMAP_NO_ERROR)
			continue; /* the list owns it now */
		ok = 0;
		if (atts[i] != NULL)
			mailimap_fetch_att_free(atts[i]);
	}
	if (!ok) {
		mailimap_fetch_type_free(type);
		return NULL;
	}
	return type;
}

/* Fills *m from one FETCH response; returns 1 when it carried a UID and a body. */
static int imap_message_from_att(const struct mailimap_msg_att *att, struct imap_message *m)
{
	int has_uid = 0, has_body = 0;
	memset(m, 0, sizeof(*m));
	for (clistiter *it = clist_begin(att->att_list); it != NULL; it = clist_next(it)) {
		struct mailimap_msg_att_item *item = clist_content(it);
		if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
			continue;
		struct mailimap_msg_att_static *st = item->att_data.att_static;
		switch (st->att_type) {
		case MAILIMAP_MSG_ATT_UID:
			m->uid = st->att_data.att_uid;
			has_uid = 1;
			break;
		case MAILIMAP_MSG_ATT_INTERNALDATE:
			m->internal_date = imap_date_to_unix(st->att_data.att_internal_date);
			break;
		case MAILIMAP_MSG_ATT_BODY_SECTION:
			if (st->att_data.att_body_section != NULL) {
				/* sec_body_part + sec_length: binary-safe, NULs kept */
				m->raw = st->att_data.att_body_section->sec_body_part;
				m->len = st->att_data.att_body_section->sec_length;
				if (m->raw == NULL) { /* NIL: hand over an empty message, not nothing */
					m->raw = "";
					m->len = 0;
				}
				has_body = 1;
			}
			break;
		default:
			break;
		}
	}
	return has_uid && has_body;
}

/* One UID FETCH lo:hi; calls cb in UID order for the UIDs in [lo, hi]. */
static int imap_fetch_range(struct imap_session *s, struct mailimap_fetch_type *type,
                            uint32_t lo, uint32_t hi, imap_message_cb *cb, void *ctx,
                            char **error_r)
{
	struct mailimap_set *set = mailimap_set_new_interval(lo, hi);
	if (set == NULL) {
		error_replace(error_r, "%s: out of memory", s->host);
		return IMAP_ERR_NETWORK;
	}
	clist *result = NULL;
	int r = mailimap_uid_fetch(s->imap, set, type, &result);
	mailimap_set_free(set);
	if (r != MAILIMAP_NO_ERROR) {
		char *what = xasprintf("UID FETCH %u:%u", lo, hi);
		int ret = imap_fail(s, r, IMAP_ERR_SERVER, what, error_r);
		free(what);
		return ret;
	}

	size_t cap = result != NULL ? (size_t)clist_count(result) : 0;
	struct imap_message *msgs = xmalloc((cap ? cap : 1) * sizeof(*msgs));
	size_t n = 0;
	if (result != NULL) {
		for (clistiter *it = clist_begin(result); it != NULL; it = clist_next(it)) {
			struct imap_message m;
			/* unsolicited FETCH (flag changes by others) carry no body: skipped */
			if (imap_message_from_att(clist_content(it), &m) && m.uid >= lo && m.uid <= hi)
				msgs[n++] = m;
		}
	}
	/* servers answer in sequence order, which is UID order, but nothing promises it */
	qsort(msgs, n, sizeof(*msgs), imap_cmp_message);
	int ret = IMAP_OK;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && msgs[i].uid == msgs[i - 1].uid)
			continue;
		ret = cb(&msgs[i], ctx);
		if (ret != 0)
			break;
	}
	free(msgs);
	if (result != NULL)
		mailimap_fetch_list_free(result);
	return ret;
}

int imap_fetch_since(struct imap_session *session, uint32_t first_uid, unsigned max_messages,
                     imap_message_cb *cb, void *ctx, char **error_r)
{
	int ret = imap_check_ready(session, error_r);
	if (ret != IMAP_OK)
		return ret;
	if (first_uid == 0)
		first_uid = 1;
	if (max_messages == 0)
		max_messages = 1;

	uint32_t *uids = NULL;
	size_t n = 0;
	ret = imap_list_uids(session, first_uid, &uids, &n, error_r);
	if (ret != IMAP_OK)
		return ret;
	struct mailimap_fetch_type *type = n > 0 ? imap_fetch_type_new() : NULL;
	if (n > 0 && type == NULL) {
		free(uids);
		error_replace(error_r, "%s: out of memory", session->host);
		return IMAP_ERR_NETWORK;
	}
	/* a range between two listed UIDs holds only listed messages: new mail gets higher
	 * UIDs, so each chunk is one UID FETCH lo:hi of at most max_messages */
	for (size_t i = 0; i < n && ret == IMAP_OK; i += max_messages) {
		size_t last = i + max_messages - 1 < n ? i + max_messages - 1 : n - 1;
		ret = imap_fetch_range(session, type, uids[i], uids[last], cb, ctx, error_r);
	}
	if (type != NULL)
		mailimap_fetch_type_free(type);
	free(uids);
	return ret;
}
