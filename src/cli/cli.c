/* cli.c — what the commands share: loading the configuration and the store, errors, JSON. */
#include "cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "log.h"
#include "util.h"

int cli_load_config(struct cli *cli)
{
	if (cli->config != NULL)
		return EXIT_OK;
	const char *path = config_default_path(cli->config_path);
	char *errors = NULL;
	if (config_load(path, &cli->config, &errors) < 0) {
		fputs(errors, stderr);
		free(errors);
		return EXIT_USAGE;
	}
	log_set_configured_level(cli->config->log_level);
	/* Thread references and reports use the program's local time: the configured zone. */
	setenv("TZ", cli->config->timezone, 1);
	tzset();
	return EXIT_OK;
}

int cli_parse_day(struct cli *cli, const char *text, int whole, int64_t *t_r)
{
	struct cal_date d;
	if (calendar_parse(text, &d) < 0) {
		cli_error(whole ? "--until" : "--since", "'%s' is not a date: YYYY-MM-DD", text);
		return EXIT_USAGE;
	}
	/* Day boundaries are those of the configured zone, never the machine's. */
	int rc = cli_load_config(cli);
	if (rc != EXIT_OK)
		return rc;
	*t_r = calendar_time_of(whole ? calendar_add_days(d, 1) : d, 0, 0);
	if (*t_r < 0) {
		cli_error(whole ? "--until" : "--since", "'%s' is out of range", text);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int cli_open(struct cli *cli)
{
	int rc = cli_load_config(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	if (store_open(cli->config->database, STORE_OPEN_EXISTING, &cli->store, &error) < 0) {
		fprintf(stderr, "liaison: %s\n", error);
		free(error);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

int cli_open_as(struct cli *cli)
{
	int rc = cli_open(cli);
	return rc != EXIT_OK ? rc : cli_resolve_actor(cli);
}

int cli_resolve_actor(struct cli *cli)
{
	int rc = cli_load_config(cli);
	if (rc != EXIT_OK)
		return rc;
	const char *name = cli->user_name ? cli->user_name : getenv("LIAISON_USER");
	char *error = NULL;
	if (ops_actor(cli->config, name, &cli->actor, &error) != OPS_OK) {
		fprintf(stderr, "liaison: %s\n", error);
		free(error);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int cli_ops_exit(const char *command, int ops_result, char *error)
{
	if (ops_result == OPS_OK) {
		free(error);
		return EXIT_OK;
	}
	cli_error(command, "%s", error ? error : "failed");
	free(error);
	/* Not found stays exit 2, as a wrong name always was, and so does a warning to confirm
	 * (the same command again with the confirmation is the fix); refused, changed meanwhile
	 * and a database error are failures of the request itself. */
	return ops_result == OPS_INVALID || ops_result == OPS_NOT_FOUND ||
	       ops_result == OPS_UNCONFIRMED ? EXIT_USAGE : EXIT_FAIL;
}

int cli_ref_json_args(int argc, char **argv, char **ref_r, int *json_r)
{
	static const struct option options[] = {
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	*json_r = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt != 'j')
			return -1;
		*json_r = 1;
	}
	if (optind != argc - 1)
		return -1;
	*ref_r = argv[optind];
	ops_ref_canonical(*ref_r);
	return 0;
}

int cli_parse_id(const char *text, int64_t *id_r)
{
	char *end = NULL;
	long long v = strtoll(text, &end, 10);
	if (end == text || *end != '\0' || v <= 0)
		return -1;
	*id_r = v;
	return 0;
}

int cli_read_stdin(struct buf *in, size_t max, const char *command)
{
	buf_init(in, max);
	char chunk[4096];
	ssize_t n;
	while ((n = read(STDIN_FILENO, chunk, sizeof(chunk))) > 0)
		if (buf_add(in, chunk, (size_t)n) < 0) {
			cli_error(command, "the text is longer than %zu bytes", max);
			buf_free(in);
			return -1;
		}
	if (in->data == NULL)
		buf_add(in, "", 0);
	return 0;
}

void cli_close(struct cli *cli)
{
	store_close(&cli->store);
	config_free(&cli->config);
}

void cli_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "liaison: %s: ", command);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static struct {
	int help;
	const char *name;
	int argc;
	char **argv;
} usage_state;

void cli_set_command(const char *name, int argc, char **argv)
{
	usage_state.name = name;
	usage_state.argc = argc;
	usage_state.argv = argv;
}

void cli_help_mode(void)
{
	usage_state.help = 1;
	opterr = 0;
}

int cli_usage(const char *usage)
{
	if (usage_state.help) {
		printf("usage: liaison [-c FILE] [--as USER] %s\n", usage);
		return EXIT_OK;
	}
	/* getopt has said which option it did not know; otherwise say what was given. */
	if (usage_state.name != NULL && optopt == 0) {
		struct strlist given = {0};
		for (int i = 1; i < usage_state.argc; i++)
			strlist_add(&given, usage_state.argv[i]);
		char *joined = strlist_join(&given, " ");
		fprintf(stderr, "liaison: %s: %s\n", usage_state.name,
		        given.count ? "these arguments do not fit the usage below:" : "arguments are missing");
		if (given.count)
			fprintf(stderr, "  %s\n", joined);
		free(joined);
		strlist_free(&given);
	}
	fprintf(stderr, "usage: liaison [-c FILE] [--as USER] %s\n", usage);
	return EXIT_USAGE;
}

void cli_print_json(json_t *value)
{
	json_dumpf(value, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(value);
}

void cli_list_end(json_t *array, size_t count, const char *noun)
{
	if (array != NULL)
		cli_print_json(array);
	else
		printf("%zu %s%s\n", count, noun, count == 1 ? "" : "s");
}

json_t *cli_json_str(const char *s)
{
	/* json_string refuses invalid UTF-8; mime.c hands out valid UTF-8, but never lose a
	 * field over it. */
	if (s == NULL)
		return json_null();
	json_t *v = json_string(s);
	return v ? v : json_stringn_nocheck(s, strlen(s));
}

json_t *cli_json_time(int64_t t)
{
	if (t == 0)
		return json_null();
	char buf[32];
	time_format_utc(t, buf, sizeof(buf));
	return json_string(buf);
}

