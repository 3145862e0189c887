// Replay mode: stream a recorded blazepose-json file instead of the camera, at its own
// timestamps (divided by a speed factor), through the same session as a live camera would.

import { parseRecording, type Frame, type Recording } from './protocol';

export interface ReplayParams {
  url: string;
  speed: number;
}

/** Reads `?replay=<url>&speed=<n>` from a page URL; null when there is no `replay`. */
export function replayParams(href: string): ReplayParams | null {
  const url = new URL(href);
  const replay = url.searchParams.get('replay');
  if (!replay) return null;
  const speed = Number(url.searchParams.get('speed') ?? '1');
  return { url: replay, speed: Number.isFinite(speed) && speed > 0 ? Math.min(speed, 100) : 1 };
}

/**
 * Fetches and parses a recording. Only this site's own addresses are accepted: a link must not
 * be able to make a patient stream someone else's data into their record.
 */
export async function loadRecording(src: string, base: string): Promise<Recording> {
  const url = new URL(src, base);
  if (url.origin !== new URL(base).origin) {
    throw new Error(`replay: ${url.href} is not on this site`);
  }
  const res = await fetch(url, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`replay: GET ${url.pathname} answered ${res.status}`);
  const rec = parseRecording(await res.text());
  if (rec.skipped.length > 0) {
    console.warn(`replay: skipped ${rec.skipped.length} line(s) that are not frames: ${rec.skipped.slice(0, 10).join(', ')}`);
  }
  if (rec.frames.length === 0) throw new Error(`replay: ${url.pathname} holds no frames`);
  return rec;
}

/**
 * Plays frames on the wall clock: frame i is delivered at (t_i − t_0) / speed seconds after
 * start. Late frames are delivered at once, in order (none is dropped). Returns a stop function.
 */
export function playFrames(
  frames: readonly Frame[],
  speed: number,
  onFrame: (frame: Frame) => void,
  onDone: () => void,
): () => void {
  const t0 = frames[0]?.t ?? 0;
  const started = performance.now();
  let i = 0;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const step = (): void => {
    if (stopped) return;
    const elapsed = (performance.now() - started) / 1000;
    while (i < frames.length) {
      const f = frames[i] as Frame;
      if ((f.t - t0) / speed > elapsed) break;
      onFrame(f);
      i += 1;
    }
    if (i >= frames.length) {
      stopped = true;
      onDone();
      return;
    }
    const due = ((frames[i] as Frame).t - t0) / speed;
    timer = setTimeout(step, Math.max(0, (due - elapsed) * 1000));
  };
  step();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
