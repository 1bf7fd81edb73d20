/* cli_verify.c — liaison verify: every stored message re-hashed, the audit chain walked;
 * exit 1 on any mismatch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "cli.h"
#include "verify.h"

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
	if (cli->actor.user->role == ROLE_CTL) {
		cli_error("verify", "refused: verification is for the coordinator, records staff and "
		                    "admins");
		return EXIT_FAIL;
	}
	/* A database others can read is every message laid open: said first, and loudly. */
	struct strlist warnings = {0};
	verify_database_modes(cli->config->database, &warnings);
	for (size_t i = 0; i < warnings.count; i++)
		printf("WARNING: %s\n", warnings.items[i]);
	strlist_free(&warnings);
	struct verify_result r;
	char *error = NULL;
	if (verify_store(cli->store, print_mismatch, NULL, &r, &error) < 0) {
		cli_error("verify", "%s", error);
		free(error);
		return EXIT_FAIL;
	}
	printf("messages: %lld re-hashed, %lld mismatched, %lld disposed of (tombstones only)\n",
	       (long long)r.messages, (long long)r.mismatches, (long long)r.tombstones);
	if (r.audit_broken != 0)
		printf("audit trail: BROKEN at entry %lld: %s\n", (long long)r.audit_broken,
		       r.audit_problem ? r.audit_problem : "");
	else
		printf("audit trail: %lld entries, every link and hash verified\n",
		       (long long)r.audit_entries);
	int ok = r.mismatches == 0 && r.audit_broken == 0;
	/* the result is recorded too: when the store was last proven whole */
	char *details = xasprintf("%lld messages, %lld mismatched; audit %s",
	                          (long long)r.messages, (long long)r.mismatches,
	                          r.audit_broken ? "broken" : "intact");
	free(r.audit_problem);
	int arc = audit_append(cli->store, cli->actor.user->name, "verify", "", details, &error);
	free(details);
	if (arc < 0) {
		cli_error("verify", "%s", error);
		free(error);
		return EXIT_FAIL;
	}
	printf("%s\n", ok ? "verified" : "FAILED");
	return ok ? EXIT_OK : EXIT_FAIL;
}
