import { DEFAULTS } from '../defaults.js';
import type { Measurement } from '../engine/measure.js';
import { emptyCounts } from '../engine/recorder.js';
import { WbError } from '../errors.js';
import { cpuList, cpuPlanProblem, pinSelf } from '../process/affinity.js';
import { createHistogram, encodeHistogram, summarize } from '../results/histogram.js';
import { evaluateSlos, parseSlo } from '../results/slo.js';
import { summarizeMeasurement, type Summary } from '../results/summarize.js';
import { RESULT_SCHEMA_VERSION, type Result } from '../results/types.js';
import { faultChecks, generatorChecks } from '../results/validity.js';
import { shardParts } from '../results/shard-parts.js';
import type { RunOutput, Scenario, Suite } from '../suite/suite.js';
import { scenarioRuntime } from './context.js';
import { RemoteTarget } from '../process/processes.js';
import { cpuMetrics } from './cpu-figures.js';
import { ProgressLine } from './progress.js';
import type { RunOptions } from './run-suite.js';

function emptySummary(): Summary {
  const h = createHistogram();
  const enc = encodeHistogram(h);
  const s = summarize(h);
  h.destroy();
  return { latencyMs: s, latencyMsUncorrected: s, sendLagMs: null, corrected: enc, uncorrected: enc, counts: emptyCounts(), throughput: { requested: null, achieved: 0, sent: 0 }, stages: [], windows: [], saturation: [] };
}

/**
 * Runs one scenario: CPU plan, set-up, its load or plan, teardown, every target stopped whatever
 * happens; then one result — figures, validity, SLOs and goals.
 */
export async function runScenario(
  suite: Suite,
  scenario: Scenario<unknown>,
  o: RunOptions & { runId: string; env: Result['env']; results: Map<string, Result>; log: (l: string) => void },
): Promise<Result> {
  const progress = new ProgressLine(!o.quiet && process.stderr.isTTY === true, `${suite.name}/${scenario.name}`);
  const { ctx, processes, sampler, measurements, targetExits, state } = scenarioRuntime(suite, scenario, { ...o, progress });
  const startedAt = new Date();
  const t0 = performance.now();
  let env: unknown;
  const notes: string[] = [];
  const invalid: string[] = [];
  let out: RunOutput = {};
  let load: Result['load'] = { model: 'custom', stages: [], workers: 1, timeoutMs: DEFAULTS.timeoutMs };
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
    state.env = await scenario.setup?.(ctx);
    env = state.env;
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
    // A scenario that cannot run against what it was given (a remote target it would need the stdout
    // or pids of) says "not run: …": this scenario's result is invalid with that reason, and the
    // suite's other scenarios still run.
    if (!o.signal.aborted && err instanceof Error && err.message.startsWith('not run: ')) invalid.push(err.message);
    else if (!o.signal.aborted) throw err;
    else notes.push(`interrupted: ${(err as Error).message}`);
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
  if (o.shard && o.shard.count > 1) notes.push(`shard ${o.shard.index}/${o.shard.count}: this process ran its share of every load; \`wirebench merge\` joins the shards' results`);
  if (scenario.generatorIsTarget) notes.push('in-process measurement: the generator is the system under test, so its saturation is expected');
  for (const t of processes.targets) if (t instanceof RemoteTarget && !notes.includes(t.note)) notes.push(t.note);
  const groupNote = processes.targets.find((t) => t.groupNote)?.groupNote;
  if (groupNote) notes.push(groupNote);
  invalid.push(...targetExits);
  // Validity from the generator's own checks, no histogram decoded. What an interruption kept from
  // running is said as such, never blamed on the generator.
  const notRun: string[] = [];
  for (const { label, m: one, probe } of m && !measurements.some((x) => x.m === m) ? [{ label: '', m, probe: false }, ...measurements] : measurements) {
    const prefix = one === m ? '' : `${label}: `;
    const v = generatorChecks(one, checkOpts);
    // A probe that found the generator's limit is a finding of the plan, which left it out of its figures.
    if (probe) for (const why of v.invalid) notes.push(`${prefix}probe stopped by the generator, left out of the figures: ${why}`);
    else for (const why of v.invalid) invalid.push(`${prefix}${why}`);
    for (const why of faultChecks(one)) invalid.push(`${prefix}${why}`);
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
    ...(o.shard && m ? { shard: shardParts(m, { ...o.shard, ...(o.startAt ? { startAtMs: o.startAt.atMs } : {}) }) } : {}),
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - t0),
  };
  if (!interrupted && scenario.metrics) Object.assign(result.metrics, await scenario.metrics(result, ctx, env));
  if (m?.cpuS) Object.assign(result.metrics, cpuMetrics(m.cpuS, result.counts.ok + result.counts.retried, result.metrics, m.driverCpuS));
  result.slo = [
    ...evaluateSlos(slos, result),
    // Goals judge speed: a smoke run is too short and cold to judge a tail, so there they only inform.
    ...evaluateSlos(goals, result).map((g) => ({ ...g, goal: true, ...(o.smoke ? { judged: false } : {}) })),
  ];
  result.valid = invalid.length === 0;
  return result;
}

