import type { AbComparison, AbRow } from './ab.js';

/**
 * What `wirebench ab` leaves beside its rounds (results/ab/<suite>/<id>/gate.json): the verdict
 * and enough to render it again, so the CI's merge job reports from artifacts alone.
 */
export interface Gate {
  schema: 'wirebench/ab@1';
  /** The suite's folder name under suites/, and the name it was asked by (e.g. an Nx project). */
  suite: string;
  ref: string;
  base: { rev: string; commit: string };
  head: { rev: string; commit: string; workingTree: boolean; dirty: boolean };
  rounds: number;
  smoke: boolean;
  thresholdPct: number;
  alpha: number;
  /** How α is kept over the gate's many figures (results/ab.ts AbOptions.correction). */
  correction: 'holm' | 'none';
  /** 0 passed, 99 a significant regression or a broken contract, 1 a round was invalid or failed. */
  exit: 0 | 1 | 99 | 130;
  /** One line saying why. */
  reason: string;
  comparison: AbComparison | null;
  /** Run folders, relative to the gate's folder, in round order. */
  runs: { base: string[]; head: string[] };
  /** The machine's longest scheduling gap (ms) at each bench run's start, per round, where recorded. */
  noiseMaxGapMs: { base: Array<number | null>; head: Array<number | null> };
  startedAt: string;
  durationMs: number;
}

const pct = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(1)}%`;
const val = (v: number, unit: string): string => `${v}${unit === 'ops/s' ? '/s' : unit ? ` ${unit}` : ''}`;

export function regressionLine(g: Gate, r: AbRow): string {
  const holm = g.correction === 'holm' ? `, ${r.pWorseAdj} after Holm over ${g.comparison?.rows.length ?? 0} figures` : '';
  return `${g.ref}/${r.scenario} ${r.metric}: ${val(r.base, r.unit)} → ${val(r.head, r.unit)} (${pct(r.changePct)}, median of ${r.pairs} round pairs), p=${r.pWorse} one-sided Wilcoxon signed-rank${holm}; threshold ${r.thresholdPct}%`;
}

/** One line per gate outcome, for the terminal and the summary table. */
export function gateHeadline(g: Gate): string {
  if (g.exit === 99) {
    const what = [...(g.comparison?.regressions ?? []).map((r) => `${r.scenario} ${r.metric} ${pct(r.changePct)} (p=${r.pWorseAdj})`), ...(g.comparison?.brokenContracts ?? [])];
    return `❌ ${what.join('; ')}`;
  }
  if (g.exit === 0) return `✅ ${g.reason}`;
  return `⚠️ ${g.reason}`;
}

/** Plain-text table of one gate, for the terminal. */
export function gateTable(g: Gate): string {
  const rows = g.comparison?.rows ?? [];
  const lines = rows.map((r) =>
    `${r.scenario.padEnd(22)} ${r.metric.padEnd(26)} ${val(r.base, r.unit).padStart(14)} → ${val(r.head, r.unit).padEnd(14)} ${pct(r.changePct).padStart(8)}  p=${String(r.pWorse).padEnd(7)} adj=${String(r.pWorseAdj).padEnd(7)} ${r.verdict}`);
  for (const n of g.comparison?.notes ?? []) lines.push(`note: ${n}`);
  for (const c of g.comparison?.brokenContracts ?? []) lines.push(`CONTRACT BROKEN: ${c}`);
  for (const r of g.comparison?.regressions ?? []) lines.push(`REGRESSION: ${regressionLine(g, r)}`);
  lines.push(`gate ${g.ref}: ${g.exit === 0 ? 'passed' : g.exit === 99 ? 'FAILED' : 'INVALID'} — ${g.reason}`);
  return lines.join('\n');
}

const rowsOf = (g: Gate): AbRow[] => g.comparison?.rows ?? [];

const noiseCell = (xs: Array<number | null>): string => {
  const known = xs.filter((x): x is number => x !== null);
  return known.length ? known.map((x) => x.toFixed(1)).join(', ') + ' ms' : 'not recorded';
};

/** The Markdown section of one gate (its head's last round report is appended by the caller). */
export function gateMarkdown(g: Gate): string {
  const out = [`### ${g.ref}: ${gateHeadline(g)}`, ''];
  out.push(`base \`${g.base.commit.slice(0, 8)}\` (${g.base.rev}) → head \`${g.head.commit.slice(0, 8)}\` (${g.head.rev}${g.head.workingTree ? `, working tree${g.head.dirty ? ', uncommitted changes' : ''}` : ''}) · ${g.rounds} alternating rounds${g.smoke ? ' of smoke runs' : ''} · threshold ${g.thresholdPct}% · α ${g.alpha}${!rowsOf(g).length ? '' : g.correction === 'holm' ? ` over all ${rowsOf(g).length} figures (Holm)` : ' per figure'}`, '');
  const rows = g.comparison?.rows ?? [];
  if (rows.length) {
    out.push('| Scenario | Metric | Base (median) | Head (median) | Change (median of pairs) | p (head worse) | adjusted p | Verdict |', '|---|---|---|---|---|---|---|---|');
    for (const r of rows) {
      const icon = { improved: '✅', unchanged: '✅', regressed: '❌', inconclusive: '⚠️' }[r.verdict];
      out.push(`| ${r.scenario} | ${r.metric} | ${val(r.base, r.unit)} | ${val(r.head, r.unit)} | ${pct(r.changePct)} | ${r.pWorse} | ${r.pWorseAdj} | ${icon} ${r.verdict} |`);
    }
    out.push('');
  }
  for (const c of g.comparison?.brokenContracts ?? []) out.push(`- contract broken: ${c}`);
  for (const n of g.comparison?.notes ?? []) out.push(`- note: ${n}`);
  out.push(`- machine noise (longest gap in a 1 s probe at each run's start): base ${noiseCell(g.noiseMaxGapMs.base)}; head ${noiseCell(g.noiseMaxGapMs.head)}`, '');
  return out.join('\n');
}

export const GATE_METHOD =
  'Each round runs base and head on the same runner, alternating which goes first; every figure (p50, p99, throughput, ' +
  'each directed metric) is compared across round pairs with a one-sided exact Wilcoxon signed-rank test, p adjusted (Holm) ' +
  'over all of a suite\'s figures. A regression is significant (adjusted p < α) and beyond its threshold in the bad direction.';

/** Exit code of several gates: any invalid → 1, else any regression → 99, else 0. */
export function combinedExit(codes: readonly number[]): 0 | 1 | 99 | 130 {
  if (codes.includes(130)) return 130;
  if (codes.some((c) => c !== 0 && c !== 99)) return 1;
  return codes.includes(99) ? 99 : 0;
}
