/* oauth2_jwt.h — the signed JWT a client proves itself with instead of a secret (RFC 7523
 * §2.2, "private_key_jwt"; what Microsoft Entra calls a certificate credential).
 *
 * oauth2_jwt.c is the only user of GnuTLS's signing; tls_verify.c is its other user, for
 * certificates of servers. */
#ifndef LIAISON_OAUTH2_JWT_H
#define LIAISON_OAUTH2_JWT_H

#include <stdint.h>

/* A compact JWT, RS256 for an RSA key (ES256 for a P-256 key), signed with the PEM private key
 * in key_file (PKCS#1 or PKCS#8), whose header carries "x5t" and "kid" (both the base64url
 * SHA-1 thumbprint of the DER certificate in cert_file, as Entra wants) and "x5t#S256", and
 * whose claims are iss = sub = client_id, aud = audience (the token endpoint), jti (random),
 * iat = nbf = now, exp = now + 300.  Checks that the certificate and the key belong
 * together.  Returns a new string (free it), or NULL with *error_r naming the file. */
char *oauth2_client_assertion(const char *cert_file, const char *key_file,
                              const char *client_id, const char *audience, int64_t now,
                              char **error_r);

/* The base64url SHA-1 thumbprint of the certificate in cert_file (what Entra shows as the
 * certificate's thumbprint, in hex; this is the same bytes, base64url): new string, or NULL
 * with *error_r. */
char *oauth2_certificate_thumbprint(const char *cert_file, char **error_r);

#endif
