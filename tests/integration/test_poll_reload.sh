# SIGHUP: `liaison poll` (IDLE on the test Dovecot) reads its configuration, routing rules and
# templates again without dropping its IMAP connections: the next message is routed by a new
# rule and answered from the new templates folder; an invalid configuration or routing file
# is refused with FILE:LINE in the log and the poller goes on with what it had.
# duration: 11 s
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
start_servers
write_poll_config p.conf "$TMPDIR/p.db"
cp -r "$TOP/templates" templates1
cp -r "$TOP/templates" templates2
printf '\nRELOADED TEMPLATE: answered from the second templates folder.\n' \
	>>templates2/autoreply-urgent.en.txt
cat >routes.conf <<'ROUTES'
[rule fire]
pattern = \bshots fired\b
category = emergency
priority = urgent
ROUTES
sed -i -e "s|^routes = .*|routes = $TMPDIR/routes.conf|" \
	-e "s|^templates = .*|templates = $TMPDIR/templates1|" p.conf
grep -q "^routes = $TMPDIR/routes.conf$" p.conf || fail "the test's routes are not configured"
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null
STATUS=$TMPDIR/p.db.poll-status

# person NAME SUBJECT: a message from NAME@people.example to the troop, in NAME.eml.
person() {
	printf 'From: %s@people.example\r\nTo: TroopKCTL@ct.gov\r\nSubject: %s\r\nMessage-ID: <%s.%s@people.example>\r\nDate: %s\r\n\r\nHello, a question for the liaison.\r\n' \
		"$1" "$2" "$1" "$$" "$(date -R)" >"$1.eml"
	deliver INBOX "$1.eml"
}
# reply_to NAME: the body of the message the sink received for NAME@people.example, or
# nothing yet.
reply_to() {
	$PY - "$SMTP_DIR" "$1@people.example" <<'PY'
import email, email.policy, glob, json, sys
for meta in sorted(glob.glob(sys.argv[1] + "/*.json")):
    if json.load(open(meta))["rcpt_tos"] == [sys.argv[2]]:
        msg = email.message_from_bytes(open(meta[:-5] + ".eml", "rb").read(), policy=email.policy.default)
        print(msg.get_body().get_content())
PY
}
priority_of() { # priority_of NAME: the priority of NAME's thread
	sqlite3 p.db "SELECT t.priority FROM threads t WHERE t.correspondent = '$1@people.example'"
}
answered() { [ -n "$(reply_to "$1")" ]; }
reconnects() { json 'sum(f["reconnects"] for f in d["folders"])' "$STATUS"; }
connected() { json '" ".join(f["state"] for f in d["folders"])' "$STATUS"; }

# poll catches SIGHUP from its first step: caught while it opens its configuration (a FIFO no
# one writes, so it waits there), SIGHUP's handler is already installed — without it
# `systemctl reload` just after the start would end the process.
rm -f early.conf
mkfifo early.conf
$LIAISON -c "$TMPDIR/early.conf" poll >early.out 2>early.err &
early=$!
wait_until "poll waiting for its configuration" 10 '[ "$(cat /proc/$early/wchan 2>/dev/null)" = wait_for_partner ]'
caught=$(sed -n 's/^SigCgt:[[:space:]]*//p' /proc/$early/status)
kill -KILL $early
wait $early 2>/dev/null || true
caught=${caught#????????}
expect_eq "SIGHUP caught while poll reads its configuration" 1 $(( 0x$caught & 1 ))

$LIAISON -v poll 2>daemon.err &
pid=$!
trap 'kill $pid 2>/dev/null || true; sh "$TOP/tests/servers/stop.sh" "$SRV" >/dev/null 2>&1' EXIT

echo "== before the reload: no rule for zebras"
person early "A zebra in the road"
wait_until "early is answered" 30 'answered early'
expect_eq "early's thread" normal "$(priority_of early)"
wait_until "both folders idle" 20 '[ "$(connected)" = "idle idle" ]'

echo "== a new rule, a new templates folder, a new poll_interval; SIGHUP"
cat >>routes.conf <<'ROUTES'

[rule zebra]
pattern = \bzebras?\b
category = emergency
priority = urgent
ROUTES
sed -i -e "s|^templates = .*|templates = $TMPDIR/templates2|" \
	-e 's/^\[liaison\]$/[liaison]\npoll_interval = 30s/' p.conf
kill -HUP $pid
wait_until "the reload is logged" 20 'grep -q "reloaded $TMPDIR/p.conf" daemon.err'
grep -q "not applied until liaison poll restarts: poll_interval" daemon.err || { cat daemon.err; fail "the restart-only setting is not named"; }
echo "ok: poll_interval named as needing a restart"
person late "A zebra in the road"
wait_until "late is answered" 30 'answered late'
expect_eq "late's thread, routed by the new rule" urgent "$(priority_of late)"
expect_eq "the rule named on late's message" 1 \
	"$(sqlite3 p.db "SELECT count(*) FROM placements p JOIN messages m ON m.id = p.message_id WHERE m.from_addr = 'late@people.example' AND p.rules LIKE '%zebra%'")"
reply_to late >late.txt
grep -q "RELOADED TEMPLATE" late.txt || { cat late.txt; fail "late's reply is not from the new templates"; }
echo "ok: late's reply from the new templates folder"
reply_to early >early.txt
grep -q "RELOADED TEMPLATE" early.txt && fail "early's reply has the new text"
echo "ok: early's reply had the old text"

echo "== an invalid configuration, then invalid routing rules: refused, the old kept"
cp p.conf p.conf.good
printf 'no_such_key = 1\n' >>p.conf
bad_line=$(wc -l <p.conf)
kill -HUP $pid
wait_until "the bad configuration refused" 20 'grep -q "reload of $TMPDIR/p.conf refused" daemon.err'
grep -q "p.conf:$bad_line:" daemon.err || { cat daemon.err; fail "no FILE:LINE for the bad key"; }
echo "ok: the bad key named at p.conf:$bad_line"
cp p.conf.good p.conf
printf '\n[rule broken]\npattern = (unclosed\n' >>routes.conf
bad_line=$(wc -l <routes.conf)
kill -HUP $pid
wait_until "the bad rules refused" 20 '[ "$(grep -c "reload of $TMPDIR/p.conf refused" daemon.err)" = 2 ]'
grep -q "routes.conf:$bad_line:" daemon.err || { cat daemon.err; fail "no FILE:LINE for the bad pattern"; }
echo "ok: the bad pattern named at routes.conf:$bad_line"
kill -0 $pid || fail "the poller exited on an invalid configuration"
person later "Zebras everywhere"
wait_until "later is answered" 30 'answered later'
expect_eq "later's thread, by the rules kept" urgent "$(priority_of later)"
reply_to later >later.txt
grep -q "RELOADED TEMPLATE" later.txt || fail "later's reply is not from the templates kept"
echo "ok: later's reply from the templates kept"

echo "== the IMAP connections were never dropped"
expect_eq "reconnects in the status file" 0 "$(reconnects)"
wait_until "both folders idle again" 20 '[ "$(connected)" = "idle idle" ]'
expect_eq "no store error" 0 "$(grep -c 'store:' daemon.err || true)"
stop_daemon $pid
