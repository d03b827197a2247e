import assert from 'node:assert/strict';
import test from 'node:test';
import { createHistogram, encodeHistogram, recordUs } from '../results/histogram.js';
import { summarizeMeasurement } from '../results/summarize.js';
import { emptyCounts } from './recorder.js';
import { joinMeasurements, type Measurement } from './measure.js';

/** A one-stage closed-loop measurement of `seconds` 1-s windows with `okPerWindow` operations each. */
function part(seconds: number, okPerWindow: number): Measurement {
  const h = createHistogram();
  recordUs(h, 1000);
  const enc = encodeHistogram(h);
  h.destroy();
  const spec = { name: 'measure', model: 'closed' as const, durationMs: seconds * 1000, warmup: false, concurrency: 1 };
  const counts = { ...emptyCounts(), sent: seconds * okPerWindow, ok: seconds * okPerWindow };
  const windows = Array.from({ length: seconds }, (_, index) => ({ index, ok: okPerWindow, errors: 0, histogram: enc }));
  return {
    load: { model: 'closed', stages: [spec], workers: 1, timeoutMs: 1000 },
    windowMs: 1000,
    stages: [{ spec, workers: [{ name: 'measure', model: 'closed', warmup: false, elapsedMs: seconds * 1000, issueMs: seconds * 1000, busy: 0.1, cpuPct: 10, snapshot: { corrected: enc, uncorrected: enc, sendLag: null, counts, windows } }] }],
  };
}

// Rounds joined into one result: each part's windows counted from its own start, so they used to
// land on the same indices and a joined rate's per-window samples were the sum of every round's.
test('joined measurements lay their windows end to end, not on top of each other', () => {
  const a = part(3, 100);
  const b = part(2, 300);
  const s = summarizeMeasurement(joinMeasurements([a, b])!);
  assert.deepEqual(s.windows.map((w) => w.ok), [100, 100, 100, 300, 300]);
  assert.equal(s.counts.ok, 900);
  assert.equal(s.throughput.achieved, 180, '900 operations over 5 s');
  assert.deepEqual(a.stages[0]!.workers[0]!.snapshot!.windows.map((w) => w.index), [0, 1, 2], 'the parts are not changed');
  assert.deepEqual(b.stages[0]!.workers[0]!.snapshot!.windows.map((w) => w.index), [0, 1]);
});
