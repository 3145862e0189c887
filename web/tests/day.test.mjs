// The patient's day in a real browser, on a phone-sized screen: Today leads with the session,
// the pain check opens it, a held exercise is timed with the hold timer, a counted one is
// recorded by hand and a third is tracked with the camera (replaying ten recorded shoulder abductions, UI-PRMD, through the
// live socket), each with pain and effort, the closing check ends it, Today then shows it done and the clinician finds it in the session log. A
// second patient's pain of 8 stops the session before it starts, with the interruption page,
// and the care team gets the alert.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ABDUCTION_FILES, api, checkA11y, checkTouchTargets, convert, launchBrowser, screenshot, signIn, startServer, withPage } from './helpers.mjs';

let server;
let browser;
const CLINICIAN = 'amara.okafor@demo.physio.test';
// Two patients of the first demo clinician whose exercise is not paused.
const PATIENT = 'maria.lopez@demo.physio.test';
const SORE = 'yuki.sato@demo.physio.test';
const ids = {};
const EVERY_DAY = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** Prescribes chin tucks held for 2 seconds (short, so the hold timer runs in real time), a bridge and (for the camera) ten arm lifts to
 * the side, every day, as the clinician. */
async function prescribe(staff, patientId) {
  const view = await staff.get(`/api/v1/patients/${patientId}/programme`);
  const items = [
    { exercise: 'shoulder-abduction', start: view.today,
      dose: { sets: 1, reps: 10, rest_s: 30, side: 'both', days: EVERY_DAY, times_per_day: 1 } },
    { exercise: 'chin-tuck', start: view.today,
      dose: { sets: 1, reps: 2, hold_s: 2, rest_s: 10, side: 'both', days: EVERY_DAY, times_per_day: 1 } },
    { exercise: 'bridge', start: view.today, note: 'Squeeze your buttocks before you lift.',
      dose: { sets: 2, reps: 5, rest_s: 20, side: 'both', days: EVERY_DAY, times_per_day: 1 } },
  ];
  await staff.put(`/api/v1/patients/${patientId}/programme`, {
    based_on: view.current?.version ?? 0,
    items,
    reason: 'A short daily programme for the test',
  });
}

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser();
    const staff = api(server.baseUrl);
    await staff.login(CLINICIAN, server.password);
    const { patients } = await staff.get('/api/v1/patients');
    for (const email of [PATIENT, SORE]) {
      ids[email] = patients.find((p) => p.email === email).id;
      await prescribe(staff, ids[email]);
    }
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

/** Chooses `value` on the 0–10 scale named by its legend. */
async function choose(page, legend, value) {
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel(new RegExp(`^${value}( –|$)`)).check();
}

test('a patient does the day\u2019s session on a phone and the clinician sees it', { timeout: 240_000 }, async () => {
  await withPage(browser, server.baseUrl, 'day-patient', async (page) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, PATIENT, server.password);
    await page.goto('/home');
    const today = page.locator('section.todays-exercises');
    assert.match(await today.innerText(), /Chin tuck[\s\S]*To do/);
    // The demo gives her a week of sessions already: count this one on top of them.
    const doneBefore = Number((await page.locator('.week-count').innerText()).match(/You have done (\d+)/)?.[1] ?? 0);
    await checkA11y(page, 'Today');
    await checkTouchTargets(page, 'Today');
    await screenshot(page, 'day-today');

    const recording = await convert(ABDUCTION_FILES);
    await page.route('**/replay/m07.jsonl', (route) =>
      route.fulfill({ status: 200, contentType: 'application/x-ndjson', body: recording }),
    );
    await click(page, 'link', "Start today's session");
    assert.equal(new URL(page.url()).pathname, '/today/session');
    // Nothing chosen: the form comes back with the error.
    await click(page, 'button', 'Start the session');
    assert.match(await page.title(), /^Error: /);
    await page.getByRole('alert').getByRole('link', { name: /pain now/i }).waitFor();
    await checkA11y(page, 'the pain check');
    await checkTouchTargets(page, 'the pain check');
    await screenshot(page, 'day-pain-check');
    await choose(page, 'How bad is your pain right now?', 2);
    await click(page, 'button', 'Start the session');

    // Tracked with the camera: the set replays through the live socket, then the page comes
    // back to the session with the count filled in.
    const first = page.getByRole('heading', { level: 1 });
    const tracked = (await first.innerText()).trim();
    assert.match(await page.locator('main').innerText(), /Exercise 1 of 3/);
    const camera = await page.getByRole('link', { name: 'Track with the camera' }).getAttribute('href');
    await page.goto(`${camera}&replay=/replay/m07.jsonl&speed=8`);
    await page.locator('#start').click();
    await page.waitForURL(/\/today\/session\?camera=/, { timeout: 90_000 });
    await page.getByRole('heading', { level: 1, name: tracked }).waitFor();
    assert.match(await page.locator('main').innerText(), /The camera counted 10 repetitions/);
    assert.equal(await page.locator('#reps_done').inputValue(), '10');
    await choose(page, 'Pain during the exercise', 1);
    await choose(page, 'How hard did it feel?', 2);
    await click(page, 'button', 'Save and carry on');

    // The held exercise, timed: the hold timer counts both holds (with the break between
    // them, in real time) and fills in the form.
    await page.getByRole('heading', { level: 1, name: 'Chin tuck' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Exercise 2 of 3/);
    const timers = page.locator('section.runner-timers');
    await timers.getByRole('button', { name: 'Start hold', exact: true }).click();
    await timers.locator('.timer-word', { hasText: 'Hold' }).waitFor();
    await page.locator('form.runner-log').getByText('The timer has filled in the numbers below').waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('#reps_done')?.value === '2', null, { timeout: 30_000 });
    assert.equal(await page.locator('#sets_done').inputValue(), '1');
    assert.equal(await page.locator('#hold_s_done').inputValue(), '2');
    await choose(page, 'Pain during the exercise', 1);
    await choose(page, 'How hard did it feel?', 3);
    await checkA11y(page, 'an exercise of the session');
    await checkTouchTargets(page, 'an exercise of the session');
    await screenshot(page, 'day-runner-exercise');
    await click(page, 'button', 'Save and carry on');

    // An interrupted session carries on where it stopped.
    await page.goto('/home');
    await click(page, 'link', 'Carry on with your session');
    await page.getByRole('heading', { level: 1, name: 'Bridge' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Squeeze your buttocks before you lift/);
    await page.locator('#reps_done').fill('4');
    await choose(page, 'Pain during the exercise', 2);
    await choose(page, 'How hard did it feel?', 5);
    await click(page, 'button', 'Save and carry on');

    await page.getByRole('heading', { level: 1, name: /that is the session/ }).waitFor();
    await choose(page, 'How bad is your pain now?', 2);
    await choose(page, 'How tired do you feel?', 3);
    await checkA11y(page, 'the closing check');
    await checkTouchTargets(page, 'the closing check');
    await screenshot(page, 'day-closing');
    await click(page, 'button', 'Finish the session');
    assert.equal(new URL(page.url()).pathname, '/home');
    const done = await page.locator('section.todays-exercises').innerText();
    assert.match(done, /Today\u2019s exercises are done|Today's exercises are done/);
    assert.match(done, /Chin tuck[\s\S]*Done today/);
    assert.match(done, new RegExp(`You have done ${doneBefore + 1} (of \\d+ sessions|sessions?)`));
    await screenshot(page, 'day-today-done');
  });

  await withPage(browser, server.baseUrl, 'day-clinician', async (page) => {
    await signIn(page, CLINICIAN, server.password);
    await page.goto(`/patients/${ids[PATIENT]}`);
    const log = await page.locator('section.session-log').innerText();
    assert.match(log, /Pain before: 2\/10/);
    assert.match(log, /Chin tuck\s+1 × 2 holds of 2 s\s+1 × 2 holds of 2 s; pain 1\/10, effort 3\/10/);
    assert.match(log, /Bridge\s+2 × 5\s+2 × 4; pain 2\/10, effort 5\/10/);
    assert.match(log, /1 × 10\s+1 × 10; pain 1\/10, effort 2\/10, camera/);
    await checkA11y(page, 'the session log');
  });
});

test('pain of 8 before a session stops it and the care team is told', { timeout: 120_000 }, async () => {
  await withPage(browser, server.baseUrl, 'day-sore', async (page) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, SORE, server.password);
    await page.goto('/today/session');
    await choose(page, 'How bad is your pain right now?', 8);
    await click(page, 'button', 'Start the session');
    await page.getByRole('heading', { level: 1, name: 'Do not exercise today' }).waitFor();
    assert.match(await page.locator('main').innerText(), /Your physiotherapist has been told/);
    await checkA11y(page, 'the interruption page');
    await checkTouchTargets(page, 'the interruption page');
    await screenshot(page, 'day-stopped');
    // Exercise is paused everywhere until a clinician has looked.
    await page.goto('/today/session');
    assert.match(await page.locator('main').innerText(), /pain/i);
    assert.equal(await page.getByRole('button', { name: 'Start the session' }).count(), 0);
  });
  const staff = api(server.baseUrl);
  await staff.login(CLINICIAN, server.password);
  const { alerts } = await staff.get(`/api/v1/patients/${ids[SORE]}/alerts`);
  assert.ok(alerts.some((a) => a.kind === 'high_pain' && /Pain 8\/10 before an exercise session/.test(a.message)));
});
