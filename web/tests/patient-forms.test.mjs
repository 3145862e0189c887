// Questionnaires a patient can answer, and pages a shaky thumb can use, in a real browser on a
// phone. A new patient sends the intake (touch targets measured on every step), is asked the
// disability questionnaire under a plain title the same day (the pain score came with the
// intake), and answers it one section at a time: "Question 3 of 10", a missed answer said in
// plain words with a link to the question, back keeping the answers. Then every other patient
// page a demo patient reaches (home, programme, camera page shell, decision aid) is measured:
// every touch target at least 44 × 44 px, body text at least 19 px on the phone, and axe-core
// finds nothing serious. Screenshots `questionnaire-*` are taken at phone and laptop size.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  api,
  checkA11y,
  checkTouchTargets,
  launchBrowser,
  next,
  prescribe,
  screenshot,
  signIn,
  signInFirstTime,
  startServer,
  withPage,
} from './helpers.mjs';

let server;
let browser;
const PATIENT = { email: 'thumb.patient@demo.physio.test', password: 'copper meadow violin harbour', own: 'juniper falcon ribbon atlas', name: 'Tess Thumb' };
const PHONE = { width: 390, height: 844 };
const LAPTOP = { width: 1280, height: 800 };

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser();
    const admin = api(server.baseUrl);
    await admin.login(server.logins.admin[0], server.password);
    const { users } = await admin.get('/api/v1/users?role=clinician');
    const clinician = users.find((u) => u.email === server.logins.clinician[0]);
    const patient = await admin.post('/api/v1/users', {
      email: PATIENT.email,
      name: PATIENT.name,
      role: 'patient',
      password: PATIENT.password,
      date_of_birth: '1954-03-09',
      summary: 'Low back pain for a few months.',
    });
    await admin.put(`/api/v1/patients/${patient.id}/care-team`, { clinician_ids: [clinician.id] });
    // A demo patient with an exercise for the camera today, for the camera page's shell.
    await prescribe(server, { patient: server.logins.patient[0], exercise: 'shoulder-abduction' });
  },
  { timeout: 180_000 },
);

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Touch targets at phone size, then at laptop size; the viewport is left at phone size. */
async function targets(page, what) {
  await page.setViewportSize(LAPTOP);
  const wide = await checkTouchTargets(page, `${what} (laptop)`);
  await page.setViewportSize(PHONE);
  const narrow = await checkTouchTargets(page, `${what} (phone)`);
  assert.ok(wide > 0 && narrow > 0, `${what}: no touch targets found to measure`);
}

/** Body text on the phone: every paragraph, list item, label and legend in main, 19 px or more. */
async function textSize(page, what) {
  const small = await page.evaluate(() =>
    [...document.querySelectorAll('main p, main li, main label, main legend, main dd, main dt')]
      .filter((el) => el.getBoundingClientRect().width > 2 && (el.innerText || '').trim())
      .map((el) => [el.tagName.toLowerCase(), (el.innerText || '').trim().slice(0, 40), parseFloat(getComputedStyle(el).fontSize)])
      .filter(([, , size]) => size < 19),
  );
  assert.deepEqual(small, [], `text under 19 px on the phone on ${what}`);
}

async function check(page, what) {
  await targets(page, what);
  await textSize(page, what);
  await checkA11y(page, what);
}

async function click(page, role, name) {
  await Promise.all([page.waitForLoadState('load'), page.getByRole(role, { name, exact: true }).click()]);
}

test('a patient answers the disability questionnaire one section at a time on a phone', { timeout: 300_000 }, async () => {
  await withPage(browser, server.baseUrl, 'questionnaire-odi', async (page) => {
    await page.setViewportSize(PHONE);
    await signInFirstTime(page, PATIENT.email, PATIENT.password, PATIENT.own);
    await check(page, 'home before the intake');

    // The intake, every step measured.
    await page.goto('/intake');
    await check(page, 'intake start');
    await page.getByRole('link', { name: 'Start now' }).click();
    await page.getByLabel('Lower back').check();
    await check(page, 'intake: where');
    await next(page);
    await page.getByLabel('Number').fill('10');
    await page.getByLabel('Weeks').check();
    await check(page, 'intake: how long');
    await next(page);
    // The pain scale: a tile pressed with a thumb, the number named as its label.
    const tile = await page.locator('label[for="pain_now-4"]').boundingBox();
    await page.mouse.click(tile.x + tile.width / 2, tile.y + tile.height / 2);
    assert.ok(await page.locator('#pain_now-4').isChecked(), 'pressing the tile chooses it');
    await check(page, 'intake: pain');
    await screenshot(page, 'questionnaire-pain-scale');
    await next(page);
    await page.getByLabel('None of these').check();
    await check(page, 'intake: history');
    await next(page);
    await page.getByLabel('No', { exact: true }).check();
    await check(page, 'intake: injury');
    await next(page);
    for (const no of await page.locator('input[type=radio][value=no]').all()) await no.check();
    await check(page, 'intake: warning signs');
    await next(page);
    await page.getByLabel('No', { exact: true }).check();
    await check(page, 'intake: scans');
    await next(page);
    await page.getByLabel(/how many weeks/).fill('0');
    await check(page, 'intake: treatment');
    await next(page);
    await page.getByLabel('No, no one has suggested an operation').check();
    await check(page, 'intake: operation');
    await next(page);
    await page.getByLabel('Your goals').fill('Walk to the shops');
    await check(page, 'intake: goals');
    await next(page);
    await check(page, 'intake: check your answers');
    await Promise.all([page.waitForURL('**/intake/result'), page.getByRole('button', { name: 'Send my answers' }).click()]);
    await check(page, 'intake result');

    // The list: plain titles, sizes, no instrument names; the pain score is not asked again.
    await page.goto('/questionnaires');
    const list = await page.locator('main').innerText();
    assert.match(list, /How your back affects daily life/);
    assert.match(list, /10 questions, about 4 minutes/);
    assert.doesNotMatch(list, /Oswestry|ODI|STarT|PHQ/);
    assert.match(list, /How strong your pain is, \d+ \w+ \d{4}/, 'the intake\u2019s pain score is already in');
    assert.equal(await page.locator('main a[href^="/questionnaires/nprs"]').count(), 0);
    await check(page, 'questionnaire list');
    await screenshot(page, 'questionnaire-list');

    // One section per screen.
    await click(page, 'link', 'How your back affects daily life');
    await page.getByText('Question 1 of 10').waitFor();
    assert.equal(await page.locator('main input[type=radio]').count(), 6, 'one section on the screen');
    await check(page, 'questionnaire section 1');
    await screenshot(page, 'questionnaire-section');
    await page.getByLabel('1: slight').check();
    await click(page, 'button', 'Continue');
    await page.getByText('Question 2 of 10').waitFor();

    // Continue with no answer: plain words, a link that takes the patient to the question.
    await click(page, 'button', 'Continue');
    const summary = page.getByRole('alert');
    const link = summary.getByRole('link', { name: 'Choose how much your back affects washing and dressing' });
    await link.waitFor();
    assert.match(await page.title(), /^Error: /);
    await check(page, 'questionnaire error');
    await screenshot(page, 'questionnaire-error');
    await link.click();
    assert.equal(new URL(page.url()).hash, '#q1');

    // Back keeps the first answer.
    await page.getByLabel('2: moderate').check();
    await click(page, 'button', 'Continue');
    await page.getByText('Question 3 of 10').waitFor();
    await click(page, 'button', 'Back');
    await page.getByText('Question 2 of 10').waitFor();
    assert.ok(await page.getByLabel('2: moderate').isChecked(), 'the answer is still chosen after going back');
    await click(page, 'button', 'Continue');

    // The rest, one thumb-press each; the last screen sends.
    for (let n = 3; n <= 9; n += 1) {
      await page.getByText(`Question ${n} of 10`).waitFor();
      await page.getByLabel('1: slight').check();
      await click(page, 'button', 'Continue');
    }
    await page.getByText('Question 10 of 10').waitFor();
    await page.getByLabel('1: slight').check();
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/questionnaires' && u.search.includes('done=odi')),
      page.getByRole('button', { name: 'Send my answers' }).click(),
    ]);
    await page.getByRole('status').filter({ hasText: 'How your back affects daily life' }).waitFor();
    await check(page, 'questionnaire sent');
    await screenshot(page, 'questionnaire-done');

    await page.goto('/decision-aid');
    await check(page, 'decision aid');
    await page.goto('/check-in');
    await check(page, 'weekly check-in');
  });
});

test('every other patient page has 44 px targets and 19 px text on a phone', { timeout: 240_000 }, async () => {
  await withPage(browser, server.baseUrl, 'patient-pages', async (page) => {
    await page.setViewportSize(PHONE);
    await signIn(page, server.logins.patient[0], server.password);
    for (const [path, what] of [
      ['/home', 'home'],
      ['/programme', 'programme'],
      ['/questionnaires', 'questionnaire list of a demo patient'],
      ['/decision-aid', 'decision aid'],
    ]) {
      await page.goto(path);
      await check(page, what);
    }
    // The camera page's shell (the camera itself needs a device; the shell is server-drawn).
    await page.goto('/exercise/shoulder-abduction');
    await targets(page, 'camera page shell');
    await checkA11y(page, 'camera page shell');
  });
});

test('the header menu shows focus at 3:1 or better', { timeout: 120_000 }, async () => {
  await withPage(browser, server.baseUrl, 'header-focus', async (page) => {
    await signIn(page, server.logins.patient[0], server.password);
    await page.goto('/home');
    const link = page.locator('.site-header nav a').first();
    await link.focus();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Tab');
    const { fg, bg } = await link.evaluate((el) => {
      const s = getComputedStyle(el);
      return { fg: s.color, bg: s.backgroundColor };
    });
    const lum = (rgb) => {
      const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number).map((c) => {
        const v = c / 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    assert.ok(ratio >= 4.5, `focused menu link: ${fg} on ${bg} is ${ratio.toFixed(2)}:1`);
  });
});
