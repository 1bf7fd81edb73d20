/* cli_audit.c — liaison audit [--since DATE] [--user USER] [--json]; liaison audit verify. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ops_audit.h"
#include "util.h"

static const char usage[] = "audit [--since YYYY-MM-DD] [--user USER] [--json] | audit verify";

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

static int verify(struct cli *cli)
{
	struct audit_check check;
	char *error = NULL;
	int orc = ops_audit_verify(cli->store, &cli->actor, &check, &error);
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
	return EXIT_OK;
}

int cmd_audit(struct cli *cli, int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "verify") == 0) {
		int rc = cli_open_as(cli);
		if (rc != EXIT_OK)
			return rc;
		return verify(cli);
	}
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
