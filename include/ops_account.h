/* ops_account.h — signing in to the web console, and the accounts and sessions behind it:
 * every rule of passwords, TOTP, sessions and throttling lives here, so that the web console
 * adds none of its own (it hands over what the browser sent and shows what it gets back).
 *
 * A configured [user] signs in with a password.  A user enrolled in TOTP then gives a code
 * from the app; with [web] mfa = required, a coordinator, records or admin who is not
 * enrolled enrols before anything else.  Until then the session is half signed in (stage
 * 'password', good for the code or the enrolment only, for 5 minutes at most).
 *
 * A session is named by a random token (the cookie) of which the store keeps only the
 * SHA-256, and carries a CSRF token of its own.  It ends on sign-out, on revocation, after
 * [web] session_idle seconds without a request, and session_max seconds after the password
 * was given, however busy.  Each step up (the code, the enrolment) replaces the session by a
 * new one with a new token and CSRF token: the old token stops working (no fixation).
 *
 * Failed sign-ins (a wrong password, a name that is no user, a wrong or reused code) are
 * counted by the name typed and by the address they came from: after 5 within 15 minutes
 * for either, sign-ins for it are refused for 1 minute, doubling with each failure after that
 * up to 15 minutes.  A name that is no user (or has no password) costs the same work and
 * gets the same answer as a wrong password.
 *
 * Every operation is one transaction with its audit entry (sign-in, failure, refusal,
 * sign-out, expiry, revocation, password, enrolment); passwords, codes and tokens are never
 * recorded.  Results are ops_result.h's OPS_ codes with *error_r (caller frees), which is
 * fit to show the person signing in.  now is the instant of the request (seconds since the
 * epoch); the audit entries carry the clock's own time. */
#ifndef LIAISON_OPS_ACCOUNT_H
#define LIAISON_OPS_ACCOUNT_H

#include <stdint.h>

#include "ops.h"
#include "password.h"

/* Passwords are 12 to 1024 bytes (NIST SP 800-63B: at least 8, allow at least 64; the
 * upper bound keeps one hash from being a denial of service). */
#define PASSWORD_MIN 12
#define PASSWORD_MAX 1024

/* A session the web console may act in, as ops hands it over. */
struct web_session {
	int64_t id;
	char user[65];          /* a [user] of the configuration */
	char csrf[64];          /* the token every form of the session must send back */
	int stage_full;         /* 0: half signed in (a code or an enrolment to come) */
	int64_t expires_at;     /* when it ends, however busy */
	int64_t signed_in_at;   /* when its password was last given */
};

/* Exporting a production, disposing of records and releasing a hold ask for the password
 * again when the session's password was given longer ago than this. */
#define REAUTH_AFTER (5 * 60)

/* What a sign-in needs next. */
enum signin_need {
	SIGNIN_DONE,            /* signed in: the session is at stage full */
	SIGNIN_NEED_CODE,       /* enrolled: ops_signin_code with the app's code */
	SIGNIN_NEED_ENROL,      /* mfa = required and not enrolled: ops_mfa_enrol_begin */
};

/* Sets user's web console password (hashed with Argon2id; the password itself is kept
 * nowhere) and ends every session of user.  Admins set anyone's, any user their own.
 * OPS_INVALID when user is no [user] or the password is not PASSWORD_MIN to PASSWORD_MAX
 * bytes; OPS_REFUSED another's password for a non-admin.  Audited "passwd". */
int ops_password_set(struct store *store, const struct actor *actor, const char *user,
                     const char *password, char **error_r);

/* Signs user in with password, from address peer with the browser's user_agent (either
 * may be NULL; both are cut and cleaned before they are kept).  OPS_OK with a new session
 * (token_r its new token, *s_r) and *need_r what comes next; OPS_REFUSED "wrong user name or
 * password" (recorded as a failure; *retry_after_r > 0 when that failure begins a wait), or
 * while sign-ins for the name or the address wait (*retry_after_r the seconds left, nothing
 * checked); OPS_INVALID an empty name or password; OPS_FAILED.  On anything but OPS_OK,
 * token_r and *s_r are emptied.  A hash of an older cost is made again. */
int ops_signin(struct store *store, const struct config *config, const char *user,
               const char *password, const char *peer, const char *user_agent, int64_t now,
               char token_r[RANDOM_TOKEN_SIZE], struct web_session *s_r,
               enum signin_need *need_r, int *retry_after_r, char **error_r);

/* The app's code for the half-signed-in session of token.  OPS_OK: the session is replaced
 * by one at stage full (token_r, *s_r; the old token no longer works).  OPS_REFUSED a wrong
 * code, or one whose step is no newer than the last taken (a code is good once) — both
 * failures, counted with the session's address — or while sign-ins wait (*retry_after_r);
 * OPS_NOT_FOUND no live session of token; OPS_INVALID a session signed in already or a
 * user not enrolled; OPS_FAILED. */
int ops_signin_code(struct store *store, const struct config *config, const char *token,
                    const char *code, int64_t now, char token_r[RANDOM_TOKEN_SIZE],
                    struct web_session *s_r, int *retry_after_r, char **error_r);

/* Begins a TOTP enrolment in the session of token: a new secret, kept on the session until
 * a code confirms it.  *secret_r (base32, for typing) and *uri_r (the otpauth:// URI, for
 * qr_svg) are new strings the caller wipes and frees (free_secret).  A half-signed-in session
 * may enrol only a user not enrolled yet (else the password alone would replace the app);
 * a signed-in one may enrol a new app.  OPS_REFUSED, OPS_NOT_FOUND (no live session),
 * OPS_FAILED.  Audited "mfa-enrol-begin". */
int ops_mfa_enrol_begin(struct store *store, const struct config *config, const char *token,
                        int64_t now, char **secret_r, char **uri_r, char **error_r);

/* Confirms the enrolment begun in the session of token with a code from the new secret:
 * the secret becomes the user's (the code's step taken), and the session is replaced by one
 * at stage full (token_r, *s_r).  OPS_REFUSED a wrong code (a failure, as in
 * ops_signin_code) or while sign-ins wait; OPS_INVALID no enrolment begun; OPS_NOT_FOUND,
 * OPS_FAILED.  Audited "mfa-enrol". */
int ops_mfa_enrol_confirm(struct store *store, const struct config *config, const char *token,
                          const char *code, int64_t now, char token_r[RANDOM_TOKEN_SIZE],
                          struct web_session *s_r, int *retry_after_r, char **error_r);

/* Clears user's TOTP enrolment (a lost phone: they enrol again at their next sign-in) and
 * ends their sessions.  Admins only (OPS_REFUSED); OPS_INVALID no such [user];
 * OPS_NOT_FOUND not enrolled.  Audited "mfa-reset". */
int ops_mfa_reset(struct store *store, const struct actor *actor, const char *user,
                  char **error_r);

/* The session of token at now: OPS_OK with *s_r while it lives (its last request noted, at
 * most once a minute to spare the writes); OPS_NOT_FOUND for an unknown token or a session
 * that was ended, idle too long, past its time, or whose user is no longer configured (the
 * first time it is found so, it is ended and audited "session-expired"); OPS_FAILED. */
int ops_session_resume(struct store *store, const struct config *config, const char *token,
                       int64_t now, struct web_session *s_r, char **error_r);

/* 1 when session s's password was given within REAUTH_AFTER of now (a consequential action
 * may go on without asking for it again), else 0. */
int ops_session_recent(const struct web_session *s, int64_t now);

/* The password (and, for a user enrolled in TOTP, the app's code) given again in the live,
 * signed-in session of token: checked and throttled exactly as a sign-in is (ops_signin,
 * ops_signin_code: a wrong one is a failed sign-in, counted by name and address), and then
 * the session is replaced by a new one signed in now (token_r, *s_r; the old token and its
 * CSRF token stop working, as at every step up).  OPS_OK; OPS_REFUSED a wrong password or
 * code, or while sign-ins wait (*retry_after_r), or a user who must enrol first; OPS_INVALID
 * no password; OPS_NOT_FOUND no live signed-in session of token; OPS_FAILED.  Audited
 * "reauth" (besides the sign-in's own entries); a code refused ends the half-signed-in
 * session the password opened ("reauth-failed"). */
int ops_session_reauth(struct store *store, const struct config *config, const char *token,
                       const char *password, const char *code, const char *peer,
                       const char *user_agent, int64_t now, char token_r[RANDOM_TOKEN_SIZE],
                       struct web_session *s_r, int *retry_after_r, char **error_r);

/* Signs in user as the proxy's single sign-on header names them (the caller has checked
 * the proxy's shared secret): a session at stage full (token_r, *s_r), no password, no code.
 * OPS_REFUSED when user is no [user] (audited "signin-failed"); OPS_FAILED.  Audited
 * "signin-trusted". */
int ops_signin_trusted(struct store *store, const struct config *config, const char *user,
                       const char *peer, const char *user_agent, int64_t now,
                       char token_r[RANDOM_TOKEN_SIZE], struct web_session *s_r,
                       char **error_r);

/* Ends the session of token.  OPS_NOT_FOUND when it has ended already or never was;
 * OPS_FAILED.  Audited "signout". */
int ops_signout(struct store *store, const struct config *config, const char *token,
                int64_t now, char **error_r);

/* The live sessions at now, newest first: every user's (user NULL) or user's for admins;
 * the actor's own for anyone else (user NULL or their name; another's: OPS_REFUSED).  Rows
 * come without their CSRF token and enrolment secret (NULL). */
int ops_sessions_list(struct store *store, const struct actor *actor, const char *user,
                      int64_t now, store_web_session_cb *cb, void *ctx, char **error_r);

/* Ends session id: admins any, a user their own (another's is OPS_NOT_FOUND, as is one
 * that has ended).  Audited "session-revoke". */
int ops_session_revoke(struct store *store, const struct actor *actor, int64_t id,
                       char **error_r);

/* Ends every session of user (*count_r how many): admins, or a user their own (else
 * OPS_REFUSED).  Audited "sessions-revoke". */
int ops_sessions_revoke_user(struct store *store, const struct actor *actor, const char *user,
                             int64_t *count_r, char **error_r);

#endif
