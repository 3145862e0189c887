// The contact log in a real browser. A clinician on a laptop opens a patient of theirs who has
// had no contact this week, logs a phone call with the short form on the patient's page (a phone
// call now unless changed) and sees "1 of 2" this week; a call with no note comes back with the
// error summary and what was typed. A phone number that is not one comes back with the error
// summary linking to the field; a good one becomes a link that rings it, and the patient sees it
// under "Your details" on a phone. Every page passes axe; screenshots `contacts-*` at phone and
// laptop size.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, checkA11y, checkTouchTargets, launchBrowser, screenshot, signIn, startServer, withPage } from './helpers.mjs';

let server;
let browser;
let clinician;
let patient;

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser();
    // A patient on the clinician's caseload, in care, with no contact yet this week (the demo
    // gives every fourth patient none).
    clinician = server.logins.clinician[0];
    const staff = api(server.baseUrl);
    await staff.login(clinician, server.password);
    const { patients } = await staff.get('/api/v1/patients');
    for (const p of patients) {
      const episodes = await staff.get(`/api/v1/patients/${p.id}/episodes`);
      const log = await staff.get(`/api/v1/patients/${p.id}/contacts`);
      if (log.this_week.count === 0 && episodes.episodes.length > 0) {
        patient = p;
        break;
      }
    }
    assert.ok(patient, 'a patient of this clinician with no contact this week');
  },
  { timeout: 180_000 },
);

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function click(page, role, name) {
  await Promise.all([page.waitForLoadState('load'), page.getByRole(role, { name, exact: true }).click()]);
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

test('a clinician logs a call from the patient\u2019s page and sets their phone number', { timeout: 300_000 }, async () => {
  await withPage(browser, server.baseUrl, 'contacts-clinician', async (page) => {
    await signIn(page, clinician, server.password);
    await page.goto(`/patients/${patient.id}`);
    const section = page.locator('section#contacts');
    assert.match(await section.locator('.contact-week').innerText(), /Contacts this week: 0 of 2\s+Below target/);

    // The short form: a phone call, now, unless changed.
    const form = page.locator('form.contact-form');
    assert.equal(await form.getByLabel('Phone call', { exact: true }).isChecked(), true);
    assert.match(await form.getByLabel('Date', { exact: true }).inputValue(), /^\d{4}-\d{2}-\d{2}$/);
    assert.match(await form.getByLabel('Time', { exact: true }).inputValue(), /^\d{2}:\d{2}$/);
    await form.getByLabel('Length in minutes').fill('15');
    await form.getByLabel('Contact note', { exact: true }).fill('Pain easing. Talked through pacing on workdays; keeps the walks.');
    await click(page, 'button', 'Log contact');
    assert.equal(new URL(page.url()).hash, '#contacts');
    assert.match(await section.locator('.contact-week').innerText(), /Contacts this week: 1 of 2/);
    const first = section.locator('#contact-log tbody tr').first();
    const row = await first.innerText();
    assert.match(row, /Phone call/);
    assert.match(row, /15 min/);
    assert.match(row, /Talked through pacing on workdays/);
    await checkA11y(page, 'the patient record with the contact log');
    await checkTouchTargets(page, 'the patient record with the contact log');
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'contacts-staff');

    // A video call with no note comes back with what was typed and what to fix.
    await form.getByLabel('Video call', { exact: true }).check();
    await form.getByLabel('Length in minutes').fill('25');
    await click(page, 'button', 'Log contact');
    await assertCameBack(page, 'contact-note', /Write a short note of what you talked about/);
    assert.equal(await form.getByLabel('Video call', { exact: true }).isChecked(), true, 'the kind is kept');
    assert.equal(await form.getByLabel('Length in minutes').inputValue(), '25', 'the minutes are kept');
    await checkA11y(page, 'a contact that failed');
    await checkTouchTargets(page, 'a contact that failed');
    await screenshot(page, 'contacts-log-failed');
    await page.getByRole('link', { name: `Back to ${patient.name}` }).click();
    await page.waitForLoadState('load');
    assert.match(await section.locator('.contact-week').innerText(), /1 of 2/, 'nothing was written');

    // A phone number that is not one: the error summary links to the field, the text is kept.
    const phone = page.locator('form.phone-form').getByLabel('Phone number', { exact: true });
    await phone.fill('416 555 CALL');
    await click(page, 'button', 'Save phone number');
    await assertCameBack(page, 'phone', /digits, spaces, dashes and brackets only/);
    assert.equal(await phone.inputValue(), '416 555 CALL');
    await checkA11y(page, 'a phone number that failed');
    await checkTouchTargets(page, 'a phone number that failed');
    await screenshot(page, 'contacts-phone-failed');
    await page.getByRole('alert').getByRole('link').click();
    assert.equal(new URL(page.url()).hash, '#phone');

    // A good one is saved and rings the patient.
    await phone.fill(' (416)  555-0177 ');
    await click(page, 'button', 'Save phone number');
    const link = section.locator('a.phone-link');
    assert.equal(await link.getAttribute('href'), 'tel:4165550177');
    assert.match(await link.innerText(), /\(416\) 555-0177$/);
    assert.equal(await section.getByRole('link', { name: 'Call (416) 555-0177' }).count(), 1);
    await checkA11y(page, 'the patient record with a phone number');
  });

  await withPage(browser, server.baseUrl, 'contacts-patient', async (page) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, patient.email, server.password);
    assert.equal(new URL(page.url()).pathname, '/home');
    const details = page.locator('section', { has: page.locator('#details-title') });
    const text = await details.innerText();
    assert.match(text, /Phone number\s+\(416\) 555-0177/);
    assert.match(text, /Tell your care team if it changes\./);
    assert.doesNotMatch(await page.locator('main').innerText(), /Talked through pacing/, 'the staff\u2019s log is not shown');
    await checkA11y(page, 'the patient home with their phone number');
    await checkTouchTargets(page, 'the patient home with their phone number');
    await details.scrollIntoViewIfNeeded();
    await screenshot(page, 'contacts-home-details');
  });
});
