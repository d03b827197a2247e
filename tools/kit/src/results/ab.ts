import { DEFAULTS } from '../defaults.js';
import type { Verdict } from './compare.js';
import { median, wilcoxonSignedRank } from './stats.js';
import type { Result } from './types.js';

/**
 * The A/B gate's verdicts: base and head measured in alternating rounds on the same machine, each
 * figure compared across round PAIRS. A pair shares the machine's state of that moment, so what the
 * machine did between rounds cancels out of the pair; what is left is the change (and the noise
 * within a round, which the signed-rank test weighs). Compare of two separate runs cannot do that.
 */
export interface AbRound {
  round: number;
  /** Which side ran first in this round (they alternate, so an order effect cancels too). */
  first: 'base' | 'head';
  base: Result[];
  head: Result[];
}

export interface AbRow {
  suite: string;
  scenario: string;
  metric: string;
  better: 'lower' | 'higher';
  unit: string;
  /** Medians over the rounds. */
  base: number;
  head: number;
  /** Median over round pairs of (head − base) / |base|, percent. */
  changePct: number;
  thresholdPct: number;
  pairs: number;
  /** One-sided exact Wilcoxon signed-rank p that head is worse / better than base. */
  pWorse: number;
  pBetter: number;
  /** pWorse adjusted for the number of figures tested together (Holm), what the verdict uses; = pWorse without correction. */
  pWorseAdj: number;
  verdict: Verdict;
}

export interface AbComparison {
  rows: AbRow[];
  regressions: AbRow[];
  /** Contract SLOs (judged in every run) that failed in a head round and in no base round. */
  brokenContracts: string[];
  notes: string[];
}

export interface AbOptions {
  thresholdPct?: number;
  /** Per-metric thresholds, e.g. { p99: 20 }. */
  thresholds?: Record<string, number>;
  alpha?: number;
  /**
   * 'holm' (default): the family-wise error over all of the gate's figures stays α (Holm–Bonferroni
   * step-down); a suite has dozens of figures and at α per figure an A/A run would fail often.
   * 'none': α per figure.
   */
  correction?: 'holm' | 'none';
}

interface Figure {
  value: number;
  better: 'lower' | 'higher';
  unit: string;
}

/** What the gate compares: p50/p99 where latency was recorded, throughput where ops were sent, every directed metric. */
export function figuresOf(r: Result): Map<string, Figure> {
  const out = new Map<string, Figure>();
  if (r.latencyMs.count > 0) {
    out.set('p50', { value: r.latencyMs.p50, better: 'lower', unit: 'ms' });
    out.set('p99', { value: r.latencyMs.p99, better: 'lower', unit: 'ms' });
  }
  if (r.counts.sent > 0) out.set('throughput', { value: r.throughput.achieved, better: 'higher', unit: 'ops/s' });
  for (const [name, m] of Object.entries(r.metrics)) {
    if (m.better !== 'none' && Number.isFinite(m.value)) out.set(name, { value: m.value, better: m.better, unit: m.unit });
  }
  return out;
}

/**
 * How much worse head is than base in one pair, scale-free where it can be: the log ratio (a round
 * on a slower machine moves both sides by a factor, not by an amount), else the plain difference.
 */
function badness(b: number, h: number, better: 'lower' | 'higher'): number {
  const d = b > 0 && h > 0 ? Math.log(h / b) : h - b;
  return better === 'lower' ? d : -d;
}

/** Holm–Bonferroni adjusted p-values, in input order: p_(i) × (m − i + 1), made monotone, capped at 1. */
export function holmAdjust(ps: readonly number[]): number[] {
  const m = ps.length;
  const order = ps.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach(([p, i], k) => {
    running = Math.max(running, Math.min(1, (m - k) * p));
    out[i] = running;
  });
  return out;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const sig3 = (x: number): number => Number(x.toPrecision(3));

export function pairedCompare(rounds: readonly AbRound[], opts: AbOptions = {}): AbComparison {
  const alpha = opts.alpha ?? DEFAULTS.compareAlpha;
  const threshold = (m: string): number => opts.thresholds?.[m] ?? opts.thresholdPct ?? DEFAULTS.compareThresholdPct;
  const notes: string[] = [];
  // scenario → metric → pairs [base, head] (+ the figure's direction and unit)
  const pairs = new Map<string, Map<string, { fig: Figure; suite: string; b: number[]; h: number[] }>>();
  for (const r of rounds) {
    const head = new Map(r.head.map((x) => [x.scenario, x]));
    for (const b of r.base) {
      const h = head.get(b.scenario);
      if (!h) {
        notes.push(`round ${r.round}: ${b.scenario} ran in base only`);
        continue;
      }
      if (!b.valid || !h.valid) {
        notes.push(`round ${r.round}: ${b.scenario} left out (${!b.valid ? 'base' : 'head'} invalid)`);
        continue;
      }
      const fb = figuresOf(b);
      const fh = figuresOf(h);
      const byMetric = pairs.get(b.scenario) ?? new Map();
      pairs.set(b.scenario, byMetric);
      for (const [metric, f] of fh) {
        const x = fb.get(metric);
        if (!x) continue;
        const entry = byMetric.get(metric) ?? { fig: f, suite: h.suite, b: [], h: [] };
        entry.b.push(x.value);
        entry.h.push(f.value);
        byMetric.set(metric, entry);
      }
    }
    for (const h of r.head) if (!r.base.some((b) => b.scenario === h.scenario)) notes.push(`round ${r.round}: ${h.scenario} ran in head only`);
  }

  interface Tested { row: Omit<AbRow, 'pWorseAdj' | 'verdict'>; worseBeyond: boolean; betterBeyond: boolean; pGreater: number; pLess: number }
  const tested: Tested[] = [];
  for (const [scenario, byMetric] of pairs) {
    for (const [metric, { fig, suite, b, h }] of byMetric) {
      const th = threshold(metric);
      const w = wilcoxonSignedRank(b.map((bv, i) => badness(bv, h[i]!, fig.better)));
      const changes = b.flatMap((bv, i) => (bv !== 0 ? [((h[i]! - bv) / Math.abs(bv)) * 100] : h[i] === 0 ? [0] : []));
      const changePct = round1(median(changes));
      tested.push({
        row: { suite, scenario, metric, better: fig.better, unit: fig.unit, base: sig3(median(b)), head: sig3(median(h)), changePct, thresholdPct: th, pairs: b.length, pWorse: sig3(w.pGreater), pBetter: sig3(w.pLess) },
        worseBeyond: fig.better === 'lower' ? changePct > th : changePct < -th,
        betterBeyond: fig.better === 'lower' ? changePct < -th : changePct > th,
        pGreater: w.pGreater,
        pLess: w.pLess,
      });
    }
  }
  const holm = (opts.correction ?? 'holm') === 'holm';
  const worseAdj = holm ? holmAdjust(tested.map((t) => t.pGreater)) : tested.map((t) => t.pGreater);
  const betterAdj = holm ? holmAdjust(tested.map((t) => t.pLess)) : tested.map((t) => t.pLess);
  const rows: AbRow[] = tested.map((t, i) => {
    let verdict: Verdict = 'unchanged';
    if (t.worseBeyond) verdict = worseAdj[i]! < alpha ? 'regressed' : 'inconclusive';
    else if (t.betterBeyond) verdict = betterAdj[i]! < alpha ? 'improved' : 'inconclusive';
    return { ...t.row, pWorseAdj: sig3(worseAdj[i]!), verdict };
  });
  const fewest = Math.min(...rows.map((r) => r.pairs));
  const family = holm ? rows.length : 1;
  if (rows.length && family * 0.5 ** fewest >= alpha) {
    const need = Math.floor(Math.log2(family / alpha)) + 1;
    notes.push(`${fewest} round pair(s) cannot reach p < ${alpha}${holm ? ` over ${family} figures (Holm)` : ''}: the least possible one-sided p is 1/2^pairs; run at least ${need} rounds`);
  }

  const brokenContracts: string[] = [];
  const failing = (rs: Result[]): Set<string> => new Set(rs.flatMap((r) => r.slo.filter((s) => !s.pass && s.judged !== false && !s.goal).map((s) => `${r.scenario}: ${s.name}`)));
  const baseFails = new Set(rounds.flatMap((r) => [...failing(r.base)]));
  const headFails = new Map<string, number>();
  for (const r of rounds) for (const f of failing(r.head)) headFails.set(f, (headFails.get(f) ?? 0) + 1);
  for (const [f, n] of headFails) if (!baseFails.has(f)) brokenContracts.push(`${f} fails in ${n}/${rounds.length} head round(s), holds in every base round`);

  return { rows, regressions: rows.filter((r) => r.verdict === 'regressed'), brokenContracts, notes };
}
