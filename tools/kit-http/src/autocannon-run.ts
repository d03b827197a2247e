/// <reference path="./autocannon.d.ts" />
/**
 * Closed-loop maximum throughput with autocannon, in the generator process, reported as a kit
 * measurement: every reply goes through `verify` (a failure counts as `body_mismatch`), non-2xx,
 * connection errors and timeouts are counted by kind, and only validated successes count toward
 * the rate. autocannon's latencies are whole milliseconds, so none is reported: latency comes from
 * the kit's own engine.
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { externalMeasurement, type Measurement } from '@wirebench/kit';

export interface CannonSpec {
  /** Names the measurement in results and validity reasons. */
  label: string;
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
  connections: number;
  durationMs: number;
  /** A discarded run first (JIT, connection setup). */
  warmupMs: number;
  verify: (body: string) => boolean;
  signal: AbortSignal;
  /** Told around the measured run (not the warm-up): pass the scenario's `ctx.sampling`. */
  sampling?: { begin(): void; end(): void };
}

export interface CannonRun {
  measurement: Measurement;
  /** Validated successes per second over the whole run. */
  okPerSec: number;
  /** Validated successes in each whole second. */
  perSecond: number[];
  failed: number;
  failures: Record<string, number>;
  /** Requests in flight when autocannon stopped: sent, never awaited, in no count. */
  cutOff: number;
}

async function once(spec: CannonSpec, durationMs: number): Promise<CannonRun> {
  // Counted here from each response's status and body: autocannon's own mismatch count also
  // includes non-2xx replies whose body fails the check, so it cannot split the two.
  let passed = 0;
  let non2xx = 0;
  let mismatch = 0;
  let atTick = 0;
  const perSecond: number[] = [];
  const headers = spec.body !== undefined ? { 'content-type': 'application/json', ...spec.headers } : { ...spec.headers };
  const inst = autocannon({
    url: spec.url,
    connections: spec.connections,
    pipelining: 1,
    duration: durationMs / 1000,
    timeout: 5,
    requests: [
      {
        method: spec.method,
        headers,
        ...(spec.body !== undefined ? { body: spec.body } : {}),
        onResponse: (status, body) => {
          if (status < 200 || status > 299) non2xx++;
          else if (spec.verify(body)) passed++;
          else mismatch++;
        },
      },
    ],
  });
  inst.on('tick', () => {
    perSecond.push(passed - atTick);
    atTick = passed;
  });
  const onAbort = (): void => inst.stop();
  spec.signal.addEventListener('abort', onAbort, { once: true });
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = process.cpuUsage();
  const r = await inst;
  const busy = performance.eventLoopUtilization(elu0).utilization;
  const cpu = process.cpuUsage(cpu0);
  spec.signal.removeEventListener('abort', onAbort);
  const ok = passed;
  const failures: Record<string, number> = {};
  if (non2xx) failures.non_2xx = non2xx;
  if (mismatch) failures.body_mismatch = mismatch;
  if (r.errors - r.timeouts > 0) failures.connection_error = r.errors - r.timeouts;
  const errors = Object.values(failures).reduce((a, b) => a + b, 0);
  // Requests still in flight when autocannon stopped were never awaited: their outcome is unknown,
  // so they are left out of the counts (not blamed on the target as lost) and reported as cutOff.
  const answered = ok + errors + r.timeouts;
  const cutOff = Math.max(0, (r.requests.sent ?? answered) - answered);
  const durMs = r.duration * 1000;
  const measurement = externalMeasurement({
    stage: spec.label,
    concurrency: spec.connections,
    durationMs: durMs,
    counts: { sent: answered, ok, errors, errorsByKind: failures, timeouts: r.timeouts },
    okPerSecond: perSecond.slice(0, Math.floor(r.duration)),
    busy,
    cpuPct: ((cpu.user + cpu.system) / 1000 / Math.max(1, durMs)) * 100,
    params: { tool: 'autocannon', connections: spec.connections, method: spec.method, url: spec.url },
  });
  return { measurement, okPerSec: ok / Math.max(1e-3, r.duration), perSecond: perSecond.slice(0, Math.floor(r.duration)), failed: errors + r.timeouts, failures: { ...failures, ...(r.timeouts ? { timeout: r.timeouts } : {}) }, cutOff };
}

/** A discarded warm-up run, then the measured one. */
export async function autocannonRun(spec: CannonSpec): Promise<CannonRun> {
  if (spec.warmupMs > 0) await once(spec, spec.warmupMs);
  spec.sampling?.begin();
  try {
    return await once(spec, spec.durationMs);
  } finally {
    spec.sampling?.end();
  }
}
