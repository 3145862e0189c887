// The camera session page on its own, against a stand-in server (fake-live-server.mjs): replay
// through a dropped connection (resume), landmark frames sent as binary messages whose decoded
// content is the recording's, server errors that must not stop the session, a
// cross-site replay address refused, and camera mode with Chromium's fake camera (MediaPipe
// loads from web/dist, the live check runs, Finish ends the session). Needs web/dist
// (`npm run build`; `npm test` builds it first). No Physio binary needed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { WEB_DIR, checkA11y, launchBrowser, screenshot, withPage } from './helpers.mjs';
import { startFakeLiveServer, syntheticRecording } from './fake-live-server.mjs';

let browser;

before(async () => {
  await access(path.join(WEB_DIR, 'dist', 'live.js')).catch(() => {
    throw new Error('web/dist/live.js is missing: run `npm run build` in web/ first');
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** Imports one of the page's TypeScript modules (bundled in memory), for its pure logic. */
async function importSource(file) {
  const out = await esbuild.build({ entryPoints: [path.join(WEB_DIR, 'src', file)], bundle: true, format: 'esm', write: false, logLevel: 'silent' });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

test('slow devices: only a rate below 10 a second for a whole window switches to lite, then says counting may miss', async () => {
  const { SpeedGuard, SLOW_FPS, WINDOW_S } = await importSource('framerate.ts');
  assert.equal(SLOW_FPS, 10);
  const guard = new SpeedGuard();
  const changes = [];
  let now = 0;
  const run = (fps, seconds) => {
    const end = now + seconds * 1000;
    while (now < end) {
      now += 1000 / fps;
      const c = guard.tick(now);
      if (c) changes.push([Math.round(now), c]);
    }
  };
  run(15, 10);
  // One frame that takes a second and a half (a garbage collection, a busy tab): no switch.
  now += 1500;
  guard.tick(now);
  run(15, 10);
  assert.deepEqual(changes, [], `steady 15/s with one slow frame: ${JSON.stringify(changes)}`);
  const slowFrom = now;
  run(6, 12);
  assert.equal(changes[0]?.[1], 'lite', JSON.stringify(changes));
  // Once most of the window is slow (the median interval), so after seconds, not a frame.
  assert.ok(changes[0][0] - slowFrom >= 2000 && changes[0][0] - slowFrom <= (WINDOW_S + 1) * 1000, JSON.stringify(changes));
  // Still slow on the lite model, measured afresh for a whole window: counting may miss.
  assert.equal(changes[1]?.[1], 'too-slow', JSON.stringify(changes));
  assert.ok(changes[1][0] - changes[0][0] >= WINDOW_S * 1000, JSON.stringify(changes));
  run(20, 6);
  assert.equal(changes[2]?.[1], 'lite', `it keeps up again: ${JSON.stringify(changes)}`);
  assert.equal(changes.length, 3);

  // A device that needs longer than the window for one result is judged too.
  const crawl = new SpeedGuard();
  const verdicts = [];
  for (let t = 0; t <= 30_000; t += 5_000) verdicts.push(crawl.tick(t));
  assert.ok(verdicts.includes('lite'), JSON.stringify(verdicts));
  assert.ok(Math.abs(crawl.fps - 0.2) < 1e-9, `one result every 5 s is 0.2 a second: ${crawl.fps}`);
});

test('what the camera cannot see, in words', async () => {
  const { unseenMessage } = await importSource('unseen.ts');
  assert.equal(
    unseenMessage(['left_knee', 'left_ankle']),
    "The camera can't see your left knee and left ankle. Step back or turn so your whole leg is in view.",
  );
  assert.equal(
    unseenMessage(['left_knee', 'right_knee']),
    "The camera can't see your left knee and right knee. Step back or turn so both your legs are in view.",
  );
  assert.equal(unseenMessage(['right_wrist']), "The camera can't see your right wrist. Step back or turn so your whole arm is in view.");
  assert.equal(unseenMessage(['head', 'c7']), "The camera can't see your head and neck. Move so your head and shoulders are in view.");
  assert.equal(
    unseenMessage(['pelvis', 'left_hip', 'left_shoulder']),
    "The camera can't see your hips, left hip and left shoulder. Step back so your whole body is in view, about 2 metres from the camera.",
  );
  assert.match(unseenMessage(['left_hip', 'left_knee', 'left_ankle', 'left_foot', 'right_hip']), /^The camera can't see your left hip, left knee, left ankle and other parts of your body\. /);
  assert.match(unseenMessage([]), /^The camera can't see you\. Step back into the picture/);
});

/** The frames of a blazepose-json text, by `t`. */
function recordedFrames(text) {
  const byT = new Map();
  for (const line of text.trim().split('\n')) {
    const v = JSON.parse(line);
    if (Array.isArray(v.landmarks)) byT.set(v.t, v);
  }
  return byT;
}

/**
 * Every frame the fake server received went out as a binary message of the documented size and
 * flags, and decodes to exactly the recorded frame with the same `t` (each value the f32 nearest
 * the recorded one): a wrong byte order, offset, field order or flag fails here.
 */
function assertBinaryFramesMatch(fake, text, { world }) {
  const recorded = recordedFrames(text);
  for (const c of fake.connections) {
    assert.deepEqual(c.binaryErrors, [], 'every binary message decodes');
  }
  const frames = fake.connections.flatMap((c) => c.messages.filter((m) => Array.isArray(m.landmarks)));
  assert.ok(frames.length > 0, 'frames arrived');
  const size = 10 + 33 * 16 * (world ? 2 : 1);
  for (const [i, f] of frames.entries()) {
    assert.ok(f.$binary, `frame ${i} (t = ${f.t}) was sent as a binary message, not JSON`);
    assert.deepEqual(f.$binary, { bytes: size, flags: world ? 1 : 0, count: 33 }, `frame ${i}: size and flags`);
    const want = recorded.get(f.t);
    assert.ok(want, `frame ${i}: t = ${f.t} is a recorded frame's t (f64, exact)`);
    const same = (got, exp, what) => {
      assert.equal(got.length, 33, `${what}: 33 landmarks`);
      got.forEach((p, k) => {
        const e = exp[k].length === 4 ? exp[k] : [...exp[k], 1];
        assert.deepEqual(p, e.map(Math.fround), `frame ${i} (t = ${f.t}) ${what} ${k}`);
      });
    };
    same(f.landmarks, want.landmarks, 'landmark');
    if (world) same(f.world, want.world, 'world landmark');
    else assert.equal(f.world, undefined, `frame ${i}: no world landmarks`);
  }
  return frames;
}

/** Records what #feedback and #status showed, for assertions after the fact. */
const RECORD_TEXT = () => {
  window.__shown = { feedback: [], status: [] };
  document.addEventListener('DOMContentLoaded', () => {
    for (const id of ['feedback', 'status']) {
      const el = document.getElementById(id);
      if (!el) continue;
      new MutationObserver(() => {
        const text = el.textContent ?? '';
        if (text) window.__shown[id].push(text);
      }).observe(el, { childList: true, characterData: true, subtree: true });
    }
  });
};

test('replay: frames streamed with the header, resumed after a drop, counted, summarised', { timeout: 90_000 }, async () => {
  const fake = await startFakeLiveServer({ dropAfterRep: 1, errorOnFrame: 5 });
  try {
    await withPage(browser, fake.baseUrl, 'live-client-replay', async (page) => {
      const consoleErrors = [];
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      await page.addInitScript(RECORD_TEXT);
      const text = syntheticRecording({ reps: 3, period: 2 });
      await page.route('**/replay/synthetic.jsonl', (route) =>
        route.fulfill({ status: 200, contentType: 'application/x-ndjson', body: text }),
      );
      await page.goto('/exercise/shoulder-abduction?replay=/replay/synthetic.jsonl&speed=4');
      await page.waitForSelector('body[data-live-state=idle]');
      await checkA11y(page, 'the camera session page before Start');
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      await page.waitForSelector('body[data-live-state=running]');
      assert.equal(await page.locator('#finish').isVisible(), true, 'Finish shows while running');
      await page.waitForSelector('body[data-live-state=finished]', { timeout: 60_000 });

      assert.equal(await page.textContent('#counter'), '3');
      const summary = page.locator('#summary');
      assert.equal(await summary.isVisible(), true, '#summary is shown');
      assert.equal(await page.locator('#finish').isVisible(), false, 'Finish is hidden once finished');
      assert.match(await summary.textContent(), /You did 3 repetitions, 2 of them with good form/);
      const shown = await page.evaluate(() => window.__shown);
      assert.ok(shown.feedback.includes('Keep your body upright'), `trunk_lean cue shown: ${JSON.stringify(shown.feedback)}`);
      assert.ok(
        consoleErrors.some((e) => e.includes('frame 5: test error')),
        `the server's error event goes to the console: ${JSON.stringify(consoleErrors)}`,
      );

      // Two connections: the drop, then a resume of the same session.
      assert.equal(fake.connections.length, 2, 'reconnected once after the drop');
      const [first, second] = fake.connections;
      assert.match(first.url, /^\/api\/v1\/live\?exercise=shoulder-abduction$/);
      const sessionId = [...fake.sessions.keys()][0];
      assert.equal(second.url, `/api/v1/live?exercise=shoulder-abduction&session=${sessionId}`);
      for (const c of fake.connections) {
        // A JSON text message (no `$binary`): control messages stay JSON.
        assert.deepEqual(c.messages[0], { format: 'physio-blazepose', version: 1, image_width: 640, image_height: 480 }, 'header first');
      }
      // Binary frames, decoded by the fake server from the documented layout, carry exactly the
      // recorded landmarks; those queued during the drop too (each queued frame its own copy).
      const frames = assertBinaryFramesMatch(fake, text, { world: true });
      const expected = text.trim().split('\n').length - 1;
      assert.ok(frames.length >= expected - 5, `nearly every frame arrives (${frames.length} of ${expected})`);
      for (let i = 1; i < frames.length; i++) assert.ok(frames[i].t > frames[i - 1].t, `t increases at frame ${i}`);
      assert.equal(second.messages.filter((m) => Array.isArray(m.landmarks)).length > 0, true, 'frames after the resume');
      assert.deepEqual(second.messages.at(-1), { type: 'end' }, '{"type":"end"} after the last frame');

      await screenshot(page, 'live-client-replay');
      await checkA11y(page, 'the camera session page after a replay');
    });
  } finally {
    await fake.stop();
  }
});

test('replay: what the camera cannot see is shown in words until the signal is found, above any form cue', { timeout: 90_000 }, async () => {
  // The engine cannot measure from frame 5 to frame 100 (3 s of the recording): the first
  // repetition's trunk_lean warning (sent when it starts, about frame 31) comes meanwhile.
  const fake = await startFakeLiveServer({ signalLost: { from: 5, to: 100, joints: ['left_knee', 'left_ankle'] } });
  try {
    await withPage(browser, fake.baseUrl, 'live-client-signal', async (page) => {
      await page.addInitScript(RECORD_TEXT);
      const text = syntheticRecording({ reps: 3, period: 2 });
      await page.route('**/replay/signal.jsonl', (route) =>
        route.fulfill({ status: 200, contentType: 'application/x-ndjson', body: text }),
      );
      await page.setViewportSize({ width: 844, height: 390 });
      await page.goto('/exercise/shoulder-abduction?replay=/replay/signal.jsonl&speed=2');
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      const lost = "The camera can't see your left knee and left ankle. Step back or turn so your whole leg is in view.";
      await page.waitForFunction((want) => document.getElementById('feedback')?.textContent === want, lost);
      assert.equal(await page.locator('#live').getAttribute('data-signal'), 'lost');
      assert.equal(await page.locator('#feedback').isVisible(), true, 'the message is on screen in the session view');
      await checkA11y(page, 'the camera session page while the camera cannot see the knee');
      await page.waitForSelector('body[data-live-state=finished]', { timeout: 60_000 });

      const shown = await page.evaluate(() => window.__shown.feedback);
      assert.equal(shown[0], lost, `the first thing #feedback showed: ${JSON.stringify(shown)}`);
      assert.ok(!shown.includes('Keep your body upright'), `no form cue while the joints are out of view: ${JSON.stringify(shown)}`);
      assert.equal(await page.locator('#live').getAttribute('data-signal'), null, 'signal_found takes the message away');
      assert.equal(await page.textContent('#counter'), '3');
      // The summary: the count, how many done well, what to work on, and the way back.
      const summary = await page.locator('#summary').textContent();
      assert.match(summary, /You did 3 repetitions, 2 of them with good form/);
      assert.match(summary, /To work on next time: keep your body upright\./);
      const back = page.getByRole('link', { name: 'Back to your programme' });
      assert.equal(await back.isVisible(), true, 'a way back to the programme after the set');
      assert.equal(await back.getAttribute('href'), '/programme#exercise-shoulder-abduction');
      await checkA11y(page, 'the camera session summary');
    });
  } finally {
    await fake.stop();
  }
});

test('replay: image-only frames go out binary, without the world flag', { timeout: 60_000 }, async () => {
  const fake = await startFakeLiveServer();
  try {
    await withPage(browser, fake.baseUrl, 'live-client-image-only', async (page) => {
      const text = syntheticRecording({ reps: 1, period: 1, rest: 0.5, world: false });
      await page.route('**/replay/image-only.jsonl', (route) =>
        route.fulfill({ status: 200, contentType: 'application/x-ndjson', body: text }),
      );
      await page.goto('/exercise/shoulder-abduction?replay=/replay/image-only.jsonl&speed=10');
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      await page.waitForSelector('body[data-live-state=finished]', { timeout: 30_000 });
      assert.equal(await page.textContent('#counter'), '1');
      assert.equal(fake.connections.length, 1);
      const frames = assertBinaryFramesMatch(fake, text, { world: false });
      assert.equal(frames.length, recordedFrames(text).size, 'every frame arrives');
      assert.deepEqual(fake.connections[0].messages.at(-1), { type: 'end' });
    });
  } finally {
    await fake.stop();
  }
});

test('replay: an address on another site is refused', async () => {
  const fake = await startFakeLiveServer();
  try {
    await withPage(browser, fake.baseUrl, 'live-client-cross-site', async (page) => {
      await page.goto('/exercise/shoulder-abduction?replay=https://example.invalid/x.jsonl');
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      await page.waitForSelector('body[data-live-state=error]');
      assert.equal(fake.connections.length, 0, 'no session is opened');
      assert.match(await page.textContent('#status'), /recording could not be played/);
      assert.equal(await page.locator('#start').isVisible(), true, 'Start is offered again');
    });
  } finally {
    await fake.stop();
  }
});

test('camera: fake camera, MediaPipe loads from /web/mediapipe/, live check, Finish', { timeout: 240_000 }, async () => {
  const fake = await startFakeLiveServer();
  const camBrowser = await launchBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']);
  try {
    await withPage(camBrowser, fake.baseUrl, 'live-client-camera', async (page) => {
      await page.context().grantPermissions(['camera'], { origin: fake.baseUrl });
      const requested = [];
      page.on('request', (r) => requested.push(new URL(r.url()).pathname));
      await page.goto('/exercise/shoulder-abduction');
      await page.getByRole('button', { name: 'Start', exact: true }).click();
      await page.waitForSelector('body[data-live-state=calibrating]');
      // Chromium's fake camera shows no person: once the tracker runs, the check says so.
      await page.waitForFunction(
        () => /cannot see you|too dark/i.test(document.getElementById('status')?.textContent ?? ''),
        null,
        { timeout: 90_000 },
      );
      assert.ok(requested.some((p) => p.startsWith('/web/mediapipe/') && p.endsWith('.wasm')), `wasm loaded locally: ${requested.join(' ')}`);
      assert.ok(requested.every((p) => !/^https?:/.test(p)));
      assert.equal(await page.locator('.live-check').isVisible(), true, 'the live check is shown');
      assert.match(await page.locator('.live-check').textContent(), /whole body is in the picture: not yet/);
      await screenshot(page, 'live-client-calibrating');
      await checkA11y(page, 'the camera session page while calibrating');

      assert.equal(fake.connections.length, 1);
      const header = fake.connections[0].messages[0];
      assert.equal(header?.format, 'physio-blazepose');
      assert.ok(header.image_width > 0 && header.image_height > 0, JSON.stringify(header));
      assert.equal(fake.connections[0].messages.filter((m) => m.landmarks).length, 0, 'no frames before calibration passes');

      // Pose estimation runs on the CPU here (no GPU); on a busy machine one inference can hold
      // the page for seconds, so the click may wait that long for the page to take it.
      await page.getByRole('button', { name: 'Finish', exact: true }).click({ timeout: 90_000 });
      await page.waitForSelector('body[data-live-state=finished]', { timeout: 60_000 });
      assert.match(await page.textContent('#summary'), /You did 0 repetitions/);
      const tracks = await page.evaluate(() => {
        const v = document.getElementById('camera');
        return v.srcObject ? v.srcObject.getTracks().length : 0;
      });
      assert.equal(tracks, 0, 'the camera is released');
    });
  } finally {
    await camBrowser.close();
    await fake.stop();
  }
});
