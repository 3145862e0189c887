// Single sign-on for staff (docs/sso.md), end to end against a real OpenID Connect provider
// (`oidc-provider`, started here by tests/oidc-provider.mjs). The demo clinic's admin sets it
// up on the admin page; a clinician clicks "Sign in with your organisation", signs in at the
// provider's own page and comes back signed in as themselves. A person whose address maps to no
// staff account (a patient, or nobody), one from a domain the clinic does not allow, and one
// whose address the provider has not confirmed are each refused with a page saying why, and
// no one is signed in.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { checkA11y, checkTouchTargets, launchBrowser, screenshot, signIn, startServer, withPage, WEB_DIR } from './helpers.mjs';

let server;
let browser;
let provider;
let issuer;
const CLIENT_ID = 'physio-demo';
const CLIENT_SECRET = 'a-secret-only-the-provider-and-physio-know';

/** Starts the provider with the server's callback as its one redirect URI; resolves to its issuer. */
function startProvider(redirectUri) {
  const child = spawn(process.execPath, [path.join(WEB_DIR, 'tests/oidc-provider.mjs'), redirectUri, CLIENT_ID, CLIENT_SECRET], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c) => {
    err += c;
  });
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the OpenID provider did not start:\n${err}`)), 30_000);
    child.once('exit', (code) => reject(new Error(`the OpenID provider exited (${code}):\n${err}`)));
    lines.on('line', (line) => {
      const m = /^ISSUER (\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve({ child, issuer: m[1] });
      }
    });
  });
}

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser();
    ({ child: provider, issuer } = await startProvider(`${server.baseUrl}/sso/callback`));
  },
  { timeout: 180_000 },
);

after(async () => {
  provider?.kill('SIGTERM');
  await browser?.close();
  await server?.stop();
});

const domainOf = (email) => email.split('@')[1];

/**
 * From the sign-in page to the provider and back: "Sign in with your organisation", the work
 * address (which finds the clinic), then the provider's own sign-in page as `login`, and its
 * consent page. Returns when the browser is back at Physio.
 */
async function throughProvider(page, workEmail, login) {
  await page.goto('/login');
  await Promise.all([page.waitForURL('**/sso'), page.getByRole('link', { name: 'Sign in with your organisation' }).click()]);
  await page.getByLabel('Work e-mail address').fill(workEmail);
  await Promise.all([page.waitForURL((u) => u.origin === new URL(issuer).origin), page.getByRole('button', { name: 'Continue' }).click()]);
  // The state that ties the callback to this browser: HttpOnly, SameSite=Lax, sent to /sso only.
  const state = (await page.context().cookies()).find((c) => c.name === 'physio_sso_state');
  assert.ok(state, 'the sign-in state cookie is set');
  assert.deepEqual([state.httpOnly, state.sameSite, state.path], [true, 'Lax', '/sso']);
  // oidc-provider's development sign-in page: any password is accepted.
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('whatever the directory wants');
  await page.locator('button[type=submit]').click();
  // Its consent page (the first time this client asks for these scopes).
  await page.locator('button[type=submit]', { hasText: /continue/i }).click();
  await page.waitForURL((u) => u.origin === new URL(server.baseUrl).origin);
  await page.waitForLoadState('load');
}

test('an admin sets up single sign-on; a clinician signs in with their organisation', { timeout: 180_000 }, async () => {
  const admin = server.logins.admin[0];
  const clinician = server.logins.clinician[0];
  await withPage(browser, server.baseUrl, 'sso-setup', async (page) => {
    await signIn(page, admin, server.password);
    await page.goto('/admin#sso-title');
    const section = page.locator('section', { has: page.locator('#sso-title') });
    assert.match(await section.locator('#sso-status').innerText(), /Off\./);
    // The redirect address to register is this server's callback.
    assert.equal(await section.locator('#sso-redirect').innerText(), `${server.baseUrl}/sso/callback`);
    // A wrong issuer first: the form comes back with it, naming the field.
    await section.getByLabel('Issuer URL').fill('login.example.org');
    await section.getByLabel('Client ID').fill(CLIENT_ID);
    await section.getByLabel('Client secret').fill(CLIENT_SECRET);
    await section.getByLabel('Allowed e-mail domains').fill(domainOf(clinician));
    await Promise.all([page.waitForLoadState('load'), section.getByRole('button', { name: 'Save sign-in settings' }).click()]);
    await page.getByRole('alert').getByRole('link', { name: /issuer URL/ }).waitFor();
    assert.match(await page.locator('#issuer-error').innerText(), /issuer URL/);
    assert.equal(await page.getByLabel('Issuer URL').inputValue(), 'login.example.org');
    assert.equal(await page.getByLabel('Allowed e-mail domains').inputValue(), domainOf(clinician));
    await page.getByLabel('Issuer URL').fill(issuer);
    await page.getByLabel('Client secret').fill(CLIENT_SECRET);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Save sign-in settings' }).click()]);
    await page.getByRole('status').filter({ hasText: 'Saved sign-in with your organisation' }).waitFor();
    assert.match(await page.locator('#sso-status').innerText(), /On\./);
    // The secret is never put back into the page.
    assert.equal(await page.getByLabel('Client secret').inputValue(), '');
    assert.ok(!(await page.content()).includes(CLIENT_SECRET));
    await page.locator('#sso-title').scrollIntoViewIfNeeded();
    await checkA11y(page, 'the admin page with single sign-on set up');
    await checkTouchTargets(page, 'the admin page with single sign-on set up');
    await screenshot(page, 'sso-admin');
  });

  await withPage(browser, server.baseUrl, 'sso-clinician', async (page) => {
    await page.goto('/sso');
    await checkA11y(page, 'the sign-in with your organisation page');
    assert.ok((await checkTouchTargets(page, 'the sign-in with your organisation page')) > 0);
    await screenshot(page, 'sso-start');
    await throughProvider(page, clinician, clinician);
    // Signed in as the existing clinician, on their start page.
    assert.equal(new URL(page.url()).pathname, '/caseload');
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    assert.equal(me.email, clinician);
    assert.equal(me.role, 'clinician');
  });
});

test('people with no staff account, from another domain or unconfirmed are refused with a clear page', { timeout: 240_000 }, async () => {
  const clinician = server.logins.clinician[0];
  const domain = domainOf(clinician);
  const cases = [
    ['sso-patient', server.logins.patient[0], `There is no staff account for ${server.logins.patient[0]} at this clinic.`],
    ['sso-nobody', `nobody.here@${domain}`, `There is no staff account for nobody.here@${domain} at this clinic.`],
    ['sso-domain', 'someone@elsewhere.example', 'This clinic does not accept sign-ins from e-mail addresses at elsewhere.example.'],
    ['sso-unverified', `unverified.person@${domain}`, 'Your organisation did not confirm your e-mail address.'],
  ];
  for (const [name, login, reason] of cases) {
    await withPage(browser, server.baseUrl, name, async (page) => {
      await throughProvider(page, clinician, login);
      assert.equal(new URL(page.url()).pathname, '/sso/callback');
      await page.getByRole('heading', { level: 1, name: 'We could not sign you in' }).waitFor();
      assert.equal(await page.locator('#sso-reason').innerText(), reason);
      // Nobody is signed in.
      const status = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
      assert.equal(status, 401);
      if (name === 'sso-patient') {
        await checkA11y(page, 'the refused sign-in page');
        await checkTouchTargets(page, 'the refused sign-in page');
        await screenshot(page, 'sso-refused');
      }
    });
  }
});
