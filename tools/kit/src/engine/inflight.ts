import { errorKindOf, type Driver, type OpContext, type Outcome } from './driver.js';
import { nowUs } from './clock.js';
import type { Recorder } from './recorder.js';
import type { TraceRecorder } from './trace.js';

/** One issued operation. `intendedUs` is when the schedule wanted it sent (== startUs in closed loop). */
export interface Op {
  readonly intendedUs: number;
  readonly startUs: number;
  readonly slot: number;
  /** The recorder of the stage that issued it: a warm-up op answering late never counts. */
  readonly rec: Recorder | null;
  /** Index of the issuing stage in the trace, -1 for none (warm-up, or no trace). */
  readonly stage: number;
  settled: boolean;
}

const TIMEOUT: Outcome = Object.freeze({ status: 'timeout' });
const LOST: Outcome = Object.freeze({ status: 'lost' });

function isThenable(x: unknown): x is PromiseLike<Outcome> {
  return typeof (x as PromiseLike<Outcome> | null)?.then === 'function';
}

/**
 * Issues operations through a driver and settles each exactly once: by the driver, by a throw,
 * or by the timeout sweeper — whichever comes first; a late answer after a timeout is ignored.
 * A periodic sweep replaces per-operation timers, which would cost more than a no-op operation.
 */
export class InFlight<C> {
  private readonly pending = new Set<Op>();
  private readonly timeoutUs: number;
  private sweeper: NodeJS.Timeout | null = null;
  private seq = 0;
  onSettled: (op: Op) => void = () => {};
  /** Per-operation trace (LoadSpec.trace), and the stage index operations issued now go under (-1: not traced). */
  trace: TraceRecorder | null = null;
  traceStage = -1;

  constructor(
    private readonly driver: Driver<C>,
    private readonly clients: readonly C[],
    private readonly workerIndex: number,
    timeoutMs: number,
    public recorder: Recorder | null,
  ) {
    this.timeoutUs = timeoutMs * 1000;
    const every = Math.max(5, Math.min(50, timeoutMs / 4));
    // Kept referenced: a stage whose operations hold no handles must still reach its timeouts.
    this.sweeper = setInterval(() => this.sweep(), every);
  }

  get size(): number {
    return this.pending.size;
  }

  /**
   * Issues one operation. Returns the settle time in µs when the driver answered synchronously
   * (the op is already recorded), or -1 when it is pending.
   */
  issue(slot: number, intendedUs: number, startUs: number): number {
    const clientIndex = slot % this.clients.length;
    const ctx: OpContext = { seq: this.seq++, workerIndex: this.workerIndex, clientIndex };
    let r: Promise<Outcome> | Outcome;
    try {
      r = this.driver.perform(this.clients[clientIndex] as C, ctx);
    } catch (err) {
      r = { status: 'error', kind: errorKindOf(err) };
    }
    if (!isThenable(r)) {
      const end = nowUs();
      this.recorder?.record(r, end, end - intendedUs, end - startUs);
      if (this.trace && this.traceStage >= 0) this.trace.record(this.traceStage, intendedUs, startUs, end, r);
      return end;
    }
    const op: Op = { intendedUs, startUs, slot, rec: this.recorder, stage: this.trace ? this.traceStage : -1, settled: false };
    this.pending.add(op);
    r.then(
      (o) => this.settle(op, o),
      (err) => this.settle(op, { status: 'error', kind: errorKindOf(err) }),
    );
    return -1;
  }

  private settle(op: Op, outcome: Outcome): void {
    if (op.settled) return;
    op.settled = true;
    this.pending.delete(op);
    const end = nowUs();
    op.rec?.record(outcome, end, end - op.intendedUs, end - op.startUs);
    if (op.stage >= 0) this.trace?.record(op.stage, op.intendedUs, op.startUs, end, outcome);
    this.onSettled(op);
  }

  private sweep(): void {
    if (this.pending.size === 0) return;
    const limit = nowUs() - this.timeoutUs;
    for (const op of this.pending) if (op.startUs < limit) this.settle(op, TIMEOUT);
  }

  /** Ends the stage: whatever is still pending is counted lost and will be ignored if it answers. */
  abandon(): number {
    const n = this.pending.size;
    const end = nowUs();
    for (const op of this.pending) {
      op.settled = true;
      op.rec?.lost(1);
      if (op.stage >= 0) this.trace?.record(op.stage, op.intendedUs, op.startUs, end, LOST);
    }
    this.pending.clear();
    return n;
  }

  /** Resolves when nothing is pending or after `maxMs`. */
  async drain(maxMs: number): Promise<void> {
    const deadline = nowUs() + maxMs * 1000;
    while (this.pending.size > 0 && nowUs() < deadline) {
      await new Promise((r) => setTimeout(r, 2));
    }
  }

  dispose(): void {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }
}
