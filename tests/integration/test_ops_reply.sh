# A liaison's reply and a referral against the real Dovecot and SMTP sink: headers, the
# outbox, the Sent folder (APPEND), the thread; a closed thread needs --reopen.
# duration: 10 s
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
start_servers
write_poll_config p.conf "$TMPDIR/p.db"
cat >>p.conf <<'CONF'

[service 211]
name = 2-1-1 (United Way of Connecticut)
phone = 2-1-1
url = https://www.211ct.org
description = Housing, food and heating help at any hour
CONF
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null
$PY "$TOP/tests/fixtures/autoreply/make-cases.py" cases
deliver INBOX cases/00-person.eml
$LIAISON poll --once 2>/dev/null || fail "poll"
expect_eq "the auto-reply" 1 "$(smtp_count)"
ref=$($LIAISON --as reyes threads --json | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["ref"])')
mid=$($PY -c 'import json,sys; print([m for m, w in json.load(open(sys.argv[1])).items() if w["case"] == "person"][0])' cases/expected.json)

printf 'Dear neighbour,\n\nThank you. I can meet you on Thursday at 3 p.m. at the library.\n\nTpr. Reyes\n' >body.txt
$LIAISON --as reyes reply "$ref" --file body.txt || fail "reply"
expect_eq "queued" queued "$($LIAISON --as reyes outbox --json | $PY -c 'import json,sys; print([o["status"] for o in json.load(sys.stdin) if o["kind"] == "reply"][0])')"
$LIAISON poll --once 2>poll.err || { cat poll.err; fail "poll"; }
expect_eq "reply at the sink" 2 "$(smtp_count)"
last=$(ls "$SMTP_DIR"/*.json | sort | tail -n 1)
$PY - "${last%.json}.eml" "$last" "$ref" "$mid" <<'PY' || fail "reply headers"
import email, email.policy, json, sys
msg = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
meta = json.load(open(sys.argv[2]))
ref, mid = sys.argv[3], sys.argv[4]
checks = [
    (meta["mail_from"] == "troopkctl@ct.gov", "envelope from the troop"),
    (meta["rcpt_tos"] == ["person@people.example"], "to the correspondent"),
    (msg["From"].addresses[0].addr_spec == "TroopKCTL@ct.gov", "From the troop address as configured"),
    (str(msg["Subject"]) == f"Re: [CTL {ref}] Question", f"subject tag: {msg['Subject']}"),
    (msg["In-Reply-To"] == f"<{mid}>", "In-Reply-To the latest incoming"),
    (f"<{mid}>" in msg["References"], "References"),
    (msg["Message-ID"].endswith("@ct.gov>"), "Message-ID of the troop's domain"),
    (msg["Auto-Submitted"] is None, "not an automatic message"),
    ("Thursday at 3 p.m." in msg.get_body().get_content(), "the body"),
]
bad = [what for ok, what in checks if not ok]
for ok, what in checks:
    print(("ok  " if ok else "BAD ") + what)
sys.exit(1 if bad else 0)
PY
status() { $PY "$TOP/tests/servers/deliver.py" status --conf "$DOVECOT_CONF" --user troopk --folder "$1" | $PY -c 'import json,sys; print(json.load(sys.stdin)["messages"])'; }
expect_eq "saved in Sent by APPEND" 1 "$(status Sent)"
$LIAISON poll --once 2>/dev/null || fail "poll"
$LIAISON --as reyes show "$ref" --json >show.json
expect_eq "the reply is in the thread once, direction out" 1 "$(json 'sum(1 for m in d["messages"] if m["direction"] == "out" and m["subject"].startswith("Re: [CTL"))' show.json)"
expect_eq "and its copy from Sent is the same message" 2 "$(sqlite3 p.db "SELECT count(*) FROM custody c JOIN messages m ON m.id = c.message_id WHERE m.subject LIKE 'Re: [CTL%'")"

echo "== a closed thread needs --reopen"
$LIAISON --as reyes close "$ref" >/dev/null
set +e
$LIAISON --as reyes reply "$ref" --file body.txt 2>closed.err
rc=$?
set -e
expect_eq "refused on a closed thread" 2 "$rc"
grep -q -- "--reopen" closed.err || fail "no hint to reopen"
$LIAISON --as reyes reply "$ref" --reopen --file body.txt >/dev/null || fail "reply --reopen"
expect_eq "reopened" open "$($LIAISON --as reyes threads --json | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["status"])')"

echo "== a referral, sent"
$LIAISON --as reyes refer "$ref" 211 --note "housing" --send || fail "refer"
$LIAISON poll --once 2>/dev/null || fail "poll"
expect_eq "the second reply and the referral at the sink" 4 "$(smtp_count)"
last=$(ls "$SMTP_DIR"/*.eml | sort | tail -n 1)
# Every field of [service 211] is in the message (decoded: the body is quoted-printable).
$PY - "$last" <<'PY' || fail "the service is not in the message as configured"
import email, email.policy, re, sys
msg = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
body = msg.get_body(("plain",)).get_content()
bad = 0
for what, ok in [("name", "2-1-1 (United Way of Connecticut)" in body),
                 ("phone", re.search(r"(Phone|Teléfono): 2-1-1\r?\n", body) is not None),
                 ("url", re.search(r"Web: https://www\.211ct\.org\r?\n", body) is not None),
                 ("description", "Housing, food and heating help at any hour" in body)]:
    print(("ok  " if ok else "BAD ") + "the service's " + what)
    bad += not ok
sys.exit(1 if bad else 0)
PY
expect_eq "referral recorded" "211|reyes|housing|1" "$(sqlite3 p.db 'SELECT service, user, note, sent FROM referrals')"
expect_code "an unknown service is refused" 2 $LIAISON --as reyes refer "$ref" nosuch
$LIAISON --as records audit --json | $PY -c 'import json,sys; a=[e["action"] for e in json.load(sys.stdin)]; sys.exit(0 if a.count("reply") == 2 and "refer" in a else 1)' || fail "reply and refer not audited"
echo "ok: replies and the referral audited"
