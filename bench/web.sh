#!/bin/sh
# make bench, the web console: `liaison web` over the 200,000-message store of bench/foia.sh
# (11 troops; a copy of it, so the FOIA figures are not disturbed), while `liaison poll` files
# new mail into it: the test Dovecot of tests/servers holds troop K's mailbox and a loop
# delivers messages to it (tests/servers/deliver.py) for the whole of the measurements.
# Signed in once (liaison passwd, then POST /signin), wrk loads, with 32 connections and 2
# threads for BENCH_WEB_SECONDS (10) each, with --latency:
#   the inbox's first page, a deep page (the "Older threads" link followed 50 times), a thread
#   of 50 messages (made for the bench: the corpus's longest has 9), and a search;
# then p50/p99 latency, requests/s and non-2xx/socket errors (target p99 < 50 ms, 0 errors),
# the server's peak resident memory (VmHWM, target < 60 MB), each page's weight (the HTML, the
# style sheet and the script: target < 100 KB), and what the poller's writes cost a page: the
# thread page (the one page that writes: it marks the thread seen) again with the delivery
# paused, against its run with the poller filing.
# The server runs with the defaults of [web]: threads = 2, max_connections = 64.
# Prints figures; asserts nothing.  Exit 1 when a step cannot run (liaison web does not start,
# the sign-in fails, a server does not start).  Every server and daemon it starts is stopped
# on exit, also on failure or interrupt.
# Environment: BENCH_FOIA_DIR, BENCH_FOIA_COUNT (the store: bench/bigstore.sh),
# BENCH_WEB_DIR (/dev/shm/liaison-bench-web: the copy, servers, logs), BENCH_WEB_SECONDS (10),
# BENCH_WEB_BATCH (5: messages per delivery, one every half second).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
PY=/usr/bin/python3
gen=$top/tests/corpus/gen-ctl-corpus.py
command -v wrk >/dev/null 2>&1 || { echo "bench: needs wrk (Debian package wrk)" >&2; exit 1; }
command -v curl >/dev/null 2>&1 || { echo "bench: needs curl" >&2; exit 1; }
command -v sqlite3 >/dev/null 2>&1 || { echo "bench: needs sqlite3" >&2; exit 1; }
count=${BENCH_FOIA_COUNT:-200000}
foia=${BENCH_FOIA_DIR:-/dev/shm/liaison-bench-foia}
work=${BENCH_WEB_DIR:-/dev/shm/liaison-bench-web}
secs=${BENCH_WEB_SECONDS:-10}
batch=${BENCH_WEB_BATCH:-5}
run=$work/run
srv=$work/srv
web="" poll="" feeder=""

cleanup() {
	[ -z "$feeder" ] || kill "$feeder" 2>/dev/null || true
	for p in $web $poll; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in $web $poll; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		kill -KILL "$p" 2>/dev/null || true
	done
	sh "$top/tests/servers/stop.sh" "$srv" >/dev/null 2>&1 || true
	# the bulky parts go; logs stay in $run
	rm -f "$run"/w.db "$run"/w.db-* 2>/dev/null || true
	rm -rf "${srv:?}/home" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE
fail() {
	echo "bench: web: $1" >&2
	shift
	for f in "$@"; do [ -s "$f" ] && tail -n 20 "$f" >&2; done
	exit 1
}

make -s liaison
# The store: bench/foia.sh's (bench/bigstore.sh builds it when missing or stale), copied.
stamp_want="$count $(sha256sum "$gen" | cut -c1-16)"
if [ "$(cat "$foia/stamp" 2>/dev/null)" != "$stamp_want" ] || [ ! -f "$foia/f.db" ]; then
	sh bench/bigstore.sh
fi
[ -d "$srv" ] && sh tests/servers/stop.sh "$srv" >/dev/null 2>&1 || true
rm -rf "$run" "$srv"
mkdir -p "$run"
sqlite3 "$foia/f.db" ".backup '$run/w.db'"

echo
echo "bench: liaison web on a copy of the $count-message store, liaison poll filing meanwhile; work folder $work"
echo "   load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (wrk, the server, the poller, Dovecot share them)"
sh tests/servers/start.sh "$srv" >/dev/null 2>"$run/start.err" || fail "the test servers did not start" "$run/start.err"
. "$srv/env.sh"
printf 'troopk-secret\n' >"$run/troopk.pw"
chmod 600 "$run/troopk.pw"
# Troop K's mailbox is the test Dovecot's troopk; the other troops' are not polled.  The
# reader is a liaison of all eleven troops (a ctl: no second factor at sign-in), so every
# page reads the whole store as the coordinator's would.
{
	cat <<CONF
[liaison]
database = $run/w.db
timezone = America/New_York
templates = $top/templates
routes = $top/config/routes.conf
; the delivery loop writes from many senders of a few domains
autoreply_domain_limit = 100000

[smtp]
url = smtp://127.0.0.1:$SMTP_PORT
tls = none
timeout = 10s

[mailbox K]
troop = K
address = TroopKCTL@ct.gov
imap = imap://127.0.0.1:$IMAP_PORT
tls = none
username = troopk
password_file = $run/troopk.pw
CONF
	for t in A B C D E F G H I L; do
		printf '\n[mailbox %s]\ntroop = %s\naddress = Troop%sCTL@ct.gov\n' "$t" "$t" "$t"
	done
	printf '\n[user bench]\nrole = ctl\ntroops = ABCDEFGHIKL\n\n[user admin]\nrole = admin\n'
} >"$run/w.conf"
export LIAISON_CONFIG=$run/w.conf LIAISON_USER=admin
./liaison init >/dev/null

# A thread of 50 messages in troop K (the corpus has none so long): a resident and the troop
# writing back and forth, each message two short paragraphs and the start of the last one
# quoted (about 600 bytes of text; the corpus's messages average 160).
$PY - "$run/long" <<'PY'
import os, sys, email.utils
out = sys.argv[1]
os.makedirs(out)
words = ("the meeting at the barracks went well and we talked about the traffic on route nine, "
         "the school crossing near the library, and how the neighbourhood watch can reach the "
         "troop after hours when something does not feel right ").split()
prev, refs, quoted = None, [], ""
for i in range(50):
    person = i % 2 == 0
    frm = '"Marisol Ortega" <marisol.ortega@example.org>' if person else "Troop K CTL <TroopKCTL@ct.gov>"
    to = "TroopKCTL@ct.gov" if person else '"Marisol Ortega" <marisol.ortega@example.org>'
    mid = "<bench-long-%02d@%s>" % (i, "example.org" if person else "ct.gov")
    date = email.utils.formatdate(1790000000 + i * 5400, localtime=False)
    body = "\n\n".join(" ".join(words[(i * 7 + p * 13 + k) % len(words)] for k in range(35))
                       for p in range(2))
    text = ("Hello,\n\n" if not person else "Good morning,\n\n") + body + "\n\nThank you,\n" + \
           ("Marisol" if person else "Trooper Reyes, Community Trust Liaison") + "\n"
    if quoted:
        text += "\n-----Original Message-----\n" + "".join("> " + l + "\n" for l in quoted.splitlines()[:4])
    head = ["From: " + frm, "To: " + to, "Subject: " + ("Re: " if i else "") + "Neighbourhood watch and the school crossing",
            "Date: " + date, "Message-ID: " + mid, "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8"]
    if prev:
        head += ["In-Reply-To: " + prev, "References: " + " ".join(refs[-10:])]
    with open(os.path.join(out, "%02d.eml" % i), "w") as f:
        f.write("\n".join(head) + "\n\n" + text)
    prev, quoted = mid, text
    refs.append(mid)
PY
./liaison import --mailbox K "$run/long" >/dev/null
long_ref=$(sqlite3 "$run/w.db" "SELECT t.ref FROM threads t JOIN placements p ON p.thread_id = t.id JOIN messages m ON m.id = p.message_id WHERE m.message_id = 'bench-long-49@ct.gov' OR m.message_id = '<bench-long-49@ct.gov>' LIMIT 1")
long_count=$(sqlite3 "$run/w.db" "SELECT message_count FROM threads WHERE ref = '$long_ref'")
long_text=$(sqlite3 "$run/w.db" "SELECT sum(length(m.body)) FROM threads t JOIN placements p ON p.thread_id = t.id JOIN messages m ON m.id = p.message_id WHERE t.ref = '$long_ref'")
[ -n "$long_ref" ] || fail "the 50-message thread was not filed"

# New mail for the delivery loop: troop K's traffic of today (so it is answered: the poller
# queues and sends auto-replies to the SMTP sink as it would).  Kept between runs by stamp.
today=$(date -u +%F)
dstamp="3000 $today $(sha256sum "$gen" | cut -c1-16)"
if [ "$(cat "$work/deliver/stamp" 2>/dev/null)" != "$dstamp" ]; then
	rm -rf "$work/deliver"
	$PY "$gen" --count 3000 --seed 56 --troops K --start "$today" --days 1 --out "$work/deliver" 2>/dev/null
	echo "$dstamp" >"$work/deliver/stamp"
fi

# The poller: first sync of the (empty) INBOX, then IDLE.
./liaison poll 2>"$run/poll.log" &
poll=$!
sleep 2
kill -0 "$poll" 2>/dev/null || fail "liaison poll exited" "$run/poll.log"
# what the poller filed from IMAP (custody rows: the auto-replies it sends are recorded in
# their threads too, but they have none)
filed() { sqlite3 "$run/w.db" "SELECT count(*) FROM custody c JOIN mailboxes m ON m.id = c.mailbox_id WHERE m.name = 'K' AND c.folder = 'INBOX'"; }

# The delivery loop: BENCH_WEB_BATCH messages every half second until stop.feed appears (or
# the messages run out); each delivery is logged.
cat >"$run/feed.sh" <<SH
cd "$work/deliver/cur"
set -- \$(ls)
while [ \$# -gt 0 ] && [ ! -f "$run/stop.feed" ]; do
	if [ -f "$run/pause.feed" ]; then sleep 0.2; continue; fi
	files=
	n=0
	while [ \$# -gt 0 ] && [ \$n -lt $batch ]; do files="\$files \$1"; shift; n=\$((n + 1)); done
	$PY "$top/tests/servers/deliver.py" append --port "$IMAP_PORT" --user troopk \
		--password troopk-secret --folder INBOX --batch $batch \$files >/dev/null 2>>"$run/feed.err" &&
		echo "\$(date +%s.%N) \$n" >>"$run/fed.log"
	sleep 0.5
done
SH
: >"$run/fed.log"

# The console, with [web]'s defaults (threads 2, max_connections 64), and the reader signed in.
. "$top/bench/web_session.sh"
web_start "$run"
web_signin "$run" bench 'bench web console password'
cd "$run"
# the server's memory once signed in: the sign-in verified an Argon2id password hash
# (libsodium's INTERACTIVE limit, 64 MiB) and no page has been read yet
hwm_signin=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$web/status")
get() { # NAME PATH: the page into NAME.html; prints the HTTP status
	curl -s -o "$1.html" -H "Cookie: $cookie" -w '%{http_code}' "$base$2"
}
[ "$(get first '/?view=all')" = 200 ] || fail "the signed-in inbox is not 200" first.html

# The deep page: the "Older threads" link followed 50 times (page 51: threads 2,501 to 2,550).
deep='/?view=all'
i=0
while [ $i -lt 50 ]; do
	[ "$(get deep "$deep")" = 200 ] || fail "inbox page $i is not 200" deep.html
	next=$(sed -n 's/.*<a rel="next" href="\([^"]*\)".*/\1/p' deep.html | sed 's/&amp;/\&/g')
	[ -n "$next" ] || fail "inbox page $((i + 1)) has no Older threads link"
	deep=$next
	i=$((i + 1))
done
word=trooper
search="/?q=$word"
pages="first|/?view=all deep|$deep thread|/t/$long_ref search|$search"
for p in $pages; do
	[ "$(get "${p%%|*}" "${p#*|}")" = 200 ] || fail "${p#*|} is not 200" "${p%%|*}.html"
done
hits=$(sed -n 's/.*<p class="total">\([0-9]*\) found.*/\1/p' search.html)
# what the frame of every page loads (its style sheets and script), as the inbox page names them
assets=$(grep -o '/static/[a-z.]*' first.html | sed 's|/static/||' | sort -u)
for a in $assets; do curl -s -o "$a" "$base/static/$a"; done
echo "$assets" >assets.list

# The measurements, the delivery loop running throughout.
filed0=$(filed)
smtp0=$(find "$SMTP_DIR" -name '*.json' | wc -l)
t0=$(date +%s.%N)
sh "$run/feed.sh" &
feeder=$!
sleep 2 # the first deliveries are in before the first page is timed
# wrk's timeout is 30 s, so that a slow answer is counted in the latencies and not only as
# a timeout; after each run the server is let finish what the run left queued (it answers
# a request of a closed connection too) before the next starts.
load() { # NAME PATH
	wrk -t2 -c32 -d"${secs}s" --timeout 30s --latency -s "$top/bench/web.lua" -H "Cookie: $cookie" \
		"$base$2" >"wrk-$1.out" 2>&1 || fail "wrk failed on $2" "wrk-$1.out"
	# idle: under 2 clock ticks of CPU in half a second, then a request answered
	i=0
	while [ $i -lt 600 ]; do
		c0=$(($(cut -d' ' -f14,15 "/proc/$web/stat" | tr ' ' +)))
		sleep 0.5
		[ $(($(cut -d' ' -f14,15 "/proc/$web/stat" | tr ' ' +) - c0)) -ge 2 ] || break
		i=$((i + 1))
	done
	curl -s -o /dev/null --max-time 300 "$base/static/app.css" || fail "liaison web stopped answering" "$run/web.err"
}
for p in $pages live\|/live; do
	load "${p%%|*}" "${p#*|}"
done
# The thread page again with the delivery paused (nothing to file once the poller caught up).
touch pause.feed
sleep 3
load quiet "/t/$long_ref"
rm -f pause.feed
sleep 1
touch stop.feed
wait "$feeder" || true
feeder=
t1=$(date +%s.%N)
sleep 2 # what was delivered last is filed
filed1=$(filed)
smtp1=$(find "$SMTP_DIR" -name '*.json' | wc -l)
hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$web/status")
rss=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$web/status")
kill -0 "$poll" 2>/dev/null || fail "liaison poll died during the run" "$run/poll.log"

$PY - "$run" "$secs" "$long_count $long_text" "$word" "${hits:-?}" "$filed0" "$filed1" "$smtp0" "$smtp1" \
	"$t0" "$t1" "$hwm" "$rss" "$hwm_signin" <<'PY'
import os, re, sys
run, secs, long_, word, hits = sys.argv[1:6]
long_count, long_text = long_.split()
filed0, filed1, smtp0, smtp1 = map(int, sys.argv[6:10])
t0, t1, hwm, rss = float(sys.argv[10]), float(sys.argv[11]), int(sys.argv[12]), int(sys.argv[13])
hwm_signin = int(sys.argv[14])
fed = sum(int(l.split()[1]) for l in open(f"{run}/fed.log") if l.strip())
def wrk(name):
    out = open(f"{run}/wrk-{name}.out").read()
    m = re.search(r"^WRK (.*)$", out, re.M)
    d = {k: float(v) for k, v in (kv.split("=") for kv in m.group(1).split())}
    d["errors"] = d["non2xx"] + d["connect"] + d["read"] + d["write"] + d["timeout"]
    return d
def size(name):
    return os.path.getsize(f"{run}/{name}")
asset_names = open(f"{run}/assets.list").read().split()
assets = sum(size(a) for a in asset_names)
rows = [("first", "inbox, first page (/?view=all)"),
        ("deep", "inbox, page 51 (Older threads x50)"),
        ("thread", f"thread of {long_count} messages ({int(long_text) // 1000} KB text)"),
        ("search", f"search /?q={word} ({hits} hits)"),
        ("live", "/live (each open page, every 4 s)")]
print(f"   pages signed in as a liaison of all 11 troops, wrk -t2 -c32 -d{secs}s --latency; server: [web] defaults, threads 2, max_connections 64")
print(f"   {'':38} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'req/s':>7} {'errors':>7} {'weight':>8}")
for name, label in rows:
    d = wrk(name)
    weight = f"{(size(f'{name}.html') + assets) / 1024:6.1f}KB" if name != "live" else "-"
    print(f"   {label:38} {d['p50']:7.1f} {d['p99']:7.1f} {d['max']:7.0f} {d['requests'] / d['seconds']:7.1f} "
          f"{d['errors']:7.0f} {weight:>8}")
    if d["errors"]:
        print(f"      errors: {d['non2xx']:.0f} non-2xx, socket: connect {d['connect']:.0f}, read {d['read']:.0f}, "
              f"write {d['write']:.0f}, timeout {d['timeout']:.0f}")
print("   targets: p99 < 50 ms, 0 errors (non-2xx + socket), weight < 100 KB (the HTML + "
      + " + ".join(f"{a} {size(a)} B" for a in asset_names) + ", uncompressed)")
q, t = wrk("quiet"), wrk("thread")
print(f"   liaison web peak RSS (VmHWM after the runs): {hwm / 1024:.1f} MB   (target < 60 MB); RSS now {rss / 1024:.1f} MB;\n"
      f"   VmHWM after the sign-in, before any page: {hwm_signin / 1024:.1f} MB (an Argon2id verification takes 64 MiB)")
print(f"   meanwhile: {fed} messages delivered to troopk's INBOX, {filed1 - filed0} filed by liaison poll "
      f"in {t1 - t0:.0f} s ({(filed1 - filed0) / (t1 - t0):.1f}/s), {smtp1 - smtp0} auto-replies sent to the SMTP sink")
print(f"   the poller's writes: the thread page marks the thread seen (a write, so it waits for the "
      f"poller's transaction);\n   its run with the poller filing p99 {t['p99']:.1f} ms, max {t['max']:.0f} ms; "
      f"again with the delivery paused p99 {q['p99']:.1f} ms, max {q['max']:.0f} ms, {q['requests'] / q['seconds']:.1f} req/s;\n"
      f"   the read-only pages' max latency with the poller filing: "
      + ", ".join(f"{n} {wrk(n)['max']:.0f} ms" for n, _ in rows if n != "thread"))
PY
