import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compareResults } from '../results/compare.js';
import { WbError } from '../errors.js';
import { jsonReport, markdownReport } from '../results/report.js';
import { readResults } from '../results/resultfile.js';
import { htmlReport } from '../results/html/index.js';
import { checkPage, pageProblems } from '../results/html/browser.js';
import { parse } from './args.js';

const USAGE = 'wirebench report <run folder|result file> [--baseline <run|file>] [--format md|json|html] [--out file|-] [--screenshot]';

/** HTML goes beside the results by default (`<run>/report.html`): it is a page to open, not text to pipe. */
function defaultHtmlPath(source: string): string {
  return statSync(source).isDirectory() ? path.join(source, 'report.html') : source.replace(/\.json$/, '') + '.report.html';
}

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    baseline: { type: 'string' },
    format: { type: 'string', default: 'md' },
    out: { type: 'string' },
    screenshot: { type: 'boolean', default: false },
  }, USAGE);
  if (positionals.length !== 1) throw new WbError('WB_ERR_USAGE', `report takes one run folder or result file; usage: ${USAGE}`);
  const format = values.format ?? 'md';
  if (format !== 'md' && format !== 'json' && format !== 'html') throw new WbError('WB_ERR_INVALID_OPTION', `--format must be md, json or html, got "${format}"`);
  if (values.screenshot && format !== 'html') throw new WbError('WB_ERR_INVALID_OPTION', '--screenshot goes with --format html');
  const source = positionals[0]!;
  const results = readResults(source);
  const baseline = values.baseline ? readResults(values.baseline) : undefined;
  const comparison = baseline ? compareResults(baseline, results) : undefined;
  if (format !== 'html') {
    const text = format === 'json' ? jsonReport(results, comparison) : `${markdownReport(results, comparison)}\n`;
    if (values.out && values.out !== '-') writeFileSync(values.out, text);
    else process.stdout.write(text);
    return 0;
  }
  const html = htmlReport(results, { ...(baseline ? { baseline } : {}), ...(comparison ? { comparison } : {}) });
  if (values.out === '-') {
    if (values.screenshot) throw new WbError('WB_ERR_INVALID_OPTION', '--screenshot needs the page in a file: drop --out -');
    process.stdout.write(html);
    return 0;
  }
  const out = values.out ?? defaultHtmlPath(source);
  writeFileSync(out, html);
  process.stdout.write(`${out}\n`);
  if (!values.screenshot) return 0;
  // The screenshot is taken by opening the page in Chromium: it doubles as a check that every chart drew.
  const png = out.replace(/\.html?$/, '') + '.png';
  const problems = pageProblems(await checkPage(out, { screenshot: png }));
  process.stdout.write(`${png}\n`);
  for (const p of problems) process.stderr.write(`report: ${p}\n`);
  return problems.length ? 1 : 0;
}
