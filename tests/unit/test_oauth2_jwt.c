/* Unit tests: oauth2_jwt.c — the header and claims decode to what was asked; the signature
 * verifies with the certificate's public key in GnuTLS and, independently, in node's crypto
 * (the JWS bytes as a JWT library reads them) and in openssl dgst; the thumbprints equal
 * openssl's fingerprints; RS256 from PKCS#1 and PKCS#8 keys, ES256 from PKCS#8 and SEC 1
 * keys, with r||s always 64 bytes; a key that is not the certificate's, garbage, an encrypted
 * key and the wrong curve are refused, naming the files and quoting no key.  The keys are in
 * tests/fixtures/oauth2 (README.md there). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <ctype.h>
#include <sys/wait.h>

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <jansson.h>

#include "base64.h"
#include "oauth2_jwt.h"
#include "test_helpers.h"

#define DIR "tests/fixtures/oauth2"
/* An instant fixed for the tests: 2026-03-01T00:00:00Z. */
#define NOW ((int64_t)1772323200)

static char *tmp;

static char *fixture(const char *name, size_t *len_r)
{
	char *path = xasprintf(DIR "/%s", name);
	char *data = NULL, *error = NULL;
	size_t len = 0;
	if (file_read_all(path, 1 << 20, &data, &len, &error) < 0)
		fail_msg("%s", error);
	free(path);
	if (len_r != NULL)
		*len_r = len;
	return data;
}

/* A JWT like the Entra client assertion, signed with fixture key and certificate cert. */
static char *sign(const char *key, const char *cert, char **error_r)
{
	size_t len = 0;
	char *pem = fixture(key, &len);
	char *key_name = xasprintf(DIR "/%s", key);
	char *cert_file = cert != NULL ? xasprintf(DIR "/%s", cert) : NULL;
	struct oauth2_jwt jwt = {
		.key_pem = pem,
		.key_len = len,
		.key_name = key_name,
		.cert_file = cert_file,
		.issuer = "0a1b2c3d-client",
		.subject = "0a1b2c3d-client",
		.audience = "https://login.microsoftonline.com/tenant/oauth2/v2.0/token",
		.now = NOW,
	};
	char *token = oauth2_jwt_sign(&jwt, error_r);
	free(pem);
	free(key_name);
	free(cert_file);
	return token;
}

/* The bytes of a base64url part (a new buffer, NUL-terminated), their count in *len_r. */
static unsigned char *unbase64url(const char *part, size_t n, size_t *len_r)
{
	unsigned char *out = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		/* base64url's alphabet only: anything else would be decoded away silently */
		assert_true(isalnum((unsigned char)part[i]) || part[i] == '-' || part[i] == '_');
		out[i] = part[i] == '-' ? '+' : part[i] == '_' ? '/' : (unsigned char)part[i];
	}
	*len_r = base64_decode_lenient(out, n);
	out[*len_r] = '\0';
	return out;
}

/* The JSON object of part i (0 header, 1 claims) of token. */
static json_t *token_json(const char *token, int i)
{
	const char *p = token;
	for (int k = 0; k < i; k++)
		p = strchr(p, '.') + 1;
	size_t len = 0;
	unsigned char *text = unbase64url(p, strcspn(p, "."), &len);
	json_error_t err;
	json_t *o = json_loadb((const char *)text, len, JSON_REJECT_DUPLICATES, &err);
	if (o == NULL)
		fail_msg("part %d is not JSON: %s", i, err.text);
	free(text);
	assert_true(json_is_object(o));
	return o;
}

static const char *get_string(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The signing input (header.claims, a new string) and the signature bytes. */
static char *token_split(const char *token, unsigned char **sig_r, size_t *sig_len_r)
{
	const char *last = strrchr(token, '.');
	assert_non_null(last);
	*sig_r = unbase64url(last + 1, strlen(last + 1), sig_len_r);
	return xstrndup(token, (size_t)(last - token));
}

/* 1 when GnuTLS verifies the token with the certificate's public key. */
static int gnutls_verifies(const char *token, const char *cert)
{
	size_t cert_len = 0;
	char *pem = fixture(cert, &cert_len);
	gnutls_pubkey_t pub;
	gnutls_datum_t cert_datum = {(unsigned char *)pem, (unsigned)cert_len};
	assert_int_equal(gnutls_pubkey_init(&pub), 0);
	assert_int_equal(gnutls_pubkey_import_x509_raw(pub, &cert_datum, GNUTLS_X509_FMT_PEM, 0),
	                 0);
	unsigned char *sig = NULL;
	size_t sig_len = 0;
	char *input = token_split(token, &sig, &sig_len);
	gnutls_datum_t data = {(unsigned char *)input, (unsigned)strlen(input)};
	gnutls_datum_t signature = {sig, (unsigned)sig_len};
	gnutls_datum_t der = {NULL, 0};
	gnutls_sign_algorithm_t algorithm = GNUTLS_SIGN_RSA_SHA256;
	if (gnutls_pubkey_get_pk_algorithm(pub, NULL) == GNUTLS_PK_ECDSA) {
		/* JWS carries r||s; GnuTLS verifies DER */
		assert_int_equal(sig_len, 64);
		gnutls_datum_t r = {sig, 32}, s = {sig + 32, 32};
		assert_int_equal(gnutls_encode_rs_value(&der, &r, &s), 0);
		signature = der;
		algorithm = GNUTLS_SIGN_ECDSA_SHA256;
	}
	int ok = gnutls_pubkey_verify_data2(pub, algorithm, 0, &data, &signature) >= 0;
	gnutls_free(der.data);
	gnutls_pubkey_deinit(pub);
	free(pem);
	free(sig);
	free(input);
	return ok;
}

/* 1 when node's crypto.verify accepts the token with the certificate's public key: the
 * signature read as JWS has it (ES256 as IEEE P1363 r||s), by a second implementation. */
static int node_verifies(const char *token, const char *cert)
{
	char *token_file = xasprintf("%s/token", tmp);
	test_write_file(token_file, token);
	char *cmd = xasprintf(
	    "node -e \"const c = require('crypto'), fs = require('fs');"
	    "const pub = new c.X509Certificate(fs.readFileSync(process.argv[1])).publicKey;"
	    "const [h, p, s] = fs.readFileSync(process.argv[2], 'utf8').split('.');"
	    "const alg = JSON.parse(Buffer.from(h, 'base64url')).alg;"
	    "if (alg !== (pub.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256')) process.exit(3);"
	    "process.exit(c.verify('sha256', Buffer.from(h + '.' + p),"
	    " {key: pub, dsaEncoding: 'ieee-p1363'}, Buffer.from(s, 'base64url')) ? 0 : 1)\" "
	    DIR "/%s %s",
	    cert, token_file);
	int status = system(cmd);
	free(cmd);
	free(token_file);
	assert_true(WIFEXITED(status));
	assert_true(WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 1);
	return WEXITSTATUS(status) == 0;
}

/* 1 when `openssl dgst -sha256 -verify` accepts the signature with the certificate's public
 * key (ES256 given to it in DER, which it reads). */
static int openssl_verifies(const char *token, const char *cert)
{
	unsigned char *sig = NULL;
	size_t sig_len = 0;
	char *input = token_split(token, &sig, &sig_len);
	char *input_file = xasprintf("%s/input", tmp);
	char *sig_file = xasprintf("%s/sig", tmp);
	char *pub_file = xasprintf("%s/pub.pem", tmp);
	test_write_file(input_file, input);
	gnutls_datum_t der = {NULL, 0};
	if (strstr(cert, "ec") == cert) {
		gnutls_datum_t r = {sig, 32}, s = {sig + 32, 32};
		assert_int_equal(sig_len, 64);
		assert_int_equal(gnutls_encode_rs_value(&der, &r, &s), 0);
	}
	FILE *f = fopen(sig_file, "wb");
	assert_non_null(f);
	if (der.data != NULL)
		fwrite(der.data, 1, der.size, f);
	else
		fwrite(sig, 1, sig_len, f);
	fclose(f);
	char *cmd = xasprintf("openssl x509 -in " DIR "/%s -pubkey -noout > %s && "
	                      "openssl dgst -sha256 -verify %s -signature %s %s >/dev/null 2>&1",
	                      cert, pub_file, pub_file, sig_file, input_file);
	int status = system(cmd);
	gnutls_free(der.data);
	free(cmd);
	free(input);
	free(sig);
	free(input_file);
	free(sig_file);
	free(pub_file);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status) == 0;
}

/* openssl's fingerprint of the certificate (digest sha1 or sha256), as base64url. */
static char *openssl_thumbprint(const char *cert, const char *digest)
{
	char *cmd = xasprintf("openssl x509 -in " DIR "/%s -noout -fingerprint -%s", cert, digest);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char line[256] = "";
	assert_non_null(fgets(line, sizeof(line), p));
	assert_int_equal(pclose(p), 0);
	free(cmd);
	/* "SHA1 Fingerprint=AB:CD:..." */
	const char *hex = strchr(line, '=');
	assert_non_null(hex);
	unsigned char bytes[64];
	size_t n = 0;
	for (hex++; hex_digit(hex[0]) >= 0 && hex_digit(hex[1]) >= 0; hex += hex[2] == ':' ? 3 : 2)
		bytes[n++] = (unsigned char)(hex_digit(hex[0]) * 16 + hex_digit(hex[1]));
	assert_int_equal(n, strcmp(digest, "sha1") == 0 ? 20 : 32);
	char *b64 = xmalloc(BASE64_ENCODED_LEN(n) + 1);
	size_t len = base64_encode(bytes, n, b64);
	while (len > 0 && b64[len - 1] == '=')
		b64[--len] = '\0';
	for (char *c = b64; *c; c++)
		*c = *c == '+' ? '-' : *c == '/' ? '_' : *c;
	return b64;
}

/* A copy of token with one character of its signature changed. */
static char *tampered(const char *token)
{
	char *t = xstrdup(token);
	char *c = strrchr(t, '.') + 5;
	*c = *c == 'A' ? 'B' : 'A';
	return t;
}

/* No 16 characters of the key's base64 body appear in text. */
static void assert_no_key_material(const char *text, const char *key)
{
	size_t len = 0;
	char *pem = fixture(key, &len);
	for (char *line = strtok(pem, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		if (strncmp(line, "-----", 5) == 0)
			continue;
		for (size_t i = 0; i + 16 <= strlen(line); i++) {
			char window[17];
			memcpy(window, line + i, 16);
			window[16] = '\0';
			if (strstr(text, window) != NULL)
				fail_msg("the message quotes the key %s: %s", key, text);
		}
	}
	free(pem);
}

/* Header and claims of an Entra client assertion signed with key, certificate cert. */
static void check_assertion(const char *key, const char *cert, const char *alg)
{
	char *error = NULL;
	char *token = sign(key, cert, &error);
	if (token == NULL)
		fail_msg("%s", error);
	/* three parts */
	const char *d1 = strchr(token, '.');
	assert_non_null(d1);
	assert_non_null(strchr(d1 + 1, '.'));
	assert_null(strchr(strchr(d1 + 1, '.') + 1, '.'));
	assert_null(strchr(token, '='));

	json_t *h = token_json(token, 0);
	char *x5t = openssl_thumbprint(cert, "sha1");
	char *x5t256 = openssl_thumbprint(cert, "sha256");
	assert_string_equal(get_string(h, "alg"), alg);
	assert_string_equal(get_string(h, "typ"), "JWT");
	assert_string_equal(get_string(h, "x5t"), x5t);
	assert_string_equal(get_string(h, "kid"), x5t);
	assert_string_equal(get_string(h, "x5t#S256"), x5t256);
	assert_int_equal(json_object_size(h), 5);
	json_decref(h);

	json_t *c = token_json(token, 1);
	assert_string_equal(get_string(c, "iss"), "0a1b2c3d-client");
	assert_string_equal(get_string(c, "sub"), "0a1b2c3d-client");
	assert_string_equal(get_string(c, "aud"),
	                    "https://login.microsoftonline.com/tenant/oauth2/v2.0/token");
	assert_int_equal(json_integer_value(json_object_get(c, "iat")), NOW);
	assert_int_equal(json_integer_value(json_object_get(c, "nbf")), NOW);
	assert_int_equal(json_integer_value(json_object_get(c, "exp")), NOW + 300);
	/* 128 bits: 22 base64url characters */
	assert_int_equal(strlen(get_string(c, "jti")), 22);
	assert_null(json_object_get(c, "scope"));
	assert_int_equal(json_object_size(c), 7);

	/* a second assertion has another jti */
	char *again = sign(key, cert, &error);
	assert_non_null(again);
	json_t *c2 = token_json(again, 1);
	assert_string_not_equal(get_string(c, "jti"), get_string(c2, "jti"));
	json_decref(c2);
	json_decref(c);

	assert_true(gnutls_verifies(token, cert));
	assert_true(node_verifies(token, cert));
	assert_true(openssl_verifies(token, cert));
	/* and the verifiers can say no */
	char *bad = tampered(token);
	assert_false(gnutls_verifies(bad, cert));
	assert_false(node_verifies(bad, cert));
	assert_false(openssl_verifies(bad, cert));

	free(bad);
	free(again);
	free(x5t);
	free(x5t256);
	free(token);
}

static void test_rs256_pkcs1(void **state)
{
	check_assertion("rsa.key", "rsa.crt", "RS256");
}

static void test_rs256_pkcs8(void **state)
{
	check_assertion("rsa-pkcs8.key", "rsa.crt", "RS256");
}

static void test_es256_pkcs8(void **state)
{
	check_assertion("ec.key", "ec.crt", "ES256");
}

static void test_es256_sec1(void **state)
{
	check_assertion("ec-sec1.key", "ec.crt", "ES256");
}

/* r or s begins with a zero byte in 1 signature of 128: DER drops it (a 31-byte integer) or
 * adds one before a high bit (33 bytes); r||s must stay 32 + 32 all the same.  3000
 * signatures miss the case with a chance of 1 in 10^10. */
static void test_es256_short_halves(void **state)
{
	size_t len = 0;
	char *pem = fixture("ec.key", &len);
	struct oauth2_jwt jwt = {.key_pem = pem, .key_len = len, .key_name = "ec.key",
	                         .issuer = "i", .audience = "a", .now = NOW};
	int short_halves = 0;
	for (int i = 0; i < 3000; i++) {
		char *error = NULL;
		char *token = oauth2_jwt_sign(&jwt, &error);
		assert_non_null(token);
		unsigned char *sig = NULL;
		size_t sig_len = 0;
		free(token_split(token, &sig, &sig_len));
		assert_int_equal(sig_len, 64);
		if (sig[0] == 0 || sig[32] == 0)
			short_halves++;
		assert_true(gnutls_verifies(token, "ec.crt"));
		free(sig);
		free(token);
	}
	assert_true(short_halves > 0);
	free(pem);
}

/* Google's service-account grant: no certificate, the key's id as kid, scope and the
 * mailbox's user as sub. */
static void test_service_account_grant(void **state)
{
	size_t len = 0;
	char *pem = fixture("rsa-pkcs8.key", &len);
	struct oauth2_jwt jwt = {
		.key_pem = pem,
		.key_len = len,
		.key_name = "service-account.json",
		.key_id = "3f2a9c1e0b",
		.issuer = "liaison@project.iam.gserviceaccount.com",
		.subject = "troopkctl@example.org",
		.audience = "https://oauth2.googleapis.com/token",
		.scope = "https://mail.google.com/",
		.now = NOW,
	};
	char *error = NULL;
	char *token = oauth2_jwt_sign(&jwt, &error);
	if (token == NULL)
		fail_msg("%s", error);
	json_t *h = token_json(token, 0);
	assert_string_equal(get_string(h, "alg"), "RS256");
	assert_string_equal(get_string(h, "typ"), "JWT");
	assert_string_equal(get_string(h, "kid"), "3f2a9c1e0b");
	assert_null(json_object_get(h, "x5t"));
	assert_null(json_object_get(h, "x5t#S256"));
	json_decref(h);
	json_t *c = token_json(token, 1);
	assert_string_equal(get_string(c, "iss"), "liaison@project.iam.gserviceaccount.com");
	assert_string_equal(get_string(c, "sub"), "troopkctl@example.org");
	assert_string_equal(get_string(c, "aud"), "https://oauth2.googleapis.com/token");
	assert_string_equal(get_string(c, "scope"), "https://mail.google.com/");
	assert_int_equal(json_integer_value(json_object_get(c, "exp")), NOW + 300);
	json_decref(c);
	/* the certificate of the same key verifies it */
	assert_true(gnutls_verifies(token, "rsa.crt"));
	assert_true(node_verifies(token, "rsa.crt"));
	free(token);
	free(pem);
}

static void test_thumbprint(void **state)
{
	char *error = NULL;
	const char *certs[] = {"rsa.crt", "ec.crt"};
	for (int i = 0; i < 2; i++) {
		char *path = xasprintf(DIR "/%s", certs[i]);
		char *mine = oauth2_certificate_thumbprint(path, &error);
		if (mine == NULL)
			fail_msg("%s", error);
		char *cmd = xasprintf("openssl x509 -in " DIR "/%s -noout -fingerprint -sha1 | "
		                      "sed 's/.*=//; s/://g'", certs[i]);
		FILE *p = popen(cmd, "r");
		char theirs[128] = "";
		assert_non_null(fgets(theirs, sizeof(theirs), p));
		assert_int_equal(pclose(p), 0);
		free(cmd);
		theirs[strcspn(theirs, "\n")] = '\0';
		assert_string_equal(mine, theirs); /* "AB12...", as Entra lists it */
		assert_int_equal(strlen(mine), 40);
		free(mine);
		free(path);
	}
	char *rsa = openssl_thumbprint("rsa.crt", "sha1"), *ec = openssl_thumbprint("ec.crt", "sha1");
	assert_string_not_equal(rsa, ec);
	free(rsa);
	free(ec);

	/* not a certificate, or no file */
	assert_null(oauth2_certificate_thumbprint(DIR "/rsa.key", &error));
	assert_non_null(strstr(error, DIR "/rsa.key"));
	assert_non_null(strstr(error, "not a PEM certificate"));
	assert_no_key_material(error, "rsa.key");
	free(error);
	error = NULL;
	assert_null(oauth2_certificate_thumbprint(DIR "/no-such.crt", &error));
	assert_non_null(strstr(error, DIR "/no-such.crt"));
	free(error);
}

/* The admin's likeliest mistake: a key and a certificate that are not a pair. */
static void test_mismatched_pair(void **state)
{
	const char *pairs[][2] = {{"other-rsa.key", "rsa.crt"}, {"ec.key", "rsa.crt"},
	                          {"rsa.key", "ec.crt"}};
	for (int i = 0; i < 3; i++) {
		char *error = NULL;
		assert_null(sign(pairs[i][0], pairs[i][1], &error));
		assert_non_null(error);
		char *key = xasprintf(DIR "/%s", pairs[i][0]);
		char *cert = xasprintf(DIR "/%s", pairs[i][1]);
		assert_non_null(strstr(error, key));
		assert_non_null(strstr(error, cert));
		assert_non_null(strstr(error, "not a pair"));
		assert_no_key_material(error, pairs[i][0]);
		free(key);
		free(cert);
		free(error);
	}
}

/* What is not a key we sign with is refused, naming the file. */
static void test_refused_keys(void **state)
{
	size_t rsa_len = 0;
	char *rsa = fixture("rsa.key", &rsa_len);
	char *cut = xstrndup(rsa, rsa_len / 2);
	static const char encrypted[] = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
	                                "MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n"
	                                "-----END ENCRYPTED PRIVATE KEY-----\n";
	size_t p384_len = 0, small_len = 0, ed_len = 0;
	char *p384 = fixture("p384.key", &p384_len);
	char *small = fixture("rsa-1024.key", &small_len);
	char *ed = fixture("ed25519.key", &ed_len);
	const struct {
		const char *pem;
		size_t len;
		const char *says;
	} cases[] = {
	    {"my secret passphrase, not a key", 31, "not a PEM private key"},
	    {cut, strlen(cut), "not a PEM private key"},
	    {"", 0, "empty"},
	    {encrypted, sizeof(encrypted) - 1, "encrypted"},
	    {p384, p384_len, "P-256"},
	    {small, small_len, "RSA key of 1024 bits; 2048 or more"},
	    {ed, ed_len, "type is EdDSA"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct oauth2_jwt jwt = {.key_pem = cases[i].pem, .key_len = cases[i].len,
		                         .key_name = "/etc/liaison/m365.key", .issuer = "i",
		                         .audience = "a", .now = NOW};
		char *error = NULL;
		assert_null(oauth2_jwt_sign(&jwt, &error));
		assert_non_null(error);
		assert_non_null(strstr(error, "/etc/liaison/m365.key"));
		if (strstr(error, cases[i].says) == NULL)
			fail_msg("case %zu: '%s' does not say '%s'", i, error, cases[i].says);
		assert_null(strstr(error, "passphrase, not"));
		assert_no_key_material(error, "rsa.key");
		assert_no_key_material(error, "p384.key");
		assert_no_key_material(error, "rsa-1024.key");
		assert_no_key_material(error, "ed25519.key");
		free(error);
	}

	/* a good key with a certificate file that is not one */
	char *error = NULL;
	assert_null(sign("rsa.key", "README.md", &error));
	assert_non_null(strstr(error, DIR "/README.md"));
	assert_no_key_material(error, "rsa.key");
	free(error);
	free(cut);
	free(rsa);
	free(p384);
	free(small);
	free(ed);
}

static int setup(void **state)
{
	tmp = test_tmpdir();
	return tmp == NULL ? -1 : 0;
}

static int teardown(void **state)
{
	char *cmd = xasprintf("rm -rf %s", tmp);
	int r = system(cmd);
	free(cmd);
	free(tmp);
	return r == 0 ? 0 : -1;
}

/* The expiry liaison check shows: the certificate's notAfter, as openssl reads it. */
static void test_certificate_expiry(void **state)
{
	char *error = NULL;
	int64_t mine = oauth2_certificate_not_after(DIR "/rsa.crt", &error);
	if (mine < 0)
		fail_msg("%s", error);
	FILE *p = popen("date -u -d \"$(openssl x509 -in " DIR "/rsa.crt -noout -enddate | "
	                "sed 's/notAfter=//')\" +%s", "r");
	assert_non_null(p);
	long long theirs = 0;
	assert_int_equal(fscanf(p, "%lld", &theirs), 1);
	assert_int_equal(pclose(p), 0);
	assert_int_equal(mine, theirs);
	assert_int_equal(oauth2_certificate_not_after(DIR "/rsa.key", &error), -1);
	assert_non_null(strstr(error, "not a PEM certificate"));
	free(error);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rs256_pkcs1),
		cmocka_unit_test(test_rs256_pkcs8),
		cmocka_unit_test(test_es256_pkcs8),
		cmocka_unit_test(test_es256_sec1),
		cmocka_unit_test(test_es256_short_halves),
		cmocka_unit_test(test_service_account_grant),
		cmocka_unit_test(test_thumbprint),
		cmocka_unit_test(test_certificate_expiry),
		cmocka_unit_test(test_mismatched_pair),
		cmocka_unit_test(test_refused_keys),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
