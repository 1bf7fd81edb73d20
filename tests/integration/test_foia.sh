# Public-records requests: the legal clock (4 business days, Connecticut holidays), the
# frozen responsive set, removal, holds, who may do what, and the audit.
. "$TOP/tests/integration/lib.sh"
have_corpus_gen || fail "corpus generator $CORPUS_GEN not found"
cd "$TMPDIR"
# The mail of the last 300 days, whatever today is: retention is counted from today.
start=$(date -u -d '-300 days' +%Y-%m-%d)
$PY "$CORPUS_GEN" --count 300 --seed 71 --troops K --start "$start" --out corpus 2>/dev/null
write_config f.conf "$TMPDIR/f.db"
export LIAISON_CONFIG=$TMPDIR/f.conf
$LIAISON init >/dev/null
$LIAISON import --mailbox K corpus >/dev/null
# One message of our own in the set, holding what the redactions below hide (a redaction
# that matches nothing is refused).
mkdir own
cat >own/route9.eml <<EOF
From: Dana Whitcombe <dana.w@example.org>
To: troopkctl@ct.gov
Subject: The traffic stop on Route 9
Date: $(date -u -d '-10 days' -R)
Message-ID: <route9.1@example.org>

About the traffic stop on Route 9 last week: call me at 860-555-0123.
EOF
$LIAISON import --mailbox K own >/dev/null

# The clock: received Wednesday before Thanksgiving 2026 -> due Wednesday 2026-12-02.
req=$($LIAISON --as records foia new --requester "Hartford Courant" --received 2026-11-25 \
	--description "All CTL mail about traffic stops" --contact news@courant.example)
expect_eq "request number" FOIA-2026-0001 "$req"
expect_eq "due 4 business days later, Thanksgiving excluded" 2026-12-02 "$($LIAISON --as records foia show "$req" --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["due"])')"
old=$($LIAISON --as records foia new --requester "A resident" --received 2026-01-05 --description "My own emails")
expect_eq "second number" FOIA-2026-0002 "$old"
# Overdue is judged against today (the configured zone's date), whatever day the suite runs
# on: a request received today never is, one due before today always is.
today=$(TZ=America/New_York date +%Y-%m-%d)
fresh=$($LIAISON --as records foia new --requester "A neighbour" --received "$today" --description "Today's request")
expect_eq "numbered in the year it was received" "FOIA-${today%%-*}-" "$(echo "$fresh" | cut -c1-10)"
overdue="$old"
[ "$today" \> 2026-12-02 ] && overdue="$overdue $req"
expect_eq "exactly the requests due before today are overdue" "$(echo $overdue | tr ' ' '\n' | sort | tr '\n' ' ')" \
	"$($LIAISON --as coordinator foia list --overdue --json | $PY -c 'import json,sys; print(" ".join(sorted(r["ref"] for r in json.load(sys.stdin))), end=" ")')"
$LIAISON --as coordinator foia list --open --json >open.json
expect_eq "today's request is open with 4 business days left" 4 "$(json '[r for r in d if r["ref"] == "'"$fresh"'"][0]["business_days_left"]' open.json)"

# The responsive set: what the filters find now, frozen.
want=$($LIAISON --as records search '"traffic stop"' --json | $PY -c 'import json,sys; print(len({h["message_id"] for h in json.load(sys.stdin)}))')
[ "$want" -gt 0 ] || fail "the corpus has no traffic-stop mail"
$LIAISON --as records foia add "$req" '"traffic stop"' >/dev/null || fail "foia add"
expect_eq "responsive set" "$want" "$($LIAISON --as records foia show "$req" --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')"
$LIAISON --as records foia add "$req" '"traffic stop"' >add2.txt
grep -q ": 0 messages added" add2.txt || { cat add2.txt; fail "adding again added something"; }
$PY "$CORPUS_GEN" --count 300 --seed 72 --troops K --start "$start" --out later 2>/dev/null
$LIAISON import --mailbox K later >/dev/null
now=$($LIAISON --as records search '"traffic stop"' --json | $PY -c 'import json,sys; print(len({h["message_id"] for h in json.load(sys.stdin)}))')
[ "$now" -gt "$want" ] || fail "the later mail has no traffic-stop message: the next check would prove nothing"
expect_eq "later mail does not join the set" "$want" "$($LIAISON --as records foia show "$req" --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')"
sha=$($LIAISON --as records foia show "$req" --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["sha256"])')
$LIAISON --as records foia remove "$req" "$sha" || fail "foia remove"
expect_eq "removed" $((want - 1)) "$($LIAISON --as records foia show "$req" --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')"
expect_eq "the set is held while the request is open" $((want - 1)) "$(sqlite3 f.db "SELECT count(*) FROM foia_items i JOIN foia_requests r ON r.id = i.request_id WHERE r.status = 'open'")"

# Review: suggestions by category, withholding and redaction with exemptions.
first=$($LIAISON --as records foia show "$req" --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["sha256"])')
second=$(sqlite3 f.db "SELECT sha256 FROM messages WHERE message_id = 'route9.1@example.org'")
[ "$second" != "$first" ] || fail "our own message came first: the checks below would mix it up"
thread=$($LIAISON --as admin messages --json | $PY -c 'import json,sys; print([m["thread"] for m in json.load(sys.stdin) if m["sha256"] == sys.argv[1]][0])' "$first")
$LIAISON --as admin category "$thread" sexual-assault >/dev/null
$LIAISON --as records foia review "$req" --json >review.json
json '[r["hint"] for r in d if r["sha256"] == "'"$first"'"][0]' review.json | grep -q "1-210(b)(3)(G)" || { cat review.json; fail "no exemption suggested"; }
echo "ok: review suggests $(json '[r["hint"] for r in d][0]' review.json)"
$LIAISON --as records foia withhold "$req" "$first" --exemption "1-210(b)(3)(G)" --reason "identity of a sexual-assault victim" || fail "withhold"
$LIAISON --as records foia redact "$req" "$second" --preset phone --exemption "1-210(b)(2)" --reason "personal phone number" || fail "redact preset"
$LIAISON --as records foia redact "$req" "$second" --text "Route 9" --exemption "1-210(b)(3)(A)" || fail "redact text"
expect_eq "recorded" "1 2" "$(sqlite3 f.db 'SELECT (SELECT count(*) FROM foia_withholdings), (SELECT count(*) FROM foia_redactions)' | tr '|' ' ')"
set +e
$LIAISON --as records foia redact "$req" "$second" --pattern "(unclosed" --exemption x 2>pat.err; p1=$?
$LIAISON --as records foia redact "$req" "$second" --text a --preset phone --exemption x 2>/dev/null; p2=$?
$LIAISON --as records foia withhold "$req" "$sha" --exemption x --reason y 2>notin.err; p3=$?
$LIAISON --as coordinator foia withhold "$req" "$second" --exemption x --reason y 2>/dev/null; p4=$?
set -e
expect_eq "a pattern that does not compile" 2 "$p1"
grep -q "does not compile at offset" pat.err || fail "the pattern error is not explained"
expect_eq "one kind of redaction at a time" 2 "$p2"
expect_eq "a message not in the set" 2 "$p3"
expect_eq "the coordinator may not decide" 1 "$p4"
$LIAISON --as records audit --json | grep -q "Route 9" && fail "the redacted words are in the audit trail"
echo "ok: the redacted words are nowhere in the audit trail"

# Litigation holds.
$LIAISON --as records hold add smith-v-state --reason "Smith v. State, preservation letter" --from "$(sqlite3 f.db 'SELECT from_addr FROM messages WHERE from_addr != "troopkctl@ct.gov" LIMIT 1')" >hold.txt || fail "hold add"
grep -q "placed on hold" hold.txt || fail "no hold placed"
$LIAISON --as coordinator hold list | grep -q smith-v-state || fail "hold not listed"
$LIAISON --as records hold release smith-v-state >/dev/null || fail "hold release"
expect_eq "released" 0 "$(sqlite3 f.db "SELECT count(*) FROM holds WHERE released_at IS NULL")"

# Who may do what.
set +e
$LIAISON --as reyes foia list 2>r1.err; r1=$?
$LIAISON --as coordinator foia add "$req" trooper 2>r2.err; r2=$?
$LIAISON --as records foia new --requester x --received 2026-02-30 --description y 2>r3.err; r3=$?
set -e
expect_eq "a liaison may not see requests" 1 "$r1"
expect_eq "the coordinator may not change them" 1 "$r2"
expect_eq "a date that does not exist" 2 "$r3"

# Retention: machine mail (transitory, 90 days) older than that is due; with a 30-day
# correspondence period, conversations too, except those holding a message of the open
# request's set.
$LIAISON --as records retention due --json >due.json
want_due=$($PY - corpus later <<'PY'
import json, os, sys, time
cut = time.time() - 90 * 86400
n = 0
for d in sys.argv[1:]:
    for line in open(os.path.join(d, "labels.jsonl")):
        l = json.loads(line)
        n += l["kind"].startswith("machine") and l["date"] < cut
print(n)
PY
)
expect_eq "transitory threads due" "$want_due" "$(json 'sum(1 for t in d if t["series"] == "transitory")' due.json)"
expect_eq "nothing else due yet" 0 "$(json 'sum(1 for t in d if t["series"] != "transitory")' due.json)"
sed -i 's/^timezone = America\/New_York$/timezone = America\/New_York\nretention_correspondence = 30d/' f.conf
$LIAISON --as records retention due --json >due30.json
held=$($LIAISON --as records foia show "$req" --json | $PY -c 'import json,sys; print(" ".join(i["sha256"] for i in json.load(sys.stdin)["items"]))')
$LIAISON --as admin messages --json >all.json
$PY - due30.json all.json "$held" <<'PY' || fail "a thread holding a message of an open request is due"
import json, sys
due = {t["thread"] for t in json.load(open(sys.argv[1]))}
held = set(sys.argv[3].split())
held_threads = {m["thread"] for m in json.load(open(sys.argv[2])) if m["sha256"] in held}
print("due", len(due), "held threads", len(held_threads), "overlap", len(due & held_threads))
sys.exit(1 if (due & held_threads) or not due else 0)
PY
echo "ok: held threads are never due"

$LIAISON --as records foia close "$req" >/dev/null || fail "close"
set +e
$LIAISON --as records foia add "$req" trooper 2>closed.err; rc=$?
set -e
expect_eq "a closed request's set is final" 2 "$rc"
expect_eq "audited" "foia-new foia-new foia-new foia-add foia-add foia-remove foia-withhold foia-redact foia-redact hold-add hold-release foia-close" \
	"$($LIAISON --as records audit --json | $PY -c 'import json,sys; print(" ".join(a["action"] for a in json.load(sys.stdin) if a["action"].startswith(("foia", "hold"))))')"
expect_code "the chain holds" 0 $LIAISON --as records audit verify
