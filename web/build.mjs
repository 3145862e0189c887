// Builds the browser code into web/dist/, which Physio serves under /web/:
//   dist/live.js (+ .map)   the camera session page, bundled from src/live.ts (ESM, minified)
//   dist/live.css (+ .map)  its styles (imported by live.ts; live.js links it if the page does not)
//   dist/runner.js (+ .map) the guided session's hold and rest timers, from src/runner.ts
//   dist/passkeys.js (+ .map) passkey sign-in and registration, from src/passkeys.ts
//   dist/print.js (+ .map)  the Print button of the printable programme, from src/print.ts
//   dist/mediapipe/         the runtime files of @mediapipe/pose (pose.js, wasm, models, graph)
// Idempotent: running it twice gives the same tree; unchanged MediaPipe files are not re-copied.
// Nothing is fetched at run time: everything the page loads comes from this folder.

import { copyFile, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
const mediapipeOut = path.join(dist, 'mediapipe');

// Files of the npm package that the browser never loads.
const NOT_RUNTIME = new Set(['package.json', 'README.md', 'index.d.ts', 'LICENSE']);

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
    .map((e) => e.name);
  if (!wanted.includes('pose.js')) throw new Error(`${pkgDir} has no pose.js: is @mediapipe/pose installed?`);

  let copied = 0;
  for (const name of wanted) {
    const from = path.join(pkgDir, name);
    const to = path.join(mediapipeOut, name);
    const src = await stat(from);
    const dst = await stat(to).catch(() => null);
    if (dst && dst.size === src.size && dst.mtimeMs >= src.mtimeMs) continue;
    await copyFile(from, to);
    copied += 1;
  }
  // Drop files a previous version of the package had and this one does not.
  for (const name of await readdir(mediapipeOut)) {
    if (!wanted.includes(name)) await rm(path.join(mediapipeOut, name), { recursive: true, force: true });
  }
  return { count: wanted.length, copied };
}

const started = Date.now();
const [outputs, mp] = await Promise.all([bundle(), copyMediapipe()]);
console.log(
  `built ${outputs.join(', ')}; dist/mediapipe: ${mp.count} files (${mp.copied} copied) in ${Date.now() - started} ms`,
);
