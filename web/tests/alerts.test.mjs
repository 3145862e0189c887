// The alert inbox in a real browser, on the demo clinic: a clinician at 1280×800 opens the
// inbox from the navigation, sees an overdue alert marked "Overdue" in words, tries to close it
// without a note (the error summary links to the note, the page says 422 in its title), closes
// it with a note (it leaves the inbox), and finds it in the patient's alert history with the
// note. axe finds nothing serious; touch targets are big enough; screenshots at both sizes.

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
  { timeout: 240_000 },
);

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function submit(page, button) {
  await Promise.all([page.waitForLoadState('load'), button.click()]);
}

test('a clinician closes an overdue alert from the inbox with a note', { timeout: 240_000 }, async () => {
  await withPage(browser, server.baseUrl, 'alerts', async (page, context) => {
    // The demo's overdue alerts belong to some clinician's patients: find whose.
    let overdue;
    for (const clinician of server.logins.clinician) {
      await context.clearCookies();
      await signIn(page, clinician, server.password);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
      await page.waitForURL('**/inbox');
      overdue = page.locator('.inbox-item', { has: page.locator('.tag-overdue') }).first();
      if ((await overdue.count()) > 0) break;
      overdue = undefined;
    }
    assert.ok(overdue, 'a clinician of the demo has an overdue alert');
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    assert.equal(await overdue.locator('.tag-overdue').innerText(), 'Overdue');
    await checkA11y(page, 'the inbox');
    await checkTouchTargets(page, 'the inbox');
    await screenshot(page, 'alerts-inbox');

    const heading = (await overdue.getByRole('heading', { level: 2 }).innerText()).trim();
    const patient = heading.split(':')[0].trim();
    const items = await page.locator('.inbox-item').count();

    // Without a note: back with an error summary linking to the note.
    await submit(page, overdue.getByRole('button', { name: 'Close alert' }));
    assert.match(await page.title(), /^Error: Inbox/);
    const summary = page.getByRole('alert');
    await summary.getByRole('heading', { name: 'There is a problem' }).waitFor();
    const link = summary.getByRole('link', { name: /short note of what was done/ });
    assert.equal(await link.getAttribute('href'), '#note');
    await checkA11y(page, 'the inbox with an error');
    await screenshot(page, 'alerts-inbox-error');

    // With a note: it leaves the inbox.
    const note = 'Phoned the patient: pain easing, advised rest, review on Friday';
    await page.locator('#note').fill(note);
    const failed = page.locator('.inbox-item', { has: page.locator('#note') });
    await submit(page, failed.getByRole('button', { name: 'Close alert' }));
    assert.equal(new URL(page.url()).pathname, '/inbox');
    assert.equal(await page.locator('.inbox-item').count(), items - 1);
    assert.equal(await page.getByText(note).count(), 0);

    // The patient's page keeps it, with the note.
    await page.getByRole('link', { name: 'My patients' }).click();
    await page.getByRole('link', { name: patient, exact: true }).first().click();
    const history = page.locator('.alert-history');
    await history.getByText(note).waitFor();
    assert.match(await history.innerText(), /Closed alerts \(\d+\)/);
    await checkA11y(page, "the patient's alert history");
    await page.locator('#alerts-title').scrollIntoViewIfNeeded();
    await screenshot(page, 'alerts-history');
  });
});
