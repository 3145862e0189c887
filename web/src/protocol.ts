// The live-session protocol (docs/live-sessions.md) and the blazepose-json frame format
// (docs/motion-formats.md), as types and small pure helpers.

/** One landmark as sent: x, y, z, visibility. */
export type Point4 = [number, number, number, number];

/** The optional first message of a connection (and first line of a blazepose-json file). */
export interface Header {
  format: 'physio-blazepose';
  version: 1;
  image_width: number;
  image_height: number;
}

/** One frame: seconds since the session started, 33 image landmarks, optional world landmarks. */
export interface Frame {
  t: number;
  landmarks: Point4[];
  world?: Point4[];
}

export interface SessionEvent {
  type: 'session';
  session_id: string;
  exercise: string;
  resumed: boolean;
  reps: number;
}
export interface RepStartedEvent {
  type: 'rep_started';
  index: number;
  t: number;
}
export interface RepCompletedEvent {
  type: 'rep_completed';
  index: number;
  start_s?: number;
  end_s?: number;
  peak_deg?: number;
  rom_deg?: number;
  duration_s?: number;
  correct?: boolean;
  errors?: string[];
}
export interface FormWarningEvent {
  type: 'form_warning';
  t: number;
  error: string;
  value?: number;
}
export interface HoldProgressEvent {
  type: 'hold_progress';
  t: number;
  held_s: number;
  target_s: number;
}
export interface SetCompleteEvent {
  type: 'set_complete';
  t: number;
  reps: number;
}
/**
 * The exercise's movement could not be measured for about a second because these joints
 * (snake_case of `physio_motion::skeleton::Joint`) are not visible; empty when the person is
 * not seen at all. Lasts until `signal_found`.
 */
export interface SignalLostEvent {
  type: 'signal_lost';
  t: number;
  joints: string[];
}
/** The movement can be measured again. */
export interface SignalFoundEvent {
  type: 'signal_found';
  t: number;
}
export interface ErrorEvent {
  type: 'error';
  message: string;
}
export interface SummaryEvent {
  type: 'summary';
  session_id?: string;
  rep_count: number;
  correct_count?: number;
  duration_s?: number;
}

export type ServerEvent =
  | SessionEvent
  | RepStartedEvent
  | RepCompletedEvent
  | FormWarningEvent
  | HoldProgressEvent
  | SetCompleteEvent
  | SignalLostEvent
  | SignalFoundEvent
  | ErrorEvent
  | SummaryEvent;

const KNOWN = new Set([
  'session',
  'rep_started',
  'rep_completed',
  'form_warning',
  'hold_progress',
  'set_complete',
  'signal_lost',
  'signal_found',
  'error',
  'summary',
]);

/** Parses a server message; `null` for anything that is not a known event. */
export function parseEvent(text: string): ServerEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !KNOWN.has(type)) return null;
  if (type === 'signal_lost') {
    // The joints are shown to the patient: keep only names, and none when the list is malformed.
    const joints = (value as { joints?: unknown }).joints;
    const names = Array.isArray(joints) ? joints.filter((j): j is string => typeof j === 'string') : [];
    return { ...(value as SignalLostEvent), joints: names };
  }
  return value as ServerEvent;
}

/** The number of landmarks MediaPipe Pose gives. */
export const LANDMARK_COUNT = 33;

export function makeHeader(width: number, height: number): Header {
  return { format: 'physio-blazepose', version: 1, image_width: Math.round(width), image_height: Math.round(height) };
}

/** The WebSocket URL for this page: same host, ws: or wss: to match the page. */
export function socketUrl(loc: Pick<Location, 'protocol' | 'host'>, path: string, exercise: string, session?: string): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  let url = `${scheme}//${loc.host}${path}?exercise=${encodeURIComponent(exercise)}`;
  if (session) url += `&session=${encodeURIComponent(session)}`;
  return url;
}

// ---- the compact binary frame encoding ------------------------------------------------------
//
// One frame per binary WebSocket message, all little-endian (docs/live-sessions.md; decoded by
// `decode_binary_frame` in crates/motion/src/formats/blazepose.rs):
//
//   bytes 0–7   t, f64 seconds
//   byte  8     flags: bit 0 = world landmarks follow the image landmarks
//   byte  9     landmark count n (33)
//   10…         n × [x, y, z, visibility] as f32: the image landmarks
//   then        if flag bit 0: n × [x, y, z, visibility] as f32: the world landmarks
//
// The header, `end` and pings stay JSON text messages.

/** Bytes before the first landmark: t (8), flags (1), count (1). */
export const BINARY_HEAD_BYTES = 10;
/** Flags bit 0: world landmarks follow the image landmarks. */
export const BINARY_FLAG_WORLD = 1;
/** Bytes per landmark: four f32. */
const BYTES_PER_POINT = 16;

/** The size of a binary frame of `count` landmarks, with or without world landmarks. */
export function binaryFrameBytes(count: number, world: boolean): number {
  return BINARY_HEAD_BYTES + count * BYTES_PER_POINT * (world ? 2 : 1);
}

/** The landmark count of a frame as the binary encoding carries it; throws if it cannot. */
function binaryCount(frame: Frame): number {
  const n = frame.landmarks.length;
  if (!Number.isInteger(n) || n < 0 || n > 255) throw new RangeError(`binary frame: ${n} landmarks do not fit in one byte`);
  if (frame.world !== undefined && frame.world.length !== n) {
    throw new RangeError(`binary frame: ${frame.world.length} world landmarks for ${n} image landmarks`);
  }
  return n;
}

/** Writes `frame` into `view`, which must be exactly `binaryFrameBytes` long. */
function writeBinaryFrame(view: DataView, frame: Frame, n: number): void {
  view.setFloat64(0, frame.t, true);
  view.setUint8(8, frame.world !== undefined ? BINARY_FLAG_WORLD : 0);
  view.setUint8(9, n);
  let at = BINARY_HEAD_BYTES;
  const put = (list: readonly Point4[]): void => {
    for (let k = 0; k < n; k++) {
      const p = list[k] as Point4;
      view.setFloat32(at, p[0], true);
      view.setFloat32(at + 4, p[1], true);
      view.setFloat32(at + 8, p[2], true);
      // A three-value landmark means fully visible, as in blazepose-json.
      view.setFloat32(at + 12, p[3] ?? 1, true);
      at += BYTES_PER_POINT;
    }
  };
  put(frame.landmarks);
  if (frame.world !== undefined) put(frame.world);
}

/** One frame in the binary encoding, in a new ArrayBuffer of its own. */
export function encodeBinaryFrame(frame: Frame): ArrayBuffer {
  const n = binaryCount(frame);
  const buf = new ArrayBuffer(binaryFrameBytes(n, frame.world !== undefined));
  writeBinaryFrame(new DataView(buf), frame, n);
  return buf;
}

/**
 * Encodes frames into one reused buffer per frame size (a session has one or two sizes), so
 * streaming allocates nothing per frame. The buffer returned is overwritten by the next call:
 * send it at once (`WebSocket.send` copies the bytes) or copy it (`slice()`) to keep it.
 */
export class BinaryFrameEncoder {
  private readonly views = new Map<number, DataView>();

  encode(frame: Frame): ArrayBuffer {
    const n = binaryCount(frame);
    const size = binaryFrameBytes(n, frame.world !== undefined);
    let view = this.views.get(size);
    if (view === undefined) {
      view = new DataView(new ArrayBuffer(size));
      this.views.set(size, view);
    }
    writeBinaryFrame(view, frame, n);
    return view.buffer as ArrayBuffer;
  }
}

/** Landmark-like input (MediaPipe's NormalizedLandmark). */
export interface LandmarkLike {
  x: number;
  y: number;
  z: number;
  visibility?: number;
}

const round = (v: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** MediaPipe landmarks to the wire form, rounded (5 decimals is far below the model's noise). */
export function toPoints(list: readonly LandmarkLike[]): Point4[] {
  return list.map((p) => [round(p.x, 5), round(p.y, 5), round(p.z, 5), round(p.visibility ?? 1, 3)]);
}

function isPointList(v: unknown): v is Point4[] {
  return (
    Array.isArray(v) &&
    v.length === LANDMARK_COUNT &&
    v.every((p) => Array.isArray(p) && p.length >= 3 && p.length <= 4 && p.every((n) => typeof n === 'number' && Number.isFinite(n)))
  );
}

/** Reads one blazepose-json frame object; `null` if it is not one. Visibility defaults to 1. */
export function asFrame(v: unknown): Frame | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as { t?: unknown; landmarks?: unknown; world?: unknown };
  if (typeof o.t !== 'number' || !Number.isFinite(o.t) || !isPointList(o.landmarks)) return null;
  const full = (list: Point4[]): Point4[] => list.map((p) => (p.length === 4 ? p : [p[0], p[1], p[2], 1]));
  const frame: Frame = { t: o.t, landmarks: full(o.landmarks) };
  if (o.world !== undefined && o.world !== null) {
    if (!isPointList(o.world)) return null;
    frame.world = full(o.world);
  }
  return frame;
}

/** A parsed blazepose-json file. */
export interface Recording {
  header: Header | null;
  frames: Frame[];
  /** Lines that were neither a header nor a frame (1-based line numbers). */
  skipped: number[];
}

/** Parses blazepose-json (JSON Lines): optional header line, then frames with increasing `t`. */
export function parseRecording(text: string): Recording {
  const out: Recording = { header: null, frames: [], skipped: [] };
  const lines = text.split(/\r?\n/);
  let lastT = -Infinity;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      out.skipped.push(i + 1);
      return;
    }
    if (typeof v === 'object' && v !== null && 'format' in v && !('landmarks' in v)) {
      const h = v as Partial<Header>;
      if (out.header === null && out.frames.length === 0 && typeof h.image_width === 'number' && typeof h.image_height === 'number') {
        out.header = makeHeader(h.image_width, h.image_height);
      } else {
        out.skipped.push(i + 1);
      }
      return;
    }
    const frame = asFrame(v);
    if (frame === null || frame.t <= lastT) {
      out.skipped.push(i + 1);
      return;
    }
    lastT = frame.t;
    out.frames.push(frame);
  });
  return out;
}
