import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closedLoop, openLoop } from '../suite/loads.js';
import { cross, matrix } from './matrix.js';
import { delayed, fakeContext, instant } from './fake-context.js';

const SIZES = [{ label: '1k', n: 1000 }, { label: '10k', n: 10_000 }] as const;
const CODECS = ['json', 'raw'] as const;
const cells = cross({ size: SIZES, codec: CODECS }, ({ size, codec }) => ({ key: `${size.label}_${codec}`, driver: `${size.label}-${codec}`, params: { floats: size.n, codec } }));
const drivers = Object.fromEntries(cells.map((c) => [c.driver!, () => instant()]));

/** zmq-bridge latency's shape: sequential closed loop per cell, open loop per cell (only the primary in smoke). */
const latencyPlan = matrix({
  cells,
  loads: [
    { key: 'seq', load: () => closedLoop({ concurrency: 1, durationMs: 120 }) },
    { key: 'open', load: (cell) => openLoop({ rate: cell.key === '1k_raw' ? 400 : 200, durationMs: 120 }), figures: ['latency'], smoke: (cell) => cell.key === '1k_raw' },
  ],
  primary: { cell: '1k_raw', load: 'open' },
});

test('cross: every combination, first axis outermost, null leaves one out', () => {
  assert.deepEqual(cells.map((c) => c.key), ['1k_json', '1k_raw', '10k_json', '10k_raw']);
  const some = cross({ a: [1, 2], b: ['x', 'y'] }, ({ a, b }) => (a === 2 && b === 'y' ? null : { key: `${a}${b}` }));
  assert.deepEqual(some.map((c) => c.key), ['1x', '1y', '2x']);
});

test('matrix: metrics per cell and load under today\'s names, cell params recorded, the primary as the result', async () => {
  const t = fakeContext(drivers);
  const out = await latencyPlan(t.ctx, undefined);
  const m = out.metrics!;
  for (const c of cells) {
    for (const k of ['seq_p50_ms', 'seq_p99_ms', 'seq_rps', 'open_p50_ms', 'open_p99_ms']) assert.ok(m[`${c.key}_${k}`], `${c.key}_${k}`);
    assert.equal(m[`${c.key}_open_rps`], undefined, 'the open load asked for latency only');
  }
  assert.equal(t.measured.length, 8);
  assert.deepEqual(t.measured.map((x) => x.label).slice(0, 2), ['1k_json_seq', '1k_json_open'], 'cell-major order, labelled by metric prefix');
  assert.equal(t.measured[0]!.driver, '1k-json');
  assert.deepEqual(t.measured[3]!.load.params, { floats: 1000, codec: 'raw' });
  const primary = t.measured.find((x) => x.label === '1k_raw_open')!.m;
  assert.equal(out.measurement, primary);
  assert.equal(out.measurement!.stages[0]!.spec.rate, 400);
  assert.equal(m['1k_raw_seq_cpu_us_per_op'], undefined, 'no CPU figure when the measurement carries none');
});

test('matrix in smoke: cells and loads marked out are not run, and a note says which', async () => {
  const plan = matrix({
    cells: cells.map((c) => ({ ...c, smoke: c.key.startsWith('1k') || c.key.endsWith('raw') })),
    loads: [
      { key: 'seq', load: () => closedLoop({ concurrency: 1, durationMs: 100 }) },
      { key: 'open', load: () => openLoop({ rate: 200, durationMs: 100 }), figures: ['latency'], smoke: (cell) => cell.key === '1k_raw' },
    ],
    primary: { cell: '1k_raw', load: 'open' },
  });
  const t = fakeContext(drivers, { smoke: true });
  const out = await plan(t.ctx, undefined);
  assert.deepEqual(t.measured.map((x) => x.label), ['1k_json_seq', '1k_raw_seq', '1k_raw_open', '10k_raw_seq']);
  assert.ok(out.notes!.includes('smoke: not run: 1k_json_open, 10k_json_seq, 10k_json_open, 10k_raw_open'), out.notes!.join(' | '));
  assert.ok(out.measurement);
});

test('matrix: one unnamed load gives <cell>_rps; ratios of two metrics; failures counted; CPU per op when carried', async () => {
  const codecs = ['json', 'raw'].map((c) => ({ key: c, driver: c, params: { codec: c } }));
  const plan = matrix({
    cells: codecs,
    // Count-bounded, so the CPU figure is exact.
    load: () => closedLoop({ concurrency: 1, durationMs: 5000, count: 200 }),
    primary: 'raw',
    ratios: [{ name: 'raw_vs_json', of: 'raw_rps', to: 'json_rps', note: 'raw ÷ JSON' }, { name: 'raw_vs_msgpack', of: 'raw_rps', to: 'msgpack_rps' }],
    failures: 'codec_failed',
  });
  const t = fakeContext({ json: () => instant(10), raw: () => instant() }, {
    after: (m, call) => { m.cpuS = { broker: 0.01, 'worker-1': call.driver === 'raw' ? 0.01 : 0.03, generator: 5 }; },
  });
  const out = await plan(t.ctx, undefined);
  const m = out.metrics!;
  assert.ok(m.raw_rps && m.json_rps && m.raw_p50_ms && m.json_p99_ms);
  assert.equal(m.raw_vs_json!.value, Math.round((m.raw_rps.value / m.json_rps.value) * 1000) / 1000);
  assert.equal(m.raw_vs_msgpack, undefined);
  assert.ok(out.notes!.some((n) => n.startsWith('raw_vs_msgpack: no ratio (msgpack_rps not measured)')));
  assert.equal(m.codec_failed!.value, 20, 'every 10th of json\'s 200 operations failed');
  assert.ok(out.notes!.some((n) => n.startsWith('json: 20 of 200 operations failed')));
  // (0.01 + 0.01) s over 200 ok = 100 µs; json: (0.01 + 0.03) s over 180 ok; the generator's 5 s never counts.
  assert.equal(m.raw_cpu_us_per_op!.value, 100);
  assert.equal(m.json_cpu_us_per_op!.value, 222.22);
  assert.equal(m.json_cpu_us_per_op!.unit, 'µs/op');
  assert.equal(out.measurement, t.measured[1]!.m);
});

test('matrix interrupted after the first cell: finished figures kept, the rest listed as not run, never measured', async () => {
  const t = fakeContext({ default: () => instant() });
  const plan = matrix({
    cells: [{ key: 'a' }, { key: 'b' }, { key: 'c' }],
    loads: [{ key: 'seq', load: () => closedLoop({ concurrency: 1, durationMs: 150 }) }, { key: 'pipe', load: () => closedLoop({ concurrency: 4, durationMs: 150 }) }],
    // Ctrl-C once the first cell is done.
    before: (cell) => { if (cell.key === 'b') t.controller.abort(); },
    primary: 'a',
    failures: 'failed',
  });
  const out = await plan(t.ctx, undefined);
  assert.deepEqual(t.measured.map((x) => x.label), ['a_seq', 'a_pipe'], 'nothing measured after the abort');
  assert.deepEqual(Object.keys(out.metrics!).filter((k) => !k.startsWith('a_')), ['failed']);
  assert.ok(out.metrics!.a_pipe_rps && out.metrics!.a_seq_p99_ms);
  assert.equal(out.metrics!.failed!.value, 0, 'unrun cells are no failures');
  assert.equal(out.measurement, t.measured[1]!.m, 'the primary finished: it is the result');
  assert.ok(out.notes!.includes('not run: interrupted: b_seq, b_pipe, c_seq, c_pipe'), out.notes!.join(' | '));
});

test('matrix interrupted during a measurement: that one is left out, and an unfinished primary is said', async () => {
  const plan = matrix({ cells: [{ key: 'a' }, { key: 'b' }, { key: 'c' }], load: () => closedLoop({ concurrency: 1, durationMs: 2000 }), primary: 'b' });
  const t = fakeContext({ default: () => delayed(1) });
  const timer = setTimeout(() => t.controller.abort(), 200);
  // The first cell runs 2 s; abort lands in it.
  const out = await plan(t.ctx, undefined);
  clearTimeout(timer);
  assert.equal(t.measured.length, 1);
  assert.deepEqual(out.metrics, {});
  assert.equal(out.measurement, undefined);
  assert.ok(out.notes!.includes('interrupted during a: its figures are left out'), out.notes!.join(' | '));
  assert.ok(out.notes!.includes('not run: interrupted: b, c'));
  assert.ok(out.notes!.some((n) => n.startsWith('primary b not run (interrupted)')));
});

test('matrix: a before hook runs once per cell that runs, ahead of its first measurement; spec errors fail early', async () => {
  const seen: string[] = [];
  const t = fakeContext({ default: () => instant() });
  const plan = matrix({
    cells: [{ key: 'w1', params: { workers: 1 } }, { key: 'w2', params: { workers: 2 } }],
    loads: [{ key: 'x', load: () => closedLoop({ concurrency: 1, durationMs: 50 }) }, { key: 'y', load: () => closedLoop({ concurrency: 1, durationMs: 50 }) }],
    before: (cell) => void seen.push(`${cell.key}@${t.measured.length}`),
    derive: (f, runs) => f.value('runs', runs.length, 'n', 'none', 'finished measurements'),
  });
  const out = await plan(t.ctx, undefined);
  assert.deepEqual(seen, ['w1@0', 'w2@2']);
  assert.equal(out.metrics!.runs!.value, 4);
  assert.equal(out.measurement, t.measured[3]!.m, 'no primary: the last measurement');
  assert.throws(() => matrix({ cells: [{ key: 'a' }, { key: 'a' }], load: () => null }), /given twice/);
  assert.throws(() => matrix({ cells: [{ key: 'a' }], load: () => null, primary: 'b' }), /primary cell b/);
});
