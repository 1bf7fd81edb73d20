# The disk holding the database fills up — while `liaison poll` runs and mail arrives, and
# while `liaison import` reads a Maildir that does not fit.  Nothing is lost: the poller
# neither exits nor lets a folder's last UID pass an unstored message, records no reply as
# sent that the SMTP sink did not receive, and once space returns stores everything once and
# answers everyone once; the import stops with a clear error and a rerun takes the rest.
#
# The database lives on a small tmpfs of its own (mounting one needs root, as in CI).
# duration: 17 s
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
[ "$(id -u)" = 0 ] || fail "this test mounts a tmpfs: run it as root"
SMALL=$TMPDIR/small
mkdir "$SMALL"
mount -t tmpfs -o size=24m,mode=0700 tmpfs "$SMALL" || fail "cannot mount a tmpfs on $SMALL"
pid=
cleanup() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	[ -z "${SRV:-}" ] || sh "$TOP/tests/servers/stop.sh" "$SRV" >/dev/null 2>&1 || true
	umount "$SMALL" 2>/dev/null || umount -l "$SMALL" 2>/dev/null || true
}
trap cleanup EXIT
SRV=$TMPDIR/srv
sh "$TOP/tests/servers/start.sh" "$SRV" >/dev/null || fail "test servers did not start"
. "$SRV/env.sh"
write_poll_config p.conf "$SMALL/p.db"
sed -i 's/^\[liaison\]$/[liaison]\nbackoff_max = 3s/' p.conf
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null
STATUS=$SMALL/p.db.poll-status

# mail BYTES NAME...: for each NAME a message from NAME@people.example of about BYTES of
# text, in NAME.eml.
mail() {
	$PY - "$(date -R)" "$$" "$@" <<'PY'
import random, sys
date, run, size, names = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
# A vocabulary of a few hundred words, as people's mail has: the full-text index grows as it
# does with real mail, not with a new word at every step.
vocab_rnd = random.Random(1)
vocab = ["".join(vocab_rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(3 + i % 8)) for i in range(600)]
for name in names:
    rnd = random.Random(name)
    words, length = [], 0
    while length < size:
        words.append(rnd.choice(vocab))
        length += len(words[-1]) + 1
    body = "\r\n".join(" ".join(words[i:i + 12]) for i in range(0, len(words), 12))
    open(name + ".eml", "w", newline="").write(
        f"From: {name}@people.example\r\nTo: TroopKCTL@ct.gov\r\nSubject: A question from {name}\r\n"
        f"Message-ID: <{name}.{run}@people.example>\r\nDate: {date}\r\n\r\n{body}\r\n")
PY
}
status() { [ -f "$STATUS" ] && json "$1" "$STATUS" || echo ""; }
stored() { sqlite3 "$SMALL/p.db" "SELECT count(*) FROM custody WHERE folder = 'INBOX'"; }
replied() { # replied: how many distinct people the sink has answered
	$PY -c 'import glob,json,sys; print(len({json.load(open(f))["rcpt_tos"][0] for f in glob.glob(sys.argv[1] + "/*.json")} - {"coordinator@ct.gov"}))' "$SMTP_DIR"
}
# invariants: no folder's last UID passes an unstored message; no row marked sent that the
# sink did not receive; no message stored twice; the database is sound.
invariants() {
	$PY "$TOP/tests/servers/deliver.py" status --conf "$DOVECOT_CONF" --user troopk --folder INBOX >server.json
	sqlite3 "$SMALL/p.db" "SELECT uid FROM custody WHERE folder = 'INBOX'" >stored-uids.txt
	sqlite3 "$SMALL/p.db" "SELECT last_uid FROM folders WHERE name = 'INBOX'" >last-uid.txt
	sqlite3 "$SMALL/p.db" "SELECT recipient FROM outbox WHERE status = 'sent'" >sent.txt
	$PY - server.json stored-uids.txt last-uid.txt sent.txt "$SMTP_DIR" <<'PY' || fail "an invariant does not hold"
import glob, json, sys
server = json.load(open(sys.argv[1]))["uids"]
stored = [int(x) for x in open(sys.argv[2]).read().split()]
last = int(open(sys.argv[3]).read().strip() or 0)
sent = open(sys.argv[4]).read().split()
sink = [json.load(open(f))["rcpt_tos"][0] for f in glob.glob(sys.argv[5] + "/*.json")]
bad = [u for u in server if u <= last and u not in stored]
print(f"  last UID {last}; server UIDs {len(server)}; stored {len(stored)}; rows sent {len(sent)}; sink {len(sink)}")
assert not bad, f"last UID {last} passes unstored UIDs {bad}"
assert len(stored) == len(set(stored)), "a UID stored twice"
missing = [r for r in sent if r not in sink]
assert not missing, f"marked sent, never received: {missing}"
twice = sorted({r for r in sink if sink.count(r) > 1})
assert not twice, f"received twice: {twice}"
PY
	expect_eq "integrity" ok "$(sqlite3 "$SMALL/p.db" 'PRAGMA quick_check')"
}

echo "== poll: three messages stored and answered"
$LIAISON -v poll 2>daemon.err &
pid=$!
mail 20000 a1 a2 a3
for who in a1 a2 a3; do
	deliver INBOX $who.eml
done
wait_until "three answered" 30 '[ "$(replied)" = 3 ]'

echo "== the file system fills up; ten more messages arrive"
dd if=/dev/zero of="$SMALL/filler" bs=64k 2>/dev/null || true
free=$($PY -c 'import os,sys; s=os.statvfs(sys.argv[1]); print(s.f_bavail * s.f_frsize)' "$SMALL")
[ "$free" -lt 65536 ] || fail "the file system is not full: $free bytes free"
echo "ok: $free bytes free"
mail 60000 b1 b2 b3 b4 b5 b6 b7 b8 b9 b10
for i in 1 2 3 4 5 6 7 8 9 10; do
	deliver INBOX b$i.eml
done
wait_until "the status file says store_failing" 40 '[ "$(status "d[\"store_failing\"]")" = True ]'
reason=$(status 'd["store_reason"]')
case "$reason" in "disk full"*) echo "ok: store_reason: $(echo "$reason" | cut -c1-80)" ;; *) fail "store_reason: $reason" ;; esac
kill -0 $pid || { cat daemon.err; fail "the poller exited on a full disk"; }
echo "ok: the poller still runs"
before=$(stored)
[ "$before" -lt 13 ] || fail "everything was stored on a full disk: the test filled nothing"
echo "ok: $before of 13 stored while full"
invariants

echo "== space returns: everything stored once, everyone answered once"
rm -f "$SMALL/filler"
wait_until "all 13 stored" 60 '[ "$(stored)" = 13 ]'
# A reply whose sending was cut short by the full disk waits its retry (1 minute).
wait_until "all 13 answered" 90 '[ "$(replied)" = 13 ]'
wait_until "store_failing cleared" 20 '[ "$(status "d[\"store_failing\"]")" = False ]'
invariants
expect_eq "thirteen messages" 13 "$(sqlite3 "$SMALL/p.db" "SELECT count(DISTINCT message_id) FROM custody WHERE folder = 'INBOX' AND kind = 'arrival'")"
expect_eq "the folder's last UID" 13 "$(sqlite3 "$SMALL/p.db" "SELECT last_uid FROM folders WHERE name = 'INBOX'")"
expect_eq "no reply left queued, sending or failed" 0 \
	"$(sqlite3 "$SMALL/p.db" "SELECT count(*) FROM outbox WHERE status NOT IN ('sent', 'uncertain')")"
expect_eq "the full disk logged once" 1 "$(grep -c 'store: disk full' daemon.err)"
stop_daemon $pid
pid=

echo "== import: a Maildir that does not fit, then a rerun"
mount -o remount,size=6m "$SMALL" || fail "cannot shrink the tmpfs"
rm -f "$SMALL"/p.db*
write_config i.conf "$SMALL/i.db"
export LIAISON_CONFIG=$TMPDIR/i.conf
$LIAISON init >/dev/null
mkdir -p md/cur md/new md/tmp
mail 20000 $(seq -f 'c%g' 1 20)
for i in $(seq 1 20); do mv c$i.eml md/cur/c$i:2,; done
$LIAISON import --mailbox K md >/dev/null 2>first.err || { cat first.err; fail "the first part did not fit"; }
expect_eq "the first part imported" 20 "$(sqlite3 "$SMALL/i.db" 'SELECT count(*) FROM custody')"
mail 20000 $(seq -f 'd%g' 1 150)
for i in $(seq 1 150); do mv d$i.eml md/cur/d$i:2,; done
set +e
$LIAISON import --mailbox K md >/dev/null 2>full.err
rc=$?
set -e
expect_eq "import on a full disk exits" 1 "$rc"
grep -q "disk full" full.err || { cat full.err; fail "the error does not say the disk is full"; }
grep -q "run again to go on" full.err || { cat full.err; fail "the error does not say what to do"; }
echo "ok: $(grep stopped full.err | cut -c1-100)"
expect_eq "integrity after the full disk" ok "$(sqlite3 "$SMALL/i.db" 'PRAGMA quick_check')"
partial=$(sqlite3 "$SMALL/i.db" 'SELECT count(*) FROM custody')
[ "$partial" -ge 20 ] && [ "$partial" -lt 170 ] || fail "after the full disk: $partial stored"
expect_eq "no message without custody, no custody without message" 0 "$(sqlite3 "$SMALL/i.db" 'SELECT (SELECT count(*) FROM messages WHERE id NOT IN (SELECT message_id FROM custody)) + (SELECT count(*) FROM custody WHERE message_id NOT IN (SELECT id FROM messages))')"
mount -o remount,size=64m "$SMALL" || fail "cannot grow the tmpfs"
$LIAISON import --mailbox K --json md >again.json 2>again.err || { cat again.err; fail "the rerun failed"; }
expect_eq "the rerun skips what was stored" "$partial" "$(json 'd["already"]' again.json)"
expect_eq "the rerun imports the rest" $((170 - partial)) "$(json 'd["imported"]' again.json)"
expect_eq "each message once" 170 "$(sqlite3 "$SMALL/i.db" "SELECT count(*) FROM messages")"
expect_eq "one arrival each" 170 "$(sqlite3 "$SMALL/i.db" "SELECT count(*) FROM custody WHERE kind = 'arrival'")"
