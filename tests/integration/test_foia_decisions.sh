# Records staff's decisions on a request, and how they name messages: any unique prefix of 8
# or more hex digits of a SHA-256 (what `messages`, `foia show` and the export print) names
# a message everywhere; every withholding and redaction is listed by `foia show`; a
# redaction that matches nothing is refused; decisions are revoked, never erased; an e-mail
# preset and the addresses seen with a redacted name; dates and holds that would mislead.
. "$TOP/tests/integration/lib.sh"
command -v pdftotext >/dev/null || fail "pdftotext (poppler-utils) is not installed"
command -v faketime >/dev/null || fail "faketime is not installed"
cd "$TMPDIR"
write_config f.conf "$TMPDIR/f.db"
export LIAISON_CONFIG=$TMPDIR/f.conf
$LIAISON init >/dev/null

# Our own mail: a resident writing about a neighbour (a name and that name's address), and
# two messages whose SHA-256 share their first 8 hex digits (found by trying headers).
mkdir own twins
$PY - own twins <<'PY'
import hashlib, sys
own, twins = sys.argv[1], sys.argv[2]
def crlf(t):
    return t.replace("\n", "\r\n").encode()
open(f"{own}/okafor.eml", "wb").write(crlf("""From: Tunde Okafor <tokafor914@example.org>
To: troopkctl@ct.gov
Cc: "Okafor, Tunde" <t.okafor@example.net>
Subject: Noise complaint on Elm Street
Date: Tue, 10 Nov 2026 09:00:00 -0500
Message-ID: <okafor.1@example.org>

Hello, this is Tunde Okafor (tokafor914@example.org) writing again.
My neighbour plays music all night; call me at 860-555-0199.
Regards, Tunde Okafor
"""))
open(f"{own}/other.eml", "wb").write(crlf("""From: Maria Lopez <mlopez@example.com>
To: troopkctl@ct.gov
Subject: Thank you for the patrol
Date: Wed, 11 Nov 2026 10:00:00 -0500
Message-ID: <lopez.2@example.com>

Thank you for the extra patrol on Maple Avenue last week.
"""))
seen = {}
i = 0
while True:
    raw = crlf(f"""From: Twin Sender <twin@example.org>
To: troopkctl@ct.gov
Subject: Twin
Date: Thu, 12 Nov 2026 11:00:00 -0500
Message-ID: <twin.{i}@example.org>

A message whose hash begins like another's.
""")
    p = hashlib.sha256(raw).hexdigest()[:8]
    if p in seen:
        open(f"{twins}/a.eml", "wb").write(seen[p])
        open(f"{twins}/b.eml", "wb").write(raw)
        break
    seen[p] = raw
    i += 1
PY
$LIAISON import --mailbox K own >/dev/null
$LIAISON import --mailbox K twins >/dev/null
okafor=$(sqlite3 f.db "SELECT sha256 FROM messages WHERE message_id = 'okafor.1@example.org'")
lopez=$(sqlite3 f.db "SELECT sha256 FROM messages WHERE message_id = 'lopez.2@example.com'")
twin=$(sqlite3 f.db "SELECT substr(sha256, 1, 8) FROM messages WHERE message_id LIKE 'twin.%' LIMIT 1")
expect_eq "two messages share the prefix $twin" 2 "$(sqlite3 f.db "SELECT count(*) FROM messages WHERE sha256 LIKE '$twin%'")"
req=$($LIAISON --as records foia new --requester "A reporter" --received 2026-11-20 --description "Noise")
$LIAISON --as records foia add "$req" --mailbox K >/dev/null

# --- naming a message: the 12 digits foia show prints name it in every command -------------
short=$($LIAISON --as records foia show "$req" | grep -o "^$(echo "$okafor" | cut -c1-12)")
expect_eq "foia show prints 12 digits of the hash" "$(echo "$okafor" | cut -c1-12)" "$short"
$LIAISON --as records raw "$short" >raw.eml || fail "raw by a 12-digit prefix"
expect_eq "raw by prefix gives the message" "$okafor" "$(sha256sum <raw.eml | cut -d' ' -f1)"
$LIAISON --as records raw "$(echo "$okafor" | cut -c1-10 | tr a-f A-F)" >/dev/null || fail "raw by an upper-case prefix"
$LIAISON --as records foia redact "$req" "$(echo "$okafor" | cut -c1-8)" --preset phone --exemption "1-210(b)(2)" >redact1.txt || fail "redact by an 8-digit prefix"
$LIAISON --as records foia withhold "$req" "$(echo "$lopez" | cut -c1-12)" --exemption "1-210(b)(3)(A)" --reason "a witness" >withhold1.txt || fail "withhold by prefix"
$LIAISON --as records foia remove "$req" "$twin" 2>ambiguous.err && fail "an ambiguous prefix was taken"
expect_code "an ambiguous prefix is refused" 2 $LIAISON --as records foia remove "$req" "$twin"
grep -q "names 2 messages" ambiguous.err || { cat ambiguous.err; fail "the ambiguity is not said"; }
expect_eq "both candidates listed" 2 "$(grep -c "^  $twin.*<twin\.[0-9]*@example.org>" ambiguous.err)"
expect_code "an ambiguous prefix is refused by raw" 2 $LIAISON --as records raw "$twin"
expect_code "fewer than 8 digits are refused" 2 $LIAISON --as records raw "$(echo "$okafor" | cut -c1-7)"
$LIAISON --as records foia withhold "$req" "$(echo "$okafor" | cut -c1-7)" --exemption x --reason y 2>short.err && fail "a 7-digit prefix was taken"
grep -q "at least 8 hex digits" short.err || { cat short.err; fail "the minimum is not said"; }
expect_code "raw of an unknown message: not found, exit 2" 2 $LIAISON --as records raw "$(echo "$okafor" | tr 0-9a-f a-f0-9)"
expect_code "a liaison may not read originals" 1 $LIAISON --as reyes raw "$short"
twin_full=$(sqlite3 f.db "SELECT sha256 FROM messages WHERE message_id LIKE 'twin.%' ORDER BY id LIMIT 1")
$LIAISON --as records foia remove "$req" "$(echo "$twin_full" | cut -c1-16)" >remove.txt || fail "remove by a longer prefix"
grep -q "^$req: removed <twin\.[0-9]*@example.org> ($(echo "$twin_full" | cut -c1-12))" remove.txt || { cat remove.txt; fail "remove does not say what it did"; }
expect_eq "read-raw audited by the full hash" "$okafor" "$($LIAISON --as records audit --json | $PY -c 'import json,sys; print([a["object"] for a in json.load(sys.stdin) if a["action"] == "read-raw"][0])')"

# --- every decision is listed by foia show, in text and JSON ----------------------------------
grep -q "^$req: redaction [0-9]* on <okafor.1@example.org> ($(echo "$okafor" | cut -c1-12)) (1 passage)$" redact1.txt || { cat redact1.txt; fail "redact does not say what it did"; }
grep -q "^$req: withholding [0-9]* on <lopez.2@example.com> ($(echo "$lopez" | cut -c1-12)) under 1-210(b)(3)(A)$" withhold1.txt || { cat withhold1.txt; fail "withhold does not say what it did"; }
$LIAISON --as records foia redact "$req" "<okafor.1@example.org>" --text "music all night" --exemption "1-210(b)(2)" --reason "identifies the neighbour" >redact2.txt || fail "redact a text"
grep -q "(1 passage)" redact2.txt || { cat redact2.txt; fail "the passages are not counted"; }
$LIAISON --as coordinator foia show "$req" --json >show.json
expect_eq "decisions listed" "redaction redaction withholding" "$(json '" ".join(sorted(x["type"] for x in d["decisions"]))' show.json)"
expect_eq "what each matched" "pattern/phone/1 text/None/1" "$(json '" ".join("%s/%s/%s" % (x.get("kind"), x.get("preset"), x.get("passages")) for x in d["decisions"] if x["type"] == "redaction")' show.json)"
expect_eq "who, the exemption, the reason" "records 1-210(b)(2) identifies the neighbour" "$(json '" ".join([d["decisions"][-1]["decided_by"], d["decisions"][-1]["exemption"], d["decisions"][-1]["reason"]])' show.json)"
$LIAISON --as coordinator foia show "$req" >show.txt
grep -q "^redaction .*<okafor.1@example.org>.* by records  under 1-210(b)(2)" show.txt || { cat show.txt; fail "the redactions are not in foia show"; }
grep -q "1 passage: text \"music all night\"" show.txt || { cat show.txt; fail "the redacted text and its passages are not shown"; }
grep -q "1 passage: preset phone" show.txt || { cat show.txt; fail "the preset is not shown"; }
grep -q "^withholding .*<lopez.2@example.com>" show.txt || { cat show.txt; fail "the withholding is not in foia show"; }

# --- a redaction that matches nothing is refused and not recorded -----------------------------
before=$(sqlite3 f.db "SELECT count(*) FROM foia_redactions")
set +e
$LIAISON --as records foia redact "$req" "$okafor" --text "Jane Nobody" --exemption "1-210(b)(2)" 2>nothing.err; rc=$?
set -e
expect_eq "a text that matches nothing is refused" 2 "$rc"
grep -q "matches nothing" nothing.err || { cat nothing.err; fail "the refusal does not say why"; }
expect_code "a preset that matches nothing is refused" 2 $LIAISON --as records foia redact "$req" "$lopez" --preset phone --exemption x
expect_eq "nothing recorded" "$before" "$(sqlite3 f.db "SELECT count(*) FROM foia_redactions")"

# --- decisions are revoked, recorded, audited, never erased -----------------------------------
music=$(json '[x["number"] for x in d["decisions"] if x.get("value") == "music all night"][0]' show.json)
$LIAISON --as records foia unredact "$req" "$music" >unredact.txt || fail "unredact"
expect_eq "unredact says what it did" "$req: redaction $music revoked" "$(cat unredact.txt)"
expect_code "a revoked redaction cannot be revoked again" 2 $LIAISON --as records foia unredact "$req" "$music"
expect_code "not a number" 2 $LIAISON --as records foia unredact "$req" abc
expect_code "the coordinator may not revoke" 1 $LIAISON --as coordinator foia unredact "$req" 1
$LIAISON --as records foia unwithhold "$req" "$(echo "$lopez" | cut -c1-9)" >unwithhold.txt || fail "unwithhold"
grep -q "^$req: withholding [0-9]* on <lopez.2@example.com> (.*) revoked$" unwithhold.txt || { cat unwithhold.txt; fail "unwithhold does not say what it did"; }
expect_code "a message not withheld" 2 $LIAISON --as records foia unwithhold "$req" "$lopez"
$LIAISON --as records foia show "$req" --json >show2.json
expect_eq "revoked decisions stay, marked" "records records" "$(json '" ".join(x["revoked_by"] for x in d["decisions"] if x["revoked_by"])' show2.json)"
$LIAISON --as records foia show "$req" | grep -q "REVOKED .* by records" || fail "foia show does not say a decision was revoked"
expect_eq "in the tables too" "1 2" "$(sqlite3 f.db "SELECT (SELECT count(*) FROM foia_withholdings), (SELECT count(*) FROM foia_redactions)" | tr '|' ' ')"
$LIAISON --as records foia withhold "$req" "$lopez" --exemption "1-210(b)(3)(A)" --reason "a witness, again" >/dev/null || fail "withhold again after revoking"
expect_code "withholding twice is refused" 2 $LIAISON --as records foia withhold "$req" "$lopez" --exemption x --reason y
$LIAISON --as records foia unwithhold "$req" "$lopez" >/dev/null
# a revoked decision no longer applies: lopez is produced, the music is on the page again
$LIAISON --as records foia export "$req" --out p1 >/dev/null 2>export1.err || { cat export1.err; fail "export"; }
grep -q "lopez.2@example.com" p1/manifest.csv || fail "a message whose withholding was revoked was not produced"
for f in p1/pdf/*.pdf; do pdftotext "$f" -; done >p1.txt
grep -q "music all night" p1.txt || fail "a revoked redaction was applied"
grep -q "lopez.2@example.com.*withheld" p1/withholding-log.csv && fail "a revoked withholding is in the log"
expect_eq "revocations audited" "foia-unredact foia-unwithhold foia-unwithhold" "$($LIAISON --as records audit --json | $PY -c 'import json,sys; print(" ".join(a["action"] for a in json.load(sys.stdin) if a["action"].startswith("foia-un")))')"

# --- a redacted name's addresses: suggested, and hidden by the email preset ------------------
$LIAISON --as records foia redact "$req" "$okafor" --text "Tunde Okafor" --exemption "1-210(b)(2)" --reason "a private person" >name.txt || fail "redact the name"
cat name.txt
grep -q "^$req: redaction [0-9]* on <okafor.1@example.org> (.*) ([0-9]* passages)$" name.txt || fail "redact does not say what it did"
grep -q "^also seen with this name: tokafor914@example.org (redact with --preset email or --text ADDRESS)$" name.txt || fail "the From address is not suggested"
grep -q "^also seen with this name: t.okafor@example.net " name.txt || fail "the Cc address (\"Okafor, Tunde\") is not suggested"
expect_eq "no other address suggested" 2 "$(grep -c "^also seen" name.txt)"
grep -q '^also written: Okafor, Tunde (not hidden by this redaction: redact with --text "Okafor, Tunde")$' name.txt || fail "the name written the other way round is not said"
$LIAISON --as records foia export "$req" --out p2 >/dev/null 2>&1 || fail "export with the name redacted"
cat p2/manifest.csv p2/production.dat >p2.load
for f in p2/pdf/*.pdf; do pdftotext "$f" -; done >p2.txt
grep -q "tokafor914@example.org" p2.txt || fail "the address is not in the PDF text: the next check would prove nothing"
$LIAISON --as records foia redact "$req" "$okafor" --preset email --exemption "1-210(b)(2)" >email.txt || fail "the email preset"
grep -q "(5 passages)" email.txt || { cat email.txt; fail "the email preset does not find the From, To, Cc, text and Message-ID addresses"; }
# (the Cc display name writes the name the other way round: a redaction of its own)
$LIAISON --as records foia redact "$req" "$okafor" --text "Okafor, Tunde" --exemption "1-210(b)(2)" >/dev/null || fail "redact the reversed name"
$LIAISON --as records foia export "$req" --out p3 >/dev/null 2>&1 || fail "export with the addresses redacted"
cat p3/manifest.csv p3/production.dat >p3.load
for f in p3/pdf/*.pdf; do pdftotext "$f" -; done >p3.txt
for word in tokafor914 t.okafor Okafor; do
	grep -qa "$word" p3.txt && fail "'$word' is in the text of a PDF"
	grep -qa "$word" p3.load && fail "'$word' is in the load files"
	grep -rqa "$word" p3 && fail "'$word' is in a file of the package"
done
grep -q "REDACTED 1-210(b)(2)" p3.txt || fail "no redaction label"
echo "ok: the name and its addresses are in no PDF text, load file or other file"

# --- a request received in the future (in the configured zone) is refused --------------------
# 2026-03-11 02:00 UTC (the machine's zone in the tests) is still 2026-03-10 in New York: the
# 11th is tomorrow there.
expect_code "received tomorrow is refused" 2 at '2026-03-11 02:00:00' $LIAISON --as records foia new --requester x --received 2026-03-11 --description y
at '2026-03-11 02:00:00' $LIAISON --as records foia new --requester x --received 2026-03-11 --description y 2>future.err || true
grep -q "in the future (today is 2026-03-10 in America/New_York)" future.err || { cat future.err; fail "the refusal does not say why"; }
expect_code "received today is taken" 0 at '2026-03-11 02:00:00' $LIAISON --as records foia new --requester x --received 2026-03-10 --description y

# --- holds: a name in use is refused; a hold on everything needs --all -----------------------
$LIAISON --as records hold add smith --reason "Smith v. State" --from tokafor914@example.org >hold1.txt || fail "hold add"
grep -q "^smith: 1 message placed on hold$" hold1.txt || { cat hold1.txt; fail "hold add does not say what it did"; }
set +e
$LIAISON --as records hold add smith --reason "something else" --mailbox K 2>hold2.err; rc=$?
set -e
expect_eq "an active hold's name is refused" 2 "$rc"
grep -q "a hold named smith is active already (1 messages" hold2.err || { cat hold2.err; fail "the refusal does not say why"; }
expect_eq "the hold is neither widened nor given another reason" "1 Smith v. State" "$(sqlite3 f.db "SELECT count(*), min(reason) FROM holds WHERE name = 'smith'" | tr '|' ' ')"
all=$(sqlite3 f.db "SELECT count(*) FROM messages")
set +e
$LIAISON --as records hold add everything --reason "preserve all" 2>all.err; rc=$?
set -e
expect_eq "a hold on every message without --all is refused" 2 "$rc"
grep -q "would hold every stored message ($all).*--all" all.err || { cat all.err; fail "the refusal does not say how many or how"; }
expect_code "nor with a filter that finds everything" 2 $LIAISON --as records hold add everything --reason "preserve all" --mailbox K
expect_eq "nothing held" 0 "$(sqlite3 f.db "SELECT count(*) FROM holds WHERE name = 'everything'")"
$LIAISON --as records hold add everything --reason "preserve all" --all >all.txt || fail "hold add --all"
expect_eq "with --all, every message" "everything: $all messages placed on hold" "$(cat all.txt)"
expect_eq "close says what it did" "$req: closed; its responsive set is final and no longer held" "$($LIAISON --as records foia close "$req")"
expect_code "the chain holds" 0 $LIAISON --as records audit verify
