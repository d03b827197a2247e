import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { cpuList, cpuPlanProblem, pinSelf } from '../process/affinity.js';
import { DEFAULTS } from '../defaults.js';
import { collectEnv } from '../results/env.js';
import { WbError } from '../errors.js';
import { createHistogram, encodeHistogram, summarize } from '../results/histogram.js';
import { measure, type Measurement } from '../engine/measure.js';
import { summarizeMeasurement, type Summary } from '../results/summarize.js';
import { Processes, type TargetWrap } from '../process/processes.js';
import { ProgressLine } from './progress.js';
import { writeJsonAtomic } from '../results/resultfile.js';
import { Sampler } from '../process/sampler.js';
import { faultFirer } from '../process/fault-actions.js';
import { faultChecks, generatorChecks } from '../results/validity.js';
import { CpuMeter, cpuPerOp } from '../process/cpu-meter.js';
import { evaluateSlos, parseSlo } from '../results/slo.js';
import type { RunOutput, Scenario, ScenarioContext, Suite } from '../suite/suite.js';
import { RESULT_SCHEMA_VERSION, type Result } from '../results/types.js';
import { emptyCounts } from '../engine/recorder.js';

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

function emptySummary(): Summary {
  const h = createHistogram();
  const enc = encodeHistogram(h);
  const s = summarize(h);
  h.destroy();
  return { latencyMs: s, latencyMsUncorrected: s, sendLagMs: null, corrected: enc, uncorrected: enc, counts: emptyCounts(), throughput: { requested: null, achieved: 0, sent: 0 }, stages: [], windows: [], saturation: [] };
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

function scenarioLine(r: Result): string {
  const slo = r.slo.length ? `SLO ${r.slo.filter((s) => s.pass).length}/${r.slo.length}` : 'no SLO';
  const validity = r.interrupted ? 'INTERRUPTED' : r.valid ? 'valid' : `INVALID (${r.invalidReasons.join('; ')})`;
  return `${r.suite}/${r.scenario}: p50 ${r.latencyMs.p50}ms p99 ${r.latencyMs.p99}ms, ${r.throughput.achieved}/s, ok ${r.counts.ok + r.counts.retried}/${r.counts.sent}, ${slo}, ${validity}`;
}

async function runScenario(
  suite: Suite,
  scenario: Scenario<unknown>,
  o: RunOptions & { runId: string; env: Result['env']; results: Map<string, Result>; log: (l: string) => void },
): Promise<Result> {
  const processes = new Processes();
  processes.wrap = o.wrap ?? null;
  const sampler = new Sampler(DEFAULTS.sampleIntervalMs);
  processes.onStart = (t) => sampler.track(t);
  const cpu = new CpuMeter(() => processes.targets);
  /** Measured intervals: resource summaries and CPU per operation cover these, not set-up or warm-up. */
  let measuring = false;
  /** Target deaths nobody asked for while load ran: the figures after one describe a different system. */
  const targetExits: string[] = [];
  processes.onUnexpectedExit = (t, info) => {
    if (!measuring) return;
    const how = info.signal ? `killed by ${info.signal}` : `exit code ${info.code}`;
    targetExits.push(`WB_ERR_TARGET_EXIT: target ${t.role} (pid ${t.pid}) exited during a measured stage (${how}) and no fault action did it; last output: ${t.tail.slice(-3).join(' | ') || '(none)'}`);
  };
  const mark = (phase: 'begin' | 'end'): void => {
    measuring = phase === 'begin';
    if (phase === 'begin') {
      sampler.beginMeasured();
      cpu.begin();
    } else {
      cpu.end();
      sampler.endMeasured();
    }
  };
  const progress = new ProgressLine(!o.quiet && process.stderr.isTTY === true, `${suite.name}/${scenario.name}`);
  const startedAt = new Date();
  const t0 = performance.now();
  let env: unknown;
  const notes: string[] = [];
  const invalid: string[] = [];
  let out: RunOutput = {};
  /** Every measurement the scenario took: each one's generator checks decide validity, not only the returned one. */
  const measurements: Array<{ label: string; m: Measurement }> = [];
  let load: Result['load'] = { model: 'custom', stages: [], workers: 1, timeoutMs: DEFAULTS.timeoutMs };
  const ctx: ScenarioContext = {
    suite: suite.name,
    scenario: scenario.name,
    smoke: o.smoke,
    signal: o.signal,
    processes,
    results: o.results,
    params: o.params,
    log: (m) => (o.quiet ? undefined : o.log(`  ${scenario.name}: ${m}`)),
    sampling: { begin: () => mark('begin'), end: () => mark('end') },
    track: (m, label) => {
      measurements.push({ label, m });
      return m;
    },
    external: async (label, run) => {
      cpu.take(); // this measurement's CPU only
      try {
        const out = await run();
        const r = out as Measurement | { measurement: Measurement };
        const m = 'measurement' in r ? r.measurement : r;
        m.cpuS ??= cpu.take();
        measurements.push({ label, m });
        return out;
      } finally {
        mark('end');
      }
    },
    measure: async (spec, mo) => {
      const name = mo?.driver ?? null;
      const label = mo?.label ?? `measurement ${measurements.length + 1}${name ? ` (${name})` : ''}`;
      const factory = name ? scenario.drivers?.[name] : scenario.driver;
      if (!factory) throw new WbError('WB_ERR_UNKNOWN_SCENARIO', `scenario ${scenario.name} has no driver${name ? ` "${name}"` : ''}`);
      try {
        const m = await measure(spec, {
          driverFactory: () => factory(env),
          signal: o.signal,
          onProgress: (p) => progress.update(p),
          // Resource summaries cover the measured stages: not driver set-up, not warm-up.
          onMeasuring: mark,
          worker: { suiteFile: o.suiteFile, scenario: scenario.name, driver: name, env },
          fireFault: faultFirer(ctx),
        });
        m.cpuS = cpu.take();
        measurements.push({ label, m });
        return m;
      } finally {
        mark('end');
        progress.done();
      }
    },
  };
  // SLOs are checked before anything starts: a typo must not cost a measurement.
  const slos = typeof scenario.slo === 'function' ? scenario.slo(ctx) : scenario.slo ?? [];
  const goals = typeof scenario.goals === 'function' ? scenario.goals(ctx) : scenario.goals ?? [];
  [...slos, ...goals].forEach(parseSlo);
  let unpin: (() => void) | null = null;
  if (scenario.cpus) {
    const problem = cpuPlanProblem(scenario.cpus);
    if (problem) {
      notes.push(`CPU plan not applied: ${problem}; generator and targets share every CPU`);
    } else {
      try {
        unpin = pinSelf(scenario.cpus.generator);
        processes.defaultCpus = scenario.cpus.targets;
        notes.push(`pinned: generator on CPU ${cpuList(scenario.cpus.generator)}, targets on CPU ${cpuList(scenario.cpus.targets)}`);
      } catch (err) {
        notes.push(`CPU plan not applied: ${(err as Error).message}; generator and targets share every CPU`);
      }
    }
  }
  sampler.start();
  let setupDone = false;
  try {
    env = await scenario.setup?.(ctx);
    setupDone = true;
    if (scenario.run) {
      out = await scenario.run(ctx, env);
    } else if (scenario.load) {
      const spec = typeof scenario.load === 'function' ? scenario.load(ctx) : scenario.load;
      out = { measurement: await ctx.measure(spec) };
    } else {
      throw new WbError('WB_ERR_UNKNOWN_SCENARIO', `scenario ${scenario.name} has neither load nor run`);
    }
  } catch (err) {
    if (!o.signal.aborted) throw err;
    notes.push(`interrupted: ${(err as Error).message}`);
  } finally {
    progress.done();
    try {
      // A scenario whose setup failed has nothing to tear down; a teardown failure must not hide the measurement.
      if (setupDone) await scenario.teardown?.(env, ctx);
    } catch (err) {
      notes.push(`teardown failed: ${(err as Error).message}`);
    } finally {
      try {
        await processes.stopAll();
      } finally {
        try {
          unpin?.();
        } catch (err) {
          // Later scenarios would run on the generator's CPUs only: say so rather than hide it.
          o.log(`wirebench: could not undo this scenario's CPU pinning (${(err as Error).message}); later scenarios run pinned`);
          notes.push(`CPU pinning not undone: ${(err as Error).message}`);
        }
      }
    }
  }
  const resources = sampler.stop();
  const m: Measurement | undefined = out.measurement;
  const interrupted = o.signal.aborted;
  const checkOpts = { generatorIsTarget: scenario.generatorIsTarget === true, interrupted };
  const summary = m ? summarizeMeasurement(m, checkOpts) : emptySummary();
  if (m) load = m.load;
  else if (out.load) load = { ...load, model: out.load.model, ...(out.load.params ? { params: out.load.params } : {}) };
  if (scenario.generatorIsTarget) notes.push('in-process measurement: the generator is the system under test, so its saturation is expected');
  const groupNote = processes.targets.find((t) => t.groupNote)?.groupNote;
  if (groupNote) notes.push(groupNote);
  invalid.push(...targetExits);
  // Validity from the generator's own checks, no histogram decoded. What an interruption kept from
  // running is said as such, never blamed on the generator.
  const notRun: string[] = [];
  for (const { label, m: one } of m && !measurements.some((x) => x.m === m) ? [{ label: '', m }, ...measurements] : measurements) {
    const prefix = one === m ? '' : `${label}: `;
    const v = generatorChecks(one, checkOpts);
    for (const why of [...v.invalid, ...faultChecks(one)]) invalid.push(`${prefix}${why}`);
    notRun.push(...v.notRun.map((st) => `${prefix}${st}`));
  }
  if (notRun.length) notes.push(`not run (interrupted first): ${notRun.join(', ')}`);
  for (const why of out.invalidReasons ?? []) if (!invalid.includes(why)) invalid.push(why);
  notes.push(...(out.notes ?? []));
  if (interrupted) invalid.push('interrupted before the scenario finished');
  const result: Result = {
    schema: RESULT_SCHEMA_VERSION,
    runId: o.runId,
    suite: suite.name,
    scenario: scenario.name,
    description: scenario.description,
    transport: scenario.transport ?? suite.transport,
    smoke: o.smoke,
    load,
    latencyMs: summary.latencyMs,
    latencyMsUncorrected: summary.latencyMsUncorrected,
    ...(summary.sendLagMs ? { sendLagMs: summary.sendLagMs } : {}),
    histogram: { unit: 'us', encoding: 'hdr-compressed-base64', significantDigits: 3, corrected: summary.corrected, uncorrected: summary.uncorrected },
    throughput: summary.throughput,
    counts: summary.counts,
    stages: summary.stages,
    windows: summary.windows,
    metrics: { ...(out.metrics ?? {}) },
    resources,
    slo: [],
    valid: false,
    invalidReasons: invalid,
    interrupted,
    notes,
    env: o.env,
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
  };
  if (!interrupted && scenario.metrics) Object.assign(result.metrics, await scenario.metrics(result, ctx, env));
  if (m?.cpuS) Object.assign(result.metrics, cpuMetrics(m.cpuS, result.counts.ok + result.counts.retried, result.metrics));
  result.slo = [
    ...evaluateSlos(slos, result),
    // Goals judge speed: a smoke run is too short and cold to judge a tail, so there they only inform.
    ...evaluateSlos(goals, result).map((g) => ({ ...g, goal: true, ...(o.smoke ? { judged: false } : {}) })),
  ];
  result.valid = invalid.length === 0;
  return result;
}

/**
 * The standard cost figures of a scenario's result measurement: µs of CPU per completed operation,
 * of all targets together and of each, and of the generator. A figure the scenario computed
 * itself (a plan's, under the same name) is kept.
 */
function cpuMetrics(cpuS: Record<string, number>, ops: number, have: Result['metrics']): Result['metrics'] {
  const c = cpuPerOp(cpuS, ops);
  const out: Result['metrics'] = {};
  const put = (name: string, value: number | null, note: string): void => {
    if (value !== null && !have[name]) out[name] = { value, unit: 'us/op', better: 'lower', note };
  };
  put('cpu_us_per_op', c.targetsUs, 'CPU time of every target per completed operation over the measured stages (µs)');
  put('generator_cpu_us_per_op', c.generatorUs, 'CPU time of the generator (this process) per completed operation (µs)');
  for (const [role, us] of Object.entries(c.byRole)) put(`cpu_us_per_op_${role.replace(/[^A-Za-z0-9]+/g, '_')}`, us, `CPU time of ${role} per completed operation (µs)`);
  return out;
}
