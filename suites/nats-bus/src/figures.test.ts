/** Burst and faults figures on recorded data: counts, and a per-operation trace with its fired faults. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OK, TraceRecorder, type Measurement, type Outcome } from '@wirebench/kit';
import { burstFigures, faultFigures, lossWindowMs, storedPct } from './figures.js';

const MS = 1000;
const counts = (o: Partial<{ sent: number; ok: number; retried: number; errors: number; timeouts: number; lost: number }>) => ({ sent: 0, ok: 0, retried: 0, errors: 0, timeouts: 0, lost: 0, ...o });

test('burst: stored % of those sent (retried successes count), drain time = the slowest op', () => {
  const f = burstFigures('core', counts({ sent: 1000, ok: 960, retried: 10, timeouts: 30 }), 345.087);
  assert.equal(f.core_stored_pct?.value, 97);
  assert.equal(f.core_drain_ms?.value, 345.087);
  assert.equal(f.core_stored_pct?.better, 'higher');
  assert.equal(storedPct(counts({})), 0, 'nothing sent: 0 %, never NaN');
});

/**
 * A 200/s faults load as the scenario runs it: baseline 500–2000 ms, service_kill from 2000 ms
 * (kill + restart 1 s in, so at 3000 ms), then nats_restart (restart 1 s in). Core's smoke stage
 * lengths by default (5 s, 6 s): the kill at 3000 ms, the server restart at 8000 ms. `shape`
 * gives each op's latency and outcome by intended time (ms).
 */
function recorded(shape: (at: number) => { latencyMs: number; outcome?: Outcome }, killMs = 5000, restartMs = 6000): Measurement {
  const r = new TraceRecorder(0, 0, 4096);
  const restartAt = 2000 + killMs;
  const end = restartAt + restartMs;
  const stageOf = (at: number): number => (at < 2000 ? 1 : at < restartAt ? 2 : 3);
  for (let at = 500; at < end; at += 5) {
    const { latencyMs, outcome = OK } = shape(at);
    r.record(stageOf(at), at * MS, at * MS, (at + latencyMs) * MS, outcome);
  }
  const stage = (name: string, startMs: number, durationMs: number, warmup = false) => ({
    spec: { name, model: 'open' as const, durationMs, warmup, rate: 200 },
    workers: [{ name, model: 'open' as const, warmup, elapsedMs: durationMs, issueMs: durationMs, snapshot: null, busy: 0.2, cpuPct: 0 }],
    startUs: startMs * MS,
  });
  return {
    load: { model: 'open', stages: [], workers: 1, timeoutMs: 6000 },
    windowMs: 1000,
    stages: [
      stage('warmup', 0, 500, true),
      stage('baseline', 500, 1500),
      { ...stage('service_kill', 2000, killMs), faults: [{ action: 'kill service-core-each, restart service-core-each', atMs: 1000, firedAtMs: 1000, doneMs: 1130 }] },
      { ...stage('nats_restart', restartAt, restartMs), faults: [{ action: 'restart nats-core-each', atMs: 1000, firedAtMs: 1000, doneMs: 1300 }] },
    ],
    trace: r.finish(),
  };
}

test('core faults: what was published while the service was down is lost, known lost when the driver gives up (3 s)', () => {
  // The service is down 3000–3130 ms: those events never get a signal and are not in the database.
  // The server restart at 8000 ms drops 8000–8300 ms. Everything else commits in 2 ms.
  const m = recorded((at) => ((at >= 3000 && at < 3130) || (at >= 8000 && at < 8300) ? { latencyMs: 3000, outcome: { status: 'lost' } } : { latencyMs: 2 }));
  const { metrics, problems } = faultFigures('core', counts({ sent: 2500, ok: 2500 - 26 - 60, lost: 86 }), m);
  assert.equal(metrics.core_stored_pct?.value, 96.56);
  assert.equal(metrics.core_failed?.value, 86);
  assert.equal(metrics.core_duplicated?.value, 0);
  assert.equal(metrics.failed_core_service_kill?.value, 26);
  assert.equal(metrics.failed_core_nats_restart?.value, 60);
  // Recovery is when the last loss was known (its send + 3 s), the loss window when it was sent.
  assert.equal(metrics.recovery_core_service_kill_ms?.value, 3125 + 3000 - 3000);
  assert.equal(metrics.loss_window_core_service_kill_ms?.value, 125);
  assert.equal(metrics.recovery_core_nats_restart_ms?.value, 8295 + 3000 - 8000);
  assert.equal(metrics.loss_window_core_nats_restart_ms?.value, 295);
  assert.deepEqual(problems, []);
});

test('jetstream faults: held events come back after ack_wait, a swallowed signal is found in the database; a second report is a duplicate', () => {
  // Jetstream's smoke kill stage (9 s): the kill at 3000 ms, the server restart at 12,000 ms.
  const m = recorded((at) => {
    if (at >= 2990 && at < 3200) return { latencyMs: 8400 - at, outcome: at === 3000 ? { status: 'ok', duplicates: 1 } : OK }; // held by the killed service, redelivered: all committed at 8400 ms
    if (at >= 12_000 && at < 12_350) return { latencyMs: 12_900 - at }; // signal lost in the restart: found stored at 12,900 ms
    return { latencyMs: 2 };
  }, 9000, 5000);
  const { metrics, problems } = faultFigures('jetstream', counts({ sent: 2500, ok: 2500 }), m);
  assert.equal(metrics.jetstream_stored_pct?.value, 100);
  assert.equal(metrics.jetstream_failed?.value, 0);
  assert.equal(metrics.jetstream_duplicated?.value, 1);
  assert.equal(metrics.recovery_jetstream_service_kill_ms?.value, 8400 - 3000);
  assert.equal(metrics.recovery_jetstream_nats_restart_ms?.value, 900);
  assert.equal(metrics.loss_window_jetstream_service_kill_ms?.value, 0, 'nothing failed');
  assert.deepEqual(problems, []);
});

test('a fault whose window ends before things settle is reported as not recovered', () => {
  const m = recorded((at) => (at >= 3000 && at < 7000 ? { latencyMs: 1, outcome: { status: 'error', kind: 'publish' } } : { latencyMs: 2 }));
  const { metrics, problems } = faultFigures('core', counts({ sent: 2500, ok: 1700, errors: 800 }), m);
  assert.match(problems.join('; '), /core, kill service-core-each.*not recovered within its window/);
  assert.equal(metrics.recovery_core_service_kill_ms?.value, 5000, 'not recovered: the whole window (to the next fault at 8000 ms)');
});

test('loss window: only failures sent from the fault to the window end count', () => {
  const m = recorded((at) => (at === 2995 || at === 3100 || at === 8005 ? { latencyMs: 3000, outcome: { status: 'lost' } } : { latencyMs: 2 }));
  assert.equal(lossWindowMs(m.trace!, 3000 * MS, 8000 * MS), 100, 'the one sent before the fault and the one after the window are left out');
  assert.equal(lossWindowMs(m.trace!, 3200 * MS, 7000 * MS), 0);
});
