# Flags are never touched unless asked; mark_seen and move_to act only on what is stored.
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
start_servers
write_poll_config p.conf "$TMPDIR/p.db"
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null
$PY "$TOP/tests/fixtures/autoreply/make-cases.py" cases
deliver INBOX cases/00-person.eml cases/01-no-return-path.eml
$LIAISON poll --once 2>/dev/null || fail "poll"
flags() { # the \Seen count of INBOX, through IMAP
	$PY - "$IMAP_PORT" <<'PY'
import imaplib, sys
c = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
c.login("troopk", "troopk-secret")
c.select("INBOX", readonly=True)
typ, data = c.search(None, "SEEN")
print(len(data[0].split()))
c.logout()
PY
}
expect_eq "no flag changed by default" 0 "$(flags)"
doveadm -c "$DOVECOT_CONF" mailbox create -u troopk Filed
sed -i 's/^sent_folder = Sent/sent_folder = Sent\nmark_seen = yes\nmove_to = Filed/' p.conf
deliver INBOX cases/02-return-path-empty.eml cases/03-own-address.eml
$LIAISON poll --once 2>poll.err || { cat poll.err; fail "poll with move_to"; }
status() { $PY "$TOP/tests/servers/deliver.py" status --conf "$DOVECOT_CONF" --user troopk --folder "$1" | $PY -c 'import json,sys; print(json.load(sys.stdin)["messages"])'; }
expect_eq "the newly stored ones moved out of INBOX (the older two stay)" 2 "$(status INBOX)"
expect_eq "... into Filed" 2 "$(status Filed)"
expect_eq "every message stored once" 4 "$($LIAISON messages --json | $PY -c 'import json,sys; print(sum(1 for m in json.load(sys.stdin) if m["folder"] == "INBOX"))')"
