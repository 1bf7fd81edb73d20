# A troop mailbox as it really is: the community's mail in INBOX and the liaisons' replies
# in Sent, both full, synced in one run; every message stored once, the replies filed in
# their conversations' threads, nobody answered for old mail; and a folder state that lags
# behind what is stored (a crash between the two) is harmless.
# duration: 10 s
. "$TOP/tests/integration/lib.sh"
have_corpus_gen || fail "corpus generator $CORPUS_GEN not found"
cd "$TMPDIR"
start_servers
write_poll_config p.conf "$TMPDIR/p.db"
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null
$PY "$CORPUS_GEN" --count 1500 --seed 41 --troops K --out corpus 2>/dev/null
split_by_direction corpus in out
$PY "$TOP/tests/servers/deliver.py" append --port "$IMAP_PORT" --user troopk --password troopk-secret --folder INBOX --internaldate in >/dev/null
$PY "$TOP/tests/servers/deliver.py" append --port "$IMAP_PORT" --user troopk --password troopk-secret --folder Sent --internaldate out >/dev/null
$LIAISON poll --once 2>poll.err || { cat poll.err; fail "poll of INBOX and Sent"; }
$LIAISON messages --json >m.json
expect_eq "INBOX stored" "$(ls in | wc -l)" "$(json 'sum(1 for m in d if m["folder"] == "INBOX")' m.json)"
expect_eq "Sent stored" "$(ls out | wc -l)" "$(json 'sum(1 for m in d if m["folder"] == "Sent")' m.json)"
expect_eq "Sent is the troop writing" 0 "$(json 'sum(1 for m in d if m["folder"] == "Sent" and m["direction"] != "out")' m.json)"
expect_eq "old mail: nobody answered" 0 "$(smtp_count)"
score=$($PY "$TOP/tools/thread-score.py" corpus/labels.jsonl liaison m.json)
echo "threading over IMAP: $score"
set -- $score
$PY -c "import sys; sys.exit(0 if float(sys.argv[1]) >= 0.999 and float(sys.argv[2]) >= 0.99 else 1)" "$2" "$4" \
	|| fail "threading precision $2 recall $4"

# The state lags (as after a crash between storing and recording it): fetched again, stored
# once.
sqlite3 p.db "UPDATE folders SET last_uid = 0"
$LIAISON poll --once 2>again.err || { cat again.err; fail "poll after the state went back"; }
$LIAISON stats --json >s.json
expect_eq "nothing stored twice" "$(ls corpus/cur | wc -l)" "$(json 'd["total"]["messages"]' s.json)"
expect_eq "no extra arrivals" "$(ls corpus/cur | wc -l)" "$(json 'd["total"]["arrivals"]' s.json)"
expect_eq "the state caught up" "$(ls in | wc -l)" "$(sqlite3 p.db "SELECT last_uid FROM folders WHERE name = 'INBOX'")"
