// The caseload in a real browser with 150 patients. The demo clinic's first clinician is put on
// every demo patient's care team and the admin adds patients through the API until the
// caseload holds 150 (the demo's patients bring their alerts, reviews, programmes, sessions
// and pain scores; the new ones have none yet). At laptop size the clinician finds the count,
// who needs help first, sorts by the last pain, filters to patients who need attention on one
// pathway, and opens a patient whose page starts with the same facts. axe-core, the touch
// targets and screenshots `caseload-*` and `patient-summary-*` at phone and laptop size.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, checkA11y, checkTouchTargets, launchBrowser, screenshot, signIn, startServer, withPage } from './helpers.mjs';

let server;
let browser;
let clinician;
const CASELOAD = 150;

/** Runs `jobs` (functions returning promises) `width` at a time. */
async function inBatches(jobs, width) {
  for (let i = 0; i < jobs.length; i += width) {
    await Promise.all(jobs.slice(i, i + width).map((job) => job()));
  }
}

async function seed() {
  const admin = api(server.baseUrl);
  await admin.login(server.logins.admin[0], server.password);
  const { users: clinicians } = await admin.get('/api/v1/users?role=clinician');
  clinician = clinicians.find((u) => u.email === server.logins.clinician[0]);
  const { patients } = await admin.get('/api/v1/patients');
  // Every demo patient joins the clinician's caseload, keeping their own team.
  await inBatches(
    patients
      .filter((p) => !p.care_team.some((m) => m.clinician_id === clinician.id))
      .map((p) => () =>
        admin.put(`/api/v1/patients/${p.id}/care-team`, {
          clinician_ids: [...p.care_team.map((m) => m.clinician_id), clinician.id],
        }),
      ),
    4,
  );
  const first = ['Ada', 'Ben', 'Chloé', 'Dev', 'Elif', 'Farah', 'Gus', 'Hana', 'Ivo', 'Jana', 'Kofi', 'Lena'];
  const last = ['Abara', 'Berg', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Jensen', 'Kaur'];
  const add = [];
  for (let k = patients.length; k < CASELOAD; k += 1) {
    add.push(async () => {
      const user = await admin.post('/api/v1/users', {
        email: `caseload.${k}@bench.physio.test`,
        name: `${first[k % first.length]} ${last[(k * 7) % last.length]} ${k}`,
        role: 'patient',
        date_of_birth: `19${40 + (k % 50)}-0${1 + (k % 9)}-1${k % 10}`,
        summary: 'New referral; has not started yet.',
      });
      await admin.put(`/api/v1/patients/${user.id}/care-team`, { clinician_ids: [clinician.id] });
    });
  }
  await inBatches(add, 4);
}

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser();
    await seed();
  },
  { timeout: 300_000 },
);

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The numbers of the "Last pain" cells, in row order (`null` for none). */
async function pains(page) {
  return page.$$eval('table#caseload tbody tr td:nth-child(4)', (cells) =>
    cells.map((c) => {
      const m = /(\d+)\/10/.exec(c.textContent);
      return m ? Number(m[1]) : null;
    }),
  );
}

test('a clinician finds who needs help in a caseload of 150', { timeout: 240_000 }, async () => {
  await withPage(browser, server.baseUrl, 'caseload', async (page) => {
    await signIn(page, clinician.email, server.password);
    await page.goto('/caseload');
    await assert.doesNotReject(page.getByText(`${CASELOAD} patients on your caseload.`).waitFor());
    assert.equal(await page.locator('table#caseload tbody tr').count(), CASELOAD);
    // Who needs help first: the first row needs attention, the last does not.
    const needs = page.locator('table#caseload tbody tr td:nth-child(2)');
    assert.doesNotMatch(await needs.first().innerText(), /Nothing waiting/);
    assert.match(await needs.last().innerText(), /Nothing waiting/);
    const heading = async (sel) => (await page.locator(sel).innerText()).replace(/\s+/g, ' ');
    assert.equal(await heading('th[aria-sort="ascending"]'), 'Needs you ▲');
    await checkA11y(page, 'the caseload of 150');
    await checkTouchTargets(page, 'the caseload of 150');
    await screenshot(page, 'caseload');

    // Sorted by the last pain, highest first; patients without one come last.
    await Promise.all([page.waitForURL(/sort=pain&dir=desc/), page.getByRole('link', { name: 'Last pain', exact: true }).click()]);
    assert.equal(await heading('th[aria-sort="descending"]'), 'Last pain ▼');
    const sorted = await pains(page);
    const known = sorted.filter((v) => v !== null);
    assert.ok(known.length > 10, `demo patients have pain scores: ${sorted}`);
    assert.deepEqual(known, [...known].sort((a, b) => b - a));
    assert.deepEqual(sorted.slice(0, known.length), known, 'no pain comes last');

    // Filters: those who need attention on the conservative lumbar pathway; the order stays.
    await page.getByLabel('Only patients who need attention').check();
    await page.getByLabel('Pathway').selectOption('conservative_lumbar');
    await Promise.all([page.waitForURL(/attention=true/), page.getByRole('button', { name: 'Search', exact: true }).click()]);
    assert.match(page.url(), /pathway=conservative_lumbar/);
    assert.match(page.url(), /sort=pain&dir=desc/);
    const rows = page.locator('table#caseload tbody tr');
    const n = await rows.count();
    assert.ok(n > 0 && n < CASELOAD, `${n} rows`);
    await assert.doesNotReject(page.getByText(`${n} of ${CASELOAD} patients shown.`).waitFor());
    for (const text of await rows.allInnerTexts()) {
      assert.match(text, /Conservative lumbar/);
      assert.doesNotMatch(text, /Nothing waiting/);
    }
    await checkA11y(page, 'the filtered caseload');
    await checkTouchTargets(page, 'the filtered caseload');
  });
});

test('the patient page starts with the caseload facts', { timeout: 120_000 }, async () => {
  await withPage(browser, server.baseUrl, 'patient-summary', async (page) => {
    await signIn(page, clinician.email, server.password);
    await page.goto('/caseload?sort=attention');
    const first = page.locator('table#caseload tbody tr').first();
    const name = await first.locator('td').first().innerText();
    await Promise.all([page.waitForURL(/\/patients\//), first.getByRole('link').click()]);
    await assert.doesNotReject(page.getByRole('heading', { level: 1, name }).waitFor());
    const glance = page.getByRole('region', { name: 'At a glance' });
    for (const term of ['Needs you', 'This week', 'Last pain', 'Last session', 'Pathway and phase']) {
      await assert.doesNotReject(glance.getByText(term, { exact: true }).waitFor());
    }
    assert.doesNotMatch(await glance.locator('dd').first().innerText(), /Nothing waiting/);
    await checkA11y(page, 'the patient summary');
    await checkTouchTargets(page, 'the patient summary');
    await screenshot(page, 'patient-summary');
  });
});
