import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { brokerTarget, directTarget, workerTarget } from './targets.js';
import { faultLoad } from './scenarios/faults.js';

test('target declarations resolve to the package\'s mains, with the args the mains take', () => {
  const d = directTarget();
  assert.ok(d.script && existsSync(d.script) && d.script.endsWith('direct-main.ts'));
  const b = brokerTarget({ frontend: 5001, backend: 5002 }, { heartbeatMs: 500, liveness: 4 });
  assert.deepEqual(b.args, ['--frontend', 'tcp://127.0.0.1:5001', '--backend', 'tcp://127.0.0.1:5002', '--heartbeat-ms', '500', '--liveness', '4']);
  assert.match('READY broker tcp://127.0.0.1:5001 tcp://127.0.0.1:5002', (b.ready as { line: RegExp }).line);
  const w = workerTarget('tcp://127.0.0.1:5002', 3, { capacity: 16 });
  assert.equal(w.role, 'worker-3');
  assert.deepEqual(w.args?.slice(-4), ['--stall-signal-ms', '3000', '--capacity', '16']);
});

test('each fault fires inside its own stage, after a baseline, in full and smoke runs', () => {
  for (const smoke of [false, true]) {
    const load = faultLoad({ smoke }, { timeoutMs: 2500, retries: 4 });
    assert.equal(load.trace, true);
    assert.ok(load.timeoutMs! > 2500 * 4, 'the kit waits past the client\'s retry budget');
    const names = load.stages.map((s) => s.name);
    assert.deepEqual(names.slice(0, 2), ['warmup', 'baseline']);
    assert.deepEqual(names.slice(2), smoke ? ['worker_kill'] : ['worker_kill', 'broker_restart', 'worker_stall']);
    for (const s of load.stages.slice(2)) {
      assert.equal(s.faults?.length, 1, s.name);
      // At least 3 s after the fault: the quiet second after a recovery must fit before the window ends.
      assert.ok(s.durationMs - s.faults![0]!.atMs >= 3000, s.name);
    }
  }
});
