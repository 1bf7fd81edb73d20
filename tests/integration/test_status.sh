# liaison status [--json]: the health check monitoring calls, with the Nagios/Icinga exit
# codes, each produced by a real state: no poller (critical), a poller whose folders are well
# (0), an outbox row whose fate is unknown (warning), a folder whose server is down (backoff
# and its reason), a locked database (it answers), a nearly full disk (a small tmpfs: warning,
# then critical), a configuration that does not load (3).
# The thread form `liaison status REF STATE` still sets a thread's status.
# duration: 13 s
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/lib_web.sh"
cd "$TMPDIR"
start_servers
write_poll_config p.conf "$TMPDIR/p.db"
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null
DB=$TMPDIR/p.db

# status_is WHAT CODE LEVEL [--json]: runs liaison status, checks the exit code and the first
# line's "LIAISON LEVEL - " (text) or level (JSON); the output is in st.out.
status_is() {
	what=$1 code=$2 level=$3
	shift 3
	set +e
	timeout 30 $LIAISON status "$@" >st.out 2>st.err
	rc=$?
	set -e
	if [ "$rc" -ne "$code" ]; then
		cat st.out st.err
		fail "$what: status exit $rc, expected $code"
	fi
	if [ "${1:-}" = --json ]; then
		got=$(json 'd["level"]' st.out)
	else
		got=$(head -n 1 st.out | sed -n 's/^LIAISON \([A-Z]*\) - .*/\1/p')
	fi
	expect_eq "$what: level" "$level" "$got"
}

# write_status PID AGE STATE [REASON [STATE_AGE [LAST_SYNC_AGE]]]: a poller's status file as
# poll_status.c writes it, for mailbox K's INBOX and Sent, written AGE seconds ago.
write_status() {
	$PY - "$DB.poll-status" "$@" <<'PY'
import json, os, sys, time
path, pid, age, state = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
reason = sys.argv[5] if len(sys.argv) > 5 and sys.argv[5] else None
state_age = int(sys.argv[6]) if len(sys.argv) > 6 else 10
sync_age = int(sys.argv[7]) if len(sys.argv) > 7 else 5
now = int(time.time())
folder = lambda name, st: {"mailbox": "K", "folder": name, "state": st, "reason": reason if st == "backoff" else None,
    "last_sync": now - sync_age if sync_age >= 0 else 0, "state_since": now - state_age,
    "retry_at": now + 60, "reconnects": 3, "waiting": 2}
doc = {"version": 1, "pid": pid, "started": now - 3600, "written": now - age,
       "store_failing": False, "store_reason": None,
       "folders": [folder("INBOX", state), folder("Sent", "idle")]}
tmp = path + ".tmp"
with open(tmp, "w") as f:
    json.dump(doc, f)
os.rename(tmp, path)
PY
}

# --- No poller has run: critical. -----------------------------------------------------------
status_is "no poller" 2 CRITICAL
grep -q "poller not running" st.out || { cat st.out; fail "no poller: not said"; }
head -n 1 st.out | grep -q ' | .*outbox_queued=0' || fail "no perfdata after |"

# --- A poller whose folders are in IDLE: OK (a live pid, a fresh file). ------------------------
POLLER= # a real poller while one runs: killed by the trap if a check fails
sleep 600 &
LIVE=$!
trap 'kill $LIVE $POLLER 2>/dev/null; sh "$TOP/tests/servers/stop.sh" "$SRV" >/dev/null 2>&1' EXIT
write_status $LIVE 3 idle
status_is "a healthy poller (status file)" 0 OK
grep -q "K/INBOX: idle since" st.out || { cat st.out; fail "the folder's state is not shown"; }
grep -q "2 waiting, 3 reconnects" st.out || { cat st.out; fail "waiting and reconnects not shown"; }
status_is "the same, JSON" 0 OK --json
expect_eq "JSON: K/INBOX state" idle "$(json '[f["state"] for f in d["folders"] if f["folder"] == "INBOX"][0]' st.out)"
age=$(json '[f["last_sync_age"] for f in d["folders"] if f["folder"] == "INBOX"][0]' st.out)
[ "$age" -ge 5 ] && [ "$age" -le 15 ] || fail "JSON: last sync age $age, written as 5 s ago"
echo "ok: JSON: last sync age $age (written as 5 s ago)"

# A status file written long ago, or by a pid that is gone: the poller is not running.
write_status $LIVE $((3 * 30)) idle
status_is "a stale status file" 2 CRITICAL
grep -q "stuck" st.out || { cat st.out; fail "a stale file of a live pid: not called stuck"; }
sh -c 'exit 0' &
GONE=$!
wait $GONE
write_status $GONE 3 idle
status_is "a poller that is gone" 2 CRITICAL
grep -q "gone" st.out || { cat st.out; fail "a dead pid: not called gone"; }

# --- A folder backing off: a warning with its reason; critical once it lasts. ---------------
write_status $LIVE 3 backoff "connect: Connection refused" 120
status_is "a folder backing off for 2 minutes" 1 WARNING
grep -q "K/INBOX backing off for 12[0-9]s: connect: Connection refused" st.out || { cat st.out; fail "the backoff's reason is not in the summary"; }
grep -q "backing off until .*: connect: Connection refused" st.out || { cat st.out; fail "until when not shown"; }
write_status $LIVE 3 backoff "login: authentication failed" 1200
status_is "a folder backing off for 20 minutes" 2 CRITICAL
write_status $LIVE 3 backoff "TLS: certificate does not match" 30 -1
status_is "a folder that never synced, backing off" 2 CRITICAL
grep -q "never synced" st.out || { cat st.out; fail "never synced not said"; }

# --- JSON and text agree. ----------------------------------------------------------------------
write_status $LIVE 3 backoff "connect: Connection refused" 120
$LIAISON status --json >j.json && rc=0 || rc=$?
$LIAISON status >t.txt || true
expect_eq "JSON exit = text level" "1 WARNING" "$rc $(head -n 1 t.txt | cut -d' ' -f2)"
# (ages in seconds may differ by the second between the two runs)
expect_eq "JSON summary = text summary" "$(head -n 1 t.txt | sed 's/^LIAISON [A-Z]* - //; s/ | .*//; s/[0-9][0-9]*s:/Ns:/g')" \
	"$(json 'd["summary"]' j.json | sed 's/[0-9][0-9]*s:/Ns:/g')"
expect_eq "JSON exit field" 1 "$(json 'd["exit"]' j.json)"
expect_eq "JSON outbox queued" 0 "$(json 'd["outbox"]["queued"]' j.json)"

# --- A real poll: auto-replies go out; an outbox row whose fate is unknown warns. -------------
write_status $LIVE 3 idle
$PY "$TOP/tests/fixtures/autoreply/make-cases.py" cases
$PY "$TOP/tests/servers/deliver.py" append --port "$IMAP_PORT" --user troopk \
	--password troopk-secret --folder INBOX cases/00-person.eml >/dev/null
# keep the file ours: the poll below may publish its own (after the poller's change)
cp "$DB.poll-status" mine.status
$LIAISON poll --once 2>poll.err || { cat poll.err; fail "poll --once failed"; }
cp mine.status "$DB.poll-status"
$LIAISON outbox --json >o.json
sent=$(json 'sum(1 for r in d if r["status"] == "sent")' o.json)
[ "$sent" -ge 1 ] || fail "the poll sent no auto-reply"
status_is "after a poll that sent" 0 OK --json
expect_eq "status counts the sent rows as outbox --json does" "$sent" "$(json 'd["outbox"]["sent"]' st.out)"
# The real poller on the test Dovecot: OK as soon as every folder has settled (IDLE or
# polling).
rm -f "$DB.poll-status"
$LIAISON poll >poller.out 2>poller.err &
POLLER=$!
i=0
while :; do
	$LIAISON status --json >st.out 2>/dev/null || true
	states=$(json '" ".join(sorted(str(f.get("state")) for f in d["folders"]))' st.out)
	case " $states " in *" connecting "*|*" syncing "*|*" None "*|"  ") ;; *) break ;; esac
	i=$((i + 1))
	[ $i -le 300 ] || { kill $POLLER; cat st.out poller.err; fail "the real poller's folders never settled"; }
	sleep 0.1
done
status_is "a real poller on the test Dovecot" 0 OK
kill $POLLER
wait $POLLER || true
POLLER=
cp mine.status "$DB.poll-status"
# A crash after DATA leaves a row "uncertain" (outbox_send.c): the state, made directly.
sqlite3 "$DB" "UPDATE outbox SET status = 'uncertain', last_error = 'crashed after DATA' WHERE id = (SELECT min(id) FROM outbox)"
status_is "an uncertain outbox row" 1 WARNING
grep -q "outbox: 1 uncertain" st.out || { cat st.out; fail "uncertain row not named"; }

# --- A locked database: status answers (WAL readers are not blocked by a writer). ------------
hold_lock "$DB"
start=$(date +%s)
status_is "status while another process holds the write lock" 1 WARNING
took=$(( $(date +%s) - start ))
[ "$took" -le 15 ] || fail "status took ${took}s under a lock"
echo "ok: status answered in ${took}s under the lock"
release_lock

# --- The disk: under 10 % free warns, under 5 % is critical (a small tmpfs holds a copy). ------
mkdir small
mount -t tmpfs -o size=16m tmpfs small || fail "cannot mount a tmpfs (the tests run as root)"
trap 'umount "$TMPDIR/small" 2>/dev/null; kill $LIVE $POLLER 2>/dev/null; sh "$TOP/tests/servers/stop.sh" "$SRV" >/dev/null 2>&1' EXIT
sqlite3 "$DB" ".backup small/p.db"
sed "s|^database = .*|database = $TMPDIR/small/p.db|" p.conf >small.conf
cp "$DB.poll-status" small/p.db.poll-status
# fill PERCENT: a file that leaves PERCENT % of the tmpfs free
fill() {
	$PY - small "$1" <<'PY'
import os, sys
st = os.statvfs(sys.argv[1])
want_free = st.f_blocks * st.f_frsize * float(sys.argv[2]) / 100
extra = st.f_bavail * st.f_frsize - want_free
with open(os.path.join(sys.argv[1], "filler"), "ab") as f:
    f.write(b"\0" * int(max(extra, 0)))
PY
}
export LIAISON_CONFIG=$TMPDIR/small.conf
fill 7
status_is "7 % of the disk free" 1 WARNING
grep -q "disk: 7.[0-9]% free" st.out || { cat st.out; fail "the disk warning is not said"; }
fill 3
status_is "3 % of the disk free" 2 CRITICAL
head -n 1 st.out | grep -q "^LIAISON CRITICAL - disk: [23].[0-9]% free" || { cat st.out; fail "the disk is not the critical finding"; }
export LIAISON_CONFIG=$TMPDIR/p.conf
umount small
trap 'kill $LIVE $POLLER 2>/dev/null; sh "$TOP/tests/servers/stop.sh" "$SRV" >/dev/null 2>&1' EXIT

# --- The thread form still sets a thread's status. ---------------------------------------------
ref=$($LIAISON threads --json | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["ref"])')
expect admin 0 status "$ref" waiting
grep -q "$ref: status waiting" out.txt || fail "status REF waiting: not said"
expect admin 2 status "$ref"

# --- A configuration that does not load: UNKNOWN (3). ------------------------------------------
printf '[liaison]\ndatabase = %s\nno_such_key = 1\n' "$DB" >bad.conf
set +e
$LIAISON -c bad.conf status >st.out 2>st.err
rc=$?
set -e
expect_eq "a bad configuration: UNKNOWN" 3 "$rc"
grep -q "^LIAISON UNKNOWN - " st.out || { cat st.out; fail "UNKNOWN line missing"; }
grep -q "bad.conf:3" st.err || { cat st.err; fail "the bad line is not named"; }

# --- The real poller against a closed port. -------------------------------------------------
port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed "s|^imap = .*|imap = imap://127.0.0.1:$port|" p.conf >down.conf
rm -f "$DB.poll-status"
$LIAISON -c down.conf poll >down.out 2>down.err &
POLLER=$!
i=0
while :; do
	$LIAISON -c down.conf status --json >st.out 2>/dev/null || true
	state=$(json '[f.get("state") for f in d["folders"] if f["folder"] == "INBOX"][0]' st.out)
	[ "$state" != backoff ] || break
	i=$((i + 1))
	[ $i -le 300 ] || { kill $POLLER; cat st.out; fail "the poller never reported the backoff"; }
	sleep 0.1
done
kill $POLLER
wait $POLLER || true
POLLER=
reason=$(json '[f["reason"] for f in d["folders"] if f["folder"] == "INBOX"][0]' st.out)
[ -n "$reason" ] && [ "$reason" != None ] || fail "the backoff has no reason"
echo "ok: the real poller's backoff: $reason"
echo "test_status: ok"
