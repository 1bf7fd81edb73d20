// Approves an OAuth2 device login (RFC 8628) the way a person does: in a browser.
//
//   node device_approve.mjs URL USER [USER_CODE]
//
// URL is the verification_uri_complete the device authorization answered (or the bare
// verification_uri, then USER_CODE is typed in).  Runs Debian's /usr/bin/chromium headless
// through playwright-core, lets it reach only 127.0.0.1, and walks the provider's pages:
// user code (if asked), "Confirm Device", the login page (as USER, any password), consent.
// Exit 0 only when the provider's success page shows; otherwise exit 1 with the reason on
// stderr and a screenshot in $TMPDIR.  Everything within 60 s (DEVICE_APPROVE_TIMEOUT).
import path from 'node:path';

import { chromium } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function fail(msg) {
  process.stderr.write(`device_approve: ${msg}\n`);
  process.exitCode = 1;
}

async function pageState(page) {
  // the page in front of us, recognised by its form (the provider's built-in pages)
  if (await page.locator('h1', { hasText: 'Sign-in Success' }).count()) return 'success';
  if (await page.locator('form#op\\.deviceInputForm').count()) return 'user_code';
  if (await page.locator('form#op\\.deviceConfirmForm').count()) return 'confirm';
  if (await page.locator('input[name=login]').count()) return 'login';
  if (await page.locator('input[name=prompt][value=consent]').count()) return 'consent';
  return 'unknown';
}

async function main() {
  const [url, user, userCode] = process.argv.slice(2);
  if (!url || !user) {
    fail('usage: node device_approve.mjs URL USER [USER_CODE]');
    return;
  }
  const timeoutMs = 1000 * Number(process.env.DEVICE_APPROVE_TIMEOUT || 60);
  const deadline = Date.now() + timeoutMs;
  const left = () => Math.max(1000, deadline - Date.now());
  const watchdog = setTimeout(() => {
    process.stderr.write(`device_approve: gave up after ${timeoutMs / 1000} s\n`);
    process.exit(1);
  }, timeoutMs + 5000);

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, timeout: left() });
  let page;
  try {
    const context = await browser.newContext();
    // only the provider: the built-in pages @import a web font we must not fetch
    await context.route('**/*', (route) => {
      const { hostname } = new URL(route.request().url());
      return hostname === '127.0.0.1' || hostname === 'localhost' ? route.continue() : route.abort();
    });
    page = await context.newPage();
    page.setDefaultTimeout(15000);
    await page.goto(url, { timeout: left(), waitUntil: 'load' });

    const done = new Set();
    for (let step = 0; step < 10 && Date.now() < deadline; step += 1) {
      const state = await pageState(page);
      if (state === 'success') {
        process.stdout.write(`device_approve: approved as ${user}\n`);
        return;
      }
      if (done.has(state) && state !== 'unknown') {
        // the same form again: the provider refused what we sent (wrong code, expired...)
        const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ').slice(0, 300);
        throw new Error(`the ${state} page came back: ${text}`);
      }
      done.add(state);
      // each step submits a form: click and wait for the next page together
      const submit = (selector) => Promise.all([
        page.waitForNavigation({ timeout: left(), waitUntil: 'load' }),
        page.click(selector),
      ]);
      switch (state) {
        case 'user_code':
          if (await page.locator('p.red').count()) {
            throw new Error(`the provider says: ${(await page.locator('p.red').first().innerText()).trim()}`);
          }
          if (!userCode) throw new Error('the provider asks for the user code: give USER_CODE (or the complete URI)');
          await page.fill('form#op\\.deviceInputForm input[name=user_code]', userCode);
          await submit('button[type=submit][form="op.deviceInputForm"]');
          break;
        case 'confirm':
          await submit('button[autofocus][form="op.deviceConfirmForm"]');
          break;
        case 'login':
          await page.fill('input[name=login]', user);
          await page.fill('input[name=password]', 'any-password');
          await submit('button[type=submit]');
          break;
        case 'consent':
          await submit('button[type=submit]');
          break;
        default: {
          const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ').slice(0, 300);
          throw new Error(`unexpected page ${page.url()}: ${text}`);
        }
      }
    }
    throw new Error(`no success page after the steps (last page ${page.url()})`);
  } catch (e) {
    fail(e.message.split('\n')[0]);
    if (page) {
      const shot = path.join(process.env.TMPDIR || '/tmp', `device_approve-${process.pid}.png`);
      await page.screenshot({ path: shot, fullPage: true }).then(
        () => process.stderr.write(`device_approve: screenshot of the page in ${shot}\n`),
        () => {},
      );
    }
  } finally {
    clearTimeout(watchdog);
    await browser.close();
  }
}

main().catch((e) => {
  fail(e.stack || String(e));
  process.exit(1);
});
