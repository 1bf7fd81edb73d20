#!/bin/sh
# shellcheck disable=SC2086
# tests/servers/selftest.sh: starts an instance with --tls --oauth2 --smtp-auth in a fresh
# temporary folder, proves every piece works with real clients (selftest.py), stops it;
# then an instance with --oidc --smtp-auth (the OpenID provider, 10 s tokens) checked by
# oidc/selftest.mjs (node, chromium).  Prints one line per check and
# "selftest: N passed, N failed"; exit 1 on any failure.
# The temporary folder is removed when everything passed and kept (and named) otherwise.
set -u
HERE=$(cd "$(dirname "$0")" && pwd -P)
PY=/usr/bin/python3
WORK=$(mktemp -d /tmp/liaison-servers-selftest.XXXXXX) || exit 1
DIR=$WORK/srv
pass=0
fail=0

ok() { pass=$((pass + 1)); echo "selftest: ok   $1"; }
bad() { fail=$((fail + 1)); echo "selftest: FAIL $1"; }

# start.sh must return even with its output captured: no server may hold our stdout/stderr.
t0=$(date +%s)
if out=$(timeout 120 "$HERE/start.sh" "$DIR" --tls --oauth2 --smtp-auth 2>&1); then
	ok "start.sh DIR --tls --oauth2 --smtp-auth ($(($(date +%s) - t0)) s, returns with output captured)"
	started=1
else
	bad "start.sh DIR --tls --oauth2 --smtp-auth failed:"
	echo "$out" | sed 's/^/    /'
	started=0
fi

if [ $started = 1 ]; then
	# shellcheck disable=SC1091
	. "$DIR/env.sh"
	missing=""
	for v in SERVERS_DIR DOVECOT_CONF IMAP_PORT IMAPS_PORT IMAP_WRONG_PORT IMAPS_WRONG_PORT SMTP_PORT \
		SMTPS_PORT OAUTH2_PORT TLS_CA TLS_OTHER_CA SMTP_CONTROL IMAP_USER IMAP_PASSWORD; do
		eval "val=\${$v:-}"
		[ -n "$val" ] || missing="$missing $v"
	done
	files_ok=1
	for f in ca.pem srv.pem srv.key wrong.pem wrong.key other-ca.pem; do
		[ -s "$DIR/tls/$f" ] || files_ok=0
	done
	if [ -z "$missing" ] && [ $files_ok = 1 ] && [ "$SERVERS_DIR" = "$DIR" ]; then
		ok "env.sh has every variable; tls/ has ca.pem srv.pem srv.key wrong.pem wrong.key other-ca.pem"
	else
		bad "env.sh is missing:$missing (tls files ok: $files_ok)"
	fi

	timeout 600 "$PY" "$HERE/selftest.py" "$DIR" >"$WORK/checks.out" 2>&1
	rc=$?
	cat "$WORK/checks.out"
	p=$(grep -c '^selftest: ok ' "$WORK/checks.out")
	f=$(grep -c '^selftest: FAIL ' "$WORK/checks.out")
	pass=$((pass + p))
	fail=$((fail + f))
	# Every check selftest.py has must have run, and its exit status must agree: a crash
	# (or a timeout) half-way leaves only "ok" lines behind.
	want=$(grep -c '^    @check(' "$HERE/selftest.py")
	if [ $((p + f)) -ne "$want" ]; then
		bad "selftest.py ran $((p + f)) of its $want checks (exit $rc)"
	elif [ "$rc" -ne 0 ] && [ "$f" = 0 ]; then
		bad "selftest.py exited $rc though no check failed"
	elif [ "$rc" -eq 0 ] && [ "$f" != 0 ]; then
		bad "selftest.py exited 0 though $f checks failed"
	fi

	pids=""
	for pf in "$DIR/run/master.pid" "$DIR/wrong/run/master.pid" "$DIR/smtp.pid" "$DIR/oauth2.pid"; do
		[ -f "$pf" ] && pids="$pids $(cat "$pf")"
	done
	if "$HERE/stop.sh" "$DIR" >"$WORK/stop.out" 2>&1; then
		alive=""
		for p in $pids; do
			"$PY" "$HERE/srvutil.py" wait-gone "$p" 0 || alive="$alive $p"
		done
		busy=""
		for port in $IMAP_PORT $IMAPS_PORT $IMAP_WRONG_PORT $IMAPS_WRONG_PORT $SMTP_PORT $SMTPS_PORT $OAUTH2_PORT; do
			"$PY" "$HERE/srvutil.py" port-free "$port" || busy="$busy $port"
		done
		if [ -z "$alive" ] && [ -z "$busy" ] && [ -n "$pids" ]; then
			ok "stop.sh DIR: all processes ($(echo $pids | wc -w)) gone, all ports free"
		else
			bad "stop.sh DIR left processes:$alive ports:$busy"
		fi
	else
		bad "stop.sh DIR failed: $(cat "$WORK/stop.out")"
	fi
	if "$HERE/stop.sh" "$DIR" >"$WORK/stop2.out" 2>&1 && "$HERE/stop.sh" "$WORK/does-not-exist" >>"$WORK/stop2.out" 2>&1; then
		ok "stop.sh is idempotent (stopped DIR, missing DIR)"
	else
		bad "stop.sh on a stopped DIR failed: $(cat "$WORK/stop2.out")"
	fi
	if "$HERE/stop.sh" "$DIR" --purge >"$WORK/stop3.out" 2>&1 && [ ! -e "$DIR" ]; then
		ok "stop.sh DIR --purge removes DIR"
	else
		bad "stop.sh --purge: $(cat "$WORK/stop3.out")"
	fi
fi

# ---------------------------------------------------------------- the OpenID provider
ODIR=$WORK/oidc
t0=$(date +%s)
if out=$(OIDC_ACCESS_TTL=10 timeout 300 "$HERE/start.sh" "$ODIR" --oidc --smtp-auth 2>&1); then
	ok "start.sh DIR --oidc --smtp-auth ($(($(date +%s) - t0)) s)"
	# shellcheck disable=SC1091
	. "$ODIR/env.sh"
	timeout 600 node "$HERE/oidc/selftest.mjs" "$ODIR" >"$WORK/oidc-checks.out" 2>&1
	rc=$?
	cat "$WORK/oidc-checks.out"
	p=$(grep -c '^selftest: ok ' "$WORK/oidc-checks.out")
	f=$(grep -c '^selftest: FAIL ' "$WORK/oidc-checks.out")
	pass=$((pass + p))
	fail=$((fail + f))
	want=$(grep -c '^  await check(' "$HERE/oidc/selftest.mjs")
	if [ $((p + f)) -ne "$want" ]; then
		bad "oidc/selftest.mjs ran $((p + f)) of its $want checks (exit $rc)"
	elif [ "$rc" -ne 0 ] && [ "$f" = 0 ]; then
		bad "oidc/selftest.mjs exited $rc though no check failed"
	fi
	opid=$(cat "$ODIR/oidc.pid" 2>/dev/null)
	if "$HERE/stop.sh" "$ODIR" >"$WORK/ostop.out" 2>&1 && [ -n "$opid" ] &&
		"$PY" "$HERE/srvutil.py" wait-gone "$opid" 0 && "$PY" "$HERE/srvutil.py" port-free "$OIDC_PORT"; then
		ok "stop.sh DIR: the provider (node, pid $opid) is gone and its port free"
	else
		bad "stop.sh DIR left the provider (pid ${opid:-?}) or its port $OIDC_PORT: $(cat "$WORK/ostop.out")"
	fi
	"$HERE/stop.sh" "$ODIR" --purge >/dev/null 2>&1
else
	bad "start.sh DIR --oidc --smtp-auth failed:"
	echo "$out" | sed 's/^/    /'
fi

echo "selftest: $pass passed, $fail failed"
if [ $fail = 0 ]; then
	rm -rf "$WORK"
	exit 0
fi
"$HERE/stop.sh" "$DIR" >/dev/null 2>&1
"$HERE/stop.sh" "$ODIR" >/dev/null 2>&1
echo "selftest: files kept in $WORK"
exit 1
