import { writeFileSync } from 'node:fs';
import { compareResults } from '../results/compare.js';
import { WbError } from '../errors.js';
import { jsonReport, markdownReport } from '../results/report.js';
import { readResults } from '../results/resultfile.js';
import { parse } from './args.js';

const USAGE = 'wirebench report <run folder|result file> [--baseline <run|file>] [--format md|json] [--out file]';

export function reportCommand(argv: string[]): number {
  const { values, positionals } = parse(argv, {
    baseline: { type: 'string' },
    format: { type: 'string', default: 'md' },
    out: { type: 'string' },
  }, USAGE);
  if (positionals.length !== 1) throw new WbError('WB_ERR_USAGE', `report takes one run folder or result file; usage: ${USAGE}`);
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'json') throw new WbError('WB_ERR_INVALID_OPTION', `--format must be md or json, got "${format}"`);
  const results = readResults(positionals[0]!);
  const comparison = values.baseline ? compareResults(readResults(values.baseline), results) : undefined;
  const text = format === 'json' ? jsonReport(results, comparison) : `${markdownReport(results, comparison)}\n`;
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
  return 0;
}
