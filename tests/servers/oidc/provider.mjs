// A real OpenID provider (npm oidc-provider) for the liaison tests, on 127.0.0.1.
//
//   node provider.mjs DIR [--port P]
//
// P = 0 (default): any free port.  Issuer http://127.0.0.1:PORT.  State of the instance lives
// in DIR/oidc/ (created on the first start, reused by a restart so clients, secrets and keys
// stay the same): settings.json, client secrets (0600), the liaison-cert key + certificate,
// the Google-style service-account key sa.json, the provider's own signing key, and
// `issued` (one line per issued access/refresh token: "KIND CLIENT TOKEN").  Writes
// DIR/oidc.pid at start and DIR/oidc.port once listening; logs requests on stdout without
// any token, secret or assertion.  Tokens live in memory: a restart forgets them.
//
// Lifetimes (seconds; read on the FIRST start of DIR and kept in DIR/oidc/settings.json):
//   OIDC_ACCESS_TTL (60: access and client-credentials tokens), OIDC_REFRESH_TTL (86400),
//   OIDC_DEVICE_TTL (600: device codes), OIDC_DEVICE_INTERVAL (2: the device flow's polling
//   interval; polling faster gets slow_down and 5 s more, as RFC 8628 says).
// See tests/servers/README.md for clients, routes and the test-only /test/ routes.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import querystring from 'node:querystring';

import Provider, { errors } from 'oidc-provider';

import { MemoryAdapter, revokeClient } from './memory_adapter.mjs';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';
const SA_EMAIL = 'liaison-sa@test.iam.example';
// scopes that are about the person, not about mail
const OIDC_SCOPES = new Set(['openid', 'offline_access', 'email', 'profile']);
// client_credentials tokens act for a fixed IMAP user (as an Entra app with mailbox access)
const CLIENT_USERS = { 'liaison-secret': 'troopk', 'liaison-cert': 'troopl' };

function log(msg) {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
}

function die(msg) {
  process.stderr.write(`provider.mjs: ${msg}\n`);
  process.exit(1);
}

function writeAtomic(file, data, mode = 0o644) {
  const tmp = `${file}.tmp.${process.pid}`;
  fs.writeFileSync(tmp, data, { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

const b64url = (buf) => Buffer.from(buf).toString('base64url');

function parseArgs(argv) {
  if (argv.length < 1 || argv[0].startsWith('-')) die('usage: node provider.mjs DIR [--port P]');
  const args = { dir: path.resolve(argv[0]), port: 0 };
  for (let i = 1; i < argv.length; i += 1) {
    if (argv[i] === '--port' && i + 1 < argv.length) {
      args.port = Number(argv[i += 1]);
      if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) die(`bad port ${argv[i]}`);
    } else {
      die(`unknown argument ${argv[i]}`);
    }
  }
  return args;
}

function ttlFromEnv(name, fallback) {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) die(`${name}=${v} is not a positive whole number of seconds`);
  return n;
}

// ------------------------------------------------------------------ instance state in DIR/oidc

function openssl(args, cwd) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

// Everything a restart must find unchanged; made once per DIR.
function loadOrCreateState(o) {
  fs.mkdirSync(o, { recursive: true, mode: 0o755 });
  const file = (name) => path.join(o, name);
  const secret = (name) => {
    const f = file(name);
    if (!fs.existsSync(f)) writeAtomic(f, `${crypto.randomBytes(24).toString('hex')}\n`, 0o600);
    return fs.readFileSync(f, 'utf8').trim();
  };

  let settings;
  if (fs.existsSync(file('settings.json'))) {
    settings = JSON.parse(fs.readFileSync(file('settings.json'), 'utf8'));
  } else {
    settings = {
      accessTtl: ttlFromEnv('OIDC_ACCESS_TTL', 60),
      refreshTtl: ttlFromEnv('OIDC_REFRESH_TTL', 86400),
      deviceTtl: ttlFromEnv('OIDC_DEVICE_TTL', 600),
      deviceInterval: ttlFromEnv('OIDC_DEVICE_INTERVAL', 2),
      cookieKey: crypto.randomBytes(32).toString('hex'),
    };
    writeAtomic(file('settings.json'), `${JSON.stringify(settings, null, 1)}\n`, 0o600);
  }

  // liaison-cert: RSA key + self-signed certificate, as one uploads to an Entra app
  if (!fs.existsSync(file('cert.pem')) || !fs.existsSync(file('cert.key'))) {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'cert.key.tmp',
      '-out', 'cert.pem.tmp', '-days', '3650', '-subj', '/CN=liaison-cert test client',
      '-sha256'], o);
    fs.chmodSync(file('cert.key.tmp'), 0o600);
    fs.renameSync(file('cert.key.tmp'), file('cert.key'));
    fs.renameSync(file('cert.pem.tmp'), file('cert.pem'));
  }
  const certPem = fs.readFileSync(file('cert.pem'), 'utf8');
  const certDer = new crypto.X509Certificate(certPem).raw;
  const certKeyPem = fs.readFileSync(file('cert.key'), 'utf8');

  // the service account: a Google-style JSON key file
  if (!fs.existsSync(file('sa.json'))) {
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key.tmp'], o);
    const pem = fs.readFileSync(file('sa.key.tmp'), 'utf8');
    fs.unlinkSync(file('sa.key.tmp'));
    const sa = {
      type: 'service_account',
      project_id: 'liaison-test',
      private_key_id: crypto.randomBytes(20).toString('hex'),
      private_key: pem,
      client_email: SA_EMAIL,
      client_id: String(100000000000000000000n + BigInt(`0x${crypto.randomBytes(8).toString('hex')}`)),
      token_uri: null, // filled in below: depends on the port
    };
    writeAtomic(file('sa.json'), `${JSON.stringify(sa, null, 2)}\n`, 0o600);
  }
  const sa = JSON.parse(fs.readFileSync(file('sa.json'), 'utf8'));

  // the provider's own signing key (id tokens)
  if (!fs.existsSync(file('signing.jwk'))) {
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: b64url(crypto.randomBytes(9)), use: 'sig', alg: 'RS256' };
    writeAtomic(file('signing.jwk'), JSON.stringify(jwk), 0o600);
  }
  const signingJwk = JSON.parse(fs.readFileSync(file('signing.jwk'), 'utf8'));

  return {
    settings,
    secrets: { 'liaison-secret': secret('liaison-secret.secret'), dovecot: secret('dovecot.secret') },
    cert: { pem: certPem, der: certDer, keyPem: certKeyPem },
    sa,
    signingJwk,
  };
}

// ------------------------------------------------------------------ stats and the issued list

const stats = {
  started: Math.floor(Date.now() / 1000),
  issued: {}, // client_id -> { access_token|client_credentials|refresh_token: n }
  introspections: { total: 0, active: 0, inactive: 0, refused: 0 },
  token_requests: { total: 0, ok: 0, failed: 0 },
  failed_token_requests: {}, // client_id (or "-") -> { error: n }
  revocations: 0,
  test_revokes: {},
};

// RFC 8628 polling discipline (oidc-provider has none): device_code -> { interval, next }
const devicePolls = new Map();

function bump(obj, key, sub) {
  obj[key] ||= {};
  obj[key][sub] = (obj[key][sub] || 0) + 1;
}

// ------------------------------------------------------------------ jwt-bearer (Google)

class GrantRefusal extends Error {}

function verifyServiceAccountAssertion(assertion, sa, saPublicKey, tokenUrl) {
  const parts = typeof assertion === 'string' ? assertion.split('.') : [];
  if (parts.length !== 3) throw new GrantRefusal('assertion is not a compact JWS');
  let header;
  let claims;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw new GrantRefusal('assertion header or claims are not JSON');
  }
  if (header.alg !== 'RS256') throw new GrantRefusal(`alg ${header.alg} is not RS256`);
  if (header.kid !== undefined && header.kid !== sa.private_key_id) throw new GrantRefusal('kid is not the key\'s private_key_id');
  const ok = crypto.verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), saPublicKey,
    Buffer.from(parts[2], 'base64url'));
  if (!ok) throw new GrantRefusal('invalid signature');
  if (claims.iss !== sa.client_email) throw new GrantRefusal('iss is not the service account\'s client_email');
  if (claims.aud !== tokenUrl) throw new GrantRefusal(`aud must be ${tokenUrl}`);
  const now = Math.floor(Date.now() / 1000);
  const skew = 60;
  if (!Number.isInteger(claims.iat) || !Number.isInteger(claims.exp)) throw new GrantRefusal('iat and exp must be integers');
  if (claims.iat > now + skew) throw new GrantRefusal('iat is in the future');
  if (claims.exp <= now - skew) throw new GrantRefusal('assertion expired');
  if (claims.exp <= claims.iat || claims.exp - claims.iat > 3600) throw new GrantRefusal('exp must be after iat and at most 1 hour later');
  if (typeof claims.scope !== 'string' || !claims.scope.trim()) throw new GrantRefusal('scope claim missing');
  if (typeof claims.sub !== 'string' || !claims.sub) throw new GrantRefusal('sub (the user to act for) missing');
  return claims;
}

// ------------------------------------------------------------------ main

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const o = path.join(args.dir, 'oidc');
  writeAtomic(path.join(args.dir, 'oidc.pid'), `${process.pid}\n`);
  const state = loadOrCreateState(o);
  const issuedFile = path.join(o, 'issued');

  // listen first: the issuer holds the port
  const server = http.createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(args.port, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const tokenUrl = `${issuer}/token`;
  if (state.sa.token_uri !== tokenUrl) {
    state.sa.token_uri = tokenUrl;
    writeAtomic(path.join(o, 'sa.json'), `${JSON.stringify(state.sa, null, 2)}\n`, 0o600);
  }
  const saPublicKey = crypto.createPublicKey(state.sa.private_key);

  const certThumbprint = b64url(crypto.createHash('sha1').update(state.cert.der).digest());
  const certThumbprintS256 = b64url(crypto.createHash('sha256').update(state.cert.der).digest());
  const certJwk = {
    ...crypto.createPublicKey(state.cert.keyPem).export({ format: 'jwk' }),
    kid: certThumbprint,
    use: 'sig',
    alg: 'RS256',
    x5c: [state.cert.der.toString('base64')],
  };

  // the username each access token stands for: Dovecot matches it to the IMAP login
  const saSubjects = new WeakMap();

  // Every access token is for one resource server, "the mail servers", which takes whatever
  // scope the tests ask for (Microsoft's and Google's scope names included): without it
  // oidc-provider refuses a device login whose scope has no openid.  The scopes it has seen
  // stay valid, so a refresh keeps the scope the login was granted.
  const mailResource = `${issuer}/mail`;
  const mailScopes = new Set(['imap', 'smtp', 'https://mail.google.com/',
    'https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send',
    'https://outlook.office365.com/.default', 'https://outlook.office.com/.default']);

  const ttl = state.settings;
  const configuration = {
    adapter: MemoryAdapter,
    clients: [
      {
        client_id: 'liaison-secret',
        client_secret: state.secrets['liaison-secret'],
        token_endpoint_auth_method: 'client_secret_post',
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: 'liaison-cert',
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'RS256',
        jwks: { keys: [certJwk] },
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: 'liaison-device',
        token_endpoint_auth_method: 'none',
        grant_types: [DEVICE_CODE, 'refresh_token'],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: 'liaison-sa',
        token_endpoint_auth_method: 'none',
        grant_types: [JWT_BEARER],
        response_types: [],
        redirect_uris: [],
      },
      {
        client_id: 'dovecot',
        client_secret: state.secrets.dovecot,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: [],
        response_types: [],
        redirect_uris: [],
      },
    ],
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    jwks: { keys: [state.signingJwk] },
    cookies: { keys: [state.settings.cookieKey] },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // the mail servers (dovecot) may ask about any token; a client only about its own
        allowedPolicy: async (ctx, client, token) => client.clientId === 'dovecot' || client.clientId === token.clientId,
      },
      revocation: { enabled: true },
      deviceFlow: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => mailResource,
        useGrantedResource: async () => true,
        getResourceServerInfo: async (ctx, indicator) => {
          if (indicator !== mailResource) throw new errors.InvalidTarget(`the only resource is ${mailResource}`);
          const asked = typeof ctx.oidc.params?.scope === 'string' ? ctx.oidc.params.scope.split(' ') : [];
          for (const scope of asked) if (scope && !OIDC_SCOPES.has(scope)) mailScopes.add(scope);
          return { scope: [...mailScopes].join(' '), audience: mailResource, accessTokenFormat: 'opaque', accessTokenTTL: ttl.accessTtl };
        },
      },
    },
    // opaque tokens (the default format); the provider keeps them in MemoryAdapter
    ttl: {
      AccessToken: ttl.accessTtl,
      ClientCredentials: ttl.accessTtl,
      RefreshToken: ttl.refreshTtl,
      DeviceCode: ttl.deviceTtl,
      Grant: ttl.refreshTtl,
      IdToken: ttl.accessTtl,
      Interaction: 600,
      Session: ttl.refreshTtl,
    },
    rotateRefreshToken: true,
    // a device login always yields a refresh token that outlives the browser session
    issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
    expiresWithSession: async () => false,
    findAccount: async (ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    extraTokenClaims: async (ctx, token) => {
      let username;
      if (token.kind === 'AccessToken') username = token.accountId;
      else if (token.clientId === 'liaison-sa') username = saSubjects.get(token);
      else username = CLIENT_USERS[token.clientId];
      return username ? { username } : undefined;
    },
    // Microsoft wants the certificate's thumbprint in the client assertion's header
    assertJwtClientAuthClaimsAndHeader: async (ctx, claims, header, client) => {
      if (client.clientId !== 'liaison-cert') return;
      if (header.x5t !== certThumbprint && header['x5t#S256'] !== certThumbprintS256) {
        throw new errors.InvalidClientAuth('x5t (or x5t#S256) header must be the certificate thumbprint');
      }
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!DOCTYPE html><html><head><title>oops</title></head><body><h1>oops! something went wrong</h1><pre id="error">${
        String(out.error).replace(/[<>&]/g, '')}: ${String(out.error_description || '').replace(/[<>&]/g, '')}</pre></body></html>`;
    },
  };

  const provider = new Provider(issuer, configuration);
  provider.proxy = false;

  // --- the Google service-account grant: an RS256 JWT, no client authentication
  provider.registerGrantType(JWT_BEARER, async (ctx) => {
    let claims;
    try {
      claims = verifyServiceAccountAssertion(ctx.oidc.params.assertion, state.sa, saPublicKey, tokenUrl);
    } catch (e) {
      if (e instanceof GrantRefusal) throw new errors.InvalidGrant(e.message);
      throw e;
    }
    const token = new provider.ClientCredentials({ client: ctx.oidc.client, scope: claims.scope });
    saSubjects.set(token, claims.sub);
    ctx.oidc.entity('ClientCredentials', token);
    const value = await token.save();
    ctx.body = {
      access_token: value,
      expires_in: token.expiration,
      token_type: 'Bearer',
      scope: claims.scope,
    };
  }, ['assertion', 'scope']);

  // --- issued tokens: counted and listed for the tests (never logged)
  const seen = new Set();
  const recordIssued = (kind) => (token) => {
    if (seen.has(token.jti)) return;
    seen.add(token.jti);
    bump(stats.issued, token.clientId, kind);
    fs.appendFileSync(issuedFile, `${kind} ${token.clientId} ${token.jti}\n`, { mode: 0o600 });
  };
  provider.on('access_token.saved', recordIssued('access_token'));
  provider.on('client_credentials.saved', recordIssued('client_credentials'));
  provider.on('refresh_token.saved', recordIssued('refresh_token'));
  provider.on('grant.error', (ctx, err) => {
    stats.token_requests.failed += 1;
    bump(stats.failed_token_requests, ctx.oidc?.client?.clientId || ctx.oidc?.params?.client_id || '-', err.error || err.name);
    log(`token request refused: client=${ctx.oidc?.client?.clientId || '-'} ${err.error || err.name}: ${err.error_description || err.message}`);
  });
  provider.on('grant.success', () => { stats.token_requests.ok += 1; });
  provider.on('introspection.error', () => { stats.introspections.refused += 1; });
  provider.on('revocation.success', () => { stats.revocations += 1; });
  provider.on('server_error', (ctx, err) => log(`server error: ${err.stack || err}`));

  // --- request log (path, client, outcome; no bodies, so no tokens)
  provider.use(async (ctx, next) => {
    const t0 = Date.now();
    await next();
    const clientId = ctx.oidc?.client?.clientId || '-';
    const grant = ctx.oidc?.params?.grant_type ? ` grant=${ctx.oidc.params.grant_type}` : '';
    log(`${ctx.method} ${ctx.path} -> ${ctx.status} client=${clientId}${grant} ${Date.now() - t0}ms`);
  });

  // --- test-only admin routes
  provider.use(async (ctx, next) => {
    if (!ctx.path.startsWith('/test/')) return next();
    const json = (status, body) => {
      ctx.status = status;
      ctx.type = 'application/json';
      ctx.body = `${JSON.stringify(body)}\n`;
    };
    const peer = ctx.req.socket.remoteAddress;
    if (peer !== '127.0.0.1' && peer !== '::ffff:127.0.0.1') return json(403, { error: 'loopback only' });
    if (ctx.path === '/test/stats' && ctx.method === 'GET') return json(200, stats);
    if (ctx.path === '/test/revoke' && ctx.method === 'POST') {
      const clientId = ctx.query.client_id;
      if (typeof clientId !== 'string' || !clientId) return json(400, { error: 'client_id missing' });
      const removed = await revokeClient(clientId);
      stats.test_revokes[clientId] = (stats.test_revokes[clientId] || 0) + 1;
      log(`test revoke of ${clientId}: ${JSON.stringify(removed)}`);
      return json(200, { client_id: clientId, removed });
    }
    return json(404, { error: 'no such test route' });
  });

  // --- the device flow's interval, and slow_down for a client that polls faster
  const interval = state.settings.deviceInterval ?? 2;
  const tooSoon = (deviceCode) => {
    const p = typeof deviceCode === 'string' && devicePolls.get(deviceCode);
    if (!p) return false;
    const now = Date.now();
    const early = now < p.next - 250; // a little leeway for timers and the network
    if (early) p.interval += 5;
    p.next = now + 1000 * p.interval;
    return early;
  };
  provider.use(async (ctx, next) => {
    if (!(ctx.method === 'POST' && ctx.path === '/device/auth')) return next();
    await next();
    if (ctx.status === 200 && ctx.body && ctx.body.device_code) {
      ctx.body.interval = interval;
      devicePolls.set(ctx.body.device_code, { interval, next: Date.now() + 1000 * interval, born: Date.now() });
      for (const [code, p] of devicePolls) {
        if (Date.now() - p.born > 1000 * ttl.deviceTtl) devicePolls.delete(code);
      }
    }
    return undefined;
  });

  // --- introspection counts; the jwt-bearer grant needs no client authentication
  provider.use(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === '/token/introspection') {
      stats.introspections.total += 1;
      await next();
      if (ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
        if (ctx.body.active) stats.introspections.active += 1;
        else stats.introspections.inactive += 1;
      }
      return undefined;
    }
    if (ctx.method === 'POST' && ctx.path === '/token') {
      stats.token_requests.total += 1;
      if (ctx.is('application/x-www-form-urlencoded')) {
        // Google's token endpoint takes the assertion alone; oidc-provider needs a client:
        // name the (public) service-account client when the request names none.
        const raw = await readBody(ctx.req, 64 * 1024);
        const body = querystring.parse(raw);
        if (body.grant_type === DEVICE_CODE && tooSoon(body.device_code)) {
          stats.token_requests.failed += 1;
          bump(stats.failed_token_requests, body.client_id || '-', 'slow_down');
          log(`token request refused: client=${body.client_id || '-'} slow_down: polled before the interval`);
          ctx.status = 400;
          ctx.type = 'application/json';
          ctx.set('cache-control', 'no-store');
          ctx.body = { error: 'slow_down', error_description: 'polling faster than the interval; wait 5 s more from now on' };
          return undefined;
        }
        if (body.grant_type === JWT_BEARER && body.client_id === undefined && !ctx.get('authorization')) {
          body.client_id = 'liaison-sa';
        }
        ctx.request.body = body;
      }
    }
    return next();
  });

  server.on('request', provider.callback());
  writeAtomic(path.join(args.dir, 'oidc.port'), `${port}\n`);
  log(`listening on ${issuer} (access/client-credentials ttl ${ttl.accessTtl}s, refresh ${ttl.refreshTtl}s, device code ${ttl.deviceTtl}s, polling interval ${interval}s), state in ${o}`);

  const stop = () => {
    log('stopping');
    server.close();
    server.closeAllConnections();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function readBody(req, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

main().catch((e) => die(e.stack || String(e)));
