// Passkeys and two-step sign-in in a real browser. Chromium's virtual authenticator (DevTools
// protocol: WebAuthn.enable, WebAuthn.addVirtualAuthenticator) stands in for a phone's
// fingerprint reader: it creates real key pairs and signs real challenges, and the server checks
// them with webauthn-rs. The site is opened as http://localhost:PORT, the relying party the
// server uses when no public URL is set (an IP address cannot be a WebAuthn relying party).
//
// A patient adds a passkey, signs out and signs in with the passkey alone (no password). A
// clinician adds one, and then the password leads to the second step, which the passkey
// finishes. The account pages pass axe and the touch-target check; screenshots
// `two-step-*` and `passkeys-*` at phone and laptop size.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkA11y, checkTouchTargets, launchBrowser, screenshot, signIn, startServer, withPage } from './helpers.mjs';

let server;
let browser;
let base;

before(
  async () => {
    server = await startServer();
    base = server.baseUrl.replace('127.0.0.1', 'localhost');
    browser = await launchBrowser();
  },
  { timeout: 180_000 },
);

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A platform authenticator that holds discoverable credentials and always verifies the user. */
async function virtualAuthenticator(page, context) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

async function addPasskey(page, name) {
  await page.goto('/account/passkeys');
  await page.getByRole('heading', { name: 'Passkeys', level: 1 }).waitFor();
  await page.getByLabel('Name it so you can tell it apart').fill(name);
  await Promise.all([
    page.waitForEvent('load'),
    page.getByRole('button', { name: 'Add a passkey', exact: true }).click(),
  ]);
  await page.locator('ul.passkey-list').getByText(name, { exact: true }).waitFor();
}

async function signOut(page) {
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/login'),
    page.getByRole('button', { name: 'Sign out', exact: true }).click(),
  ]);
}

test('a patient adds a passkey and signs in with it instead of a password', { timeout: 180_000 }, async () => {
  await withPage(browser, base, 'passkeys-patient', async (page, context) => {
    const { cdp, authenticatorId } = await virtualAuthenticator(page, context);
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, server.logins.patient[0], server.password);
    await page.getByRole('link', { name: 'Account', exact: true }).click();
    await page.getByRole('link', { name: 'Set up two-step sign-in' }).click();
    await page.getByRole('heading', { name: 'Two-step sign-in', level: 1 }).waitFor();
    await checkA11y(page, 'the two-step sign-in page');
    assert.ok((await checkTouchTargets(page, 'the two-step sign-in page')) > 0);
    await screenshot(page, 'two-step-off');
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'Set up an authenticator app' }).click(),
    ]);
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    assert.match(await page.locator('code.secret').innerText(), /^[A-Z2-7 ]{32,}$/);
    await checkA11y(page, 'the authenticator app set-up');
    await checkTouchTargets(page, 'the authenticator app set-up');
    await screenshot(page, 'two-step-setup');

    await page.goto('/account/passkeys');
    await checkA11y(page, 'the passkeys page');
    await checkTouchTargets(page, 'the passkeys page');
    await screenshot(page, 'passkeys-empty');
    await addPasskey(page, 'My phone');
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0].isResidentCredential, true, 'a discoverable credential');
    await checkA11y(page, 'the passkeys page with one');
    await checkTouchTargets(page, 'the passkeys page with one');
    await screenshot(page, 'passkeys-one');

    await signOut(page);
    await page.getByRole('heading', { name: 'Or use a passkey' }).waitFor();
    await checkA11y(page, 'the sign-in page with passkeys');
    await checkTouchTargets(page, 'the sign-in page with passkeys');
    await screenshot(page, 'passkeys-sign-in');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/home'),
      page.getByRole('button', { name: 'Sign in with a passkey' }).click(),
    ]);
    // Signed in: the page is the patient's, with their navigation.
    await page.getByRole('link', { name: 'My exercises' }).waitFor();
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    assert.equal(me.email, server.logins.patient[0]);
  });
});

test('a clinician uses a passkey as the second step after the password', { timeout: 180_000 }, async () => {
  await withPage(browser, base, 'passkeys-clinician', async (page, context) => {
    await virtualAuthenticator(page, context);
    const email = server.logins.clinician[0];
    await signIn(page, email, server.password);
    await addPasskey(page, 'Work laptop');
    await signOut(page);

    // The password alone is not enough any more.
    await page.getByLabel('Email address', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill(server.password);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/login/two-step'),
      page.getByRole('button', { name: 'Sign in', exact: true }).click(),
    ]);
    await page.getByRole('heading', { name: 'Confirm it is you', level: 1 }).waitFor();
    await checkA11y(page, 'the second step');
    await checkTouchTargets(page, 'the second step');
    await screenshot(page, 'two-step-passkey');
    const before = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
    assert.equal(before, 401, 'no session before the second step');
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/caseload'),
      page.getByRole('button', { name: 'Use my passkey' }).click(),
    ]);
    const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
    assert.equal(me.email, email);
  });
});
