/* tls_verify.c — the server certificate check of an IMAP connection (GnuTLS): the chain
 * against the trust store or the CA file, the host name, and errors in words.  The only file
 * that includes GnuTLS.  See tls_verify.h. */
#include "tls_verify.h"

#include <arpa/inet.h>
#include <stdlib.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "util.h"

#define TLS_MAX_CHAIN 16           /* certificates we look at; real chains have 2-4 */

/* The names a certificate is for ("a.example, 192.0.2.1"), for a message. Caller frees. */
static char *tls_cert_names(gnutls_x509_crt_t cert)
{
	struct buf names;
	buf_init(&names, 512);
	for (unsigned seq = 0; seq < 8; seq++) {
		char data[256];
		size_t size = sizeof(data) - 1;
		int type = gnutls_x509_crt_get_subject_alt_name(cert, seq, data, &size, NULL);
		if (type == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (type < 0)
			continue;
		char text[INET6_ADDRSTRLEN];
		const char *name = NULL;
		if (type == GNUTLS_SAN_DNSNAME) {
			data[size] = '\0';
			name = data;
		} else if (type == GNUTLS_SAN_IPADDRESS && (size == 4 || size == 16)) {
			name = inet_ntop(size == 4 ? AF_INET : AF_INET6, data, text, sizeof(text));
		}
		if (name != NULL)
			(void)buf_addf(&names, "%s%s", names.len > 0 ? ", " : "", name);
	}
	if (names.len == 0) {
		char cn[256];
		size_t size = sizeof(cn);
		if (gnutls_x509_crt_get_dn_by_oid(cert, GNUTLS_OID_X520_COMMON_NAME, 0, 0, cn,
		                                  &size) == 0)
			(void)buf_addstr(&names, cn);
		else
			(void)buf_addstr(&names, "no name");
	}
	return buf_steal(&names, NULL);
}

/* Words for the verification status bits we can name; the rest in GnuTLS's words. */
static char *tls_cert_status_words(unsigned status)
{
	static const struct {
		unsigned bit;
		const char *words;
	} reasons[] = {
		{GNUTLS_CERT_SIGNER_NOT_FOUND, "issuer unknown"},
		{GNUTLS_CERT_SIGNER_NOT_CA, "issuer is not a CA"},
		{GNUTLS_CERT_EXPIRED, "expired"},
		{GNUTLS_CERT_NOT_ACTIVATED, "not yet valid"},
		{GNUTLS_CERT_REVOKED, "revoked"},
		{GNUTLS_CERT_INSECURE_ALGORITHM, "insecure algorithm"},
		{GNUTLS_CERT_SIGNATURE_FAILURE, "bad signature"},
		{GNUTLS_CERT_PURPOSE_MISMATCH, "not for TLS servers"},
		{GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE, "issuer constraints violated"},
	};
	struct buf words;
	buf_init(&words, 1024);
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (status & reasons[i].bit)
			(void)buf_addf(&words, "%s%s", words.len > 0 ? ", " : "", reasons[i].words);
	if (words.len == 0) {
		gnutls_datum_t out = {NULL, 0};
		if (gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &out, 0) ==
		    0 && out.data != NULL)
			(void)buf_add(&words, out.data, out.size);
		gnutls_free(out.data);
		if (words.len == 0)
			(void)buf_addstr(&words, "verification failed");
	}
	return buf_steal(&words, NULL);
}

/* Checks the server's chain against the trust store and its name against the host we
 * dialled.  Runs right after the handshake, before any credential leaves. */
int tls_verify_chain(const struct tls_der *chain, size_t chain_len, const char *host,
                     const char *ca_file, char **error_r)
{
	gnutls_x509_crt_t certs[TLS_MAX_CHAIN];
	unsigned n = 0;
	gnutls_x509_trust_list_t trust = NULL;
	int ret = -1;
	int r;

	if (chain == NULL || chain_len == 0) {
		error_replace(error_r, "%s: the server sent no certificate", host);
		goto out;
	}
	for (size_t i = 0; i < chain_len && n < TLS_MAX_CHAIN; i++) {
		gnutls_datum_t datum = {(unsigned char *)chain[i].data, (unsigned)chain[i].len};
		if (gnutls_x509_crt_init(&certs[n]) < 0)
			break;
		if (gnutls_x509_crt_import(certs[n], &datum, GNUTLS_X509_FMT_DER) < 0) {
			gnutls_x509_crt_deinit(certs[n]);
			if (i == 0) {
				error_replace(error_r, "%s: the server's certificate is unreadable", host);
				goto out;
			}
			continue;
		}
		n++;
	}
	if (n == 0) {
		error_replace(error_r, "%s: the server's certificate is unreadable", host);
		goto out;
	}

	if (gnutls_x509_trust_list_init(&trust, 0) < 0) {
		error_replace(error_r, "%s: cannot create a trust list", host);
		goto out;
	}
	if (ca_file != NULL) {
		r = gnutls_x509_trust_list_add_trust_file(trust, ca_file, NULL, GNUTLS_X509_FMT_PEM,
		                                          0, 0);
		if (r <= 0) {
			error_replace(error_r, "%s: CA file %s: %s", host, ca_file,
			              r < 0 ? gnutls_strerror(r) : "no certificate in it");
			goto out;
		}
	} else {
		r = gnutls_x509_trust_list_add_system_trust(trust, 0, 0);
		if (r <= 0) {
			error_replace(error_r, "%s: the system trust store is empty or unreadable (%s)",
			              host, r < 0 ? gnutls_strerror(r) : "no certificates");
			goto out;
		}
	}

	gnutls_typed_vdata_st want[2] = {
		{GNUTLS_DT_DNS_HOSTNAME, (unsigned char *)host, 0},
		{GNUTLS_DT_KEY_PURPOSE_OID, (unsigned char *)GNUTLS_KP_TLS_WWW_SERVER, 0},
	};
	unsigned status = 0;
	r = gnutls_x509_trust_list_verify_crt2(trust, certs, n, want, 2, 0, &status, NULL);
	if (r < 0) {
		error_replace(error_r, "certificate of %s: cannot verify: %s", host,
		              gnutls_strerror(r));
		goto out;
	}
	/* the name check again on its own, so a trusted chain for another name is refused
	 * even if a GnuTLS version skipped it */
	int name_ok = gnutls_x509_crt_check_hostname2(certs[0], host, 0) != 0;
	if (!name_ok)
		status |= GNUTLS_CERT_UNEXPECTED_OWNER | GNUTLS_CERT_INVALID;

	unsigned trust_bits = status & ~(unsigned)(GNUTLS_CERT_INVALID | GNUTLS_CERT_UNEXPECTED_OWNER);
	if (status == 0) {
		ret = 0;
	} else if (trust_bits == 0) {
		char *names = tls_cert_names(certs[0]);
		error_replace(error_r, "certificate is for %s, not %s", names, host);
		free(names);
	} else {
		char *words = tls_cert_status_words(trust_bits);
		if (!name_ok) {
			char *names = tls_cert_names(certs[0]);
			error_replace(error_r, "certificate of %s: not trusted (%s); it is for %s",
			              host, words, names);
			free(names);
		} else {
			error_replace(error_r, "certificate of %s: not trusted (%s)", host, words);
		}
		free(words);
	}
out:
	if (trust != NULL)
		gnutls_x509_trust_list_deinit(trust, 1);
	for (unsigned i = 0; i < n; i++)
		gnutls_x509_crt_deinit(certs[i]);
	return ret;
}
