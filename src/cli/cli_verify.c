/* cli_verify.c — liaison verify: every stored message re-hashed, the audit chain walked, the
 * search index checked; exit 1 on any mismatch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ops_audit.h"
#include "util.h"

static void print_mismatch(const char *sha256, const char *message_id, const char *actual,
                           void *ctx)
{
	(void)ctx;
	printf("MISMATCH %s (Message-ID <%s>): %s%s\n", sha256, message_id ? message_id : "",
	       strlen(actual) == 64 ? "the stored bytes hash to " : "", actual);
}

int cmd_verify(struct cli *cli, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return cli_usage("verify");
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	if (ops_may_audit(&cli->actor, &error) != OPS_OK)
		return cli_ops_exit("verify", OPS_REFUSED, error);
	/* A database others can read is every message laid open: said first, and loudly. */
	struct strlist warnings = {0};
	verify_database_modes(cli->config->database, &warnings);
	for (size_t i = 0; i < warnings.count; i++)
		printf("WARNING: %s\n", warnings.items[i]);
	strlist_free(&warnings);
	struct verify_result r;
	int orc = ops_verify(cli->store, &cli->actor, print_mismatch, NULL, &r, &error);
	if (orc != OPS_OK)
		return cli_ops_exit("verify", orc, error);
	printf("messages: %lld re-hashed, %lld mismatched, %lld disposed of (tombstones only)\n",
	       (long long)r.messages, (long long)r.mismatches, (long long)r.tombstones);
	if (r.audit_broken != 0)
		printf("audit trail: BROKEN at entry %lld: %s\n", (long long)r.audit_broken,
		       r.audit_problem ? r.audit_problem : "");
	else
		printf("audit trail: %lld entries, every link and hash verified\n",
		       (long long)r.audit_entries);
	if (r.index_problem != NULL && r.index_unchecked)
		printf("search index: COULD NOT BE CHECKED: %s\n", r.index_problem);
	else if (r.index_problem != NULL)
		printf("search index: DISAGREES with the messages: %s\n", r.index_problem);
	else
		printf("search index: holds exactly the messages' words\n");
	free(r.audit_problem);
	int ok = r.mismatches == 0 && r.audit_broken == 0 && r.index_problem == NULL;
	free(r.index_problem);
	printf("%s\n", ok ? "verified" : "FAILED");
	return ok ? EXIT_OK : EXIT_FAIL;
}
