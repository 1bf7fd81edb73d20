/* cli_poll.c — liaison poll [--once] [--mailbox NAME]: the main job (poller.c). */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"
#include "poller.h"
#include "smtp.h"
#include "util.h"

int cmd_poll(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "poll [--once] [--mailbox NAME]";
	poller_install_signals(); /* before anything slow: see poller.h */
	struct poll_options options = {0};
	static const struct option long_options[] = {
		{"once", no_argument, NULL, 'o'},
		{"mailbox", required_argument, NULL, 'm'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "m:", long_options, NULL)) != -1) {
		switch (opt) {
		case 'o': options.once = 1; break;
		case 'm': options.mailbox = optarg; break;
		default: return cli_usage(usage);
		}
	}
	if (optind != argc)
		return cli_usage(usage);
	int rc = cli_load_config(cli);
	if (rc != EXIT_OK)
		return rc;
	if (options.mailbox && !config_find_mailbox(cli->config, options.mailbox)) {
		cli_error("poll", "no [mailbox %s] in %s", options.mailbox, cli->config->path);
		return EXIT_USAGE;
	}
	char *error = NULL;
	smtp_global_init();
	rc = poller_run(cli->config, &options, &error);
	smtp_global_deinit();
	if (error != NULL) {
		cli_error("poll", "%s", error);
		free(error);
	}
	return rc;
}
