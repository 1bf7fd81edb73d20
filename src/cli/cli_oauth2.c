/* cli_oauth2.c — liaison oauth2 login NAME: sign in once for an [oauth2 NAME] with
 * flow = device, so that poll and the sender get their tokens from its refresh token. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "oauth2.h"
#include "util.h"

static const char usage[] = "oauth2 login NAME";

int cmd_oauth2(struct cli *cli, int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "login") != 0)
		return cli_usage(usage);
	int rc = cli_load_config(cli);
	if (rc != EXIT_OK)
		return rc;
	const struct oauth2_config *o = config_find_oauth2(cli->config, argv[2]);
	if (o == NULL) {
		cli_error("oauth2", "no [oauth2 %s] in %s", argv[2], cli->config->path);
		return EXIT_USAGE;
	}
	if (o->flow != OAUTH2_DEVICE) {
		cli_error("oauth2", "[oauth2 %s] has flow = %s: it needs no sign-in (login is for "
		          "flow = device)", o->name,
		          o->flow == OAUTH2_SERVICE_ACCOUNT ? "service_account" : "client_credentials");
		return EXIT_USAGE;
	}
	char *error = NULL;
	if (oauth2_device_login(o, stdout, &error) < 0) {
		cli_error("oauth2", "%s", error);
		free(error);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
