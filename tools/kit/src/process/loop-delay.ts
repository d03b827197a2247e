import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';

/**
 * Event-loop delay from a timer of our own rather than monitorEventLoopDelay. That one keeps the
 * time it last fired across disable()/enable(), so its first tick after enable() records the whole
 * pause as one "delay" (a generator's loop seemed blocked for 4.9 s between two measurements), and
 * reset() also forgets when it last fired, so a block that ended just before the reset was never
 * recorded. Here a pause records nothing, and a late tick is always recorded, before or after a
 * reset. Delays are held in ns (the histogram needs integers >= 1); 1 stands for none.
 */
export class LoopDelay {
  private readonly h: RecordableHistogram = createHistogram();
  private timer: NodeJS.Timeout | null = null;
  private lastTick = 0;

  constructor(private readonly resolutionMs = 10) {}

  get running(): boolean {
    return this.timer !== null;
  }

  start(): void {
    if (this.timer) return;
    this.lastTick = performance.now();
    this.timer = setInterval(() => this.tick(), this.resolutionMs);
    this.timer.unref();
  }

  /** Stops the timer, first recording a tick that is due: a block that ended just now still counts. */
  stop(): void {
    if (!this.timer) return;
    if (performance.now() - this.lastTick > this.resolutionMs) this.tick();
    clearInterval(this.timer);
    this.timer = null;
  }

  reset(): void {
    this.h.reset();
  }

  /** Delay in ms at percentile p (0–100); 0 when nothing was recorded. */
  percentileMs(p: number): number {
    return this.h.count === 0 ? 0 : toMs(this.h.percentile(p));
  }

  get maxMs(): number {
    return this.h.count === 0 ? 0 : toMs(this.h.max);
  }

  private tick(): void {
    const now = performance.now();
    this.h.record(Math.max(1, Math.round((now - this.lastTick - this.resolutionMs) * 1e6)));
    this.lastTick = now;
  }
}

const toMs = (ns: number): number => (ns <= 1 ? 0 : ns / 1e6);
