/* cli_backup.c — liaison backup [--json] DEST; liaison restore [--force] SRC. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ops_backup.h"
#include "util.h"

static const char backup_usage[] = "backup [--json] DEST";
static const char restore_usage[] = "restore [--force] SRC";

static void print_info(const char *what, const char *folder, const struct backup_info *info)
{
	char when[32];
	time_format_utc(info->created_at, when, sizeof(when));
	const struct store_counts *c = &info->counts;
	printf("%s %s (made %s, schema %d)\n", what, folder, when, info->schema);
	printf("  %lld messages re-hashed (%lld disposed of), %lld threads, %lld outbox rows\n",
	       (long long)info->messages_rehashed, (long long)info->tombstones,
	       (long long)c->threads, (long long)c->outbox);
	printf("  audit trail: %lld entries, head entry %lld sha256 %s\n",
	       (long long)c->audit_entries, (long long)c->audit_head_id, c->audit_head_hash);
	printf("  database sha256 %s (%lld bytes)\n", info->database_sha256,
	       (long long)info->database_bytes);
}

/* The manifest as written, with the folder: what --json prints. */
static int print_manifest_json(const char *dest)
{
	char *path = xasprintf("%s/%s", dest, BACKUP_MANIFEST);
	json_t *m = json_load_file(path, 0, NULL);
	free(path);
	if (m == NULL) {
		cli_error("backup", "%s/%s cannot be read back", dest, BACKUP_MANIFEST);
		return EXIT_FAIL;
	}
	json_object_set_new(m, "folder", json_string(dest));
	cli_print_json(m);
	return EXIT_OK;
}

int cmd_backup(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{"json", no_argument, NULL, 'j'},
		{NULL, 0, NULL, 0},
	};
	int json = 0, opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt != 'j')
			return cli_usage(backup_usage);
		json = 1;
	}
	if (optind != argc - 1)
		return cli_usage(backup_usage);
	const char *dest = argv[optind];
	int rc = cli_open_as(cli);
	if (rc != EXIT_OK)
		return rc;
	struct backup_info info;
	char *error = NULL;
	int orc = ops_backup(cli->store, &cli->actor, dest, &info, &error);
	if (orc != OPS_OK)
		return cli_ops_exit("backup", orc, error);
	if (json)
		return print_manifest_json(dest);
	print_info("backed up and verified into", dest, &info);
	return EXIT_OK;
}

int cmd_restore(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{"force", no_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	int force = 0, opt;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt != 'f')
			return cli_usage(restore_usage);
		force = 1;
	}
	if (optind != argc - 1)
		return cli_usage(restore_usage);
	const char *src = argv[optind];
	/* No store is opened: on a new machine there is none yet. */
	int rc = cli_resolve_actor(cli);
	if (rc != EXIT_OK)
		return rc;
	char *error = NULL;
	struct restore_result r;
	int orc = ops_restore(cli->config, &cli->actor, src, force, &r, &error);
	if (orc != OPS_OK) {
		restore_result_clear(&r);
		return cli_ops_exit("restore", orc, error);
	}
	print_info("restored the backup in", src, &r.info);
	printf("  now %s\n", cli->config->database);
	if (r.held > 0)
		printf("  %lld outbox message%s held as uncertain (the lost installation may have sent "
		       "them): liaison outbox --status uncertain\n", (long long)r.held,
		       r.held == 1 ? "" : "s");
	if (r.kept_aside != NULL)
		printf("  the database it replaced is kept as %s\n", r.kept_aside);
	restore_result_clear(&r);
	return EXIT_OK;
}
