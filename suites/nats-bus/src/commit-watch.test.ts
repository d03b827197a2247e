import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CommitWatch } from './commit-watch.js';

const report = (o: Partial<{ ids: string[]; duplicates: string[]; ignored: string[]; failed: string[] }>) => ({ ids: [], duplicates: [], ignored: [], failed: [], ...o });

test('a report settles exactly the waiters it names, by kind', async () => {
  const w = new CommitWatch();
  const a = w.wait('a');
  const b = w.wait('b');
  const c = w.wait('c');
  const d = w.wait('d');
  assert.equal(w.onReport(report({ ids: ['a'], duplicates: ['b'], ignored: ['c'] })), 3);
  assert.deepEqual(await a, { kind: 'stored' });
  assert.deepEqual(await b, { kind: 'duplicate' });
  assert.deepEqual(await c, { kind: 'ignored' });
  assert.equal(w.pending, 1);
  w.onReport(report({ failed: ['d'] }));
  assert.deepEqual(await d, { kind: 'failed' });
  assert.equal(w.pending, 0);
});

test('ids nobody waits for (a second report, another client\'s id, a forgotten wait) settle nothing and are counted', () => {
  const w = new CommitWatch();
  void w.wait('x');
  w.forget('x');
  assert.equal(w.onReport(report({ ids: ['x', 'y'] })), 0);
  assert.equal(w.unmatched, 2);
});

test('a waiter settles once: the same id reported again is unmatched', async () => {
  const w = new CommitWatch();
  const p = w.wait('e');
  w.onReport(report({ ids: ['e'] }));
  w.onReport(report({ ids: ['e'] }));
  assert.deepEqual(await p, { kind: 'stored' });
  assert.equal(w.unmatched, 1);
});
