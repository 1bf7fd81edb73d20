#!/bin/sh
# Runs tests/browser/*.test.mjs (node --test) in Debian's chromium, through playwright-core,
# against the built binary; prints one closing line like the other runners.
# The npm packages are installed from tests/browser/package-lock.json by npm ci when
# node_modules is missing or differs from the lock (no browser is ever downloaded:
# playwright-core has none, and the tests start /usr/bin/chromium).
cd "$(dirname "$0")/.." || exit 1
TOP=$(pwd)
LIAISON=${LIAISON_BIN:-$TOP/liaison}
case "$LIAISON" in /*) ;; *) LIAISON=$TOP/$LIAISON ;; esac
export TOP LIAISON
B=tests/browser

missing=""
for tool in node npm /usr/bin/chromium; do
	command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
	echo "browser: FAILED: not installed:$missing (make deps installs nodejs, npm and chromium)" >&2
	echo "browser: 0 passed, 1 failed"
	exit 1
fi
major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
	echo "browser: FAILED: node $(node --version) is too old: playwright-core 1.64 needs node 20 or later" >&2
	echo "browser: 0 passed, 1 failed"
	exit 1
fi
[ -x "$LIAISON" ] || { echo "browser: FAILED: no $LIAISON (make liaison)" >&2; echo "browser: 0 passed, 1 failed"; exit 1; }

# node_modules as the lock says (npm ci writes node_modules/.package-lock.json): then nothing
# is fetched, so a machine without the registry runs the tests it has.
in_step() {
	node -e '
const fs = require("fs");
const want = JSON.parse(fs.readFileSync(process.argv[1] + "/package-lock.json")).packages;
let have;
try { have = JSON.parse(fs.readFileSync(process.argv[1] + "/node_modules/.package-lock.json")).packages; }
catch { process.exit(1); }
for (const [k, v] of Object.entries(want))
  if (k && (!have[k] || have[k].version !== v.version || have[k].integrity !== v.integrity)) process.exit(1);
' "$B"
}
if ! in_step; then
	echo "browser: npm ci --prefix $B" >&2
	npm ci --prefix "$B" --no-audit --no-fund --loglevel=error >&2 || {
		echo "browser: FAILED: npm ci" >&2
		echo "browser: 0 passed, 1 failed"
		exit 1
	}
fi

rm -rf "$B/failures"
log=$(mktemp "${TMPDIR:-/tmp}/liaison-browser.XXXXXX")
trap 'rm -f "$log"' EXIT
# One file at a time: each starts its own console and chromium, and the machine has 2 cores.
node --test --test-concurrency=1 --test-timeout=240000 --test-reporter=spec --test-reporter-destination=stdout \
	--test-reporter=tap --test-reporter-destination="$log" "$B"/*.test.mjs
rc=$?
pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$log" | tail -n 1)
fail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$log" | tail -n 1)
pass=${pass:-0} fail=${fail:-0}
if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then
	fail=1 # node failed outside any test (a file that did not load)
fi
if [ "$pass" -eq 0 ] && [ "$fail" -eq 0 ]; then
	echo "browser: FAILED: no test ran" >&2
	fail=1
fi
[ -d "$B/failures" ] && echo "browser: screenshots of the failing pages in $B/failures/"
echo "browser: $pass passed, $fail failed"
[ "$rc" -eq 0 ] && [ "$fail" -eq 0 ]
