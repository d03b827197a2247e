import { nowUs } from './clock.js';
import type { InFlight } from './inflight.js';
import { timerWakeup, type Wakeup } from './ticker.js';

export interface OpenStage {
  /** Arrival rate at the stage's start, ops/s. */
  rate: number;
  /** Arrival rate at the stage's end (linear ramp); defaults to `rate`. */
  rateTo?: number;
  durationMs: number;
  /** Sends beyond this many pending wait in a backlog, keeping their intended time. */
  maxInFlight: number;
  /** A send that leaves later than this after its intended time counts as late. */
  lateThresholdMs: number;
  /**
   * Shifts this worker's schedule (µs) so that N workers at R/N each interleave into one even
   * stream at R instead of N simultaneous bursts.
   */
  phaseUs?: number;
}

/**
 * The arrival schedule: how many operations are due `t` µs into the stage, and its inverse,
 * when the k-th operation is due. A linear ramp integrates to a quadratic.
 */
export function schedule(stage: OpenStage): { dueBy(tUs: number): number; timeOf(k: number): number; total: number } {
  const D = stage.durationMs * 1000;
  const phase = stage.phaseUs ?? 0;
  const r0 = stage.rate / 1e6;
  const r1 = (stage.rateTo ?? stage.rate) / 1e6;
  const a = (r1 - r0) / D;
  const count = (t: number): number => (t <= 0 ? 0 : r0 * t + (a * t * t) / 2);
  const dueBy = (t: number): number => count(t - phase);
  const timeOf = (k: number): number =>
    phase + (Math.abs(a) < 1e-18 ? k / r0 : (-r0 + Math.sqrt(Math.max(0, r0 * r0 + 2 * a * k))) / a);
  // Operations whose intended time falls inside the stage: k with timeOf(k) < D.
  const total = Math.max(0, Math.ceil(count(D - phase) - 1e-9));
  return { dueBy, timeOf, total };
}

/**
 * Open loop at a (possibly ramping) arrival rate. Every operation is timed from its intended
 * send time, so a stall in the target shows as the backlog it causes (coordinated omission
 * corrected); the uncorrected figure is kept by the recorder. Sends wake on `wakeup` (the
 * engine passes a sub-millisecond Ticker), never on a busy spin, so the generator's own lag shows
 * in `sendLag` rather than as a pegged CPU.
 */
export function runOpen<C>(flight: InFlight<C>, stage: OpenStage, signal: AbortSignal, wakeup: Wakeup = timerWakeup()): Promise<number> {
  const plan = schedule(stage);
  const startUs = nowUs();
  const endUs = startUs + stage.durationMs * 1000;
  const lateUs = stage.lateThresholdMs * 1000;
  let next = 0;
  let finished = false;
  let backlogged = false;

  return new Promise((resolve) => {
    const finish = (): void => {
      if (finished) return;
      finished = true;
      signal.removeEventListener('abort', finish);
      wakeup.cancel();
      flight.onSettled = () => {};
      // Dropped: operations that were due by now (or by the stage's end) but never left.
      const due = Math.min(plan.total, Math.ceil(plan.dueBy(Math.min(nowUs(), endUs) - startUs) - 1e-9));
      flight.recorder?.dropped(Math.max(0, due - next));
      resolve(next);
    };
    // `held`: this pump runs because an in-flight slot freed while sends were backed up on the cap.
    const pump = (held = false): void => {
      if (finished) return;
      if (signal.aborted) return finish();
      let now = nowUs();
      const due = Math.min(plan.total, Math.floor(plan.dueBy(now - startUs)) + 1);
      while (next < due && flight.size < stage.maxInFlight) {
        const intended = startUs + plan.timeOf(next);
        if (intended > now) break;
        flight.recorder?.sent(now - intended, lateUs, held);
        next++;
        flight.issue(next, intended, now);
        now = nowUs();
      }
      // Past the end, or everything sent: nothing is left to schedule.
      if (now >= endUs || next >= plan.total) return finish();
      // Backlogged on maxInFlight: a settle resumes sending, and the stage still ends on time.
      // Only a full in-flight window holds a send that is due: a next send not yet due (a worker
      // whose phase puts its first send after the stage's start) waits for its own time.
      backlogged = next < due && flight.size >= stage.maxInFlight;
      const wakeAt = backlogged ? endUs : Math.min(endUs, startUs + plan.timeOf(next));
      wakeup.at(wakeAt, pump);
    };
    flight.onSettled = () => {
      if (backlogged && !finished) {
        wakeup.cancel();
        pump(true);
      }
    };
    signal.addEventListener('abort', finish, { once: true });
    pump();
  });
}
