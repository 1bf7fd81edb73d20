# Strict, safe defaults: what liaison writes is its owner's alone whatever the umask; verify
# warns of a database others can read; a misspelt time zone is a configuration error (it
# would silently mean UTC); a ctl user of a troop no mailbox has is one too; day boundaries
# are the configured zone's, not the machine's.
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
write_config s.conf "$TMPDIR/s.db"
export LIAISON_CONFIG=$TMPDIR/s.conf
mode() { stat -c %a "$1"; }

# Whatever the umask: 0600 files.
umask 000
$LIAISON init >/dev/null
$LIAISON import --mailbox K "$TOP/tests/fixtures/sample/troop-k.mbox" >/dev/null
expect_eq "the database is its owner's alone" 600 "$(mode s.db)"
cp s.db tokyo.db   # for the time zone's day boundaries, below: no note written yet
# The -wal and -shm files exist while a connection is open: liaison writes while a reader
# holds the database, and their modes are read before the reader lets go.
modes=$($PY - "$LIAISON" <<'PY'
import os, sqlite3, subprocess, sys
reader = sqlite3.connect("s.db")
reader.execute("SELECT count(*) FROM messages").fetchall()
ref = subprocess.run([sys.argv[1], "--as", "admin", "threads", "--json"], capture_output=True, check=True)
import json
first = json.loads(ref.stdout)[0]["ref"]
subprocess.run([sys.argv[1], "--as", "admin", "note", first, "--text", "modes"], check=True, capture_output=True)
print(" ".join("%o" % (os.stat("s.db" + s).st_mode & 0o777) for s in ("-wal", "-shm")))
PY
)
expect_eq "the -wal and -shm files are its owner's alone" "600 600" "$modes"
umask 022
expect_code "verify passes" 0 $LIAISON --as admin verify
$LIAISON --as admin verify >v.out
grep -q WARNING v.out && { cat v.out; fail "a warning for a private database"; }
chmod 644 s.db
$LIAISON --as admin verify >v2.out || true
grep -q "^WARNING: $TMPDIR/s.db can be read by group or others (mode 0644)" v2.out || { cat v2.out; fail "no warning for a database others can read"; }
chmod 600 s.db

# A misspelt zone: FILE:LINE, exit 2, for every command.
sed 's|^timezone = America/New_York$|timezone = America/New_Yrok|' s.conf >tz.conf
line=$(grep -n '^timezone = ' tz.conf | cut -d: -f1)
set +e
$LIAISON -c tz.conf --as admin threads 2>tz.err; rc=$?
set -e
expect_eq "an unknown zone is a configuration error" 2 "$rc"
grep -q "^tz.conf:$line: timezone: 'America/New_Yrok' is not a zone" tz.err || { cat tz.err; fail "the zone error does not name its line"; }
for zone in UTC Europe/Paris Asia/Tokyo America/Chicago; do
	sed "s|^timezone = America/New_York\$|timezone = $zone|" s.conf >z.conf
	expect_code "the real zone $zone" 0 $LIAISON -c z.conf --as admin threads
done
for zone in Mars/Olympus America/new_york ../../etc/passwd "Asia/Tokyo "x; do
	sed "s|^timezone = America/New_York\$|timezone = $zone|" s.conf >z.conf
	expect_code "not a zone: $zone" 2 $LIAISON -c z.conf --as admin threads
done

# A liaison of a troop that has no mailbox.
cp s.conf g.conf
printf '\n[user ghost]\nrole = ctl\ntroops = KQ\n' >>g.conf
line=$(grep -n '^\[user ghost\]' g.conf | cut -d: -f1)
set +e
$LIAISON -c g.conf --as admin threads 2>g.err; rc=$?
set -e
expect_eq "a ctl user of an unknown troop" 2 "$rc"
grep -q "^g.conf:$line: \[user ghost\] works troop Q, which no \[mailbox\] has (troops: K, L)" g.err || { cat g.err; fail "not said"; }

# Day boundaries in the configured zone (Asia/Tokyo, UTC+9), not the machine's (UTC): at
# 2026-06-10 20:00 UTC it is already the 11th in Tokyo, so an entry written then is "since
# the 11th" there, and would not be by UTC midnights.
sed 's|^timezone = America/New_York$|timezone = Asia/Tokyo|' s.conf >tokyo.conf
sed -i "s|^database = .*|database = $TMPDIR/tokyo.db|" tokyo.conf
ref=$($LIAISON -c tokyo.conf --as admin threads --json | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["ref"])')
at '2026-06-10 20:00:00' $LIAISON -c tokyo.conf --as admin note "$ref" --text "written on the 11th in Tokyo" >/dev/null
count() { TZ=UTC $LIAISON -c tokyo.conf --as admin audit --since "$1" --json | $PY -c 'import json,sys; print(sum(1 for a in json.load(sys.stdin) if a["action"] == "note"))'; }
expect_eq "audit --since the 11th (Tokyo) holds the note" 1 "$(count 2026-06-11)"
expect_eq "audit --since the 12th (Tokyo) does not" 0 "$(count 2026-06-12)"
hits() { TZ=UTC $LIAISON -c tokyo.conf --as admin search "$@" --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
# The same for search: a message dated 2026-06-10 20:00 UTC is of the 11th in Tokyo.
cat >late.eml <<'EOF'
From: Late Writer <late@example.org>
To: TroopKCTL@ct.gov
Subject: written late in the evening
Date: Wed, 10 Jun 2026 20:00:00 +0000
Message-ID: <late-evening@example.org>

A message written on the evening of the 10th, in UTC.
EOF
$LIAISON -c tokyo.conf import --mailbox K late.eml >/dev/null
expect_eq "search --since the 11th (Tokyo) finds it" 1 "$(hits --from late@example.org --since 2026-06-11)"
expect_eq "search --until the 10th (Tokyo) does not" 0 "$(hits --from late@example.org --until 2026-06-10)"
expect_eq "search --until the 11th (Tokyo) does" 1 "$(hits --from late@example.org --until 2026-06-11)"
