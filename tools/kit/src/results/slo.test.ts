import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isWbError } from '../errors.js';
import { drawWindows, syntheticResult } from '../fixtures/synthetic.js';
import { evaluateSlos, parseSlo } from './slo.js';

test('SLOs in k6 style evaluate against a result, with units', () => {
  const r = syntheticResult(drawWindows(2, 100, () => 4000)); // every op 4 ms
  r.counts = { ...r.counts, sent: 1000, ok: 995, errors: 3, timeouts: 1, lost: 1, errorsByKind: { x: 3 } };
  r.throughput = { requested: 1000, achieved: 995, sent: 1004 };
  r.metrics.ratio = { value: 0.7, unit: 'x', better: 'higher' };
  const out = evaluateSlos(['p99 < 5ms', 'p(99)<3', 'p50 <= 0.005s', 'errors < 1%', 'errors == 0', 'lost == 1', 'throughput >= 1000/s', 'rate_error <= 1%', 'ratio >= 0.6', 'missing_metric > 1'], r);
  assert.deepEqual(out.map((s) => s.pass), [true, false, true, true, false, true, false, true, true, false]);
  assert.equal(out[3]!.actual, 0.5, 'errors = errors + timeouts + lost as a share of sent');
  assert.equal(out[2]!.threshold, 5, 'seconds convert to ms');
  assert.equal(out[9]!.actual, null, 'a metric the result lacks fails its SLO');
});

test('a malformed SLO is a coded error that says the grammar', () => {
  for (const bad of ['p99 5ms', 'p99 < fast', '< 5', 'p99 <> 5', 'p99 < 5%', 'errors < 5ms', 'throughput > 5ms']) {
    assert.throws(() => parseSlo(bad), (e: unknown) => isWbError(e) && e.code === 'WB_ERR_SLO_SYNTAX' && /<metric> <op> <number>|takes/.test(e.message));
  }
});
