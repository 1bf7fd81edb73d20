/* poller.h — liaison poll: watch every troop mailbox folder over IMAP at once, take each new
 * message into the store exactly once, decide and send its auto-reply.
 *
 * One watcher thread per mailbox folder holds its own IMAP connection (IDLE where the server
 * has it, else a poll every poll_interval), fetches new mail by UID and parses it; a dead or
 * slow server delays only its own watcher.  The calling thread is the only writer of new
 * mail: it stores each message, files it, decides its auto-reply and advances the folder's
 * last UID in one transaction.  A sender thread empties the outbox. */
#ifndef LIAISON_POLLER_H
#define LIAISON_POLLER_H

#include "config.h"

struct poll_options {
	const char *mailbox;  /* only this mailbox, or NULL for all */
	int once;             /* sync every folder once, send what is due, exit */
};

/* Installs the SIGTERM/SIGINT (stop) and SIGHUP (reload) handlers, and ignores SIGPIPE.
 * Called first thing by `liaison poll`: until then a SIGHUP (`systemctl reload` just after
 * the start) would end the process; one met early is applied as a reload once running. */
void poller_install_signals(void);

/* Runs until SIGTERM/SIGINT (the current batch is finished and committed), or once.
 * Returns 0 when every folder was synced (once) or on a clean stop; 1 when a mailbox could
 * not be synced (once) — the others were; 2 for a configuration problem (routes, templates,
 * a mailbox without imap); with *error_r (caller frees) on 1 and 2. */
int poller_run(const struct config *config, const struct poll_options *options, char **error_r);

#endif
