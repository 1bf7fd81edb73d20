#!/bin/sh
# make check-dates: the unit and integration tests again at fixed instants, so that no test
# can depend on the day the suite happens to run.  Each instant is set with libfaketime as
# one offset from the real clock for every process of the run (the tests, liaison, Dovecot,
# the SMTP sink): time still flows and is the same in all of them, so a run started at
# 2026-12-31 23:59:30 crosses the year boundary half a minute in.  The binary has no clock
# override of its own: an environment variable that moves "now" would let anyone back-date
# the audit trail.
#
#   tests/check-dates.sh TEST-BINARY...        (the unit test programs, as make passes them)
# Environment: CHECK_DATES="2027-07-04 12:00:00|..." to choose other instants (UTC).
cd "$(dirname "$0")/.." || exit 1
command -v faketime >/dev/null 2>&1 || { echo "check-dates: faketime is not installed (make deps)" >&2; exit 1; }
# Independence Day (a Sunday in 2027; the holiday is observed on Monday), Lincoln's Birthday
# 2031 (a Connecticut state holiday on a Wednesday), and half a minute before a new year:
# in UTC, and in America/New_York (the zone the tests configure), where "today", report
# months and request numbers turn.
instants=${CHECK_DATES:-"2027-07-04 12:00:00|2031-02-12 09:00:00|2026-12-31 23:59:30|2027-01-01 04:59:30"}
# The OpenID provider's npm packages are installed on the real clock, as the build and the
# Debian packages are (a registry's certificate is not valid in 2031): start.sh then finds
# them in place.
if ! node tests/servers/oidc/in_step.mjs tests/servers/oidc 2>/dev/null; then
	npm ci --prefix tests/servers/oidc --no-audit --no-fund --loglevel=error >&2 ||
		{ echo "check-dates: npm ci of tests/servers/oidc failed" >&2; exit 1; }
fi
failed=0
runs=0
IFS='|'
for instant in $instants; do
	unset IFS
	target=$(date -u -d "$instant" +%s) || { echo "check-dates: not a date: $instant" >&2; exit 2; }
	start=$(date +%s)
	offset=$((target - start))
	# The faked clock must really be there: a missing preload would test today instead.
	seen=$(NO_FAKE_STAT=1 faketime -f "+${offset}s" date -u +%Y-%m-%d)
	if [ "$seen" != "$(date -u -d "$instant" +%Y-%m-%d)" ]; then
		echo "check-dates: faketime did not move the clock to $instant (saw $seen)" >&2
		exit 1
	fi
	echo "check-dates: === $instant UTC ==="
	result=ok
	# libfaketime also moves the file times stat() reports by the offset, so a file written
	# now reads as written at the faked instant, as on the real clock: what the integration
	# tests need (a Maildir's messages are dated by their files).  The unit tests set file
	# times themselves (utimes) and read them back exactly: theirs are left alone.  The test
	# Dovecot keeps INTERNALDATE in sdbox metadata, not in a file time, either way.
	NO_FAKE_STAT=1 faketime -f "+${offset}s" sh tests/run-unit.sh "$@" || result=FAILED
	faketime -f "+${offset}s" sh tests/run-integration.sh || result=FAILED
	runs=$((runs + 1))
	[ "$result" = ok ] || failed=$((failed + 1))
	echo "check-dates: $instant: $result in $(($(date +%s) - start)) s"
	IFS='|'
done
unset IFS
echo "check-dates: $((runs - failed)) passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$runs" -gt 0 ]
