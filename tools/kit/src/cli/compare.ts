import { compareResults } from '../results/compare.js';
import { comparisonTable, markdownReport, jsonReport } from '../results/report.js';
import { readResults } from '../results/resultfile.js';
import { WbError } from '../errors.js';
import type { Result } from '../results/types.js';
import { keyValues, parse, positiveNumber } from './args.js';

const USAGE = 'wirebench compare <baseline> <current> [--threshold 10] [--threshold-for p99=20,throughput=5] [--format text|md|json]';

/**
 * Two separate runs differ by the change AND by the machine (other tenants, thermal state, what
 * else ran): compare cannot tell them apart. Say so, and say how far the machine moved between the
 * runs by the noise probe each bench run records at its start.
 */
export function machineCaveat(baseline: Result[], current: Result[]): string[] {
  const b = baseline[0]?.env.noise;
  const c = current[0]?.env.noise;
  const one = (n: typeof b): string => (n ? `longest gap ${n.maxGapMs.toFixed(2)} ms, ${n.over1Ms} gap(s) ≥ 1 ms, ${n.lostPct.toFixed(3)}% not running` : 'not recorded');
  const lines = [
    'separate runs: machine and change are confounded; use wirebench ab (base and head in alternating rounds on one machine)',
    `machine noise at run start (${b?.durationMs ?? c?.durationMs ?? 1000} ms probe): baseline ${one(b)}; current ${one(c)}`,
  ];
  if (b && c) {
    const ratio = (x: number, y: number): string => (x > 0 ? `×${(y / x).toFixed(1)}` : y > 0 ? 'from none' : 'none either time');
    lines.push(`the machine moved: longest gap ${ratio(b.maxGapMs, c.maxGapMs)}, time not running ${ratio(b.lostPct, c.lostPct)}`);
  }
  return lines;
}

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
  // Not in JSON (stdout stays one document); text and Markdown readers get the caveat under the verdict.
  if (format !== 'json') process.stdout.write(`${machineCaveat(baseline, current).map((l) => (format === 'md' ? `> ${l}` : l)).join('\n')}\n`);
  return c.regressed ? 1 : 0;
}
