# Attachments for the liaisons: `liaison show` numbers them across the thread, `liaison
# attachment REF N` writes the decoded bytes (to a new 0600 file, never over another, or to
# stdout) for whoever reads the thread's content, confidential threads included only for
# them; every extraction is audited; the stored original stays byte for byte.
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
write_config a.conf "$TMPDIR/a.db"
export LIAISON_CONFIG=$TMPDIR/a.conf
$LIAISON init >/dev/null
mkdir k
$PY - <<'PY'
import hashlib
from email.message import EmailMessage
photo = bytes(range(256)) * 40 + b"\x00\r\n\x00end"   # binary: base64
letter = "Carta de la señora: «gracias»\n".encode("utf-8") * 20   # text: quoted-printable
first = EmailMessage()
first["From"] = "Dana Ortiz <dana.ortiz@example.org>"
first["To"] = "TroopKCTL@ct.gov"
first["Subject"] = "Damaged mailbox on Elm St"
first["Date"] = "Tue, 10 Mar 2026 10:00:00 -0400"
first["Message-ID"] = "<first@example.org>"
first.set_content("Photo attached.\n")
first.add_attachment(photo, maintype="image", subtype="jpeg", filename="elm street.jpg")
second = EmailMessage()
second["From"] = "Dana Ortiz <dana.ortiz@example.org>"
second["To"] = "TroopKCTL@ct.gov"
second["Subject"] = "Re: Damaged mailbox on Elm St"
second["Date"] = "Tue, 10 Mar 2026 11:00:00 -0400"
second["Message-ID"] = "<second@example.org>"
second["In-Reply-To"] = "<first@example.org>"
second["References"] = "<first@example.org>"
second.set_content("And the letter.\n")
second.add_attachment(letter, maintype="text", subtype="plain", params={"charset": "utf-8"},
                      cte="quoted-printable", filename="carta.txt")
for name, msg in (("1.eml", first), ("2.eml", second)):
    open("k/" + name, "wb").write(bytes(msg))
open("photo.sha", "w").write(hashlib.sha256(photo).hexdigest())
open("letter.sha", "w").write(hashlib.sha256(letter).hexdigest())
PY
$LIAISON import --mailbox K k >/dev/null
ref=$($LIAISON threads --json | $PY -c 'import json,sys; t=json.load(sys.stdin); assert len(t) == 1, t; print(t[0]["ref"])')
sha() { sha256sum "$1" | cut -d' ' -f1; }
raw_before=$(sqlite3 a.db "SELECT group_concat(sha256, ' ') FROM (SELECT sha256 FROM messages ORDER BY id)")
audits() { sqlite3 a.db "SELECT count(*) FROM audit WHERE action = 'attachment'"; }

echo "== show numbers them across the thread"
$LIAISON --as reyes show "$ref" >show.txt
grep -q "^Attachment 1: elm street.jpg (image/jpeg, 10247 bytes)$" show.txt || { cat show.txt; fail "attachment 1 not numbered"; }
grep -q "^Attachment 2: carta.txt (text/plain, " show.txt || { cat show.txt; fail "attachment 2 not numbered"; }
expect_eq "show --json numbers them too" "1 2" "$($LIAISON --as reyes show "$ref" --json | $PY -c 'import json,sys; print(" ".join(str(a["number"]) for m in json.load(sys.stdin)["messages"] for a in m["attachments"]))')"

echo "== a liaison of the troop extracts them"
umask 022
$LIAISON --as reyes attachment "$ref" 1 --out photo.jpg >out.txt
expect_eq "says what it did" "$ref: attachment 1, elm street.jpg (image/jpeg, 10247 bytes), written to photo.jpg" "$(cat out.txt)"
expect_eq "the decoded bytes" "$(cat photo.sha)" "$(sha photo.jpg)"
expect_eq "readable by its owner only" 600 "$(stat -c %a photo.jpg)"
$LIAISON --as reyes attachment "$ref" 2 >letter.txt
expect_eq "to stdout, decoded from quoted-printable" "$(cat letter.sha)" "$(sha letter.txt)"
expect_eq "one audit entry per extraction" 2 "$(audits)"
details=$(sqlite3 a.db "SELECT user || ' ' || object || ' ' || details FROM audit WHERE action = 'attachment' ORDER BY id LIMIT 1")
first_sha=$(sqlite3 a.db "SELECT sha256 FROM messages WHERE message_id = 'first@example.org'")
expect_eq "the audit names thread, message and attachment" "reyes $ref attachment 1 of message $first_sha: elm street.jpg (image/jpeg, 10247 bytes, SHA-256 $(cat photo.sha))" "$details"

echo "== refusals"
expect_code "never over an existing file" 1 $LIAISON --as reyes attachment "$ref" 2 --out photo.jpg
expect_eq "... which is left as it was" "$(cat photo.sha)" "$(sha photo.jpg)"
ln -s elsewhere link.jpg
expect_code "never through a link" 1 $LIAISON --as reyes attachment "$ref" 1 --out link.jpg
[ ! -e elsewhere ] || fail "written through a link"
expect_code "another troop's liaison" 1 $LIAISON --as bell attachment "$ref" 1 --out bell.jpg
[ ! -e bell.jpg ] || fail "a refused extraction left a file"
expect_code "no attachment 3" 2 $LIAISON --as reyes attachment "$ref" 3
expect_code "N counts from 1" 2 $LIAISON --as reyes attachment "$ref" 0
expect_code "N is a number" 2 $LIAISON --as reyes attachment "$ref" one
expect_code "no such thread" 2 $LIAISON --as reyes attachment K-2026-99999 1
expect_eq "refusals are not extractions" 2 "$(audits)"

echo "== confidential: only for those who read it"
$LIAISON --as coordinator flag "$ref" confidential >/dev/null
$LIAISON --as coordinator assign "$ref" walsh >/dev/null
expect_code "a liaison it is not assigned to" 1 $LIAISON --as reyes attachment "$ref" 1
expect_code "its liaison" 0 $LIAISON --as walsh attachment "$ref" 1 --out walsh.jpg
expect_code "records staff read everything" 0 $LIAISON --as records attachment "$ref" 2 --out records.txt
expect_eq "records get the same bytes" "$(cat letter.sha)" "$(sha records.txt)"
expect_eq "audited again" 4 "$(audits)"

echo "== the stored originals are untouched"
expect_eq "same messages, same hashes" "$raw_before" "$(sqlite3 a.db "SELECT group_concat(sha256, ' ') FROM (SELECT sha256 FROM messages ORDER BY id)")"
expect_eq "raw gives the bytes imported" "$(sha k/1.eml)" "$($LIAISON --as admin raw "$first_sha" | sha256sum | cut -d' ' -f1)"
$LIAISON --as records verify >/dev/null || fail "verify after extractions"
echo "ok: verify"
