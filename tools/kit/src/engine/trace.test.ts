import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OK, errorOutcome } from './driver.js';
import { mergeTraces, traceBuffers, traceBytes, traceKind, TraceRecorder, TRACE_ERROR, TRACE_LOST, TRACE_OK } from './trace.js';

test('a trace recorder grows its typed arrays as it fills, keeps every row, and hands over compact sorted columns', () => {
  const r = new TraceRecorder(3, 1000, 2);
  const n = 5000;
  // Recorded in completion order, which is not intended order: every 7th op answers late.
  for (let i = 0; i < n; i++) {
    const intended = (i % 7 === 0 ? i + 0.5 : i) * 10;
    r.record(1, intended, intended + 1, intended + 5, i % 10 === 0 ? errorOutcome(i % 20 === 0 ? 'refused' : 'reset', 2) : { status: 'ok', retries: i % 3, duplicates: i % 5 === 0 ? 1 : 0 });
  }
  assert.equal(r.length, n);
  assert.ok(r.capacity >= n && r.capacity < 2 * n + 2, `doubled, not grown per row (capacity ${r.capacity})`);
  const t = r.finish();
  assert.equal(t.length, n);
  assert.equal(traceBytes(t), 35 * n, 'compact: 35 bytes an operation, no slack capacity');
  assert.equal(new Set(traceBuffers(t)).size, 9, 'every column has a buffer of its own (transferable)');
  for (let i = 1; i < n; i++) assert.ok(t.intendedUs[i - 1]! <= t.intendedUs[i]!, 'sorted by intended time');
  assert.equal(t.intendedUs[0], 1000 + 5, 'the clock offset is added (op 0 is intended at 0.5 × 10 µs)');
  assert.equal(t.worker[0], 3);
  assert.equal(t.stage[0], 1);
  assert.equal([...t.outcome].filter((x) => x === TRACE_ERROR).length, n / 10);
  assert.deepEqual(t.kinds.sort(), ['refused', 'reset']);
  const firstError = [...t.outcome].indexOf(TRACE_ERROR);
  assert.equal(traceKind(t, firstError), 'refused');
  assert.equal(t.retries[firstError], 2);
  assert.equal([...t.duplicates].reduce((a, x) => a + x, 0), [...Array(n).keys()].filter((i) => i % 10 !== 0 && i % 5 === 0).length);
});

test('traces of two workers merge like histograms: every row kept, sorted by intended time, error kinds re-indexed, stages shifted', () => {
  const a = new TraceRecorder(0);
  const b = new TraceRecorder(1);
  // Two workers' interleaved schedules (worker 1 half a period later), each recorded out of order.
  for (let i = 9; i >= 0; i--) a.record(0, i * 10, i * 10, i * 10 + 3, i === 4 ? errorOutcome('x') : OK);
  for (let i = 0; i < 10; i++) b.record(1, i * 10 + 5, i * 10 + 5, i * 10 + 9, i === 2 ? errorOutcome('y') : i === 6 ? errorOutcome('x') : i === 8 ? { status: 'lost' } : OK);
  const ta = a.finish();
  const tb = b.finish();
  const m = mergeTraces([ta, tb]);
  assert.equal(m.length, 20);
  assert.deepEqual([...m.intendedUs], [...Array(20).keys()].map((k) => k * 5));
  assert.deepEqual([...m.worker], [...Array(20).keys()].map((k) => k % 2));
  assert.equal([...m.outcome].filter((x) => x === TRACE_OK).length, 16);
  assert.equal(m.outcome[17], TRACE_LOST);
  const kinds = [...Array(20).keys()].map((i) => traceKind(m, i)).filter((k) => k !== null);
  assert.deepEqual(kinds, ['y', 'x', 'x'], 'each error keeps its own kind across the two tables');
  // Joined measurements: the second one's stage indices move past the first one's stages.
  const joined = mergeTraces([ta, tb], [0, 3]);
  assert.deepEqual(new Set(joined.stage), new Set([0, 4]));
  assert.equal(ta.length, 10, 'inputs are left as they were');
});
