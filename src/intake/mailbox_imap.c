/* mailbox_imap.c — from a [mailbox] section to an IMAP session: URL, TLS, credentials. */
#include "mailbox_imap.h"

#include <stdlib.h>

#include "util.h"

#define IMAP_TIMEOUT 60 /* seconds per IMAP command */

int mailbox_imap_account(const struct mailbox_config *m, struct imap_account *a, char **host_r,
                         char **secret_r, char **error_r)
{
	enum imap_tls tls;
	uint16_t port;
	if (imap_url_parse(m->imap_url, host_r, &port, &tls) < 0) {
		*error_r = xasprintf("imap: '%s' is not an IMAP URL", m->imap_url);
		return -1;
	}
	if (m->tls == CONFIG_TLS_IMPLICIT)
		tls = IMAP_TLS_IMPLICIT;
	else if (m->tls == CONFIG_TLS_STARTTLS)
		tls = IMAP_TLS_STARTTLS;
	else if (m->tls == CONFIG_TLS_NONE)
		tls = IMAP_TLS_NONE;
	/* Secrets are read at every connect: a rotated password or a fresh token is used. */
	*secret_r = config_read_secret(m->password_file, m->token_command, error_r);
	if (*secret_r == NULL)
		return -1;
	*a = (struct imap_account){
		.host = *host_r,
		.port = port,
		.tls = tls,
		.ca_file = m->ca_file,
		.username = m->username ? m->username : m->address,
		.auth = m->token_command ? IMAP_AUTH_XOAUTH2 : IMAP_AUTH_PASSWORD,
		.secret = *secret_r,
		.timeout = IMAP_TIMEOUT,
	};
	return 0;
}


int mailbox_imap_append_sent(const struct mailbox_config *m, const char *raw, size_t len,
                             char **error_r)
{
	if (m->imap_url == NULL || m->sent_folder == NULL)
		return 0;
	struct imap_account account;
	char *host = NULL, *secret = NULL;
	struct imap_session *s = NULL;
	int rc = mailbox_imap_account(m, &account, &host, &secret, error_r);
	if (rc == 0)
		rc = imap_connect(&account, &s, error_r) == IMAP_OK &&
		     imap_append(s, m->sent_folder, raw, len, error_r) == IMAP_OK ? 0 : -1;
	free_secret(&secret);
	free(host);
	imap_close(&s);
	return rc;
}
