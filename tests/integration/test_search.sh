# liaison search: FTS5 queries and filters, a liaison only in its troops, confidential hits
# masked, every search audited with its query, filters and hit count.
# duration: 12 s
. "$TOP/tests/integration/lib.sh"
have_corpus_gen || fail "corpus generator $CORPUS_GEN not found"
cd "$TMPDIR"
$PY "$CORPUS_GEN" --count 400 --seed 61 --troops KL --out corpus 2>/dev/null
$PY "$TOP/tools/split-corpus.py" corpus boxes
write_config s.conf "$TMPDIR/s.db"
export LIAISON_CONFIG=$TMPDIR/s.conf
$LIAISON init >/dev/null
$LIAISON import --mailbox K boxes/K >/dev/null
$LIAISON import --mailbox L boxes/L >/dev/null

# The expected hits, computed from the files (subject and text; for NOT also the addresses
# and attachment names): "trooper" by its word family ("troopers" too; any case) in troop
# K's messages, as a liaison of troop K must find them, and in both troops' for the
# coordinator; the prefix troope*; the phrase "Coffee with a Cop"; trooper NOT a word that
# some but not all of those messages hold.
eval "$($PY - corpus <<'PY'
import email, email.policy, json, os, re, sys
word, prefix, phrase = r"\btroopers?\b", r"\btroope\w*", r"\bcoffee\W+with\W+a\W+cop\b"
msgs = []
for line in open(os.path.join(sys.argv[1], "labels.jsonl")):
    l = json.loads(line)
    msg = email.message_from_bytes(open(os.path.join(sys.argv[1], l["file"]), "rb").read(), policy=email.policy.default)
    body = msg.get_body(("plain", "html"))
    text = (str(msg["Subject"]) + " " + (body.get_content() if body else "")).lower()
    rest = " ".join([str(msg["From"]), str(msg["To"])] + [a.get_filename() or "" for a in msg.iter_attachments()]).lower()
    msgs.append((l["troop"], text, rest))
has = lambda pattern, t: bool(re.search(pattern, t))
words = [m for m in msgs if has(word, m[1])]
# The NOT word: "Coffee" unless it takes away none or all of the "trooper" messages.
for w in ("coffee", "career", "rude", "families", "becoming"):
    n_not = sum(1 for m in words if not has(rf"\b{w}\b", m[1] + " " + m[2]))
    if 0 < n_not < len(words):
        break
else:
    w = ""
print(f"want={sum(1 for m in words if m[0] == 'K')} want_word={len(words)} "
      f"want_prefix={sum(1 for m in msgs if has(prefix, m[1]))} "
      f"want_phrase={sum(1 for m in msgs if has(phrase, m[1]))} not_word={w} want_not={n_not}")
PY
)"
[ "$want" -gt 0 ] && [ -n "$not_word" ] && [ "$want_phrase" -gt 0 ] ||
	fail "the corpus has too little: $want 'trooper' in K, NOT word '$not_word', $want_phrase phrases"
expect_eq "hits for 'trooper' in troop K (reyes)" "$want" "$($LIAISON --as reyes search trooper --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')"
expect_eq "reyes sees only troop K" "K" "$($LIAISON --as reyes search trooper --json | $PY -c 'import json,sys; print(",".join(sorted({h["mailbox"] for h in json.load(sys.stdin)})))')"
expect_eq "the coordinator sees both troops" "K,L" "$($LIAISON --as coordinator search trooper --json | $PY -c 'import json,sys; print(",".join(sorted({h["mailbox"] for h in json.load(sys.stdin)})))')"
n_phrase=$($LIAISON --as coordinator search '"Coffee with a Cop"' --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')
expect_eq "phrase hits" "$want_phrase" "$n_phrase"
# prefix* finds at least what the whole word does; NOT takes away.
n_word=$($LIAISON --as coordinator search trooper --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')
n_prefix=$($LIAISON --as coordinator search 'troope*' --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')
n_not=$($LIAISON --as coordinator search "trooper NOT $not_word" --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')
expect_eq "hits for 'trooper' in both troops (coordinator)" "$want_word" "$n_word"
expect_eq "hits for 'troope*'" "$want_prefix" "$n_prefix"
expect_eq "hits for 'trooper NOT $not_word'" "$want_not" "$n_not"
[ "$n_prefix" -ge "$n_word" ] && [ "$n_not" -lt "$n_word" ] || fail "prefix $n_prefix, word $n_word, NOT $n_not"
echo "ok: trooper $n_word, troope* $n_prefix, trooper NOT $not_word $n_not"
out=$($LIAISON --as coordinator search trooper --direction out --json | $PY -c 'import json,sys; d=json.load(sys.stdin); print(len(d) > 0 and all(h["direction"] == "out" for h in d))')
expect_eq "--direction out (some hits, all outgoing)" True "$out"
att=$($LIAISON --as coordinator search --has-attachment --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')
att_want=$(sqlite3 s.db "SELECT count(*) FROM placements p WHERE EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = p.message_id)")
expect_eq "--has-attachment (filters without a query)" "$att_want" "$att"
ref=$($LIAISON --as coordinator search trooper --json | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["thread"])')
expect_eq "--thread" True "$($LIAISON --as coordinator search --thread "$ref" --json | $PY -c 'import json,sys; d=json.load(sys.stdin); print(len(d) > 0 and all(h["thread"] == sys.argv[1] for h in d))' "$ref")"

# Text output shows the newest hits and counts them all; --limit picks how many, the same
# ones as --json lists first; a liaison's count is of its troops only.
$LIAISON --as reyes search trooper >text.txt
expect_eq "text output counts what --json lists" "$want hits" "$(tail -n 1 text.txt)"
$LIAISON --as coordinator search trooper --limit 3 >three.txt
expect_eq "--limit 3 says how many there are" "the newest 3 of $n_word hits (--limit N for more, --limit 0 for all)" "$(tail -n 1 three.txt)"
expect_eq "--limit 3 shows the 3 newest" \
	"$($LIAISON --as coordinator search trooper --json | $PY -c 'import json,sys; print(" ".join(h["thread"] for h in json.load(sys.stdin)[:3]))')" \
	"$(grep -v '^    ' three.txt | sed 1d | head -n 3 | awk '{print $1}' | tr '\n' ' ' | sed 's/ $//')"
$LIAISON --as reyes search trooper --mailbox K --from nobody@example.org --category x --limit 5 >/dev/null || fail "every filter, limited"
expect_code "--limit is a search's, not a request's" 2 $LIAISON --as records foia add FOIA-2026-0001 trooper --limit 3

# Confidential: the hit is there, its content is not.
kref=$($LIAISON --as reyes search trooper --json | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["thread"])')
$LIAISON --as coordinator flag "$kref" confidential >/dev/null
expect_eq "a confidential hit is masked" confidential "$($LIAISON --as walsh search trooper --thread "$kref" --json | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["subject"])')"

# A query FTS5 cannot read is the user's to fix (exit 2, said clearly).
set +e
$LIAISON --as reyes search '"unbalanced' 2>bad.err
rc=$?
set -e
expect_eq "bad query exit" 2 "$rc"
grep -q "unterminated string" bad.err || fail "the bad query is not explained"

# Audited: query, filters, hits.
$LIAISON --as records audit --json >audit.json
# (the unreadable query ran no search and is not counted)
expect_eq "every search audited" 17 "$(json 'sum(1 for a in d if a["action"] == "search")' audit.json)"
json '[a["details"] for a in d if a["action"] == "search"][0]' audit.json | grep -q "query=trooper .* hits=$want" || fail "the audit lacks the query or the hit count"
echo "ok: audit: $(json '[a["details"] for a in d if a["action"] == "search"][0]' audit.json)"

# Word families: a bare word finds its family in the message's language (English "eviction"
# finds "evicted", Spanish "golpea" finds "golpeó"), accents and case folded; a quoted word
# only as written; a prefix the words as written.  A Spanish stem never finds English mail:
# "trooper" is not "Troop".
maildir_msg fam ana@example.org "landlord" fam1 "We were evicted on Friday and the kids are staying with my sister."
maildir_msg fam luz@example.org "ayuda por favor" fam2 "Mi esposo me golpeó anoche y tengo miedo de volver a la casa, no sé qué hacer con los niños."
maildir_msg fam raj@example.org "Troop K open house" fam3 "Will Troop K hold its open house again this year?"
maildir_msg fam eva@example.org "SITUACIÓN" fam4 "La situación del edificio es muy mala, no hay calefacción desde el lunes."
write_config f.conf "$TMPDIR/f.db"
export LIAISON_CONFIG=$TMPDIR/f.conf
$LIAISON init >/dev/null
$LIAISON import --mailbox K fam >/dev/null
# (a search that fails is a failure, never an empty answer)
hits() {
	$LIAISON --as coordinator search "$1" --json >hits.json || fail "search $1: exit $?"
	$PY -c 'import json,sys; print(" ".join(sorted(h["from"].split("@")[0] for h in json.load(open("hits.json")))))'
}
expect_eq "eviction finds evicted" ana "$(hits eviction)"
expect_eq "evicting finds evicted" ana "$(hits evicting)"
expect_eq '"eviction" only as written' "" "$(hits '"eviction"')"
expect_eq '"evicted" as written' ana "$(hits '"evicted"')"
expect_eq "the exact phrase" ana "$(hits '"we were evicted"')"
expect_eq "a phrase not in that order" "" "$(hits '"evicted we were"')"
expect_eq "evict* (words as written)" ana "$(hits 'evict*')"
expect_eq "golpea finds golpeó" luz "$(hits golpea)"
expect_eq "situacion finds SITUACIÓN (accents, case)" eva "$(hits situacion)"
expect_eq "calefaccion finds calefacción" eva "$(hits calefaccion)"
expect_eq "trooper is not Troop" "" "$(hits trooper)"
expect_eq "troop is" raj "$(hits troop)"
# Punctuation before a quoted word is no way round it; a quoted column name is a column.
expect_eq '"¿evict" is still exact' "" "$(hits '"¿evict"')"
expect_eq '"“evict" is still exact' "" "$(hits '"“evict"')"
expect_eq 'a quoted column name' ana "$(hits '"subject":landlord')"
expect_eq 'a list of columns' ana "$(hits '{"subject" body}:evicted')"
echo "ok: word families, exact words in quotes, prefixes"

# A database made before word families (schema 12, the unicode61 index) is upgraded by
# `liaison init`: its index built again, word families found.  The old index is made by hand
# (sqlite3 knows no word_family tokenizer, so the table's definition is rewritten).
sqlite3 f.db "PRAGMA writable_schema = ON; UPDATE sqlite_schema SET sql = replace(sql, 'word_family', 'unicode61 remove_diacritics 2') WHERE name = 'messages_fts'; PRAGMA writable_schema = OFF;"
sqlite3 f.db "INSERT INTO messages_fts (messages_fts) VALUES ('rebuild'); PRAGMA user_version = 12;"
expect_code "schema 12 is refused until init" 1 $LIAISON --as coordinator search eviction
expect_eq "the old index (exact words)" 0 "$(sqlite3 f.db "SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'eviction'")"
$LIAISON init >/dev/null
expect_eq "upgraded to schema 14 (13: word families; 14: saved searches)" 14 "$(sqlite3 f.db 'PRAGMA user_version')"
expect_eq "after the upgrade, eviction finds evicted" ana "$(hits eviction)"
expect_eq "after the upgrade, golpea finds golpeó" luz "$(hits golpea)"
echo "ok: an old database's index rebuilt by word family"
