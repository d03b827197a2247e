import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { WbError } from '../errors.js';
import { figuresOf } from '../results/ab.js';
import { readResults } from '../results/resultfile.js';
import type { Result } from '../results/types.js';
import { parse } from './args.js';

const USAGE = 'wirebench trend-data <run folder>… [--out results/history]';

/**
 * One JSON line per scenario result: the figures the A/B gate compares (p50, p99, throughput,
 * every directed metric) with when, which commit, whether the run was valid and how noisy the
 * machine was. The push-to-main workflow appends each run to <out>/<suite>.jsonl: data for trend plots.
 */
export function trendLine(r: Result): string {
  const figures: Record<string, number> = {};
  const units: Record<string, string> = {};
  for (const [k, f] of figuresOf(r)) {
    figures[k] = f.value;
    units[k] = f.unit;
  }
  return JSON.stringify({
    at: r.startedAt, runId: r.runId, suite: r.suite, scenario: r.scenario, commit: r.env.git.commit, dirty: r.env.git.dirty,
    smoke: r.smoke, valid: r.valid, slo: r.slo.every((s) => s.pass || s.judged === false), noiseMaxGapMs: r.env.noise?.maxGapMs ?? null,
    figures, units,
  });
}

export function trendDataCommand(argv: string[]): number {
  const { values, positionals } = parse(argv, { out: { type: 'string', default: path.join('results', 'history') } }, USAGE);
  if (!positionals.length) throw new WbError('WB_ERR_USAGE', `name one or more run folders; usage: ${USAGE}`);
  const out = path.resolve(values.out ?? path.join('results', 'history'));
  mkdirSync(out, { recursive: true });
  const bySuite = new Map<string, string[]>();
  for (const run of positionals) for (const r of readResults(run)) bySuite.set(r.suite, [...(bySuite.get(r.suite) ?? []), trendLine(r)]);
  for (const [suite, lines] of bySuite) {
    appendFileSync(path.join(out, `${suite}.jsonl`), `${lines.join('\n')}\n`);
    process.stdout.write(`${path.relative(process.cwd(), path.join(out, `${suite}.jsonl`))}: +${lines.length} line(s)\n`);
  }
  return 0;
}
