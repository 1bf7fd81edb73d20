// The records office's FOIA desk in the browser: records staff open a request received on
// 2026-11-25 (due 2026-12-02 over Thanksgiving) with the console's clock at 2026-11-30, add
// messages from a search (ticked, then "add all"), save and run a search, redact a telephone
// number by selecting it with the mouse on the review desk and see the preview without it,
// withhold another message, revoke the withholding, export and download the package (its
// SHA256SUMS checked and the phone number looked for outside the browser); the coordinator reads every page but
// sees no control and every POST of theirs is refused (403); at 2026-12-04 the register says
// the request is overdue, and once closed it shows no control.  axe-core on every page of the desk, no horizontal overflow at
// 1280 px, and screenshots at 1280 and 390 px.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { browserTest, setup, signIn, clickAndLoad, eml, axeViolations, noHorizontalOverflow, screenshot, PASSWORD } from "./lib.mjs";
import { checkProductionZip } from "./package.mjs";

// libfaketime preloaded into liaison web itself (as session.test.mjs does): the clock starts
// at a fixed instant and runs on from there.
const libfaketime = fs.readdirSync("/usr/lib").map((d) => `/usr/lib/${d}/faketime/libfaketime.so.1`).find((f) => fs.existsSync(f));
if (!libfaketime) throw new Error("no libfaketime.so.1 under /usr/lib/*/faketime (make deps installs faketime)");
const clockAt = (when) => ({ LD_PRELOAD: libfaketime, FAKETIME: `@${when}` });

const PHONE = "860-555-0142";
let REF = null, OKAFOR = null, LOPEZ = null;

const s = setup({ name: "records", webEnv: clockAt("2026-11-30 10:00:00") }, (c) => {
  // records staff are not among lib.mjs's web users: their password here
  c.liaison(["--as", "admin", "passwd", "records"], { input: PASSWORD + "\n" });
  c.importMessages("K", {
    "okafor.eml": eml({ from: "Tunde Okafor <okafor@people.example>", subject: "Loud music on Maple Street",
      body: `The house at the end of Maple Street plays music all night.\nCall me at ${PHONE} any evening.\n`,
      id: "okafor-1@people.example", date: "Tue, 10 Nov 2026 09:00:00 -0500" }),
    "lopez.eml": eml({ from: "Ana Lopez <lopez@people.example>", subject: "What I saw on Maple Street",
      body: "I saw the car that hit the fence on Maple Street. I can describe the driver.\n",
      id: "lopez-1@people.example", date: "Wed, 11 Nov 2026 10:00:00 -0500" }),
    "hostile.eml": eml({ from: "Mallory <mallory@people.example>", subject: "<img src=x onerror=alert(1)> quokka",
      body: "<script>alert(2)</script> [quokka] & <b>bold</b>\n", id: "hostile-1@people.example",
      date: "Fri, 13 Nov 2026 08:00:00 -0500" }),
    "park.eml": eml({ from: "Dana Park <park@people.example>", subject: "Speeding near the school",
      body: "Cars race past the school every morning.\n", id: "park-1@people.example",
      date: "Thu, 12 Nov 2026 08:00:00 -0500" }),
  });
});

async function axeClean(page, what) {
  assert.deepEqual(await axeViolations(page), [], `axe on ${what}`);
}

async function fitsAt1280(page, what) {
  const o = await noHorizontalOverflow(page);
  assert.ok(o.scrollWidth <= o.clientWidth, `${what} overflows at 1280 px: ${JSON.stringify(o)}`);
}

// Selects text inside the element with the mouse: pressed just inside its first character,
// released just inside its last (the selection snaps to the character boundaries).
async function selectWithMouse(page, selector, text) {
  const rects = await page.evaluate(({ selector, text }) => {
    const el = document.querySelector(selector);
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = n.data.indexOf(text);
      if (at < 0) continue;
      const first = document.createRange(), last = document.createRange();
      first.setStart(n, at); first.setEnd(n, at + 1);
      last.setStart(n, at + text.length - 1); last.setEnd(n, at + text.length);
      const a = first.getBoundingClientRect(), b = last.getBoundingClientRect();
      return { x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2 };
    }
    return null;
  }, { selector, text });
  assert.ok(rects, `${text} is in ${selector}`);
  await page.mouse.move(rects.x1, rects.y1);
  await page.mouse.down();
  await page.mouse.move(rects.x2, rects.y2, { steps: 5 });
  await page.mouse.up();
}

browserTest("records staff open a request, add messages from a search, redact by selection, withhold and revoke", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  await signIn(page, s.base, "records");
  page.seen.console.length = 0; // the sign-in page's request for /favicon.ico (404) is not the desk's

  // the register, and a new request received on the Wednesday before Thanksgiving
  await page.goto(`${s.base}/records/foia`);
  assert.equal(await page.locator("h1").innerText(), "FOIA register");
  await axeClean(page, "the empty register");
  await page.fill("#requester", "Jordan Price");
  await page.fill("#contact", "jprice@news.example");
  await page.fill("#received", "2026-11-25");
  await page.fill("#description", "Every message about Maple Street since November 1.");
  await clickAndLoad(page, ".new-request button[type=submit]");
  REF = decodeURIComponent(new URL(page.url()).pathname.split("/").pop());
  assert.match(REF, /^FOIA-2026-\d{4}$/);
  assert.equal(await page.locator("p.done").innerText(), "Request opened.");
  const due = await page.locator("dl.facts dt:text-is('Due') + dd").innerText();
  assert.match(due, /^2026-12-02, 2 business days left$/, "due four business days after 2026-11-25 (Thanksgiving not counted); two left on Monday 11-30");
  await page.goto(`${s.base}/records/foia`);
  const row = page.locator(`table.register tr[data-ref="${REF}"]`);
  assert.match(await row.innerText(), /Jordan Price\s+2026-11-25\s+2026-12-02\s+2 business days left\s+open\s+0/);
  await axeClean(page, "the register");
  await fitsAt1280(page, "the register");

  // add messages from a search: one ticked, then all of the search's results
  await page.goto(`${s.base}/records/foia/${REF}`);
  await clickAndLoad(page, "a:text('Add messages from a search')");
  assert.equal(new URL(page.url()).searchParams.get("for"), REF);
  await page.fill("#f-q", "maple");
  await clickAndLoad(page, "form.record-search button[type=submit]");
  assert.equal(await page.locator("p.total").innerText(), "2 found");
  assert.equal(await page.locator("table.hits mark").first().innerText(), "Maple", "the hit is marked in its passage");
  await axeClean(page, "the search page");
  await fitsAt1280(page, "the search page");
  await screenshot(page, "records-search-1280", { fullPage: true });
  const searches = s.console.json(["--as", "records", "audit"]).filter((a) => a.action === "search" && a.user === "records");
  assert.match(searches.at(-1).details, /^query=maple .*hits=2$/, "the console's search is audited with its query and hits");
  const okaforRow = page.locator("table.hits tbody tr", { hasText: "okafor@people.example" });
  await okaforRow.locator("input[type=checkbox]").check();
  await clickAndLoad(page, "#add-chosen button[type=submit]");
  assert.equal(new URL(page.url()).pathname, `/records/foia/${REF}`);
  assert.equal(await page.locator("p.done").first().innerText(), "1 new to the set.");
  assert.equal(await page.locator("table.set tbody tr").count(), 1);
  await page.goBack();
  await clickAndLoad(page, "#add-all");
  assert.equal(await page.locator("p.done").first().innerText(), "1 new to the set.", "the one not added yet");
  assert.deepEqual((await page.locator("table.set tbody td.who").allInnerTexts()).sort(),
    ["lopez@people.example", "okafor@people.example"]);
  await axeClean(page, "the request page");
  await fitsAt1280(page, "the request page");

  // a saved search: saved, listed, run, deleted
  await page.goto(`${s.base}/records?q=maple`);
  await page.fill("#save-name", "Maple Street");
  await clickAndLoad(page, ".save-search button[type=submit]");
  assert.equal(await page.locator("p.done").innerText(), "Search saved.");
  await page.goto(`${s.base}/records`);
  await clickAndLoad(page, ".saved-searches a:text('Maple Street')");
  assert.equal(await page.locator("p.total").innerText(), "2 found", "the saved search runs again");
  assert.equal(await page.inputValue("#f-q"), "maple");
  await clickAndLoad(page, ".saved-searches button[aria-label='Delete the saved search Maple Street']");
  assert.equal(await page.locator("p.done").innerText(), "Saved search deleted.");
  assert.equal(await page.locator(".saved-searches li").count(), 0);

  // the review desk: redact the telephone number by selecting it with the mouse
  await page.goto(`${s.base}/records/foia/${REF}`);
  await clickAndLoad(page, "table.set a:text('Loud music on Maple Street')");
  OKAFOR = decodeURIComponent(new URL(page.url()).pathname.split("/").pop());
  assert.match(await page.locator("#produced").innerText(), new RegExp(PHONE), "before: the number is in the preview");
  await axeClean(page, "the review desk");
  await fitsAt1280(page, "the review desk");
  await selectWithMouse(page, "#message-text", PHONE);
  await page.waitForFunction((v) => document.getElementById("redact-text").value === v, PHONE);
  assert.match(await page.locator("#selection-status").innerText(), /Selected 12 characters/);
  await page.selectOption("#redact-exemption", "1-210(b)(2)");
  await page.fill("#redact-reason", "a private person's telephone number");
  await clickAndLoad(page, "#redact-selection button[type=submit]");
  assert.match(await page.locator("div.done").innerText(), /Redaction recorded: 1 passage hidden/);
  // what a redaction did is said once, and only by the server: neither a reload nor a link
  // written to look like the redirect makes the desk say it again
  const desk = page.url();
  await page.reload();
  assert.equal(await page.locator("div.done").count(), 0, "said once");
  await page.goto(`${desk}?done=redacted&passages=7&addr=x%40evil.example&forms=Someone`);
  assert.equal(await page.locator("div.done").count(), 0, "a crafted link says nothing was done");
  await page.goto(desk);
  const produced = await page.locator("#produced").innerText();
  assert.ok(!produced.includes(PHONE), `after: the preview does not show the number:\n${produced}`);
  assert.match(await page.locator("#produced .redacted").first().innerText(), /REDACTED 1-210\(b\)\(2\)/);
  assert.match(await page.locator("#message-text").innerText(), new RegExp(PHONE), "the text to select from is the original");
  const decision = page.locator("table.decisions tbody tr", { hasText: PHONE });
  assert.match(await decision.innerText(), /1-210\(b\)\(2\)[\s\S]*a private person's telephone number[\s\S]*records[\s\S]*In force/);
  await axeClean(page, "the review desk with a redaction");
  await screenshot(page, "records-review-1280", { fullPage: true });
  const cli = s.console.json(["--as", "records", "foia", "show", REF]);
  assert.equal(cli.decisions.filter((d) => d.type === "redaction" && d.value === PHONE && !d.revoked_by).length, 1,
    "the command line sees the literal redaction");

  // a preset: every e-mail address (the From line's too), then revoked: the address is back
  await page.selectOption("#redact-preset", "email");
  await page.selectOption("#preset-exemption", "1-210(b)(2)");
  await clickAndLoad(page, "form.decision:has(#redact-preset) button[type=submit]");
  assert.match(await page.locator("div.done").innerText(), /Redaction recorded: 3 passages/,
    "the From, To and Message-ID lines' addresses");
  assert.doesNotMatch(await page.locator("#produced dl").innerText(), /okafor@people\.example/, "the From line's address is hidden");
  const emailRow = page.locator("table.decisions tbody tr", { hasText: "every email" });
  assert.match(await emailRow.innerText(), /In force/);
  const number = (await emailRow.innerText()).match(/Redaction (\d+)/)[1];
  await clickAndLoad(page, `button[aria-label='Revoke redaction ${number}']`);
  assert.equal(await page.locator("p.done").innerText(), "The redaction is revoked.");
  assert.match(await page.locator("table.decisions tbody tr.revoked").innerText(), /every email[\s\S]*Revoked by records/);
  assert.match(await page.locator("#produced dl").innerText(), /okafor@people\.example/, "a revoked redaction no longer applies");
  assert.doesNotMatch(await page.locator("#produced").innerText(), new RegExp(PHONE), "the other one still does");

  // withhold the other message, then revoke the withholding
  await clickAndLoad(page, "a[rel=next]");
  LOPEZ = decodeURIComponent(new URL(page.url()).pathname.split("/").pop());
  assert.notEqual(LOPEZ, OKAFOR);
  await page.selectOption("#withhold-exemption", "1-210(b)(3)(A)");
  await page.fill("#withhold-reason", "a witness who fears the driver");
  await clickAndLoad(page, "#withhold button[type=submit]");
  assert.equal(await page.locator("p.done").innerText(), "The message is withheld.");
  assert.match(await page.locator("section.preview").innerText(), /Withheld in full under 1-210\(b\)\(3\)\(A\)/);
  assert.equal(await page.locator("#withhold").count(), 0, "no second withholding offered");
  await clickAndLoad(page, "button[aria-label='Revoke the withholding']");
  assert.equal(await page.locator("p.done").innerText(), "The withholding is revoked.");
  const revoked = page.locator("table.decisions tbody tr.revoked");
  assert.match(await revoked.innerText(), /Withheld in full[\s\S]*1-210\(b\)\(3\)\(A\)[\s\S]*Revoked by records/);
  // and withheld again, for the production
  await page.selectOption("#withhold-exemption", "1-210(b)(3)(A)");
  await page.fill("#withhold-reason", "a witness who fears the driver");
  await clickAndLoad(page, "#withhold button[type=submit]");
  await axeClean(page, "the review desk of a withheld message");

  // the request lists what was decided; narrow screens keep the desk usable
  await page.goto(`${s.base}/records/foia/${REF}`);
  assert.match(await page.locator("table.set").innerText(), /withheld[\s\S]*1 redaction|1 redaction[\s\S]*withheld/);
  assert.equal(await page.locator(`a[href="/records/export/${REF}"]`).count(), 1, "the production page is linked");

  // produce it: the export runs in the background, then the package comes as one .zip; outside
  // the browser its SHA256SUMS verifies and the selected phone number is in no file of it
  await clickAndLoad(page, `a[href="/records/export/${REF}"]`);
  await clickAndLoad(page, "form.export button[type=submit]");
  const download = page.locator("a.download");
  await download.waitFor({ timeout: 60000 });
  assert.match(await page.locator("#export-status").innerText(), /Done: 1 message produced \(1 redacted\), 1 withheld/);
  await axeClean(page, "the finished production page");
  const [dl] = await Promise.all([page.waitForEvent("download"), download.click()]);
  const work = fs.mkdtempSync(path.join(s.console.dir, "zip-"));
  const zip = path.join(work, dl.suggestedFilename());
  await dl.saveAs(zip);
  const { pdfs } = checkProductionZip(zip, work, {
    absent: [PHONE, "I can describe the driver"], present: ["Loud music on Maple Street", "any evening"] });
  assert.equal(pdfs.length, 1, "one PDF: the redacted message; the withheld one is in the log only");
  const downloads = s.console.json(["--as", "records", "audit"]).filter((a) => a.action === "foia-download");
  assert.equal(downloads.length, 1, "the download is in the audit trail");
  assert.equal(downloads[0].object, REF);
  assert.match(downloads[0].details, new RegExp(`package ${dl.suggestedFilename().replace(/\./g, "\\.")} \\(\\d+ bytes\\)`));
  fs.rmSync(work, { recursive: true, force: true });
  await page.goto(`${s.base}/records/foia/${REF}`);
  await screenshot(page, "records-request-1280", { fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${s.base}/records/foia/${REF}/m/${OKAFOR}`);
  await screenshot(page, "records-review-390", { fullPage: true });
  await page.goto(`${s.base}/records/foia`);
  await screenshot(page, "records-register-390", { fullPage: true });

  // a stranger's markup is text on the search page, its brackets no mark of the index's
  await page.goto(`${s.base}/records?q=quokka`);
  assert.equal(await page.locator("table.hits .subject-line").innerText(), "<img src=x onerror=alert(1)> quokka");
  assert.match(await page.locator("table.hits .snippet").innerText(), /<script>alert\(2\)<\/script> \[quokka\] & <b>bold<\/b>/);
  assert.equal(await page.locator("table.hits img, table.hits script, table.hits b").count(), 0);
  assert.deepEqual(page.seen, { dialogs: [], errors: [], console: [] }, "no dialog, script error or CSP report on any page");
  await page.goto(`${s.base}/records?q=maple&for=${REF}`);
  await screenshot(page, "records-search-390", { fullPage: true });
});

browserTest("the coordinator reads the FOIA desk but no control is shown and every change is refused", s.getBrowser, async ({ newPage }) => {
  assert.ok(REF && OKAFOR && LOPEZ, "the first test made the request");
  const page = await newPage();
  await signIn(page, s.base, "coordinator");
  await page.goto(`${s.base}/records/foia`);
  assert.match(await page.locator(`table.register tr[data-ref="${REF}"]`).innerText(), /Jordan Price/);
  assert.equal(await page.locator("form[action='/records/foia']").count(), 0, "no new-request form");
  await axeClean(page, "the register (coordinator)");
  await page.goto(`${s.base}/records/foia/${REF}`);
  assert.equal(await page.locator("table.set tbody tr").count(), 2, "the set is readable");
  assert.equal(await page.locator("main form").count(), 0, "no form on the request page");
  await page.goto(`${s.base}/records/foia/${REF}/m/${OKAFOR}`);
  assert.ok(!(await page.locator("#produced").innerText()).includes(PHONE), "the preview is readable");
  assert.equal(await page.locator("main form").count(), 0, "no decision or revoke control");
  await axeClean(page, "the review desk (coordinator)");
  await page.goto(`${s.base}/records?q=maple`);
  assert.equal(await page.locator("p.total").innerText(), "2 found", "search is open to the coordinator");
  assert.equal(await page.locator("main form[method=post]").count(), 0, "no save form");

  const csrf = await page.locator("main").getAttribute("data-csrf");
  const before = s.console.liaison(["--as", "records", "foia", "show", REF, "--json"]);
  const posts = [
    ["/records/foia", { requester: "X", description: "Y", received: "2026-11-30" }],
    [`/records/foia/${REF}/add`, { all: "1", q: "school" }],
    [`/records/foia/${REF}/remove`, { m: OKAFOR }],
    [`/records/foia/${REF}/close`, { sure: "1" }],
    [`/records/foia/${REF}/m/${OKAFOR}/redact`, { mode: "text", text: "Maple", exemption: "1-210(b)(2)" }],
    [`/records/foia/${REF}/m/${OKAFOR}/unredact`, { number: "1" }],
    [`/records/foia/${REF}/m/${LOPEZ}/unwithhold`, {}],
    [`/records/foia/${REF}/m/${OKAFOR}/withhold`, { exemption: "1-210(b)(2)", reason: "Z" }],
    ["/records/saved", { name: "mine", q: "maple" }],
  ];
  for (const [path, form] of posts) {
    const r = await page.context().request.post(`${s.base}${path}`, { form: { csrf, ...form }, maxRedirects: 0 });
    assert.equal(r.status(), 403, `POST ${path} by the coordinator: ${r.status()}`);
    assert.match(await r.text(), /<a href="\/records">Back to the records desk<\/a>/, "the refusal leads back to the desk");
  }
  assert.equal(s.console.liaison(["--as", "records", "foia", "show", REF, "--json"]), before, "nothing changed");
});

browserTest("on 2026-12-04 the register says the request is overdue, in a word and a colour", s.getBrowser, async ({ newPage }) => {
  assert.ok(REF, "the first test made the request");
  const c = s.console;
  await c.stopChild(c.web);
  c.children = c.children.filter((x) => x !== c.web);
  c.webEnv = clockAt("2026-12-04 10:00:00");
  s.base = await c.startWeb();
  const page = await newPage();
  await signIn(page, s.base, "records");
  await page.goto(`${s.base}/records/foia`);
  const row = page.locator(`table.register tr[data-ref="${REF}"]`);
  assert.equal(await row.locator(".clock").innerText(), "Overdue by 2 business days");
  assert.equal(await row.getAttribute("class"), "overdue");
  const colour = await row.locator(".clock").evaluate((el) => getComputedStyle(el).color);
  assert.equal(colour, "rgb(164, 14, 14)", "in the overdue colour");
  await axeClean(page, "the register with an overdue request");
  await screenshot(page, "records-register-overdue-1280", { fullPage: true });

  // closed: the clock stops, the set is final and no control is left
  await page.goto(`${s.base}/records/foia/${REF}`);
  await page.check("#close-sure");
  await clickAndLoad(page, "button:text('Close " + REF + "')");
  assert.equal(await page.locator("p.done").innerText(), "Request closed: its set and decisions are final.");
  assert.equal(await page.locator("main form").count(), 0, "no control on a closed request");
  await page.goto(`${s.base}/records/foia/${REF}/m/${OKAFOR}`);
  assert.equal(await page.locator("main form").count(), 0, "nor on its review desk");
  await page.goto(`${s.base}/records/foia`);
  assert.equal(await row.locator(".clock").innerText(), "Closed");
  assert.equal(s.console.json(["--as", "records", "foia", "list"]).find((r) => r.ref === REF).status, "closed");
});
