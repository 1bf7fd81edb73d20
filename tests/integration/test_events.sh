# Engagement events: request (from a thread or on its own), the coordinator's decision,
# done (CTL Event or Community Contact) or unable to fulfil (with a narrative); the private
# meeting's dispatch notice and the media consent; rights; history, audit and the CAD CSV.
. "$TOP/tests/integration/lib.sh"
cd "$TMPDIR"
write_config e.conf "$TMPDIR/e.db"
# Display names for the CAD export (walsh has none: its user name stands in).
sed -i -e 's/^\[user reyes\]$/&\ndisplay_name = Ana Reyes/' \
	-e 's/^\[user coordinator\]$/&\ndisplay_name = Sgt. Lee, Coordinator/' e.conf
export LIAISON_CONFIG=$TMPDIR/e.conf
$LIAISON init >/dev/null
$PY "$TOP/tests/fixtures/autoreply/make-cases.py" cases
mkdir k
cp cases/00-person.eml k/
$LIAISON import --mailbox K k >/dev/null
K1=$($LIAISON threads --json | $PY -c 'import json,sys; print(json.load(sys.stdin)[0]["ref"])')

expect_eq "request from a thread" "event 1 requested (the coordinator approves or denies it)" \
	"$($LIAISON --as reyes event request "$K1" --date 2026-03-14T18:00 --place "Hartford Public Library" --kind "Community forum" --media --media-consent yes)"
expect_eq "request on its own (the liaison's only troop)" "event 2 requested (the coordinator approves or denies it)" \
	"$($LIAISON --as reyes event request --thread - --date 2026-03-20 --place "Victim's home" --kind "Private meeting" --private --duration 1h --contact "cell 860-555-0101")"
$LIAISON --as walsh event request --thread - --date 2026-03-25 --place "Bloomfield High School" --kind "School visit" >/dev/null
$LIAISON --as coordinator event request --thread - --troop L --date 2026-04-02 --place "Mosque" --kind "Faith outreach" >/dev/null
expect_code "a private meeting without its dispatch notice" 2 $LIAISON --as reyes event request --thread - --date 2026-03-20 --place X --kind Y --private
expect_code "media without consent" 2 $LIAISON --as reyes event request --thread - --date 2026-03-20 --place X --kind Y --media
expect_code "a bad date" 2 $LIAISON --as reyes event request --thread - --date 2026-02-30 --place X --kind Y
expect_code "records request nothing" 1 $LIAISON --as records event request --thread - --troop K --date 2026-03-20 --place X --kind Y
expect_code "a liaison of another troop" 1 $LIAISON --as bell event request "$K1" --date 2026-03-20 --place X --kind Y
expect_code "a liaison does not approve" 1 $LIAISON --as reyes event approve 1
expect_code "records do not approve" 1 $LIAISON --as records event approve 1
expect_code "done before approval" 2 $LIAISON --as reyes event done 1
expect_code "coordinator approves" 0 $LIAISON --as coordinator event approve 1
expect_code "admin approves" 0 $LIAISON --as admin event approve 2
expect_code "deny needs a reason" 2 $LIAISON --as coordinator event deny 3
expect_code "coordinator denies" 0 $LIAISON --as coordinator event deny 3 --reason "Date conflicts with graduation"
expect_code "approve twice" 2 $LIAISON --as coordinator event approve 1
expect_code "done by the liaison" 0 $LIAISON --as reyes event done 1 --attended-by walsh --attended-by coordinator --notes "40 residents" --visited community-group
expect_code "bell may not touch K's events" 1 $LIAISON --as bell event done 2
expect_code "done with the coordinator as primary unit" 0 $LIAISON --as coordinator event done 2 --visited faith
expect_code "unable needs a narrative" 2 $LIAISON --as coordinator event unable 4
expect_code "unable" 0 $LIAISON --as coordinator event unable 4 --narrative "Denied due to staffing shortage"
expect_code "unable after done" 2 $LIAISON --as coordinator event unable 1 --narrative x

$LIAISON events --json >ev.json
expect_eq "statuses" "done done denied unable" "$(json "' '.join(e['status'] for e in d)" ev.json)"
expect_eq "sub-types" "CTL Event|Community Contact|None|CTL Unable to Fulfill" "$(json "'|'.join(str(e['subtype']) for e in d)" ev.json)"
expect_eq "dispatch notice" "1h|cell 860-555-0101|Victim's home" "$(json "'|'.join([d[1]['duration'], d[1]['contact'], d[1]['place']])" ev.json)"
expect_eq "media consent" "True yes" "$(json "str(d[0]['media']) + ' ' + d[0]['media_consent']" ev.json)"
expect_eq "attended by" "walsh,coordinator" "$(json "d[0]['attended_by']" ev.json)"
expect_eq "a liaison lists its troops' events" 3 "$($LIAISON --as reyes events --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')"
expect_eq "month filter" 3 "$($LIAISON events --month 2026-03 --json | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')"
$LIAISON events --csv >ev.csv
cat ev.csv
expect_eq "CAD CSV: troop and display names after the original columns" "call_type,sub_type,date_time,location,primary_unit,narrative,thread_ref,troop,primary_unit_name,attended_by,attended_by_names
Community Engagement Activity,CTL Event,2026-03-14T18:00,Hartford Public Library,reyes,40 residents,$K1,K,Ana Reyes,\"walsh,coordinator\",\"walsh; Sgt. Lee, Coordinator\"
Community Engagement Activity,Community Contact,2026-03-20,Victim's home,coordinator,,,K,\"Sgt. Lee, Coordinator\",,
Community Engagement Activity,CTL Unable to Fulfill,2026-04-02,Mosque,coordinator,Denied due to staffing shortage,,L,\"Sgt. Lee, Coordinator\",," "$(cat ev.csv)"
expect_eq "JSON: the display names too" "Ana Reyes|walsh; Sgt. Lee, Coordinator" "$(json "d[0]['primary_unit_name'] + '|' + d[0]['attended_by_names']" ev.json)"
expect_eq "the thread's history" "event-request event-approve event-done" \
	"$($LIAISON history "$K1" --json | $PY -c 'import json,sys; print(" ".join(h["action"] for h in json.load(sys.stdin)))')"
expect_eq "audited" "event-request event-request event-request event-request event-approve event-approve event-deny event-done event-done event-unable" \
	"$($LIAISON audit --json | $PY -c 'import json,sys; print(" ".join(a["action"] for a in json.load(sys.stdin) if a["action"].startswith("event-") and a["action"] != "events-export"))')"
expect_eq "every listing and CAD export audited" "events events events events-export" \
	"$($LIAISON audit --json | $PY -c 'import json,sys; print(" ".join(a["action"] for a in json.load(sys.stdin) if a["action"] in ("events", "events-export")))')"
expect_code "the chain holds" 0 $LIAISON audit verify

# --attended-by is credited: each attending user's monthly report counts the event under
# events_attended (its primary unit's under events); the total counts the event once.
$LIAISON --as coordinator report monthly --month 2026-03 --format json >m3.json
expect_eq "attended: walsh and the coordinator, primary: reyes (CTL Event) and the coordinator (Community Contact)" \
	"reyes {'CTL Event': 1} {}|walsh {} {'CTL Event': 1}|bell {} {}|coordinator {'Community Contact': 1} {'CTL Event': 1}" \
	"$(json "'|'.join('%s %s %s' % (r['officer'], r['events'], r['events_attended']) for r in d['officers'] if r['officer'] != 'unassigned')" m3.json)"
expect_eq "the total: 2 events, 2 attendances" "2 2" "$(json "'%d %d' % (d['total']['events_total'], d['total']['events_attended_total'])" m3.json)"
expect_eq "walsh's own report counts it" 1 \
	"$($LIAISON --as walsh report monthly --month 2026-03 --format json | $PY -c 'import json,sys; print(json.load(sys.stdin)["officers"][0]["events_attended_total"])')"
$LIAISON --as walsh report monthly --month 2026-03 | grep -q '^  events attended        CTL Event 1$' || fail "text: events attended"
echo "ok: text: events attended"

# An event is done on its day or after, never before (the day in the configured zone):
# dates relative to today there, so the test holds on any day.
TODAY=$(TZ=America/New_York date +%Y-%m-%d)
LATER=$(TZ=America/New_York date -d "$TODAY + 40 days" +%Y-%m-%d)
$LIAISON --as reyes event request --thread - --date "${LATER}T10:00" --place "Town Green" --kind "Fair" >/dev/null
$LIAISON --as coordinator event approve 5 >/dev/null
set +e
OUT=$($LIAISON --as reyes event done 5 2>&1)
RC=$?
set -e
expect_eq "done before the event's day: refused, exit 1" 1 "$RC"
expect_eq "the reason" "liaison: event: refused: event 5 is on $LATER; it cannot be marked done before then (today is $TODAY)" "$OUT"
$LIAISON --as reyes event unable 5 --narrative "Fair cancelled" >/dev/null
$LIAISON --as reyes event request --thread - --date "${TODAY}T23:59" --place "Town Hall" --kind "Meeting" >/dev/null
$LIAISON --as coordinator event approve 6 >/dev/null
expect_eq "done on the event's day" "event 6 done, primary unit reyes" "$($LIAISON --as reyes event done 6)"
