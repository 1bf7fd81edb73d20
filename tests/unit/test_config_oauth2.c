/* Unit tests: [oauth2 NAME] sections and `oauth2 =` — the flows, Microsoft's defaults from a
 * tenant, the files' defaults beside the database, and a FILE:LINE error for every mistake
 * an administrator is likely to make. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>
#include <sys/stat.h>

#include "config.h"
#include "oauth2.h"
#include "test_helpers.h"

struct fixture {
	char *dir;
	char *secret;   /* a 0600 client_secret_file */
};

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	f->dir = test_tmpdir();
	f->secret = xasprintf("%s/client.secret", f->dir);
	test_write_file(f->secret, "s3cr3t\n");
	chmod(f->secret, 0600);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	free(f->secret);
	free(f->dir);
	free(f);
	return 0;
}

/* Loads "[liaison] database = DIR/db/x.db" + body; returns the errors (NULL: none). */
static char *load(struct fixture *f, const char *body, struct config **c_r)
{
	char *path = xasprintf("%s/liaison.conf", f->dir);
	char *text = xasprintf("[liaison]\ndatabase = %s/db/x.db\n%s", f->dir, body);
	test_write_file(path, text);
	char *errors = NULL;
	struct config *c = NULL;
	config_load(path, &c, &errors);
	if (c_r != NULL)
		*c_r = c;
	else
		config_free(&c);
	free(text);
	free(path);
	return errors;
}

static void expect_error(struct fixture *f, const char *body, const char *needle)
{
	char *errors = load(f, body, NULL);
	if (errors == NULL || strstr(errors, needle) == NULL)
		fail_msg("expected an error with \"%s\" for:\n%s\ngot: %s", needle, body,
		         errors ? errors : "(none)");
	free(errors);
}

static void test_client_secret(void **state)
{
	struct fixture *f = *state;
	struct config *c = NULL;
	char *body = xasprintf("[oauth2 m365]\ntoken_url = https://login.example/t\nclient_id = app\n"
	                       "client_secret_file = %s\nscope = imap\n"
	                       "[mailbox K]\ntroop = K\naddress = k@ct.gov\n"
	                       "imap = imaps://outlook.office365.com\noauth2 = m365\n"
	                       "[smtp]\nurl = smtp://smtp.office365.com:587\nusername = k@ct.gov\n"
	                       "oauth2 = m365\n", f->secret);
	char *errors = load(f, body, &c);
	assert_null(errors);
	const struct oauth2_config *o = config_find_oauth2(c, "m365");
	assert_non_null(o);
	assert_int_equal(o->flow, OAUTH2_CLIENT_CREDENTIALS);
	assert_string_equal(o->token_url, "https://login.example/t");
	assert_ptr_equal(c->mailboxes[0].oauth2_section, o);
	assert_ptr_equal(c->smtp.oauth2_section, o);
	/* the sealed token and its key live beside the database unless said otherwise */
	char *want = xasprintf("%s/db/oauth2-m365.token", f->dir);
	assert_string_equal(o->refresh_token_file, want);
	free(want);
	want = xasprintf("%s/db/oauth2.key", f->dir);
	assert_string_equal(o->key_file, want);
	free(want);
	config_free(&c);
	free(body);
}

static void test_tenant_defaults(void **state)
{
	struct fixture *f = *state;
	struct config *c = NULL;
	char *errors = load(f, "[oauth2 cert]\ntenant = contoso.onmicrosoft.com\nclient_id = app\n"
	                       "client_certificate = c.pem\nclient_key = /dev/null\n"
	                       "[oauth2 people]\nflow = device\ntenant = 0000-1111\nclient_id = app\n"
	                       "refresh_token_file = /var/lib/x/t\nkey_file = /etc/liaison/k\n", &c);
	/* /dev/null is not a regular file: the key is refused, but everything else read */
	assert_non_null(errors);
	assert_non_null(strstr(errors, "client_key /dev/null: not a regular file"));
	free(errors);
	struct config *kept = NULL;
	char *path = xasprintf("%s/liaison.conf", f->dir);
	config_load_all(path, &kept, &errors);
	free(errors);
	free(path);
	const struct oauth2_config *o = config_find_oauth2(kept, "cert");
	assert_string_equal(o->token_url,
	                    "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token");
	assert_string_equal(o->scope, "https://outlook.office365.com/.default");
	o = config_find_oauth2(kept, "people");
	assert_int_equal(o->flow, OAUTH2_DEVICE);
	assert_string_equal(o->device_authorization_url,
	                    "https://login.microsoftonline.com/0000-1111/oauth2/v2.0/devicecode");
	assert_non_null(strstr(o->scope, "IMAP.AccessAsUser.All"));
	assert_non_null(strstr(o->scope, "offline_access"));
	assert_string_equal(o->refresh_token_file, "/var/lib/x/t");
	assert_string_equal(o->key_file, "/etc/liaison/k");
	config_free(&kept);
	(void)c;
}

static void test_mistakes(void **state)
{
	struct fixture *f = *state;
	expect_error(f, "[oauth2 a]\nclient_id = x\nclient_secret_file = /nonexistent\n",
	             "client_secret_file /nonexistent: No such file");
	expect_error(f, "[oauth2 a]\ntoken_url = https://t\nclient_id = x\n",
	             "[oauth2 a] needs client_secret_file or client_certificate");
	expect_error(f, "[oauth2 a]\ntoken_url = https://t\nflow = device\nclient_id = x\n",
	             "has flow = device but no device_authorization_url");
	expect_error(f, "[oauth2 a]\ntoken_url = https://t\nflow = magic\n",
	             ":5: flow: 'magic' is not client_credentials, device or service_account");
	expect_error(f, "[oauth2 a]\nflow = device\ntenant = t\n", "[oauth2 a] has no client_id");
	expect_error(f, "[oauth2 a]\ntoken_url = http://login.example/t\n",
	             "token_url: 'http://login.example/t' is not an https:// URL");
	expect_error(f, "[oauth2 a]\ntoken_url = http://127.evil.example/t\n", "is not an https://");
	expect_error(f, "[oauth2 a]\ntenant = a/b\n", "tenant: 'a/b' is not a tenant ID");
	expect_error(f, "[oauth2 a]\nflow = service_account\ntoken_url = https://t\n",
	             "has flow = service_account but no client_key");
	expect_error(f, "[mailbox K]\ntroop = K\naddress = k@x.y\noauth2 = nothere\n",
	             "[mailbox K]: oauth2 = nothere, but there is no [oauth2 nothere]");
	expect_error(f, "[smtp]\nurl = smtp://x\noauth2 = nothere\n", "[smtp]: oauth2 = nothere");
	expect_error(f, "[oauth2 a]\nflow = device\ntenant = t\nclient_id = x\n"
	                "[oauth2 a]\nflow = device\ntenant = t\nclient_id = x\n",
	             "[oauth2 a] given twice");
	char *both = xasprintf("[oauth2 a]\nflow = device\ntenant = t\nclient_id = x\n"
	                       "[mailbox K]\ntroop = K\naddress = k@x.y\noauth2 = a\n"
	                       "token_command = echo t\n");
	expect_error(f, both, "[mailbox K] has token_command and oauth2: choose one");
	free(both);
	expect_error(f, "[oauth2 a]\nflow = device\ntenant = t\nclient_id = x\n"
	                "[mailbox K]\ntroop = K\naddress = k@x.y\nimap = imap://mail.example:143\n"
	                "tls = none\noauth2 = a\n",
	             "[mailbox K] has tls = none and oauth2: the token would cross the network");
	expect_error(f, "[oauth2 a]\nflow = device\ntenant = t\nclient_id = x\n"
	                "[smtp]\nurl = smtp://127.evil.example:25\ntls = none\nusername = u\n"
	                "oauth2 = a\n",
	             "[smtp] has tls = none and oauth2");
	expect_error(f, "[oauth2 a]\nflow = device\ntenant = t\nclient_id = x\n"
	                "client_certificate = /etc/hostname\n",
	             "[oauth2 a]: client_certificate is for flow = client_credentials only");
	expect_error(f, "[oauth2 a]\nflow = device\ntenant = t\nclient_id = x\n"
	                "refresh_token_file = /var/lib/t\n"
	                "[oauth2 b]\nflow = device\ntenant = t\nclient_id = y\n"
	                "refresh_token_file = /var/lib/t\n",
	             "[oauth2 b] has the refresh_token_file of [oauth2 a]");
	/* on this machine a token may go over plain text (a test server, a local relay) */
	char *local = load(f, "[oauth2 a]\nflow = device\ntenant = t\nclient_id = x\n"
	                      "[mailbox K]\ntroop = K\naddress = k@x.y\nimap = imap://127.0.0.1:143\n"
	                      "tls = none\noauth2 = a\n[smtp]\nurl = smtp://localhost:25\n"
	                      "tls = none\nusername = u\noauth2 = a\n", NULL);
	assert_null(local);
	/* loopback http is allowed (a provider on this machine), and only loopback */
	char *errors = load(f, "[oauth2 a]\nflow = device\ntoken_url = http://127.0.0.1:9/t\n"
	                       "device_authorization_url = http://[::1]:9/d\nclient_id = x\n", NULL);
	assert_null(errors);
	char *open_secret = xasprintf("%s/open.secret", f->dir);
	test_write_file(open_secret, "s\n");
	chmod(open_secret, 0644);
	char *body = xasprintf("[oauth2 a]\ntenant = t\nclient_id = x\nclient_secret_file = %s\n",
	                       open_secret);
	expect_error(f, body, "client_secret_file");
	expect_error(f, body, "readable by group or others");
	free(body);
	free(open_secret);
}

static void test_renew_at(void **state)
{
	/* a quarter of the life before expiry, within 10 s .. 5 min */
	assert_int_equal(oauth2_renew_at(1000, 1060), 1045);
	assert_int_equal(oauth2_renew_at(1000, 4600), 4300);
	assert_int_equal(oauth2_renew_at(1000, 1020), 1010);
	assert_int_equal(oauth2_renew_at(1000, 1005), 1000); /* never before it was issued */
	assert_int_equal(oauth2_renew_at(0, 400), 300);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_client_secret, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tenant_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mistakes, setup, teardown),
		cmocka_unit_test(test_renew_at),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
