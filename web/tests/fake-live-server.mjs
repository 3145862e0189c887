// A stand-in for Physio's live-session side, for testing the camera page on its own: serves the
// page's HTML contract, web/dist under /web/, and a WebSocket at /api/v1/live that speaks the
// protocol of docs/live-sessions.md with a toy engine (a repetition is a wrist raised above the
// shoulders and lowered again). Minimal RFC 6455: text and binary frames, close, ping; no
// extensions. Landmark frames are accepted both as JSON text and in the compact binary encoding
// (decoded here independently of the page's encoder, from the layout in the docs). Not a test
// file itself.

import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { WEB_DIR } from './helpers.mjs';

const DIST = path.join(WEB_DIR, 'dist');
/** The site's stylesheet, so the page looks (and hides things) as it will on Physio. */
const APP_CSS = path.resolve(WEB_DIR, '../crates/server/assets/app.css');
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const TYPES = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/** MediaPipe's original → content-hashed file names, as web/build.mjs wrote them. */
function mediapipeManifest() {
  return JSON.parse(readFileSync(path.join(DIST, 'mediapipe', 'manifest.json'), 'utf8'));
}

const attr = (text) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function livePageHtml({ exercise = 'shoulder-abduction', name = 'Shoulder abduction', target = 3 } = {}) {
  const files = mediapipeManifest();
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${name} – Physio</title><link rel="stylesheet" href="/static/app.css"></head>
<body><main id="main" class="wrap"><h1>${name}</h1>
<div id="live" data-exercise="${exercise}" data-exercise-name="${name}" data-view="front"
     data-target-reps="${target}" data-ws-path="/api/v1/live" data-mediapipe-path="/web/mediapipe/"
     data-mediapipe-files="${attr(JSON.stringify(files))}" data-programme-href="/programme#exercise-${exercise}">
  <p id="setup" class="live-setup">Stand facing the camera, about 2 metres away, with your whole body in view.</p>
  <div class="live-stage"><video id="camera" playsinline muted></video><canvas id="overlay"></canvas></div>
  <div class="live-panel">
    <div class="live-counter"><span id="counter">0</span> <span class="live-of">of <span id="target">${target}</span></span></div>
    <p id="status" role="status" aria-live="polite"></p>
    <p id="feedback" aria-live="assertive"></p>
    <div class="live-range"><div id="range-bar"></div></div>
    <div id="summary" hidden></div>
    <div class="live-actions">
      <button id="start" class="button" type="button">Start</button>
      <button id="finish" class="button-secondary" type="button" hidden>Finish</button>
    </div>
  </div>
</div></main>
<script src="/web/mediapipe/${files['pose.js']}"></script>
<script type="module" src="/web/live.js"></script>
</body></html>`;
}

/** Encodes one unmasked server frame. */
function encode(opcode, payload) {
  const len = payload.length;
  let head;
  if (len < 126) head = Buffer.from([0x80 | opcode, len]);
  else if (len < 65536) {
    head = Buffer.alloc(4);
    head[0] = 0x80 | opcode;
    head[1] = 126;
    head.writeUInt16BE(len, 2);
  } else {
    head = Buffer.alloc(10);
    head[0] = 0x80 | opcode;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([head, payload]);
}

/** Splits a buffer into complete client frames; returns [frames, rest]. */
function decode(buf) {
  const frames = [];
  let off = 0;
  for (;;) {
    if (buf.length - off < 2) break;
    const b0 = buf[off];
    const b1 = buf[off + 1];
    let len = b1 & 0x7f;
    let p = off + 2;
    if (len === 126) {
      if (buf.length - p < 2) break;
      len = buf.readUInt16BE(p);
      p += 2;
    } else if (len === 127) {
      if (buf.length - p < 8) break;
      len = Number(buf.readBigUInt64BE(p));
      p += 8;
    }
    const masked = (b1 & 0x80) !== 0;
    const maskLen = masked ? 4 : 0;
    if (buf.length - p < maskLen + len) break;
    const mask = masked ? buf.subarray(p, p + 4) : null;
    p += maskLen;
    const payload = Buffer.from(buf.subarray(p, p + len));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
    frames.push({ fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload });
    off = p + len;
  }
  return [frames, buf.subarray(off)];
}

/**
 * Decodes one binary frame message following docs/live-sessions.md, as strictly as the server's
 * `decode_binary_frame`: little-endian f64 `t` (bytes 0–7), flags (byte 8, bit 0 = world
 * landmarks follow), count n (byte 9), n × 4 f32 image landmarks, then n × 4 f32 world landmarks
 * when flagged. Returns `{ t, landmarks, world?, $binary: { bytes, flags, count } }`; throws with
 * a message on any malformed frame.
 */
export function decodeBinaryFrame(buf) {
  if (buf.length < 10) throw new Error(`binary frame of ${buf.length} bytes is shorter than its 10-byte head`);
  const t = buf.readDoubleLE(0);
  const flags = buf[8];
  const count = buf[9];
  if (count !== 33) throw new Error(`expected 33 landmarks, found ${count}`);
  if ((flags & ~1) !== 0) throw new Error(`unknown flags ${flags}`);
  const hasWorld = (flags & 1) === 1;
  const want = 10 + count * 16 * (hasWorld ? 2 : 1);
  if (buf.length !== want) throw new Error(`binary frame should be ${want} bytes, found ${buf.length}`);
  if (!Number.isFinite(t) || t < 0) throw new Error(`"t" must be a non-negative number of seconds, found ${t}`);
  const block = (b) =>
    Array.from({ length: count }, (_, k) =>
      Array.from({ length: 4 }, (_, c) => {
        const v = buf.readFloatLE(10 + (b * count + k) * 16 + c * 4);
        if (!Number.isFinite(v)) throw new Error(`landmark ${k} holds a value that is not a finite number`);
        return v;
      }),
    );
  const frame = { t, landmarks: block(0) };
  if (hasWorld) frame.world = block(1);
  frame.$binary = { bytes: buf.length, flags, count };
  return frame;
}

/**
 * Starts the fake server. Options: `dropAfterRep` (close the first connection, without a close
 * frame, right after that repetition was reported), `errorOnFrame` (answer that frame number
 * with an `error` event), `signalLost` (`{ from, to, joints }`: send `signal_lost` naming
 * `joints` at frame `from` and `signal_found` at frame `to`, as the engine does when the
 * exercise's joints are out of view), `pages` (extra routes: path → HTML).
 */
export async function startFakeLiveServer({ dropAfterRep = 0, errorOnFrame = 0, signalLost = null, pages = {} } = {}) {
  /** Every connection: its URL and the parsed messages it received. */
  const connections = [];
  /** Sessions by id: the rep count. */
  const sessions = new Map();

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    try {
      if (pages[url.pathname]) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(pages[url.pathname]);
        return;
      }
      if (url.pathname.startsWith('/exercise/')) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(livePageHtml({ exercise: url.pathname.slice('/exercise/'.length) }));
        return;
      }
      if (url.pathname === '/static/app.css') {
        const css = await readFile(APP_CSS, 'utf8').catch(() => '');
        res.writeHead(200, { 'content-type': 'text/css' });
        res.end(css);
        return;
      }
      if (url.pathname.startsWith('/web/')) {
        const rel = path.normalize(url.pathname.slice('/web/'.length));
        if (rel.startsWith('..')) throw new Error('outside');
        const body = await readFile(path.join(DIST, rel));
        res.writeHead(200, { 'content-type': TYPES[path.extname(rel)] ?? 'application/octet-stream' });
        res.end(body);
        return;
      }
    } catch {
      // fall through to 404
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  });

  server.on('upgrade', (req, socket) => {
    const url = new URL(req.url, 'http://x');
    const key = req.headers['sec-websocket-key'];
    if (url.pathname !== '/api/v1/live' || !key) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(key + GUID).digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    // `messages`: every message in order: text parsed as JSON, binary frames decoded (with
    // `$binary`); `binaryErrors`: binary messages that did not decode.
    const conn = { url: url.pathname + url.search, messages: [], binaryErrors: [], closed: false };
    connections.push(conn);
    const send = (obj) => {
      if (!socket.destroyed) socket.write(encode(1, Buffer.from(JSON.stringify(obj))));
    };

    const resume = url.searchParams.get('session');
    const sessionId = resume && sessions.has(resume) ? resume : randomUUID();
    if (!sessions.has(sessionId)) sessions.set(sessionId, { reps: 0 });
    const session = sessions.get(sessionId);
    send({ type: 'session', session_id: sessionId, exercise: url.searchParams.get('exercise'), resumed: sessionId === resume, reps: session.reps });

    let frames = 0;
    let raised = false;
    let repStart = 0;
    let firstT = null;
    let lastT = 0;
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      const [list, rest] = decode(Buffer.concat([buffered, chunk]));
      buffered = rest;
      for (const f of list) {
        if (f.opcode === 8) {
          socket.end(encode(8, Buffer.alloc(0)));
          conn.closed = true;
          return;
        }
        if (f.opcode === 9) {
          socket.write(encode(10, f.payload));
          continue;
        }
        let msg;
        if (f.opcode === 2) {
          try {
            msg = decodeBinaryFrame(f.payload);
          } catch (err) {
            conn.binaryErrors.push(err.message);
            send({ type: 'error', message: `binary frame: ${err.message}` });
            continue;
          }
        } else if (f.opcode === 1) {
          msg = JSON.parse(f.payload.toString('utf8'));
        } else {
          continue;
        }
        conn.messages.push(msg);
        if (msg.type === 'end') {
          send({ type: 'summary', session_id: sessionId, rep_count: session.reps, correct_count: Math.max(0, session.reps - 1), duration_s: lastT - (firstT ?? 0) });
          socket.end(encode(8, Buffer.from([0x03, 0xe8])));
          conn.closed = true;
          return;
        }
        if (!Array.isArray(msg.landmarks)) continue;
        frames += 1;
        firstT ??= msg.t;
        lastT = msg.t;
        if (frames === errorOnFrame) send({ type: 'error', message: `frame ${frames}: test error` });
        if (signalLost && frames === signalLost.from) send({ type: 'signal_lost', t: msg.t, joints: signalLost.joints });
        if (signalLost && frames === signalLost.to) send({ type: 'signal_found', t: msg.t });
        // Toy engine: left wrist (15) above the left shoulder (11) in the image (y down).
        const up = msg.landmarks[15][1] < msg.landmarks[11][1];
        if (up && !raised) {
          raised = true;
          repStart = msg.t;
          send({ type: 'rep_started', index: session.reps + 1, t: msg.t });
          if (session.reps === 0) send({ type: 'form_warning', t: msg.t, error: 'trunk_lean', value: 12.5 });
        } else if (!up && raised) {
          raised = false;
          session.reps += 1;
          send({ type: 'rep_completed', index: session.reps, start_s: repStart, end_s: msg.t, peak_deg: 150, rom_deg: 140, duration_s: msg.t - repStart, correct: session.reps !== 1, errors: session.reps === 1 ? ['trunk_lean'] : [] });
          if (dropAfterRep && session.reps === dropAfterRep && connections.length === 1) {
            // Simulate a network drop: no close frame.
            setTimeout(() => socket.destroy(), 20);
          }
        }
      }
    });
    socket.on('close', () => {
      conn.closed = true;
    });
    socket.on('error', () => {});
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    connections,
    sessions,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/**
 * A synthetic blazepose-json recording: a person standing facing the camera who raises both
 * arms sideways `reps` times (one repetition every `period` seconds, at 30 frames/s).
 */
export function syntheticRecording({ reps = 3, period = 2, rest = 1, world = true } = {}) {
  const fps = 30;
  const total = rest + reps * period + rest;
  const lines = [JSON.stringify({ format: 'physio-blazepose', version: 1, image_width: 640, image_height: 480 })];
  for (let i = 0; i <= Math.round(total * fps); i++) {
    const t = i / fps;
    const phase = t < rest || t > rest + reps * period ? 0 : ((t - rest) % period) / period;
    const lift = Math.sin(Math.PI * phase); // 0 → 1 → 0 over a repetition
    const angle = (lift * 160 * Math.PI) / 180; // arm angle from hanging down
    const lm = Array.from({ length: 33 }, () => [0.5, 0.5, 0, 0.99]);
    const set = (idx, x, y) => {
      lm[idx] = [Number(x.toFixed(5)), Number(y.toFixed(5)), 0, 0.99];
    };
    set(0, 0.5, 0.15); // nose
    set(7, 0.53, 0.15);
    set(8, 0.47, 0.15);
    for (const [side, sx] of [[1, 0.56], [-1, 0.44]]) {
      const sh = side === 1 ? 11 : 12;
      set(sh, sx, 0.25);
      const arm = 0.22;
      set(sh + 2, sx + side * Math.sin(angle) * arm * 0.5 * 0.75, 0.25 + Math.cos(angle) * arm * 0.5); // elbow
      set(sh + 4, sx + side * Math.sin(angle) * arm * 0.75, 0.25 + Math.cos(angle) * arm); // wrist
      const hip = side === 1 ? 23 : 24;
      set(hip, 0.5 + side * 0.04, 0.52);
      set(hip + 2, 0.5 + side * 0.045, 0.7);
      set(hip + 4, 0.5 + side * 0.045, 0.88);
      set(hip + 6, 0.5 + side * 0.045, 0.9);
      set(hip + 8, 0.5 + side * 0.06, 0.9);
    }
    const frame = { t: Number(t.toFixed(4)), landmarks: lm };
    if (world) frame.world = lm.map(([x, y, z, v]) => [Number(((x - 0.5) * 1.2).toFixed(4)), Number(((y - 0.52) * 1.6).toFixed(4)), z, v]);
    lines.push(JSON.stringify(frame));
  }
  return lines.join('\n') + '\n';
}
