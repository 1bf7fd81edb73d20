/* classify.h — is an incoming message from a person or a machine, and which way does it go?
 * The rules of docs/autoreply.md that can be judged from the message and its
 * mailbox (the reply window and the enrolment cut-off belong to autoreply.c). */
#ifndef LIAISON_CLASSIFY_H
#define LIAISON_CLASSIFY_H

#include "config.h"
#include "mime.h"

struct classification {
	const char *direction; /* "in" or "out" (static strings) */
	const char *kind;      /* "person" or "machine" */
	char reason[160];      /* why machine, e.g. "list-id" or "precedence: bulk"; "" for person */
	const char *reply_to;  /* where an auto-reply would go: Return-Path, else From (borrowed
	                          from the message); "" when nowhere */
};

/* folder may be NULL (a file import with no folder).  Never fails. */
void classify_message(const struct parsed_message *msg, const struct mailbox_config *mailbox,
                      const char *folder, struct classification *result);

/* 1 when an Auto-Submitted value (may be NULL) says the message was sent by a program:
 * present and not "no" (RFC 3834). */
int classify_is_auto_submitted(const char *value);

/* 1 when the local part of addr marks an automated sender (MAILER-DAEMON, postmaster,
 * owner-*, *-request, noreply ...). */
int classify_is_robot_address(const char *addr);

#endif
