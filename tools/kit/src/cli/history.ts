import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { WbError } from '../errors.js';
import { DEFAULT_TREND_METRICS, htmlHistory, readHistory } from '../results/html/index.js';
import { parse } from './args.js';
import { workspaceRoot } from './suites.js';

const USAGE = 'wirebench history <suite> [--metric p99,cpu_*] [--dir results/baselines|results/runs|results/history] [--out file|-]';

/**
 * A trend page: chosen metrics across a suite's saved runs — baselines by default, any
 * <dir>/<suite>/<name>/ folders (results/runs), or a history file <dir>/<suite>.jsonl.
 */
export function historyCommand(argv: string[]): number {
  const { values, positionals } = parse(argv, {
    metric: { type: 'string', multiple: true },
    dir: { type: 'string' },
    out: { type: 'string' },
  }, USAGE);
  const [suite, ...extra] = positionals;
  if (!suite || extra.length) throw new WbError('WB_ERR_USAGE', `history takes one suite name; usage: ${USAGE}`);
  const dir = values.dir ? path.resolve(values.dir) : path.join(workspaceRoot(), 'results', 'baselines');
  const metrics = values.metric?.flatMap((m) => m.split(',')).map((m) => m.trim()).filter(Boolean) ?? DEFAULT_TREND_METRICS;
  const html = htmlHistory(suite, path.relative(process.cwd(), dir) || '.', readHistory(dir, suite), metrics);
  if (values.out === '-') {
    process.stdout.write(html);
    return 0;
  }
  // Under results/ (git-ignored), not beside the data: results/baselines is committed.
  const out = values.out ?? path.join(workspaceRoot(), 'results', `${suite}-history.html`);
  writeFileSync(out, html);
  process.stdout.write(`${out}\n`);
  return 0;
}
