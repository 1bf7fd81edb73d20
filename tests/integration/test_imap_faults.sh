# Faults of the IMAP stream, from a corrupting proxy (tests/servers/imap_proxy.py) in front of
# the test Dovecot: cuts inside a literal, after it and before the tagged OK, a truncated
# literal, a broken and a huge literal count, garbage, an invalid untagged line, a 4 MiB line,
# a stall.  For each: no crash (nor a sanitizer report under make asan), nothing stored that
# Dovecot does not hold byte for byte, the folder's last UID never past a message not stored;
# then, passing through again, everything taken in exactly once.  Last, the daemon through
# three cuts in a row: it reconnects with backoff and catches up.
# duration: 32 s
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
start_servers
CONTROL=$TMPDIR/proxy.control
FIRED=$TMPDIR/proxy.fired
: >"$FIRED"
echo pass >"$CONTROL"
trap 'kill $(cat proxy.pid 2>/dev/null) 2>/dev/null; sh "$TOP/tests/servers/stop.sh" "$SRV" >/dev/null 2>&1' EXIT
# A port free a moment ago may be taken by a test running alongside before the proxy binds
# it: the proxy then exits without its pid file (written once it listens), and another is
# tried.
for _ in 1 2 3 4 5; do
	PROXY_PORT=$($PY "$TOP/tests/servers/srvutil.py" free-ports 1)
	$PY "$TOP/tests/servers/imap_proxy.py" --listen-port "$PROXY_PORT" --upstream-port "$IMAP_PORT" \
		--control "$CONTROL" --log "$FIRED" --pid-file proxy.pid 2>proxy.err &
	$PY "$TOP/tests/servers/srvutil.py" wait-file proxy.pid 10 --pid $! && break
done
[ -s proxy.pid ] || { cat proxy.err; fail "the proxy did not listen on any of five free ports"; }
$PY "$TOP/tests/servers/srvutil.py" wait-port "$PROXY_PORT" 10 --banner '* OK' || fail "proxy did not start"

write_poll_config p.conf "$TMPDIR/p.db"
sed -i "s|^imap = imap://127.0.0.1:$IMAP_PORT\$|imap = imap://127.0.0.1:$PROXY_PORT|" p.conf
grep -q "127.0.0.1:$PROXY_PORT" p.conf || fail "the mailbox does not go through the proxy"
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null
mkdir -p mail

# person NAME: a message from NAME (large enough that its literal spans several reads).
person() {
	{
		printf 'From: %s@people.example\r\nTo: TroopKCTL@ct.gov\r\nSubject: About %s\r\n' "$1" "$1"
		printf 'Message-ID: <%s.%s@people.example>\r\nDate: %s\r\n\r\n' "$1" "$$" "$(date -R)"
		i=0
		while [ $i -lt 400 ]; do
			printf 'Line %d of the message from %s, for the liaison.\r\n' $i "$1"
			i=$((i + 1))
		done
	} >"mail/$1.eml"
}

# sanitizer_clean FILE: no AddressSanitizer / UBSan / LeakSanitizer report in FILE.
sanitizer_clean() {
	if grep -q "Sanitizer\|runtime error:" "$1"; then
		cat "$1"
		fail "$2: the sanitizer reported an error"
	fi
}

# check_invariants WHAT: every stored INBOX message is one that was delivered (same SHA-256),
# no message is stored twice, and the folder's last UID never passes a message not stored.
check_invariants() {
	$PY - "$TMPDIR/p.db" mail "$1" "$DOVECOT_CONF" <<'PY' || fail "$1: invariants"
import glob, hashlib, json, os, sqlite3, subprocess, sys
db, maildir, what, conf = sys.argv[1:]
delivered = {hashlib.sha256(open(f, "rb").read()).hexdigest() for f in glob.glob(maildir + "/*.eml")}
c = sqlite3.connect(db)
rows = c.execute("SELECT c.uid, m.sha256 FROM custody c JOIN messages m ON m.id = c.message_id "
                 "JOIN mailboxes b ON b.id = c.mailbox_id WHERE c.folder = 'INBOX'").fetchall()
stored = [sha for _, sha in rows]
bad = [s for s in stored if s not in delivered]
if bad:
    sys.exit("%s: %d stored message(s) that Dovecot does not hold byte for byte" % (what, len(bad)))
if len(stored) != len(set(stored)):
    sys.exit("%s: a message stored twice" % what)
last = c.execute("SELECT coalesce(max(last_uid), 0) FROM folders WHERE name = 'INBOX'").fetchone()[0]
stored_uids = {uid for uid, _ in rows}
out = subprocess.run(["doveadm", "-c", conf, "search", "-u", "troopk", "mailbox", "INBOX", "all"],
                     capture_output=True, text=True, check=True).stdout
# doveadm search prints "GUID UID" per message
server_uids = sorted(int(l.split()[1]) for l in out.splitlines() if l.strip())
missing = [u for u in server_uids if u <= last and u not in stored_uids]
if missing:
    sys.exit("%s: last UID %d passes UIDs %s, not stored" % (what, last, missing))
print("ok: %s: %d stored, all delivered bytes, no repeat, last UID %d covers only stored"
      % (what, len(stored), last))
PY
}

stored_count() {
	sqlite3 p.db "SELECT count(*) FROM custody WHERE folder = 'INBOX'"
}

n=0
for mode in cut-literal cut-after-literal cut-before-ok truncate bad-count huge-count garbage \
	bad-untagged huge-line stall; do
	echo "== $mode"
	n=$((n + 1))
	person "a$n"
	person "b$n"
	deliver INBOX "mail/a$n.eml" "mail/b$n.eml"
	fired_before=$(grep -c "^$mode " "$FIRED" || true)
	echo "$mode 1" >"$CONTROL"
	set +e
	# bounded: libetpan used to wait for the rest of a cut literal for ever, at full CPU
	timeout 90 $LIAISON poll --once >out.txt 2>"err-$mode.txt"
	rc=$?
	set -e
	sanitizer_clean "err-$mode.txt" "$mode"
	[ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || { cat "err-$mode.txt"; fail "$mode: exit $rc (a crash, or 124: a hang)"; }
	expect_eq "$mode: the fault fired" $((fired_before + 1)) "$(grep -c "^$mode " "$FIRED")"
	echo "ok: $mode: exit $rc: $(grep -m1 "INBOX" "err-$mode.txt" | cut -c1-150)"
	check_invariants "$mode (during)"
	echo pass >"$CONTROL"
	set +e
	$LIAISON poll --once >out.txt 2>"err2-$mode.txt"
	rc=$?
	set -e
	sanitizer_clean "err2-$mode.txt" "$mode, then"
	[ "$rc" -eq 0 ] || { cat "err2-$mode.txt"; fail "$mode: the poll after the fault: exit $rc"; }
	expect_eq "$mode: then everything stored once" $((2 * n)) "$(stored_count)"
	check_invariants "$mode (after)"
done

echo "== the daemon through three cuts in a row: reconnects with backoff, catches up"
for k in 1 2 3; do person "d$k"; done
echo "cut-literal 3" >"$CONTROL"
fired_before=$(grep -c "^cut-literal " "$FIRED" || true)
$LIAISON poll 2>daemon.err &
pid=$!
deliver INBOX mail/d1.eml mail/d2.eml mail/d3.eml
want=$((2 * n + 3))
i=0
while [ "$(stored_count)" -lt $want ] && [ $i -lt 600 ]; do # 60 s at most
	kill -0 $pid 2>/dev/null || { cat daemon.err; fail "the daemon died"; }
	sleep 0.1
	i=$((i + 1))
done
kill -TERM $pid
set +e
wait $pid
rc=$?
set -e
sanitizer_clean daemon.err daemon
expect_eq "daemon: clean exit on SIGTERM" 0 "$rc"
expect_eq "daemon: three more cuts fired (count in all)" $((fired_before + 3)) "$(grep -c "^cut-literal " "$FIRED")"
expect_eq "daemon: everything stored once" $want "$(stored_count)"
check_invariants "daemon"
grep -q "connected again" daemon.err || { cat daemon.err; fail "no reconnect logged"; }
echo "ok: $(grep -m1 "connected again" daemon.err | cut -c1-160)"
