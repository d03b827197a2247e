import assert from 'node:assert/strict';
import test from 'node:test';
import { heapSlope, measuredSamples, processMetrics, rssFillUp, rssSlope } from './resources.js';
import type { ProcessResources, Result } from './types.js';

function proc(role: string, timeline: ProcessResources['timeline']): ProcessResources {
  return { role, pid: 1, cpuPct: { mean: 40, max: 80 }, rssMb: { mean: 50, max: 60 }, timeline };
}

// RSS grows 1 MB a minute inside the measured interval (60 MB/h) and jumps outside it (start-up).
const timeline = Array.from({ length: 40 }, (_, i) => {
  const tMs = i * 10_000;
  const inside = tMs > 50_000 && tMs <= 300_000;
  return { tMs, cpuPct: inside ? 50 : 5, rssMb: inside ? 100 + tMs / 60_000 : 500, heapUsedMb: inside ? 20 + tMs / 120_000 : 200 };
});
const r: Pick<Result, 'resources'> = { resources: { sampleIntervalMs: 10_000, measuredMs: [{ fromMs: 50_000, toMs: 300_000 }], processes: [proc('agent', timeline)] } };

test('only samples inside the measured intervals count', () => {
  const s = measuredSamples(r, r.resources.processes[0]!);
  assert.equal(s.length, 25);
  assert.ok(s.every((x) => x.cpuPct === 50));
});

test('slopes are MB per hour over the measured samples: set-up spikes outside do not bend them', () => {
  const p = r.resources.processes[0]!;
  assert.equal(rssSlope(r, p)?.mbPerHour, 60);
  assert.equal(heapSlope(r, p)?.mbPerHour, 30);
  const m = processMetrics(r, { slopes: true });
  assert.equal(m.rss_slope_mb_per_hour_agent?.value, 60);
  assert.equal(m.cpu_pct_agent?.samples?.length, 25);
  assert.equal(processMetrics(r).rss_slope_mb_per_hour_agent, undefined, 'slopes only when asked');
});

test('too few samples give no slope rather than a line through two points', () => {
  const short = { resources: { ...r.resources, processes: [proc('x', timeline.slice(6, 9))], measuredMs: [{ fromMs: 0, toMs: 1e9 }] } };
  assert.equal(rssSlope(short, short.resources.processes[0]!), null);
});

test('the fill-up before the measured part is reported beside the slope it is left out of', () => {
  // A cache filling over a settle stage (0–60 s, +30 MB), then flat while measured.
  const settle = Array.from({ length: 19 }, (_, i) => ({ tMs: i * 10_000, cpuPct: 10, rssMb: i <= 6 ? 50 + i * 5 : 80 }));
  const run = { resources: { sampleIntervalMs: 10_000, measuredMs: [{ fromMs: 65_000, toMs: 180_000 }], processes: [proc('service', settle)] } };
  const p = run.resources.processes[0]!;
  assert.deepEqual(rssFillUp(run, p), { mb: 30, fromMb: 50, toMb: 80, spanMin: 1.17 });
  const m = processMetrics(run, { slopes: true });
  assert.equal(m.rss_slope_mb_per_hour_service?.value, 0);
  assert.equal(m.rss_fill_mb_service?.value, 30);
  assert.equal(m.rss_fill_mb_service?.better, 'none');
});

test('no fill-up without samples before the measured part (nothing marked, or a target started inside it)', () => {
  const all = { resources: { ...r.resources, measuredMs: [] } };
  assert.equal(rssFillUp(all, all.resources.processes[0]!), null);
  const late = { resources: { ...r.resources, processes: [proc('agent#2', timeline.slice(10, 20))] } };
  assert.equal(rssFillUp(late, late.resources.processes[0]!), null);
  assert.equal(processMetrics(late, { slopes: true }).rss_fill_mb_agent_2, undefined);
});
