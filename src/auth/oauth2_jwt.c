/* oauth2_jwt.c — a JWT signed with a PEM private key through GnuTLS: RS256 with an RSA key,
 * ES256 with a P-256 key; the header names the certificate by its thumbprints, and the
 * certificate must hold the key's public half.  See oauth2_jwt.h. */
#include "oauth2_jwt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <jansson.h>

#include "base64.h"
#include "util.h"

/* Seconds an assertion is good for: Entra and Google both accept at most an hour; a few
 * minutes covers a slow request without leaving a usable assertion about for long. */
#define JWT_LIFETIME 300
/* Bytes of randomness in jti: 128 bits, never repeated by chance. */
#define JWT_ID_BYTES 16
/* The smallest RSA key we sign with (Entra refuses smaller certificate credentials). */
#define RSA_MIN_BITS 2048
/* A certificate file is a few KB; a chain a few more. */
#define CERT_FILE_MAX (256 * 1024)
/* ES256: r and s are each a P-256 scalar of 32 bytes (RFC 7518 §3.4). */
#define ES256_HALF 32

/* The key, and how it signs. */
struct jwt_signer {
	gnutls_privkey_t key;
	gnutls_sign_algorithm_t algorithm;
	const char *alg; /* the JWS name */
};

/* base64url without padding (RFC 7515 §2) of n bytes: a new string. */
static char *base64url(const void *data, size_t n)
{
	char *out = xmalloc(BASE64_ENCODED_LEN(n) + 1);
	size_t len = base64_encode(data, n, out);
	while (len > 0 && out[len - 1] == '=')
		len--;
	out[len] = '\0';
	for (char *p = out; *p != '\0'; p++) {
		if (*p == '+')
			*p = '-';
		else if (*p == '/')
			*p = '_';
	}
	return out;
}

/* Imports the PEM key and picks the algorithm its type signs with.  Messages name the file
 * and the kind of problem, never the key. */
static int signer_load(const struct oauth2_jwt *jwt, struct jwt_signer *s, char **error_r)
{
	const char *name = jwt->key_name ? jwt->key_name : "the private key";
	if (jwt->key_pem == NULL || jwt->key_len == 0) {
		error_replace(error_r, "%s: empty", name);
		return -1;
	}
	if (memmem(jwt->key_pem, jwt->key_len, "BEGIN ENCRYPTED", 15) != NULL ||
	    memmem(jwt->key_pem, jwt->key_len, "Proc-Type: 4,ENCRYPTED", 22) != NULL) {
		error_replace(error_r, "%s: the private key is encrypted with a passphrase; "
		              "liaison needs it unencrypted (keep the file mode 0600)", name);
		return -1;
	}
	int r = gnutls_privkey_init(&s->key);
	if (r < 0) {
		error_replace(error_r, "%s: %s", name, gnutls_strerror(r));
		return -1;
	}
	gnutls_datum_t pem = {(unsigned char *)jwt->key_pem, (unsigned)jwt->key_len};
	r = gnutls_privkey_import_x509_raw(s->key, &pem, GNUTLS_X509_FMT_PEM, NULL, 0);
	if (r < 0) {
		error_replace(error_r, "%s: not a PEM private key (PKCS#1 \"RSA PRIVATE KEY\", "
		              "PKCS#8 \"PRIVATE KEY\" or \"EC PRIVATE KEY\"): %s", name,
		              gnutls_strerror(r));
		return -1;
	}
	unsigned bits = 0;
	int pk = gnutls_privkey_get_pk_algorithm(s->key, &bits);
	if (pk == GNUTLS_PK_RSA) {
		if (bits < RSA_MIN_BITS) {
			error_replace(error_r, "%s: an RSA key of %u bits; %d or more are needed", name,
			              bits, RSA_MIN_BITS);
			return -1;
		}
		s->algorithm = GNUTLS_SIGN_RSA_SHA256;
		s->alg = "RS256";
		return 0;
	}
	if (pk == GNUTLS_PK_ECDSA) {
		/* ES256 is P-256 only; the curve is in the public half, so no secret is copied */
		gnutls_pubkey_t pub = NULL;
		gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
		if (gnutls_pubkey_init(&pub) == 0 &&
		    gnutls_pubkey_import_privkey(pub, s->key, 0, 0) == 0)
			(void)gnutls_pubkey_export_ecc_raw2(pub, &curve, NULL, NULL, 0);
		gnutls_pubkey_deinit(pub);
		if (curve != GNUTLS_ECC_CURVE_SECP256R1) {
			error_replace(error_r, "%s: an EC key on curve %s; ES256 needs P-256 "
			              "(secp256r1)", name,
			              curve == GNUTLS_ECC_CURVE_INVALID ? "unknown"
			                                                : gnutls_ecc_curve_get_name(curve));
			return -1;
		}
		s->algorithm = GNUTLS_SIGN_ECDSA_SHA256;
		s->alg = "ES256";
		return 0;
	}
	error_replace(error_r, "%s: the key's type is %s; liaison signs with RSA (RS256) or "
	              "EC P-256 (ES256)", name, pk < 0 ? "unknown" : gnutls_pk_algorithm_get_name(pk));
	return -1;
}

/* The first certificate in the PEM file. */
static int cert_load(const char *cert_file, gnutls_x509_crt_t *crt_r, char **error_r)
{
	char *data = NULL;
	size_t len = 0;
	*crt_r = NULL;
	if (file_read_all(cert_file, CERT_FILE_MAX, &data, &len, error_r) < 0)
		return -1;
	gnutls_datum_t pem = {(unsigned char *)data, (unsigned)len};
	int r = gnutls_x509_crt_init(crt_r);
	if (r == 0)
		r = gnutls_x509_crt_import(*crt_r, &pem, GNUTLS_X509_FMT_PEM);
	free(data);
	if (r < 0) {
		error_replace(error_r, "%s: not a PEM certificate (\"BEGIN CERTIFICATE\"): %s",
		              cert_file, gnutls_strerror(r));
		gnutls_x509_crt_deinit(*crt_r);
		*crt_r = NULL;
		return -1;
	}
	return 0;
}

/* The base64url digest of the certificate's DER bytes: a new string. */
static char *cert_thumbprint(gnutls_x509_crt_t crt, gnutls_digest_algorithm_t digest,
                             const char *cert_file, char **error_r)
{
	unsigned char hash[64];
	size_t size = sizeof(hash);
	int r = gnutls_x509_crt_get_fingerprint(crt, digest, hash, &size);
	if (r < 0) {
		error_replace(error_r, "%s: cannot hash the certificate: %s", cert_file,
		              gnutls_strerror(r));
		return NULL;
	}
	return base64url(hash, size);
}

/* 0 when the certificate's public key is the private key's public half.  The SHA-256 key
 * IDs of the two public keys are compared: a digest of the key's parameters, whatever the
 * key's file format. */
static int cert_holds_key(gnutls_x509_crt_t crt, gnutls_privkey_t key, const char *cert_file,
                          const char *key_name, char **error_r)
{
	gnutls_pubkey_t of_cert = NULL, of_key = NULL;
	unsigned char id_cert[64], id_key[64];
	size_t n_cert = sizeof(id_cert), n_key = sizeof(id_key);
	int ok = gnutls_pubkey_init(&of_cert) == 0 && gnutls_pubkey_init(&of_key) == 0 &&
	         gnutls_pubkey_import_x509(of_cert, crt, 0) == 0 &&
	         gnutls_pubkey_import_privkey(of_key, key, 0, 0) == 0 &&
	         gnutls_pubkey_get_key_id(of_cert, GNUTLS_KEYID_USE_SHA256, id_cert, &n_cert) == 0 &&
	         gnutls_pubkey_get_key_id(of_key, GNUTLS_KEYID_USE_SHA256, id_key, &n_key) == 0;
	gnutls_pubkey_deinit(of_cert);
	gnutls_pubkey_deinit(of_key);
	if (!ok) {
		error_replace(error_r, "%s: cannot read the certificate's public key", cert_file);
		return -1;
	}
	if (n_cert != n_key || memcmp(id_cert, id_key, n_cert) != 0) {
		error_replace(error_r, "the certificate %s is not the certificate of the private key "
		              "%s: the two files are not a pair (the certificate registered with the "
		              "provider must be the one made from this key)", cert_file,
		              key_name ? key_name : "given");
		return -1;
	}
	return 0;
}

/* jti: 128 bits from the kernel's random source, base64url. */
static char *jwt_id(char **error_r)
{
	unsigned char bytes[JWT_ID_BYTES];
	size_t got = 0;
	while (got < sizeof(bytes)) {
		ssize_t n = getrandom(bytes + got, sizeof(bytes) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			error_replace(error_r, "no random bytes for the JWT's jti: %s", strerror(errno));
			return NULL;
		}
		got += (size_t)n;
	}
	return base64url(bytes, sizeof(bytes));
}

/* The JSON of o, base64url: a new string; o is released. */
static char *json_part(json_t *o)
{
	char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (text == NULL)
		abort(); /* jansson fails only when memory runs out */
	char *part = base64url(text, strlen(text));
	free(text);
	return part;
}

static void set_string(json_t *o, const char *name, const char *value)
{
	if (value != NULL)
		json_object_set_new(o, name, json_string(value));
}

/* The signature of the signing input, as JWS wants it: PKCS#1 v1.5 bytes for RS256, r||s
 * (32 + 32 bytes, big-endian) for ES256 where GnuTLS gives DER.  A new base64url string. */
static char *signature(const struct jwt_signer *s, const char *input, const char *name,
                       char **error_r)
{
	gnutls_datum_t data = {(unsigned char *)input, (unsigned)strlen(input)};
	gnutls_datum_t sig = {NULL, 0};
	int r = gnutls_privkey_sign_data2(s->key, s->algorithm, 0, &data, &sig);
	if (r < 0) {
		error_replace(error_r, "%s: signing failed: %s", name, gnutls_strerror(r));
		return NULL;
	}
	if (s->algorithm != GNUTLS_SIGN_ECDSA_SHA256) {
		char *out = base64url(sig.data, sig.size);
		gnutls_free(sig.data);
		return out;
	}
	gnutls_datum_t rs[2] = {{NULL, 0}, {NULL, 0}};
	unsigned char raw[2 * ES256_HALF] = {0};
	r = gnutls_decode_rs_value(&sig, &rs[0], &rs[1]);
	gnutls_free(sig.data);
	for (int i = 0; r == 0 && i < 2; i++) {
		/* DER integers drop leading zeros and add one before a high bit: strip, then
		 * right-align in 32 bytes */
		const unsigned char *p = rs[i].data;
		size_t n = rs[i].size;
		while (n > 0 && *p == 0) {
			p++;
			n--;
		}
		if (n > ES256_HALF)
			r = GNUTLS_E_PARSING_ERROR;
		else
			memcpy(raw + i * ES256_HALF + (ES256_HALF - n), p, n);
	}
	gnutls_free(rs[0].data);
	gnutls_free(rs[1].data);
	if (r < 0) {
		error_replace(error_r, "%s: the ECDSA signature did not decode: %s", name,
		              gnutls_strerror(r));
		return NULL;
	}
	return base64url(raw, sizeof(raw));
}

char *oauth2_jwt_sign(const struct oauth2_jwt *jwt, char **error_r)
{
	struct jwt_signer s = {NULL, GNUTLS_SIGN_UNKNOWN, NULL};
	gnutls_x509_crt_t crt = NULL;
	char *x5t = NULL, *x5t256 = NULL, *jti = NULL, *header = NULL, *claims = NULL;
	char *input = NULL, *sig = NULL, *token = NULL;
	const char *name = jwt->key_name ? jwt->key_name : "the private key";

	if (jwt->issuer == NULL || jwt->audience == NULL) {
		error_replace(error_r, "%s: a JWT needs an issuer and an audience", name);
		return NULL;
	}
	if (signer_load(jwt, &s, error_r) < 0)
		goto out;
	if (jwt->cert_file != NULL) {
		if (cert_load(jwt->cert_file, &crt, error_r) < 0 ||
		    cert_holds_key(crt, s.key, jwt->cert_file, jwt->key_name, error_r) < 0)
			goto out;
		x5t = cert_thumbprint(crt, GNUTLS_DIG_SHA1, jwt->cert_file, error_r);
		x5t256 = cert_thumbprint(crt, GNUTLS_DIG_SHA256, jwt->cert_file, error_r);
		if (x5t == NULL || x5t256 == NULL)
			goto out;
	}
	if ((jti = jwt_id(error_r)) == NULL)
		goto out;

	json_t *h = json_object();
	set_string(h, "alg", s.alg);
	set_string(h, "typ", "JWT");
	set_string(h, "kid", x5t != NULL ? x5t : jwt->key_id);
	set_string(h, "x5t", x5t);
	set_string(h, "x5t#S256", x5t256);
	header = json_part(h);

	json_t *c = json_object();
	set_string(c, "iss", jwt->issuer);
	set_string(c, "sub", jwt->subject);
	set_string(c, "aud", jwt->audience);
	set_string(c, "scope", jwt->scope);
	json_object_set_new(c, "iat", json_integer((json_int_t)jwt->now));
	json_object_set_new(c, "nbf", json_integer((json_int_t)jwt->now));
	json_object_set_new(c, "exp", json_integer((json_int_t)(jwt->now + JWT_LIFETIME)));
	set_string(c, "jti", jti);
	claims = json_part(c);

	input = xasprintf("%s.%s", header, claims);
	if ((sig = signature(&s, input, name, error_r)) == NULL)
		goto out;
	token = xasprintf("%s.%s", input, sig);
out:
	gnutls_privkey_deinit(s.key);
	gnutls_x509_crt_deinit(crt);
	free(x5t);
	free(x5t256);
	free(jti);
	free(header);
	free(claims);
	free(input);
	free(sig);
	return token;
}

char *oauth2_certificate_thumbprint(const char *cert_file, char **error_r)
{
	gnutls_x509_crt_t crt = NULL;
	if (cert_load(cert_file, &crt, error_r) < 0)
		return NULL;
	unsigned char hash[20];
	size_t size = sizeof(hash);
	int r = gnutls_x509_crt_get_fingerprint(crt, GNUTLS_DIG_SHA1, hash, &size);
	gnutls_x509_crt_deinit(crt);
	if (r < 0) {
		error_replace(error_r, "%s: cannot hash the certificate: %s", cert_file,
		              gnutls_strerror(r));
		return NULL;
	}
	char *hex = xmalloc(2 * size + 1);
	for (size_t i = 0; i < size; i++)
		snprintf(hex + 2 * i, 3, "%02X", hash[i]);
	return hex;
}

int64_t oauth2_certificate_not_after(const char *cert_file, char **error_r)
{
	gnutls_x509_crt_t crt = NULL;
	if (cert_load(cert_file, &crt, error_r) < 0)
		return -1;
	time_t t = gnutls_x509_crt_get_expiration_time(crt);
	gnutls_x509_crt_deinit(crt);
	if (t == (time_t)-1) {
		error_replace(error_r, "%s: the certificate has no readable expiry", cert_file);
		return -1;
	}
	return (int64_t)t;
}
