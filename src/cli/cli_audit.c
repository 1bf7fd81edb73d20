/* cli_audit.c — liaison audit [--since DATE] [--user USER] [--json]; liaison audit verify
 * [--anchor FILE]; liaison audit anchor [--mail]. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ops_audit.h"
#include "util.h"

static const char usage[] = "audit [--since YYYY-MM-DD] [--user USER] [--json] | "
                            "audit verify [--anchor FILE] | audit anchor [--mail]";

/* An anchor file holds a line a day for years: a few hundred KiB. */
#define ANCHOR_FILE_MAX (16 << 20)

struct list_ctx {
	json_t *array;
	size_t count;
};

static int print_entry(const struct audit_row *r, void *p)
{
	struct list_ctx *ctx = p;
	ctx->count++;
	if (ctx->array) {
		json_array_append_new(ctx->array, json_pack("{s:I, s:o, s:s, s:s, s:s, s:s, s:s}",
		    "id", (json_int_t)r->id, "at", cli_json_time(r->at), "user", r->user,
		    "action", r->action, "object", r->object, "details", r->details, "hash", r->hash));
		return 0;
	}
	char at[32];
	time_format_local(r->at, at, sizeof(at));
	printf("%6lld  %s  %-14s %-18s %-14s %s\n", (long long)r->id, at, r->user, r->action,
	       r->object, r->details);
	return 0;
}

static int verify(struct cli *cli, const char *anchor_file)
{
	struct audit_check check;
	char *error = NULL;
	int orc;
	if (anchor_file != NULL) {
		char *text = NULL;
		size_t len = 0;
		if (file_read_all(anchor_file, ANCHOR_FILE_MAX, &text, &len, &error) < 0)
			return cli_ops_exit("audit verify", OPS_INVALID, error);
		orc = ops_audit_verify_anchors(cli->store, &cli->actor, anchor_file, text, &check,
		                               &error);
		free(text);
	} else {
		orc = ops_audit_verify(cli->store, &cli->actor, &check, &error);
	}
	if (orc != OPS_OK)
		return cli_ops_exit("audit verify", orc, error);
	if (check.broken_id != 0) {
		printf("audit trail BROKEN after %lld entries: %s\n", (long long)check.entries,
		       check.problem);
		free(check.problem);
		return EXIT_FAIL;
	}
	printf("audit trail intact: %lld entries, every link and hash verified\n",
	       (long long)check.entries);
	if (anchor_file != NULL)
		printf("anchors: %lld of %s, each entry still has its anchored hash\n",
		       (long long)check.anchors, anchor_file);
	return EXIT_OK;
}

static int anchor(struct cli *cli, int mail)
{
	char *line = NULL, *error = NULL;
	int orc = ops_audit_anchor(cli->store, &cli->actor, &line, &error);
	if (orc == OPS_OK && mail)
		orc = ops_audit_anchor_mail(cli->store, &cli->actor, line, &error);
	if (orc != OPS_OK) {
		free(line);
		return cli_ops_exit("audit anchor", orc, error);
	}
	/* stdout is the anchor alone, so that `liaison audit anchor >> FILE` builds the file */
	printf("%s\n", line);
	if (mail)
		fprintf(stderr, "liaison: audit anchor: queued to %s\n", cli->config->anchor_notify);
	free(line);
	return EXIT_OK;
}

/* audit verify [--anchor FILE] | audit anchor [--mail] */
static int subcommand(struct cli *cli, int argc, char **argv)
{
	int is_verify = strcmp(argv[1], "verify") == 0;
	static const struct option options[] = {
		{"anchor", required_argument, NULL, 'a'},
		{"mail", no_argument, NULL, 'm'},
		{NULL, 0, NULL, 0},
	};
	const char *anchor_file = NULL;
	int mail = 0, opt;
	/* the subcommand's words parsed as a command's own: "verify" is their argv[0] */
	argc--;
	argv++;
	optind = 0;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == 'a' && is_verify)
			anchor_file = optarg;
		else if (opt == 'm' && !is_verify)
			mail = 1;
		else
			return cli_usage(usage);
	}
	if (optind != argc)
		return cli_usage(usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	return is_verify ? verify(cli, anchor_file) : anchor(cli, mail);
}

int cmd_audit(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "verify") == 0 || strcmp(argv[1], "anchor") == 0))
		return subcommand(cli, argc, argv);
	const char *since_text = NULL, *user = NULL;
	int json = 0;
	static const struct option options[] = {
		{"since", required_argument, NULL, 's'},
		{"user", required_argument, NULL, 'u'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 's': since_text = optarg; break;
		case 'u': user = optarg; break;
		case 'j': json = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (optind != argc)
		return cli_usage(usage);
	int64_t since = 0;
	int rc = since_text ? cli_parse_day(cli, since_text, 0, &since) : EXIT_OK;
	if (rc != EXIT_OK)
		return rc;
	rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	struct list_ctx ctx = {json ? json_array() : NULL, 0};
	if (!json)
		printf("%6s  %-16s  %-14s %-18s %-14s %s\n", "ID", "AT", "USER", "ACTION", "OBJECT",
		       "DETAILS");
	char *error = NULL;
	int orc = ops_audit_list(cli->store, &cli->actor, since, user, print_entry, &ctx, &error);
	if (orc != OPS_OK) {
		json_decref(ctx.array);
		return cli_ops_exit("audit", orc, error);
	}
	cli_list_end(ctx.array, ctx.count, "record");
	return EXIT_OK;
}
