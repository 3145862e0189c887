// Safety that carries through, in a real browser: an emergency answer stops the intake on the
// page that gave it, then the home page leads with the care card and the camera page refuses
// with its reason; a check-in with pain 9 gets the interruption page and the care team sees
// the alert.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, checkA11y, launchBrowser, screenshot, next, signIn, signInFirstTime, startServer, withPage } from './helpers.mjs';

let server;
let browser;
let admin;
let clinicianEmail;
let clinicianId;
const PASSWORD = 'walnut glacier trumpet mosaic';
/** What each new patient chooses in place of the password the clinic typed. */
const OWN = 'orchid canyon pebble sonnet';

/** A new patient on the first clinician's care team. */
async function newPatient(email, name) {
  const patient = await admin.post('/api/v1/users', {
    email,
    name,
    role: 'patient',
    password: PASSWORD,
    date_of_birth: '1958-09-14',
  });
  await admin.put(`/api/v1/patients/${patient.id}/care-team`, { clinician_ids: [clinicianId] });
  return { ...patient, email, name };
}

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser();
    admin = api(server.baseUrl);
    await admin.login(server.logins.admin[0], server.password);
    clinicianEmail = server.logins.clinician[0];
    const { users } = await admin.get('/api/v1/users?role=clinician');
    clinicianId = users.find((u) => u.email === clinicianEmail).id;
  },
  { timeout: 180_000 },
);

after(async () => {
  await browser?.close();
  await server?.stop();
});



/** Answers every warning sign: `yes` to those named, `no` to the rest. */
async function answerSymptoms(page, yes = []) {
  for (const radio of await page.locator('input[type=radio][value=no]').all()) {
    const name = await radio.getAttribute('name');
    await page.locator(`#${name}-${yes.includes(name) ? 'yes' : 'no'}`).check();
  }
}

test('an emergency answer stops the intake at once; home leads with the card; the camera refuses', { timeout: 240_000 }, async () => {
  const patient = await newPatient('emergency.patient@demo.physio.test', 'Emery Stone');
  await withPage(browser, server.baseUrl, 'emergency', async (page) => {
    await signInFirstTime(page, patient.email, PASSWORD, OWN);
    await page.goto('/intake/region');
    await page.getByLabel('Lower back').check();
    await next(page);
    // Durations in days, weeks, months or years, or not sure; a page sent wrong keeps what was typed.
    await page.getByLabel('Number').fill('three');
    await page.getByLabel('Months').check();
    await next(page);
    await page.getByRole('alert').filter({ hasText: 'whole number' }).waitFor();
    assert.equal(await page.getByLabel('Number').inputValue(), 'three');
    assert.ok(await page.getByLabel('Months').isChecked(), 'the unit chosen is kept');
    await screenshot(page, 'intake-duration-error');
    await checkA11y(page, 'intake duration error');
    await page.getByLabel('Number').fill('3');
    await next(page);
    await page.getByLabel("I'm not sure").check();
    await next(page);
    await screenshot(page, 'intake-history');
    await page.getByLabel('None of these').check();
    await next(page);
    await page.getByLabel('No', { exact: true }).check();
    await next(page);
    assert.equal(new URL(page.url()).pathname, '/intake/symptoms');
    await answerSymptoms(page, ['saddle_numbness']);
    await page.locator('#fever_or_chills-not_sure').check();
    await screenshot(page, 'intake-symptoms');
    await checkA11y(page, 'intake symptoms');
    await next(page);

    // Stopped at once, on the page that gave the answer.
    assert.equal(new URL(page.url()).pathname, '/intake/emergency');
    await page.getByRole('heading', { level: 1, name: 'Go to an emergency department now' }).waitFor();
    const stop = await page.locator('main').innerText();
    assert.match(stop, /Do not drive yourself/);
    assert.match(stop, /Show this page/);
    assert.match(stop, /Your care team has been told/);
    assert.match(stop, /answers are saved/i);
    await screenshot(page, 'intake-emergency');
    await checkA11y(page, 'emergency interruption');

    await page.getByRole('link', { name: 'Go to your home page' }).click();
    await page.waitForURL('**/home');
    const card = page.locator('main .care-card.care-emergency');
    await card.getByRole('heading', { name: 'Go to an emergency department now' }).waitFor();
    // The card leads: it comes before the next step and no exercise is offered.
    const order = await page.evaluate(() => {
      const main = document.querySelector('main');
      const c = main.querySelector('.care-card');
      const nextStep = main.querySelector('#next-title');
      return c.compareDocumentPosition(nextStep) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    assert.ok(order, 'the care card comes before the next step');
    assert.equal(await page.locator('a[href^="/exercise/"]').count(), 0, 'exercise is paused');
    assert.equal(await page.locator('a.button[href="/intake"]').count(), 0, 'finishing the intake is not the main action now');
    await page.getByRole('link', { name: 'Continue your answers later' }).waitFor();
    await screenshot(page, 'home-emergency');
    await checkA11y(page, 'home with emergency card');

    await page.goto('/exercise/deep-squat');
    await page.locator('main .care-card').getByText('Your exercises are paused').waitFor();
    assert.match(await page.locator('main .care-card').innerText(), /emergency department/);
    assert.equal(await page.locator('#live').count(), 0, 'no camera session');
    await screenshot(page, 'camera-refused');
    await checkA11y(page, 'camera refused');

    // The rest can be finished later, where the patient left off.
    await page.goto('/intake');
    await page.getByRole('link', { name: 'Continue where you left off' }).click();
    assert.equal(new URL(page.url()).pathname, '/intake/imaging');
    await screenshot(page, 'intake-imaging');
    await page.getByLabel('No', { exact: true }).check();
    await next(page);
    assert.equal(new URL(page.url()).pathname, '/intake/treatment', 'no second interruption');
    await page.locator('#care_weeks_not_sure-not_sure').check();
    await page.getByLabel('Partly').check();
    await screenshot(page, 'intake-treatment');
    await next(page);
    await screenshot(page, 'intake-surgery');
    await checkA11y(page, 'intake surgery');
  });

  await withPage(browser, server.baseUrl, 'emergency-clinician', async (page) => {
    await signIn(page, clinicianEmail, server.password);
    await page.locator('#caseload tbody tr', { hasText: patient.name }).getByRole('link', { name: patient.name }).click();
    const alerts = page.locator('section.alerts');
    await alerts.getByText('Emergency answer during the intake', { exact: true }).waitFor();
    assert.equal(await alerts.locator('li.alert-item').count(), 1, 'one alert');
  });
});

test('a check-in with pain 9 gets the interruption page and the care team the alert', { timeout: 240_000 }, async () => {
  const patient = await newPatient('checkin.patient@demo.physio.test', 'Casey Checkin');
  const me = api(server.baseUrl);
  await me.login(patient.email, PASSWORD);
  await me.post('/api/v1/intake', {
    regions: ['lumbar'],
    duration: { weeks: 3 },
    pain_now: 3,
    history: [],
    trauma: 'none',
    symptoms: [],
    conservative_care: { weeks: 0 },
    surgery: { status: 'none' },
  });
  await withPage(browser, server.baseUrl, 'check-in', async (page) => {
    await signInFirstTime(page, patient.email, PASSWORD, OWN);
    await page.getByRole('link', { name: /Weekly check-in/ }).click();
    await page.locator('#pain_now-9').check();
    await answerSymptoms(page);
    await screenshot(page, 'check-in');
    await checkA11y(page, 'check-in');
    await Promise.all([page.waitForURL('**/check-in/result'), page.getByRole('button', { name: 'Send' }).click()]);
    const card = page.locator('main .care-card.interruption');
    await card.getByRole('heading', { level: 1, name: 'Do not exercise today' }).waitFor();
    const text = await card.innerText();
    assert.match(text, /your pain was very high/);
    assert.match(text, /they have been told/);
    assert.doesNotMatch(await page.locator('main').innerText(), /right place to start|Carry on with your programme/);
    await screenshot(page, 'check-in-result');
    await checkA11y(page, 'check-in interruption');
    await page.getByRole('link', { name: 'Go to your home page' }).click();
    await page.locator('main .care-card').waitFor();
    assert.equal(await page.locator('a[href^="/exercise/"]').count(), 0, 'exercise is paused');
  });

  await withPage(browser, server.baseUrl, 'check-in-clinician', async (page) => {
    await signIn(page, clinicianEmail, server.password);
    const row = page.locator('#caseload tbody tr', { hasText: patient.name });
    await row.getByText('1 alert').waitFor();
    await row.getByRole('link', { name: patient.name }).click();
    const alerts = page.locator('section.alerts');
    await alerts.getByText(/pain 9 out of 10/).waitFor();
    await screenshot(page, 'clinician-check-in-alert');
    await checkA11y(page, 'clinician alert');
  });
});
