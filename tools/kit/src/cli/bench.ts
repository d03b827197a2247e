import path from 'node:path';
import { WbError } from '../errors.js';
import type { Result } from '../results/types.js';
import { summaryTable } from '../results/report.js';
import { runSuite, selectScenarios } from '../runner/runner.js';
import { keyValues, parse } from './args.js';
import { composeUp } from './compose.js';
import type { RemoteSpec } from '../process/processes.js';
import { loadSuite, resolveSuiteFile, workspaceRoot } from './suites.js';

const USAGE = 'wirebench bench <suite> [--smoke] [--scenario a,b] [--quiet] [--no-fail] [--set key=value] [--results dir] [--run-id id] [--noise-ms 1000] [--shard i/N] [--start-at epoch-ms] [--target role=url]… [--container role=name]… [--containers]';

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
    'noise-ms': { type: 'string' },
    shard: { type: 'string' },
    'start-at': { type: 'string' },
    target: { type: 'string', multiple: true },
    container: { type: 'string', multiple: true },
    containers: { type: 'boolean', default: false },
  }, USAGE);
  const [ref, ...extra] = positionals;
  // A 1 s probe costs 1 s of one CPU per run, before any target starts: the machine's noise in result.env.noise. 0: none.
  const noiseMs = values['noise-ms'] === undefined ? 1000 : Number(values['noise-ms']);
  if (!Number.isFinite(noiseMs) || noiseMs < 0) throw new WbError('WB_ERR_INVALID_OPTION', `--noise-ms must be 0 or more, got "${values['noise-ms']}"`);
  if (!ref || extra.length) throw new WbError('WB_ERR_USAGE', `name one suite; usage: ${USAGE}`);
  const root = workspaceRoot();
  const suiteFile = resolveSuiteFile(ref, root);
  const suite = await loadSuite(suiteFile);
  const only = values.scenario?.flatMap((s) => s.split(',')).filter(Boolean);
  selectScenarios(suite, only);
  const params = keyValues(values.set, '--set');
  const quiet = values.quiet || process.env.CI === 'true';
  const shard = values.shard !== undefined ? parseShard(values.shard) : undefined;
  const startAt = values['start-at'] !== undefined ? { atMs: parseStartAt(values['start-at']), taken: false } : undefined;
  let remote = remoteTargets(values.target, values.container);

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
  // --containers: the suite's compose profile up for the run, down after it whatever happens.
  const stack = values.containers ? await composeUp(suite.name, root, remote) : null;
  if (stack) remote = stack.remote;
  try {
    const report = await runSuite(suite, {
      ...(shard ? { shard } : {}),
      ...(startAt ? { startAt } : {}),
      ...(remote.size ? { remote } : {}),
      suiteFile,
      smoke: values.smoke,
      ...(only?.length ? { only } : {}),
      resultsDir: values.results ? path.resolve(values.results) : path.join(root, 'results'),
      ...(values['run-id'] ? { runId: values['run-id'] } : {}),
      quiet,
      params,
      signal: abort.signal,
      cwd: root,
      noiseProbeMs: noiseMs,
    });
    process.stdout.write(`\n${suite.name} — run ${report.runId}${values.smoke ? ' (smoke)' : ''}\n${summaryTable(report.results)}\nresults: ${path.relative(process.cwd(), report.runDir) || '.'}\n`);
    if (report.interrupted) return 130;
    return values['no-fail'] ? 0 : benchExitCode(report.results);
  } finally {
    await stack?.down();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** `--shard i/N`: this process is shard i (0-based) of N. */
export function parseShard(v: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(v.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count) throw new WbError('WB_ERR_INVALID_OPTION', `--shard takes i/N with 0 <= i < N (e.g. 0/2), got "${v}"`);
  return { index, count };
}

function parseStartAt(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 1e12) throw new WbError('WB_ERR_INVALID_OPTION', `--start-at takes epoch milliseconds (e.g. $(( $(date +%s%3N) + 5000 ))), got "${v}"`);
  return n;
}

/** `--target role=url` and `--container role=name` into the runner's remote roles (a container needs its URL). */
export function remoteTargets(targets: string[] | undefined, containers: string[] | undefined): Map<string, RemoteSpec> {
  const pairs = (vs: string[] | undefined, flag: string): Array<[string, string]> =>
    (vs ?? []).map((v) => {
      const i = v.indexOf('=');
      if (i <= 0 || i === v.length - 1) throw new WbError('WB_ERR_INVALID_OPTION', `${flag} takes role=value, got "${v}"`);
      return [v.slice(0, i), v.slice(i + 1)];
    });
  const out = new Map<string, RemoteSpec>(pairs(targets, '--target').map(([role, url]) => [role, { url }]));
  for (const [role, name] of pairs(containers, '--container')) {
    const t = out.get(role);
    if (!t) throw new WbError('WB_ERR_INVALID_OPTION', `--container ${role}=${name} needs --target ${role}=<url> too (where the suite reaches it)`);
    t.container = name;
  }
  return out;
}
