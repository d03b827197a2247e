import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULTS } from '../defaults.js';
import { errorLine, WbError } from '../errors.js';
import { pairedCompare, type AbRound } from '../results/ab.js';
import { gateTable, type Gate } from '../results/gate.js';
import { readResults, writeJsonAtomic } from '../results/resultfile.js';
import type { Result } from '../results/types.js';
import { newRunId } from '../runner/run-suite.js';
import { keyValues, parse, positiveNumber } from './args.js';
import { commitOf, existsAt, git, runLogged, tail, worktree, type Checkout } from './checkout.js';
import { suiteDirByProject, workspaceRoot } from './suites.js';

const USAGE = 'wirebench ab <suite> --base <rev> [--head HEAD] [--rounds 10] [--scenario a,b] [--smoke] [--threshold 10] [--threshold-for p99=20] [--correction holm|none] [--install "npm ci --no-audit --no-fund"] [--keep]';

/**
 * Ten rounds: the least one-sided p is 1/2^rounds, and Holm over a suite's m figures asks for
 * m × that below α: 10 rounds reach it for up to ~50 figures (6 rounds: 3).
 */
export const DEFAULT_ROUNDS = 10;
export const DEFAULT_INSTALL = 'npm ci --no-audit --no-fund';

export interface AbOptions {
  suite: string;
  base: string;
  head: string;
  rounds: number;
  smoke: boolean;
  scenarios: string[];
  thresholdPct: number;
  thresholds: Record<string, number>;
  install: string;
  keep: boolean;
  correction: 'holm' | 'none';
  /** Workspace root (default: the nearest nx.json up from the current folder). */
  root?: string;
}

export function abOptions(values: Record<string, string | boolean | string[] | undefined>): Omit<AbOptions, 'suite' | 'base'> & { base?: string } {
  const thresholds: Record<string, number> = {};
  for (const [k, v] of Object.entries(keyValues(values['threshold-for'] as string[] | undefined, '--threshold-for'))) thresholds[k] = positiveNumber(v, `--threshold-for ${k}`);
  const rounds = positiveNumber(String(values.rounds ?? DEFAULT_ROUNDS), '--rounds');
  if (!Number.isInteger(rounds)) throw new WbError('WB_ERR_INVALID_OPTION', `--rounds must be a whole number, got "${values.rounds}"`);
  return {
    ...(typeof values.base === 'string' ? { base: values.base } : {}),
    head: typeof values.head === 'string' ? values.head : 'HEAD',
    rounds,
    smoke: values.smoke === true,
    scenarios: ((values.scenario as string[] | undefined) ?? []).flatMap((s) => s.split(',')).filter(Boolean),
    thresholdPct: values.threshold !== undefined ? positiveNumber(String(values.threshold), '--threshold') : DEFAULTS.compareThresholdPct,
    thresholds,
    install: typeof values.install === 'string' ? values.install : DEFAULT_INSTALL,
    keep: values.keep === true,
    correction: correctionOf(values.correction),
  };
}

function correctionOf(v: unknown): 'holm' | 'none' {
  if (v === undefined || v === 'holm' || v === 'none') return (v ?? 'holm') as 'holm' | 'none';
  throw new WbError('WB_ERR_INVALID_OPTION', `--correction is holm or none, got "${String(v)}"`);
}

export const AB_ARGS = {
  base: { type: 'string' },
  head: { type: 'string' },
  rounds: { type: 'string' },
  scenario: { type: 'string', multiple: true },
  smoke: { type: 'boolean', default: false },
  threshold: { type: 'string' },
  'threshold-for': { type: 'string', multiple: true },
  install: { type: 'string' },
  keep: { type: 'boolean', default: false },
  correction: { type: 'string' },
} as const;

/** `wirebench ab`: exit 0 passed, 99 a significant regression (or broken contract), 1 a round invalid or failed. */
export async function abCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, AB_ARGS, USAGE);
  const [suite, ...extra] = positionals;
  if (!suite || extra.length) throw new WbError('WB_ERR_USAGE', `name one suite; usage: ${USAGE}`);
  const o = abOptions(values);
  if (!o.base) throw new WbError('WB_ERR_USAGE', `--base <rev> is required; usage: ${USAGE}`);
  return (await runAb({ ...o, base: o.base, suite })).gate.exit;
}

/** The suite's folder, relative to the root: a path, a name under suites/, or an Nx project name. */
export function suiteFolder(ref: string, root: string): string {
  for (const c of [path.resolve(root, ref), path.join(root, 'suites', ref)]) {
    if (existsSync(path.join(c, 'package.json')) && statSync(c).isDirectory()) return path.relative(root, c);
  }
  const byProject = suiteDirByProject(ref, root);
  if (byProject) return path.relative(root, byProject);
  throw new WbError('WB_ERR_UNKNOWN_SUITE', `no suite folder for "${ref}" under ${path.join(root, 'suites')}`);
}

/** The kit CLI a checkout ships (its own kit: a kit change is measured as part of the change). */
function kitBin(checkout: string): string {
  for (const c of [path.join(checkout, 'node_modules', '@wirebench', 'kit', 'bin', 'wirebench.js'), path.join(checkout, 'tools', 'kit', 'bin', 'wirebench.js')]) {
    if (existsSync(c)) return c;
  }
  throw new WbError('WB_ERR_NOT_FOUND', `no wirebench CLI in ${checkout} (node_modules/@wirebench/kit/bin/wirebench.js): was it installed?`);
}

/** bench writes <results>/runs/<suite name>/<run id>: the suite's name is the suite's own, so look for the id. */
function runDirOf(gateDir: string, runId: string): string {
  const runs = path.join(gateDir, 'runs');
  for (const s of existsSync(runs) ? readdirSync(runs) : []) {
    const d = path.join(runs, s, runId);
    if (existsSync(d)) return d;
  }
  throw new WbError('WB_ERR_NOT_FOUND', `bench left no results for ${runId} under ${runs}`);
}

export async function runAb(o: AbOptions): Promise<{ gate: Gate; gateDir: string }> {
  const root = o.root ?? workspaceRoot();
  const started = Date.now();
  const rel = suiteFolder(o.suite, root);
  const key = path.basename(rel);
  const baseCommit = commitOf(root, o.base);
  const headCommit = commitOf(root, o.head);
  const headIsTree = headCommit === commitOf(root, 'HEAD');
  const id = newRunId();
  const gateDir = path.join(root, 'results', 'ab', key, id);
  const work = path.join(root, 'tmp', `ab-${key}-${id}`);
  const say = (l: string): void => void process.stderr.write(`ab ${o.suite}: ${l}\n`);
  const gate: Gate = {
    schema: 'wirebench/ab@1', suite: key, ref: o.suite,
    base: { rev: o.base, commit: baseCommit },
    head: { rev: o.head, commit: headCommit, workingTree: headIsTree, dirty: headIsTree && git(root, ['status', '--porcelain', '--untracked-files=no']).length > 0 },
    rounds: o.rounds, smoke: o.smoke, thresholdPct: o.thresholdPct, alpha: DEFAULTS.compareAlpha, correction: o.correction,
    exit: 1, reason: 'not finished', comparison: null, runs: { base: [], head: [] }, noiseMaxGapMs: { base: [], head: [] },
    startedAt: new Date(started).toISOString(), durationMs: 0,
  };
  const finish = (exit: Gate['exit'], reason: string): { gate: Gate; gateDir: string } => {
    Object.assign(gate, { exit, reason, durationMs: Date.now() - started });
    writeJsonAtomic(path.join(gateDir, 'gate.json'), gate);
    process.stdout.write(`\n${gateTable(gate)}\nresults: ${path.relative(process.cwd(), gateDir) || '.'}\n`);
    return { gate, gateDir };
  };

  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true; // the bench child has the signal too; the rounds stop after it
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const checkouts: Checkout[] = [];
  try {
    say(`base ${baseCommit.slice(0, 8)} (${o.base}) vs head ${headCommit.slice(0, 8)} (${o.head}${headIsTree ? ', this working tree' : ''}); ${o.rounds} rounds${o.smoke ? ' (smoke)' : ''}`);
    if (!existsAt(root, baseCommit, path.join(rel, 'package.json'))) return finish(0, `${rel} is new in head: nothing to compare against`);
    say(`installing the base checkout: ${o.install}`);
    const base = await worktree(root, baseCommit, path.join(work, 'base'), o.install, path.join(gateDir, 'logs', 'install-base.log'));
    checkouts.push(base);
    let headDir = root;
    if (!headIsTree) {
      say(`installing the head checkout: ${o.install}`);
      const head = await worktree(root, headCommit, path.join(work, 'head'), o.install, path.join(gateDir, 'logs', 'install-head.log'));
      checkouts.push(head);
      headDir = head.dir;
    }
    const dirs = { base: base.dir, head: headDir };

    const rounds: AbRound[] = [];
    for (let r = 1; r <= o.rounds; r++) {
      // Alternate who goes first: a machine that warms up (or slows down) within a round favours neither side.
      const order: Array<'base' | 'head'> = r % 2 === 1 ? ['base', 'head'] : ['head', 'base'];
      const got: Record<'base' | 'head', Result[]> = { base: [], head: [] };
      for (const side of order) {
        const runId = `ab-${side}-r${r}`;
        const log = path.join(gateDir, 'logs', `${runId}.log`);
        const args = [kitBin(dirs[side]), 'bench', rel, '--run-id', runId, '--results', gateDir, '--quiet', ...(o.smoke ? ['--smoke'] : []), ...(o.scenarios.length ? ['--scenario', o.scenarios.join(',')] : [])];
        const { code, ms } = await runLogged(process.execPath, args, { cwd: dirs[side], log });
        say(`round ${r}/${o.rounds} ${side}: exit ${code} in ${(ms / 1000).toFixed(1)} s`);
        if (interrupted || code === 130) return finish(130, `interrupted in round ${r} (${side})`);
        if (code !== 0 && code !== 99) {
          process.stderr.write(`${tail(log)}\n`);
          return finish(1, `round ${r} ${side}: bench exited ${code} (an invalid run or an error: its figures cannot be trusted); log: ${path.relative(root, log)}`);
        }
        const dir = runDirOf(gateDir, runId);
        got[side] = readResults(dir);
        gate.runs[side].push(path.relative(gateDir, dir));
        gate.noiseMaxGapMs[side].push(got[side][0]?.env.noise?.maxGapMs ?? null);
      }
      rounds.push({ round: r, first: order[0]!, base: got.base, head: got.head });
    }
    const c = pairedCompare(rounds, { thresholdPct: o.thresholdPct, thresholds: o.thresholds, alpha: gate.alpha, correction: o.correction });
    gate.comparison = c;
    if (c.regressions.length || c.brokenContracts.length) {
      const what = [...c.regressions.map((x) => `${x.scenario} ${x.metric} ${x.changePct > 0 ? '+' : ''}${x.changePct}% (p=${x.pWorseAdj})`), ...c.brokenContracts];
      return finish(99, `regression: ${what.join('; ')}`);
    }
    return finish(0, `no significant regression beyond ${o.thresholdPct}% over ${o.rounds} round pairs`);
  } catch (err) {
    // Set-up or reading failed after the inputs were accepted: the gate could not be run, it did not pass.
    if (!(err instanceof WbError)) throw err;
    process.stderr.write(`${errorLine(err)}\n`);
    return finish(1, `${err.code}: ${err.message.split('\n')[0]}`);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (!o.keep) {
      for (const c of checkouts) c.remove();
      rmSync(work, { recursive: true, force: true });
    } else if (checkouts.length) say(`kept the checkouts under ${path.relative(root, work)}`);
  }
}
