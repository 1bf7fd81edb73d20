# The audit anchor: `liaison audit anchor` prints the trail's head in a line that appended to
# a file kept elsewhere builds the anchor file; `audit verify --anchor FILE` checks the chain
# against it.  A chain rewritten whole behind liaison's back (every hash recomputed with
# sqlite3, the triggers dropped) still passes plain `audit verify` and must fail --anchor;
# so must a trail cut back past an anchor.  --mail queues the anchor to anchor_notify.
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
write_config a.conf "$TMPDIR/a.db"
export LIAISON_CONFIG=$TMPDIR/a.conf
$LIAISON init >/dev/null
$PY "$TOP/tests/fixtures/autoreply/make-cases.py" cases
mkdir k
cp cases/00-person.eml cases/01-no-return-path.eml k/
$LIAISON import --mailbox K k >/dev/null
ref=$($LIAISON threads --json | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["ref"])')

# an empty trail has nothing to anchor
expect admin 2 audit anchor
grep -q "empty" err.txt || fail "the empty trail is not named: $(cat err.txt)"

$LIAISON --as admin assign "$ref" reyes >/dev/null
$LIAISON --as reyes note "$ref" --text "called back, left a message" >/dev/null
$LIAISON audit anchor >>anchors.txt
first=$(cat anchors.txt)
echo "$first" | grep -Eq '^audit-anchor [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z entry [0-9]+ sha256 [0-9a-f]{64}$' \
	|| fail "anchor line: $first"
head_id=$(sqlite3 a.db "SELECT last_id FROM audit_head")
head_hash=$(sqlite3 a.db "SELECT last_hash FROM audit_head")
expect_eq "the anchor names the head" "entry $head_id sha256 $head_hash" "$(echo "$first" | cut -d' ' -f3-6)"
$LIAISON --as reyes note "$ref" --text "second call, spoke to the person" >/dev/null
$LIAISON --as reyes status "$ref" waiting >/dev/null
printf '# anchors of the test, kept elsewhere\n\n' >>anchors.txt
$LIAISON audit anchor >>anchors.txt
expect_eq "anchor lines" 2 "$(grep -c '^audit-anchor' anchors.txt)"
$LIAISON --as reyes note "$ref" --text "a third note after the last anchor" >/dev/null

expect admin 0 audit verify --anchor anchors.txt
grep -q "anchors: 2 of anchors.txt" out.txt || fail "anchors not counted: $(cat out.txt)"
expect reyes 1 audit verify --anchor anchors.txt
expect reyes 1 audit anchor
expect admin 2 audit verify --anchor missing.txt
printf 'audit-anchor 2026-12-06T10:00:00Z entry 2 sha256 nothex\n' >bad.txt
expect admin 2 audit verify --anchor bad.txt
grep -q "bad.txt: line 1 is not an anchor" err.txt || fail "bad line not named: $(cat err.txt)"
printf '# nothing\n' >empty.txt
expect admin 2 audit verify --anchor empty.txt

# an anchor whose hash is not the entry's
sed '1s/sha256 ./sha256 0/' anchors.txt >wrong.txt
cmp -s wrong.txt anchors.txt && sed -i '1s/sha256 0/sha256 1/' wrong.txt
expect_code "a wrong anchor" 1 sh -c "$LIAISON audit verify --anchor wrong.txt >out.txt"
grep -q "differs from the anchor of .* (line 1)" out.txt || fail "$(cat out.txt)"

# --mail: to anchor_notify through the outbox, in the trail
expect admin 2 audit anchor --mail
grep -q "anchor_notify is not set" err.txt || fail "$(cat err.txt)"
sed -i 's|^timezone = America/New_York$|&\nanchor_notify = records-anchors@ct.gov|' a.conf
$LIAISON audit anchor --mail >mailed.txt 2>mailed.err
grep -q "queued to records-anchors@ct.gov" mailed.err || fail "$(cat mailed.err)"
$LIAISON outbox --json >outbox.json
expect_eq "the anchor in the outbox" "notice records-anchors@ct.gov queued" \
	"$(json '" ".join([[o["kind"], o["recipient"], o["status"]] for o in d if o["recipient"] == "records-anchors@ct.gov"][0])' outbox.json)"
id=$(json '[o["id"] for o in d if o["recipient"] == "records-anchors@ct.gov"][0]' outbox.json)
$LIAISON outbox show "$id" >shown.txt
# the body as a mail client shows it (quoted-printable decoded)
sed 1d shown.txt | $PY -c 'import email, sys; print(email.message_from_binary_file(sys.stdin.buffer).get_payload(decode=True).decode())' >body.txt
grep -qxF "$(cat mailed.txt)" body.txt || fail "the queued anchor does not hold the line printed: $(cat body.txt)"
echo "ok: the mailed anchor is the line printed"
expect_eq "the mailing is in the trail" 1 "$(sqlite3 a.db "SELECT count(*) FROM audit WHERE action = 'audit-anchor' AND object = 'records-anchors@ct.gov'")"
cat mailed.txt >>anchors.txt
expect admin 0 audit verify --anchor anchors.txt

# The whole chain rewritten consistently: whom the thread was assigned to changed, every hash after it
# recomputed (liaison's netstring hash, audit.c), the head moved along.
cp a.db before-rewrite.db
$PY - a.db <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DROP TRIGGER audit_no_update; DROP TRIGGER audit_head_guard;")
db.execute("UPDATE audit SET details = replace(details, 'to reyes', 'to walsh') WHERE action = 'assign'")
prev = "0" * 64
for (i, at, user, action, obj, details) in db.execute("SELECT id, at, user, action, object, details FROM audit ORDER BY id").fetchall():
    h = hashlib.sha256()
    for f in (str(at), prev, user, action, obj, details):
        b = f.encode()
        h.update(b"%d:" % len(b) + b + b",")
    db.execute("UPDATE audit SET prev_hash = ?1, hash = ?2 WHERE id = ?3", (prev, h.hexdigest(), i))
    prev = h.hexdigest()
db.execute("UPDATE audit_head SET last_hash = ?1", (prev,))
db.commit()
PY
expect_eq "the rewrite took" 1 "$(sqlite3 a.db "SELECT count(*) FROM audit WHERE details LIKE 'to walsh%'")"
expect admin 0 audit verify
grep -q "audit trail intact" out.txt || fail "plain verify should pass the consistent rewrite"
expect_code "verify --anchor" 1 sh -c "$LIAISON audit verify --anchor anchors.txt >out.txt"
grep -q "BROKEN" out.txt && grep -q "the trail was rewritten since" out.txt || fail "$(cat out.txt)"
echo "ok: caught: $(cat out.txt)"

# The trail cut back past the newest anchor (entries deleted from the end, head moved back).
cp before-rewrite.db a.db
rm -f a.db-wal a.db-shm
last=$(tail -1 anchors.txt | cut -d' ' -f4)
$PY - a.db "$last" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
keep = int(sys.argv[2]) - 1
db.executescript("DROP TRIGGER audit_no_delete; DROP TRIGGER audit_head_guard;")
db.execute("DELETE FROM audit WHERE id > ?", (keep,))
db.execute("UPDATE audit_head SET last_id = ?1, last_hash = (SELECT hash FROM audit WHERE id = ?1)", (keep,))
db.commit()
PY
expect admin 0 audit verify
expect_code "verify --anchor" 1 sh -c "$LIAISON audit verify --anchor anchors.txt >out.txt"
grep -q "is no longer in the trail" out.txt || fail "$(cat out.txt)"
echo "ok: caught: $(cat out.txt)"
