# SMTP unreachable for three days, at faked instants (faketime): the auto-replies are retried
# on the documented schedule (1 minute doubling to 1 hour, 50 attempts, about 44 hours) while
# the server first answers 451 and then is not there at all; then they fail, and the
# coordinator (urgent_notify) gets ONE notice listing them, delivered once the server is
# back; failed replies stay retryable and none is sent twice.
# duration: 35 s
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
start_servers
write_poll_config p.conf "$TMPDIR/p.db"
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null

T0=$(date -u -d "2026-03-02 09:00:00" +%s)
BACK=$((T0 + 72 * 3600))          # the server takes mail again three days later
DOWN=$((T0 + 12 * 3600))          # until then it answers 451; after, nothing listens
# poll_at EPOCH: one `liaison poll --once` with the clock at EPOCH.
poll_at() {
	set +e
	at "$(date -u -d "@$1" '+%Y-%m-%d %H:%M:%S')" $LIAISON poll --once >>poll.out 2>>poll.err
	rc=$?
	set -e
	[ "$rc" -eq 0 ] || { tail -5 poll.err; fail "poll at $(date -u -d "@$1"): exit $rc"; }
}
person() {
	printf 'From: %s@people.example\r\nTo: TroopKCTL@ct.gov\r\nSubject: Question %s\r\nMessage-ID: <%s.%s@people.example>\r\nDate: Mon, 2 Mar 2026 08:00:00 +0000\r\n\r\nHello, a question for the liaison.\r\n' \
		"$1" "$1" "$1" "$$" >"$1.eml"
}
sql() { sqlite3 p.db "$1"; }
failure_notices="kind = 'notice' AND thread_id IS NULL"

echo "== day 0: two messages; the server answers 451 to everything"
i=0
while [ $i -lt 300 ]; do echo "mail:451 4.3.0 try again later"; i=$((i + 1)); done >"$SMTP_CONTROL"
person ana
person ben
deliver INBOX ana.eml ben.eml
poll_at "$T0"
expect_eq "two replies queued" "2" "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued' AND kind = 'autoreply'")"
expect_eq "first retry one minute later" "60" "$(sql "SELECT next_attempt_at - $T0 FROM outbox WHERE id = 1")"

runs=1 third=0 stopped=0
while :; do
	due=$(sql "SELECT coalesce(min(next_attempt_at), 0) FROM outbox WHERE status = 'queued'")
	[ "$due" -ne 0 ] && [ "$due" -lt "$BACK" ] || break
	if [ $third -eq 0 ] && [ "$due" -gt $((T0 + 3 * 3600)) ]; then
		echo "== three hours later, a third message"
		person cleo
		deliver INBOX cleo.eml
		poll_at $((T0 + 3 * 3600))
		third=1
		continue
	fi
	if [ $stopped -eq 0 ] && [ "$due" -gt "$DOWN" ]; then
		echo "== twelve hours in, the SMTP server goes away (nothing listens)"
		sh "$TOP/tests/servers/stop.sh" "$SRV" smtp >/dev/null
		stopped=1
	fi
	poll_at "$due"
	runs=$((runs + 1))
	[ $runs -lt 400 ] || fail "more than 400 runs: the retries never end"
done
echo "ok: $runs runs at the instants the outbox gave"
expect_eq "the 451s were seen" "yes" "$(grep -q '451 4.3.0' "$SRV/smtp-control/consumed" && echo yes)"
expect_eq "nothing reached the sink" 0 "$(smtp_count)"

echo "== each reply: 50 attempts over 44 hours (60+120+...+1920 s, then 43 hours), then failed"
for id in 1 2 3; do
	expect_eq "reply $id" "failed|50|gave up after 50 attempts" \
		"$(sql "SELECT status, attempts, substr(last_error, 1, 25) FROM outbox WHERE id = $id")"
done
span=$(sql "SELECT claimed_at - created_at FROM outbox WHERE id = 1")
[ "$span" -ge 158580 ] && [ "$span" -le 158640 ] || fail "reply 1 gave up after $span s, expected 158580"
echo "ok: reply 1 gave up $span s (44.05 h) after it was queued"

echo "== the coordinator: one notice, waiting, listing the three"
expect_eq "one notice waiting" "1" "$(sql "SELECT count(*) FROM outbox WHERE $failure_notices AND status = 'queued'")"
# The notice queued for the first two was given the longer list in its place: no second
# row, and none "failed" that `liaison status` would count as a failed send.
expect_eq "the notice of two became the notice of three, in place" "1|0" \
	"$(sql "SELECT count(*), sum(status = 'failed') FROM outbox WHERE $failure_notices")"
expect_eq "to urgent_notify" "coordinator@ct.gov" "$(sql "SELECT recipient FROM outbox WHERE $failure_notices AND status = 'queued'")"
notice=$(sql "SELECT id FROM outbox WHERE $failure_notices AND status = 'queued'")
grep -q "outbox $notice (notice; mailbox [^)]*): queued, the notice of 2 messages that failed" poll.err ||
	fail "the notice of the first two was not logged"
grep -q "outbox $notice (notice; mailbox [^)]*): queued, the notice of 3 messages that failed" poll.err ||
	fail "the notice of all three was not logged"
! grep -q "coordinator@ct.gov" poll.err || fail "a log line names the notice's recipient"

echo "== day 3: the server is back; the notice is delivered once, the replies are not resent"
: >"$SMTP_CONTROL"
sh "$TOP/tests/servers/start.sh" "$SRV" >/dev/null || fail "the SMTP sink did not start again"
due=$(sql "SELECT next_attempt_at FROM outbox WHERE $failure_notices AND status = 'queued'")
[ "$due" -gt "$BACK" ] || due=$BACK
poll_at "$due"
expect_eq "one message at the sink" 1 "$(smtp_count)"
$PY - "$SMTP_DIR" <<'PY' || fail "the notice"
import email, email.policy, glob, json, sys
d = sys.argv[1]
meta = json.load(open(sorted(glob.glob(d + "/*.json"))[0]))
assert meta["rcpt_tos"] == ["coordinator@ct.gov"], meta["rcpt_tos"]
msg = email.message_from_bytes(open(sorted(glob.glob(d + "/*.eml"))[0], "rb").read(),
                               policy=email.policy.default)
body = msg.get_body().get_content()
assert msg["Subject"] == "liaison: outbox messages could not be sent", msg["Subject"]
assert "Messages not sent: 3" in body, body
for i, who in ((1, "ana"), (2, "ben"), (3, "cleo")):
    line = "- outbox %d (autoreply), thread " % i
    assert line in body and "to %s@people.example" % who in body, (line, body)
assert "Hello, a question" not in body, "a message body in the notice"
print("ok: the notice lists outbox 1, 2 and 3 with their threads and recipients, no body")
PY
poll_at $((due + 3600))
poll_at $((due + 7200))
expect_eq "not again on the next runs" 1 "$(smtp_count)"

echo "== a failed reply stays retryable, and is sent once"
# at the faked instant too: a retry makes the row due "now"
at "$(date -u -d "@$((due + 7250))" '+%Y-%m-%d %H:%M:%S')" $LIAISON --as admin outbox retry 1 ||
	fail "outbox retry 1"
poll_at $((due + 7300))
poll_at $((due + 9000))
expect_eq "the retried reply went out" 2 "$(smtp_count)"
expect_eq "retried reply sent" "sent" "$(sql "SELECT status FROM outbox WHERE id = 1")"
expect admin 2 outbox retry 1   # a sent message: not again
$PY - "$SMTP_DIR" <<'PY' || fail "a message sent twice"
import glob, json, sys
rcpts = [r for f in glob.glob(sys.argv[1] + "/*.json") for r in json.load(open(f))["rcpt_tos"]]
assert len(rcpts) == len(set(rcpts)), rcpts
print("ok: no recipient received twice: %s" % sorted(rcpts))
PY

echo "== liaison check renders the notice's template"
$LIAISON check >check.out 2>&1 || true
grep -q "outbox-failed: the notice of failed messages renders" check.out || { cat check.out; fail "check"; }
echo "ok: $(grep "outbox-failed" check.out)"
