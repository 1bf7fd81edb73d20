# Disposal under the records schedule: off unless configured, records staff only, never what
# a hold or an open request keeps, tombstones left behind, the words gone from the search
# index; liaison verify re-hashes every message and checks the audit chain.
# duration: 11 s
. "$TOP/tests/integration/lib.sh"
have_corpus_gen || fail "corpus generator $CORPUS_GEN not found"
cd "$TMPDIR"
$PY "$CORPUS_GEN" --count 300 --seed 91 --troops K --out corpus 2>/dev/null
write_config f.conf "$TMPDIR/f.db"
export LIAISON_CONFIG=$TMPDIR/f.conf
$LIAISON init >/dev/null
$LIAISON import --mailbox K corpus >/dev/null

$LIAISON --as records retention due --json >due.json
due=$(json 'len(d)' due.json)
[ "$due" -ge 3 ] || fail "only $due threads due: the corpus proves nothing"
echo "ok: $due threads due"

expect_code "disposal is off by default" 1 $LIAISON --as records retention dispose --approval RC-2026-001
sed -i 's/^timezone = America\/New_York$/&\nallow_disposal = yes/' f.conf
expect_code "the coordinator may not dispose" 1 $LIAISON --as coordinator retention dispose --approval RC-2026-001
expect_code "a liaison may not dispose" 1 $LIAISON --as reyes retention dispose --approval RC-2026-001
expect_code "an approval is required" 2 $LIAISON --as records retention dispose

# One due thread under a litigation hold, one in a request that is then closed (no longer
# holding), one in an open request.
held=$(json 'd[0]["thread"]' due.json)
closed=$(json 'd[1]["thread"]' due.json)
open_req=$(json 'd[2]["thread"]' due.json)
$LIAISON --as records hold add keep-this --reason "preservation letter" --thread "$held" >/dev/null
r1=$($LIAISON --as records foia new --requester A --received 2026-11-02 --description x)
$LIAISON --as records foia add "$r1" --thread "$closed" >/dev/null
$LIAISON --as records foia close "$r1" >/dev/null
r2=$($LIAISON --as records foia new --requester B --received 2026-11-02 --description y)
$LIAISON --as records foia add "$r2" --thread "$open_req" >/dev/null
expect_eq "held threads are not due" $((due - 2)) "$($LIAISON --as records retention due --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')"

# What must go: every message filed only in the due threads.
$LIAISON --as records retention due --json >due2.json
want=$($PY - due2.json f.db <<'PY'
import json, sqlite3, sys
due = {t["thread"] for t in json.load(open(sys.argv[1]))}
con = sqlite3.connect(sys.argv[2])
rows = con.execute("SELECT p.message_id, t.ref FROM placements p JOIN threads t ON t.id = p.thread_id").fetchall()
by_msg = {}
for m, ref in rows:
    by_msg.setdefault(m, set()).add(ref)
print(sum(1 for refs in by_msg.values() if refs <= due))
PY
)
keep_sha=$(sqlite3 f.db "SELECT m.sha256 FROM messages m JOIN placements p ON p.message_id = m.id JOIN threads t ON t.id = p.thread_id WHERE t.ref = '$held' LIMIT 1")
gone_sha=$(sqlite3 f.db "SELECT m.sha256 FROM messages m JOIN placements p ON p.message_id = m.id JOIN threads t ON t.id = p.thread_id WHERE t.ref = '$closed' LIMIT 1")
# a word of the message to be disposed of (its subject's, else its text's) to search for
gone_word=$(sqlite3 f.db "SELECT subject || ' ' || body FROM messages WHERE sha256 = '$gone_sha'" | tr -cs 'A-Za-z' '\n' | awk 'length > 5' | head -n 1)
gone_mid=$(sqlite3 f.db "SELECT message_id FROM messages WHERE sha256 = '$gone_sha'")
[ -n "$gone_word" ] && [ -n "$gone_mid" ] || fail "the message to be disposed of has no word of 6 letters or no Message-ID"
$LIAISON --as records search --thread "$closed" --json | $PY -c 'import json,sys; sys.exit(0 if json.load(sys.stdin) else 1)' || fail "the thread is not searchable before disposal"
# hits: whether a search for WORD finds the message with Message-ID MID (search --json has
# no SHA-256; a grep for one could never match)
hits() {
	$LIAISON --as records search "$1" --json >hits.json || fail "search $1"
	json "any(h['message_id'] == '$2' for h in d)" hits.json
}
expect_eq "found by its word '$gone_word' before disposal" True "$(hits "$gone_word" "$gone_mid")"

$LIAISON --as records retention dispose --approval "RC-2026-001" >dispose.txt || fail "dispose"
cat dispose.txt
grep -q "disposed of $want messages of $((due - 2)) threads under approval RC-2026-001" dispose.txt || fail "expected $want messages disposed"
expect_eq "tombstones" "$want" "$(sqlite3 f.db 'SELECT count(*) FROM tombstones')"
expect_eq "their bytes are gone" 0 "$(sqlite3 f.db 'SELECT count(*) FROM message_raw WHERE message_id IN (SELECT message_id FROM tombstones)')"
expect_eq "their text is gone" 0 "$(sqlite3 f.db "SELECT count(*) FROM messages WHERE id IN (SELECT message_id FROM tombstones) AND (body != '' OR subject != '' OR from_text != '')")"
expect_eq "the tombstone keeps hash, custodian, approval, who" "$gone_sha|K|RC-2026-001|records" \
	"$(sqlite3 f.db "SELECT m.sha256, t.custodians, d.approval, d.disposed_by FROM tombstones t JOIN messages m ON m.id = t.message_id JOIN disposals d ON d.id = t.disposal_id WHERE m.sha256 = '$gone_sha'")"
expect_eq "the search index forgot the thread" 0 "$($LIAISON --as records search --thread "$closed" --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')"
expect_eq "a disposed message is no longer found by its words" False "$(hits "$gone_word" "$gone_mid")"
set +e
$LIAISON --as records raw "$gone_sha" >/dev/null 2>raw.err; rc=$?
set -e
expect_eq "a disposed message has no bytes to give" 1 "$rc"
grep -q "disposed of on .* under approval RC-2026-001 by records" raw.err || { cat raw.err; fail "raw does not say when and why it was disposed of"; }
$LIAISON --as records raw "$keep_sha" >/dev/null || fail "a held message was disposed of"
sqlite3 f.db "SELECT count(*) FROM message_raw r JOIN messages m ON m.id = r.message_id JOIN placements p ON p.message_id = m.id JOIN threads t ON t.id = p.thread_id WHERE t.ref = '$open_req'" | grep -qv '^0$' || fail "a message of an open request was disposed of"
expect_eq "nothing more is due" 0 "$($LIAISON --as records retention due --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')"
$LIAISON --as records audit --json | grep -q '"retention-dispose"' || fail "disposal not audited"
$LIAISON --as records verify >verify.txt || { cat verify.txt; fail "verify after disposal"; }
grep -q "^search index: holds exactly the messages' words" verify.txt || { cat verify.txt; fail "the search index disagrees with the table (strict check)"; }
expect_eq "an emptied thread keeps no correspondent, subject or participants" "||0" \
	"$(sqlite3 f.db "SELECT t.correspondent, t.subject, (SELECT count(*) FROM thread_participants tp WHERE tp.thread_id = t.id) FROM threads t WHERE t.ref = '$closed'")"

# A closed request's production after disposal: the disposed message is in the log only.
$LIAISON --as records foia export "$r1" --out p1 >/dev/null || fail "export after disposal"
grep -q "$gone_sha.*not produced: disposed" p1/withholding-log.csv || { cat p1/withholding-log.csv; fail "disposed message not logged"; }

# The same bytes arriving again (a mailbox enrolled later) are a record again.
mkdir again
src=$(grep -l "$(sqlite3 f.db "SELECT message_id FROM messages WHERE sha256 = '$gone_sha'")" corpus/cur/* | head -n 1)
cp "$src" again/
$LIAISON import --mailbox L again >/dev/null
$LIAISON --as records raw "$gone_sha" >/dev/null || fail "a disposed message that arrived again has no bytes"
expect_eq "found again" 1 "$($LIAISON --as records search --mailbox L --json | $PY -c 'import json,sys; print(len([h for h in json.load(sys.stdin)]))')"
expect_eq "its tombstone stays as history" 1 "$(sqlite3 f.db "SELECT count(*) FROM tombstones t JOIN messages m ON m.id = t.message_id WHERE m.sha256 = '$gone_sha' AND t.revived_at IS NOT NULL")"
$LIAISON --as records verify >verify.txt || { cat verify.txt; fail "verify after revival"; }
grep -q "^search index: holds exactly the messages' words" verify.txt || { cat verify.txt; fail "the index no longer agrees"; }
want=$((want - 1))

# verify: every message re-hashed, the chain walked; a changed byte or entry fails.
$LIAISON --as records verify >verify.txt || { cat verify.txt; fail "verify"; }
cat verify.txt
stored=$(sqlite3 f.db 'SELECT count(*) FROM message_raw')
grep -q "messages: $stored re-hashed, 0 mismatched, $want disposed of" verify.txt || fail "verify did not re-hash every message"
expect_code "a liaison may not verify" 1 $LIAISON --as reyes verify
sqlite3 f.db "UPDATE message_raw SET raw = CAST(raw || 'x' AS BLOB) WHERE message_id = (SELECT id FROM messages WHERE sha256 = '$keep_sha')"
set +e
$LIAISON --as records verify >bad.txt; rc=$?
set -e
expect_eq "a changed message fails verify" 1 "$rc"
grep -q "MISMATCH $keep_sha" bad.txt || { cat bad.txt; fail "the changed message is not named"; }
sqlite3 f.db "UPDATE message_raw SET raw = CAST(substr(raw, 1, length(raw) - 1) AS BLOB) WHERE message_id = (SELECT id FROM messages WHERE sha256 = '$keep_sha')"
$LIAISON --as records verify >/dev/null || fail "verify after the repair"
sqlite3 f.db "CREATE TABLE saved AS SELECT * FROM message_raw WHERE message_id = (SELECT id FROM messages WHERE sha256 = '$keep_sha'); DELETE FROM message_raw WHERE message_id IN (SELECT message_id FROM saved)"
set +e
$LIAISON --as records verify >missing.txt; rc=$?
set -e
expect_eq "a message with no bytes fails verify" 1 "$rc"
grep -q "MISMATCH $keep_sha (Message-ID <.*>): no bytes stored" missing.txt || { cat missing.txt; fail "the missing bytes are not named"; }
sqlite3 f.db "INSERT INTO message_raw SELECT * FROM saved; DROP TABLE saved"
$LIAISON --as records verify >/dev/null || fail "verify after putting the bytes back"
sqlite3 f.db "DROP TRIGGER IF EXISTS audit_no_update; UPDATE audit SET details = 'nothing happened' WHERE action = 'retention-dispose'" 2>/dev/null
set +e
$LIAISON --as records verify >broken.txt; rc=$?
set -e
expect_eq "a changed audit entry fails verify" 1 "$rc"
grep -q "audit trail: BROKEN" broken.txt || { cat broken.txt; fail "the broken chain is not reported"; }
echo "ok: $(grep BROKEN broken.txt)"
