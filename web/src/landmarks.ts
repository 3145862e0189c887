// MediaPipe Pose landmarks: the skeleton to draw, the in-frame check for calibration, and a
// simple movement signal for the range bar.

import type { Point4 } from './protocol';

/** MediaPipe Pose landmark indices used here. */
export const L = {
  nose: 0,
  leftEar: 7,
  rightEar: 8,
  leftShoulder: 11,
  rightShoulder: 12,
  leftElbow: 13,
  rightElbow: 14,
  leftWrist: 15,
  rightWrist: 16,
  leftHip: 23,
  rightHip: 24,
  leftKnee: 25,
  rightKnee: 26,
  leftAnkle: 27,
  rightAnkle: 28,
  leftHeel: 29,
  rightHeel: 30,
  leftFoot: 31,
  rightFoot: 32,
} as const;

/** The bones drawn: body, arms, legs, feet, and a simple head (nose to ears). */
export const BONES: ReadonlyArray<readonly [number, number]> = [
  [L.leftShoulder, L.rightShoulder],
  [L.leftShoulder, L.leftElbow],
  [L.leftElbow, L.leftWrist],
  [L.rightShoulder, L.rightElbow],
  [L.rightElbow, L.rightWrist],
  [L.leftShoulder, L.leftHip],
  [L.rightShoulder, L.rightHip],
  [L.leftHip, L.rightHip],
  [L.leftHip, L.leftKnee],
  [L.leftKnee, L.leftAnkle],
  [L.rightHip, L.rightKnee],
  [L.rightKnee, L.rightAnkle],
  [L.leftAnkle, L.leftHeel],
  [L.leftHeel, L.leftFoot],
  [L.leftAnkle, L.leftFoot],
  [L.rightAnkle, L.rightHeel],
  [L.rightHeel, L.rightFoot],
  [L.rightAnkle, L.rightFoot],
  [L.nose, L.leftEar],
  [L.nose, L.rightEar],
];

const JOINTS: readonly number[] = [...new Set(BONES.flat())];

/** Below this visibility a landmark is treated as not seen (as the server's filter does). */
export const MIN_VISIBILITY = 0.5;

export interface SkeletonStyle {
  /** Colour of the bones. */
  line: string;
  /** Colour of the joints. */
  joint: string;
}

export const STYLE_NORMAL: SkeletonStyle = { line: '#ffffff', joint: '#ffbf47' };
export const STYLE_READY: SkeletonStyle = { line: '#b8f0c8', joint: '#2ea55a' };

/** Draws the skeleton of normalised landmarks onto the whole canvas (cleared first if asked). */
export function drawSkeleton(
  ctx: CanvasRenderingContext2D,
  points: readonly Point4[] | null,
  style: SkeletonStyle = STYLE_NORMAL,
): void {
  const { width: w, height: h } = ctx.canvas;
  ctx.clearRect(0, 0, w, h);
  if (!points) return;
  const seen = (i: number): Point4 | null => {
    const p = points[i];
    return p && p[3] >= MIN_VISIBILITY ? p : null;
  };
  const unit = Math.max(2, Math.min(w, h) / 110);
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  // A dark casing under light bones keeps them visible on any background.
  for (const [pass, colour, width] of [
    [0, 'rgba(8, 24, 36, 0.85)', unit * 2.2],
    [1, style.line, unit],
  ] as const) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.beginPath();
    for (const [a, b] of BONES) {
      const p = seen(a);
      const q = seen(b);
      if (!p || !q) continue;
      ctx.moveTo(p[0] * w, p[1] * h);
      ctx.lineTo(q[0] * w, q[1] * h);
    }
    ctx.stroke();
    if (pass === 1) {
      for (const i of JOINTS) {
        const p = seen(i);
        if (!p) continue;
        ctx.beginPath();
        ctx.arc(p[0] * w, p[1] * h, unit * 1.3, 0, Math.PI * 2);
        ctx.fillStyle = style.joint;
        ctx.fill();
        ctx.lineWidth = unit * 0.6;
        ctx.strokeStyle = 'rgba(8, 24, 36, 0.85)';
        ctx.stroke();
      }
    }
  }
}

/** What the in-frame check found. */
export type FramingProblem = 'nobody' | 'head' | 'hands' | 'feet' | 'sides' | 'body' | null;

/** The landmarks that must be in the picture, as pairs (left, right) or single points. */
const KEY_PAIRS: ReadonlyArray<readonly [number, number, Exclude<FramingProblem, null>]> = [
  [L.leftShoulder, L.rightShoulder, 'body'],
  [L.leftHip, L.rightHip, 'body'],
  [L.leftElbow, L.rightElbow, 'hands'],
  [L.leftWrist, L.rightWrist, 'hands'],
  [L.leftKnee, L.rightKnee, 'feet'],
  [L.leftAnkle, L.rightAnkle, 'feet'],
];

/** Margin (fraction of the picture) a key landmark must keep from the edge. */
const EDGE = 0.02;

const inPicture = (p: Point4 | undefined, threshold: number): boolean =>
  !!p && p[3] >= threshold && p[0] >= EDGE && p[0] <= 1 - EDGE && p[1] >= EDGE && p[1] <= 1 - EDGE;

/**
 * Is the whole body in the picture? Facing the camera (`front`) both sides must be seen; side-on
 * (`side`) the near side is enough for each pair. Returns the first problem, or null.
 */
export function framingProblem(points: readonly Point4[] | null, view: string, threshold = 0.6): FramingProblem {
  if (!points || points.length < 33) return 'nobody';
  const ok = (i: number): boolean => inPicture(points[i], threshold);
  const either = view === 'side';
  const offEdge = (i: number): boolean => {
    const p = points[i];
    return !!p && (p[0] < EDGE || p[0] > 1 - EDGE);
  };
  if (!ok(L.nose) && !ok(L.leftEar) && !ok(L.rightEar)) return 'head';
  const missing: Array<Exclude<FramingProblem, null>> = [];
  let sideways = false;
  for (const [a, b, problem] of KEY_PAIRS) {
    const fine = either ? ok(a) || ok(b) : ok(a) && ok(b);
    if (!fine) {
      missing.push(problem);
      if (offEdge(a) || offEdge(b)) sideways = true;
    }
  }
  if (missing.length === 0) return null;
  if (sideways) return 'sides';
  if (missing.includes('feet')) return 'feet';
  if (missing.includes('hands')) return 'hands';
  return 'body';
}

/** Landmarks whose movement the range bar follows. */
const MOVERS: readonly number[] = [
  L.nose,
  L.leftShoulder,
  L.rightShoulder,
  L.leftElbow,
  L.rightElbow,
  L.leftWrist,
  L.rightWrist,
  L.leftHip,
  L.rightHip,
  L.leftKnee,
  L.rightKnee,
  L.leftAnkle,
  L.rightAnkle,
];

const mid = (a: Point4, b: Point4): [number, number] => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];

/**
 * A movement signal for the range bar, computed on the device: how far the landmark that moved
 * most is from where it was at rest, in trunk lengths. The exercise-specific angles stay on the
 * server; this only needs to rise during a repetition and fall back at rest.
 */
export class MovementSignal {
  private rest: Point4[] | null = null;
  private sum: number[][] = [];
  private count = 0;
  private trunk = 0;
  private aspect = 1;

  constructor(aspect: number) {
    this.aspect = aspect > 0 ? aspect : 1;
  }

  /** Adds a frame to the rest pose being averaged (calibration). */
  addRest(points: readonly Point4[]): void {
    if (this.sum.length === 0) this.sum = points.map(() => [0, 0, 0]);
    points.forEach((p, i) => {
      const s = this.sum[i];
      if (!s || p[3] < MIN_VISIBILITY) return;
      s[0] = (s[0] ?? 0) + p[0];
      s[1] = (s[1] ?? 0) + p[1];
      s[2] = (s[2] ?? 0) + 1;
    });
    this.count += 1;
  }

  /** Fixes the rest pose from the frames added so far; false if the trunk was not seen. */
  finishRest(): boolean {
    if (this.count === 0) return false;
    const rest: Point4[] = this.sum.map((s) => {
      const n = s[2] ?? 0;
      return n > 0 ? [(s[0] ?? 0) / n, (s[1] ?? 0) / n, 0, n / this.count] : [0, 0, 0, 0];
    });
    const ls = rest[L.leftShoulder];
    const rs = rest[L.rightShoulder];
    const lh = rest[L.leftHip];
    const rh = rest[L.rightHip];
    if (!ls || !rs || !lh || !rh) return false;
    const shoulders = mid(ls, rs);
    const hips = mid(lh, rh);
    this.trunk = Math.hypot((shoulders[0] - hips[0]) * this.aspect, shoulders[1] - hips[1]);
    if (!(this.trunk > 0.02)) return false;
    this.rest = rest;
    return true;
  }

  get ready(): boolean {
    return this.rest !== null;
  }

  /** The signal for a frame (0 at rest), or null before the rest pose is known. */
  value(points: readonly Point4[]): number | null {
    const rest = this.rest;
    if (!rest) return null;
    let best = 0;
    for (const i of MOVERS) {
      const p = points[i];
      const r = rest[i];
      if (!p || !r || p[3] < MIN_VISIBILITY || r[3] < 0.5) continue;
      const d = Math.hypot((p[0] - r[0]) * this.aspect, p[1] - r[1]) / this.trunk;
      if (d > best) best = d;
    }
    return best;
  }
}

/**
 * Turns the movement signal into a fill fraction of the range bar: the target is the median
 * peak of the last few counted repetitions (or a starting guess before the first).
 */
export class RangeGauge {
  private peaks: number[] = [];
  private currentPeak = 0;
  /** Starting guess for the target, in trunk lengths. */
  private static readonly FIRST_TARGET = 0.9;
  /** Movement below this (trunk lengths) is treated as standing still. */
  private static readonly DEADBAND = 0.06;

  /** Fill fraction in [0, 1] for a signal value. */
  fill(signal: number): number {
    this.currentPeak = Math.max(this.currentPeak, signal);
    const moved = Math.max(0, signal - RangeGauge.DEADBAND);
    const target = Math.max(0.2, this.target() - RangeGauge.DEADBAND);
    return Math.min(1, moved / target);
  }

  /** A repetition was counted: its peak becomes part of the target. */
  repDone(): void {
    if (this.currentPeak > RangeGauge.DEADBAND * 2) {
      this.peaks.push(this.currentPeak);
      if (this.peaks.length > 3) this.peaks.shift();
    }
    this.currentPeak = 0;
  }

  target(): number {
    if (this.peaks.length === 0) return RangeGauge.FIRST_TARGET;
    const sorted = [...this.peaks].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? RangeGauge.FIRST_TARGET;
  }
}
