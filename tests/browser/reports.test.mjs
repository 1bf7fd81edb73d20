// The reports screen against a real console whose clock is libfaketime's 20 November 2026
// (October is over, November runs): mail and events of October 2026 set up through the
// command line at fixed instants; the monthly report's total row on screen equals
// `liaison report monthly --format json`; the printable page printed by Chromium to PDF on
// Letter and A4, and the report PDF downloaded from the screen on Letter and A4, carry the
// header and page numbers, every column header, and no word outside the page; the partial
// period note shows for November and not for October; a liaison submits its own report and
// no one else's; axe-core finds nothing serious on the screen.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import {
  browserTest, setup, submitSignin, clickAndLoad, eml, axeViolations, noHorizontalOverflow,
  screenshot, SCREENSHOTS,
} from "./lib.mjs";

const libfaketime = fs.readdirSync("/usr/lib").map((d) => `/usr/lib/${d}/faketime/libfaketime.so.1`).find((f) => fs.existsSync(f));
if (!libfaketime) throw new Error("no libfaketime.so.1 under /usr/lib/*/faketime (make deps installs faketime)");
const NOW = "2026-11-20 12:00:00"; // libfaketime reads it in the process's zone: New York
const AGENCY = "Connecticut State Police";
const NAMES = { reyes: "Tpr. Maria Reyes", walsh: "Tpr. Sean Walsh", bell: "Tpr. Andre Bell", coordinator: "Sgt. Dana Cole" };

// liaison ARGS with the clock at a fixed instant (UTC)
function at(c, when, args) {
  return c.liaison(args, { env: { ...c.env, LD_PRELOAD: libfaketime, FAKETIME: `@${when}`, FAKETIME_DONT_RESET: "1" } });
}

const s = setup({ name: "reports", webEnv: { LD_PRELOAD: libfaketime, FAKETIME: `@${NOW}` } }, (c) => {
  // the agency, display names and a service, as a configuration would name them
  let conf = fs.readFileSync(c.config, "utf8");
  conf = conf.replace("[liaison]\n", `[liaison]\nagency = ${AGENCY}\n`);
  for (const [login, name] of Object.entries(NAMES)) conf = conf.replace(`[user ${login}]\n`, `[user ${login}]\ndisplay_name = ${name}\n`);
  fs.writeFileSync(c.config, conf + "\n[service 211]\nname = 2-1-1 Connecticut\n");

  const k = {}, l = {};
  for (let i = 1; i <= 6; i++)
    k[`k${i}.eml`] = eml({ from: `Person ${i} <p${i}@example.org>`, subject: `Question ${i} about a meeting`,
      date: `Thu, 0${i} Oct 2026 10:00:00 -0400`, id: `k${i}@example.org`, body: "A question about the meeting.\n" });
  for (let i = 1; i <= 3; i++)
    l[`l${i}.eml`] = eml({ from: `Resident ${i} <r${i}@example.org>`, to: "TroopLCTL@ct.gov", subject: `Traffic ${i}`,
      date: `Wed, 1${i} Oct 2026 09:00:00 -0400`, id: `l${i}@example.org`, body: "Cars drive too fast.\n" });
  // troop K's answers: 4 h 30 min after the first, 2 d 2 h after the second
  k["r1.eml"] = eml({ from: "Troop K CTL <TroopKCTL@ct.gov>", to: "p1@example.org", subject: "Re: Question 1 about a meeting",
    date: "Thu, 01 Oct 2026 14:30:00 -0400", id: "kr1@ct.gov", headers: ["In-Reply-To: <k1@example.org>"], body: "Monday.\n" });
  k["r2.eml"] = eml({ from: "Troop K CTL <TroopKCTL@ct.gov>", to: "p2@example.org", subject: "Re: Question 2 about a meeting",
    date: "Sun, 04 Oct 2026 12:00:00 -0400", id: "kr2@ct.gov", headers: ["In-Reply-To: <k2@example.org>"], body: "See you.\n" });
  c.importMessages("K", k);
  c.importMessages("L", l);
  at(c, "2026-10-14 14:00:00", ["assign", c.ref("p1"), "reyes"]);
  at(c, "2026-10-14 14:00:00", ["assign", c.ref("p2"), "reyes"]);
  at(c, "2026-10-14 14:00:00", ["assign", c.ref("p3"), "walsh"]);
  at(c, "2026-10-14 14:00:00", ["assign", c.ref("r1"), "bell"]);
  at(c, "2026-10-15 16:00:00", ["--as", "reyes", "refer", c.ref("p1"), "211"]);
  at(c, "2026-10-05 16:00:00", ["--as", "reyes", "event", "request", "--thread", "-", "--date", "2026-10-10",
    "--place", "Hartford Public High School", "--kind", "Outreach"]);
  at(c, "2026-10-06 16:00:00", ["--as", "coordinator", "event", "approve", "1"]);
  at(c, "2026-10-11 16:00:00", ["--as", "reyes", "event", "done", "1", "--visited", "school"]);
  // November, still running: one message
  c.importMessages("K", { "n1.eml": eml({ from: "Person 9 <p9@example.org>", subject: "November question",
    date: "Mon, 02 Nov 2026 10:00:00 -0500", id: "n1@example.org", body: "Another question.\n" }) });
});

async function signInAs(page, user) {
  await submitSignin(page, s.base, user);
  await page.locator("header.top .who", { hasText: NAMES[user] || user }).waitFor();
}

// The words of a PDF with their boxes (pdftotext -bbox), and its text and page count.
function pdfFacts(file) {
  const bbox = execFileSync("pdftotext", ["-bbox", file, "-"], { encoding: "utf8" });
  let width = 0;
  const outside = [];
  for (const line of bbox.split("\n")) {
    const p = /<page width="([\d.]+)"/.exec(line);
    if (p) width = Number(p[1]);
    const w = /<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*)<\/word>/.exec(line);
    if (w && (Number(w[1]) < 0 || Number(w[2]) > width)) outside.push(w[3]);
  }
  const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
  return {
    width,
    outside,
    pages: Number(/^Pages:\s+(\d+)/m.exec(info)[1]),
    size: /^Page size:\s+(.*)$/m.exec(info)[1],
    text: execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" }),
  };
}

// What every printed monthly report must show: the header, the column headers, page numbers,
// nothing outside the page.
function assertPrintedMonthly(file, what) {
  const f = pdfFacts(file);
  assert.deepEqual(f.outside, [], `${what}: words outside the page (a clipped column)`);
  assert.match(f.text, new RegExp(AGENCY), `${what}: the agency`);
  assert.match(f.text, /Community Trust Liaison Program/, `${what}: the program`);
  assert.match(f.text, /Period: 1–31 October 2026/, `${what}: the period`);
  assert.match(f.text, /Generated 20 November 2026 at 12:00 EST/, `${what}: when generated`);
  assert.doesNotMatch(f.text, /Partial period/, `${what}: October is over`);
  for (let n = 1; n <= f.pages; n++) assert.match(f.text, new RegExp(`Page ${n} of ${f.pages}`), `${what}: page ${n} numbered`);
  const words = new Set(f.text.split(/\s+/));
  for (const w of ["Officer", "Troop", "Emails", "received", "answered", "Median", "time", "first", "answer",
    "90th", "percentile", "Not", "yet", "Threads", "opened", "closed", "Referrals", "Events", "primary", "attended",
    "Unable", "fulfil", "Places", "visited", "Reportable", "disclosures", "Report", "submitted", "Total"])
    assert.ok(words.has(w) || words.has(`(${w}`) || words.has(`${w})`), `${what}: the column header word ${w}`);
  for (const name of [NAMES.reyes, NAMES.walsh, NAMES.bell, "Unassigned, troop K", "Unassigned, troop L"])
    assert.ok(f.text.includes(name), `${what}: ${name}`);
  return f;
}

function pngOf(pdf, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  execFileSync("pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", pdf, path.join(SCREENSHOTS, name)]);
}

browserTest("the monthly report's total row on screen is the JSON's total", s.getBrowser, async ({ newPage }) => {
  const c = s.console;
  const json = JSON.parse(c.liaison(["--as", "coordinator", "report", "monthly", "--month", "2026-10", "--format", "json"]));
  const t = json.total;
  const want = {
    emails_received: t.emails_received, emails_answered: t.emails_answered,
    median_seconds: t.response.median_seconds, p90_seconds: t.response.p90_seconds, unanswered: t.response.unanswered,
    threads_opened: t.threads_opened, threads_closed: t.threads_closed, referrals_total: t.referrals_total,
    events_total: t.events_total, events_attended_total: t.events_attended_total, unable: t.unable.length,
    visited: t.visits.length, reportable: t.reportable.length,
  };
  assert.equal(want.emails_received, 9, "the month as set up");
  assert.equal(want.median_seconds, 16200);

  const page = await newPage();
  await signInAs(page, "coordinator");
  await page.goto(`${s.base}/reports?kind=monthly&month=2026-10`);
  const cells = await page.locator(".report table tfoot td[data-field]").evaluateAll((tds) =>
    tds.map((td) => [td.dataset.field, td.dataset.value, td.textContent]));
  const shown = Object.fromEntries(cells.map(([f, v]) => [f, v === "" ? null : Number(v)]));
  assert.deepEqual(shown, want, "every figure of the total rows");
  const text = Object.fromEntries(cells.map(([f, , t2]) => [f, t2]));
  assert.equal(text.median_seconds, "4 h 30 min", "the median in hours and minutes");
  assert.equal(text.p90_seconds, "2 d 2 h", "the 90th percentile in days and hours");
  // the rows: display names, one row per troop's unassigned threads
  const rows = await page.locator(".report table.mail tbody th[scope=row]").allInnerTexts();
  assert.deepEqual(rows, [NAMES.reyes, NAMES.walsh, NAMES.bell, "Unassigned, troop K", "Unassigned, troop L"]);
  const head = await page.locator(".report table.mail thead th").allInnerTexts();
  assert.deepEqual(head.map((h) => h.replace(/\s+/g, " ")), ["Officer", "Troop", "Emails received", "Emails answered",
    "Median time to first answer", "90th percentile time to first answer", "Not yet answered", "Threads opened", "Threads closed"]);
  assert.equal(await page.locator(".report-head .agency").innerText(), AGENCY);
  assert.equal(await page.locator(".report-head .period").innerText(), "Period: 1–31 October 2026");
  assert.equal(await page.locator(".report-head .partial").count(), 0, "October is over: no partial-period note");

  assert.deepEqual(await axeViolations(page), [], "axe-core on /reports (monthly)");
  const wide = await noHorizontalOverflow(page);
  assert.ok(wide.scrollWidth <= wide.clientWidth, `no horizontal overflow at 1280px: ${JSON.stringify(wide)}`);
  await screenshot(page, "reports-monthly-1280", { fullPage: true });
  await page.setViewportSize({ width: 390, height: 800 });
  const narrow = await noHorizontalOverflow(page);
  assert.ok(narrow.scrollWidth <= narrow.clientWidth, `no horizontal overflow at 390px: ${JSON.stringify(narrow)}`);
  await screenshot(page, "reports-monthly-390", { fullPage: true });
  // what the picker echoes is escaped, in the form and in the download links
  const hostile = '"><img src=x onerror=alert(1)>';
  await page.goto(`${s.base}/reports?kind=monthly&month=2026-10&quarter=${encodeURIComponent(hostile)}`);
  assert.equal(await page.inputValue("#quarter"), hostile.slice(0, 15), "as given (cut to the field's 15 bytes)");
  assert.equal(await page.locator("main img").count(), 0, "no element made of the query");
  assert.deepEqual(page.seen.dialogs, [], "no script ran");
  assert.deepEqual(page.seen.errors, [], "no script error");
});

browserTest("the partial-period note: for November (running), not for October", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  await signInAs(page, "coordinator");
  await page.goto(`${s.base}/reports?kind=monthly&month=2026-11`);
  assert.equal(await page.locator(".report-head .partial").innerText(),
    "Partial period: figures to 20 November 2026; the period ends 30 November 2026");
  await page.goto(`${s.base}/reports?kind=quarterly&quarter=2026Q4`);
  assert.equal(await page.locator(".report-head .period").innerText(), "Period: Q4 2026: 1 October – 31 December 2026");
  assert.equal(await page.locator(".report-head .partial").innerText(),
    "Partial period: figures to 20 November 2026; the period ends 31 December 2026");
  assert.deepEqual(await page.locator(".report table tfoot th").allInnerTexts(), ["All troops", "All troops", "Total"],
    "a total row in every table of the quarterly summary");
  assert.deepEqual(await axeViolations(page), [], "axe-core on /reports (quarterly)");
  await screenshot(page, "reports-quarterly-1280", { fullPage: true });
  await page.goto(`${s.base}/reports?kind=monthly&month=2026-10`);
  assert.equal(await page.locator(".report-head .partial").count(), 0);
});

browserTest("printing: Chromium's PDF of the printable page and the report PDF fit Letter and A4", s.getBrowser, async ({ newPage }) => {
  const c = s.console;
  const page = await newPage({ acceptDownloads: true });
  await signInAs(page, "coordinator");
  await page.goto(`${s.base}/reports?kind=monthly&month=2026-10`);

  // the printable page: downloaded, then printed by Chromium on each paper
  const [html] = await Promise.all([page.waitForEvent("download"), page.click("ul.downloads a:text-is('Printable page (HTML)')")]);
  assert.equal(html.suggestedFilename(), "ctl-report-2026-10.html");
  const htmlFile = path.join(c.dir, "report.html");
  await html.saveAs(htmlFile);
  const printPage = await newPage();
  await printPage.goto(`file://${htmlFile}`);
  for (const [format, width] of [["Letter", 612], ["A4", 595]]) {
    const file = path.join(c.dir, `print-${format}.pdf`);
    await printPage.pdf({ path: file, format, preferCSSPageSize: false });
    const f = assertPrintedMonthly(file, `Chromium's print, ${format}`);
    assert.ok(Math.abs(f.width - width) < 1.5, `${format} paper: ${f.width} points wide`);
    pngOf(file, `reports-print-${format.toLowerCase()}`);
  }

  // the screen itself printed: the report alone, on its own numbered pages
  const screenPdf = path.join(c.dir, "screen-A4.pdf");
  await page.pdf({ path: screenPdf, format: "A4" });
  const sp = assertPrintedMonthly(screenPdf, "the screen printed");
  assert.doesNotMatch(sp.text, /Sign out|Saved replies|Monthly reports due|Printable page/, "no console frame in print");
  pngOf(screenPdf, "reports-screen-print-a4");

  // the report PDF, as the screen offers it
  for (const [paper, size] of [["Letter", /612 x 792/], ["A4", /595\.\d+ x 841\.\d+/]]) {
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click(`ul.downloads a:text-is('PDF, ${paper}')`)]);
    assert.equal(dl.suggestedFilename(), `ctl-report-2026-10-${paper.toLowerCase()}.pdf`);
    const file = path.join(c.dir, `report-${paper}.pdf`);
    await dl.saveAs(file);
    const f = assertPrintedMonthly(file, `the report PDF, ${paper}`);
    assert.match(f.size, size, `the report PDF on ${paper}`);
    pngOf(file, `reports-pdf-${paper.toLowerCase()}`);
  }

  // the CSV is the command line's
  const [csv] = await Promise.all([page.waitForEvent("download"), page.click("ul.downloads a:text-is('CSV')")]);
  const csvFile = path.join(c.dir, "report.csv");
  await csv.saveAs(csvFile);
  assert.equal(fs.readFileSync(csvFile, "utf8"),
    c.liaison(["--as", "coordinator", "report", "monthly", "--month", "2026-10", "--format", "csv"]));
  // each download audited with its format
  const reads = c.json(["--as", "admin", "audit"]).filter((a) => a.action === "report" && a.user === "coordinator")
    .map((a) => a.details);
  for (const fmt of ["screen", "html", "pdf", "csv"]) assert.ok(reads.some((d) => d.endsWith(fmt)), `a read as ${fmt} audited`);
});

browserTest("a liaison submits its own report, and only its own", s.getBrowser, async ({ newPage }) => {
  const c = s.console;
  const page = await newPage();
  await signInAs(page, "reyes");
  await page.goto(`${s.base}/reports`);
  assert.match(await page.locator("section.due").innerText(), /Reports for 2026-10 are due on 2026-11-07 \(overdue\)/);
  const buttons = await page.locator("section.due button").allInnerTexts();
  assert.deepEqual(buttons, [`Submit ${NAMES.reyes}'s report for 2026-10`], "a button for her own report only");
  assert.match(await page.locator("section.due").innerText(), new RegExp(`${NAMES.walsh} not submitted`), "walsh is due, not hers to submit");
  assert.equal(await page.locator("#kind option[value=quarterly]").count(), 0, "no quarterly summary offered to a liaison");
  // her own monthly report by default: one row, hers
  assert.deepEqual(await page.locator(".report table.mail tbody th[scope=row]").allInnerTexts(), [NAMES.reyes]);
  assert.deepEqual(await axeViolations(page), [], "axe-core on /reports (liaison)");
  await clickAndLoad(page, "section.due button");
  assert.match(await page.locator(".report-status").innerText(), new RegExp(`${NAMES.reyes}'s report for 2026-10 was submitted`));
  assert.equal(await page.locator("section.due button").count(), 0);
  const due = JSON.parse(c.liaison(["--as", "coordinator", "report", "due", "--month", "2026-10", "--json"]));
  assert.deepEqual(due.submitted, ["reyes"]);
  // ops' rules hold whatever the page offers
  const refused = await page.request.get(`${s.base}/reports?kind=quarterly&quarter=2026Q4`);
  assert.equal(refused.status(), 403, "the quarterly summary is not a liaison's");
  const csrf = await page.locator("main").getAttribute("data-csrf");
  const other = await page.request.post(`${s.base}/reports/submit`, {
    form: { csrf, officer: "walsh", month: "2026-10" }, headers: { Origin: s.base },
  });
  assert.equal(other.status(), 403, "walsh's report is not hers to submit");
  const walshDue = JSON.parse(c.liaison(["--as", "coordinator", "report", "due", "--month", "2026-10", "--json"]));
  assert.ok(walshDue.missing.includes("walsh"));
});
