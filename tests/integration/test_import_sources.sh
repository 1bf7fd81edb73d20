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
