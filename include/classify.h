/* classify.h — which way a message goes in its mailbox, who wrote it (a person or a
 * machine), and whether it allows an automatic reply: two judgements, kept apart.  The rules
 * of docs/autoreply.md that can be judged from the message and its mailbox (the reply window
 * and the enrolment cut-off belong to autoreply.c). */
#ifndef LIAISON_CLASSIFY_H
#define LIAISON_CLASSIFY_H

#include "config.h"
#include "mime.h"

struct classification {
	const char *direction; /* "in" or "out" (static strings) */
	/* Who wrote it.  A person's message is routed, flagged, starts the response clock and
	 * counts in the reports, whether or not it may be answered automatically. */
	const char *kind;      /* "person" or "machine" */
	char reason[160];      /* why machine, e.g. "list-id" or "auto-submitted: auto-replied";
	                          "" for a person */
	/* Whether the message itself allows an automatic reply (the reply window, the backfill
	 * cut-off and the enrolment are autoreply.c's). */
	int reply_allowed;
	char no_reply[192];    /* why not, e.g. "not addressed to the troop (Bcc, a list or a
	                          redirect)", "precedence: bulk", "machine (list-id)"; "" when
	                          allowed */
	const char *reply_to;  /* where an auto-reply would go: Return-Path, else From (borrowed
	                          from the message); "" when nowhere */
	int suspicious;        /* it claims the troop's own address (From) but did not come from
	                          the troop: an incoming machine message, never the troop's answer */
};

/* folder may be NULL (a file import with no folder).  Never fails. */
void classify_message(const struct parsed_message *msg, const struct mailbox_config *mailbox,
                      const char *folder, struct classification *result);

/* 1 when an Auto-Submitted value (may be NULL) says the message was sent by a program:
 * present and not "no" (RFC 3834; "no" may carry parameters or a comment). */
int classify_is_auto_submitted(const char *value);

/* 1 when the local part of addr marks an automated sender: MAILER-DAEMON, postmaster,
 * owner-*, *-request, and the no-reply families however spelt (no.reply, DoNotReply.X,
 * x-noreply, noreply+tag, do.not.reply, bounces+...). */
int classify_is_robot_address(const char *addr);

#endif
