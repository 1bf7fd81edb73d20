// Who sees what, and what a session may do: another troop's thread by URL is "not found", a
// confidential thread is masked for a liaison who is not its assignee, a form posted from
// another origin is refused and changes nothing, and an ended session (revoked by its id or
// all of a user's: what an idle time-out also does) sends the next page to sign in.
import assert from "node:assert/strict";
import http from "node:http";
import { browserTest, setup, signIn, clickAndLoad, eml, waitFor } from "./lib.mjs";

const CONFIDENTIAL_TEXT = "My neighbour threatens me; please do not tell anyone I wrote.";
let ANN, CAROL, SECRET;

const s = setup({ name: "access" }, (c) => {
  c.importMessages("K", {
    "ann.eml": eml({ from: "Ann Old <ann@example.org>", subject: "Streetlight out on Elm Street",
      body: "The streetlight at the corner of Elm and Main has been out for a week.\n", id: "ann-1@example.org" }),
    "sue.eml": eml({ from: "Sue Quiet <sue@example.org>", subject: "A private matter",
      body: CONFIDENTIAL_TEXT + "\n", id: "sue-1@example.org", date: "Tue, 04 Mar 2025 09:00:00 -0500" }),
  });
  c.importMessages("L", {
    "carol.eml": eml({ from: "Carol Else <carol@example.org>", to: "TroopLCTL@ct.gov", subject: "Noise complaint",
      body: "The neighbours play loud music every night.\n", id: "carol-1@example.org" }),
  });
  ANN = c.ref("ann");
  CAROL = c.ref("carol");
  SECRET = c.ref("sue");
  // walsh takes the private one and marks it confidential
  c.liaison(["--as", "walsh", "take", SECRET]);
  c.liaison(["--as", "walsh", "flag", SECRET, "confidential"]);
});

browserTest("a liaison of troop L opening a troop K thread by URL gets 404, not the thread", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  await signIn(page, s.base, "bell");
  const own = await page.goto(`${s.base}/t/${CAROL}`);
  assert.equal(own.status(), 200, "bell's own troop's thread");
  assert.match(await page.locator("article.thread h1").innerText(), /Noise complaint/);
  const other = await page.goto(`${s.base}/t/${ANN}`);
  assert.equal(other.status(), 404);
  assert.equal(await page.locator("h1").innerText(), "Not found");
  const text = await page.locator("body").innerText();
  assert.ok(!text.includes("Streetlight") && !text.includes("ann@example.org"), "nothing of the thread shown");
  await page.goto(`${s.base}/?view=all`);
  const refs = await page.locator("table.threads tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.ref));
  assert.deepEqual(refs, [CAROL], "bell's inbox lists troop L only");
  // its actions are refused alike
  const take = await page.context().request.post(`${s.base}/t/${ANN}/take`, {
    form: { csrf: await page.locator("main").getAttribute("data-csrf") },
  });
  assert.equal(take.status(), 404, `POST take: ${take.status()} ${await take.text()}`);
  assert.doesNotMatch(s.console.history(ANN), /take/, "the thread is not taken");
});

browserTest("a confidential thread is masked for a liaison who is not its assignee", s.getBrowser, async ({ newPage }) => {
  const reyes = await newPage();
  await signIn(reyes, s.base, "reyes");
  await reyes.goto(`${s.base}/?view=all`);
  const row = reyes.locator(`table.threads tr[data-ref="${SECRET}"]`);
  assert.match(await row.locator("td.subject").innerText(), /^confidential/, "the subject is masked in the list");
  assert.equal(await row.locator("td.who").innerText(), "confidential", "so is the correspondent");
  assert.equal(await row.locator(".flag.confidential").count(), 1, "flagged with its letter");
  const listing = await reyes.locator("body").innerText();
  assert.ok(!listing.includes("A private matter") && !listing.includes("sue@example.org"), "nothing of it in the inbox");

  const resp = await reyes.goto(`${s.base}/t/${SECRET}`);
  assert.equal(resp.status(), 200, "the thread exists for the troop");
  await reyes.locator("p.masked").waitFor();
  const masked = await reyes.locator("body").innerText();
  assert.ok(!masked.includes(CONFIDENTIAL_TEXT), "the message text is not shown");
  assert.ok(!masked.includes("sue@example.org") && !masked.includes("A private matter"), "nor who wrote or about what");
  assert.equal(await reyes.locator("article.message").count(), 0);

  const walsh = await newPage();
  await signIn(walsh, s.base, "walsh");
  await walsh.goto(`${s.base}/t/${SECRET}`);
  assert.match(await walsh.locator("article.message pre.text").innerText(), /threatens me/, "the assignee reads it");
  assert.equal(await walsh.locator("p.masked").count(), 0);
});

// A page of another origin (127.0.0.1, another port) whose forms post to the console by
// themselves: one with no token, one with the session's real token (as if it had leaked), so
// the Origin check alone is what refuses the second.
function evilServer(base, ref, token) {
  const page = `<!DOCTYPE html><html><head><title>Win a prize</title></head><body>
<form id="f1" method="post" action="${base}/t/${ref}/note" target="one"><input name="text" value="forged without token"></form>
<form id="f2" method="post" action="${base}/t/${ref}/note" target="two"><input name="csrf" value="${token}"><input name="text" value="forged with the token"></form>
<form id="f3" method="post" action="${base}/t/${ref}/take"><input name="csrf" value="${token}"></form>
<iframe name="one"></iframe><iframe name="two"></iframe>
<script>document.getElementById("f1").submit(); document.getElementById("f2").submit();
setTimeout(function () { document.getElementById("f3").submit(); }, 0);</script></body></html>`;
  const server = http.createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(page);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

browserTest("a form posted from another origin is refused and changes nothing", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  await signIn(page, s.base, "reyes");
  await page.goto(`${s.base}/t/${ANN}`);
  const token = await page.locator("main").getAttribute("data-csrf");
  assert.ok(token && token.length > 20, "the page carries the session's form token");
  const before = s.console.history(ANN);

  const server = await evilServer(s.base, ANN, token);
  try {
    const evil = `http://127.0.0.1:${server.address().port}/`;
    const answers = [];
    page.on("response", (r) => {
      if (r.request().method() === "POST") answers.push({ path: new URL(r.url()).pathname, status: r.status() });
    });
    await page.goto(evil);
    // the top-level form navigates away to the console's answer
    await page.waitForURL(`${s.base}/t/${ANN}/take`);
    assert.match(await page.locator("body").innerText(), /Refused: this form did not come from this console/);
    await waitFor("the answers to the three posts", () => answers.length >= 3, 10000);
    assert.deepEqual(answers.map((a) => a.status), [403, 403, 403], JSON.stringify(answers));
  } finally {
    server.close();
  }
  const after = s.console.history(ANN);
  assert.equal(after, before, "the thread's history is unchanged");
  assert.doesNotMatch(after, /forged/);
  await page.goto(`${s.base}/t/${ANN}`);
  assert.equal(await page.locator(".facts dd", { hasText: "reyes" }).count(), 0, "not taken");
  // the same note from the console's own form is taken: the refusal was for the origin
  await page.fill("#note-text", "Called back, left a message");
  await clickAndLoad(page, "#note button[type=submit]");
  assert.match(await page.locator(".history li.note").innerText(), /Called back, left a message/);
});

browserTest("revoking: one session by its id, then all of a user's; the next page asks to sign in", s.getBrowser, async ({ newPage }) => {
  // two sessions of reyes, told apart by their browsers' User-Agent
  const a = await newPage({ userAgent: "liaison-browser-test session-A" });
  const b = await newPage({ userAgent: "liaison-browser-test session-B" });
  await signIn(a, s.base, "reyes");
  await signIn(b, s.base, "reyes");
  await a.goto(`${s.base}/t/${ANN}`);
  const sessions = s.console.json(["--as", "admin", "sessions", "--user", "reyes"]);
  const idOf = (ua) => sessions.find((x) => x.user_agent === ua)?.id;
  assert.ok(idOf("liaison-browser-test session-A") && idOf("liaison-browser-test session-B"), JSON.stringify(sessions));

  s.console.liaison(["--as", "admin", "sessions", "--revoke", String(idOf("liaison-browser-test session-B"))]);
  await b.reload();
  assert.equal(new URL(b.url()).pathname, "/signin", "B's next page is the sign-in");
  assert.equal(new URL(b.url()).searchParams.get("next"), "/");
  await a.goto(`${s.base}/`);
  assert.equal(new URL(a.url()).pathname, "/", "A is still signed in");

  await a.goto(`${s.base}/t/${ANN}`);
  s.console.liaison(["--as", "admin", "sessions", "--revoke-user", "reyes"]);
  // a form on the page loaded before the revocation: refused, nothing done
  await a.fill("#note-text", "written after the end of the session");
  const resp = await clickAndLoad(a, "#note button[type=submit]");
  assert.equal(resp.status(), 403);
  assert.match(await a.locator("body").innerText(), /Your session has ended: sign in again/);
  assert.doesNotMatch(s.console.history(ANN), /after the end of the session/);
  await a.goto(`${s.base}/t/${ANN}`);
  assert.equal(new URL(a.url()).pathname, "/signin", "A's next page is the sign-in");
  assert.equal(new URL(a.url()).searchParams.get("next"), `/t/${ANN}`);
  // and signing in again leads back there
  await signIn(a, s.base, "reyes");
  assert.equal(new URL(a.url()).pathname, `/t/${ANN}`);
});
