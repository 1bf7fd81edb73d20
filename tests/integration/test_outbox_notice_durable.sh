# The coordinator's notice of failed messages is not lost when the run that gave them up
# cannot tell (here: its template is missing, a real failure of the notice step after the
# give-ups are committed): the next run finds them in the store and queues exactly one
# notice listing them, and no run after that queues another.
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
start_servers
write_poll_config p.conf "$TMPDIR/p.db"
cp -r "$TOP/templates" tpl
sed -i "s|^templates = .*|templates = $TMPDIR/tpl|" p.conf
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null

T0=$(date -u -d "2026-03-02 09:00:00" +%s)
# poll_at EPOCH: one `liaison poll --once` with the clock at EPOCH; its exit status in $rc.
poll_at() {
	set +e
	at "$(date -u -d "@$1" '+%Y-%m-%d %H:%M:%S')" $LIAISON poll --once >>poll.out 2>>poll.err
	rc=$?
	set -e
}
person() {
	printf 'From: %s@people.example\r\nTo: TroopKCTL@ct.gov\r\nSubject: Question %s\r\nMessage-ID: <%s.%s@people.example>\r\nDate: Mon, 2 Mar 2026 08:00:00 +0000\r\n\r\nHello, a question for the liaison.\r\n' \
		"$1" "$1" "$1" "$$" >"$1.eml"
}
sql() { sqlite3 p.db "$1"; }
failure_notices="kind = 'notice' AND thread_id IS NULL"

echo "== two messages; the server answers 451 to everything"
i=0
while [ $i -lt 300 ]; do echo "mail:451 4.3.0 try again later"; i=$((i + 1)); done >"$SMTP_CONTROL"
person ana
person ben
deliver INBOX ana.eml ben.eml
poll_at "$T0"
[ "$rc" -eq 0 ] || { tail -5 poll.err; fail "first poll: exit $rc"; }
expect_eq "two replies deferred" "2" "$(sql "SELECT count(*) FROM outbox WHERE status = 'queued' AND kind = 'autoreply' AND attempts = 1")"

# The 44 hours of retries are test_smtp_outage.sh's; here the replies are one attempt short
# of giving up, due now.
sql "UPDATE outbox SET attempts = 49, next_attempt_at = $((T0 + 60)) WHERE kind = 'autoreply'"

echo "== they give up while the notice's template is missing: the notice step fails"
mv tpl/outbox-failed.en.txt outbox-failed.en.txt.away
poll_at $((T0 + 60))
expect_eq "both replies failed after every retry" "2" \
	"$(sql "SELECT count(*) FROM outbox WHERE kind = 'autoreply' AND status = 'failed' AND last_error LIKE 'gave up after 50 attempts%'")"
expect_eq "no notice queued" "0" "$(sql "SELECT count(*) FROM outbox WHERE $failure_notices")"
grep -q "outbox-failed" poll.err || { tail -5 poll.err; fail "the failing notice step was not logged"; }
echo "ok: that run exited $rc and logged: $(grep outbox-failed poll.err | tail -1)"

echo "== the template is back: the next run tells, once"
mv outbox-failed.en.txt.away tpl/outbox-failed.en.txt
poll_at $((T0 + 120))
[ "$rc" -eq 0 ] || { tail -5 poll.err; fail "poll after the template is back: exit $rc"; }
expect_eq "one notice queued" "1|1" \
	"$(sql "SELECT count(*), sum(status = 'queued') FROM outbox WHERE $failure_notices")"
poll_at $((T0 + 180))
poll_at $((T0 + 3600))
expect_eq "still one notice after two more runs" "1" \
	"$(sql "SELECT count(*) FROM outbox WHERE $failure_notices")"

echo "== the server takes mail again: the notice lists both, and is the only message sent"
: >"$SMTP_CONTROL"
due=$(sql "SELECT next_attempt_at FROM outbox WHERE $failure_notices")
poll_at "$due"
[ "$rc" -eq 0 ] || { tail -5 poll.err; fail "poll with the server back: exit $rc"; }
poll_at $((due + 3600))
expect_eq "one message at the sink" 1 "$(smtp_count)"
$PY - "$SMTP_DIR" <<'PY' || fail "the notice"
import email, email.policy, glob, json, sys
d = sys.argv[1]
meta = json.load(open(sorted(glob.glob(d + "/*.json"))[0]))
assert meta["rcpt_tos"] == ["coordinator@ct.gov"], meta["rcpt_tos"]
msg = email.message_from_bytes(open(sorted(glob.glob(d + "/*.eml"))[0], "rb").read(),
                               policy=email.policy.default)
body = msg.get_body().get_content()
assert "Messages not sent: 2" in body, body
for i in (1, 2):
    assert "- outbox %d (autoreply), thread " % i in body, (i, body)
print("ok: the notice lists outbox 1 and 2")
PY
