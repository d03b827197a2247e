import path from 'node:path';
import { WbError } from '../errors.js';
import { readResults, writeJsonAtomic } from '../results/resultfile.js';
import { parse } from './args.js';
import { workspaceRoot } from './suites.js';

const USAGE = 'wirebench baseline save <run folder|result file> [--name name] [--results dir]';

/** Copies a run into results/baselines/<suite>/<name>/, the one place results are committed on purpose. */
export function baselineCommand(argv: string[]): number {
  const { values, positionals } = parse(argv, { name: { type: 'string' }, results: { type: 'string' } }, USAGE);
  const [verb, source, ...extra] = positionals;
  if (verb !== 'save' || !source || extra.length) throw new WbError('WB_ERR_USAGE', `usage: ${USAGE}`);
  const results = readResults(source);
  const name = values.name ?? results[0]!.runId;
  if (!/^[\w.-]+$/.test(name)) throw new WbError('WB_ERR_INVALID_OPTION', `--name may hold letters, digits, . _ - only, got "${name}"`);
  const dir = values.results ? path.resolve(values.results) : path.join(workspaceRoot(), 'results');
  const written: string[] = [];
  for (const r of results) {
    const file = path.join(dir, 'baselines', r.suite, name, `${r.scenario}.json`);
    writeJsonAtomic(file, r);
    written.push(path.relative(process.cwd(), file));
  }
  process.stdout.write(`saved ${written.length} result(s) as baseline "${name}":\n${written.map((w) => `  ${w}`).join('\n')}\n`);
  return 0;
}
