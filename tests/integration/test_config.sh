# Configuration errors name FILE:LINE for every bad line and exit 2; secrets files must be
# private; a database newer than the program is refused.
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
printf 'secret\n' >pw
chmod 644 pw
cat >bad.conf <<CONF
[liaison]
database = $TMPDIR/x.db
colour = blue
max_message_size = lots

[mailbox K]
troop = KK
address = not-an-address
password_file = $TMPDIR/pw
this line is not ini
[mailbox K]
[nonsense]
CONF
set +e
$LIAISON -c bad.conf init 2>err.txt
rc=$?
set -e
cat err.txt
expect_eq "exit code" 2 "$rc"
for want in "bad.conf:3: unknown key 'colour'" "bad.conf:4: max_message_size" "bad.conf:7: troop" \
	"bad.conf:8: address" "bad.conf:9: password_file" "bad.conf:9:.*readable by group or others" \
	"bad.conf:10: not an INI line" "bad.conf:11: \[mailbox K\] given twice" "bad.conf:12: unknown section"; do
	grep -q "$want" err.txt || fail "missing error: $want"
	echo "ok: reported $want"
done
[ ! -e x.db ] || fail "a bad configuration created the database"

# The example configuration documents every key and is itself valid but for its secrets file.
[ -s "$TOP/config/liaison.conf.example" ] || fail "config/liaison.conf.example is missing or empty"
for key in database templates timezone max_message_size max_header_size max_mime_depth \
	max_mime_parts routes autoreply_window backfill_cutoff poll_interval backoff_max \
	urgent_notify url tls ca_file token_command timeout troop address aliases imap username \
	password_file folders sent_folder mark_seen move_to display_name autoreply role troops email \
	name phone description categories rms_pattern; do
	grep -q "^;* *$key = " "$TOP/config/liaison.conf.example" || fail "example lacks $key"
done
echo "ok: the example documents every key"

# A private password file is accepted.
chmod 600 pw
write_config good.conf "$TMPDIR/good.db"
sed -i "s|^address = TroopKCTL@ct.gov|address = TroopKCTL@ct.gov\npassword_file = $TMPDIR/pw|" good.conf
expect_code "init with a good config" 0 $LIAISON -c good.conf init

# Other commands refuse a database that is missing or of a newer schema.
write_config none.conf "$TMPDIR/missing.db"
expect_code "threads without init" 1 $LIAISON -c none.conf threads
sqlite3 good.db 'PRAGMA user_version = 99'
set +e
$LIAISON -c good.conf threads 2>newer.txt
rc=$?
set -e
expect_eq "newer schema exit" 1 "$rc"
grep -q "newer than this liaison" newer.txt || fail "no clear message for a newer schema"
echo "ok: newer schema refused: $(cat newer.txt)"
expect_code "unknown command" 2 $LIAISON -c good.conf frobnicate
expect_code "import without --mailbox" 2 $LIAISON -c good.conf import x
