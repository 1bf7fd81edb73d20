# Whose thread, and who gets the answer: three people answering one troop announcement are
# three conversations (by In-Reply-To, References or Outlook's Thread-Index alike); a reply
# goes to the thread's correspondent, never to a bounce that joined the thread nor to another
# person; a person writing from a second address opens a thread of their own.
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
start_servers
write_poll_config p.conf "$TMPDIR/p.db"
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null
now=$(date -R)
TI=AQHZ1234567890ABCDEFGHIJKLMNOPQ==
mkdir in sent
cat >sent/announce.eml <<EOF
From: Troop K CTL <TroopKCTL@ct.gov>
To: neighbors@lists.town.example
Subject: Community coffee with the troopers, Saturday
Date: $now
Message-ID: <announce-1@ct.gov>
Thread-Index: $TI

Join us Saturday at 10 at the library for coffee and questions.
EOF
# reply WHO NAME SUBJECT-BODY: an answer to the announcement from WHO.
answer() {
	cat >in/$1.eml <<EOF
Return-Path: <$1@example.org>
From: $2 <$1@example.org>
To: TroopKCTL@ct.gov
Subject: RE: Community coffee with the troopers, Saturday
Date: $now
Message-ID: <$1-answer@example.org>
$4

$3
EOF
}
answer ana "Ana Ruiz" "I cannot come. My husband hits me and I am afraid to leave the house." \
	"In-Reply-To: <announce-1@ct.gov>
References: <announce-1@ct.gov>"
answer ben "Ben Okafor" "I will bring my neighbours, thank you." "References: <announce-1@ct.gov>"
answer cal "Cal Weiss" "Is there parking at the library?" "Thread-Index: ${TI}AAAQ"
deliver Sent sent/announce.eml
deliver INBOX in/ana.eml in/ben.eml in/cal.eml
$LIAISON poll --once 2>poll.err || { cat poll.err; fail "poll"; }

thread_of() { $LIAISON messages --json | $PY -c 'import json,sys; print([m["thread"] for m in json.load(sys.stdin) if m["message_id"] == sys.argv[1]][0])' "$1"; }
A=$(thread_of ana-answer@example.org)
B=$(thread_of ben-answer@example.org)
C=$(thread_of cal-answer@example.org)
N=$(thread_of announce-1@ct.gov)
expect_eq "three answers, three conversations, none the announcement's" 4 "$(printf '%s\n' "$A" "$B" "$C" "$N" | sort -u | wc -l | tr -d ' ')"
$LIAISON show "$A" --json >a.json
expect_eq "Ana's thread is hers" ana@example.org "$(json 'd["correspondent"]' a.json)"
expect_eq "... and confidential (her disclosure)" True "$(json 'd["confidential"]' a.json)"

# The answer to Ana goes to Ana, whoever wrote last elsewhere.
echo "We can help. Call the victim advocate at 860-555-0100." | $LIAISON reply "$A" >reply.out
grep -q "^$A: reply to ana@example.org queued" reply.out || { cat reply.out; fail "the recipient is not shown"; }
$LIAISON poll --once 2>poll2.err || { cat poll2.err; fail "poll"; }
sent_id=$($LIAISON outbox --json | $PY -c 'import json,sys; print([o["message_id"] for o in json.load(sys.stdin) if o["kind"] == "reply"][0])')
expect_eq "the reply went to Ana" ana@example.org "$($LIAISON outbox --json | $PY -c 'import json,sys; print([o["recipient"] for o in json.load(sys.stdin) if o["kind"] == "reply"][0])')"

# A bounce of that reply joins Ana's thread; it never becomes a reply's recipient.
cat >in/ndr.eml <<EOF
Return-Path: <>
From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
To: TroopKCTL@ct.gov
Subject: Undelivered Mail Returned to Sender
Date: $now
Message-ID: <ndr-1@mx.example.org>
In-Reply-To: <$sent_id>
References: <$sent_id>
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

The mail system could not deliver your message to ana@example.org: mailbox full.
--b--
EOF
# Ana writes again from her work address, answering the troop's reply.
cat >in/ana-work.eml <<EOF
Return-Path: <a.ruiz@work.example>
From: Ana Ruiz <a.ruiz@work.example>
To: TroopKCTL@ct.gov
Subject: Re: [CTL $A] Community coffee with the troopers, Saturday
Date: $now
Message-ID: <ana-work-1@work.example>
In-Reply-To: <$sent_id>
References: <announce-1@ct.gov> <$sent_id>

Thank you. Please write to this address instead.
EOF
deliver INBOX in/ndr.eml in/ana-work.eml
$LIAISON poll --once 2>poll3.err || { cat poll3.err; fail "poll"; }
expect_eq "the bounce joined Ana's thread" "$A" "$(thread_of ndr-1@mx.example.org)"
W=$(thread_of ana-work-1@work.example)
[ "$W" != "$A" ] || fail "a second address joined Ana's thread: nothing proves it is Ana"
echo "ok: the second address opened $W"
echo "Thank you for telling us." | $LIAISON reply "$A" >reply2.out
grep -q "reply to ana@example.org queued" reply2.out || { cat reply2.out; fail "the second reply's recipient"; }
expect_eq "no reply ever addressed to a machine or another person" "ana@example.org ana@example.org" \
	"$($LIAISON outbox --json | $PY -c 'import json,sys; print(" ".join(sorted(o["recipient"] for o in json.load(sys.stdin) if o["kind"] == "reply")))')"

# A machine's thread has nobody to answer.
expect_code "a reply to the announcement's thread (only the troop wrote)" 2 sh -c "echo hi | $LIAISON reply $N"
