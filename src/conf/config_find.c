/* config_find.c — looking things up in a loaded configuration (see config.h): a mailbox by
 * name or troop, a user, a service, whether an address is a mailbox's own, and which file to
 * read. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct mailbox_config *config_find_mailbox(const struct config *config, const char *name)
{
	/* Any case: people type "k" for [mailbox K]. */
	for (size_t i = 0; i < config->n_mailboxes; i++)
		if (strcasecmp(config->mailboxes[i].name, name) == 0)
			return &config->mailboxes[i];
	return NULL;
}

const struct user_config *config_find_user(const struct config *config, const char *name)
{
	for (size_t i = 0; i < config->n_users; i++)
		if (strcmp(config->users[i].name, name) == 0)
			return &config->users[i];
	return NULL;
}

const struct oauth2_config *config_find_oauth2(const struct config *config, const char *name)
{
	for (size_t i = 0; i < config->n_oauth2s; i++)
		if (strcmp(config->oauth2s[i].name, name) == 0)
			return &config->oauth2s[i];
	return NULL;
}

const struct service_config *config_find_service(const struct config *config, const char *id)
{
	for (size_t i = 0; i < config->n_services; i++)
		if (strcmp(config->services[i].id, id) == 0)
			return &config->services[i];
	return NULL;
}

const struct mailbox_config *config_find_troop(const struct config *config, char troop)
{
	for (size_t i = 0; i < config->n_mailboxes; i++)
		if (config->mailboxes[i].troop == troop)
			return &config->mailboxes[i];
	return NULL;
}

int mailbox_owns_address(const struct mailbox_config *mailbox, const char *addr)
{
	if (addr == NULL || addr[0] == '\0')
		return 0;
	if (mailbox->address != NULL && strcasecmp(mailbox->address, addr) == 0)
		return 1;
	return strlist_contains_nocase(&mailbox->aliases, addr);
}

const char *config_default_path(const char *explicit_path)
{
	if (explicit_path != NULL)
		return explicit_path;
	const char *env = getenv("LIAISON_CONFIG");
	if (env != NULL && env[0] != '\0')
		return env;
	return "liaison.conf";
}
