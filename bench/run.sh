#!/bin/sh
# make bench: import throughput and memory against notmuch, measured in the same run on the
# same generated corpus, and threading quality of both.  Prints figures; asserts nothing.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
gen=$top/tests/corpus/gen-ctl-corpus.py
[ -f "$gen" ] || { echo "bench: needs $gen" >&2; exit 1; }
count=${BENCH_COUNT:-20000}
# On tmpfs: this machine's ext4 is slow to create files for minutes after many were
# deleted (each run deletes the last one's), which made both tools' figures wander.
work=${BENCH_DIR:-/dev/shm/liaison-bench}
rm -rf "$work/run"
mkdir -p "$work/run"
run=$work/run
# Cached by count and generator: a changed generator makes another corpus.
genv=$(sha256sum "$gen" | cut -c1-12)
corpus=$work/corpus-$count-$genv
for old in "$work/corpus-$count" "$work/corpus-$count"-* "$work"/big50*; do   # older generators'
	case "$old" in "$corpus" | "$work/big50-$genv") ;; *) rm -rf "$old" ;; esac
done
if [ ! -f "$corpus/labels.jsonl" ]; then
	rm -rf "$corpus"
	/usr/bin/python3 "$gen" --count "$count" --seed 11 --troops ABCDEFGHIKL --out "$corpus" 2>/dev/null
fi
bytes=$(du -sb "$corpus/cur" | cut -f1)
msgs=$(wc -l <"$corpus/labels.jsonl")
echo "bench: corpus $msgs messages, $((bytes / 1000000)) MB, 11 troop mailboxes"

# Each troop's mail in its own Maildir, as the shared mailboxes hold it (hard links).
/usr/bin/python3 tools/split-corpus.py "$corpus" "$run/boxes"
{
	printf '[liaison]\ndatabase = %s/liaison.db\nroutes = %s/config/routes.conf\n' "$run" "$top"
	for t in A B C D E F G H I K L; do
		printf '[mailbox %s]\ntroop = %s\naddress = Troop%sCTL@ct.gov\n' "$t" "$t" "$t"
	done
	printf '[user bench]\nrole = admin\n'
} >"$run/liaison.conf"
export LIAISON_CONFIG=$run/liaison.conf
export LIAISON_USER=bench
./liaison init >/dev/null
# Drop nothing from the page cache: both tools read warm files (the corpus was just written
# or read by the split).
cat >"$run/import-all.sh" <<SH
set -e
for t in A B C D E F G H I K L; do $top/liaison import --mailbox \$t $run/boxes/\$t >/dev/null; done
SH
/usr/bin/time -f '%e %M' -o "$run/liaison.time" sh "$run/import-all.sh"
read -r l_secs l_rss <"$run/liaison.time"

# notmuch on a copy of the same Maildir, with a configuration of its own.
cp -al "$corpus" "$run/notmuch-mail" 2>/dev/null || cp -a "$corpus" "$run/notmuch-mail"
rm -f "$run/notmuch-mail/labels.jsonl"
printf '[database]\npath=%s/notmuch-mail\n[new]\ntags=new\n[maildir]\nsynchronize_flags=false\n' \
	"$run" >"$run/notmuch-config"
export NOTMUCH_CONFIG=$run/notmuch-config
/usr/bin/time -f '%e %M' -o "$run/notmuch.time" notmuch new --quiet
read -r n_secs n_rss <"$run/notmuch.time"

# One message with a 50 MB attachment: peak memory of its import.
big=$work/big50-$genv
if [ ! -d "$big" ]; then
	/usr/bin/python3 "$gen" --count 1 --seed 3 --big 50000000 --machine-share 0 --troops K --out "$big" 2>/dev/null
fi
big_bytes=$(du -sb "$big/cur" | cut -f1)
printf '[liaison]\ndatabase = %s/big.db\nroutes = %s/config/routes.conf\n[mailbox K]\ntroop = K\naddress = TroopKCTL@ct.gov\n' "$run" "$top" >"$run/big.conf"
./liaison -c "$run/big.conf" init >/dev/null
/usr/bin/time -f '%e %M' -o "$run/big.time" ./liaison -c "$run/big.conf" import --mailbox K "$big" >/dev/null
read -r b_secs b_rss <"$run/big.time"

# Threading quality of both against the ground truth.
for t in A B C D E F G H I K L; do ./liaison messages --mailbox "$t" --json >"$run/m-$t.json"; done
l_score=$(/usr/bin/python3 tools/thread-score.py "$corpus/labels.jsonl" liaison "$run"/m-*.json)
notmuch show --format=json --body=false '*' >"$run/notmuch-show.json"
n_score=$(/usr/bin/python3 tools/thread-score.py "$corpus/labels.jsonl" notmuch "$run/notmuch-show.json")

/usr/bin/python3 - "$msgs" "$l_secs" "$l_rss" "$n_secs" "$n_rss" "$big_bytes" "$b_secs" "$b_rss" \
	"$l_score" "$n_score" <<'PY'
import sys
count = int(sys.argv[1])
l_secs, l_rss, n_secs, n_rss = float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
big, b_secs, b_rss = int(sys.argv[6]), float(sys.argv[7]), int(sys.argv[8])
l_rate, n_rate = count / l_secs, count / n_secs
big_limit = 3 * big / 1024 + 50 * 1024
print()
print(f"{'':28} {'seconds':>9} {'msgs/s':>9} {'peak RSS':>10}")
print(f"{'liaison import':28} {l_secs:9.2f} {l_rate:9.0f} {l_rss / 1024:8.1f}MB")
print(f"{'notmuch new':28} {n_secs:9.2f} {n_rate:9.0f} {n_rss / 1024:8.1f}MB")
print(f"throughput ratio liaison/notmuch: {l_rate / n_rate:.2f}x   (target >= 5x)")
print(f"liaison peak RSS: {l_rss / 1024:.1f} MB   (target < 100 MB)")
print(f"50 MB attachment message ({big / 1e6:.1f} MB on disk): {b_secs:.2f} s, peak RSS "
      f"{b_rss / 1024:.1f} MB   (target < 3x size + 50 MB = {big_limit / 1024:.0f} MB)")
print(f"threading liaison: {sys.argv[9]}")
print(f"threading notmuch: {sys.argv[10]}")
PY
sh bench/route-eval.sh "$corpus"
sh bench/poll.sh
sh bench/reports.sh
sh bench/foia.sh
sh bench/web.sh
