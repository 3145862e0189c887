// Messages in a real browser. A patient on a phone opens Messages from the menu, reads how soon
// his care team reads messages and what to do when it is urgent, sends nothing by mistake (the
// problem is shown at the field), then writes. His clinician, on a laptop, sees one more
// waiting thread beside "Messages", opens it from her list, which reads it, and replies. The
// patient sees "1 unread" in his menu and the reply; the clinician then sees when he read it.
// Every page passes axe and the touch-target check; screenshots `messages-*` at phone and
// laptop size.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { checkA11y, checkTouchTargets, launchBrowser, screenshot, signIn, startServer, withPage } from './helpers.mjs';

let server;
let browser;
const PATIENT = 'kwame.mensah@demo.physio.test';
const CLINICIAN = 'amara.okafor@demo.physio.test';
const QUESTION = 'The bridge exercise makes my hamstrings cramp.\nShould I do fewer?';
const REPLY = 'Do 5 instead of 8 this week, and stretch your hamstrings first.';

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

async function click(page, role, name) {
  const exact = typeof name === 'string';
  await Promise.all([page.waitForLoadState('load'), page.getByRole(role, { name, exact }).click()]);
}

/** The number beside "Messages" in the menu, 0 when there is none. */
async function navCount(page) {
  const badge = page.locator('nav a[href="/messages"] .nav-count');
  return (await badge.count()) === 0 ? 0 : Number((await badge.innerText()).trim());
}

test('a patient writes on a phone, his clinician replies, each sees the other side', { timeout: 300_000 }, async () => {
  await withPage(browser, server.baseUrl, 'messages-patient', async (page) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, PATIENT, server.password);
    assert.equal(await navCount(page), 0);
    await checkTouchTargets(page, 'the home page with Messages in the menu');
    await screenshot(page, 'messages-home-menu');
    await click(page, 'link', 'Messages');
    assert.equal(new URL(page.url()).pathname, '/messages');
    const main = await page.locator('main').innerText();
    assert.match(main, /usually reads messages within one working day/);
    assert.match(main, /phone the clinic/);
    assert.match(main, /How to reach the clinic: Phone 555-0142/);
    assert.match(main, /In an emergency, call your local emergency number now/);
    assert.match(main, /No messages yet/);
    await checkA11y(page, 'the empty thread');
    await checkTouchTargets(page, 'the empty thread');
    await screenshot(page, 'messages-patient-empty');

    // Nothing written: the problem is at the top and at the field, and the page keeps working.
    await click(page, 'button', 'Send message');
    await page.locator('.error-summary').waitFor();
    assert.match(await page.locator('#body-error').innerText(), /Write your message before you send it/);
    await checkA11y(page, 'the form with its problem');
    await screenshot(page, 'messages-patient-error');

    await page.getByLabel('Write a message').fill(QUESTION);
    await click(page, 'button', 'Send message');
    assert.match(await page.locator('.notice').innerText(), /Your message is sent/);
    const latest = page.locator('#latest');
    assert.equal(await latest.locator('.message-who').innerText(), 'You');
    assert.equal(await latest.locator('.message-body').innerText(), QUESTION, 'line breaks kept');
    await checkA11y(page, 'the thread after sending');
    await checkTouchTargets(page, 'the thread after sending');
    await screenshot(page, 'messages-patient-sent');
  });

  await withPage(browser, server.baseUrl, 'messages-clinician', async (page) => {
    await signIn(page, CLINICIAN, server.password);
    // Tomasz Nowak's unread message from the demo, and now Kwame's.
    const waiting = await navCount(page);
    assert.equal(waiting, 2);
    const link = page.locator('nav a[href="/messages"]');
    assert.match(await link.evaluate((a) => a.textContent.replace(/\s+/g, ' ')), /Messages2, 2 waiting/);
    await click(page, 'link', /^Messages\s*,\s*2 waiting$/);
    const row = page.locator('#message-threads tr', { hasText: 'Kwame Mensah' });
    assert.match(await row.innerText(), /1 unread/);
    await checkA11y(page, 'the clinician\u2019s list of threads');
    await checkTouchTargets(page, 'the clinician\u2019s list of threads');
    await screenshot(page, 'messages-staff-list');

    await Promise.all([page.waitForLoadState('load'), row.getByRole('link', { name: 'Kwame Mensah' }).click()]);
    const section = page.locator('section#messages');
    assert.match(await section.innerText(), /Should I do fewer\?/);
    assert.match(await section.innerText(), /Now marked as read: 1 new message/);
    assert.equal(await navCount(page), waiting - 1, 'opened: one thread fewer waits');
    await section.getByLabel('Reply to the patient').fill(REPLY);
    await Promise.all([page.waitForLoadState('load'), section.getByRole('button', { name: 'Send reply' }).click()]);
    assert.equal(new URL(page.url()).hash, '#messages');
    const mine = page.locator('section#messages #latest');
    assert.equal(await mine.locator('.message-body').innerText(), REPLY);
    assert.equal(await mine.locator('.message-receipt').innerText(), 'Not read yet');
    await checkA11y(page, 'the patient\u2019s record with the thread');
    await checkTouchTargets(page, 'the patient\u2019s record with the thread');
    await section.scrollIntoViewIfNeeded();
    await section.screenshot({ path: 'screenshots/messages-staff-thread-section.png' });
  });

  await withPage(browser, server.baseUrl, 'messages-patient-reply', async (page) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page, PATIENT, server.password);
    assert.equal(await navCount(page), 1);
    const name = await page.locator('nav a[href="/messages"]').evaluate((a) => a.textContent.replace(/\s+/g, ' '));
    assert.match(name, /1 unread/);
    await click(page, 'link', /^Messages\s*,\s*1 unread$/);
    const latest = page.locator('#latest');
    assert.equal(await latest.locator('.message-who').innerText(), 'Amara Okafor, your care team');
    assert.equal(await latest.locator('.message-body').innerText(), REPLY);
    assert.equal(await page.locator('.message-receipt').count(), 0, 'receipts are for the care team');
    assert.equal(await navCount(page), 0, 'read now');
    await checkA11y(page, 'the thread with the reply');
    await checkTouchTargets(page, 'the thread with the reply');
    await screenshot(page, 'messages-patient-reply');
  });

  await withPage(browser, server.baseUrl, 'messages-receipt', async (page) => {
    await signIn(page, CLINICIAN, server.password);
    await page.goto('/messages');
    const row = page.locator('#message-threads tr', { hasText: 'Kwame Mensah' });
    await Promise.all([page.waitForLoadState('load'), row.getByRole('link', { name: 'Kwame Mensah' }).click()]);
    const receipt = await page.locator('section#messages #latest .message-receipt').innerText();
    assert.match(receipt, /^Read Today \d\d:\d\d$/);
    await screenshot(page, 'messages-staff-record');
  });
});
