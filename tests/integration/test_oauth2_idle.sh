# A token expiring while its connection IDLEs (the provider's tokens live 60 s here; Exchange
# Online's about an hour): the poller logs in again with a new token before the old one
# expires, a message that arrives after the first token's expiry is fetched at once, nothing
# is lost and no error is logged.  Dovecot does not end a session whose token expired (Exchange
# does), so the test checks when the logins happened against when the tokens expire.
# duration: 120 s
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/lib_oauth2.sh"
oauth2_start

letter troopk first
poll_daemon -vv
started=$(date +%s)
wait_until "the first message stored" 20 '[ "$(stored_from first)" = 1 ]'
STATUS=$DB.poll-status
k_state() { json '[f for f in d["folders"] if f["mailbox"] == "K"][0]["state"]' "$STATUS" 2>/dev/null; }
k_reconnects() { json '[f for f in d["folders"] if f["mailbox"] == "K"][0]["reconnects"]' "$STATUS"; }
wait_until "K idles" 20 '[ "$(k_state)" = idle ]'
first=$(k_reconnects)

# The first token was issued about when the poller started; it expires 60 s later.  By then
# the watcher must have logged in again (at 3/4 of the life: about 45 s).
wait_until "K logged in again before its first token expired" 62 '[ "$(k_reconnects)" -gt "$first" ]'
renewed_after=$(($(date +%s) - started))
[ "$renewed_after" -lt 60 ] || fail "the new login came after ${renewed_after}s: the token had expired"
echo "ok: logged in again after ${renewed_after}s, before the 60 s token expired"

# Now past the first token's expiry: a new message is fetched at once (IDLE is live).
wait_until "past the first token's life" 70 '[ $(($(date +%s) - started)) -ge 65 ]'
letter troopk second
t0=$(date +%s)
wait_until "a message after the expiry stored" 15 '[ "$(stored_from second)" = 1 ]'
echo "ok: stored $(($(date +%s) - t0))s after it arrived"
wait_until "both answered" 20 '[ "$(smtp_count)" -ge 2 ]'
issued=$(curl -s "${OIDC_ADMIN}stats" | $PY -c 'import json,sys; print(json.load(sys.stdin)["issued"]["liaison-secret"]["client_credentials"])')
[ "$issued" -ge 2 ] || fail "the provider issued $issued tokens to the secret client: none renewed"
echo "ok: $issued tokens issued to the secret client over the run"
if grep -E "^liaison: (error|warning): " daemon.err; then
	fail "an error or warning was logged while tokens expired"
fi
echo "ok: no error or warning logged"
grep -q "logging in again before the token expires" daemon.err ||
	fail "the debug log does not say why the connection was renewed"

stats() { curl -s "${OIDC_ADMIN}stats" | $PY -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
issued() { stats 'd["issued"]["liaison-secret"]["client_credentials"]'; }
refused() { stats 'd["introspections"]["inactive"]'; }

echo "== SMTP refuses the cached token (revoked at the provider): one new token, the reply goes"
refused_before=$(refused)
issued_before=$(issued)
sent_before=$(smtp_count)
curl -sf -X POST "${OIDC_ADMIN}revoke?client_id=$OIDC_SECRET_CLIENT" >/dev/null || fail "revoke"
letter troopk third # IMAP stays logged in (Dovecot does not end the session): the sender's turn
wait_until "the reply sent with a new token" 20 '[ "$(smtp_count)" -gt "$sent_before" ]'
[ "$(refused)" -gt "$refused_before" ] || fail "the sink was not shown the revoked token"
expect_eq "one new token after the SMTP refusal" $((issued_before + 1)) "$(issued)"
if grep -q "deferred\|refused liaison's login" daemon.err; then
	fail "the reply was deferred instead of sent with a new token"
fi

echo "== IMAP refuses the cached token (revoked again): one new token, at once"
refused_before=$(refused)
issued_before=$(issued)
curl -sf -X POST "${OIDC_ADMIN}revoke?client_id=$OIDC_SECRET_CLIENT" >/dev/null || fail "revoke"
before=$(k_reconnects)
doveadm -c "$DOVECOT_CONF" kick troopk >/dev/null # the connection drops; the token is cached
wait_until "K connected again" 30 '[ "$(k_reconnects)" -gt "$before" ] && [ "$(k_state)" = idle ]'
[ "$(refused)" -gt "$refused_before" ] ||
	fail "Dovecot was not shown the revoked token: the refusal path was not taken"
expect_eq "one new token after the IMAP refusal" $((issued_before + 1)) "$(issued)"
letter troopk fourth
wait_until "a message after the refusal stored" 15 '[ "$(stored_from fourth)" = 1 ]'
if grep -q "refused two tokens" daemon.err; then
	fail "the new token was refused too"
fi
stop_daemon "$pid"
no_token_anywhere daemon.err daemon.out "$DB" "$DB-wal"
