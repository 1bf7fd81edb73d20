# The liaisons' vocabulary: a thread's category comes from the routing rules and the
# configured list (a typo or markup is refused with the list), a referral names a [service]
# (an unknown one is refused with the list), and an RMS number has the configured form
# (rms_pattern; a bad pattern stops the program at load, naming FILE:LINE).
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
write_config v.conf "$TMPDIR/v.db"
cat >>v.conf <<'CONF'

[service 211]
name = 2-1-1 Connecticut

[service victim-advocate]
name = Office of the Victim Advocate
CONF
sed -i 's/^timezone = .*/&\ncategories = traffic, noise-complaint\nrms_pattern = CSP-[0-9]{4}-[0-9]{6}/' v.conf
export LIAISON_CONFIG=$TMPDIR/v.conf
$LIAISON init >/dev/null
$PY "$TOP/tests/fixtures/autoreply/make-cases.py" cases
mkdir k
cp cases/00-person.eml k/
$LIAISON import --mailbox K k >/dev/null
ref=$($LIAISON threads --json | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["ref"])')

# try CODE COMMAND...: exit code and stderr of one command, as reyes.
try() {
	want=$1
	shift
	set +e
	$LIAISON --as reyes "$@" >out.txt 2>err.txt
	rc=$?
	set -e
	[ "$rc" -eq "$want" ] || { cat out.txt err.txt; fail "$*: exit $rc, expected $want"; }
	echo "ok: $* -> $rc $(head -c 200 err.txt out.txt | tr '\n' ' ')"
}

echo "== categories"
try 2 category "$ref" servces
grep -q "'servces' is not a category; categories: traffic, noise-complaint, " err.txt || fail "the valid list is not given"
grep -q "services" err.txt || fail "the routing rules' categories are not listed"
try 2 category "$ref" '<img src=x onerror=alert(1)>'
try 2 category "$ref" ''
try 2 category "$ref" Services            # the words are exact
expect_eq "no refused category reached the thread" "" "$(sqlite3 v.db "SELECT coalesce(category, '') FROM threads WHERE ref = '$ref'")"
try 0 category "$ref" services            # from the routing rules
expect_eq "says what it did" "$ref: category set to services" "$(cat out.txt)"
try 0 category "$ref" noise-complaint     # from the configured list
expect_eq "category recorded" noise-complaint "$(sqlite3 v.db "SELECT category FROM threads WHERE ref = '$ref'")"

echo "== services"
try 2 refer "$ref" 2-1-1
grep -q "'2-1-1' is not a \[service\] of .*; services: 211, victim-advocate" err.txt || fail "the services are not listed"
try 0 refer "$ref" 211
expect_eq "says what it did" "$ref: referred to 211" "$(cat out.txt)"

echo "== RMS numbers"
$LIAISON --as coordinator flag "$ref" reportable >/dev/null
try 2 close "$ref" --rms 4411
grep -q "'4411' is not an RMS number of the expected form CSP-\[0-9\]{4}-\[0-9\]{6}" err.txt || fail "the expected form is not shown"
try 2 close "$ref" --rms "CSP-2026-004411
x"
try 2 close "$ref" --rms csp-2026-004411    # as written: the prefix is upper-case
try 2 close "$ref" --rms ''
expect_eq "still open" new "$(sqlite3 v.db "SELECT status FROM threads WHERE ref = '$ref'")"
try 0 close "$ref" --rms CSP-2026-004411
expect_eq "says what it did" "$ref: closed with RMS number CSP-2026-004411" "$(cat out.txt)"
expect_eq "RMS number recorded" CSP-2026-004411 "$(sqlite3 v.db "SELECT rms_number FROM threads WHERE ref = '$ref'")"

echo "== without rms_pattern: any printable number of at most 32 characters"
sed -i '/^rms_pattern/d' v.conf
$LIAISON --as reyes status "$ref" open >/dev/null
try 2 close "$ref" --rms "$(printf 'RMS\033[31m-1')"
try 2 close "$ref" --rms 123456789012345678901234567890123
try 0 close "$ref" --rms 2026/4411

echo "== bad vocabulary in the configuration: FILE:LINE, exit 2"
cp v.conf bad.conf
sed -i 's/^categories = .*/categories = traffic, <b>bold<\/b>/' bad.conf
sed -i 's/^timezone = .*/&\nrms_pattern = CSP-([0-9]+/' bad.conf
cat_line=$(grep -n '^categories' bad.conf | cut -d: -f1)
rms_line=$(grep -n '^rms_pattern' bad.conf | cut -d: -f1)
set +e
$LIAISON -c bad.conf threads 2>bad.err
rc=$?
set -e
cat bad.err
expect_eq "a bad vocabulary stops the program" 2 "$rc"
grep -q "^bad.conf:$cat_line: categories: '<b>bold</b>' is not a category" bad.err || fail "the bad category's line is not named"
grep -q "^bad.conf:$rms_line: rms_pattern: 'CSP-(\[0-9\]+': the pattern does not compile at offset" bad.err || fail "the bad pattern's line is not named"
