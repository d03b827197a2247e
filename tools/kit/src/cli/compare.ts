import { compareResults } from '../results/compare.js';
import { comparisonTable, markdownReport, jsonReport } from '../results/report.js';
import { readResults } from '../results/resultfile.js';
import { WbError } from '../errors.js';
import { keyValues, parse, positiveNumber } from './args.js';

const USAGE = 'wirebench compare <baseline> <current> [--threshold 10] [--threshold-for p99=20,throughput=5] [--format text|md|json]';

/** Exit 0 when nothing regressed, 1 when something did. */
export function compareCommand(argv: string[]): number {
  const { values, positionals } = parse(argv, {
    threshold: { type: 'string' },
    'threshold-for': { type: 'string', multiple: true },
    format: { type: 'string', default: 'text' },
  }, USAGE);
  if (positionals.length !== 2) throw new WbError('WB_ERR_USAGE', `compare takes a baseline and a current result (file or run folder); usage: ${USAGE}`);
  const format = values.format ?? 'text';
  if (!['text', 'md', 'json'].includes(format)) throw new WbError('WB_ERR_INVALID_OPTION', `--format must be text, md or json, got "${format}"`);
  const thresholds: Record<string, number> = {};
  for (const [k, v] of Object.entries(keyValues(values['threshold-for'], '--threshold-for'))) thresholds[k] = positiveNumber(v, `--threshold-for ${k}`);
  const baseline = readResults(positionals[0]!);
  const current = readResults(positionals[1]!);
  const c = compareResults(baseline, current, {
    ...(values.threshold !== undefined ? { thresholdPct: positiveNumber(values.threshold, '--threshold') } : {}),
    thresholds,
  });
  const text = format === 'json' ? jsonReport(current, c) : format === 'md' ? markdownReport(current, c) : `${comparisonTable(c)}\n`;
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return c.regressed ? 1 : 0;
}
