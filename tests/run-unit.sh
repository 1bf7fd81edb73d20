#!/bin/sh
# Runs each cmocka unit test binary given as an argument; prints one closing line.
# No argument at all is a failure: a run that ran nothing has passed nothing.
cd "$(dirname "$0")/.." || exit 1
pass=0
fail=0
for t in "$@"; do
	if "$t"; then
		pass=$((pass + 1))
	else
		echo "unit: FAILED: $t" >&2
		fail=$((fail + 1))
	fi
done
if [ $# -eq 0 ]; then
	echo "unit: FAILED: no test program given" >&2
fi
echo "unit: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
