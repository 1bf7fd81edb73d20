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
expect_code "raw of an unknown message still exits 1" 1 $LIAISON --as records raw "$(echo "$okafor" | tr 0-9a-f a-f0-9)"
expect_code "a liaison may not read originals" 1 $LIAISON --as reyes raw "$short"
twin_full=$(sqlite3 f.db "SELECT sha256 FROM messages WHERE message_id LIKE 'twin.%' ORDER BY id LIMIT 1")
$LIAISON --as records foia remove "$req" "$(echo "$twin_full" | cut -c1-16)" >remove.txt || fail "remove by a longer prefix"
grep -q "^$req: removed <twin\.[0-9]*@example.org> ($(echo "$twin_full" | cut -c1-12))" remove.txt || { cat remove.txt; fail "remove does not say what it did"; }
expect_eq "read-raw audited by the full hash" "$okafor" "$($LIAISON --as records audit --json | $PY -c 'import json,sys; print([a["object"] for a in json.load(sys.stdin) if a["action"] == "read-raw"][0])')"
