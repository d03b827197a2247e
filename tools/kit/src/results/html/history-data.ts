/**
 * Trend data: chosen metrics across saved runs of one suite. Sources: saved result folders
 * (`results/baselines/<suite>/<name>/`, or `results/runs` laid out the same way: each folder is a
 * point) or a history file (`<dir>/<suite>.jsonl`, one JSON line per scenario result as
 * `wirebench trend-data` appends them: each runId is a point). Points are ordered by when their run started.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { WbError } from '../../errors.js';
import { RUN_METRICS } from '../compare.js';
import { readResults } from '../resultfile.js';
import type { Result } from '../types.js';
import type { HistoryView, TrendView } from './view.js';

export const DEFAULT_TREND_METRICS = ['p50', 'p99', 'throughput', 'cpu_us_per_op'];

interface Figure { value: number; unit: string; better: string }
/** One scenario's figures in one saved run; `trusted` false for an invalid or interrupted run. */
export interface TrendRow { suite: string; scenario: string; trusted: boolean; figures: Record<string, Figure> }
export interface HistoryPoint { name: string; startedAt: string; commit: string | null; smoke: boolean; rows: TrendRow[] }

function rowOf(r: Result): TrendRow {
  const figures: Record<string, Figure> = {};
  for (const d of RUN_METRICS) {
    const has = d.metric === 'throughput' ? r.counts.sent > 0 : r.latencyMs.count > 0;
    if (has) figures[d.metric] = { value: d.value(r), unit: d.unit, better: d.better };
  }
  for (const [name, m] of Object.entries(r.metrics)) figures[name] = { value: m.value, unit: m.unit, better: m.better };
  return { suite: r.suite, scenario: r.scenario, trusted: r.valid && !r.interrupted, figures };
}

function fromFolders(root: string): HistoryPoint[] {
  return readdirSync(root)
    .filter((n) => statSync(path.join(root, n)).isDirectory())
    .map((name) => {
      const results = readResults(path.join(root, name));
      return {
        name,
        startedAt: results.map((r) => r.startedAt).sort()[0] ?? '',
        commit: results[0]?.env.git.commit ?? null,
        smoke: results.some((r) => r.smoke),
        rows: results.map(rowOf),
      };
    });
}

interface HistoryLine { at: string; runId: string; suite: string; scenario: string; commit?: string | null; smoke?: boolean; valid?: boolean; figures: Record<string, number>; units?: Record<string, string> }

function fromHistoryFile(file: string): HistoryPoint[] {
  const byRun = new Map<string, HistoryPoint>();
  readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
    if (!text.trim()) return;
    let l: HistoryLine;
    try {
      l = JSON.parse(text) as HistoryLine;
    } catch {
      throw new WbError('WB_ERR_RESULT_CORRUPT', `${file}:${i + 1} is not a JSON line`);
    }
    const p = byRun.get(l.runId) ?? { name: l.runId, startedAt: l.at, commit: l.commit ?? null, smoke: false, rows: [] };
    if (l.at < p.startedAt) p.startedAt = l.at;
    p.smoke ||= l.smoke === true;
    const known = (m: string): string => RUN_METRICS.find((d) => d.metric === m)?.better ?? 'none';
    const figures = Object.fromEntries(Object.entries(l.figures).map(([k, v]) => [k, { value: v, unit: l.units?.[k] ?? '', better: known(k) }]));
    p.rows.push({ suite: l.suite, scenario: l.scenario, trusted: l.valid !== false, figures });
    byRun.set(l.runId, p);
  });
  return [...byRun.values()];
}

/** The saved runs of `suite` under `dir` (folders `<dir>/<suite>/<name>/`, or the history file `<dir>/<suite>.jsonl`), oldest first. */
export function readHistory(dir: string, suite: string): HistoryPoint[] {
  const file = dir.endsWith('.jsonl') ? dir : path.join(dir, `${suite}.jsonl`);
  const root = path.join(dir, suite);
  let points: HistoryPoint[];
  if (existsSync(file) && statSync(file).isFile()) points = fromHistoryFile(file);
  else if (existsSync(root) && statSync(root).isDirectory()) points = fromFolders(root);
  else throw new WbError('WB_ERR_NOT_FOUND', `no saved runs of suite "${suite}" under ${dir} (expected ${root}/<name>/<scenario>.json or ${file})`);
  if (points.length === 0) throw new WbError('WB_ERR_NOT_FOUND', `no saved runs of suite "${suite}" under ${dir}`);
  return points.sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.name.localeCompare(b.name));
}

/** `cpu_*`-style patterns expand to every figure name of the points that matches them. */
function expand(patterns: string[], points: HistoryPoint[]): string[] {
  const names = new Set(points.flatMap((p) => p.rows.flatMap((r) => Object.keys(r.figures))));
  const out: string[] = [];
  for (const pat of patterns) {
    if (!pat.includes('*')) out.push(pat);
    else {
      const re = new RegExp(`^${pat.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
      out.push(...[...names].filter((n) => re.test(n)).sort());
    }
  }
  return [...new Set(out)];
}

export function historyView(suite: string, dir: string, points: HistoryPoint[], metrics: string[], generatedAt = new Date()): HistoryView {
  const scenarios = [...new Set(points.flatMap((p) => p.rows.filter((r) => r.suite === suite).map((r) => r.scenario)))].sort();
  const trends: TrendView[] = [];
  for (const metric of expand(metrics, points)) {
    let unit = '';
    let better = 'none';
    const series: TrendView['series'] = [];
    for (const scenario of scenarios) {
      const rows = points.map((p) => p.rows.find((r) => r.scenario === scenario && r.suite === suite));
      const figs = rows.map((r) => r?.figures[metric] ?? null);
      if (figs.every((f) => f === null)) continue;
      for (const f of figs) if (f) ({ unit, better } = f);
      // An invalid or interrupted run's figure cannot be trusted: no point, and the table says why.
      const invalid = rows.map((r) => !!r && !r.trusted);
      series.push({ scenario, values: figs.map((f, i) => (f && !invalid[i] ? f.value : null)), invalid });
    }
    if (series.length) trends.push({ metric, unit, better, series });
  }
  return {
    kind: 'history',
    title: `${suite} · trend across ${points.length} saved run${points.length === 1 ? '' : 's'}`,
    suite,
    dir,
    generatedAt: generatedAt.toISOString(),
    points: points.map(({ name, startedAt, commit, smoke }) => ({ name, startedAt, commit, smoke })),
    trends,
  };
}
