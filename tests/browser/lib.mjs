// Shared helpers of the browser tests: a console of its own for each test file (a fresh
// database, users with passwords, `liaison web` on a free loopback port), the test Dovecot and
// SMTP receiver when a file needs them, Debian's chromium through playwright-core, and the
// checks every file uses (axe-core, horizontal overflow, script that must not run, TOTP).
//
// Nothing here sleeps for a fixed time: every wait is for an event or a condition, bounded.
import { spawn, execFileSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const axeSource = require("axe-core").source;

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const TOP = process.env.TOP || path.resolve(HERE, "../..");
export const LIAISON = process.env.LIAISON || path.join(TOP, "liaison");
export const PY = "/usr/bin/python3";
export const PASSWORD = "correct horse battery";
export const FAILURES = path.join(HERE, "failures");
export const SCREENSHOTS = path.join(HERE, "screenshots");

// The flags that keep chromium from reaching out (the network is closed here: without them it
// makes refused connections) and let it run as root (CI runs as root: no sandbox then).
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

// The users of every test configuration (the same as tests/integration/lib.sh).
const USERS = `
[user admin]
role = admin

[user coordinator]
role = coordinator

[user records]
role = records

[user reyes]
role = ctl
troops = K

[user walsh]
role = ctl
troops = K

[user bell]
role = ctl
troops = L
`;

export const WEB_USERS = ["admin", "coordinator", "reyes", "walsh", "bell"];

/* ------------------------------------------------------------------ waiting, bounded */

// Resolves when check() returns a truthy value (which it hands back); rejects after timeout ms
// with what. Looks again every 50 ms: for conditions outside the browser (files, processes).
export async function waitFor(what, check, timeout = 15000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/* ------------------------------------------------------------------ mail */

// An RFC 5322 message with CRLF line ends. Dates are fixed: no test depends on today.
export function eml({ from, to = "TroopKCTL@ct.gov", subject, body, id, date, headers = [] }) {
  const lines = [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: ${subject}`,
    `Date: ${date || "Mon, 03 Mar 2025 10:00:00 -0500"}`,
    `Message-ID: <${id}>`,
    "MIME-Version: 1.0",
    ...headers,
  ];
  if (!headers.some((h) => /^content-type:/i.test(h)))
    lines.push("Content-Type: text/plain; charset=utf-8");
  return (lines.join("\n") + "\n\n" + body).replace(/\r?\n/g, "\r\n");
}

/* ------------------------------------------------------------------ the console */

function run(cmd, args, opts = {}) {
  try {
    return execFileSync(cmd, args, { encoding: "utf8", stdio: ["pipe", "pipe", "pipe"], ...opts });
  } catch (e) {
    const err = new Error(`${path.basename(cmd)} ${args.join(" ")}: exit ${e.status}\n${e.stdout || ""}${e.stderr || ""}`);
    err.status = e.status;
    err.stdout = e.stdout;
    throw err;
  }
}

function readEnvSh(file) {
  const env = {};
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const m = /^([A-Z0-9_]+)='(.*)'$/.exec(line);
    if (m) env[m[1]] = m[2];
  }
  return env;
}

// Waits until a child process printed a line matching re on stdout; rejects when it exits
// first or after timeout ms.
function waitForLine(child, re, timeout, errFile) {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => done(new Error(`no line ${re} within ${timeout} ms: ${seen}`)), timeout);
    function done(err, v) {
      clearTimeout(timer);
      child.stdout.off("data", onData);
      child.off("exit", onExit);
      if (err) reject(err); else resolve(v);
    }
    function onData(chunk) {
      seen += chunk;
      const m = re.exec(seen);
      if (m) done(null, m);
    }
    function onExit(code) {
      const stderr = errFile && fs.existsSync(errFile) ? fs.readFileSync(errFile, "utf8") : "";
      done(new Error(`exited (${code}) before printing ${re}: ${seen}${stderr}`));
    }
    child.stdout.on("data", onData);
    child.on("exit", onExit);
  });
}

// Consoles not stopped yet: if this process ends anyway (a crash, a signal), their processes
// and servers are ended with it, never left running.
const running = new Set();
process.on("exit", () => {
  for (const c of running) c.killNow();
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(1));

export class Console {
  // name: short (it names the folder); servers: start the test Dovecot and SMTP receiver and
  // configure mailbox K on them; web: lines for [web]; webEnv: more environment for liaison
  // web (libfaketime's).
  constructor({ name, servers = false, web = [], webEnv = {} }) {
    this.name = name;
    this.webEnv = webEnv;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `lb-${name}-`));
    this.withServers = servers;
    this.webLines = web;
    this.children = [];
    this.config = path.join(this.dir, "c.conf");
    this.env = { ...process.env, LIAISON_CONFIG: this.config, LIAISON_USER: "admin", TZ: "America/New_York" };
  }

  async start() {
    running.add(this);
    if (this.withServers) this.startServers();
    this.writeConfig();
    this.liaison(["init"]);
    for (const u of WEB_USERS) this.liaison(["--as", "admin", "passwd", u], { input: PASSWORD + "\n" });
    return this;
  }

  startServers() {
    this.srv = path.join(this.dir, "srv");
    run("sh", [path.join(TOP, "tests/servers/start.sh"), this.srv]);
    this.servers = readEnvSh(path.join(this.srv, "env.sh"));
  }

  writeConfig() {
    const s = this.servers;
    let conf = `[liaison]
database = ${this.dir}/c.db
timezone = America/New_York
routes = ${TOP}/config/routes.conf
templates = ${TOP}/templates
`;
    if (s) {
      fs.writeFileSync(path.join(this.dir, "troopk.pw"), "troopk-secret\n", { mode: 0o600 });
      conf += `urgent_notify = coordinator@ct.gov

[smtp]
url = smtp://127.0.0.1:${s.SMTP_PORT}
tls = none
timeout = 10s
`;
    }
    conf += `
[mailbox K]
troop = K
address = TroopKCTL@ct.gov
sent_folder = Sent
`;
    if (s)
      conf += `imap = imap://127.0.0.1:${s.IMAP_PORT}
tls = none
username = troopk
password_file = ${this.dir}/troopk.pw
`;
    conf += `
[mailbox L]
troop = L
address = TroopLCTL@ct.gov
`;
    if (this.webLines.length) conf += "\n[web]\n" + this.webLines.join("\n") + "\n";
    conf += USERS;
    fs.writeFileSync(this.config, conf);
  }

  // Runs liaison ARGS (acting as admin unless ARGS say --as); its stdout.
  liaison(args, opts = {}) {
    return run(LIAISON, args, { env: this.env, cwd: this.dir, ...opts });
  }

  json(args) {
    return JSON.parse(this.liaison([...args, "--json"]));
  }

  // Writes messages (name -> text) into a folder of the console's and imports them into
  // mailbox (K or L).
  importMessages(mailbox, messages) {
    const d = fs.mkdtempSync(path.join(this.dir, `in-${mailbox}-`));
    for (const [name, text] of Object.entries(messages)) fs.writeFileSync(path.join(d, name), text);
    return JSON.parse(this.liaison(["import", "--mailbox", mailbox, "--json", d]));
  }

  threads() {
    return this.json(["--as", "admin", "threads", "--all"]);
  }

  // The ref of the thread whose correspondent's address starts with local@.
  ref(local) {
    const t = this.threads().find((x) => x.correspondent.split("@")[0] === local);
    if (!t) throw new Error(`no thread of ${local}@ among ${JSON.stringify(this.threads().map((x) => x.correspondent))}`);
    return t.ref;
  }

  history(ref) {
    return this.liaison(["--as", "admin", "history", ref]);
  }

  spawnLogged(name, args, env = {}) {
    const out = path.join(this.dir, `${name}.out`), err = path.join(this.dir, `${name}.err`);
    const child = spawn(LIAISON, args, {
      env: { ...this.env, ...env }, cwd: this.dir, stdio: ["ignore", "pipe", fs.openSync(err, "a")],
    });
    const log = fs.createWriteStream(out, { flags: "a" });
    child.stdout.on("data", (c) => log.write(c));
    child.exited = new Promise((r) => child.on("exit", (code, sig) => r(code ?? sig)));
    this.children.push(child);
    return { child, err };
  }

  // liaison web on a free loopback port: resolves with its base URL once it listens.
  async startWeb() {
    const { child, err } = this.spawnLogged("web", ["web", "--listen", "127.0.0.1:0"], this.webEnv);
    this.web = child;
    const m = await waitForLine(child, /console is at (http:\/\/127\.0\.0\.1:\d+)\//, 15000, err);
    this.base = m[1];
    return this.base;
  }

  // liaison poll, kept running (IMAP IDLE on mailbox K): stopped by stop().
  startPoll() {
    this.poll = this.spawnLogged("poll", ["poll"]).child;
    return this.poll;
  }

  async stopChild(child) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const t = setTimeout(() => child.kill("SIGKILL"), 10000);
    await child.exited;
    clearTimeout(t);
  }

  // IMAP APPEND of files (paths) into folder of user troopk.
  deliver(folder, ...files) {
    const s = this.servers;
    run(PY, [path.join(TOP, "tests/servers/deliver.py"), "append", "--port", s.IMAP_PORT,
      "--user", "troopk", "--password", "troopk-secret", "--folder", folder, ...files]);
  }

  // Messages in a folder of troopk, as Dovecot counts them.
  folderCount(folder) {
    const out = run(PY, [path.join(TOP, "tests/servers/deliver.py"), "status", "--conf",
      this.servers.DOVECOT_CONF, "--user", "troopk", "--folder", folder]);
    return JSON.parse(out).messages;
  }

  // What the SMTP receiver holds: [{meta, eml}] in the order received.
  smtpMessages() {
    const dir = this.servers.SMTP_DIR;
    if (!fs.existsSync(dir)) throw new Error(`SMTP_DIR ${dir} is not a folder`);
    return fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort().map((f) => ({
      meta: JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")),
      eml: fs.readFileSync(path.join(dir, f.replace(/\.json$/, ".eml")), "utf8"),
    }));
  }

  // Synchronous, for the exit handler.
  killNow() {
    for (const c of this.children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    if (this.srv) {
      try { run("sh", [path.join(TOP, "tests/servers/stop.sh"), this.srv]); } catch { /* reported by stop.sh */ }
    }
  }

  async stop({ keep = false } = {}) {
    for (const c of this.children) await this.stopChild(c);
    if (this.srv) run("sh", [path.join(TOP, "tests/servers/stop.sh"), this.srv]);
    running.delete(this);
    if (keep) console.log(`# kept the console's files in ${this.dir}`);
    else fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/* ------------------------------------------------------------------ the browser */

export async function launch() {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
    // playwright makes a fresh user-data-dir of its own for each launch and removes it after
    timeout: 30000,
  });
}

// What a page did that it must not: dialogs (alert, confirm, prompt: dismissed at once),
// errors thrown by script, and console errors (a blocked inline script is one: CSP reports
// it there).
export function watch(page) {
  const seen = { dialogs: [], errors: [], console: [] };
  page.on("dialog", (d) => { seen.dialogs.push(`${d.type()}: ${d.message()}`); d.dismiss().catch(() => {}); });
  page.on("pageerror", (e) => seen.errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") seen.console.push(m.text()); });
  page.seen = seen;
  return seen;
}

let anyFailed = false;
export function failedSoFar() {
  return anyFailed;
}

function slug(s) {
  return s.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 80);
}

// A test with browser contexts of its own: fn({ newPage, t }) opens pages with newPage(opts)
// (a new context each: its own cookies); all are closed after. When the test fails, every page
// still open is saved as a screenshot in tests/browser/failures/ and the test says where.
export function browserTest(name, getBrowser, fn, opts = {}) {
  test(name, opts, async (t) => {
    const contexts = [];
    const pages = [];
    async function newPage(contextOpts = {}) {
      const ctx = await getBrowser().newContext({ viewport: { width: 1280, height: 900 }, ...contextOpts });
      ctx.setDefaultTimeout(15000);
      contexts.push(ctx);
      const page = await ctx.newPage();
      watch(page);
      pages.push(page);
      return page;
    }
    try {
      await fn({ newPage, t });
    } catch (e) {
      anyFailed = true;
      fs.mkdirSync(FAILURES, { recursive: true });
      const saved = [];
      for (const [i, p] of pages.entries()) {
        if (p.isClosed()) continue;
        const file = path.join(FAILURES, `${slug(name)}-${i + 1}.png`);
        try {
          // the whole page, or what the window shows when the page is too tall for one picture
          const tall = await p.evaluate(() => document.documentElement.scrollHeight).catch(() => 0);
          await p.screenshot({ path: file, fullPage: tall <= 16000, timeout: 20000 });
          saved.push(`${path.relative(TOP, file)} (${p.url()})`);
        } catch (se) {
          saved.push(`no screenshot of ${p.url()}: ${se.message.split("\n")[0]}`);
        }
      }
      const where = saved.length ? saved.join("\n  ") : "no page was open";
      console.log(`# FAILED: ${name}\n# screenshots of the pages it had open:\n#   ${where}`);
      e.message += `\nscreenshots of the failing test's pages:\n  ${where}`;
      throw e;
    } finally {
      for (const c of contexts) await c.close().catch(() => {});
    }
  });
}

// One console and one browser for a test file: before() starts both, after() stops both
// (keeping the console's files when a test failed).
export function setup(options, prepare) {
  const s = { console: null, browser: null, base: null };
  before(async () => {
    try {
      s.console = new Console(options);
      await s.console.start();
      if (prepare) await prepare(s.console);
      s.base = await s.console.startWeb();
      s.browser = await launch();
    } catch (e) {
      anyFailed = true;
      throw e;
    }
  });
  after(async () => {
    if (s.browser) await s.browser.close();
    if (s.console) await s.console.stop({ keep: anyFailed });
  });
  s.getBrowser = () => s.browser;
  return s;
}

/* ------------------------------------------------------------------ pages */

// Posts the sign-in form; resolves with the response to the POST.
export async function submitSignin(page, base, user, password = PASSWORD) {
  if (!page.url().startsWith(base + "/signin")) await page.goto(base + "/signin");
  await page.fill("#user", user);
  await page.fill("#password", password);
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/signin"),
    page.click("form[action='/signin'] button[type=submit]"),
  ]);
  await page.waitForLoadState("load");
  return resp;
}

// Signs user in and checks the page names them.
export async function signIn(page, base, user, password = PASSWORD) {
  await submitSignin(page, base, user, password);
  await page.locator("header.top .who", { hasText: user }).waitFor();
}

// Clicks a control whose form navigates; resolves with the response of the page landed on.
export async function clickAndLoad(page, selector) {
  const [resp] = await Promise.all([
    page.waitForNavigation({ waitUntil: "load" }),
    page.click(selector),
  ]);
  return resp;
}

export async function noHorizontalOverflow(page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    innerWidth: window.innerWidth,
  }));
}

// axe-core over the page as it is: the violations of impact serious or critical, as lines.
// (Evaluated through the DevTools protocol, which the page's CSP does not govern; the page's
// own policy stays on.)
export async function axeViolations(page) {
  const has = await page.evaluate(() => typeof window.axe === "object");
  if (!has) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

export async function screenshot(page, name, opts = {}) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, ...opts });
  return file;
}

/* ------------------------------------------------------------------ TOTP (RFC 6238) */

function base32Decode(s) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0, value = 0;
  const out = [];
  for (const ch of s.replace(/=+$/, "").toUpperCase()) {
    const i = alphabet.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${JSON.stringify(s)}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// The code of key (bytes) at Unix time t: HMAC-SHA-1, 30-second steps, digits digits.
export function totpOfKey(key, t, digits = 6) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
  const mac = crypto.createHmac("sha1", key).update(counter).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const n = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(n % 10 ** digits).padStart(digits, "0");
}

export function totp(secretBase32, t) {
  return totpOfKey(base32Decode(secretBase32), t);
}

export function totpStep(t) {
  return Math.floor(t / 30);
}
