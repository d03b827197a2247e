/**
 * Every type that lands in a result file, in one module, as TypeBox schemas so that the static
 * type and the shipped JSON Schema can never drift apart. Units are part of the field names or
 * documented next to them: latency in milliseconds (recorded at µs precision), rates in operations
 * per second, memory in MiB, CPU in percent of one core, times as epoch ms or ms since run start.
 */
import { Type, type Static } from '@sinclair/typebox';

/** Bumped on any incompatible change; readers refuse newer majors. */
export const RESULT_SCHEMA_VERSION = 'wirebench/result@1';
export const RESULT_SCHEMA_MAJOR = 1;

const Num = Type.Number();
const NullableNum = Type.Union([Type.Number(), Type.Null()]);

/** Latency percentiles in ms; `count` is the number of recorded operations. */
export const LatencySummarySchema = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  min: Num, mean: Num, p50: Num, p90: Num, p95: Num, p99: Num, p999: Num, max: Num, stdev: Num,
});
export type LatencySummary = Static<typeof LatencySummarySchema>;

/**
 * Every operation issued in a measured stage ends as exactly one of ok, retried (ok after ≥1
 * retry), errors, timeouts or lost, so `sent = ok + retried + errors + timeouts + lost`.
 * `late` counts open-loop sends that left more than the late threshold after their intended
 * time because the generator was behind; `held` those that waited because maxInFlight operations
 * were already pending (the target's backpressure: they are timed from their intended time all the
 * same, and are not the generator's lag); `dropped` counts scheduled sends never made before the
 * stage ended.
 */
export const CountsSchema = Type.Object({
  sent: Type.Integer({ minimum: 0 }),
  ok: Type.Integer({ minimum: 0 }),
  retried: Type.Integer({ minimum: 0 }),
  errors: Type.Integer({ minimum: 0 }),
  errorsByKind: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
  timeouts: Type.Integer({ minimum: 0 }),
  lost: Type.Integer({ minimum: 0 }),
  late: Type.Integer({ minimum: 0 }),
  held: Type.Optional(Type.Integer({ minimum: 0 })),
  dropped: Type.Integer({ minimum: 0 }),
  /** Payload bytes of the successful operations, where drivers report them (Outcome.bytes). */
  bytes: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type Counts = Static<typeof CountsSchema>;

/** ops/s. `requested` is null for closed-loop runs; `sent` is the rate the generator achieved. */
export const ThroughputSchema = Type.Object({
  requested: NullableNum,
  achieved: Num,
  sent: Num,
  /** Payload bytes per second of the successful operations, where drivers report bytes. */
  bytesPerSec: Type.Optional(Num),
});
export type Throughput = Static<typeof ThroughputSchema>;

export const StageSpecSchema = Type.Object({
  name: Type.String(),
  model: Type.Union([Type.Literal('closed'), Type.Literal('open')]),
  durationMs: Num,
  warmup: Type.Boolean(),
  concurrency: Type.Optional(Type.Integer({ minimum: 1 })),
  count: Type.Optional(Type.Integer({ minimum: 1 })),
  rate: Type.Optional(Num),
  rateTo: Type.Optional(Num),
});
export type StageSpec = Static<typeof StageSpecSchema>;

export const LoadSchema = Type.Object({
  model: Type.Union([Type.Literal('closed'), Type.Literal('open'), Type.Literal('mixed'), Type.Literal('custom')]),
  stages: Type.Array(StageSpecSchema),
  workers: Type.Integer({ minimum: 1 }),
  /** The single worker ran in a thread of its own (LoadSpec.isolate). */
  isolated: Type.Optional(Type.Boolean()),
  timeoutMs: Num,
  params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  /** This generator process ran shard `index` of `count` (`bench --shard i/N`): its exact share of the stages above. */
  shard: Type.Optional(Type.Object({ index: Type.Integer({ minimum: 0 }), count: Type.Integer({ minimum: 1 }) })),
});
export type Load = Static<typeof LoadSchema>;

/**
 * A fault the stage planned (StageInput.faults). Offsets in ms from the stage's start (the first
 * generator worker's): `atMs` planned, `firedAtMs` when it fired, `doneMs` when the action
 * completed (e.g. a restarted target was ready again). Both null: it never fired, the stage ended
 * first. `error`: the action threw (the result is then invalid).
 */
export const FaultRecordSchema = Type.Object({
  /** e.g. 'kill worker-1', 'restart broker', 'SIGSTOP worker-2', or a custom action's name */
  action: Type.String(),
  atMs: Num,
  firedAtMs: NullableNum,
  doneMs: NullableNum,
  error: Type.Optional(Type.String()),
});
export type FaultRecord = Static<typeof FaultRecordSchema>;

/** One measured stage (warm-up stages are never reported). */
export const StageResultSchema = Type.Object({
  name: Type.String(),
  model: Type.Union([Type.Literal('closed'), Type.Literal('open')]),
  durationMs: Num,
  latencyMs: LatencySummarySchema,
  latencyMsUncorrected: LatencySummarySchema,
  throughput: ThroughputSchema,
  counts: CountsSchema,
  generatorBusy: Num,
  /** GC pauses of the generator thread(s) during the stage: count, total and longest (ms). */
  generatorGc: Type.Optional(Type.Object({ count: Type.Integer({ minimum: 0 }), totalMs: Num, maxMs: Num })),
  /** The faults this stage planned, in plan order (see FaultRecordSchema; offsets in ms from the stage's start). */
  faults: Type.Optional(Type.Array(FaultRecordSchema)),
});
export type StageResult = Static<typeof StageResultSchema>;

/**
 * A slice of the measured time (1 s; shorter for short runs, see windowMs): what compare's
 * significance tests run on. tMs is ms since the first measured stage began.
 */
export const WindowSchema = Type.Object({
  tMs: Num,
  windowMs: Num,
  ok: Type.Integer({ minimum: 0 }),
  errors: Type.Integer({ minimum: 0 }),
  p50Ms: Num,
  p99Ms: Num,
  meanMs: Num,
});
export type Window = Static<typeof WindowSchema>;

/** A named figure a scenario computes itself (micro-benchmarks, ratios, slopes). */
export const MetricSchema = Type.Object({
  value: Num,
  unit: Type.String(),
  better: Type.Union([Type.Literal('lower'), Type.Literal('higher'), Type.Literal('none')]),
  samples: Type.Optional(Type.Array(Num)),
  note: Type.Optional(Type.String()),
});
export type Metric = Static<typeof MetricSchema>;

const StatSchema = Type.Object({ mean: Num, max: Num });

export const ProcessResourcesSchema = Type.Object({
  /** Unique per result: a target restarted during the run appears again as `<role>#2`, `#3`… */
  role: Type.String(),
  pid: Type.Integer(),
  /** percent of one core */
  cpuPct: StatSchema,
  rssMb: StatSchema,
  heapUsedMb: Type.Optional(StatSchema),
  /** p50: mean of the per-sample medians; p99: the worst per-sample p99; max: the worst delay seen. */
  eventLoopDelayMs: Type.Optional(Type.Object({ p50: Num, p99: Num, max: Num })),
  eventLoopUtilization: Type.Optional(Num),
  gc: Type.Optional(Type.Object({ count: Type.Integer(), totalMs: Num, maxMs: Num })),
  /** tMs: ms since run start */
  timeline: Type.Array(Type.Object({ tMs: Num, cpuPct: Num, rssMb: Num, heapUsedMb: Type.Optional(Num) })),
});
export type ProcessResources = Static<typeof ProcessResourcesSchema>;

export const ResourcesSchema = Type.Object({
  sampleIntervalMs: Num,
  /** The measured intervals on the timeline's clock (ms since the scenario began); summaries cover these. */
  measuredMs: Type.Array(Type.Object({ fromMs: Num, toMs: Num })),
  processes: Type.Array(ProcessResourcesSchema),
});
export type Resources = Static<typeof ResourcesSchema>;

export const SloResultSchema = Type.Object({
  name: Type.String(),
  pass: Type.Boolean(),
  actual: NullableNum,
  threshold: Num,
  unit: Type.Optional(Type.String()),
  /** A goal (Scenario.goals: a speed target) rather than a contract SLO. */
  goal: Type.Optional(Type.Boolean()),
  /** false when the verdict does not count: goals in smoke runs (short, cold runs cannot judge a tail). */
  judged: Type.Optional(Type.Boolean()),
});
export type SloResult = Static<typeof SloResultSchema>;

export const EnvSchema = Type.Object({
  node: Type.String(),
  os: Type.String(),
  cpuModel: Type.String(),
  cores: Type.Integer(),
  memoryGb: Num,
  git: Type.Object({ commit: Type.Union([Type.String(), Type.Null()]), dirty: Type.Boolean() }),
  libraries: Type.Record(Type.String(), Type.String()),
  /**
   * The machine at run start (`bench` spins one thread for durationMs, process/noise.ts): how long
   * the scheduler took the CPU away. Two separate runs' figures differ by the machine too; this says by how much it moved.
   */
  noise: Type.Optional(Type.Object({
    durationMs: Num,
    /** Longest gap (ms) the spinning thread did not run, and how many gaps were ≥ 1 ms. */
    maxGapMs: Num,
    over1Ms: Type.Integer({ minimum: 0 }),
    /** Percent of the probe's time the thread did not run. */
    lostPct: Num,
  })),
});
export type Env = Static<typeof EnvSchema>;

export const HistogramBlobSchema = Type.Object({
  unit: Type.Literal('us'),
  encoding: Type.Literal('hdr-compressed-base64'),
  significantDigits: Type.Integer(),
  corrected: Type.String(),
  uncorrected: Type.String(),
});

/**
 * What a shard's result keeps for `wirebench merge` beyond the summaries: every measured stage's
 * and window's histograms encoded (percentiles do not add, histograms do), the send-lag histogram,
 * and when its first measured stage began (epoch ms) so that the merge can check the shards ran
 * together.
 */
export const ShardDataSchema = Type.Object({
  index: Type.Integer({ minimum: 0 }),
  count: Type.Integer({ minimum: 1 }),
  /** `--start-at` as asked (epoch ms), if it was. */
  startAtMs: Type.Optional(Num),
  /** When this shard's first measured stage began (epoch ms); null when none ran. */
  firstStageAtMs: NullableNum,
  windowMs: Num,
  stages: Type.Array(Type.Object({ name: Type.String(), corrected: Type.String(), uncorrected: Type.String() })),
  windows: Type.Array(Type.Object({ index: Type.Integer({ minimum: 0 }), ok: Type.Integer({ minimum: 0 }), errors: Type.Integer({ minimum: 0 }), histogram: Type.String() })),
  sendLag: Type.Optional(Type.String()),
});
export type ShardData = Static<typeof ShardDataSchema>;

export const ResultSchema = Type.Object({
  schema: Type.String({ pattern: '^wirebench/result@[0-9]+$' }),
  runId: Type.String(),
  suite: Type.String(),
  scenario: Type.String(),
  description: Type.String(),
  transport: Type.String(),
  smoke: Type.Boolean(),
  load: LoadSchema,
  latencyMs: LatencySummarySchema,
  latencyMsUncorrected: LatencySummarySchema,
  /** Open loop only: how late sends left versus their intended time (the generator's own lag). */
  sendLagMs: Type.Optional(LatencySummarySchema),
  histogram: HistogramBlobSchema,
  throughput: ThroughputSchema,
  counts: CountsSchema,
  stages: Type.Array(StageResultSchema),
  windows: Type.Array(WindowSchema),
  metrics: Type.Record(Type.String(), MetricSchema),
  resources: ResourcesSchema,
  slo: Type.Array(SloResultSchema),
  valid: Type.Boolean(),
  invalidReasons: Type.Array(Type.String()),
  interrupted: Type.Boolean(),
  notes: Type.Array(Type.String()),
  env: EnvSchema,
  /** Shard runs only (`bench --shard i/N`): the parts `wirebench merge` needs to merge exactly. */
  shard: Type.Optional(ShardDataSchema),
  /** ISO-8601 UTC */
  startedAt: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}T' }),
  durationMs: Num,
});
export type Result = Static<typeof ResultSchema>;
