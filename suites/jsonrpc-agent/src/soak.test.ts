/** The soak verdict, and the slopes it reads from a recorded resource timeline. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Result } from '@wirebench/kit';
import { soakFigures, soakVerdict, verdict } from './scenarios/soak.js';

test('verdict: < 10 MB/h normal, 10–50 monitor, > 50 leak', () => {
  assert.equal(verdict(-3), 'normal');
  assert.equal(verdict(9.99), 'normal');
  assert.equal(verdict(10), 'monitor');
  assert.equal(verdict(50), 'monitor');
  assert.equal(verdict(50.01), 'leak');
});

test('soakVerdict: no verdict under a minute of samples; both slopes judged from one', () => {
  assert.match(soakVerdict(120, 80, 0.05), /too short to extrapolate to an hour, no verdict/);
  assert.doesNotMatch(soakVerdict(120, 80, 0.05), /leak/);
  assert.equal(soakVerdict(4, 22, 2), 'RSS slope 4 MB/h: normal; heap-after-GC slope 22 MB/h: monitor (seed: < 10 normal, 10–50 monitor, > 50 leak)');
});

/** An agent sampled each 500 ms for 2 min of measured load (after 10 s of set-up), RSS growing `rssPerMin` MB a minute. */
function recorded(rssPerMin: number, heapPerMin: number): Pick<Result, 'resources'> {
  const timeline = Array.from({ length: 271 }, (_, i) => {
    const tMs = i * 500;
    const min = Math.max(0, tMs - 10_000) / 60_000;
    // Set-up (before 10 s) jumps about: it must not count.
    return { tMs, cpuPct: 60, rssMb: tMs < 10_000 ? 40 + (i % 3) * 20 : 90 + rssPerMin * min, heapUsedMb: tMs < 10_000 ? 5 : 20 + heapPerMin * min };
  });
  const agent = { role: 'agent', pid: 1, cpuPct: { mean: 60, max: 70 }, rssMb: { mean: 100, max: 110 }, timeline };
  return { resources: { sampleIntervalMs: 500, measuredMs: [{ fromMs: 10_000, toMs: 130_000 }], processes: [agent] } } as unknown as Pick<Result, 'resources'>;
}

test('soakFigures: the agent\'s slopes under their historical names, over the measured samples only, with a verdict', () => {
  const f = soakFigures(recorded(1, 0.1));
  assert.equal(f.metrics.rss_slope_mb_per_hour!.value, 60);
  assert.equal(f.metrics.heap_after_gc_slope_mb_per_hour!.value, 6);
  // Samples from 10.5 s (the first one ending inside the measured span) to 130 s.
  assert.equal(f.metrics.soak_window_min!.value, 1.99);
  assert.equal(f.metrics.rss_slope_mb_per_hour_agent, undefined, 'renamed, not doubled');
  assert.match(f.notes[0]!, /RSS slope 60 MB\/h: leak; heap-after-GC slope 6 MB\/h: normal/);
});

test('soakFigures: no agent samples, no slopes, and it says so', () => {
  const f = soakFigures({ resources: { sampleIntervalMs: 500, measuredMs: [], processes: [] } } as unknown as Pick<Result, 'resources'>);
  assert.equal(f.metrics.rss_slope_mb_per_hour, undefined);
  assert.deepEqual(f.notes, ['too few resource samples of the agent for a slope']);
});
