import { nowUs } from '../clock.js';
import type { InFlight } from './inflight.js';

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
}

/**
 * The arrival schedule: how many operations are due `t` µs into the stage, and its inverse,
 * when the k-th operation is due. A linear ramp integrates to a quadratic.
 */
export function schedule(stage: OpenStage): { dueBy(tUs: number): number; timeOf(k: number): number; total: number } {
  const D = stage.durationMs * 1000;
  const r0 = stage.rate / 1e6;
  const r1 = (stage.rateTo ?? stage.rate) / 1e6;
  const a = (r1 - r0) / D;
  const dueBy = (t: number): number => r0 * t + (a * t * t) / 2;
  const timeOf = (k: number): number =>
    Math.abs(a) < 1e-18 ? k / r0 : (-r0 + Math.sqrt(Math.max(0, r0 * r0 + 2 * a * k))) / a;
  return { dueBy, timeOf, total: Math.ceil(dueBy(D) - 1e-9) };
}

/**
 * Open loop at a (possibly ramping) arrival rate. Every operation is timed from its intended
 * send time, so a stall in the target shows as the backlog it causes (coordinated omission
 * corrected); the uncorrected figure is kept by the recorder. Sends run on timers, never on a
 * busy spin, so the generator's own lag shows in `sendLag` rather than as a pegged CPU.
 */
export function runOpen<C>(flight: InFlight<C>, stage: OpenStage, signal: AbortSignal): Promise<number> {
  const plan = schedule(stage);
  const startUs = nowUs();
  const lateUs = stage.lateThresholdMs * 1000;
  let next = 0;
  let timer: NodeJS.Timeout | null = null;

  return new Promise((resolve) => {
    const finish = (): void => {
      signal.removeEventListener('abort', finish);
      if (timer) clearTimeout(timer);
      timer = null;
      flight.onSettled = () => {};
      const dropped = plan.total - next;
      flight.recorder?.dropped(dropped);
      resolve(next);
    };
    const pump = (): void => {
      timer = null;
      if (signal.aborted) return finish();
      let now = nowUs();
      if (now - startUs >= stage.durationMs * 1000 && next >= plan.total) return finish();
      const due = Math.min(plan.total, Math.floor(plan.dueBy(now - startUs)) + 1);
      while (next < due && flight.size < stage.maxInFlight) {
        const intended = startUs + plan.timeOf(next);
        flight.recorder?.sent(now - intended, lateUs);
        next++;
        flight.issue(next, intended, now);
        now = nowUs();
      }
      if (now - startUs >= stage.durationMs * 1000) return finish();
      if (next < due) return; // backlog waits for a settle (maxInFlight reached)
      const waitMs = (startUs + plan.timeOf(next) - now) / 1000;
      timer = setTimeout(pump, Math.max(0, waitMs));
    };
    flight.onSettled = () => {
      if (timer === null) pump();
    };
    signal.addEventListener('abort', finish, { once: true });
    pump();
  });
}
