# The response clock: respond_within business days of the first incoming message, on the
# Connecticut calendar (Thanksgiving and Christmas 2025), in the configured zone; an
# auto-reply is no answer, a closed thread without one is not late, machines start no clock.
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
write_config c.conf "$TMPDIR/c.db"
export LIAISON_CONFIG=$TMPDIR/c.conf
$LIAISON init >/dev/null
mkdir in sent
$PY - <<'PY'
import email.utils, time, datetime
def mail(path, frm, to, subject, date, mid, reply_to=None, extra=()):
    h = [f"From: {frm}", f"To: {to}", f"Subject: {subject}", f"Date: {date}",
         f"Message-ID: <{mid}>", "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
    if reply_to:
        h += [f"In-Reply-To: <{reply_to}>", f"References: <{reply_to}>"]
    h += list(extra)
    open(path, "w").write("\r\n".join(h) + "\r\n\r\nText.\r\n")
K = "TroopKCTL@ct.gov"
cases = [
    # name, incoming date, answer date or None, answer headers
    ("a", "Wed, 26 Nov 2025 10:00:00 -0500", "Mon, 01 Dec 2025 23:30:00 -0500", ()),
    ("b", "Wed, 26 Nov 2025 11:00:00 -0500", "Tue, 02 Dec 2025 09:00:00 -0500", ()),
    ("c", "Wed, 26 Nov 2025 12:00:00 -0500", "Wed, 26 Nov 2025 12:01:00 -0500",
     ("Auto-Submitted: auto-replied",)),
    ("d", "Wed, 26 Nov 2025 13:00:00 -0500", None, ()),
    ("e", "Wed, 24 Dec 2025 09:00:00 -0500", "Mon, 29 Dec 2025 17:00:00 -0500", ()),
    ("f", "Fri, 28 Nov 2025 09:00:00 -0500", None, ()),
]
for name, d_in, d_out, extra in cases:
    who = f"{name}@example.org"
    mail(f"in/{name}.eml", who, K, f"Question {name}", d_in, f"{name}-in@example.org")
    if d_out:
        folder = "in" if extra else "sent"
        mail(f"{folder}/{name}-out.eml", K, who, f"Re: Question {name}", d_out,
             f"{name}-out@ct.gov", reply_to=f"{name}-in@example.org", extra=extra)
# A machine: no clock.
mail("in/g.eml", "h@example.org", K, "Automatic reply: away", "Wed, 26 Nov 2025 10:00:00 -0500",
     "g-in@example.org", extra=("Auto-Submitted: auto-replied",))
PY
$LIAISON import --mailbox K in >/dev/null
$LIAISON import --mailbox K --folder Sent sent >/dev/null
$LIAISON threads --all --json >all.json
ref() { json "[t['ref'] for t in d if t['correspondent'] == '$1@example.org'][0]" all.json; }
due() { json "[t['response_due'] for t in d if t['correspondent'] == '$1@example.org'][0]" all.json; }
expect_eq "due across Thanksgiving (Thu 27 off, Fri 28 a business day)" 2025-12-01 "$(due a)"
expect_eq "due across Christmas" 2025-12-29 "$(due e)"
expect_eq "due from a Friday after Thanksgiving" 2025-12-02 "$(due f)"
expect_eq "a machine starts no clock" None "$(due h)"
expect_eq "an auto-reply is no answer" None "$(json "[t['first_response'] for t in d if t['correspondent'] == 'c@example.org'][0]" all.json)"
expect_eq "the answer late at night local time (next day UTC) is the first response" \
	2025-12-02T04:30:00Z "$(json "[t['first_response'] for t in d if t['correspondent'] == 'a@example.org'][0]" all.json)"
$LIAISON close "$(ref d)" >/dev/null
$LIAISON threads --overdue --json >late.json
expect_eq "overdue: late answer, no answer (auto-reply only), never answered" \
	"$(printf '%s\n' "$(ref b)" "$(ref c)" "$(ref f)" | sort | tr '\n' ' ')" \
	"$(json "' '.join(sorted(t['ref'] for t in d))" late.json) "
expect_eq "text listing" "3 threads" "$($LIAISON threads --overdue | tail -n 1)"
# respond_within = 3: b (answered Tue Dec 2, due Dec 2) is on time.
sed -i 's/^timezone = .*/&\nrespond_within = 3/' c.conf
expect_eq "respond_within = 3" "$(printf '%s\n' "$(ref c)" "$(ref f)" | sort | tr '\n' ' ')" \
	"$($LIAISON threads --overdue --json | $PY -c 'import json,sys; print(" ".join(sorted(t["ref"] for t in json.load(sys.stdin))))') "
sed -i 's/^respond_within = 3/respond_within = two/' c.conf
expect_code "a bad respond_within" 2 $LIAISON threads --overdue
sed -i 's/^respond_within = two/respond_within = 2/' c.conf

echo "== digest"
$LIAISON flag "$(ref e)" urgent >/dev/null
$LIAISON flag "$(ref e)" confidential >/dev/null
$LIAISON flag "$(ref a)" reportable >/dev/null
$LIAISON --as reyes digest --troop K >digest.txt
cat digest.txt
expect_eq "sections" "0 5 1 2 1" "$(grep -E '^(New today|Unassigned|Urgent|Overdue, not answered|Reportable, waiting for an RMS number): ' digest.txt | sed 's/.*: //' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "a confidential thread shows only its reference" 0 "$(grep -c 'Question e' digest.txt || true)"
expect_eq "... as confidential" 2 "$(grep -c "$(ref e).*confidential" digest.txt)"
expect_eq "no message text" 0 "$(grep -c 'Text\.' digest.txt || true)"
set +e; $LIAISON --as bell digest --troop K 2>err.txt; rc=$?; set -e
expect_eq "another troop's liaison is refused" "1 refused" "$rc $(grep -o refused err.txt)"
expect_code "records may not send it" 1 $LIAISON --as records digest --troop K --send
sed -i 's/^\[user reyes\]/&\nemail = reyes@ct.gov/; s/^\[user walsh\]/&\nemail = walsh@ct.gov/; s/^\[user bell\]/&\nemail = bell@ct.gov/' c.conf
expect_eq "sent to the troop's liaisons" "troop K: digest queued to 2 liaisons" "$($LIAISON --as coordinator digest --troop K --send)"
$LIAISON outbox --json >outbox.json
expect_eq "two notices" "notice notice" "$(json "' '.join(r['kind'] for r in d)" outbox.json)"
expect_eq "to the liaisons of K" "reyes@ct.gov walsh@ct.gov" "$(json "' '.join(sorted(r['recipient'] for r in d))" outbox.json)"
expect_eq "audited" "digest-send K" "$($LIAISON audit --json | $PY -c 'import json,sys; a=[e for e in json.load(sys.stdin) if e["action"]=="digest-send"][-1]; print(a["action"], a["object"])')"

echo "== digest --send: once per troop and day in the configured zone, unless --again"
# At fixed instants (after every entry written above), New York time: 2040-03-13 08:00 EDT.
send_at() {
	when=$1
	shift
	at "$when" $LIAISON --as coordinator digest --troop K --send "$@"
}
notices() { $LIAISON outbox --json | $PY -c 'import json,sys; print(sum(1 for r in json.load(sys.stdin) if r["kind"] == "notice"))'; }
before=$(notices)
expect_eq "the first of the day is queued" "troop K: digest queued to 2 liaisons" "$(send_at '2040-03-13 12:00:00')"
expect_eq "the second is not" "troop K: digest already queued today at 2040-03-13 08:00; none queued (--again queues another)" "$(send_at '2040-03-13 12:05:00')"
expect_eq "... and queues nothing" $((before + 2)) "$(notices)"
expect_eq "--again queues another" "troop K: digest queued to 2 liaisons" "$(send_at '2040-03-13 12:10:00' --again)"
expect_eq "03:30 UTC on the 14th is still the 13th in New York" "troop K: digest already queued today at 2040-03-13 08:10; none queued (--again queues another)" "$(send_at '2040-03-14 03:30:00')"
expect_eq "00:30 on the 14th in New York: the next day's is queued" "troop K: digest queued to 2 liaisons" "$(send_at '2040-03-14 04:30:00')"
expect_eq "three digests, two liaisons each" $((before + 6)) "$(notices)"
expect_code "--again only with --send" 2 $LIAISON --as coordinator digest --troop K --again

