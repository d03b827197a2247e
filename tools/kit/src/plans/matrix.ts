/**
 * matrix: cells (size × codec, payload sizes, worker counts…) crossed with one or more loads, each
 * measurement's figures under `<cell>_<load>_…`, and one measurement as the scenario's result.
 */
import type { Measurement } from '../engine/measure.js';
import type { Summary } from '../results/summarize.js';
import { Figures } from '../suite/figures.js';
import type { LoadSpec, ScenarioContext } from '../suite/suite.js';
import { measureUnlessInterrupted, withParams, type Plan } from './common.js';

export interface Cell<P = Record<string, unknown>> {
  /** Metric prefix: `1k_raw` gives `1k_raw_seq_p50_ms`. */
  key: string;
  /** The scenario driver (by name) that measures this cell; default: the scenario's `driver`. */
  driver?: string;
  /** Recorded with every load of the cell (the load's own params win), and handed to `load`. */
  params?: P;
  /** Human wording for notes and metric notes; default: the key. */
  label?: string;
  /** Run in smoke runs too (default true). */
  smoke?: boolean;
}

export type CellFigure = 'latency' | 'rate';
export type Pct = 'p50' | 'p95' | 'p99';

/** One load every cell is measured with. */
export interface CellLoad<P, E> {
  /** Metric infix: `seq` gives `<cell>_seq_p50_ms`; leave it out when there is one load (`<cell>_p50_ms`). */
  key?: string;
  /** Human wording (default: the key). */
  label?: string;
  /** The load for a cell; null leaves this cell out of this load. */
  load: (cell: Cell<P>, ctx: ScenarioContext, env: E) => LoadSpec | null;
  /** Figures per measurement (default: latency and rate); CPU per op comes whenever the measurement carries target CPU. */
  figures?: CellFigure[] | ((cell: Cell<P>) => CellFigure[]);
  /** Latency percentiles (default p50, p99). */
  pcts?: Pct[] | ((cell: Cell<P>) => Pct[]);
  /** Run in smoke runs (default true; a cell with `smoke: false` is left out whatever this says). */
  smoke?: boolean | ((cell: Cell<P>) => boolean);
}

/** One finished measurement of the matrix. */
export interface CellRun<P> {
  cell: Cell<P>;
  load: string | undefined;
  /** Metric prefix: `<cell>_<load>`, or `<cell>`. */
  name: string;
  measurement: Measurement;
  summary: Summary;
}

export interface MatrixSpec<P, E> {
  cells: ReadonlyArray<Cell<P>>;
  /** Loads, in order, measured for each cell in turn (cell-major). Give either `loads` or `load`. */
  loads?: ReadonlyArray<CellLoad<P, E>>;
  /** Shorthand for one unnamed load. */
  load?: CellLoad<P, E>['load'];
  figures?: CellLoad<P, E>['figures'];
  pcts?: CellLoad<P, E>['pcts'];
  /** The result's measurement: a cell key (its last load measured), or a cell and a load; default: the last measurement. */
  primary?: string | { cell: string; load?: string };
  /** Runs before a cell's first measurement (e.g. restart workers when a worker-count axis changes). */
  before?: (cell: Cell<P>, ctx: ScenarioContext, env: E) => Promise<void> | void;
  /** Ratios of two metrics of the matrix (`raw_rps` ÷ `json_rps`); left out, with a note, when either is missing or the divisor is 0. */
  ratios?: ReadonlyArray<{ name: string; of: string; to: string; note?: string; better?: 'higher' | 'lower' | 'none' }>;
  /** A failures metric of this name: every failed or unsent operation of the matrix (for `<name> == 0`). */
  failures?: string;
  /** More figures from the finished measurements (a slope over sizes, say), after ratios. */
  derive?: (f: Figures, runs: ReadonlyArray<CellRun<P>>, ctx: ScenarioContext, env: E) => void;
}

/**
 * Every combination of the axes' values, first axis outermost, as cells; `build` returns null to
 * leave a combination out.
 */
export function cross<A extends Record<string, readonly unknown[]>, P = Record<string, unknown>>(
  axes: A,
  build: (pick: { [K in keyof A]: A[K][number] }) => Cell<P> | null,
): Cell<P>[] {
  let combos: Array<Record<string, unknown>> = [{}];
  for (const [name, values] of Object.entries(axes)) combos = combos.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  return combos.flatMap((c) => {
    const cell = build(c as { [K in keyof A]: A[K][number] });
    return cell ? [cell] : [];
  });
}

const pickFor = <T, P>(v: T | ((cell: Cell<P>) => T) | undefined, cell: Cell<P>, dflt: T): T =>
  v === undefined ? dflt : typeof v === 'function' ? (v as (cell: Cell<P>) => T)(cell) : v;

export function matrix<P = Record<string, unknown>, E = unknown>(spec: MatrixSpec<P, E>): Plan<E> {
  if ((spec.loads === undefined) === (spec.load === undefined)) throw new Error('matrix: give either loads or load');
  const loads: ReadonlyArray<CellLoad<P, E>> = spec.loads ?? [{ load: spec.load!, ...(spec.figures ? { figures: spec.figures } : {}), ...(spec.pcts ? { pcts: spec.pcts } : {}) }];
  const keys = new Set<string>();
  for (const c of spec.cells) {
    if (keys.has(c.key)) throw new Error(`matrix: cell key ${c.key} given twice`);
    keys.add(c.key);
  }
  const primary = typeof spec.primary === 'string' ? { cell: spec.primary } : spec.primary;
  if (primary && !keys.has(primary.cell)) throw new Error(`matrix: primary cell ${primary.cell} is not one of the cells`);
  const nameOf = (cell: Cell<P>, l: CellLoad<P, E>): string => (l.key ? `${cell.key}_${l.key}` : cell.key);

  return async (ctx, env) => {
    const f = new Figures();
    const runs: CellRun<P>[] = [];
    const smokeSkipped: string[] = [];
    const notRun: string[] = [];
    let cutShort: string | null = null;
    for (const cell of spec.cells) {
      const planned = loads.filter((l) => {
        const inSmoke = cell.smoke !== false && pickFor(l.smoke, cell, true);
        if (ctx.smoke && !inSmoke) smokeSkipped.push(nameOf(cell, l));
        return !ctx.smoke || inSmoke;
      });
      if (planned.length === 0) continue;
      if (ctx.signal.aborted) {
        notRun.push(...planned.map((l) => nameOf(cell, l)));
        continue;
      }
      await spec.before?.(cell, ctx, env);
      for (const l of planned) {
        const name = nameOf(cell, l);
        if (ctx.signal.aborted) {
          notRun.push(name);
          continue;
        }
        const load = l.load(cell, ctx, env);
        if (load === null) continue;
        const what = `${cell.label ?? cell.key}${l.key || l.label ? `, ${l.label ?? l.key}` : ''}`;
        const m = await measureUnlessInterrupted(ctx, () => ctx.measure(withParams(load, cell.params as Record<string, unknown> | undefined), { ...(cell.driver ? { driver: cell.driver } : {}), label: name }));
        if (!m) {
          cutShort = name;
          continue;
        }
        const s = f.add(what, m);
        const figures = pickFor(l.figures, cell, ['latency', 'rate'] as CellFigure[]);
        if (figures.includes('latency')) f.latency(name, s, what, pickFor(l.pcts, cell, ['p50', 'p99'] as Pct[]));
        if (figures.includes('rate')) f.rate(name, s, what);
        f.cpu(name, m, s, what);
        runs.push({ cell, load: l.key, name, measurement: m, summary: s });
      }
    }
    if (smokeSkipped.length) f.notes.push(`smoke: not run: ${smokeSkipped.join(', ')}`);
    if (cutShort) f.notes.push(`interrupted during ${cutShort}: its figures are left out`);
    if (notRun.length) f.notes.push(`not run: interrupted: ${notRun.join(', ')}`);
    for (const r of spec.ratios ?? []) {
      const of = f.metrics[r.of]?.value;
      const to = f.metrics[r.to]?.value;
      if (of === undefined || to === undefined || to === 0) {
        f.notes.push(`${r.name}: no ratio (${of === undefined ? `${r.of} not measured` : to === undefined ? `${r.to} not measured` : `${r.to} is 0`})`);
        continue;
      }
      f.ratio(r.name, of / to, r.note ?? `${r.of} ÷ ${r.to}`, r.better ?? 'higher');
    }
    if (spec.failures) f.failures(spec.failures, 'every measurement of the matrix');
    spec.derive?.(f, runs, ctx, env);
    let chosen: CellRun<P> | undefined;
    if (primary) {
      chosen = runs.filter((r) => r.cell.key === primary.cell && (primary.load === undefined || r.load === primary.load)).at(-1);
      if (!chosen) f.notes.push(`primary ${primary.cell}${primary.load ? `_${primary.load}` : ''} not run${ctx.signal.aborted ? ' (interrupted)' : ''}: the result carries no measurement of its own`);
    } else {
      chosen = runs.at(-1);
    }
    return f.output(chosen?.measurement);
  };
}
