/* cli_ops.c — liaison assign, take, status, category, flag, note, close, history: the
 * operations on threads (ops.c holds their rules; status without a thread: cli_status.c). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ops_list.h"
#include "util.h"

/* REF [USER] [--force]: the arguments of assign (want 2) and take (want 1). */
static int assign_args(int argc, char **argv, int want, char **args, int *force_r)
{
	int n = 0;
	*force_r = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0)
			*force_r = 1;
		else if (n < want && argv[i][0] != '-')
			args[n++] = argv[i];
		else
			return -1;
	}
	return n == want ? 0 : -1;
}

int cmd_assign(struct cli *cli, int argc, char **argv)
{
	char *args[2];
	int force = 0;
	if (assign_args(argc, argv, 2, args, &force) < 0)
		return cli_usage("assign REF USER [--force]");
	ops_ref_canonical(args[0]); /* printed as written */
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	int changed = 0;
	int orc = ops_assign(cli->store, &cli->actor, args[0], args[1], force, &changed, &error);
	if (orc == OPS_OK)
		printf("%s: %s %s\n", args[0], changed ? "assigned to" : "already assigned to", args[1]);
	return cli_ops_exit("assign", orc, error);
}

int cmd_take(struct cli *cli, int argc, char **argv)
{
	char *args[1];
	int force = 0;
	if (assign_args(argc, argv, 1, args, &force) < 0)
		return cli_usage("take REF [--force]");
	ops_ref_canonical(args[0]); /* printed as written */
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	int changed = 0;
	int orc = ops_take(cli->store, &cli->actor, args[0], force, &changed, &error);
	if (orc == OPS_OK)
		printf("%s: %s\n", args[0], changed ? "now yours" : "already yours (nothing changed)");
	return cli_ops_exit("take", orc, error);
}

/* A command "NAME REF VALUE" whose operation takes the value as it is: runs op and says
 * "REF: " done and the value. */
static int ref_value_command(struct cli *cli, int argc, char **argv, const char *usage,
                             int (*op)(struct store *, const struct actor *, const char *,
                                       const char *, char **),
                             const char *done)
{
	if (argc != 3)
		return cli_usage(usage);
	ops_ref_canonical(argv[1]); /* printed as written */
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	int orc = op(cli->store, &cli->actor, argv[1], argv[2], &error);
	if (orc == OPS_OK)
		printf("%s: %s %s\n", argv[1], done, argv[2]);
	return cli_ops_exit(argv[0], orc, error);
}

/* Two commands in one name: without a thread reference, the installation's health
 * (cli_status.c); with one, the thread's status. */
int cmd_status(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "status [--json]  |  status REF new|open|waiting";
	if (argc == 1 || (argc == 2 && strcmp(argv[1], "--json") == 0))
		return cli_status_health(cli, argc == 2);
	if (argc == 3 && argv[1][0] != '-')
		return ref_value_command(cli, argc, argv, usage, ops_status, "status");
	return cli_usage(usage);
}

int cmd_category(struct cli *cli, int argc, char **argv)
{
	return ref_value_command(cli, argc, argv, "category REF CATEGORY", ops_category,
	                         "category set to");
}

int cmd_flag(struct cli *cli, int argc, char **argv)
{
	int off = argc == 4 && strcmp(argv[3], "--off") == 0;
	if (argc != 3 && !off)
		return cli_usage("flag REF confidential|reportable|urgent [--off]");
	ops_ref_canonical(argv[1]); /* printed as written */
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	int orc = ops_flag(cli->store, &cli->actor, argv[1], argv[2], !off, &error);
	if (orc == OPS_OK)
		printf("%s: %s %s\n", argv[1], argv[2], off ? "cleared" : "set");
	return cli_ops_exit("flag", orc, error);
}

/* The note's text from --text, else standard input (at most 64 KiB). */
int cmd_note(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "note REF [--text TEXT]   (else the text is read from stdin)";
	const char *text = NULL;
	static const struct option options[] = {
		{"text", required_argument, NULL, 't'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt != 't')
			return cli_usage(usage);
		text = optarg;
	}
	if (optind != argc - 1)
		return cli_usage(usage);
	char *ref = argv[optind];
	ops_ref_canonical(ref); /* printed as written */
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	struct buf in;
	buf_init(&in, 64 << 10);
	if (text == NULL) {
		if (cli_read_stdin(&in, 64 << 10, "note") < 0)
			return EXIT_USAGE;
		text = in.data;
	}
	char *error = NULL;
	int orc = ops_note(cli->store, &cli->actor, ref, text, &error);
	if (orc == OPS_OK)
		printf("%s: note added\n", ref);
	rc = cli_ops_exit("note", orc, error);
	buf_free(&in);
	return rc;
}

int cmd_close(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "close REF [--rms NUMBER | --not-reportable --reason TEXT]";
	const char *rms = NULL, *reason = NULL;
	int not_reportable = 0;
	static const struct option options[] = {
		{"rms", required_argument, NULL, 'r'},
		{"not-reportable", no_argument, NULL, 'n'},
		{"reason", required_argument, NULL, 'w'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'r': rms = optarg; break;
		case 'n': not_reportable = 1; break;
		case 'w': reason = optarg; break;
		default: return cli_usage(usage);
		}
	}
	if (optind != argc - 1 || (rms && not_reportable) || (not_reportable != (reason != NULL)))
		return cli_usage(usage);
	ops_ref_canonical(argv[optind]); /* printed as written */
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	int orc = ops_close(cli->store, &cli->actor, argv[optind], rms, reason, &error);
	if (orc == OPS_OK && rms != NULL)
		printf("%s: closed with RMS number %s\n", argv[optind], rms);
	else if (orc == OPS_OK)
		printf("%s: closed%s\n", argv[optind], reason ? " as not reportable" : "");
	return cli_ops_exit("close", orc, error);
}

struct history_ctx {
	json_t *array;
};

static int print_history(const struct history_row *h, void *p)
{
	struct history_ctx *ctx = p;
	if (ctx->array) {
		json_array_append_new(ctx->array, json_pack("{s:o, s:s, s:s, s:o}",
		    "at", cli_json_time(h->at), "user", h->user, "action", h->action,
		    "details", cli_json_str(h->details)));
		return 0;
	}
	char at[32];
	time_format_local(h->at, at, sizeof(at));
	printf("%s  %-14s %-14s %s\n", at, h->user, h->action, h->details ? h->details : "");
	return 0;
}

int cmd_history(struct cli *cli, int argc, char **argv)
{
	int json = argc == 3 && strcmp(argv[2], "--json") == 0;
	if ((argc != 2 && !json) || argv[1][0] == '-')
		return cli_usage("history REF [--json]");
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	struct history_ctx ctx = {json ? json_array() : NULL};
	if (!json)
		printf("%-16s  %-14s %-14s %s\n", "AT", "USER", "ACTION", "DETAILS");
	char *error = NULL;
	int orc = ops_history_list(cli->store, &cli->actor, argv[1], print_history, &ctx, &error);
	if (orc != OPS_OK) {
		json_decref(ctx.array);
		return cli_ops_exit("history", orc, error);
	}
	if (json)
		cli_print_json(ctx.array);
	return EXIT_OK;
}

int cmd_refer(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "refer REF SERVICE [--note TEXT] [--send]";
	const char *note = NULL;
	int send = 0;
	static const struct option options[] = {
		{"note", required_argument, NULL, 'n'},
		{"send", no_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'n': note = optarg; break;
		case 's': send = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (optind != argc - 2)
		return cli_usage(usage);
	ops_ref_canonical(argv[optind]); /* printed as written */
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	int orc = ops_refer(cli->store, &cli->actor, argv[optind], argv[optind + 1], note, send,
	                    &error);
	if (orc == OPS_OK)
		printf("%s: referred to %s%s\n", argv[optind], argv[optind + 1],
		       send ? "; its contact details queued to the correspondent" : "");
	return cli_ops_exit("refer", orc, error);
}
