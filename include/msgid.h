/* msgid.h — the threading headers of a message as text: Message-ID, In-Reply-To, References
 * (RFC 5322 3.6.4) and Outlook's Thread-Index.
 *
 * Plain C over header values already unfolded and decoded (mime.c reads them with GMime and
 * calls these); kept apart so the rules, which decide how mail is threaded, can be read and
 * tested on their own.  Hostile values cost linear time. */
#ifndef LIAISON_MSGID_H
#define LIAISON_MSGID_H

#include "util.h"

#define MSGID_REFERENCES_MAX 64    /* ids kept from References + In-Reply-To (the newest) */
#define MSGID_THREAD_INDEX_BYTES 22 /* the conversation part of a Thread-Index */

/* The id of a Message-ID value, without the angle brackets: the first <local@domain>, else
 * the first <anything>, else a bare local@domain with no space or bracket.  NULL when there is
 * none.  Caller frees. */
char *msgid_parse(const char *value);

/* The first <local@domain> of value (In-Reply-To), or NULL.  Caller frees. */
char *msgid_first(const char *value);

/* Adds to out the ids of refs (a References value, may be NULL) then in_reply_to (may be
 * NULL), oldest first, each once, never message_id (may be NULL), only the newest
 * MSGID_REFERENCES_MAX of them.  Ids without '@' or with spaces inside the brackets are
 * skipped. */
void msgid_references(const char *refs, const char *message_id, const char *in_reply_to,
                      struct strlist *out);

/* Lower-case hex of the first MSGID_THREAD_INDEX_BYTES bytes of a base64 Thread-Index value
 * (white space ignored), or NULL when it is not base64 or decodes to fewer bytes.  Caller
 * frees. */
char *msgid_thread_index(const char *value);

#endif
