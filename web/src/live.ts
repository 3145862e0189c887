// The camera session page (/exercise/{id}): camera → MediaPipe Pose → landmarks over a
// WebSocket to the server's motion engine → counts, cues and a summary back. Replay mode
// (?replay=<url>&speed=<n>) streams a recorded blazepose-json file instead of the camera.
// The page's HTML comes from the server; see docs/live-page.md for the contract.

import './live.css';
import type { Results } from '@mediapipe/pose';
import { BrightnessMeter, CameraError, MIN_BRIGHTNESS, createPose, openCamera, parseFileMap, runPoseLoop, stopCamera } from './camera';
import { CueBoard, Speaker, VOICE_OFF_KEY, countWord, cueFor, storeFlag, storedFlag } from './cues';
import { SpeedGuard, type TrackerSpeed } from './framerate';
import { MovementSignal, RangeGauge, STYLE_NORMAL, STYLE_READY, drawSkeleton, framingProblem, type FramingProblem } from './landmarks';
import { makeHeader, toPoints, type Frame, type Header, type Point4, type ServerEvent, type SummaryEvent } from './protocol';
import { loadRecording, playFrames, replayParams, type ReplayParams } from './replay';
import { LiveSocket } from './socket';
import { unseenMessage } from './unseen';

export type LiveState = 'idle' | 'calibrating' | 'running' | 'finished' | 'error';

/** Seconds the person holds still, fully in view, before counting starts. */
const CALIBRATION_S = 3;
/** Movement (fraction of the picture) that restarts the still-hold during calibration. */
const STILL_TOLERANCE = 0.05;
/** How often the light is measured (ms). */
const BRIGHTNESS_EVERY_MS = 500;
/** How long after `end` the page waits for the summary (ms). */
const SUMMARY_TIMEOUT_MS = 15_000;
/** How long the summary shows before a set that belongs to a guided session returns to it. */
const RETURN_DELAY_MS = 2_000;
/** Frames at the start of a replay averaged into the rest pose. */
const REPLAY_REST_FRAMES = 15;

const FRAMING_ADVICE: Record<Exclude<FramingProblem, null>, string> = {
  nobody: 'We cannot see you yet. Stand about 2 metres from the camera so it can see all of you.',
  head: 'Move so the camera can see your head.',
  hands: 'Step back a little so the camera can see your hands.',
  feet: 'Step back a little so the camera can see your feet.',
  sides: 'Move towards the middle of the picture.',
  body: 'Make sure the camera can see all of your body.',
};
const TOO_DARK = 'It is too dark for the camera. Turn on a light, or face a window.';

/**
 * Set once this page has found the device too slow for the full model: a "Start again" then
 * begins with the lite model instead of loading the full one and measuring again.
 */
let liteFromStart = false;

/** What the page says about a slow device (framerate.ts decides when). */
const SPEED_NOTE: Record<Exclude<TrackerSpeed, 'normal'>, string> = {
  lite: 'Your device is slow, so tracking now uses a lighter mode.',
  'too-slow': 'Your device is too slow for tracking. Counting may miss some repetitions. Closing other apps can help.',
};

function byId<T extends HTMLElement>(id: string, type: { new (): T }): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`live page: #${id} is missing or not a ${type.name}`);
  return el;
}

function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  const rest = s % 60;
  const secs = `${rest} second${rest === 1 ? '' : 's'}`;
  if (m === 0) return secs;
  return `${m} minute${m === 1 ? '' : 's'}${rest ? ` ${secs}` : ''}`;
}

/** Everything on the page, read once. */
class Page {
  readonly root: HTMLElement;
  readonly setup: HTMLElement;
  readonly stage: HTMLElement;
  readonly video: HTMLVideoElement;
  readonly canvas: HTMLCanvasElement;
  readonly ctx: CanvasRenderingContext2D | null;
  readonly status: HTMLElement;
  readonly counter: HTMLElement;
  readonly rangeBar: HTMLElement;
  readonly feedback: HTMLElement;
  readonly start: HTMLButtonElement;
  readonly finish: HTMLButtonElement;
  readonly summary: HTMLElement;
  /** Tells the patient that the device is slow and what the page did about it. */
  readonly trackerNote: HTMLElement;
  /** The way back after the set: to the programme, or to the guided session. */
  readonly doneLink: HTMLAnchorElement;
  readonly check: HTMLElement;
  readonly checkBody: HTMLElement;
  readonly checkLight: HTMLElement;
  readonly sound: HTMLButtonElement | null;

  readonly exercise: string;
  readonly exerciseName: string;
  readonly view: string;
  readonly targetReps: number;
  readonly wsPath: string;
  readonly mediapipePath: string;
  /** MediaPipe's file names → their content-hashed names in `mediapipePath`. */
  readonly mediapipeFiles: ReadonlyMap<string, string>;
  /** Where "Back to your programme" leads (this exercise's card). */
  readonly programmeHref: string;
  /** The guided session this set belongs to: after the set, go back to it with the count. */
  readonly returnTo: string | null;

  constructor(root: HTMLElement) {
    this.root = root;
    this.setup = byId('setup', HTMLElement);
    this.video = byId('camera', HTMLVideoElement);
    this.canvas = byId('overlay', HTMLCanvasElement);
    this.ctx = this.canvas.getContext('2d');
    this.stage = (this.video.closest('.live-stage') as HTMLElement | null) ?? (this.video.parentElement as HTMLElement);
    this.status = byId('status', HTMLElement);
    this.counter = byId('counter', HTMLElement);
    this.rangeBar = byId('range-bar', HTMLElement);
    this.feedback = byId('feedback', HTMLElement);
    this.start = byId('start', HTMLButtonElement);
    this.finish = byId('finish', HTMLButtonElement);
    this.summary = byId('summary', HTMLElement);

    const d = root.dataset;
    this.exercise = d.exercise ?? '';
    this.exerciseName = d.exerciseName ?? '';
    this.view = d.view ?? 'front';
    const target = Number(d.targetReps);
    this.targetReps = Number.isInteger(target) && target > 0 ? target : 0;
    this.wsPath = d.wsPath || '/api/v1/live';
    this.mediapipePath = d.mediapipePath || '/web/mediapipe/';
    this.mediapipeFiles = parseFileMap(d.mediapipeFiles);
    // Only paths on this site: the page sets them, but never follow one elsewhere.
    const local = (v: string | undefined): string | null => (v && v.startsWith('/') && !v.startsWith('//') ? v : null);
    this.returnTo = local(d.returnTo);
    this.programmeHref = local(d.programmeHref) ?? '/programme';

    // The range bar is a picture of what the counter and cues already say in words.
    this.rangeBar.parentElement?.setAttribute('aria-hidden', 'true');
    this.summary.tabIndex = -1;
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.setAttribute('aria-hidden', 'true');
    this.canvas.setAttribute('aria-hidden', 'true');

    // The live check shown during calibration: words and a tick, not colour alone.
    this.check = document.createElement('ul');
    this.check.className = 'live-check';
    this.check.setAttribute('aria-label', 'Camera check');
    this.check.hidden = true;
    this.checkBody = this.checkItem('Your whole body is in the picture');
    this.checkLight = this.checkItem('There is enough light');
    this.status.after(this.check);

    this.trackerNote = document.createElement('p');
    this.trackerNote.id = 'tracker-note';
    this.trackerNote.className = 'live-tracker-note';
    this.trackerNote.setAttribute('role', 'status');
    this.trackerNote.hidden = true;
    this.check.after(this.trackerNote);

    this.doneLink = document.createElement('a');
    this.doneLink.id = 'done-link';
    this.doneLink.className = 'button';
    this.doneLink.hidden = true;
    this.doneLink.href = this.returnTo ?? this.programmeHref;
    this.doneLink.textContent = this.returnTo ? 'Back to your session' : 'Back to your programme';
    this.start.before(this.doneLink);

    this.sound = Speaker.available ? this.makeSoundButton() : null;
  }

  private checkItem(label: string): HTMLElement {
    const li = document.createElement('li');
    const icon = document.createElement('span');
    icon.className = 'live-check-icon';
    icon.setAttribute('aria-hidden', 'true');
    const text = document.createElement('span');
    text.className = 'live-check-text';
    text.dataset.label = label;
    li.append(icon, text);
    this.check.append(li);
    this.setCheck(li, false);
    return li;
  }

  setCheck(item: HTMLElement, ok: boolean): void {
    if (item.dataset.ok === String(ok)) return;
    item.dataset.ok = String(ok);
    const icon = item.querySelector('.live-check-icon');
    const text = item.querySelector<HTMLElement>('.live-check-text');
    if (icon) icon.textContent = ok ? '✓' : '✗';
    if (text) text.textContent = `${text.dataset.label ?? ''}: ${ok ? 'yes' : 'not yet'}`;
  }

  private makeSoundButton(): HTMLButtonElement {
    const b = document.createElement('button');
    b.type = 'button';
    b.id = 'sound';
    b.className = 'button-secondary live-sound';
    this.finish.after(b);
    return b;
  }

  setStatus(text: string): void {
    if (this.status.textContent !== text) this.status.textContent = text;
  }

  setCount(n: number): void {
    this.counter.textContent = String(n);
  }

  setRange(fraction: number): void {
    const f = Math.max(0, Math.min(1, fraction));
    this.rangeBar.style.width = `${(f * 100).toFixed(1)}%`;
    this.rangeBar.classList.toggle('is-at-target', f >= 0.999);
  }

  sizeCanvas(width: number, height: number): void {
    if (this.canvas.width !== width) this.canvas.width = width;
    if (this.canvas.height !== height) this.canvas.height = height;
    this.stage.style.aspectRatio = `${width} / ${height}`;
  }
}

/** States in which the set fills the window (live.css): the picture, the counter, the cue. */
const SESSION_VIEW: ReadonlySet<LiveState> = new Set(['calibrating', 'running', 'finished']);

function setState(page: Page, state: LiveState): void {
  document.body.dataset.liveState = state;
  page.root.dataset.state = state;
  setSessionView(page.root, SESSION_VIEW.has(state));
}

/**
 * While the set fills the window, everything else on the page is `inert`: the keyboard and
 * screen readers cannot wander behind it into links nobody can see.
 */
function setSessionView(root: HTMLElement, on: boolean): void {
  for (let el: HTMLElement | null = root; el && el !== document.body; el = el.parentElement) {
    const parent: HTMLElement | null = el.parentElement;
    const siblings: Element[] = parent ? Array.from(parent.children) : [];
    for (const other of siblings) {
      if (other === el || !(other instanceof HTMLElement)) continue;
      if (on && !other.inert) {
        other.inert = true;
        other.dataset.liveInert = 'true';
      } else if (!on && other.dataset.liveInert) {
        other.inert = false;
        delete other.dataset.liveInert;
      }
    }
  }
}

/** "Keep your body upright" → "keep your body upright", to follow a colon. */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The ids counted most often, most first (at most `n`; ties keep their first-seen order). */
function mostFrequent(tally: ReadonlyMap<string, number>, n: number): string[] {
  return [...tally.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([id]) => id);
}

/** One run from Start to the summary (or an error), camera or replay. */
class Session {
  private readonly page: Page;
  private readonly replay: ReplayParams | null;
  private readonly speaker: Speaker;
  private readonly cues: CueBoard;
  private socket: LiveSocket | null = null;
  private header: Header | null = null;
  private count = 0;
  /** The camera session's id, once the server has opened it. */
  private sessionId: string | null = null;
  private gauge = new RangeGauge();
  private signal: MovementSignal | null = null;
  private state: LiveState = 'idle';
  private lastHoldSecond = -1;
  private ending = false;
  private summaryTimer: ReturnType<typeof setTimeout> | undefined;
  private cleanup: Array<() => void> = [];
  /** Form errors of the counted repetitions, by id: the summary's "to work on". */
  private repErrors = new Map<string, number>();
  /** Form warnings during repetitions, by id: used when no repetition carried its errors. */
  private warnings = new Map<string, number>();
  /** Repetitions the server judged correct, when it says (`rep_completed.correct`). */
  private goodReps = 0;
  private latest: Point4[] | null = null;
  private drawQueued = false;
  private ready = false;
  private readonly onEnd: () => void;

  constructor(page: Page, replay: ReplayParams | null, speaker: Speaker, onEnd: () => void) {
    this.page = page;
    this.replay = replay;
    this.speaker = speaker;
    this.onEnd = onEnd;
    this.cues = new CueBoard(page.feedback, (text) => this.speaker.say(text));
  }

  get current(): LiveState {
    return this.state;
  }

  private setState(state: LiveState): void {
    this.state = state;
    setState(this.page, state);
  }

  async start(): Promise<void> {
    const p = this.page;
    p.summary.hidden = true;
    p.summary.textContent = '';
    p.doneLink.hidden = true;
    p.start.className = 'button';
    p.setCount(0);
    p.setRange(0);
    this.cues.clear();
    p.start.hidden = true;
    p.finish.hidden = false;
    p.finish.disabled = false;
    p.finish.focus();
    try {
      if (this.replay) await this.startReplay(this.replay);
      else await this.startCamera();
    } catch (err) {
      this.fail(err);
    }
  }

  // ---- camera ------------------------------------------------------------------------------

  private async startCamera(): Promise<void> {
    const p = this.page;
    this.setState('calibrating');
    p.check.hidden = false;
    p.stage.classList.add('is-live');
    p.setStatus('Starting the camera…');
    const stream = await openCamera(p.video);
    if (this.ending) {
      // Finish was pressed while the browser asked for permission.
      stopCamera(stream, p.video);
      return;
    }
    this.cleanup.push(() => stopCamera(stream, p.video));
    const w = p.video.videoWidth || 640;
    const h = p.video.videoHeight || 480;
    p.sizeCanvas(w, h);
    this.header = makeHeader(w, h);
    this.openSocket();

    p.setStatus('Loading the movement tracker. This can take a few seconds the first time.');
    const meter = new BrightnessMeter();
    let brightness: number | null = null;
    let measuredAt = -Infinity;
    let stillSince = -1;
    let stillFrom: Point4[] | null = null;
    let signal = new MovementSignal(w / h);
    let runStart = 0;
    let lastT = -1;
    let unseenSince = -1;
    const speed = new SpeedGuard(undefined, liteFromStart ? 'lite' : 'normal');
    let pose: ReturnType<typeof createPose> | null = null;

    const onResults = (results: Results): void => {
      if (this.state !== 'calibrating' && this.state !== 'running') return;
      const now = performance.now();
      const change = speed.tick(now);
      if (speed.fps !== null) p.root.dataset.trackerFps = speed.fps.toFixed(1);
      if (change && pose) this.onSpeed(change, speed.fps, pose);
      if (now - measuredAt > BRIGHTNESS_EVERY_MS) {
        brightness = meter.measure(p.video);
        measuredAt = now;
      }
      const dark = brightness !== null && brightness < MIN_BRIGHTNESS;
      const points = results.poseLandmarks ? toPoints(results.poseLandmarks) : null;

      if (this.state === 'calibrating') {
        const problem = framingProblem(points, p.view);
        p.setCheck(p.checkBody, problem === null);
        p.setCheck(p.checkLight, brightness !== null && !dark);
        const ok = problem === null && !dark && points !== null;
        this.draw(points, ok);
        if (!ok || !points) {
          stillSince = -1;
          p.setStatus(dark ? TOO_DARK : FRAMING_ADVICE[problem ?? 'nobody']);
          return;
        }
        if (stillSince < 0 || !stillFrom || movedFrom(stillFrom, points) > STILL_TOLERANCE) {
          stillSince = now;
          stillFrom = points;
          signal = new MovementSignal(w / h);
        }
        signal.addRest(points);
        const left = CALIBRATION_S - (now - stillSince) / 1000;
        if (left > 0) {
          p.setStatus(`Good. Stand still in the start position: ${Math.ceil(left)}`);
          return;
        }
        if (!signal.finishRest()) {
          stillSince = -1;
          return;
        }
        this.signal = signal;
        runStart = now;
        p.check.hidden = true;
        this.setState('running');
        p.setStatus(`Ready. Start your ${p.exerciseName ? p.exerciseName.toLowerCase() : 'exercise'} now.`);
        this.speaker.say('Ready. Start now.');
        return;
      }

      // running
      this.draw(points, false);
      if (!points) {
        if (unseenSince < 0) unseenSince = now;
        if (now - unseenSince > 1000) p.setStatus('We cannot see you. Step back into the picture.');
        return;
      }
      if (unseenSince >= 0) {
        unseenSince = -1;
        p.setStatus(this.countStatus());
      }
      if (dark) p.setStatus(TOO_DARK);
      let t = Math.round(now - runStart) / 1000;
      if (t <= lastT) t = lastT + 0.001;
      lastT = t;
      const frame: Frame = { t, landmarks: points };
      if (results.poseWorldLandmarks && results.poseWorldLandmarks.length === points.length) {
        frame.world = toPoints(results.poseWorldLandmarks);
      }
      this.socket?.sendFrame(frame);
      this.updateRange(points);
    };

    const tracker = createPose(p.mediapipePath, p.mediapipeFiles, onResults, liteFromStart ? 0 : 1);
    pose = tracker;
    this.cleanup.push(() => void tracker.close().catch(() => undefined));
    await tracker.initialize();
    if (this.ending || this.state !== 'calibrating') return;
    p.setStatus(FRAMING_ADVICE.nobody);
    const stop = runPoseLoop(p.video, tracker, (err) => this.fail(err));
    this.cleanup.push(stop);
  }

  /** The device keeps up with the model, or not (framerate.ts): switch to lite, and say so. */
  private onSpeed(speed: TrackerSpeed, fps: number | null, pose: ReturnType<typeof createPose>): void {
    const p = this.page;
    console.info(`live: pose estimation at ${fps?.toFixed(1) ?? '?'} frames/s: ${speed}`);
    document.body.dataset.trackerSpeed = speed;
    if (speed === 'normal') {
      p.trackerNote.hidden = true;
      return;
    }
    // The lite model is a third of the full one's size and much quicker; MediaPipe loads it on
    // the next frame and the loop goes on.
    if (speed === 'lite') pose.setOptions({ modelComplexity: 0 });
    liteFromStart = true;
    p.trackerNote.textContent = SPEED_NOTE[speed];
    p.trackerNote.hidden = false;
  }

  // ---- replay ------------------------------------------------------------------------------

  private async startReplay(params: ReplayParams): Promise<void> {
    const p = this.page;
    p.stage.classList.add('is-replay');
    p.setStatus('Loading the recording…');
    const rec = await loadRecording(params.url, location.href);
    if (this.ending) return;
    this.header = rec.header;
    const w = rec.header?.image_width ?? 640;
    const h = rec.header?.image_height ?? 480;
    p.sizeCanvas(w, h);

    const signal = new MovementSignal(w / h);
    rec.frames.slice(0, REPLAY_REST_FRAMES).forEach((f) => signal.addRest(f.landmarks));
    if (signal.finishRest()) this.signal = signal;

    this.openSocket();
    this.setState('running');
    p.setStatus(`Playing a recording at ${params.speed}× speed: no camera is used.`);
    const stop = playFrames(
      rec.frames,
      params.speed,
      (frame) => {
        this.socket?.sendFrame(frame);
        this.draw(frame.landmarks, false);
        this.updateRange(frame.landmarks);
      },
      () => this.finish(),
    );
    this.cleanup.push(stop);
  }

  // ---- shared ------------------------------------------------------------------------------

  private openSocket(): void {
    const p = this.page;
    this.socket = new LiveSocket({
      path: p.wsPath,
      exercise: p.exercise,
      header: () => this.header,
      onEvent: (e) => this.onEvent(e),
      onConnection: (c) => {
        if (c === 'reconnecting' && !this.ending) p.setStatus('Connection lost. Reconnecting… Keep going.');
        if (c === 'open' && p.status.textContent?.startsWith('Connection lost')) p.setStatus('Connected again.');
      },
      onClosed: (ended, reason) => {
        if (ended) {
          console.info('live: session closed', reason);
          this.done(null);
        } else {
          console.error('live: connection failed:', reason);
          this.fail(new CameraError(reason, 'We could not connect to Physio. Check your internet connection, then press Start to try again.'));
        }
      },
    });
    this.socket.connect();
  }

  private onEvent(e: ServerEvent): void {
    const p = this.page;
    switch (e.type) {
      case 'session':
        this.sessionId = e.session_id;
        if (e.resumed && e.reps > this.count) {
          this.count = e.reps;
          p.setCount(this.count);
        }
        break;
      case 'rep_started':
        break;
      case 'rep_completed': {
        // `index` is 1-based over the session; never count backwards, never skip one we saw.
        this.count = Math.max(this.count + 1, Number.isFinite(e.index) ? e.index : 0);
        if (e.correct === true) this.goodReps += 1;
        for (const id of e.errors ?? []) this.repErrors.set(id, (this.repErrors.get(id) ?? 0) + 1);
        p.setCount(this.count);
        p.counter.parentElement?.classList.remove('is-bumped');
        void p.counter.parentElement?.offsetWidth;
        p.counter.parentElement?.classList.add('is-bumped');
        this.gauge.repDone();
        this.lastHoldSecond = -1;
        p.setStatus(this.countStatus());
        this.speaker.say(countWord(this.count));
        break;
      }
      case 'form_warning':
        this.warnings.set(e.error, (this.warnings.get(e.error) ?? 0) + 1);
        this.cues.show(cueFor(e.error));
        break;
      case 'signal_lost':
        // Until `signal_found`: this outranks every form cue (nothing can be judged meanwhile).
        this.cues.pin(unseenMessage(e.joints));
        p.root.dataset.signal = 'lost';
        break;
      case 'signal_found':
        this.cues.unpin();
        delete p.root.dataset.signal;
        break;
      case 'hold_progress': {
        const held = Math.floor(e.held_s);
        if (held === this.lastHoldSecond) break;
        this.lastHoldSecond = held;
        if (e.held_s >= e.target_s) p.setStatus('Well held. Now slowly come back.');
        else p.setStatus(`Hold it: ${held} of ${Math.round(e.target_s)} seconds`);
        break;
      }
      case 'set_complete': {
        const msg = `That is ${e.reps}. Well done!`;
        p.setStatus(this.replay ? msg : `${msg} Press Finish when you are ready.`);
        this.speaker.say(`Well done. That is ${countWord(e.reps)}.`);
        break;
      }
      case 'error':
        console.error('live: the server reported an error:', e.message);
        break;
      case 'summary':
        this.done(e);
        break;
    }
  }

  private countStatus(): string {
    const p = this.page;
    return p.targetReps > 0 ? `${this.count} of ${p.targetReps} done` : `${this.count} done`;
  }

  private updateRange(points: readonly Point4[]): void {
    const v = this.signal?.value(points);
    if (v === null || v === undefined) return;
    this.page.setRange(this.gauge.fill(v));
  }

  /** Draws the newest skeleton on the next animation frame (at most once per frame). */
  private draw(points: Point4[] | null, ready: boolean): void {
    this.latest = points;
    this.ready = ready;
    if (this.drawQueued) return;
    this.drawQueued = true;
    requestAnimationFrame(() => {
      this.drawQueued = false;
      const ctx = this.page.ctx;
      if (ctx) drawSkeleton(ctx, this.latest, this.ready ? STYLE_READY : STYLE_NORMAL);
    });
  }

  /** Finish pressed, or the replay ran out: stop sending, end the session, wait for the summary. */
  finish(): void {
    if (this.ending || this.state === 'finished' || this.state === 'error') return;
    this.ending = true;
    this.stopInputs();
    const p = this.page;
    p.finish.disabled = true;
    p.check.hidden = true;
    if (!this.socket) {
      this.done(null);
      return;
    }
    p.setStatus('Saving your session…');
    this.socket.end();
    this.summaryTimer = setTimeout(() => this.done(null), SUMMARY_TIMEOUT_MS);
  }

  private done(summary: SummaryEvent | null): void {
    if (this.state === 'finished' || this.state === 'error') return;
    clearTimeout(this.summaryTimer);
    this.stopInputs();
    this.socket?.close();
    const p = this.page;
    const reps = summary?.rep_count ?? this.count;
    if (summary && reps !== this.count) {
      this.count = reps;
      p.setCount(reps);
    }
    p.summary.replaceChildren(...this.summaryContent(summary, reps));
    p.summary.setAttribute('aria-labelledby', 'summary-title');
    p.summary.hidden = false;
    p.setStatus(summary ? 'Session saved.' : 'Session ended.');
    p.setRange(0);
    p.finish.hidden = true;
    p.start.hidden = false;
    p.start.textContent = 'Start again';
    p.start.className = 'button-secondary';
    p.doneLink.hidden = false;
    this.setState('finished');
    p.summary.focus();
    this.onEnd();
    if (summary && p.returnTo && this.sessionId) {
      // Part of a guided session: back to it, with this set's count filled in.
      const back = new URL(p.returnTo, location.href);
      back.searchParams.set('camera', this.sessionId);
      p.doneLink.href = back.href;
      const going = document.createElement('p');
      going.textContent = 'Taking you back to your session\u2026';
      p.summary.append(going);
      setTimeout(() => location.assign(back.href), RETURN_DELAY_MS);
    }
  }

  /** The summary in words: how many, how many done well, what to work on, whether it is saved. */
  private summaryContent(summary: SummaryEvent | null, reps: number): HTMLElement[] {
    const para = (text: string, className?: string): HTMLElement => {
      const el = document.createElement('p');
      el.textContent = text;
      if (className) el.className = className;
      return el;
    };
    const title = document.createElement('h2');
    title.id = 'summary-title';
    title.textContent = reps > 0 ? 'Well done' : 'Set finished';
    const out: HTMLElement[] = [title];

    const good = summary?.correct_count;
    let done = `You did ${reps} repetition${reps === 1 ? '' : 's'}`;
    if (good !== undefined && reps > 0) done += `, ${good} of them with good form`;
    // Under a second there was no set to time (Finish straight after Start).
    if (summary?.duration_s !== undefined && summary.duration_s >= 1) done += `, in ${formatDuration(summary.duration_s)}`;
    out.push(para(`${done}.`, 'live-summary-count'));

    // What to work on: the form errors of the counted repetitions, most frequent first (two at
    // most: more is too much to take in after a set); while-moving warnings if none carried any.
    const tally = this.repErrors.size > 0 ? this.repErrors : this.warnings;
    const focus = mostFrequent(tally, 2).map((id) => lowerFirst(cueFor(id)));
    if (reps > 0 && focus.length > 0) {
      out.push(para(`To work on next time: ${focus.join('; and ')}.`, 'live-summary-work-on'));
    } else if (reps > 0 && (good ?? this.goodReps) >= reps) {
      out.push(para('Every repetition was done well.', 'live-summary-work-on'));
    }
    out.push(
      para(
        summary ? 'Your physiotherapist can see this session.' : 'We could not confirm that the end of the session was saved.',
      ),
    );
    return out;
  }

  private fail(err: unknown): void {
    if (this.state === 'finished' || this.state === 'error') return;
    console.error('live:', err);
    clearTimeout(this.summaryTimer);
    this.stopInputs();
    this.socket?.close();
    const p = this.page;
    const advice =
      err instanceof CameraError ? err.advice : this.replay ? 'The recording could not be played.' : 'Something went wrong. Press Start to try again.';
    p.setStatus(advice);
    p.check.hidden = true;
    p.finish.hidden = true;
    p.start.hidden = false;
    p.start.textContent = 'Try again';
    this.setState('error');
    p.start.focus();
    this.onEnd();
  }

  private stopInputs(): void {
    const fns = this.cleanup;
    this.cleanup = [];
    for (const fn of fns.reverse()) {
      try {
        fn();
      } catch (err) {
        console.warn('live: cleanup failed', err);
      }
    }
    this.cues.clear();
  }

  /** The page is going away: release the camera, close the socket without ending. */
  dispose(): void {
    this.stopInputs();
    this.socket?.close();
  }
}

/** Largest movement of a key landmark between two poses (fraction of the picture). */
function movedFrom(a: readonly Point4[], b: readonly Point4[]): number {
  let worst = 0;
  for (const i of [0, 11, 12, 15, 16, 23, 24, 27, 28]) {
    const p = a[i];
    const q = b[i];
    if (!p || !q) continue;
    worst = Math.max(worst, Math.hypot(p[0] - q[0], p[1] - q[1]));
  }
  return worst;
}

function ensureStylesheet(): void {
  let href: string;
  try {
    href = new URL('live.css', import.meta.url).href;
  } catch {
    return;
  }
  const links = Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]'));
  if (links.some((l) => l.href === href)) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  document.head.append(link);
}

function main(): void {
  const root = document.getElementById('live');
  if (!root) return;
  ensureStylesheet();
  const page = new Page(root);
  const replay = replayParams(location.href);
  setState(page, 'idle');
  root.classList.toggle('is-replay', replay !== null);

  // The server's page may already say this; say it once.
  if (!replay && !/video stays on this device/i.test(root.textContent ?? '')) {
    const note = document.createElement('p');
    note.className = 'live-privacy';
    note.textContent = 'Your video stays on this device. Only the positions of your joints are sent.';
    page.setup.after(note);
  }

  const speaker = new Speaker(2000, storedFlag(VOICE_OFF_KEY));
  const renderSound = (): void => {
    if (!page.sound) return;
    page.sound.textContent = speaker.isMuted ? 'Turn voice on' : 'Turn voice off';
  };
  renderSound();
  page.sound?.addEventListener('click', () => {
    speaker.setMuted(!speaker.isMuted);
    storeFlag(VOICE_OFF_KEY, speaker.isMuted);
    renderSound();
  });

  let session: Session | null = null;
  page.start.disabled = false;
  page.start.addEventListener('click', () => {
    if (session && (session.current === 'calibrating' || session.current === 'running')) return;
    session = new Session(page, replay, speaker, () => undefined);
    void session.start();
  });
  page.finish.addEventListener('click', () => session?.finish());
  window.addEventListener('pagehide', () => session?.dispose());
}

main();
