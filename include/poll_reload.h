/* poll_reload.h — what `liaison poll` does on SIGHUP: read the configuration, the routing
 * rules and the templates again, refuse them whole when anything is wrong, and say which
 * changes only a restart applies (they belong to a connection the poller keeps open).
 *
 * The poller (poller.c) calls these on its store thread, between transactions, and swaps
 * the objects in; this module only loads and compares. */
#ifndef LIAISON_POLL_RELOAD_H
#define LIAISON_POLL_RELOAD_H

#include "config.h"
#include "route.h"
#include "util.h"

/* Every template renders, in every language: 0, or -1 with *error_r (caller frees; one
 * problem a line). */
int poll_reload_check_templates(const struct config *config, char **error_r);

/* Reads the configuration at path, its routing rules and checks its templates.  Returns 0
 * with *config_r and *rules_r (the caller owns both), or -1 with *errors_r (caller frees):
 * one "FILE:LINE: what is wrong" line per problem; nothing is handed back then. */
int poll_reload_load(const char *path, struct config **config_r, struct route_rules **rules_r,
                     char **errors_r);

/* Adds to what_r one line per difference between running and loaded that the poller does
 * not apply while it runs (a mailbox's server, credentials, folders, a mailbox added or
 * removed, the database, the time zone, poll_interval, backoff_max): those need a restart
 * of liaison poll. */
void poll_reload_restart_needed(const struct config *running, const struct config *loaded,
                                struct strlist *what_r);

/* 1 when an [oauth2] section was added, removed or changed: its cached tokens are stale. */
int poll_reload_oauth2_changed(const struct config *running, const struct config *loaded);

#endif
