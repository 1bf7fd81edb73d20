# SMTP with STARTTLS required, the certificate checked, and AUTH: the reply goes out
# encrypted and authenticated; a server whose certificate we cannot trust gets nothing;
# a second poller on the same database is refused.
# duration: 11 s
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
start_servers --tls --smtp-auth --smtp-require-tls
write_poll_config p.conf "$TMPDIR/p.db"
smtp_tls_auth p.conf "$TMPDIR/relay.pw"
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null
$PY "$TOP/tests/fixtures/autoreply/make-cases.py" cases
deliver INBOX cases/00-person.eml
$LIAISON poll --once 2>poll.err || { cat poll.err; fail "poll"; }
expect_eq "reply sent" 1 "$(smtp_count)"
meta=$(ls "$SMTP_DIR"/*.json | head -n 1)
expect_eq "over TLS" True "$(json 'd["tls"]' "$meta")"
expect_eq "authenticated" relay "$(json 'd["auth_user"]' "$meta")"

# A CA we do not trust: the reply waits (deferred), nothing is sent in the clear.
sed "s|^ca_file = $TLS_CA|ca_file = $TLS_OTHER_CA|" p.conf >other.conf
deliver INBOX cases/01-no-return-path.eml
$LIAISON -c other.conf poll --once 2>other.err || { cat other.err; fail "poll"; }
expect_eq "nothing sent to an untrusted server" 1 "$(smtp_count)"
expect_eq "deferred" queued "$($LIAISON outbox --json | $PY -c 'import json,sys; print([o["status"] for o in json.load(sys.stdin) if o["recipient"].startswith("no-return-path")][0])')"
$LIAISON poll --once 2>/dev/null || fail "poll"
sqlite3 p.db "UPDATE outbox SET next_attempt_at = 0 WHERE status = 'queued'"
$LIAISON poll --once 2>/dev/null || fail "poll"
expect_eq "sent once the certificate is trusted" 2 "$(smtp_count)"

# One poller per database.
$LIAISON poll 2>daemon.err &
pid=$!
# Wait (bounded) until the daemon holds the lock: it publishes its status file, with its pid,
# only after taking it.  (Probing with flock(1) would hold the lock for an instant itself, and
# a daemon starting in that instant would rightly refuse to run.)
daemon_status_pid() {
	$PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' p.db.poll-status 2>/dev/null || true
}
wait_until "the daemon holds the lock" 40 'kill -0 $pid 2>/dev/null && [ "$(daemon_status_pid)" = "$pid" ]'
set +e
$LIAISON poll --once 2>second.err
rc=$?
set -e
kill -TERM $pid
set +e
wait $pid
daemon_rc=$?
set -e
expect_eq "a second poller is refused" 1 "$rc"
grep -q "another liaison poll is running" second.err || { cat second.err; fail "not said"; }
expect_eq "the daemon stops cleanly on SIGTERM" 0 "$daemon_rc"
