// Lessons in a real browser. A patient after a fusion reaches his lessons from his exercise
// page on a phone, reads this week's lesson (which marks it read) and the lessons that carry a
// figure; the list then says in words which he has read. His clinician then sees on his record
// which lessons he read and when. Every page passes axe; screenshots `lesson-*` at phone and
// laptop size.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, checkA11y, checkTouchTargets, launchBrowser, screenshot, signIn, startServer, withPage } from './helpers.mjs';

let server;
let browser;
const PATIENT = 'kwame.mensah@demo.physio.test';
const CLINICIAN = 'amara.okafor@demo.physio.test';
let patientId;

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser();
    const admin = api(server.baseUrl);
    await admin.login(server.logins.admin[0], server.password);
    const { users } = await admin.get('/api/v1/users?role=patient');
    patientId = users.find((u) => u.email === PATIENT).id;
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

test('a patient reads this week\u2019s lesson on a phone and his clinician sees it read', { timeout: 300_000 }, async () => {
  let title;
  await withPage(browser, server.baseUrl, 'lesson-patient', async (page) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, PATIENT, server.password);

    // Reached from his exercises.
    await page.goto('/programme');
    await click(page, 'link', 'Your lessons: short reads about your back and your care');
    assert.equal(new URL(page.url()).pathname, '/lessons');
    const card = page.locator('section.lesson-card');
    await card.getByRole('heading', { name: "This week's lesson" }).waitFor();
    title = (await card.locator('.lesson-card-title').innerText()).trim();
    assert.equal(title, 'When to get help fast', 'the red flags come first for everyone');
    const list = await page.locator('main').innerText();
    assert.match(list, /You have read 0 of \d+ lessons/);
    assert.match(list, /After a fusion: what to expect/, 'his operation\u2019s lesson is given');
    assert.doesNotMatch(list, /After a discectomy/, 'not another operation\u2019s');
    await checkA11y(page, 'the lessons list');
    await checkTouchTargets(page, 'the lessons list');
    await screenshot(page, 'lesson-list');

    // This week's lesson: one screen, the signs as a list, a way back.
    await click(page, 'link', 'Read this lesson');
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), title);
    assert.match(await page.locator('main').innerText(), /emergency department/);
    await checkA11y(page, 'a lesson');
    await checkTouchTargets(page, 'a lesson');
    await screenshot(page, 'lesson-red-flags');

    // The lessons with a figure, each looked at.
    for (const [id, name] of [
      ['how-much-pain-is-ok', 'pain-scale'],
      ['pacing', 'pacing'],
      ['sitting', 'sitting'],
      ['discs-shrink', 'discs-shrink'],
      ['surgery-is-rare', 'surgery-rare'],
    ]) {
      await page.goto(`/lessons/${id}`);
      await page.locator('figure.lesson-figure svg').first().waitFor();
      assert.ok((await page.locator('figure.lesson-figure figcaption').innerText()).length > 20, `${id} has a caption`);
      await checkA11y(page, `the lesson ${id}`);
      await checkTouchTargets(page, `the lesson ${id}`);
      await screenshot(page, `lesson-${name}`);
    }

    // Back on the list, what he read is said in words.
    // The link at the top and the button at the end both go back; the button is the one a reader reaches.
    await Promise.all([page.waitForLoadState('load'), page.locator('a.button', { hasText: 'Back to your lessons' }).click()]);
    const after = await page.locator('main').innerText();
    assert.match(after, /You have read 4 of \d+ lessons/, 'the three given lessons with figures and the red flags');
    const item = page.locator('li.lesson-item', { has: page.getByRole('link', { name: title, exact: true }) });
    assert.match(await item.innerText(), /Read on \d+ \w+ \d{4}/);
    assert.doesNotMatch(after, /This week's lesson\s+When to get help fast/);
  });

  await withPage(browser, server.baseUrl, 'lesson-clinician', async (page) => {
    await signIn(page, CLINICIAN, server.password);
    await page.goto(`/patients/${patientId}`);
    const section = page.locator('section', { has: page.locator('#lessons-title') });
    const text = await section.innerText();
    assert.match(text, /Read 4 of the \d+ lessons given so far/);
    const row = section.locator('tr', { hasText: title });
    assert.doesNotMatch(await row.innerText(), /Not read yet/, 'the clinician sees it read');
    await checkA11y(page, 'the patient record with lessons');
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'lesson-staff');
  });
});
