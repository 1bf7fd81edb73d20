#!/bin/sh
# make bench, second part: `liaison poll` against a real IMAP server and SMTP sink
# (tests/servers, 127.0.0.1 only), measured in the same run:
#   1. initial sync of the generated corpus from Dovecot: `liaison poll --once` on a fresh
#      database against mbsync (isync) pulling the same INBOX to a Maildir;
#   2. auto-reply latency of the daemon (IDLE): bench/latency.py;
#   3. routing quality of config/routes.conf on what the sync of step 1 recorded: bench/route.sh.
# Prints figures; asserts nothing.  Exit 1 only when a step cannot run.  Every server and the
# daemon it starts are stopped on exit, also on failure or interrupt.
# Environment: BENCH_COUNT (20000), BENCH_DIR (/tmp/liaison-bench: the cached corpus),
# BENCH_POLL_DIR (servers, databases and Maildirs of this part; default /dev/shm/liaison-bench-poll
# when /dev/shm is a tmpfs with 4 GB free, else BENCH_DIR/poll), BENCH_SYNC_RUNS (2: best of,
# alternating liaison and mbsync), BENCH_LATENCY_COUNT (200), BENCH_PERF=1 (one more liaison
# sync under `perf record`: where the time goes, per thread).
#
# Why a tmpfs: on this machine's ext4 (no journal) creating files within minutes of deleting
# many is slow (the inode allocator skips recently deleted inodes: `recently_deleted` and
# `find_inode_bit` were 60% of mbsync's time), so mbsync's 20,000 new files took 1 s or 6-14 s
# depending on what the previous run had deleted.  On a tmpfs both tools write to memory and
# the figures repeat; liaison's fdatasync calls cost nothing there either.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
PY=/usr/bin/python3
gen=$top/tests/corpus/gen-ctl-corpus.py
[ -f "$gen" ] || { echo "bench: needs $gen" >&2; exit 1; }
command -v mbsync >/dev/null 2>&1 || { echo "bench: needs mbsync (Debian package isync)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench: needs /usr/bin/time (Debian package time)" >&2; exit 1; }
count=${BENCH_COUNT:-20000}
runs=${BENCH_SYNC_RUNS:-2}
lat_count=${BENCH_LATENCY_COUNT:-200}
work=${BENCH_DIR:-/tmp/liaison-bench}
# Cached by count and generator (as bench/run.sh): a changed generator makes another corpus.
corpus=$work/corpus-$count-$(sha256sum "$gen" | cut -c1-12)
for old in "$work/corpus-$count" "$work/corpus-$count"-*; do   # older generators'
	[ "$old" = "$corpus" ] || rm -rf "$old"
done
shm_free=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')
if [ -n "${BENCH_POLL_DIR:-}" ]; then
	pw=$BENCH_POLL_DIR
elif [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && [ "${shm_free:-0}" -gt 4000000 ]; then
	pw=/dev/shm/liaison-bench-poll
else
	pw=$work/poll
fi
srv=$pw/srv
daemon=
# Listings (messages, outbox) need an acting user: the [user bench] of the configurations.
export LIAISON_USER=bench

# Stops the daemon (SIGTERM, then SIGKILL after 10 s) and every server of $srv.
cleanup() {
	if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then
		kill -TERM "$daemon" 2>/dev/null || true
		i=0
		while kill -0 "$daemon" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		kill -KILL "$daemon" 2>/dev/null || true
	fi
	sh "$top/tests/servers/stop.sh" "$srv" >/dev/null 2>&1 || true
	# The bulky parts (Maildirs, databases) go; logs and results stay in $pw.
	rm -rf "$srv/home" "$pw"/mbsync*/mail "$pw"/*.db "$pw"/*.db-* "$pw/perf.data" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE

# A previous run that was killed outright may have left its servers running.
[ -d "$srv" ] && sh tests/servers/stop.sh "$srv" >/dev/null 2>&1 || true
rm -rf "$pw"
mkdir -p "$pw"
if [ ! -f "$corpus/labels.jsonl" ]; then
	rm -rf "$corpus"
	$PY "$gen" --count "$count" --seed 11 --troops ABCDEFGHIKL --out "$corpus" 2>/dev/null
fi
nfiles=$(find "$corpus/cur" "$corpus/new" -type f | wc -l)
bytes=$(du -sb "$corpus/cur" | cut -f1)

echo
echo "bench: liaison poll against Dovecot and an SMTP sink on 127.0.0.1 (tests/servers); work folder $pw ($(stat -f -c %T "$pw"))"
sh tests/servers/start.sh "$srv" >/dev/null 2>"$pw/start.err" || { cat "$pw/start.err" >&2; exit 1; }
. "$srv/env.sh"

# --- Load the corpus into troopk's INBOX ---------------------------------------------------
# IMAP APPEND (MULTIAPPEND, 500 a command, INTERNALDATE from each Date:): Dovecot indexes each
# message as it takes it, so neither tool below pays for indexing; `doveadm index` then makes
# sure the index is complete before anything is timed.
t0=$($PY -c 'import time; print(time.time())')
timeout 300 $PY tests/servers/deliver.py append --port "$IMAP_PORT" --user troopk \
	--password troopk-secret --folder INBOX --internaldate --batch 500 "$corpus/cur" 2>"$pw/append.err" ||
	{ cat "$pw/append.err" >&2; exit 1; }
doveadm -c "$DOVECOT_CONF" index -u troopk INBOX
in_inbox=$(doveadm -c "$DOVECOT_CONF" mailbox status -u troopk messages INBOX | sed 's/.*=//')
load_secs=$($PY -c "import time; print(f'{time.time() - $t0:.1f}')")
echo "corpus: $nfiles messages, $((bytes / 1000000)) MB; loaded into troopk's INBOX by IMAP APPEND"
echo "  (MULTIAPPEND, INTERNALDATE = Date:) in $load_secs s, then doveadm index; INBOX holds $in_inbox"

# --- 1. Initial sync: liaison poll --once against mbsync -----------------------------------
printf 'troopk-secret\n' >"$pw/troopk.pw"
chmod 600 "$pw/troopk.pw"
# One mailbox.  All eleven troops' mail is in this INBOX: the other troops' addresses are its
# aliases, so their person mail counts as addressed to it and is routed (step 3).
# backfill_cutoff is the default (24h): the corpus is older, nothing may be sent.
aliases="TroopACTL@ct.gov, TroopBCTL@ct.gov, TroopCCTL@ct.gov, TroopDCTL@ct.gov, TroopECTL@ct.gov, TroopFCTL@ct.gov, TroopGCTL@ct.gov, TroopHCTL@ct.gov, TroopICTL@ct.gov, TroopLCTL@ct.gov"
write_conf() { # FILE DATABASE
	cat >"$1" <<CONF
[liaison]
database = $2
templates = $top/templates
routes = $top/config/routes.conf
; the latency run writes from hundreds of senders of one domain: it measures the reply
; path, not the backscatter limit
autoreply_domain_limit = 100000

[smtp]
url = smtp://127.0.0.1:$SMTP_PORT
tls = none
timeout = 10s

[mailbox K]
troop = K
address = TroopKCTL@ct.gov
aliases = $aliases
imap = imap://127.0.0.1:$IMAP_PORT
tls = none
username = troopk
password_file = $pw/troopk.pw

[user bench]
role = admin
CONF
}

run_liaison() { # N
	write_conf "$pw/sync$1.conf" "$pw/sync$1.db"
	./liaison -c "$pw/sync$1.conf" init >/dev/null
	timeout 600 /usr/bin/time -f '%e %M %U %S' -o "$pw/liaison$1.time" \
		./liaison -c "$pw/sync$1.conf" poll --once 2>"$pw/liaison$1.err" ||
		{ echo "bench: liaison poll --once failed:" >&2; tail -n 20 "$pw/liaison$1.err" >&2; exit 1; }
}

run_mbsync() { # N
	d=$pw/mbsync$1
	mkdir -p "$d/mail" "$d/state"
	cat >"$d/mbsyncrc" <<RC
FSync no

IMAPAccount bench
Host 127.0.0.1
Port $IMAP_PORT
User troopk
Pass troopk-secret
SSLType None
AuthMechs LOGIN

IMAPStore bench-far
Account bench

MaildirStore bench-near
Path $d/mail/
Inbox $d/mail/INBOX

Channel bench
Far :bench-far:
Near :bench-near:
Patterns INBOX
Sync Pull
Create Near
SyncState $d/state/
RC
	timeout 600 /usr/bin/time -f '%e %M %U %S' -o "$pw/mbsync$1.time" \
		mbsync -c "$d/mbsyncrc" -q bench 2>"$pw/mbsync$1.err" ||
		{ echo "bench: mbsync failed:" >&2; tail -n 20 "$pw/mbsync$1.err" >&2; exit 1; }
	find "$d/mail/INBOX/new" "$d/mail/INBOX/cur" -type f | wc -l >"$pw/mbsync$1.count"
}

i=1
while [ $i -le "$runs" ]; do
	run_liaison $i
	run_mbsync $i
	i=$((i + 1))
done
last=$runs
./liaison -c "$pw/sync$last.conf" stats --json >"$pw/stats.json"
./liaison -c "$pw/sync$last.conf" outbox --json >"$pw/outbox.json"
smtp_after_sync=$(find "$SMTP_DIR" -name '*.json' | wc -l)

$PY - "$pw" "$runs" "$nfiles" "$bytes" "$smtp_after_sync" "$(mbsync --version)" <<'PY'
import json, sys
pw, runs, count, size, smtp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
def best(tool):
    rows = []
    for i in range(1, runs + 1):
        secs, rss, user, sys_ = open(f"{pw}/{tool}{i}.time").read().split()[-4:]
        rows.append((float(secs), int(rss), float(user) + float(sys_), i))
    return min(rows), max(r[1] for r in rows), [r[0] for r in rows]
(l_secs, l_rss, l_cpu, _), l_rss_max, l_all = best("liaison")
(m_secs, m_rss, m_cpu, m_i), _, m_all = best("mbsync")
m_files = int(open(f"{pw}/mbsync{m_i}.count").read())
stats = json.load(open(f"{pw}/stats.json"))["total"]
outbox = json.load(open(f"{pw}/outbox.json"))
print()
print(f"1. initial sync of {count} messages ({size / 1e6:.0f} MB), best of {runs}, runs alternating")
print(f"{'':30} {'seconds':>8} {'cpu s':>7} {'msgs/s':>8} {'peak RSS':>9}   all runs (s)")
print(f"{'liaison poll --once':30} {l_secs:8.2f} {l_cpu:7.2f} {count / l_secs:8.0f} {l_rss / 1024:7.1f}MB   "
      + " ".join(f"{x:.2f}" for x in l_all))
print(f"{'mbsync (' + sys.argv[6] + ', FSync no)':30} {m_secs:8.2f} {m_cpu:7.2f} {count / m_secs:8.0f} {m_rss / 1024:7.1f}MB   "
      + " ".join(f"{x:.2f}" for x in m_all))
print(f"time ratio liaison/mbsync: {l_secs / m_secs:.2f}   (target <= 1.0)")
print(f"liaison peak RSS: {l_rss_max / 1024:.1f} MB (largest of the runs)   (target < 100 MB)")
print(f"liaison stored {stats['messages']} messages ({stats['quarantined']} quarantined, "
      f"{stats['threads']} threads; stats --json); mbsync wrote {m_files} files")
print(f"SMTP sink after the syncs: {smtp} messages; liaison outbox: {len(outbox)} rows   "
      f"(backfill_cutoff 24h: nothing may be sent)")
PY

if [ "${BENCH_PERF:-}" = 1 ] && command -v perf >/dev/null 2>&1; then
	write_conf "$pw/perf.conf" "$pw/perf.db"
	./liaison -c "$pw/perf.conf" init >/dev/null
	timeout 600 perf record -q -g -o "$pw/perf.data" ./liaison -c "$pw/perf.conf" poll --once \
		2>"$pw/perf.err" >/dev/null
	echo "perf: liaison poll --once, share of all samples by thread (pid column) and library:"
	perf report -i "$pw/perf.data" --stdio --no-children -s pid,dso -g none 2>/dev/null |
		grep -v '^#' | grep -v '^$' | head -n 14
fi

# --- 2. Auto-reply latency of the daemon (IDLE) --------------------------------------------
# Fresh database on the same INBOX (the 20,000 are synced first, without replies: they are
# old), then small person messages one at a time; see bench/latency.py.
write_conf "$pw/idle.conf" "$pw/idle.db"
./liaison -c "$pw/idle.conf" init >/dev/null
./liaison -c "$pw/idle.conf" poll 2>"$pw/daemon.log" &
daemon=$!
echo
echo "2. auto-reply latency: liaison poll (daemon, IDLE) on the same INBOX, fresh database, SMTP to the sink"
lat_rc=0
timeout 600 $PY bench/latency.py --port "$IMAP_PORT" --user troopk --password troopk-secret \
	--smtp-dir "$SMTP_DIR" --count "$lat_count" --timeout 10 --warmup-timeout 120 \
	--json "$pw/latency.json" || lat_rc=$?
[ "$lat_rc" -eq 0 ] || echo "latency: incomplete (exit $lat_rc); daemon log: $pw/daemon.log"
t0=$($PY -c 'import time; print(time.time())')
kill -TERM "$daemon"
i=0
while kill -0 "$daemon" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.05; i=$((i + 1)); done
if kill -0 "$daemon" 2>/dev/null; then
	kill -KILL "$daemon" 2>/dev/null || true
	echo "daemon: still running 15 s after SIGTERM; killed"
fi
d_rc=0
wait "$daemon" || d_rc=$?
daemon=
echo "daemon: stopped by SIGTERM in $($PY -c "import time; print(f'{(time.time() - $t0) * 1000:.0f}')") ms, exit $d_rc;" \
	"$(grep -c . "$pw/daemon.log" || true) log lines"
sh tests/servers/stop.sh "$srv" >/dev/null

# --- 3. Routing quality of what the sync of step 1 recorded --------------------------------
echo
echo "3. routing: categories recorded by the sync of step 1 (liaison messages --json)"
./liaison -c "$pw/sync$last.conf" messages --json >"$pw/messages.json"
sh bench/route.sh "$corpus" "$pw/messages.json"
