import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OK, errorOutcome, type Outcome } from '../engine/driver.js';
import type { Measurement } from '../engine/measure.js';
import { TraceRecorder, type Trace } from '../engine/trace.js';
import { firedFaults, normalBoundMs, recoveries, recoveryAfter, recoveryMetrics, stageLatencyMs } from './recovery.js';

const MS = 1000;

/**
 * A 200/s open loop from 0 to `endMs`; `shape(intendedMs)` gives each op's latency (ms) and
 * outcome. Stage 0 before `faultMs` (the baseline), stage 1 after.
 */
function synth(endMs: number, faultMs: number, shape: (at: number) => { latencyMs: number; outcome?: Outcome }): Trace {
  const r = new TraceRecorder(0, 0, 16);
  for (let at = 0; at < endMs; at += 5) {
    const { latencyMs, outcome = OK } = shape(at);
    r.record(at < faultMs ? 0 : 1, at * MS, at * MS, (at + latencyMs) * MS, outcome);
  }
  return r.finish();
}

test('a clean run: nothing disturbed, recovered at once, the longest stall one arrival gap', () => {
  const t = synth(5000, 2000, () => ({ latencyMs: 2 }));
  const r = recoveryAfter(t, { faultUs: 2000 * MS, untilUs: 5000 * MS, normalMs: 25 });
  assert.equal(r.recoveryMs, 0);
  assert.equal(r.recovered, true);
  assert.equal(r.steadyMs, 0);
  assert.equal(r.lastFailureMs, null);
  assert.equal(r.disturbed, 0);
  assert.equal(r.failed + r.retried + r.lost + r.abandoned + r.duplicates, 0);
  assert.equal(r.longestStallMs, 5);
  assert.equal(r.ops, 600, 'ops settled from the fault on: those intended from 2000 ms');
  assert.equal(r.sentAfter, 600);
  assert.equal(stageLatencyMs(t, 0), 2);
  assert.equal(normalBoundMs(2), 25, 'the floor');
  assert.equal(normalBoundMs(10, { factor: 3, floorMs: 25 }), 30);
});

test('a kill with retries: recovery ends at the last disturbed answer once a quiet second of sends followed', () => {
  const t = synth(10_000, 2000, (at) => {
    if (at === 2100) return { latencyMs: 5000, outcome: errorOutcome('ABANDONED', 3) };
    // In flight on the killed worker, or sent to it before the broker noticed: answered after one resend, 2.5 s later.
    if (at >= 1990 && at < 2300) return { latencyMs: 2500, outcome: { status: 'ok', retries: 1, duplicates: at === 2000 ? 1 : 0 } };
    if (at >= 2300 && at < 2500) return { latencyMs: 50 }; // the surviving worker's backlog
    return { latencyMs: 2 };
  });
  const r = recoveryAfter(t, { faultUs: 2000 * MS, untilUs: 10_000 * MS, normalMs: 25, abandonedKinds: ['ABANDONED'] });
  // Last disturbed answer: the abandoned op (intended 2100, settled at 7100).
  assert.equal(r.recoveryMs, 5100);
  assert.equal(r.lastFailureMs, 5100);
  assert.equal(r.steadyMs, 5100);
  assert.equal(r.failed, 1);
  assert.equal(r.errors, 1);
  assert.equal(r.abandoned, 1);
  assert.equal(r.retried, 61, 'ops intended 1990…2295 but the abandoned one');
  assert.equal(r.duplicates, 1);
  assert.equal(r.disturbed, 62 + 40, 'retried or failed (62) and slow (40)');
  assert.equal(r.longestStallMs, 350, 'nothing answered from the fault until the first op sent after the retried ones (2300 + 50 ms)');
  assert.equal(recoveryAfter(t, { faultUs: 2000 * MS, untilUs: 10_000 * MS, normalMs: 25, duplicates: 7 }).duplicates, 7, 'a count the suite supplies wins');
  assert.equal(recoveryAfter(t, { faultUs: 2000 * MS, untilUs: 10_000 * MS, normalMs: 25 }).abandoned, 0, 'abandoned only for the kinds named');
  // Without the abandoned op, the retries (2.5 s) decide it.
  const retriesOnly = synth(10_000, 2000, (at) => (at >= 1990 && at < 2300 ? { latencyMs: 2500, outcome: { status: 'ok', retries: 1 } } : { latencyMs: 2 }));
  assert.equal(recoveryAfter(retriesOnly, { faultUs: 2000 * MS, untilUs: 10_000 * MS, normalMs: 25 }).recoveryMs, 2295 + 2500 - 2000);
});

test('a retry answered within the normal bound disturbs recovery but not steadiness', () => {
  const t = synth(4000, 1000, (at) => (at >= 1000 && at < 1500 ? { latencyMs: 3, outcome: { status: 'ok', retries: 1 } } : { latencyMs: 2 }));
  const r = recoveryAfter(t, { faultUs: 1000 * MS, untilUs: 4000 * MS, normalMs: 25 });
  assert.equal(r.recoveryMs, 1495 + 3 - 1000);
  assert.equal(r.steadyMs, 0);
});

test('a stall (SIGSTOP, SIGUSR2): no answer for 400 ms, then the backlog; slow ops are the disturbance', () => {
  const t = synth(5000, 2000, (at) => ({ latencyMs: at >= 1990 && at < 2400 ? Math.max(2, 2401 - at) : 2 }));
  const r = recoveryAfter(t, { faultUs: 2000 * MS, untilUs: 5000 * MS, normalMs: 25, quietMs: 500 });
  assert.equal(r.longestStallMs, 401);
  assert.equal(r.failed, 0);
  assert.equal(r.recoveryMs, 401, 'the last op slower than 25 ms (intended 2375) answered at 2401');
  assert.equal(r.lastFailureMs, null);
  assert.equal(r.disturbed, (2375 - 1990) / 5 + 1);
});

test('not recovered: a killed target refusing to the window\'s end', () => {
  const t = synth(5000, 2000, (at) => (at >= 2000 ? { latencyMs: 1, outcome: errorOutcome('ECONNREFUSED') } : { latencyMs: 2 }));
  const r = recoveryAfter(t, { faultUs: 2000 * MS, untilUs: 5000 * MS, normalMs: 25 });
  assert.equal(r.recovered, false);
  assert.equal(r.recoveryMs, null);
  assert.equal(r.steadyMs, null);
  assert.equal(r.failed, 600);
  assert.equal(r.lastFailureMs, 2996);
  assert.equal(r.longestStallMs, 4995 + 1 - 2000, 'no answer after the fault: from the fault to the last failure');
  const { metrics, problems } = recoveryMetrics('kill', 'kill -9 the service', r);
  assert.equal(metrics.recovery_kill_ms?.value, 3000, 'not recovered: the whole window');
  assert.match(problems.join(';'), /not recovered within its window/);
  assert.equal(metrics.failed_kill?.value, 600);
});

test('firedFaults and recoveries: windows run to the next fault, the bound comes from the baseline stage', () => {
  const t = synth(6000, 1000, (at) => ({ latencyMs: (at >= 2000 && at < 2200) || (at >= 4000 && at < 4100) ? 100 : 4 }));
  const stage = (name: string, durationMs: number) => ({ spec: { name, model: 'open' as const, durationMs, warmup: false, rate: 200 }, workers: [{ name, model: 'open' as const, warmup: false, elapsedMs: durationMs, issueMs: durationMs, snapshot: null, busy: 0, cpuPct: 0 }] });
  const m: Measurement = {
    load: { model: 'open', stages: [], workers: 1, timeoutMs: 1000 },
    windowMs: 1000,
    stages: [
      { ...stage('baseline', 1000), startUs: 0 },
      { ...stage('kill', 2000), startUs: 1000 * MS, faults: [{ action: 'kill worker-1', atMs: 1000, firedAtMs: 1000.4, doneMs: 1010 }] },
      { ...stage('stall', 3000), startUs: 3000 * MS, faults: [{ action: 'SIGUSR2 worker-2', atMs: 1000, firedAtMs: 1000, doneMs: 1000 }, { action: 'late', atMs: 2999, firedAtMs: null, doneMs: null }] },
    ],
    trace: t,
  };
  const f = firedFaults(m);
  assert.deepEqual(f.map((x) => [x.action, x.stageIndex, x.firedUs, x.untilUs]), [
    ['kill worker-1', 1, 2000.4 * MS, 4000 * MS],
    ['SIGUSR2 worker-2', 2, 4000 * MS, 6000 * MS],
  ]);
  const r = recoveries(m, { baselineStage: 'baseline', quietMs: 500 });
  assert.equal(r.normalMs, 25, 'max(3 × 4 ms, 25 ms)');
  assert.equal(r.faults[0]?.recovery.recoveryMs, 294.6, '2195 + 100 − 2000.4 ms');
  assert.equal(r.faults[1]?.recovery.recoveryMs, 4095 + 100 - 4000);
  assert.equal(recoveries(m, { baselineStage: 0, factor: 10, floorMs: 1 }).normalMs, 40);
  assert.throws(() => recoveries({ ...m, trace: undefined as never }, { baselineStage: 0 }), /trace: true/);
});
