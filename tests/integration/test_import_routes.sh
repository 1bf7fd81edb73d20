# One ingest path: the same generated mailbox imported from files and polled from a real
# Dovecot gives every message the same thread, and every thread the same categories,
# priority, flags and suggested referrals.  (Only the auto-reply decision may differ; the
# mail is old, so the poller answers nobody either.)
. "$TOP/tests/integration/lib.sh"
have_corpus_gen || fail "corpus generator $CORPUS_GEN not found"
cd "$TMPDIR"
$PY "$CORPUS_GEN" --count 800 --seed 13 --troops K --out corpus 2>/dev/null
split_by_direction corpus in out

# The import path.
write_config i.conf "$TMPDIR/i.db"
LIAISON_CONFIG=$TMPDIR/i.conf $LIAISON init >/dev/null
LIAISON_CONFIG=$TMPDIR/i.conf $LIAISON import --mailbox K --folder INBOX in >/dev/null || fail "import INBOX"
LIAISON_CONFIG=$TMPDIR/i.conf $LIAISON import --mailbox K --folder Sent out >/dev/null || fail "import Sent"

# The poll path.
start_servers
write_poll_config p.conf "$TMPDIR/p.db"
LIAISON_CONFIG=$TMPDIR/p.conf $LIAISON init >/dev/null
$PY "$TOP/tests/servers/deliver.py" append --port "$IMAP_PORT" --user troopk --password troopk-secret --folder INBOX --internaldate in >/dev/null
$PY "$TOP/tests/servers/deliver.py" append --port "$IMAP_PORT" --user troopk --password troopk-secret --folder Sent --internaldate out >/dev/null
LIAISON_CONFIG=$TMPDIR/p.conf $LIAISON poll --once 2>poll.err || { cat poll.err; fail "poll"; }
expect_eq "old mail: nobody answered" 0 "$(smtp_count)"

# Per message (by Message-ID: IMAP hands the bytes back with CRLF line ends, so the SHA-256
# differs): what routing found in it, and its thread's routing, grouped by
# the thread's other messages so the references may differ between the two databases.
filed() {
	sqlite3 -separator ' | ' "$1" "
	SELECT m.message_id, p.direction, p.kind, coalesce(p.categories, '-'), coalesce(p.rules, '-'),
	       p.priority, coalesce(t.category, '-'), t.priority, t.confidential, t.reportable, t.kind,
	       (SELECT coalesce(group_concat(service, ','), '-') FROM
	          (SELECT service FROM thread_suggestions s WHERE s.thread_id = t.id ORDER BY service)),
	       (SELECT group_concat(message_id, ',') FROM (SELECT m2.message_id FROM placements p2
	          JOIN messages m2 ON m2.id = p2.message_id WHERE p2.thread_id = t.id ORDER BY m2.message_id))
	FROM placements p JOIN messages m ON m.id = p.message_id JOIN threads t ON t.id = p.thread_id
	ORDER BY m.message_id"
}
filed i.db >import.txt
filed p.db >poll.txt
expect_eq "Message-IDs are unique in the corpus" "$(grep -c . import.txt)" "$(cut -d' ' -f1 import.txt | sort -u | grep -c .)"
expect_eq "every message filed by both paths" "$(find in out -type f | wc -l)" "$(grep -c . import.txt)"
# Something for the comparison to prove: the generated mail holds routed categories,
# urgent and confidential threads and suggested referrals.
n_urgent=$(sqlite3 i.db "SELECT count(*) FROM threads WHERE priority = 'urgent'")
n_conf=$(sqlite3 i.db "SELECT count(*) FROM threads WHERE confidential AND reportable")
n_cat=$(sqlite3 i.db "SELECT count(DISTINCT category) FROM threads WHERE category IS NOT NULL")
n_sugg=$(sqlite3 i.db "SELECT count(*) FROM thread_suggestions")
echo "imported: $n_urgent urgent, $n_conf confidential and reportable threads, $n_cat categories, $n_sugg suggestions"
[ "$n_urgent" -gt 0 ] && [ "$n_conf" -gt 0 ] && [ "$n_cat" -gt 3 ] && [ "$n_sugg" -gt 0 ] ||
	fail "imported mail was not routed"
if ! cmp -s import.txt poll.txt; then
	diff import.txt poll.txt | head -n 20
	fail "import and poll file or route messages differently"
fi
echo "ok: import and poll agree on all $(grep -c . import.txt) placements"
