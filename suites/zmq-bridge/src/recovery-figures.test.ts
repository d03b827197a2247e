import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OK, errorOutcome, TraceRecorder, type Measurement, type Outcome } from '@wirebench/kit';
import { ABANDONED, faultFigures } from './recovery-figures.js';

const MS = 1000;

/**
 * A recorded faults run as the scenario makes it: 200/s, stages warmup (not traced), baseline
 * (0–1000 ms) and worker_kill (1000–6000 ms), the kill fired 800 ms into its stage.
 */
function run(shape: (atMs: number) => { latencyMs: number; outcome?: Outcome }, endMs = 6000): Measurement {
  const r = new TraceRecorder(0, 0, 64);
  for (let at = 0; at < endMs; at += 5) {
    const { latencyMs, outcome = OK } = shape(at);
    r.record(at < 1000 ? 1 : 2, at * MS, at * MS, (at + latencyMs) * MS, outcome);
  }
  const stage = (name: string, durationMs: number, warmup = false) => ({ spec: { name, model: 'open' as const, rate: 200, durationMs, warmup }, workers: [] });
  return {
    load: { model: 'open', stages: [], workers: 1, timeoutMs: 12_000 },
    windowMs: 1000,
    stages: [
      { ...stage('warmup', 300, true), startUs: -300 * MS },
      { ...stage('baseline', 1000), startUs: 0 },
      { ...stage('worker_kill', endMs - 1000), startUs: 1000 * MS, faults: [{ action: 'kill worker-1 + restart worker-1', atMs: 800, firedAtMs: 800, doneMs: 950 }] },
    ],
    trace: r.finish(),
  };
}

const WHAT = { worker_kill: 'kill -9 worker-1, then restart it' };

test('a worker kill: recovery at the last disturbed answer, abandoned and unfinished requests counted', () => {
  const m = run((at) => {
    if (at === 1850) return { latencyMs: 3000, outcome: errorOutcome(ABANDONED, 3) };
    if (at === 1900) return { latencyMs: 2400, outcome: { status: 'timeout' } };
    // Sent to the dying worker: answered after one resend, 2.5 s later; one late reply discarded.
    if (at >= 1790 && at < 1990) return { latencyMs: 2500, outcome: { status: 'ok', retries: 1, duplicates: at === 1800 ? 1 : 0 } };
    return { latencyMs: 2 };
  });
  const f = faultFigures(m, WHAT);
  assert.deepEqual(f.invalidReasons, []);
  assert.equal(f.metrics.recovery_worker_kill_ms?.value, 1850 + 3000 - 1800, 'the abandoned request settled last');
  assert.equal(f.metrics.abandoned?.value, 1);
  assert.equal(f.metrics.abandoned_worker_kill?.value, 1);
  assert.equal(f.metrics.lost_with_retries_left?.value, 1, 'the kit timeout: a request the client never finished');
  assert.equal(f.metrics.retried_worker_kill?.value, 38, 'ops intended 1790…1985 but the abandoned and the timed-out one');
  assert.equal(f.metrics.failed_worker_kill?.value, 2);
  assert.equal(f.metrics.duplicates?.value, 1);
  assert.equal(f.metrics.duplicates_worker_kill?.value, 1);
  assert.match(f.metrics.recovery_worker_kill_ms?.note ?? '', /kill -9 worker-1/);
  assert.match(f.notes.join(), /<= 25 ms/, 'normal bound: 3 × a 2 ms baseline p99, floored at 25 ms');
});

test('a clean kill: recovered at once, nothing lost', () => {
  const f = faultFigures(run(() => ({ latencyMs: 2 })), WHAT);
  assert.deepEqual(f.invalidReasons, []);
  assert.equal(f.metrics.recovery_worker_kill_ms?.value, 0);
  assert.equal(f.metrics.lost_with_retries_left?.value, 0);
  assert.equal(f.metrics.abandoned?.value, 0);
});

test('not recovered before the run ended: the whole window as the figure, and the result invalid', () => {
  const f = faultFigures(run((at) => (at >= 1800 ? { latencyMs: 1, outcome: errorOutcome(ABANDONED) } : { latencyMs: 2 })), WHAT);
  // The window runs from the fault to the last settled operation (intended 5995, answered 1 ms later).
  assert.equal(f.metrics.recovery_worker_kill_ms?.value, 5996 - 1800);
  assert.match(f.invalidReasons.join(), /not recovered within its window/);
});

test('without a trace there is no recovery figure, and the run says why', () => {
  const m = run(() => ({ latencyMs: 2 }));
  delete m.trace;
  const f = faultFigures(m, WHAT);
  assert.deepEqual(f.metrics, {});
  assert.match(f.invalidReasons.join(), /no per-operation trace/);
});
