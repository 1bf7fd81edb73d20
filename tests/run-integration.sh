#!/bin/sh
# Runs every tests/integration/*.sh against the built binary; prints one closing line.
# No script at all is a failure: a run that ran nothing has passed nothing.
# Each test gets LIAISON (the binary), TOP (the checkout) and a fresh TMPDIR of its own.
# Every line liaison logs meanwhile is kept (LIAISON_LOG_COPY, and the log lines the test
# and the daemons it started left in its TMPDIR or printed), and after the last test
# tests/check-logs.sh looks there for passwords, tokens and message texts.
cd "$(dirname "$0")/.." || exit 1
TOP=$(pwd)
LIAISON=${LIAISON_BIN:-$TOP/liaison}
case "$LIAISON" in /*) ;; *) LIAISON=$TOP/$LIAISON ;; esac
export TOP LIAISON
LOGS=$(mktemp -d "${TMPDIR:-/tmp}/liaison-logs.XXXXXX") || exit 1
pass=0
fail=0
failed=""
for t in tests/integration/test_*.sh; do
	[ -f "$t" ] || continue # no match: the pattern itself
	name=$(basename "$t" .sh)
	dir=$(mktemp -d "${TMPDIR:-/tmp}/liaison-$name.XXXXXX")
	if LIAISON_LOG_COPY=$LOGS/$name.log TMPDIR=$dir sh "$t" >"$dir.log" 2>&1; then
		pass=$((pass + 1))
		echo "integration: ok   $name"
		ok=1
	else
		fail=$((fail + 1))
		failed="$failed $name"
		echo "integration: FAIL $name (log below, files in $dir)"
		sed 's/^/    /' "$dir.log" | tail -n 60
		ok=0
	fi
	# Log lines only (liaison's form, or the journal's), from files of up to 16 MiB: a
	# database or a corpus is not a log.
	find "$dir" "$dir.log" -type f -size -16M -exec grep -haE \
		'^(liaison: |<[0-7]>)(debug|info|warning|error): ' {} + >>"$LOGS/$name.files.log" 2>/dev/null
	[ -s "$LOGS/$name.files.log" ] || rm -f "$LOGS/$name.files.log"
	[ "$ok" -eq 1 ] && rm -rf "$dir" "$dir.log"
done
if [ $((pass + fail)) -eq 0 ]; then
	echo "integration: FAILED: no test script in tests/integration" >&2
fi
logs_ok=0
if sh tests/check-logs.sh --self-test && sh tests/check-logs.sh "$LOGS"; then
	logs_ok=1
	rm -rf "$LOGS"
else
	echo "integration: FAIL the logs (kept in $LOGS)"
fi
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ] && [ "$logs_ok" -eq 1 ]
