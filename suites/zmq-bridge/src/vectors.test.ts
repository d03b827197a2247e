import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeEnough, prepareVectors } from './vectors.js';

test('vectors are seeded, float32, and carry their exact sum, mean and norm', () => {
  const [a] = prepareVectors(4, 1, 3);
  const [b] = prepareVectors(4, 1, 3);
  assert.deepEqual(a, b, 'same seed, same vectors');
  const d = [...a!.data];
  const sum = d.reduce((x, y) => x + y, 0);
  assert.equal(a!.expected.sum, sum);
  assert.equal(a!.expected.mean, sum / 4);
  assert.equal(a!.expected.norm, Math.sqrt(d.reduce((x, y) => x + y * y, 0)));
  assert.notDeepEqual(prepareVectors(4, 1, 4)[0]!.data, a!.data);
});

test('closeEnough takes a different summing order, not a different answer', () => {
  assert.ok(closeEnough(1 + 1e-12, 1));
  assert.ok(!closeEnough(1.001, 1));
  assert.ok(!closeEnough('1', 1));
  assert.ok(!closeEnough(Number.NaN, 1));
});
