# SIGKILL liaison poll at random moments, 24 times, while it fetches, stores and sends; mail
# keeps arriving between the kills.  After the last restart the store holds every message
# exactly once, the SMTP sink got each auto-reply at most once, and every due one arrived
# (a reply interrupted between the server's answer and our record of it is "uncertain" and
# must not be at the sink twice).
# duration: 21 s
. "$TOP/tests/integration/lib.sh"
have_corpus_gen || fail "corpus generator $CORPUS_GEN not found"
cd "$TMPDIR"
start_servers
write_poll_config p.conf "$TMPDIR/p.db"
export LIAISON_CONFIG=$TMPDIR/p.conf
$LIAISON init >/dev/null
$PY "$CORPUS_GEN" --count 480 --seed 31 --troops K --out corpus 2>/dev/null
ls corpus/cur | sort >all.txt
split -n l/8 all.txt part.
# A slow SMTP server widens the window between sending and recording.
for i in $(seq 1 40); do echo "delay=0.05 250 ok"; done >"$SMTP_CONTROL"
rounds=0
for part in part.*; do
	deliver INBOX $(sed "s|^|corpus/cur/|" "$part")
	for k in 1 2 3; do
		rounds=$((rounds + 1))
		$LIAISON poll >>poll.log 2>&1 &
		pid=$!
		# A random moment within the first 0.6 s of this run.
		$PY -c 'import random, time; time.sleep(random.random() * 0.6)'
		kill -9 $pid 2>/dev/null || true
		wait $pid 2>/dev/null || true
		expect_eq "round $rounds integrity" ok "$(sqlite3 p.db 'PRAGMA integrity_check')"
	done
done
echo "killed $rounds times"
[ "$rounds" -ge 20 ] || fail "fewer than 20 kills"
# Finish: poll until nothing is left to send (bounded).
for i in 1 2 3 4 5; do
	$LIAISON poll --once 2>>poll.log || fail "final poll failed"
	[ "$(sqlite3 p.db "SELECT count(*) FROM outbox WHERE status = 'queued'")" = 0 ] && break
	sqlite3 p.db "UPDATE outbox SET next_attempt_at = 0 WHERE status = 'queued'"
done
$LIAISON messages --json >m.json
$LIAISON outbox --json >o.json
$PY - corpus/labels.jsonl m.json o.json "$SMTP_DIR" <<'PY' || fail "exactly-once violated"
import collections, glob, json, os, sys
labels = [json.loads(l) for l in open(sys.argv[1])]
msgs = json.load(open(sys.argv[2]))
outbox = json.load(open(sys.argv[3]))
inbox = [m for m in msgs if m["folder"] == "INBOX"]
ids = collections.Counter(m["message_id"] for m in inbox)
bad = 0
def check(cond, what):
    global bad
    print(("ok  " if cond else "BAD ") + what)
    bad += not cond
check(len(inbox) == len(labels), f"every message stored: {len(inbox)} of {len(labels)}")
check(max(ids.values()) == 1, "no message stored twice")
sink = collections.Counter()   # Message-IDs of the auto-replies the sink received
sink_rcpt = set()
for p in glob.glob(os.path.join(sys.argv[4], "*.json")):
    meta = json.load(open(p))
    if meta["mail_from"] != "<>":
        continue
    head = open(p[:-5] + ".eml", "rb").read().split(b"\r\n\r\n", 1)[0].decode()
    mid = [l.split(":", 1)[1].strip() for l in head.split("\r\n") if l.lower().startswith("message-id:")][0]
    sink[mid.strip("<>")] += 1
    sink_rcpt.add(meta["rcpt_tos"][0])
check(len(sink) > 0, f"auto-replies at the sink: {len(sink)}")
check(all(n == 1 for n in sink.values()), f"no auto-reply received twice: {[m for m, n in sink.items() if n > 1]}")
replies = [o for o in outbox if o["kind"].startswith("autoreply")]
kinds = collections.Counter((o["recipient"], o["kind"]) for o in replies)
check(all(n == 1 for n in kinds.values()), "one auto-reply row per correspondent and kind")
for o in replies:
    if o["status"] == "sent":
        check(sink[o["message_id"]] == 1, f"sent row {o['id']} arrived once")
    elif o["status"] != "uncertain":
        check(False, f"row {o['id']} is {o['status']}")
uncertain = {o["recipient"] for o in replies if o["status"] == "uncertain"}
due = {l["sender"] for l in labels if l["direction"] == "in" and l["autoreply_eligible"]}
check(len(due) > 0, f"the corpus has correspondents due a reply: {len(due)}")
check(sum(1 for o in replies if o["status"] == "sent") > 0, "some replies sent")
missing = due - {o["recipient"] for o in replies}
check(not missing, f"every due reply queued ({len(sink)} at the sink, {len(uncertain)} uncertain, missing {sorted(missing)[:5]})")
extra = sink_rcpt - due
check(not extra, f"no reply to anyone not due: {sorted(extra)[:5]}")
print(f"uncertain rows: {len(uncertain)}")
sys.exit(1 if bad else 0)
PY
