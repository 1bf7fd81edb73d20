/* cli_init.c — liaison init: create or upgrade the database, enrol the configured mailboxes. */
#include <stdlib.h>

#include "cli.h"
#include "util.h"

int cmd_init(struct cli *cli, int argc, char **argv)
{
	if (argc != 1)
		return cli_usage("init");
	int rc = cli_load_config(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	if (store_open(cli->config->database, STORE_OPEN_INIT, &cli->store, &error) < 0) {
		cli_error("init", "%s", error);
		free(error);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < cli->config->n_mailboxes; i++) {
		const struct mailbox_config *m = &cli->config->mailboxes[i];
		int64_t id;
		if (store_mailbox_ensure(cli->store, m->name, m->troop, m->address, &id) < 0) {
			cli_error("init", "mailbox %s: %s", m->name, store_error(cli->store));
			return EXIT_FAIL;
		}
	}
	printf("%s: schema %d, %zu mailbox%s\n", cli->config->database,
	       store_schema_version(cli->store), cli->config->n_mailboxes,
	       cli->config->n_mailboxes == 1 ? "" : "es");
	return EXIT_OK;
}
