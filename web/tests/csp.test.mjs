// The Content-Security-Policy breaks nothing: the main pages of every role, the printable
// programme and the camera page with MediaPipe running on Chromium's fake camera raise no CSP
// violation (the `securitypolicyviolation` event, or the console's "Content Security Policy"
// errors), and each page was served with the strict policy. docs/hardening.md.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, launchBrowser, prescribe, signIn, startServer, withPage } from './helpers.mjs';

let server;
let browser;

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser([
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
    ]);
    await prescribe(server, { patient: server.logins.patient[0], exercise: 'shoulder-abduction' });
  },
  { timeout: 180_000 },
);

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Records CSP violations on `page` from its first script on. */
async function watchCsp(page) {
  const violations = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return async (label) => {
    const inPage = await page.evaluate(() => window.__csp ?? []);
    return [...violations.splice(0), ...inPage].map((v) => `${label}: ${v}`);
  };
}

/** Visits each path, checks the strict policy came with it; returns every violation seen. */
async function visit(page, paths, take) {
  const found = [];
  for (const p of paths) {
    const res = await page.goto(p);
    assert.ok(res.ok(), `${p}: ${res.status()}`);
    const csp = res.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/, `${p} has the strict policy`);
    await page.waitForLoadState('load');
    found.push(...(await take(p)));
    // Inline code the policy would block, found in the page itself (an inline handler is only
    // reported when it would run, so the events alone would miss an unclicked button).
    const inline = await page.evaluate(() => [
      ...[...document.querySelectorAll('script:not([src])')].map((s) => `inline <script>: ${s.textContent.slice(0, 60)}`),
      ...[...document.querySelectorAll('*')].flatMap((el) =>
        [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName.toLowerCase()} ${a.name}="${a.value}"`),
      ),
    ]);
    found.push(...inline.map((v) => `${p}: ${v}`));
  }
  return found;
}

test('no page of any role raises a CSP violation', { timeout: 240_000 }, async () => {
  const found = [];
  await withPage(browser, server.baseUrl, 'csp-anonymous', async (page) => {
    const take = await watchCsp(page);
    found.push(...(await visit(page, ['/login'], take)));
  });
  await withPage(browser, server.baseUrl, 'csp-patient', async (page) => {
    const take = await watchCsp(page);
    await signIn(page, server.logins.patient[0], server.password);
    const paths = ['/home', '/programme', '/programme/print', '/progress', '/today/session', '/lessons',
      '/reminders', '/messages', '/check-in', '/questionnaires'];
    found.push(...(await visit(page, paths, take)));
  });
  await withPage(browser, server.baseUrl, 'csp-clinician', async (page) => {
    const take = await watchCsp(page);
    await signIn(page, server.logins.clinician[0], server.password);
    found.push(...(await visit(page, ['/caseload', '/inbox', '/messages', '/library', '/proposals'], take)));
    const staff = api(server.baseUrl);
    await staff.login(server.logins.clinician[0], server.password);
    const { patients } = await staff.get('/api/v1/patients');
    assert.ok(patients.length > 0, 'the demo clinician has patients');
    const id = patients[0].id;
    found.push(...(await visit(page, [`/patients/${id}`, `/patients/${id}/programme/edit`], take)));
  });
  await withPage(browser, server.baseUrl, 'csp-admin', async (page) => {
    const take = await watchCsp(page);
    await signIn(page, server.logins.admin[0], server.password);
    found.push(...(await visit(page, ['/admin'], take)));
  });
  assert.deepEqual(found, []);
});

test('the camera page runs MediaPipe under the policy', { timeout: 180_000 }, async () => {
  await withPage(browser, server.baseUrl, 'csp-camera', async (page) => {
    const take = await watchCsp(page);
    await page.context().grantPermissions(['camera'], { origin: server.baseUrl });
    await signIn(page, server.logins.patient[0], server.password);
    const wasm = page.waitForResponse((r) => r.url().endsWith('.wasm') && r.ok(), { timeout: 60_000 });
    const socket = page.waitForEvent('websocket', { timeout: 60_000 });
    const found = await visit(page, ['/exercise/shoulder-abduction'], take);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await wasm;
    await socket;
    // The model compiles and runs on the fake camera's frames for a while.
    await page.waitForTimeout(8_000);
    assert.ok(await page.evaluate(() => typeof window.Pose === 'function'), 'MediaPipe loaded');
    found.push(...(await take('/exercise/shoulder-abduction after Start')));
    assert.deepEqual(found, []);
  });
});

test('the API explorer works under its own policy', { timeout: 60_000 }, async () => {
  await withPage(browser, server.baseUrl, 'csp-docs', async (page) => {
    const take = await watchCsp(page);
    const res = await page.goto('/api/docs/');
    assert.ok(res.ok());
    await page.getByText('/api/v1/patients', { exact: false }).first().waitFor();
    assert.deepEqual(await take('/api/docs/'), []);
  });
});
