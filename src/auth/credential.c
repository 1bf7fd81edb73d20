/* credential.c — a mailbox's or [smtp]'s login: password_file, token_command or [oauth2]. */
#include "credential.h"

#include <string.h>

#include "oauth2.h"
#include "secrets.h"
#include "util.h"

static int get(const char *password_file, const char *token_command,
               const struct oauth2_config *oauth2, const char *user, struct credential *cr,
               char **error_r)
{
	memset(cr, 0, sizeof(*cr));
	cr->user = user;
	cr->oauth2 = oauth2;
	if (oauth2 != NULL) {
		struct oauth2_token t;
		if (oauth2_get_token(oauth2, user, &t, error_r) < 0)
			return -1;
		cr->secret = t.access_token;
		cr->bearer = 1;
		cr->how = t.flow;
		cr->expires_at = t.expires_at;
		cr->renew_at = oauth2_renew_at(t.obtained_at, t.expires_at);
		return 0;
	}
	if (password_file == NULL && token_command == NULL)
		return 0;
	cr->secret = config_read_secret(password_file, token_command, error_r);
	if (cr->secret == NULL)
		return -1;
	cr->bearer = password_file == NULL;
	cr->how = cr->bearer ? "token_command" : "password";
	return 0;
}

int credential_for_mailbox(const struct mailbox_config *m, struct credential *cr, char **error_r)
{
	return get(m->password_file, m->token_command, m->oauth2_section,
	           m->username ? m->username : m->address, cr, error_r);
}

int credential_for_smtp(const struct smtp_config *smtp, struct credential *cr, char **error_r)
{
	return get(smtp->password_file, smtp->token_command, smtp->oauth2_section, smtp->username,
	           cr, error_r);
}

int credential_refused(const struct credential *cr)
{
	if (cr->oauth2 == NULL || cr->secret == NULL)
		return 0;
	oauth2_token_refused(cr->oauth2, cr->user, cr->secret);
	return 1;
}

void credential_clear(struct credential *cr)
{
	free_secret(&cr->secret);
}
