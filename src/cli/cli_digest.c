/* cli_digest.c — liaison digest [--troop K] [--send [--again]]: the day's digest per troop (digest.c). */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "digest.h"
#include "util.h"

static int one_troop(struct cli *cli, char troop, int send, int again, int64_t now,
                     json_t *array)
{
	char *error = NULL;
	if (send) {
		int sent = 0;
		int64_t earlier = 0;
		int orc = digest_send(cli->store, &cli->actor, troop, now, again, &sent, &earlier,
		                      &error);
		char at[32];
		time_format_local(earlier, at, sizeof(at));
		/* Skipped is not a failure: a daily job run twice did its job once. */
		if (orc == OPS_OK && earlier != 0)
			printf("troop %c: digest already queued today at %s; none queued (--again "
			       "queues another)\n", troop, at);
		else if (orc == OPS_OK)
			printf("troop %c: digest queued to %d liaison%s\n", troop, sent,
			       sent == 1 ? "" : "s");
		return cli_ops_exit("digest", orc, error);
	}
	char *text = NULL;
	int items = 0;
	int orc = digest_read(cli->store, &cli->actor, troop, now, &text, &items, &error);
	if (orc == OPS_OK && array != NULL) {
		char t[2] = {troop, '\0'};
		json_array_append_new(array, json_pack("{s:s, s:i, s:s}", "troop", t, "items", items,
		                                       "text", text));
	} else if (orc == OPS_OK) {
		fputs(text, stdout);
	}
	free(text);
	return cli_ops_exit("digest", orc, error);
}

int cmd_digest(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "digest [--troop K] [--json] | digest [--troop K] --send [--again]";
	const char *troop = NULL;
	int send = 0, again = 0, json = 0;
	static const struct option options[] = {
		{"troop", required_argument, NULL, 't'},
		{"send", no_argument, NULL, 's'},
		{"again", no_argument, NULL, 'a'},
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 't': troop = optarg; break;
		case 's': send = 1; break;
		case 'a': again = 1; break;
		case 'j': json = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (optind != argc || (again && !send) || (json && send) ||
	    (troop && (strlen(troop) != 1 || !isalpha((unsigned char)troop[0]))))
		return cli_usage(usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	int64_t now = (int64_t)time(NULL);
	char troops[64];
	if (troop)
		snprintf(troops, sizeof(troops), "%c", toupper((unsigned char)troop[0]));
	else
		digest_troops(&cli->actor, troops, sizeof(troops)); /* every troop the actor sees */
	json_t *array = json ? json_array() : NULL;
	for (size_t i = 0; troops[i]; i++) {
		if (i > 0 && !send && !json)
			putchar('\n');
		rc = one_troop(cli, troops[i], send, again, now, array);
		if (rc != EXIT_OK) {
			json_decref(array);
			return rc;
		}
	}
	if (array)
		cli_print_json(array);
	return EXIT_OK;
}
