/* cli_web.c — liaison web [--listen ADDR]: the web console (src/web/) until SIGTERM or
 * SIGINT. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config_value.h"
#include "util.h"
#include "web_app.h"
#include "web_server.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	stop_requested = 1;
}

static void ready(const char *listen, void *app)
{
	struct web_app *a = app;
	printf("liaison web: the console is at %s://%s/ (Ctrl-C stops it)\n",
	       a->config->web.tls_cert ? "https" : "http", listen);
	fflush(stdout);
}

int cmd_web(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "web [--listen ADDRESS:PORT]";
	static const struct option long_options[] = {
		{"listen", required_argument, NULL, 'l'},
		{NULL, 0, NULL, 0},
	};
	const char *listen = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
		switch (opt) {
		case 'l': listen = optarg; break;
		default: return cli_usage(usage);
		}
	}
	if (optind != argc)
		return cli_usage(usage);
	int rc = cli_load_config(cli);
	if (rc != EXIT_OK)
		return rc;
	struct config *config = cli->config;
	if (listen != NULL) {
		if (!conf_valid_listen(listen) ||
		    (config->web.tls_cert == NULL && !conf_listen_is_loopback(listen))) {
			cli_error("web", "--listen %s: give a loopback address and port (127.0.0.1:8025), "
			          "or set tls_cert and tls_key in [web]", listen);
			return EXIT_USAGE;
		}
		free(config->web.listen);
		config->web.listen = xstrdup(listen);
	}
	struct web_app app;
	char *error = NULL;
	if (web_app_init(&app, config, &error) < 0) {
		cli_error("web", "%s", error);
		free(error);
		return EXIT_FAIL;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = web_server_run(config, web_app_handle, &app, &stop_requested, ready, &error);
	web_app_free(&app);
	if (rc < 0) {
		cli_error("web", "%s", error);
		free(error);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
