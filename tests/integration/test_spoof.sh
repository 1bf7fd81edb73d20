# The troop's own address, spoofed: a message in INBOX with From: the troop and a Return-Path
# outside it is not the troop's answer (the response clock runs on), gets no auto-reply and
# marks its thread suspicious; the troop's real answer, sent by its own server, stops the
# clock.
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
start_servers
write_poll_config p.conf "$TMPDIR/p.db"
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null
now=$(date -R)
cat >1-person.eml <<EOF
Return-Path: <ana.ruiz@example.org>
From: Ana Ruiz <ana.ruiz@example.org>
To: TroopKCTL@ct.gov
Subject: Speeding on Elm Street
Date: $now
Message-ID: <ask-1@example.org>

Cars race down Elm Street every night. Can someone help?
EOF
cat >2-spoof.eml <<EOF
Return-Path: <mailer@bulk-sender.example>
Authentication-Results: mx.ct.gov; spf=fail smtp.mailfrom=bulk-sender.example; dmarc=fail header.from=ct.gov
From: Troop K CTL <TroopKCTL@ct.gov>
To: Ana Ruiz <ana.ruiz@example.org>
Subject: Re: Speeding on Elm Street
Date: $now
Message-ID: <spoof-1@bulk-sender.example>
In-Reply-To: <ask-1@example.org>
References: <ask-1@example.org>

We handled it. Click here to confirm your identity.
EOF
cat >3-answer.eml <<EOF
Return-Path: <TroopKCTL@ct.gov>
Authentication-Results: mx.ct.gov; spf=pass smtp.mailfrom=ct.gov; dmarc=pass header.from=ct.gov
From: Troop K CTL <TroopKCTL@ct.gov>
To: Ana Ruiz <ana.ruiz@example.org>
Subject: Re: Speeding on Elm Street
Date: $now
Message-ID: <answer-1@ct.gov>
In-Reply-To: <ask-1@example.org>
References: <ask-1@example.org>

Thank you, a trooper will watch Elm Street this week.
EOF
deliver INBOX 1-person.eml 2-spoof.eml
$LIAISON poll --once 2>poll.err || { cat poll.err; fail "poll"; }
ref=$($LIAISON threads --json | $PY -c 'import json,sys; print([t["ref"] for t in json.load(sys.stdin) if t["correspondent"] == "ana.ruiz@example.org"][0])')
$LIAISON messages --json >m.json
expect_eq "the spoof is incoming machine mail, in Ana's thread" "in machine $ref" \
	"$(json '" ".join([(m["direction"], m["kind"], m["thread"]) for m in d if m["message_id"] == "spoof-1@bulk-sender.example"][0])' m.json)"
expect_eq "... and nobody was answered for it" True \
	"$(json '[m for m in d if m["message_id"] == "spoof-1@bulk-sender.example"][0]["autoreply"].startswith("none: machine (claims the troop")' m.json)"
$LIAISON show "$ref" --json >t.json
expect_eq "the thread is marked suspicious" True "$(json 'd["suspicious"]' t.json)"
expect_eq "the clock runs on: no first answer" None "$(json 'd["first_response"]' t.json)"
$LIAISON show "$ref" | grep -q "^SUSPICIOUS: " || fail "show does not say it is suspicious"

deliver INBOX 3-answer.eml
$LIAISON poll --once 2>poll2.err || { cat poll2.err; fail "poll"; }
$LIAISON show "$ref" --json >t2.json
expect_eq "the troop's real answer is outgoing" out \
	"$(json '[m["direction"] for m in d["messages"] if m["message_id"] == "answer-1@ct.gov"][0]' t2.json)"
[ "$(json 'd["first_response"]' t2.json)" != None ] || fail "the real answer did not stop the clock"
echo "ok: the real answer stopped the clock"
