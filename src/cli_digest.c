/* cli_digest.c — liaison digest [--troop K] [--send [--again]]: the day's digest per troop (digest.c). */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "cli.h"
#include "digest.h"
#include "util.h"

static int one_troop(struct cli *cli, char troop, int send, int again, int64_t now)
{
	char *error = NULL;
	if (send) {
		int sent = 0;
		int64_t earlier = 0;
		int orc = digest_send(cli->store, &cli->actor, troop, now, again, &sent, &earlier,
		                      &error);
		char at[32];
		cli_format_time(earlier, at, sizeof(at));
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
	int orc = digest_build(cli->store, &cli->actor, troop, now, &text, &items, &error);
	if (orc == OPS_OK) {
		/* Printing it is a read of the troop's threads: audited like a report. */
		char object[2] = {troop, '\0'};
		if (audit_append(cli->store, cli->actor.user->name, "digest", object, "printed", &error) < 0)
			orc = OPS_FAILED;
		else
			fputs(text, stdout);
	}
	free(text);
	return cli_ops_exit("digest", orc, error);
}

int cmd_digest(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "digest [--troop K] [--send [--again]]";
	const char *troop = NULL;
	int send = 0, again = 0;
	static const struct option options[] = {
		{"troop", required_argument, NULL, 't'},
		{"send", no_argument, NULL, 's'},
		{"again", no_argument, NULL, 'a'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 't': troop = optarg; break;
		case 's': send = 1; break;
		case 'a': again = 1; break;
		default: return cli_usage(usage);
		}
	}
	if (optind != argc || (again && !send) ||
	    (troop && (strlen(troop) != 1 || !isalpha((unsigned char)troop[0]))))
		return cli_usage(usage);
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	int64_t now = (int64_t)time(NULL);
	if (troop)
		return one_troop(cli, (char)toupper((unsigned char)troop[0]), send, again, now);
	/* Every troop the actor sees, one after the other. */
	for (size_t i = 0; i < cli->config->n_mailboxes; i++) {
		char t = cli->config->mailboxes[i].troop;
		if (!ops_sees_troop(&cli->actor, t))
			continue;
		if (i > 0 && !send)
			putchar('\n');
		rc = one_troop(cli, t, send, again, now);
		if (rc != EXIT_OK)
			return rc;
	}
	return EXIT_OK;
}
