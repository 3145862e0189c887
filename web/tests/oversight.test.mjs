// The therapist in the loop, in a real browser on the demo clinic: a clinician opens the inbox
// (laptop size), accepts one progression proposal and changes the dose of another, answers a
// patient's message and logs a call from the patient's page; the patient then sees, on a
// phone-sized screen, the changed programme with the reason and the reply. Screenshots of the
// inbox and the patient's page are saved; axe and touch targets are checked on every page.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, checkA11y, checkTouchTargets, launchBrowser, screenshot, signIn, startServer, withPage } from './helpers.mjs';

let server;
let browser;
const CLINICIAN = 'amara.okafor@demo.physio.test';
const QUESTION = 'My back felt tight after the bridges yesterday. Should I keep going?';
const REPLY = 'Yes, keep going. Tightness that eases within the day is fine; stop if it spreads.';
/** The patient whose proposals the clinician decides, and the two proposals. */
let patient;
let accepted;
let edited;

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser();
    // The demo's week of sessions leaves proposals waiting: pick a patient of the clinician
    // with at least two, each a change the clinician can accept.
    const staff = api(server.baseUrl);
    await staff.login(CLINICIAN, server.password);
    const queue = await staff.get('/api/v1/proposals');
    const byPatient = new Map();
    for (const v of queue) {
      if (!v.after) continue;
      const list = byPatient.get(v.decision.patient_id) ?? [];
      list.push(v);
      byPatient.set(v.decision.patient_id, list);
    }
    // Exercise must not be paused for them (Today then shows the care card instead).
    let id;
    let list;
    for (const [pid, l] of byPatient) {
      if (l.length < 2) continue;
      const today = await staff.get(`/api/v1/patients/${pid}/today`);
      if (!today.programme.pause) {
        [id, list] = [pid, l];
        break;
      }
    }
    assert.ok(id, `the demo leaves a patient of ${CLINICIAN} with two proposals: ${JSON.stringify(queue.map((v) => v.patient_name))}`);
    const { patients } = await staff.get('/api/v1/patients');
    patient = patients.find((p) => p.id === id);
    [accepted, edited] = list;
    // The patient writes to their care team first.
    const me = api(server.baseUrl);
    await me.login(patient.email, server.password);
    await me.post(`/api/v1/patients/${patient.id}/messages`, { body: QUESTION });
  },
  { timeout: 180_000 },
);

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function click(locator) {
  await Promise.all([locator.page().waitForLoadState('load'), locator.click()]);
}

test('a clinician decides proposals from the inbox, replies and logs a call; the patient sees it all on a phone', { timeout: 300_000 }, async () => {
  await withPage(browser, server.baseUrl, 'oversight-clinician', async (page) => {
    await signIn(page, CLINICIAN, server.password);
    await click(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Inbox/ }));
    assert.equal(new URL(page.url()).pathname, '/inbox');
    const proposals = page.locator('section.inbox-proposals');
    assert.match(await proposals.innerText(), /Proposals waiting/);
    await checkA11y(page, 'the inbox with proposals waiting');
    await checkTouchTargets(page, 'the inbox');
    await screenshot(page, 'oversight-inbox');

    // Each patient's proposals are one line until opened.
    await proposals.locator(`details#group-${patient.id} > summary`).click();
    // Accept one: tick only it.
    const form = proposals.locator(`form#proposals-${patient.id}`);
    for (const box of await form.locator('input[name="proposal"]').all()) {
      if ((await box.getAttribute('value')) !== accepted.decision.id) await box.uncheck();
    }
    assert.match(await form.innerText(), new RegExp(accepted.decision.because.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await click(form.getByRole('button', { name: 'Accept ticked' }));
    assert.equal(new URL(page.url()).pathname, '/inbox');
    assert.equal(await page.locator(`input[value="${accepted.decision.id}"]`).count(), 0, 'accepted: no longer waiting');

    // Change the dose of another, then accept it.
    await page.locator(`details#group-${patient.id} > summary`).click();
    await click(page.locator(`details#group-${patient.id}`).getByRole('link', { name: `Change the dose of ${edited.exercise_name}` }));
    await checkA11y(page, 'changing a proposed dose');
    await checkTouchTargets(page, 'changing a proposed dose');
    // A little less than proposed, and never the dose it had before.
    const after = edited.decision.item_after.dose;
    if (after.minutes) {
      await page.getByLabel('Minutes', { exact: true }).fill(String(after.minutes - 2));
    } else {
      await page.getByLabel(/^(Repetitions|Holds) per set$/).fill(String(after.reps - 1));
    }
    await page.getByLabel('Note (optional)').fill('A little less for now; we add the rest together next week.');
    await click(page.getByRole('button', { name: 'Accept with this dose' }));
    assert.equal(new URL(page.url()).pathname, `/patients/${patient.id}`);
    const progression = page.locator('section[aria-labelledby="progression-title"]');
    const decided = await progression.innerText();
    assert.match(decided, /Accepted with changes/);
    assert.match(decided, /A little less for now/);

    // Answer the patient's message from their page.
    const messages = page.locator('section#messages');
    assert.match(await messages.innerText(), /bridges yesterday/);
    await messages.getByLabel('Reply to the patient').fill(REPLY);
    await click(messages.getByRole('button', { name: 'Send reply' }));

    // Log a call.
    const contact = page.locator('form.contact-form');
    await contact.getByLabel('Length in minutes').fill('10');
    await contact.getByLabel('Contact note', { exact: true }).fill('Talked through the new dose and the tightness.');
    await click(page.getByRole('button', { name: 'Log contact' }));
    const contacts = page.locator('section#contacts');
    // The call and the reply (a message is a contact too) both count this week.
    assert.match(await contacts.locator('.contact-week').innerText(), /Contacts this week: [2-9]/);
    await checkA11y(page, 'the patient\u2019s page after the decisions');
    await screenshot(page, 'oversight-patient-page');
  });

  await withPage(browser, server.baseUrl, 'oversight-patient', async (page) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, patient.email, server.password);
    if (new URL(page.url()).pathname !== '/home') await page.goto('/home');
    const changes = page.locator('section.changes');
    const text = await changes.innerText();
    assert.match(text, new RegExp(`${accepted.exercise_name}: now ${accepted.after}`));
    assert.match(text, /twice in a row|steps down|hurt more/, 'why, in plain words');
    assert.match(text, new RegExp(`${edited.exercise_name}: now`));
    assert.match(text, /Your physical therapist made this change/);
    await checkA11y(page, 'Today with the changes');
    await checkTouchTargets(page, 'Today with the changes');
    await screenshot(page, 'oversight-patient-today');

    // The programme itself holds the new doses.
    await page.goto('/programme');
    const programme = await page.locator('main').innerText();
    assert.ok(programme.includes(accepted.after.split(',')[0]), `${accepted.after} in the programme:\n${programme}`);

    // The reply.
    await click(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Messages/ }));
    assert.match(await page.locator('main').innerText(), new RegExp(REPLY.slice(0, 30)));
    await checkTouchTargets(page, 'the patient\u2019s messages');
  });
});
