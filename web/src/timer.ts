// The guided session's timer as a plain state machine: holds, the short relax between holds,
// and the rest between sets, driven by a clock it is given (no DOM, no timers of its own).
//
// Every phase ends at a deadline on that clock rather than after so many ticks, so a phone that
// throttles a hidden tab still ends each hold and rest on time; a tick that comes late walks
// through every phase that ended meanwhile.

/** What the prescription asks for, read from the page's `section.runner-timers`. */
export interface Plan {
  sets: number;
  /** Holds in each set (or repetitions, for an exercise without a hold). */
  perSet: number;
  /** Seconds of each hold; null for an exercise done in repetitions. */
  holdS: number | null;
  /** Seconds of rest between sets; 0 for none. */
  restS: number;
  /** Seconds to relax between two holds of a set (not prescribed; a short fixed pause). */
  relaxS: number;
}

/**
 * `ready`: waiting for the patient to start a set (the first, or the next after a rest);
 * `hold` and `relax`: inside a set of holds, one after another; `rest`: between sets;
 * `done`: every set done.
 */
export type Phase = 'ready' | 'hold' | 'relax' | 'rest' | 'done';

/** What just happened, for the page to show, say and beep. */
export type TimerEvent =
  | { kind: 'hold' }
  | { kind: 'relax' }
  | { kind: 'rest'; seconds: number }
  | { kind: 'next-set' }
  | { kind: 'done' };

export class SessionTimer {
  readonly plan: Plan;
  phase: Phase = 'ready';
  /** Sets finished so far. */
  setsDone = 0;
  /** Holds finished in the set under way (0 between sets). */
  holdsInSet = 0;
  /** Holds finished in the last set that ended, for what the form says. */
  lastSetHolds = 0;
  private endsAt = 0;
  private pausedLeft: number | null = null;
  private readonly emit: (e: TimerEvent) => void;

  constructor(plan: Plan, emit: (e: TimerEvent) => void) {
    this.plan = plan;
    this.emit = emit;
  }

  get held(): boolean {
    return this.plan.holdS !== null;
  }

  get paused(): boolean {
    return this.pausedLeft !== null;
  }

  /** Whether a countdown is under way (paused or not). */
  get counting(): boolean {
    return this.phase === 'hold' || this.phase === 'relax' || this.phase === 'rest';
  }

  /** The set under way or next, from 1. */
  get set(): number {
    return Math.min(this.setsDone + 1, this.plan.sets);
  }

  /** The length of the current phase, in seconds (0 when nothing is counting). */
  get phaseSeconds(): number {
    switch (this.phase) {
      case 'hold':
        return this.plan.holdS ?? 0;
      case 'relax':
        return this.plan.relaxS;
      case 'rest':
        return this.plan.restS;
      default:
        return 0;
    }
  }

  /** Milliseconds left in the current phase at `now`. */
  leftMs(now: number): number {
    if (!this.counting) return 0;
    if (this.pausedLeft !== null) return this.pausedLeft;
    return Math.max(0, this.endsAt - now);
  }

  /** Whole seconds left, as the big number shows them (5, 4, 3, 2, 1). */
  leftSeconds(now: number): number {
    return Math.ceil(this.leftMs(now) / 1000);
  }

  /** From `ready`: a held exercise starts its first hold; otherwise the patient says the set is done. */
  start(now: number): void {
    if (this.phase !== 'ready') return;
    if (this.held) {
      this.holdsInSet = 0;
      this.enter('hold', now);
      this.emit({ kind: 'hold' });
    } else {
      this.endSet(now);
    }
  }

  pause(now: number): void {
    if (!this.counting || this.paused) return;
    this.pausedLeft = Math.max(0, this.endsAt - now);
  }

  resume(now: number): void {
    if (this.pausedLeft === null) return;
    this.endsAt = now + this.pausedLeft;
    this.pausedLeft = null;
  }

  /** Ends the rest early: the patient is ready for the next set. */
  skipRest(now: number): void {
    if (this.phase !== 'rest') return;
    this.pausedLeft = null;
    this.endsAt = now;
    this.tick(now);
  }

  /** Back to the start, nothing counted. */
  reset(): void {
    this.phase = 'ready';
    this.setsDone = 0;
    this.holdsInSet = 0;
    this.lastSetHolds = 0;
    this.pausedLeft = null;
  }

  /** Moves on through every phase whose deadline has passed by `now`. */
  tick(now: number): void {
    while (this.counting && !this.paused && this.endsAt <= now) {
      const ended = this.endsAt;
      switch (this.phase) {
        case 'hold':
          this.holdsInSet += 1;
          if (this.holdsInSet < this.plan.perSet) {
            this.enter('relax', ended);
            this.emit({ kind: 'relax' });
          } else {
            this.endSet(ended);
          }
          break;
        case 'relax':
          this.enter('hold', ended);
          this.emit({ kind: 'hold' });
          break;
        case 'rest':
          this.phase = 'ready';
          this.emit({ kind: 'next-set' });
          break;
        default:
          return;
      }
    }
  }

  private enter(phase: Phase, from: number): void {
    this.phase = phase;
    this.endsAt = from + this.phaseSeconds * 1000;
  }

  private endSet(at: number): void {
    this.setsDone += 1;
    this.lastSetHolds = this.held ? this.holdsInSet : this.plan.perSet;
    this.holdsInSet = 0;
    if (this.setsDone >= this.plan.sets) {
      this.phase = 'done';
      this.emit({ kind: 'done' });
    } else if (this.plan.restS > 0) {
      this.enter('rest', at);
      this.emit({ kind: 'rest', seconds: this.plan.restS });
    } else {
      this.phase = 'ready';
      this.emit({ kind: 'next-set' });
    }
  }
}

/** A length of time in words, for speech and the screen: "30 seconds", "1 minute 30 seconds". */
export function durationWords(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  const part = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;
  if (m === 0) return part(s, 'second');
  return s === 0 ? part(m, 'minute') : `${part(m, 'minute')} ${part(s, 'second')}`;
}

/** Seconds as the big number shows them: "45", "1:30". */
export function clockText(seconds: number): string {
  if (seconds < 60) return String(seconds);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
