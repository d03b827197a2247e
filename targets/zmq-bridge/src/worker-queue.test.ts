import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CREDITS, WorkerQueue } from './worker-queue.js';

const id = (name: string): Buffer => Buffer.from(name);
const name = (q: WorkerQueue): string | undefined => q.pop()?.identity.toString();

test('one READY each: plain ppqueue LRU, a reply rejoins at the tail', () => {
  const q = new WorkerQueue();
  for (const w of ['A', 'B', 'C']) q.ready(id(w), 1000);
  assert.equal(q.size, 3);
  assert.equal(name(q), 'A');
  assert.equal(name(q), 'B');
  assert.equal(q.replied(id('A'), 1000), true);
  assert.deepEqual([name(q), name(q), name(q)], ['C', 'A', undefined]);
  assert.equal(q.size, 0);
});

test('each further READY is one more credit; workers take turns, least recently used first', () => {
  const q = new WorkerQueue();
  q.ready(id('A'), 1000);
  q.ready(id('B'), 1000);
  q.ready(id('B'), 1000);
  q.ready(id('A'), 1000);
  assert.equal(q.size, 4);
  assert.equal(q.idleWorkers, 2);
  assert.deepEqual([name(q), name(q), name(q), name(q), name(q)], ['A', 'B', 'A', 'B', undefined]);
  assert.equal(q.get(id('A'))?.inFlight, 2);
  assert.equal(q.idleWorkers, 0);
  assert.deepEqual(q.identities().map(String), ['A', 'B'], 'busy workers are heartbeated too (RFC 6)');
  assert.equal(q.replied(id('B'), 1000), true);
  assert.equal(q.replied(id('A'), 1000), true);
  assert.deepEqual([name(q), name(q), name(q)], ['B', 'A', undefined], 'credits come back in reply order');
});

test('a reply to nothing handed out earns no credit (duplicates cannot inflate a READY-once worker)', () => {
  const q = new WorkerQueue();
  q.ready(id('A'), 1000);
  assert.equal(name(q), 'A');
  assert.equal(q.replied(id('A'), 1000), true);
  for (let i = 0; i < 50; i++) assert.equal(q.replied(id('A'), 1000), true, 'still a known worker');
  assert.equal(q.size, 1);
  assert.deepEqual([name(q), name(q)], ['A', undefined]);
});

test('purge drops expired workers, busy or not; stale places are skipped; a late reply re-registers with one credit', () => {
  const q = new WorkerQueue();
  q.ready(id('A'), 100);
  q.ready(id('A'), 100);
  q.ready(id('B'), 500);
  q.ready(id('C'), 100);
  assert.equal(name(q), 'A'); // A: 1 free, 1 in flight
  assert.equal(name(q), 'B');
  assert.equal(name(q), 'C'); // C busy with its only credit: a dead worker like this must still expire
  assert.equal(q.purge(200), 2, 'A and C expired');
  assert.equal(q.size, 0);
  assert.equal(q.get(id('C')), undefined);
  assert.equal(q.replied(id('C'), 1000), false, 'the broker re-registers a worker it does not hold');
  q.ready(id('C'), 1000);
  assert.equal(q.replied(id('C'), 1000), true);
  assert.equal(q.size, 1, 'the late reply after re-registering earned nothing');
  assert.equal(q.replied(id('B'), 1000), true);
  assert.deepEqual([name(q), name(q), name(q)], ['C', 'B', undefined]);
  assert.equal(q.refresh(id('Z'), 1000), false);
});

test('a peer repeating READY cannot claim more than MAX_CREDITS', () => {
  const q = new WorkerQueue();
  for (let i = 0; i < MAX_CREDITS + 50; i++) q.ready(id('A'), 1000);
  assert.equal(q.size, MAX_CREDITS);
  let n = 0;
  while (q.pop()) n++;
  assert.equal(n, MAX_CREDITS);
});
