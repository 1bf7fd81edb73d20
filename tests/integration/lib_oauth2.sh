# Helpers of the OAuth2 tests (sourced after lib.sh): the test identity provider
# (tests/servers/oidc, started by start_servers --oidc) and liaison configured against it.

# oauth2_start: in TMPDIR, the test servers with the provider (start_servers --oidc), DB, and
# p.conf (oauth2_config) as LIAISON_CONFIG with its database made.
oauth2_start() {
	cd "$TMPDIR"
	start_servers --oidc
	DB=$TMPDIR/p.db
	oauth2_config p.conf "$DB"
	export LIAISON_CONFIG=$TMPDIR/p.conf
	$LIAISON init >/dev/null
}

# oauth2_config FILE DB: mailbox K (IMAP user troopk) through [oauth2 secret] (a client
# secret), mailbox L (troopl) through [oauth2 cert] (a certificate: a signed client
# assertion), [smtp] as troopk through [oauth2 secret], all on the test servers.
oauth2_config() {
	cat >"$1" <<CONF
[liaison]
database = $2
templates = $TOP/templates
routes = $TOP/config/routes.conf
urgent_notify = coordinator@ct.gov
backoff_max = 5

[oauth2 secret]
token_url = $OIDC_TOKEN_URL
client_id = $OIDC_SECRET_CLIENT
client_secret_file = $OIDC_SECRET_FILE
scope = imap smtp

[oauth2 cert]
token_url = $OIDC_TOKEN_URL
client_id = $OIDC_CERT_CLIENT
client_certificate = $OIDC_CERT
client_key = $OIDC_KEY
scope = imap smtp

[smtp]
url = smtp://127.0.0.1:$SMTP_PORT
tls = none
timeout = 10s
username = troopk
oauth2 = secret

[mailbox K]
troop = K
address = TroopKCTL@ct.gov
imap = imap://127.0.0.1:$IMAP_PORT
tls = none
username = troopk
oauth2 = secret

[mailbox L]
troop = L
address = TroopLCTL@ct.gov
imap = imap://127.0.0.1:$IMAP_PORT
tls = none
username = troopl
oauth2 = cert
$USERS
CONF
}

# letter USER NAME: a message from NAME@people.example to USER's troop address, appended to
# USER's INBOX on the test Dovecot (by password: delivery is not what is tested).
letter() {
	lt_user=$1 lt_name=$2
	case $lt_user in troopl) lt_to=TroopLCTL@ct.gov ;; *) lt_to=TroopKCTL@ct.gov ;; esac
	printf 'From: %s@people.example\r\nTo: %s\r\nSubject: A question from %s\r\nMessage-ID: <%s.%s@people.example>\r\nDate: %s\r\n\r\nHello, a question for the liaison.\r\n' \
		"$lt_name" "$lt_to" "$lt_name" "$lt_name" "$$" "$(date -R)" >"$lt_name.eml"
	$PY "$TOP/tests/servers/deliver.py" append --port "$IMAP_PORT" --user "$lt_user" \
		--password "$lt_user-secret" --folder INBOX "$lt_name.eml" >/dev/null ||
		fail "APPEND for $lt_user failed"
}

# stored_from NAME: how many stored messages came from NAME@people.example.
stored_from() {
	sqlite3 "$DB" "SELECT count(*) FROM messages WHERE from_addr = '$1@people.example'"
}

# no_token_anywhere FILE...: no access or refresh token the provider issued so far (its
# issued list), no client secret, and no line of the private keys appears in any FILE (logs,
# the database and its WAL, the sealed token file).
no_token_anywhere() {
	[ -s "$OIDC_ISSUED" ] || fail "the provider's list of issued tokens is empty"
	n=0
	secrets=$TMPDIR/secrets.txt
	awk '{ print $3 }' "$OIDC_ISSUED" >"$secrets"
	head -n 1 "$OIDC_SECRET_FILE" >>"$secrets"
	grep -v -- '-----' "$OIDC_KEY" | head -n 3 >>"$secrets"
	for f in "$@"; do
		[ -f "$f" ] || continue
		if grep -a -F -f "$secrets" "$f" >/dev/null; then
			fail "a token or secret appears in $f"
		fi
		n=$((n + 1))
	done
	echo "ok: none of $(wc -l <"$secrets") tokens and secrets in $n files"
}
