/**
 * rounds: two or more arms measured in rotating order, round after round, on targets started once;
 * each ratio is the median of its per-round ratios. The house way to state "X versus its floor"
 * on a noisy two-core machine: adjacent measurements see the same machine, a ratio of figures
 * taken minutes apart measures the machine's drift.
 */
import { joinMeasurements, type Measurement } from '../engine/measure.js';
import { summarizeMeasurement, type Summary } from '../results/summarize.js';
import { cpuUsPerOp, Figures } from '../suite/figures.js';
import type { LoadSpec, ScenarioContext } from '../suite/suite.js';
import { byMode, figureOf, measureUnlessInterrupted, type FigureSpec, type PerMode, type Plan } from './common.js';
import type { CellFigure } from './matrix.js';

/** An arm measured by the kit: a load through one of the scenario's drivers (default: its `driver`). */
export interface LoadArm<E> {
  name: string;
  label?: string;
  driver?: string;
  /** The load of each round (1-based), warm-up included. */
  load: LoadSpec | ((ctx: ScenarioContext, round: number, env: E) => LoadSpec);
}

/**
 * An arm measured by anything that yields a Measurement (an autocannon run of @wirebench/kit-http,
 * say). The plan runs each one through ctx.external, so its generator checks count and it gets
 * the targets' CPU; set `track: false` only when the function already went through ctx.measure.
 */
export interface MeasureArm<E> {
  name: string;
  label?: string;
  measure: (ctx: ScenarioContext, round: number, env: E) => Promise<Measurement>;
  track?: boolean;
}

export type Arm<E> = LoadArm<E> | MeasureArm<E>;

export interface RatioSpec {
  /** Metric name of the median ratio; `<name>_spread` is the highest minus the lowest per-round ratio. */
  name: string;
  of: string;
  to: string;
  /** The figure compared, per round (default rps). */
  figure?: FigureSpec;
  /** Default: as the figure (higher for rates, lower for latencies). */
  better?: 'higher' | 'lower' | 'none';
  note?: string;
}

export interface RoundsSpec<E> {
  arms: ReadonlyArray<Arm<E>>;
  /** How many rounds, e.g. `{ full: 5, smoke: 1 }`. Round r (1-based) starts with arm (r − 1) mod n, then the next ones in turn. */
  rounds: PerMode<number>;
  ratios?: ReadonlyArray<RatioSpec>;
  /** Each arm's median per-round figures as `<arm>_rps`, `<arm>_p50_ms`… (default: rps). CPU per op comes whenever measurements carry target CPU. */
  figures?: ReadonlyArray<FigureSpec>;
  /** The arm whose rounds, joined, become the result's measurement (default: the first ratio's `of`, else the first arm). */
  measurement?: string;
  /** Figures of that joined measurement, e.g. `{ name: 'send_max', figures: ['rate'] }` → `send_max_rps`. */
  joined?: { name: string; figures?: CellFigure[] };
  /** A failures metric of this name: every failed or unsent operation of the counted rounds. */
  failures?: string;
}

export function rounds<E = unknown>(spec: RoundsSpec<E>): Plan<E> {
  const names = spec.arms.map((a) => a.name);
  if (names.length < 2) throw new Error('rounds: give two or more arms');
  if (new Set(names).size !== names.length) throw new Error(`rounds: arm names repeat (${names.join(', ')})`);
  for (const r of spec.ratios ?? []) {
    for (const arm of [r.of, r.to]) if (!names.includes(arm)) throw new Error(`rounds: ratio ${r.name} names arm ${arm}, not one of ${names.join(', ')}`);
  }
  const resultArm = spec.measurement ?? spec.ratios?.[0]?.of ?? names[0]!;
  if (!names.includes(resultArm)) throw new Error(`rounds: measurement arm ${resultArm} is not one of ${names.join(', ')}`);

  return async (ctx, env) => {
    const n = byMode(ctx, spec.rounds);
    const f = new Figures();
    /** Per counted round, each arm's measurement and summary. */
    const done: Array<{ round: number; arms: Map<string, { m: Measurement; s: Summary }> }> = [];
    for (let round = 1; round <= n; round++) {
      if (ctx.signal.aborted) {
        f.notes.push(`not run: interrupted: round${round < n ? `s ${round}–${n}` : ` ${round}`} of ${n}`);
        break;
      }
      const measured = new Map<string, Measurement>();
      for (let k = 0; k < spec.arms.length; k++) {
        const arm = spec.arms[(round - 1 + k) % spec.arms.length]!;
        const label = `${arm.label ?? arm.name}, round ${round}`;
        const m = await measureUnlessInterrupted(ctx, async () => {
          if ('measure' in arm) return arm.track === false ? arm.measure(ctx, round, env) : ctx.external(label, () => arm.measure(ctx, round, env));
          const load = typeof arm.load === 'function' ? arm.load(ctx, round, env) : arm.load;
          return ctx.measure({ ...load, params: { ...(load.params ?? {}), arm: arm.name, round } }, { ...(arm.driver ? { driver: arm.driver } : {}), label });
        });
        if (!m) break;
        measured.set(arm.name, m);
      }
      if (measured.size < spec.arms.length) {
        f.notes.push(`round ${round} of ${n} interrupted: left out${round < n ? `; not run: interrupted: rounds ${round + 1}–${n}` : ''}`);
        break;
      }
      const arms = new Map<string, { m: Measurement; s: Summary }>();
      for (const arm of spec.arms) {
        const m = measured.get(arm.name)!;
        arms.set(arm.name, { m, s: f.add(`${arm.label ?? arm.name}, round ${round}`, m) });
      }
      done.push({ round, arms });
      ctx.log(`round ${round}/${n}: ${spec.arms.map((a) => `${a.name} ${arms.get(a.name)!.s.throughput.achieved}/s p50 ${arms.get(a.name)!.s.latencyMs.p50} ms`).join(', ')}`);
    }
    if (done.length === 0) {
      f.notes.push('no round finished: no figures');
      return f.output();
    }
    const counted = `${done.length} round${done.length === 1 ? '' : 's'}`;
    for (const arm of spec.arms) {
      const per = done.map((d) => d.arms.get(arm.name)!);
      for (const fig of (spec.figures ?? ['rps']).map(figureOf)) {
        f.medianOf(`${arm.name}_${fig.suffix}`, per.map((p) => fig.of(p.s)), fig.unit, fig.better, `${arm.label ?? arm.name}: median over ${counted} of ${fig.what}; samples: per round`);
      }
      const cpu = per.map((p) => cpuUsPerOp(p.m, p.s));
      if (cpu.every((c): c is number => c !== null)) {
        f.medianOf(`${arm.name}_cpu_us_per_op`, cpu, 'µs/op', 'lower', `${arm.label ?? arm.name}: median over ${counted} of the targets' CPU per completed operation; samples: per round`);
      }
    }
    for (const r of spec.ratios ?? []) {
      const fig = figureOf(r.figure ?? 'rps');
      const ratios: number[] = [];
      const none: number[] = [];
      for (const d of done) {
        const of = fig.of(d.arms.get(r.of)!.s);
        const to = fig.of(d.arms.get(r.to)!.s);
        if (to > 0 && Number.isFinite(to) && Number.isFinite(of)) ratios.push(of / to);
        else none.push(d.round);
      }
      if (none.length) f.notes.push(`${r.name}: ${r.to}'s ${fig.suffix} was 0 in round${none.length === 1 ? '' : 's'} ${none.join(', ')}: no ratio there`);
      const better = r.better ?? fig.better;
      const note = `${r.note ?? `${r.of} ÷ ${r.to}, ${fig.what}`}: median over ${ratios.length} of ${done.length} rounds, each measured beside the other; samples: per round`;
      if (ratios.length === 0) {
        f.value(r.name, NaN, 'x', better, `${note} (no round gave a ratio)`);
        continue;
      }
      f.medianOf(r.name, ratios, 'x', better, note);
      f.ratio(`${r.name}_spread`, Math.max(...ratios) - Math.min(...ratios), `${r.name}: highest minus lowest per-round ratio (how much the machine moved within this run)`, 'lower');
    }
    if (spec.failures) f.failures(spec.failures, `every arm of the ${counted}`);
    const joined = joinMeasurements(done.map((d) => d.arms.get(resultArm)!.m));
    if (joined && spec.joined) {
      const s = summarizeMeasurement(joined);
      const what = `${resultArm}, all ${counted} together`;
      const figs = spec.joined.figures ?? ['rate'];
      if (figs.includes('rate')) f.rate(spec.joined.name, s, what);
      if (figs.includes('latency')) f.latency(spec.joined.name, s, what);
    }
    return f.output(joined);
  };
}
