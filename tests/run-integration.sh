#!/bin/sh
# Runs every tests/integration/*.sh against the built binary; prints one closing line.
# No script at all is a failure: a run that ran nothing has passed nothing.
# Each test gets LIAISON (the binary), TOP (the checkout) and a fresh TMPDIR of its own.
# Every line liaison logs meanwhile is kept (LIAISON_LOG_COPY, and the log lines the test
# and the daemons it started left in its TMPDIR or printed), and after the last test
# tests/check-logs.sh looks there for passwords, tokens and message texts.
#
# Tests run side by side, LIAISON_TEST_JOBS at a time (default: one more than the cores, as
# most of a test is waiting on its servers and timers; 1: one after the other, in name
# order).  A test's block is printed when it ends.  Two marker lines in a test steer this:
#   # duration: N s   about how long it takes alone; the longest start first, so that the
#                     run does not end waiting on one long test started last
#   # run-alone       it needs the machine to itself (it measures time, or loads every
#                     core): run after the others, one at a time
cd "$(dirname "$0")/.." || exit 1
TOP=$(pwd)
LIAISON=${LIAISON_BIN:-$TOP/liaison}
case "$LIAISON" in /*) ;; *) LIAISON=$TOP/$LIAISON ;; esac
export TOP LIAISON
JOBS=${LIAISON_TEST_JOBS:-$(($(nproc 2>/dev/null || echo 1) + 1))}
case "$JOBS" in '' | *[!0-9]* | 0)
	echo "integration: LIAISON_TEST_JOBS must be a number of tests at a time, 1 or more (not '$JOBS')" >&2
	exit 2
	;;
esac
LOGS=$(mktemp -d "${TMPDIR:-/tmp}/liaison-logs.XXXXXX") || exit 1
# The runner's own bookkeeping: each test's exit status, and a FIFO on which a finished test
# says so (the runner blocks reading it: no polling, and POSIX sh has no `wait -n`).
RUN=$(mktemp -d "${TMPDIR:-/tmp}/liaison-run.XXXXXX") || exit 1
mkfifo "$RUN/done" || exit 1
exec 3<>"$RUN/done" # read and write: opening never blocks, and a read waits for a line
pass=0
fail=0
failed=""
running=0

# A stop of the runner stops its tests: SIGTERM to each (lib.sh turns it into an exit, so
# their EXIT traps stop the servers they started), then the runner's files go.
stop_tests() {
	for p in "$RUN"/*.pid; do
		[ -f "$p" ] && kill -TERM "$(cat "$p")" 2>/dev/null
	done
	wait
	rm -rf "$RUN" "$LOGS"
	echo "integration: stopped; the files of the tests that ran are in ${TMPDIR:-/tmp}/liaison-test_*"
	exit 130
}
trap stop_tests INT TERM HUP

# run_test NAME FILE DIR (in the background): the test, then its log lines gathered, then
# "NAME DIR" on the FIFO.  The test does not inherit the FIFO (fd 3).
run_test() {
	rt_start=$(date +%s)
	LIAISON_LOG_COPY=$LOGS/$1.log TMPDIR=$3 sh "$2" >"$3.log" 2>&1 </dev/null 3>&- &
	echo $! >"$RUN/$1.pid"
	wait $!
	rt_rc=$?
	# The processor time of the test and what it waited for (not of daemons that detached,
	# like Dovecot): a test that keeps a core busy is one to run alone.
	times >"$RUN/$1.times"
	rt_cpu=$(awk 'NR == 2 { gsub(/[ms]/, " "); print int($1 * 60 + $2 + $3 * 60 + $4 + 0.5) }' "$RUN/$1.times")
	echo "$rt_rc $(($(date +%s) - rt_start)) $rt_cpu" >"$RUN/$1.rc"
	rm -f "$RUN/$1.times"
	rm -f "$RUN/$1.pid"
	# Log lines only (liaison's form, or the journal's), from files of up to 16 MiB: a
	# database or a corpus is not a log.
	find "$3" "$3.log" -type f -size -16M -exec grep -haE \
		'^(liaison: |<[0-7]>)(debug|info|warning|error): ' {} + >>"$LOGS/$1.files.log" 2>/dev/null
	[ -s "$LOGS/$1.files.log" ] || rm -f "$LOGS/$1.files.log"
	echo "$1 $3" >&3
}

# start NAME FILE: the test in the background, in a fresh TMPDIR.
start() {
	st_dir=$(mktemp -d "${TMPDIR:-/tmp}/liaison-$1.XXXXXX") || exit 1
	run_test "$1" "$2" "$st_dir" &
	running=$((running + 1))
}

# finish_one: waits for a test to end and prints its block.
finish_one() {
	read -r fo_name fo_dir <&3 || exit 1
	running=$((running - 1))
	read -r fo_rc fo_secs fo_cpu <"$RUN/$fo_name.rc"
	rm -f "$RUN/$fo_name.rc"
	if [ "$fo_rc" -eq 0 ]; then
		pass=$((pass + 1))
		echo "integration: ok   $fo_name ($fo_secs s, CPU $fo_cpu s)"
		rm -rf "$fo_dir" "$fo_dir.log"
	else
		fail=$((fail + 1))
		failed="$failed $fo_name"
		echo "integration: FAIL $fo_name ($fo_secs s, CPU $fo_cpu s, exit $fo_rc) (log below, files in $fo_dir)"
		sed 's/^/    /' "$fo_dir.log" | tail -n 60
	fi
}

# The order: in name order one at a time; side by side, the longest first (by their
# "# duration:" lines, name order among equals) and the run-alone ones last.
: >"$RUN/together"
: >"$RUN/alone"
for t in tests/integration/test_*.sh; do
	[ -f "$t" ] || continue # no match: the pattern itself
	name=$(basename "$t" .sh)
	if [ "$JOBS" -gt 1 ] && grep -qx '# run-alone' "$t"; then
		echo "$name $t" >>"$RUN/alone"
	else
		secs=$(sed -n 's/^# duration: \([0-9][0-9]*\) s$/\1/p' "$t" | head -n 1)
		echo "${secs:-0} $name $t" >>"$RUN/together"
	fi
done
[ "$JOBS" -gt 1 ] && sort -k1,1nr -k2,2 -o "$RUN/together" "$RUN/together"
began=$(date +%s)
while read -r _ name t; do
	while [ "$running" -ge "$JOBS" ]; do finish_one; done
	start "$name" "$t"
done <"$RUN/together"
while [ "$running" -gt 0 ]; do finish_one; done
while read -r name t; do
	start "$name" "$t"
	finish_one
done <"$RUN/alone"
wait
exec 3>&-
rm -rf "$RUN"
trap - INT TERM HUP
echo "integration: $((pass + fail)) tests in $(($(date +%s) - began)) s, $JOBS at a time"

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
[ "$fail" -eq 0 ] || echo "integration: failed:$failed"
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ] && [ "$logs_ok" -eq 1 ]
