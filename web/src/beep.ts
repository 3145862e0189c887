// Short beeps made with the Web Audio API: a tone is generated on the spot, so there is no
// sound file to download or serve.

/** Plays short tones; silent where the browser has no Web Audio or has not been tapped yet. */
export class Beeper {
  private ctx: AudioContext | null = null;
  private muted: boolean;

  constructor(muted = false) {
    this.muted = muted;
  }

  static get available(): boolean {
    return typeof window !== 'undefined' && typeof window.AudioContext === 'function';
  }

  get isMuted(): boolean {
    return this.muted;
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
  }

  /**
   * Creates or wakes the audio context. Browsers let a page make sound only after a tap, so the
   * page calls this from the tap that starts a timer.
   */
  unlock(): void {
    if (!Beeper.available) return;
    try {
      this.ctx ??= new AudioContext();
      if (this.ctx.state === 'suspended') void this.ctx.resume();
    } catch (err) {
      console.warn('beep: no audio', err);
      this.ctx = null;
    }
  }

  /** `count` tones of `ms` each at `hz`, a short gap between them. */
  beep(count = 1, hz = 880, ms = 180): void {
    const ctx = this.ctx;
    if (this.muted || !ctx) return;
    try {
      const start = ctx.currentTime + 0.01;
      for (let i = 0; i < count; i += 1) {
        const at = start + i * (ms + 120) / 1000;
        const end = at + ms / 1000;
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = 'sine';
        osc.frequency.value = hz;
        // A quick fade in and out: a tone cut off sharply clicks.
        gain.gain.setValueAtTime(0.0001, at);
        gain.gain.exponentialRampToValueAtTime(0.35, at + 0.015);
        gain.gain.exponentialRampToValueAtTime(0.0001, end);
        osc.connect(gain).connect(ctx.destination);
        osc.start(at);
        osc.stop(end + 0.02);
      }
    } catch (err) {
      console.warn('beep: failed', err);
    }
  }
}
