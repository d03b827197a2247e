import { measure, type Measurement } from '../engine/measure.js';
import { DEFAULTS } from '../defaults.js';
import { WbError } from '../errors.js';
import { CpuMeter } from '../process/cpu-meter.js';
import { faultFirer } from '../process/fault-actions.js';
import { Processes } from '../process/processes.js';
import { Sampler } from '../process/sampler.js';
import type { Scenario, ScenarioContext, Suite } from '../suite/suite.js';
import type { ProgressLine } from './progress.js';
import type { RunOptions } from './run-suite.js';
import type { Result } from '../results/types.js';

/** What a scenario runs with, and what the runner reads back after it: every measurement, every unasked target exit. */
export interface ScenarioRuntime {
  ctx: ScenarioContext;
  processes: Processes;
  sampler: Sampler;
  /** Every measurement the scenario took: each one's generator checks decide validity, not only the returned one. */
  measurements: Array<{ label: string; m: Measurement; probe?: boolean }>;
  /** Target deaths nobody asked for while load ran: the figures after one describe a different system. */
  targetExits: string[];
  /** The scenario's env once set-up made it (drivers are built from it). */
  state: { env: unknown };
}

/**
 * The context a scenario sees: targets, measuring, sampling marks. Measured intervals are marked
 * in one place (`mark`), so resource summaries, CPU per operation and target-exit checks all
 * cover the same time: the measured stages, not set-up, warm-up or drain.
 */
export function scenarioRuntime(
  suite: Suite,
  scenario: Scenario<unknown>,
  o: RunOptions & { results: Map<string, Result>; log: (l: string) => void; progress: ProgressLine },
): ScenarioRuntime {
  const state: { env: unknown } = { env: undefined };
  const processes = new Processes();
  processes.wrap = o.wrap ?? null;
  if (o.remote) processes.remote = o.remote;
  const sampler = new Sampler(DEFAULTS.sampleIntervalMs);
  processes.onStart = (t) => sampler.track(t);
  const cpu = new CpuMeter(() => processes.targets);
  /** Measured intervals: resource summaries and CPU per operation cover these, not set-up or warm-up. */
  let measuring = false;
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
  const measurements: Array<{ label: string; m: Measurement; probe?: boolean }> = [];
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
      cpu.takeThreads();
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
        const startAt = o.startAt && !o.startAt.taken ? o.startAt : null;
        if (startAt) startAt.taken = true;
        const m = await measure(spec, {
          ...(o.shard ? { shard: o.shard } : {}),
          ...(startAt ? { startAtMs: startAt.atMs } : {}),
          driverFactory: () => factory(state.env),
          signal: o.signal,
          onProgress: (p) => o.progress.update(p),
          // Resource summaries cover the measured stages: not driver set-up, not warm-up.
          onMeasuring: mark,
          worker: { suiteFile: o.suiteFile, scenario: scenario.name, driver: name, env: state.env },
          fireFault: faultFirer(ctx),
        });
        m.cpuS = cpu.take();
        const threads = cpu.takeThreads();
        const inWorkers = m.load.workers > 1 || m.load.isolated === true;
        if (threads && m.cpuS.generator !== undefined) m.driverCpuS = Math.max(0, Math.round((m.cpuS.generator - threads.helpersS - (inWorkers ? threads.mainS : 0)) * 1e4) / 1e4);
        measurements.push({ label, m, ...(mo?.probe ? { probe: true } : {}) });
        return m;
      } finally {
        mark('end');
        o.progress.done();
      }
    },
  };
  return { ctx, processes, sampler, measurements, targetExits, state };
}
