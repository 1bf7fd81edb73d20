# The main job against a real Dovecot and SMTP sink: each auto-reply rule has its case, every
# eligible person gets exactly one reply with the right headers, machines none, the reply
# is stored in its thread, and a second poll sends nothing again.
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
start_servers
write_poll_config p.conf "$TMPDIR/p.db"
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null
$PY "$TOP/tests/fixtures/autoreply/make-cases.py" cases
$PY "$TOP/tests/servers/deliver.py" append --port "$IMAP_PORT" --user troopk \
	--password troopk-secret --folder INBOX --internaldate cases/*.eml >/dev/null
$LIAISON poll --once 2>poll.err || { cat poll.err; fail "poll --once failed"; }
$LIAISON messages --json >m.json
$LIAISON outbox --json >o.json

# Each case decided as expected.
$PY - cases/expected.json m.json <<'PY' || fail "a case was decided wrongly"
import json, sys
want = json.load(open(sys.argv[1]))
got = {m["message_id"]: m for m in json.load(open(sys.argv[2])) if m["direction"] == "in"}
bad = 0
for mid, w in want.items():
    m = got.get(mid)
    decision = m["autoreply"] if m else "(not stored)"
    ok = decision == w["want"] if w["want"].startswith("queued") else (decision or "").startswith(w["want"])
    print(("ok  " if ok else "BAD ") + w["case"] + ": " + str(decision))
    bad += not ok
sys.exit(1 if bad else 0)
PY

# The Bcc'd threat is a person's urgent thread, though nobody was answered.
bcc=$($PY -c 'import json,sys; print([m for m, w in json.load(open(sys.argv[1])).items() if w["case"] == "bcc-threat"][0])' cases/expected.json)
expect_eq "the Bcc'd threat: a person's urgent thread" "person urgent" \
	"$(sqlite3 p.db "SELECT t.kind, t.priority FROM threads t JOIN placements p ON p.thread_id = t.id JOIN messages m ON m.id = p.message_id WHERE m.message_id = '$bcc'" | tr '|' ' ')"
expect_eq "... on the response clock" 1 "$(sqlite3 p.db "SELECT t.first_in_at IS NOT NULL FROM threads t JOIN placements p ON p.thread_id = t.id JOIN messages m ON m.id = p.message_id WHERE m.message_id = '$bcc'")"

# What the SMTP sink got: one reply per queued case (and the urgent notice), nothing else.
queued=$($PY -c 'import json,sys; print(sum(1 for w in json.load(open(sys.argv[1])).values() if w["want"].startswith("queued")))' cases/expected.json)
# Each urgent message also sends the coordinator a notice, inside the reply window too.
notices=$($PY -c 'import json,sys; print(sum(1 for w in json.load(open(sys.argv[1])).values() if w["urgent"]))' cases/expected.json)
expect_eq "messages at the SMTP sink" $((queued + notices)) "$(smtp_count)"
$PY - cases/expected.json "$SMTP_DIR" o.json <<'PY' || fail "the replies are not as specified"
import email, email.policy, glob, json, os, re, sys
want = json.load(open(sys.argv[1]))
outbox = json.load(open(sys.argv[3]))
by_reply_to = {w["reply_to"]: (mid, w) for mid, w in want.items() if w["reply_to"]}
urgent_again = [(mid, w) for mid, w in want.items() if w["case"] == "window-urgent"][0]
bad = 0
def check(cond, what):
    global bad
    if not cond:
        bad += 1
        print("BAD", what)
seen = set()
for meta_path in sorted(glob.glob(os.path.join(sys.argv[2], "*.json"))):
    meta = json.load(open(meta_path))
    raw = open(meta_path[:-5] + ".eml", "rb").read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    rcpt = meta["rcpt_tos"]
    check(len(rcpt) == 1, f"one recipient: {rcpt}")
    if rcpt[0] == "coordinator@ct.gov":
        check(meta["mail_from"] != "<>", "the notice has a real sender")
        body = msg.get_body().get_content()
        check(re.search(r"K-\d{4}-\d{5}", body) and "gun" not in body, "notice: reference, never the body")
        continue
    mid, w = by_reply_to.get(rcpt[0], (None, None))
    if rcpt[0] in seen and msg["Subject"] == "Auto: now":
        mid, w = urgent_again   # the urgent reply inside the window: a second, allowed
    else:
        check(rcpt[0] not in seen, f"one reply to {rcpt[0]}")
    check(w is not None, f"a reply to an expected address: {rcpt[0]}")
    if w is None:
        continue
    seen.add(rcpt[0])
    check(meta["mail_from"] == "<>", f"{w['case']}: null envelope sender, got {meta['mail_from']}")
    check(msg["Auto-Submitted"] == "auto-replied", f"{w['case']}: Auto-Submitted")
    check(msg["X-Auto-Response-Suppress"] == "All", f"{w['case']}: X-Auto-Response-Suppress")
    check(msg["In-Reply-To"] == "<" + mid + ">", f"{w['case']}: In-Reply-To {msg['In-Reply-To']}")
    check(("<" + mid + ">") in (msg["References"] or ""), f"{w['case']}: References")
    check(str(msg["Subject"]).startswith("Auto: "), f"{w['case']}: subject {msg['Subject']!r}")
    check(msg["Message-ID"].endswith("@ct.gov>"), f"{w['case']}: Message-ID of the troop's domain")
    check(msg["From"].addresses[0].addr_spec.lower() == "troopkctl@ct.gov", f"{w['case']}: From")
    body = msg.get_body().get_content()
    check("9-1-1" in body, f"{w['case']}: 9-1-1 in the body")
    check(re.search(r"K-\d{4}-\d{5}", body), f"{w['case']}: the thread reference in the body")
    if w["case"] == "spanish":
        check("no están disponibles las 24 horas" in body and "not available 24/7" not in body,
              "spanish: the Spanish text")
    elif w["case"] in ("urgent", "window-urgent"):
        check("CALL 9-1-1 NOW" in body, "urgent: the urgent text")
    else:
        check("not available 24/7" in body, f"{w['case']}: the English text")
    if w["case"] == "hostile-subject":
        head = raw.split(b"\r\n\r\n", 1)[0]
        check(b"\nBcc:" not in head and b"\nFake" not in head, "hostile subject: no header added")
        check(msg["Bcc"] is None, "hostile subject: no Bcc")
missing = {w["reply_to"] for w in want.values() if w["reply_to"]} - seen
check(not missing, f"replies missing for {missing}")
check(len(outbox) == sum(1 for w in want.values() if w["want"].startswith("queued"))
      + sum(1 for w in want.values() if w["urgent"]), f"an outbox row per reply and notice: {len(outbox)}")
check(all(o["status"] == "sent" for o in outbox), "every outbox row sent")
sys.exit(1 if bad else 0)
PY
echo "ok: replies as specified"

# The sent replies are kept in their threads, direction out.
expect_eq "replies stored in threads" "$queued" "$(json 'sum(1 for m in d if m["folder"] == "liaison" and m["direction"] == "out" and m["subject"].startswith("Auto: "))' m.json)"
# A notice names its thread in its subject ("URGENT CTL message K-2026-00021 (emergency)")
# and is filed in that very thread.
expect_eq "notices stored in their urgent threads" "$notices" "$(json 'sum(1 for m in d if m["folder"] == "liaison" and m["subject"].startswith("URGENT CTL message") and m["thread"] == m["subject"].split()[3])' m.json)"

# A second poll fetches nothing new and sends nothing again.
$LIAISON poll --once 2>>poll.err || fail "second poll failed"
expect_eq "no second reply" $((queued + notices)) "$(smtp_count)"
$LIAISON messages --json >m2.json
expect_eq "each message stored once" "$(ls cases/*.eml | wc -l)" "$(json 'sum(1 for m in d if m["folder"] == "INBOX")' m2.json)"
$LIAISON stats --json >s.json
expect_eq "arrivals: the cases and what liaison sent" $(( $(ls cases/*.eml | wc -l) + queued + notices )) "$(json 'd["total"]["arrivals"]' s.json)"
