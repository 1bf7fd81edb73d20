/* ops_account_private.h — what ops_account.c (passwords, signing in, TOTP) and
 * ops_account_session.c (resuming, ending and listing sessions) share, and nothing else
 * includes. */
#ifndef LIAISON_OPS_ACCOUNT_PRIVATE_H
#define LIAISON_OPS_ACCOUNT_PRIVATE_H

#include <stdint.h>

#include "ops_account.h"
#include "totp.h"

/* The most kept of what a stranger sends: a name (as long as a [user] name may be), an
 * address, a browser's name. */
#define NAME_MAX_KEPT 64
#define PEER_MAX_KEPT 64
#define AGENT_MAX_KEPT 256

/* A copy of a stored session's row. */
struct session_facts {
	int64_t id, created_at, last_seen_at, expires_at, revoked_at;
	int full;
	char user[NAME_MAX_KEPT + 1];
	char csrf[RANDOM_TOKEN_SIZE];
	char peer[PEER_MAX_KEPT + 1];
	char user_agent[AGENT_MAX_KEPT + 1];
	char enrol_secret[TOTP_SECRET_SIZE]; /* "" when no enrolment is under way */
};

/* text as it may be kept and shown: at most size - 1 bytes of it, printable ASCII only
 * (anything else becomes '?'), "" for NULL: what a stranger sends goes into the store and
 * the audit trail, and is printed on terminals. */
void account_clean(const char *text, char *out, size_t size);

/* ops_commit_audited by user: a name, not necessarily a [user] (a failed sign-in's). */
int account_commit_as(struct store *store, const struct config *config, const char *user,
                      const char *action, const char *object, const char *details,
                      int store_rc, char **error_r);

/* The session of token, living at now, into *f: OPS_OK; OPS_NOT_FOUND for an unknown token
 * or a session over (ended, idle, past its time, its user gone: ended and audited
 * "session-expired" the first time it is found so); OPS_FAILED. */
int account_session_live(struct store *store, const struct config *config, const char *token,
                         int64_t now, struct session_facts *f, char **error_r);

/* What the web console is handed of session f. */
void account_session_out(const struct session_facts *f, struct web_session *s_r);

#endif
