/* config.h — the INI configuration (inih).  Every bad line is reported as FILE:LINE: and
 * the program stops with exit 2 (docs/conventions.md "Errors": a bad config stops the program). */
#ifndef LIAISON_CONFIG_H
#define LIAISON_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "config_value.h" /* enum config_tls */
#include "log.h"          /* enum log_level */
#include "mime.h"
#include "secrets.h" /* config_read_secret, for the callers that read a secret */
#include "util.h"

struct oauth2_config;

struct mailbox_config {
	char *name;          /* the NAME of [mailbox NAME] */
	char troop;          /* upper-case letter, prefix of thread references */
	char *address;       /* the shared troop address, lower-cased */
	char *address_as_written; /* the same as the configuration writes it ("TroopK.CTL@ct.gov"):
	                             what From shows */
	struct strlist aliases; /* other addresses of the troop, lower-cased */
	char *imap_url;      /* imap:// or imaps:// URL, or NULL */
	char *username;
	char *password_file; /* absolute path, or NULL */
	struct strlist folders; /* folders to watch (default INBOX) */
	char *sent_folder;   /* the folder of the liaisons' sent mail, or NULL */
	enum config_tls tls; /* how to secure IMAP (default: by the URL's scheme) */
	char *ca_file;       /* absolute path of trusted CAs for IMAP, or NULL: system store */
	char *token_command; /* prints an OAuth2 bearer token (XOAUTH2), or NULL */
	char *oauth2;        /* the NAME of the [oauth2 NAME] that gets its tokens, or NULL */
	const struct oauth2_config *oauth2_section; /* that section (borrowed), once loaded */
	int mark_seen;       /* set \Seen once stored (default no: never change flags) */
	char *move_to;       /* move each message there once stored, or NULL */
	char *display_name;  /* of the troop address, e.g. "Troop K CTL" */
	char *urgent_notify; /* overrides the global urgent_notify, or NULL */
	int autoreply;       /* send auto-replies for this mailbox (default yes) */
	int line;            /* where the section starts, for messages */
};

struct smtp_config {
	char *url;           /* smtp://host:port (STARTTLS required unless tls = none) or
	                        smtps://host:port; NULL when not configured */
	enum config_tls tls;
	char *ca_file;
	char *username;
	char *password_file;
	char *token_command; /* XOAUTH2 bearer token, instead of a password */
	char *oauth2;        /* the NAME of an [oauth2 NAME], instead of a password */
	const struct oauth2_config *oauth2_section; /* that section (borrowed), once loaded */
	unsigned timeout;    /* seconds per SMTP conversation (default 30) */
};

/* [web]: the console (liaison web).  TLS, HTTP/2 and single sign-on may also come from an
 * Apache or nginx in front (docs/web.md). */
struct web_config {
	char *listen;            /* "127.0.0.1:8025" (default); plain HTTP only on loopback */
	char *tls_cert, *tls_key; /* PEM files: HTTPS when both are set */
	int mfa_required;        /* mfa = required: coordinator, records and admin need TOTP */
	char *trusted_header;    /* e.g. X-Remote-User, set by the proxy's single sign-on; NULL:
	                            none is trusted */
	char *trusted_secret_header; /* the header that carries the proxy's shared secret
	                            (default X-Liaison-Proxy-Secret) */
	char *trusted_secret_file;   /* the file holding that secret (like a password_file) */
	int64_t session_idle;    /* seconds without a request before a session ends (30 min) */
	int64_t session_max;     /* seconds from sign-in before it ends anyway (12 h) */
	unsigned max_connections; /* at once (default 64) */
	unsigned connection_timeout; /* seconds a connection may stay idle (default 30) */
	size_t max_body;         /* the largest request body taken (default 1M) */
	size_t connection_memory; /* libmicrohttpd's memory per connection (default 64k) */
	unsigned threads;        /* the server's threads (default 2) */
	char *metrics_listen;    /* Prometheus /metrics on this loopback address, or NULL (the
	                            default): none */
};

/* [oauth2 NAME]: where a mailbox's or [smtp]'s OAuth2 tokens come from (docs/oauth2.md). */
enum oauth2_flow {
	OAUTH2_CLIENT_CREDENTIALS, /* the application's own secret or certificate (daemons) */
	OAUTH2_DEVICE,             /* a refresh token from `liaison oauth2 login` (RFC 8628) */
	OAUTH2_SERVICE_ACCOUNT,    /* a signed grant for each mailbox's user (RFC 7523 §2.1;
	                              Google Workspace's domain-wide delegation) */
};

struct oauth2_config {
	char *name;
	enum oauth2_flow flow;    /* flow = client_credentials (default), device or
	                             service_account */
	char *tenant;             /* Microsoft Entra tenant: sets token_url and
	                             device_authorization_url to Microsoft's endpoints */
	char *token_url;
	char *device_authorization_url;
	char *client_id;
	char *client_secret_file; /* 0600, the secret's first line */
	char *client_certificate; /* PEM certificate: a signed JWT client assertion (RFC 7523) */
	char *client_key;         /* its PEM private key, 0600; for a service account its key
	                             (PEM, or the JSON key file Google hands out) */
	char *scope;
	char *refresh_token_file; /* where `oauth2 login` keeps the sealed refresh token (default
	                             DATABASE_DIR/oauth2-NAME.token) */
	char *key_file;           /* the sealing key, 0600 (default DATABASE_DIR/oauth2.key) */
	char *ca_file;            /* PEM CAs the provider's certificate is checked against, or
	                             NULL: the system store */
	int line;
};

enum user_role { ROLE_CTL, ROLE_COORDINATOR, ROLE_RECORDS, ROLE_ADMIN };

/* [user NAME]: who may act, and on which troops. */
struct user_config {
	char *name;
	enum user_role role;
	char *troops;        /* upper-case troop letters this user works ("KL"); all for
	                        coordinator, records and admin */
	char *email;
	char *display_name;
	int line;
};

/* [service ID]: a service liaisons refer people to (2-1-1, the victim advocate...). */
struct service_config {
	char *id;
	char *name;
	char *phone;
	char *url;
	char *description;
	int line;
};

struct config {
	char *path;          /* the file it was read from */
	char *routes;        /* absolute path of the routing rules (default routes.conf beside
	                        the configuration) */
	int64_t autoreply_window;  /* seconds: one auto-reply per correspondent and mailbox in
	                              this time (default 7 days, at least 1 day) */
	int64_t autoreply_domain_limit; /* ordinary auto-replies to one domain an hour, every
	                              mailbox together (default 100; urgent replies are not
	                              limited): a flood of forged senders must not make liaison a
	                              source of backscatter */
	int respond_within;        /* business days (Connecticut calendar) to the first answer
	                              from a person, counted from the first incoming message
	                              (default 2, 0..30) */
	int64_t backfill_cutoff;   /* seconds: no auto-reply to mail older than this when it is
	                              first seen (default 24 hours) */
	int64_t poll_interval;     /* seconds between polls of a server without IDLE (60) */
	int64_t backoff_max;       /* seconds: the longest wait between reconnects (300) */
	char *urgent_notify;       /* where urgent messages are announced (no body), or NULL */
	/* Retention of each records series, in seconds after a thread's last activity
	 * (examples for a records schedule, not legal advice). */
	int64_t retention_transitory;   /* machine mail (default 90 days) */
	int64_t retention_correspondence; /* conversations (default 2 years) */
	int64_t retention_case;         /* referrals, reportable disclosures (default 10 years) */
	char *anchor_notify;            /* where `liaison audit anchor --mail` sends the audit
	                                   trail's head, to be kept outside the database, or NULL */
	int allow_disposal;  /* retention dispose may delete (default no: only once the records
	                        schedule and its approval process are in place) */
	char *agency;        /* who the reports are from ("Connecticut State Police"), or NULL:
	                        liaison check warns, the reports' header then names none */
	char *program;       /* the program the reports are of (default "Community Trust
	                        Liaison Program") */
	enum log_level log_level; /* messages below it are not logged (default info) */
	char *bates_prefix;  /* what every production page number starts with (default "CTL-") */
	struct strlist categories; /* categories liaisons may set besides the routing rules'
	                              (owned; empty by default) */
	char *rms_pattern;   /* PCRE2 pattern an RMS number must match whole, or NULL: any
	                        (owned; checked to compile at load) */
	struct smtp_config smtp;
	struct web_config web;
	char *database;      /* absolute path of the SQLite database */
	char *templates;     /* absolute path of the templates folder */
	char *timezone;      /* IANA name, e.g. America/New_York */
	struct mime_limits limits;
	struct mailbox_config *mailboxes;
	size_t n_mailboxes;
	struct oauth2_config *oauth2s;
	size_t n_oauth2s;
	struct user_config *users;
	size_t n_users;
	struct service_config *services;
	size_t n_services;
};

/* Reads path.  Returns 0 with *config_r (free with config_free), or -1 with *errors_r
 * (caller frees) holding one "FILE:LINE: what is wrong" line for every problem found. */
int config_load(const char *path, struct config **config_r, char **errors_r);
/* config_load, except that a configuration with errors is still handed back in *config_r
 * (as far as it could be read; NULL when the file could not be read at all), so that
 * `liaison check` can go on to check what it names.  Never run mail with it. */
int config_load_all(const char *path, struct config **config_r, char **errors_r);
void config_free(struct config **config);

/* The mailbox named name, or NULL (borrowed). */
const struct mailbox_config *config_find_mailbox(const struct config *config, const char *name);

/* The [oauth2 NAME] of that name, or NULL (borrowed). */
const struct oauth2_config *config_find_oauth2(const struct config *config, const char *name);

/* The user or service of that name, or NULL (borrowed). */
const struct user_config *config_find_user(const struct config *config, const char *name);
const struct service_config *config_find_service(const struct config *config, const char *id);
/* "ctl", "coordinator", "records", "admin". */
const char *config_role_name(enum user_role role);
/* The mailbox of a troop letter, or NULL (borrowed). */
const struct mailbox_config *config_find_troop(const struct config *config, char troop);

/* 1 when addr (any case) is the mailbox's address or one of its aliases. */
int mailbox_owns_address(const struct mailbox_config *mailbox, const char *addr);

/* The configuration file to use: explicit (from -c) if not NULL, else $LIAISON_CONFIG, else
 * ./liaison.conf.  Borrowed. */
const char *config_default_path(const char *explicit_path);

#endif
