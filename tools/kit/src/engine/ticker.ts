import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { nowUs } from './clock.js';
import { DEFAULTS } from '../defaults.js';

/** One pending wake-up at a time: the open-loop pump's next send. */
export interface Wakeup {
  /** Calls `fn` once at `atUs` (engine clock, see nowUs), replacing any wake-up still pending. */
  at(atUs: number, fn: () => void): void;
  cancel(): void;
}

const THREAD = fileURLToPath(new URL('./ticker-thread.mjs', import.meta.url));
const hrMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/**
 * Sub-millisecond wake-ups. Node timers run on libuv's millisecond loop clock, so a send due in
 * 0.3 ms leaves 1–1.5 ms late, and in an open loop that lag lands in every corrected latency (it
 * was ~0.7 ms of each p50 here). A helper thread sleeps in Atomics.wait, a futex with a
 * microsecond timeout, and wakes this thread's event loop with a message at the due time
 * (~0.1 ms late instead). Written by hand: no timer library reaches below libuv's clock.
 *
 * Wake-ups are at least `minGapUs` apart, so at high rates sends go out in small batches instead
 * of one thread hop per operation (the generator's CPU is the benchmark's too).
 */
export class Ticker implements Wakeup {
  private readonly shared = new SharedArrayBuffer(16);
  private readonly gen = new Int32Array(this.shared, 0, 1);
  private readonly due = new Float64Array(this.shared, 8, 1);
  private readonly worker: Worker;
  /** hrtime ms − engine-clock ms: the helper thread has a clock origin of its own. */
  private readonly offsetMs = hrMs() - nowUs() / 1000;
  private fn: (() => void) | null = null;
  private lastFireUs = Number.NEGATIVE_INFINITY;
  private disposed = false;
  /** Set when the helper thread exited unasked. */
  private lost: Wakeup | null = null;
  /** Resolves once the helper thread runs, so the first wake-up of a measured stage is on time too. */
  readonly ready: Promise<void>;

  /** The pending wake-up's due time on this thread's clock (µs). */
  private dueUs = Number.NaN;

  /** The thread keeps the process alive until dispose(): callers dispose in a finally. */
  constructor(private readonly minGapUs: number = DEFAULTS.tickMinGapUs) {
    this.due[0] = Number.NaN;
    this.worker = new Worker(THREAD, { workerData: this.shared });
    // Ready at the thread's first message, not at 'online': that comes before the thread's
    // messages can wake this one (seen: the first wake-up after it came ~45 ms late).
    let up: () => void = () => {};
    this.ready = new Promise((resolve) => (up = resolve));
    let why = 'exited';
    this.worker.on('error', (err) => (why = err.message));
    // A helper thread that died (or never started) must not stall a stage: timers take over, and
    // the send lag they cost shows in sendLagMs. Said once on stderr, so the cause is not a mystery.
    this.worker.once('exit', () => {
      if (this.disposed) return;
      process.stderr.write(`wirebench: the open-loop ticker thread stopped (${why}); sends fall back to millisecond timers\n`);
      this.lost = timerWakeup();
      const fn = this.fn;
      this.fn = null;
      if (fn) this.lost.at(this.dueUs, fn);
      up();
    });
    this.worker.on('message', (g: number | 'up') => {
      if (g === 'up') return up();
      if (g !== Atomics.load(this.gen, 0) || !this.fn) return; // fired for a wake-up since replaced
      // The helper fires up to 20 µs early rather than oversleep; wait those out here, without
      // counting this as a wake-up for the gap (that would push the send a whole gap late).
      if (nowUs() < this.dueUs) return this.arm(this.due[0] as number);
      const fn = this.fn;
      this.fn = null;
      this.lastFireUs = nowUs();
      fn();
    });
  }

  at(atUs: number, fn: () => void): void {
    if (this.disposed) throw new Error('Ticker.at after dispose');
    if (this.lost) return this.lost.at(atUs, fn);
    this.fn = fn;
    this.dueUs = Math.max(atUs, this.lastFireUs + this.minGapUs);
    this.arm(this.dueUs / 1000 + this.offsetMs);
  }

  cancel(): void {
    this.lost?.cancel();
    this.fn = null;
    if (!this.disposed) this.arm(Number.NaN);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.fn = null;
    this.lost?.cancel();
    this.arm(Number.NEGATIVE_INFINITY); // the helper thread's signal to return
    this.disposed = true;
    await this.worker.terminate();
  }

  /** The due time is written before the generation moves, so the helper never pairs a new generation with an old time. */
  private arm(dueMs: number): void {
    this.due[0] = dueMs;
    Atomics.add(this.gen, 0, 1);
    Atomics.notify(this.gen, 0);
  }
}

/** Plain timers: millisecond-grained, for callers that need no thread. */
export function timerWakeup(): Wakeup {
  let timer: NodeJS.Timeout | null = null;
  return {
    at(atUs, fn) {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        fn();
      }, Math.max(0, (atUs - nowUs()) / 1000));
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
