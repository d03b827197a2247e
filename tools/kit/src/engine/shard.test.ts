import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OK, type Driver } from './driver.js';
import { measure } from './measure.js';
import { summarizeMeasurement } from '../results/summarize.js';
import type { LoadSpec } from '../suite/suite.js';

const signal = new AbortController().signal;
const ok: Driver<null> = { open: () => null, perform: async () => OK, close: () => {} };
const load: LoadSpec = { stages: [
  { name: 'open', model: 'open', rate: 300, durationMs: 500 },
  { name: 'closed', model: 'closed', concurrency: 3, count: 7, durationMs: 2000 },
] };

test('the shards of a load add up to the load: open-loop sends, closed-loop slots and counts', async () => {
  const shards = await Promise.all([0, 1].map((index) => measure(load, { driverFactory: () => ok, signal, shard: { index, count: 2 } })));
  const whole = summarizeMeasurement(await measure(load, { driverFactory: () => ok, signal }));
  const parts = shards.map((m) => summarizeMeasurement(m));
  assert.deepEqual(shards.map((m) => m.load.shard), [{ index: 0, count: 2 }, { index: 1, count: 2 }], 'each says whose share it ran');
  assert.deepEqual(shards.map((m) => m.stages[0]!.spec.rate), [150, 150]);
  assert.deepEqual(shards.map((m) => m.stages[1]!.spec.concurrency), [2, 1], 'whole slots, none rounded up');
  assert.equal(shards[0]!.load.stages[0]!.rate, 300, 'the load as asked stays in the result');
  for (const i of [0, 1]) assert.equal(parts[0]!.stages[i]!.counts.sent + parts[1]!.stages[i]!.counts.sent, whole.stages[i]!.counts.sent, `stage ${i}: exact`);
  assert.equal(whole.stages[1]!.counts.sent, 7);
});

test('--start-at holds the first measured stage until then; warm-up runs before it', async () => {
  const at = Date.now() + 400;
  const m = await measure({ stages: [{ name: 'w', model: 'open', rate: 100, durationMs: 100, warmup: true }, { name: 'm', model: 'open', rate: 100, durationMs: 100 }] }, { driverFactory: () => ok, signal, startAtMs: at });
  const startedAt = performance.timeOrigin + m.stages[1]!.startUs! / 1000;
  assert.ok(startedAt >= at - 2 && startedAt < at + 100, `measured stage began ${Math.round(startedAt - at)} ms from --start-at`);
});
