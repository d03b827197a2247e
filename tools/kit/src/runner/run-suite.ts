import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { WbError } from '../errors.js';
import type { RemoteSpec, TargetWrap } from '../process/processes.js';
import { measureNoise } from '../process/noise.js';
import { collectEnv } from '../results/env.js';
import { writeJsonAtomic } from '../results/resultfile.js';
import { parseSlo } from '../results/slo.js';
import type { Result } from '../results/types.js';
import type { Scenario, Suite } from '../suite/suite.js';
import { runScenario } from './scenario.js';

export interface RunOptions {
  suiteFile: string;
  smoke: boolean;
  /** Only these scenarios (by name). */
  only?: string[];
  resultsDir: string;
  runId?: string;
  quiet: boolean;
  params: Record<string, string>;
  /** Aborting stops the run: the current scenario is written as interrupted, the rest are skipped. */
  signal: AbortSignal;
  /** Where git and library versions are read from. */
  cwd: string;
  log?: (line: string) => void;
  /** Runs one script target of each scenario under a wrapper, e.g. a profiler (`wirebench profile`). */
  wrap?: TargetWrap;
  /** Spin one thread this long before the first scenario and record the machine's noise in env.noise (0 or absent: no probe). */
  noiseProbeMs?: number;
  /** This process is generator shard `index` of `count` (`--shard i/N`): every load runs its exact share. */
  shard?: { index: number; count: number };
  /**
   * Epoch ms at which the run's first measured stage starts (`--start-at`), so that shards started
   * apart line up; `taken` once a measurement used it (later ones follow on their own clocks).
   */
  startAt?: { atMs: number; taken: boolean };
  /** Roles served by targets already running (`--target role=url`, `--container role=name`): not started here. */
  remote?: ReadonlyMap<string, RemoteSpec>;
}

export interface RunReport {
  runId: string;
  runDir: string;
  results: Result[];
  files: string[];
  interrupted: boolean;
}

export function newRunId(): string {
  const iso = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${iso}-${randomBytes(2).toString('hex')}`;
}

/** Checks every scenario's SLO syntax and names before anything starts. */
export function selectScenarios(suite: Suite, only: string[] | undefined): Scenario<unknown>[] {
  const names = new Set(suite.scenarios.map((s) => s.name));
  for (const s of suite.scenarios) if (Array.isArray(s.slo)) s.slo.forEach(parseSlo);
  for (const n of only ?? []) {
    if (!names.has(n)) throw new WbError('WB_ERR_UNKNOWN_SCENARIO', `suite ${suite.name} has no scenario "${n}"; it has: ${[...names].join(', ')}`);
  }
  return suite.scenarios.filter((s) => !only?.length || only.includes(s.name));
}

export async function runSuite(suite: Suite, opts: RunOptions): Promise<RunReport> {
  const scenarios = selectScenarios(suite, opts.only);
  const runId = opts.runId ?? newRunId();
  const runDir = path.join(opts.resultsDir, 'runs', suite.name, runId);
  const env = collectEnv({ cwd: opts.cwd, libraries: suite.libraries ?? [], libraryDir: path.dirname(opts.suiteFile) });
  if (opts.noiseProbeMs) env.noise = await noiseProbe(opts.noiseProbeMs);
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const results = new Map<string, Result>();
  const files: string[] = [];
  for (const scenario of scenarios) {
    if (opts.signal.aborted) break;
    const result = await runScenario(suite, scenario, { ...opts, runId, env, results, log });
    results.set(scenario.name, result);
    const file = path.join(runDir, `${scenario.name}.json`);
    writeJsonAtomic(file, result);
    files.push(file);
    if (!opts.quiet) log(scenarioLine(result));
  }
  return { runId, runDir, results: [...results.values()], files, interrupted: opts.signal.aborted };
}

/** The machine before anything of ours runs, so that two separate runs can say how much the machine moved between them. */
async function noiseProbe(durationMs: number): Promise<NonNullable<Result['env']['noise']>> {
  const r = await measureNoise({ threads: 1, durationMs, thresholdMs: 0.1 });
  return { durationMs, maxGapMs: Math.round(r.maxGapMs * 100) / 100, over1Ms: r.over1Ms, lostPct: Math.round(r.lostShare * 1e5) / 1e3 };
}

function scenarioLine(r: Result): string {
  const slo = r.slo.length ? `SLO ${r.slo.filter((s) => s.pass).length}/${r.slo.length}` : 'no SLO';
  const validity = r.interrupted ? 'INTERRUPTED' : r.valid ? 'valid' : `INVALID (${r.invalidReasons.join('; ')})`;
  return `${r.suite}/${r.scenario}: p50 ${r.latencyMs.p50}ms p99 ${r.latencyMs.p99}ms, ${r.throughput.achieved}/s, ok ${r.counts.ok + r.counts.retried}/${r.counts.sent}, ${slo}, ${validity}`;
}

