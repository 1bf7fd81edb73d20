#!/bin/sh
# Runs every tests/integration/*.sh against the built binary; prints one closing line.
# No script at all is a failure: a run that ran nothing has passed nothing.
# Each test gets LIAISON (the binary), TOP (the checkout) and a fresh TMPDIR of its own.
cd "$(dirname "$0")/.." || exit 1
TOP=$(pwd)
LIAISON=${LIAISON_BIN:-$TOP/liaison}
case "$LIAISON" in /*) ;; *) LIAISON=$TOP/$LIAISON ;; esac
export TOP LIAISON
pass=0
fail=0
failed=""
for t in tests/integration/test_*.sh; do
	[ -f "$t" ] || continue # no match: the pattern itself
	name=$(basename "$t" .sh)
	dir=$(mktemp -d "${TMPDIR:-/tmp}/liaison-$name.XXXXXX")
	if TMPDIR=$dir sh "$t" >"$dir.log" 2>&1; then
		pass=$((pass + 1))
		echo "integration: ok   $name"
		rm -rf "$dir" "$dir.log"
	else
		fail=$((fail + 1))
		failed="$failed $name"
		echo "integration: FAIL $name (log below, files in $dir)"
		sed 's/^/    /' "$dir.log" | tail -n 60
	fi
done
if [ $((pass + fail)) -eq 0 ]; then
	echo "integration: FAILED: no test script in tests/integration" >&2
fi
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
