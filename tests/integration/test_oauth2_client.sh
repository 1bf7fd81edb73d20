# OAuth2 client credentials against a real identity provider (oidc-provider on loopback,
# tests/servers/oidc) and a Dovecot that checks each token at its introspection endpoint:
# a client secret (mailbox K and [smtp]) and a certificate, i.e. a signed client assertion
# (mailbox L), end to end — poll receives and the auto-replies go out over XOAUTH2; check
# --connect names the flow and the token's life; a wrong secret is an error naming the
# section while the other mailbox goes on; the provider down at start is waited out with a
# backoff; no token or secret in any log or in the database's bytes.
# duration: 30 s
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/lib_oauth2.sh"
oauth2_start

echo "== check: the section's own files, then the servers"
$LIAISON check >check.out 2>&1 || { cat check.out; fail "check"; }
grep -q "oauth2 cert.*client certificate .*thumbprint [0-9A-F]\{40\}" check.out ||
	{ cat check.out; fail "check does not show the certificate's thumbprint"; }
want=$(openssl x509 -in "$OIDC_CERT" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g')
grep -q "thumbprint $want" check.out || { cat check.out; fail "thumbprint is not openssl's $want"; }
echo "ok: the thumbprint is the certificate's SHA-1 ($want), as Entra shows it"
$LIAISON check --connect >connect.out 2>&1 || { cat connect.out; fail "check --connect"; }
grep -q "imap K.*XOAUTH2 with \[oauth2 secret\] (client secret, token valid [01] min" connect.out ||
	{ cat connect.out; fail "imap K: flow and token life not reported"; }
grep -q "imap L.*XOAUTH2 with \[oauth2 cert\] (client certificate, token valid [01] min" connect.out ||
	{ cat connect.out; fail "imap L: flow and token life not reported"; }
grep -q "smtp.*AUTH.*XOAUTH2 with \[oauth2 secret\] (client secret" connect.out ||
	{ cat connect.out; fail "smtp: flow not reported"; }
echo "ok: check --connect names each mailbox's flow and its token's remaining life"

echo "== poll receives with both flows and answers over SMTP with XOAUTH2"
letter troopk ana
letter troopl ben
$LIAISON poll --once 2>poll1.err || { cat poll1.err; fail "poll --once"; }
expect_eq "K's message stored (client secret)" 1 "$(stored_from ana)"
expect_eq "L's message stored (client certificate)" 1 "$(stored_from ben)"
wait_until "two auto-replies at the sink" 10 '[ "$(smtp_count)" -ge 2 ]'
for m in "$SMTP_DIR"/*.json; do
	expect_eq "sent as troopk over" "troopk XOAUTH2" \
		"$(json 'd["auth_user"] + " " + d["auth_mechanism"]' "$m")"
done

echo "== a wrong client secret: the error names the section; mailbox L goes on"
printf 'not-the-secret\n' >wrong.secret
chmod 600 wrong.secret
sed "s|^client_secret_file = .*|client_secret_file = $TMPDIR/wrong.secret|" p.conf >wrong.conf
letter troopl cy
set +e
$LIAISON -c wrong.conf poll --once 2>wrong.err
rc=$?
set -e
expect_eq "poll --once with a wrong secret exits" 1 "$rc"
grep -q "\[oauth2 secret\].*invalid_client.*client_secret_file" wrong.err ||
	{ cat wrong.err; fail "the error does not name [oauth2 secret] and what to check"; }
echo "ok: $(grep -m1 'oauth2 secret' wrong.err | cut -c1-200)"
expect_eq "L's message stored all the same" 1 "$(stored_from cy)"
$LIAISON -c wrong.conf check --connect >wrong-check.out 2>&1 && fail "check --connect passed a wrong secret"
grep -q "imap K.*\[oauth2 secret\].*invalid_client" wrong-check.out ||
	{ cat wrong-check.out; fail "check --connect does not name the section"; }
echo "ok: check --connect says the same"

echo "== a Google-style service account acts for each mailbox's user (its JSON key as downloaded)"
$PY - p.conf "$OIDC_TOKEN_URL" "$OIDC_SA_KEY" <<'PY'
import sys
path, token, key = sys.argv[1:]
text = open(path).read().replace("[smtp]", """[oauth2 google]
flow = service_account
token_url = %s
client_key = %s
scope = https://mail.google.com/

[smtp]""" % (token, key), 1)
open("sa.conf", "w").write(text.replace("oauth2 = cert", "oauth2 = google"))
PY
letter troopl gwen
$LIAISON -c sa.conf check --connect >sa.out 2>&1 || { cat sa.out; fail "check --connect, service account"; }
grep -q "imap L.*logged in as troopl.*XOAUTH2 with \[oauth2 google\] (service account" sa.out ||
	{ cat sa.out; fail "the service account's flow is not reported"; }
$LIAISON -c sa.conf poll --once 2>sa.err || { cat sa.err; fail "poll --once, service account"; }
expect_eq "L's message stored through the service account" 1 "$(stored_from gwen)"
# Dovecot let troopl in: the provider's introspection named the JWT's sub (troopl) as the user.
expect_eq "the service account was issued tokens" yes \
	"$(curl -s "${OIDC_ADMIN}stats" | $PY -c 'import json,sys; d=json.load(sys.stdin)["issued"]; print("yes" if sum(d.get("liaison-sa", {}).values()) > 0 else "no")')"

echo "== the provider down at start, a liaison's reply due: backoff, then everything once it is back"
sh "$TOP/tests/servers/stop.sh" "$SRV" oidc >/dev/null
sent_before=$(smtp_count)
letter troopk dee
ref=$($LIAISON --as reyes threads --json | $PY -c 'import json,sys; print([t["ref"] for t in json.load(sys.stdin) if t["ref"].startswith("K")][0])')
printf 'Thank you for writing; I will call you tomorrow.\n' >body.txt
$LIAISON --as reyes reply "$ref" --file body.txt >/dev/null || fail "reply"
poll_daemon
STATUS=$DB.poll-status
wait_until "K backs off, saying why" 20 \
	'[ -f "$STATUS" ] && json "[f for f in d[\"folders\"] if f[\"mailbox\"] == \"K\"][0][\"state\"]" "$STATUS" | grep -q backoff'
json '[f for f in d["folders"] if f["mailbox"] == "K"][0]["reason"]' "$STATUS" | grep -q "oauth2 secret" ||
	{ cat "$STATUS"; fail "the status does not say the provider is why"; }
# Three retries seen (each backoff publishes its own retry time), the failure logged once.
k_retry() { json '[f for f in d["folders"] if f["mailbox"] == "K"][0]["retry_at"]' "$STATUS" 2>/dev/null; }
cpu() { awk '{ print $14 + $15 }' "/proc/$pid/stat"; }
c0=$(cpu)
t0=$(date +%s)
seen=$(k_retry)
retries=0
wait_until "K retried three times" 30 \
	'r=$(k_retry); if [ -n "$r" ] && [ "$r" != "$seen" ]; then seen=$r; retries=$((retries + 1)); fi; [ $retries -ge 3 ]'
expect_eq "the provider's absence logged for K" 1 "$(grep -c "mailbox K/INBOX: .*oauth2 secret" daemon.err || true)"
grep "\[oauth2 secret\]" daemon.err | grep -vq "mailbox " ||
	{ cat daemon.err; fail "the sender did not say why the reply waits"; }
ticks=$(($(cpu) - c0))
secs=$(($(date +%s) - t0))
[ "$ticks" -lt $((secs * 25 + 25)) ] ||
	fail "poll used $ticks CPU ticks in ${secs}s while the provider was down: it spins"
echo "ok: poll used $ticks CPU ticks (1/100 s) in ${secs}s with a reply due: it waits"
expect_eq "the reply is still queued" queued \
	"$($LIAISON outbox --json | $PY -c 'import json,sys; print([o["status"] for o in json.load(sys.stdin) if o["kind"] == "reply"][0])')"
sh "$TOP/tests/servers/start.sh" "$SRV" >/dev/null || fail "restart of the provider"
wait_until "dee's message stored once the provider is back" 30 '[ "$(stored_from dee)" = 1 ]'
wait_until "dee answered and the reply sent" 30 '[ "$(smtp_count)" -ge $((sent_before + 2)) ]'
expect_eq "the reply" sent \
	"$($LIAISON outbox --json | $PY -c 'import json,sys; print([o["status"] for o in json.load(sys.stdin) if o["kind"] == "reply"][0])')"
stop_daemon "$pid"

echo "== no token or secret in any log or in the database"
no_token_anywhere poll1.err wrong.err connect.out check.out wrong-check.out sa.out sa.err daemon.err daemon.out \
	"$DB" "$DB-wal" "$SRV/dovecot.log" "$SRV/smtp.log"
