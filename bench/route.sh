#!/bin/sh
# Routing quality: per-category recall and precision of config/routes.conf against the
# ground truth of a generated corpus.  Prints figures and whether the targets are met;
# asserts nothing (set ROUTE_TARGETS=1 to exit 1 when a target of tools/route-score.py
# --targets is missed).
#
#   bench/route.sh CORPUS_DIR [MESSAGES.json]
#
# CORPUS_DIR is a gen-ctl-corpus.py output (it holds labels.jsonl), for example
#   /usr/bin/python3 tests/corpus/gen-ctl-corpus.py --count 5000 --seed 5 --troops KL --out DIR
# MESSAGES.json is `liaison messages --json` of a database into which `liaison poll` stored
# the corpus (import and poll route alike; poll also proves the IMAP path);
# bench/poll.sh makes one.  Without it, this script makes it: it starts the test servers
# (tests/servers) in a temporary folder, appends the corpus to troopk's INBOX, runs
# `liaison poll --once` on a fresh database with one mailbox whose aliases are all eleven
# troop addresses (so every troop's person mail counts as addressed to it), and stops them.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
PY=/usr/bin/python3
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: bench/route.sh CORPUS_DIR [MESSAGES.json]" >&2; exit 2; }
corpus=$1
labels=$corpus/labels.jsonl
[ -f "$labels" ] || { echo "bench: no $labels (make one with gen-ctl-corpus.py)" >&2; exit 2; }

if [ $# -eq 2 ]; then
	json=$2
	[ -f "$json" ] || { echo "bench: no $json" >&2; exit 2; }
else
	[ -x ./liaison ] || { echo "bench: build ./liaison first (make liaison)" >&2; exit 2; }
	tmp=$(mktemp -d /tmp/liaison-route.XXXXXX)
	srv=$tmp/srv
	trap 'sh tests/servers/stop.sh "$srv" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
	trap 'exit 130' INT TERM HUP PIPE
	sh tests/servers/start.sh "$srv" >/dev/null
	. "$srv/env.sh"
	timeout 300 $PY tests/servers/deliver.py append --port "$IMAP_PORT" --user troopk \
		--password troopk-secret --folder INBOX --internaldate --batch 500 "$corpus/cur" 2>/dev/null
	printf 'troopk-secret\n' >"$tmp/troopk.pw"
	chmod 600 "$tmp/troopk.pw"
	cat >"$tmp/route.conf" <<CONF
[liaison]
database = $tmp/route.db
templates = $top/templates
routes = $top/config/routes.conf

[smtp]
url = smtp://127.0.0.1:$SMTP_PORT
tls = none

[mailbox K]
troop = K
address = TroopKCTL@ct.gov
aliases = TroopACTL@ct.gov, TroopBCTL@ct.gov, TroopCCTL@ct.gov, TroopDCTL@ct.gov, TroopECTL@ct.gov, TroopFCTL@ct.gov, TroopGCTL@ct.gov, TroopHCTL@ct.gov, TroopICTL@ct.gov, TroopLCTL@ct.gov
imap = imap://127.0.0.1:$IMAP_PORT
tls = none
username = troopk
password_file = $tmp/troopk.pw

[user bench]
role = admin
CONF
	./liaison -c "$tmp/route.conf" init >/dev/null
	timeout 600 ./liaison -c "$tmp/route.conf" poll --once
	json=$tmp/messages.json
	LIAISON_USER=bench ./liaison -c "$tmp/route.conf" messages --json >"$json"
fi

echo "routing of $(wc -l <"$labels") labelled messages by config/routes.conf (liaison poll), scored against $labels"
rc=0
/usr/bin/python3 tools/route-score.py --targets "$labels" "$json" || rc=$?
if [ "$rc" -eq 0 ]; then
	echo "targets (recall >= 0.98 for emergency, hate-crime, domestic-violence, sexual-assault; precision >= 0.9; first messages from people): met"
else
	echo "targets (recall >= 0.98 for emergency, hate-crime, domestic-violence, sexual-assault; precision >= 0.9; first messages from people): MISSED (lines above)"
fi
[ -n "${ROUTE_TARGETS:-}" ] && exit "$rc"
exit 0
