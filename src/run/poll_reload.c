/* poll_reload.c — loading a new configuration for a running poller, and telling what in it
 * only a restart applies. */
#include "poll_reload.h"

#include <stdlib.h>
#include <string.h>

#include "template.h"

int poll_reload_check_templates(const struct config *config, char **error_r)
{
	struct strlist problems = {0};
	if (template_check(config->templates, &problems) > 0)
		*error_r = strlist_join(&problems, "\n");
	int rc = problems.count > 0 ? -1 : 0;
	strlist_free(&problems);
	return rc;
}

int poll_reload_load(const char *path, struct config **config_r, struct route_rules **rules_r,
                     char **errors_r)
{
	struct config *config = NULL;
	struct route_rules *rules = NULL;
	if (config_load(path, &config, errors_r) < 0)
		return -1;
	if (route_rules_load(config->routes, &rules, errors_r) < 0 ||
	    poll_reload_check_templates(config, errors_r) < 0) {
		route_rules_free(&rules);
		config_free(&config);
		return -1;
	}
	*config_r = config;
	*rules_r = rules;
	return 0;
}

static int same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int same_list(const struct strlist *a, const struct strlist *b)
{
	if (a->count != b->count)
		return 0;
	for (size_t i = 0; i < a->count; i++)
		if (strcmp(a->items[i], b->items[i]) != 0)
			return 0;
	return 1;
}

/* What a watcher's connection was opened with, or acts on over it. */
static int same_connection(const struct mailbox_config *a, const struct mailbox_config *b)
{
	return same_text(a->imap_url, b->imap_url) && same_text(a->username, b->username) &&
	       same_text(a->password_file, b->password_file) &&
	       same_text(a->token_command, b->token_command) && same_text(a->oauth2, b->oauth2) &&
	       same_text(a->ca_file, b->ca_file) && a->tls == b->tls &&
	       same_list(&a->folders, &b->folders) && same_text(a->sent_folder, b->sent_folder) &&
	       a->mark_seen == b->mark_seen && same_text(a->move_to, b->move_to);
}

/* Everything a token of the section depends on. */
static int same_oauth2(const struct oauth2_config *a, const struct oauth2_config *b)
{
	return a->flow == b->flow && same_text(a->token_url, b->token_url) &&
	       same_text(a->device_authorization_url, b->device_authorization_url) &&
	       same_text(a->client_id, b->client_id) &&
	       same_text(a->client_secret_file, b->client_secret_file) &&
	       same_text(a->client_certificate, b->client_certificate) &&
	       same_text(a->client_key, b->client_key) && same_text(a->scope, b->scope) &&
	       same_text(a->refresh_token_file, b->refresh_token_file) &&
	       same_text(a->key_file, b->key_file) && same_text(a->ca_file, b->ca_file);
}

int poll_reload_oauth2_changed(const struct config *running, const struct config *loaded)
{
	if (running->n_oauth2s != loaded->n_oauth2s)
		return 1;
	for (size_t i = 0; i < running->n_oauth2s; i++) {
		const struct oauth2_config *now = config_find_oauth2(loaded, running->oauth2s[i].name);
		if (now == NULL || !same_oauth2(&running->oauth2s[i], now))
			return 1;
	}
	return 0;
}

void poll_reload_restart_needed(const struct config *running, const struct config *loaded,
                                struct strlist *what_r)
{
	if (!same_text(running->database, loaded->database))
		strlist_add(what_r, "database");
	if (!same_text(running->timezone, loaded->timezone))
		strlist_add(what_r, "timezone");
	if (running->poll_interval != loaded->poll_interval)
		strlist_add(what_r, "poll_interval");
	if (running->backoff_max != loaded->backoff_max)
		strlist_add(what_r, "backoff_max");
	for (size_t i = 0; i < running->n_mailboxes; i++) {
		const struct mailbox_config *old = &running->mailboxes[i];
		const struct mailbox_config *now = config_find_mailbox(loaded, old->name);
		if (now == NULL) {
			char *line = xasprintf("[mailbox %s] removed", old->name);
			strlist_add(what_r, line);
			free(line);
		} else if (!same_connection(old, now)) {
			char *line = xasprintf("[mailbox %s] imap, credentials, folders, mark_seen "
			                       "or move_to", old->name);
			strlist_add(what_r, line);
			free(line);
		}
	}
	if (poll_reload_oauth2_changed(running, loaded))
		strlist_add(what_r, "[oauth2] sections (for the mailboxes; [smtp] uses them at once)");
	for (size_t i = 0; i < loaded->n_mailboxes; i++)
		if (config_find_mailbox(running, loaded->mailboxes[i].name) == NULL) {
			char *line = xasprintf("[mailbox %s] added", loaded->mailboxes[i].name);
			strlist_add(what_r, line);
			free(line);
		}
}
