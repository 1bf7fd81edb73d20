#!/bin/sh
# Reports benchmark: a year of traffic for 11 troops (100,000 generated messages), imported,
# with a few thousand assignments, referrals, closings and events applied through sqlite3;
# then the time of `report monthly --troop K` (target < 1 s) and `report quarterly` (< 3 s),
# best of three each.  Prints figures; asserts nothing.
# Environment: BENCH_REPORT_COUNT (100000), BENCH_REPORT_DIR (/tmp/liaison-bench-reports:
# the corpus and database, kept between runs and rebuilt when the count or the generator changes).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
PY=/usr/bin/python3
gen=$top/tests/corpus/gen-ctl-corpus.py
[ -f "$gen" ] || { echo "bench: needs $gen" >&2; exit 1; }
command -v sqlite3 >/dev/null 2>&1 || { echo "bench: needs sqlite3" >&2; exit 1; }
count=${BENCH_REPORT_COUNT:-100000}
dir=${BENCH_REPORT_DIR:-/tmp/liaison-bench-reports}
troops=ABCDEFGHIKL
# What the corpus is made of: a changed generator makes another corpus, so it is generated again.
stamp_want="$count $(sha256sum "$gen" | cut -c1-16)"
make -s liaison
mkdir -p "$dir"
cd "$dir"
if [ "$(cat stamp 2>/dev/null)" != "$stamp_want" ]; then
	rm -rf corpus boxes r.db* stamp
	echo "bench: generating $count messages for troops $troops"
	$PY "$gen" --count "$count" --seed 77 --troops $troops --start 2026-01-01 --days 365 \
		--out corpus 2>/dev/null
	$PY "$top/tools/split-corpus.py" corpus boxes
fi
{
	printf '[liaison]\ndatabase = %s/r.db\ntimezone = America/New_York\nroutes = %s/config/routes.conf\n' "$dir" "$top"
	for t in $(echo $troops | sed 's/./& /g'); do
		printf '\n[mailbox %s]\ntroop = %s\naddress = Troop%sCTL@ct.gov\n' "$t" "$t" "$t"
		printf '\n[user ctl%s1]\nrole = ctl\ntroops = %s\n' "$t" "$t"
		printf '\n[user ctl%s2]\nrole = ctl\ntroops = %s\n' "$t" "$t"
	done
	printf '\n[user coordinator]\nrole = coordinator\n'
	printf '\n[service 211]\nname = 2-1-1\n\n[service dss]\nname = DSS\n'
} >r.conf
export LIAISON_CONFIG=$dir/r.conf LIAISON_USER=coordinator
# a database kept from an older liaison is upgraded first (init only migrates)
[ ! -f stamp ] || "$top/liaison" init >/dev/null
if [ ! -f stamp ]; then
	"$top/liaison" init >/dev/null
	start=$(date +%s)
	for t in $(echo $troops | sed 's/./& /g'); do
		"$top/liaison" import --mailbox "$t" boxes/"$t" >/dev/null
	done
	echo "bench: imported $count messages in $(($(date +%s) - start)) s"
	# Operations straight into the tables (the CLI's audit chain is not what is measured):
	# two of three person threads assigned, one in eight referred, one in four closed,
	# 3,000 events over the year.
	sqlite3 r.db <<'SQL'
BEGIN;
UPDATE threads SET assignee = 'ctl' || (SELECT troop FROM mailboxes m WHERE m.id = mailbox_id)
    || (1 + id % 2) WHERE kind = 'person' AND id % 3 <> 0;
INSERT INTO referrals (thread_id, service, user, at)
    SELECT id, CASE WHEN id % 2 THEN '211' ELSE 'dss' END, coalesce(assignee, 'coordinator'),
           first_at + 86400 FROM threads WHERE kind = 'person' AND id % 8 = 0;
UPDATE threads SET status = 'closed', closed_at = last_at + 3600,
    reportable = (id % 40 = 0), rms_number = CASE WHEN id % 40 = 0 THEN 'RMS-' || id END
    WHERE kind = 'person' AND id % 4 = 0;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
INSERT INTO events (troop, requested_by, requested_at, date, place, kind, status, subtype,
                    primary_unit, visited, narrative, closed_by, closed_at)
    SELECT substr('ABCDEFGHIKL', 1 + i % 11, 1), 'coordinator', 0,
           date('2026-01-01', '+' || (i % 365) || ' days'), 'Place ' || i, 'Outreach',
           CASE WHEN i % 10 = 0 THEN 'unable' ELSE 'done' END,
           CASE WHEN i % 10 = 0 THEN 'CTL Unable to Fulfill' ELSE 'CTL Event' END,
           'ctl' || substr('ABCDEFGHIKL', 1 + i % 11, 1) || (1 + i % 2),
           CASE i % 4 WHEN 0 THEN 'school' WHEN 1 THEN 'business' ELSE NULL END,
           CASE WHEN i % 10 = 0 THEN 'Denied due to staffing shortage' END, 'coordinator', 0
    FROM n;
COMMIT;
SQL
	echo "$stamp_want" >stamp
fi
best() {
	b=
	for _ in 1 2 3; do
		s=$($PY -c 'import time; print(time.monotonic())')
		"$@" >/dev/null
		e=$($PY -c 'import time; print(time.monotonic())')
		b=$($PY -c "import sys; t=$e-$s; b='$b'; print(min(t, float(b)) if b else t)")
	done
	printf '%.3f' "$b"
}
m=$(best "$top/liaison" report monthly --month 2026-06 --troop K --format json)
q=$(best "$top/liaison" report quarterly --quarter 2026Q2 --format json)
h=$(best "$top/liaison" report quarterly --quarter 2026Q2 --format html)
# the documents command staff are handed: every liaison's monthly report and the quarterly
# summary as PDF (cairo), Letter
mp=$(best "$top/liaison" report monthly --month 2026-06 --format pdf --out m.pdf)
qp=$(best "$top/liaison" report quarterly --quarter 2026Q2 --format pdf --out q.pdf)
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }
echo "reports ($count messages, 11 troops): monthly --troop K ${m} s (target < 1 s), quarterly ${q} s (< 3 s), quarterly html ${h} s"
echo "   as PDF: monthly, all $(grep -c '^\[user ctl' r.conf) liaisons ${mp} s ($(pages m.pdf) pages), quarterly ${qp} s ($(pages q.pdf) pages)"
