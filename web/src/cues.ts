// Words for the server's form errors, one cue on screen at a time, and speech.

/** Short, plain cues for the motion engine's form error ids (our own words). */
export const CUES: Readonly<Record<string, string>> = {
  trunk_lean: 'Keep your body upright',
  shoulder_hike: 'Keep your shoulders down and relaxed',
  too_fast: 'Slow down a little',
  too_little_range: 'Try to move a little further',
  beyond_max_range: 'No need to go so far',
  lumbar_arch: 'Keep your lower back flat',
  asymmetry: 'Move both sides evenly',
  pelvis_rotation: 'Keep your hips facing forward',
  wrong_plane: 'Follow the path shown in the picture',
  hold_too_short: 'Hold the end position a little longer',
  elbow_bent: 'Keep your elbow straight',
  knee_bent: 'Keep your knee straight',
  head_nod: 'Slide your head back without nodding',
  arm_position: 'Check the position of your arms',
};

/** The cue for an error id; unknown ids get a general one. */
export function cueFor(error: string): string {
  return CUES[error] ?? 'Check your position against the picture';
}

/**
 * Where the patient's choice to turn the voice off is kept: one choice for every page that
 * speaks (the camera page and the session's timers).
 */
export const VOICE_OFF_KEY = 'physio.live.muted';

/** A yes/no kept in `localStorage`; false when storage is blocked or nothing is kept. */
export function storedFlag(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

/** Keeps a yes/no in `localStorage`; blocked storage just means it is not remembered. */
export function storeFlag(key: string, on: boolean): void {
  try {
    localStorage.setItem(key, on ? '1' : '0');
  } catch {
    // Not remembered; fine.
  }
}

/** Numbers up to 20 as words, for speech. */
const WORDS = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty',
];
export function countWord(n: number): string {
  return WORDS[n] ?? String(n);
}

/**
 * Shows one cue at a time in an element, never a stack: a cue stays at least `minMs`; a newer
 * one waits (only the newest waits) and replaces it then; a cue disappears after `showMs`.
 * A pinned message (the camera cannot see the person) outranks every cue: it stays until
 * unpinned, and form cues that arrive meanwhile are dropped, since they were measured on a body
 * the camera could not see.
 */
export class CueBoard {
  private shownAt = 0;
  private pending: string | null = null;
  private pinned: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly el: HTMLElement;
  private readonly minMs: number;
  private readonly showMs: number;
  private readonly onShow: (text: string) => void;

  constructor(el: HTMLElement, onShow: (text: string) => void, minMs = 2500, showMs = 5000) {
    this.el = el;
    this.onShow = onShow;
    this.minMs = minMs;
    this.showMs = showMs;
  }

  show(text: string): void {
    if (this.pinned !== null) return;
    const now = performance.now();
    const current = this.el.textContent ?? '';
    if (current === text && now - this.shownAt < this.showMs) return;
    if (current !== '' && now - this.shownAt < this.minMs) {
      this.pending = text;
      this.schedule(this.minMs - (now - this.shownAt));
      return;
    }
    this.put(text);
  }

  clear(): void {
    clearTimeout(this.timer);
    this.pending = null;
    this.pinned = null;
    this.el.textContent = '';
  }

  /** Shows `text` at once, in place of any cue, until `unpin`. */
  pin(text: string): void {
    clearTimeout(this.timer);
    this.pending = null;
    const changed = this.pinned !== text;
    this.pinned = text;
    this.el.textContent = text;
    this.el.dataset.pinned = 'true';
    if (changed) this.onShow(text);
  }

  /** Takes the pinned message away (cues show again). */
  unpin(): void {
    if (this.pinned === null) return;
    this.pinned = null;
    delete this.el.dataset.pinned;
    this.el.textContent = '';
    this.shownAt = 0;
  }

  get isPinned(): boolean {
    return this.pinned !== null;
  }

  private put(text: string): void {
    this.el.textContent = text;
    this.shownAt = performance.now();
    this.pending = null;
    this.onShow(text);
    this.schedule(this.showMs);
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.pending !== null) this.put(this.pending);
      else this.el.textContent = '';
    }, Math.max(0, ms));
  }
}

/**
 * Speaks short phrases with the Web Speech API, never more often than every `gapMs`: a phrase
 * that comes too soon waits, and only the newest waiting phrase is kept (counts win over cues
 * that are already stale).
 */
export class Speaker {
  private last = -Infinity;
  private pending: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private muted: boolean;
  private readonly gapMs: number;

  constructor(gapMs = 2000, muted = false) {
    this.gapMs = gapMs;
    this.muted = muted;
  }

  static get available(): boolean {
    return typeof window !== 'undefined' && 'speechSynthesis' in window && typeof SpeechSynthesisUtterance !== 'undefined';
  }

  get isMuted(): boolean {
    return this.muted;
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    if (muted) {
      this.pending = null;
      clearTimeout(this.timer);
      if (Speaker.available) window.speechSynthesis.cancel();
    }
  }

  say(text: string): void {
    if (this.muted || !Speaker.available) return;
    const wait = this.last + this.gapMs - performance.now();
    if (wait > 0) {
      this.pending = text;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        const next = this.pending;
        this.pending = null;
        if (next !== null) this.say(next);
      }, wait);
      return;
    }
    this.last = performance.now();
    try {
      const u = new SpeechSynthesisUtterance(text);
      u.lang = document.documentElement.lang || 'en';
      u.rate = 0.95;
      window.speechSynthesis.cancel();
      window.speechSynthesis.speak(u);
    } catch (err) {
      console.warn('live: speech failed', err);
    }
  }
}
