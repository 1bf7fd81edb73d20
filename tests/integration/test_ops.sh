# Working the threads: every role against every operation (allowed or refused, with the
# reason), confidential threads, closing a reportable thread, the thread's history, and the
# audit trail's hash chain against edits made behind liaison's back with the sqlite3 shell.
# duration: 17 s
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
write_config o.conf "$TMPDIR/o.db"
export LIAISON_CONFIG=$TMPDIR/o.conf
$LIAISON init >/dev/null
$PY "$TOP/tests/fixtures/autoreply/make-cases.py" cases
mkdir k l
cp cases/00-person.eml cases/01-no-return-path.eml k/
# The Spanish case discloses domestic violence, which routing flags confidential on import;
# this test sets and clears every flag itself, so its K3 asks about a meeting instead.
sed 's/^Mi esposo me pega y tengo miedo.*$/Quisiera saber la fecha de la próxima reunión del barrio./' \
	cases/22-spanish.eml >k/22-spanish.eml
grep -q "reunión del barrio" k/22-spanish.eml || fail "the Spanish case was not rewritten"
sed 's/TroopKCTL/TroopLCTL/' cases/21-urgent.eml >l/urgent.eml
$LIAISON import --mailbox K k >/dev/null
$LIAISON import --mailbox L l >/dev/null
refs=$($LIAISON --as admin threads --json | $PY -c 'import json,sys; print(" ".join(sorted(t["ref"] for t in json.load(sys.stdin))))')
set -- $refs
K1=$1 K2=$2 K3=$3 L1=$4
echo "threads: $refs"
expect_eq "no K thread flagged by routing" "0 0" "$(sqlite3 o.db "SELECT sum(confidential), sum(reportable) FROM threads WHERE ref LIKE 'K-%'" | tr '|' ' ')"


echo "== reading"
expect reyes 0 threads
expect bell 0 threads
expect reyes 0 show "$K1"
expect reyes 1 show "$L1"
expect bell 1 show "$K1"
expect coordinator 0 show "$L1"
expect records 0 show "$K1"
expect nobody 2 threads
LIAISON_USER= expect "" 2 threads
expect_eq "a liaison lists only its troops" 3 "$($LIAISON --as reyes threads --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')"
expect_eq "the coordinator lists all" 4 "$($LIAISON --as coordinator threads --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')"
sha=$($LIAISON --as admin messages --json | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["sha256"])')
expect reyes 1 raw "$sha"
expect records 0 raw "$sha"

echo "== operations: role x operation"
for op in "assign $K1 walsh" "take $K1 --force" "status $K1 open" "category $K1 suggestion" \
	"flag $K1 urgent" "flag $K1 urgent --off" "note $K1 --text called-back" "close $K2"; do
	for who in reyes coordinator admin; do
		# A closed thread must be opened again before it can be closed again.
		case "$op" in close*) $LIAISON --as admin status "$K2" open >/dev/null ;; esac
		# shellcheck disable=SC2086
		expect $who 0 $op
	done
	# shellcheck disable=SC2086
	expect records 1 $op
	# shellcheck disable=SC2086
	expect bell 1 $op
done
expect reyes 1 assign "$K3" bell          # bell does not work troop K
expect reyes 1 assign "$K3" records       # records staff work no threads
expect reyes 2 assign "$K3" nobody
expect reyes 2 status "$K3" closed        # closing is its own operation
expect reyes 2 flag "$K3" sparkly

echo "== confidential"
expect coordinator 0 flag "$K3" confidential
expect_eq "an unassigned liaison sees only that it is confidential" "$K3  confidential" "$($LIAISON --as reyes show "$K3")"
expect_eq "... and no subject in the list" confidential "$($LIAISON --as reyes threads --json | $PY -c 'import json,sys; print([t["subject"] for t in json.load(sys.stdin) if t["ref"] == sys.argv[1]][0])' "$K3")"
# An unassigned liaison may not take it, clear its flag, write to it or read its history.
expect walsh 1 take "$K3"
expect walsh 1 flag "$K3" confidential --off
expect walsh 1 note "$K3" --text x
expect walsh 1 history "$K3"
expect coordinator 0 assign "$K3" reyes
$LIAISON --as reyes show "$K3" | grep -q "Necesito ayuda" || fail "the assigned liaison does not see the thread"
expect_eq "every confidential read audited" 1 "$($LIAISON --as coordinator audit --json | $PY -c 'import json,sys; print(sum(1 for a in json.load(sys.stdin) if a["action"] == "read-confidential" and a["user"] == "reyes"))')"

echo "== closing a reportable thread"
expect coordinator 0 flag "$K3" reportable
expect reyes 2 close "$K3"
expect reyes 0 close "$K3" --rms CSP-2026-004411
expect_eq "RMS number recorded" CSP-2026-004411 "$($LIAISON --as coordinator threads --all --json | $PY -c 'import json,sys; print([t["rms_number"] for t in json.load(sys.stdin) if t["ref"] == sys.argv[1]][0])' "$K3")"
expect reyes 0 status "$K3" open
expect reyes 0 close "$K3" --not-reportable --reason "no disclosure of a crime"
$LIAISON --as reyes history "$K3" >history.txt
for want in "flag *confidential on" "assign *to reyes" "flag *reportable on" "close *closed; RMS CSP-2026-004411" "close *closed; not reportable: no disclosure"; do
	grep -q "$want" history.txt || { cat history.txt; fail "history lacks: $want"; }
done
echo "ok: the thread's history tells each step"

echo "== the audit trail"
expect reyes 1 audit
$LIAISON --as records audit verify || fail "a fresh trail does not verify"
# 24 operations of the matrix less 2 that changed nothing (assigning walsh a thread
# already his) and 3 reopenings before them, 7 on the confidential and reportable thread,
# 1 raw read, 1 read of the confidential history.
expect_eq "one audit entry per operation and read" 34 "$(sqlite3 o.db 'SELECT count(*) FROM audit')"
set +e
sqlite3 o.db "UPDATE audit SET details = 'x' WHERE id = 3" 2>upd.err
rc=$?
set -e
[ "$rc" -ne 0 ] && grep -q "accepts only inserts" upd.err || fail "the audit table accepted an UPDATE"
echo "ok: UPDATE refused: $(cat upd.err)"
cp o.db pristine.db
# Behind liaison's back: drop the guard, alter an entry.
sqlite3 o.db "DROP TRIGGER audit_no_update; UPDATE audit SET user = 'someone-else' WHERE id = 5"
set +e
$LIAISON --as records audit verify >verify.txt
rc=$?
set -e
cat verify.txt
expect_eq "an altered entry fails verification" 1 "$rc"
grep -q "entry 5 was altered" verify.txt || fail "the altered entry is not named"
# Removed.
cp pristine.db o.db
sqlite3 o.db "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = 7"
set +e
$LIAISON --as records audit verify >verify.txt
rc=$?
set -e
expect_eq "a removed entry fails verification" 1 "$rc"
grep -q "entry 8 does not follow" verify.txt || { cat verify.txt; fail "the gap is not named"; }
# Reordered (two entries swapped).
cp pristine.db o.db
sqlite3 o.db "DROP TRIGGER audit_no_update; UPDATE audit SET id = -10 WHERE id = 10; UPDATE audit SET id = 10 WHERE id = 11; UPDATE audit SET id = 11 WHERE id = -10"
set +e
$LIAISON --as records audit verify >verify.txt
rc=$?
set -e
expect_eq "reordered entries fail verification" 1 "$rc"
grep -q "entry 10 does not follow" verify.txt || { cat verify.txt; fail "the reordering is not named"; }
echo "ok: $(cat verify.txt)"
# Removed from the end: the chain is whole but no longer reaches its head.
cp pristine.db o.db
sqlite3 o.db "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)"
set +e
$LIAISON --as records audit verify >verify.txt
rc=$?
set -e
expect_eq "an entry removed from the end fails verification" 1 "$rc"
grep -q "removed from the end" verify.txt || { cat verify.txt; fail "the removal at the end is not named"; }
echo "ok: $(cat verify.txt)"
