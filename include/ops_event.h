/* ops_event.h — engagement events, logged in CAD as "Community Engagement Activity": a
 * liaison requests one (from an event-request thread or on its own), the coordinator
 * approves or denies it, and it ends done (sub-type "CTL Event" when a liaison is the
 * primary unit, "Community Contact" for other personnel) or unable to fulfil ("CTL Unable
 * to Fulfill", with a narrative of why).
 *
 * Rights as in ops.h: ctl for its troops, coordinator and admin for all, records read only;
 * approving and denying are the coordinator's (and admin's).  Every operation is recorded
 * in the audit trail and, when the event has a thread, in the thread's history, in one
 * transaction.  Results are ops.h's OPS_ codes with *error_r (caller frees). */
#ifndef LIAISON_OPS_EVENT_H
#define LIAISON_OPS_EVENT_H

#include <stdint.h>
#include <stdio.h>

#include "ops.h"

#define EVENT_CALL_TYPE "Community Engagement Activity"
#define EVENT_CTL "CTL Event"
#define EVENT_CONTACT "Community Contact"
#define EVENT_UNABLE "CTL Unable to Fulfill"

struct event_request {
	const char *ref;           /* thread reference, or NULL for an event on its own */
	char troop;                /* for an event on its own: the troop ('\0': the actor's
	                              only troop) */
	const char *date;          /* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" */
	const char *place, *kind;
	int private_meeting;       /* needs duration and contact: the dispatch notice (where,
	                              how long, how to reach the liaison) */
	const char *duration, *contact;
	int media;                 /* needs media_consent: the community group's answer */
	const char *media_consent; /* "yes" or "no" */
};
/* Records a request; *id_r is the event's number. */
int ops_event_request(struct store *store, const struct actor *actor,
                      const struct event_request *req, int64_t *id_r, char **error_r);

/* 1 when the actor may approve and deny event requests (the coordinator, admins), else 0. */
int ops_event_may_decide(const struct actor *actor);

/* Approves (approve 1) or denies (with reason) a requested event. */
int ops_event_decide(struct store *store, const struct actor *actor, int64_t id, int approve,
                     const char *reason, char **error_r);

struct event_outcome {
	const char *primary;       /* primary unit (a [user]); NULL: the actor */
	const char *attended_by;   /* users, comma separated, or NULL */
	const char *notes;
	const char *visited;       /* school, business, faith or community-group, or NULL */
	const char *media_consent; /* "yes"/"no" when learned only now, else NULL */
};
/* Marks an approved event done; the sub-type follows the primary unit's role.  Refused
 * before the event's day (in the configured zone): CAD records what happened.  The primary
 * unit and every user in attended_by are credited in their monthly reports (report.h). */
int ops_event_done(struct store *store, const struct actor *actor, int64_t id,
                   const struct event_outcome *outcome, char **error_r);
/* Marks a requested or approved event unable to fulfil, with a narrative of why. */
int ops_event_unable(struct store *store, const struct actor *actor, int64_t id,
                     const char *narrative, char **error_r);

/* Events of a month ("YYYY-MM", NULL: all) the actor may see (its troops'), an event of a
 * confidential thread masked like the thread (place "confidential", no contact, notes,
 * narrative, reason or attendees) for those who may not read it; the listing is audited
 * (format: "text", "json", "html" or "csv", recorded as given; the CSV as "events-export":
 * what goes to CAD). */
int ops_events_list(struct store *store, const struct actor *actor, const char *month,
                    const char *format, store_event_cb *cb, void *ctx, char **error_r);

/* The CAD export of a month ("YYYY-MM", NULL: all): the header line, then one line per event
 * done or unable to fulfil that ops_events_list gives the actor (masked as it masks; audited
 * as "events-export"), RFC 4180 quoting (csv.h).  *rows_r the lines after the header. */
int ops_events_csv(struct store *store, const struct actor *actor, const char *month,
                   FILE *out, size_t *rows_r, char **error_r);

/* The display name of a [user] for CAD beside the user name (the user name when it has
 * none, "" for NULL), borrowed from config. */
const char *ops_user_display_name(const struct config *config, const char *user);
/* The display names of a comma-separated user list, "; " between them (a name may hold a
 * comma); NULL for no list.  Returns a new string. */
char *ops_user_display_names(const struct config *config, const char *users);

#endif
