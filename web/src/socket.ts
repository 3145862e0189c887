// The session's WebSocket: connects, sends the header first on every connection, queues
// messages while disconnected, and reconnects with backoff, resuming the server session.
// Landmark frames go out as binary messages (the compact encoding of docs/live-sessions.md);
// the header, `end` and other control messages as JSON text.

import { BinaryFrameEncoder, parseEvent, socketUrl, type Frame, type Header, type ServerEvent } from './protocol';

export interface LiveSocketOptions {
  path: string;
  exercise: string;
  /** The header to send first on each connection, or null to send none. */
  header: () => Header | null;
  onEvent: (event: ServerEvent) => void;
  /** Connection changes, for the status line. */
  onConnection: (state: 'connecting' | 'open' | 'reconnecting') => void;
  /** The socket closed for good: after `end` (`ended` true), or because it gave up. */
  onClosed: (ended: boolean, reason: string) => void;
  /** Test hook: the WebSocket constructor. */
  WebSocketImpl?: typeof WebSocket;
}

/** Backoff before reconnect attempt `n` (0-based), in ms: 0.5 s doubling to 8 s, with jitter. */
export function backoffMs(n: number, random: () => number = Math.random): number {
  const base = Math.min(8000, 500 * 2 ** n);
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Consecutive failed attempts before giving up: never connected at all / lost after working. */
const MAX_FAILS_NEVER_OPENED = 4;
const MAX_FAILS = 10;
/** Frames kept while disconnected (about 20 s at 30 frames/s); older ones are dropped. */
const MAX_QUEUE = 600;
/** Close codes after which reconnecting cannot help (policy, or application-level refusals). */
const FATAL_CODES = new Set([1003, 1007, 1008, 4400, 4401, 4403, 4404]);

export class LiveSocket {
  private ws: WebSocket | null = null;
  /** Messages waiting for a connection: JSON text (control) or binary frames (own copies). */
  private queue: Array<string | ArrayBuffer> = [];
  private readonly encoder = new BinaryFrameEncoder();
  private sessionId: string | undefined;
  private fails = 0;
  private everOpened = false;
  private ended = false;
  private closedForGood = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly opts: LiveSocketOptions;

  constructor(opts: LiveSocketOptions) {
    this.opts = opts;
  }

  get session(): string | undefined {
    return this.sessionId;
  }

  get isOpen(): boolean {
    return this.ws?.readyState === 1;
  }

  connect(): void {
    if (this.closedForGood) return;
    const Impl = this.opts.WebSocketImpl ?? WebSocket;
    const url = socketUrl(location, this.opts.path, this.opts.exercise, this.sessionId);
    this.opts.onConnection(this.everOpened ? 'reconnecting' : 'connecting');
    let ws: WebSocket;
    try {
      ws = new Impl(url);
    } catch (err) {
      this.giveUp(`could not open ${url}: ${String(err)}`);
      return;
    }
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.everOpened = true;
      this.fails = 0;
      const header = this.opts.header();
      if (header) ws.send(JSON.stringify(header));
      this.opts.onConnection('open');
      this.flush();
    };
    ws.onmessage = (msg: MessageEvent) => {
      if (typeof msg.data !== 'string') return;
      const event = parseEvent(msg.data);
      if (event === null) {
        console.warn('live: ignoring an unknown message', msg.data);
        return;
      }
      if (event.type === 'session') this.sessionId = event.session_id;
      this.opts.onEvent(event);
    };
    ws.onerror = () => {
      // A close event always follows; decide there.
    };
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.closedForGood) return;
      if (this.ended && this.queue.length === 0) {
        // Everything, `end` included, went out: the server has closed after its summary.
        this.closedForGood = true;
        this.opts.onClosed(true, `closed (${ev.code})`);
        return;
      }
      if (FATAL_CODES.has(ev.code)) {
        this.giveUp(`the server refused the session (${ev.code} ${ev.reason})`);
        return;
      }
      if (!opened) this.fails += 1;
      const limit = this.everOpened ? MAX_FAILS : MAX_FAILS_NEVER_OPENED;
      if (this.fails >= limit) {
        this.giveUp(`no connection after ${this.fails} attempts (last close ${ev.code})`);
        return;
      }
      this.opts.onConnection('reconnecting');
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.connect();
      }, backoffMs(this.fails));
    };
  }

  /** Sends a control message as JSON text now, or queues it until the connection is back. */
  send(message: object): void {
    if (this.closedForGood || this.ended) return;
    this.enqueue(JSON.stringify(message));
  }

  /**
   * Sends one landmark frame as a binary message now, or queues it until the connection is back
   * (messages beyond the limit are dropped, oldest first).
   */
  sendFrame(frame: Frame): void {
    if (this.closedForGood || this.ended) return;
    // Encoded into the encoder's reused buffer: `WebSocket.send` copies the bytes, so it can
    // go out directly when nothing is waiting; a queued frame needs a copy of its own.
    const bytes = this.encoder.encode(frame);
    const ws = this.ws;
    if (ws && ws.readyState === 1 && this.queue.length === 0) {
      ws.send(bytes);
      return;
    }
    this.enqueue(bytes.slice(0));
  }

  private enqueue(message: string | ArrayBuffer): void {
    this.queue.push(message);
    if (this.queue.length > MAX_QUEUE) this.queue.splice(0, this.queue.length - MAX_QUEUE);
    this.flush();
  }

  /** Sends `{"type":"end"}` after everything queued; the server answers with the summary. */
  end(): void {
    if (this.closedForGood || this.ended) return;
    this.queue.push(JSON.stringify({ type: 'end' }));
    this.ended = true;
    this.flush();
    if (this.ws === null && this.timer === undefined) this.connect();
  }

  /** Closes without ending the session (the page is going away). */
  close(): void {
    this.closedForGood = true;
    clearTimeout(this.timer);
    this.ws?.close(1000, 'page closed');
    this.ws = null;
  }

  private flush(): void {
    const ws = this.ws;
    if (!ws || ws.readyState !== 1) return;
    while (this.queue.length > 0) {
      ws.send(this.queue.shift() as string | ArrayBuffer);
    }
  }

  private giveUp(reason: string): void {
    this.closedForGood = true;
    clearTimeout(this.timer);
    this.opts.onClosed(this.ended, reason);
  }
}
