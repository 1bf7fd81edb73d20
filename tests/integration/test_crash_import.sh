# SIGKILL in the middle of an import, again and again: the database stays consistent, every
# rerun takes exactly what is missing, and in the end each message is stored once.
# duration: 21 s
. "$TOP/tests/integration/lib.sh"
have_corpus_gen || fail "corpus generator $CORPUS_GEN not found"
cd "$TMPDIR"
$PY "$CORPUS_GEN" --count 6000 --seed 8 --troops K --out md 2>/dev/null
total=$(find md/cur md/new -type f | wc -l)
write_config c.conf "$TMPDIR/c.db"
export LIAISON_CONFIG=$TMPDIR/c.conf
$LIAISON init >/dev/null

# count: custody rows; a read that fails is a failure (never a count of 0).  While an import
# writes, a read may be refused (busy): count_now says -1, "not yet", to the waiting loop only.
count() {
	c=$(sqlite3 c.db 'SELECT count(*) FROM custody') || fail "cannot count custody rows"
	case $c in '' | *[!0-9]*) fail "custody count '$c' is not a number" ;; esac
	echo "$c"
}
count_now() { sqlite3 c.db 'SELECT count(*) FROM custody' 2>/dev/null || echo -1; }
mid=0
for round in 1 2 3 4 5 6; do
	before=$(count)
	$LIAISON import --mailbox K md >/dev/null 2>&1 &
	pid=$!
	# Wait (as long as the import runs) for its first batch to be committed, then kill it.
	while kill -0 $pid 2>/dev/null && [ "$(count_now)" -le "$before" ]; do :; done
	kill -9 $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	after=$(count)
	# In the middle: this run committed something, and something is still missing.
	if [ "$after" -gt "$before" ] && [ "$after" -lt "$total" ]; then
		mid=$((mid + 1))
	fi
	expect_eq "round $round integrity" ok "$(sqlite3 c.db 'PRAGMA integrity_check')"
	# Stored rows always agree: no message without custody, no custody without message.
	expect_eq "round $round orphans" 0 "$(sqlite3 c.db 'SELECT (SELECT count(*) FROM messages WHERE id NOT IN (SELECT message_id FROM custody)) + (SELECT count(*) FROM custody WHERE message_id NOT IN (SELECT id FROM messages))')"
	echo "round $round: $before -> $after of $total"
done
[ "$mid" -ge 1 ] || fail "no kill landed in the middle of an import"
echo "ok: $mid kills landed mid-import"
$LIAISON import --mailbox K --json md >final.json
$LIAISON stats --json >stats.json
expect_eq "messages stored once" "$total" "$(json 'd["total"]["messages"]' stats.json)"
expect_eq "one arrival each" "$total" "$(json 'd["total"]["arrivals"]' stats.json)"
expect_eq "no duplicates" 0 "$(json 'd["total"]["duplicates"]' stats.json)"
expect_eq "every message filed" "$total" "$(sqlite3 c.db 'SELECT count(*) FROM placements')"
expect_eq "thread counts agree" "$total" "$(sqlite3 c.db 'SELECT sum(message_count) FROM threads')"
expect_eq "full-text rows" "$total" "$(sqlite3 c.db "SELECT count(*) FROM messages_fts_docsize")"
$LIAISON --as coordinator verify >verify.txt || { cat verify.txt; fail "verify after the kills"; }
grep -q "^search index: holds exactly the messages' words" verify.txt || { cat verify.txt; fail "the search index disagrees with the messages"; }
