/* cli_outbox.c — liaison outbox: what liaison sent, is sending, will retry, or gave up on;
 * and a person's decisions (retry, cancel) on what it could not settle itself. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "cli.h"
#include "util.h"

static const char usage[] = "outbox [--status queued|sending|sent|failed|uncertain] [--json]\n"
                            "       liaison outbox retry ID | cancel ID";

struct list_ctx {
	json_t *array;
	size_t count;
	const struct actor *actor;
	const struct config *config;
};

static int list_row(const struct outbox_row *r, void *p)
{
	struct list_ctx *ctx = p;
	const struct mailbox_config *m = config_find_mailbox(ctx->config, r->mailbox);
	if (m == NULL ? ctx->actor->user->role == ROLE_CTL : !ops_sees_troop(ctx->actor, m->troop))
		return 0;
	ctx->count++;
	if (ctx->array) {
		json_array_append_new(ctx->array, json_pack(
		    "{s:I, s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:I, s:o, s:o, s:o, s:o}",
		    "id", (json_int_t)r->id, "kind", r->kind, "mailbox", r->mailbox,
		    "recipient", r->recipient, "thread", cli_json_str(r->thread_ref),
		    "message_id", r->message_id, "in_reply_to", cli_json_str(r->in_reply_to),
		    "status", r->status, "attempts", (json_int_t)r->attempts,
		    "last_error", cli_json_str(r->last_error), "created", cli_json_time(r->created_at),
		    "next_attempt", strcmp(r->status, "queued") == 0 ? cli_json_time(r->next_attempt_at)
		                                                     : json_null(),
		    "sent", cli_json_time(r->sent_at)));
		return 0;
	}
	char created[32];
	cli_format_time(r->created_at, created, sizeof(created));
	printf("%6lld  %-16s %-9s %-16s %-13s %-32.32s %2lld  %s\n", (long long)r->id, r->kind,
	       r->status, created, r->thread_ref ? r->thread_ref : "-", r->recipient,
	       (long long)r->attempts, r->last_error ? r->last_error : "");
	return 0;
}

static int decide(struct cli *cli, const char *what, const char *id_text)
{
	char *end = NULL;
	long long id = strtoll(id_text, &end, 10);
	if (end == id_text || *end != '\0' || id <= 0)
		return cli_usage(usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	if (cli->actor.user->role == ROLE_CTL || cli->actor.user->role == ROLE_RECORDS) {
		cli_error("outbox", "refused: retrying or cancelling is for the coordinator and admins");
		return EXIT_FAIL;
	}
	int changed = strcmp(what, "retry") == 0
	    ? store_outbox_retry(cli->store, id, (int64_t)time(NULL))
	    : store_outbox_cancel(cli->store, id, "cancelled by a person");
	if (changed < 0) {
		cli_error("outbox", "%s", store_error(cli->store));
		return EXIT_FAIL;
	}
	if (changed == 0) {
		cli_error("outbox", "%s %lld: no such message in a state that allows it (retry: "
		          "uncertain or failed; cancel: queued or uncertain)", what, id);
		return EXIT_FAIL;
	}
	char object[32];
	snprintf(object, sizeof(object), "outbox %lld", id);
	char *error = NULL;
	if (audit_append(cli->store, cli->actor.user->name, strcmp(what, "retry") == 0
	                 ? "outbox-retry" : "outbox-cancel", object, NULL, &error) < 0) {
		cli_error("outbox", "%s", error);
		free(error);
		return EXIT_FAIL;
	}
	printf("outbox %lld: %s\n", id, strcmp(what, "retry") == 0 ? "queued again" : "cancelled");
	return EXIT_OK;
}

int cmd_outbox(struct cli *cli, int argc, char **argv)
{
	if (argc == 3 && (strcmp(argv[1], "retry") == 0 || strcmp(argv[1], "cancel") == 0))
		return decide(cli, argv[1], argv[2]);
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
	struct list_ctx ctx = {json ? json_array() : NULL, 0, &cli->actor, cli->config};
	if (!json)
		printf("%6s  %-16s %-9s %-16s %-13s %-32s %2s  %s\n", "ID", "KIND", "STATUS",
		       "CREATED", "THREAD", "RECIPIENT", "N", "LAST ERROR");
	if (store_outbox_list(cli->store, status, list_row, &ctx) < 0) {
		json_decref(ctx.array);
		cli_error("outbox", "%s", store_error(cli->store));
		return EXIT_FAIL;
	}
	cli_list_end(ctx.array, ctx.count, "message");
	return EXIT_OK;
}
