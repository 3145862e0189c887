// Staff forms in a real browser: a form that fails keeps what was typed. A clinician changes a
// triage tier without a note and gets the review form back with the tier still chosen, an error
// summary naming the note and the message at the note; a target range with an angle that is
// not a number comes back with both angles as typed; a discharge without its confirmation
// comes back with the reason. The admin sees the patient nobody looks after, and is asked
// before deactivating an account.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, checkA11y, launchBrowser, screenshot, signIn, startServer, withPage } from './helpers.mjs';

let server;
let browser;
const ALONE = { email: 'alone.patient@demo.physio.test', name: 'Alex Alone' };

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser();
    // A patient added with no care team: nobody looks after them yet.
    const admin = api(server.baseUrl);
    await admin.login(server.logins.admin[0], server.password);
    await admin.post('/api/v1/users', {
      email: ALONE.email,
      name: ALONE.name,
      role: 'patient',
      password: 'kettle orbit saffron ladder',
      summary: 'Low back pain for three weeks.',
    });
  },
  { timeout: 180_000 },
);

after(async () => {
  await browser?.close();
  await server?.stop();
});


async function submit(page, name) {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name }).click()]);
}

/** The error summary: a link to `#field` saying `words`, and the same words at the field. */
async function assertCameBack(page, field, words) {
  assert.match(await page.title(), /^Error: /);
  const summary = page.getByRole('alert');
  await summary.getByRole('heading', { name: 'There is a problem' }).waitFor();
  const link = summary.getByRole('link', { name: words });
  assert.equal(await link.getAttribute('href'), `#${field}`);
  assert.match(await page.locator(`#${field}-error`).innerText(), words);
}

test('a staff form that fails keeps what was typed', { timeout: 180_000 }, async () => {
  await withPage(browser, server.baseUrl, 'staff-forms', async (page) => {
    const clinician = server.logins.clinician[0];
    await signIn(page, clinician, server.password);
    // A decision waiting for this clinician's review, from the demo clinic.
    const row = page.locator('#caseload tbody tr', { hasText: ': review' }).first();
    const patient = (await row.locator('td').first().innerText()).trim();
    await Promise.all([page.waitForLoadState('load'), row.getByRole('link').first().click()]);
    const record = page.url();

    // Triage review: choose another tier, say nothing, save.
    const proposed = await page.locator('input[name=final_tier]:checked').getAttribute('value');
    const other = proposed === 'urgent' ? 'specialist' : 'urgent';
    await page.locator(`#tier-${other}`).check();
    await submit(page, 'Save review');
    await assertCameBack(page, 'note', /Say why you are changing the tier/);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Review the triage decision');
    await page.getByText(patient, { exact: true }).first().waitFor();
    assert.equal(await page.locator(`#tier-${other}`).isChecked(), true, 'the chosen tier is still chosen');
    assert.equal(await page.locator(`#tier-${proposed}`).isChecked(), false);
    await checkA11y(page, 'review that failed');
    await screenshot(page, 'staff-review-failed');
    // The summary's link takes the clinician to the note; writing it and saving works.
    await page.getByRole('alert').getByRole('link').click();
    assert.equal(new URL(page.url()).hash, '#note');
    // Back to the record: the review is still waiting (nothing was saved).
    await page.getByRole('link', { name: `Back to ${patient}` }).click();
    assert.equal(page.url(), record);
    await page.getByRole('button', { name: 'Save review' }).waitFor();

    // A target range whose angle is not a number: both angles come back as typed.
    await page.getByText('Set a target range').click();
    await page.getByLabel('Angle at rest (°)').fill('ten');
    await page.getByLabel('Target angle (°)').fill('95');
    await submit(page, 'Set target range');
    await assertCameBack(page, 'target-rest', /Enter the angle as a number of degrees/);
    assert.equal(await page.getByLabel('Angle at rest (°)').inputValue(), 'ten');
    assert.equal(await page.getByLabel('Target angle (°)').inputValue(), '95');
    await checkA11y(page, 'target range that failed');
    await screenshot(page, 'staff-target-failed');

    // Discharge is a page that asks; without the tick it comes back with the reason.
    await page.goto(record);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'Discharge: end this episode of care' }).click()]);
    await page.getByLabel('Why does the episode end?').fill('Goals met: walks 5 km');
    await submit(page, 'Discharge the patient');
    await assertCameBack(page, 'discharge-confirm', /Tick the box to confirm the discharge/);
    assert.equal(await page.getByLabel('Why does the episode end?').inputValue(), 'Goals met: walks 5 km');
    await checkA11y(page, 'discharge that failed');
    await screenshot(page, 'staff-discharge-failed');
  });
});

test('the admin sees who has no care team and is asked before deactivating', { timeout: 120_000 }, async () => {
  await withPage(browser, server.baseUrl, 'admin-flags', async (page) => {
    await signIn(page, server.logins.admin[0], server.password);
    const flag = page.locator('#no-care-team');
    await flag.getByRole('heading', { name: /1 patient has no care team/ }).waitFor();
    await flag.getByRole('link', { name: ALONE.name }).waitFor();
    await checkA11y(page, 'admin with a patient without a care team');
    await screenshot(page, 'staff-admin-no-care-team');
    await Promise.all([page.waitForLoadState('load'), flag.getByRole('link', { name: ALONE.name }).click()]);
    await page.getByText('No care team yet.').waitFor();
    await screenshot(page, 'staff-patient-no-care-team');

    // Deactivate is a question first; "No, go back" changes nothing.
    await page.goto('/admin');
    const staffRow = page.locator('#staff tbody tr', { hasText: 'clinician' }).first();
    await Promise.all([page.waitForLoadState('load'), staffRow.getByRole('link', { name: /Deactivate/ }).click()]);
    await page.getByRole('heading', { level: 1, name: /^Deactivate .+\?$/ }).waitFor();
    await checkA11y(page, 'deactivation question');
    await screenshot(page, 'staff-deactivate-confirm');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('link', { name: 'No, go back' }).click()]);
    assert.equal(new URL(page.url()).pathname, '/admin');
    assert.equal(await page.locator('#staff').getByText('Deactivated').count(), 0);
  });
});
