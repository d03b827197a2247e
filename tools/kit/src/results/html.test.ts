import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { reportRun } from '../fixtures/report-results.js';
import { syntheticResult } from '../fixtures/synthetic.js';
import { compareResults } from './compare.js';
import { curveViews } from './html/curve.js';
import { historyView, readHistory } from './html/history-data.js';
import { htmlReport } from './html/index.js';
import { reportView } from './html/report-data.js';
import { resourcesView } from './html/resources.js';
import { SPECTRUM_NINES, spectrumView } from './html/spectrum.js';
import { timelineView } from './html/timeline.js';
import type { Result } from './types.js';

const { current, baseline } = reportRun();
const faults = current[0]!;
const stress = current[1]!;

test('the spectrum runs from 50 % to 99.999 %, never falls, and meets the summary at p50 and p99', () => {
  const sp = spectrumView(faults, baseline[0])!;
  assert.equal(sp.nines[0], Math.round(Math.log10(2) * 1000) / 1000);
  assert.equal(sp.nines[sp.nines.length - 1], 5);
  assert.equal(sp.nines.length, SPECTRUM_NINES.length);
  for (const col of [sp.corrected, sp.uncorrected, sp.baseline!]) {
    assert.equal(col.length, sp.nines.length);
    col.forEach((v, i) => i && assert.ok(v! >= col[i - 1]!, 'non-decreasing'));
  }
  const at = (nines: number): number => sp.nines.indexOf(nines);
  // The summary rounds to whole µs; the spectrum keeps the histogram's value.
  assert.ok(Math.abs(sp.corrected[at(2)]! - faults.latencyMs.p99) < 0.002);
  assert.ok(Math.abs(sp.uncorrected[at(2)]! - faults.latencyMsUncorrected.p99) < 0.002);
  assert.ok(sp.corrected[at(2)]! > sp.uncorrected[at(2)]!, 'correction lengthens the tail');
  assert.equal(sp.resolvedNines, Math.round(Math.log10(faults.latencyMs.count) * 1000) / 1000);
  assert.equal(spectrumView({ ...faults, latencyMs: { ...faults.latencyMs, count: 0 } }), null);
});

test('windows, stage boundaries and fired faults share one clock', () => {
  const tl = timelineView(faults)!;
  assert.deepEqual(tl.stages.map((s) => [s.name, s.fromS, s.toS]), [['baseline', 0, 2], ['worker_kill', 2, 6], ['recovery', 6, 8]]);
  assert.deepEqual(tl.faults, [{ stage: 'worker_kill', action: 'kill worker-1 + restart worker-1', atS: 3.502, doneS: 3.81 }]);
  assert.deepEqual(tl.t.slice(0, 2), [0.5, 1.5], 'each window at its middle');
  assert.equal(tl.errRps[3], 14);
  assert.equal(tl.okRps[0], 200);
  const never = structuredClone(faults);
  never.stages[1]!.faults = [{ action: 'stop broker', atMs: 9000, firedAtMs: null, doneMs: null }];
  assert.deepEqual(timelineView(never)!.faults, [{ stage: 'worker_kill', action: 'stop broker (never fired)', atS: 11, doneS: null }]);
});

test('degradation curves come from the search metrics (any prefix) or else from step-<rate> stages', () => {
  const [c] = curveViews(stress);
  assert.deepEqual(c!.rate, [500, 1000, 2000, 3000, 4000]);
  assert.equal(c!.breakingRps, 4000);
  assert.equal(c!.maxSustainableRps, 3000);
  assert.equal(c!.generatorLimitedRps, null, '-1 is "never"');
  assert.deepEqual(c!.failedPct, [0, 0, 0, 0.4, 9.5]);
  assert.deepEqual(curveViews(faults), []);

  const prefixed = structuredClone(stress);
  prefixed.metrics = Object.fromEntries(Object.entries(stress.metrics).map(([k, v]) => [`grpc_${k}`, v]));
  assert.deepEqual(curveViews(prefixed).map((x) => [x.name, x.breakingRps]), [['grpc', 4000]]);

  const staged = structuredClone(stress);
  staged.metrics = { breaking_rps: { value: 3000, unit: 'ops/s', better: 'none' } };
  const [s] = curveViews(staged);
  assert.deepEqual(s!.rate, [500, 1000, 2000, 3000, 4000]);
  assert.equal(s!.breakingRps, 3000);
  assert.equal(s!.p99[0], stress.stages[0]!.latencyMs.p99);
});

test('resource timelines are aligned on the union of sample times, null where a process had no sample', () => {
  const r = resourcesView(faults)!;
  assert.deepEqual(r.roles, ['generator', 'worker', 'broker']);
  const sorted = [...r.t].sort((a, b) => a - b);
  assert.deepEqual(r.t, sorted);
  assert.equal(new Set(r.t).size, r.t.length);
  const gen = faults.resources.processes[0]!;
  assert.equal(r.cpu[0]!.filter((v) => v !== null).length, gen.timeline.length);
  assert.equal(r.cpu[0]![r.t.indexOf(0.25)], null, 'the generator has no sample at the worker\'s instant');
  assert.equal(r.heap[2], null, 'no heap figures for a non-node process');
  assert.deepEqual(r.measured, [{ fromS: 1, toS: 9 }]);
  assert.equal(r.processes[1]!.loopDelay!.p99, 1.4);
  assert.equal(resourcesView(stress), null);
});

test('the report view puts verdicts and validity first and compares with the baseline, spread included', () => {
  const v = reportView({ results: current, baseline, comparison: compareResults(baseline, current) });
  assert.deepEqual(v.scenarios.map((s) => [s.name, s.status]), [['faults', 'pass'], ['stress', 'fail']]);
  assert.deepEqual(v.scenarios[0]!.verdicts.map((x) => x.kind), ['contract', 'contract', 'goal']);
  const p99 = v.compare!.rows.find((r) => r.scenario === 'faults' && r.metric === 'p99')!;
  assert.deepEqual(p99.samples, [8, 8]);
  assert.ok(p99.baselineSpread![0] < p99.baselineSpread![1] && p99.currentSpread![0] < p99.currentSpread![1]);
  const rec = v.compare!.rows.find((r) => r.metric === 'recovery_ms')!;
  assert.deepEqual(rec.currentSpread, [790 * 1.15, 860 * 1.15]);
  assert.ok(v.scenarios[0]!.spectrum!.baseline, 'baseline spectrum overlaid');

  const smoke = structuredClone(faults);
  smoke.slo = [{ name: 'p99 <= 1ms', pass: false, actual: 9, threshold: 1, goal: true, judged: false }];
  assert.equal(reportView({ results: [smoke] }).scenarios[0]!.status, 'pass', 'an unjudged goal does not fail a smoke run');
  assert.equal(reportView({ results: [{ ...smoke, valid: false, invalidReasons: ['generator saturated'] }] }).scenarios[0]!.status, 'invalid');
});

test('the page is one self-contained file: library and data inline, nothing fetched, data cannot close its script', () => {
  const hostile = structuredClone(faults);
  hostile.description = '</script><script>alert(1)</script>';
  const html = htmlReport([hostile]);
  assert.equal(html.match(/<script/g)!.length, 3);
  assert.equal(html.match(/<\/script>/g)!.length, 3);
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|@import|url\(\s*['"]?https?:/i);
  assert.match(html, /uPlot/);
  const json = /<script id="wb-data" type="application\/json">([^]*?)<\/script>/.exec(html)![1]!;
  assert.equal(JSON.parse(json).scenarios[0].description, hostile.description);
});

test('history: saved runs oldest first, chosen metrics per scenario, an invalid run leaves its point empty', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'wb-hist-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const save = (name: string, r: Result): void => {
    mkdirSync(path.join(dir, 'demo', name), { recursive: true });
    writeFileSync(path.join(dir, 'demo', name, `${r.scenario}.json`), JSON.stringify(r));
  };
  const at = (iso: string, us: number, extra: Partial<Result> = {}): Result => ({ ...syntheticResult([[us, us], [us, us]], { suite: 'demo', scenario: 'echo' }), startedAt: iso, metrics: { cpu_us_per_op: { value: us / 10, unit: 'us/op', better: 'lower' }, cpu_us_per_op_app: { value: 1, unit: 'us/op', better: 'lower' } }, ...extra });
  save('zzz-first', at('2026-11-01T00:00:00.000Z', 1000));
  save('aaa-second', at('2026-11-02T00:00:00.000Z', 2000));
  save('broken', at('2026-11-03T00:00:00.000Z', 9000, { valid: false, invalidReasons: ['generator saturated'] }));
  const points = readHistory(dir, 'demo');
  assert.deepEqual(points.map((p) => p.name), ['zzz-first', 'aaa-second', 'broken']);
  const v = historyView('demo', dir, points, ['p50', 'cpu_*', 'nope']);
  assert.deepEqual(v.trends.map((x) => x.metric), ['p50', 'cpu_us_per_op', 'cpu_us_per_op_app']);
  assert.deepEqual(v.trends[0]!.series[0]!.values, [1, 2, null]);
  assert.deepEqual(v.trends[0]!.series[0]!.invalid, [false, false, true]);
  assert.throws(() => readHistory(dir, 'missing'), /no saved runs of suite "missing"/);

  // A history file (wirebench trend-data): one line per scenario result, each runId a point.
  const line = (runId: string, at: string, p50: number, valid = true): string => JSON.stringify({ at, runId, suite: 'demo', scenario: 'echo', commit: 'c0ffee', smoke: false, valid, figures: { p50, throughput: 100 }, units: { p50: 'ms', throughput: 'ops/s' } });
  writeFileSync(path.join(dir, 'demo.jsonl'), [line('r2', '2026-11-05T00:00:00.000Z', 3), line('r1', '2026-11-04T00:00:00.000Z', 2), line('r3', '2026-11-06T00:00:00.000Z', 8, false)].join('\n') + '\n');
  const fromFile = historyView('demo', dir, readHistory(dir, 'demo'), ['p50']);
  assert.deepEqual(fromFile.points.map((p) => p.name), ['r1', 'r2', 'r3']);
  assert.deepEqual(fromFile.trends[0]!.series[0]!.values, [2, 3, null]);
  assert.equal(fromFile.trends[0]!.better, 'lower');
});
