// The guided session's hold and rest timers in a real browser, on a phone-sized screen, with
// the page's clock under the test's control (Playwright's `page.clock`), so a 2-second hold and
// a 3-second rest take no real time and every second can be checked. A patient starts the hold
// timer of a held exercise, sees it count down, relax, hold again, rest between sets; pauses the
// rest; turns the voice off (and it stays off on the next exercise); the form is filled in from
// the timers, saved, and the session goes on to a counted exercise, whose set counter and rest
// timer fill in the sets. The clinician then finds the timed numbers in the session log.
//
// Speech and sound are the browser's own: an init script only wraps `speechSynthesis.speak` and
// `createOscillator` to note each call, then calls through.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, checkA11y, checkTouchTargets, launchBrowser, screenshot, signIn, startServer, withPage } from './helpers.mjs';

let server;
let browser;
const CLINICIAN = 'amara.okafor@demo.physio.test';
const PATIENT = 'maria.lopez@demo.physio.test';
let patientId;
const EVERY_DAY = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser();
    const staff = api(server.baseUrl);
    await staff.login(CLINICIAN, server.password);
    const { patients } = await staff.get('/api/v1/patients');
    patientId = patients.find((p) => p.email === PATIENT).id;
    const view = await staff.get(`/api/v1/patients/${patientId}/programme`);
    await staff.put(`/api/v1/patients/${patientId}/programme`, {
      based_on: view.current?.version ?? 0,
      items: [
        // Two sets of two 2-second holds, 3 seconds of rest between the sets.
        { exercise: 'chin-tuck', start: view.today,
          dose: { sets: 2, reps: 2, hold_s: 2, rest_s: 3, side: 'both', days: EVERY_DAY, times_per_day: 1 } },
        // Two sets of five at the patient's pace, 20 seconds of rest between them.
        { exercise: 'bridge', start: view.today,
          dose: { sets: 2, reps: 5, rest_s: 20, side: 'both', days: EVERY_DAY, times_per_day: 1 } },
      ],
      reason: 'Short holds and rests for the timer test',
    });
  },
  { timeout: 180_000 },
);

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Notes every spoken phrase and every tone the page makes, then lets the browser do it. */
function listen() {
  window.__spoken = [];
  window.__tones = 0;
  const speak = SpeechSynthesis.prototype.speak;
  SpeechSynthesis.prototype.speak = function (u) {
    window.__spoken.push(u.text);
    return speak.call(this, u);
  };
  const oscillator = BaseAudioContext.prototype.createOscillator;
  BaseAudioContext.prototype.createOscillator = function () {
    window.__tones += 1;
    return oscillator.call(this);
  };
}

const spoken = (page) => page.evaluate(() => window.__spoken);
const tones = (page) => page.evaluate(() => window.__tones);

async function click(page, role, name) {
  await Promise.all([page.waitForLoadState('load'), page.getByRole(role, { name, exact: true }).click()]);
}

async function choose(page, legend, value) {
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel(new RegExp(`^${value}( –|$)`)).check();
}

test('a patient times holds and rests on a phone; the form is filled in from the timers', { timeout: 240_000 }, async () => {
  await withPage(browser, server.baseUrl, 'timers-patient', async (page) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.addInitScript(listen);
    await signIn(page, PATIENT, server.password);
    await page.clock.install();
    await page.goto('/today/session');
    await choose(page, 'How bad is your pain right now?', 2);
    await click(page, 'button', 'Start the session');

    // The held exercise: the timer replaces the empty section the server sent.
    await page.getByRole('heading', { level: 1, name: 'Chin tuck' }).waitFor();
    const timers = page.locator('section.runner-timers');
    const word = timers.locator('.timer-word');
    const seconds = timers.locator('.timer-number');
    const status = timers.getByRole('status');
    await timers.getByRole('heading', { name: 'Time your holds' }).waitFor();
    assert.equal(await status.getAttribute('aria-live'), 'polite');
    assert.equal(await word.innerText(), 'Get ready');
    assert.match(await status.innerText(), /2 sets of 2 holds, each for 2 seconds/);
    assert.equal(await seconds.innerText(), '2');
    // The seconds are a timer, outside the live region: a screen reader is not told each one.
    assert.equal(await status.locator('.timer-number').count(), 0);
    assert.equal(await timers.getByRole('timer').count(), 1);
    assert.equal(await page.locator('#sets_done').inputValue(), '2');
    // axe-core waits on the page's own timers, so it runs while the page's time still flows.
    await checkA11y(page, 'the timers');
    await checkTouchTargets(page, 'the timers');
    // From here time stands still (checks and screenshots take real seconds) and moves only by
    // runFor.
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);

    await timers.getByRole('button', { name: 'Start hold', exact: true }).click();
    assert.equal(await word.innerText(), 'Hold');
    assert.match(await status.innerText(), /Hold 1 of 2, set 1 of 2/);
    assert.equal(await seconds.innerText(), '2');
    assert.ok((await spoken(page)).includes('Hold for 2 seconds'), `spoken: ${await spoken(page)}`);
    await page.clock.runFor(1000);
    assert.equal(await seconds.innerText(), '1');
    assert.equal(await timers.getByRole('button', { name: 'Pause', exact: true }).count(), 1);
    await checkTouchTargets(page, 'the hold timer');
    await screenshot(page, 'runner-hold');

    // The end of the hold: a beep, "Relax", then the next hold on its own.
    const before = await tones(page);
    await page.clock.runFor(1000);
    assert.equal(await word.innerText(), 'Relax');
    assert.match(await status.innerText(), /1 of 2 holds done, set 1 of 2/);
    assert.ok((await tones(page)) > before, 'a beep at the end of the hold');
    assert.ok((await spoken(page)).includes('Relax'));
    await page.clock.runFor(5000);
    assert.equal(await word.innerText(), 'Hold');
    assert.match(await status.innerText(), /Hold 2 of 2, set 1 of 2/);

    // The last hold of the set ends in the rest between sets; the form has the first set.
    await page.clock.runFor(2000);
    assert.equal(await word.innerText(), 'Rest');
    assert.equal(await seconds.innerText(), '3');
    assert.ok((await spoken(page)).includes('Rest for 3 seconds'));
    assert.equal(await page.locator('#sets_done').inputValue(), '1');
    assert.equal(await page.locator('#reps_done').inputValue(), '2');
    await page.locator('form.runner-log').getByText('The timer has filled in the numbers below').waitFor();
    await checkTouchTargets(page, 'the rest timer');
    await screenshot(page, 'runner-rest');

    // Paused, the rest does not run out, even with the page's time flowing; carried on, it does.
    await timers.getByRole('button', { name: 'Pause', exact: true }).click();
    assert.equal(await word.innerText(), 'Paused: rest');
    await page.clock.resume();
    await checkA11y(page, 'the paused rest timer');
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
    await page.clock.runFor(10_000);
    assert.equal(await word.innerText(), 'Paused: rest');
    assert.equal(await seconds.innerText(), '3');
    await timers.getByRole('button', { name: 'Carry on', exact: true }).click();
    await page.clock.runFor(3000);
    assert.equal(await word.innerText(), 'Next set');
    assert.ok((await spoken(page)).includes('Next set'));

    // The voice off: the second set is timed and shown, and nothing more is said.
    await timers.getByRole('button', { name: 'Turn voice off', exact: true }).click();
    await timers.getByRole('button', { name: 'Turn voice on', exact: true }).waitFor();
    const said = (await spoken(page)).length;
    await timers.getByRole('button', { name: 'Start set 2', exact: true }).click();
    assert.equal(await word.innerText(), 'Hold');
    await page.clock.runFor(2000 + 5000 + 2000);
    assert.equal(await word.innerText(), 'Well done');
    assert.match(await status.innerText(), /All 2 sets done/);
    assert.equal((await spoken(page)).length, said, 'nothing is spoken with the voice off');
    assert.equal(await page.locator('#sets_done').inputValue(), '2');
    assert.equal(await page.locator('#reps_done').inputValue(), '2');
    assert.equal(await page.locator('#hold_s_done').inputValue(), '2');

    await choose(page, 'Pain during the exercise', 1);
    await choose(page, 'How hard did it feel?', 3);
    await click(page, 'button', 'Save and carry on');

    // The counted exercise: a set counter and the rest; the voice is still off.
    await page.getByRole('heading', { level: 1, name: 'Bridge' }).waitFor();
    await timers.getByRole('heading', { name: 'Time your rest' }).waitFor();
    await timers.getByRole('button', { name: 'Turn voice on', exact: true }).waitFor();
    assert.equal(await word.innerText(), 'Get ready');
    assert.equal(await seconds.isVisible(), false);
    await timers.getByRole('button', { name: 'Turn voice on', exact: true }).click();
    assert.equal((await spoken(page)).at(-1), 'Voice on');
    await timers.getByRole('button', { name: 'Turn beeps off', exact: true }).click();
    const beeps = await tones(page);
    // Started again, the form has the prescription back.
    await timers.getByRole('button', { name: 'I have finished set 1', exact: true }).click();
    assert.equal(await word.innerText(), 'Rest');
    assert.equal(await page.locator('#sets_done').inputValue(), '1');
    await timers.getByRole('button', { name: 'Start the timer again', exact: true }).click();
    assert.equal(await word.innerText(), 'Get ready');
    assert.equal(await page.locator('#sets_done').inputValue(), '2');
    assert.equal(await page.getByText('The timer has filled in the numbers below').count(), 0);
    await timers.getByRole('button', { name: 'I have finished set 1', exact: true }).click();
    assert.equal(await word.innerText(), 'Rest');
    assert.equal(await seconds.innerText(), '20');
    await page.clock.runFor(20_000);
    assert.equal(await word.innerText(), 'Next set');
    // Said a moment after "Voice on": phrases are spaced so that none cuts the last one off.
    assert.ok((await spoken(page)).includes('Rest for 20 seconds'), `spoken: ${await spoken(page)}`);
    assert.ok((await spoken(page)).includes('Next set'));
    assert.equal(await tones(page), beeps, 'no beep with the beeps off');
    await timers.getByRole('button', { name: 'I have finished set 2', exact: true }).click();
    assert.equal(await word.innerText(), 'Well done');
    assert.equal(await page.locator('#sets_done').inputValue(), '2');
    assert.equal(await page.locator('#reps_done').inputValue(), '5');
    await page.locator('#reps_done').fill('4');
    await choose(page, 'Pain during the exercise', 2);
    await choose(page, 'How hard did it feel?', 4);
    await click(page, 'button', 'Save and carry on');

    await page.getByRole('heading', { level: 1, name: /that is the session/ }).waitFor();
    await choose(page, 'How bad is your pain now?', 2);
    await choose(page, 'How tired do you feel?', 3);
    await click(page, 'button', 'Finish the session');
    assert.equal(new URL(page.url()).pathname, '/home');
  });

  await withPage(browser, server.baseUrl, 'timers-clinician', async (page) => {
    await signIn(page, CLINICIAN, server.password);
    await page.goto(`/patients/${patientId}`);
    const log = await page.locator('section.session-log').innerText();
    assert.match(log, /Chin tuck\s+2 × 2 holds of 2 s\s+2 × 2 holds of 2 s; pain 1\/10, effort 3\/10/);
    assert.match(log, /Bridge\s+2 × 5\s+2 × 4; pain 2\/10, effort 4\/10/);
  });
});
