/* imap_url.h — the parts of IMAP that are plain text and need no connection: the mailbox URL
 * ("imaps://host:port") and folder names in IMAP's modified UTF-7 (RFC 3501 5.1.3).
 *
 * imap_url.c needs no libetpan (imap.c is its only user); kept apart so the rules can be read
 * and tested without a server. */
#ifndef LIAISON_IMAP_URL_H
#define LIAISON_IMAP_URL_H

#include <stdint.h>

enum imap_tls { IMAP_TLS_IMPLICIT, IMAP_TLS_STARTTLS, IMAP_TLS_NONE };

/* Parses "imaps://host[:port]" or "imap://host[:port]" (default ports 993 / 143).  tls_r is
 * IMPLICIT for imaps, STARTTLS for imap.  Returns 0, or -1 for a URL of another form.
 * host_r is the caller's. */
int imap_url_parse(const char *url, char **host_r, uint16_t *port_r, enum imap_tls *tls_r);

/* folder (UTF-8) in modified UTF-7: printable ASCII as is ("&" as "&-"), any other run as
 * UTF-16BE in modified base64 between "&" and "-".  Returns a new string (caller's), or NULL
 * when folder is not valid UTF-8 (overlong, surrogate, out of range) or too long. */
char *imap_folder_encode(const char *folder);

#endif
