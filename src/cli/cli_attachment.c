/* cli_attachment.c — liaison attachment REF N [--out FILE]: one attachment of a thread,
 * decoded, to a new file or to stdout (ops_attachment.c holds the rule and the audit). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ops_attachment.h"
#include "util.h"

/* A number as `liaison show` prints it: 1, 2, ... */
static int parse_number(const char *text, unsigned *n_r)
{
	char *end = NULL;
	errno = 0;
	unsigned long n = strtoul(text, &end, 10);
	if (text[0] < '1' || text[0] > '9' || *end != '\0' || errno != 0 || n > 1000000)
		return -1;
	*n_r = (unsigned)n;
	return 0;
}

int cmd_attachment(struct cli *cli, int argc, char **argv)
{
	static const char usage[] = "attachment REF N [--out FILE]   (N as liaison show REF "
	                            "numbers them; else to stdout)";
	const char *out = NULL;
	static const struct option options[] = {
		{"out", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt != 'o')
			return cli_usage(usage);
		out = optarg;
	}
	unsigned number = 0;
	if (optind != argc - 2 || parse_number(argv[optind + 1], &number) < 0)
		return cli_usage(usage);
	char *ref = argv[optind];
	ops_ref_canonical(ref); /* printed as written */
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	/* The file first: an attachment may hold what a victim sent, so never over another
	 * file, never through a link, and readable by its owner only. */
	int fd = STDOUT_FILENO;
	if (out != NULL) {
		fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0) {
			cli_error("attachment", "%s: %s%s", out, strerror(errno),
			          errno == EEXIST ? " (liaison never overwrites a file)" : "");
			return EXIT_FAIL;
		}
	}
	struct ops_attachment att;
	char *error = NULL;
	int orc = ops_attachment_get(cli->store, &cli->actor, ref, number, &att, &error);
	if (orc == OPS_OK && fd_write_all(fd, att.content, att.size) < 0) {
		error = xasprintf("%s: %s", out ? out : "stdout", strerror(errno));
		orc = OPS_FAILED;
	}
	if (out != NULL && close(fd) < 0 && orc == OPS_OK) {
		error = xasprintf("%s: %s", out, strerror(errno));
		orc = OPS_FAILED;
	}
	if (out != NULL && orc != OPS_OK)
		unlink(out);
	else if (out != NULL)
		printf("%s: attachment %u, %s (%s, %zu bytes), written to %s\n", ref, number,
		       att.filename ? att.filename : "(no name)", att.content_type, att.size, out);
	ops_attachment_clear(&att);
	return cli_ops_exit("attachment", orc, error);
}
