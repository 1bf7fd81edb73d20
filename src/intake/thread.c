/* thread.c — attach each message to a contact thread of its mailbox, in the order of
 * docs/threading.md. */
#include "thread.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util.h"

/* Reply and forward prefixes of the mail clients CTL correspondents use (English, German,
 * Spanish, French, Nordic), and "Auto:" of auto-replies. */
static const char *const subject_prefixes[] = {
	"re", "aw", "rv", "fwd", "fw", "tr", "sv", "vs", "wg", "antw", "res", "enc", "auto",
};

/* Length of a prefix like "Re:", "RE[2]:", "Fwd :" at s, or 0. */
static size_t prefix_length(const char *s)
{
	for (size_t i = 0; i < sizeof(subject_prefixes) / sizeof(*subject_prefixes); i++) {
		size_t n = strlen(subject_prefixes[i]);
		if (strncasecmp(s, subject_prefixes[i], n) != 0)
			continue;
		const char *p = s + n;
		if (*p == '[') { /* "Re[2]:" */
			while (isdigit((unsigned char)*++p))
				;
			if (*p != ']')
				continue;
			p++;
		}
		while (*p == ' ')
			p++;
		if (*p == ':')
			return (size_t)(p + 1 - s);
	}
	return 0;
}

char *thread_base_subject(const char *subject, int *is_reply_r)
{
	const char *s = subject ? subject : "";
	int reply = 0;
	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		size_t n = prefix_length(s);
		if (n > 0) {
			s += n;
			reply = 1;
			continue;
		}
		if (*s == '[') { /* a list tag or our own [CTL K-2026-00042] */
			const char *end = strchr(s, ']');
			if (end != NULL && end - s < 80) {
				s = end + 1;
				continue;
			}
		}
		break;
	}
	if (is_reply_r != NULL)
		*is_reply_r = reply;
	/* Collapse white space and lower-case (ASCII; UTF-8 bytes pass unchanged). */
	char *out = xmalloc(strlen(s) + 1);
	size_t len = 0;
	int space = 0;
	for (; *s; s++) {
		if (isspace((unsigned char)*s)) {
			space = len > 0;
			continue;
		}
		if (space)
			out[len++] = ' ';
		space = 0;
		out[len++] = (char)tolower((unsigned char)*s);
	}
	out[len] = '\0';
	return out;
}

int thread_find_subject_tag(const char *subject, char ref_r[THREAD_REF_SIZE])
{
	for (const char *p = subject ? strchr(subject, '[') : NULL; p; p = strchr(p + 1, '[')) {
		if (strncasecmp(p, "[CTL ", 5) != 0)
			continue;
		const char *r = p + 5;
		/* X-YYYY-NNNNN */
		if (!isalpha((unsigned char)r[0]) || r[1] != '-')
			continue;
		size_t i = 2;
		while (i < 6 && isdigit((unsigned char)r[i]))
			i++;
		if (i != 6 || r[6] != '-')
			continue;
		size_t j = 7;
		while (j < 16 && isdigit((unsigned char)r[j]))
			j++;
		if (j < 12 || r[j] != ']')
			continue;
		memcpy(ref_r, r, j);
		ref_r[j] = '\0';
		ref_r[0] = (char)toupper((unsigned char)ref_r[0]);
		return 1;
	}
	return 0;
}

/* The other party of the conversation: the sender of incoming mail, the first addressee
 * that is not the troop for outgoing mail. */
static void correspondent(const struct parsed_message *msg, const struct mailbox_config *mailbox,
                          const struct classification *cls, const char **addr_r,
                          const char **name_r)
{
	*addr_r = msg->from.addr ? msg->from.addr : "";
	*name_r = msg->from.name;
	if (strcmp(cls->direction, "out") != 0)
		return;
	for (size_t i = 0; i < msg->n_to; i++) {
		if (msg->to[i].addr && msg->to[i].addr[0] && !mailbox_owns_address(mailbox, msg->to[i].addr)) {
			*addr_r = msg->to[i].addr;
			*name_r = msg->to[i].name;
			return;
		}
	}
	*addr_r = "";
	*name_r = NULL;
}

/* Whether a message found its way to thread_id by references may join it.  A thread is one
 * correspondent's conversation with the troop: replies from different people to one troop
 * message (an announcement, a newsletter the troop sent) are separate conversations, and one
 * person's disclosure must never share a thread, or a reply, with another's.  The troop's own
 * messages and machine mail about the conversation (a bounce, an out-of-office) join it; a
 * person joins only when they are its correspondent or one of its participants (someone the
 * troop wrote to in it).  A person writing from a second address opens a thread of its own:
 * nothing proves it is the same person. */
static int may_join(struct store *store, int64_t thread_id, const struct classification *cls,
                    const char *corr)
{
	if (strcmp(cls->direction, "in") != 0 || strcmp(cls->kind, "person") != 0)
		return 1;
	return corr[0] ? store_thread_has_party(store, thread_id, corr) : 0;
}

static int find_existing(struct store *store, int64_t mailbox_id,
                         const struct parsed_message *msg, const struct classification *cls,
                         const char *corr, const char *base, int is_reply, int64_t date,
                         struct thread_filing *r)
{
	/* 1. Message-IDs: the parent first, then older ancestors, through one map of ids to
	 * threads; then our own id (a reply to us that arrived before us).  That reply is the
	 * replier's conversation: we join it only as one of its parties (the announcement the
	 * troop sent does not join the first answer's thread). */
	size_t n = 0;
	const char *ids[66];
	if (msg->in_reply_to != NULL)
		ids[n++] = msg->in_reply_to;
	for (size_t i = msg->references.count; i-- > 0 && n < 65;)
		ids[n++] = msg->references.items[i];
	int rc = store_thread_find_by_ids(store, mailbox_id, ids, n, &r->thread_id);
	if (rc > 0)
		rc = may_join(store, r->thread_id, cls, corr);
	if (rc == 0 && msg->message_id != NULL) {
		const char *own[1] = {msg->message_id};
		rc = store_thread_find_by_ids(store, mailbox_id, own, 1, &r->thread_id);
		if (rc > 0)
			rc = corr[0] ? store_thread_has_party(store, r->thread_id, corr) : 0;
	}
	if (rc != 0) {
		r->how = "references";
		return rc;
	}
	/* 2. Our own subject tag, but only from someone already in that thread: a tag alone
	 * would let a stranger write into another person's thread. */
	char ref[THREAD_REF_SIZE];
	const char *from = msg->from.addr ? msg->from.addr : "";
	if (from[0] && thread_find_subject_tag(msg->subject, ref)) {
		rc = store_thread_find_by_ref(store, mailbox_id, ref, from, &r->thread_id);
		if (rc != 0) {
			r->how = "subject-tag";
			return rc;
		}
	}
	/* 3. Outlook's Thread-Index. */
	if (msg->thread_index != NULL) {
		rc = store_thread_find_by_index(store, mailbox_id, msg->thread_index, &r->thread_id);
		if (rc > 0)
			rc = may_join(store, r->thread_id, cls, corr);
		if (rc != 0) {
			r->how = "thread-index";
			return rc;
		}
	}
	/* 4. Clients that drop threading headers: same person, same base subject, 30 days.
	 * Only for a reply ("Re:", "AW:"...) without threading headers: a message that names
	 * its parent belongs with that parent, even when the parent has not arrived yet (it
	 * joins by its own Message-ID when it does), and a message that is no reply by any
	 * sign opens a new conversation, even when a person writes "Question" twice in a
	 * month.  Never for machine mail: a newsletter's every issue has the same subject. */
	int has_headers = msg->in_reply_to != NULL || msg->references.count > 0;
	if (is_reply && !has_headers && strcmp(cls->kind, "person") == 0 && corr[0] && base[0]) {
		rc = store_thread_find_by_subject(store, mailbox_id, corr, base, date,
		                                  THREAD_SUBJECT_WINDOW, &r->thread_id);
		if (rc != 0) {
			r->how = "subject";
			return rc;
		}
	}
	return 0;
}

static int year_of(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (localtime_r(&tt, &tm) == NULL)
		return 1970;
	return tm.tm_year + 1900;
}

/* Remembers what later messages will find this thread by. */
static int remember(struct store *store, const struct mailbox_config *mailbox, int64_t mailbox_id,
                    const struct parsed_message *msg, const struct classification *cls,
                    const char *corr, int64_t thread_id)
{
	if (msg->message_id && store_thread_add_id(store, mailbox_id, msg->message_id, thread_id) < 0)
		return -1;
	for (size_t i = 0; i < msg->references.count; i++)
		if (store_thread_add_id(store, mailbox_id, msg->references.items[i], thread_id) < 0)
			return -1;
	if (msg->thread_index &&
	    store_thread_add_index(store, mailbox_id, msg->thread_index, thread_id) < 0)
		return -1;
	if (strcmp(cls->direction, "in") == 0) {
		if (corr[0] && store_thread_add_participant(store, thread_id, corr) < 0)
			return -1;
		return 0;
	}
	/* The troop wrote to them: everyone it addressed takes part. */
	for (size_t i = 0; i < msg->recipients.count; i++) {
		const char *a = msg->recipients.items[i];
		if (a[0] && !mailbox_owns_address(mailbox, a) &&
		    store_thread_add_participant(store, thread_id, a) < 0)
			return -1;
	}
	return 0;
}

/* Machine mail (a newsletter, a bounce, an automatic notice) is nobody's work: its thread is
 * filed closed at arrival, with the reason in its history, and stays listed with --all. */
static int file_machine_thread(struct store *store, int64_t thread_id,
                               const struct classification *cls, int64_t date)
{
	char at[24];
	snprintf(at, sizeof(at), "%lld", (long long)date);
	char *details = xasprintf("machine mail (%s): filed closed at arrival",
	                          cls->reason[0] ? cls->reason : "automatic");
	int rc = store_thread_set(store, thread_id, "status", "closed") < 0 ||
	         store_thread_set(store, thread_id, "closed_at", at) < 0 ||
	         store_history_add(store, thread_id, date, "liaison", "filed", details) < 0
	    ? -1 : 0;
	free(details);
	return rc;
}

/* A person writing again into a closed thread is work again: it opens (new when nobody has
 * it), so no liaison misses the message. */
static int reopen_on_mail(struct store *store, int64_t thread_id, int64_t date)
{
	int reopened = store_thread_reopen_on_mail(store, thread_id);
	if (reopened <= 0)
		return reopened;
	return store_history_add(store, thread_id, date, "liaison", "reopened",
	                         "a new message from the correspondent");
}

int thread_file_message(struct store *store, const struct mailbox_config *mailbox,
                        int64_t mailbox_id, const struct parsed_message *msg,
                        const struct classification *cls, int64_t date,
                        struct thread_filing *r)
{
	const char *corr, *corr_name;
	correspondent(msg, mailbox, cls, &corr, &corr_name);
	int is_reply = 0;
	char *base = thread_base_subject(msg->subject, &is_reply);
	int rc = -1;

	memset(r, 0, sizeof(*r));
	int found = find_existing(store, mailbox_id, msg, cls, corr, base, is_reply, date, r);
	if (found < 0)
		goto out;
	if (found == 0) {
		struct thread_new t = {
			.mailbox_id = mailbox_id,
			.troop = mailbox->troop,
			.year = year_of(date),
			.correspondent = corr,
			.correspondent_name = corr_name,
			.subject = msg->subject,
			.base_subject = base,
			.kind = cls->kind,
			.date = date,
		};
		if (store_thread_create(store, &t, &r->thread_id, r->ref, sizeof(r->ref)) < 0)
			goto out;
		r->created = 1;
		r->how = "new";
		if (strcmp(cls->direction, "in") == 0 && strcmp(cls->kind, "machine") == 0 &&
		    file_machine_thread(store, r->thread_id, cls, date) < 0)
			goto out;
	}
	int from_person = strcmp(cls->direction, "in") == 0 && strcmp(cls->kind, "person") == 0;
	if (store_thread_touch(store, r->thread_id, date, from_person) < 0 ||
	    (from_person && !r->created && reopen_on_mail(store, r->thread_id, date) < 0) ||
	    remember(store, mailbox, mailbox_id, msg, cls, corr, r->thread_id) < 0)
		goto out;
	rc = 0;
out:
	free(base);
	return rc;
}
