# The production package of a public-records request: natives checked against the store,
# mbox, PDFs stamped with the request and continuous Bates numbers, burned-in redactions that
# appear in no output file, withheld messages only in the log, load files whose hashes match
# the files, SHA256SUMS, byte-identical re-exports, refusals, and the audit.
# duration: 17 s
. "$TOP/tests/integration/lib.sh"
have_corpus_gen || fail "corpus generator $CORPUS_GEN not found"
command -v pdftotext >/dev/null || fail "pdftotext (poppler-utils) is not installed"
cd "$TMPDIR"
$PY "$CORPUS_GEN" --count 120 --seed 81 --troops K --out corpus 2>/dev/null
write_config f.conf "$TMPDIR/f.db"
sed -i "s/^timezone = America\/New_York$/&\nbates_prefix = CSP-CTL-/" f.conf
export LIAISON_CONFIG=$TMPDIR/f.conf
$LIAISON init >/dev/null
$LIAISON import --mailbox K corpus >/dev/null

# Three messages of our own: one to redact (a name, a phone number, a text attachment), one
# to withhold, and one with a binary attachment to produce whole.
mkdir own
$PY - own <<'PY'
import base64, sys
d = sys.argv[1]
def write(name, text):
    open(f"{d}/{name}.eml", "wb").write(text.replace("\n", "\r\n").encode())
write("redact", """From: Quentin Vrbanovic-Thistlewood <qol@example.org>
To: troopkctl@ct.gov
Subject: Harassment at my door, from Quentin Vrbanovic-Thistlewood
Date: Tue, 10 Nov 2026 09:00:00 -0500
Message-ID: <redact-me.1@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

My name is Quentin
Vrbanovic-Thistlewood and someone keeps
coming to my door.  Call me at (860) 555-0142 any time.
From here on I will keep a log.
> Quentin
> Vrbanovic-Thistlewood wrote:
Signed Quen\u00adtin Vrbanovic-Thistle\u200bwood, also written
\uff31\uff55\uff45\uff4e\uff54\uff49\uff4e Vrbanovic-Thistlewood.
--b1
Content-Type: text/plain; name="log.txt"
Content-Disposition: attachment; filename="log.txt"

Quentin Vrbanovic-Thistlewood's log of visits.
--b1--
""")
write("withhold", """From: Yolanda Przybylski-Ng <ypn@example.org>
To: troopkctl@ct.gov
Subject: Something happened to me
Date: Wed, 11 Nov 2026 10:00:00 -0500
Message-ID: <withhold-me.2@example.org>

I need to tell someone what happened.  Zyxwvut marker.
""")
pdf = base64.encodebytes(b"%PDF-1.4\n% a tiny attachment\n" + bytes(range(256))).decode()
write("whole", f"""From: Community Group <group@example.org>
To: troopkctl@ct.gov
Subject: Flyer for the meeting
Date: Thu, 12 Nov 2026 11:00:00 -0500
Message-ID: <whole.3@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b2"

--b2
Content-Type: text/plain

The flyer is attached.
Whoever needs to tell someone what happened can come.
From the group.
--b2
Content-Type: application/pdf; name="flyer.pdf"
Content-Disposition: attachment; filename="flyer.pdf"
Content-Transfer-Encoding: base64

{pdf}--b2--
""")
PY
$LIAISON import --mailbox K own >/dev/null

req=$($LIAISON --as records foia new --requester "A reporter" --received 2026-11-20 --description "Everything")
$LIAISON --as records foia add "$req" --mailbox K >/dev/null
total=$($LIAISON --as records foia show "$req" --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
redact=$(sqlite3 f.db "SELECT sha256 FROM messages WHERE message_id = 'redact-me.1@example.org'")
withhold=$(sqlite3 f.db "SELECT sha256 FROM messages WHERE message_id = 'withhold-me.2@example.org'")
$LIAISON --as records foia redact "$req" "$redact" --text "Quentin Vrbanovic-Thistlewood" --exemption "1-210(b)(2)" --reason "a private person" >/dev/null
$LIAISON --as records foia redact "$req" "$redact" --preset phone --exemption "1-210(b)(2)" >/dev/null
$LIAISON --as records foia withhold "$req" "$withhold" --exemption "1-210(b)(3)(G)" --reason "victim's identity" >/dev/null

# Who may export.
expect_code "the coordinator may not export" 1 $LIAISON --as coordinator foia export "$req" --out refused
expect_code "a liaison may not export" 1 $LIAISON --as reyes foia export "$req" --out refused
[ ! -e refused ] || fail "a refused export left a directory"

(umask 022 && $LIAISON --as records foia export "$req" --out p1 >export.txt) || fail "export"
# The package holds mail: its owner's alone, whatever the umask.
expect_eq "package folders are 0700" 700 "$(find p1 -type d -printf '%m\n' | sort -u | tr '\n' ' ' | tr -d ' ')"
expect_eq "package files are 0600" 600 "$(find p1 -type f -printf '%m\n' | sort -u | tr '\n' ' ' | tr -d ' ')"
cat export.txt
grep -q "pages CSP-CTL-000001 to" export.txt || fail "Bates numbers do not start at CSP-CTL-000001"

# The package checks itself, and notices a changed file.
(cd p1 && sha256sum --quiet -c SHA256SUMS) || fail "sha256sum -c SHA256SUMS"
[ "$(cd p1 && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort)" = "$(cut -c67- p1/SHA256SUMS)" ] ||
	fail "SHA256SUMS does not list every other file"
echo "ok: SHA256SUMS lists all $(wc -l <p1/SHA256SUMS) other files"
cp -r p1 tampered
printf 'x' >>tampered/manifest.csv
expect_code "a changed file fails the check" 1 sh -c 'cd tampered && sha256sum --quiet -c SHA256SUMS >/dev/null 2>&1'

# Manifest: every message of the set but the withheld one; native hashes match the files
# and the store; attachments' natives match the store's attachment hashes.
$PY - p1 f.db "$redact" "$withhold" "$((total - 1))" <<'PY' || fail "manifest"
import csv, hashlib, os, sqlite3, sys
d, db, redact, withhold, want = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
rows = list(csv.DictReader(open(os.path.join(d, "manifest.csv"), newline="")))
msgs = [r for r in rows if r["TYPE"] == "message"]
assert len(msgs) == want, (len(msgs), want)
con = sqlite3.connect(db)
for r in rows:
    if r["NATIVEPATH"]:
        h = hashlib.sha256(open(os.path.join(d, r["NATIVEPATH"]), "rb").read()).hexdigest()
        assert h == r["SHA256"], ("native hash", r["NATIVEPATH"])
        if r["TYPE"] == "message":
            assert con.execute("SELECT count(*) FROM messages WHERE sha256 = ?", (h,)).fetchone()[0] == 1
        else:
            assert con.execute("SELECT count(*) FROM attachments WHERE sha256 = ?", (h,)).fetchone()[0] >= 1
    assert os.path.exists(os.path.join(d, r["PDFPATH"])), r["PDFPATH"]
natives = {hashlib.sha256(open(os.path.join(d, "natives", f), "rb").read()).hexdigest()
           for f in os.listdir(os.path.join(d, "natives"))}
assert redact not in natives and withhold not in natives, "a redacted or withheld message is native"
red = [r for r in msgs if r["PRODUCED"] == "redacted PDF only"]
assert len(red) == 1 and red[0]["NATIVEPATH"] == "" and red[0]["SHA256"] == "", red
att = [r for r in rows if r["TYPE"] == "attachment" and r["BEGATTACH"] == red[0]["BEGBATES"]]
assert len(att) == 1 and att[0]["NATIVEPATH"] == "", "the redacted message's attachment was produced"
# (generated messages may have a flyer.pdf of their own)
flyer = [r for r in rows if r["SUBJECT"] == "flyer.pdf" and r["MESSAGEID"] == "whole.3@example.org"]
assert len(flyer) == 1 and flyer[0]["NATIVEPATH"].endswith(".pdf"), flyer
print("ok: manifest of", len(msgs), "messages and", len(rows) - len(msgs), "attachments")
PY
# The Concordance load file has the same rows.
expect_eq "production.dat rows" "$(($(wc -l <p1/manifest.csv)))" "$(($(wc -l <p1/production.dat)))"
head -c 3 p1/production.dat | od -An -tx1 | grep -q "ef bb bf" || fail "production.dat has no UTF-8 byte-order mark"

# Every page carries the request id and its own Bates number, continuing across the PDFs.
$PY - p1 "$req" export.txt <<'PY' || fail "Bates stamps"
import os, re, subprocess, sys
d, req = sys.argv[1], sys.argv[2]
said = re.search(r"pages CSP-CTL-000001 to CSP-CTL-(\d{6})", open(sys.argv[3]).read())
assert said, "export.txt names no page range"
expect = 1
for f in sorted(os.listdir(os.path.join(d, "pdf"))):
    path = os.path.join(d, "pdf", f)
    assert f == "CSP-CTL-%06d.pdf" % expect, (f, expect)
    pages = [p for p in subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True,
             check=True, text=True).stdout.split("\f") if p.strip()]
    for p in pages:
        assert req in p, (f, "request id missing")
        assert "CSP-CTL-%06d" % expect in p, (f, "page", expect)
        expect += 1
# every page the export announced was found, stamped, in the PDFs (none is no pass)
assert expect - 1 == int(said.group(1)) and expect > 1, ("pages", expect - 1, said.group(0))
print("ok: pages CSP-CTL-000001 to CSP-CTL-%06d stamped" % (expect - 1))
PY

# Redactions: burned in (the label shows), and the words are in no file of the package.
pdf=$($PY -c 'import csv,sys; print([r["PDFPATH"] for r in csv.DictReader(open(sys.argv[1], newline="")) if r["PRODUCED"] == "redacted PDF only"][0])' p1/manifest.csv)
pdftotext "p1/$pdf" redacted.txt
grep -q "REDACTED 1-210(b)(2)" redacted.txt || fail "no redaction label in the redacted PDF"
grep -q "someone keeps" redacted.txt || fail "the redacted PDF lost the text around the redaction"
for f in p1/pdf/*.pdf; do pdftotext "$f" - ; done >alltext.txt
# (the text was read: the words around the redaction and the request id are in it)
grep -q "someone keeps" alltext.txt && grep -q "$req" alltext.txt || fail "no text read from the PDFs"
for word in "Vrbanovic" "Thistlewood" "Thistle" "Ｑｕｅｎｔｉｎ" "555-0142" "Przybylski" "Zyxwvut"; do
	grep -rqa "$word" p1 && fail "'$word' is in a file of the package"
	grep -qa "$word" alltext.txt && fail "'$word' is in the text of a PDF"
done
echo "ok: redacted and withheld words are in no output file and no PDF's text"
# The redacted message's first page, found by its text (the PDF's name is its first Bates
# number, as checked above): the manifest and the log give that number.
red_bates=$(for f in p1/pdf/*.pdf; do if pdftotext "$f" - | grep -q "someone keeps"; then basename "$f" .pdf; fi; done)
expect_eq "PDFs holding the redacted message" 1 "$(echo "$red_bates" | grep -c .)"
expect_eq "the redacted message's Bates number in the manifest" "$red_bates" \
	"$($PY -c 'import csv,sys; print(" ".join(r["BEGBATES"] for r in csv.DictReader(open(sys.argv[1], newline="")) if r["MESSAGEID"] == "redact-me.1@example.org" and r["TYPE"] == "message"))' p1/manifest.csv)"
grep -q "$red_bates,redact-me.1@example.org,,.*,redacted (6 passages),1-210(b)(2),a private person,records" p1/withholding-log.csv || { cat p1/withholding-log.csv; fail "redaction not logged at $red_bates"; }
grep -q "redacted (1 passage),1-210(b)(2),,records" p1/withholding-log.csv || fail "phone redaction not logged"
grep -q "withhold-me.2@example.org,$withhold,.*,withheld,1-210(b)(3)(G),victim's identity,records" p1/withholding-log.csv || fail "withheld message not logged"
grep -q "attachment not produced" p1/withholding-log.csv || fail "the held-back attachment is not logged"

# The mbox holds exactly the messages produced whole, mboxrd-quoted.
$PY - p1 <<'PY' || fail "mbox"
import csv, mailbox, os, sys
d = sys.argv[1]
ids = sorted(m["Message-ID"].strip("<>") for m in mailbox.mbox(os.path.join(d, "production.mbox")))
native = sorted(r["MESSAGEID"] for r in csv.DictReader(open(os.path.join(d, "manifest.csv"), newline=""))
                if r["TYPE"] == "message" and r["NATIVEPATH"])
assert ids == native, (len(ids), len(native))
raw = open(os.path.join(d, "production.mbox"), "rb").read()
assert b"\n>From the group." in raw, "a From line in a body was not quoted"
assert b"redact-me" not in raw and b"withhold-me" not in raw
print("ok: mbox of", len(ids), "messages")
PY

# The same request exported again: the same numbers and the same bytes.
$LIAISON --as records foia export "$req" --out p2 >export2.txt || fail "second export"
grep -q "the same production as before" export2.txt || fail "not recognised as the same production"
diff -r p1 p2 >/dev/null || fail "a second export differs"
echo "ok: a second export is byte-identical"
expect_code "an existing directory is never overwritten" 2 $LIAISON --as records foia export "$req" --out p1

# A changed decision is a new production: the next Bates numbers of the prefix.
last=$(cut -d, -f4 p1/manifest.csv | tail -n +2 | sort | tail -n 1)
req2=$($LIAISON --as records foia new --requester "Someone else" --received 2026-11-20 --description "The flyer")
$LIAISON --as records foia add "$req2" flyer >/dev/null
$LIAISON --as records foia export "$req2" --out p3 >export3.txt || fail "export of a second request"
next=$(printf "CSP-CTL-%06d" $(($(echo "${last#CSP-CTL-}" | sed "s/^0*//") + 1)))
grep -q "pages $next to" export3.txt || { cat export3.txt; fail "the second production does not continue at $next"; }
echo "ok: the next production continues at $next"

# A text redacted in one message but standing in another produced whole is warned of.
other=$(sqlite3 f.db "SELECT sha256 FROM messages WHERE message_id = 'whole.3@example.org'")
$LIAISON --as records foia redact "$req" "$withhold" --text "tell someone what happened" --exemption "1-210(b)(2)" >/dev/null
set +e
$LIAISON --as records foia export "$req" --out p4 >export4.txt 2>export4.err; rc=$?
set -e
expect_eq "a message holding text redacted elsewhere stops the export" 1 "$rc"
grep -q "message <whole.3@example.org> ($(echo "$other" | cut -c1-12)) would be produced whole but holds text redacted from another message" export4.err || { cat export4.err; fail "the message is not named by Message-ID and hash"; }
grep -q "CSP-CTL-" export4.err && { cat export4.err; fail "the stop names a provisional Bates number"; }
grep -q "tell someone what happened" export4.err && fail "the error repeats the redacted text"
[ ! -e p4 ] || fail "a stopped export left its directory"
$LIAISON --as records foia export "$req" --out p4 --allow-redacted-text-elsewhere >export4.txt 2>export4.err || fail "export allowed"
grep -q "produced whole as you allowed" export4.txt || fail "no warning when allowed"
echo "ok: text redacted elsewhere stops the export unless allowed, never repeated"
# Another copy of a withheld message (other headers, so other bytes) is caught by Message-ID.
mkdir copy
$PY - own/withhold.eml copy/withhold-copy.eml <<'PY'
import sys
raw = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(b"Received: from relay.example.org by mx.ct.gov; Thu, 12 Nov 2026 10:00:01 -0500\r\n" + raw)
PY
$LIAISON import --mailbox L copy >/dev/null
req3=$($LIAISON --as records foia new --requester C --received 2026-11-20 --description z)
$LIAISON --as records foia add "$req3" Zyxwvut >/dev/null
expect_eq "both copies are in the set" 2 "$($LIAISON --as records foia show "$req3" --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')"
$LIAISON --as records foia withhold "$req3" "$withhold" --exemption "1-210(b)(3)(G)" --reason "victim" >/dev/null
set +e
$LIAISON --as records foia export "$req3" --out p6 2>copy.err; rc=$?
set -e
expect_eq "another copy of a withheld message stops the export" 1 "$rc"
copy_sha=$(sqlite3 f.db "SELECT substr(sha256, 1, 12) FROM messages WHERE message_id = 'withhold-me.2@example.org' AND sha256 != '$withhold'")
grep -q "message <withhold-me.2@example.org> ($copy_sha) is another copy (Message-ID <withhold-me.2@example.org>)" copy.err || { cat copy.err; fail "the copy is not named by Message-ID and hash"; }
grep -q "CSP-CTL-" copy.err && { cat copy.err; fail "the stop names a provisional Bates number"; }

# A message whose stored bytes no longer match their SHA-256 stops the export, named.
sqlite3 f.db "DROP TRIGGER IF EXISTS message_raw_no_update" 2>/dev/null || true
sqlite3 f.db "UPDATE message_raw SET raw = CAST(replace(CAST(raw AS TEXT), 'flyer is attached', 'flyer is ATTACHED') AS BLOB) WHERE message_id = (SELECT id FROM messages WHERE message_id = 'whole.3@example.org')"
set +e
$LIAISON --as records foia export "$req2" --out p5 2>mismatch.err; rc=$?
set -e
expect_eq "a hash mismatch stops the export" 1 "$rc"
grep -q "$other" mismatch.err || { cat mismatch.err; fail "the error does not name the message"; }
[ ! -e p5 ] || fail "a stopped export left its directory"
ls -d p5.partial-* 2>/dev/null && fail "a stopped export left its temporary directory"
echo "ok: $(cat mismatch.err)"

expect_eq "exports audited" "foia-export foia-export foia-export foia-export" \
	"$($LIAISON --as records audit --json | $PY -c 'import json,sys; print(" ".join(a["action"] for a in json.load(sys.stdin) if a["action"] == "foia-export"))')"
$LIAISON --as records audit --json >audit.json || fail "audit --json"
grep -q '"foia-redact"' audit.json || fail "the redactions are not in the audit trail"
grep -q "Vrbanovic" audit.json && fail "the redacted words are in the audit trail"
expect_code "the chain holds" 0 $LIAISON --as records audit verify
