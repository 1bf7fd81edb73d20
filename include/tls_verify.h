/* tls_verify.h — checking a TLS server's certificate chain and host name (GnuTLS).
 *
 * libetpan's GnuTLS build verifies no certificate, so imap.c hands the DER chain the server
 * sent to tls_verify_chain right after the handshake, before any credential is sent.
 * tls_verify.c is the only user of GnuTLS and needs no libetpan. */
#ifndef LIAISON_TLS_VERIFY_H
#define LIAISON_TLS_VERIFY_H

#include <stddef.h>

/* One certificate as the server sent it (DER), borrowed from the caller. */
struct tls_der {
	const unsigned char *data;
	size_t len;
};

/* Verifies chain (the server's certificate first, at most 16 readable ones looked at) against
 * ca_file (PEM), or the system trust store when ca_file is NULL, for a TLS server named host,
 * and checks host against the certificate's names again on its own.  Returns 0, or -1 with
 * *error_r (caller frees) in words for a log ("certificate is for a.example, not b.example",
 * "certificate of HOST: not trusted (issuer unknown)"). */
int tls_verify_chain(const struct tls_der *chain, size_t chain_len, const char *host,
                     const char *ca_file, char **error_r);

#endif
