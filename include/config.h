/* config.h — the INI configuration (inih).  Every bad line is reported as FILE:LINE: and
 * the program stops with exit 2 (DESIGN.md "Errors": a bad config stops the program). */
#ifndef LIAISON_CONFIG_H
#define LIAISON_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "mime.h"
#include "util.h"

struct mailbox_config {
	char *name;          /* the NAME of [mailbox NAME] */
	char troop;          /* upper-case letter, prefix of thread references */
	char *address;       /* the shared troop address, lower-cased */
	struct strlist aliases; /* other addresses of the troop, lower-cased */
	char *imap_url;      /* imap:// or imaps:// URL, or NULL */
	char *username;
	char *password_file; /* absolute path, or NULL */
	struct strlist folders; /* folders to watch (default INBOX) */
	char *sent_folder;   /* the folder of the liaisons' sent mail, or NULL */
	int line;            /* where the section starts, for messages */
};

struct config {
	char *path;          /* the file it was read from */
	char *database;      /* absolute path of the SQLite database */
	char *templates;     /* absolute path of the templates folder */
	char *timezone;      /* IANA name, e.g. America/New_York */
	struct mime_limits limits;
	struct mailbox_config *mailboxes;
	size_t n_mailboxes;
};

/* Reads path.  Returns 0 with *config_r (free with config_free), or -1 with *errors_r
 * (caller frees) holding one "FILE:LINE: what is wrong" line for every problem found. */
int config_load(const char *path, struct config **config_r, char **errors_r);
void config_free(struct config **config);

/* The mailbox named name, or NULL (borrowed). */
const struct mailbox_config *config_find_mailbox(const struct config *config, const char *name);

/* 1 when addr (any case) is the mailbox's address or one of its aliases. */
int mailbox_owns_address(const struct mailbox_config *mailbox, const char *addr);

/* The configuration file to use: explicit (from -c) if not NULL, else $LIAISON_CONFIG, else
 * ./liaison.conf.  Borrowed. */
const char *config_default_path(const char *explicit_path);

#endif
