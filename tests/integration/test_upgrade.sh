# Upgrades: a database made by each earlier schema version's own program
# (tests/fixtures/schema, made as its README says) is upgraded by `liaison init`, passes
# `liaison verify`, and keeps its messages, threads and audit trail (the counts the README
# records).  A database of a newer schema is refused by init and by every other command, with
# a clear message, and left byte for byte as it was.
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
FIX=$TOP/tests/fixtures/schema
current=$(sed -n 's/^#define STORE_SCHEMA_VERSION \([0-9]*\)$/\1/p' "$TOP/include/store.h")
rows=$(grep -E '^\| [0-9]+ \| [0-9a-f]{40} \|' "$FIX/README.md" | tr -d ' ')
n=0
for row in $rows; do
	v=$(echo "$row" | cut -d'|' -f2)
	messages=$(echo "$row" | cut -d'|' -f4)
	threads=$(echo "$row" | cut -d'|' -f5)
	audit=$(echo "$row" | cut -d'|' -f6)
	[ -f "$FIX/v$v.db.gz" ] || fail "the README lists v$v.db.gz, which is missing"
	gzip -dc "$FIX/v$v.db.gz" >"v$v.db"
	expect_eq "v$v.db is schema $v" "$v" "$(sqlite3 "v$v.db" 'PRAGMA user_version')"
	write_config "v$v.conf" "$TMPDIR/v$v.db"
	export LIAISON_CONFIG=$TMPDIR/v$v.conf
	# refused by an ordinary command until init upgrades it
	expect_code "schema $v: threads before init" 1 sh -c "$LIAISON threads >/dev/null 2>err.txt"
	grep -q "schema $v is older than this liaison ($current); run 'liaison init' to upgrade" err.txt \
		|| fail "schema $v: $(cat err.txt)"
	$LIAISON init >init.txt 2>&1 || fail "schema $v: init: $(cat init.txt)"
	expect_eq "schema $v upgraded to" "$current" "$(sqlite3 "v$v.db" 'PRAGMA user_version')"
	expect_eq "schema $v: messages kept" "$messages" "$(sqlite3 "v$v.db" 'SELECT count(*) FROM messages')"
	expect_eq "schema $v: threads kept" "$threads" "$(sqlite3 "v$v.db" 'SELECT count(*) FROM threads')"
	expect_eq "schema $v: audit entries kept" "$audit" "$(sqlite3 "v$v.db" 'SELECT count(*) FROM audit')"
	$LIAISON verify >verify.txt || fail "schema $v: verify: $(cat verify.txt)"
	grep -q "^messages: $messages re-hashed, 0 mismatched" verify.txt || fail "schema $v: $(cat verify.txt)"
	expect_eq "schema $v: listed threads" "$threads" \
		"$($LIAISON threads --all --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')"
	if [ "$v" -ge 3 ]; then
		expect_eq "schema $v: the assigned thread" "reyes waiting" \
			"$(sqlite3 "v$v.db" "SELECT assignee || ' ' || status FROM threads WHERE assignee IS NOT NULL")"
	fi
	# and it works on: a new operation joins the chain
	ref=$(sqlite3 "v$v.db" "SELECT ref FROM threads WHERE ref LIKE 'K-%' ORDER BY id LIMIT 1")
	$LIAISON note "$ref" --text "after the upgrade" >/dev/null
	$LIAISON audit verify >/dev/null || fail "schema $v: the audit chain after a new entry"
	n=$((n + 1))
done
expect_eq "fixtures upgraded (one per earlier schema)" "$((current - 1))" "$n"

# A database of a newer schema: refused, unchanged.
cp "v$((current - 1)).db" newer.db
rm -f newer.db-wal newer.db-shm
sqlite3 newer.db "PRAGMA journal_mode = DELETE; PRAGMA user_version = $((current + 1))" >/dev/null
before=$(sha256sum newer.db | cut -d' ' -f1)
write_config newer.conf "$TMPDIR/newer.db"
export LIAISON_CONFIG=$TMPDIR/newer.conf
for cmd in init threads verify "audit verify" "backup newer-backup" stats; do
	set +e
	$LIAISON $cmd >out.txt 2>err.txt
	rc=$?
	set -e
	[ "$rc" -ne 0 ] || fail "$cmd accepted a newer database"
	grep -q "database schema $((current + 1)) is newer than this liaison ($current); use a newer liaison" err.txt \
		|| fail "$cmd: $(cat err.txt)"
	echo "ok: $cmd refuses schema $((current + 1)) (exit $rc): $(cat err.txt)"
done
expect_eq "the newer database is unchanged" "$before" "$(sha256sum newer.db | cut -d' ' -f1)"
[ ! -e newer.db-wal ] && [ ! -e newer.db-shm ] || fail "a -wal or -shm was made beside the newer database"
[ ! -e newer-backup ] || fail "a backup of a refused database was made"
