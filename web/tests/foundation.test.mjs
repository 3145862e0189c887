// Foundation journeys: sign in, the clinician's caseload, access control on patient pages, the
// patient's home, the admin landing page, sign out. One demo server for the whole file.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { api, checkA11y, launchBrowser, screenshot, startServer, withPage } from './helpers.mjs';

const REFUSAL = 'You do not have access to this patient';

let server;
let browser;
/** Signed-in API clients by admin e-mail. */
const adminClients = new Map();

before(
  async () => {
    server = await startServer();
    browser = await launchBrowser();
    for (const role of ['admin', 'clinician', 'patient']) {
      assert.ok(server.logins[role].length > 0, `physio demo printed no ${role} login\n${server.output()}`);
    }
    assert.ok(server.password, `physio demo printed no demo password\n${server.output()}`);
  },
  { timeout: 180_000 },
);

after(async () => {
  await browser?.close();
  await server?.stop();
});

// ---------------------------------------------------------------------------------------------
// Helpers

const norm = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
const sameEmail = (a, b) => a.toLowerCase() === b.toLowerCase();
const sorted = (xs) => [...xs].sort();

async function adminApi(email) {
  if (!adminClients.has(email)) {
    const client = api(server.baseUrl);
    await client.login(email, server.password);
    adminClients.set(email, client);
  }
  return adminClients.get(email);
}

/** The account with this e-mail and role, and an admin API client of the same clinic. */
async function findUser(role, email) {
  for (const admin of server.logins.admin) {
    const client = await adminApi(admin);
    const { users } = await client.get(`/api/v1/users?role=${role}`);
    assert.ok(Array.isArray(users), 'GET /api/v1/users returns {"users": [...]}');
    const user = users.find((u) => sameEmail(u.email, email));
    if (user) return { user, admin: client };
  }
  assert.fail(`no demo admin can see the ${role} ${email}`);
}

/** Clicks and waits for the page it leads to. */
async function clickAndWait(page, locator) {
  const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() });
  await locator.click();
  await navigated;
  await page.waitForLoadState('load');
}

const pathname = (page) => new URL(page.url()).pathname;

/** Checks the login form against the contract; returns its fields. */
async function loginForm(page) {
  const email = page.getByLabel('Email address', { exact: true });
  const password = page.getByLabel('Password', { exact: true });
  const submit = page.getByRole('button', { name: 'Sign in', exact: true });
  await assert.doesNotReject(email.waitFor(), 'login page has a field labelled "Email address"');
  assert.equal(await email.getAttribute('id'), 'email');
  assert.equal(await email.getAttribute('name'), 'email');
  assert.equal(await password.count(), 1, 'login page has one field labelled "Password"');
  assert.equal(await password.getAttribute('id'), 'password');
  assert.equal(await password.getAttribute('name'), 'password');
  assert.equal(await password.getAttribute('type'), 'password');
  assert.equal(await submit.count(), 1, 'login page has a "Sign in" button');
  return { email, password, submit };
}

/** Signs in through the login page and checks where it lands. */
async function signIn(page, email, password, landing) {
  await page.goto('/login');
  const form = await loginForm(page);
  await form.email.fill(email);
  await form.password.fill(password);
  await clickAndWait(page, form.submit);
  if (landing) {
    await page.waitForURL((u) => u.pathname === landing).catch(() => {});
    assert.equal(pathname(page), landing, `after signing in as ${email}`);
  }
}

/** The header's sign-out button, after checking it sits in a form posting to /logout. */
async function signOutButton(page) {
  const form = page.locator('header form').filter({ has: page.getByRole('button', { name: 'Sign out', exact: true }) });
  assert.equal(await form.count(), 1, `${pathname(page)} has a "Sign out" form in its header`);
  const [action, method] = await form.evaluate((f) => [new URL(f.action).pathname, f.method]);
  assert.equal(action, '/logout', 'the sign-out form posts to /logout');
  assert.equal(method, 'post', 'the sign-out form uses POST');
  return form.getByRole('button', { name: 'Sign out', exact: true });
}

async function signOut(page) {
  await clickAndWait(page, await signOutButton(page));
}

/** The rows of `#caseload`: [{id, links: [{path, text}], text}]. */
async function caseloadRows(page) {
  await page.locator('#caseload').waitFor();
  assert.equal(await page.locator('table#caseload').count(), 1, '/caseload has <table id="caseload">');
  return page.$$eval('#caseload tbody tr', (trs) =>
    trs.map((tr) => ({
      id: tr.getAttribute('data-patient-id'),
      text: tr.textContent,
      links: [...tr.querySelectorAll('a[href]')].map((a) => ({ path: new URL(a.href).pathname, text: a.textContent })),
    })),
  );
}

/** Checks every row has a data-patient-id and a link to that patient named after them. */
function assertRowsWellFormed(rows, names) {
  for (const row of rows) {
    assert.ok(row.id, `every #caseload body row has data-patient-id (row: ${norm(row.text)})`);
    const link = row.links.find((l) => l.path === `/patients/${row.id}`);
    assert.ok(link, `row ${row.id} links to /patients/${row.id}`);
    if (names.has(row.id)) assert.equal(norm(link.text), norm(names.get(row.id)), `link text of row ${row.id}`);
  }
}

/**
 * A search term taken from one patient's name that the server's own search (the API's `q`)
 * matches for exactly the caseload patients whose names contain it, preferring terms that
 * narrow the list.
 */
async function pickSearchTerm(admin, clinicianId, caseload) {
  const candidates = [];
  for (const p of caseload) {
    for (const token of norm(p.name).split(' ')) {
      if (token.length < 3 || candidates.some((c) => c.term === token)) continue;
      const byName = caseload.filter((q) => q.name.toLowerCase().includes(token.toLowerCase()));
      candidates.push({ term: token, patient: p, byName });
    }
  }
  candidates.sort((a, b) => a.byName.length - b.byName.length);
  for (const c of candidates) {
    const { patients } = await admin.get(
      `/api/v1/patients?clinician_id=${clinicianId}&q=${encodeURIComponent(c.term)}`,
    );
    const got = sorted(patients.map((p) => p.id));
    if (JSON.stringify(got) === JSON.stringify(sorted(c.byName.map((p) => p.id)))) return c;
  }
  assert.fail('found no part of a patient name that searches cleanly');
}

// ---------------------------------------------------------------------------------------------
// Tests

test('clinician: caseload, search, patient page, refusal, sign out', async () => {
  const email = server.logins.clinician[0];
  const { user: clinician, admin } = await findUser('clinician', email);
  assert.equal(clinician.role, 'clinician');

  const { patients: caseload } = await admin.get(`/api/v1/patients?clinician_id=${clinician.id}`);
  assert.ok(Array.isArray(caseload), 'GET /api/v1/patients returns {"patients": [...]}');
  assert.ok(caseload.length > 0, `the demo clinician ${email} has patients`);
  const names = new Map(caseload.map((p) => [p.id, p.name]));

  const { patients: clinic } = await admin.get('/api/v1/patients');
  const stranger = clinic.find(
    (p) => !names.has(p.id) && !(p.care_team ?? []).some((m) => m.clinician_id === clinician.id),
  );
  assert.ok(stranger, `the demo clinic has a patient outside ${email}'s caseload`);

  const search = await pickSearchTerm(admin, clinician.id, caseload);

  await withPage(browser, server.baseUrl, 'clinician', async (page) => {
    // Login page.
    await page.goto('/login');
    await loginForm(page);
    await screenshot(page, 'login');
    await checkA11y(page, 'the login page');

    // Caseload: exactly this clinician's patients.
    await signIn(page, email, server.password, '/caseload');
    const rows = await caseloadRows(page);
    assertRowsWellFormed(rows, names);
    assert.deepEqual(sorted(rows.map((r) => r.id)), sorted(names.keys()), 'the caseload lists exactly the care team\'s patients');
    await signOutButton(page);
    await screenshot(page, 'caseload');
    await checkA11y(page, 'the caseload');

    // Search narrows the table.
    const q = page.getByLabel('Search your patients', { exact: true });
    assert.equal(await q.count(), 1, '/caseload has a field labelled "Search your patients"');
    assert.equal(await q.getAttribute('name'), 'q');
    await q.fill(search.term);
    await clickAndWait(page, page.getByRole('button', { name: 'Search', exact: true }));
    assert.equal(pathname(page), '/caseload', 'searching stays on /caseload');
    const found = await caseloadRows(page);
    assertRowsWellFormed(found, names);
    assert.deepEqual(
      sorted(found.map((r) => r.id)),
      sorted(search.byName.map((p) => p.id)),
      `searching for "${search.term}" lists the patients whose names contain it`,
    );
    for (const row of found) {
      assert.ok(row.text.toLowerCase().includes(search.term.toLowerCase()), `row ${row.id} contains "${search.term}"`);
    }
    if (caseload.length > 1) assert.ok(found.length < rows.length, `searching for "${search.term}" narrows the caseload`);

    // One of their patients.
    const patient = search.patient;
    await clickAndWait(page, page.locator(`#caseload tr[data-patient-id="${patient.id}"] a[href$="/patients/${patient.id}"]`).first());
    assert.equal(pathname(page), `/patients/${patient.id}`);
    assert.equal(norm(await page.locator('h1').first().textContent()), norm(patient.name));
    await signOutButton(page);
    await screenshot(page, 'patient');

    // Someone else's patient: refused, and nothing about them shown.
    const res = await page.goto(`/patients/${stranger.id}`);
    assert.equal(res?.status(), 403, `/patients/<not on the care team> answers 403`);
    assert.equal(norm(await page.locator('h1').first().textContent()), REFUSAL);
    assert.ok(!(await page.locator('body').innerText()).includes(stranger.name), 'the refusal does not show the patient\'s name');
    await screenshot(page, 'refusal');

    // Sign out: the caseload is no longer reachable.
    await page.goto('/caseload');
    await signOut(page);
    await page.goto('/caseload');
    assert.equal(pathname(page), '/login', 'after signing out, /caseload leads to /login');
    await loginForm(page);
  });
});

test('patient: home greets them by first name', async () => {
  const email = server.logins.patient[0];
  const { user } = await findUser('patient', email);
  const firstName = norm(user.name).split(' ')[0];

  await withPage(browser, server.baseUrl, 'patient', async (page) => {
    await signIn(page, email, server.password, '/home');
    const h1 = norm(await page.locator('h1').first().textContent());
    assert.ok(h1.includes(firstName), `the home page's h1 ("${h1}") contains "${firstName}"`);
    await signOutButton(page);
    await screenshot(page, 'home');
    await checkA11y(page, 'the patient home page');

    await signOut(page);
    await page.goto('/home');
    assert.equal(pathname(page), '/login', 'after signing out, /home leads to /login');
  });
});

test('wrong password: error summary, still on the login page', async () => {
  // The last patient login, so a failed attempt does not touch the accounts other tests use.
  const email = server.logins.patient.at(-1);
  await withPage(browser, server.baseUrl, 'wrong-password', async (page, context) => {
    await signIn(page, email, `${server.password}-wrong`);
    assert.equal(pathname(page), '/login', 'a wrong password stays on /login');
    const alert = page.getByRole('alert');
    await alert.first().waitFor();
    assert.match(await alert.first().innerText(), /incorrect/i, 'the error summary says the details are incorrect');
    await loginForm(page);
    const cookies = await context.cookies();
    assert.ok(!cookies.some((c) => c.name === 'physio_session' && c.value), 'no session cookie after a failed sign-in');
    await screenshot(page, 'login-error');
  });
});

test('admin: lands on /admin', async () => {
  const email = server.logins.admin[0];
  await withPage(browser, server.baseUrl, 'admin', async (page) => {
    await signIn(page, email, server.password, '/admin');
    await signOutButton(page);
    await screenshot(page, 'admin');
    await checkA11y(page, 'the admin page');
  });
});
