/* cli_account.c — the web console's accounts from the command line: liaison passwd USER
 * (the new password on stdin), liaison sessions (list, --revoke ID, --revoke-user USER) and
 * liaison mfa-reset USER.  The rules are ops_account.c's. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ops_account.h"
#include "util.h"

/* A line of the password and its end: room to tell a password one byte too long. */
#define LINE_SIZE (PASSWORD_MAX + 3)

/* Reads one line from stdin into line (without its line end).  0, or -1 when there is
 * none or it is longer than a password may be (said on stderr). */
static int read_line(char line[LINE_SIZE])
{
	if (fgets(line, LINE_SIZE, stdin) == NULL) {
		cli_error("passwd", "no password on standard input");
		return -1;
	}
	size_t n = strcspn(line, "\r\n");
	if (line[n] == '\0' && n == LINE_SIZE - 1) {
		cli_error("passwd", "a password is %d to %d bytes long", PASSWORD_MIN, PASSWORD_MAX);
		return -1;
	}
	line[n] = '\0';
	return 0;
}

/* Asks on the terminal with echo off (the password must not show on the screen or stay in
 * its scrollback), turned off before the prompt so that nothing typed after it echoes. */
static int ask(const char *prompt, char line[LINE_SIZE])
{
	struct termios was, quiet;
	int have = tcgetattr(STDIN_FILENO, &was) == 0;
	if (have) {
		quiet = was;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	fputs(prompt, stderr);
	fflush(stderr);
	int rc = read_line(line);
	if (have)
		tcsetattr(STDIN_FILENO, TCSANOW, &was);
	fputc('\n', stderr);
	return rc;
}

/* The new password into line: one line of stdin, or asked twice on a terminal. */
static int new_password(const char *user, char line[LINE_SIZE])
{
	if (!isatty(STDIN_FILENO))
		return read_line(line);
	char prompt[128], again[LINE_SIZE];
	snprintf(prompt, sizeof(prompt), "New web console password for %s: ", user);
	if (ask(prompt, line) < 0 || ask("The same again: ", again) < 0)
		return -1;
	int same = strcmp(line, again) == 0;
	explicit_bzero(again, sizeof(again));
	if (!same)
		cli_error("passwd", "the two passwords differ: nothing changed");
	return same ? 0 : -1;
}

/* 1 when the arguments are one USER and no option (argv[optind]). */
static int one_user(int argc, char **argv)
{
	static const struct option none[] = {{NULL, 0, NULL, 0}};
	return getopt_long(argc, argv, "", none, NULL) == -1 && optind == argc - 1;
}

int cmd_passwd(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "passwd USER   (the new password is read from stdin: one line; "
	                            "on a terminal, asked twice)";
	if (!one_user(argc, argv))
		return cli_usage(usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	const char *user = argv[optind];
	char line[LINE_SIZE];
	if (new_password(user, line) < 0) {
		explicit_bzero(line, sizeof(line));
		return EXIT_USAGE;
	}
	char *error = NULL;
	int orc = ops_password_set(cli->store, &cli->actor, user, line, &error);
	explicit_bzero(line, sizeof(line));
	if (orc == OPS_OK)
		printf("%s: web console password set (their sessions ended)\n", user);
	return cli_ops_exit("passwd", orc, error);
}

int cmd_mfa_reset(struct cli *cli, int argc, char **argv)
{
	if (!one_user(argc, argv))
		return cli_usage("mfa-reset USER");
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	const char *user = argv[optind];
	char *error = NULL;
	int orc = ops_mfa_reset(cli->store, &cli->actor, user, &error);
	if (orc == OPS_OK)
		printf("%s: TOTP enrolment cleared, sessions ended (they enrol again at their next "
		       "sign-in)\n", user);
	return cli_ops_exit("mfa-reset", orc, error);
}

struct list_ctx {
	json_t *array;
	size_t count;
};

static int list_row(const struct web_session_row *r, void *p)
{
	struct list_ctx *ctx = p;
	ctx->count++;
	if (ctx->array) {
		json_array_append_new(ctx->array, json_pack(
		    "{s:I, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)r->id,
		    "user", r->user, "stage", r->stage, "signed_in", cli_json_time(r->created_at),
		    "last_seen", cli_json_time(r->last_seen_at), "expires", cli_json_time(r->expires_at),
		    "peer", cli_json_str(r->peer), "user_agent", cli_json_str(r->user_agent)));
		return 0;
	}
	char signed_in[32], seen[32], expires[32];
	time_format_local(r->created_at, signed_in, sizeof(signed_in));
	time_format_local(r->last_seen_at, seen, sizeof(seen));
	time_format_local(r->expires_at, expires, sizeof(expires));
	printf("%6lld  %-12.12s %-8s %-16s %-16s %-16s %-20.20s %s\n", (long long)r->id, r->user,
	       r->stage, signed_in, seen, expires, r->peer ? r->peer : "-",
	       r->user_agent ? r->user_agent : "-");
	return 0;
}

static int list(struct cli *cli, const char *user, int json)
{
	struct list_ctx ctx = {json ? json_array() : NULL, 0};
	if (!json)
		printf("%6s  %-12s %-8s %-16s %-16s %-16s %-20s %s\n", "ID", "USER", "STAGE",
		       "SIGNED IN", "LAST SEEN", "EXPIRES", "ADDRESS", "BROWSER");
	char *error = NULL;
	int orc = ops_sessions_list(cli->store, &cli->actor, user, (int64_t)time(NULL), list_row,
	                            &ctx, &error);
	if (orc != OPS_OK) {
		json_decref(ctx.array);
		return cli_ops_exit("sessions", orc, error);
	}
	cli_list_end(ctx.array, ctx.count, "session");
	return EXIT_OK;
}

static int revoke_one(struct cli *cli, const char *id_text)
{
	char *end = NULL;
	long long id = strtoll(id_text, &end, 10);
	if (end == id_text || *end != '\0' || id <= 0) {
		cli_error("sessions", "'%s' is not a session number (liaison sessions lists them)",
		          id_text);
		return EXIT_USAGE;
	}
	char *error = NULL;
	int orc = ops_session_revoke(cli->store, &cli->actor, id, &error);
	if (orc == OPS_OK)
		printf("session %lld: ended\n", id);
	return cli_ops_exit("sessions --revoke", orc, error);
}

static int revoke_user(struct cli *cli, const char *user)
{
	char *error = NULL;
	int64_t count = 0;
	int orc = ops_sessions_revoke_user(cli->store, &cli->actor, user, &count, &error);
	if (orc == OPS_OK)
		printf("%s: %lld session%s ended\n", user, (long long)count, count == 1 ? "" : "s");
	return cli_ops_exit("sessions --revoke-user", orc, error);
}

int cmd_sessions(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "sessions [--user USER] [--json]\n"
	                            "       liaison sessions --revoke ID | --revoke-user USER";
	const char *user = NULL, *id = NULL, *everyone_of = NULL;
	int json = 0;
	static const struct option options[] = {
		{"user", required_argument, NULL, 'u'},
		{"json", no_argument, NULL, 'j'},
		{"revoke", required_argument, NULL, 'r'},
		{"revoke-user", required_argument, NULL, 'R'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'u': user = optarg; break;
		case 'j': json = 1; break;
		case 'r': id = optarg; break;
		case 'R': everyone_of = optarg; break;
		default: return cli_usage(usage);
		}
	}
	/* one thing at a time: a listing, or ending one session, or ending a user's */
	int acts = (id != NULL) + (everyone_of != NULL) + (user != NULL || json);
	if (optind != argc || acts > 1)
		return cli_usage(usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	if (id != NULL)
		return revoke_one(cli, id);
	if (everyone_of != NULL)
		return revoke_user(cli, everyone_of);
	return list(cli, user, json);
}
