/* cli_reply.c — liaison reply: what a liaison writes to a thread's correspondent, its
 * immigration-status check and its preview (ops_reply.c holds their rules). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ops_policy.h"
#include "util.h"

/* A reply's text: 1 MiB is far more than anyone writes, and bounds a pasted file. */
#define REPLY_MAX (1u << 20)

static const char reply_usage[] =
    "reply REF [--file FILE] [--reopen] [--force] [--confirm-policy]\n"
    "             [--seen MESSAGE_ID [--seen-outbox OUTBOX_ID]] [--preview]\n"
    "   (else the body is read from stdin)";

struct reply_args {
	const char *ref, *file;
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
		default: return -1;
		}
	}
	if (optind != argc - 1 || (a->options.seen_outbox_id && !a->options.seen_message_id))
		return -1;
	a->ref = argv[optind];
	ops_ref_canonical(argv[optind]); /* printed as written */
	return 0;
}

/* The body from --file, else standard input.  Returns 0, or -1 after saying why. */
static int reply_body(const struct reply_args *a, struct buf *body)
{
	if (a->file == NULL)
		return cli_read_stdin(body, REPLY_MAX, "reply");
	buf_init(body, REPLY_MAX);
	char *error = NULL;
	size_t len = 0;
	if (file_read_all(a->file, REPLY_MAX, &body->data, &len, &error) < 0) {
		cli_error("reply", "%s", error);
		free(error);
		return -1;
	}
	body->len = len;
	return 0;
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
	if (reply_body(&a, &body) < 0)
		return EXIT_USAGE;
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
