# Sourced by bench/web.sh and bench/soak.sh: `liaison web` started on a free loopback port,
# and a user signed in to it.  Both expect ./liaison (run from the checkout), LIAISON_CONFIG,
# and a fail MESSAGE [FILE...] function of the calling script.

# web_start DIR: starts `liaison web --listen 127.0.0.1:0` with [web]'s defaults, its output
# in DIR/web.out and DIR/web.err; sets web (its pid) and base (http://127.0.0.1:PORT).
web_start() {
	./liaison web --listen 127.0.0.1:0 >"$1/web.out" 2>"$1/web.err" &
	web=$!
	i=0
	while ! grep -q 'console is at' "$1/web.out" 2>/dev/null; do
		kill -0 "$web" 2>/dev/null || fail "liaison web exited" "$1/web.err"
		[ $i -lt 100 ] || fail "liaison web did not say where it listens in 10 s" "$1/web.err"
		sleep 0.1
		i=$((i + 1))
	done
	base=$(sed -n 's/.*console is at \(http:\/\/[^/]*\)\/.*/\1/p' "$1/web.out")
	[ -n "$base" ] || fail "liaison web printed no address" "$1/web.out" "$1/web.err"
}

# web_signin DIR USER PASSWORD: sets USER's password, then signs in as a browser would (the
# form's token and its cookie, then the POST); sets cookie (the session's "liaison=...").
# The pages and headers stay in DIR (signin.html, signedin.h, signedin.html, jar).
web_signin() {
	printf '%s\n' "$3" | ./liaison passwd "$2" >/dev/null
	curl -s -o "$1/signin.html" -c "$1/jar" "$base/signin" || fail "GET /signin failed"
	token=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' "$1/signin.html")
	[ -n "$token" ] || fail "the sign-in form has no token" "$1/signin.html"
	st=$(curl -s -o "$1/signedin.html" -D "$1/signedin.h" -b "$1/jar" -c "$1/jar" -w '%{http_code}' \
		--data-urlencode "csrf=$token" -d "user=$2" --data-urlencode "password=$3" "$base/signin")
	cookie=$(sed -n 's/^Set-Cookie: \(liaison=[^;]*\);.*/\1/ip' "$1/signedin.h" | tr -d '\r' | tail -n 1)
	[ "$st" = 303 ] && [ -n "$cookie" ] || fail "the sign-in failed (HTTP $st)" "$1/signedin.h" \
		"$1/signedin.html" "$1/web.err"
}
