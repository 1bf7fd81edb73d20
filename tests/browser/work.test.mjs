// Working a thread in the browser against the real Dovecot and SMTP receiver: a message
// delivered over IMAP and filed by `liaison poll --once`, then taken, noted and answered in
// the console; the next `liaison poll --once` sends the reply to the SMTP receiver and saves it
// in the Sent folder, and My outbox says so.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { browserTest, setup, signIn, clickAndLoad, eml } from "./lib.mjs";

const REPLY = "Dear Ms. Park,\n\nThank you. I can meet you on Thursday at 3 p.m. at the library.\n\nTpr. Reyes";
const NOTE = "Called her back, left a message about Thursday";
let REF;

const s = setup({ name: "work", servers: true }, (c) => {
  const file = path.join(c.dir, "park.eml");
  fs.writeFileSync(file, eml({
    from: "Dana Park <park@people.example>", subject: "Speeding on Route 9",
    body: "Cars race past the school every morning. Can someone come by?\n", id: "park-1@people.example",
  }));
  c.deliver("INBOX", file);
  c.liaison(["poll", "--once"]);
  REF = c.ref("park");
});

browserTest("take, note, reply: the reply reaches the SMTP receiver and the Sent folder", s.getBrowser, async ({ newPage }) => {
  const c = s.console;
  const page = await newPage();
  await signIn(page, s.base, "reyes");
  // the inbox (unassigned) lists it; its link opens it
  const row = page.locator(`table.threads tr[data-ref="${REF}"]`);
  assert.match(await row.locator("td.subject").innerText(), /Speeding on Route 9/);
  await clickAndLoad(page, `table.threads tr[data-ref="${REF}"] td.ref a`);
  assert.equal(new URL(page.url()).pathname, `/t/${REF}`);
  assert.match(await page.locator("article.message pre.text").first().innerText(), /race past the school/);

  await clickAndLoad(page, "button[data-key=a]");
  assert.equal(await page.locator("p.done").innerText(), "The thread is yours.");
  assert.equal(await page.locator("dl.facts dt:text-is('Assignee') + dd").innerText(), "reyes");
  assert.equal(await page.locator("dl.facts dt:text-is('Status') + dd").innerText(), "open");
  assert.equal(await page.inputValue("select[name=status]"), "open", "the status form starts at the status");

  await page.fill("#note-text", NOTE);
  await clickAndLoad(page, "#note button[type=submit]");
  assert.equal(await page.locator("p.done").innerText(), "Note added.");
  const note = page.locator(".history li.note", { hasText: NOTE });
  assert.equal(await note.count(), 1, "the note is in the history");
  assert.match(await note.innerText(), /Internal note/);

  const smtpBefore = c.smtpMessages().length;
  const sentBefore = c.folderCount("Sent");
  await page.fill("#reply-text", REPLY);
  await clickAndLoad(page, "#reply button[type=submit]");
  assert.equal(await page.locator("h1").innerText(), "Send this reply to park@people.example?");
  assert.equal(await page.locator("pre.preview").first().innerText(), REPLY, "the preview is the text as written");
  assert.match(await page.locator("details pre.preview").textContent(), /^Message-ID: </m, "the source as it will be sent");
  assert.equal(c.json(["--as", "admin", "outbox"]).filter((o) => o.kind === "reply").length, 0, "a preview queues nothing");
  await clickAndLoad(page, "form[action$='/reply'] button[type=submit]");
  assert.equal(new URL(page.url()).pathname, `/t/${REF}`);
  assert.match(await page.locator("p.done").innerText(), /Reply queued/);

  await page.goto(`${s.base}/outbox`);
  const mine = page.locator("table.outbox tbody tr");
  assert.equal(await mine.count(), 1);
  assert.match(await mine.innerText(), /park@people\.example[\s\S]*queued/);
  assert.equal(await mine.locator("button", { hasText: "Cancel" }).count(), 1, "a queued reply may be cancelled");

  c.liaison(["poll", "--once"]);
  const sent = c.smtpMessages().slice(smtpBefore);
  const reply = sent.filter((m) => m.eml.includes("Thursday at 3 p.m."));
  assert.equal(reply.length, 1, `one reply at the SMTP receiver (${sent.length} new messages)`);
  assert.deepEqual(reply[0].meta.rcpt_tos, ["park@people.example"]);
  assert.equal(reply[0].meta.mail_from.toLowerCase(), "troopkctl@ct.gov");
  assert.match(reply[0].eml, new RegExp(`^Subject: Re: \\[CTL ${REF}\\] Speeding on Route 9`, "m"));
  assert.match(reply[0].eml, /^In-Reply-To: <park-1@people\.example>/m);
  assert.ok(!sent.some((m) => m.eml.includes(NOTE)), "the internal note went to no one");
  assert.equal(c.folderCount("Sent"), sentBefore + 1, "saved in the Sent folder");

  await page.reload();
  assert.match(await mine.innerText(), /\bsent\b/, "My outbox says it was sent");
  assert.equal(await mine.locator("button", { hasText: "Cancel" }).count(), 0);
  await page.goto(`${s.base}/t/${REF}`);
  assert.equal(await page.locator("article.message.out", { hasText: "Thursday at 3 p.m." }).count(), 1,
    "the thread shows the reply, sent");
});
