// Shared helpers for the browser tests: start a demo server, launch Chromium, talk to the JSON
// API, check accessibility and take screenshots. Not a test file itself (node --test only picks
// up `*.test.mjs` here).

import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The `web/` folder. */
export const WEB_DIR = path.resolve(here, '..');
export const SCREENSHOT_DIR = path.join(WEB_DIR, 'screenshots');
export const RESULTS_DIR = path.join(WEB_DIR, 'test-results');

const STARTUP_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;

const LISTENING = /Listening on (http:\/\/\S+)/;
const LOGIN_LINE = /^\s+(admin|clinician|patient)\s+(\S+@\S+)/;
const PASSWORD_LINE = /Password for every demo account:\s*(\S+)/;
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/**
 * Starts `physio demo` on a free port with a fresh data directory.
 *
 * The binary comes from the `PHYSIO_BIN` environment variable (e.g. `../target/debug/physio`,
 * resolved against the current directory).
 *
 * @returns {Promise<{baseUrl: string, logins: {admin: string[], clinician: string[], patient: string[]},
 *   password: string | undefined, output: () => string, stop: () => Promise<void>}>}
 */
export async function startServer() {
  const bin = process.env.PHYSIO_BIN;
  if (!bin) {
    throw new Error(
      'PHYSIO_BIN is not set: point it at the physio binary, e.g. ' +
        '`PHYSIO_BIN=../target/debug/physio npm test` (build it first with `cargo build`).',
    );
  }
  const binPath = path.resolve(bin);
  const dataDir = await mkdtemp(path.join(tmpdir(), 'physio-web-'));

  const child = spawn(binPath, ['demo', '--data-dir', dataDir, '--bind', '127.0.0.1:0'], {
    // The camera page's script and pose model: web/dist (built by `npm run build`, which
    // `npm test` runs first), wherever the tests run from.
    env: { PHYSIO_WEB_DIR: path.join(WEB_DIR, 'dist'), ...process.env, PHYSIO_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  let stdout = '';
  let stderr = '';
  const output = () => `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;

  let exited = child.exitCode !== null;
  const exit = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    });
    // A spawn failure (e.g. ENOENT) emits 'error' and possibly no 'exit'.
    child.once('error', (err) => {
      exited = true;
      resolve({ code: null, signal: null, error: err });
    });
  });

  // Never leave a server behind if the test process dies abruptly.
  const killOnExit = () => {
    if (!exited) child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!exited) child.kill('SIGKILL');
      }, STOP_TIMEOUT_MS);
      await exit;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const logins = { admin: [], clinician: [], patient: [] };
  let password;

  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });

  // Keep reading stdout for the whole life of the server so its pipe never fills up.
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });

  const baseUrl = await new Promise((resolve, reject) => {
    let settled = false;
    const fail = async (why) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      await stop();
      reject(new Error(`physio demo (${binPath}) ${why}\n${output()}`));
    };
    const timer = setTimeout(
      () => fail(`did not print "Listening on http://..." within ${STARTUP_TIMEOUT_MS / 1000} s`),
      STARTUP_TIMEOUT_MS,
    );

    lines.on('line', (raw) => {
      stdout += raw + '\n';
      if (settled) return;
      const line = raw.replace(ANSI, '');
      let m;
      if ((m = LOGIN_LINE.exec(line))) {
        logins[m[1]].push(m[2]);
      } else if ((m = PASSWORD_LINE.exec(line))) {
        password = m[1];
      } else if ((m = LISTENING.exec(line))) {
        settled = true;
        clearTimeout(timer);
        resolve(m[1].replace(/\/+$/, ''));
      }
    });

    exit.then(({ code, signal, error }) => {
      if (error) fail(`could not be started: ${error.message}`);
      else fail(`exited before it was ready (code ${code}, signal ${signal})`);
    });
  });

  return { baseUrl, logins, password, output, stop };
}

/**
 * Chromium from Debian, headless. `CHROMIUM_PATH` overrides the binary. `extraArgs` are added to
 * the command line (e.g. the fake camera flags of the camera-page test).
 */
/** Chromium's flags for every browser test: headless, offline, nothing of its own running. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launchBrowser(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

/**
 * Opens a fresh browser context (own cookies) at `baseUrl`, runs `fn(page, context)`, and closes
 * it. On failure it saves a screenshot and the HTML to `web/test-results/<name>-failure.*`, and
 * it fails the test if the page threw an uncaught JavaScript error.
 */
export async function withPage(browser, baseUrl, name, fn) {
  const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.setDefaultNavigationTimeout(30_000);
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(err));
  try {
    await fn(page, context);
    assert.deepEqual(
      pageErrors.map((e) => String(e)),
      [],
      `uncaught JavaScript errors on the page during "${name}"`,
    );
  } catch (err) {
    try {
      await mkdir(RESULTS_DIR, { recursive: true });
      await page.screenshot({ path: path.join(RESULTS_DIR, `${name}-failure.png`), fullPage: true });
      await writeFile(path.join(RESULTS_DIR, `${name}-failure.html`), `<!-- ${page.url()} -->\n${await page.content()}`);
    } catch {
      // The page may be gone; the original error matters more.
    }
    throw err;
  } finally {
    await context.close();
  }
}

/**
 * A tiny JSON client for `/api/v1`, signed in with the session cookie.
 */
export function api(baseUrl) {
  let cookie;
  let csrfToken;

  const request = async (method, apiPath, body) => {
    const headers = { accept: 'application/json' };
    if (cookie) headers.cookie = cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (csrfToken && method !== 'GET') headers['x-csrf-token'] = csrfToken;
    const res = await fetch(new URL(apiPath, baseUrl), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await res.text();
    if (!res.ok) {
      throw new Error(`${method} ${apiPath} failed with ${res.status} ${res.statusText}: ${text}`);
    }
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      throw new Error(`${method} ${apiPath} returned ${res.status} but not JSON: ${text}`);
    }
    return { res, json };
  };

  return {
    get csrfToken() {
      return csrfToken;
    },

    /** Signs in; returns the response body (`{user, csrf_token}`). */
    async login(email, password) {
      const { res, json } = await request('POST', '/api/v1/auth/login', { email, password });
      const setCookies =
        typeof res.headers.getSetCookie === 'function'
          ? res.headers.getSetCookie()
          : (res.headers.get('set-cookie') ?? '').split(/,(?=\s*[^;,=\s]+=)/);
      const session = setCookies
        .map((c) => c.split(';')[0].trim())
        .find((c) => c.startsWith('physio_session='));
      if (!session) {
        throw new Error(`login as ${email} set no physio_session cookie (Set-Cookie: ${JSON.stringify(setCookies)})`);
      }
      cookie = session;
      csrfToken = json?.csrf_token;
      return json;
    },

    /** GET `apiPath`; returns the parsed JSON, throws on a non-2xx status. */
    async get(apiPath) {
      return (await request('GET', apiPath)).json;
    },

    /** PUT JSON to `apiPath` with the CSRF header; returns the parsed JSON. */
    async put(apiPath, body) {
      return (await request('PUT', apiPath, body ?? {})).json;
    },

    /** POST JSON to `apiPath` with the CSRF header; returns the parsed JSON. */
    async post(apiPath, body) {
      return (await request('POST', apiPath, body ?? {})).json;
    },
  };
}

/**
 * Prescribes `exercise` to the demo patient `patient` (an e-mail) the way a clinic does: a
 * clinician on the patient's care team (the first; `server.logins.clinician[0]`, added by the
 * admin, if the team is empty) saves a new version of the patient's programme through the API,
 * at the library's default dose from today, keeping what is there. Nothing changes when the
 * patient already has it today. The camera page and the live socket open only exercises of the
 * patient's programme.
 */
export async function prescribe(server, { patient, exercise }) {
  const admin = api(server.baseUrl);
  await admin.login(server.logins.admin[0], server.password);
  const { users: patients } = await admin.get('/api/v1/users?role=patient');
  const person = patients.find((u) => u.email === patient);
  assert.ok(person, `no demo patient ${patient}`);
  const { users: clinicians } = await admin.get('/api/v1/users?role=clinician');
  const { care_team: team } = await admin.get(`/api/v1/patients/${person.id}/care-team`);
  let clinician = clinicians.find((u) => u.id === team[0]?.clinician_id);
  if (!clinician) {
    clinician = clinicians.find((u) => u.email === server.logins.clinician[0]);
    await admin.put(`/api/v1/patients/${person.id}/care-team`, { clinician_ids: [clinician.id] });
  }

  const staff = api(server.baseUrl);
  await staff.login(clinician.email, server.password);
  const path = `/api/v1/patients/${person.id}/programme`;
  const view = await staff.get(path);
  const entry = view.entries.find((e) => e.item.exercise === exercise);
  if (entry) {
    assert.ok(entry.active_today && entry.flags.length === 0, `${patient} has ${exercise}, but not today: ${JSON.stringify(entry)}`);
    return;
  }
  const { exercise: found } = await staff.get(`/api/v1/exercises/${exercise}`);
  await staff.put(path, {
    based_on: view.current?.version ?? 0,
    items: [...(view.current?.items ?? []), { exercise, dose: found.dose, start: view.today }],
    reason: `${found.name} with the camera, for the browser tests`,
  });
}

const requireFromHere = createRequire(import.meta.url);
const AXE_PATH = requireFromHere.resolve('axe-core/axe.min.js');

/**
 * Runs axe-core on the current page and fails on any 'serious' or 'critical' violation.
 */
export async function checkA11y(page, label) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    try {
      await page.addScriptTag({ path: AXE_PATH });
    } catch {
      // A strict Content-Security-Policy blocks injected <script> tags; fall through.
    }
    if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
      // DevTools evaluation is not subject to the page's CSP.
      await page.evaluate(await readFile(AXE_PATH, 'utf8'));
    }
  }
  const results = await page.evaluate(() => window.axe.run(document));
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    const report = bad
      .map((v) => {
        const nodes = v.nodes
          .slice(0, 5)
          .map((n) => `      ${n.target.join(' ')}: ${n.failureSummary?.split('\n').join(' ') ?? ''}`)
          .join('\n');
        const more = v.nodes.length > 5 ? `\n      ... and ${v.nodes.length - 5} more` : '';
        return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
      })
      .join('\n');
    assert.fail(`accessibility violations on ${label} (${page.url()}):\n${report}`);
  }
}

/**
 * Saves full-page screenshots `web/screenshots/<name>-phone.png` (390x844) and
 * `<name>-laptop.png` (1280x800), then restores the viewport.
 */
export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const previous = page.viewportSize();
  const sizes = [
    ['phone', { width: 390, height: 844 }],
    ['laptop', { width: 1280, height: 800 }],
  ];
  for (const [device, size] of sizes) {
    await page.setViewportSize(size);
    // A page running pose estimation keeps the main thread busy; on two cores a screenshot can
    // wait well past Playwright's 15 s default for a frame.
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${device}.png`), fullPage: true, timeout: 90_000 });
  }
  if (previous) await page.setViewportSize(previous);
}

/** Signs in on the login page and waits to leave it. */
export async function signIn(page, email, password) {
  await page.goto('/login');
  await page.getByLabel('Email address', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.getByRole('button', { name: 'Sign in', exact: true }).click(),
  ]);
}

/**
 * Signs in with a password the clinic typed, which is temporary: the server sends the person to
 * choose their own first. Chooses `own` and ends on /home.
 */
export async function signInFirstTime(page, email, temporary, own) {
  await signIn(page, email, temporary);
  if (new URL(page.url()).pathname !== '/account/password') {
    throw new Error(`a temporary password should lead to /account/password, not ${page.url()}`);
  }
  await page.getByLabel('Current password', { exact: true }).fill(temporary);
  await page.getByLabel('New password', { exact: true }).fill(own);
  await Promise.all([
    page.waitForURL((u) => u.pathname === '/account/sessions'),
    page.getByRole('button', { name: 'Change password' }).click(),
  ]);
  await page.goto('/home');
}

/** Submits an intake page with its "Save and continue" button and waits for the next page. */
export async function next(page) {
  await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Save and continue' }).click()]);
}

/** The real recordings (UI-PRMD) the camera tests replay; never copied into the repository. */
export const POSITIONS_DIR = path.resolve(WEB_DIR, '../../shared/data/ui-prmd/correct/kinect/positions');
/** Ten standing shoulder abductions of UI-PRMD's first subject (movement m07). */
export const ABDUCTION_FILES = Array.from({ length: 10 }, (_, i) =>
  path.join(POSITIONS_DIR, `m07_s01_e${String(i + 1).padStart(2, '0')}_positions.txt.gz`),
);

/** Runs `physio convert` and returns its stdout. */
export function convert(files) {
  const bin = path.resolve(process.env.PHYSIO_BIN ?? '');
  const args = ['convert', '--format', 'uiprmd-kinect', '--to', 'blazepose-json', ...files];
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (err += c));
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`physio ${args.slice(0, 5).join(' ')} … exited with ${code}:\n${err}`));
    });
  });
}

/** Smallest touch target, in CSS pixels, on either side (design brief; WCAG 2.5.5 AAA). */
export const MIN_TARGET_PX = 44;

/**
 * Measures every visible interactive element on the page at its current viewport and fails,
 * listing the offenders, when one is smaller than 44 × 44 CSS pixels.
 *
 * What counts: links, buttons, form fields, `summary`, and anything with a `role` of button,
 * link, radio or checkbox or a non-negative `tabindex`. A radio button or checkbox counts by its
 * label's box (the label is what a finger presses; the control itself may be drawn by the
 * label and invisible). Not counted: hidden or zero-sized elements, anything off-screen (the
 * skip link until it is focused), and links in running text, WCAG 2.5.8's inline exception: a
 * link laid out inline whose block (paragraph, list item, cell) holds other words as well, so
 * its size is set by the line of text around it. A link that stands alone on its line is
 * measured like a button.
 *
 * @param {import('playwright-core').Page} page
 * @param {string} what names the page in the failure message
 * @returns {Promise<number>} how many targets were measured (so a test can check it saw some)
 */
export async function checkTouchTargets(page, what) {
  const { measured, offenders } = await page.evaluate((min) => {
    const selector = [
      'a[href]', 'button', 'input:not([type=hidden])', 'select', 'textarea', 'summary',
      '[role=button]', '[role=link]', '[role=radio]', '[role=checkbox]', '[tabindex]:not([tabindex="-1"])',
    ].join(',');
    const describe = (el) => {
      const id = el.id ? `#${el.id}` : '';
      const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 50);
      return `${el.tagName.toLowerCase()}${id}${cls}${text ? ` "${text}"` : ''}`;
    };
    const visible = (el) => {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden') return false;
      const r = el.getBoundingClientRect();
      if (r.width < 2 && r.height < 2) return false; // visually hidden (1 px) or empty
      if (r.right + window.scrollX <= 0) return false; // parked off-screen, as the skip link is
      return true;
    };
    const blockOf = (el) => {
      let b = el.parentElement;
      while (b && getComputedStyle(b).display.startsWith('inline')) b = b.parentElement;
      return b;
    };
    const inRunningText = (el) => {
      if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
      const block = blockOf(el);
      if (!block) return false;
      const own = (el.innerText || '').replace(/\s+/g, ' ').trim();
      const all = (block.innerText || '').replace(/\s+/g, ' ').trim();
      return all.length > own.length;
    };
    const seen = new Set();
    const offenders = [];
    let measured = 0;
    for (const el of document.querySelectorAll(selector)) {
      let target = el;
      if (el.tagName === 'INPUT' && (el.type === 'radio' || el.type === 'checkbox') && el.labels && el.labels.length > 0) {
        target = el.labels[0];
      }
      if (seen.has(target)) continue;
      seen.add(target);
      if (!visible(el) && !visible(target)) continue;
      if (inRunningText(target)) continue;
      const r = target.getBoundingClientRect();
      measured += 1;
      // Half a pixel of slack for sub-pixel layout.
      if (r.width + 0.5 < min || r.height + 0.5 < min) {
        offenders.push(`${describe(el)}: ${r.width.toFixed(1)} × ${r.height.toFixed(1)} px`);
      }
    }
    return { measured, offenders };
  }, MIN_TARGET_PX);
  if (offenders.length > 0) {
    const size = page.viewportSize();
    assert.fail(
      `touch targets under ${MIN_TARGET_PX} × ${MIN_TARGET_PX} px on ${what} (${page.url()}, ` +
        `${size?.width}×${size?.height}):\n  ${offenders.join('\n  ')}`,
    );
  }
  return measured;
}
