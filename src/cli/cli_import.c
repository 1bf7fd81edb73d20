/* cli_import.c — liaison import --mailbox NAME [--folder FOLDER] [--json] PATH... */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "import_run.h"
#include "util.h"

static const char usage[] = "import --mailbox NAME [--folder FOLDER] [--json] PATH...";

int cmd_import(struct cli *cli, int argc, char **argv)
{
	const char *mailbox_name = NULL, *folder = "INBOX";
	int json = 0;
	static const struct option options[] = {
		{"mailbox", required_argument, NULL, 'm'},
		{"folder", required_argument, NULL, 'f'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "m:f:", options, NULL)) != -1) {
		switch (opt) {
		case 'm': mailbox_name = optarg; break;
		case 'f': folder = optarg; break;
		case 'j': json = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (mailbox_name == NULL || optind >= argc || folder[0] == '\0')
		return cli_usage(usage);
	int rc = cli_open(cli);
	if (rc != EXIT_OK)
		return rc;
	const struct mailbox_config *mailbox = config_find_mailbox(cli->config, mailbox_name);
	if (mailbox == NULL) {
		cli_error("import", "no [mailbox %s] in %s", mailbox_name, cli->config->path);
		return EXIT_USAGE;
	}

	/* Imported mail is routed as polled mail is: the same rules, the same code. */
	struct route_rules *rules = NULL;
	char *error = NULL;
	if (route_rules_load(cli->config->routes, &rules, &error) < 0) {
		fprintf(stderr, "%s\n", error);
		free(error);
		return EXIT_USAGE;
	}
	struct import_result result;
	int failed = import_run(cli->store, cli->config, rules, mailbox, folder, argv + optind,
	                        (size_t)(argc - optind), &result, &error) < 0;
	route_rules_free(&rules);
	const struct ingest_counts *c = &result.counts;
	if (json) {
		json_t *errors = json_array();
		for (size_t i = 0; i < result.errors.count; i++)
			json_array_append_new(errors, cli_json_str(result.errors.items[i]));
		cli_print_json(json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:o, s:o}",
		    "mailbox", mailbox->name, "folder", folder,
		    "imported", (json_int_t)c->imported, "duplicate", (json_int_t)c->duplicates,
		    "quarantined", (json_int_t)c->quarantined, "already", (json_int_t)c->already,
		    "unreadable", (json_int_t)c->errors, "errors", errors,
		    "store_error", cli_json_str(error)));
	} else {
		for (size_t i = 0; i < result.errors.count; i++)
			cli_error("import", "%s", result.errors.items[i]);
		printf("%s/%s: %llu imported, %llu duplicate, %llu quarantined, %llu already imported,"
		       " %llu unreadable\n", mailbox->name, folder, (unsigned long long)c->imported,
		       (unsigned long long)c->duplicates, (unsigned long long)c->quarantined,
		       (unsigned long long)c->already, (unsigned long long)c->errors);
		if (c->quarantined > 0)
			cli_error("import", "%llu quarantined: stored as received with the reason, "
			          "not filed; see liaison messages --quarantined",
			          (unsigned long long)c->quarantined);
	}
	if (failed) {
		cli_error("import", "stopped: %s (what was committed stays; run again to go on)", error);
		free(error);
	}
	/* A quarantined message is kept but filed nowhere: someone must look, so the run says
	 * so in its exit code as it does for an unreadable one. */
	int unreadable = result.errors.count > 0, quarantined = c->quarantined > 0;
	strlist_free(&result.errors);
	return failed || unreadable || quarantined ? EXIT_FAIL : EXIT_OK;
}
