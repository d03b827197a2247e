import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Measurement } from '../engine/measure.js';
import type { Metric } from '../results/types.js';
import type { RunOutput } from '../suite/suite.js';
import { mergeOutputs } from './chain.js';

const metric = (value: number): Metric => ({ value, unit: 'x', better: 'higher', note: '' });
const m = (name: string) => ({ load: { model: 'closed', stages: [], workers: 1, timeoutMs: 1, params: { name } }, windowMs: 1, stages: [] }) as unknown as Measurement;

test('merges metrics, notes and reasons; the last plan\'s measurement unless told', () => {
  const outs: RunOutput[] = [
    { measurement: m('grid'), metrics: { a_rps: metric(2) }, notes: ['n1'] },
    { measurement: m('rounds'), metrics: { b_rps: metric(4) }, invalidReasons: ['r1'] },
  ];
  const out = mergeOutputs(outs, { derive: (x) => ({ a_vs_b: metric(x.a_rps!.value / x.b_rps!.value) }) });
  assert.deepEqual(Object.keys(out.metrics!), ['a_rps', 'b_rps', 'a_vs_b']);
  assert.equal(out.metrics!.a_vs_b!.value, 0.5);
  assert.deepEqual(out.notes, ['n1']);
  assert.deepEqual(out.invalidReasons, ['r1']);
  assert.equal(out.measurement?.load.params?.name, 'rounds');
  assert.equal(mergeOutputs(outs, { measurement: 0 }).measurement?.load.params?.name, 'grid');
});

test('a metric named by two plans is an error, not a silent pick', () => {
  assert.throws(() => mergeOutputs([{ metrics: { x: metric(1) } }, { metrics: { x: metric(2) } }]), /metric x is named by two plans/);
});
