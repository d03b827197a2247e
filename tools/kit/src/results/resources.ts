/**
 * Resource figures over the measured intervals of a result, one helper for all of them, so that
 * every suite's per-process CPU, memory slopes and CPU per operation cover the same samples
 * (suites used to filter the timeline each their own way, one with `>` and one with `>=`).
 */
import { leastSquares } from './stats.js';
import type { Metric, ProcessResources, Result } from './types.js';

const PER_HOUR = 3_600_000;
const r2 = (x: number): number => Math.round(x * 100) / 100;

/** The samples of a process's timeline that fall inside the result's measured intervals. */
export function measuredSamples(r: Pick<Result, 'resources'>, p: ProcessResources): ProcessResources['timeline'] {
  const spans = r.resources.measuredMs;
  if (spans.length === 0) return p.timeline;
  // A sample covers the interval that ends at its time: it belongs to a span it ends inside.
  return p.timeline.filter((s) => spans.some((m) => s.tMs > m.fromMs && s.tMs <= m.toMs + r.resources.sampleIntervalMs / 2));
}

export interface Slope {
  /** MB per hour by least squares over the measured samples. */
  mbPerHour: number;
  samples: number[];
  /** Minutes the samples span: a slope over seconds says little per hour. */
  spanMin: number;
}

function slopeOf(points: Array<{ t: number; v: number }>): Slope | null {
  if (points.length < 4) return null;
  const fit = leastSquares(points.map((p) => p.t), points.map((p) => p.v));
  const first = points[0]!.t;
  const last = points[points.length - 1]!.t;
  return { mbPerHour: r2(fit.slope * PER_HOUR), samples: points.map((p) => p.v), spanMin: r2((last - first) / 60_000) };
}

/** RSS slope of a process over the measured samples (null: fewer than 4 samples). */
export function rssSlope(r: Pick<Result, 'resources'>, p: ProcessResources): Slope | null {
  return slopeOf(measuredSamples(r, p).map((s) => ({ t: s.tMs, v: s.rssMb })));
}

/**
 * Heap slope over the measured samples. It is a heap-after-GC slope only when the target ran with
 * --expose-gc and WIREBENCH_PROBE_GC=1 (the probe forces a full GC before each heap sample).
 */
export function heapSlope(r: Pick<Result, 'resources'>, p: ProcessResources): Slope | null {
  return slopeOf(measuredSamples(r, p).flatMap((s) => (s.heapUsedMb !== undefined ? [{ t: s.tMs, v: s.heapUsedMb }] : [])));
}

export interface FillUp {
  /** RSS rise (MB) from the process's first sample to its first measured one. */
  mb: number;
  fromMb: number;
  toMb: number;
  /** Minutes between the two samples: start-up, set-up and any warm-up or settle stage. */
  spanMin: number;
}

/**
 * How much RSS a process took on before the measured part began (null: no unmeasured samples before
 * it, e.g. nothing marked measured, or a target restarted mid-measurement). A soak that settles in an
 * unmeasured stage first judges its slope on the steady part only; this says what that slope leaves
 * out, so a fill-up that plateaus (caches, heap growing to its working size) is reported, not hidden.
 */
export function rssFillUp(r: Pick<Result, 'resources'>, p: ProcessResources): FillUp | null {
  if (r.resources.measuredMs.length === 0) return null;
  const first = p.timeline[0];
  const at = measuredSamples(r, p)[0];
  if (!first || !at || at === first) return null;
  return { mb: r2(at.rssMb - first.rssMb), fromMb: first.rssMb, toMb: at.rssMb, spanMin: r2((at.tMs - first.tMs) / 60_000) };
}

const key = (role: string): string => role.replace(/[^A-Za-z0-9]+/g, '_');

/**
 * Per-process metrics of a result: mean CPU under load (samples: per sample), peak RSS,
 * event-loop delay p99, utilisation and GC time — the kit's summaries, which already cover the
 * measured intervals — plus RSS and heap slopes when asked for (soaks), with the RSS fill-up before
 * the measured part beside them.
 */
export function processMetrics(r: Pick<Result, 'resources'>, opts: { slopes?: boolean; roles?: readonly string[] } = {}): Record<string, Metric> {
  const out: Record<string, Metric> = {};
  for (const p of r.resources.processes) {
    if (opts.roles && !opts.roles.includes(p.role)) continue;
    const k = key(p.role);
    out[`cpu_pct_${k}`] = { value: p.cpuPct.mean, unit: '% of a core', better: 'lower', samples: measuredSamples(r, p).map((s) => s.cpuPct), note: `${p.role}: mean CPU under load` };
    out[`rss_mb_${k}`] = { value: p.rssMb.max, unit: 'MiB', better: 'lower', note: `${p.role}: peak RSS under load` };
    if (p.eventLoopDelayMs) out[`eld_p99_ms_${k}`] = { value: p.eventLoopDelayMs.p99, unit: 'ms', better: 'lower', note: `${p.role}: event-loop delay, worst per-sample p99 under load` };
    if (p.eventLoopUtilization !== undefined) out[`elu_${k}`] = { value: p.eventLoopUtilization, unit: 'share', better: 'lower', note: `${p.role}: event-loop utilisation under load` };
    if (p.gc) out[`gc_ms_${k}`] = { value: p.gc.totalMs, unit: 'ms', better: 'lower', note: `${p.role}: GC time under load (${p.gc.count} pauses)` };
    if (!opts.slopes) continue;
    const rss = rssSlope(r, p);
    if (rss) out[`rss_slope_mb_per_hour_${k}`] = { value: rss.mbPerHour, unit: 'MB/h', better: 'lower', samples: rss.samples, note: `${p.role}: RSS slope by least squares over ${rss.samples.length} measured samples (${rss.spanMin} min; samples: MB)` };
    const fill = rssFillUp(r, p);
    if (fill) out[`rss_fill_mb_${k}`] = { value: fill.mb, unit: 'MB', better: 'none', note: `${p.role}: RSS rise before the measured part (${fill.fromMb} → ${fill.toMb} MB over ${fill.spanMin} min of start-up, set-up and warm-up/settle), which the slope leaves out` };
    const heap = heapSlope(r, p);
    if (heap) out[`heap_slope_mb_per_hour_${k}`] = { value: heap.mbPerHour, unit: 'MB/h', better: 'lower', samples: heap.samples, note: `${p.role}: heap slope over ${heap.samples.length} measured samples (after a forced GC each when the target ran with --expose-gc and WIREBENCH_PROBE_GC=1)` };
  }
  return out;
}
