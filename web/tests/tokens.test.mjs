// The API tokens page (/account/tokens) on a phone: a patient makes a read-only token, sees its
// secret once, the token reads through the API and cannot change anything, and revoking it on
// the page ends it. Accessible (axe) and with 44-pixel touch targets. docs/hardening.md.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkA11y, checkTouchTargets, launchBrowser, screenshot, signIn, startServer, withPage } from './helpers.mjs';

let server;
let browser;

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser();
  },
  { timeout: 180_000 },
);

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a patient makes, uses and revokes a read-only token', { timeout: 120_000 }, async () => {
  await withPage(browser, server.baseUrl, 'tokens', async (page) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, server.logins.patient[0], server.password);
    await page.goto('/account/tokens');
    await checkA11y(page, 'tokens page, empty');

    // A name left out: the form comes back with the problem.
    await page.getByRole('button', { name: 'Make token' }).click();
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await checkA11y(page, 'tokens page with an error');

    await page.getByLabel('What is it for?').fill('My step counter');
    await page.getByLabel('How long should it last?').selectOption('30');
    await page.getByLabel('Read only').check();
    await page.getByRole('button', { name: 'Make token' }).click();
    const secret = (await page.locator('#new-token').textContent()).trim();
    assert.match(secret, /^phy_[0-9a-f]{64}$/);
    await checkA11y(page, 'tokens page with a new token');
    assert.ok((await checkTouchTargets(page, 'tokens page on a phone')) > 0);
    await screenshot(page, 'tokens');

    const call = (method, path) =>
      fetch(`${server.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${secret}` } });
    assert.equal((await call('GET', '/api/v1/me')).status, 200);
    const refused = await call('POST', '/api/v1/auth/logout');
    assert.equal(refused.status, 403, 'a read-only token changes nothing');

    // The list never shows the secret again.
    await page.goto('/account/tokens');
    assert.equal(await page.locator('#new-token').count(), 0);
    const row = page.getByRole('row', { name: /My step counter/ });
    await assert.doesNotReject(row.getByText('Read only').waitFor());
    await row.getByRole('button', { name: /Revoke/ }).click();
    await page.waitForURL('**/account/tokens');
    assert.equal((await call('GET', '/api/v1/me')).status, 401);
  });
});
