# liaison check: a good configuration passes; every problem of a broken one is listed at
# once with its FILE:LINE and exit 2; --connect logs in to the real Dovecot and SMTP server
# (STARTTLS, AUTH) with the right and the wrong password, and sends nothing.
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
start_servers --tls --smtp-auth --smtp-require-tls
write_poll_config p.conf "$TMPDIR/p.db"
smtp_tls_auth p.conf "$TMPDIR/relay.pw"
export LIAISON_CONFIG=$TMPDIR/p.conf
# the reports' agency: without it check warns (test_report_print.sh tests that warning)
sed -i 's|^\[liaison\]$|[liaison]\nagency = Connecticut State Police|' p.conf
# checked WHAT CODE OUT ARGS...: liaison ARGS with its output in OUT, and its exit code.
checked() {
	what=$1 code=$2 out=$3
	shift 3
	set +e
	$LIAISON "$@" >"$out"
	rc=$?
	set -e
	expect_eq "$what: exit code" "$code" "$rc"
}

# No database yet: a problem, named.
checked "no database" 2 nodb.out check
grep -q "^PROBLEM  database   $TMPDIR/p.db: .*liaison init" nodb.out || { cat nodb.out; fail "the missing database is not named"; }
$LIAISON init >/dev/null

checked "a good configuration" 0 good.out check
cat good.out
for part in config routes templates database; do
	grep -q "^ok       $part " good.out || fail "$part not reported checked"
done
grep -q "^ok       secrets    \[mailbox K\]: password_file" good.out || fail "the mailbox password file not checked"
grep -q "schema [0-9]*, quick_check ok" good.out || fail "the database not quick-checked"
expect_eq "no problem, no warning" "liaison check: no problems, 0 warnings" "$(tail -n 1 good.out)"

# --connect: both servers, the right passwords; nothing is sent.
checked "connect" 0 conn.out check --connect
cat conn.out
grep -q "^ok       imap K     imap://127.0.0.1:$IMAP_PORT: logged in as troopk.*INBOX [0-9]* messages, Sent [0-9]* messages" conn.out ||
	fail "IMAP login and folders not reported"
grep -q "^ok       smtp       smtp://127.0.0.1:$SMTP_PORT: 250 to NOOP after EHLO, TLS, AUTH; nothing sent" conn.out ||
	fail "SMTP not reported"
expect_eq "nothing sent" 0 "$(smtp_count)"

# The wrong passwords: each server's refusal is a problem of its own.
printf 'wrong\n' >"$TMPDIR/troopk.pw"
printf 'wrong\n' >relay.pw
checked "connect, wrong passwords" 2 wrong.out check --connect
cat wrong.out
grep -q "^PROBLEM  imap K " wrong.out || fail "the IMAP refusal is not a problem"
grep -q "^PROBLEM  smtp " wrong.out || fail "the SMTP refusal is not a problem"
expect_eq "two problems" "liaison check: 2 problems, 0 warnings" "$(tail -n 1 wrong.out)"
printf 'troopk-secret\n' >"$TMPDIR/troopk.pw"
printf 'relay-secret\n' >relay.pw

# A broken configuration: every problem at once, each with FILE:LINE.
cp "$TOP/config/routes.conf" "$TOP/config/routes.model" .
printf '\n[rule broken]\npattern = (unclosed\ncategory = broken\n' >>routes.conf
rline=$(grep -n '^pattern = (unclosed' routes.conf | cut -d: -f1)
mkdir tpl
cp "$TOP"/templates/*.txt tpl/
printf 'Dear {{nmae}},\n' >>tpl/autoreply.es.txt
sed -e "s|^routes = .*|routes = $TMPDIR/routes.conf|" -e "s|^templates = .*|templates = $TMPDIR/tpl|" \
	-e 's|^\[liaison\]$|[liaison]\ntimezone = America/New_Yrok|' p.conf >broken.conf
printf '\n[user ghost]\nrole = ctl\ntroops = Q\n' >>broken.conf
zline=$(grep -n '^timezone = America/New_Yrok' broken.conf | cut -d: -f1)
uline=$(grep -n '^\[user ghost\]' broken.conf | cut -d: -f1)
checked "a broken configuration" 2 broken.out -c "$TMPDIR/broken.conf" check
cat broken.out
grep -q "^PROBLEM  config     $TMPDIR/broken.conf:$zline: timezone: 'America/New_Yrok'" broken.out || fail "the time zone"
grep -q "^PROBLEM  config     $TMPDIR/broken.conf:$uline: \[user ghost\] works troop Q, which no \[mailbox\] has (troops: K, L)" broken.out ||
	fail "the ctl user of an unknown troop"
grep -q "^PROBLEM  routes     $TMPDIR/routes.conf:$rline: rule broken: pattern does not compile" broken.out || fail "the pattern"
grep -q "rule broken: no pattern" broken.out && fail "a pattern that does not compile is also called missing"
grep -q "^PROBLEM  templates  $TMPDIR/tpl/autoreply.es.txt: .*nmae" broken.out || fail "the template variable"
grep -q "^ok       database " broken.out || fail "the rest is still checked"
expect_eq "exactly these problems" "liaison check: 4 problems, 0 warnings" "$(tail -n 1 broken.out)"
checked "check --connect does not connect with a broken configuration" 2 bc.out -c "$TMPDIR/broken.conf" check --connect
grep -q "^warning  connect    not connecting" bc.out || fail "connected with a broken configuration"
grep -q "^ok       imap" bc.out && fail "connected with a broken configuration"

# The same problems stop every other command, with exit 2.
expect_code "poll refuses the broken configuration" 2 $LIAISON -c broken.conf poll --once
expect_code "threads refuses it" 2 $LIAISON -c broken.conf threads
echo "ok: check lists every problem"
