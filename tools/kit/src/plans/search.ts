/**
 * search: open-loop steps of rising arrival rate until a break rule holds. One measurement per
 * step, so the search stops at the first breaking step. Reports the degradation curve (per-step
 * metrics, and result.stages one per step named `step-<rate>`), the max sustainable rate (the last
 * step that did not break), the recommended capacity (80 % of it) and the breaking rate. A step
 * whose generator checks fail is the generator's limit, not the target's: the search stops there
 * and says so.
 */
import { joinMeasurements, type Measurement } from '../engine/measure.js';
import { evaluateSlos, parseSlo, stageSubject } from '../results/slo.js';
import { summarizeMeasurement } from '../results/summarize.js';
import type { Metric, StageResult } from '../results/types.js';
import { generatorChecks } from '../results/validity.js';
import { cpuUsPerOp, Figures } from '../suite/figures.js';
import { openLoop } from '../suite/loads.js';
import type { LoadSpec, ScenarioContext } from '../suite/suite.js';
import { byMode, measureUnlessInterrupted, type PerMode, type Plan } from './common.js';

export interface SearchSpec<E> {
  /** Arrival rates (ops/s) in rising order, e.g. `{ full: [500, 1000, 2000], smoke: [1500, 3000] }`. */
  rates: PerMode<number[]>;
  /**
   * A step breaks when any of these holds, in the SLO grammar evaluated on the step alone
   * (`errors >= 5%`, `p95 >= 100ms`, `p99 >= 500ms`, `rate_error > 10%`), plus `achieved_pct`:
   * the step's achieved rate in % of its requested rate (`achieved_pct < 90`). A rule whose figure
   * the step lacks (no latency when nothing succeeded) does not hold.
   */
  breaks: string[];
  /** The scenario driver to load (default: its `driver`). */
  driver?: string;
  /** Length of each step (default 5 s, 1 s in smoke). */
  stepMs?: PerMode<number>;
  /** Warm-up before the first step only (default 2 s, 0.5 s in smoke). */
  warmupMs?: PerMode<number>;
  /** Per-operation timeout: a broken step must end in bounded time (default: the kit's). */
  timeoutMs?: number;
  /** Pending operations before sends back up (default 100,000: an overloaded target must show as latency, not as a short send count). */
  maxInFlight?: number;
  workers?: number;
  params?: Record<string, unknown>;
  /** A step's load instead of the default open loop (index 0 is the first step). Its measured stages are renamed `step-<rate>`. */
  step?: (rate: number, index: number, ctx: ScenarioContext, env: E) => LoadSpec;
  /** Recommended capacity as a share of the max sustainable rate (default 0.8). */
  capacity?: number;
}

type StageLike = Pick<StageResult, 'latencyMs' | 'latencyMsUncorrected' | 'counts' | 'throughput'>;

/**
 * Which break rules hold for one step (a StageResult, or a Summary of the step): one reason per
 * rule that holds, empty when the step did not break. Pure: suites can test their rules on a
 * recorded stage.
 */
export function breakReasons(rules: readonly string[], step: StageLike): string[] {
  const req = step.throughput.requested;
  const metrics: Record<string, Metric> = req ? { achieved_pct: { value: (step.throughput.achieved / req) * 100, unit: '%', better: 'higher' } } : {};
  return evaluateSlos(rules, stageSubject(step, metrics))
    .filter((r) => r.pass)
    .map((r) => `${r.name} (${r.actual}${r.unit === 'ms' ? ' ms' : r.unit ?? ''})`);
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

export function search<E = unknown>(spec: SearchSpec<E>): Plan<E> {
  spec.breaks.forEach((b) => parseSlo(b)); // a typo fails when the suite loads, not after a measurement
  if (spec.breaks.length === 0) throw new Error('search: give at least one break rule');
  const capacity = spec.capacity ?? 0.8;

  return async (ctx, env) => {
    const f = new Figures();
    const rates = byMode(ctx, spec.rates);
    const stepMs = byMode(ctx, spec.stepMs ?? { full: 5000, smoke: 1000 });
    const warmupMs = byMode(ctx, spec.warmupMs ?? { full: 2000, smoke: 500 });
    const done: Measurement[] = [];
    let sustainable = 0;
    let brokeAt = 0;
    let generatorLimitedAt = 0;
    let interruptedAt = -1;
    const curve = { rate: [] as number[], achieved: [] as number[], p50: [] as number[], p95: [] as number[], p99: [] as number[], failedPct: [] as number[], cpu: [] as number[] };
    for (const [i, rate] of rates.entries()) {
      const base = spec.step
        ? spec.step(rate, i, ctx, env)
        : openLoop({
            rate,
            durationMs: stepMs,
            warmupMs: i === 0 ? warmupMs : 0,
            maxInFlight: spec.maxInFlight ?? 100_000,
            ...(spec.timeoutMs !== undefined ? { timeoutMs: spec.timeoutMs } : {}),
            ...(spec.workers !== undefined ? { workers: spec.workers } : {}),
          });
      const measured = base.stages.filter((s) => !s.warmup).length;
      let k = 0;
      const load: LoadSpec = {
        ...base,
        params: { ...(spec.params ?? {}), ...(base.params ?? {}), step: rate },
        stages: base.stages.map((s) => (s.warmup ? s : { ...s, name: measured === 1 ? `step-${rate}` : `step-${rate}-${++k}` })),
      };
      const m = await measureUnlessInterrupted(ctx, () => ctx.measure(load, { ...(spec.driver ? { driver: spec.driver } : {}), label: `step ${rate}/s`, probe: true }));
      if (!m) {
        interruptedAt = i;
        break;
      }
      const s = summarizeMeasurement(m);
      const generator = generatorChecks(m).invalid;
      if (generator.length) {
        // The generator fell behind: whatever broke here is not attributable to the target, and the
        // step is left out of every figure (the curve, the measurement), so the result stays valid
        // with max sustainable as a lower bound. The runner notes it (a probe measurement).
        generatorLimitedAt = rate;
        ctx.log(`step ${rate}/s: achieved ${s.throughput.achieved}/s — GENERATOR-LIMITED`);
        const why = breakReasons(spec.breaks, s);
        f.notes.push(`step ${rate}/s is generator-limited (${generator.join('; ')}): not the target's limit, left out of the figures${why.length ? ` (it also looked broken: ${why.join('; ')})` : ''}`);
        break;
      }
      done.push(m);
      const c = s.counts;
      const failedPct = c.sent ? ((c.errors + c.timeouts + c.lost) / c.sent) * 100 : 0;
      curve.rate.push(rate);
      curve.achieved.push(s.throughput.achieved);
      curve.p50.push(s.latencyMs.p50);
      curve.p95.push(s.latencyMs.p95);
      curve.p99.push(s.latencyMs.p99);
      curve.failedPct.push(r2(failedPct));
      const cpu = cpuUsPerOp(m, s);
      curve.cpu.push(cpu ?? -1);
      const why = breakReasons(spec.breaks, s);
      ctx.log(`step ${rate}/s: achieved ${s.throughput.achieved}/s p95 ${s.latencyMs.p95} ms p99 ${s.latencyMs.p99} ms failed ${failedPct.toFixed(2)}%${why.length ? ` — BREAK: ${why.join('; ')}` : ''}`);
      if (why.length) {
        brokeAt = rate;
        f.notes.push(`breaking point at ${rate}/s: ${why.join('; ')}`);
        break;
      }
      sustainable = rate;
    }
    const lastRate = rates[rates.length - 1];
    if (interruptedAt >= 0) {
      f.notes.push(`not run: interrupted: steps ${rates.slice(interruptedAt).join(', ')}/s (a step cut short is left out): max sustainable is a lower bound`);
    } else if (!brokeAt) {
      f.notes.push(generatorLimitedAt ? `no breaking point below the generator's limit (${generatorLimitedAt}/s): max sustainable is a lower bound` : `no breaking point up to ${lastRate}/s: max sustainable is a lower bound`);
    }
    f.value('max_sustainable_rps', sustainable, 'ops/s', 'higher', 'highest step rate that did not break (and was not generator-limited)');
    f.value('recommended_capacity_rps', sustainable * capacity, 'ops/s', 'higher', `${Math.round(capacity * 100)}% of the max sustainable rate`);
    f.value('breaking_rps', brokeAt || -1, 'ops/s', 'none', `first step that broke (${spec.breaks.join(', ')}; -1: none reached)`);
    f.value('generator_limited_rps', generatorLimitedAt || -1, 'ops/s', 'none', 'first step where the generator fell behind (-1: never)');
    if (curve.rate.length) {
      const label = `per step, rates ${curve.rate.join(', ')}/s`;
      const last = (xs: number[]): number => xs[xs.length - 1] ?? 0;
      f.value('curve_rate_rps', last(curve.rate), 'ops/s', 'none', `requested rate of the last step; samples: ${label}`, curve.rate);
      f.value('curve_achieved_rps', last(curve.achieved), 'ops/s', 'none', `achieved rate of the last step; samples: ${label}`, curve.achieved);
      f.value('curve_p50_ms', last(curve.p50), 'ms', 'none', `p50 of the last step; samples: ${label}`, curve.p50);
      f.value('curve_p95_ms', last(curve.p95), 'ms', 'none', `p95 of the last step; samples: ${label}`, curve.p95);
      f.value('curve_p99_ms', last(curve.p99), 'ms', 'none', `p99 of the last step; samples: ${label}`, curve.p99);
      f.value('curve_failed_pct', last(curve.failedPct), '%', 'none', `failed share of the last step; samples: ${label}`, curve.failedPct);
      if (curve.cpu.some((c) => c >= 0)) f.value('curve_cpu_us_per_op', last(curve.cpu), 'µs/op', 'none', `the targets' CPU per completed operation in the last step (-1: not measured); samples: ${label}`, curve.cpu);
    }
    return f.output(joinMeasurements(done));
  };
}
