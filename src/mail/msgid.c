/* msgid.c — Message-ID, In-Reply-To, References and Thread-Index values to ids.  Needs no
 * GMime: mime.c hands it header values.  See msgid.h. */
#include "msgid.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base64.h"

/* ---- ids ------------------------------------------------------------------------------- */

static int is_id_char(unsigned char c)
{
	return c > ' ' && c != 0x7F && c != '<' && c != '>';
}

/* Finds the next "<id>" at or after *pos in s; returns its length (0 when none) and its
 * start in *start_r.  With need_at, only ids of the form local@domain count. */
static size_t msgid_next(const char *s, size_t *pos, const char **start_r, int need_at)
{
	for (;;) {
		const char *lt = strchr(s + *pos, '<');
		if (lt == NULL) {
			*pos = strlen(s);
			return 0;
		}
		size_t i = 1;
		while (is_id_char((unsigned char)lt[i]))
			i++;
		*pos = (size_t)(lt - s) + i;
		if (lt[i] != '>' || i == 1)
			continue; /* garbage: whitespace, a second '<', or the end inside the id */
		const char *at = memchr(lt + 1, '@', i - 1);
		if (need_at && (at == NULL || at == lt + 1 || at == lt + i - 1))
			continue;
		*pos += 1;
		*start_r = lt + 1;
		return i - 1;
	}
}

/* The Message-ID: the first <...@...>, else the first <...>, else a bare local@domain. */
char *msgid_parse(const char *v)
{
	size_t pos = 0;
	const char *start;
	size_t n = msgid_next(v, &pos, &start, 1);
	if (n > 0)
		return xstrndup(start, n);
	pos = 0;
	n = msgid_next(v, &pos, &start, 0);
	if (n > 0)
		return xstrndup(start, n);
	size_t len = strlen(v);
	if (len > 2 && strchr(v, '<') == NULL && strchr(v, '>') == NULL && strchr(v, '@') != NULL &&
	    v[0] != '@' && v[len - 1] != '@') {
		for (size_t i = 0; i < len; i++)
			if (!is_id_char((unsigned char)v[i]))
				return NULL;
		return xstrndup(v, len);
	}
	return NULL;
}

/* The first <local@domain> (In-Reply-To). */
char *msgid_first(const char *v)
{
	size_t pos = 0;
	const char *start;
	size_t n = msgid_next(v, &pos, &start, 1);
	return n > 0 ? xstrndup(start, n) : NULL;
}

/* ---- a set of strings, so a hostile References list stays linear ---------------------- */

struct idset {
	const char **slots; /* borrowed strings; NULL where empty */
	size_t cap;         /* a power of two */
	size_t count;
};

static size_t idset_hash(const char *s)
{
	size_t h = 2166136261u; /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

static size_t idset_slot(const struct idset *set, const char *s)
{
	size_t i = idset_hash(s) & (set->cap - 1);
	while (set->slots[i] != NULL && strcmp(set->slots[i], s) != 0)
		i = (i + 1) & (set->cap - 1);
	return i;
}

static int idset_contains(const struct idset *set, const char *s)
{
	return set->cap > 0 && set->slots[idset_slot(set, s)] != NULL;
}

static void idset_add(struct idset *set, const char *s)
{
	if (2 * (set->count + 1) > set->cap) { /* keep it at most half full */
		struct idset bigger = {NULL, set->cap > 0 ? 2 * set->cap : 64, set->count};
		bigger.slots = xcalloc(bigger.cap, sizeof(*bigger.slots));
		for (size_t i = 0; i < set->cap; i++)
			if (set->slots[i] != NULL)
				bigger.slots[idset_slot(&bigger, set->slots[i])] = set->slots[i];
		free(set->slots);
		*set = bigger;
	}
	size_t i = idset_slot(set, s);
	if (set->slots[i] == NULL) {
		set->slots[i] = s;
		set->count++;
	}
}

/* ---- References ------------------------------------------------------------------------ */

/* References then In-Reply-To, oldest first, without duplicates or the message's own id,
 * the newest MSGID_REFERENCES_MAX kept. */
void msgid_references(const char *refs, const char *message_id, const char *in_reply_to,
                      struct strlist *out)
{
	char **ids = NULL;
	size_t n_ids = 0, cap_ids = 0;
	struct idset seen = {NULL, 0, 0};
	if (message_id != NULL)
		idset_add(&seen, message_id);
	if (refs != NULL) {
		size_t pos = 0;
		const char *start;
		size_t n;
		while ((n = msgid_next(refs, &pos, &start, 1)) > 0) {
			char *id = xstrndup(start, n);
			if (idset_contains(&seen, id)) {
				free(id);
				continue;
			}
			if (n_ids == cap_ids) {
				cap_ids = cap_ids > 0 ? 2 * cap_ids : 16;
				ids = xrealloc(ids, cap_ids * sizeof(*ids));
			}
			ids[n_ids++] = id;
			idset_add(&seen, id);
		}
	}
	size_t total = n_ids;
	int add_reply = in_reply_to != NULL && !idset_contains(&seen, in_reply_to);
	if (add_reply)
		total++;
	size_t skip = total > MSGID_REFERENCES_MAX ? total - MSGID_REFERENCES_MAX : 0;
	for (size_t i = skip; i < n_ids; i++)
		strlist_add(out, ids[i]);
	if (add_reply && skip <= n_ids)
		strlist_add(out, in_reply_to);
	free(seen.slots);
	for (size_t i = 0; i < n_ids; i++)
		free(ids[i]);
	free(ids);
}

/* ---- Thread-Index ---------------------------------------------------------------------- */

/* Hex of the first 22 bytes of Outlook's base64 Thread-Index (the conversation part), or
 * NULL when it is not base64 or shorter than that. */
char *msgid_thread_index(const char *v)
{
	unsigned char bytes[MSGID_THREAD_INDEX_BYTES];
	size_t nbytes = 0;
	uint32_t acc = 0;
	int bits = 0;
	int padding = 0;
	for (const unsigned char *p = (const unsigned char *)v; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			continue;
		if (*p == '=') {
			padding = 1;
			continue;
		}
		int d = base64_decode_digit(*p);
		if (d < 0 || padding)
			return NULL;
		acc = (acc << 6) | (uint32_t)d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (nbytes < MSGID_THREAD_INDEX_BYTES)
				bytes[nbytes] = (unsigned char)(acc >> bits);
			nbytes++;
		}
	}
	if (nbytes < MSGID_THREAD_INDEX_BYTES)
		return NULL;
	static const char digits[] = "0123456789abcdef";
	char *hex = xmalloc(2 * MSGID_THREAD_INDEX_BYTES + 1);
	for (size_t i = 0; i < MSGID_THREAD_INDEX_BYTES; i++) {
		hex[2 * i] = digits[bytes[i] >> 4];
		hex[2 * i + 1] = digits[bytes[i] & 15];
	}
	hex[2 * MSGID_THREAD_INDEX_BYTES] = '\0';
	return hex;
}
