# The database write-locked by another process for longer than any busy timeout, while mail
# arrives: `liaison poll` neither exits nor fails hard; it says store_failing in its status
# file, waits, and once the lock is released stores every message once and answers once.
#
# The lock is held 40 s: four times the store's 10 s busy timeout, so that the poller meets
# the lock several times (busy wait, roll back, back off, try again) — what "locked for
# minutes" by a backup or a long report looks like, without making the test minutes long.
# duration: 76 s
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
start_servers
write_poll_config p.conf "$TMPDIR/p.db"
# A short backoff: the catch-up after the release is then a matter of seconds.
sed -i 's/^\[liaison\]$/[liaison]\nbackoff_max = 5s/' p.conf
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null
LOCK_SECONDS=40
STATUS=$TMPDIR/p.db.poll-status

# person NAME: a message from NAME@people.example to the troop, in NAME.eml.
person() {
	printf 'From: %s@people.example\r\nTo: TroopKCTL@ct.gov\r\nSubject: A question\r\nMessage-ID: <%s.%s@people.example>\r\nDate: %s\r\n\r\nHello, a question for the liaison.\r\n' \
		"$1" "$1" "$$" "$(date -R)" >"$1.eml"
}
# status EXPR: a Python expression over the status file as d (an empty line without a file).
status() {
	[ -f "$STATUS" ] && json "$1" "$STATUS" || echo ""
}
# hold_lock FLAG SECONDS: another process takes the database's write lock (BEGIN EXCLUSIVE),
# writes FLAG once it holds it, keeps it SECONDS (the fault itself), then commits.
hold_lock() {
	$PY - "$TMPDIR/p.db" "$1" "$2" <<'PY'
import sqlite3, sys, time
db, flag, hold = sys.argv[1], sys.argv[2], float(sys.argv[3])
c = sqlite3.connect(db, isolation_level=None, timeout=30)
c.execute("BEGIN EXCLUSIVE")
open(flag, "w").write("locked\n")
time.sleep(hold)
c.execute("COMMIT")
PY
}
inbox_count() { sqlite3 p.db "SELECT count(*) FROM custody WHERE folder = 'INBOX'"; }
inbox_last_uid() { sqlite3 p.db "SELECT last_uid FROM folders WHERE name = 'INBOX'"; }
folder_state() { status 'd["folders"][0]["state"]'; }
store_failing() { status 'd["store_failing"]'; }

$LIAISON -v poll 2>daemon.err &
pid=$!
trap 'kill $pid 2>/dev/null || true; sh "$TOP/tests/servers/stop.sh" "$SRV" >/dev/null 2>&1' EXIT

person before
deliver INBOX before.eml
$PY "$TOP/tests/servers/deliver.py" wait-smtp "$SRV" 1 --timeout 30 >/dev/null || { cat daemon.err; fail "no reply before the lock"; }
wait_until "the status file says idle" 20 '[ "$(folder_state)" = idle ]'
expect_eq "reconnects so far" 0 "$(status 'd["folders"][0]["reconnects"]')"
expect_eq "the poller's pid in the status file" "$pid" "$(status 'd["pid"]')"

echo "== another process holds the write lock for ${LOCK_SECONDS}s; mail arrives meanwhile"
hold_lock "$TMPDIR/locked" "$LOCK_SECONDS" &
holder=$!
wait_until "the lock is taken" 20 '[ -f "$TMPDIR/locked" ]'
for who in alpha bravo charlie; do
	person $who
	deliver INBOX $who.eml
done
wait_until "the status file says store_failing" 35 '[ "$(store_failing)" = True ]'
reason=$(status 'd["store_reason"]')
case "$reason" in *locked*) echo "ok: store_reason: $reason" ;; *) fail "store_reason: $reason" ;; esac
expect_eq "the folder backs off meanwhile" backoff "$(folder_state)"
# UIDs 2 to 4 are on the server beyond the last stored UID, 1.
expect_eq "messages waiting on the server" 3 "$(status 'd["folders"][0]["waiting"]')"
kill -0 $pid || fail "the poller exited while the database was locked"
echo "ok: the poller still runs"
expect_eq "nothing of the new mail stored while locked" 1 "$(inbox_count)"
expect_eq "no folder state past what is stored" 1 "$(inbox_last_uid)"
expect_eq "no reply sent while locked" 1 "$(smtp_count)"

echo "== the lock is released: the poller catches up"
wait $holder
$PY "$TOP/tests/servers/deliver.py" wait-smtp "$SRV" 4 --timeout 60 >/dev/null || { cat daemon.err; fail "no catch-up after the lock was released"; }
echo "ok: caught up"
wait_until "store_failing cleared" 20 '[ "$(store_failing)" = False ]'
expect_eq "each message stored once" 4 "$(inbox_count)"
expect_eq "... as four messages" 4 "$(sqlite3 p.db "SELECT count(DISTINCT message_id) FROM custody WHERE folder = 'INBOX'")"
expect_eq "one arrival each" 4 "$(sqlite3 p.db "SELECT count(*) FROM custody WHERE folder = 'INBOX' AND kind = 'arrival'")"
expect_eq "the folder's last UID" 4 "$(inbox_last_uid)"
expect_eq "every reply sent" "4" "$(sqlite3 p.db "SELECT count(*) FROM outbox WHERE status = 'sent'")"
expect_eq "the sink: one reply each" "alpha before bravo charlie" \
	"$($PY -c 'import glob,json,sys; print(" ".join(sorted(json.load(open(f))["rcpt_tos"][0].split("@")[0] for f in glob.glob(sys.argv[1] + "/*.json"))))' "$SMTP_DIR")"
# The file is rewritten at most once a second: the count of the committed state may follow
# the cleared failure by a write.
wait_until "waiting, once caught up, is 0" 20 '[ "$(status '"'"'d["folders"][0]["waiting"]'"'"')" = 0 ]'
expect_eq "the lock logged once" 1 "$(grep -c 'store: database locked' daemon.err)"
# Logged once the store has taken writes for 10 s (STORE_CALM).
wait_until "the recovery is logged" 30 'grep -q "store: writing again" daemon.err'

stop_daemon $pid
expect_eq "the status file on exit" stopped "$(folder_state)"

echo "== start-up while another process holds the lock: poll waits, then runs"
# 15 s: past the 10 s busy timeout of the first write at start-up (settling the outbox).
hold_lock "$TMPDIR/locked-again" 15 &
holder=$!
wait_until "the lock is taken again" 20 '[ -f "$TMPDIR/locked-again" ]'
person delta
deliver INBOX delta.eml
$LIAISON -v poll 2>daemon.err &
pid=$!
wait_until "store_failing at start-up" 30 '[ "$(store_failing)" = True ] && [ "$(status "d[\"pid\"]")" = "$pid" ]'
kill -0 $pid || { cat daemon.err; fail "poll gave up at start-up on a locked database"; }
echo "ok: poll waits at start-up"
wait $holder
$PY "$TOP/tests/servers/deliver.py" wait-smtp "$SRV" 5 --timeout 40 >/dev/null || { cat daemon.err; fail "no reply after the start-up lock was released"; }
echo "ok: delta answered"
expect_eq "each message stored once" 5 "$(inbox_count)"
stop_daemon $pid
