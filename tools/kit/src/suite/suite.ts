import type { CpuPlan } from '../process/affinity.js';
/**
 * The suite DSL: a suite is a list of scenarios; a scenario says what to start, which driver to
 * load it with, the load shape, and its SLOs. Suites contain no measuring code: the kit times,
 * records, samples, validates and writes.
 */
import type { Driver } from '../engine/driver.js';
import type { StageFault } from '../engine/faults.js';
import type { Measurement } from '../engine/measure.js';
import type { Processes } from '../process/processes.js';
import type { Metric, Result, StageSpec } from '../results/types.js';

/**
 * A stage as a suite writes it: name and warmup may be left out. `faults` fire at offsets from
 * the stage's start, in the main thread (engine/faults.ts); each is recorded in the stage's result.
 */
export type StageInput = Omit<StageSpec, 'name' | 'warmup'> & { name?: string; warmup?: boolean; faults?: StageFault[] };

export interface LoadSpec {
  stages: StageInput[];
  /** Per-operation timeout; a later answer is ignored and the op counts as a timeout. Default 5000. */
  timeoutMs?: number;
  /** Generator worker threads (default 1: the kit's main thread). Rates and concurrency are split across them. */
  workers?: number;
  /**
   * Run even a single worker in a thread of its own. Its heap then holds the load and nothing
   * else, so its GC pauses are the load's: in the main thread a major GC of everything the kit
   * holds (results, earlier measurements) stalled sends and replies for ~10 ms. The driver is
   * rebuilt in that thread, so state it keeps in module variables is not visible here.
   */
  isolate?: boolean;
  /** Open loop: operations pending at once before sends back up in the generator (default 10,000). */
  maxInFlight?: number;
  /** Open loop: a send this much after its intended time counts as late (default 2 ms; sends wake ~0.1 ms late). */
  lateThresholdMs?: number;
  /** Free-form parameters recorded with the load (payload size, codec, ...). */
  params?: Record<string, unknown>;
  /**
   * Keep a per-operation trace of the measured stages (Measurement.trace: intended, sent and done
   * time, outcome, retries, duplicates; ~35 bytes an operation), for recovery figures
   * (plans/recovery.ts). Never written to the result file.
   */
  trace?: boolean;
}

export interface MeasureOptions {
  driver?: string;
  label?: string;
  /**
   * A probe: a load sent to find a limit (a search step), which may find the generator's own. Its
   * generator checks become notes, not invalidity, and the plan must leave it out of its figures
   * (search does: it stops there and reports max sustainable as a lower bound). Fault checks and
   * target exits still make the result invalid.
   */
  probe?: boolean;
}

export interface ScenarioContext {
  readonly suite: string;
  readonly scenario: string;
  readonly smoke: boolean;
  readonly signal: AbortSignal;
  /** Start targets here: they are sampled, and stopped when the scenario ends whatever happens. */
  readonly processes: Processes;
  /** Results of the scenarios that already ran in this run (for same-run ratios). */
  readonly results: ReadonlyMap<string, Result>;
  /** `--set key=value` options from the command line. */
  readonly params: Readonly<Record<string, string>>;
  log(message: string): void;
  /**
   * Runs a load with one of the scenario's drivers; the result is merged across workers. Every
   * measurement's generator checks (saturation, rate shortfall) count towards the result's
   * validity, under `label` (default: its position and driver name).
   */
  measure(load: LoadSpec, opts?: MeasureOptions): Promise<Measurement>;
  /**
   * Marks what the resource summaries (CPU, RSS, event-loop delay, GC of every process) cover.
   * `measure` does it around its measured stages; a measurement made outside it calls begin()
   * and end() around its own measured part (after its warm-up). With none marked, summaries
   * cover the whole scenario, set-up included.
   */
  readonly sampling: { begin(): void; end(): void };
  /** Registers a measurement made outside `measure` (e.g. externalMeasurement), so its generator checks count too. */
  track(m: Measurement, label: string): Measurement;
  /**
   * Runs an external tool's measurement (autocannon through kit-http, say) and tracks it: its
   * generator checks count toward validity, and the CPU of every process over the part it marked
   * with `sampling.begin()/end()` becomes its `cpuS`. Prefer this to `track`, which is easy to forget.
   */
  external<T extends Measurement | { measurement: Measurement }>(label: string, run: () => Promise<T>): Promise<T>;
}

/** What a custom `run` hands back; everything is optional. */
export interface RunOutput {
  /** The measurement that becomes the result's latency, throughput and counts. */
  measurement?: Measurement;
  metrics?: Record<string, Metric>;
  notes?: string[];
  /** Reasons this run cannot be trusted (in addition to the kit's own checks). */
  invalidReasons?: string[];
  /** Describes the load when the run did not come from `measure` (e.g. autocannon). */
  load?: { model: 'closed' | 'open' | 'mixed' | 'custom'; params?: Record<string, unknown> };
}

export interface Scenario<E = unknown> {
  name: string;
  description: string;
  transport?: string;
  /** Starts what the scenario needs (outside any timed region). The env reaches drivers in worker threads, so keep it plain data. */
  setup?(ctx: ScenarioContext): Promise<E> | E;
  /** The driver for `load`, built in whichever thread generates. */
  driver?(env: E): Driver<any> | Promise<Driver<any>>;
  /** More drivers, by name, for custom runs. */
  drivers?: Record<string, (env: E) => Driver<any> | Promise<Driver<any>>>;
  load?: LoadSpec | ((ctx: ScenarioContext) => LoadSpec);
  /** A custom run instead of `load` (micro-benchmarks, fault injection, step searches). */
  run?(ctx: ScenarioContext, env: E): Promise<RunOutput>;
  /** Derived figures, computed after the run (e.g. a ratio to an earlier scenario's result). */
  metrics?(result: Result, ctx: ScenarioContext, env: E): Record<string, Metric> | Promise<Record<string, Metric>>;
  /**
   * k6-style thresholds: `p99 < 5ms`, `errors < 0.1%`, `throughput >= 1000/s`, `lost == 0`. Contract
   * SLOs: judged in every run, smoke runs included (validity, counts, nothing lost).
   */
  slo?: string[] | ((ctx: ScenarioContext) => string[]);
  /**
   * Speed goals in the same grammar (`goal_vs_direct <= 1.5`, `p99 <= 2ms`): judged in full runs
   * only. A smoke run evaluates and prints them but their verdict does not decide its exit code.
   */
  goals?: string[] | ((ctx: ScenarioContext) => string[]);
  /** The generator is the thing measured (in-process benchmarks): its saturation is expected, not a fault. */
  generatorIsTarget?: boolean;
  /**
   * Pin the generator and the targets to separate CPUs, so the generator keeps its schedule while
   * the target is busy. Skipped, with a note, where the machine cannot (too few CPUs, no taskset).
   */
  cpus?: CpuPlan;
  teardown?(env: E, ctx: ScenarioContext): Promise<void> | void;
}

export interface Suite {
  name: string;
  description: string;
  transport: string;
  /** npm packages under test, whose versions go into each result's env. */
  libraries?: string[];
  scenarios: Scenario<any>[];
}

export function defineSuite(suite: Suite): Suite {
  return suite;
}

export function defineScenario<E>(scenario: Scenario<E>): Scenario<E> {
  return scenario;
}
