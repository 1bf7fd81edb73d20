# Backscatter: five messages with one forged Return-Path behind five From addresses draw one
# auto-reply to the victim, not five carrying the attacker's subjects; and no domain gets more
# than autoreply_domain_limit ordinary auto-replies an hour, however many senders it has
# (the urgent 9-1-1 reply is never held back).
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
start_servers
write_poll_config p.conf "$TMPDIR/p.db"
sed -i 's|^urgent_notify = .*|&\nautoreply_domain_limit = 3|' p.conf
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null
mkdir forged flood
now=$(date -R)
for i in 1 2 3 4 5; do
	cat >forged/$i.eml <<EOF
Return-Path: <victim@victim.example>
From: Sender $i <sender$i@spam$i.example>
To: TroopKCTL@ct.gov
Subject: Buy cheap pills $i
Date: $now
Message-ID: <forged-$i@spam$i.example>

Hello, I have a question for the liaison.
EOF
	cat >flood/$i.eml <<EOF
Return-Path: <person$i@flood.example>
From: Person $i <person$i@flood.example>
To: TroopKCTL@ct.gov
Subject: A question $i
Date: $now
Message-ID: <flood-$i@flood.example>

Hello, when is the next community meeting?
EOF
done
deliver INBOX forged/*.eml
$LIAISON poll --once 2>poll.err || { cat poll.err; fail "poll"; }
expect_eq "one reply to the forged Return-Path" 1 "$(ls "$SMTP_DIR"/*.json 2>/dev/null | xargs -r grep -l 'victim@victim.example' | wc -l)"
expect_eq "nothing else sent" 1 "$(smtp_count)"
$LIAISON messages --json >m.json
expect_eq "the other four: answered within the window" 4 \
	"$(json 'sum(1 for m in d if m["message_id"].startswith("forged-") and "within the window" in (m["autoreply"] or ""))' m.json)"
expect_eq "... and still a person's mail, each in its thread" 5 \
	"$(json 'len({m["thread"] for m in d if m["message_id"].startswith("forged-") and m["kind"] == "person"})' m.json)"

deliver INBOX flood/*.eml
$LIAISON poll --once 2>poll2.err || { cat poll2.err; fail "poll"; }
expect_eq "three replies to flood.example in the hour (the limit)" 3 \
	"$(ls "$SMTP_DIR"/*.json | xargs grep -l '@flood.example' | wc -l)"
$LIAISON messages --json >m2.json
expect_eq "the rest: the domain's limit" 2 \
	"$(json 'sum(1 for m in d if m["message_id"].startswith("flood-") and "in the last hour (the limit)" in (m["autoreply"] or ""))' m2.json)"

# Someone in danger is answered all the same: the limit holds back only the ordinary reply.
cat >flood/urgent.eml <<EOF2
Return-Path: <person9@flood.example>
From: Person 9 <person9@flood.example>
To: TroopKCTL@ct.gov
Subject: help now
Date: $(date -R)
Message-ID: <flood-urgent@flood.example>

There is a man with a gun outside my house right now.
EOF2
deliver INBOX flood/urgent.eml
$LIAISON poll --once 2>poll3.err || { cat poll3.err; fail "poll"; }
$LIAISON messages --json >m3.json
expect_eq "the urgent reply goes out past the domain's limit" "queued urgent" \
	"$(json '[m["autoreply"] for m in d if m["message_id"] == "flood-urgent@flood.example"][0]' m3.json)"
