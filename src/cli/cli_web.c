/* cli_web.c — liaison web [--listen ADDR]: the web console (src/web/) until SIGTERM or
 * SIGINT; SIGHUP reloads the configuration (users, troops, templates path...) without
 * dropping sessions or the requests being answered. */
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config_value.h"
#include "log.h"
#include "util.h"
#include "web_app.h"
#include "web_server.h"

static volatile sig_atomic_t stop_requested;
static volatile sig_atomic_t reload_requested;

static void on_signal(int sig)
{
	stop_requested = 1;
}

static void on_hangup(int sig)
{
	reload_requested = 1;
}

/* First thing: until then a SIGHUP (`systemctl reload` just after the start) would end the
 * process.  One met before the server runs is applied as a reload once it serves. */
static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_hangup;
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void ready(const char *listen, const char *metrics, void *app)
{
	struct web_app *a = app;
	printf("liaison web: the console is at %s://%s/ (Ctrl-C stops it)\n",
	       a->config->web.tls_cert ? "https" : "http", listen);
	if (metrics != NULL)
		printf("liaison web: metrics at http://%s/metrics\n", metrics);
	fflush(stdout);
}

/* What a reload reads, and the configurations replaced by reloads: kept until the end, as a
 * background export may still read the one it started with. */
static struct {
	const char *path;
	const char *listen;          /* --listen, which outlives a reload */
	const struct config **retired;
	size_t n_retired;
} reloads;

/* A setting the running server cannot change (its sockets, its database): the new
 * configuration keeps the running value, and the log says a restart applies it. */
static void keep_running(char **fresh, const char *running, const char *what)
{
	if ((*fresh == NULL) != (running == NULL) ||
	    (running != NULL && strcmp(*fresh, running) != 0))
		log_warn("web: reload: %s changed: takes effect when liaison web restarts", what);
	free(*fresh);
	*fresh = running ? xstrdup(running) : NULL;
}

/* keep_running for a number the server took at its start (its threads, its limits). */
static uint64_t keep_running_number(uint64_t fresh, uint64_t running, const char *what)
{
	if (fresh != running)
		log_warn("web: reload: %s changed: takes effect when liaison web restarts", what);
	return running;
}

static void reload(void *p)
{
	struct web_app *app = p;
	struct config *fresh = NULL;
	char *errors = NULL;
	if (config_load(reloads.path, &fresh, &errors) < 0) {
		/* every FILE:LINE: problem, one log line each */
		char *save = NULL;
		for (char *line = strtok_r(errors, "\n", &save); line != NULL;
		     line = strtok_r(NULL, "\n", &save))
			log_error("web: reload: %s", line);
		log_error("web: reload refused: the configuration in use is kept");
		free(errors);
		return;
	}
	const struct config *running = app->config;
	keep_running(&fresh->database, running->database, "[liaison] database");
	keep_running(&fresh->timezone, running->timezone, "[liaison] timezone");
	if (reloads.listen == NULL) {
		keep_running(&fresh->web.listen, running->web.listen, "[web] listen");
	} else { /* --listen given: the file's listen was not in use anyway */
		free(fresh->web.listen);
		fresh->web.listen = xstrdup(running->web.listen);
	}
	keep_running(&fresh->web.tls_cert, running->web.tls_cert, "[web] tls_cert");
	keep_running(&fresh->web.tls_key, running->web.tls_key, "[web] tls_key");
	keep_running(&fresh->web.metrics_listen, running->web.metrics_listen,
	             "[web] metrics_listen");
	struct web_config *w = &fresh->web;
	const struct web_config *r = &running->web;
	w->threads = (unsigned)keep_running_number(w->threads, r->threads, "[web] threads");
	w->max_connections = (unsigned)keep_running_number(w->max_connections, r->max_connections,
	                                                   "[web] max_connections");
	w->max_body = (size_t)keep_running_number(w->max_body, r->max_body, "[web] max_body");
	w->connection_timeout = (unsigned)keep_running_number(
	    w->connection_timeout, r->connection_timeout, "[web] connection_timeout");
	w->connection_memory = (size_t)keep_running_number(
	    w->connection_memory, r->connection_memory, "[web] connection_memory");
	const struct config *old = web_app_swap_config(app, fresh);
	log_set_configured_level(fresh->log_level);
	reloads.retired = xrealloc(reloads.retired, (reloads.n_retired + 1) * sizeof(*old));
	reloads.retired[reloads.n_retired++] = old;
	log_info("web: configuration reloaded from %s (%zu users, %zu mailboxes)", reloads.path,
	         fresh->n_users, fresh->n_mailboxes);
}

int cmd_web(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "web [--listen ADDRESS:PORT]   (SIGHUP reloads the configuration)";
	install_signals();
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
	reloads.path = config_default_path(cli->config_path);
	reloads.listen = listen;
	struct web_app app;
	char *error = NULL;
	if (web_app_init(&app, config, &error) < 0) {
		cli_error("web", "%s", error);
		free(error);
		return EXIT_FAIL;
	}
	struct web_server_hooks hooks = {
		.handler = web_app_handle,
		.metrics = web_app_metrics,
		.app = &app,
		.stop = &stop_requested,
		.reload = &reload_requested,
		.on_reload = reload,
		.ready = ready,
	};
	rc = web_server_run(config, &hooks, &error);
	const struct config *current = app.config;
	web_app_free(&app);
	/* the one in use is freed by cli_close; the ones it replaced here */
	for (size_t i = 0; i < reloads.n_retired; i++) {
		struct config *c = (struct config *)reloads.retired[i];
		if (c != current)
			config_free(&c);
	}
	free(reloads.retired);
	cli->config = (struct config *)current;
	if (rc < 0) {
		cli_error("web", "%s", error);
		free(error);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
