# The refresh-token flow: `liaison oauth2 login` runs the device flow (RFC 8628) against the
# test provider, whose pages a headless chromium completes as a person would; the refresh
# token is sealed (libsodium secretbox) and rotated at each use; poll and the sender live on
# it.  A revoked refresh token is a clear error for its mailbox while the others go on; a
# wrong sealing key is refused; no token in any log, in the database, or in the sealed file.
# duration: 40 s
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/lib_oauth2.sh"
oauth2_start
# Mailbox K now signs in as a person (IMAP user demo) through [oauth2 people].
$PY - p.conf "$OIDC_TOKEN_URL" "$OIDC_DEVICE_URL" "$OIDC_DEVICE_CLIENT" "$TMPDIR" <<'PY'
import sys
path, token, device, client, tmp = sys.argv[1:]
text = open(path).read()
text = text.replace("[smtp]", """[oauth2 people]
flow = device
token_url = %s
device_authorization_url = %s
client_id = %s
scope = openid offline_access imap smtp
refresh_token_file = %s/state/people.token
key_file = %s/state/oauth2.key

[smtp]""" % (token, device, client, tmp, tmp), 1)
k = text.index("[mailbox K]")
text = text[:k] + text[k:].replace("username = troopk\noauth2 = secret", "username = demo\noauth2 = people", 1)
open(path, "w").write(text)
PY
mkdir -m 700 state

echo "== before the sign-in, check says what to run"
$LIAISON check >before.out 2>&1 || true
grep -q "oauth2 people.*no refresh token yet.*liaison oauth2 login people" before.out ||
	{ cat before.out; fail "check does not say to run oauth2 login"; }
echo "ok: $(grep -m1 'oauth2 people' before.out | cut -c1-160)"
expect_code "oauth2 login of a client-credentials section is refused" 2 \
	$LIAISON oauth2 login secret

echo "== oauth2 login: the device flow, completed in a browser"
$LIAISON oauth2 login people >login.out 2>login.err &
login=$!
trap 'kill "$login" 2>/dev/null || true; sh "$TOP/tests/servers/stop.sh" "$SRV" >/dev/null 2>&1' EXIT
wait_until "login prints where to sign in" 15 'grep -q "or open http" login.out'
url=$(sed -n 's/^  (or open \(.*\))$/\1/p' login.out)
code=$(sed -n 's/^  enter  //p' login.out)
[ -n "$code" ] || { cat login.out; fail "no user code printed"; }
case $url in *"$code"*) echo "ok: the complete URL carries the code $code" ;; *) fail "URL $url without the code" ;; esac
node "$TOP/tests/servers/oidc/device_approve.mjs" "$url" demo >approve.out 2>&1 ||
	{ cat approve.out login.out login.err; fail "the browser could not complete the sign-in"; }
set +e
wait "$login"
rc=$?
set -e
expect_eq "oauth2 login exits" 0 "$rc"
grep -q "Signed in. The refresh token is sealed in $TMPDIR/state/people.token" login.out ||
	{ cat login.out; fail "login does not say where the token is"; }
expect_eq "sealed token mode" 600 "$(stat -c %a state/people.token)"
expect_eq "key file mode" 600 "$(stat -c %a state/oauth2.key)"
expect_eq "key file size" 32 "$(stat -c %s state/oauth2.key)"

echo "== poll and the sender live on the refresh token; it is rotated at each use"
letter demo eve
letter troopl finn
$LIAISON check --connect >connect.out 2>&1 || { cat connect.out; fail "check --connect"; }
grep -q "imap K.*XOAUTH2 with \[oauth2 people\] (refresh token, token valid" connect.out ||
	{ cat connect.out; fail "check --connect does not name the refresh-token flow"; }
expect_eq "refresh tokens issued: the sign-in's, and the one rotated in by check" 2 \
	"$(grep -c "^refresh_token liaison-device " "$OIDC_ISSUED" || true)"
$LIAISON poll --once 2>poll.err || { cat poll.err; fail "poll --once"; }
expect_eq "demo's message stored (as K)" 1 "$(stored_from eve)"
expect_eq "L's message stored" 1 "$(stored_from finn)"
# Each use rotated it (the provider refuses a spent one and then revokes the grant): poll
# could only log in because liaison sealed every new one.
refresh_tokens=$(grep -c "^refresh_token liaison-device " "$OIDC_ISSUED" || true)
[ "$refresh_tokens" -ge 3 ] || fail "the provider issued $refresh_tokens refresh tokens: no rotation"
echo "ok: $refresh_tokens refresh tokens issued, each used once"

echo "== a wrong sealing key is refused, not a garbage token sent"
head -c 32 /dev/urandom >other.key
chmod 600 other.key
sed "s|^key_file = .*|key_file = $TMPDIR/other.key|" p.conf >otherkey.conf
set +e
$LIAISON -c otherkey.conf poll --once 2>otherkey.err
set -e
grep -q "oauth2 people.*sealed with another key than $TMPDIR/other.key, or altered" otherkey.err ||
	{ cat otherkey.err; fail "a wrong key is not named"; }
echo "ok: $(grep -m1 'oauth2 people' otherkey.err | cut -c1-160)"

echo "== a revoked refresh token: a clear error for K, L goes on"
curl -sf -X POST "${OIDC_ADMIN}revoke?client_id=$OIDC_DEVICE_CLIENT" >revoke.out ||
	fail "revoking at the provider"
letter demo gil
letter troopl hal
set +e
$LIAISON poll --once 2>revoked.err
rc=$?
set -e
expect_eq "poll --once after the revocation exits" 1 "$rc"
grep -q "oauth2 people.*invalid_grant.*run .liaison oauth2 login people. again" revoked.err ||
	{ cat revoked.err; fail "the revocation is not explained"; }
echo "ok: $(grep -m1 'oauth2 people' revoked.err | cut -c1-200)"
expect_eq "L's message stored all the same" 1 "$(stored_from hal)"
expect_eq "K's message waits on the server" 0 "$(stored_from gil)"

echo "== no token anywhere"
no_token_anywhere login.out login.err connect.out poll.err revoked.err otherkey.err \
	state/people.token "$DB" "$DB-wal"
