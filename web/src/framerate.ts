// How fast pose estimation runs on this device, and when to switch MediaPipe to its lite model.

/**
 * Below this many pose results a second, tracking is too slow. Why 10: the shortest repetition
 * the motion engine accepts lasts 1 s (`min_rep_s` in crates/motion/src/exercises.rs), and at
 * 10 results a second that is still 10 samples, so its start, turn and end each fall within a
 * tenth of a second (the accuracy target for boundaries is 0.3 s); the engine's smoothing
 * filter passes movement up to about 2 Hz, which 10 samples a second still capture (their
 * Nyquist limit is 5 Hz). Below it, a quick repetition shrinks to a handful of samples and its
 * turning point can fall between two of them, and MediaPipe, which looks for the body near
 * where it was in the previous result, loses a moving limb more often.
 */
export const SLOW_FPS = 10;

/**
 * The rate is judged over this many seconds, so that one slow frame (a garbage collection,
 * the model loading) does not switch the model: only a slow rate sustained this long does.
 */
export const WINDOW_S = 4;

/**
 * Pose results per second over a sliding window of the last `windowS` seconds, as the inverse of
 * the median time between results: a single stall, however long, moves the median by at most
 * one interval, while a device that is slow all along moves all of them.
 */
export class FrameRate {
  private readonly windowMs: number;
  private times: number[] = [];
  private since = -1;

  constructor(windowS = WINDOW_S) {
    this.windowMs = windowS * 1000;
  }

  /** Forgets every result (after the model changed, the rate must be measured again). */
  reset(): void {
    this.times = [];
    this.since = -1;
  }

  /**
   * Records one result at `now` (ms, `performance.now()`). Returns the rate over the window
   * once results have been measured for a whole window, else null.
   */
  tick(now: number): number | null {
    if (this.since < 0) this.since = now;
    this.times.push(now);
    const from = now - this.windowMs;
    let drop = 0;
    while (drop < this.times.length && (this.times[drop] ?? now) < from) drop += 1;
    // Keep the last result before the window: the interval from it into the window is real, and
    // on a device that needs longer than the window per result it is the only one there is.
    if (drop > 1) this.times.splice(0, drop - 1);
    if (now - this.since < this.windowMs || this.times.length < 2) return null;
    const gaps: number[] = [];
    for (let i = 1; i < this.times.length; i++) gaps.push((this.times[i] ?? 0) - (this.times[i - 1] ?? 0));
    gaps.sort((a, b) => a - b);
    const mid = gaps.length >> 1;
    const median = gaps.length % 2 === 1 ? (gaps[mid] ?? 0) : ((gaps[mid - 1] ?? 0) + (gaps[mid] ?? 0)) / 2;
    return median > 0 ? 1000 / median : null;
  }
}

/** What the page has done about the speed: nothing, lite model, or lite and still too slow. */
export type TrackerSpeed = 'normal' | 'lite' | 'too-slow';

/**
 * Watches the rate and says when to act: `'lite'` once the full model runs below `SLOW_FPS`
 * for a whole window; `'too-slow'` when the lite model does too; back to `'lite'` if the lite
 * model later keeps up for a whole window. Returns null when nothing changes.
 */
export class SpeedGuard {
  private readonly rate: FrameRate;
  private state: TrackerSpeed;
  private lastFps: number | null = null;

  /** `start` is `'lite'` when the page already runs the lite model (a second set). */
  constructor(rate = new FrameRate(), start: TrackerSpeed = 'normal') {
    this.rate = rate;
    this.state = start;
  }

  get speed(): TrackerSpeed {
    return this.state;
  }

  /** The rate of the last full window, for display and tests. */
  get fps(): number | null {
    return this.lastFps;
  }

  tick(now: number): TrackerSpeed | null {
    const fps = this.rate.tick(now);
    if (fps === null) return null;
    this.lastFps = fps;
    const slow = fps < SLOW_FPS;
    if (this.state === 'normal' && slow) return this.moveTo('lite');
    if (this.state === 'lite' && slow) return this.moveTo('too-slow');
    if (this.state === 'too-slow' && !slow) return this.moveTo('lite');
    return null;
  }

  private moveTo(state: TrackerSpeed): TrackerSpeed {
    this.state = state;
    // A new model, or a new verdict: measure a whole window afresh before the next one.
    this.rate.reset();
    return state;
  }
}
