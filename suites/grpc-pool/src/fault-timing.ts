/**
 * Fault timings from the pool's events: how long after a fault the pool noticed a worker
 * (worker:unhealthy) and had its replacement ready (worker:ready of the slot's next generation).
 * The fault's own time is taken when the action sends the signal, on the same epoch clock.
 */
import type { PoolEventLine } from './startup-log.js';

export interface FaultTiming {
  /** Fault → the pool declared the worker unhealthy (ms); null: never. */
  detectedMs: number | null;
  /** Fault → a new worker of the slot ready (ms); null: none. */
  replacedMs: number | null;
  /** The new worker's own spawn → ready, as the pool timed it. */
  replacementReadyMs: number | null;
}

export function faultTiming(events: readonly PoolEventLine[], workerId: string, pid: number, atEpochMs: number): FaultTiming {
  const after = events.filter((e) => e.workerId === workerId && e.at >= atEpochMs);
  const unhealthy = after.find((e) => e.type === 'worker:unhealthy' && e.pid === pid);
  const ready = after.find((e) => e.type === 'worker:ready' && e.pid !== pid);
  return {
    detectedMs: unhealthy ? unhealthy.at - atEpochMs : null,
    replacedMs: ready ? ready.at - atEpochMs : null,
    replacementReadyMs: ready?.readyMs ?? null,
  };
}

/** Errors by kind of a result's counts, split into the expected kinds and the rest. */
export function splitKinds(byKind: Readonly<Record<string, number>>, expected: readonly string[]): { expected: Record<string, number>; other: number } {
  const out: Record<string, number> = Object.fromEntries(expected.map((k) => [k, 0]));
  let other = 0;
  for (const [k, n] of Object.entries(byKind)) {
    if (expected.includes(k)) out[k] = n;
    else other += n;
  }
  return { expected: out, other };
}
