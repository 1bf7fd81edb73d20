/* mailbox_imap.h — the IMAP side of a [mailbox]: the account to connect with, and saving
 * what the troop sent into its Sent folder. */
#ifndef LIAISON_MAILBOX_IMAP_H
#define LIAISON_MAILBOX_IMAP_H

#include <stddef.h>

#include "config.h"
#include "imap.h"

/* Fills *account for m: host and port from its imap URL, TLS from `tls` (else the URL's
 * scheme: imaps implicit, imap STARTTLS), XOAUTH2 with token_command else LOGIN with
 * password_file; the secret is read now (a rotated one is picked up at every connect).
 * *host_r and *secret_r are the caller's (wipe the secret with free_secret).  Returns 0, or
 * -1 with *error_r. */
int mailbox_imap_account(const struct mailbox_config *m, struct imap_account *account,
                         char **host_r, char **secret_r, char **error_r);

/* Saves raw into m's sent_folder by IMAP APPEND, so that the mailbox stays the complete
 * record of what the troop sent.  0 when done or when m has no IMAP or no sent folder;
 * -1 with *error_r. */
int mailbox_imap_append_sent(const struct mailbox_config *m, const char *raw, size_t len,
                             char **error_r);

#endif
