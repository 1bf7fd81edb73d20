/* mailbox_imap.c — from a [mailbox] section to an IMAP session: URL, TLS, credentials. */
#include "mailbox_imap.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

#define IMAP_TIMEOUT 60 /* seconds per IMAP command */

/* One connection and login with the credential read now. */
static int connect_once(const struct mailbox_config *m, const char *host, uint16_t port,
                        enum imap_tls tls, struct imap_session **s, struct credential *cr,
                        char **error_r)
{
	if (credential_for_mailbox(m, cr, error_r) < 0)
		return IMAP_ERR_AUTH;
	struct imap_account a = {
		.host = host,
		.port = port,
		.tls = tls,
		.ca_file = m->ca_file,
		.username = cr->user,
		.auth = cr->bearer ? IMAP_AUTH_XOAUTH2 : IMAP_AUTH_PASSWORD,
		.secret = cr->secret,
		.timeout = IMAP_TIMEOUT,
	};
	return imap_connect(&a, s, error_r);
}

int mailbox_imap_connect(const struct mailbox_config *m, struct imap_session **s,
                         struct credential *cr, char **error_r)
{
	enum imap_tls tls;
	uint16_t port;
	char *host = NULL;
	*s = NULL;
	memset(cr, 0, sizeof(*cr));
	if (imap_url_parse(m->imap_url, &host, &port, &tls) < 0) {
		*error_r = xasprintf("imap: '%s' is not an IMAP URL", m->imap_url);
		return IMAP_ERR_SERVER;
	}
	if (m->tls == CONFIG_TLS_IMPLICIT)
		tls = IMAP_TLS_IMPLICIT;
	else if (m->tls == CONFIG_TLS_STARTTLS)
		tls = IMAP_TLS_STARTTLS;
	else if (m->tls == CONFIG_TLS_NONE)
		tls = IMAP_TLS_NONE;
	int rc = connect_once(m, host, port, tls, s, cr, error_r);
	/* A token the provider issued may still be refused (revoked, or the server's cache of
	 * the provider's keys is behind): one new token, at once; then the caller backs off. */
	if (rc == IMAP_ERR_AUTH && cr->secret != NULL && credential_refused(cr)) {
		credential_clear(cr);
		xfree(error_r);
		rc = connect_once(m, host, port, tls, s, cr, error_r);
		if (rc == IMAP_ERR_AUTH && cr->oauth2 != NULL && cr->secret != NULL) {
			char *why = *error_r;
			*error_r = xasprintf("the server refused two tokens of [oauth2 %s] in a row (%s): "
			                     "is the application allowed into this mailbox?",
			                     m->oauth2, why);
			free(why);
		}
	}
	free(host);
	return rc;
}

int mailbox_imap_append_sent(const struct mailbox_config *m, const char *raw, size_t len,
                             char **error_r)
{
	if (m->imap_url == NULL || m->sent_folder == NULL)
		return 0;
	struct credential cr;
	struct imap_session *s = NULL;
	int rc = mailbox_imap_connect(m, &s, &cr, error_r) == IMAP_OK &&
	         imap_append(s, m->sent_folder, raw, len, error_r) == IMAP_OK ? 0 : -1;
	credential_clear(&cr);
	imap_close(&s);
	return rc;
}
