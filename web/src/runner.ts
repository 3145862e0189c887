// The guided session's timers, added to an exercise page of the runner (`GET /today/session`):
// a hold timer for a held exercise, a rest timer between sets, a beep and a spoken word at each
// change, everything also in words and numbers on the screen. When the timers have run, the
// record form below is filled in with what was timed.
//
// Progressive enhancement: the page works without this script (the patient types the numbers);
// the server leaves an empty `section.runner-timers` whose data attributes carry the dose.

import { Beeper } from './beep';
import { Speaker, VOICE_OFF_KEY, storeFlag, storedFlag } from './cues';
import { SessionTimer, clockText, durationWords, type Plan, type TimerEvent } from './timer';

/** Where the choice to turn the beeps off is kept. */
const SOUND_OFF_KEY = 'physio.timers.sound-off';
/** Seconds to relax between two holds of a set: not part of the prescription, a short pause. */
const RELAX_S = 5;
/** How often the countdown is redrawn (ms); the phases themselves end at their deadlines. */
const TICK_MS = 200;

/** The dose from the section's data attributes; null when there is nothing to time. */
export function planOf(section: HTMLElement): Plan | null {
  const n = (v: string | undefined): number | null => {
    const x = Number.parseInt(v ?? '', 10);
    return Number.isFinite(x) && x >= 0 ? x : null;
  };
  const sets = n(section.dataset.sets) ?? 1;
  const holdS = n(section.dataset.hold);
  const reps = n(section.dataset.reps);
  const restS = n(section.dataset.rest) ?? 0;
  if (holdS !== null && holdS > 0) {
    return { sets, perSet: reps ?? 1, holdS, restS, relaxS: RELAX_S };
  }
  // Repetitions at the patient's own pace: only the rest between sets is timed.
  if (reps !== null && sets > 1) return { sets, perSet: reps, holdS: null, restS, relaxS: RELAX_S };
  return null;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
}

function button(className: string, text: string): HTMLButtonElement {
  const b = el('button', className, text);
  b.type = 'button';
  return b;
}

/** The record form's number fields, and what the server had put in them. */
class RecordForm {
  private readonly form: HTMLFormElement | null;
  private readonly fields: Map<string, { input: HTMLInputElement; prescribed: string }> = new Map();
  private notice: HTMLElement | null = null;

  constructor(form: HTMLFormElement | null) {
    this.form = form;
    for (const name of ['sets_done', 'reps_done', 'hold_s_done']) {
      const input = form?.querySelector<HTMLInputElement>(`input[name="${name}"]`);
      if (input) this.fields.set(name, { input, prescribed: input.value });
    }
  }

  /** Puts what was timed into the fields and says so at the top of the form. */
  fill(values: Record<string, number>): void {
    for (const [name, v] of Object.entries(values)) {
      const f = this.fields.get(name);
      if (f) f.input.value = String(v);
    }
    if (!this.notice && this.form) {
      this.notice = el('p', 'notice timer-filled', 'The timer has filled in the numbers below. Check them, then add your pain and effort.');
      const heading = this.form.querySelector('h2');
      if (heading) heading.after(this.notice);
      else this.form.prepend(this.notice);
    }
  }

  /** Back to what the server had put in, as if the timer had not run. */
  restore(): void {
    for (const f of this.fields.values()) f.input.value = f.prescribed;
    this.notice?.remove();
    this.notice = null;
  }
}

/** The timer's controls and display inside `section.runner-timers`. */
class TimerView {
  private readonly timer: SessionTimer;
  private readonly speaker: Speaker;
  private readonly beeper: Beeper;
  private readonly record: RecordForm;
  private readonly panel: HTMLElement;
  private readonly word: HTMLElement;
  private readonly progress: HTMLElement;
  private readonly count: HTMLElement;
  private readonly number: HTMLElement;
  private readonly unit: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly fillBar: HTMLElement;
  private readonly main: HTMLButtonElement;
  private readonly skip: HTMLButtonElement;
  private readonly reset: HTMLButtonElement;
  private readonly voice: HTMLButtonElement | null;
  private readonly sound: HTMLButtonElement | null;
  private interval: ReturnType<typeof setInterval> | undefined;
  private wakeLock: WakeLockSentinel | null = null;
  /** True while the patient's own tap moves the timer on: no beep for what they just did. */
  private tapping = false;

  constructor(section: HTMLElement, plan: Plan, form: HTMLFormElement | null) {
    this.timer = new SessionTimer(plan, (e) => this.onEvent(e));
    this.speaker = new Speaker(1200, storedFlag(VOICE_OFF_KEY));
    this.beeper = new Beeper(storedFlag(SOUND_OFF_KEY));
    this.record = new RecordForm(form);

    const held = plan.holdS !== null;
    const title = el('h2', 'timer-title', held ? 'Time your holds' : 'Time your rest');
    title.id = 'timer-title';
    const hint = el(
      'p',
      'hint',
      held
        ? 'The timer counts each hold, gives you a short break between holds and times your rest between sets. It beeps and says what to do next.'
        : 'Press the button when you finish a set: the timer then times your rest and tells you when to start the next set.',
    );

    this.panel = el('div', 'timer-panel');
    // Phase changes only: the seconds themselves are not announced.
    const status = el('div', 'timer-status');
    status.setAttribute('role', 'status');
    status.setAttribute('aria-live', 'polite');
    this.word = el('p', 'timer-word');
    this.progress = el('p', 'timer-progress');
    status.append(this.word, this.progress);
    this.count = el('p', 'timer-count');
    this.count.setAttribute('role', 'timer');
    this.count.setAttribute('aria-label', 'Seconds left');
    this.number = el('span', 'timer-number');
    this.unit = el('span', 'timer-unit');
    this.count.append(this.number, ' ', this.unit);
    this.bar = el('div', 'timer-bar');
    this.bar.setAttribute('aria-hidden', 'true');
    this.fillBar = el('div', 'timer-bar-fill');
    this.bar.append(this.fillBar);
    this.panel.append(status, this.count, this.bar);

    const controls = el('div', 'timer-controls');
    this.main = button('button timer-main', '');
    this.skip = button('button-secondary timer-skip', 'Skip the rest');
    controls.append(this.main, this.skip);

    const settings = el('div', 'timer-settings');
    this.voice = Speaker.available ? button('button-secondary timer-voice', '') : null;
    this.sound = Beeper.available ? button('button-secondary timer-sound', '') : null;
    this.reset = button('link-button timer-reset', 'Start the timer again');
    for (const b of [this.voice, this.sound, this.reset]) if (b) settings.append(b);

    section.setAttribute('aria-labelledby', title.id);
    section.removeAttribute('aria-label');
    section.replaceChildren(title, hint, this.panel, controls, settings);
    section.classList.add('is-ready');

    this.main.addEventListener('click', () => this.press());
    this.skip.addEventListener('click', () => {
      this.tapping = true;
      this.timer.skipRest(performance.now());
      this.tapping = false;
      this.render();
    });
    this.reset.addEventListener('click', () => {
      this.timer.reset();
      this.record.restore();
      void this.releaseWake();
      this.stopTicking();
      this.render();
    });
    this.voice?.addEventListener('click', () => {
      this.speaker.setMuted(!this.speaker.isMuted);
      storeFlag(VOICE_OFF_KEY, this.speaker.isMuted);
      // Heard at once, so the patient can set the phone's volume before the timer needs it.
      this.speaker.say('Voice on');
      this.render();
    });
    this.sound?.addEventListener('click', () => {
      this.beeper.setMuted(!this.beeper.isMuted);
      storeFlag(SOUND_OFF_KEY, this.beeper.isMuted);
      if (!this.beeper.isMuted) {
        this.beeper.unlock();
        this.beeper.beep();
      }
      this.render();
    });
    this.render();
  }

  /** The big button: start, pause or carry on, depending on where the timer is. */
  private press(): void {
    const now = performance.now();
    const t = this.timer;
    this.beeper.unlock();
    if (t.phase === 'ready') {
      this.tapping = true;
      t.start(now);
      this.tapping = false;
      void this.keepAwake();
    } else if (t.counting && t.paused) {
      t.resume(now);
      this.speaker.say('Carry on');
    } else if (t.counting) {
      t.pause(now);
      this.speaker.say('Paused');
    }
    this.render();
  }

  private onEvent(e: TimerEvent): void {
    const t = this.timer;
    const plan = t.plan;
    const ended = !this.tapping;
    switch (e.kind) {
      case 'hold':
        this.speaker.say(t.holdsInSet === 0 ? `Hold for ${durationWords(plan.holdS ?? 0)}` : 'Hold');
        break;
      case 'relax':
        this.beeper.beep(1, 880);
        this.speaker.say('Relax');
        break;
      case 'rest':
        if (ended) this.beeper.beep(1, 880);
        this.speaker.say(`Rest for ${durationWords(e.seconds)}`);
        break;
      case 'next-set':
        if (ended) this.beeper.beep(2, 660);
        this.speaker.say('Next set');
        break;
      case 'done':
        if (ended) this.beeper.beep(3, 880, 140);
        this.speaker.say('Well done. That is every set.');
        void this.releaseWake();
        break;
    }
    // No drawing here: the caller (a tap, or the tick) draws once the timer has settled.
    this.fillForm();
  }

  /** What was timed, into the record form: whole sets only, once one is done. */
  private fillForm(): void {
    const t = this.timer;
    const plan = t.plan;
    if (t.setsDone === 0 && t.holdsInSet === 0) return;
    const values: Record<string, number> = { sets_done: t.setsDone > 0 ? t.setsDone : 1 };
    if (plan.holdS !== null) {
      values.reps_done = t.setsDone > 0 ? plan.perSet : t.holdsInSet;
      values.hold_s_done = plan.holdS;
    }
    this.record.fill(values);
  }

  private render(): void {
    const t = this.timer;
    const plan = t.plan;
    const now = performance.now();
    t.tick(now);
    const held = plan.holdS !== null;
    const sets = `set ${t.set} of ${plan.sets}`;
    let word: string;
    let progress: string;
    let main = '';
    switch (t.phase) {
      case 'ready':
        if (t.setsDone === 0) {
          word = 'Get ready';
          progress = held
            ? `${plural(plan.sets, 'set')} of ${plural(plan.perSet, 'hold')}, each for ${durationWords(plan.holdS ?? 0)}.`
            : `Set 1 of ${plan.sets}: do ${plural(plan.perSet, 'repetition')}, then press the button.`;
        } else {
          word = 'Next set';
          progress = held
            ? `Set ${t.set} of ${plan.sets}: ${plural(plan.perSet, 'hold')}.`
            : `Set ${t.set} of ${plan.sets}: do ${plural(plan.perSet, 'repetition')}, then press the button.`;
        }
        main = held ? (t.setsDone === 0 ? 'Start hold' : `Start set ${t.set}`) : `I have finished set ${t.set}`;
        break;
      case 'hold':
        word = 'Hold';
        progress = `Hold ${t.holdsInSet + 1} of ${plan.perSet}, ${sets}.`;
        break;
      case 'relax':
        word = 'Relax';
        progress = `${t.holdsInSet} of ${plan.perSet} holds done, ${sets}. The next hold starts soon.`;
        break;
      case 'rest':
        word = 'Rest';
        progress = `Set ${t.setsDone} of ${plan.sets} done. Rest, then start set ${t.set}.`;
        break;
      case 'done':
        word = 'Well done';
        progress = `All ${plural(plan.sets, 'set')} done. We have filled in the form below: add your pain and effort, then save.`;
        break;
    }
    if (t.counting) {
      if (t.paused) word = `Paused: ${word.toLowerCase()}`;
      main = t.paused ? 'Carry on' : 'Pause';
    }
    // Only a change is written, so the live region speaks at phase changes, never each second.
    if (this.word.textContent !== word) this.word.textContent = word;
    if (this.progress.textContent !== progress) this.progress.textContent = progress;

    const seconds = t.counting ? t.leftSeconds(now) : held && t.phase === 'ready' ? (plan.holdS ?? 0) : null;
    this.count.hidden = seconds === null;
    this.bar.hidden = seconds === null;
    if (seconds !== null) {
      const text = clockText(seconds);
      if (this.number.textContent !== text) this.number.textContent = text;
      this.unit.textContent = seconds >= 60 ? 'minutes' : seconds === 1 ? 'second' : 'seconds';
    }
    const total = t.phaseSeconds * 1000;
    const fraction = t.counting && total > 0 ? t.leftMs(now) / total : t.phase === 'ready' && held ? 1 : 0;
    this.fillBar.style.width = `${(fraction * 100).toFixed(1)}%`;
    this.panel.dataset.phase = t.phase;
    this.panel.classList.toggle('is-paused', t.paused);

    this.main.hidden = main === '';
    if (main !== '' && this.main.textContent !== main) this.main.textContent = main;
    this.skip.hidden = t.phase !== 'rest';
    this.reset.hidden = t.phase === 'ready' && t.setsDone === 0;
    if (this.voice) this.voice.textContent = this.speaker.isMuted ? 'Turn voice on' : 'Turn voice off';
    if (this.sound) this.sound.textContent = this.beeper.isMuted ? 'Turn beeps on' : 'Turn beeps off';

    if (t.counting && !t.paused) this.startTicking();
    else this.stopTicking();
  }

  private startTicking(): void {
    if (this.interval === undefined) this.interval = setInterval(() => this.render(), TICK_MS);
  }

  private stopTicking(): void {
    clearInterval(this.interval);
    this.interval = undefined;
  }

  /** Keeps a phone's screen on while the timers run, where the browser allows it. */
  private async keepAwake(): Promise<void> {
    if (this.wakeLock || !('wakeLock' in navigator)) return;
    try {
      this.wakeLock = await navigator.wakeLock.request('screen');
      this.wakeLock.addEventListener('release', () => (this.wakeLock = null));
    } catch {
      // Refused (battery saver, or the tab is hidden): the timers run all the same.
    }
  }

  private async releaseWake(): Promise<void> {
    const lock = this.wakeLock;
    this.wakeLock = null;
    await lock?.release().catch(() => undefined);
  }
}

function main(): void {
  const section = document.querySelector<HTMLElement>('section.runner-timers');
  if (!section) return;
  const plan = planOf(section);
  if (!plan) {
    // Nothing to time (a walk, one set of repetitions): the empty section stays out of the way.
    section.hidden = true;
    return;
  }
  new TimerView(section, plan, document.querySelector<HTMLFormElement>('form.runner-log'));
}

main();
