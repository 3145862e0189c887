// The clinical journey in a real browser: a new patient fills in the intake page by page, is
// triaged to a spine specialist's opinion with the reason shown, and reads the decision aid;
// their clinician sees the decision waiting on the caseload and reviews it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, checkA11y, launchBrowser, screenshot, next, signIn, signInFirstTime, startServer, withPage } from './helpers.mjs';

let server;
let browser;
const PATIENT = { email: 'journey.patient@demo.physio.test', password: 'kettle orbit saffron ladder', own: 'maple river lantern cobalt', name: 'Jordan Journey' };
let clinicianEmail;

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser();
    // A patient with no history yet, on the first clinician's care team.
    const admin = api(server.baseUrl);
    await admin.login(server.logins.admin[0], server.password);
    clinicianEmail = server.logins.clinician[0];
    const { users } = await admin.get('/api/v1/users?role=clinician');
    const clinician = users.find((u) => u.email === clinicianEmail);
    const patient = await admin.post('/api/v1/users', {
      email: PATIENT.email,
      name: PATIENT.name,
      role: 'patient',
      password: PATIENT.password,
      date_of_birth: '1961-05-02',
      summary: 'Mid-back pain for months; scan shows a thoracic disc.',
    });
    await admin.put(`/api/v1/patients/${patient.id}/care-team`, { clinician_ids: [clinician.id] });
  },
  { timeout: 180_000 },
);

after(async () => {
  await browser?.close();
  await server?.stop();
});



test('patient: intake to a triage result; clinician: review', { timeout: 180_000 }, async () => {
  await withPage(browser, server.baseUrl, 'intake', async (page) => {
    await signInFirstTime(page, PATIENT.email, PATIENT.password, PATIENT.own);
    await page.getByRole('link', { name: 'Tell us about your back pain' }).click();
    await screenshot(page, 'intake-start');
    await page.getByRole('link', { name: 'Start now' }).click();
    // One topic per page; a page sent empty says what to do.
    await next(page);
    await page.getByRole('alert').filter({ hasText: 'Tick where your pain is' }).waitFor();
    await screenshot(page, 'intake-error');
    await checkA11y(page, 'intake error');
    await page.getByLabel('Middle or upper back').check();
    await next(page);
    await page.getByLabel('Number').fill('16');
    await page.getByLabel('Weeks').check();
    await next(page);
    await page.locator('#pain_now-6').check();
    await checkA11y(page, 'intake pain');
    await next(page);
    await page.getByLabel('None of these').check();
    await next(page);
    await page.getByLabel('No', { exact: true }).check();
    await next(page);
    // Each warning sign is its own question: yes, no or not sure.
    for (const no of await page.locator('input[type=radio][value=no]').all()) await no.check();
    await checkA11y(page, 'intake symptoms');
    await next(page);
    await page.getByLabel('Yes', { exact: true }).check();
    await page.getByLabel('A slipped, bulging or herniated disc').check();
    await page.locator('#finding_region-thoracic').check();
    await next(page);
    await page.getByLabel(/how many weeks/).fill('12');
    await page.getByLabel('No', { exact: true }).check();
    await next(page);
    await page.getByLabel('No, no one has suggested an operation').check();
    await next(page);
    await page.getByLabel('Your goals').fill('Sit through a concert\nCarry the shopping');
    await next(page);
    assert.equal(new URL(page.url()).pathname, '/intake/check');
    await screenshot(page, 'intake-check');
    await checkA11y(page, 'check your answers');
    await Promise.all([page.waitForURL('**/intake/result'), page.getByRole('button', { name: 'Send my answers' }).click()]);
    await page.getByRole('heading', { name: "We suggest a spine specialist's opinion" }).waitFor();
    assert.match(await page.locator('main').innerText(), /has not helped/);
    await screenshot(page, 'intake-result');
    await checkA11y(page, 'triage result');
    await page.getByRole('link', { name: 'Read: is surgery right for me?' }).click();
    await page.getByRole('heading', { name: 'Is surgery right for me?' }).waitFor();
    assert.match(await page.locator('main').innerText(), /worth asking a spine surgeon for an opinion/);
    await checkA11y(page, 'decision aid');
  });

  await withPage(browser, server.baseUrl, 'review', async (page) => {
    await signIn(page, clinicianEmail, server.password);
    const row = page.locator('#caseload tbody tr', { hasText: PATIENT.name });
    await row.getByText('Spine specialist opinion: review').waitFor();
    await row.getByRole('link', { name: PATIENT.name }).click();
    await page.getByRole('heading', { name: PATIENT.name }).waitFor();
    const triage = page.locator('section', { has: page.getByRole('heading', { name: 'Triage' }) });
    assert.match(await triage.innerText(), /Spine specialist opinion/);
    await screenshot(page, 'clinician-review');
    await checkA11y(page, 'clinician review');
    // The proposed tier is preselected; confirming needs no note.
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Save review' }).click()]);
    assert.match(await triage.innerText(), /Reviewed .*: confirmed/);
  });
});
