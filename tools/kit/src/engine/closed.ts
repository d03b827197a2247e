import { nowUs } from './clock.js';
import type { InFlight } from './inflight.js';

export interface ClosedStage {
  /** Slots in this worker; 0 is allowed (a surplus worker of a multi-worker split). */
  concurrency: number;
  durationMs: number;
  /** Stop after this many operations (whichever of count and duration comes first). */
  count?: number;
}

/**
 * Longest stretch the engine may hold the event loop before it yields: synchronous drivers, and
 * async drivers that settle without I/O (their chain of settle → issue stays in microtasks),
 * would otherwise starve timers — the timeout sweeper, abort, progress and the sampler.
 */
const SLICE_US = 5_000;

/**
 * Closed loop: `concurrency` slots, each issuing its next operation when the previous settles.
 * Resolves with the number issued once the stage's time or count is up and every slot has stopped
 * issuing (pending operations are the caller's to drain).
 */
export function runClosed<C>(flight: InFlight<C>, stage: ClosedStage, signal: AbortSignal): Promise<number> {
  const startUs = nowUs();
  const endUs = startUs + stage.durationMs * 1000;
  const maxCount = stage.count ?? Number.POSITIVE_INFINITY;
  const slots = Math.max(0, Math.floor(stage.concurrency));
  let issued = 0;
  let active = slots;
  let yieldAt = startUs + SLICE_US;

  return new Promise((resolve) => {
    if (slots === 0) return resolve(0);
    // On abort, stop waiting for slots whose operation may never answer.
    const onAbort = (): void => resolve(issued);
    signal.addEventListener('abort', onAbort, { once: true });
    const slotDone = (): void => {
      if (--active === 0) {
        signal.removeEventListener('abort', onAbort);
        resolve(issued);
      }
    };
    const resumeLater = (slot: number): void => {
      setImmediate(() => {
        yieldAt = nowUs() + SLICE_US;
        run(slot);
      });
    };
    const run = (slot: number): void => {
      let t = nowUs();
      for (;;) {
        if (t >= endUs || issued >= maxCount || signal.aborted) return slotDone();
        if (t > yieldAt) return resumeLater(slot);
        issued++;
        flight.recorder?.sent(0, 0);
        const end = flight.issue(slot, t, t);
        if (end < 0) return; // pending: onSettled resumes this slot
        t = end;
      }
    };
    flight.onSettled = (op) => run(op.slot);
    for (let s = 0; s < slots; s++) run(s);
  });
}
