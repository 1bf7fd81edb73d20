// Checks for the OpenID provider of tests/servers (run by selftest.sh):
//
//   node selftest.mjs DIR
//
// DIR was started with start.sh DIR --oidc --smtp-auth (OIDC_ACCESS_TTL=10).  Real clients
// only: HTTP to the provider, IMAP AUTHENTICATE XOAUTH2 to Dovecot, SMTP AUTH XOAUTH2 to the
// sink, Debian's chromium for the device login.  Prints "selftest: ok   NAME" or
// "selftest: FAIL NAME: reason" per check; exit 1 if any failed.  Each check is one
// `check(` call below (selftest.sh counts them to notice a run that stopped half-way).
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SERVERS = path.dirname(HERE);
const DIR = path.resolve(process.argv[2] || '');
const results = [];
let ENV = {};

function loadEnv() {
  ENV = {};
  for (const line of fs.readFileSync(path.join(DIR, 'env.sh'), 'utf8').split('\n')) {
    const m = /^([A-Z0-9_]+)='(.*)'$/.exec(line);
    if (m) ENV[m[1]] = m[2];
  }
}

async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push(true);
    const took = process.env.SELFTEST_VERBOSE ? ` [${((Date.now() - t0) / 1000).toFixed(2)}s]` : '';
    console.log(`selftest: ok   ${name}${took}`);
  } catch (e) {
    results.push(false);
    console.log(`selftest: FAIL ${name}: ${e.message}`);
    if (process.env.SELFTEST_VERBOSE) console.log(e.stack);
  }
}

function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

// asynchronous, so the event loop goes on: fetch's kept-alive connections see the server close
// them (a blocked loop would reuse a dead one afterwards)
const run = promisify(execFile);
const sleep = (ms) => new Promise((r) => { setTimeout(r, ms); });
const b64url = (x) => Buffer.from(x).toString('base64url');

// ------------------------------------------------------------------ HTTP

async function post(url, form, { basic } = {}) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}`;
  const r = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(form), signal: AbortSignal.timeout(10000) });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: r.status, json, text };
}

async function getJson(url) {
  const r = await fetch(url, { signal: AbortSignal.timeout(10000) });
  expect(r.status === 200, `GET ${url}: ${r.status}`);
  return r.json();
}

const secret = (file) => fs.readFileSync(file, 'utf8').split('\n')[0].trim();

async function secretToken() {
  const r = await post(ENV.OIDC_TOKEN_URL, {
    grant_type: 'client_credentials', client_id: ENV.OIDC_SECRET_CLIENT,
    client_secret: secret(ENV.OIDC_SECRET_FILE), scope: 'imap smtp',
  });
  expect(r.status === 200 && r.json?.access_token, `client_credentials: ${r.status} ${r.text}`);
  return r.json;
}

async function introspect(token) {
  const r = await post(ENV.OIDC_INTROSPECT_URL, { token },
    { basic: [ENV.OIDC_INTROSPECT_CLIENT, secret(ENV.OIDC_INTROSPECT_SECRET_FILE)] });
  expect(r.status === 200, `introspection: ${r.status} ${r.text}`);
  return r.json;
}

function signJwt(header, claims, keyPem) {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const sig = crypto.sign('sha256', Buffer.from(input), crypto.createPrivateKey(keyPem));
  return `${input}.${b64url(sig)}`;
}

function certAssertion({ x5t = true, aud = ENV.OIDC_TOKEN_URL, jti = crypto.randomUUID() } = {}) {
  const der = new crypto.X509Certificate(fs.readFileSync(ENV.OIDC_CERT)).raw;
  const header = { alg: 'RS256', typ: 'JWT' };
  if (x5t) header.x5t = b64url(crypto.createHash('sha1').update(der).digest());
  const now = Math.floor(Date.now() / 1000);
  return signJwt(header, {
    iss: ENV.OIDC_CERT_CLIENT, sub: ENV.OIDC_CERT_CLIENT, aud, jti, iat: now, nbf: now, exp: now + 300,
  }, fs.readFileSync(ENV.OIDC_KEY));
}

async function certToken(opts) {
  return post(ENV.OIDC_TOKEN_URL, {
    grant_type: 'client_credentials', client_id: ENV.OIDC_CERT_CLIENT, scope: 'imap',
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: certAssertion(opts),
  });
}

function saAssertion({ sub = 'demo', aud, keyPem, kid } = {}) {
  const sa = JSON.parse(fs.readFileSync(ENV.OIDC_SA_KEY, 'utf8'));
  const now = Math.floor(Date.now() / 1000);
  return signJwt({ alg: 'RS256', typ: 'JWT', kid: kid ?? sa.private_key_id }, {
    iss: sa.client_email, sub, aud: aud ?? sa.token_uri, scope: 'https://mail.google.com/', iat: now, exp: now + 3600,
  }, keyPem ?? sa.private_key);
}

// ------------------------------------------------------------------ line-based TCP clients

class LineClient {
  constructor(port) {
    this.buf = '';
    this.waiters = [];
    this.closed = false;
    this.sock = net.connect(port, '127.0.0.1');
    this.sock.setEncoding('latin1');
    this.sock.on('data', (d) => { this.buf += d; this.wake(); });
    this.sock.on('close', () => { this.closed = true; this.wake(); });
    this.sock.on('error', (e) => { this.error = e; this.closed = true; this.wake(); });
  }

  wake() {
    for (const w of this.waiters.splice(0)) w();
  }

  async line(timeoutMs = 15000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.buf.indexOf('\r\n');
      if (i >= 0) {
        const l = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 2);
        return l;
      }
      if (this.closed) throw new Error(`connection closed${this.error ? `: ${this.error.message}` : ''}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no answer in time');
      await new Promise((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => { clearTimeout(t); r(); });
      });
    }
  }

  send(text) {
    this.sock.write(`${text}\r\n`);
  }

  close() {
    this.sock.destroy();
  }
}

const xoauth2 = (user, token) => Buffer.from(`user=${user}\x01auth=Bearer ${token}\x01\x01`).toString('base64');

// AUTHENTICATE XOAUTH2 to Dovecot: the tagged answer ("a OK ..." or "a NO ...")
async function imapXoauth2(user, token) {
  const c = new LineClient(Number(ENV.IMAP_PORT));
  try {
    const greeting = await c.line();
    expect(greeting.startsWith('* OK'), `IMAP greeting ${greeting}`);
    c.send(`a AUTHENTICATE XOAUTH2 ${xoauth2(user, token)}`);
    for (;;) {
      const l = await c.line();
      if (l.startsWith('+')) c.send(''); // the error challenge: answer with an empty line
      else if (l.startsWith('a ')) return l;
    }
  } finally {
    c.close();
  }
}

async function expectImapOk(user, token) {
  const l = await imapXoauth2(user, token);
  expect(l.startsWith('a OK'), `IMAP XOAUTH2 as ${user} refused: ${l}`);
}

async function expectImapRefused(user, token) {
  const l = await imapXoauth2(user, token);
  expect(l.startsWith('a NO'), `IMAP XOAUTH2 as ${user} not refused: ${l}`);
}

async function smtpReply(c) {
  const lines = [];
  for (;;) {
    const l = await c.line();
    lines.push(l);
    if (/^\d{3}( |$)/.test(l)) return { code: Number(l.slice(0, 3)), lines };
  }
}

async function smtpOpen() {
  const c = new LineClient(Number(ENV.SMTP_PORT));
  const g = await smtpReply(c);
  expect(g.code === 220, `SMTP greeting ${g.lines}`);
  c.send('EHLO selftest.example');
  const e = await smtpReply(c);
  expect(e.code === 250, `EHLO: ${e.lines}`);
  c.ehlo = e.lines.map((l) => l.slice(4));
  return c;
}

async function smtpCmd(c, text) {
  c.send(text);
  return smtpReply(c);
}

// ------------------------------------------------------------------ device flow

// a device login approved in chromium; polls as RFC 8628 says (every `interval` seconds, 5 s
// more after slow_down); with provokeSlowDown it first polls too soon on purpose
async function deviceLogin(user, { provokeSlowDown = false } = {}) {
  const d = await post(ENV.OIDC_DEVICE_URL, { client_id: ENV.OIDC_DEVICE_CLIENT, scope: 'openid offline_access imap smtp' });
  expect(d.status === 200 && d.json.verification_uri_complete, `device authorization: ${d.status} ${d.text}`);
  let { interval } = d.json;
  expect(Number.isInteger(interval) && interval > 0, `no interval in ${d.text}`);
  const poll = () => post(ENV.OIDC_TOKEN_URL, {
    grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: ENV.OIDC_DEVICE_CLIENT, device_code: d.json.device_code,
  });
  if (provokeSlowDown) {
    const early = await poll();
    expect(early.status === 400 && early.json?.error === 'slow_down', `polling at once: ${early.text}`);
    interval += 5;
  }
  await sleep(1000 * interval);
  const before = await poll();
  expect(before.json?.error === 'authorization_pending', `before approval: ${before.text}`);
  const polled = Date.now();
  try {
    await run('node', [path.join(HERE, 'device_approve.mjs'), d.json.verification_uri_complete, user], { timeout: 90000 });
  } catch (e) {
    throw new Error(`device_approve.mjs failed: ${(e.stderr || e.message).trim()}`);
  }
  // the approval is complete when the browser saw the success page: a bounded poll
  await sleep(Math.max(0, polled + 1000 * interval - Date.now()));
  const deadline = Date.now() + 30000;
  for (;;) {
    const r = await poll();
    if (r.status === 200) return r.json;
    expect(r.json?.error === 'authorization_pending' || r.json?.error === 'slow_down', `device token: ${r.text}`);
    expect(Date.now() < deadline, 'device token still pending 30 s after approval');
    await sleep(1000 * interval);
  }
}

const refresh = (rt) => post(ENV.OIDC_TOKEN_URL, { grant_type: 'refresh_token', client_id: ENV.OIDC_DEVICE_CLIENT, refresh_token: rt });

// ------------------------------------------------------------------ the checks

async function main() {
  loadEnv();
  const tokens = new Set(); // every token seen, to prove none is logged
  const keep = (t) => { if (t) tokens.add(t); return t; };

  await check('oidc: discovery names the endpoints env.sh gives; secret and key files are 0600', async () => {
    const d = await getJson(`${ENV.OIDC_ISSUER}/.well-known/openid-configuration`);
    expect(d.issuer === ENV.OIDC_ISSUER, `issuer ${d.issuer}`);
    expect(d.token_endpoint === ENV.OIDC_TOKEN_URL, `token_endpoint ${d.token_endpoint}`);
    expect(d.device_authorization_endpoint === ENV.OIDC_DEVICE_URL, `device endpoint ${d.device_authorization_endpoint}`);
    expect(d.introspection_endpoint === ENV.OIDC_INTROSPECT_URL, `introspection ${d.introspection_endpoint}`);
    expect(d.grant_types_supported.includes('urn:ietf:params:oauth:grant-type:jwt-bearer'), 'no jwt-bearer grant');
    for (const f of [ENV.OIDC_SECRET_FILE, ENV.OIDC_INTROSPECT_SECRET_FILE, ENV.OIDC_KEY, ENV.OIDC_SA_KEY]) {
      const mode = fs.statSync(f).mode & 0o777;
      expect(mode === 0o600, `${f} has mode ${mode.toString(8)}`);
    }
  });

  let secretTok;
  await check('oidc: client_secret_post -> opaque 10 s token; IMAP XOAUTH2 as troopk works, as troopl refused', async () => {
    const t = await secretToken();
    secretTok = keep(t.access_token);
    expect(t.token_type === 'Bearer' && t.expires_in === 10, `token response ${JSON.stringify({ ...t, access_token: '...' })}`);
    expect(secretTok.split('.').length === 1, 'access token is a JWT, want opaque');
    const i = await introspect(secretTok);
    expect(i.active === true && i.username === 'troopk' && i.client_id === ENV.OIDC_SECRET_CLIENT, `introspection ${JSON.stringify(i)}`);
    await expectImapOk('troopk', secretTok);
    await expectImapRefused('troopl', secretTok);
  });

  await check('oidc: a made-up token is inactive and refused by IMAP; a wrong secret gets invalid_client', async () => {
    const fake = crypto.randomBytes(32).toString('base64url');
    expect((await introspect(fake)).active === false, 'made-up token active');
    await expectImapRefused('troopk', fake);
    const r = await post(ENV.OIDC_TOKEN_URL, {
      grant_type: 'client_credentials', client_id: ENV.OIDC_SECRET_CLIENT, client_secret: 'not-the-secret',
    });
    expect(r.status === 401 && r.json?.error === 'invalid_client', `wrong secret: ${r.status} ${r.text}`);
    const bad = await post(ENV.OIDC_INTROSPECT_URL, { token: secretTok }, { basic: ['dovecot', 'wrong'] });
    expect(bad.status === 401, `introspection with a wrong secret: ${bad.status}`);
  });

  await check('oidc: private_key_jwt with x5t -> token for troopl (IMAP works); no x5t or a replayed assertion refused', async () => {
    const r = await certToken();
    expect(r.status === 200, `cert client: ${r.status} ${r.text}`);
    keep(r.json.access_token);
    await expectImapOk('troopl', r.json.access_token);
    await expectImapRefused('troopk', r.json.access_token);
    const noX5t = await certToken({ x5t: false });
    expect(noX5t.status === 401 && noX5t.json?.error === 'invalid_client', `without x5t: ${noX5t.status} ${noX5t.text}`);
    const jti = crypto.randomUUID();
    expect((await certToken({ jti })).status === 200, 'first use of an assertion');
    const again = await certToken({ jti });
    expect(again.status === 401, `replayed assertion: ${again.status} ${again.text}`);
  });

  await check('oidc: jwt-bearer (Google service account, no client auth) -> token whose username is sub; bad aud/key refused', async () => {
    const r = await post(ENV.OIDC_TOKEN_URL, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: saAssertion({ sub: 'demo' }) });
    expect(r.status === 200 && r.json.access_token, `jwt-bearer: ${r.status} ${r.text}`);
    keep(r.json.access_token);
    expect(r.json.expires_in === 10, `expires_in ${r.json.expires_in}`);
    await expectImapOk('demo', r.json.access_token);
    await expectImapRefused('troopk', r.json.access_token);
    const badAud = await post(ENV.OIDC_TOKEN_URL, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: saAssertion({ aud: `${ENV.OIDC_ISSUER}/other` }) });
    expect(badAud.status === 400 && badAud.json?.error === 'invalid_grant', `wrong aud: ${badAud.status} ${badAud.text}`);
    const badKey = await post(ENV.OIDC_TOKEN_URL, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: saAssertion({ keyPem: fs.readFileSync(ENV.OIDC_KEY) }) });
    expect(badKey.status === 400 && badKey.json?.error === 'invalid_grant', `wrong key: ${badKey.status} ${badKey.text}`);
  });

  await check('oidc: device flow in chromium as demo -> IMAP as demo; refresh rotates; the old refresh token is refused', async () => {
    const t = await deviceLogin('demo');
    keep(t.access_token); keep(t.refresh_token);
    expect(t.refresh_token, 'no refresh token issued');
    await expectImapOk('demo', t.access_token);
    const r1 = await refresh(t.refresh_token);
    expect(r1.status === 200, `refresh: ${r1.status} ${r1.text}`);
    keep(r1.json.access_token); keep(r1.json.refresh_token);
    expect(r1.json.refresh_token && r1.json.refresh_token !== t.refresh_token, 'refresh token not rotated');
    await expectImapOk('demo', r1.json.access_token);
    const old = await refresh(t.refresh_token);
    expect(old.status === 400 && old.json?.error === 'invalid_grant', `old refresh token: ${old.status} ${old.text}`);
  });

  await check('oidc: device flow polled too soon gets slow_down; POST /test/revoke?client_id=liaison-device: refresh fails, its access token stops working', async () => {
    const t = await deviceLogin('troopk', { provokeSlowDown: true });
    keep(t.access_token); keep(t.refresh_token);
    await expectImapOk('troopk', t.access_token);
    const r = await fetch(`${ENV.OIDC_ADMIN}revoke?client_id=${ENV.OIDC_DEVICE_CLIENT}`, { method: 'POST' });
    const body = await r.json();
    expect(r.status === 200 && body.removed?.RefreshToken >= 1, `revoke: ${r.status} ${JSON.stringify(body)}`);
    const after = await refresh(t.refresh_token);
    expect(after.status === 400 && after.json?.error === 'invalid_grant', `refresh after revoke: ${after.status} ${after.text}`);
    await expectImapRefused('troopk', t.access_token);
  });

  await check('smtp: AUTH XOAUTH2 offered (with PLAIN LOGIN); MAIL before AUTH 530; bad token 334+535; good token stored with auth_mechanism', async () => {
    const good = keep((await secretToken()).access_token);
    const c = await smtpOpen();
    try {
      const auth = c.ehlo.find((l) => l.startsWith('AUTH '));
      expect(auth && /XOAUTH2/.test(auth) && /PLAIN/.test(auth) && /LOGIN/.test(auth), `EHLO AUTH line: ${auth}`);
      expect((await smtpCmd(c, 'MAIL FROM:<a@example.org>')).code === 530, 'MAIL before AUTH accepted');
      const bad = await smtpCmd(c, `AUTH XOAUTH2 ${xoauth2('troopk', 'made-up-token')}`);
      expect(bad.code === 334, `bad token: ${bad.lines}`);
      const err = JSON.parse(Buffer.from(bad.lines[0].slice(4), 'base64').toString());
      expect(err.status === '401', `error challenge ${JSON.stringify(err)}`);
      const fin = await smtpCmd(c, '');
      expect(fin.code === 535 && fin.lines[0].startsWith('535 5.7.8'), `after the challenge: ${fin.lines}`);
      const wrongUser = await smtpCmd(c, `AUTH XOAUTH2 ${xoauth2('troopl', good)}`);
      expect(wrongUser.code === 334 && (await smtpCmd(c, '')).code === 535, 'a token for troopk accepted as troopl');
      const ok = await smtpCmd(c, `AUTH XOAUTH2 ${xoauth2('troopk', good)}`);
      expect(ok.code === 235, `good token: ${ok.lines}`);
      expect((await smtpCmd(c, 'MAIL FROM:<ctl@example.org>')).code === 250, 'MAIL');
      expect((await smtpCmd(c, 'RCPT TO:<citizen@example.org>')).code === 250, 'RCPT');
      expect((await smtpCmd(c, 'DATA')).code === 354, 'DATA');
      const id = `oidc-selftest-${process.pid}`;
      const data = await smtpCmd(c, `Subject: ${id}\r\n\r\nbody\r\n.`);
      expect(data.code === 250, `end of DATA: ${data.lines}`);
      const num = /queued as (\d+)/.exec(data.lines[0])?.[1];
      const meta = JSON.parse(fs.readFileSync(path.join(ENV.SMTP_DIR, `${num}.json`), 'utf8'));
      expect(meta.auth_user === 'troopk' && meta.auth_mechanism === 'XOAUTH2', `stored envelope ${JSON.stringify(meta)}`);
      await smtpCmd(c, 'QUIT');
    } finally {
      c.close();
    }
    const p = await smtpOpen();
    try {
      const plain = Buffer.from('\0relay\0relay-secret').toString('base64');
      expect((await smtpCmd(p, `AUTH PLAIN ${plain}`)).code === 235, 'AUTH PLAIN relay refused');
    } finally {
      p.close();
    }
  });

  await check('oidc: an access token stops working after its 10 s lifetime (IMAP refused, inactive)', async () => {
    const t = keep((await secretToken()).access_token);
    await expectImapOk('troopk', t);
    const deadline = Date.now() + 25000;
    while ((await introspect(t)).active) {
      expect(Date.now() < deadline, 'token still active 25 s after it was issued');
      await sleep(500);
    }
    await expectImapRefused('troopk', t);
  });

  await check('oidc: /test/stats counts; the issued file lists every token; no token in any log', async () => {
    const s = await getJson(`${ENV.OIDC_ADMIN}stats`);
    expect(s.issued[ENV.OIDC_SECRET_CLIENT]?.client_credentials >= 3, `stats issued ${JSON.stringify(s.issued)}`);
    expect(s.issued['liaison-sa']?.client_credentials === 1, `service-account tokens ${JSON.stringify(s.issued)}`);
    expect(s.issued[ENV.OIDC_DEVICE_CLIENT]?.refresh_token === 3, `device refresh tokens ${JSON.stringify(s.issued)}`);
    expect(s.introspections.active >= 5 && s.introspections.inactive >= 3, `introspections ${JSON.stringify(s.introspections)}`);
    expect(s.failed_token_requests[ENV.OIDC_SECRET_CLIENT]?.invalid_client >= 1, `failures ${JSON.stringify(s.failed_token_requests)}`);
    expect(s.failed_token_requests[ENV.OIDC_DEVICE_CLIENT]?.slow_down === 1, `slow_down ${JSON.stringify(s.failed_token_requests)}`);
    const issued = fs.readFileSync(ENV.OIDC_ISSUED, 'utf8');
    for (const t of tokens) expect(issued.includes(` ${t}\n`), 'a token is missing from the issued file');
    expect(/^refresh_token liaison-device \S+$/m.test(issued), 'no refresh_token line');
    const logs = ['oidc.log', 'smtp.log', 'dovecot.log'].map((f) => fs.readFileSync(path.join(DIR, f), 'utf8')).join('\n');
    for (const t of tokens) expect(!logs.includes(t), 'a token appears in a server log');
    for (const f of [ENV.OIDC_SECRET_FILE, ENV.OIDC_INTROSPECT_SECRET_FILE]) expect(!logs.includes(secret(f)), `the secret of ${f} is in a log`);
  });

  await check('restart: stop.sh DIR oidc -> down (IMAP XOAUTH2 fails); start.sh DIR -> same port and secrets, old tokens gone', async () => {
    const before = keep((await secretToken()).access_token);
    const port = ENV.OIDC_PORT;
    const secretBefore = secret(ENV.OIDC_SECRET_FILE);
    await run('sh', [path.join(SERVERS, 'stop.sh'), DIR, 'oidc'], { timeout: 30000 });
    expect(!fs.existsSync(path.join(DIR, 'oidc.pid')), 'oidc.pid left behind');
    let down = false;
    try { await fetch(ENV.OIDC_TOKEN_URL, { signal: AbortSignal.timeout(3000) }); } catch { down = true; }
    expect(down, 'the provider still answers after stop.sh');
    const l = await imapXoauth2('troopk', before);
    expect(!l.startsWith('a OK'), `IMAP login while the provider is down: ${l}`);
    await run('sh', [path.join(SERVERS, 'start.sh'), DIR], { timeout: 60000 });
    loadEnv();
    expect(ENV.OIDC_PORT === port, `port changed ${port} -> ${ENV.OIDC_PORT}`);
    expect(secret(ENV.OIDC_SECRET_FILE) === secretBefore, 'client secret changed');
    expect((await introspect(before)).active === false, 'a token from before the restart is still active');
    const after = keep((await secretToken()).access_token);
    await expectImapOk('troopk', after);
  });

  const failed = results.filter((r) => !r).length;
  process.exitCode = failed ? 1 : 0;
}

if (!process.argv[2]) {
  console.error('usage: node selftest.mjs DIR');
  process.exit(2);
}
main().catch((e) => {
  console.log(`selftest: FAIL oidc selftest crashed: ${e.stack || e}`);
  process.exit(1);
});
