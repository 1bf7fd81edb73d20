// Session expiry for real, with [web] session_idle = 1m: liaison web runs with libfaketime on a
// clock five times as fast (the browser and this file keep the real one), so a minute of the
// server's passes in 12 s. A page left open (it polls /live every 4 s) keeps its session for
// several idle times; once closed, the session ends after the idle time and the next page is
// the sign-in. The server's clock is read from its Date header, by requests without the
// session's cookie (they are no activity of the session).
import assert from "node:assert/strict";
import fs from "node:fs";
import { browserTest, setup, signIn, waitFor } from "./lib.mjs";

// libfaketime preloaded into liaison web itself (the faketime command would run it as a child
// of its own, which outlives a stop of faketime)
const libfaketime = fs.readdirSync("/usr/lib").map((d) => `/usr/lib/${d}/faketime/libfaketime.so.1`).find((f) => fs.existsSync(f));
if (!libfaketime) throw new Error("no libfaketime.so.1 under /usr/lib/*/faketime (make deps installs faketime)");
const s = setup({ name: "idle", web: ["session_idle = 1m"], webEnv: { LD_PRELOAD: libfaketime, FAKETIME: "+0 x5" } });

async function serverNow() {
  const r = await fetch(`${s.base}/static/app.css`);
  return Date.parse(r.headers.get("date")) / 1000;
}

browserTest("session_idle = 1m: a page in use keeps its session; an idle one ends and the next page is the sign-in", s.getBrowser, async ({ newPage }) => {
  const page = await newPage();
  await signIn(page, s.base, "reyes");
  const lives = [];
  page.on("response", (r) => { if (new URL(r.url()).pathname === "/live") lives.push(r.status()); });
  await page.goto(`${s.base}/?view=all`);
  const start = await serverNow();
  await waitFor("150 s of the server's clock with the page open", async () => (await serverNow()) >= start + 150, 60000);
  assert.ok(lives.length >= 5, `the page polled /live (${lives.length} times)`);
  assert.deepEqual(lives.filter((x) => x !== 200), [], `every poll answered while in use: ${lives}`);
  await page.reload();
  assert.equal(new URL(page.url()).pathname, "/", "still signed in after 2.5 idle times in use");

  const ctx = page.context();
  await page.close(); // no request with the session's cookie from now on
  const closed = await serverNow();
  await waitFor("the idle time on the server's clock", async () => (await serverNow()) >= closed + 65, 30000);
  const again = await ctx.newPage();
  await again.goto(`${s.base}/?view=all`);
  assert.equal(new URL(again.url()).pathname, "/signin", "the next page is the sign-in");
  assert.equal(new URL(again.url()).searchParams.get("next"), "/");
  await again.close();
  const audit = s.console.json(["--as", "records", "audit"]);
  assert.ok(audit.some((e) => e.user === "reyes" && e.action === "session-expired" && /idle too long/.test(e.details)),
    "the expiry is audited as idle");
});
