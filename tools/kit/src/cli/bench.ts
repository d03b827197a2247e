import path from 'node:path';
import { WbError } from '../errors.js';
import type { Result } from '../results/types.js';
import { summaryTable } from '../results/report.js';
import { runSuite, selectScenarios } from '../runner/runner.js';
import { keyValues, parse } from './args.js';
import { loadSuite, resolveSuiteFile, workspaceRoot } from './suites.js';

const USAGE = 'wirebench bench <suite> [--smoke] [--scenario a,b] [--quiet] [--no-fail] [--set key=value] [--results dir]';

/**
 * k6's convention: 0 when every result is valid and every judged SLO holds; 99 when the runs were
 * valid and only SLOs failed (the target missed, the measurement is sound); 1 when any result is
 * invalid (its figures cannot be trusted, whatever its SLOs say). Goals in smoke runs are not judged.
 */
export function benchExitCode(results: readonly Result[]): 0 | 1 | 99 {
  if (results.some((r) => !r.valid)) return 1;
  return results.some((r) => r.slo.some((s) => !s.pass && s.judged !== false)) ? 99 : 0;
}

/** Runs a suite; exit code from benchExitCode (unless --no-fail), 130 when interrupted. */
export async function benchCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    smoke: { type: 'boolean', default: false },
    scenario: { type: 'string', multiple: true },
    quiet: { type: 'boolean', default: false },
    'no-fail': { type: 'boolean', default: false },
    set: { type: 'string', multiple: true },
    results: { type: 'string' },
    'run-id': { type: 'string' },
  }, USAGE);
  const [ref, ...extra] = positionals;
  if (!ref || extra.length) throw new WbError('WB_ERR_USAGE', `name one suite; usage: ${USAGE}`);
  const root = workspaceRoot();
  const suiteFile = resolveSuiteFile(ref, root);
  const suite = await loadSuite(suiteFile);
  const only = values.scenario?.flatMap((s) => s.split(',')).filter(Boolean);
  selectScenarios(suite, only);
  const params = keyValues(values.set, '--set');
  const quiet = values.quiet || process.env.CI === 'true';

  const abort = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) process.exit(130); // the exit hook kills every target
    process.stderr.write(`\n${sig}: stopping targets and writing a partial result (again to abort at once)\n`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const report = await runSuite(suite, {
      suiteFile,
      smoke: values.smoke,
      ...(only?.length ? { only } : {}),
      resultsDir: values.results ? path.resolve(values.results) : path.join(root, 'results'),
      ...(values['run-id'] ? { runId: values['run-id'] } : {}),
      quiet,
      params,
      signal: abort.signal,
      cwd: root,
    });
    process.stdout.write(`\n${suite.name} — run ${report.runId}${values.smoke ? ' (smoke)' : ''}\n${summaryTable(report.results)}\nresults: ${path.relative(process.cwd(), report.runDir) || '.'}\n`);
    if (report.interrupted) return 130;
    return values['no-fail'] ? 0 : benchExitCode(report.results);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
