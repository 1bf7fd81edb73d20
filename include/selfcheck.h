/* selfcheck.h — liaison check: what an administrator runs after every change, like
 * `postfix check` and `doveconf -n`.  The configuration, the routing rules, the templates,
 * the password files and the database are checked, every problem reported (not only the
 * first); with connect, every mailbox's IMAP server and the SMTP server are logged in to,
 * and nothing is sent. */
#ifndef LIAISON_SELFCHECK_H
#define LIAISON_SELFCHECK_H

enum selfcheck_level {
	SELFCHECK_OK,      /* a part that was checked and is right: what was checked */
	SELFCHECK_WARNING, /* works, but should be mended (a database others may read) */
	SELFCHECK_PROBLEM, /* wrong: "FILE:LINE: what" where there is a line */
};

/* Called once per finding; text is borrowed for the call. */
typedef void selfcheck_cb(enum selfcheck_level level, const char *part, const char *text,
                          void *ctx);

/* Checks the configuration at config_path and what it names.  Returns the number of
 * problems found (0: all is well). */
int selfcheck_run(const char *config_path, int connect, selfcheck_cb *report, void *ctx);

#endif
