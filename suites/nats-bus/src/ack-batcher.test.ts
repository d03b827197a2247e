import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAckBatcher } from './floors/ack-batcher.js';

test('a batch closes at maxBatch ids at once, the rest after maxDelayMs', async () => {
  const sent: string[][] = [];
  const b = createAckBatcher({ maxBatch: 3, maxDelayMs: 5, send: (ids) => sent.push(ids) });
  for (const id of ['a', 'b', 'c', 'd']) b.add(id);
  assert.deepEqual(sent, [['a', 'b', 'c']], 'the full batch goes without waiting');
  assert.equal(b.waiting, 1);
  await sleep(30);
  assert.deepEqual(sent, [['a', 'b', 'c'], ['d']]);
  assert.equal(b.waiting, 0);
});

test('ids arriving within the delay share one report; flush sends what waits', async () => {
  const sent: string[][] = [];
  const b = createAckBatcher({ maxBatch: 256, maxDelayMs: 0, send: (ids) => sent.push(ids) });
  b.add('x');
  b.add('y');
  assert.deepEqual(sent, []);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(sent, [['x', 'y']]);
  b.add('z');
  b.flush();
  assert.deepEqual(sent, [['x', 'y'], ['z']]);
  await new Promise((r) => setImmediate(r));
  assert.equal(sent.length, 2, 'a flushed batch leaves no timer behind');
});
