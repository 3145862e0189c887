// The patient's rights in a real browser. A demo patient opens "who has looked at your record"
// from his home page on a phone, sees his clinician named, and downloads his record; an admin
// opens the erasure confirmation, sends it without a reason or the name, and is shown both
// problems with what was typed kept. Screenshots `rights-*` at phone and laptop size.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, checkA11y, checkTouchTargets, launchBrowser, screenshot, signIn, startServer, withPage } from './helpers.mjs';

let server;
let browser;
const PATIENT = 'kwame.mensah@demo.physio.test';
const ADMIN = 'admin@demo.physio.test';

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

test('a patient sees who looked at his record and downloads it, on a phone', { timeout: 180_000 }, async () => {
  await withPage(browser, server.baseUrl, 'rights-patient', async (page) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, PATIENT, server.password);
    await page.goto('/home');
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('link', { name: 'See who has looked at your record, or download a copy', exact: true }).click(),
    ]);
    assert.equal(new URL(page.url()).pathname, '/my-record');
    await page.getByRole('heading', { name: 'Who has looked at your record', level: 1 }).waitFor();
    const text = await page.locator('main').innerText();
    assert.match(text, /\(your clinician\) (looked at|changed) /);
    assert.match(text, /\d{1,2} \w+ 20\d\d \d\d:\d\d/);
    await checkA11y(page, 'the access log');
    await checkTouchTargets(page, 'the access log');
    await screenshot(page, 'rights-access-log');

    const res = await page.request.get('/my-record/download');
    assert.equal(res.status(), 200);
    assert.match(res.headers()['content-disposition'], /^attachment/);
    const record = await res.json();
    assert.equal(record.account.email, PATIENT);
    assert.ok(record.programme_versions.length > 0);
    assert.ok(!JSON.stringify(record).includes('argon2'));
  });
});

test('an admin is asked for the reason and the name before an erasure', { timeout: 180_000 }, async () => {
  const client = api(server.baseUrl);
  await client.login(ADMIN, server.password);
  const patients = await client.get('/api/v1/patients');
  const list = patients.patients ?? patients;
  const kwame = list.find((p) => p.email === PATIENT);
  await withPage(browser, server.baseUrl, 'rights-erase', async (page) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, ADMIN, server.password);
    await page.goto(`/patients/${kwame.id}`);
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('link', { name: 'Erase this patient at their request', exact: true }).click(),
    ]);
    await page.getByRole('heading', { name: `Erase ${kwame.name}?`, level: 1 }).waitFor();
    await page.getByLabel(/Type the patient's full name/).fill('Somebody Else');
    await Promise.all([
      page.waitForLoadState('load'),
      page.getByRole('button', { name: `Erase ${kwame.name}`, exact: true }).click(),
    ]);
    const summary = page.getByRole('alert');
    await summary.getByRole('heading', { name: 'There is a problem' }).waitFor();
    assert.match(await summary.innerText(), /Enter why the patient is being erased/);
    assert.equal(await page.getByLabel(/Type the patient's full name/).inputValue(), 'Somebody Else');
    await checkA11y(page, 'the erasure form with a problem');
    await checkTouchTargets(page, 'the erasure form with a problem');
    await screenshot(page, 'rights-erase-error');
    // Nothing was erased.
    const still = await client.get(`/api/v1/patients/${kwame.id}`);
    assert.equal(still.email ?? still.patient?.email, PATIENT);
  });
});
