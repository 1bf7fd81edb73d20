# Shared helpers for the integration tests (sourced).  Every check prints what it compared,
# and the first failure ends the test with exit 1.
set -eu
# A stop (the runner's SIGTERM) ends the test through its EXIT trap, which stops its servers;
# dash runs no EXIT trap for a signal left to its default.
trap 'exit 143' TERM
CORPUS_GEN=${CORPUS_GEN:-$TOP/tests/corpus/gen-ctl-corpus.py}
PY=/usr/bin/python3
# Commands that read threads need an acting user: the tests act as an admin unless told.
export LIAISON_USER=${LIAISON_USER:-admin}

# The users every test configuration has.
USERS='
[user admin]
role = admin

[user coordinator]
role = coordinator

[user records]
role = records

[user reyes]
role = ctl
troops = K

[user walsh]
role = ctl
troops = K

[user bell]
role = ctl
troops = L
'


fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect WHO EXIT ARGS...: liaison ARGS acted as WHO exits EXIT; a refusal (1) says
# "refused" and why, a wrong request (2) says what is wrong.  out.txt and err.txt keep what it
# printed.
expect() {
	who=$1 want=$2
	shift 2
	set +e
	$LIAISON --as "$who" "$@" >out.txt 2>err.txt
	rc=$?
	set -e
	if [ "$rc" -ne "$want" ]; then
		cat out.txt err.txt
		fail "$who: $*: exit $rc, expected $want"
	fi
	if { [ "$want" -eq 1 ] && ! grep -q "refused" err.txt; } || { [ "$want" -eq 2 ] && [ ! -s err.txt ]; }; then
		cat err.txt
		fail "$who: $*: no reason given"
	fi
	echo "ok: $who $* -> $rc $(head -c 160 err.txt | tr '\n' ' ')"
}

# at "YYYY-MM-DD HH:MM:SS" CMD...: CMD with the clock at that UTC instant (libfaketime's
# absolute form, which also holds under make check-dates' own offset).  Under make asan
# libfaketime is preloaded before the sanitizer's runtime: allowed.
at() {
	when=$1
	shift
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 TZ=UTC \
		faketime -f "@$when" "$@"
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	if [ "$2" != "$3" ]; then
		fail "$1: expected '$2', got '$3'"
	fi
	echo "ok: $1 = $3"
}

# expect_code WHAT CODE COMMAND...: runs COMMAND and checks its exit code.
expect_code() {
	what=$1 code=$2
	shift 2
	set +e
	"$@"
	rc=$?
	set -e
	[ "$rc" -eq "$code" ] || fail "$what: exit $rc, expected $code"
	echo "ok: $what exits $code"
}

# json EXPR FILE: evaluates a Python expression over the JSON document in FILE as `d`.
json() {
	$PY -c "import json,sys; d=json.load(open(sys.argv[2])); print($1)" "$1" "$2"
}

# write_config FILE DB: a configuration with mailboxes K and L.
write_config() {
	cat >"$1" <<CONF
[liaison]
database = $2
timezone = America/New_York
routes = $TOP/config/routes.conf
templates = $TOP/templates

[mailbox K]
troop = K
address = TroopKCTL@ct.gov
sent_folder = Sent

[mailbox L]
troop = L
address = TroopLCTL@ct.gov
$USERS
CONF
}

have_corpus_gen() {
	[ -f "$CORPUS_GEN" ]
}

# start_servers [options]: real Dovecot and SMTP sink for this test (tests/servers), stopped
# when the test exits.  Sets the env.sh variables.
start_servers() {
	SRV=$TMPDIR/srv
	sh "$TOP/tests/servers/start.sh" "$SRV" "$@" >/dev/null || fail "test servers did not start"
	trap 'sh "$TOP/tests/servers/stop.sh" "$SRV" >/dev/null 2>&1' EXIT
	. "$SRV/env.sh"
}

# write_poll_config FILE DB: mailbox K on the test Dovecot (user troopk), SMTP to the sink.
write_poll_config() {
	printf 'troopk-secret\n' >"$TMPDIR/troopk.pw"
	chmod 600 "$TMPDIR/troopk.pw"
	cat >"$1" <<CONF
[liaison]
database = $2
templates = $TOP/templates
routes = $TOP/config/routes.conf
urgent_notify = coordinator@ct.gov

[smtp]
url = smtp://127.0.0.1:$SMTP_PORT
tls = none
timeout = 10s

[mailbox K]
troop = K
address = TroopKCTL@ct.gov
imap = imap://127.0.0.1:$IMAP_PORT
tls = none
username = troopk
password_file = $TMPDIR/troopk.pw
sent_folder = Sent

[mailbox L]
troop = L
address = TroopLCTL@ct.gov
$USERS
CONF
}

# deliver FOLDER FILE...: IMAP APPEND as user troopk.
deliver() {
	folder=$1
	shift
	$PY "$TOP/tests/servers/deliver.py" append --port "$IMAP_PORT" --user troopk \
		--password troopk-secret --folder "$folder" "$@" >/dev/null || fail "APPEND failed"
}

# smtp_count: messages the SMTP sink has received.  A missing sink folder is a failure,
# never 0 (which would pass every "nothing was sent" check).
smtp_count() {
	[ -d "${SMTP_DIR:-}" ] || fail "smtp_count: SMTP_DIR '${SMTP_DIR:-}' is not a folder"
	n=0
	for f in "$SMTP_DIR"/*.json; do
		[ -f "$f" ] && n=$((n + 1))
	done
	echo "$n"
}

# smtp_tls_auth CONF PASSWORD_FILE: CONF's [smtp] as the sink started with --tls --smtp-auth
# wants it: STARTTLS with the test CA, AUTH as relay with the password in PASSWORD_FILE.
smtp_tls_auth() {
	printf 'relay-secret\n' >"$2"
	chmod 600 "$2"
	$PY - "$1" "$TLS_CA" "$2" <<'PY'
import sys
path, ca, pw = sys.argv[1:]
out, section = [], ""
for line in open(path).read().split("\n"):
    if line.startswith("["):
        section = line
    if section == "[smtp]" and line.startswith("tls ="):
        line = "tls = starttls\nca_file = %s\nusername = relay\npassword_file = %s" % (ca, pw)
    out.append(line)
open(path, "w").write("\n".join(out))
PY
}

# split_by_direction CORPUS IN OUT: hard links of a generated corpus's messages, the
# community's (direction "in") in IN and the liaisons' replies (as a Sent folder) in OUT.
split_by_direction() {
	mkdir -p "$2" "$3"
	$PY - "$1" "$2" "$3" <<'PY'
import json, os, sys
for line in open(os.path.join(sys.argv[1], "labels.jsonl")):
    l = json.loads(line)
    dest = sys.argv[3] if l["direction"] == "out" else sys.argv[2]
    os.link(os.path.join(sys.argv[1], l["file"]), os.path.join(dest, os.path.basename(l["file"])))
PY
}

# maildir_msg DIR FROM SUBJECT ID BODY: a plain-text message from FROM to troop K, dated
# 2026-06-01, into Maildir DIR (made when missing) as DIR/cur/ID:2,.
maildir_msg() {
	mkdir -p "$1/cur" "$1/new" "$1/tmp"
	printf 'From: %s\nTo: TroopKCTL@ct.gov\nSubject: %s\nMessage-ID: <%s@example.org>\nDate: Mon, 1 Jun 2026 10:00:00 +0000\nContent-Type: text/plain; charset=utf-8\n\n%s\n' \
		"$2" "$3" "$4" "$5" >"$1/cur/$4:2,"
}

# wait_until WHAT SECONDS CONDITION: evaluates the shell CONDITION every 0.2 s until it holds;
# after SECONDS the test fails (showing daemon.err, the log of a daemon, when there is one).
wait_until() {
	wu_what=$1 wu_bound=$2 wu_cond=$3
	wu_i=0
	until eval "$wu_cond"; do
		wu_i=$((wu_i + 1))
		if [ $wu_i -gt $((wu_bound * 5)) ]; then
			[ -f daemon.err ] && cat daemon.err
			fail "$wu_what: not within ${wu_bound}s"
		fi
		sleep 0.2
	done
	echo "ok: $wu_what"
}

# stop_daemon PID: SIGTERM to a daemon started by the test; it must exit 0 (a clean stop).
stop_daemon() {
	kill -TERM "$1"
	set +e
	wait "$1"
	sd_rc=$?
	set -e
	expect_eq "clean exit on SIGTERM" 0 "$sd_rc"
}
