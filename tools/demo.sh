#!/bin/sh
# make demo: the main job on this machine with nothing configured by hand.  Starts a local
# Dovecot and SMTP receiver on loopback (tests/servers), loads a generated troop mailbox
# (tests/corpus), polls it once (old mail: no replies),
# delivers five new messages (a person, a Spanish speaker, an emergency, an out-of-office
# reply, a list mail), polls again, and shows the threads, the outbox and the auto-replies
# the SMTP receiver got.  Then it starts the web console and the poller and keeps them
# running, with one sign-in per role, until Ctrl-C (DEMO_ONESHOT=1: checks that the pages
# answer, then stops).  Everything lives in demo/.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
demo=$top/demo
PY=/usr/bin/python3
if [ -d "$demo/srv" ]; then sh tests/servers/stop.sh "$demo/srv" >/dev/null 2>&1 || true; fi
rm -rf "$demo"
mkdir -p "$demo"
chmod 755 "$demo"
sh tests/servers/start.sh "$demo/srv" >/dev/null
trap 'sh "$top/tests/servers/stop.sh" "$demo/srv" >/dev/null 2>&1' EXIT
. "$demo/srv/env.sh"
printf '%s\n' "$PASS_TROOPK" >"$demo/troopk.password"
chmod 600 "$demo/troopk.password"
cat >"$demo/liaison.conf" <<CONF
[liaison]
agency = Connecticut State Police (demo)
database = $demo/liaison.db
templates = $top/templates
routes = $top/config/routes.conf
timezone = America/New_York
urgent_notify = ctl-coordinator@ct.gov

[smtp]
url = smtp://127.0.0.1:$SMTP_PORT
tls = none

[mailbox K]
troop = K
address = TroopKCTL@ct.gov
display_name = Troop K CTL
imap = imap://127.0.0.1:$IMAP_PORT
tls = none
username = $USER_TROOPK
password_file = $demo/troopk.password
sent_folder = Sent

[user coordinator]
role = coordinator
display_name = CTL Program Coordinator

[user reyes]
role = ctl
troops = K
display_name = Tpr. Daniel Reyes

[user records]
role = records
display_name = Records Unit

[user admin]
role = admin
display_name = System Administrator
CONF
export LIAISON_CONFIG="$demo/liaison.conf"
export LIAISON_USER=coordinator
./liaison init

gen=$top/tests/corpus/gen-ctl-corpus.py
mkdir -p "$demo/old"
$PY "$gen" --count 300 --seed 7 --troops K --format eml --out "$demo/old" 2>/dev/null
rm -f "$demo/old/labels.jsonl"
echo "demo: generated $(ls "$demo/old" | grep -c '\.eml$') messages of troop K's past traffic"
$PY tests/servers/deliver.py append --port "$IMAP_PORT" --user "$USER_TROOPK" \
	--password "$PASS_TROOPK" --folder INBOX --internaldate "$demo/old" >/dev/null
echo
echo "\$ liaison poll --once        # the mailbox's history: filed, nobody answered"
./liaison poll --once
./liaison stats

$PY tools/demo-messages.py "$demo/new"
$PY tests/servers/deliver.py append --port "$IMAP_PORT" --user "$USER_TROOPK" \
	--password "$PASS_TROOPK" --folder INBOX "$demo/new" >/dev/null
echo
echo "demo: five new messages arrive: a person, a Spanish speaker, an emergency, an"
echo "      out-of-office reply and a mailing-list message"
echo "\$ liaison poll --once"
./liaison poll --once
echo
echo "\$ liaison messages   (the five new ones: person or machine, and the auto-reply decision)"
./liaison messages --json | $PY -c '
import json, sys
for m in json.load(sys.stdin):
    if m["folder"] == "INBOX" and (m.get("autoreply") or "").startswith(("queued", "none: machine")) and "demo-" in (m["message_id"] or ""):
        print("  %-13s %-30.30s %-7s %-16s %s" % (m["thread"], m["from"], m["kind"], m["categories"] or "-", m["autoreply"]))
'
echo
echo "\$ liaison threads   (newest first)"
./liaison threads | head -n 8
echo
echo "\$ liaison outbox"
./liaison outbox
echo
echo "demo: what the SMTP receiver got:"
$PY - "$SMTP_DIR" <<'PY'
import email, email.policy, glob, json, os, sys
for meta_path in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    meta = json.load(open(meta_path))
    msg = email.message_from_bytes(open(meta_path[:-5] + ".eml", "rb").read(), policy=email.policy.default)
    print("-" * 78)
    print(f"envelope: MAIL FROM:{meta['mail_from']}  RCPT TO:{', '.join(meta['rcpt_tos'])}")
    for h in ("From", "To", "Subject", "In-Reply-To", "Auto-Submitted", "X-Auto-Response-Suppress"):
        if msg[h]:
            print(f"{h}: {msg[h]}")
    print()
    print("\n".join(msg.get_body().get_content().splitlines()[:8]))
    print("[...]")
PY
echo
echo "demo: the database is $demo/liaison.db"
echo "      try: LIAISON_CONFIG=$demo/liaison.conf ./liaison --as reyes threads"

# The web console, with the poller running beside it (new mail appears in the browser).
for who in reyes coordinator records admin; do
	printf '%s\n' "demo-$who-password" | ./liaison --as admin passwd "$who" >/dev/null
done
./liaison poll >"$demo/poll.log" 2>&1 &
poll_pid=$!
./liaison web --listen "${DEMO_LISTEN:-127.0.0.1:8025}" >"$demo/web.out" 2>"$demo/web.err" &
web_pid=$!
trap 'kill $web_pid $poll_pid 2>/dev/null; wait $web_pid $poll_pid 2>/dev/null; sh "$top/tests/servers/stop.sh" "$demo/srv" >/dev/null 2>&1' EXIT
for _ in $(seq 1 100); do
	grep -q 'console is at' "$demo/web.out" 2>/dev/null && break
	kill -0 $web_pid 2>/dev/null || { cat "$demo/web.err"; echo "demo: liaison web did not start" >&2; exit 1; }
	sleep 0.1
done
url=$(sed -n 's/.*console is at \([^ ]*\) .*/\1/p' "$demo/web.out")
echo
echo "demo: the web console is at $url  (liaison poll runs beside it)"
echo "      sign in as   reyes / demo-reyes-password             (liaison, troop K)"
echo "                   coordinator / demo-coordinator-password (coordinator)"
echo "                   records / demo-records-password         (records staff)"
echo "                   admin / demo-admin-password             (administrator)"
if [ "${DEMO_ONESHOT:-0}" = 1 ]; then
	$PY - "$url" <<'PY'
import http.cookiejar, re, sys, urllib.parse, urllib.request
base = sys.argv[1].rstrip("/")
jar = http.cookiejar.CookieJar()
web = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
page = web.open(base + "/signin").read().decode()
token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
form = urllib.parse.urlencode({"csrf": token, "user": "reyes", "password": "demo-reyes-password", "next": "/"})
inbox = web.open(urllib.request.Request(base + "/signin", form.encode(), {"Origin": base})).read().decode()
assert "K-" in inbox and "Sign out" in inbox, "the inbox did not answer"
print("demo: the sign-in and the inbox answer")
PY
	exit 0
fi
echo "      Ctrl-C stops everything."
wait $web_pid
