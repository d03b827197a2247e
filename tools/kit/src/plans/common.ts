/**
 * What every plan shares: a plan is a scenario's `run`, built from data, so that a suite writes
 * `run: rounds({...})` and carries no orchestration code of its own.
 */
import type { Measurement } from '../engine/measure.js';
import type { Summary } from '../results/summarize.js';
import type { LoadSpec, RunOutput, ScenarioContext } from '../suite/suite.js';

/** A scenario's custom run, as a plan builds it. */
export type Plan<E = unknown> = (ctx: ScenarioContext, env: E) => Promise<RunOutput>;

/** One value for every run, or one for full runs and one for smoke runs. */
export type PerMode<T> = T | { full: T; smoke: T };

function isPerMode<T>(v: PerMode<T>): v is { full: T; smoke: T } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && 'full' in v && 'smoke' in v;
}

export function byMode<T>(ctx: Pick<ScenarioContext, 'smoke'>, v: PerMode<T>): T {
  return isPerMode(v) ? (ctx.smoke ? v.smoke : v.full) : v;
}

/** Load params merged under the load's own (the load's win). */
export function withParams(load: LoadSpec, params: Record<string, unknown> | undefined): LoadSpec {
  return params && Object.keys(params).length ? { ...load, params: { ...params, ...(load.params ?? {}) } } : load;
}

/**
 * A measurement that did not finish because the run was interrupted: ctx.measure returns what it
 * had when the signal aborted (or throws from a worker), so anything measured once the signal is
 * aborted is cut short.
 */
export async function measureUnlessInterrupted(ctx: ScenarioContext, run: () => Promise<Measurement>): Promise<Measurement | null> {
  if (ctx.signal.aborted) return null;
  try {
    const m = await run();
    return ctx.signal.aborted ? null : m;
  } catch (err) {
    if (ctx.signal.aborted) return null;
    throw err;
  }
}

/** A figure of one measurement, as rounds and search read it. */
export type FigureSpec =
  | 'rps'
  | 'p50'
  | 'p95'
  | 'p99'
  | { name: string; unit: string; better: 'higher' | 'lower' | 'none'; of: (s: Summary) => number };

export interface FigureOf {
  /** Suffix of the metric name: `rps`, `p50_ms`, or the custom figure's name. */
  suffix: string;
  unit: string;
  better: 'higher' | 'lower' | 'none';
  what: string;
  of: (s: Summary) => number;
}

export function figureOf(f: FigureSpec): FigureOf {
  if (typeof f === 'object') return { suffix: f.name, unit: f.unit, better: f.better, what: f.name, of: f.of };
  if (f === 'rps') return { suffix: 'rps', unit: 'ops/s', better: 'higher', what: 'successful operations per second', of: (s) => s.throughput.achieved };
  return { suffix: `${f}_ms`, unit: 'ms', better: 'lower', what: `${f} latency (corrected)`, of: (s) => s.latencyMs[f] };
}
