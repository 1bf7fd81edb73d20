# Prometheus /metrics on [web] metrics_listen: loopback only (another address is a
# configuration error with FILE:LINE), only GET /metrics there (404 otherwise), not on the
# console's listener; the text parses strictly (text format 0.0.4) and its figures equal
# liaison stats, liaison outbox --json and the poller's status file.  Then SIGHUP to liaison
# web: a user added to the configuration signs in, a removed one cannot, a session open before
# the reload lives on, and a configuration with an error is refused with its FILE:LINE while
# the one in use is kept.
# duration: 18 s
. "$TOP/tests/integration/lib.sh"
. "$TOP/tests/integration/lib_web.sh"
cd "$TMPDIR"
start_servers
write_poll_config p.conf "$TMPDIR/p.db"
DB=$TMPDIR/p.db
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null

# Mail arrives and is answered: messages stored, auto-replies sent.
$PY "$TOP/tests/fixtures/autoreply/make-cases.py" cases
$PY "$TOP/tests/servers/deliver.py" append --port "$IMAP_PORT" --user troopk \
	--password troopk-secret --folder INBOX --internaldate cases/*.eml >/dev/null
$LIAISON poll --once 2>poll.err || { cat poll.err; fail "poll --once failed"; }

# A running poller's status, as poll_status.c writes it (a live pid, a fresh file).
WEB_PID= LIVE=
trap 'kill $WEB_PID $LIVE 2>/dev/null; wait $WEB_PID 2>/dev/null; sh "$TOP/tests/servers/stop.sh" "$SRV" >/dev/null 2>&1' EXIT
sleep 600 &
LIVE=$!
$PY - "$DB.poll-status" $LIVE <<'PY'
import json, sys, time
now = int(time.time())
f = lambda name, st, rc: {"mailbox": "K", "folder": name, "state": st, "reason": None,
    "last_sync": now - 7, "state_since": now - 60, "retry_at": 0, "reconnects": rc, "waiting": 4}
json.dump({"version": 1, "pid": int(sys.argv[2]), "started": now - 600, "written": now,
           "store_failing": False, "store_reason": None,
           "folders": [f("INBOX", "idle", 3), f("Sent", "polling", 0)]}, open(sys.argv[1], "w"))
PY

# --- A metrics_listen that is not loopback is refused, with FILE:LINE. -------------------------
cp p.conf bad.conf
printf '\n[web]\nmetrics_listen = 0.0.0.0:9187\n' >>bad.conf
line=$(grep -n '^metrics_listen' bad.conf | cut -d: -f1)
set +e
$LIAISON -c bad.conf web --listen 127.0.0.1:0 >bad.out 2>bad.err
rc=$?
set -e
expect_eq "liaison web with metrics_listen = 0.0.0.0:9187" 2 "$rc"
grep -q "bad.conf:$line:.*metrics_listen" bad.err || { cat bad.err; fail "not refused with bad.conf:$line"; }
sed -i 's/^metrics_listen = .*/metrics_listen = 192.168.1.10:9187/' bad.conf
expect_code "check refuses a LAN metrics_listen" 2 $LIAISON -c bad.conf check

# --- The console with its metrics listener. ---------------------------------------------------
printf '\n[web]\nmetrics_listen = 127.0.0.1:0\n' >>p.conf
printf 'correct horse battery\n' | $LIAISON --as admin passwd reyes >/dev/null
printf 'walsh battery staple\n' | $LIAISON --as admin passwd walsh >/dev/null
start_web web -v
[ -n "$METRICS" ] || fail "no metrics address: $(cat web.out web.err)"

code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
expect_eq "the console's listener has no /metrics" 404 "$(code "$BASE/metrics")"
expect_eq "the metrics listener serves nothing else" 404 "$(code "${METRICS%/metrics}/")"
expect_eq "... nor POST /metrics" 404 "$(code -d x=1 "$METRICS")"
for _ in 1 2 3; do
	expect_eq "a console page" 200 "$(code "$BASE/signin")"
done
expect_eq "a console 404" 404 "$(code "$BASE/no-such-page")"

curl -s -D m.h -o m.txt "$METRICS" || fail "GET /metrics failed"
grep -qi '^Content-Type: text/plain; version=0.0.4' m.h || { cat m.h; fail "not the 0.0.4 text format"; }
$LIAISON stats --json >stats.json
$LIAISON outbox --json >outbox.json

# A strict reader of the text format 0.0.4, then the figures against the commands'.
$PY - m.txt stats.json outbox.json <<'PY' || fail "/metrics is wrong"
import json, math, re, sys
NAME = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
LABEL = r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"'
PAIR = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(r'^(?P<name>' + NAME + r')(?:\{(?P<labels>' + PAIR + r'(?:,' + PAIR + r')*)?\})? (?P<value>\S+)(?: (?P<ts>-?\d+))?$')
types, helps, series, samples = {}, {}, set(), {}
def value(text):
    if text in ('+Inf', '-Inf', 'NaN'):
        return float(text.replace('Inf', 'inf').replace('NaN', 'nan'))
    if not re.fullmatch(r'-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?', text):
        raise SystemExit('not a number: ' + text)
    return float(text)
text = open(sys.argv[1]).read()
assert text.endswith('\n'), 'no final newline'
for n, line in enumerate(text.split('\n')[:-1], 1):
    if line.startswith('#'):
        m = re.fullmatch(r'# (HELP|TYPE) (' + NAME + r') (.*)', line)
        assert m, f'line {n}: bad comment: {line}'
        kind, name, rest = m.groups()
        table = types if kind == 'TYPE' else helps
        assert name not in table, f'line {n}: second {kind} for {name}'
        if kind == 'TYPE':
            assert rest in ('counter', 'gauge', 'histogram', 'summary', 'untyped'), line
            assert not any(s == name or s.startswith(name + '_') for s, _ in samples), f'line {n}: TYPE after its samples'
            if rest == 'counter':
                assert name.endswith('_total'), f'{name}: a counter without _total'
        table[name] = rest
        continue
    m = SAMPLE.match(line)
    assert m, f'line {n}: not a sample: {line!r}'
    name, labels = m.group('name'), m.group('labels') or ''
    pairs = tuple(sorted(re.findall(LABEL, labels)))
    assert len({k for k, _ in pairs}) == len(pairs), f'line {n}: a label twice'
    family = name
    for suffix in ('_bucket', '_sum', '_count'):
        if name.endswith(suffix) and types.get(name[:-len(suffix)]) == 'histogram':
            family = name[:-len(suffix)]
    assert family in types, f'line {n}: {name} before its TYPE'
    assert family in helps, f'line {n}: {name} without HELP'
    key = (name, pairs)
    assert key not in series, f'line {n}: duplicate series {key}'
    series.add(key)
    samples[key] = value(m.group('value'))
# histograms: buckets cumulative, +Inf = _count, every class
hist = {}
for (name, pairs), v in samples.items():
    if name.endswith('_bucket'):
        d = dict(pairs)
        le = d.pop('le')
        hist.setdefault((name[:-7], tuple(sorted(d.items()))), []).append((float(le.replace('+Inf', 'inf')), v))
assert hist, 'no histogram'
for (fam, labels), buckets in hist.items():
    buckets.sort()
    counts = [c for _, c in buckets]
    assert counts == sorted(counts), f'{fam}{labels}: buckets not cumulative'
    assert math.isinf(buckets[-1][0]), f'{fam}{labels}: no +Inf bucket'
    assert samples[(fam + '_count', labels)] == counts[-1], f'{fam}{labels}: +Inf != _count'
def get(name, **labels):
    return samples[(name, tuple(sorted(labels.items())))]
# figures
stats = json.load(open(sys.argv[2]))
outbox = json.load(open(sys.argv[3]))
bad = 0
def same(what, want, got):
    global bad
    ok = float(want) == float(got)
    print(('ok: ' if ok else 'BAD: ') + f'{what}: want {want}, got {got}')
    bad += not ok
per_mailbox = {mb: row['messages'] for mb, row in stats['mailboxes'].items()}
assert per_mailbox, f'no per-mailbox row in liaison stats --json: {stats}'
for mb, n in per_mailbox.items():
    same(f'messages stored in {mb}', n, get('liaison_messages_stored', mailbox=mb))
for st in ('queued', 'sending', 'sent', 'failed', 'uncertain'):
    same(f'outbox {st}', sum(1 for r in outbox if r['status'] == st), get('liaison_outbox_rows', status=st))
same('auto-replies sent', sum(1 for r in outbox if r['status'] == 'sent' and r['kind'].startswith('autoreply')),
     get('liaison_autoreplies_sent_total'))
assert get('liaison_autoreplies_sent_total') > 0, 'no auto-reply was sent: the comparison proves nothing'
same('poller up', 1, get('liaison_poller_up'))
same('INBOX reconnects', 3, get('liaison_imap_reconnects_total', mailbox='K', folder='INBOX'))
same('INBOX waiting', 4, get('liaison_folder_messages_waiting', mailbox='K', folder='INBOX'))
same('INBOX idle', 1, get('liaison_folder_state', mailbox='K', folder='INBOX', state='idle'))
same('Sent polling', 1, get('liaison_folder_state', mailbox='K', folder='Sent', state='polling'))
same('Sent not idle', 0, get('liaison_folder_state', mailbox='K', folder='Sent', state='idle'))
age = get('liaison_folder_last_sync_age_seconds', mailbox='K', folder='INBOX')
assert 7 <= age <= 60, f'last sync age {age}'
assert get('liaison_database_size_bytes') > 0
same('sign-in pages counted', 3, get('liaison_http_request_duration_seconds_count', **{'class': 'signin'}))
same('404s counted (/metrics and /no-such-page on the console)', 2, get('liaison_http_responses_total', code='404'))
assert get('liaison_http_responses_total', code='200') >= 3
sys.exit(1 if bad else 0)
PY
echo "ok: /metrics parses and agrees with stats, outbox and the status file"

# web catches SIGHUP from its first step: caught while it opens its configuration (a FIFO no
# one writes, so it waits there), SIGHUP's handler is already installed — without it
# `systemctl reload` just after the start would end the process.
rm -f early.conf
mkfifo early.conf
$LIAISON -c "$TMPDIR/early.conf" web --listen 127.0.0.1:0 >early.out 2>early.err &
early=$!
wait_until "web waiting for its configuration" 10 '[ "$(cat /proc/$early/wchan 2>/dev/null)" = wait_for_partner ]'
caught=$(sed -n 's/^SigCgt:[[:space:]]*//p' /proc/$early/status)
kill -KILL $early
wait $early 2>/dev/null || true
caught=${caught#????????}
expect_eq "SIGHUP caught while web reads its configuration" 1 $(( 0x$caught & 1 ))

# --- SIGHUP: users added and removed, sessions kept, a bad file refused. -----------------------
expect_eq "walsh signs in" 303 "$(signin walsh 'walsh battery staple' walsh.jar)"
expect_eq "walsh's inbox" 200 "$(curl -s -o /dev/null -b walsh.jar -w '%{http_code}' "$BASE/")"
# the new configuration: newbie added (troop K), reyes removed
$PY - p.conf new.conf <<'PY'
import re, sys
text = open(sys.argv[1]).read()
text = re.sub(r'\[user reyes\]\nrole = ctl\ntroops = K\n', '', text)
text += '\n[user newbie]\nrole = ctl\ntroops = K\n'
open(sys.argv[2], 'w').write(text)
PY
printf 'newbie battery staple\n' | $LIAISON -c new.conf --as admin passwd newbie >/dev/null
expect_eq "newbie before the reload" 403 "$(signin newbie 'newbie battery staple' newbie.jar)"
cp new.conf p.conf
kill -HUP $WEB_PID
wait_for web.err 'configuration reloaded'
kill -0 $WEB_PID || fail "liaison web died on SIGHUP"
expect_eq "newbie after the reload" 303 "$(signin newbie 'newbie battery staple' newbie.jar)"
expect_eq "reyes, removed, cannot sign in" 403 "$(signin reyes 'correct horse battery' reyes.jar)"
expect_eq "walsh's session outlived the reload" 200 "$(curl -s -o /dev/null -b walsh.jar -w '%{http_code}' "$BASE/")"

# Requests keep being answered through reloads: 150 sign-in pages while five SIGHUPs land.
for _ in $(seq 1 150); do code "$BASE/signin"; echo; done >during.txt &
LOOP=$!
for _ in 1 2 3 4 5; do
	kill -HUP $WEB_PID
	sleep 0.2
done
wait $LOOP
expect_eq "requests answered during five reloads" "150 x 200" "$(grep -c '^200$' during.txt) x $(sort -u during.txt | tr -d '\n')"
# (signals that land before the loop takes the last one make one reload)
reloads=$(grep -c 'configuration reloaded' web.err)
[ "$reloads" -ge 2 ] && [ "$reloads" -le 6 ] || fail "$reloads reloads logged after 1 + 5 SIGHUPs"
echo "ok: $reloads reloads logged after 1 + 5 SIGHUPs"

# Limits the server took at its start: a reload keeps them, and says so for each.
cp p.conf good.conf
sed -i 's/^\[web\]$/[web]\nthreads = 3\nmax_connections = 10\nmax_body = 2M\nconnection_timeout = 60s\nconnection_memory = 128k/' p.conf
[ "$(grep -c '^\[web\]$' p.conf)" = 1 ] && grep -q '^threads = 3$' p.conf || fail "the new limits are not in p.conf's [web]"
kill -HUP $WEB_PID
wait_until "the reload with new limits" 10 '[ "$(grep -c "configuration reloaded" web.err)" -gt '"$reloads"' ]'
for key in threads max_connections max_body connection_timeout connection_memory; do
	grep -q "reload: \[web\] $key changed: takes effect when liaison web restarts" web.err ||
		{ cat web.err; fail "a changed $key is not named as needing a restart"; }
done
echo "ok: the five start-time limits named as needing a restart"
cp good.conf p.conf

# A configuration with an error: refused with FILE:LINE, the one in use kept.
printf '\n[web]\nsession_idle = forever\n' >>p.conf
bad_line=$(grep -n '^session_idle' p.conf | cut -d: -f1)
kill -HUP $WEB_PID
wait_for web.err 'reload refused'
grep -q "p.conf:$bad_line:.*session_idle" web.err || { cat web.err; fail "the bad line is not logged with p.conf:$bad_line"; }
grep -q 'reload refused' web.err || fail "refusal not logged"
expect_eq "newbie still signs in (the configuration in use kept)" 303 "$(signin newbie 'newbie battery staple' newbie2.jar)"
expect_eq "metrics still served" 200 "$(code "$METRICS")"
echo "test_metrics: ok"
