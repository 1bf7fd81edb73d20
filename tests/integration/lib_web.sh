# Helpers of the tests that run `liaison web` and lock the database (sourced after lib.sh).

# start_web NAME [ARGS...]: liaison ARGS web on a free port (-v and -c go in ARGS); WEB_PID,
# BASE (the console's address) and METRICS (/metrics' URL, or empty) once it listens; its
# output in NAME.out and NAME.err.
start_web() {
	name=$1
	shift
	$LIAISON "$@" web --listen 127.0.0.1:0 >"$name.out" 2>"$name.err" &
	WEB_PID=$!
	for _ in $(seq 1 100); do
		grep -q 'console is at' "$name.out" 2>/dev/null && break
		kill -0 $WEB_PID 2>/dev/null || { cat "$name.err"; fail "liaison web exited"; }
		sleep 0.1
	done
	BASE=$(sed -n 's/.*console is at \(https*:\/\/[^/]*\)\/.*/\1/p' "$name.out")
	METRICS=$(sed -n 's/.*metrics at \(http:\/\/[^ ]*\)$/\1/p' "$name.out")
	[ -n "$BASE" ] || fail "liaison web printed no address: $(cat "$name.out" "$name.err")"
	echo "ok: liaison web at $BASE${METRICS:+, metrics at $METRICS}"
}

# signin USER PASSWORD JAR: the sign-in form, then its POST (at most a minute); prints the
# POST's status, its headers and body in signin.h and signin.b.
signin() {
	curl -s -c "$3" -b "$3" -o form.b "$BASE/signin"
	token=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' form.b | head -n 1)
	curl -s -o signin.b -D signin.h -c "$3" -b "$3" -w '%{http_code}' --max-time 60 \
		--data-urlencode "csrf=$token" -d "user=$1" --data-urlencode "password=$2" "$BASE/signin"
}

# wait_for FILE PATTERN: until FILE holds PATTERN (at most 10 s).
wait_for() {
	for _ in $(seq 1 100); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	cat "$1"
	fail "never in $1: $2"
}

# hold_lock DB: another process takes DB's write lock (BEGIN EXCLUSIVE) and keeps it until
# release_lock (at most a minute); LOCKER is its pid.
hold_lock() {
	rm -f locked release
	$PY - "$1" <<'PY' &
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN EXCLUSIVE")
open("locked", "w").close()
for _ in range(600):
    if os.path.exists("release"):
        break
    time.sleep(0.1)
db.execute("ROLLBACK")
PY
	LOCKER=$!
	i=0
	while [ ! -f locked ]; do
		i=$((i + 1))
		[ $i -le 300 ] || fail "the locker never took the lock"
		sleep 0.1
	done
	echo "ok: another process holds the write lock of $1"
}
release_lock() {
	touch release
	wait $LOCKER || true
	LOCKER=
}
