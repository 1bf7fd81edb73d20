# Backup and restore end to end, against a real Dovecot and SMTP sink: `liaison backup`
# while `liaison poll` files mail being delivered and `liaison web` runs; restore refused on
# the running installation; the machine lost and the backup restored on an empty one (a new
# folder and configuration); `liaison verify` passes; `liaison poll` resumes without storing a
# message twice or sending any recipient a second auto-reply, and takes in the mail that came
# after the backup.  A backup changed by one byte, or whose manifest was edited, is refused.
# duration: 12 s
. "$TOP/tests/integration/lib.sh"
have_corpus_gen || fail "corpus generator $CORPUS_GEN not found"
cd "$TMPDIR"
start_servers
mkdir m1 m2
write_poll_config m1/p.conf "$TMPDIR/m1/p.db"
export LIAISON_CONFIG=$TMPDIR/m1/p.conf
$LIAISON init >/dev/null
$PY "$CORPUS_GEN" --count 120 --seed 41 --troops K --out corpus 2>/dev/null
ls corpus/cur | sort | sed 's|^|corpus/cur/|' >all.txt
split -n l/3 all.txt part.
total=$(wc -l <all.txt)

stored() { [ "$(sqlite3 "$1" "SELECT count(*) FROM custody WHERE folder = 'INBOX'" 2>/dev/null)" -ge "$2" ]; }
outbox_settled() { [ "$(sqlite3 "$1" "SELECT count(*) FROM outbox WHERE status IN ('queued', 'sending')" 2>/dev/null)" = 0 ]; }

DELIVER_PID= PAGES_PID=
$LIAISON poll >poll1.log 2>&1 &
POLL_PID=$!
$LIAISON web --listen 127.0.0.1:0 >web.out 2>web.err &
WEB_PID=$!
trap 'kill $POLL_PID $WEB_PID $PAGES_PID $DELIVER_PID 2>/dev/null || true; sh "$TOP/tests/servers/stop.sh" "$SRV" >/dev/null 2>&1' EXIT
wait_until "liaison web is up" 20 "grep -q 'console is at' web.out"
BASE=$(sed -n 's/.*console is at \(http:\/\/[^/]*\)\/.*/\1/p' web.out)
# pages asked for all along (a session cookie to look up: the console reads the database)
while :; do curl -s -o /dev/null -H 'Cookie: liaison=not-a-session' "$BASE/"; sleep 0.1; done &
PAGES_PID=$!

deliver INBOX $(cat part.aa)
n1=$(wc -l <part.aa)
wait_until "the first $n1 messages stored" 60 "stored m1/p.db $n1"

# The backup while the second part is being delivered, one APPEND at a time; the last
# messages wait for the backup to end, so the deliverer is still at work when it does.
n2=$(wc -l <part.ab)
head -n $((n2 - 5)) part.ab >part.ab.early
tail -n 5 part.ab >part.ab.late
(
	for f in $(cat part.ab.early); do deliver INBOX "$f"; done
	wait_until "the backup ended (the deliverer waited)" 120 "[ -e backup.done ]"
	deliver INBOX $(cat part.ab.late)
) &
DELIVER_PID=$!
wait_until "delivery under way" 30 "stored m1/p.db $((n1 + 3))"
$LIAISON backup --json bk >backup.json || fail "backup failed"
kill -0 $DELIVER_PID 2>/dev/null || fail "the deliverer had ended before the backup did"
at_backup=$(sqlite3 m1/p.db "SELECT count(*) FROM custody WHERE folder = 'INBOX'")
: >backup.done
wait $DELIVER_PID || fail "the second part was not delivered"
DELIVER_PID=
wait_until "mail stored after the backup ended" 60 "stored m1/p.db $((at_backup + 5))"
echo "ok: backed up while mail was delivered and filed ($at_backup stored when the backup ended)"
expect_eq "backup folder mode" 700 "$(stat -c %a bk)"
expect_eq "backup database mode" 600 "$(stat -c %a bk/liaison.db)"
expect_eq "manifest mode" 600 "$(stat -c %a bk/manifest.json)"
expect_eq "nothing else in the backup" "liaison.db manifest.json" "$(ls bk | tr '\n' ' ' | sed 's/ $//')"
expect_eq "the backup database's journal mode" delete "$(sqlite3 bk/liaison.db 'PRAGMA journal_mode')"
# read-only media: a reader that cannot write beside the file still opens it
chmod 0500 bk
expect_eq "the backup read with sqlite3 -readonly in a read-only folder" ok "$(sqlite3 -readonly bk/liaison.db 'PRAGMA quick_check')"
expect_eq "reading it left nothing beside it" "liaison.db manifest.json" "$(ls bk | tr '\n' ' ' | sed 's/ $//')"
chmod 0700 bk
expect_eq "the manifest's SHA-256 is the file's" "$(sha256sum bk/liaison.db | cut -d' ' -f1)" "$(json 'd["database"]["sha256"]' backup.json)"
backed=$(json 'd["counts"]["messages"]' backup.json)
[ "$backed" -ge "$n1" ] && [ "$backed" -lt "$total" ] || fail "the backup holds $backed messages"
echo "ok: the backup holds $backed messages of $total (schema $(json 'd["schema_version"]' backup.json), audit head $(json 'd["audit_head"]["id"]' backup.json))"
expect_eq "the backup is in the trail" 1 "$(sqlite3 m1/p.db "SELECT count(*) FROM audit WHERE action = 'backup' AND object = 'bk'")"
expect admin 2 backup bk
expect reyes 1 backup bk-reyes
[ ! -e bk-reyes ] && [ ! -e bk-reyes.partial ] || fail "a refused backup left a folder"

deliver INBOX $(cat part.ac)
wait_until "all $total messages stored on the first machine" 90 "stored m1/p.db $total"
wait_until "the first machine's outbox settled" 60 "outbox_settled m1/p.db"

# The installation is running: restore refuses, and says why.
expect admin 1 restore bk
grep -q "exists; restore --force" err.txt || fail "$(cat err.txt)"
expect admin 1 restore --force bk
grep -q "liaison poll is running" err.txt || fail "$(cat err.txt)"
kill $POLL_PID
wait $POLL_PID 2>/dev/null || true
curl -s -o /dev/null -w 'ok: the console answers: %{http_code}\n' -H 'Cookie: liaison=not-a-session' "$BASE/"
expect admin 1 restore --force bk
grep -q "process $WEB_PID has .*open" err.txt || fail "the running web is not named: $(cat err.txt)"
kill $WEB_PID $PAGES_PID
wait $WEB_PID 2>/dev/null || true
before_sink=$(smtp_count)
echo "the first machine is lost; the sink holds $before_sink messages"

# Corrupted backups, refused on the empty machine with nothing written there.
write_poll_config m2/p.conf "$TMPDIR/m2/p.db"
export LIAISON_CONFIG=$TMPDIR/m2/p.conf
cp -r bk bad-byte
$PY - bad-byte/liaison.db <<'PY'
import os, sys
f = open(sys.argv[1], "r+b")
f.seek(os.path.getsize(sys.argv[1]) // 2)
b = f.read(1)
f.seek(-1, 1)
f.write(bytes([b[0] ^ 0x01]))
PY
expect admin 1 restore bad-byte
grep -q "does not match its manifest" err.txt || fail "$(cat err.txt)"
cp -r bk bad-manifest
$PY - bad-manifest/manifest.json <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
m["counts"]["messages"] -= 1
json.dump(m, open(sys.argv[1], "w"), indent=2)
PY
expect admin 1 restore bad-manifest
grep -q "the manifest says $((backed - 1)) messages, the database holds $backed" err.txt || fail "$(cat err.txt)"
# A message's bytes changed and the manifest's hash made to match: the re-hash catches it.
cp -r bk bad-message
$PY - bad-message <<'PY'
import hashlib, json, sys
db = sys.argv[1] + "/liaison.db"
data = bytearray(open(db, "rb").read())
at = data.find(b"\nSubject: ")
assert at > 0
data[at + 10] ^= 0x20
open(db, "wb").write(data)
m = json.load(open(sys.argv[1] + "/manifest.json"))
m["database"]["sha256"] = hashlib.sha256(data).hexdigest()
json.dump(m, open(sys.argv[1] + "/manifest.json", "w"), indent=2)
PY
expect admin 1 restore bad-message
grep -q "1 message no longer hashes to the SHA-256 recorded on arrival" err.txt || fail "$(cat err.txt)"
expect admin 1 restore no-such-folder
[ -z "$(ls m2 | grep -v '^p.conf$' | grep -v '^p.db.poll-lock$')" ] || fail "a refused restore left files: $(ls m2)"
expect reyes 1 restore bk
# A -wal left without its database (an admin removed only p.db) is another database's work:
# the restore refuses rather than let SQLite replay it over the restored file.
printf 'not a wal of this backup' >m2/p.db-wal
expect admin 1 restore bk
grep -q "m2/p.db-wal is left without its database" err.txt || fail "$(cat err.txt)"
[ ! -e m2/p.db ] && [ ! -e m2/p.db.restoring ] || fail "a refused restore left a database: $(ls m2)"
rm m2/p.db-wal

# The restore on the empty machine.
$LIAISON restore bk >restore.txt || fail "restore: $(cat restore.txt)"
cat restore.txt
expect_eq "restored database mode" 600 "$(stat -c %a m2/p.db)"
expect_eq "restored messages" "$backed" "$(sqlite3 m2/p.db 'SELECT count(*) FROM messages')"
$LIAISON verify >verify.txt || fail "verify after restore: $(cat verify.txt)"
grep -q "^verified$" verify.txt && echo "ok: liaison verify passes on the restored database"
held=$(sqlite3 m2/p.db "SELECT count(*) FROM outbox WHERE status = 'uncertain' AND last_error LIKE 'restored from a backup%'")
echo "ok: $held outbox rows that were waiting at the backup are held as uncertain"
expect_eq "nothing left to send twice" 0 "$(sqlite3 m2/p.db "SELECT count(*) FROM outbox WHERE status IN ('queued', 'sending')")"

# New people write after the restore: they are answered.
mkdir -p fresh
for i in 1 2 3; do
	maildir_msg fresh "new-person-$i@example.net" "After the restore $i" "after-restore-$i" "A question after the restore, number $i."
done
deliver INBOX fresh/cur/*
for i in 1 2 3 4 5; do
	$LIAISON poll --once 2>>poll2.log || { cat poll2.log; fail "poll on the restored database"; }
	outbox_settled m2/p.db && break
done
$LIAISON messages --json >m.json
$PY - m.json "$SMTP_DIR" "$((total + 3))" <<'PY' || fail "exactly once across the restore violated"
import collections, glob, json, os, sys
msgs = json.load(open(sys.argv[1]))
inbox = [m for m in msgs if m["folder"] == "INBOX"]
ids = collections.Counter(m["message_id"] for m in inbox)
bad = 0
def check(cond, what):
    global bad
    print(("ok: " if cond else "BAD: ") + what)
    bad += not cond
check(len(inbox) == int(sys.argv[3]), f"every message stored once on the restored machine: {len(inbox)} of {sys.argv[3]}")
check(max(ids.values()) == 1, "no message stored twice")
replies = collections.Counter()
for p in glob.glob(os.path.join(sys.argv[2], "*.json")):
    meta = json.load(open(p))
    if meta["mail_from"] == "<>":
        replies[meta["rcpt_tos"][0].lower()] += 1
check(len(replies) > 3, f"auto-replies at the sink: {sum(replies.values())} to {len(replies)} recipients")
twice = [r for r, n in replies.items() if n > 1]
check(not twice, f"no recipient got a second auto-reply: {twice}")
for i in (1, 2, 3):
    check(replies.get(f"new-person-{i}@example.net") == 1, f"new-person-{i}, who wrote after the restore, answered once")
sys.exit(1 if bad else 0)
PY
$LIAISON verify >verify2.txt || fail "verify after polling: $(cat verify2.txt)"
echo "ok: verified after the restored machine polled"
expect_eq "the restore is in the restored trail" 1 "$(sqlite3 m2/p.db "SELECT count(*) FROM audit WHERE action = 'restore' AND object = 'bk'")"

# --force on an installation that has a database: the old one is kept aside, whole.
old_sha=$(sha256sum m2/p.db | cut -d' ' -f1)
expect admin 0 restore --force bk
aside=$(ls m2 | grep '^p.db.before-restore-' | grep -v -- '-wal$' | grep -v -- '-shm$')
[ -n "$aside" ] || fail "nothing kept aside: $(ls m2)"
expect_eq "the replaced database, kept aside unchanged" "$old_sha" "$(sha256sum "m2/$aside" | cut -d' ' -f1)"
# The restore was settled and audited in the copy before it was renamed: one file in place.
expect_eq "the restore --force is in the trail it put in place, naming what it kept aside" 1 "$(sqlite3 m2/p.db "SELECT count(*) FROM audit WHERE action = 'restore' AND object = 'bk' AND details LIKE '%kept as %$aside'")"
expect_eq "nothing of the restore left beside it" "" "$(ls m2 | grep -e '\.restoring' -e '^p\.db-wal$' -e '^p\.db-shm$' || true)"
