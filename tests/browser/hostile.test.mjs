// Hostile mail shown inert: tests/fixtures/hostile (make-hostile.py: broken MIME, NULs,
// 8-bit headers, a 2000-character line, a subject of 60,000 broken encoded words...) and a
// message written to break a page (markup and script in its subject, sender, text, HTML part
// and attachment file name), imported into troop K. On every page that shows them: no dialog,
// no script error, no console error (a script the CSP blocked is one), no element or handler
// the mail brought, the markup shown as text, and nothing wider than the window.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { browserTest, setup, signIn, eml, waitFor, TOP, PY } from "./lib.mjs";

const SUBJECT = '<script>alert("subject")</script> help';
const SENDER = "<img src=x onerror=alert('from')>";
const BODY = '</pre><script>alert("body")</script><b>bold?</b> <a href="javascript:alert(1)">click</a>';
const FILE = "<svg onload=alert('file')>.html";
let MINE, ALL = [];

const s = setup({ name: "hostile" }, (c) => {
  const out = path.join(c.dir, "hostile");
  execFileSync(PY, [path.join(TOP, "tests/fixtures/hostile/make-hostile.py"), out]);
  const filed = fs.readFileSync(path.join(TOP, "tests/fixtures/hostile/expected.txt"), "utf8")
    .split("\n").map((l) => l.split(" ")).filter(([name, want]) => want === "filed" && fs.existsSync(path.join(out, name)));
  assert.ok(filed.length >= 10, `the hostile fixtures that are filed (${filed.length})`);
  const messages = {};
  for (const [name] of filed) messages[name] = fs.readFileSync(path.join(out, name));
  messages["mine.eml"] = eml({
    from: `"${SENDER}" <mallory@example.org>`,
    subject: SUBJECT,
    id: "hostile-mine@example.org",
    headers: ['Content-Type: multipart/mixed; boundary="XX"'],
    body: [
      "--XX", "Content-Type: text/plain; charset=utf-8", "", BODY,
      "--XX", "Content-Type: text/html; charset=utf-8", "",
      '<img src=x onerror=alert("html")><script>alert("html")</script><p>html part</p>',
      "--XX", `Content-Type: text/html; name="${FILE}"`, `Content-Disposition: attachment; filename="${FILE}"`, "",
      '<script>alert("attachment")</script>',
      "--XX--", "",
    ].join("\n"),
  });
  const r = c.importMessages("K", messages);
  assert.equal(r.quarantined, 0, JSON.stringify(r));
  MINE = c.ref("mallory");
  ALL = c.threads().map((t) => t.ref);
});

// What the page did and holds that mail must never bring.
async function inert(page, what) {
  const dom = await page.evaluate(() => {
    const scripts = [...document.scripts].map((x) => x.getAttribute("src") || "inline");
    const handlers = [];
    for (const el of document.querySelectorAll("*"))
      for (const a of el.attributes)
        if (/^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)) handlers.push(`${el.tagName} ${a.name}`);
    const embedded = document.querySelectorAll("img, svg, iframe, object, embed, video, audio, base, meta[http-equiv]").length;
    return { scripts, handlers, embedded };
  });
  assert.deepEqual(dom.scripts, ["/static/app.js"], `${what}: the console's script only`);
  assert.deepEqual(dom.handlers, [], `${what}: no event handler or javascript: URL`);
  assert.equal(dom.embedded, 0, `${what}: no image, frame or object from the mail`);
  assert.deepEqual(page.seen.dialogs, [], `${what}: no dialog`);
  assert.deepEqual(page.seen.errors, [], `${what}: no script error`);
  assert.deepEqual(page.seen.console, [], `${what}: no console error`);
  const w = await page.evaluate(() => {
    const cw = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll("body *")].filter((el) => el.getBoundingClientRect().right > cw + 0.5)
      .map((el) => `${el.tagName.toLowerCase()}${el.className ? "." + el.className : ""}`);
    return [document.documentElement.scrollWidth, cw, wide.slice(0, 8).join(", ")];
  });
  assert.ok(w[0] <= w[1], `${what}: nothing overflows horizontally (scrollWidth ${w[0]} > ${w[1]}: ${w[2]})`);
}

browserTest("the page's watch catches a dialog and a blocked script (the checks can fail)", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  await page.setContent("<script>alert('caught')</script>");
  assert.deepEqual(page.seen.dialogs, ["alert: caught"]);
  // a script put into a console page is refused by its CSP, and chromium says so
  await signIn(page, s.base, "reyes");
  await page.evaluate(() => {
    const sc = document.createElement("script");
    sc.textContent = "window.__ran = 1";
    document.body.append(sc);
  });
  assert.equal(await page.evaluate(() => window.__ran), undefined, "the CSP blocked it");
  await waitFor("the CSP's console error", () => page.seen.console.some((m) => /Content Security Policy/.test(m)), 5000);
});

for (const [label, viewport] of [["a desktop window", { width: 1280, height: 900 }], ["a phone", { width: 375, height: 812 }]]) {
  browserTest(`hostile subjects, senders, texts and file names are inert in the inbox and threads (${label})`, s.getBrowser, async ({ newPage }) => {
    const page = await newPage({ viewport });
    await signIn(page, s.base, "reyes");
    page.seen.console.length = 0;
    await page.goto(`${s.base}/?view=all`);
    await inert(page, "inbox");
    assert.equal(await page.locator("table.threads tbody tr").count(), ALL.length, "every thread listed");
    const row = page.locator(`table.threads tr[data-ref="${MINE}"]`);
    assert.equal(await row.locator("td.subject a").innerText(), SUBJECT, "the subject shown as text");
    assert.equal(await row.locator("td.who").innerText(), SENDER, "the sender's name shown as text");

    for (const ref of ALL) {
      const resp = await page.goto(`${s.base}/t/${ref}`);
      assert.equal(resp.status(), 200, ref);
      await inert(page, `thread ${ref}`);
    }
    await page.goto(`${s.base}/t/${MINE}`);
    assert.equal(await page.locator("article.thread h1").innerText(), `${MINE} ${SUBJECT}`);
    assert.match(await page.locator("article.message pre.text").innerText(), new RegExp(BODY.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    const link = page.locator("ul.attachments a", { hasText: FILE });
    assert.equal(await link.count(), 1, "the attachment's name shown as text");
    assert.match(await link.getAttribute("href"), new RegExp(`^/a/${MINE}/\\d+$`));
    assert.notEqual(await link.getAttribute("download"), null, "a download");
    const file = await page.context().request.get(s.base + (await link.getAttribute("href")));
    assert.equal(file.headers()["content-type"], "application/octet-stream");
    assert.match(file.headers()["content-disposition"], /^attachment; filename="[A-Za-z0-9 !#$%&'()+,.=@[\]^_`{}~-]+"$/);

    // search shows subjects and snippets too
    await page.goto(`${s.base}/?q=alert`);
    await inert(page, "search");
    assert.ok(await page.locator("ol.hits li").count() >= 1, "the search finds the hostile message");
  });
}
