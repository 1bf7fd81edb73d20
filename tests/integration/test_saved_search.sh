# Schema 14, the records office's saved searches: a database of schema 13 is refused until
# `liaison init` upgrades it; the upgrade adds the table (with its one name per search) and
# keeps what was stored; a new database has it from the start.
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
write_config s.conf "$TMPDIR/s.db"
export LIAISON_CONFIG=$TMPDIR/s.conf
$LIAISON init >/dev/null
expect_eq "a new database is at schema 14" 14 "$(sqlite3 s.db 'PRAGMA user_version')"
expect_eq "with the saved searches" 1 "$(sqlite3 s.db "SELECT count(*) FROM sqlite_schema WHERE name = 'saved_searches'")"

# A database made before saved searches (schema 13): its messages stay, the table comes.
mkdir in
cat >in/a.eml <<'MAIL'
From: Ana <ana@example.org>
To: TroopKCTL@ct.gov
Subject: Maple Street noise
Message-ID: <a-1@example.org>
Date: Tue, 10 Nov 2026 09:00:00 -0500

Music all night on Maple Street.
MAIL
$LIAISON import --mailbox K in >/dev/null || fail "import"
sqlite3 s.db "DROP TABLE saved_searches; PRAGMA user_version = 13;"
expect_code "schema 13 is refused until init" 1 $LIAISON --as records search maple
$LIAISON init >/dev/null || fail "init upgrades"
expect_eq "upgraded to schema 14" 14 "$(sqlite3 s.db 'PRAGMA user_version')"
expect_eq "the message kept" 1 "$(sqlite3 s.db 'SELECT count(*) FROM messages')"
expect_eq "found after the upgrade" 1 "$($LIAISON --as records search maple --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')"
sqlite3 s.db "INSERT INTO saved_searches (name, query, saved_by, saved_at) VALUES ('Maple', 'maple', 'records', 0)"
expect_code "one name per saved search (SQLITE_CONSTRAINT)" 19 sqlite3 s.db "INSERT INTO saved_searches (name, saved_by, saved_at) VALUES ('Maple', 'admin', 0)"
expect_eq "the columns of a search" "id name query mailbox from_addr to_addr category thread_ref direction since_day until_day has_attachment saved_by saved_at" \
	"$(sqlite3 s.db "SELECT group_concat(name, ' ') FROM pragma_table_info('saved_searches')")"
echo "ok: schema 14, saved searches"
