/* cli_reroute.c — liaison reroute [--mailbox NAME] [--since DATE] [--dry-run] [--json]: the
 * current routing rules applied again to stored mail, thread by thread. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "ops_reroute.h"
#include "route.h"

static const char usage[] = "reroute [--mailbox NAME] [--since YYYY-MM-DD] [--dry-run] [--json]";

static void print_change(const struct reroute_change *c, void *p)
{
	json_t *array = p;
	if (array != NULL) {
		json_array_append_new(array, json_pack("{s:s, s:s, s:s}", "thread", c->ref,
		                                       "changes", c->changes, "kept", c->kept));
		return;
	}
	if (c->changes[0])
		printf("%-13s %s\n", c->ref, c->changes);
	if (c->kept[0])
		printf("%-13s kept, as a person set it: %s\n", c->changes[0] ? "" : c->ref, c->kept);
}

int cmd_reroute(struct cli *cli, int argc, char **argv)
{
	struct reroute_request req = {0};
	const char *since = NULL;
	int json = 0;
	static const struct option options[] = {
		{"mailbox", required_argument, NULL, 'm'},
		{"since", required_argument, NULL, 's'},
		{"dry-run", no_argument, NULL, 'n'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'm': req.mailbox = optarg; break;
		case 's': since = optarg; break;
		case 'n': req.dry_run = 1; break;
		case 'j': json = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (optind != argc)
		return cli_usage(usage);
	int rc = since ? cli_parse_day(cli, since, 0, &req.since) : EXIT_OK;
	if (rc == EXIT_OK)
		rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	struct route_rules *rules = NULL;
	char *error = NULL;
	if (route_rules_load(cli->config->routes, &rules, &error) < 0) {
		fputs(error, stderr);
		free(error);
		return EXIT_USAGE;
	}
	json_t *array = json ? json_array() : NULL;
	if (!json)
		printf("%-13s %s\n", "THREAD", "CHANGES");
	struct reroute_counts counts;
	int orc = ops_reroute(cli->store, &cli->actor, rules, &req, print_change, array, &counts,
	                      &error);
	route_rules_free(&rules);
	if (orc != OPS_OK) {
		json_decref(array);
		return cli_ops_exit("reroute", orc, error);
	}
	if (array != NULL) {
		cli_print_json(array);
		return EXIT_OK;
	}
	printf("%s%lld thread%s examined, %lld %s, %lld message%s routed again",
	       req.dry_run ? "dry run: " : "", (long long)counts.threads,
	       counts.threads == 1 ? "" : "s", (long long)counts.changed,
	       req.dry_run ? "would change" : "changed", (long long)counts.messages,
	       counts.messages == 1 ? "" : "s");
	if (counts.skipped > 0)
		printf(", %lld left alone (a message was disposed of)", (long long)counts.skipped);
	printf("%s\n", req.dry_run ? "; nothing written" : "");
	return EXIT_OK;
}
