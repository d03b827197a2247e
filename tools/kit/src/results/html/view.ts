/**
 * The data a report page receives, as plain JSON: everything the browser draws is computed here in
 * Node (histograms decoded, series aligned, times in seconds), so the page script only lays out
 * charts and the tests can check the figures without a browser.
 */

/** A column of a chart: null where a series has no value at that x (uPlot leaves a gap). */
export type Column = Array<number | null>;

export interface VerdictView {
  name: string;
  pass: boolean;
  actual: number | null;
  threshold: number;
  unit: string | null;
  /** contract: an SLO judged in every run; goal: a speed goal, judged in full runs only */
  kind: 'contract' | 'goal';
  /** false: a goal of a smoke run, printed but not counted */
  judged: boolean;
}

export interface HeadlineView {
  count: number;
  p50: number; p90: number; p99: number; p999: number; max: number;
  rps: number;
  requested: number | null;
  sent: number; ok: number; retried: number; errors: number; timeouts: number; lost: number; late: number;
  errorsByKind: Record<string, number>;
}

/** Latency (ms) at percentiles, x as "nines": −log10(1 − p/100), so 99.9 % sits at 3. */
export interface SpectrumView {
  nines: number[];
  corrected: Column;
  uncorrected: Column;
  /** The baseline run's corrected spectrum, when a baseline was given and holds this scenario. */
  baseline?: Column;
  /** The deepest percentile this many operations can show (beyond it the line is the maximum). */
  resolvedNines: number;
}

export interface StageMark { name: string; fromS: number; toS: number }
export interface FaultMark { stage: string; action: string; atS: number; doneS: number | null; error?: string }

/** Per-window latency and throughput on the measured clock (s since the first measured stage). */
export interface TimelineView {
  t: number[];
  p50: Column; p99: Column; mean: Column;
  okRps: number[]; errRps: Column;
  stages: StageMark[];
  faults: FaultMark[];
}

/** One step search: the degradation curve, rate (ops/s) → latency (ms) and failed share (%). */
export interface CurveView {
  name: string;
  rate: number[];
  achieved: Column | null;
  p50: Column | null;
  p95: Column;
  p99: Column;
  failedPct: Column;
  breakingRps: number | null;
  maxSustainableRps: number | null;
  generatorLimitedRps: number | null;
}

export interface ProcessSummaryView {
  role: string;
  pid: number;
  cpuMean: number; cpuMax: number; rssMean: number; rssMax: number;
  heapMax: number | null;
  loopDelay: { p50: number; p99: number; max: number } | null;
  loopUtilization: number | null;
  gc: { count: number; totalMs: number; maxMs: number } | null;
}

/** Every process's samples on one shared x (s since the scenario began), null where it had none. */
export interface ResourcesView {
  t: number[];
  roles: string[];
  cpu: Column[];
  rss: Column[];
  heap: Array<Column | null>;
  measured: Array<{ fromS: number; toS: number }>;
  processes: ProcessSummaryView[];
}

export interface MetricView { name: string; value: number; unit: string; better: string; note: string | null; samples: number[] | null }

export interface ScenarioView {
  id: string;
  suite: string;
  name: string;
  description: string;
  transport: string;
  model: string;
  smoke: boolean;
  status: 'pass' | 'fail' | 'invalid' | 'interrupted';
  valid: boolean;
  interrupted: boolean;
  invalidReasons: string[];
  notes: string[];
  verdicts: VerdictView[];
  headline: HeadlineView | null;
  spectrum: SpectrumView | null;
  timeline: TimelineView | null;
  curves: CurveView[];
  resources: ResourcesView | null;
  metrics: MetricView[];
  durationS: number;
}

export interface EnvView {
  node: string; os: string; cpuModel: string; cores: number; memoryGb: number;
  commit: string | null; dirty: boolean;
  libraries: Record<string, string>;
}

export interface CompareRowView {
  scenario: string;
  metric: string;
  unit: string;
  better: 'lower' | 'higher';
  baseline: number;
  current: number;
  changePct: number;
  thresholdPct: number;
  p: number | null;
  test: string;
  verdict: 'improved' | 'regressed' | 'unchanged' | 'inconclusive';
  /** min and max of the per-window (or per-round) figures the test ran on; null when there were none */
  baselineSpread: [number, number] | null;
  currentSpread: [number, number] | null;
  samples: [number, number];
}

export interface CompareView {
  baselineRunId: string;
  baselineStartedAt: string;
  regressed: boolean;
  rows: CompareRowView[];
  missing: string[];
  untrusted: string[];
}

export interface ReportView {
  kind: 'report';
  title: string;
  suites: string[];
  runId: string;
  smoke: boolean;
  startedAt: string;
  generatedAt: string;
  env: EnvView | null;
  /** Different environments among the results (e.g. a folder of several runs): named, not hidden. */
  otherEnvs: number;
  scenarios: ScenarioView[];
  compare: CompareView | null;
}

/** One run (baseline or run folder) on a trend page. */
export interface HistoryPointView { name: string; startedAt: string; commit: string | null; smoke: boolean }

export interface TrendView {
  metric: string;
  unit: string;
  better: string;
  /** one series per scenario that has the metric; null where the point lacks it or was not valid */
  series: Array<{ scenario: string; values: Column; invalid: boolean[] }>;
}

export interface HistoryView {
  kind: 'history';
  title: string;
  suite: string;
  dir: string;
  generatedAt: string;
  points: HistoryPointView[];
  trends: TrendView[];
}
