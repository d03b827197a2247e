/**
 * Closed-loop maximum throughput with autocannon, run in the generator process against a target
 * child. Every reply goes through `verify` (autocannon counts failures as mismatches); non-2xx,
 * connection errors and timeouts are counted too. Only successes count toward the rate.
 * autocannon's latencies are whole milliseconds, so no latency figure is taken from it: latency
 * SLOs come from the kit's open-loop engine.
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { Metric } from '@wirebench/kit';

export interface CannonSpec {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  connections: number;
  durationS: number;
  warmupS: number;
  verify: (body: string) => boolean;
  signal: AbortSignal;
}

export interface CannonRun {
  ok: number;
  failed: number;
  failures: Record<string, number>;
  durationS: number;
  okPerSec: number;
  /** Successful replies in each whole second of the run (autocannon's 1 s tick). */
  perSecond: number[];
  /** Event-loop utilisation of the generator thread during the measured run, 0..1. */
  generatorBusy: number;
}

async function once(spec: CannonSpec, durationS: number): Promise<CannonRun> {
  let passed = 0;
  let atTick = 0;
  const perSecond: number[] = [];
  const inst = autocannon({
    url: spec.url,
    method: spec.method,
    ...(spec.body !== undefined ? { body: spec.body, headers: { 'content-type': 'application/json' } } : {}),
    connections: spec.connections,
    pipelining: 1,
    duration: durationS,
    timeout: 5,
    verifyBody: (b) => {
      const good = spec.verify(b);
      if (good) passed++;
      return good;
    },
  });
  inst.on('tick', () => {
    perSecond.push(passed - atTick);
    atTick = passed;
  });
  const onAbort = (): void => inst.stop();
  spec.signal.addEventListener('abort', onAbort, { once: true });
  // ELU is read only to tell a generator-bound run from a target-bound one (the kit does the same in measure()).
  const elu0 = performance.eventLoopUtilization();
  const r = await inst;
  const busy = performance.eventLoopUtilization(elu0).utilization;
  spec.signal.removeEventListener('abort', onAbort);
  const ok = Math.max(0, r['2xx'] - r.mismatches);
  const failures: Record<string, number> = {};
  if (r.non2xx) failures.non_2xx = r.non2xx;
  if (r.mismatches) failures.body_mismatch = r.mismatches;
  if (r.errors) failures.connection_error = r.errors - r.timeouts;
  if (r.timeouts) failures.timeout = r.timeouts;
  const failed = Object.values(failures).reduce((a, b) => a + b, 0);
  return { ok, failed, failures, durationS: r.duration, okPerSec: ok / Math.max(1e-3, r.duration), perSecond: perSecond.slice(0, Math.floor(r.duration)), generatorBusy: busy };
}

/** A discarded warm-up run (JIT, connection setup), then the measured one. */
export async function cannon(spec: CannonSpec): Promise<CannonRun> {
  if (spec.warmupS > 0) await once(spec, spec.warmupS);
  return once(spec, spec.durationS);
}

export function rpsMetric(r: CannonRun, note: string): Metric {
  return { value: Math.round(r.okPerSec), unit: 'ops/s', better: 'higher', samples: r.perSecond, note };
}

/** Why an autocannon run cannot be trusted as the target's maximum. */
export function cannonInvalid(label: string, r: CannonRun): string[] {
  const out: string[] = [];
  if (r.generatorBusy >= 0.95) out.push(`${label}: generator event loop ${Math.round(r.generatorBusy * 100)}% busy: autocannon, not the target, may be the limit`);
  if (r.ok === 0) out.push(`${label}: no successful replies`);
  return out;
}
