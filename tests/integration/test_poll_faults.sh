# Faults: SMTP 451 then 250, 550, 421; UIDVALIDITY changed; a folder deleted; a wrong
# password; TLS certificates for another host or from an unknown CA; XOAUTH2; two
# mailboxes with one unreachable; Dovecot restarted; IDLE and a clean stop on SIGTERM.
# duration: 20 s
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
start_servers --tls --oauth2
write_poll_config p.conf "$TMPDIR/p.db"
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null

# person NAME [SUBJECT]: a message from NAME@people.example to the troop, written to NAME.eml.
person() {
	printf 'Return-Path: <%s@people.example>\r\nFrom: %s@people.example\r\nTo: TroopKCTL@ct.gov\r\nSubject: %s\r\nMessage-ID: <%s.%s@people.example>\r\nDate: %s\r\n\r\nHello, a question for the liaison.\r\n' \
		"$1" "$1" "${2:-Question}" "$1" "$$" "$(date -R)" >"$1.eml"
}
status_of() { # status_of RECIPIENT: the outbox status of the reply to RECIPIENT@people.example
	$LIAISON outbox --json | $PY -c 'import json,sys; r=[o for o in json.load(sys.stdin) if o["recipient"]==sys.argv[1]]; print(r[0]["status"] + "|" + str(r[0]["last_error"]) if r else "none")' "$1@people.example"
}

echo "== SMTP 451, then 250"
printf '451 4.3.0 try again later\n' >"$SMTP_CONTROL"
person temp
deliver INBOX temp.eml
$LIAISON poll --once 2>/dev/null || fail "poll"
case "$(status_of temp)" in queued\|*451*) echo "ok: deferred with the server's words" ;; *) fail "451: $(status_of temp)" ;; esac
expect_eq "nothing at the sink yet" 0 "$(smtp_count)"
sqlite3 p.db "UPDATE outbox SET next_attempt_at = 0 WHERE status = 'queued'"
$LIAISON poll --once 2>/dev/null || fail "poll"
expect_eq "sent on retry" "sent|None" "$(status_of temp)"
expect_eq "one message at the sink" 1 "$(smtp_count)"
expect_eq "two attempts" 2 "$(sqlite3 p.db "SELECT attempts FROM outbox WHERE recipient = 'temp@people.example'")"

echo "== SMTP 421 at MAIL, then 250"
printf 'mail:421 4.3.2 shutting down\n' >"$SMTP_CONTROL"
person closing
deliver INBOX closing.eml
$LIAISON poll --once 2>/dev/null || fail "poll"
case "$(status_of closing)" in queued\|*421*) echo "ok: 421 deferred" ;; *) fail "421: $(status_of closing)" ;; esac
sqlite3 p.db "UPDATE outbox SET next_attempt_at = 0 WHERE status = 'queued'"
$LIAISON poll --once 2>/dev/null || fail "poll"
expect_eq "421 then sent" "sent|None" "$(status_of closing)"

echo "== SMTP 550"
printf 'rcpt:550 5.1.1 no such user here\n' >"$SMTP_CONTROL"
person gone
deliver INBOX gone.eml
$LIAISON poll --once 2>/dev/null || fail "poll"
expect_eq "550 fails with the server's words" "failed|550 5.1.1 no such user here" "$(status_of gone)"
sqlite3 p.db "UPDATE outbox SET next_attempt_at = 0"
$LIAISON poll --once 2>/dev/null || fail "poll"
expect_eq "a refused message is not received nor retried" 2 "$(smtp_count)"

echo "== UIDVALIDITY changed: nothing lost, nothing doubled, nobody answered twice"
sent_before=$(smtp_count)
before=$($LIAISON stats --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["mailboxes"]["K"]["messages"])')
$PY "$TOP/tests/servers/deliver.py" uidvalidity-reset --conf "$DOVECOT_CONF" --user troopk --folder INBOX >reset.json
person after-reset
deliver INBOX after-reset.eml
$LIAISON poll --once 2>reset.err || { cat reset.err; fail "poll after reset"; }
grep -q "UIDVALIDITY changed" reset.err || fail "the UIDVALIDITY change was not logged"
after=$($LIAISON stats --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["mailboxes"]["K"]["messages"])')
expect_eq "only the new message stored" $((before + 2)) "$after"   # it and its reply
expect_eq "resync custody rows" 3 "$(sqlite3 p.db "SELECT count(*) FROM custody WHERE kind = 'resync'")"
expect_eq "the new one answered, the old ones not again" $((sent_before + 1)) "$(smtp_count)"

echo "== a deleted folder, a wrong password: the error is named, exit 1"
cat p.conf >bad.conf
sed -i 's/^sent_folder = Sent/sent_folder = NoSuchFolder/' bad.conf
set +e
$LIAISON -c bad.conf poll --once 2>folder.err
rc=$?
set -e
expect_eq "missing folder exit" 1 "$rc"
grep -q "NoSuchFolder" folder.err || { cat folder.err; fail "the missing folder is not named"; }
printf 'wrong\n' >wrong.pw
chmod 600 wrong.pw
sed "s|^password_file = .*|password_file = $TMPDIR/wrong.pw|" p.conf >pw.conf
set +e
$LIAISON -c pw.conf poll --once 2>pw.err
rc=$?
set -e
expect_eq "wrong password exit" 1 "$rc"
grep -qi "auth\|login\|credential" pw.err || { cat pw.err; fail "wrong password not said"; }
echo "ok: $(head -n 1 pw.err)"

echo "== TLS: the test CA is trusted; another host's certificate and an unknown CA are refused"
sed -e "s|^imap = .*|imap = imaps://127.0.0.1:$IMAPS_PORT|" -e "s|^tls = none\$|tls = implicit|" p.conf >tls.conf
# (the [smtp] tls = none line comes first and stays)
$PY - tls.conf "$TLS_CA" <<'PY'
import sys
p, ca = sys.argv[1], sys.argv[2]
lines = open(p).read().split("\n")
out, section = [], ""
for l in lines:
    if l.startswith("["):
        section = l
    if section == "[smtp]" and l.startswith("tls ="):
        l = "tls = none"
    if section == "[mailbox K]" and l.startswith("tls ="):
        l += "\nca_file = " + ca
    out.append(l)
open(p, "w").write("\n".join(out) + "\n")
PY
$LIAISON -c tls.conf poll --once 2>tls.err || { cat tls.err; fail "implicit TLS with the test CA"; }
echo "ok: implicit TLS with the test CA"
sed "s|^imap = .*|imap = imaps://127.0.0.1:$IMAPS_WRONG_PORT|" tls.conf >wrong-host.conf
set +e
$LIAISON -c wrong-host.conf poll --once 2>wrong-host.err
rc=$?
set -e
expect_eq "wrong host refused" 1 "$rc"
grep -qi "wronghost.example" wrong-host.err || { cat wrong-host.err; fail "wrong host not named"; }
echo "ok: $(head -n 1 wrong-host.err)"
sed "s|^ca_file = .*|ca_file = $TLS_OTHER_CA|" tls.conf >other-ca.conf
set +e
$LIAISON -c other-ca.conf poll --once 2>other-ca.err
rc=$?
set -e
expect_eq "unknown CA refused" 1 "$rc"
grep -qi "certificate\|trust" other-ca.err || { cat other-ca.err; fail "unknown CA not said"; }
echo "ok: $(head -n 1 other-ca.err)"
sed -e "s|^imap = .*|imap = imap://127.0.0.1:$IMAP_PORT|" -e "s|^tls = implicit|tls = starttls|" tls.conf >starttls.conf
$LIAISON -c starttls.conf poll --once 2>starttls.err || { cat starttls.err; fail "STARTTLS"; }
echo "ok: STARTTLS with the test CA"

echo "== XOAUTH2 with a token command"
sed -e "s|^password_file = .*|token_command = cat $OAUTH2_TOKEN_FILE|" p.conf >oauth.conf
$LIAISON -c oauth.conf poll --once 2>oauth.err || { cat oauth.err; fail "XOAUTH2"; }
echo "ok: XOAUTH2"
sed -e "s|^password_file = .*|token_command = echo expired-token|" p.conf >oauth-bad.conf
set +e
$LIAISON -c oauth-bad.conf poll --once 2>oauth-bad.err
rc=$?
set -e
expect_eq "bad token refused" 1 "$rc"

echo "== two mailboxes, one unreachable: the other is served"
# Mailbox L, on a port where nothing listens.
sed "/^address = TroopLCTL@ct.gov\$/a imap = imap://127.0.0.1:1\\
tls = none\\
username = troopl\\
password_file = $TMPDIR/troopk.pw" p.conf >two.conf
grep -q "^imap = imap://127.0.0.1:1$" two.conf || fail "mailbox L was not given its server"
$LIAISON -c two.conf init >/dev/null
person while-l-is-down
deliver INBOX while-l-is-down.eml
set +e
$LIAISON -c two.conf poll --once 2>two.err
rc=$?
set -e
expect_eq "exit 1: one mailbox failed" 1 "$rc"
grep -q "L/INBOX" two.err || { cat two.err; fail "the unreachable mailbox is not named"; }
expect_eq "K still served" "sent|None" "$(status_of while-l-is-down)"

echo "== IDLE: the daemon answers new mail at once; Dovecot restarted; SIGTERM stops it cleanly"
$LIAISON poll 2>daemon.err &
pid=$!
n=$(smtp_count)
person idle-1
deliver INBOX idle-1.eml
$PY "$TOP/tests/servers/deliver.py" wait-smtp "$SRV" $((n + 1)) --timeout 20 >/dev/null || { cat daemon.err; fail "no reply while idling"; }
echo "ok: reply while idling"
sh "$TOP/tests/servers/stop.sh" "$SRV" dovecot >/dev/null
sh "$TOP/tests/servers/start.sh" "$SRV" >/dev/null
person idle-2
deliver INBOX idle-2.eml
$PY "$TOP/tests/servers/deliver.py" wait-smtp "$SRV" $((n + 2)) --timeout 30 >/dev/null || { cat daemon.err; fail "no reply after Dovecot restarted"; }
echo "ok: reconnected after the restart and answered"
kill -TERM $pid
set +e
wait $pid
rc=$?
set -e
expect_eq "clean exit on SIGTERM" 0 "$rc"
expect_eq "each idle message answered once" $((n + 2)) "$(smtp_count)"
