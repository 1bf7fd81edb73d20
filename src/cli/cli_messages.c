/* cli_messages.c — liaison messages, raw and stats: the stored messages themselves. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit.h"
#include "cli.h"
#include "hash.h"
#include "ops_list.h"
#include "ops_message.h"
#include "util.h"

struct messages_ctx {
	json_t *array; /* NULL for text output */
	size_t count;
};

/* One message as ops hands it: masked already where its thread is confidential. */
static int list_message(const struct message_row *m, void *p)
{
	struct messages_ctx *ctx = p;
	ctx->count++;
	if (ctx->array != NULL) {
		json_array_append_new(ctx->array, json_pack(
		    "{s:o, s:s, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I, "
		    "s:o, s:o, s:o, s:o, s:o}",
		    "message_id", cli_json_str(m->message_id), "sha256", m->sha256,
		    "thread", cli_json_str(m->thread_ref), "mailbox", m->mailbox,
		    "folder", cli_json_str(m->folder), "direction", cli_json_str(m->direction),
		    "date", cli_json_time(m->date), "from", cli_json_str(m->from_addr),
		    "subject", cli_json_str(m->subject), "kind", cli_json_str(m->kind),
		    "kind_reason", cli_json_str(m->kind_reason),
		    "quarantine_reason", cli_json_str(m->quarantine_reason), "size", (json_int_t)m->size,
		    "autoreply", cli_json_str(m->autoreply), "language", cli_json_str(m->language),
		    "categories", cli_json_str(m->categories), "rules", cli_json_str(m->rules),
		    "priority", cli_json_str(m->priority)));
		return 0;
	}
	char date[32];
	time_format_local(m->date, date, sizeof(date));
	const char *what = m->quarantine_reason ? "QUARANTINED" : m->kind ? m->kind : "-";
	const char *why = m->quarantine_reason ? m->quarantine_reason
	                                       : m->kind_reason ? m->kind_reason : "";
	printf("%.12s  %-13s %-8s %-3s  %-16s  %-28.28s  %-40.40s  %s%s%s\n", m->sha256,
	       m->thread_ref ? m->thread_ref : "-", m->mailbox, m->direction ? m->direction : "-",
	       date, m->from_addr[0] ? m->from_addr : "-", m->subject, what, why[0] ? ": " : "", why);
	return 0;
}

int cmd_messages(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "messages [--mailbox NAME] [--thread REF] [--quarantined] [--json]";
	struct message_filter filter = {0};
	int json = 0;
	static const struct option options[] = {
		{"mailbox", required_argument, NULL, 'm'},
		{"thread", required_argument, NULL, 't'},
		{"quarantined", no_argument, NULL, 'q'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "m:t:q", options, NULL)) != -1) {
		switch (opt) {
		case 'm': filter.mailbox = optarg; break;
		case 't': filter.thread_ref = optarg; break;
		case 'q': filter.quarantined_only = 1; break;
		case 'j': json = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (optind != argc)
		return cli_usage(usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	struct messages_ctx ctx = {json ? json_array() : NULL, 0};
	if (!json)
		printf("%-12s  %-13s %-8s %-3s  %-16s  %-28s  %-40s  %s\n", "SHA-256", "THREAD",
		       "MAILBOX", "DIR", "DATE", "FROM", "SUBJECT", "KIND");
	char *error = NULL;
	int orc = ops_messages_list(cli->store, &cli->actor, &filter, list_message, &ctx, &error);
	if (orc != OPS_OK) {
		json_decref(ctx.array);
		return cli_ops_exit("messages", orc, error);
	}
	cli_list_end(ctx.array, ctx.count, "message");
	return EXIT_OK;
}

int cmd_raw(struct cli *cli, int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage("raw MESSAGE-ID|SHA256|SHA256-PREFIX (8 hex digits or more)");
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *raw = NULL, *error = NULL;
	size_t len = 0;
	int orc = ops_message_raw(cli->store, &cli->actor, argv[1], &raw, &len, &error);
	/* as everywhere: no such message 2, disposed of or damaged 1 */
	if (orc != OPS_OK)
		return cli_ops_exit("raw", orc, error);
	int failed = fd_write_all(STDOUT_FILENO, raw, len) < 0;
	free(raw);
	if (failed) {
		cli_error("raw", "write: %m");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

struct stats_ctx {
	json_t *mailboxes;
	json_t *total;
	int json;
};

static int stats_row(const struct stats_row *s, void *p)
{
	struct stats_ctx *ctx = p;
	if (ctx->json) {
		json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I}", "messages", (json_int_t)s->messages,
		                      "threads", (json_int_t)s->threads,
		                      "quarantined", (json_int_t)s->quarantined,
		                      "duplicates", (json_int_t)s->duplicates,
		                      "arrivals", (json_int_t)s->arrivals);
		if (s->mailbox)
			json_object_set_new(ctx->mailboxes, s->mailbox, o);
		else
			ctx->total = o;
		return 0;
	}
	printf("%-12s %9lld %9lld %11lld %10lld %9lld\n", s->mailbox ? s->mailbox : "(total)",
	       (long long)s->messages, (long long)s->threads, (long long)s->quarantined,
	       (long long)s->duplicates, (long long)s->arrivals);
	return 0;
}

int cmd_stats(struct cli *cli, int argc, char **argv)
{
	int json = argc == 2 && strcmp(argv[1], "--json") == 0;
	if (argc != 1 && !json)
		return cli_usage("stats [--json]");
	int rc = cli_open(cli);
	if (rc != EXIT_OK)
		return rc;
	struct stats_ctx ctx = {json ? json_object() : NULL, NULL, json};
	if (!json)
		printf("%-12s %9s %9s %11s %10s %9s\n", "MAILBOX", "MESSAGES", "THREADS", "QUARANTINED",
		       "DUPLICATES", "ARRIVALS");
	if (store_stats(cli->store, stats_row, &ctx) < 0) {
		json_decref(ctx.mailboxes);
		cli_error("stats", "%s", store_error(cli->store));
		return EXIT_FAIL;
	}
	if (json)
		cli_print_json(json_pack("{s:o, s:o}", "mailboxes", ctx.mailboxes, "total",
		                         ctx.total ? ctx.total : json_object()));
	return EXIT_OK;
}
