#!/bin/sh
# Records benchmark on 200,000 generated messages (11 troop mailboxes):
#   1. 20 varied searches, each a whole `liaison search` run as records staff would type it
#      (process start, query, output, and its audit entry): p50 and p95 (target p95 < 50 ms);
#   2. the production package of 10,000 of them with PDFs (some redacted, some withheld):
#      messages/s (target >= 200/s) and peak RSS (target < 200 MB).
# Prints figures; asserts nothing.  The corpus and database are kept between runs in
# BENCH_FOIA_DIR (default /dev/shm/liaison-bench-foia) and rebuilt when BENCH_FOIA_COUNT or the
# generator changes (bench/bigstore.sh, which bench/web.sh shares).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
PY=/usr/bin/python3
command -v sqlite3 >/dev/null 2>&1 || { echo "bench: needs sqlite3" >&2; exit 1; }
dir=${BENCH_FOIA_DIR:-/dev/shm/liaison-bench-foia}
export_count=${BENCH_EXPORT_COUNT:-10000}
# the store (generated and imported when missing or stale): bench/bigstore.sh
sh bench/bigstore.sh
cd "$dir"
export LIAISON_CONFIG=$dir/f.conf LIAISON_USER=records

# 1. Searches: words, phrases, prefixes, boolean, columns, and filters with and without a query.
# The thread filter takes troop K's longest thread (whatever ref the corpus gave it).
thread=$(sqlite3 f.db "SELECT t.ref FROM threads t JOIN mailboxes m ON m.id = t.mailbox_id WHERE m.name = 'K' ORDER BY t.message_count DESC, t.ref LIMIT 1")
$PY - "$top/liaison" "$thread" <<'PY'
import re, statistics, subprocess, sys, time
liaison, thread = sys.argv[1], sys.argv[2]
searches = [
    ["trooper"],                                            # a common word
    ['"traffic stop"'],                                     # a phrase
    ["immigra*"],                                           # a prefix
    ["robbery OR robo"],                                    # English or Spanish
    ["housing NOT eviction"],
    ["subject:complaint"],                                  # a column
    ["victim advocate", "--mailbox", "K"],
    ["papers", "--since", "2026-03-01", "--until", "2026-03-31"],
    ["--from", "troopkctl@ct.gov", "--since", "2026-06-01", "--until", "2026-06-07"],
    ["--mailbox", "C", "--since", "2026-04-01", "--until", "2026-04-02"],
    ["--has-attachment", "--mailbox", "A", "--since", "2026-05-01", "--until", "2026-05-31"],
    ["afraid", "--direction", "in"],
    ['"Coffee with a Cop"', "--mailbox", "H"],
    ["career AND fair"],
    ["hija OR hijo"],
    ["flyer", "--has-attachment"],
    ["--thread", thread],
    ["number", "--to", "troopbctl@ct.gov"],
    ["assistance", "--since", "2026-09-01"],
    ["thank*", "--mailbox", "L", "--until", "2026-02-28"],  # a prefix of many, two filters
]
times, hits = [], []
for args in searches:
    best = None
    for _ in range(3):
        t0 = time.perf_counter()
        out = subprocess.run([liaison, "search", *args], capture_output=True, text=True)
        dt = time.perf_counter() - t0
        if out.returncode != 0:
            sys.exit(f"bench: search {args} failed: {out.stderr}")
        best = dt if best is None else min(best, dt)
    times.append(best * 1000)
    last = out.stdout.strip().splitlines()[-1]   # "N hits" or "the newest 100 of N hits (...)"
    hits.append(int(re.search(r"(\d+) hits?", last).group(1)))
times_sorted = sorted(times)
p50 = statistics.median(times)
p95 = times_sorted[int(round(0.95 * (len(times) - 1)))]
print()
print("1. 20 searches over the whole store (each a `liaison search` run, best of 3, output and audit included)")
for args, t, h in zip(searches, times, hits):
    print(f"   {t:7.1f} ms  {h:6d} hits  search {' '.join(args)}")
print(f"   p50 {p50:.1f} ms  p95 {p95:.1f} ms  max {max(times):.1f} ms   (target p95 < 50 ms)")
PY

# 2. A production of export_count messages of troop K, with redactions and withholdings.
sqlite3 f.db "DELETE FROM foia_redactions; DELETE FROM foia_withholdings; DELETE FROM foia_items; DELETE FROM foia_productions; DELETE FROM foia_requests;"
req=$("$top/liaison" foia new --requester "Benchmark" --received 2026-11-20 --description "bench")
sqlite3 f.db "INSERT INTO foia_items (request_id, message_id, added_by, added_at)
  SELECT (SELECT id FROM foia_requests WHERE ref = '$req'), m.id, 'records', 0
  FROM messages m WHERE m.id IN (SELECT message_id FROM placements p JOIN mailboxes mb ON mb.id = p.mailbox_id WHERE mb.name = 'K')
  ORDER BY m.id LIMIT $export_count"
items=$(sqlite3 f.db "SELECT count(*) FROM foia_items")
# one in fifty messages redacted (phone numbers and the sender's name), one in a hundred
# withheld; the same people wrote others of the set, so every message produced whole is
# searched for their names (and produced anyway: --allow-redacted-text-elsewhere).  A message
# without a phone number refuses the phone preset (a redaction must match something).
sqlite3 -separator ' ' f.db "SELECT m.sha256, replace(m.from_name, ' ', '_') FROM foia_items i JOIN messages m ON m.id = i.message_id WHERE m.id % 50 = 0 AND m.from_name IS NOT NULL AND m.from_name != '' AND m.from_addr NOT LIKE 'troop%'" |
while read -r sha name; do
	"$top/liaison" foia redact "$req" "$sha" --preset phone --exemption "1-210(b)(2)" \
		>/dev/null 2>&1 || true
	"$top/liaison" foia redact "$req" "$sha" --text "$(echo "$name" | tr _ ' ')" --exemption "1-210(b)(2)" >/dev/null
done
for sha in $(sqlite3 f.db "SELECT m.sha256 FROM foia_items i JOIN messages m ON m.id = i.message_id WHERE m.id % 100 = 1"); do
	"$top/liaison" foia withhold "$req" "$sha" --exemption "1-210(b)(3)(G)" --reason bench >/dev/null
done
rm -rf production
/usr/bin/time -f '%e %M' -o export.time "$top/liaison" foia export "$req" --out production \
	--allow-redacted-text-elsewhere >export.out 2>/dev/null
read -r e_secs e_rss <export.time
$PY - "$items" "$e_secs" "$e_rss" export.out production <<'PY'
import os, sys
items, secs, rss = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
summary = open(sys.argv[4]).read().splitlines()
files = sum(len(f) for _, _, f in os.walk(sys.argv[5]))
size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(sys.argv[5]) for f in fs)
print()
print(f"2. production of {items} messages with PDFs: {summary[0]}")
print(f"   {summary[1] if len(summary) > 1 else ''}; {files} files, {size / 1e6:.0f} MB")
warn = [l for l in summary if l.startswith("warning:")]
if warn:
    print(f"   {warn[0]}")
print(f"   {secs:.2f} s = {items / secs:.0f} messages/s (target >= 200/s)   peak RSS {rss / 1024:.1f} MB (target < 200 MB)")
PY
