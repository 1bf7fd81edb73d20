# Flags are never touched unless asked; mark_seen and move_to act only on what is stored.
# Every effect is checked on the server itself (doveadm, through deliver.py flags): which
# messages sit in which folder, and which of them carry \Seen.
# duration: 16 s
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
start_servers
write_poll_config p.conf "$TMPDIR/p.db"
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null
$PY "$TOP/tests/fixtures/autoreply/make-cases.py" cases

# on_server FOLDER: "MESSAGE-ID:FLAGS" per message of FOLDER in UID order, space separated
# (FLAGS: "seen" or "-"), read by doveadm; fails when the folder does not exist.
on_server() {
	$PY "$TOP/tests/servers/deliver.py" flags --conf "$DOVECOT_CONF" --user troopk --folder "$1" >"server-$1.json" ||
		fail "cannot read folder $1 on the server"
	json "' '.join('%s:%s' % (m['message_id'], 'seen' if '\\\\Seen' in m['flags'] else '-') for m in d)" "server-$1.json"
}
# mid FILE: the Message-ID of a case file.
mid() {
	sed -n 's/^Message-I[Dd]: *//p' "$1" | tr -d '\r' | head -n 1 | grep . || fail "no Message-ID in $1"
}
M0=$(mid cases/00-person.eml)
M1=$(mid cases/01-no-return-path.eml)
M2=$(mid cases/02-return-path-empty.eml)
M3=$(mid cases/03-own-address.eml)
M4=$(mid cases/04-mailer-daemon.eml)
M5=$(mid cases/05-postmaster.eml)

echo "== by default: nothing moved, no flag set"
deliver INBOX cases/00-person.eml cases/01-no-return-path.eml
expect_eq "delivered unseen" "$M0:- $M1:-" "$(on_server INBOX)"
$LIAISON poll --once 2>poll.err || { cat poll.err; fail "poll"; }
expect_eq "INBOX after a poll: both still there, still unseen" "$M0:- $M1:-" "$(on_server INBOX)"

echo "== mark_seen = yes and move_to = Filed"
doveadm -c "$DOVECOT_CONF" mailbox create -u troopk Filed
sed -i 's/^sent_folder = Sent/sent_folder = Sent\nmark_seen = yes\nmove_to = Filed/' p.conf
grep -qx 'mark_seen = yes' p.conf && grep -qx 'move_to = Filed' p.conf || fail "the configuration was not changed"
deliver INBOX cases/02-return-path-empty.eml cases/03-own-address.eml
$LIAISON poll --once 2>poll.err || { cat poll.err; fail "poll with move_to"; }
expect_eq "INBOX: the older two stay, unseen (already stored before)" "$M0:- $M1:-" "$(on_server INBOX)"
expect_eq "Filed: the newly stored ones, marked \\Seen" "$M2:seen $M3:seen" "$(on_server Filed)"
expect_eq "every message stored once" 4 "$($LIAISON messages --json | $PY -c 'import json,sys; print(sum(1 for m in json.load(sys.stdin) if m["folder"] == "INBOX"))')"

echo "== mark_seen = yes alone: marked where it is"
sed -i '/^move_to = Filed$/d' p.conf
deliver INBOX cases/04-mailer-daemon.eml
$LIAISON poll --once 2>poll.err || { cat poll.err; fail "poll with mark_seen"; }
expect_eq "INBOX: the new one marked \\Seen in place" "$M0:- $M1:- $M4:seen" "$(on_server INBOX)"
expect_eq "Filed unchanged" "$M2:seen $M3:seen" "$(on_server Filed)"

echo "== move_to = Filed alone: moved, no flag set"
sed -i 's/^mark_seen = yes$/move_to = Filed/' p.conf
grep -q '^mark_seen' p.conf && fail "mark_seen is still configured"
deliver INBOX cases/05-postmaster.eml
$LIAISON poll --once 2>poll.err || { cat poll.err; fail "poll with move_to alone"; }
expect_eq "INBOX unchanged" "$M0:- $M1:- $M4:seen" "$(on_server INBOX)"
expect_eq "Filed: the new one moved, unseen" "$M2:seen $M3:seen $M5:-" "$(on_server Filed)"
expect_eq "every message stored once" 6 "$($LIAISON messages --json | $PY -c 'import json,sys; print(sum(1 for m in json.load(sys.stdin) if m["folder"] == "INBOX"))')"
