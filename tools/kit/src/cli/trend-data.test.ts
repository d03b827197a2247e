import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { drawWindows, syntheticResult } from '../fixtures/synthetic.js';
import { writeJsonAtomic } from '../results/resultfile.js';
import { trendDataCommand } from './trend-data.js';

test('trend-data appends one JSON line per scenario to <suite>.jsonl, run after run', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wb-trend-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (const id of ['r1', 'r2']) {
    const r = syntheticResult(drawWindows(3, 20, () => 800), { suite: 'demo', scenario: 'echo', runId: id });
    r.metrics.cpu_us_per_op = { value: 42, unit: 'µs', better: 'lower' };
    r.metrics.note_only = { value: 1, unit: '', better: 'none' };
    r.env.noise = { durationMs: 1000, maxGapMs: 2.5, over1Ms: 3, lostPct: 0.1 };
    writeJsonAtomic(path.join(dir, 'runs', 'demo', id, 'echo.json'), r);
    const out = path.join(dir, 'history');
    const write = process.stdout.write;
    process.stdout.write = (() => true) as typeof process.stdout.write;
    try {
      assert.equal(trendDataCommand([path.join(dir, 'runs', 'demo', id), '--out', out]), 0);
    } finally {
      process.stdout.write = write;
    }
  }
  const lines = readFileSync(path.join(dir, 'history', 'demo.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => l.runId), ['r1', 'r2']);
  assert.equal(lines[0].scenario, 'echo');
  assert.equal(lines[0].valid, true);
  assert.equal(lines[0].noiseMaxGapMs, 2.5);
  assert.deepEqual(Object.keys(lines[0].figures).sort(), ['cpu_us_per_op', 'p50', 'p99', 'throughput']);
  assert.equal(lines[0].units.cpu_us_per_op, 'µs');
});
