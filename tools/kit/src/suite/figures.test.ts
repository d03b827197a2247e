import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OK, type Driver, type Outcome } from '../engine/driver.js';
import { Figures } from './figures.js';
import { closedLoop } from './loads.js';
import { measure } from '../engine/measure.js';

test('figures turn a measurement into metrics whose samples are per-window rates and percentiles', async () => {
  const oneMs: Driver<null> = { open: () => null, perform: () => new Promise<Outcome>((r) => setTimeout(r, 1, OK)), close: () => {} };
  const m = await measure(closedLoop({ concurrency: 2, durationMs: 1000 }), { driverFactory: () => oneMs, signal: new AbortController().signal });
  const f = new Figures();
  const s = f.add('timer', m);
  f.latency('timer', s, 'two slots of 1 ms timers');
  f.rate('timer', s, 'two slots of 1 ms timers');
  f.ratio('half', s.throughput.achieved / 2 / s.throughput.achieved, 'a ratio');
  const rps = f.metrics.timer_rps!;
  assert.equal(s.windows[0]!.windowMs, 100, 'a 1 s run gets 100 ms windows');
  assert.ok(rps.samples!.length >= 8);
  const meanSample = rps.samples!.reduce((a, b) => a + b, 0) / rps.samples!.length;
  assert.ok(Math.abs(meanSample - rps.value) / rps.value < 0.25, `window rates (${meanSample}/s) are per second, like the figure (${rps.value}/s)`);
  assert.ok(f.metrics.timer_p50_ms!.value >= 1);
  assert.equal(f.metrics.half!.value, 0.5);
  const out = f.output(m);
  assert.equal(out.measurement, m);
  assert.deepEqual(Object.keys(out.metrics!).sort(), ['half', 'timer_p50_ms', 'timer_p99_ms', 'timer_rps']);
});

test('medianOf: the median of per-round figures, each round kept as a sample', () => {
  const f = new Figures();
  f.medianOf('goal_vs_base', [3.1234, 2.5, 4.0004, 2.9999], 'x', 'higher', 'per round');
  assert.deepEqual(f.metrics.goal_vs_base, { value: 3.062, unit: 'x', better: 'higher', note: 'per round', samples: [3.123, 2.5, 4, 3] });
  f.medianOf('none', [], 'x', 'higher', 'no rounds');
  assert.equal(f.metrics.none?.value, 0);
});
