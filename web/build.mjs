// Builds the browser code into web/dist/, which Physio serves under /web/:
//   dist/live.js (+ .map)   the camera session page, bundled from src/live.ts (ESM, minified)
//   dist/live.css (+ .map)  its styles (imported by live.ts; live.js links it if the page does not)
//   dist/runner.js (+ .map) the guided session's hold and rest timers, from src/runner.ts
//   dist/passkeys.js (+ .map) passkey sign-in and registration, from src/passkeys.ts
//   dist/print.js (+ .map)  the Print button of the printable programme, from src/print.ts
//   dist/mediapipe/         the runtime files of @mediapipe/pose (pose.js, wasm, models, graph),
//                           each under a content-hashed name (`pose_web.1a2b3c4d.binarypb`), and
//                           manifest.json mapping each original name to its hashed name
// The hashed names let the server cache the 15 MB of MediaPipe files for a year (`immutable`):
// a new package version gives new names, so a browser can never keep a stale file. The server
// reads manifest.json to name pose.js in the camera page and to give the page the mapping its
// `locateFile` needs (crates/server/src/web_assets.rs).
// Idempotent: running it twice gives the same tree; unchanged MediaPipe files are not re-copied.
// Nothing is fetched at run time: everything the page loads comes from this folder.

import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
const mediapipeOut = path.join(dist, 'mediapipe');

// Files of the npm package that the browser never loads. The heavy landmark model (27 MB) is
// only used with `modelComplexity: 2`, which the camera page never asks for (it uses 1, and 0
// on slow devices).
const NOT_RUNTIME = new Set(['package.json', 'README.md', 'index.d.ts', 'LICENSE', 'pose_landmark_heavy.tflite']);
/** The mapping of original to hashed names, next to the files (read by the server). */
const MANIFEST = 'manifest.json';
/** Hex digits of the SHA-256 kept in a name: 32 bits, plenty to tell versions of one file apart. */
const HASH_CHARS = 8;

/** `pose_web.binarypb` + content → `pose_web.<hash>.binarypb` (the hash before the last extension). */
function hashedName(name, content) {
  const hash = createHash('sha256').update(content).digest('hex').slice(0, HASH_CHARS);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}.${hash}${name.slice(dot)}` : `${name}.${hash}`;
}

async function bundle() {
  await mkdir(dist, { recursive: true });
  const result = await esbuild.build({
    entryPoints: ['live.ts', 'runner.ts', 'passkeys.ts', 'print.ts'].map((f) => path.join(here, 'src', f)),
    outdir: dist,
    bundle: true,
    format: 'esm',
    minify: true,
    sourcemap: true,
    target: ['es2020'],
    logLevel: 'warning',
    metafile: true,
  });
  return Object.keys(result.metafile.outputs).map((f) => path.relative(here, path.resolve(f)));
}

async function copyMediapipe() {
  const require = createRequire(import.meta.url);
  const pkgDir = path.dirname(require.resolve('@mediapipe/pose/package.json'));
  await mkdir(mediapipeOut, { recursive: true });
  const wanted = (await readdir(pkgDir, { withFileTypes: true }))
    .filter((e) => e.isFile() && !NOT_RUNTIME.has(e.name))
    .map((e) => e.name)
    .sort();
  if (!wanted.includes('pose.js')) throw new Error(`${pkgDir} has no pose.js: is @mediapipe/pose installed?`);

  let copied = 0;
  /** Original name → hashed name, in name order so the manifest is byte-for-byte stable. */
  const manifest = {};
  for (const name of wanted) {
    const from = path.join(pkgDir, name);
    const hashed = hashedName(name, await readFile(from));
    manifest[name] = hashed;
    const to = path.join(mediapipeOut, hashed);
    const dst = await stat(to).catch(() => null);
    // The name carries the content's hash: a file of that name and size is this file.
    if (dst && dst.size === (await stat(from)).size) continue;
    await copyFile(from, to);
    copied += 1;
  }
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  const manifestPath = path.join(mediapipeOut, MANIFEST);
  if ((await readFile(manifestPath, 'utf8').catch(() => null)) !== manifestText) await writeFile(manifestPath, manifestText);
  // Drop files a previous build or package version had and this one does not (unhashed names
  // of older builds, hashes of older versions).
  const keep = new Set([...Object.values(manifest), MANIFEST]);
  for (const name of await readdir(mediapipeOut)) {
    if (!keep.has(name)) await rm(path.join(mediapipeOut, name), { recursive: true, force: true });
  }
  return { count: wanted.length, copied };
}

const started = Date.now();
const [outputs, mp] = await Promise.all([bundle(), copyMediapipe()]);
console.log(
  `built ${outputs.join(', ')}; dist/mediapipe: ${mp.count} files (${mp.copied} copied) in ${Date.now() - started} ms`,
);
