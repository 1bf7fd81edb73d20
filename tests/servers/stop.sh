#!/bin/sh
# shellcheck disable=SC2086
# tests/servers/stop.sh DIR [--purge] [dovecot] [smtp] [oauth2] [oidc]
#
# Stops the servers start.sh started for DIR (all of them, or only the named components;
# "dovecot" means both Dovecot instances).  Only processes recorded in DIR's pid files are
# signalled, and only if their command line names DIR's files, so other instances are never
# touched.  Waits (bounded) until the processes are gone and their ports are free, removes
# runtime files (pid files, Dovecot's sockets).  Mail, logs, certificates, received SMTP
# messages and env.sh stay, so start.sh DIR restarts on the same ports; --purge removes DIR
# entirely.  Idempotent: stopping a stopped (or missing) DIR succeeds.
set -u

HERE=$(cd "$(dirname "$0")" && pwd -P)
PY=/usr/bin/python3
UTIL="$PY $HERE/srvutil.py"
TIMEOUT=${SERVERS_TIMEOUT:-10}

usage() {
	echo "usage: $0 DIR [--purge] [dovecot] [smtp] [oauth2] [oidc]" >&2
	exit 2
}
say() { echo "stop.sh: $*" >&2; }

[ $# -ge 1 ] || usage
case $1 in -*|"") usage ;; esac
DIR=$1
shift
PURGE=0 COMPS=""
for a in "$@"; do
	case $a in
	--purge) PURGE=1 ;;
	dovecot|smtp|oauth2|oidc) COMPS="$COMPS $a" ;;
	*) usage ;;
	esac
done
[ -n "$COMPS" ] || COMPS="dovecot smtp oauth2 oidc"

if [ ! -d "$DIR" ]; then
	exit 0
fi
DIR=$(cd "$DIR" && pwd -P)

# Ports to wait for, from env.sh if start.sh got that far.
IMAP_PORT="" IMAPS_PORT="" IMAP_WRONG_PORT="" IMAPS_WRONG_PORT="" SMTP_PORT="" SMTPS_PORT="" OAUTH2_PORT="" OIDC_PORT=""
if [ -f "$DIR/env.sh" ]; then
	# shellcheck disable=SC1091
	. "$DIR/env.sh"
fi

status=0

# stop_pidfile PIDFILE ARG NAME: TERM (then KILL) the process if its argv holds ARG
stop_pidfile() {
	pf=$1 arg=$2 name=$3
	[ -f "$pf" ] || return 0
	if $UTIL pid-matches "$pf" "$arg"; then
		pid=$(cat "$pf")
		kill -TERM "$pid" 2>/dev/null
		if ! $UTIL wait-gone "$pid" "$TIMEOUT"; then
			say "$name (pid $pid) did not exit after SIGTERM; sending SIGKILL"
			kill -KILL "$pid" 2>/dev/null
			$UTIL wait-gone "$pid" 5 || { say "ERROR: $name (pid $pid) is still running"; status=1; return 1; }
		fi
	fi
	rm -f "$pf"
}

for c in $COMPS; do
	case $c in
	dovecot)
		stop_pidfile "$DIR/run/master.pid" "$DIR/dovecot.conf" dovecot
		stop_pidfile "$DIR/wrong/run/master.pid" "$DIR/wrong/dovecot.conf" "wrong-host dovecot"
		$UTIL wait-ports-free "$TIMEOUT" $IMAP_PORT $IMAPS_PORT $IMAP_WRONG_PORT $IMAPS_WRONG_PORT || status=1
		[ $status = 0 ] && rm -rf "$DIR/run" "$DIR/wrong/run"
		;;
	smtp)
		stop_pidfile "$DIR/smtp.pid" "$DIR" "smtp sink"
		$UTIL wait-ports-free "$TIMEOUT" $SMTP_PORT $SMTPS_PORT || status=1
		rm -f "$DIR/smtp.port" "$DIR/smtps.port"
		;;
	oauth2)
		stop_pidfile "$DIR/oauth2.pid" "$DIR" "oauth2 endpoint"
		$UTIL wait-ports-free "$TIMEOUT" $OAUTH2_PORT || status=1
		rm -f "$DIR/oauth2.port"
		;;
	oidc)
		# node provider.mjs DIR: the provider keeps its state (secrets, keys) in DIR/oidc
		stop_pidfile "$DIR/oidc.pid" "$DIR" "OpenID provider"
		$UTIL wait-ports-free "$TIMEOUT" $OIDC_PORT || status=1
		rm -f "$DIR/oidc.port"
		;;
	esac
done

if [ "$PURGE" = 1 ] && [ $status = 0 ]; then
	# only remove a folder that start.sh set up
	if [ "$DIR" != / ] && { [ -f "$DIR/env.sh" ] || [ -f "$DIR/dovecot.conf" ] || [ -f "$DIR/users" ]; }; then
		rm -rf "$DIR"
	else
		say "not purging $DIR: it does not look like a start.sh folder"
		status=1
	fi
fi
exit $status
