import path from 'node:path';
import { WbError } from '../errors.js';
import { mergeShards } from '../results/merge.js';
import { readResults, writeJsonAtomic } from '../results/resultfile.js';
import { summaryTable } from '../results/report.js';
import type { Result } from '../results/types.js';
import { newRunId } from '../runner/runner.js';
import { benchExitCode } from './bench.js';
import { parse } from './args.js';
import { workspaceRoot } from './suites.js';

const USAGE = 'wirebench merge <shard run folder>… [--out dir] [--run-id id] [--results dir]';

/**
 * Merges the run folders of N shards (`bench --shard i/N`) into one result per scenario, written to
 * --out (default results/runs/<suite>/<run-id>). Exit code as bench's: 1 when a merged result is invalid.
 */
export function mergeCommand(argv: string[]): number {
  const { values, positionals } = parse(argv, { out: { type: 'string' }, 'run-id': { type: 'string' }, results: { type: 'string' } }, USAGE);
  if (positionals.length < 1) throw new WbError('WB_ERR_USAGE', `name the shards' run folders; usage: ${USAGE}`);
  const byScenario = new Map<string, Result[]>();
  for (const dir of positionals) {
    for (const r of readResults(dir)) byScenario.set(r.scenario, [...(byScenario.get(r.scenario) ?? []), r]);
  }
  const runId = values['run-id'] ?? `${newRunId()}-merged`;
  const suite = [...byScenario.values()][0]?.[0]?.suite ?? 'unknown';
  const out = values.out ? path.resolve(values.out) : path.join(values.results ? path.resolve(values.results) : path.join(workspaceRoot(), 'results'), 'runs', suite, runId);
  const merged: Result[] = [];
  for (const [scenario, rs] of byScenario) {
    const m = mergeShards(rs, runId);
    // A scenario some shard folders lack is missing shards: say which folders.
    if (rs.length < positionals.length) m.invalidReasons.push(`only ${rs.length} of ${positionals.length} run folders hold ${scenario}`);
    m.valid = m.invalidReasons.length === 0;
    writeJsonAtomic(path.join(out, `${scenario}.json`), m);
    merged.push(m);
  }
  process.stdout.write(`${summaryTable(merged)}\nmerged ${positionals.length} shard run(s): ${path.relative(process.cwd(), out) || '.'}\n`);
  for (const m of merged) if (!m.valid) process.stdout.write(`INVALID ${m.scenario}: ${m.invalidReasons.join('; ')}\n`);
  return benchExitCode(merged);
}
