/* mailbox_imap.h — the IMAP side of a [mailbox]: connecting and logging in with its
 * credential, and saving what the troop sent into its Sent folder. */
#ifndef LIAISON_MAILBOX_IMAP_H
#define LIAISON_MAILBOX_IMAP_H

#include <stddef.h>

#include "config.h"
#include "credential.h"
#include "imap.h"

/* Connects to m's server (host and port from its imap URL, TLS from `tls`, else the URL's
 * scheme: imaps implicit, imap STARTTLS) and logs in with its credential, read now (a
 * rotated password or a fresh token is used): XOAUTH2 with a token_command's or an
 * [oauth2]'s token, else LOGIN with the password_file's password.  When the server refuses an
 * [oauth2] token, a new one is asked for and tried once; a second refusal is the caller's to
 * back off from.  Returns IMAP_OK with *session_r and *cr (which flow, how long its token
 * lives: the caller clears it), or an enum imap_error with *error_r. */
int mailbox_imap_connect(const struct mailbox_config *m, struct imap_session **session_r,
                         struct credential *cr, char **error_r);

/* Saves raw into m's sent_folder by IMAP APPEND, so that the mailbox stays the complete
 * record of what the troop sent.  0 when done or when m has no IMAP or no sent folder;
 * -1 with *error_r. */
int mailbox_imap_append_sent(const struct mailbox_config *m, const char *raw, size_t len,
                             char **error_r);

#endif
