# The command line against its reference: every command answers `liaison help CMD` and
# `CMD --help` with its usage (exit 0, without a configuration), a wrong option with exit 2
# and a reason, and the README names every command and every option its usage lists, so the
# two cannot drift apart.
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
export LIAISON_CONFIG=$TMPDIR/none.conf # help never reads it
commands=$($LIAISON help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ "$(echo "$commands" | wc -w)" -ge 30 ] || fail "liaison help lists too few commands: $commands"
for c in $commands; do
	$LIAISON help "$c" >help.out 2>help.err || { cat help.err; fail "help $c: exit $?"; }
	head -n 1 help.out | grep -q "^usage: liaison .* $c" || { cat help.out; fail "help $c: no usage line"; }
	[ ! -s help.err ] || { cat help.err; fail "help $c wrote to stderr"; }
	$LIAISON "$c" --help >dash.out 2>&1 || fail "$c --help: exit $?"
	cmp -s help.out dash.out || fail "$c --help differs from help $c"
	grep -q "liaison $c\b" "$TOP/README.md" || fail "README never shows liaison $c"
	for flag in $(grep -o -- '--[a-z][a-z-]*' help.out | sort -u); do
		grep -q -- "$flag" "$TOP/README.md" || fail "README lacks $c's option $flag"
	done
	set +e
	$LIAISON "$c" --no-such-option >bad.out 2>bad.err
	rc=$?
	set -e
	[ "$rc" -eq 2 ] || fail "$c --no-such-option: exit $rc, expected 2"
	grep -q "usage:" bad.err || fail "$c --no-such-option: no usage on stderr"
	grep -q -- "--no-such-option" bad.err || { cat bad.err; fail "$c: the error does not name the option"; }
done
echo "ok: $(echo "$commands" | wc -w) commands: help, --help, README, bad option"

# --as after the command, and a usage error that says what was wrong.
write_config c.conf "$TMPDIR/c.db"
export LIAISON_CONFIG=$TMPDIR/c.conf
$LIAISON init >/dev/null
$LIAISON threads --as reyes >/dev/null || fail "--as after the command"
$LIAISON threads --as=reyes >/dev/null || fail "--as=USER after the command"
set +e
$LIAISON --as reyes assign 2>err.txt
rc=$?
set -e
expect_eq "assign without arguments" 2 "$rc"
grep -q "arguments are missing" err.txt || { cat err.txt; fail "the usage error does not say what was wrong"; }
set +e
$LIAISON --as reyes show k-2026-99999 2>err.txt
rc=$?
set -e
expect_eq "no such thread (any case) is exit 2" 2 "$rc"
grep -q "no thread" err.txt || fail "not found not said"
echo "ok: --as anywhere, usage errors, not found"

# Every listing takes --json (digest and hold list refused it once); text listings start with
# a header row; references and mailbox names in any case.
$PY "$TOP/tests/fixtures/autoreply/make-cases.py" cases
mkdir k
cp cases/00-person.eml k/
$LIAISON import --mailbox k k >/dev/null || fail "import --mailbox k (lower case)"
ref=$($LIAISON --as reyes threads --json | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["ref"])')
lower=$(echo "$ref" | tr 'A-Z' 'a-z')
$LIAISON --as reyes show "$lower" >show.txt || fail "show $lower"
head -n 1 show.txt | grep -q "^$ref " || { cat show.txt; fail "show $lower: not $ref"; }
$LIAISON --as reyes note "$lower" --text "called" >note.txt || fail "note $lower"
expect_eq "a change says what it did, with the reference as written" "$ref: note added" "$(cat note.txt)"
for listing in "threads" "messages" "outbox" "history $ref" "digest" "events" "search called" \
	"hold list" "foia list" "audit" "retention due" "sessions" "saved-replies $ref"; do
	# shellcheck disable=SC2086
	$LIAISON --as admin $listing --json >list.json || fail "$listing --json"
	$PY -c 'import json,sys; json.load(open(sys.argv[1]))' list.json || fail "$listing --json is not JSON"
done
for listing in "threads:REF" "messages:SHA-256" "outbox:ID" "history $ref:AT" "events:ID" \
	"search called:THREAD" "hold list:NAME" "foia list:REQUEST" "audit:ID" "retention due:REF" \
	"sessions:ID" "saved-replies $ref:NAME"; do
	cmd=${listing%%:*} first=${listing##*:}
	# shellcheck disable=SC2086
	$LIAISON --as admin $cmd >list.txt || fail "$cmd"
	head -n 1 list.txt | grep -q "^ *$first " || { head -n 2 list.txt; fail "$cmd: no header row"; }
done
echo "ok: --json everywhere, header rows, any case"
