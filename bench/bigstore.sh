#!/bin/sh
# The 200,000-message store of the benchmarks (11 troop mailboxes), shared by bench/foia.sh and
# bench/web.sh: generated, split by troop and imported into BENCH_FOIA_DIR/f.db (default
# /dev/shm/liaison-bench-foia) with its configuration f.conf, kept between runs and rebuilt
# when BENCH_FOIA_COUNT or the generator changes; a store kept from an older liaison is
# migrated.  Prints how many messages it holds.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
PY=/usr/bin/python3
gen=$top/tests/corpus/gen-ctl-corpus.py
[ -f "$gen" ] || { echo "bench: needs $gen" >&2; exit 1; }
command -v sqlite3 >/dev/null 2>&1 || { echo "bench: needs sqlite3" >&2; exit 1; }
count=${BENCH_FOIA_COUNT:-200000}
dir=${BENCH_FOIA_DIR:-/dev/shm/liaison-bench-foia}
troops=ABCDEFGHIKL
# What the corpus is made of: a changed generator makes another corpus, so it is generated again.
stamp_want="$count $(sha256sum "$gen" | cut -c1-16)"
make -s liaison
mkdir -p "$dir"
cd "$dir"
{
	printf '[liaison]\ndatabase = %s/f.db\ntimezone = America/New_York\nbates_prefix = CSP-CTL-\nroutes = %s/config/routes.conf\n' "$dir" "$top"
	for t in $(echo $troops | sed 's/./& /g'); do
		printf '\n[mailbox %s]\ntroop = %s\naddress = Troop%sCTL@ct.gov\n' "$t" "$t" "$t"
	done
	printf '\n[user records]\nrole = records\n'
} >f.conf
export LIAISON_CONFIG=$dir/f.conf LIAISON_USER=records
# a database kept from an older liaison is upgraded first (init only migrates)
[ ! -f stamp ] || "$top/liaison" init >/dev/null
if [ "$(cat stamp 2>/dev/null)" != "$stamp_want" ]; then
	rm -rf boxes f.db* stamp
	if [ "$(cat corpus/count 2>/dev/null)" != "$stamp_want" ]; then
		rm -rf corpus
		echo "bench: generating $count messages for troops $troops (kept in $dir)"
		$PY "$gen" --count "$count" --seed 55 --troops $troops --start 2026-01-01 --days 300 \
			--out corpus 2>/dev/null
		echo "$stamp_want" >corpus/count
	fi
	$PY "$top/tools/split-corpus.py" corpus boxes
	"$top/liaison" init >/dev/null
	start=$(date +%s)
	for t in $(echo $troops | sed 's/./& /g'); do
		"$top/liaison" import --mailbox "$t" boxes/"$t" >/dev/null
	done
	echo "bench: imported $count messages in $(($(date +%s) - start)) s"
	echo "$stamp_want" >stamp
fi
stored=$(sqlite3 f.db 'SELECT count(*) FROM messages')
echo "bench: $stored messages stored, database $(($(stat -c %s f.db) / 1000000)) MB"
