/* cli.h — what every command shares: the configuration, the store, output helpers.
 * Each command family lives in src/cli/cli_*.c and is dispatched from main.c's table. */
#ifndef LIAISON_CLI_H
#define LIAISON_CLI_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "ops.h"
#include "store.h"
#include "util.h"

/* Exit codes: 0 ok, 1 failure, 2 usage or configuration error. */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

struct cli {
	const char *config_path; /* -c FILE, or NULL for the default */
	const char *user_name;   /* --as USER, or NULL for $LIAISON_USER */
	struct config *config;
	struct store *store;
	struct actor actor;      /* set by cli_open_as */
};

/* Loads the configuration; on error prints every FILE:LINE: problem and returns EXIT_USAGE. */
int cli_load_config(struct cli *cli);
/* Loads the configuration and opens the store (existing, current schema).  Returns EXIT_OK
 * or the exit code to leave with, after printing why. */
int cli_open(struct cli *cli);
/* "YYYY-MM-DD" as the instant of local midnight in the configured zone (loading the
 * configuration first if needed); with whole, the midnight that ends that day (so a range
 * "until" the day holds all of it, 23 or 25 hours on a clock change).  Returns EXIT_OK, or
 * EXIT_USAGE with the problem said on stderr (naming --since, or --until when whole). */
int cli_parse_day(struct cli *cli, const char *text, int whole, int64_t *t_r);
/* cli_open, then the acting user (--as or $LIAISON_USER): refused with EXIT_USAGE when
 * missing or unknown.  For every command that reads or changes threads. */
int cli_open_as(struct cli *cli);
/* The acting user alone (the configuration loaded, no store opened): for a command that
 * runs where there may be no database yet (restore). */
int cli_resolve_actor(struct cli *cli);
/* The exit code for an ops result, after printing its message. */
int cli_ops_exit(const char *command, int ops_result, char *error);
void cli_close(struct cli *cli);

/* The arguments "REF [--json]" of a command that shows one thread's things: 0 with the
 * reference (upper-cased in place, as it is printed) in *ref_r and *json_r, or -1 for the
 * caller's usage. */
int cli_ref_json_args(int argc, char **argv, char **ref_r, int *json_r);
/* A positive decimal number (an event, outbox row or message id) into *id_r.  Returns 0, or
 * -1 (nothing said) for anything else. */
int cli_parse_id(const char *text, int64_t *id_r);
/* Standard input, at most max bytes, into in (initialized here; "" when empty), for a text
 * not given on the command line.  Returns 0, or -1 after saying the text is too long. */
int cli_read_stdin(struct buf *in, size_t max, const char *command);

/* Prints "liaison: COMMAND: ..." to stderr. */
void cli_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the usage of a command and returns EXIT_USAGE: to stderr after a line saying what
 * was wrong (the arguments given; getopt has named a bad option already), or, when help was
 * asked for (cli_help_mode), to stdout, returning EXIT_OK. */
int cli_usage(const char *usage);
/* The command being run and its arguments, for cli_usage's "what was wrong". */
void cli_set_command(const char *name, int argc, char **argv);
/* The command runs only to print its usage (liaison help CMD, CMD --help): getopt stays quiet
 * and cli_usage prints to stdout and returns EXIT_OK. */
void cli_help_mode(void);

/* Ends a listing: prints array (and releases it) when the listing is JSON (array not NULL),
 * else the line "N nouns". */
void cli_list_end(json_t *array, size_t count, const char *noun);
/* Writes a JSON value to stdout followed by a newline, and releases it. */
void cli_print_json(json_t *value);
/* A JSON string, or null for NULL. */
json_t *cli_json_str(const char *s);
/* "2026-03-01T14:05:00Z", or null for 0. */
json_t *cli_json_time(int64_t t);

int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_route(struct cli *cli, int argc, char **argv);
int cmd_threads(struct cli *cli, int argc, char **argv);
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_messages(struct cli *cli, int argc, char **argv);
int cmd_raw(struct cli *cli, int argc, char **argv);
int cmd_attachment(struct cli *cli, int argc, char **argv);
int cmd_stats(struct cli *cli, int argc, char **argv);
int cmd_verify(struct cli *cli, int argc, char **argv);
int cmd_backup(struct cli *cli, int argc, char **argv);
int cmd_oauth2(struct cli *cli, int argc, char **argv);
int cmd_restore(struct cli *cli, int argc, char **argv);
int cmd_poll(struct cli *cli, int argc, char **argv);
int cmd_web(struct cli *cli, int argc, char **argv);
int cmd_check(struct cli *cli, int argc, char **argv);
int cmd_reroute(struct cli *cli, int argc, char **argv);
int cmd_assign(struct cli *cli, int argc, char **argv);
int cmd_take(struct cli *cli, int argc, char **argv);
int cmd_status(struct cli *cli, int argc, char **argv);
/* liaison status [--json] (cli_status.c): the health report; returns the Nagios exit code. */
int cli_status_health(struct cli *cli, int json);
int cmd_category(struct cli *cli, int argc, char **argv);
int cmd_flag(struct cli *cli, int argc, char **argv);
int cmd_note(struct cli *cli, int argc, char **argv);
int cmd_close(struct cli *cli, int argc, char **argv);
int cmd_history(struct cli *cli, int argc, char **argv);
int cmd_reply(struct cli *cli, int argc, char **argv);
int cmd_saved_replies(struct cli *cli, int argc, char **argv);
int cmd_refer(struct cli *cli, int argc, char **argv);
int cmd_audit(struct cli *cli, int argc, char **argv);
int cmd_search(struct cli *cli, int argc, char **argv);
int cmd_foia(struct cli *cli, int argc, char **argv);
int cmd_hold(struct cli *cli, int argc, char **argv);
int cmd_retention(struct cli *cli, int argc, char **argv);
/* The search filters of `liaison search` (also `foia add` and `hold add`): options into *f,
 * --limit N into *limit_r (-1 when not given; limit_r NULL refuses it: a request or a hold
 * takes everything found), up to max_positional other words into positional.  Returns 0,
 * -1 for a usage error, or -2 when a date was wrong or the configuration could not be read
 * (said on stderr: exit 2 without the usage). */
int cli_search_parse(struct cli *cli, int argc, char **argv, struct search_filter *f, int *json_r,
                     long *limit_r, char **positional, int max_positional, int *n_positional_r);

int cmd_outbox(struct cli *cli, int argc, char **argv);
int cmd_digest(struct cli *cli, int argc, char **argv);
int cmd_event(struct cli *cli, int argc, char **argv);
int cmd_events(struct cli *cli, int argc, char **argv);
int cmd_report(struct cli *cli, int argc, char **argv);
/* The web console's accounts (cli_account.c). */
int cmd_passwd(struct cli *cli, int argc, char **argv);
int cmd_sessions(struct cli *cli, int argc, char **argv);
int cmd_mfa_reset(struct cli *cli, int argc, char **argv);

#endif
