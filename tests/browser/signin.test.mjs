// Signing in: a wrong password, the way back to the page asked for, throttling after five
// failures (its own console: failures count by address too, and every test comes from
// 127.0.0.1), and a coordinator under [web] mfa = required enrolling a TOTP app and signing in
// with its code.
import assert from "node:assert/strict";
import { before, after, test } from "node:test";
import {
  Console, browserTest, launch, setup, signIn, submitSignin, clickAndLoad, totp, totpOfKey,
  totpStep, axeViolations, PASSWORD, failedSoFar,
} from "./lib.mjs";

const s = setup({ name: "signin", web: ["mfa = required"] });

test("the TOTP code of the tests is RFC 6238's (SHA-1 vectors at 59 s and 1111111109 s)", () => {
  const key = Buffer.from("12345678901234567890");
  assert.equal(totpOfKey(key, 59, 8), "94287082");
  assert.equal(totpOfKey(key, 1111111109, 8), "07081804");
  assert.equal(totpOfKey(key, 59), "287082");
});

browserTest("a wrong password is refused; the right one leads to the page first asked for", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  await page.goto(s.base + "/outbox");
  assert.equal(new URL(page.url()).pathname, "/signin", "no session: sent to sign in");
  assert.equal(new URL(page.url()).searchParams.get("next"), "/outbox");
  const bad = await submitSignin(page, s.base, "reyes", "not the password");
  assert.equal(bad.status(), 403);
  assert.match(await page.locator("[role=alert]").innerText(), /wrong user name or password/);
  assert.equal(await page.locator("header.top .who").count(), 0, "not signed in");
  // the form kept where to go after
  assert.equal(await page.locator("input[name=next]").getAttribute("value"), "/outbox");
  await signIn(page, s.base, "reyes");
  assert.equal(new URL(page.url()).pathname, "/outbox", "back to the page asked for");
  assert.equal(await page.locator("h1").innerText(), "My outbox");
});

browserTest("five failures: the sixth try, even with the right password, shows the wait", s.getBrowser, async ({ newPage }) => {
  // a console of its own: the failures also count against 127.0.0.1, where every test is
  const c = await new Console({ name: "throttle" }).start();
  try {
    const base = await c.startWeb();
    const page = await newPage();
    for (let i = 1; i <= 5; i++) {
      const r = await submitSignin(page, base, "walsh", `wrong guess ${i}`);
      assert.ok(r.status() === 403 || r.status() === 429, `failure ${i}: status ${r.status()}`);
      assert.match(await page.locator("[role=alert]").innerText(), /wrong user name or password/, `failure ${i}`);
    }
    const r = await submitSignin(page, base, "walsh", PASSWORD);
    assert.equal(r.status(), 429, "refused while the wait lasts");
    const retry = Number(r.headers()["retry-after"]);
    assert.ok(retry > 0 && retry <= 60, `Retry-After ${r.headers()["retry-after"]}`);
    const wait = await page.locator("[role=alert]").innerText();
    const m = /too many failed sign-ins; try again in (\d+) (second|seconds|minute)$/.exec(wait);
    assert.ok(m, `the wait is shown: ${wait}`);
    assert.ok(m[2] === "minute" ? m[1] === "1" : Number(m[1]) > 0 && Number(m[1]) <= 60, wait);
    assert.equal(await page.locator("header.top .who").count(), 0, "the right password did not sign in meanwhile");
    await page.goto(base + "/");
    assert.equal(new URL(page.url()).pathname, "/signin", "still no session");
    const audit = JSON.parse(c.liaison(["--as", "records", "audit", "--json"]));
    assert.equal(audit.filter((e) => e.action === "signin-failed").length, 5, "five failures audited");
    assert.ok(audit.some((e) => e.action === "signin-refused"), "the refusal audited");
  } finally {
    await c.stop({ keep: failedSoFar() });
  }
});

browserTest("mfa = required: a coordinator enrols a TOTP app, signs out, signs in with a code", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  await submitSignin(page, s.base, "coordinator");
  assert.equal(new URL(page.url()).pathname, "/signin/enrol", "the password alone leads to the enrolment");
  assert.equal(await page.locator(".qr svg[role=img]").count(), 1, "the QR code is drawn");
  const secret = (await page.locator("code.secret").innerText()).trim();
  assert.match(secret, /^[A-Z2-7]{32}$/, "a base32 secret of 20 bytes");
  assert.deepEqual(await axeViolations(page), [], "axe on the enrolment page");
  // a page that needs a user is still closed to this half-signed-in session
  const half = await page.context().request.get(s.base + "/", { maxRedirects: 0 });
  assert.equal(half.status(), 303);

  const now = Date.now() / 1000;
  const enrolCode = totp(secret, now);
  await page.fill("#code", enrolCode);
  await clickAndLoad(page, "form[action='/signin/enrol'] button");
  assert.equal(new URL(page.url()).pathname, "/", "enrolled and signed in");
  await page.locator("header.top .who", { hasText: "coordinator" }).waitFor();

  await clickAndLoad(page, "form.signout button");
  assert.equal(new URL(page.url()).pathname, "/signin", "signed out");
  await page.goto(s.base + "/");
  assert.equal(new URL(page.url()).pathname, "/signin", "the session is over");

  // the password again: now the code page
  await submitSignin(page, s.base, "coordinator");
  await page.locator("form[action='/signin/code']").waitFor();
  assert.deepEqual(await axeViolations(page), [], "axe on the code page");
  // the enrolment's code again: used once already (or, past its window, simply wrong)
  const replay = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === "/signin/code"),
    page.fill("#code", enrolCode).then(() => page.click("form[action='/signin/code'] button")),
  ]).then(([r]) => r);
  await page.waitForLoadState("load");
  assert.equal(replay.status(), 403, "a code is good once");
  const replayText = await page.locator("[role=alert]").innerText();
  if (totpStep(Date.now() / 1000) - totpStep(now) <= 1)
    assert.match(replayText, /used already/);
  else
    assert.match(replayText, /wrong code/);
  assert.equal(await page.locator("header.top .who").count(), 0);
  // the app's next code (the server takes one step either side; the enrolment took this
  // step, so the next one is the first it has not seen)
  await page.fill("#code", totp(secret, Date.now() / 1000 + 30));
  await clickAndLoad(page, "form[action='/signin/code'] button");
  assert.equal(new URL(page.url()).pathname, "/");
  await page.locator("header.top .who", { hasText: "coordinator" }).waitFor();
  const audit = JSON.parse(s.console.liaison(["--as", "records", "audit", "--json"]));
  for (const action of ["mfa-enrol", "signin-code", "signout"])
    assert.ok(audit.some((e) => e.action === action && e.user === "coordinator"), `audited: ${action}`);
});

browserTest("two tabs on the sign-in page: the first one's form still signs in", s.getBrowser, async ({ newPage }) => {
  // as after a session ended with several tabs open: each one reloads to the sign-in page
  const first = await newPage();
  await first.goto(s.base + "/?view=all");
  const second = await first.context().newPage();
  await second.goto(s.base + "/outbox");
  assert.equal(new URL(second.url()).pathname, "/signin");
  const r = await submitSignin(first, s.base, "walsh");
  assert.equal(r.status(), 303, `signed in from the first tab: ${r.status()} ${await first.locator("body").innerText()}`);
  await first.locator("header.top .who", { hasText: "walsh" }).waitFor();
  assert.equal(new URL(first.url()).pathname, "/");
  await second.close();
});
