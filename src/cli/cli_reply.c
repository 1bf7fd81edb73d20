/* cli_reply.c — liaison reply and saved-replies: what a liaison writes to a thread's
 * correspondent, its immigration-status check, its preview, and the saved replies it may start
 * from (ops_reply.c and ops_saved.c hold their rules). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ops_policy.h"
#include "ops_saved.h"
#include "util.h"

/* A reply's text: 1 MiB is far more than anyone writes, and bounds a pasted file. */
#define REPLY_MAX (1u << 20)

static const char reply_usage[] =
    "reply REF [--file FILE | --saved NAME [--lang en|es]] [--reopen] [--force]\n"
    "             [--confirm-policy] [--seen MESSAGE_ID [--seen-outbox OUTBOX_ID]] [--preview]\n"
    "   (without --file or --saved the body is read from stdin)";

struct reply_args {
	const char *ref, *file, *saved, *lang;
	struct ops_reply_options options;
	int preview;
};

static int reply_parse(int argc, char **argv, struct reply_args *a)
{
	static const struct option options[] = {
		{"file", required_argument, NULL, 'f'},
		{"reopen", no_argument, NULL, 'r'},
		{"force", no_argument, NULL, 'F'},
		{"confirm-policy", no_argument, NULL, 'c'},
		{"seen", required_argument, NULL, 's'},
		{"seen-outbox", required_argument, NULL, 'o'},
		{"preview", no_argument, NULL, 'p'},
		{"saved", required_argument, NULL, 'S'},
		{"lang", required_argument, NULL, 'l'},
		{NULL, 0, NULL, 0},
	};
	memset(a, 0, sizeof(*a));
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'f': a->file = optarg; break;
		case 'r': a->options.reopen = 1; break;
		case 'F': a->options.force = 1; break;
		case 'c': a->options.policy_confirmed = 1; break;
		case 's':
			if (cli_parse_id(optarg, &a->options.seen_message_id) < 0)
				return -1;
			break;
		case 'o':
			if (cli_parse_id(optarg, &a->options.seen_outbox_id) < 0)
				return -1;
			break;
		case 'p': a->preview = 1; break;
		case 'S': a->saved = optarg; break;
		case 'l': a->lang = optarg; break;
		default: return -1;
		}
	}
	if (optind != argc - 1 || (a->options.seen_outbox_id && !a->options.seen_message_id) ||
	    (a->saved && a->file) || (a->lang && !a->saved))
		return -1;
	a->ref = argv[optind];
	ops_ref_canonical(argv[optind]); /* printed as written */
	return 0;
}

/* The saved reply --saved names, filled in for the thread. */
static int saved_body(struct cli *cli, const struct reply_args *a, struct buf *body)
{
	char *text = NULL, *error = NULL;
	int orc = ops_saved_render(cli->store, &cli->actor, a->ref, a->saved, a->lang, &text,
	                           &error);
	if (orc != OPS_OK)
		return cli_ops_exit("reply", orc, error);
	buf_init(body, REPLY_MAX);
	body->data = text;
	body->len = strlen(text);
	return EXIT_OK;
}

/* The body from --saved, --file, else standard input.  Returns EXIT_OK, or the exit code
 * after saying why. */
static int reply_body(struct cli *cli, const struct reply_args *a, struct buf *body)
{
	if (a->saved != NULL)
		return saved_body(cli, a, body);
	if (a->file == NULL)
		return cli_read_stdin(body, REPLY_MAX, "reply") < 0 ? EXIT_USAGE : EXIT_OK;
	buf_init(body, REPLY_MAX);
	char *error = NULL;
	size_t len = 0;
	if (file_read_all(a->file, REPLY_MAX, &body->data, &len, &error) < 0) {
		cli_error("reply", "%s", error);
		free(error);
		return EXIT_USAGE;
	}
	body->len = len;
	return EXIT_OK;
}

/* The message as it would be queued, on stdout; what the check finds, on stderr. */
static int reply_preview(struct cli *cli, const struct reply_args *a, const char *body)
{
	char *raw = NULL, *to = NULL, *error = NULL;
	int orc = ops_reply_preview(cli->store, &cli->actor, a->ref, body, &raw, &to, &error);
	if (orc == OPS_OK) {
		fputs(raw, stdout);
		struct policy_hits hits;
		char *why = NULL;
		if (ops_policy_check(body, &hits, &why) > 0) {
			char *said = ops_policy_describe(&hits, 1);
			cli_error("reply", "warning: sending it needs --confirm-policy: %s", said);
			free(said);
		}
		ops_policy_hits_free(&hits);
		free(why);
	}
	free(raw);
	free(to);
	return cli_ops_exit("reply", orc, error);
}

int cmd_reply(struct cli *cli, int argc, char **argv)
{
	struct reply_args a;
	if (reply_parse(argc, argv, &a) < 0)
		return cli_usage(reply_usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	struct buf body;
	if ((rc = reply_body(cli, &a, &body)) != EXIT_OK)
		return rc;
	if (a.preview) {
		rc = reply_preview(cli, &a, body.data);
		buf_free(&body);
		return rc;
	}
	char *to = NULL, *error = NULL;
	int orc = ops_reply(cli->store, &cli->actor, a.ref, body.data, &a.options, &to, &error);
	buf_free(&body);
	if (orc == OPS_OK)
		printf("%s: reply to %s queued (liaison outbox shows it; liaison poll sends it)\n",
		       a.ref, to);
	free(to);
	return cli_ops_exit("reply", orc, error);
}

/* ---- saved-replies ----------------------------------------------------------------------- */

struct saved_ctx {
	json_t *array; /* NULL for text output */
	size_t count;
};

static int list_saved(const struct template_saved *r, void *p)
{
	struct saved_ctx *ctx = p;
	char troop[2] = {r->troop, '\0'};
	ctx->count++;
	if (ctx->array != NULL) {
		json_array_append_new(ctx->array, json_pack(
		    "{s:s, s:s, s:o, s:o}", "name", r->name, "lang", r->lang,
		    "title", cli_json_str(r->title), "troop", cli_json_str(r->troop ? troop : NULL)));
		return 0;
	}
	printf("%-24s %-4s %-5s %s\n", r->name, r->lang, r->troop ? troop : "all",
	       r->title ? r->title : "");
	return 0;
}

int cmd_saved_replies(struct cli *cli, int argc, char **argv)
{
	char *ref = NULL;
	int json = 0;
	if (cli_ref_json_args(argc, argv, &ref, &json) < 0)
		return cli_usage("saved-replies REF [--json]");
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	struct saved_ctx ctx = {json ? json_array() : NULL, 0};
	if (!json)
		printf("%-24s %-4s %-5s %s\n", "NAME", "LANG", "TROOP", "TITLE");
	char *error = NULL;
	int orc = ops_saved_list(cli->store, &cli->actor, ref, list_saved, &ctx, &error);
	if (orc != OPS_OK) {
		json_decref(ctx.array);
		return cli_ops_exit("saved-replies", orc, error);
	}
	if (json)
		cli_print_json(ctx.array);
	else
		printf("%zu saved %s\n", ctx.count, ctx.count == 1 ? "reply" : "replies");
	return EXIT_OK;
}
