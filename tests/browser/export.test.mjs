// The records office's production, holds, retention and verification screens, against a real
// `liaison web` whose clock is libfaketime's (an offset read from a file, so the test can move
// it): a request received 2026-11-25 with a phone number redacted and a message withheld
// (set up through the command line), exported in the browser with its progress, the .zip
// downloaded and checked outside the browser (unzip, sha256sum -c, the phone number in no
// file, the PDFs' text included); a coordinator refused every change; a hold placed from a
// search and released; verification; and the password asked again once the sign-in is more
// than 5 minutes old.
import assert from "node:assert/strict";
import { after } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  PASSWORD, axeViolations, browserTest, clickAndLoad, eml, noHorizontalOverflow, screenshot,
  setup, signIn, waitFor,
} from "./lib.mjs";
import { checkProductionZip } from "./package.mjs";

const libfaketime = fs.readdirSync("/usr/lib").map((d) => `/usr/lib/${d}/faketime/libfaketime.so.1`).find((f) => fs.existsSync(f));
if (!libfaketime) throw new Error("no libfaketime.so.1 under /usr/lib/*/faketime (make deps installs faketime)");

// Every liaison process runs at an offset from the real clock that puts "now" at 2026-11-27
// 10:00 New York (two days after the request was received); the server reads the offset from
// a file at every look at the clock, so a test can move it on.
const T0 = Date.parse("2026-11-27T15:00:00Z") / 1000;
const OFFSET = Math.round(T0 - Date.now() / 1000);
const clockDir = fs.mkdtempSync(path.join(os.tmpdir(), "lb-export-clock-"));
const clockFile = path.join(clockDir, "faketime");
const spec = (s) => (s >= 0 ? `+${s}` : `${s}`);
fs.writeFileSync(clockFile, spec(OFFSET));
after(() => fs.rmSync(clockDir, { recursive: true, force: true }));
const cliClock = { LD_PRELOAD: libfaketime, FAKETIME: spec(OFFSET) };

const PHONE = "860-555-0142";
const FILLERS = 400; // enough messages (about 3 s of PDFs) that the page sees the export running
let REQ, REQ2;

const s = setup({
  name: "export",
  webEnv: { LD_PRELOAD: libfaketime, FAKETIME_TIMESTAMP_FILE: clockFile, FAKETIME_NO_CACHE: "1" },
}, (c) => {
  const run = (args) => c.liaison(args, { env: { ...c.env, ...cliClock } });
  c.liaison(["--as", "admin", "passwd", "records"], { input: PASSWORD + "\n" });
  const messages = {
    "diaz.eml": eml({
      from: "Rosa Diaz <rdiaz@people.example>", subject: "Cars on Mill Road",
      body: `Hello, the cars speed on Mill Road at night.\nPlease call me at ${PHONE} any evening.\nRosa Diaz\n`,
      id: "diaz-1@people.example", date: "Fri, 20 Nov 2026 09:00:00 -0500",
    }),
    "witness.eml": eml({
      from: "Sam Ortiz <sortiz@people.example>", subject: "What I saw on Friday",
      body: "I saw the car that hit the mailbox. I do not want my name known.\n",
      id: "ortiz-1@people.example", date: "Sat, 21 Nov 2026 10:00:00 -0500",
    }),
  };
  for (let i = 0; i < FILLERS; i++) {
    const day = String(1 + (i % 19)).padStart(2, "0");
    messages[`filler-${i}.eml`] = eml({
      from: `Resident ${i} <resident${i}@people.example>`,
      subject: i % 2 === 0 ? `Thanks, note ${i}` : `A question, note ${i}`,
      body: i % 2 === 0 ? `Thank you for the patrol on Elm Street (note ${i}).\n`
        : `When is the next community meeting? (note ${i})\n`,
      id: `filler-${i}@people.example`, date: `Thu, ${day} Nov 2026 08:00:00 -0500`,
    });
  }
  c.importMessages("K", messages);
  REQ = run(["--as", "records", "foia", "new", "--requester", "A reporter", "--received", "2026-11-25",
    "--description", "Mail about traffic in November"]).trim();
  run(["--as", "records", "foia", "add", REQ, "--mailbox", "K"]);
  run(["--as", "records", "foia", "redact", REQ, "diaz-1@people.example", "--text", PHONE,
    "--exemption", "1-210(b)(2)", "--reason", "a resident's telephone number"]);
  run(["--as", "records", "foia", "withhold", REQ, "ortiz-1@people.example", "--exemption",
    "1-210(b)(3)(A)", "--reason", "a witness's identity"]);
  // a second request, in troop L: a name redacted from one message and left in another
  c.importMessages("L", {
    "pike-1.eml": eml({
      to: "TroopLCTL@ct.gov", from: "Lee Chan <lchan@people.example>", subject: "My neighbour",
      body: "My neighbour Jordan Pike parks across my driveway.\n",
      id: "pike-1@people.example", date: "Mon, 16 Nov 2026 09:00:00 -0500",
    }),
    "pike-2.eml": eml({
      to: "TroopLCTL@ct.gov", from: "Lee Chan <lchan@people.example>", subject: "Again",
      body: "Jordan Pike did it again this morning.\n",
      id: "pike-2@people.example", date: "Tue, 17 Nov 2026 09:00:00 -0500",
    }),
  });
  REQ2 = run(["--as", "records", "foia", "new", "--requester", "A neighbour", "--received", "2026-11-25",
    "--description", "Mail about parking"]).trim();
  run(["--as", "records", "foia", "add", REQ2, "--mailbox", "L"]);
  run(["--as", "records", "foia", "redact", REQ2, "pike-1@people.example", "--text", "Jordan Pike",
    "--exemption", "1-210(b)(2)"]);
  // mail of 2023, filed after the requests took their sets: past its two years, due
  c.importMessages("L", {
    "old.eml": eml({
      to: "TroopLCTL@ct.gov", from: "Pat Old <pold@people.example>", subject: "A question in 2023",
      body: "Is the station open on Sundays?\n", id: "old-1@people.example", date: "Mon, 06 Mar 2023 09:00:00 -0500",
    }),
  });
  run(["--as", "records", "hold", "add", "mill-road", "--reason", "Mill Road claim", "--from", "rdiaz@people.example"]);
});

// Moves the server's clock on by seconds (from the next look at it).
function clockForward(seconds) {
  const now = Number(fs.readFileSync(clockFile, "utf8"));
  fs.writeFileSync(clockFile, spec(now + seconds));
}

async function checkPage(page, what) {
  assert.deepEqual(await axeViolations(page), [], `axe on ${what}`);
  const o = await noHorizontalOverflow(page);
  assert.ok(o.scrollWidth <= o.clientWidth, `${what}: no horizontal overflow at 1280 (${JSON.stringify(o)})`);
  assert.deepEqual(page.seen.errors, [], `${what}: no script errors`);
  assert.deepEqual(page.seen.console, [], `${what}: no console errors (a CSP refusal is one); failed: ${page.failed}`);
}

// A page that notes every response that failed (for the message of a console error).
async function open(newPage, opts) {
  const page = await newPage(opts);
  page.failed = [];
  page.on("response", (r) => { if (r.status() >= 400) page.failed.push(`${r.status()} ${r.url()}`); });
  // chromium's own request for /favicon.ico (the console serves none) is no page's error
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    if (new URL(m.location().url || "about:blank").pathname === "/favicon.ico") page.seen.console.splice(page.seen.console.indexOf(m.text()), 1);
    else page.failed.push(m.location().url);
  });
  return page;
}

browserTest("records staff export: progress to done, the .zip verifies and holds the redacted number nowhere", s.getBrowser, async ({ newPage }) => {
  const c = s.console;
  const page = await open(newPage);
  await signIn(page, s.base, "records");
  await page.goto(`${s.base}/records/export/${REQ}`);
  assert.equal(await page.locator("h1").innerText(), `Production of ${REQ}`);
  assert.match(await page.locator("table.productions tbody").innerText(), /None yet/);
  await checkPage(page, "the production page");
  await screenshot(page, "export-page", { fullPage: true });

  // the script's polls, as the server answered them; once one says "running" with its count
  // (before that, the job reads the request's decisions), the next are
  // held until the running page is checked (the page reloads itself when the job is over)
  const polls = [];
  let releasePolls, sawRunning;
  const gate = new Promise((r) => { releasePolls = r; });
  const running1 = new Promise((r) => { sawRunning = r; });
  let held = false;
  await page.route("**/records/job/*", async (route) => {
    if (held) await gate;
    const resp = await route.fetch();
    const body = await resp.json();
    polls.push(body);
    if (body.state === "running" && body.total > 0 && !held) {
      held = true;
      sawRunning(body);
    }
    await route.fulfill({ response: resp, json: body });
  });
  await clickAndLoad(page, "form.export button[type=submit]");
  const url = new URL(page.url());
  assert.equal(url.pathname, `/records/export/${REQ}`);
  const job = url.searchParams.get("job");
  assert.match(job, /^\d+$/, "the page names its job");
  // the export runs in the background: its page shows a progress bar and a live status
  assert.equal(await page.locator("progress#export-progress").count(), 1, "a progress bar while it runs");
  assert.equal(await page.locator("#export-status").getAttribute("aria-live"), "polite");
  const first = await running1;
  await waitFor("the status to show the poll's words", async () => (await page.locator("#export-status").innerText()) === first.text);
  assert.match(first.text, /^Producing: \d+ of 402 messages done$/);
  await checkPage(page, "the production page with its progress");
  await screenshot(page, "export-progress");
  releasePolls();

  const download = page.locator("a.download");
  await download.waitFor({ timeout: 120000 });
  assert.match(await page.locator("#export-status").innerText(), /Done: 401 messages produced \(1 redacted\), 1 withheld/);
  const running = polls.filter((p) => p.state === "running" && p.total > 0);
  assert.ok(running.length >= 1, `the script saw the job running (${JSON.stringify(polls)})`);
  assert.ok(running.every((p) => p.total === 402 && p.done <= p.total), "progress counts the responsive set");
  for (let i = 1; i < running.length; i++) assert.ok(running[i].done >= running[i - 1].done, "progress only goes forward");
  const last = await page.evaluate(async (j) => (await fetch(`/records/job/${j}`)).json(), job);
  assert.deepEqual([last.state, last.done, last.total], ["done", 402, 402]);
  await checkPage(page, "the finished production page");
  await screenshot(page, "export-done", { fullPage: true });

  // past productions: the Bates range, with its package
  const row = page.locator("table.productions tbody tr");
  assert.equal(await row.count(), 1);
  assert.match(await row.innerText(), /CTL-000001\s+CTL-\d{6}\s+\d+\s+records/);

  const [dl] = await Promise.all([page.waitForEvent("download"), download.click()]);
  const name = dl.suggestedFilename();
  assert.match(name, new RegExp(`^${REQ}-CTL-000001-CTL-\\d{6}\\.zip$`));
  const work = fs.mkdtempSync(path.join(c.dir, "zip-"));
  const zip = path.join(work, name);
  await dl.saveAs(zip);

  // outside the browser: one folder inside, it checks, and the redacted number and the
  // withheld message are in no file and no PDF's text
  const { folder, pdfs } = checkProductionZip(zip, work, {
    absent: [PHONE, "I do not want my name known"], present: ["Please call me at"] });
  assert.ok(fs.existsSync(path.join(folder, "production.mbox")), "the messages produced whole are in the mbox");
  assert.equal(pdfs.length, 401, "a PDF per message produced");
  assert.match(fs.readFileSync(path.join(folder, "withholding-log.csv"), "utf8"), /withheld,1-210\(b\)\(3\)\(A\)/);
  fs.rmSync(work, { recursive: true, force: true });
  // the package folder beside the database is kept to the service account
  assert.equal(fs.statSync(path.join(c.dir, "productions")).mode & 0o777, 0o700);
});

browserTest("an export that would produce redacted text elsewhere stops with what ops said, and goes through when allowed", s.getBrowser, async ({ newPage }) => {
  const page = await open(newPage);
  await signIn(page, s.base, "records");
  await page.goto(`${s.base}/records/export/${REQ2}`);
  await clickAndLoad(page, "form.export button[type=submit]");
  const failed = page.locator("#export-status[data-state=failed]");
  await failed.waitFor({ timeout: 60000 });
  assert.equal(await failed.getAttribute("role"), "alert");
  assert.match(await failed.innerText(), /The export stopped, and nothing was produced: 1 message would be produced whole with what is withheld or redacted elsewhere/);
  assert.match(await page.locator("pre.named").innerText(), /pike-2@people\.example.*would be produced whole but holds text redacted from another message/);
  assert.match(await page.locator("table.productions tbody").innerText(), /None yet/, "nothing recorded");
  assert.deepEqual(fs.readdirSync(path.join(s.console.dir, "productions")).filter((f) => f.startsWith(REQ2)), [], "no package left");
  await checkPage(page, "a stopped export");
  await screenshot(page, "export-stopped", { fullPage: true });

  await page.check("#allow_elsewhere");
  await clickAndLoad(page, "form.export button[type=submit]");
  await page.locator("a.download").waitFor({ timeout: 60000 });
  assert.match(await page.locator("#export-status").innerText(), /Done: 2 messages produced \(1 redacted\)/);
});

browserTest("a coordinator reads the records pages but cannot export, dispose, place or release holds", s.getBrowser, async ({ newPage }) => {
  const page = await open(newPage);
  await signIn(page, s.base, "coordinator");
  await page.goto(`${s.base}/records/export/${REQ}`);
  assert.equal(await page.locator("form.export").count(), 0, "no export control");
  assert.equal(await page.locator("table.productions a[download]").count(), 0, "no downloads");
  await checkPage(page, "the production page, as the coordinator");
  await page.goto(`${s.base}/records/holds`);
  assert.match(await page.locator("table.holds").innerText(), /mill-road/, "the holds are listed");
  assert.equal(await page.locator("form[action='/records/holds/add']").count(), 0, "no hold form");
  assert.equal(await page.locator("form[action='/records/holds/release']").count(), 0, "no release control");
  await checkPage(page, "the holds page, as the coordinator");
  await page.goto(`${s.base}/records/retention`);
  assert.equal(await page.locator("table.retention tbody tr").count(), 1, "what is due is listed");
  assert.equal(await page.locator("form.dispose").count(), 0, "no disposal control");
  const csrf = await page.locator("main").getAttribute("data-csrf");
  const post = (to, fields) => page.evaluate(async ({ to, body }) => {
    const r = await fetch(to, { method: "POST", body: new URLSearchParams(body) });
    return r.status;
  }, { to, body: { csrf, ...fields } });
  assert.equal(await post(`/records/export/${REQ}`, {}), 403, "export refused");
  assert.equal(await post("/records/retention/dispose", { approval: "RC-1" }), 403, "disposal refused");
  assert.equal(await post("/records/holds/add", { name: "x", reason: "y", q: "patrol" }), 403, "placing a hold refused");
  assert.equal(await post("/records/holds/release", { name: "mill-road" }), 403, "releasing a hold refused");
  const holds = s.console.json(["--as", "records", "hold", "list"]);
  assert.deepEqual(holds.map((h) => h.name), ["mill-road"], "nothing was placed");
  assert.ok(holds[0].held > 0, "nothing was released");
  const job = await page.evaluate(async () => (await fetch("/records/job/1")).status);
  assert.equal(job, 404, "another user's export job is not theirs to read");
});

browserTest("records staff place a hold from a search, then release it; verification succeeds; disposal shows ops's refusal", s.getBrowser, async ({ newPage }) => {
  const page = await open(newPage);
  await signIn(page, s.base, "records");
  await page.goto(`${s.base}/records/holds`);
  await page.fill("#hold-name", "elm-street");
  await page.fill("#hold-reason", "Elm Street preservation letter");
  await page.fill("#hold-q", "patrol");
  await page.selectOption("#hold-troop", "K");
  await page.fill("#hold-since", "2026-11-01");
  await page.fill("#hold-until", "2026-11-30");
  await clickAndLoad(page, "form.hold-new button[type=submit]");
  // every even filler thanks for the patrol: 200 messages, all in November
  assert.equal(await page.locator("p.done").innerText(), "Hold “elm-street” placed on 200 messages.");
  let held = s.console.json(["--as", "records", "hold", "list"]).find((h) => h.name === "elm-street");
  assert.equal(held.held, 200, "the command line counts the same");
  await checkPage(page, "the holds page after placing one");
  await screenshot(page, "holds", { fullPage: true });

  await clickAndLoad(page, "form[action='/records/holds/release'] button[aria-label='Release the hold elm-street']");
  assert.equal(await page.locator("p.done").innerText(), "Hold “elm-street” released from 200 messages.");
  held = s.console.json(["--as", "records", "hold", "list"]).find((h) => h.name === "elm-street");
  assert.deepEqual([held.held, held.released], [0, 200]);

  await page.goto(`${s.base}/records/verify`);
  await checkPage(page, "the verification page");
  await clickAndLoad(page, "form.verify button");
  assert.match(await page.locator(".verify-result.ok").innerText(), /The records verify/);
  assert.match(await page.locator(".verify-result dt:text-is('Messages re-hashed') + dd").innerText(), /^405$/);
  assert.equal(await page.locator(".verify-result dt:text-is('Mismatches') + dd").innerText(), "0");
  await checkPage(page, "the verification result");
  await screenshot(page, "verify", { fullPage: true });

  await page.goto(`${s.base}/records/retention`);
  await checkPage(page, "the retention page");
  const due = page.locator("table.retention tbody tr");
  assert.equal(await due.count(), 1, "the 2023 thread is due, and nothing else");
  assert.match(await due.innerText(), /^L-\S+\s+L\s+correspondence\s+2023-03-06/);
  assert.equal(await page.locator("form.dispose button").innerText(), "Dispose of 1 thread");
  await page.fill("#approval", "RC-2026-17");
  await clickAndLoad(page, "form.dispose button");
  assert.match(await page.locator("p.error[role=alert]").innerText(), /refused: disposal is off/);
  await screenshot(page, "retention", { fullPage: true });
});

browserTest("at a phone's width the production and holds pages fit", s.getBrowser, async ({ newPage }) => {
  const page = await newPage({ viewport: { width: 390, height: 844 } });
  await signIn(page, s.base, "records");
  for (const p of [`/records/export/${REQ}`, "/records/holds", "/records/retention", "/records/verify"]) {
    await page.goto(s.base + p);
    const o = await noHorizontalOverflow(page);
    assert.ok(o.scrollWidth <= o.clientWidth, `${p}: no horizontal overflow at 390 (${JSON.stringify(o)})`);
  }
  await page.goto(`${s.base}/records/export/${REQ}`);
  await screenshot(page, "export-phone", { fullPage: true });
});

// Last: it moves the server's clock on for good.
browserTest("signed in at T, an export at T+6 min asks for the password: a wrong one is refused, the right one proceeds; a release 6 min later asks again, and so does closing a request", s.getBrowser, async ({ newPage }) => {
  const page = await open(newPage);
  await signIn(page, s.base, "records");
  await page.goto(`${s.base}/records/export/${REQ}`);
  clockForward(6 * 60);
  const before = s.console.json(["--as", "records", "audit"]).length;
  const resp = await clickAndLoad(page, "form.export button[type=submit]");
  assert.equal(resp.status(), 200);
  assert.equal(await page.locator("h1").innerText(), "Confirm it is you");
  assert.equal(new URL(page.url()).pathname, `/records/export/${REQ}`, "nothing started yet");
  await checkPage(page, "the re-authentication form");
  await screenshot(page, "reauth");

  await page.fill("#reauth_password", "not the password at all");
  const wrong = await clickAndLoad(page, "form.reauth button[type=submit]");
  assert.equal(wrong.status(), 403);
  assert.match(await page.locator("p.error[role=alert]").innerText(), /wrong user name or password/);
  assert.equal(await page.locator("h1").innerText(), "Confirm it is you", "asked again");

  const cookieBefore = (await page.context().cookies()).find((k) => k.name === "liaison").value;
  await page.fill("#reauth_password", PASSWORD);
  await clickAndLoad(page, "form.reauth button[type=submit]");
  const url = new URL(page.url());
  assert.equal(url.pathname, `/records/export/${REQ}`);
  assert.match(url.searchParams.get("job") || "", /^\d+$/, "the export proceeded");
  const cookieAfter = (await page.context().cookies()).find((k) => k.name === "liaison").value;
  assert.notEqual(cookieAfter, cookieBefore, "a new session, signed in now");
  await page.locator("a.download").waitFor({ timeout: 120000 });
  // the same decisions: the same Bates numbers, in a package of its own
  assert.match(await page.locator("a.download").innerText(), new RegExp(`${REQ}-CTL-000001-CTL-\\d{6}-2\\.zip`));

  const audit = s.console.json(["--as", "records", "audit"]).slice(before);
  const actions = audit.filter((e) => e.user === "records").map((e) => e.action);
  for (const a of ["signin-failed", "signin", "reauth", "foia-export"])
    assert.ok(actions.includes(a), `audited ${a}: ${actions}`);
  // within 5 minutes of giving it, the next consequential action is not asked for it: a
  // disposal goes straight to ops (which refuses it: disposal is off)
  await page.goto(`${s.base}/records/retention`);
  await page.fill("#approval", "RC-2026-18");
  await clickAndLoad(page, "form.dispose button");
  assert.match(await page.locator("p.error[role=alert]").innerText(), /refused: disposal is off/);
  // 6 minutes later, releasing a hold asks again, and the hold's name goes with the password
  clockForward(6 * 60);
  await page.goto(`${s.base}/records/holds`);
  await clickAndLoad(page, "form[action='/records/holds/release'] button[aria-label='Release the hold mill-road']");
  assert.equal(await page.locator("h1").innerText(), "Confirm it is you");
  assert.equal(await page.locator("form.reauth input[type=hidden][name=name]").getAttribute("value"), "mill-road");
  assert.ok(s.console.json(["--as", "records", "hold", "list"]).find((h) => h.name === "mill-road").held > 0, "not released yet");
  await page.fill("#reauth_password", PASSWORD);
  await clickAndLoad(page, "form.reauth button[type=submit]");
  assert.match(await page.locator("p.done").innerText(), /Hold “mill-road” released from 1 message\./);
  assert.equal(s.console.json(["--as", "records", "hold", "list"]).find((h) => h.name === "mill-road").held, 0);
  // closing a request releases its holds: 6 minutes later it asks too, and the box ticked
  // goes with the password
  clockForward(6 * 60);
  await page.goto(`${s.base}/records/foia/${REQ2}`);
  await page.check("#close-sure");
  await clickAndLoad(page, `button:text('Close ${REQ2}')`);
  assert.equal(await page.locator("h1").innerText(), "Confirm it is you");
  assert.equal(s.console.json(["--as", "records", "foia", "list"]).find((r) => r.ref === REQ2).status, "open", "not closed yet");
  await page.fill("#reauth_password", PASSWORD);
  await clickAndLoad(page, "form.reauth button[type=submit]");
  assert.equal(await page.locator("p.done").innerText(), "Request closed: its set and decisions are final.");
  assert.equal(s.console.json(["--as", "records", "foia", "list"]).find((r) => r.ref === REQ2).status, "closed");
});
