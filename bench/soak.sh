#!/bin/sh
# make soak: `liaison poll` and `liaison web` side by side for DURATION seconds (3600) against
# the test Dovecot and SMTP sink (tests/servers), with a message delivered every second (one
# in five an emergency: the urgent auto-reply and the coordinator's notice flow too) and the
# console's pages requested one after another all the while (the inbox, all threads, a
# search, a thread, the outbox) by a signed-in liaison.
# Every INTERVAL seconds (60, or DURATION/60 when shorter) it samples each process's resident
# memory (VmRSS, and its peak VmHWM), its open file descriptors (/proc/PID/fd), the error
# lines of its log, what was filed and sent, and the requests made and refused; at the end it
# prints the table and the growth from the first sample after the warm-up (WARMUP: 300 s, or
# DURATION/5 when DURATION is under 30 minutes) to the last.
# Exit 1 when a process died, an error was logged, a page did not answer 200, or a
# process's file descriptors grew; memory growth is reported, for a person to judge.
# Everything it starts is stopped on exit, also on failure or interrupt.  Traffic goes to
# 127.0.0.1 only.  Work folder SOAK_DIR (/dev/shm/liaison-soak): logs and samples stay there.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
PY=/usr/bin/python3
for tool in curl sqlite3; do
	command -v $tool >/dev/null 2>&1 || { echo "soak: needs $tool" >&2; exit 1; }
done
duration=${DURATION:-3600}
interval=$((duration / 60))
[ $interval -le 60 ] || interval=60
[ $interval -ge 1 ] || interval=1
if [ $duration -ge 1800 ]; then warmup=${WARMUP:-300}; else warmup=${WARMUP:-$((duration / 5))}; fi
work=${SOAK_DIR:-/dev/shm/liaison-soak}
srv=$work/srv
web="" poll="" feeder="" reader=""

cleanup() {
	for p in $feeder $reader; do kill "$p" 2>/dev/null || true; done
	for p in $web $poll; do kill -TERM "$p" 2>/dev/null || true; done
	for p in $web $poll; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
		kill -KILL "$p" 2>/dev/null || true
	done
	sh "$top/tests/servers/stop.sh" "$srv" >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP PIPE
fail() {
	echo "soak: $1" >&2
	shift
	for f in "$@"; do [ -s "$f" ] && tail -n 20 "$f" >&2; done
	exit 1
}

make -s liaison
[ -d "$srv" ] && sh tests/servers/stop.sh "$srv" >/dev/null 2>&1 || true
rm -rf "$work"
mkdir -p "$work"
sh tests/servers/start.sh "$srv" >/dev/null 2>"$work/start.err" || fail "the test servers did not start" "$work/start.err"
. "$srv/env.sh"
printf 'troopk-secret\n' >"$work/troopk.pw"
chmod 600 "$work/troopk.pw"
cat >"$work/s.conf" <<CONF
[liaison]
database = $work/s.db
timezone = America/New_York
templates = $top/templates
routes = $top/config/routes.conf
urgent_notify = coordinator@ct.gov
; every message comes from a new sender of one domain
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
password_file = $work/troopk.pw
sent_folder = Sent

[user soak]
role = ctl
troops = K

[user admin]
role = admin
CONF
export LIAISON_CONFIG=$work/s.conf LIAISON_USER=admin
./liaison init >/dev/null

./liaison poll 2>"$work/poll.log" &
poll=$!
. "$top/bench/web_session.sh"
web_start "$work"
web_signin "$work" soak 'soak web console password'

end=$(($(date +%s) + duration))
# The feeder: one message a second until the end, every fifth an emergency.
$PY - "$IMAP_PORT" "$end" "$work/fed.log" <<'PY' 2>"$work/feed.err" &
import imaplib, sys, time, email.utils
port, end, log = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
imap = imaplib.IMAP4("127.0.0.1", port)
imap.login("troopk", "troopk-secret")
n = 0
while time.time() < end:
    n += 1
    urgent = n % 5 == 0
    text = ("There were shots fired on our street right now, a man with a gun is threatening us."
            if urgent else "A question about the neighbourhood watch meeting next week, number %d." % n)
    msg = ("From: Resident %d <resident-%d@people.example>\r\nTo: TroopKCTL@ct.gov\r\n"
           "Subject: %s %d\r\nMessage-ID: <soak-%d-%d@people.example>\r\nDate: %s\r\n\r\n%s\r\n"
           % (n, n, "Help" if urgent else "Question", n, n, int(end), email.utils.formatdate(),
              text)).encode()
    imap.append("INBOX", None, None, msg)
    with open(log, "a") as f:
        f.write("%d %d\n" % (time.time(), n))
    time.sleep(max(0.0, 1.0 - (time.time() % 1.0)))
imap.logout()
PY
feeder=$!

# The reader: the pages one after another (a tenth of a second apart), each status logged.
cat >"$work/read.sh" <<SH
while [ \$(date +%s) -lt $end ]; do
	ref=\$(sqlite3 "$work/s.db" "SELECT ref FROM threads ORDER BY id DESC LIMIT 1" 2>/dev/null || true)
	for path in "/" "/?view=all" "/?q=neighbourhood" "/t/\$ref" "/outbox"; do
		[ "\$path" = "/t/" ] && continue
		code=\$(curl -s -o /dev/null -m 30 -H "Cookie: $cookie" -w '%{http_code}' "$base\$path" || echo 000)
		echo "\$code \$path" >>"$work/requests.log"
		sleep 0.1
	done
done
SH
: >"$work/requests.log"
sh "$work/read.sh" &
reader=$!

# proc PID FIELD: a /proc/PID/status field in kB; fds PID: open descriptors.
proc() { sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status" 2>/dev/null || echo 0; }
fds() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
errors() { grep -c "^liaison: error:" "$1" 2>/dev/null || true; }
count() { sqlite3 "$work/s.db" "$1" 2>/dev/null || echo "?"; }
samples=$work/samples.txt
echo "t_s poll_rss_kb poll_hwm_kb poll_fds poll_errors web_rss_kb web_hwm_kb web_fds web_errors filed sent requests not_200" >"$samples"
start=$(date +%s)
died=""
while :; do
	now=$(date +%s)
	for p in $poll $web; do kill -0 "$p" 2>/dev/null || died="$died $p"; done
	[ -z "$died" ] || break
	printf '%d %s %s %s %s %s %s %s %s %s %s %s %s\n' $((now - start)) \
		"$(proc $poll VmRSS)" "$(proc $poll VmHWM)" "$(fds $poll)" "$(errors "$work/poll.log")" \
		"$(proc $web VmRSS)" "$(proc $web VmHWM)" "$(fds $web)" "$(errors "$work/web.err")" \
		"$(count "SELECT count(*) FROM custody WHERE folder = 'INBOX'")" \
		"$(count "SELECT count(*) FROM outbox WHERE status = 'sent'")" \
		"$(wc -l <"$work/requests.log")" "$(grep -vc '^200 ' "$work/requests.log" || true)" >>"$samples"
	[ "$now" -lt "$end" ] || break
	sleep $interval
done

echo "soak: $duration s, a sample every $interval s, warm-up $warmup s; work folder $work"
column -t "$samples" 2>/dev/null || cat "$samples"
status=0
[ -z "$died" ] || { echo "soak: FAIL: a process died:$( for p in $died; do [ "$p" = "$poll" ] && printf ' poll'; [ "$p" = "$web" ] && printf ' web'; done)"; status=1; }
$PY - "$samples" "$warmup" <<'PY' || status=1
import sys
rows = [l.split() for l in open(sys.argv[1])]
head, rows = rows[0], [list(map(lambda v: int(v) if v.lstrip("-").isdigit() else 0, r)) for r in rows[1:]]
col = {name: i for i, name in enumerate(head)}
after = [r for r in rows if r[0] >= int(sys.argv[2])] or rows[-1:]
first, last = after[0], rows[-1]
# a page being served holds a descriptor or two for an instant: the fewest over three
# samples at each end is what the process keeps
def fewest(window, name):
    return min(r[col[name]] for r in window)
print("growth from t=%d s to t=%d s:" % (first[0], last[0]))
bad = []
for proc in ("poll", "web"):
    rss = last[col[proc + "_rss_kb"]] - first[col[proc + "_rss_kb"]]
    hwm = last[col[proc + "_hwm_kb"]] - first[col[proc + "_hwm_kb"]]
    fds_first, fds_last = fewest(after[:3], proc + "_fds"), fewest(rows[-3:], proc + "_fds")
    fds = fds_last - fds_first
    errs = last[col[proc + "_errors"]]
    print("  %-4s RSS %+d kB (%d -> %d), peak %+d kB, fds %+d (%d -> %d), error lines %d"
          % (proc, rss, first[col[proc + "_rss_kb"]], last[col[proc + "_rss_kb"]], hwm, fds,
             fds_first, fds_last, errs))
    if fds > 0:
        bad.append("%s's file descriptors grew by %d" % (proc, fds))
    if errs > 0:
        bad.append("%s logged %d error lines" % (proc, errs))
print("  filed %d messages, sent %d, %d page requests, %d not 200"
      % (last[col["filed"]], last[col["sent"]], last[col["requests"]], last[col["not_200"]]))
if last[col["not_200"]] > 0:
    bad.append("%d page requests did not answer 200" % last[col["not_200"]])
for b in bad:
    print("soak: FAIL: " + b)
sys.exit(1 if bad else 0)
PY
if [ $status -ne 0 ]; then
	grep -h "^liaison: error:" "$work/poll.log" "$work/web.err" 2>/dev/null | head -n 5
	grep -v '^200 ' "$work/requests.log" | sort | uniq -c | head -n 5
fi
[ $status -eq 0 ] && echo "soak: passed" || echo "soak: FAILED"
exit $status
