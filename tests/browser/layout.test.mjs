// Every page through axe-core (no violation of impact serious or critical: sign-in, its
// error, each inbox view, search, a thread, the keys' help, the reply preview, My outbox, not
// found; the enrolment and code pages are checked in signin.test.mjs), and the inbox and a
// thread on a 375x812 phone with no horizontal scrolling. Screenshots of both sizes are saved
// in tests/browser/screenshots/ to be looked at.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { browserTest, setup, signIn, submitSignin, clickAndLoad, eml, axeViolations, screenshot } from "./lib.mjs";

let REF, URGENT;

const s = setup({ name: "layout" }, (c) => {
  c.importMessages("K", {
    "ann.eml": eml({ from: "Ann Old <ann@example.org>", subject: "Streetlight out on Elm Street",
      body: "The streetlight at the corner of Elm and Main has been out for a week.\nIt is very dark when I walk home from the bus stop at night, and two cars nearly hit a cyclist there on Friday.\n\nAnn\n",
      id: "ann-1@example.org" }),
    "bob.eml": eml({ from: "Bob Early <bob@example.org>", subject: "Fingerprinting hours",
      body: "What are the barracks' hours for fingerprinting?\n", id: "bob-1@example.org", date: "Mon, 03 Mar 2025 11:00:00 -0500" }),
    "dee.eml": eml({ from: "Dee Alvarez-Montgomery <dee.alvarez-montgomery@longer-domain-name.example.org>",
      subject: "Someone keeps following my daughter home from the school bus and I am scared",
      headers: ['Content-Type: multipart/mixed; boundary="B"'], id: "dee-1@example.org", date: "Mon, 03 Mar 2025 12:00:00 -0500",
      body: ["--B", "Content-Type: text/plain; charset=utf-8", "",
        "A man in a grey car waits near the stop on Route 9 every afternoon. I wrote down the plate.",
        "--B", 'Content-Type: application/pdf; name="plate-and-photos-of-the-grey-car.pdf"',
        'Content-Disposition: attachment; filename="plate-and-photos-of-the-grey-car.pdf"', "Content-Transfer-Encoding: base64", "",
        Buffer.from("%PDF-1.4\n% not really\n").toString("base64"), "--B--", ""].join("\n") }),
  });
  REF = c.ref("ann");
  URGENT = c.ref("dee.alvarez-montgomery");
  c.liaison(["--as", "reyes", "take", REF]);
  c.liaison(["--as", "reyes", "note", REF, "--text", "Called back, left a message"]);
  fs.writeFileSync(path.join(c.dir, "reply.txt"), "Dear Ann,\n\nThank you; the town's public works office has been told.\n\nTpr. Reyes\n");
  c.liaison(["--as", "reyes", "reply", REF, "--file", path.join(c.dir, "reply.txt")]);
  c.liaison(["--as", "walsh", "flag", URGENT, "urgent"]);
});

browserTest("axe finds what it should (a picture with no text is critical)", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  await page.setContent('<!DOCTYPE html><html lang="en"><title>t</title><main><img src="data:,"></main></html>');
  const v = await axeViolations(page);
  assert.ok(v.some((x) => x.startsWith("critical image-alt")), v.join("\n"));
});

browserTest("axe: no serious or critical violation on any page", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  const check = async (what) => assert.deepEqual(await axeViolations(page), [], `axe on ${what} (${page.url()})`);
  await page.goto(`${s.base}/signin`);
  await check("the sign-in page");
  await submitSignin(page, s.base, "reyes", "not the password");
  await check("the sign-in page with its error");
  await signIn(page, s.base, "reyes");
  const views = await page.locator("nav.views a[data-view]").evaluateAll((as) => as.map((a) => a.dataset.view));
  assert.ok(views.length >= 5, views.join());
  for (const v of views) {
    await page.goto(`${s.base}/?view=${v}`);
    await page.locator(`nav.views [data-count="${v}"]:not(:empty)`).waitFor(); // the counts are in
    await check(`the ${v} view`);
  }
  await page.goto(`${s.base}/?q=streetlight`);
  assert.ok(await page.locator("ol.hits li").count() >= 1);
  await check("search results");
  await page.goto(`${s.base}/t/${URGENT}`);
  await check("a thread with an attachment");
  await page.goto(`${s.base}/t/${REF}`);
  await check("a thread with a note and a reply");
  await page.keyboard.press("?");
  await page.locator("#help").waitFor();
  await check("the keys' help");
  await page.keyboard.press("Escape");
  await page.fill("#reply-text", "We can meet on Thursday.");
  await clickAndLoad(page, "#reply button[type=submit]");
  await page.locator("pre.preview").first().waitFor();
  await check("the reply preview");
  await page.goto(`${s.base}/outbox`);
  assert.equal(await page.locator("table.outbox tbody tr").count(), 1);
  await check("My outbox");
  await page.goto(`${s.base}/t/NO-SUCH-1`);
  await check("not found");
});

async function width(page) {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
}

browserTest("a 375x812 phone: the inbox and a thread need no horizontal scrolling", s.getBrowser, async ({ newPage }) => {
  const page = await newPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  await page.goto(`${s.base}/signin`);
  await screenshot(page, "phone-signin");
  assert.ok((await width(page)).scroll <= 375, "sign-in");
  await signIn(page, s.base, "reyes");
  await page.goto(`${s.base}/?view=all`);
  await page.locator('nav.views [data-count="all"]:not(:empty)').waitFor();
  await screenshot(page, "phone-inbox", { fullPage: true });
  let w = await width(page);
  assert.ok(w.scroll <= 375, `inbox: scrollWidth ${w.scroll}`);
  for (const ref of [REF, URGENT]) {
    await page.goto(`${s.base}/t/${ref}`);
    await screenshot(page, `phone-thread-${ref === REF ? "worked" : "attachment"}`, { fullPage: true });
    w = await width(page);
    assert.ok(w.scroll <= 375, `thread ${ref}: scrollWidth ${w.scroll}`);
  }
  await page.goto(`${s.base}/outbox`);
  await screenshot(page, "phone-outbox", { fullPage: true });
  w = await width(page);
  assert.ok(w.scroll <= 375, `outbox: scrollWidth ${w.scroll}`);
});

browserTest("desktop screenshots of the inbox, a thread, its reply preview and the keys' help", s.getBrowser, async ({ newPage }) => {
  const page = await newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, s.base, "reyes");
  await page.goto(`${s.base}/?view=all`);
  await page.locator('nav.views [data-count="all"]:not(:empty)').waitFor();
  await screenshot(page, "desktop-inbox", { fullPage: true });
  await page.goto(`${s.base}/t/${URGENT}`);
  await screenshot(page, "desktop-thread", { fullPage: true });
  await page.keyboard.press("?");
  await page.locator("#help").waitFor();
  await screenshot(page, "desktop-help");
  await page.keyboard.press("Escape");
  await page.fill("#reply-text", "Dear Ms. Alvarez-Montgomery,\n\nPlease call 9-1-1 if you see the car again.");
  await clickAndLoad(page, "#reply button[type=submit]");
  await screenshot(page, "desktop-reply-preview", { fullPage: true });
  const w = await width(page);
  assert.ok(w.scroll <= w.client, `reply preview: scrollWidth ${w.scroll}`);
});
