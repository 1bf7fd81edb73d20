/* cli_check.c — liaison check [--connect]: the configuration and what it names, every
 * problem at once; exit 2 when there is any. */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "selfcheck.h"
#include "smtp.h"

static const char usage[] = "check [--connect]";

struct counts {
	int warnings;
};

static void print_finding(enum selfcheck_level level, const char *part, const char *text,
                          void *ctx)
{
	struct counts *c = ctx;
	static const char *const words[] = {"ok", "warning", "PROBLEM"};
	if (level == SELFCHECK_WARNING)
		c->warnings++;
	printf("%-8s %-10s %s\n", words[level], part, text);
}

int cmd_check(struct cli *cli, int argc, char **argv)
{
	int connect = 0;
	static const struct option options[] = {
		{"connect", no_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'c': connect = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (optind != argc)
		return cli_usage(usage);
	struct counts counts = {0};
	if (connect)
		smtp_global_init();
	int problems = selfcheck_run(config_default_path(cli->config_path), connect, print_finding,
	                             &counts);
	if (connect)
		smtp_global_deinit();
	if (problems > 0)
		printf("liaison check: %d problem%s, %d warning%s\n", problems, problems == 1 ? "" : "s",
		       counts.warnings, counts.warnings == 1 ? "" : "s");
	else
		printf("liaison check: no problems, %d warning%s\n", counts.warnings,
		       counts.warnings == 1 ? "" : "s");
	return problems > 0 ? EXIT_USAGE : EXIT_OK;
}
