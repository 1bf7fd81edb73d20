// What changes while a page is open: two liaisons of troop K on one thread see each other
// (viewing, then writing a reply), and a message delivered to Dovecot while the inbox is open,
// filed by a running `liaison poll` (IMAP IDLE), appears in the list without a reload.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { browserTest, setup, signIn, eml, waitFor } from "./lib.mjs";

let REF;

const s = setup({ name: "live", servers: true }, async (c) => {
  c.importMessages("K", {
    "ann.eml": eml({ from: "Ann Old <ann@example.org>", subject: "Streetlight out on Elm Street",
      body: "The streetlight at the corner of Elm and Main has been out for a week.\n", id: "ann-1@example.org" }),
  });
  REF = c.ref("ann");
  c.startPoll();
});

browserTest("two liaisons on one thread: each sees the other viewing, then writing a reply", s.getBrowser, async ({ newPage }) => {
  const walsh = await newPage();
  const reyes = await newPage();
  await signIn(walsh, s.base, "walsh");
  await signIn(reyes, s.base, "reyes");
  await walsh.goto(`${s.base}/t/${REF}`);
  await reyes.goto(`${s.base}/t/${REF}`);
  // the line the page keeps up to date (its heartbeat every 5 s hands back who else is there)
  await reyes.locator("#presence", { hasText: "walsh is viewing" }).waitFor({ timeout: 15000 });
  await walsh.locator("#presence", { hasText: "reyes is viewing" }).waitFor({ timeout: 15000 });
  assert.doesNotMatch(await reyes.locator("#presence").innerText(), /reyes/, "one's own name is not shown");
  assert.equal(await reyes.locator(".presence").count(), 1, "one presence line (the page's first list replaced)");
  await walsh.locator("#reply-text").pressSequentially("We can meet");
  await reyes.locator("#presence", { hasText: "walsh is writing a reply" }).waitFor({ timeout: 15000 });
  assert.doesNotMatch(await reyes.locator("#presence").innerText(), /walsh is viewing/, "one state per person");
});

browserTest("a message delivered while the inbox is open appears in it without a reload", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  await signIn(page, s.base, "reyes");
  await page.goto(`${s.base}/?view=unassigned`);
  const rows = page.locator("table.threads tbody tr");
  const before = await rows.count();
  const subject = `Loose dog on Maple Avenue ${process.pid}`;
  assert.equal(await page.locator("table.threads tbody tr", { hasText: subject }).count(), 0);
  // a mark that a reload would lose
  await page.evaluate(() => { window.__notReloaded = true; });
  let navigations = 0;
  page.on("framenavigated", (f) => { if (f === page.mainFrame()) navigations++; });

  const file = path.join(s.console.dir, "dog.eml");
  fs.writeFileSync(file, eml({ from: "Mo Reed <mo@people.example>", subject,
    body: "A loose dog has been on Maple Avenue since this morning.\n", id: `dog-${process.pid}@people.example` }));
  s.console.deliver("INBOX", file);

  // filed by the running poller, then shown by the page's own poll of /live (every 4 s)
  await page.locator("table.threads tbody tr", { hasText: subject }).waitFor({ timeout: 30000 });
  assert.equal(await rows.count(), before + 1);
  assert.equal(await page.evaluate(() => window.__notReloaded), true, "the page was not reloaded");
  assert.equal(navigations, 0, "no navigation");
  // the counts follow: the view's in the navigation and the title's
  const unassigned = s.console.json(["--as", "reyes", "threads"]).filter((t) => !t.assignee).length;
  await waitFor("the title's count", async () => (await page.title()).startsWith(`(${unassigned}) `), 10000);
  assert.equal(await page.locator('nav.views [data-count="unassigned"]').innerText(), String(unassigned));
});
