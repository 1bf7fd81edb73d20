/* cli_search.c — liaison search: the full-text index with filters, under the role rules, every
 * search audited with its query, filters and hit count. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "calendar.h"
#include "cli.h"
#include "ops_list.h"
#include "util.h"

static const char usage[] =
    "search [QUERY] [--mailbox NAME] [--from ADDR] [--to ADDR] [--since DATE] [--until DATE]\n"
    "       [--category C] [--thread REF] [--has-attachment] [--direction in|out]\n"
    "       [--limit N] [--json]";

/* Text output shows the newest this many hits unless --limit says otherwise (0: all);
 * --json gives them all unless --limit is given. */
#define SEARCH_SHOWN 100

struct search_ctx {
	json_t *array;
	size_t hits;
};

/* One hit as ops hands it: masked already where its thread is confidential. */
static int print_hit(const struct search_row *r, void *p)
{
	struct search_ctx *c = p;
	c->hits++;
	if (c->array) {
		json_array_append_new(c->array, json_pack("{s:o, s:s, s:o, s:s, s:o, s:s, s:s, s:o}",
		    "message_id", cli_json_str(r->message_id), "thread", r->thread_ref,
		    "date", cli_json_time(r->date), "from", r->from_addr,
		    "subject", cli_json_str(r->subject), "mailbox", r->mailbox,
		    "direction", r->direction, "snippet", cli_json_str(r->snippet)));
		return 0;
	}
	char date[32];
	time_format_local(r->date, date, sizeof(date));
	char *snippet = xstrdup(r->snippet ? r->snippet : "");
	for (char *q = snippet; *q; q++)
		if (*q == '\n' || *q == '\r' || *q == '\t')
			*q = ' ';
	printf("%-13s %-16s %-6s %-28.28s %-36.36s\n    %s\n", r->thread_ref, date, r->mailbox,
	       r->from_addr, r->subject ? r->subject : "", snippet);
	free(snippet);
	return 0;
}

int cli_search_parse(struct cli *cli, int argc, char **argv, struct search_filter *f, int *json_r,
                     long *limit_r, char **positional, int max_positional, int *n_positional_r)
{
	const char *since = NULL, *until = NULL;
	static const struct option options[] = {
		{"mailbox", required_argument, NULL, 'm'},
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{"since", required_argument, NULL, 's'},
		{"until", required_argument, NULL, 'u'},
		{"category", required_argument, NULL, 'c'},
		{"thread", required_argument, NULL, 'r'},
		{"has-attachment", no_argument, NULL, 'a'},
		{"direction", required_argument, NULL, 'd'},
		{"json", no_argument, NULL, 'j'},
		{"limit", required_argument, NULL, 'l'},
		{NULL, 0, NULL, 0},
	};
	memset(f, 0, sizeof(*f));
	*json_r = 0;
	if (limit_r != NULL)
		*limit_r = -1;
	char *end = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'm': f->mailbox = optarg; break;
		case 'f': f->from = optarg; break;
		case 't': f->to = optarg; break;
		case 's': since = optarg; break;
		case 'u': until = optarg; break;
		case 'c': f->category = optarg; break;
		case 'r': f->thread_ref = optarg; break;
		case 'a': f->has_attachment = 1; break;
		case 'd': f->direction = optarg; break;
		case 'j': *json_r = 1; break;
		case 'l':
			/* only a search shows a part of what it finds; a request or a hold takes all */
			if (limit_r == NULL)
				return -1;
			*limit_r = strtol(optarg, &end, 10);
			if (end == optarg || *end != '\0' || *limit_r < 0)
				return -1;
			break;
		default: return -1;
		}
	}
	if (argc - optind > max_positional)
		return -1;
	*n_positional_r = argc - optind;
	for (int i = optind; i < argc; i++)
		positional[i - optind] = argv[i];
	if (f->direction && strcmp(f->direction, "in") != 0 && strcmp(f->direction, "out") != 0)
		return -1;
	/* --until is the last day searched, whole */
	if ((since && cli_parse_day(cli, since, 0, &f->since) != EXIT_OK) ||
	    (until && cli_parse_day(cli, until, 1, &f->until) != EXIT_OK))
		return -2;
	return 0;
}


int cmd_search(struct cli *cli, int argc, char **argv)
{
	struct search_filter f;
	int json = 0, n = 0;
	long limit = -1;
	char *positional[1];
	int parsed = cli_search_parse(cli, argc, argv, &f, &json, &limit, positional, 1, &n);
	if (parsed < 0)
		return parsed == -2 ? EXIT_USAGE : cli_usage(usage);
	f.query = n == 1 ? positional[0] : NULL;
	f.limit = limit >= 0 ? (size_t)limit : json ? 0 : SEARCH_SHOWN;
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	struct search_ctx c = {json ? json_array() : NULL, 0};
	size_t total = 0;
	char *error = NULL;
	if (!json)
		printf("%-13s %-16s %-6s %-28s %-36s\n    %s\n", "THREAD", "DATE", "BOX", "FROM",
		       "SUBJECT", "SNIPPET");
	int orc = ops_search(cli->store, &cli->actor, &f, print_hit, &c, &total, &error);
	if (orc != OPS_OK) {
		json_decref(c.array);
		return cli_ops_exit("search", orc, error);
	}
	if (c.array == NULL && total > c.hits)
		printf("the newest %zu of %zu hits (--limit N for more, --limit 0 for all)\n", c.hits,
		       total);
	else
		cli_list_end(c.array, total, "hit");
	return EXIT_OK;
}
