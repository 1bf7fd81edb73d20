/* compose.h — write the messages liaison sends (RFC 5322, UTF-8 text in quoted-printable,
 * CRLF line ends), byte for byte as they go to the SMTP server and into the store. */
#ifndef LIAISON_COMPOSE_H
#define LIAISON_COMPOSE_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define COMPOSE_MSGID_SIZE 128

struct outgoing {
	const char *from_name;     /* display name, e.g. "Troop K CTL", or NULL */
	const char *from_addr;     /* the troop's, from the configuration */
	const char *to_addr;       /* any: To is left out unless an addr-spec of 254 bytes at most */
	const char *to_name;       /* the recipient's display name (any UTF-8), or NULL */
	const char *subject;       /* UTF-8, any content: CR/LF as spaces, folded, RFC 2047-encoded
	                              when needed (rfc2047_encode_header_text) */
	const char *message_id;    /* without <>, from compose_message_id */
	const char *in_reply_to;   /* without <>, or NULL; left out when it cannot be written as it
	                              is (not printable ASCII, or over 995 bytes) */
	const struct strlist *references; /* ids without <>, oldest first, or NULL; the same ids
	                              left out, then the first and the newest nine written */
	const char *auto_submitted; /* RFC 3834 Auto-Submitted value ("auto-replied",
	                              "auto-generated"), with X-Auto-Response-Suppress: All;
	                              NULL for a message a person wrote */
	const char *body;          /* UTF-8 text, LF or CRLF line ends */
	int64_t date;
};

/* Returns the message (caller frees; *len_r bytes, NUL-terminated): CRLF line ends, no header
 * line over 998 bytes (RFC 5322 2.1.1), folded at 78 where the words allow. */
char *compose_message(const struct outgoing *out, size_t *len_r);

/* Writes a new, unguessable Message-ID "liaison.<32 hex>@domain" (without <>) to id_r. */
void compose_message_id(const char *domain, char id_r[COMPOSE_MSGID_SIZE]);

/* The domain of an address ("ct.gov" of "TroopKCTL@ct.gov"), borrowed; "" when none. */
const char *compose_domain_of(const char *addr);

#endif
