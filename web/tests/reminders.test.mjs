// Exercise reminders in a real browser, on a phone. A demo patient opens the reminder page from
// his home page, sends the form without a day or a time and is shown both problems,
// then chooses three days, a time and the breakfast he ties them to, and is told when the next
// reminder comes. The demo clinic has no mail server, and the page says so. Screenshots
// `reminders-*` at phone and laptop size.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, checkA11y, checkTouchTargets, launchBrowser, screenshot, signIn, startServer, withPage } from './helpers.mjs';

let server;
let browser;
const PATIENT = 'kwame.mensah@demo.physio.test';

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

async function save(page) {
  await Promise.all([
    page.waitForLoadState('load'),
    page.getByRole('button', { name: 'Save reminders', exact: true }).click(),
  ]);
}

test('a patient sets exercise reminders on a phone', { timeout: 180_000 }, async () => {
  await withPage(browser, server.baseUrl, 'reminders', async (page) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, PATIENT, server.password);
    await page.goto('/home');
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('link', { name: 'Set exercise reminders', exact: true }).click(),
    ]);
    assert.equal(new URL(page.url()).pathname, '/reminders');
    await page.getByRole('heading', { name: 'Exercise reminders', level: 1 }).waitFor();
    assert.match(await page.locator('main').innerText(), /not set up e-mail, so your reminders show on your home page only/);
    await checkA11y(page, 'the reminder page');
    await checkTouchTargets(page, 'the reminder page');
    await screenshot(page, 'reminders-new');

    // Neither a day nor a time: both named, each linking to its field.
    await save(page);
    assert.match(await page.title(), /^Error: /);
    const summary = page.getByRole('alert');
    await summary.getByRole('heading', { name: 'There is a problem' }).waitFor();
    assert.match(await summary.innerText(), /Choose at least one day/);
    assert.match(await summary.innerText(), /Enter the time for your reminders, like 08:00/);
    await summary.getByRole('link', { name: /Choose at least one day/ }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'days');
    await checkA11y(page, 'the reminder page with problems');
    await checkTouchTargets(page, 'the reminder page with problems');
    await screenshot(page, 'reminders-error');

    for (const day of ['Monday', 'Wednesday', 'Friday']) {
      await page.getByLabel(day, { exact: true }).check();
    }
    await page.getByLabel('What time?').fill('08:00');
    await page.getByLabel(/What will you do your exercises after/).fill('after breakfast');
    await save(page);
    assert.equal(new URL(page.url()).pathname, '/reminders');
    const notice = await page.getByRole('status').innerText();
    assert.match(notice, /Your reminders are saved\. The next one is (today|tomorrow|Monday|Wednesday|Friday|next Monday|next Wednesday|next Friday) at 8:00, after breakfast\./);
    await checkA11y(page, 'the reminder page once saved');
    await checkTouchTargets(page, 'the reminder page once saved');
    await screenshot(page, 'reminders-saved');

    // Every control is at least 44 px tall, to hit with a thumb.
    for (const target of await page.locator('main .radio, main .checkbox, main input[type=time], main input[type=text], main button').all()) {
      const box = await target.boundingBox();
      assert.ok(box.height >= 44, `${await target.evaluate((e) => e.outerHTML.slice(0, 80))} is ${box.height}px tall`);
    }

    // What was saved is what the API reads back.
    const client = api(server.baseUrl);
    const me = await client.login(PATIENT, server.password);
    const view = await client.get(`/api/v1/patients/${me.user.id}/reminders`);
    assert.deepEqual(view.plan, { days: ['monday', 'wednesday', 'friday'], time: '08:00', habit: 'after breakfast', enabled: true });
    assert.equal(view.by_email, false);
  });
});
