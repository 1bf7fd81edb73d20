/* thread.h — file a message into a contact thread of its mailbox (docs/threading.md):
 * 1. a References / In-Reply-To id known in the same mailbox (JWZ, flattened to threads);
 * 2. the subject tag [CTL K-2026-00042], only when the sender already takes part;
 * 3. Outlook's Thread-Index (first 22 bytes);
 * 4. the same correspondent and base subject within 30 days (person mail that is a reply
 *    by its subject: "Re:", "AW:"...);
 * otherwise a new thread.  Threads never span mailboxes. */
#ifndef LIAISON_THREAD_H
#define LIAISON_THREAD_H

#include <stddef.h>
#include <stdint.h>

#include "classify.h"
#include "config.h"
#include "mime.h"
#include "store.h"

#define THREAD_SUBJECT_WINDOW (30 * 86400)
#define THREAD_REF_SIZE 32

struct thread_filing {
	int64_t thread_id;
	char ref[THREAD_REF_SIZE];
	int created;       /* a new thread was opened (ref is set only then) */
	const char *how;   /* "references", "subject-tag", "thread-index", "subject", "new" */
};

/* Finds or opens the thread of msg in mailbox, counts the message into it and remembers
 * what later messages will find it by; the caller then files the placement.  date is the
 * message's time for threading.  Runs inside the caller's transaction.  Returns 0, or -1 on
 * a store error. */
int thread_file_message(struct store *store, const struct mailbox_config *mailbox,
                        int64_t mailbox_id, const struct parsed_message *msg,
                        const struct classification *cls, int64_t date,
                        struct thread_filing *result);

/* The subject without reply/forward prefixes (Re:, RE:, AW:, RV:, Fwd:, FW:, SV:, Auto:...)
 * and [tags], lower-cased, white space collapsed.  Returns a new string; *is_reply_r (may be
 * NULL) tells whether a reply/forward prefix was there. */
char *thread_base_subject(const char *subject, int *is_reply_r);

/* Finds a tag "[CTL K-2026-00042]" in subject; writes the reference to ref_r and returns 1,
 * or returns 0. */
int thread_find_subject_tag(const char *subject, char ref_r[THREAD_REF_SIZE]);

#endif
