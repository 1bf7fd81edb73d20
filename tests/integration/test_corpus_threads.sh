# A generated corpus of two troop mailboxes: every message stored once and byte for byte,
# threads as good as the ground truth demands, reruns import nothing twice.
. "$TOP/tests/integration/lib.sh"
have_corpus_gen || fail "corpus generator $CORPUS_GEN not found"
cd "$TMPDIR"
$PY "$CORPUS_GEN" --count 5000 --seed 5 --troops KL --out corpus 2>/dev/null
$PY "$TOP/tools/split-corpus.py" corpus boxes
write_config liaison.conf "$TMPDIR/liaison.db"
export LIAISON_CONFIG=$TMPDIR/liaison.conf
$LIAISON init >/dev/null

$LIAISON import --mailbox K --json boxes/K >k.json
$LIAISON import --mailbox L --json boxes/L >l.json
k=$(find boxes/K -type f | wc -l)
l=$(find boxes/L -type f | wc -l)
expect_eq "K imported" "$k" "$(json 'd["imported"]' k.json)"
expect_eq "L imported" "$l" "$(json 'd["imported"]' l.json)"
expect_eq "K quarantined" 0 "$(json 'd["quarantined"]' k.json)"

# Threading quality against labels.jsonl.
$LIAISON messages --mailbox K --json >mk.json
$LIAISON messages --mailbox L --json >ml.json
score=$($PY "$TOP/tools/thread-score.py" corpus/labels.jsonl liaison mk.json ml.json)
echo "threading: $score"
set -- $score
$PY -c "import sys; p,r=float(sys.argv[1]),float(sys.argv[2]); sys.exit(0 if p>=0.999 and r>=0.99 else 1)" "$2" "$4" \
	|| fail "threading precision $2 (>= 0.999) recall $4 (>= 0.99)"
expect_eq "messages scored" "$(wc -l <corpus/labels.jsonl)" "$6"

# Direction and person/machine against the labels.
$PY - corpus/labels.jsonl mk.json ml.json <<'PY' || fail "direction or person/machine disagrees with labels"
import json, sys
labels = {json.loads(l)["message_id"]: json.loads(l) for l in open(sys.argv[1])}
bad = 0
for path in sys.argv[2:]:
    for m in json.load(open(path)):
        lab = labels["<" + m["message_id"] + ">"]
        if m["direction"] != lab["direction"]:
            bad += 1; print("direction", m["message_id"], m["direction"], lab["direction"])
        if lab["direction"] == "in":
            want = "person" if lab["autoreply_eligible"] else "machine"
            if m["kind"] != want:
                bad += 1; print("kind", m["message_id"], m["kind"], m["kind_reason"], lab["kind"])
print("disagreements:", bad)
sys.exit(1 if bad else 0)
PY

# Byte for byte: the stored original of every message has the file's SHA-256.
$PY - corpus mk.json <<'PY' || fail "stored bytes differ from the files"
import hashlib, json, os, sys
labels = [json.loads(l) for l in open(os.path.join(sys.argv[1], "labels.jsonl"))]
stored = {m["sha256"] for m in json.load(open(sys.argv[2]))}
want = {hashlib.sha256(open(os.path.join(sys.argv[1], l["file"]), "rb").read()).hexdigest()
        for l in labels if l["troop"] == "K"}
missing = want - stored
print("K files", len(want), "stored", len(stored), "missing", len(missing))
sys.exit(1 if missing or len(stored) != len(want) else 0)
PY
one=$(find boxes/K/cur -type f | sort | head -n 1)
sha=$(sha256sum <"$one" | cut -d' ' -f1)
$LIAISON raw "$sha" >raw.eml
cmp "$one" raw.eml || fail "liaison raw is not the original bytes"
echo "ok: liaison raw gives the original bytes"
mid=$(json 'd[0]["message_id"]' mk.json)
$LIAISON raw "<$mid>" | sha256sum | cut -d' ' -f1 >mid.sha
expect_eq "raw by Message-ID" "$(json 'd[0]["sha256"]' mk.json)" "$(cat mid.sha)"

# A rerun reads nothing twice; the same bytes from another path are duplicates, counted.
$LIAISON import --mailbox K --json boxes/K >again.json
expect_eq "rerun imported" 0 "$(json 'd["imported"]' again.json)"
expect_eq "rerun already" "$k" "$(json 'd["already"]' again.json)"
cp "$one" copy.eml
$LIAISON import --mailbox K --json copy.eml >dup.json
expect_eq "duplicate counted" 1 "$(json 'd["duplicate"]' dup.json)"
# The same bytes in troop L's mailbox: stored once, in custody of both.
$LIAISON import --mailbox L --json copy.eml >cross.json
expect_eq "cross-mailbox imported" 1 "$(json 'd["imported"]' cross.json)"
$LIAISON stats --json >stats.json
expect_eq "total messages" $((k + l)) "$(json 'd["total"]["messages"]' stats.json)"
expect_eq "K duplicates" 1 "$(json 'd["mailboxes"]["K"]["duplicates"]' stats.json)"
expect_eq "L messages" $((l + 1)) "$(json 'd["mailboxes"]["L"]["messages"]' stats.json)"
expect_eq "arrivals" $((k + l + 2)) "$(json 'd["total"]["arrivals"]' stats.json)"

# The threads list and a thread's messages in order.
$LIAISON threads --mailbox K --json >threads.json
ref=$(json '[t["ref"] for t in d if t["message_count"] >= 3][0]' threads.json)
$LIAISON show "$ref" --json >show.json
expect_eq "show lists the thread's messages" "$(json "[t['message_count'] for t in d if t['ref']=='$ref'][0]" threads.json)" \
	"$(json 'len(d["messages"])' show.json)"
json 'all(d["messages"][i]["date"] <= d["messages"][i+1]["date"] for i in range(len(d["messages"])-1))' show.json | grep -qx True \
	|| fail "show: messages out of order"
echo "ok: show $ref in date order"
