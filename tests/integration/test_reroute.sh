# liaison reroute: mail filed under other rules (here, nearly none) is brought to exactly what
# the current rules give a fresh import; a dry run says so and writes nothing; a category or
# flag a person set is never removed or overridden; rules taken away take back only what
# rules had set; the coordinator and admins only, audited, in the threads' history.
# duration: 12 s
. "$TOP/tests/integration/lib.sh"
have_corpus_gen || fail "corpus generator $CORPUS_GEN not found"
cd "$TMPDIR"
$PY "$CORPUS_GEN" --count 500 --seed 17 --troops KL --out corpus 2>/dev/null

# keep_rules OUT RULE...: the shipped rules file with only the named rules (none: no rule).
keep_rules() {
	out=$1
	shift
	$PY - "$TOP/config/routes.conf" "$out" "$@" <<'PY'
import re, sys
src, out, keep = sys.argv[1], sys.argv[2], set(sys.argv[3:])
lines, name = [], None
for line in open(src):
    m = re.match(r"\[rule ([^\]]+)\]", line)
    if m:
        name = m.group(1)
    elif line.startswith("[model]"):
        name = "[model]"  # the routing model: these tests are of the rules
    if name is None or name in keep:
        lines.append(line)
open(out, "w").write("".join(lines))
PY
}
keep_rules few.conf recruiting
keep_rules most.conf $(sed -n 's/^\[rule \(.*\)\]$/\1/p' "$TOP/config/routes.conf" | grep -v '^hate-crime$')

# The reference: a fresh import under the shipped rules.
write_config ref.conf "$TMPDIR/ref.db"
LIAISON_CONFIG=$TMPDIR/ref.conf $LIAISON init >/dev/null
LIAISON_CONFIG=$TMPDIR/ref.conf $LIAISON import --mailbox K corpus >/dev/null

# The same mail imported under a single rule, then the rules change.
write_config r.conf "$TMPDIR/r.db"
sed -i "s|^routes = .*|routes = $TMPDIR/few.conf|" r.conf
export LIAISON_CONFIG=$TMPDIR/r.conf
$LIAISON init >/dev/null
$LIAISON import --mailbox K corpus >/dev/null
expect_eq "filed under one rule: no urgent thread" 0 "$(sqlite3 r.db "SELECT count(*) FROM threads WHERE priority = 'urgent'")"
sed -i "s|^routes = .*|routes = $TOP/config/routes.conf|" r.conf

routing() {
	sqlite3 -separator ' | ' "$1" "
	SELECT m.message_id, coalesce(p.categories, '-'), coalesce(p.rules, '-'), p.priority,
	       coalesce(t.category, '-'), t.priority, t.confidential, t.reportable,
	       (SELECT coalesce(group_concat(service, ','), '-') FROM
	          (SELECT service FROM thread_suggestions s WHERE s.thread_id = t.id ORDER BY service))
	FROM placements p JOIN messages m ON m.id = p.message_id JOIN threads t ON t.id = p.thread_id
	ORDER BY m.message_id"
}

# Who may.
expect_code "a liaison may not reroute" 1 $LIAISON --as reyes reroute
expect_code "records staff may not" 1 $LIAISON --as records reroute
expect_code "an unknown mailbox" 2 $LIAISON --as coordinator reroute --mailbox Q
expect_code "a date that is not one" 2 $LIAISON --as coordinator reroute --since 2026-02-30

# A dry run: says what would change, writes nothing.
routing r.db >before.txt
$LIAISON --as coordinator reroute --dry-run >dry.txt
tail -n 1 dry.txt
would=$(grep -c '^[KL]-[0-9]' dry.txt || true)
[ "$would" -gt 10 ] || fail "the dry run would change only $would threads"
grep -q "^dry run: .* $would would change, .*; nothing written$" dry.txt || fail "the dry run's summary"
routing r.db >after-dry.txt
cmp -s before.txt after-dry.txt || fail "the dry run wrote something"
expect_eq "no history written by the dry run" 0 "$(sqlite3 r.db "SELECT count(*) FROM thread_history WHERE action = 'reroute'")"

# A person's word stands: a category set on one thread, a flag cleared on another.
$LIAISON --as admin messages --json >m.json
urgent_ref=$(sqlite3 ref.db "SELECT ref FROM threads WHERE priority = 'urgent' ORDER BY id LIMIT 1")
urgent_mid=$(sqlite3 ref.db "SELECT m.message_id FROM placements p JOIN messages m ON m.id = p.message_id JOIN threads t ON t.id = p.thread_id WHERE t.ref = '$urgent_ref' AND p.direction = 'in' AND p.kind = 'person' LIMIT 1")
conf_ref=$(sqlite3 ref.db "SELECT ref FROM threads WHERE confidential AND priority != 'urgent' ORDER BY id LIMIT 1")
conf_mid=$(sqlite3 ref.db "SELECT m.message_id FROM placements p JOIN messages m ON m.id = p.message_id JOIN threads t ON t.id = p.thread_id WHERE t.ref = '$conf_ref' AND p.direction = 'in' AND p.kind = 'person' LIMIT 1")
[ -n "$urgent_mid" ] && [ -n "$conf_mid" ] || fail "the corpus has no urgent or no confidential thread"
thread_of() { sqlite3 r.db "SELECT t.ref FROM placements p JOIN messages m ON m.id = p.message_id JOIN threads t ON t.id = p.thread_id WHERE m.message_id = '$1'"; }
t_cat=$(thread_of "$urgent_mid")
t_flag=$(thread_of "$conf_mid")
$LIAISON --as admin category "$t_cat" services >/dev/null
$LIAISON --as admin flag "$t_cat" urgent --off >/dev/null
$LIAISON --as admin flag "$t_flag" confidential --off >/dev/null

$LIAISON --as coordinator reroute >run.txt
tail -n 1 run.txt
# What a person set is said on the thread's line, or on the line after its changes.
grep -A1 "^$t_cat " run.txt | grep -q "kept, as a person set it: category services -> .*; priority normal -> urgent" ||
	{ cat run.txt; fail "the kept category and priority are not said"; }
grep -A1 "^$t_flag " run.txt | grep -q "^  *kept, as a person set it: confidential on$" || fail "the kept flag is not said"
expect_eq "the person's category stands" "services normal" "$(sqlite3 r.db "SELECT category, priority FROM threads WHERE ref = '$t_cat'" | tr '|' ' ')"
expect_eq "the person's flag stands" 0 "$(sqlite3 r.db "SELECT confidential FROM threads WHERE ref = '$t_flag'")"

# Everything else is now exactly what a fresh import under these rules gives.
routing ref.db >want.txt
routing r.db >got.txt
$PY - want.txt got.txt r.db "$t_cat" "$t_flag" <<'PY' || fail "rerouted mail differs from a fresh import"
import sqlite3, sys
db = sqlite3.connect(sys.argv[3])
skip = set()
for ref in sys.argv[4:]:
    skip |= {r[0] for r in db.execute("SELECT m.message_id FROM placements p JOIN messages m ON m.id = p.message_id JOIN threads t ON t.id = p.thread_id WHERE t.ref = ?", (ref,))}
want = [l for l in open(sys.argv[1]) if l.split(" | ")[0] not in skip]
got = [l for l in open(sys.argv[2]) if l.split(" | ")[0] not in skip]
print("compared", len(want), "placements")
if want != got:
    for a, b in zip(want, got):
        if a != b:
            print("want", a, "got ", b)
            break
    sys.exit(1)
PY
echo "ok: rerouted threads equal a fresh import's"
changed=$(sed -n 's/.* examined, \([0-9]*\) changed,.*/\1/p' run.txt)
expect_eq "one line per changed thread" "$changed" "$(grep -c '^[KL]-[0-9][^ ]*  *[a-jl-z]' run.txt | tr -d ' ')"
expect_eq "one history entry per changed thread" "$changed" "$(sqlite3 r.db "SELECT count(*) FROM thread_history WHERE action = 'reroute'")"
expect_eq "audited: the dry run and the run" "reroute reroute" "$($LIAISON --as admin audit --json | $PY -c 'import json,sys; print(" ".join(a["action"] for a in json.load(sys.stdin) if a["action"] == "reroute"))')"

# Again: nothing left to change.
$LIAISON --as coordinator reroute >again.txt
grep -q ", 0 changed," again.txt || { cat again.txt; fail "a second run changed something"; }

# A rule taken away takes back what it had set, but not what a person set.
hate=$(sqlite3 r.db "SELECT ref FROM threads WHERE category = 'hate-crime' ORDER BY id")
set -- $hate
[ $# -ge 2 ] || fail "fewer than two hate-crime threads: nothing to prove"
mine=$1
$LIAISON --as admin category "$mine" hate-crime >/dev/null
sed -i "s|^routes = .*|routes = $TMPDIR/most.conf|" r.conf
$LIAISON --as coordinator reroute >less.txt
expect_eq "the person's hate-crime category stands" hate-crime "$(sqlite3 r.db "SELECT category FROM threads WHERE ref = '$mine'")"
shift
for ref in "$@"; do
	got=$(sqlite3 r.db "SELECT coalesce(category, 'none') FROM threads WHERE ref = '$ref'")
	[ "$got" != hate-crime ] || fail "$ref kept the category of a rule taken away"
	grep -q "^$ref .*category hate-crime -> " less.txt || fail "$ref's change is not said"
done
echo "ok: the rule's categories were taken back from $# threads"

# --mailbox and --since narrow what is examined.
$LIAISON --as coordinator reroute --mailbox L >l.txt
expect_eq "mailbox L has no mail" "0 threads examined" "$(tail -n 1 l.txt | cut -d, -f1)"
$LIAISON --as coordinator reroute --since 2099-01-01 --dry-run >future.txt
expect_eq "nothing since the future" "dry run: 0 threads examined" "$(tail -n 1 future.txt | cut -d, -f1)"
