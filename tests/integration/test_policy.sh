# What a liaison's reply needs before it is queued (directive H.2.a: liaisons never ask about
# immigration status): a reply that seems to ask is refused with its phrases until confirmed,
# and the confirmation is recorded; --preview shows the exact message and queues nothing;
# saved replies fill in the thread's values, a troop's own replacing the shared one; a reply
# written from an old view of the thread is refused when the thread got news.  No servers:
# replies are only queued.
# duration: 10 s
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
write_config p.conf "$TMPDIR/p.db"
# reyes signs with a display name; the templates are a copy, so troop K can have its own
cp -r "$TOP/templates" tpl
sed -i -e "s|^templates = .*|templates = $TMPDIR/tpl|" \
	-e '/^\[user reyes\]/a display_name = Tpr. Ana Reyes' p.conf
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null

# mail FILE ID [IN-REPLY-TO]: a message from José Pérez to troop K, in Spanish.
mail() {
	{
		printf 'From: =?UTF-8?Q?Jos=C3=A9_P=C3=A9rez?= <jose@example.org>\r\n'
		printf 'To: TroopKCTL@ct.gov\r\nSubject: Reunion del barrio\r\nMessage-ID: <%s>\r\n' "$2"
		[ -z "${3:-}" ] || printf 'In-Reply-To: <%s>\r\nReferences: <%s>\r\n' "$3" "$3"
		printf 'Date: Tue, 03 Mar 2026 10:00:00 -0500\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n'
		printf 'Hola, quisiera hablar de la reunion del barrio del jueves. Gracias por su ayuda.\r\n'
	} >"$1"
}
mkdir in
mail in/1.eml jose1@example.org
$LIAISON import --mailbox K in/1.eml >/dev/null || fail "import"
ref=$($LIAISON --as reyes threads --json | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["ref"])')
outbox() { $LIAISON --as admin outbox --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
audit_replies() { $LIAISON --as admin audit --json | $PY -c 'import json,sys; print(sum(1 for e in json.load(sys.stdin) if e["action"] == "reply"))'; }

echo "== a reply that asks about immigration status is refused until confirmed"
printf 'Hola José,\n\nGracias. ¿Tiene  papeles?\nAnd are you\nDOCUMENTED?\n' >asks.txt
expect reyes 2 reply "$ref" --file asks.txt
grep -q "'Tiene papeles' (asks for papers" err.txt || fail "the Spanish phrase is not named"
grep -q "'are you DOCUMENTED' (asks whether someone is documented" err.txt || fail "the English phrase is not named"
grep -q -- "--confirm-policy" err.txt || fail "no word of how to confirm"
expect_eq "nothing queued" 0 "$(outbox)"
expect_eq "nothing audited" 0 "$(audit_replies)"
printf 'Hola José,\n\nNunca le preguntamos por su estatus migratorio.\n> ¿Necesito papeles?\n' >calm.txt
$LIAISON --as reyes reply "$ref" --file calm.txt --preview >/dev/null 2>calm.err || fail "preview of a reassurance"
[ ! -s calm.err ] || { cat calm.err; fail "a reassurance and a quoted line warned"; }
echo "ok: a reassurance and the correspondent's quoted words do not warn"

echo "== --preview shows the message exactly and queues nothing"
$LIAISON --as reyes reply "$ref" --file asks.txt --preview >preview.eml 2>preview.err || fail "preview"
grep -q "warning: sending it needs --confirm-policy" preview.err || fail "the preview does not warn"
expect_eq "the preview queued nothing" 0 "$(outbox)"
$LIAISON --as reyes reply "$ref" --file asks.txt --confirm-policy >out.txt || fail "reply --confirm-policy"
grep -q "reply to jose@example.org queued" out.txt || fail "no word of the queued reply"
expect_eq "queued once confirmed" 1 "$(outbox)"
id=$($LIAISON --as admin outbox --json | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
$LIAISON --as reyes outbox show "$id" >queued.txt || fail "outbox show"
# outbox show prints a header of where the row stands, then the message as it will be sent
$PY - preview.eml queued.txt <<'PY' || fail "the preview is not the queued message"
import sys
preview = open(sys.argv[1], "rb").read()
queued = open(sys.argv[2], "rb").read()
start = queued.find(preview.split(b"\r\n", 1)[0])
queued = queued[start:]
def lines(raw):
    return [l for l in raw.split(b"\r\n") if not l.startswith((b"Message-ID:", b"Date:"))]
same = lines(preview) == lines(queued)
differ = sorted({l.split(b":")[0].decode() for l in set(preview.split(b"\r\n")) ^ set(queued.split(b"\r\n"))})
print(("ok  " if same else "BAD ") + "byte for byte but Message-ID and Date; lines that differ: %s" % differ)
sys.exit(0 if same and set(differ) <= {"Message-ID", "Date"} else 1)
PY
$LIAISON --as admin audit --json >audit.json
expect_eq "the confirmation is in the audit entry" \
	"to jose@example.org; policy warning confirmed: 'Tiene papeles' (asks-papers); 'are you DOCUMENTED' (asks-documented)" \
	"$(json '[e["details"] for e in d if e["action"] == "reply"][-1]' audit.json)"
$LIAISON --as reyes history "$ref" --json >history.json
expect_eq "and in the thread's history" 1 \
	"$(json 'sum(1 for h in d if h["action"] == "reply" and "policy warning confirmed" in h["details"])' history.json)"

echo "== saved replies, filled in for the thread"
$LIAISON --as reyes saved-replies "$ref" --json >saved.json
expect_eq "the shipped saved replies" "acknowledge.en acknowledge.es good-time-to-call.en good-time-to-call.es referral-follow-up.en referral-follow-up.es" \
	"$(json '" ".join(s["name"] + "." + s["lang"] for s in d)' saved.json)"
# body FILE: the decoded text of a message
body() { $PY -c 'import email,email.policy,sys; print(email.message_from_bytes(open(sys.argv[1],"rb").read(), policy=email.policy.default).get_body().get_content().replace("\r", ""))' "$1"; }
$LIAISON --as reyes reply "$ref" --saved acknowledge --preview >ack.eml 2>ack.err || { cat ack.err; fail "saved preview"; }
[ ! -s ack.err ] || { cat ack.err; fail "a shipped saved reply warned"; }
body ack.eml >ack.txt
grep -q "^Hola, José:" ack.txt || { cat ack.txt; fail "not in Spanish (the thread's language) or not to José"; }
grep -q "Su número de referencia es $ref\." ack.txt || fail "the reference"
grep -q "^Tpr. Ana Reyes$" ack.txt || fail "the liaison's name"
if grep -q "# title" ack.txt; then fail "the title line was sent"; fi
echo "ok: {{first_name}}, {{ref}}, {{liaison_name}} in the thread's language, no title"
$LIAISON --as reyes reply "$ref" --saved good-time-to-call --lang en --preview >call.eml || fail "saved --lang en"
body call.eml >call.txt
grep -q "^Hello José," call.txt || fail "--lang en"
expect_eq "previews queued nothing" 1 "$(outbox)"
mkdir tpl/saved/K
printf '# title: Troop K thanks\nThanks {{first_name}}, troop K has it ({{ref}}).\n' >tpl/saved/K/acknowledge.en.txt
$LIAISON --as reyes saved-replies "$ref" >saved.txt
grep -q "^acknowledge  *en   K  *Troop K thanks" saved.txt || { cat saved.txt; fail "troop K's own is not listed"; }
if grep -q "^acknowledge  *es" saved.txt; then fail "the shared acknowledge still listed for K"; fi
expect reyes 2 reply "$ref" --saved acknowledge --lang es --preview
grep -q "no saved reply 'acknowledge' in es" err.txt || fail "replaced in Spanish too"
$LIAISON --as reyes reply "$ref" --saved acknowledge --lang en >/dev/null || fail "reply --saved"
expect_eq "the saved reply queued" 2 "$(outbox)"
$LIAISON --as admin outbox --json | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])' >id.txt
$LIAISON --as reyes outbox show "$(cat id.txt)" | grep -q "troop K has it ($ref)" || fail "troop K's text was not sent"
expect reyes 2 reply "$ref" --saved ../autoreply --preview
grep -q "not the name of a saved reply" err.txt || fail "a path as a name"
expect reyes 2 reply "$ref" --saved acknowledge --lang fr
expect reyes 2 reply "$ref" --saved acknowledge --file asks.txt
expect bell 1 saved-replies "$ref"

echo "== a reply written from an old view of the thread"
# conflict ARGS...: reply acted as reyes is refused as changed meanwhile (exit 1, nothing queued)
conflict() {
	set +e
	$LIAISON --as reyes reply "$ref" "$@" >out.txt 2>err.txt
	rc=$?
	set -e
	[ "$rc" -eq 1 ] && grep -q "has news since you opened it" err.txt ||
		{ cat err.txt; fail "reply $*: exit $rc, not a conflict"; }
	echo "ok: reply $* is a conflict: $(cat err.txt)"
}
seen=$($LIAISON --as reyes show "$ref" --json | $PY -c 'import json,sys; print(max(m["id"] for m in json.load(sys.stdin)["messages"]))')
printf 'Thank you, we will call you on Thursday.\n' >ok.txt
$LIAISON --as walsh reply "$ref" --file ok.txt >/dev/null || fail "walsh's reply"
walsh_row=$($LIAISON --as admin outbox --json | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
conflict --file ok.txt --seen "$seen"
grep -q "a reply by walsh, queued (outbox $walsh_row)" err.txt || fail "walsh's reply not named"
expect_eq "nothing queued on the conflict" 3 "$(outbox)"
$LIAISON --as reyes reply "$ref" --file ok.txt --seen "$seen" --seen-outbox "$walsh_row" >/dev/null ||
	fail "reply having seen walsh's"
mail in/2.eml jose2@example.org jose1@example.org
$LIAISON import --mailbox K in/2.eml >/dev/null || fail "import the second message"
conflict --file ok.txt --seen "$seen" --seen-outbox 999
grep -q "a message from jose@example.org" err.txt || fail "the new message not named"
newest=$($LIAISON --as reyes show "$ref" --json | $PY -c 'import json,sys; print(max(m["id"] for m in json.load(sys.stdin)["messages"]))')
$LIAISON --as reyes reply "$ref" --file ok.txt --seen "$newest" --seen-outbox 999 >/dev/null ||
	fail "reply having seen the new message"
expect reyes 2 reply "$ref" --file ok.txt --seen-outbox 3
expect_eq "every reply accounted for" 5 "$(outbox)"
