/* cli_audit.c — liaison audit [--since DATE] [--user USER] [--json]; liaison audit verify. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "cli.h"
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
	cli_format_time(r->at, at, sizeof(at));
	printf("%6lld  %s  %-14s %-18s %-14s %s\n", (long long)r->id, at, r->user, r->action,
	       r->object, r->details);
	return 0;
}

/* The audit shows who read what: the coordinator, records staff and admins only. */
static int may_read_audit(struct cli *cli)
{
	if (cli->actor.user->role != ROLE_CTL)
		return 1;
	cli_error("audit", "refused: the audit trail is for the coordinator, records staff and "
	                   "admins");
	return 0;
}

static int verify(struct cli *cli)
{
	struct audit_check check;
	char *error = NULL;
	if (audit_verify(cli->store, &check, &error) < 0) {
		cli_error("audit", "%s", error);
		free(error);
		return EXIT_FAIL;
	}
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
		return may_read_audit(cli) ? verify(cli) : EXIT_FAIL;
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
	if (!may_read_audit(cli))
		return EXIT_FAIL;
	struct list_ctx ctx = {json ? json_array() : NULL, 0};
	if (store_audit_list(cli->store, since, user, print_entry, &ctx) < 0) {
		json_decref(ctx.array);
		cli_error("audit", "%s", store_error(cli->store));
		return EXIT_FAIL;
	}
	cli_list_end(ctx.array, ctx.count, "record");
	return EXIT_OK;
}
