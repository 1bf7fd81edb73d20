# The web console's accounts from the command line: `passwd` (one line of stdin; on a
# terminal asked twice without echo; who may set whose; the length; only an Argon2id hash
# kept; the user's sessions ended), `sessions` (who lists whose, the live ones only, no
# CSRF token shown, --revoke and --revoke-user with their rights), `mfa-reset` (admins
# only, the enrolment cleared, sessions ended) and the audit entries, never a password.
# Sessions are made with the sqlite3 shell (the web console makes them) at fixed instants,
# and listed under faketime at 2026-03-02 10:00:00 UTC: nothing depends on today's date.
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
write_config a.conf "$TMPDIR/a.db"
export LIAISON_CONFIG=$TMPDIR/a.conf
DB=$TMPDIR/a.db
$LIAISON init >/dev/null
q() { sqlite3 "$DB" "$1"; }

echo "== passwd"
printf 'a long enough passphrase\n' >pw.txt
expect admin 0 passwd reyes <pw.txt
expect_eq "what it says" "reyes: web console password set (their sessions ended)" "$(cat out.txt)"
expect_eq "an Argon2id hash is kept" '$argon2id$v=19$m=65536,t=2,p=1$' \
	"$(q "SELECT substr(password_hash, 1, 31) FROM web_accounts WHERE user = 'reyes'")"
expect_eq "the password itself nowhere" 0 \
	"$(q "SELECT count(*) FROM web_accounts WHERE instr(password_hash, 'passphrase')")"
grep -qa "a long enough passphrase" "$DB" "$DB-wal" 2>/dev/null && fail "the password is in the database file"
echo "ok: the password's text is in no database file"
expect reyes 0 passwd reyes <pw.txt
expect reyes 1 passwd walsh <pw.txt
grep -q "only admins" err.txt || fail "the refusal does not say who may"
expect admin 2 passwd mallory <pw.txt
grep -q "not a \[user\]" err.txt || fail "an unknown user is not named so"
printf 'elevenchars\n' >short.txt
expect admin 2 passwd walsh <short.txt
grep -q "12 to 1024 bytes" err.txt || fail "a short password: the length not said"
$PY -c 'print("x" * 1025)' >long.txt
expect admin 2 passwd walsh <long.txt
expect admin 2 passwd walsh </dev/null
grep -q "no password on standard input" err.txt || fail "no input not said"
$PY -c 'print("x" * 1024)' >max.txt
expect admin 0 passwd walsh <max.txt
# a CRLF line end is no part of the password: 12 bytes before it are enough, and the CR is
# not counted in 10
printf 'twelve chars\r\n' >crlf.txt
expect admin 0 passwd walsh <crlf.txt
printf 'elevenchar\r\n' >crlf-short.txt
expect admin 2 passwd walsh <crlf-short.txt
grep -q "(this one is 10)" err.txt || { cat err.txt; fail "the CR was counted as the password's"; }
expect admin 2 passwd
expect admin 2 passwd reyes walsh <pw.txt

echo "== passwd on a terminal: asked twice, never echoed"
# terminal ANSWER1 ANSWER2 USER: runs passwd USER on a pseudo-terminal, types the answers;
# prints the exit code and whether either answer appeared on the terminal.
terminal() {
	$PY - "$LIAISON" "$@" <<'PY'
import os, pty, subprocess, sys, time
liaison, first, second, user = sys.argv[1:]
master, slave = pty.openpty()
p = subprocess.Popen([liaison, "--as", "admin", "passwd", user], stdin=slave, stdout=slave,
                     stderr=slave, close_fds=True)
os.close(slave)
seen = b""
def until(marker):
    global seen
    deadline = time.time() + 20
    while marker not in seen and time.time() < deadline:
        try:
            seen += os.read(master, 1024)
        except OSError:
            break
until(b"password for " + user.encode() + b": ")
os.write(master, first.encode() + b"\n")
until(b"again: ")
os.write(master, second.encode() + b"\n")
rc = p.wait(timeout=30)
until(b"\0")  # the rest, up to the end
echoed = first.encode() in seen or second.encode() in seen
print(rc, "echoed" if echoed else "silent")
PY
}
expect_eq "the same twice" "0 silent" "$(terminal "terminal passphrase" "terminal passphrase" walsh)"
expect_eq "two that differ" "2 silent" "$(terminal "terminal passphrase" "another passphrase" walsh)"

echo "== sessions"
NOW=1772445600 # 2026-03-02 10:00:00 UTC
# session ID USER CREATED LAST_SEEN EXPIRES [REVOKED]: a session row as the web console writes it
session() {
	q "INSERT INTO web_sessions (id, token_hash, user, stage, csrf, created_at, last_seen_at,
	   expires_at, revoked_at, peer, user_agent) VALUES ($1, 'hash$1', '$2', 'full', 'csrf$1',
	   $3, $4, $5, ${6:-NULL}, '192.0.2.$1', 'Firefox/$1')"
}
session 1 reyes $((NOW - 600)) $((NOW - 60)) $((NOW + 40000))
session 2 reyes $((NOW - 300)) $((NOW - 30)) $((NOW + 40000))
session 3 walsh $((NOW - 300)) $((NOW - 20)) $((NOW + 40000))
session 4 admin $((NOW - 100)) $((NOW - 10)) $((NOW + 40000))
session 5 walsh $((NOW - 50000)) $((NOW - 100)) $((NOW - 1))             # past its time
session 6 reyes $((NOW - 5000)) $((NOW - 4000)) $((NOW + 40000))         # idle
session 7 reyes $((NOW - 500)) $((NOW - 50)) $((NOW + 40000)) $((NOW - 5)) # ended
at "2026-03-02 10:00:00" $LIAISON --as admin sessions >list.txt
head -n 1 list.txt | grep -q "^ *ID  USER" || { cat list.txt; fail "no header row"; }
expect_eq "an admin lists the live ones" "4 sessions" "$(tail -n 1 list.txt)"
grep -q "Firefox/4" list.txt || fail "the browser is not listed"
at "2026-03-02 10:00:00" $LIAISON --as admin sessions --json >list.json
expect_eq "JSON: newest first" "4 3 2 1" "$(json "' '.join(str(s['id']) for s in d)" list.json)"
expect_eq "JSON: the fields" "id user stage signed_in last_seen expires peer user_agent" \
	"$(json "' '.join(d[0].keys())" list.json)"
expect_eq "JSON: when it ends" "2026-03-02T21:06:40Z" "$(json "d[0]['expires']" list.json)"
grep -q csrf list.json && fail "a CSRF token is listed"
at "2026-03-02 10:00:00" $LIAISON --as admin sessions --user reyes --json >list.json
expect_eq "an admin lists one user's" "2 1" "$(json "' '.join(str(s['id']) for s in d)" list.json)"
at "2026-03-02 10:00:00" $LIAISON --as reyes sessions --json >list.json
expect_eq "a user lists their own" "2 1" "$(json "' '.join(str(s['id']) for s in d)" list.json)"
at "2026-03-02 10:00:00" $LIAISON --as reyes sessions --user reyes --json >list.json
expect_eq "also when naming themselves" "2" "$(json "len(d)" list.json)"
expect reyes 1 sessions --user walsh
# half an hour later the ones that saw no request since are no longer listed
at "2026-03-02 10:29:45" $LIAISON --as admin sessions --json >list.json
expect_eq "idle ones drop out" "4" "$(json "' '.join(str(s['id']) for s in d)" list.json)"

expect reyes 2 sessions --revoke 3
grep -q "no open session 3 of yours" err.txt || fail "another's session: not said as none"
expect_eq "walsh's session still open" "" "$(q "SELECT revoked_at FROM web_sessions WHERE id = 3")"
expect reyes 0 sessions --revoke 1
expect_eq "what it says" "session 1: ended" "$(cat out.txt)"
expect_eq "ended by reyes" "reyes" "$(q "SELECT revoked_by FROM web_sessions WHERE id = 1 AND revoked_at IS NOT NULL")"
expect admin 0 sessions --revoke 3
expect admin 2 sessions --revoke 3
expect admin 2 sessions --revoke 7
expect admin 2 sessions --revoke abc
grep -q "not a session number" err.txt || fail "a bad number not said"
expect admin 2 sessions --revoke 2 --json
expect admin 2 sessions --revoke 2 --revoke-user reyes
expect walsh 1 sessions --revoke-user reyes
expect admin 0 sessions --revoke-user reyes
expect_eq "what it says" "reyes: 2 sessions ended" "$(cat out.txt)"
expect_eq "reyes has no open session" 0 "$(q "SELECT count(*) FROM web_sessions WHERE user = 'reyes' AND revoked_at IS NULL")"

echo "== a new password ends the user's sessions"
session 8 walsh $((NOW - 60)) $((NOW - 30)) $((NOW + 40000))
expect admin 0 passwd walsh <pw.txt
expect_eq "walsh's session ended by the new password" "admin" "$(q "SELECT revoked_by FROM web_sessions WHERE id = 8 AND revoked_at IS NOT NULL")"

echo "== mfa-reset"
q "UPDATE web_accounts SET totp_secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', totp_enrolled_at = $NOW, totp_last_step = 59081520 WHERE user = 'reyes'"
session 9 reyes $((NOW - 60)) $((NOW - 30)) $((NOW + 40000))
expect coordinator 1 mfa-reset reyes
expect reyes 1 mfa-reset reyes
expect admin 2 mfa-reset mallory
expect admin 0 mfa-reset reyes
expect_eq "the enrolment cleared" "||" "$(q "SELECT totp_secret, totp_enrolled_at, totp_last_step FROM web_accounts WHERE user = 'reyes'")"
expect_eq "the password kept" 1 "$(q "SELECT count(*) FROM web_accounts WHERE user = 'reyes' AND password_hash LIKE '\$argon2id\$%'")"
expect_eq "reyes's session ended" "admin" "$(q "SELECT revoked_by FROM web_sessions WHERE id = 9 AND revoked_at IS NOT NULL")"
expect admin 2 mfa-reset reyes
grep -q "no TOTP app enrolled" err.txt || fail "nothing to reset: not said"
expect admin 2 mfa-reset

echo "== the audit trail"
$LIAISON --as admin audit --json >audit.json
actions() { json "' '.join(a['user'] + ':' + a['action'] + ':' + a['object'] for a in d if a['action'] in ($1))" audit.json; }
expect_eq "passwords set" "admin:passwd:reyes reyes:passwd:reyes admin:passwd:walsh admin:passwd:walsh admin:passwd:walsh admin:passwd:walsh" \
	"$(actions "'passwd',")"
expect_eq "sessions ended" "reyes:session-revoke:session 1 admin:session-revoke:session 3 admin:sessions-revoke:reyes" \
	"$(actions "'session-revoke', 'sessions-revoke'")"
expect_eq "the reset" "admin:mfa-reset:reyes" "$(actions "'mfa-reset',")"
expect_eq "with the sessions it ended" "1 web session ended" \
	"$(json "[a['details'] for a in d if a['action'] == 'mfa-reset'][0]" audit.json)"
grep -q "passphrase" audit.json && fail "a password is in the audit trail"
echo "ok: no password in the audit trail"
$LIAISON --as admin audit verify >/dev/null || fail "the audit chain is broken"
echo "ok: the audit chain holds"
