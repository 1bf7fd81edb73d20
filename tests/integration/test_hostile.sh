# Hostile messages: each imports without a crash, the right ones quarantined (kept raw, with
# a reason; exit 1 says so), the rest filed (exit 0); the run goes on after each.  The small
# ones also run under valgrind: no invalid access, nothing definitely lost.  Crashes the
# fuzzer ever found (tests/fixtures/fuzz/) are replayed.
# duration: 20 s
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
$PY "$TOP/tests/fixtures/hostile/make-hostile.py" --big hostile >/dev/null
write_config h.conf "$TMPDIR/h.db"
export LIAISON_CONFIG=$TMPDIR/h.conf
$LIAISON init >/dev/null
# Under make asan a sanitizer error also exits 1, like a quarantined message: its report tells.
sanitizer_report() { grep -q 'Sanitizer\|runtime error' "$1"; }
quarantined=0
checked=0
made=$(ls hostile | wc -l)
while read -r name want; do
	checked=$((checked + 1))
	[ -f "hostile/$name" ] || fail "fixture $name was not made"
	set +e
	$LIAISON import --mailbox K --json "hostile/$name" >"$name.json" 2>"$name.err"
	rc=$?
	set -e
	! sanitizer_report "$name.err" || { cat "$name.err"; fail "$name: sanitizer report"; }
	got=filed
	[ "$(json 'd["quarantined"]' "$name.json")" = 1 ] && got=quarantined
	want_rc=0
	[ "$want" = quarantined ] && want_rc=1
	[ "$rc" -eq "$want_rc" ] || { cat "$name.err"; fail "$name: import exit $rc, not $want_rc"; }
	[ "$(json 'd["imported"] + d["quarantined"]' "$name.json")" = 1 ] || fail "$name: not stored"
	expect_eq "$name" "$want" "$got"
	[ "$want" = quarantined ] && quarantined=$((quarantined + 1))
	sha=$(sha256sum <"hostile/$name" | cut -d' ' -f1)
	$LIAISON raw "$sha" | cmp - "hostile/$name" || fail "$name: stored bytes differ"
done <"$TOP/tests/fixtures/hostile/expected.txt"
# every fixture made has its expectation, and was checked
[ "$checked" -gt 0 ] || fail "no hostile fixture checked"
expect_eq "fixtures checked (every one make-hostile.py made)" "$made" "$checked"
$LIAISON messages --quarantined --json >q.json
expect_eq "listed as quarantined" "$quarantined" "$(json 'len(d)' q.json)"
json 'all(m["quarantine_reason"] for m in d)' q.json | grep -qx True || fail "a quarantined message has no reason"
echo "ok: reasons: $(json '[m["quarantine_reason"] for m in d]' q.json)"

# The small fixtures again, all in one run, under valgrind.
rm hostile/attachment-50mb.eml
write_config v.conf "$TMPDIR/v.db"
$LIAISON -c v.conf init >/dev/null
# (make asan runs this test with a sanitized binary, which checks the same without valgrind.)
check=""
[ -n "${LIAISON_SANITIZED:-}" ] || check="valgrind --quiet --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite --show-leak-kinds=definite --log-file=valgrind.log"
: >valgrind.log
set +e
$check $LIAISON -c v.conf import --mailbox K --json hostile >v.json 2>v.err
rc=$?
set -e
[ "$rc" -ne 99 ] || { cat valgrind.log; fail "valgrind found errors"; }
[ ! -s valgrind.log ] || { cat valgrind.log; fail "valgrind reported problems"; }
! sanitizer_report v.err || { cat v.err; fail "sanitizer report"; }
# some of them are quarantined: exit 1
expect_eq "valgrind run exit" 1 "$rc"
expect_eq "valgrind run stored everything" "$(ls hostile | wc -l)" "$(json 'd["imported"] + d["quarantined"]' v.json)"

# Every crash the fuzzer ever found is replayed: imported without a crash, and stored.
n=0
for f in "$TOP"/tests/fixtures/fuzz/*; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	cp "$f" "fuzz-$n.eml"
	set +e
	$LIAISON import --mailbox K --json "fuzz-$n.eml" >"fuzz-$n.json" 2>"fuzz-$n.err"
	rc=$?
	set -e
	! sanitizer_report "fuzz-$n.err" || { cat "fuzz-$n.err"; fail "fuzz fixture $f: sanitizer report"; }
	# exit 1 only for a quarantined message
	[ "$rc" -eq "$(json 'd["quarantined"]' "fuzz-$n.json")" ] || fail "fuzz fixture $f: exit $rc"
	[ "$(json 'd["imported"] + d["quarantined"] + d["duplicate"]' "fuzz-$n.json")" = 1 ] ||
		fail "fuzz fixture $f: not stored"
done
if [ "$n" -eq 0 ]; then
	echo "note: tests/fixtures/fuzz/ holds no crash yet: nothing to replay"
else
	echo "ok: $n fuzz fixtures replayed"
fi
