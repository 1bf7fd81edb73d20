/* mime.h — parse one raw message with GMime into the project's own types.
 *
 * mime.c is the only file that uses GMime.  Untrusted mail is never parsed with
 * libetpan (its Debian MIME parser overflows on boundary="\"").  Everything returned is
 * UTF-8: encoded words (RFC 2047) and parameters (RFC 2231) decoded, unknown or lying
 * charsets converted by best guess with invalid bytes replaced by U+FFFD, never dropped. */
#ifndef LIAISON_MIME_H
#define LIAISON_MIME_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"
#include "util.h"

/* Limits past which a message is quarantined (stored raw, not filed). */
struct mime_limits {
	unsigned max_depth;        /* nesting of multiparts and message/rfc822 (default 32) */
	unsigned max_parts;        /* leaf and container parts in all (default 1000) */
	size_t max_header_bytes;   /* the top-level header block (default 1 MiB) */
	size_t max_message_bytes;  /* the whole raw message (default 100 MiB) */
};
void mime_limits_default(struct mime_limits *limits);

struct mime_address {
	char *name; /* decoded display name, or NULL */
	char *addr; /* addr-spec, lower-cased ("" when the header had none, e.g. "<>") */
};

struct mime_attachment {
	char *filename;     /* decoded (RFC 2231 / 2047), or NULL when the part has none */
	char *content_type; /* "application/pdf", lower-case */
	uint64_t size;      /* decoded bytes */
	char sha256[SHA256_HEX_SIZE]; /* of the decoded bytes */
	char *content;      /* the decoded bytes, only from mime_parse_with_content */
};

struct parsed_message {
	/* Identity and threading.  Message-IDs are stored without the angle brackets. */
	char *message_id;          /* NULL when missing or unusable */
	char *in_reply_to;         /* first id of In-Reply-To, or NULL */
	struct strlist references; /* References then In-Reply-To ids, oldest first, deduplicated,
	                              never containing message_id itself, at most 64 (the newest) */
	char *thread_index;        /* hex of the first 22 bytes of Outlook's Thread-Index, or NULL */

	/* Envelope and addresses. */
	int has_return_path;       /* a Return-Path header is present */
	char *return_path;         /* its addr-spec lower-cased; "" for "<>" and for qmail's
	                              null sender "<#@[]>" */
	struct mime_address from;  /* first From mailbox; addr "" when none */
	struct mime_address *to;   /* To then Cc (display for listings and search) */
	size_t n_to;
	struct strlist recipients; /* every addr-spec, lower-cased, in To, Cc, Bcc, Resent-To,
	                              Resent-Cc, Resent-Bcc (for "was the troop addressed?") */
	char *subject;             /* decoded, CR/LF folded to spaces; "" when missing */
	int64_t date;              /* Date header as Unix time, 0 when missing or unparsable */

	/* Headers that tell a machine from a person (RFC 3834, 2369, 2919), raw values
	 * trimmed and unfolded, or NULL when absent. */
	char *auto_submitted;
	char *precedence;
	char *x_auto_response_suppress;
	char *list_header;         /* the name of the first List-* header found, e.g. "List-Id" */
	char *autoresponder;       /* "name: value" of the first header an auto-responder without
	                              RFC 3834 puts on its replies (X-Autoreply, X-Autorespond,
	                              X-MS-Exchange-Inbox-Rules-Loop, X-ServiceNow-Generated,
	                              X-Apple-Action), lower-
	                              cased, or NULL; one whose value says no ("no", "false") is not
	                              taken */
	int is_report;             /* the top-level type is multipart/report */
	int is_calendar_reply;     /* holds a text/calendar part with METHOD:REPLY (an "Accepted:"
	                              sent by a calendar client, not written by its owner) */
	char *content_language;    /* Content-Language header, or NULL */
	char *authentication_results; /* the topmost Authentication-Results (the receiving
	                              server's, RFC 8601), or NULL */

	/* Content. */
	char *text;                /* the body as readable UTF-8 text: text/plain of the message
	                              body if any, else its HTML converted to text; "" if none */
	struct mime_attachment *attachments; /* every non-body leaf part, message/rfc822 walked */
	size_t n_attachments;

	/* Why the message cannot be filed, or NULL.  Set by mime_parse when a limit is passed
	 * or GMime cannot parse it; the other fields are then whatever could be read. */
	char *quarantine_reason;
};

/* Call once before any parse (g_mime_init); thread-safe afterwards. */
void mime_global_init(void);
void mime_global_deinit(void);

/* Parses raw (len bytes, not necessarily NUL-terminated, may contain NULs) into *msg_r.
 * Never fails on hostile input: problems end in msg_r->quarantine_reason.  The raw bytes are
 * only read and may be freed after the call.  Free the result with parsed_message_free. */
void mime_parse(const char *raw, size_t len, const struct mime_limits *limits,
                struct parsed_message **msg_r);
/* Like mime_parse, and keeps each attachment's decoded bytes in its content (a production
 * writes them out natively). */
void mime_parse_with_content(const char *raw, size_t len, const struct mime_limits *limits,
                             struct parsed_message **msg_r);
void parsed_message_free(struct parsed_message **msg);

/* Converts an HTML document to readable text: no tags, scripts or styles, entities decoded,
 * block elements as line breaks.  Input and output UTF-8.  Returns a new string. */
char *html_to_text(const char *html, size_t len);

#endif
