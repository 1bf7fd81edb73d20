#!/bin/sh
# shellcheck disable=SC2015,SC2086,SC2116,SC2153
# tests/servers/start.sh DIR [--tls] [--oauth2 | --oidc] [--smtp-auth] [--smtp-require-tls]
#
# Starts, on 127.0.0.1 and free high ports, a private Dovecot (IMAP) and an SMTP sink with
# all their state in DIR, then writes DIR/env.sh (see tests/servers/README.md).
#   --tls               test CA + certificates in DIR/tls; IMAPS + STARTTLS; a second Dovecot
#                       serving a certificate for the wrong host name; SMTP STARTTLS + SMTPS
#   --oauth2            RFC 7662 introspection endpoint + XOAUTH2/OAUTHBEARER in Dovecot
#   --oidc              a real OpenID provider (tests/servers/oidc, node + oidc-provider) that
#                       Dovecot asks about tokens (XOAUTH2/OAUTHBEARER), and the SMTP sink too
#                       (it then offers AUTH XOAUTH2 and requires AUTH)
#   --smtp-auth         the SMTP sink requires AUTH PLAIN/LOGIN as relay / relay-secret
#   --smtp-require-tls  the SMTP sink requires STARTTLS before MAIL (needs --tls)
# Run again on a DIR whose servers were (partly) stopped, without options or with the same
# ones, and it restarts what is not running on the same ports (restart tests).
# Environment: SERVERS_TIMEOUT (seconds to wait for each server, default 10),
#              SERVERS_DEBUG=1 (Dovecot auth/mail/ssl debug logging),
#              OIDC_ACCESS_TTL, OIDC_REFRESH_TTL, OIDC_DEVICE_TTL, OIDC_DEVICE_INTERVAL
#              (seconds, for a new --oidc DIR; defaults 60, 86400, 600, 2).
set -u

HERE=$(cd "$(dirname "$0")" && pwd -P)
PY=/usr/bin/python3
UTIL="$PY $HERE/srvutil.py"
TIMEOUT=${SERVERS_TIMEOUT:-10}
USERS="troopk troopl demo"
DOVECOT=/usr/sbin/dovecot
[ -x "$DOVECOT" ] || DOVECOT=$(command -v dovecot 2>/dev/null || echo dovecot)

usage() {
	echo "usage: $0 DIR [--tls] [--oauth2 | --oidc] [--smtp-auth] [--smtp-require-tls]" >&2
	exit 2
}

say() { echo "start.sh: $*" >&2; }

# fail MESSAGE [LOGFILE...]: report, show log tails, stop what we started, exit 1
fail() {
	say "ERROR: $1"
	shift
	for f in "$@"; do
		if [ -s "$f" ]; then
			echo "---- last lines of $f ----" >&2
			tail -n 25 "$f" >&2
		fi
	done
	if [ "${STARTED_ANY:-0}" = 1 ]; then
		"$HERE/stop.sh" "$DIR" >/dev/null 2>&1
	fi
	exit 1
}

[ $# -ge 1 ] || usage
case $1 in -*|"") usage ;; esac
DIR=$1
shift
O_TLS=0 O_OAUTH2=0 O_OIDC=0 O_SMTP_AUTH=0 O_SMTP_REQUIRE_TLS=0 GIVEN=0
for a in "$@"; do
	case $a in
	--tls) O_TLS=1 ;;
	--oauth2) O_OAUTH2=1 ;;
	--oidc) O_OIDC=1 ;;
	--smtp-auth) O_SMTP_AUTH=1 ;;
	--smtp-require-tls) O_SMTP_REQUIRE_TLS=1 ;;
	*) usage ;;
	esac
	GIVEN=1
done
[ "$O_SMTP_REQUIRE_TLS" = 1 ] && [ "$O_TLS" = 0 ] && { say "--smtp-require-tls needs --tls"; exit 2; }
# Dovecot asks one token checker: the file-driven endpoint or the provider
[ "$O_OAUTH2" = 1 ] && [ "$O_OIDC" = 1 ] && { say "--oauth2 and --oidc are alternatives; give one"; exit 2; }

[ -x "$PY" ] || { say "ERROR: $PY not found"; exit 1; }
command -v doveadm >/dev/null 2>&1 || { say "ERROR: doveadm not found (install dovecot-imapd)"; exit 1; }
[ -x "$DOVECOT" ] || command -v "$DOVECOT" >/dev/null 2>&1 || { say "ERROR: dovecot not found"; exit 1; }
"$PY" -c 'import aiosmtpd' 2>/dev/null || { say "ERROR: $PY cannot import aiosmtpd (install python3-aiosmtpd)"; exit 1; }
getent passwd dovecot >/dev/null && getent passwd dovenull >/dev/null ||
	{ say "ERROR: users dovecot and dovenull must exist (they come with dovecot-core)"; exit 1; }
[ "$(id -u)" = 0 ] || say "warning: not running as root; Dovecot will probably refuse to start"

check_dir_name() {
	case $1 in
	*[!A-Za-z0-9._/+,@=:~-]*)
		say "ERROR: DIR path '$1' has characters Dovecot's config cannot take; use [A-Za-z0-9._/+,@=:~-] only"
		exit 1 ;;
	esac
	# Dovecot's unix sockets live in DIR/wrong/run/...; sun_path is limited to 107 bytes.
	if [ ${#1} -gt 76 ]; then
		say "ERROR: DIR path '$1' is ${#1} characters; at most 76 fit Dovecot's socket paths. Use a shorter DIR."
		exit 1
	fi
}
case $DIR in /*) check_dir_name "$DIR" ;; *) check_dir_name "$(pwd -P)/$DIR" ;; esac
mkdir -p "$DIR" || { say "ERROR: cannot create $DIR"; exit 1; }
DIR=$(cd "$DIR" && pwd -P)
check_dir_name "$DIR"

CONF=$DIR/dovecot.conf
WCONF=$DIR/wrong/dovecot.conf
STARTED_ANY=0

# ---------------------------------------------------------------- resume or fresh
# Callers often have another instance's env.sh in their environment: start from scratch.
for v in IMAP_PORT IMAPS_PORT IMAP_WRONG_PORT IMAPS_WRONG_PORT SMTP_PORT SMTPS_PORT OAUTH2_PORT OIDC_PORT \
	SERVERS_TLS SERVERS_OAUTH2 SERVERS_OIDC SMTP_AUTH SMTP_REQUIRE_TLS; do
	unset "$v"
done
RESUME=0
if [ -f "$DIR/env.sh" ]; then
	RESUME=1
	# shellcheck disable=SC1091
	. "$DIR/env.sh"
	SERVERS_OIDC=${SERVERS_OIDC:-0}
	if [ "$GIVEN" = 1 ]; then
		if [ "$O_TLS" != "$SERVERS_TLS" ] || [ "$O_OAUTH2" != "$SERVERS_OAUTH2" ] || [ "$O_OIDC" != "$SERVERS_OIDC" ] ||
			[ "$O_SMTP_AUTH" != "$SMTP_AUTH" ] || [ "$O_SMTP_REQUIRE_TLS" != "$SMTP_REQUIRE_TLS" ]; then
			say "ERROR: $DIR was set up with other options (tls=$SERVERS_TLS oauth2=$SERVERS_OAUTH2 oidc=$SERVERS_OIDC smtp-auth=$SMTP_AUTH smtp-require-tls=$SMTP_REQUIRE_TLS); run stop.sh $DIR --purge first"
			exit 1
		fi
	fi
	O_TLS=$SERVERS_TLS O_OAUTH2=$SERVERS_OAUTH2 O_OIDC=$SERVERS_OIDC O_SMTP_AUTH=$SMTP_AUTH O_SMTP_REQUIRE_TLS=$SMTP_REQUIRE_TLS
fi

# ---------------------------------------------------------------- helpers
running() { # running PIDFILE ARG: the process in PIDFILE is alive and has ARG in its argv
	[ -f "$1" ] && $UTIL pid-matches "$1" "$2"
}

random_hex() {
	od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'
}

make_tls() {
	t=$DIR/tls
	mkdir -p "$t" && chmod 755 "$t" || fail "cannot create $t"
	cat >"$t/ca.cnf" <<-'EOF'
	[req]
	distinguished_name = dn
	prompt = no
	x509_extensions = v3_ca
	[dn]
	CN = liaison test CA
	[v3_ca]
	basicConstraints = critical, CA:TRUE
	keyUsage = critical, keyCertSign, cRLSign
	subjectKeyIdentifier = hash
	EOF
	sed 's/liaison test CA/liaison OTHER test CA (not trusted)/' "$t/ca.cnf" >"$t/other-ca.cnf"
	cat >"$t/leaf.cnf" <<-'EOF'
	[req]
	distinguished_name = dn
	prompt = no
	[dn]
	CN = placeholder
	[v3_srv]
	basicConstraints = critical, CA:FALSE
	keyUsage = critical, digitalSignature, keyEncipherment
	extendedKeyUsage = serverAuth
	subjectAltName = DNS:localhost, IP:127.0.0.1
	subjectKeyIdentifier = hash
	authorityKeyIdentifier = keyid, issuer
	[v3_wrong]
	basicConstraints = critical, CA:FALSE
	keyUsage = critical, digitalSignature, keyEncipherment
	extendedKeyUsage = serverAuth
	subjectAltName = DNS:wronghost.example
	subjectKeyIdentifier = hash
	authorityKeyIdentifier = keyid, issuer
	EOF
	(
		cd "$t" || exit 1
		openssl req -x509 -config ca.cnf -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 &&
		openssl req -x509 -config other-ca.cnf -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.pem -days 3650 &&
		openssl req -new -config leaf.cnf -subj /CN=localhost -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr &&
		openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -set_serial "0x$(random_hex 12)" -days 825 \
			-extfile leaf.cnf -extensions v3_srv -out srv.pem &&
		openssl req -new -config leaf.cnf -subj /CN=wronghost.example -newkey rsa:2048 -nodes -keyout wrong.key -out wrong.csr &&
		openssl x509 -req -in wrong.csr -CA ca.pem -CAkey ca.key -set_serial "0x$(random_hex 12)" -days 825 \
			-extfile leaf.cnf -extensions v3_wrong -out wrong.pem &&
		rm -f srv.csr wrong.csr &&
		chmod 600 ca.key other-ca.key srv.key wrong.key
	) >"$DIR/openssl.log" 2>&1 || fail "making the test certificates with openssl failed" "$DIR/openssl.log"
	openssl verify -CAfile "$t/ca.pem" "$t/srv.pem" "$t/wrong.pem" >>"$DIR/openssl.log" 2>&1 ||
		fail "the generated certificates do not verify" "$DIR/openssl.log"
}

# write_dovecot_conf FILE NAME BASE LOG IMAP_PORT IMAPS_PORT CERT KEY WITH_OAUTH2
write_dovecot_conf() {
	f=$1 name=$2 base=$3 log=$4 p_imap=$5 p_imaps=$6 cert=$7 key=$8 with_oauth2=$9
	mechs="plain login"
	[ "$with_oauth2" = 1 ] && mechs="plain login xoauth2 oauthbearer"
	{
		cat <<-EOF
		# Generated by tests/servers/start.sh for a test instance: loopback only, all state in
		# $DIR.  Start with: dovecot -c $f   (never uses /etc/dovecot)
		base_dir = $base/run
		state_dir = $base/state
		log_path = $log
		instance_name = $name
		protocols = imap
		listen = 127.0.0.1
		default_login_user = dovenull
		default_internal_user = dovecot
		first_valid_uid = 1
		# Dovecot's processes keep only the environment named here: under make check-dates
		# the faked clock (libfaketime) must reach them too, or INTERNALDATE is today's.
		import_environment = TZ CORE_OUTOFMEM CORE_ERROR LISTEN_PID LISTEN_FDS LD_PRELOAD FAKETIME FAKETIME_SHARED NO_FAKE_STAT
		disable_plaintext_auth = no
		auth_mechanisms = $mechs
		auth_verbose = yes
		# tests check refused logins: no 2 s failure delay, and no growing per-IP penalty
		# (up to 15 s) after failures (the anvil socket below); a refusal takes about 0.5 s
		auth_failure_delay = 0
		service anvil {
		  unix_listener anvil-auth-penalty {
		    mode = 0
		  }
		}
		# tests and benchmarks may open many connections per user
		mail_max_userip_connections = 200
		# test data need not survive a power cut; keeps bulk APPEND fast
		mail_fsync = never
		# sdbox keeps each message's INTERNALDATE in its own metadata, not in a file time: the
		# same under make check-dates (libfaketime) as on the real clock
		mail_location = sdbox:~/dbox
		namespace inbox {
		  inbox = yes
		  separator = /
		  mailbox Sent {
		    auto = create
		    special_use = \\Sent
		  }
		}
		EOF
		if [ "$with_oauth2" = 1 ]; then
			cat <<-EOF
			passdb {
			  driver = oauth2
			  mechanisms = xoauth2 oauthbearer
			  args = $DIR/oauth2.conf.ext
			}
			EOF
		fi
		cat <<-EOF
		passdb {
		  driver = passwd-file
		  mechanisms = plain login
		  args = scheme=PLAIN username_format=%u $DIR/users
		}
		userdb {
		  driver = static
		  args = uid=dovecot gid=dovecot home=$DIR/home/%u allow_all_users=yes
		}
		service imap-login {
		  inet_listener imap {
		    address = 127.0.0.1
		    port = $p_imap
		  }
		  inet_listener imaps {
		    address = 127.0.0.1
		    port = $p_imaps
		  }
		}
		EOF
		if [ -n "$cert" ]; then
			cat <<-EOF
			ssl = yes
			ssl_cert = <$cert
			ssl_key = <$key
			EOF
			[ -f /usr/share/dovecot/dh.pem ] && echo "ssl_dh = </usr/share/dovecot/dh.pem"
		else
			echo "ssl = no"
		fi
		if [ "${SERVERS_DEBUG:-0}" = 1 ]; then
			echo "auth_debug = yes"
			echo "mail_debug = yes"
			echo "verbose_ssl = yes"
		fi
	} >"$f.tmp" && mv "$f.tmp" "$f"
}

# write_oauth2_ext URL: Dovecot's passdb oauth2 asks URL (the file-driven endpoint, or the
# provider's introspection with the dovecot client's credentials as HTTP basic auth)
write_oauth2_ext() {
	cat >"$DIR/oauth2.conf.ext.tmp" <<-EOF
	# Generated by tests/servers/start.sh: Dovecot asks the test introspection endpoint.
	introspection_mode = post
	introspection_url = $1
	force_introspection = yes
	username_attribute = username
	username_format = %u
	active_attribute = active
	active_value = true
	timeout_msecs = 5000
	EOF
	mv "$DIR/oauth2.conf.ext.tmp" "$DIR/oauth2.conf.ext"
	chgrp dovecot "$DIR/oauth2.conf.ext" && chmod 640 "$DIR/oauth2.conf.ext"
}

# start_dovecot CONF LOG IMAP_PORT -> 0 ok, 1 failure, 3 port in use
start_dovecot() {
	c=$1 lg=$2 port=$3
	base=$(dirname "$c")
	mkdir -p "$base/run" "$base/state"
	"$DOVECOT" -c "$c" </dev/null >"$base/dovecot-start.err" 2>&1
	rc=$?
	STARTED_ANY=1
	if [ $rc != 0 ]; then
		if grep -qi "address already in use" "$base/dovecot-start.err" "$lg" 2>/dev/null; then
			return 3
		fi
		return 1
	fi
	$UTIL wait-file "$base/run/master.pid" "$TIMEOUT" >>"$base/dovecot-start.err" 2>&1 || return 1
	pid=$(cat "$base/run/master.pid")
	$UTIL wait-port "$port" "$TIMEOUT" --banner "* OK" --pid "$pid" >>"$base/dovecot-start.err" 2>&1 || return 1
	return 0
}

wait_tcp() { # wait_tcp PORT WHAT LOG...
	p=$1 what=$2
	shift 2
	$UTIL wait-port "$p" "$TIMEOUT" 2>"$DIR/wait.err" || fail "$what on port $p does not accept connections: $(cat "$DIR/wait.err")" "$@"
}

# start_py NAME SCRIPT PORTFILE ARGS... ; sets PY_PORT
start_py() {
	name=$1 script=$2 portfile=$3
	shift 3
	rm -f "$portfile" "$DIR/$name.pid"
	"$PY" "$HERE/$script" "$DIR" "$@" </dev/null >>"$DIR/$name.log" 2>&1 &
	pid=$!
	STARTED_ANY=1
	$UTIL wait-file "$portfile" "$TIMEOUT" --pid "$pid" 2>"$DIR/wait.err" ||
		fail "$name did not start: $(cat "$DIR/wait.err")" "$DIR/$name.log"
	PY_PORT=$(cat "$portfile")
}

# oidc_deps: tests/servers/oidc/node_modules as its package-lock.json says; npm ci only when
# it is missing or differs (npm writes node_modules/.package-lock.json), so a machine without
# the registry runs with what it has.  Under a lock: parallel tests may start servers at once.
oidc_deps() {
	command -v node >/dev/null 2>&1 || fail "--oidc needs node (Debian package nodejs, version 20 or later)"
	major=$(node -p 'process.versions.node.split(".")[0]')
	[ "$major" -ge 20 ] || fail "--oidc needs node 20 or later (this is $(node --version))"
	command -v flock >/dev/null 2>&1 || fail "--oidc needs flock (util-linux)"
	(
		flock -w 300 9 || { echo "timed out waiting for another npm ci" >&2; exit 1; }
		node "$HERE/oidc/in_step.mjs" "$HERE/oidc" && exit 0
		command -v npm >/dev/null 2>&1 || { echo "node_modules is missing or stale and npm is not installed" >&2; exit 1; }
		echo "start.sh: npm ci --prefix $HERE/oidc" >&3
		npm ci --prefix "$HERE/oidc" --no-audit --no-fund --loglevel=error >&2
	) 9>"$HERE/oidc/.install.lock" 3>&2 2>"$DIR/npm.err" || fail "installing the OpenID provider's npm packages failed" "$DIR/npm.err"
	rm -f "$DIR/npm.err"
}

# ---------------------------------------------------------------- fresh setup
if [ "$RESUME" = 0 ]; then
	chmod 755 "$DIR"
	# The auth and mail processes run as user dovecot and must reach DIR.
	bad=$($UTIL can-traverse dovecot "$DIR")
	for p in $bad; do
		case $p in
		/tmp/?*|/var/tmp/?*|"${TMPDIR:-/tmp}"/?*)
			chmod o+x "$p" && say "note: allowed search (o+x) on $p so user dovecot can reach $DIR" ;;
		*)
			say "ERROR: user dovecot cannot enter $p (needed to reach $DIR); run 'chmod o+x $p' or use a DIR under /tmp"
			rmdir "$DIR" 2>/dev/null
			exit 1 ;;
		esac
	done

	mkdir -p "$DIR/home" "$DIR/oauth2" "$DIR/smtp" "$DIR/smtp-tmp" "$DIR/smtp-control" "$DIR/wrong" || fail "cannot create folders in $DIR"
	: >"$DIR/users.tmp"
	for u in $USERS; do
		echo "$u:{PLAIN}$u-secret::::::" >>"$DIR/users.tmp"
		mkdir -p "$DIR/home/$u" && chown dovecot:dovecot "$DIR/home/$u" && chmod 700 "$DIR/home/$u" ||
			fail "cannot create $DIR/home/$u"
	done
	chgrp dovecot "$DIR/users.tmp" && chmod 640 "$DIR/users.tmp" && mv "$DIR/users.tmp" "$DIR/users" ||
		fail "cannot write $DIR/users"
	printf '%s\n' "tok-$(random_hex 16)" >"$DIR/oauth2/valid-token"
	[ "$O_TLS" = 1 ] && make_tls
fi

CERT="" KEY="" WCERT="" WKEY=""
if [ "$O_TLS" = 1 ]; then
	CERT=$DIR/tls/srv.pem KEY=$DIR/tls/srv.key WCERT=$DIR/tls/wrong.pem WKEY=$DIR/tls/wrong.key
	for f in "$CERT" "$KEY" "$WCERT" "$WKEY" "$DIR/tls/ca.pem" "$DIR/tls/other-ca.pem"; do
		[ -s "$f" ] || fail "missing $f"
	done
fi

# ---------------------------------------------------------------- OAuth2 endpoint
if [ "$O_OAUTH2" = 1 ]; then
	if running "$DIR/oauth2.pid" "$DIR"; then
		say "oauth2 endpoint already running"
	else
		start_py oauth2 oauth2_introspect.py "$DIR/oauth2.port" --port "${OAUTH2_PORT:-0}"
		OAUTH2_PORT=$PY_PORT
		wait_tcp "$OAUTH2_PORT" "OAuth2 introspection endpoint" "$DIR/oauth2.log"
	fi
	[ "$RESUME" = 0 ] && write_oauth2_ext "http://127.0.0.1:$OAUTH2_PORT/introspect"
fi

# ---------------------------------------------------------------- OpenID provider
if [ "$O_OIDC" = 1 ]; then
	if running "$DIR/oidc.pid" "$DIR"; then
		say "oidc provider already running"
	else
		oidc_deps
		rm -f "$DIR/oidc.port" "$DIR/oidc.pid"
		node "$HERE/oidc/provider.mjs" "$DIR" --port "${OIDC_PORT:-0}" </dev/null >>"$DIR/oidc.log" 2>&1 &
		pid=$!
		echo "$pid" >"$DIR/oidc.pid" # before it can write it: a failed start is stopped too
		STARTED_ANY=1
		$UTIL wait-file "$DIR/oidc.port" "$TIMEOUT" --pid "$pid" 2>"$DIR/wait.err" ||
			fail "the OpenID provider did not start: $(cat "$DIR/wait.err")" "$DIR/oidc.log"
		OIDC_PORT=$(cat "$DIR/oidc.port")
		wait_tcp "$OIDC_PORT" "OpenID provider" "$DIR/oidc.log"
	fi
	[ "$RESUME" = 0 ] &&
		write_oauth2_ext "http://dovecot:$(cat "$DIR/oidc/dovecot.secret")@127.0.0.1:$OIDC_PORT/token/introspection"
fi

# ---------------------------------------------------------------- SMTP sink
if running "$DIR/smtp.pid" "$DIR"; then
	say "smtp sink already running"
else
	set -- --port "${SMTP_PORT:-0}"
	[ "$O_SMTP_AUTH" = 1 ] && set -- "$@" --auth
	[ "$O_OIDC" = 1 ] && set -- "$@" --oidc-introspect "http://127.0.0.1:$OIDC_PORT/token/introspection" \
		--oidc-client dovecot --oidc-secret-file "$DIR/oidc/dovecot.secret"
	if [ "$O_TLS" = 1 ]; then
		set -- "$@" --tls-cert "$CERT" --tls-key "$KEY" --smtps-port "${SMTPS_PORT:-0}"
		[ "$O_SMTP_REQUIRE_TLS" = 1 ] && set -- "$@" --require-tls
	fi
	start_py smtp smtp_sink.py "$DIR/smtp.port" "$@"
	SMTP_PORT=$PY_PORT
	$UTIL wait-port "$SMTP_PORT" "$TIMEOUT" --banner 220 2>"$DIR/wait.err" ||
		fail "SMTP sink on port $SMTP_PORT does not greet: $(cat "$DIR/wait.err")" "$DIR/smtp.log"
	if [ "$O_TLS" = 1 ]; then
		SMTPS_PORT=$(cat "$DIR/smtps.port")
		wait_tcp "$SMTPS_PORT" "SMTPS listener" "$DIR/smtp.log"
	fi
fi

# ---------------------------------------------------------------- Dovecot
if running "$DIR/run/master.pid" "$CONF"; then
	say "dovecot already running"
else
	tries=0
	while :; do
		tries=$((tries + 1))
		if [ "$RESUME" = 0 ]; then
			# shellcheck disable=SC2046
			set -- $($UTIL free-ports 2)
			IMAP_PORT=$1 IMAPS_PORT=0
			[ "$O_TLS" = 1 ] && IMAPS_PORT=$2
			with_tokens=0
			[ "$O_OAUTH2" = 1 ] || [ "$O_OIDC" = 1 ] && with_tokens=1
			write_dovecot_conf "$CONF" liaison-test "$DIR" "$DIR/dovecot.log" "$IMAP_PORT" "$IMAPS_PORT" "$CERT" "$KEY" "$with_tokens"
		fi
		start_dovecot "$CONF" "$DIR/dovecot.log" "$IMAP_PORT"
		rc=$?
		[ $rc = 0 ] && break
		if [ $rc = 3 ] && [ "$RESUME" = 0 ] && [ $tries -lt 4 ]; then
			say "port taken meanwhile, retrying with other ports"
			continue
		fi
		cat "$DIR/dovecot-start.err" >&2
		fail "Dovecot did not start (config $CONF)" "$DIR/dovecot.log"
	done
	[ "$O_TLS" = 1 ] && wait_tcp "$IMAPS_PORT" "Dovecot IMAPS" "$DIR/dovecot.log"
fi

if [ "$O_TLS" = 1 ]; then
	if running "$DIR/wrong/run/master.pid" "$WCONF"; then
		say "wrong-host dovecot already running"
	else
		tries=0
		while :; do
			tries=$((tries + 1))
			if [ "$RESUME" = 0 ]; then
				# shellcheck disable=SC2046
				set -- $($UTIL free-ports 2)
				IMAP_WRONG_PORT=$1 IMAPS_WRONG_PORT=$2
				write_dovecot_conf "$WCONF" liaison-test-wrong "$DIR/wrong" "$DIR/wrong/dovecot.log" \
					"$IMAP_WRONG_PORT" "$IMAPS_WRONG_PORT" "$WCERT" "$WKEY" 0
			fi
			start_dovecot "$WCONF" "$DIR/wrong/dovecot.log" "$IMAP_WRONG_PORT"
			rc=$?
			[ $rc = 0 ] && break
			if [ $rc = 3 ] && [ "$RESUME" = 0 ] && [ $tries -lt 4 ]; then
				say "port taken meanwhile, retrying with other ports"
				continue
			fi
			cat "$DIR/wrong/dovecot-start.err" >&2
			fail "the wrong-host Dovecot did not start (config $WCONF)" "$DIR/wrong/dovecot.log"
		done
		wait_tcp "$IMAPS_WRONG_PORT" "wrong-host Dovecot IMAPS" "$DIR/wrong/dovecot.log"
	fi
fi

# ---------------------------------------------------------------- mailboxes
if [ "$RESUME" = 0 ]; then
	# Listing auto-creates INBOX and Sent, so they exist before any client logs in.
	for u in $USERS; do
		out=$(doveadm -c "$CONF" mailbox list -u "$u" 2>&1)
		case " $(echo $out) " in
		*" INBOX "*) ;;
		*) fail "mailbox INBOX for $u was not created: $out" "$DIR/dovecot.log" ;;
		esac
		case " $(echo $out) " in
		*" Sent "*) ;;
		*) fail "mailbox Sent for $u was not created: $out" "$DIR/dovecot.log" ;;
		esac
	done
fi

# ---------------------------------------------------------------- env.sh
if [ "$RESUME" = 0 ]; then
	q() { printf "%s='%s'\n" "$1" "$2"; }
	{
		echo "# Written by tests/servers/start.sh; source it: . $DIR/env.sh"
		q SERVERS_DIR "$DIR"
		q SERVERS_TLS "$O_TLS"
		q SERVERS_OAUTH2 "$O_OAUTH2"
		q SERVERS_OIDC "$O_OIDC"
		q SERVERS_HOST 127.0.0.1
		q DOVECOT_CONF "$CONF"
		q DOVECOT_LOG "$DIR/dovecot.log"
		q IMAP_PORT "$IMAP_PORT"
		q IMAP_USER troopk
		q IMAP_PASSWORD troopk-secret
		q USER_TROOPK troopk
		q PASS_TROOPK troopk-secret
		q USER_TROOPL troopl
		q PASS_TROOPL troopl-secret
		q USER_DEMO demo
		q PASS_DEMO demo-secret
		q SMTP_PORT "$SMTP_PORT"
		q SMTP_DIR "$DIR/smtp"
		q SMTP_CONTROL "$DIR/smtp-control/reply"
		q SMTP_AUTH "$O_SMTP_AUTH"
		q SMTP_REQUIRE_TLS "$O_SMTP_REQUIRE_TLS"
		q SMTP_USER relay
		q SMTP_PASSWORD relay-secret
		vars="SERVERS_DIR SERVERS_TLS SERVERS_OAUTH2 SERVERS_OIDC SERVERS_HOST DOVECOT_CONF DOVECOT_LOG IMAP_PORT IMAP_USER IMAP_PASSWORD USER_TROOPK PASS_TROOPK USER_TROOPL PASS_TROOPL USER_DEMO PASS_DEMO SMTP_PORT SMTP_DIR SMTP_CONTROL SMTP_AUTH SMTP_REQUIRE_TLS SMTP_USER SMTP_PASSWORD"
		if [ "$O_TLS" = 1 ]; then
			q IMAPS_PORT "$IMAPS_PORT"
			q IMAP_WRONG_PORT "$IMAP_WRONG_PORT"
			q IMAPS_WRONG_PORT "$IMAPS_WRONG_PORT"
			q DOVECOT_WRONG_CONF "$WCONF"
			q SMTPS_PORT "$SMTPS_PORT"
			q TLS_DIR "$DIR/tls"
			q TLS_CA "$DIR/tls/ca.pem"
			q TLS_OTHER_CA "$DIR/tls/other-ca.pem"
			vars="$vars IMAPS_PORT IMAP_WRONG_PORT IMAPS_WRONG_PORT DOVECOT_WRONG_CONF SMTPS_PORT TLS_DIR TLS_CA TLS_OTHER_CA"
		fi
		if [ "$O_OAUTH2" = 1 ]; then
			q OAUTH2_PORT "$OAUTH2_PORT"
			q OAUTH2_URL "http://127.0.0.1:$OAUTH2_PORT/introspect"
			q OAUTH2_TOKEN_FILE "$DIR/oauth2/valid-token"
			q OAUTH2_TOKEN "$(head -n 1 "$DIR/oauth2/valid-token")"
			q OAUTH2_USER troopk
			vars="$vars OAUTH2_PORT OAUTH2_URL OAUTH2_TOKEN_FILE OAUTH2_TOKEN OAUTH2_USER"
		fi
		if [ "$O_OIDC" = 1 ]; then
			iss="http://127.0.0.1:$OIDC_PORT"
			q OIDC_PORT "$OIDC_PORT"
			q OIDC_ISSUER "$iss"
			q OIDC_TOKEN_URL "$iss/token"
			q OIDC_DEVICE_URL "$iss/device/auth"
			q OIDC_INTROSPECT_URL "$iss/token/introspection"
			q OIDC_INTROSPECT_CLIENT dovecot
			q OIDC_INTROSPECT_SECRET_FILE "$DIR/oidc/dovecot.secret"
			q OIDC_SECRET_CLIENT liaison-secret
			q OIDC_SECRET_FILE "$DIR/oidc/liaison-secret.secret"
			q OIDC_SECRET_USER troopk
			q OIDC_CERT_CLIENT liaison-cert
			q OIDC_CERT "$DIR/oidc/cert.pem"
			q OIDC_KEY "$DIR/oidc/cert.key"
			q OIDC_CERT_USER troopl
			q OIDC_DEVICE_CLIENT liaison-device
			q OIDC_SA_KEY "$DIR/oidc/sa.json"
			q OIDC_SA_EMAIL liaison-sa@test.iam.example
			q OIDC_ISSUED "$DIR/oidc/issued"
			q OIDC_ADMIN "$iss/test/"
			q OIDC_LOG "$DIR/oidc.log"
			vars="$vars OIDC_PORT OIDC_ISSUER OIDC_TOKEN_URL OIDC_DEVICE_URL OIDC_INTROSPECT_URL OIDC_INTROSPECT_CLIENT OIDC_INTROSPECT_SECRET_FILE OIDC_SECRET_CLIENT OIDC_SECRET_FILE OIDC_SECRET_USER OIDC_CERT_CLIENT OIDC_CERT OIDC_KEY OIDC_CERT_USER OIDC_DEVICE_CLIENT OIDC_SA_KEY OIDC_SA_EMAIL OIDC_ISSUED OIDC_ADMIN OIDC_LOG"
		fi
		echo "export $vars"
	} >"$DIR/env.sh.tmp" && mv "$DIR/env.sh.tmp" "$DIR/env.sh" || fail "cannot write $DIR/env.sh"
fi
rm -f "$DIR/wait.err"

summary="imap=$IMAP_PORT smtp=$SMTP_PORT"
[ "$O_TLS" = 1 ] && summary="$summary imaps=$IMAPS_PORT imap-wrong=$IMAP_WRONG_PORT imaps-wrong=$IMAPS_WRONG_PORT smtps=$SMTPS_PORT"
[ "$O_OAUTH2" = 1 ] && summary="$summary oauth2=$OAUTH2_PORT"
[ "$O_OIDC" = 1 ] && summary="$summary oidc=$OIDC_PORT"
if [ "$RESUME" = 1 ]; then
	say "restarted servers in $DIR ($summary)"
else
	say "servers up in $DIR ($summary); . $DIR/env.sh"
fi
exit 0
