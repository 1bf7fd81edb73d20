/* cli_retention.c — liaison retention due: threads past their records series' retention and
 * held by nothing; liaison retention dispose --approval TEXT: their disposal, when the
 * configuration allows it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ops_retention.h"
#include "util.h"

struct due_ctx {
	json_t *array;
	size_t count;
};

static int print_due(const struct retention_row *r, void *p)
{
	struct due_ctx *c = p;
	c->count++;
	if (c->array) {
		json_array_append_new(c->array, json_pack("{s:s, s:s, s:s, s:o, s:o}", "thread", r->ref,
		    "mailbox", r->mailbox, "series", r->series,
		    "last_activity", cli_json_time(r->last_activity), "retention_ended",
		    cli_json_time(r->due)));
		return 0;
	}
	char last[32], due[32];
	time_format_local(r->last_activity, last, sizeof(last));
	time_format_local(r->due, due, sizeof(due));
	printf("%-13s %-8s %-15s %-16s  %s\n", r->ref, r->mailbox, r->series, last, due);
	return 0;
}

static const char usage[] = "retention due [--json] | retention dispose --approval TEXT";

static int dispose(struct cli *cli, int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "--approval") != 0)
		return cli_usage(usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	int64_t threads = 0, messages = 0;
	char *error = NULL;
	int orc = ops_retention_dispose(cli->store, &cli->actor, argv[2], (int64_t)time(NULL),
	                                &threads, &messages, &error);
	if (orc != OPS_OK)
		return cli_ops_exit("retention", orc, error);
	printf("disposed of %lld message%s of %lld thread%s under approval %s; their tombstones "
	       "remain\n", (long long)messages, messages == 1 ? "" : "s", (long long)threads,
	       threads == 1 ? "" : "s", argv[2]);
	return EXIT_OK;
}

int cmd_retention(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "dispose") == 0)
		return dispose(cli, argc - 1, argv + 1);
	int json = argc == 3 && strcmp(argv[2], "--json") == 0;
	if ((argc != 2 && !json) || strcmp(argv[1], "due") != 0)
		return cli_usage(usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	struct due_ctx ctx = {json ? json_array() : NULL, 0};
	char *error = NULL;
	size_t count = 0;
	if (!json)
		printf("%-13s %-8s %-15s %-16s  %s\n", "REF", "MAILBOX", "SERIES", "LAST ACTIVITY",
		       "RETENTION ENDED");
	int orc = ops_retention_due(cli->store, &cli->actor, (int64_t)time(NULL), print_due, &ctx,
	                            &count, &error);
	if (orc != OPS_OK) {
		json_decref(ctx.array);
		return cli_ops_exit("retention", orc, error);
	}
	cli_list_end(ctx.array, ctx.count, "thread");
	return EXIT_OK;
}
