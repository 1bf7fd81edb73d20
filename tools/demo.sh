#!/bin/sh
# make demo: a troop mailbox with nothing configured by hand.  Generates a small corpus
# (or uses the sample shipped in tests/fixtures/ when ../shared is absent), imports it into a
# fresh database under demo/, and shows the threads, one thread and the counts.
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
demo=$top/demo
rm -rf "$demo"
mkdir -p "$demo"
cat >"$demo/liaison.conf" <<CONF
[liaison]
database = $demo/liaison.db
timezone = America/New_York

[mailbox K]
troop = K
address = TroopKCTL@ct.gov
sent_folder = Sent
CONF
gen=$top/../shared/corpus/gen-ctl-corpus.py
if [ -f "$gen" ]; then
	/usr/bin/python3 "$gen" --count 400 --seed 7 --troops K --out "$demo/corpus" 2>/dev/null
	src=$demo/corpus
	echo "demo: generated 400 messages of troop K traffic into $src"
else
	src=$top/tests/fixtures/sample/troop-k.mbox
	echo "demo: ../shared is absent; using the sample $src"
fi
export LIAISON_CONFIG="$demo/liaison.conf"
./liaison init
echo
echo "\$ liaison import --mailbox K $src"
./liaison import --mailbox K "$src"
echo
echo "\$ liaison threads --mailbox K   (first 25)"
./liaison threads --mailbox K | head -n 26
ref=$(./liaison threads --mailbox K --json | /usr/bin/python3 -c \
	'import json,sys; t=[t for t in json.load(sys.stdin) if t["kind"]=="person" and t["message_count"]>=3]; print(t[0]["ref"] if t else "")')
if [ -n "$ref" ]; then
	echo
	echo "\$ liaison show $ref"
	./liaison show "$ref"
fi
echo
echo "\$ liaison stats"
./liaison stats
echo
echo "demo: the database is $demo/liaison.db; try: LIAISON_CONFIG=$demo/liaison.conf ./liaison messages"
