/* cli_outbox.c — liaison outbox: what liaison sent, is sending, will retry, or gave up on;
 * and a person's decisions (retry, cancel) on what it could not settle itself. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ops_outbox.h"

static const char usage[] = "outbox [--status queued|sending|sent|failed|uncertain] [--json]\n"
                            "       liaison outbox show ID | retry ID | cancel ID";

struct list_ctx {
	json_t *array;
	size_t count;
};

/* One row as ops hands it (a confidential thread's recipient masked already). */
static int list_row(const struct outbox_row *r, void *p)
{
	struct list_ctx *ctx = p;
	ctx->count++;
	if (ctx->array) {
		json_array_append_new(ctx->array, json_pack(
		    "{s:I, s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:I, s:o, s:o, s:o, s:o, s:o}",
		    "id", (json_int_t)r->id, "kind", r->kind, "mailbox", r->mailbox,
		    "recipient", r->recipient, "thread", cli_json_str(r->thread_ref),
		    "message_id", r->message_id, "in_reply_to", cli_json_str(r->in_reply_to),
		    "status", r->status, "attempts", (json_int_t)r->attempts,
		    "last_error", cli_json_str(r->last_error), "created", cli_json_time(r->created_at),
		    "next_attempt", strcmp(r->status, "queued") == 0 ? cli_json_time(r->next_attempt_at)
		                                                     : json_null(),
		    "sent", cli_json_time(r->sent_at), "author", cli_json_str(r->created_by)));
		return 0;
	}
	char created[32];
	time_format_local(r->created_at, created, sizeof(created));
	printf("%6lld  %-16s %-9s %-16s %-13s %-12.12s %-32.32s %2lld  %s\n", (long long)r->id,
	       r->kind, r->status, created, r->thread_ref ? r->thread_ref : "-",
	       r->created_by ? r->created_by : "-", r->recipient, (long long)r->attempts,
	       r->last_error ? r->last_error : "");
	return 0;
}

/* The message exactly as it will be sent (CRLF line ends as they are), after a header that
 * says where it stands. */
static int show_row(const struct outbox_row *r, void *p)
{
	int json = *(int *)p;
	if (json) {
		json_t *j = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:s}", "id", (json_int_t)r->id,
		                      "kind", r->kind, "status", r->status, "recipient", r->recipient,
		                      "thread", cli_json_str(r->thread_ref),
		                      "author", cli_json_str(r->created_by), "message_id",
		                      r->message_id);
		json_object_set_new(j, "raw", json_stringn_nocheck(r->raw ? r->raw : "", r->len));
		cli_print_json(j);
		return 0;
	}
	printf("# outbox %lld: %s %s, to %s, by %s\n", (long long)r->id, r->kind, r->status,
	       r->recipient, r->created_by ? r->created_by : "liaison");
	fwrite(r->raw, 1, r->len, stdout);
	return 0;
}

static int parse_id(const char *text, int64_t *id_r)
{
	if (cli_parse_id(text, id_r) == 0)
		return 0;
	cli_error("outbox", "'%s' is not an outbox number (liaison outbox lists them)", text);
	return -1;
}

static int one_row(struct cli *cli, const char *what, const char *id_text, int json)
{
	int64_t id = 0;
	if (parse_id(id_text, &id) < 0)
		return cli_usage(usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	int orc;
	if (strcmp(what, "show") == 0) {
		/* error is filled in by the call: read it only after (argument order is unspecified) */
		orc = ops_outbox_show(cli->store, &cli->actor, id, show_row, &json, &error);
		return cli_ops_exit("outbox show", orc, error);
	}
	int retry = strcmp(what, "retry") == 0;
	orc = retry ? ops_outbox_retry(cli->store, &cli->actor, id, &error)
	            : ops_outbox_cancel(cli->store, &cli->actor, id, &error);
	if (orc == OPS_OK)
		printf("outbox %lld: %s\n", (long long)id,
		       retry ? "queued again" : "cancelled (it will not be sent)");
	return cli_ops_exit(retry ? "outbox retry" : "outbox cancel", orc, error);
}

int cmd_outbox(struct cli *cli, int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "retry") == 0 || strcmp(argv[1], "cancel") == 0 ||
	                  strcmp(argv[1], "show") == 0)) {
		int json = argc == 4 && strcmp(argv[3], "--json") == 0;
		if (argc != 3 && !json) {
			cli_error("outbox", "%s takes one outbox number", argv[1]);
			return cli_usage(usage);
		}
		return one_row(cli, argv[1], argv[2], json);
	}
	const char *status = NULL;
	int json = 0;
	static const struct option options[] = {
		{"status", required_argument, NULL, 's'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "s:", options, NULL)) != -1) {
		switch (opt) {
		case 's': status = optarg; break;
		case 'j': json = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (optind != argc)
		return cli_usage(usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	struct list_ctx ctx = {json ? json_array() : NULL, 0};
	if (!json)
		printf("%6s  %-16s %-9s %-16s %-13s %-12s %-32s %2s  %s\n", "ID", "KIND", "STATUS",
		       "CREATED", "THREAD", "AUTHOR", "RECIPIENT", "N", "LAST ERROR");
	char *error = NULL;
	int orc = ops_outbox_list(cli->store, &cli->actor, status, list_row, &ctx, &error);
	if (orc != OPS_OK) {
		json_decref(ctx.array);
		return cli_ops_exit("outbox", orc, error);
	}
	cli_list_end(ctx.array, ctx.count, "message");
	return EXIT_OK;
}
