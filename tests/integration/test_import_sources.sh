# Every kind of source gives the same stored bytes: a Maildir, an mbox of the same messages
# (">From " quoting undone), .eml files; bad sources are named and the rest goes on.
. "$TOP/tests/integration/lib.sh"
have_corpus_gen || fail "corpus generator $CORPUS_GEN not found"
cd "$TMPDIR"
$PY "$CORPUS_GEN" --count 300 --seed 21 --troops K --out md 2>/dev/null
total=$(wc -l <md/labels.jsonl)
[ "$total" -ge 2 ] || fail "only $total messages generated"
# The mbox and the .eml files are made here from the very same Maildir files: an mboxrd
# (">From " quoting) and one file per message.
mkdir mb eml
$PY - md mb/corpus.mbox eml <<'PY'
import os, re, sys
md, mbox, eml = sys.argv[1:]
names = sorted(os.listdir(os.path.join(md, "cur")))
with open(mbox, "wb") as out:
    for i, name in enumerate(names):
        raw = open(os.path.join(md, "cur", name), "rb").read()
        open(os.path.join(eml, "%04d.eml" % i), "wb").write(raw)
        quoted = re.sub(rb"(?m)^(>*From )", rb">\1", raw)
        out.write(b"From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n" + quoted + b"\n")
PY
for kind in md mb eml; do
	write_config $kind.conf "$TMPDIR/$kind.db"
	$LIAISON -c $kind.conf init >/dev/null
done
$LIAISON -c md.conf import --mailbox K --json md >md.json
$LIAISON -c mb.conf import --mailbox K --json mb/corpus.mbox >mb.json
$LIAISON -c eml.conf import --mailbox K --json eml >eml.json
for kind in md mb eml; do
	expect_eq "$kind imported" "$total" "$(json 'd["imported"]' $kind.json)"
	$LIAISON -c $kind.conf messages --json | $PY -c 'import json,sys; print("\n".join(sorted(m["sha256"] for m in json.load(sys.stdin))))' >$kind.sha
done
cmp md.sha mb.sha || fail "mbox import stored other bytes than the Maildir"
cmp md.sha eml.sha || fail ".eml import stored other bytes than the Maildir"
echo "ok: Maildir, mbox and .eml give the same $total SHA-256"
# ... and the same threads.
for kind in md mb; do
	$LIAISON -c $kind.conf threads --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))' >$kind.threads
done
expect_eq "threads from mbox" "$(cat md.threads)" "$(cat mb.threads)"

# A truncated mbox: what is readable is imported, the rest is named, exit 1.
head -c $(( $(wc -c <mb/corpus.mbox) - 100 )) mb/corpus.mbox >cut.mbox
write_config cut.conf "$TMPDIR/cut.db"
$LIAISON -c cut.conf init >/dev/null
set +e
$LIAISON -c cut.conf import --mailbox K --json cut.mbox missing-folder >cut.json 2>cut.err
rc=$?
set -e
expect_eq "truncated mbox exit" 1 "$rc"
expect_eq "truncated mbox: readable messages imported" $((total - 1)) "$(json 'd["imported"]' cut.json)"
json 'any("cut.mbox#'"$total"'" in e for e in d["errors"])' cut.json | grep -qx True || fail "truncated message #$total not named"
json 'any("missing-folder" in e for e in d["errors"])' cut.json | grep -qx True || fail "missing path not named"
echo "ok: truncated mbox and missing path named: $(json 'd["errors"]' cut.json)"

# A folder that is none of the known kinds.
mkdir empty
set +e
$LIAISON -c cut.conf import --mailbox K empty 2>empty.err
rc=$?
set -e
expect_eq "empty folder exit" 1 "$rc"
grep -q "empty" empty.err || fail "empty folder not named"
cat empty.err

# Import into an unknown mailbox is a usage error.
expect_code "unknown mailbox" 2 $LIAISON -c cut.conf import --mailbox Z md

# Links and special files inside a source are never read, wherever they point: each is named
# as unreadable (exit 1) and the rest is imported.  "passwd" stands in for /etc/passwd.
printf 'root:x:0:0:OUTSIDE-BYTES-%s:/root:/bin/sh\n' "$$" >passwd
marker=OUTSIDE-BYTES-$$
msg() { printf 'From: %s@example.org\nTo: TroopKCTL@ct.gov\nSubject: %s\nMessage-ID: <%s@example.org>\n\nbody\n' "$1" "$1" "$1"; }
mkdir -p lk/cur lk/new lk/tmp elsewhere lc/new lc/tmp le
msg good-cur >lk/cur/1.a.host:2,S
msg good-new >lk/new/2.b.host
ln -s "$TMPDIR/passwd" lk/cur/3.out.host:2,
ln -s ../../passwd lk/new/4.rel.host
ln -s 1.a.host:2,S lk/cur/5.in.host:2,
ln -s no-such-file lk/cur/6.dangling.host:2,
mkfifo lk/cur/7.fifo.host:2,
cp passwd elsewhere/8.c.host:2,
ln -s ../elsewhere lc/cur
msg good-eml >le/a.eml
ln -s ../passwd le/b.eml
mkfifo le/c.eml
write_config lk.conf "$TMPDIR/lk.db"
$LIAISON -c lk.conf init >/dev/null
set +e
timeout 60 $LIAISON -c lk.conf import --mailbox K --json lk lc le >lk.json 2>lk.err
rc=$?
set -e
expect_eq "links and FIFOs exit" 1 "$rc"
expect_eq "regular messages imported" 3 "$(json 'd["imported"]' lk.json)"
expect_eq "links, FIFOs and the linked cur/ unreadable" 8 "$(json 'd["unreadable"]' lk.json)"
# named NAME WHAT: an error of lk.json names NAME and says WHAT.
named() {
	$PY -c 'import json,sys; d=json.load(open("lk.json")); sys.exit(not any(sys.argv[1] in e and sys.argv[2] in e for e in d["errors"]))' "$1" "$2" ||
		fail "$1 not named as $2: $(json 'd["errors"]' lk.json)"
}
for name in lk/cur/3.out.host:2, lk/new/4.rel.host lk/cur/5.in.host:2, lk/cur/6.dangling.host:2, lc/cur le/b.eml; do
	named "$name" "symbolic link"
done
named lk/cur/7.fifo.host:2, FIFO
named le/c.eml FIFO
echo "ok: named: $(json 'd["errors"]' lk.json)"
expect_eq "outside bytes in the database" 0 \
	"$(sqlite3 lk.db "SELECT count(*) FROM message_raw WHERE instr(raw, CAST('$marker' AS BLOB)) > 0")"
! grep -qa "$marker" lk.db lk.db-wal 2>/dev/null || fail "the outside file's bytes are in the database files"
expect_code "liaison raw of the outside file (no such message)" 2 $LIAISON -c lk.conf raw "$(sha256sum <passwd | cut -d' ' -f1)"

# mbox separators.  Python's mailbox module (">From " quoting) and Thunderbird ("From - " and
# a zero-padded day) give back each message as it was handed to them; a body's "From here
# on..." after an empty line, and a forged separator the writer quoted, cut nothing: no fake
# outgoing message.  The issue's forged line is in the stranger's message.
mkdir sep
$PY - sep <<'PY'
import mailbox, os, sys
out = sys.argv[1]
msgs = [
    b"From: stranger@example.net\nTo: TroopKCTL@ct.gov\nSubject: minutes\nMessage-ID: <m1@example.net>\n\n"
    b"The meeting went well.\n\nFrom here on, we meet in the library.\n\n"
    b"From TroopKCTL@ct.gov Sat Dec  5 10:00:00 2026\nFrom: TroopKCTL@ct.gov\nTo: victim@example.org\n"
    b"Subject: your case is closed\n\nfake\n",
    b"From: alice@example.org\nTo: TroopKCTL@ct.gov\nSubject: two\nMessage-ID: <m2@example.net>\n\n"
    b">From quoted by its author\nFrom 10am to noon.\n",
]
box = mailbox.mbox(os.path.join(out, "python.mbox"))
for m in msgs:
    box.add(m)
box.close()
for i, m in enumerate(msgs):
    open(os.path.join(out, "python-%d.eml" % i), "wb").write(m)
PY
# Python's writer is mboxo: it does not quote the author's own ">From ", which a reader then
# cannot restore; that line aside, every byte comes back.
sed 's/^>From quoted by its author$/From quoted by its author/' sep/python-1.eml >sep/python-1.tmp
mv sep/python-1.tmp sep/python-1.eml
cat >sep/thunderbird.mbox <<'MBOX'
From - Sat Dec 05 10:00:00 2026
X-Mozilla-Status: 0001
From: carol@example.org
To: TroopKCTL@ct.gov
Subject: tb one
Message-ID: <tb1@example.org>

>From the desk of the chief

From - Sat Dec 05 10:00:01 2026
X-Mozilla-Status: 0001
From: dave@example.org
To: TroopKCTL@ct.gov
Subject: tb two
Message-ID: <tb2@example.org>

x

From erin@example.org Sat Dec  5 11:00:00 2026 +0100
From: erin@example.org
To: TroopKCTL@ct.gov
Subject: with a zone
Message-ID: <tb3@example.org>

y
MBOX
printf 'X-Mozilla-Status: 0001\nFrom: carol@example.org\nTo: TroopKCTL@ct.gov\nSubject: tb one\nMessage-ID: <tb1@example.org>\n\nFrom the desk of the chief\n' >sep/tb-0.eml
# The issue's first case, in a file whose writer did not quote: one message all the same.
cat >sep/prose.mbox <<'MBOX'
From stranger@example.net Sat Dec  5 09:00:00 2026
From: stranger@example.net
To: TroopKCTL@ct.gov
Subject: not quoted
Message-ID: <p1@example.net>

See you then.

From here on, we meet in the library.

From TroopKCTL@ct.gov we have heard nothing.
MBOX
tail -n +2 sep/prose.mbox >sep/prose-0.eml
write_config sep.conf "$TMPDIR/sep.db"
$LIAISON -c sep.conf init >/dev/null
set +e
$LIAISON -c sep.conf import --mailbox K --json sep/python.mbox sep/thunderbird.mbox sep/prose.mbox >sep.json
rc=$?
set -e
expect_eq "mbox import exit (nothing cut, nothing quarantined)" 0 "$rc"
expect_eq "mbox messages imported" 6 "$(json 'd["imported"]' sep.json)"
$LIAISON -c sep.conf messages --json >sep-messages.json
for f in sep/python-0.eml sep/python-1.eml sep/tb-0.eml sep/prose-0.eml; do
	sha=$(sha256sum <"$f" | cut -d' ' -f1)
	$LIAISON -c sep.conf raw "$sha" | cmp - "$f" || fail "$f: not stored byte for byte"
done
echo "ok: Python's, Thunderbird's and the unquoted messages stored as given"
expect_eq "outgoing messages" 0 "$(json 'sum(m["direction"] == "out" for m in d)' sep-messages.json)"
expect_eq "the zone of a separator" "2026-12-05T10:00:00Z" \
	"$(sqlite3 sep.db "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', internal_date, 'unixepoch') FROM custody WHERE source LIKE '%thunderbird.mbox#3'")"

# A message had to be quarantined (an empty one): stored, and the exit code says so.
printf 'From a@example.org Sat Dec  5 10:00:00 2026\n\nFrom b@example.org Sat Dec  5 10:00:01 2026\nFrom: b@example.org\nTo: TroopKCTL@ct.gov\nSubject: fine\n\nok\n' >q.mbox
set +e
$LIAISON -c sep.conf import --mailbox K q.mbox >q.out 2>q.err
rc=$?
set -e
expect_eq "exit with a quarantined message" 1 "$rc"
grep -q "1 quarantined" q.out || fail "summary: $(cat q.out)"
grep -q "quarantined: stored" q.err || fail "no word of the quarantine: $(cat q.err)"
echo "ok: $(cat q.out) / $(tail -1 q.err)"
