/* main.c — global options and the table of commands (notmuch's commands[]). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "log.h"
#include "mime.h"

#define LIAISON_VERSION "0.1.0"

struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{"init", cmd_init, "create or upgrade the database"},
	{"check", cmd_check, "check the configuration, rules, templates and database (--connect: the servers)"},
	{"poll", cmd_poll, "watch the mailboxes over IMAP, file new mail, send auto-replies"},
	{"web", cmd_web, "serve the web console (liaisons work their troop's inbox in a browser)"},
	{"outbox", cmd_outbox, "what liaison sent or will send; show, cancel or retry one"},
	{"import", cmd_import, "import a Maildir, mbox or .eml files into a mailbox"},
	{"reroute", cmd_reroute, "apply the current routing rules to stored mail (--dry-run)"},
	{"route", cmd_route, "the routing model: eval labelled mail, train, explain a thread's routing"},
	{"threads", cmd_threads, "list contact threads"},
	{"show", cmd_show, "show a thread and its messages"},
	{"messages", cmd_messages, "list stored messages (also the quarantined ones)"},
	{"raw", cmd_raw, "write a stored message's original bytes to stdout"},
	{"attachment", cmd_attachment, "write a thread's attachment N (as show numbers it) to a new file or stdout"},
	{"stats", cmd_stats, "count messages, threads, quarantined and duplicates"},
	{"search", cmd_search, "full-text search of the messages (FTS5 syntax), audited"},
	{"foia", cmd_foia, "public-records requests: new, list, show, add, review, redact, export"},
	{"hold", cmd_hold, "litigation holds: add, release, list"},
	{"retention", cmd_retention, "retention due | dispose --approval TEXT: the records schedule"},
	{"verify", cmd_verify, "re-hash every stored message and check the audit chain"},
	{"backup", cmd_backup, "a verified copy of the database into a new folder, while poll and web run"},
	{"oauth2", cmd_oauth2, "oauth2 login NAME: sign in once for an [oauth2 NAME] with flow = device"},
	{"restore", cmd_restore, "put a verified backup in place of the database (installation stopped)"},
	{"assign", cmd_assign, "assign a thread to a liaison"},
	{"take", cmd_take, "take a thread (assign it to yourself; --force: from another)"},
	{"status", cmd_status, "health for monitoring (Nagios exit codes); with REF STATE: a thread's status"},
	{"category", cmd_category, "set a thread's category"},
	{"flag", cmd_flag, "flag a thread confidential, reportable or urgent (--off clears)"},
	{"note", cmd_note, "add an internal note to a thread (never sent)"},
	{"close", cmd_close, "close a thread (reportable: --rms or --not-reportable --reason)"},
	{"reply", cmd_reply, "reply to a thread's correspondent from the troop address"},
	{"saved-replies", cmd_saved_replies, "the saved replies a thread's troop may start from"},
	{"refer", cmd_refer, "refer a thread to a service (--send: and tell the person how)"},
	{"history", cmd_history, "a thread's operations and notes"},
	{"audit", cmd_audit, "the audit trail; audit verify checks its hash chain"},
	{"event", cmd_event, "engagement events: request, approve, deny, done, unable"},
	{"events", cmd_events, "list engagement events (--csv: the CAD fields)"},
	{"digest", cmd_digest, "today's new, unassigned, urgent, overdue and RMS-pending threads"},
	{"report", cmd_report, "monthly report per liaison, quarterly summary, reports due"},
	{"passwd", cmd_passwd, "set a user's web console password (read from stdin)"},
	{"sessions", cmd_sessions, "web console sessions; --revoke ID or --revoke-user USER ends them"},
	{"mfa-reset", cmd_mfa_reset, "clear a user's TOTP enrolment (a lost phone): they enrol again"},
};

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* --as USER (or --as=USER) may follow the command too, and --help or -h anywhere asks for the
 * command's usage: both are taken out of the command's arguments.  Returns -1 when --as has
 * no value. */
static int take_global_options(int *argc, char **argv, struct cli *cli, int *help_r)
{
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			/* what follows is the command's own, verbatim */
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--as") == 0) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "liaison: --as needs a user name\n");
				return -1;
			}
			cli->user_name = argv[++i];
		} else if (strncmp(argv[i], "--as=", 5) == 0) {
			cli->user_name = argv[i] + 5;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			*help_r = 1;
		} else {
			argv[out++] = argv[i];
		}
	}
	argv[out] = NULL;
	*argc = out;
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out, "usage: liaison [-c FILE] [--as USER] [-v] COMMAND [ARGS]\n\n"
	             "  -c FILE   configuration (default $LIAISON_CONFIG, then ./liaison.conf)\n"
	             "  --as USER who is acting (default $LIAISON_USER): needed by every command\n"
	             "            that reads or changes threads\n"
	             "  -v        more logging than log_level (-v: info, -vv: debug)\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\nliaison help COMMAND (or COMMAND --help) shows a command's usage.  Every listing\n"
	             "takes --json.  Exit: 0 ok, 1 failure (refused, changed meanwhile, a database\n"
	             "error), 2 a usage or configuration error or something not found.\n");
}

int main(int argc, char **argv)
{
	struct cli cli = {0};
	int verbose = 0;
	/* A server that goes away mid-write must give an error, not kill the program
	 * (libetpan writes to sockets without MSG_NOSIGNAL). */
	signal(SIGPIPE, SIG_IGN);
	/* Everything liaison writes may hold mail (the database and its -wal and -shm files,
	 * productions, the lock): readable by its owner only, whatever the caller's umask, as
	 * Postfix and Dovecot do for their queues and indexes. */
	umask(077);
	static const struct option options[] = {
		{"config", required_argument, NULL, 'c'},
		{"as", required_argument, NULL, 'u'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	/* "+": stop at the command, whose own options follow it. */
	while ((opt = getopt_long(argc, argv, "+c:vh", options, NULL)) != -1) {
		switch (opt) {
		case 'c': cli.config_path = optarg; break;
		case 'u': cli.user_name = optarg; break;
		case 'v': verbose++; break;
		case 'h': usage(stdout); return EXIT_OK;
		case 'V': puts("liaison " LIAISON_VERSION); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[optind];
	/* "liaison help CMD" is "liaison CMD --help". */
	int help = 0;
	if (strcmp(name, "help") == 0) {
		if (optind + 1 >= argc) {
			usage(stdout);
			return EXIT_OK;
		}
		name = argv[++optind];
		help = 1;
	}
	const struct command *command = find_command(name);
	if (command == NULL) {
		fprintf(stderr, "liaison: unknown command '%s' (liaison help lists them)\n", name);
		return EXIT_USAGE;
	}
	int cmd_argc = argc - optind;
	char **cmd_argv = argv + optind;
	if (!help && take_global_options(&cmd_argc, cmd_argv, &cli, &help) < 0)
		return EXIT_USAGE;
	log_start(verbose); /* the configuration's log_level is applied once it is read */
	mime_global_init();
	optind = 0; /* glibc: 0 re-initialises getopt (the "+" mode above included) */
	optopt = 0; /* cli_usage: set only when getopt met a bad option */
	int rc;
	if (help) {
		/* Every command answers an argument it does not know with its usage; in help
		 * mode that usage goes to stdout and the exit is 0 (cli_usage). */
		char *help_argv[] = {cmd_argv[0], "--help", NULL};
		cli_help_mode();
		rc = command->run(&cli, 2, help_argv);
	} else {
		cli_set_command(command->name, cmd_argc, cmd_argv);
		rc = command->run(&cli, cmd_argc, cmd_argv);
	}
	cli_close(&cli);
	mime_global_deinit();
	return rc;
}
