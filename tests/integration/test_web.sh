# The web console over HTTP (curl; the browser tests drive it further): sign-in with its
# form token, a wrong password and an unknown user answered alike, the session cookie's
# attributes, the security headers on every response, the inbox of a liaison's own troop
# only (another troop's thread by URL is 404), a confidential thread masked, a note and a
# reply (previewed, then confirmed) through POST with the form token, a cross-site POST and a
# POST without the token refused, a hostile subject shown inert, the style sheet served from
# the program, sign-out ending the session.
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/lib_web.sh" # start_web
cd "$TMPDIR"
F=$TOP/tests/fixtures/workflow
write_config w.conf "$TMPDIR/w.db"
export LIAISON_CONFIG=$TMPDIR/w.conf
$LIAISON init >/dev/null
$PY "$TOP/tests/fixtures/autoreply/make-cases.py" cases
mkdir k l
cp "$F/ann.eml" "$F/bob.eml" "$F/jose.eml" cases/22-spanish.eml k/
cp "$F/carol.eml" l/
# a subject and body written to break a page: markup, script, an event handler
cat >k/hostile.eml <<'EML'
From: "<img src=x onerror=alert(1)>" <mallory@example.org>
To: TroopKCTL@ct.gov
Subject: <script>alert("subject")</script> help
Date: Mon, 03 Mar 2025 10:00:00 -0500
Message-ID: <hostile-1@example.org>

</pre><script>alert("body")</script><b>bold?</b>
EML
$LIAISON import --mailbox K k >/dev/null
$LIAISON import --mailbox L l >/dev/null
$LIAISON --as admin threads --all --json >all.json
ref_of() { json "[t['ref'] for t in d if t['correspondent'].split('@')[0] == '$1'][0]" all.json; }
ANN=$(ref_of ann) CAROL=$(ref_of carol) DV=$(ref_of spanish) HOSTILE=$(ref_of mallory)
JOSE=$(ref_of jose)
echo "threads: ann $ANN carol $CAROL dv $DV hostile $HOSTILE"
printf 'correct horse battery\n' | $LIAISON --as admin passwd reyes >/dev/null
printf 'walsh battery staple\n' | $LIAISON --as admin passwd walsh >/dev/null

trap 'kill $WEB_PID 2>/dev/null; wait $WEB_PID 2>/dev/null || true' EXIT
start_web web

# req NAME ARGS...: curl with the cookie jar; headers in NAME.h, body in NAME.b; prints the
# status.
req() {
	name=$1
	shift
	curl -s -o "$name.b" -D "$name.h" -b jar -c jar -w '%{http_code}' "$@"
}
header() { grep -i "^$2:" "$1.h" | head -1 | cut -d' ' -f2- | tr -d '\r'; }
body_has() { grep -q -- "$2" "$1.b" || { head -c 2000 "$1.b"; fail "$1: no '$2' in the page"; }; echo "ok: $1 shows '$2'"; }
body_lacks() { ! grep -q -- "$2" "$1.b" || fail "$1: '$2' in the page"; echo "ok: $1 has no '$2'"; }

expect_eq "no session: sent to sign in" 303 "$(req root "$BASE/")"
expect_eq "to the sign-in page, back after" "/signin?next=%2F" "$(header root Location)"
expect_eq "sign-in page" 200 "$(req signin "$BASE/signin")"
expect_eq "CSP" "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'" "$(header signin Content-Security-Policy)"
expect_eq "nosniff" nosniff "$(header signin X-Content-Type-Options)"
expect_eq "no referrer" no-referrer "$(header signin Referrer-Policy)"
expect_eq "no caching" no-store "$(header signin Cache-Control)"
TOKEN=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' signin.b)
[ -n "$TOKEN" ] || fail "the sign-in form has no token"

# a wrong password and an unknown user: the same refusal
expect_eq "wrong password" 403 "$(req bad1 --data-urlencode "csrf=$TOKEN" -d user=reyes -d password=wrong "$BASE/signin")"
TOKEN=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' bad1.b)
expect_eq "unknown user" 403 "$(req bad2 --data-urlencode "csrf=$TOKEN" -d user=nobody -d password=wrong "$BASE/signin")"
M1=$(sed -n 's/.*role="alert">\([^<]*\)<.*/\1/p' bad1.b) M2=$(sed -n 's/.*role="alert">\([^<]*\)<.*/\1/p' bad2.b)
expect_eq "the same words for both" "$M1" "$M2"
TOKEN=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' bad2.b)
expect_eq "no form token: refused" 403 "$(req notoken -d user=reyes -d 'password=correct horse battery' "$BASE/signin")"
expect_eq "signed in" 303 "$(req in --data-urlencode "csrf=$TOKEN" -d user=reyes --data-urlencode 'password=correct horse battery' "$BASE/signin")"
COOKIE=$(header in Set-Cookie)
case $COOKIE in liaison=*"HttpOnly; SameSite=Strict; Path=/"*) echo "ok: session cookie $COOKIE" | cut -c1-30 ;; *) fail "cookie: $COOKIE" ;; esac

expect_eq "inbox" 200 "$(req inbox "$BASE/?view=all")"
body_has inbox "$ANN"
grep -q "class=\"[a-z]* new\" data-ref=\"$ANN\"" inbox.b || fail "an unopened thread is not new"
body_lacks inbox "$CAROL"
body_has inbox "confidential"
expect_eq "another troop's thread" 404 "$(req carol "$BASE/t/$CAROL")"
expect_eq "own thread" 200 "$(req ann "$BASE/t/$ANN")"
req inbox2 "$BASE/?view=all" >/dev/null
! grep -q "class=\"[a-z]* new\" data-ref=\"$ANN\"" inbox2.b || fail "an opened thread is still new"
echo "ok: a thread is new until opened"
CSRF=$(sed -n 's/.*data-csrf="\([^"]*\)".*/\1/p' ann.b | head -1)
[ -n "$CSRF" ] || fail "the page carries no form token"

# the hostile message: shown as text, nothing of it live
expect_eq "hostile thread" 200 "$(req hostile "$BASE/t/$HOSTILE")"
body_lacks hostile '<script>alert'
body_lacks hostile '<img src=x'
body_has hostile '&lt;script&gt;alert(&quot;body&quot;)'

# a note, then a cross-site post and one without the token
expect_eq "note" 303 "$(req note --data-urlencode "csrf=$CSRF" -d 'text=Called back, left a message' "$BASE/t/$ANN/note")"
req annagain "$BASE/t/$ANN" >/dev/null
body_has annagain "Called back, left a message"
expect_eq "cross-site post" 403 "$(req evil -H 'Origin: http://evil.example' --data-urlencode "csrf=$CSRF" -d 'text=forged' "$BASE/t/$ANN/note")"
expect_eq "post without token" 403 "$(req notok -d 'text=forged' "$BASE/t/$ANN/note")"
$LIAISON --as admin history "$ANN" >history.txt
grep -q "Called back" history.txt || fail "the note is not in the history"
! grep -q forged history.txt || fail "a refused post changed the thread"
echo "ok: the note is recorded, the forged ones are not"

# a reply: first the preview, then sent when confirmed
expect_eq "reply preview" 200 "$(req preview --data-urlencode "csrf=$CSRF" -d 'body=We can meet on Thursday.' "$BASE/t/$ANN/reply")"
body_has preview "Send the reply"
$LIAISON --as admin outbox --json >ob0.json
expect_eq "nothing queued by a preview" 0 "$(json "len([r for r in d if r.get('author') == 'reyes'])" ob0.json)"
expect_eq "reply confirmed" 303 "$(req sent --data-urlencode "csrf=$CSRF" -d 'body=We can meet on Thursday.' -d confirm=1 "$BASE/t/$ANN/reply")"
$LIAISON --as admin outbox --json >ob1.json
expect_eq "one reply queued by reyes" 1 "$(json "len([r for r in d if r.get('author') == 'reyes'])" ob1.json)"
# a saved reply fills the composer (a GET: nothing sent)
expect_eq "saved reply" 200 "$(req saved "$BASE/t/$ANN?saved=acknowledge.en")"
body_has saved "Thank you for writing to us"
body_lacks saved "{{first_name}}"

# the policy in the composer: a question about status is shown with the phrase, and sent only
# once the liaison ticks that it is not one
Q='Thank you. Are you documented? We can meet on Friday.'
expect_eq "policy preview" 200 "$(req pol --data-urlencode "csrf=$CSRF" --data-urlencode "body=$Q" "$BASE/t/$ANN/reply")"
body_has pol "Check this reply first"
body_has pol "Are you documented"
expect_eq "unticked: shown again" 200 "$(req pol2 --data-urlencode "csrf=$CSRF" --data-urlencode "body=$Q" -d confirm=1 "$BASE/t/$ANN/reply")"
body_has pol2 "Check this reply first"
$LIAISON --as admin outbox --json >ob2.json
expect_eq "nothing queued without the tick" 1 "$(json "len([r for r in d if r.get('author') == 'reyes'])" ob2.json)"
expect_eq "ticked: sent" 303 "$(req pol3 --data-urlencode "csrf=$CSRF" --data-urlencode "body=$Q" -d confirm=1 -d confirm_policy=1 "$BASE/t/$ANN/reply")"
$LIAISON --as admin outbox --json >ob3.json
expect_eq "queued once ticked" 2 "$(json "len([r for r in d if r.get('author') == 'reyes'])" ob3.json)"

# a message that arrives while the reply is written stops it, and the draft is kept
req jose "$BASE/t/$JOSE" >/dev/null
SEEN=$(sed -n 's/.*name="seen" value="\([0-9]*\)".*/\1/p' jose.b | head -1)
SEEN_OUTBOX=$(sed -n 's/.*name="seen_outbox" value="\([0-9]*\)".*/\1/p' jose.b | head -1)
[ -n "$SEEN" ] && [ "$SEEN" -gt 0 ] || fail "the composer does not carry the newest message it showed"
mkdir more && cp "$F/jose-2.eml" more/ && $LIAISON import --mailbox K more >/dev/null
expect_eq "reply over news" 409 "$(req news --data-urlencode "csrf=$CSRF" -d 'body=Thanks, noted.' -d confirm=1 -d "seen=$SEEN" -d "seen_outbox=$SEEN_OUTBOX" "$BASE/t/$JOSE/reply")"
body_has news "was not sent"
body_has news "Thanks, noted."
$LIAISON --as admin outbox --json >ob4.json
expect_eq "nothing queued over news" 0 "$(json "len([r for r in d if r.get('thread') == '$JOSE'])" ob4.json)"

# assigning to a colleague and asking for an event, from the thread's forms
expect_eq "assign" 303 "$(req assign --data-urlencode "csrf=$CSRF" -d assignee=walsh "$BASE/t/$ANN/assign")"
expect_eq "assigned to walsh" walsh "$(json "[t['assignee'] for t in d if t['ref'] == '$ANN'][0]" "$($LIAISON --as admin threads --all --json >t.json; echo t.json)")"
expect_eq "event request" 303 "$(req event --data-urlencode "csrf=$CSRF" -d "date=$(date -u -d '+30 days' +%Y-%m-%d)" -d 'place=Putnam library' -d kind=school "$BASE/t/$ANN/event")"
$LIAISON --as admin events --json >ev.json
expect_eq "one event requested from the thread" "$ANN" "$(json "d[0].get('thread') or d[0].get('ref')" ev.json)"

expect_eq "my outbox" 200 "$(req outbox "$BASE/outbox")"
body_has outbox "queued"
ROW=$(sed -n 's/.*href="\/outbox\/\([0-9]*\)".*/\1/p' outbox.b | head -1)
expect_eq "outbox message" 200 "$(req obrow "$BASE/outbox/$ROW")"
body_has obrow "Message-ID: &lt;"
body_has obrow "We can meet on Thursday."

# a colleague with the thread open shows in the list
curl -s -c jar2 -b jar2 "$BASE/signin" -o w.b
WT=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' w.b)
curl -s -o /dev/null -c jar2 -b jar2 --data-urlencode "csrf=$WT" -d user=walsh \
	--data-urlencode 'password=walsh battery staple' "$BASE/signin"
expect_eq "walsh opens the thread" 200 "$(curl -s -o w2.b -b jar2 -w '%{http_code}' "$BASE/t/$JOSE")"
req list3 "$BASE/?view=all" >/dev/null
body_has list3 "walsh has it open"

expect_eq "style sheet" 200 "$(req css "$BASE/static/app.css")"
expect_eq "style sheet type" "text/css; charset=utf-8" "$(header css Content-Type)"
expect_eq "live" 200 "$(req live "$BASE/live")"
grep -q '"unassigned":' live.b || fail "live: $(cat live.b)"
# the views' counts are what the command line lists for the same person
count() { $LIAISON --as reyes threads "$@" --json >c.json; json 'len(d)' c.json; }
expect_eq "all open" "$(count --person)" "$(json "d['counts']['all']" live.b)"
expect_eq "unassigned" "$(count --person --unassigned)" "$(json "d['counts']['unassigned']" live.b)"
expect_eq "mine" "$(count --person --mine)" "$(json "d['counts']['mine']" live.b)"
expect_eq "urgent" "$(count --person --urgent)" "$(json "d['counts']['urgent']" live.b)"
expect_eq "closed" "$(count --status closed)" "$(json "d['counts']['closed']" live.b)"
expect_eq "overdue" "$(count --person --overdue)" "$(json "d['counts']['overdue']" live.b)"

expect_eq "sign out" 303 "$(req out --data-urlencode "csrf=$CSRF" "$BASE/signout")"
expect_eq "the session is over" 303 "$(req after "$BASE/")"
kill $WEB_PID
wait $WEB_PID 2>/dev/null || true

# HTTPS, and single sign-on from a proxy on loopback that sends the shared secret
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 2 \
	-subj /CN=127.0.0.1 2>/dev/null
chmod 600 key.pem
printf 's3cret-of-the-proxy\n' >proxy.secret
chmod 600 proxy.secret
cp w.conf tls.conf
printf '[web]\ntls_cert = %s/cert.pem\ntls_key = %s/key.pem\ntrusted_header = X-Remote-User\ntrusted_secret_file = %s/proxy.secret\n' \
	"$TMPDIR" "$TMPDIR" "$TMPDIR" >>tls.conf
start_web web2 -c tls.conf
case $BASE in https://*) ;; *) fail "not served over HTTPS: $BASE" ;; esac
rm -f jar
expect_eq "HTTPS sign-in page" 200 "$(req tls1 -k "$BASE/signin")"
expect_eq "HSTS" "max-age=31536000" "$(header tls1 Strict-Transport-Security)"
case $(header tls1 Set-Cookie) in *"; Secure"*) echo "ok: form cookie Secure" ;; *) fail "form cookie not Secure" ;; esac
expect_eq "header without the secret: ignored" 303 "$(req sso0 -k -H 'X-Remote-User: walsh' "$BASE/")"
expect_eq "header with a wrong secret: ignored" 303 "$(req sso1 -k -H 'X-Remote-User: walsh' -H 'X-Liaison-Proxy-Secret: guess' "$BASE/")"
grep -q "X-Remote-User from 127.0.0.1 ignored" web2.err || fail "the ignored header was not logged"
expect_eq "single sign-on" 200 "$(req sso2 -k -H 'X-Remote-User: walsh' -H 'X-Liaison-Proxy-Secret: s3cret-of-the-proxy' "$BASE/")"
case $(header sso2 Set-Cookie) in __Host-liaison=*"; Secure"*) echo "ok: __Host- session cookie, Secure" ;; *) fail "session cookie: $(header sso2 Set-Cookie)" ;; esac
body_has sso2 'class="who">walsh<'
expect_eq "the session carries on without the header" 200 "$(req sso3 -k "$BASE/?view=mine")"
$LIAISON --as admin audit >audit.txt
grep -q "walsh *signin-trusted" audit.txt || fail "single sign-on not audited"
echo "ok: single sign-on audited"
echo "test_web: ok"
