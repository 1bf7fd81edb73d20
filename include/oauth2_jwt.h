/* oauth2_jwt.h — a signed JWT (RFC 7519) for OAuth2: the client assertion an application
 * proves itself with instead of a secret (RFC 7523 §2.2, "private_key_jwt": what Microsoft
 * Entra calls a certificate credential), and the authorization grant of a Google service
 * account acting for a mailbox (RFC 7523 §2.1, domain-wide delegation).
 *
 * oauth2_jwt.c is the only user of GnuTLS's signing; tls_verify.c is its other user, for
 * certificates of servers. */
#ifndef LIAISON_OAUTH2_JWT_H
#define LIAISON_OAUTH2_JWT_H

#include <stddef.h>
#include <stdint.h>

struct oauth2_jwt {
	const char *key_pem;      /* the PEM private key (PKCS#1 or PKCS#8; RSA signs RS256, a
	                             P-256 key ES256), in memory: the caller read and wipes it */
	size_t key_len;
	const char *key_name;     /* the file it came from, for messages */
	const char *cert_file;    /* its PEM certificate, or NULL; when set the header carries
	                             "x5t" and "kid" (both the base64url SHA-1 thumbprint of the
	                             DER certificate, which Entra matches) and "x5t#S256", and the
	                             certificate must hold the key's public half */
	const char *key_id;       /* without a certificate: "kid" (a Google key's
	                             private_key_id), or NULL */
	const char *issuer;       /* iss */
	const char *subject;      /* sub */
	const char *audience;     /* aud: the token endpoint */
	const char *scope;        /* a "scope" claim (Google's grant), or NULL */
	int64_t now;              /* iat = nbf = now, exp = now + 300; jti is 128 random bits */
};

/* The compact JWT (header.claims.signature, base64url): a new string, or NULL with *error_r
 * naming the file that is wrong (never quoting a key): a key that is not PEM, is encrypted
 * with a passphrase, is RSA under 2048 bits, EC on another curve than P-256 or of another
 * type; a certificate file that is not PEM or does not hold the key's public half (both
 * files named).  Header: alg, typ "JWT", then kid, x5t, x5t#S256 when they apply; claims:
 * iss, sub (when set), aud, scope (when set), iat, nbf, exp, jti. */
char *oauth2_jwt_sign(const struct oauth2_jwt *jwt, char **error_r);

/* The SHA-1 thumbprint of the certificate in cert_file as Entra's list shows it (40
 * upper-case hex digits; the JWT's x5t is the same bytes in base64url): a new string, or NULL
 * with *error_r. */
char *oauth2_certificate_thumbprint(const char *cert_file, char **error_r);

/* When the certificate in cert_file expires (Unix time; the provider refuses assertions with
 * it from then on), or -1 with *error_r. */
int64_t oauth2_certificate_not_after(const char *cert_file, char **error_r);

#endif
