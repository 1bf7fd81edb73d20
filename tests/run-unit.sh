#!/bin/sh
# Runs each cmocka unit test binary given as an argument, LIAISON_TEST_JOBS at a time (as
# tests/run-integration.sh: default the cores plus one; 1 is one after the other), and prints
# each one's output whole, in the order given, then one closing line.  The tests share
# nothing but the machine (each makes its own temporary folder).
# No argument at all is a failure: a run that ran nothing has passed nothing.
cd "$(dirname "$0")/.." || exit 1
if [ $# -eq 0 ]; then
	echo "unit: FAILED: no test program given" >&2
	echo "unit: 0 passed, 0 failed"
	exit 1
fi
jobs=${LIAISON_TEST_JOBS:-$(($(nproc 2>/dev/null || echo 1) + 1))}
case $jobs in '' | *[!0-9]* | 0) echo "unit: LIAISON_TEST_JOBS must be a whole number of 1 or more" >&2; exit 2 ;; esac
out=$(mktemp -d "${TMPDIR:-/tmp}/liaison-unit-run.XXXXXX") || exit 1
trap 'rm -rf "$out"' EXIT
# One line per program: its index (the log's name: two programs may share a basename) and path.
i=0
for t in "$@"; do
	i=$((i + 1))
	printf '%s %s\n' "$i" "$t"
done | xargs -P "$jobs" -L 1 sh -c '"$2" >"$0/$1.log" 2>&1 || echo "$?" >"$0/$1.failed"' "$out"
pass=0
fail=0
i=0
for t in "$@"; do
	i=$((i + 1))
	cat "$out/$i.log" 2>/dev/null
	if [ -f "$out/$i.failed" ] || [ ! -f "$out/$i.log" ]; then
		echo "unit: FAILED: $t" >&2
		fail=$((fail + 1))
	else
		pass=$((pass + 1))
	fi
done
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
