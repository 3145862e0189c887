// Forgot your password, in a real browser on a phone-sized screen: from the sign-in page to the
// form, the e-mail (received by a real SMTP server, Python's aiosmtpd), the link, a weak
// password refused at its field, a good one accepted, and signing in with it. Then the account
// page and the sessions list. Every page is checked with axe and for touch-target size.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  checkA11y,
  checkTouchTargets,
  launchBrowser,
  screenshot,
  signIn,
  startServer,
  withPage,
} from './helpers.mjs';

const PUBLIC_URL = 'http://physio.example';
const NEW_PASSWORD = 'kettle orbit saffron ladder';

let server;
let browser;
let smtp;
let mailDir;

/** A free TCP port on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.end();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`aiosmtpd did not listen on ${port}`);
}

/** Every message received so far, as text. */
async function messages() {
  const out = [];
  for (const sub of ['new', 'cur']) {
    let files = [];
    try {
      files = await readdir(path.join(mailDir, 'mail', sub));
    } catch {
      continue;
    }
    for (const f of files) out.push(await readFile(path.join(mailDir, 'mail', sub, f), 'utf8'));
  }
  return out;
}

/** The reset e-mails to `to` (the demo clinic sends reminders and message notices as well). */
async function resetMails(to) {
  const all = await messages();
  return all.filter(
    (m) => /^Subject: Choose a new password for Physio$/m.test(m.replace(/\r\n/g, '\n')) && m.toLowerCase().includes(`to: ${to}`),
  );
}

async function waitForResetMail(to) {
  for (let i = 0; i < 200; i++) {
    const got = await resetMails(to);
    if (got.length >= 1) return got;
    await new Promise((r) => setTimeout(r, 50));
  }
  return resetMails(to);
}

/** The path and query of the link in a message (undoing quoted-printable folding). */
function linkIn(mail) {
  const text = mail.replace(/\r\n/g, '\n').replace(/=\n/g, '').replace(/=3D/g, '=');
  const m = /http:\/\/physio\.example(\/set-password\?token=[0-9a-f]+)/.exec(text);
  assert.ok(m, `no link in:\n${text}`);
  return m[1];
}

before(
  async () => {
    const python = spawnSync('python3', ['-c', 'import aiosmtpd']);
    assert.equal(python.status, 0, 'needs python3 with aiosmtpd (pip install aiosmtpd)');
    mailDir = await mkdtemp(path.join(tmpdir(), 'physio-mail-'));
    const port = await freePort();
    smtp = spawn(
      'python3',
      ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', path.join(mailDir, 'mail')],
      { stdio: 'ignore' },
    );
    await waitForPort(port);
    process.env.PHYSIO_SMTP_URL = `smtp://127.0.0.1:${port}`;
    process.env.PHYSIO_SMTP_FROM = 'Demo Clinic <accounts@clinic.example>';
    process.env.PHYSIO_PUBLIC_URL = PUBLIC_URL;
    server = await startServer();
    browser = await launchBrowser();
  },
  { timeout: 180_000 },
);

after(async () => {
  await browser?.close();
  await server?.stop();
  smtp?.kill();
  if (mailDir) await rm(mailDir, { recursive: true, force: true });
});

async function checkPage(page, what) {
  await checkA11y(page, what);
  assert.ok((await checkTouchTargets(page, what)) > 0, `${what}: no touch targets measured`);
}

test('a patient who forgot their password gets a link by e-mail and signs in with a new one', { timeout: 180_000 }, async () => {
  const email = server.logins.patient[0];
  await withPage(browser, server.baseUrl, 'accounts-reset', async (page) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/login');
    await Promise.all([page.waitForURL('**/forgot-password'), page.getByRole('link', { name: 'Forgot your password?' }).click()]);
    await checkPage(page, 'forgot password');
    await screenshot(page, 'accounts-forgot');

    await page.getByLabel('Email address', { exact: true }).fill(email);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Send me a link' }).click()]);
    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    await page.getByText('If an account exists for this address').waitFor();
    await checkPage(page, 'check your e-mail');

    const mail = await waitForResetMail(email);
    assert.equal(mail.length, 1, 'one reset e-mail to the patient');
    await page.goto(linkIn(mail[0]));
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await checkPage(page, 'choose a new password');

    // Too easy to guess: the error summary links to the field, which says how to do better.
    await page.getByLabel('New password', { exact: true }).fill('password12');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Save password' }).click()]);
    const summary = page.getByRole('alert');
    await summary.getByRole('link', { name: /three or four unrelated words/ }).waitFor();
    assert.equal(await page.locator('#password').getAttribute('aria-invalid'), 'true');
    await checkPage(page, 'weak password refused');
    await screenshot(page, 'accounts-weak-password');

    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Save password' }).click()]);
    await page.getByRole('heading', { name: 'Your password is saved' }).waitFor();
    await checkPage(page, 'password saved');

    await signIn(page, email, NEW_PASSWORD);
    assert.equal(new URL(page.url()).pathname, '/home');

    // The account page, reached from the header on a phone, and where you are signed in.
    await Promise.all([page.waitForURL('**/account'), page.getByRole('link', { name: 'Account', exact: true }).click()]);
    await page.getByRole('heading', { name: 'Your account' }).waitFor();
    await checkPage(page, 'your account');
    await screenshot(page, 'accounts-hub');
    await Promise.all([page.waitForURL('**/account/sessions'), page.getByRole('link', { name: 'See where you are signed in' }).click()]);
    await page.getByText('This device (where you are now)').waitFor();
    await checkPage(page, 'where you are signed in');
    await screenshot(page, 'accounts-sessions');
  });
});
