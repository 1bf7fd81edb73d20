# The console while another process holds the database's write lock for minutes (a long
# report, a backup): a request that must write answers "busy, retry" (503 with Retry-After)
# within a few seconds instead of hanging, pages that only read keep working (WAL), and all is
# normal again once the lock is released.
# duration: 11 s
# It times the busy answer (a 3 s wait counted in 10 ms sleeps, at most 8 s): on a loaded
# machine each sleep overruns (6 s seen with every core busy), so it runs by itself.
# run-alone
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/lib_web.sh"
cd "$TMPDIR"
F=$TOP/tests/fixtures/workflow
write_config w.conf "$TMPDIR/w.db"
export LIAISON_CONFIG=$TMPDIR/w.conf
$LIAISON init >/dev/null
mkdir k
cp "$F/ann.eml" "$F/bob.eml" k/
$LIAISON import --mailbox K k >/dev/null
printf 'correct horse battery\n' | $LIAISON --as admin passwd reyes >/dev/null
printf 'walsh battery staple\n' | $LIAISON --as admin passwd walsh >/dev/null

LOCKER= WEB_PID=
trap 'touch release; kill $WEB_PID $LOCKER 2>/dev/null; wait $WEB_PID 2>/dev/null || true' EXIT
start_web web

expect_eq "walsh signs in before the lock" 303 "$(signin walsh 'walsh battery staple' walsh.jar)"
REF=$($LIAISON --as walsh threads --json | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["ref"])')
expect_eq "walsh's thread page" 200 "$(curl -s -o /dev/null -b walsh.jar -w '%{http_code}' "$BASE/t/$REF")"

# Another process takes the write lock and keeps it until told (at most a minute).
hold_lock "$TMPDIR/w.db"

# A sign-in must write a session: busy, retry — within the bound.
start=$(date +%s)
expect_eq "sign-in while locked" 503 "$(signin reyes 'correct horse battery' reyes.jar)"
took=$(( $(date +%s) - start ))
[ "$took" -le 8 ] || fail "the busy answer took ${took}s"
echo "ok: answered 503 in ${took}s"
grep -qi '^Retry-After: [0-9]' signin.h || { cat signin.h; fail "no Retry-After"; }
grep -q 'Busy' signin.b || { cat signin.b; fail "the page does not say busy"; }
grep -q 'database is locked by another process' web.err || { cat web.err; fail "the busy answer is not logged"; }

# A note must write: busy too; nothing is added.
page=$(curl -s -b walsh.jar "$BASE/t/$REF")
csrf=$(echo "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
[ -n "$csrf" ] || fail "no form token on the thread page (read while locked)"
echo "ok: the thread page reads while the lock is held"
start=$(date +%s)
code=$(curl -s -o note.b -D note.h -b walsh.jar -w '%{http_code}' --max-time 60 -H "Origin: $BASE" \
	--data-urlencode "csrf=$csrf" --data-urlencode "text=called back while locked" \
	"$BASE/t/$REF/note")
took=$(( $(date +%s) - start ))
expect_eq "a note while locked" 503 "$code"
[ "$took" -le 8 ] || fail "the note's busy answer took ${took}s"
grep -q 'href="/static/app.css"' note.b && grep -q 'send the form again' note.b && grep -q 'Back to the inbox' note.b ||
	{ cat note.b; fail "the busy page is not a console page that says what to do"; }

# The lock goes: everything works again.
release_lock
expect_eq "sign-in after the lock" 303 "$(signin reyes 'correct horse battery' reyes.jar)"
expect_eq "reyes's inbox" 200 "$(curl -s -o /dev/null -b reyes.jar -w '%{http_code}' "$BASE/")"
$LIAISON --as walsh history "$REF" >history.txt
! grep -q "called back while locked" history.txt || fail "the refused note was stored"
echo "test_web_locked: ok"
