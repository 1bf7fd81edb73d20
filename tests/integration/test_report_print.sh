# Reports fit to hand to command staff: on a small October 2026 with fixed dates (mail,
# answers, a referral and an event, each at a fixed instant under faketime), the printable
# HTML, the text and the PDF carry the header (agency and program from the configuration,
# the period's dates, the generation time, a partial period's note only while the period
# runs), human labels and no raw field name, display names instead of logins, one clearly
# named row per troop's unassigned threads, a total row in every table equal to the JSON's
# total, durations in units; the PDF on Letter and A4 has every column header, "Page N of M"
# and no word outside the page; liaison check warns when agency is unset.
. "$TOP/tests/integration/lib.sh"
command -v faketime >/dev/null || fail "faketime is not installed"
command -v pdftotext >/dev/null || fail "pdftotext is not installed (poppler-utils)"
cd "$TMPDIR"
write_config r.conf "$TMPDIR/r.db"
export LIAISON_CONFIG=$TMPDIR/r.conf

# Without agency: liaison check warns (a warning, not a problem: exit 0).
$LIAISON init >/dev/null
$LIAISON check >check.txt 2>&1 || { cat check.txt; fail "liaison check failed"; }
grep -q "agency is not set" check.txt || { cat check.txt; fail "no warning that agency is unset"; }
echo "ok: liaison check warns that agency is unset"

# The agency, and the display names of the people the reports name.
$PY - r.conf <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("[liaison]\n", "[liaison]\nagency = Connecticut State Police\n", 1)
for login, name in (("reyes", "Tpr. Maria Reyes"), ("walsh", "Tpr. Sean Walsh"),
                    ("bell", "Tpr. Andre Bell"), ("coordinator", "Sgt. Dana Cole")):
    s = s.replace(f"[user {login}]\n", f"[user {login}]\ndisplay_name = {name}\n", 1)
s += "\n[service 211]\nname = 2-1-1 Connecticut\n"
open(p, "w").write(s)
PY
$LIAISON check >check.txt 2>&1 || { cat check.txt; fail "liaison check failed"; }
grep -q "agency is not set" check.txt && fail "a warning about agency although it is set"
echo "ok: no warning once agency is set"

# October 2026: six messages to troop K, three to L; two answered by troop K.
mkdir k l
for i in 1 2 3 4 5 6; do
	printf 'From: Person %d <p%d@example.org>\nTo: TroopKCTL@ct.gov\nSubject: Question %d about a meeting\nDate: Thu, 0%d Oct 2026 10:00:00 -0400\nMessage-ID: <k%d@example.org>\n\nA question about the meeting next week.\n' $i $i $i $i $i >k/$i.eml
done
for i in 1 2 3; do
	printf 'From: Resident %d <r%d@example.org>\nTo: TroopLCTL@ct.gov\nSubject: Traffic near the school %d\nDate: Wed, 1%d Oct 2026 09:00:00 -0400\nMessage-ID: <l%d@example.org>\n\nCars drive too fast near the school.\n' $i $i $i $i $i >l/$i.eml
done
# answers: 4 h 30 min after k1, 2 d 2 h after k2
printf 'From: Troop K CTL <TroopKCTL@ct.gov>\nTo: p1@example.org\nSubject: Re: Question 1 about a meeting\nDate: Thu, 01 Oct 2026 14:30:00 -0400\nMessage-ID: <kr1@ct.gov>\nIn-Reply-To: <k1@example.org>\nReferences: <k1@example.org>\n\nThe meeting is on Monday.\n' >k/r1.eml
printf 'From: Troop K CTL <TroopKCTL@ct.gov>\nTo: p2@example.org\nSubject: Re: Question 2 about a meeting\nDate: Sun, 04 Oct 2026 12:00:00 -0400\nMessage-ID: <kr2@ct.gov>\nIn-Reply-To: <k2@example.org>\nReferences: <k2@example.org>\n\nSee you there.\n' >k/r2.eml
$LIAISON import --mailbox K k >/dev/null
$LIAISON import --mailbox L l >/dev/null
ref() { $LIAISON threads --all --json | $PY -c 'import json,sys; print([t["ref"] for t in json.load(sys.stdin) if t["correspondent"] == sys.argv[1]][0])' "$1"; }
K1=$(ref p1@example.org) K2=$(ref p2@example.org) K3=$(ref p3@example.org) L1=$(ref r1@example.org)
at "2026-10-14 14:00:00" $LIAISON assign "$K1" reyes >/dev/null
at "2026-10-14 14:00:00" $LIAISON assign "$K2" reyes >/dev/null
at "2026-10-14 14:00:00" $LIAISON assign "$K3" walsh >/dev/null
at "2026-10-14 14:00:00" $LIAISON assign "$L1" bell >/dev/null
at "2026-10-15 16:00:00" $LIAISON --as reyes refer "$K1" 211 >/dev/null
at "2026-10-05 16:00:00" $LIAISON --as reyes event request --thread - --date 2026-10-10 --place 'Hartford Public High School' --kind Outreach >/dev/null
at "2026-10-06 16:00:00" $LIAISON --as coordinator event approve 1 >/dev/null
at "2026-10-11 16:00:00" $LIAISON --as reyes event done 1 --visited school >/dev/null
echo "ok: October 2026 set up"

# Each format at two instants: while October runs (the 20th) and after it (5 November).
DURING="2026-10-20 16:00:00" AFTER="2026-11-05 17:00:00"
at "$AFTER" $LIAISON report monthly --month 2026-10 --format json >m.json
at "$DURING" $LIAISON report monthly --month 2026-10 --format html >m-during.html
at "$AFTER" $LIAISON report monthly --month 2026-10 --format html >m.html
at "$AFTER" $LIAISON report monthly --month 2026-10 >m.txt
at "$AFTER" $LIAISON report monthly --month 2026-10 --format csv >m.csv
at "$DURING" $LIAISON report quarterly --quarter 2026Q4 --format html >q.html
at "$DURING" $LIAISON report quarterly --quarter 2026Q4 --format json >q.json
expect_eq "the month's figures (JSON): received, answered, median, 90th percentile" \
	"9 2 16200 180000" \
	"$(json '" ".join(str(x) for x in (d["total"]["emails_received"], d["total"]["emails_answered"], d["total"]["response"]["median_seconds"], d["total"]["response"]["p90_seconds"]))' m.json)"

# The checks on an HTML page, in Python: visible text (no tags, no attributes), tables.
cat >check_html.py <<'PY'
import json, re, sys
from html.parser import HTMLParser

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.tables, self.svg_labels = [], [], []
        self.in_svg = self.in_tfoot = 0
        self.cell = None
        self.skip = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("style", "title"):
            self.skip += 1
        if tag == "table":
            self.tables.append({"head": [], "total": []})
        if tag == "svg":
            self.in_svg = 1
        if tag == "tfoot":
            self.in_tfoot = 1
        if tag in ("td", "th") and self.tables:
            self.cell = {"field": a.get("data-field"), "value": a.get("data-value"), "text": ""}
    def handle_endtag(self, tag):
        if tag in ("style", "title"):
            self.skip -= 1
        if tag == "svg":
            self.in_svg = 0
        if tag == "tfoot":
            self.in_tfoot = 0
        if tag in ("td", "th") and self.cell is not None:
            t = self.tables[-1]
            (t["total"] if self.in_tfoot else t.setdefault("cells", [])).append(self.cell)
            self.cell = None
    def handle_data(self, data):
        if self.skip:
            return
        self.text.append(data)
        if self.cell is not None:
            self.cell["text"] += data
        if self.in_svg and data.strip():
            self.svg_labels.append(data.strip())

p = Page()
p.feed(open(sys.argv[1], encoding="utf-8").read())
text = " ".join(p.text)
what = sys.argv[2]
if what == "text":
    print(re.sub(r"\s+", " ", text))
elif what == "tables":
    # every table has a total row; print the first cell of each
    print(" | ".join(t["total"][0]["text"] if t["total"] else "NONE" for t in p.tables))
elif what == "totals":
    print(json.dumps({c["field"]: c["value"] for c in p.tables[0]["total"] + p.tables[1]["total"] if c["field"]}, sort_keys=True))
elif what == "svg":
    print("\n".join(p.svg_labels))
PY
check() { $PY check_html.py "$@"; }
for f in m.html q.html; do
	check $f text >$f.txt
	for raw in emails_received emails_answered median_seconds p90_seconds threads_opened referrals_total; do
		grep -q "$raw" $f.txt && fail "$f shows the raw field name $raw"
	done
done
echo "ok: no raw field name in what the pages show"
for label in "Emails received" "Emails answered" "Median time to first answer" \
	"90th percentile time to first answer" "Threads opened" "Threads closed" "Referrals" \
	"Reportable disclosures" "Unable to fulfil" "Places visited"; do
	grep -qF "$label" m.html.txt || fail "monthly: no label '$label'"
	grep -qF "$label" q.html.txt || fail "quarterly: no label '$label'"
done
echo "ok: the labels, monthly and quarterly"
grep -qF "4 h 30 min" m.html.txt || fail "the median in hours and minutes"
grep -qF "2 d 2 h" m.html.txt || fail "the 90th percentile in days and hours"
echo "ok: durations in h/min and d/h (16200 s = 4 h 30 min, 180000 s = 2 d 2 h)"

# Display names, never the login, wherever a person is named.
for name in "Tpr. Maria Reyes" "Tpr. Sean Walsh" "Tpr. Andre Bell" "2-1-1 Connecticut"; do
	grep -qF "$name" m.html.txt || fail "monthly: no '$name'"
done
grep -qwE "reyes|walsh|bell" m.html.txt && fail "a login among the names shown: $(grep -owE 'reyes|walsh|bell' m.html.txt | head -3)"
grep -q "^Tpr. Maria Reyes \[reyes\] (troop K)" m.txt || fail "text: the display name with the login"
grep -q "^  referrals  *2-1-1 Connecticut 1$" m.txt || fail "text: the service by its name"
$PY -c 'import csv,sys; r=[x for x in csv.DictReader(open(sys.argv[1]))]; sys.exit(0 if r[0]["officer"] == "reyes" and r[0]["name"] == "Tpr. Maria Reyes" else 1)' m.csv || fail "CSV: login and display name"
echo "ok: display names in the page and the text; the CSV keeps the login beside the name"

# One row, and one bar, per troop's unassigned threads, each saying which troop.
check m.html svg >labels.txt
expect_eq "the chart's bars: each label once" "" "$(grep -v '^[0-9]*$' labels.txt | sort | uniq -d)"
expect_eq "the unassigned bars" "Unassigned, troop K|Unassigned, troop L" "$(grep '^Unassigned' labels.txt | paste -sd'|')"

# A total row in every table, equal to the JSON's total.
expect_eq "monthly: every table's total row" "Total | Total | Total | Total" "$(check m.html tables)"
expect_eq "quarterly: every table's total row" "All troops | All troops | Total" "$(check q.html tables)"
expect_eq "monthly: the total row is the JSON's total" \
	"$(json 'json.dumps({"emails_received": str(d["total"]["emails_received"]), "emails_answered": str(d["total"]["emails_answered"]), "median_seconds": str(d["total"]["response"]["median_seconds"]), "p90_seconds": str(d["total"]["response"]["p90_seconds"]), "unanswered": str(d["total"]["response"]["unanswered"]), "threads_opened": str(d["total"]["threads_opened"]), "threads_closed": str(d["total"]["threads_closed"]), "referrals_total": str(d["total"]["referrals_total"]), "events_total": str(d["total"]["events_total"]), "events_attended_total": str(d["total"]["events_attended_total"]), "unable": str(len(d["total"]["unable"])), "visited": str(len(d["total"]["visits"])), "reportable": str(len(d["total"]["reportable"]))}, sort_keys=True)' m.json)" \
	"$(check m.html totals)"

# The header: agency, program, period, generation time in the configured zone, partial note.
check m-during.html text >m-during.txt
for f in m.html.txt m-during.txt q.html.txt m.txt; do
	grep -qF "Connecticut State Police" $f || fail "$f: no agency"
	grep -qF "Community Trust Liaison Program" $f || fail "$f: no program (the default)"
done
grep -qF "Period: 1–31 October 2026" m.html.txt || fail "monthly: the period's dates"
grep -qF "Period: Q4 2026: 1 October – 31 December 2026" q.html.txt || fail "quarterly: the period's dates"
grep -qF "Generated 5 November 2026 at 12:00 EST" m.html.txt || fail "monthly: the generation time in New York"
grep -qF "Generated 20 October 2026 at 12:00 EDT" m-during.txt || fail "monthly: the generation time (daylight time)"
grep -qF "Partial period: figures to 20 October 2026; the period ends 31 October 2026" m-during.txt ||
	fail "no partial-period note while October runs"
grep -qF "Partial period: figures to 20 October 2026; the period ends 31 December 2026" q.html.txt ||
	fail "no partial-period note while Q4 runs"
grep -q "Partial period" m.html.txt && fail "a partial-period note after October ended"
grep -q "Partial period" m.txt && fail "text: a partial-period note after October ended"
echo "ok: the header (agency, program, period, generated, partial only while the period runs)"
for f in m.html q.html; do
	grep -q '@page' $f || fail "$f: no @page rule"
	grep -q "counter(pages)" $f || fail "$f: no page numbers in print"
	grep -q 'thead{display:table-header-group}' $f || fail "$f: table headers do not repeat"
	grep -q 'viewBox=' $f || fail "$f: a chart not drawn to a viewBox"
done
echo "ok: print rules: @page margins, Page N of M, repeating headers, scalable charts"

# The PDF, on Letter and on A4.
pdf_words() { pdftotext -layout "$1" - | tr -s ' \n' '\n\n' | sort -u; }
for paper in letter a4; do
	at "$DURING" $LIAISON report monthly --month 2026-10 --format pdf --paper $paper --out m-$paper.pdf
	at "$DURING" $LIAISON report quarterly --quarter 2026Q4 --format pdf --paper $paper --out q-$paper.pdf
	case $paper in letter) size="612 x 792" ;; a4) size="595.276 x 841.89" ;; esac
	for f in m-$paper.pdf q-$paper.pdf; do
		pdfinfo $f | grep -q "Page size: *$size" || fail "$f: not $paper ($(pdfinfo $f | grep 'Page size'))"
		pages=$(pdfinfo $f | sed -n 's/^Pages: *//p')
		pdftotext $f $f.txt
		for n in $(seq 1 "$pages"); do
			grep -q "Page $n of $pages" $f.txt || fail "$f: no 'Page $n of $pages'"
		done
		grep -qF "Connecticut State Police" $f.txt || fail "$f: no agency"
		grep -qF "Partial period" $f.txt || fail "$f: no partial-period note"
		# every word inside the page: no clipped column
		pdftotext -bbox $f - | $PY -c '
import re, sys
page_w = None; bad = []
for line in sys.stdin:
    m = re.search(r"<page width=\"([\d.]+)\"", line)
    if m: page_w = float(m.group(1))
    m = re.search(r"<word xMin=\"([\d.]+)\" yMin=\"[\d.]+\" xMax=\"([\d.]+)\".*>(.*)</word>", line)
    if m and (float(m.group(1)) < 0 or float(m.group(2)) > page_w - 20):
        bad.append(m.group(3))
sys.exit("words outside the page: " + " ".join(bad[:10]) if bad else 0)' || fail "$f: a word outside the page"
	done
	grep -qF "Period: 1–31 October 2026" m-$paper.pdf.txt || fail "m-$paper.pdf: no period"
	grep -qF "Q4 2026: 1 October – 31 December 2026" q-$paper.pdf.txt || fail "q-$paper.pdf: no period"
	# each word of each column header (a header may wrap onto lines of its own)
	for word in Officer Troop Emails received answered Median time first answer "90th" \
		percentile Not yet Threads opened closed Referrals Events primary unit attended \
		Unable fulfil Places visited Reportable disclosures Report submitted Total "Tpr. Maria Reyes" "Unassigned, troop K" "Unassigned, troop L" \
		"4 h 30 min" "2-1-1 Connecticut"; do
		grep -qF "$word" m-$paper.pdf.txt || fail "m-$paper.pdf: no '$word'"
	done
	# (pdftotext may read the short gaps of "2 d 2 h" as none)
	grep -qE "2 ?d ?2 ?h" m-$paper.pdf.txt || fail "m-$paper.pdf: no '2 d 2 h'"
	grep -qF "All troops" q-$paper.pdf.txt || fail "q-$paper.pdf: no total row"
	echo "ok: $paper PDFs: page size, Page N of M, header, every column, every word inside the page"
done
expect_code "a PDF needs --out" 2 $LIAISON report monthly --month 2026-10 --format pdf
expect_code "an unknown paper" 2 $LIAISON report monthly --month 2026-10 --format pdf --paper legal --out x.pdf
expect_eq "the PDF's read audited with its format" "officer reyes, pdf" \
	"$(at "$DURING" $LIAISON --as reyes report monthly --month 2026-10 --format pdf --out r.pdf && $LIAISON audit --json | $PY -c 'import json,sys; print([a for a in json.load(sys.stdin) if a["action"] == "report"][-1]["details"])')"
