import { nowUs } from '../clock.js';
import type { InFlight } from './inflight.js';

export interface ClosedStage {
  concurrency: number;
  durationMs: number;
  /** Stop after this many operations (whichever of count and duration comes first). */
  count?: number;
}

/** Longest stretch a synchronous driver may hold the event loop before the engine yields. */
const SLICE_US = 5_000;

/**
 * Closed loop: `concurrency` slots, each issuing its next operation when the previous settles.
 * Resolves when the stage's time or count is up and every slot has stopped issuing.
 */
export function runClosed<C>(flight: InFlight<C>, stage: ClosedStage, signal: AbortSignal): Promise<number> {
  const startUs = nowUs();
  const endUs = startUs + stage.durationMs * 1000;
  const maxCount = stage.count ?? Number.POSITIVE_INFINITY;
  let issued = 0;
  let active = stage.concurrency;

  return new Promise((resolve) => {
    // On abort, stop waiting for slots whose operation may never answer.
    const onAbort = (): void => resolve(issued);
    signal.addEventListener('abort', onAbort, { once: true });
    const slotDone = (): void => {
      if (--active === 0) {
        signal.removeEventListener('abort', onAbort);
        resolve(issued);
      }
    };
    const run = (slot: number): void => {
      let t = nowUs();
      const sliceEnd = t + SLICE_US;
      for (;;) {
        if (t >= endUs || issued >= maxCount || signal.aborted) return slotDone();
        issued++;
        flight.recorder?.sent(0, 0);
        const end = flight.issue(slot, t, t);
        if (end < 0) return; // pending: onSettled resumes this slot
        t = end;
        if (t > sliceEnd) {
          setImmediate(run, slot);
          return;
        }
      }
    };
    flight.onSettled = (op) => run(op.slot);
    for (let s = 0; s < stage.concurrency; s++) run(s);
  });
}
