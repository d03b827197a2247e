/**
 * @wirebench/kit — the suite DSL and the result types. Transport-agnostic: it imports no wire
 * library. A suite is drivers, reply validators, target declarations and scenario data; the kit
 * times, records, samples, validates and writes. Internals: `@wirebench/kit/internal`.
 */
// The DSL: suites, scenarios, load shapes, plans.
export { defineSuite, defineScenario } from './suite/suite.js';
export type { Suite, Scenario, ScenarioContext, MeasureOptions, LoadSpec, StageInput, RunOutput } from './suite/suite.js';
export { closedLoop, openLoop, ramp, steps, spike } from './suite/loads.js';
export { matrix, cross, type Cell, type CellLoad, type CellRun, type CellFigure, type MatrixSpec } from './plans/matrix.js';
export { rounds, type Arm, type LoadArm, type MeasureArm, type RatioSpec, type RoundsSpec } from './plans/rounds.js';
export { search, breakReasons, type SearchSpec } from './plans/search.js';
export { chain, mergeOutputs, type ChainOptions } from './plans/chain.js';
export { byMode, type Plan, type PerMode, type FigureSpec } from './plans/common.js';
export { Figures, earlier, pick } from './suite/figures.js';
export { microBench, microMetric, type MicroResult } from './suite/micro.js';
// The transport seam: drivers, outcomes, and measurements made by other tools.
export { OK, errorOutcome, errorKindOf } from './engine/driver.js';
export type { Driver, Outcome, OpContext, OpenContext } from './engine/driver.js';
export { externalMeasurement, type ExternalRun } from './suite/external.js';
export { joinMeasurements, type Measurement } from './engine/measure.js';
// Targets and faults.
export { target, freePort, packageDir, compiledCommand, type TargetDecl } from './process/declare.js';
export type { Processes } from './process/processes.js';
export type { Target, TargetSpec, Readiness } from './process/target.js';
export { isRemoteTarget } from './process/remote.js';
export type { CpuPlan } from './process/affinity.js';
export { describeFault, type FaultAction, type StageFault, type FireFault } from './engine/faults.js';
export { TraceRecorder, traceKind, TRACE_OK, TRACE_ERROR, TRACE_TIMEOUT, TRACE_LOST, TRACE_OUTCOMES, type Trace } from './engine/trace.js';
export { recoveryAfter, recoveries, firedFaults, stageLatencyMs, normalBoundMs, recoveryMetrics, type Recovery, type RecoveryOptions, type RecoveriesOptions, type FiredFault } from './plans/recovery.js';
// Figures from results, for scenarios' `metrics`.
export { summarizeMeasurement, type Summary } from './results/summarize.js';
export { processMetrics, measuredSamples, rssSlope, heapSlope, type Slope } from './results/resources.js';
export { cpuPerOp } from './process/cpu-meter.js';
export { median, leastSquares } from './results/stats.js';
// Result types (units documented in results/types.ts) and errors.
export * from './results/types.js';
export { WbError, isWbError, errorLine, type WbErrorCode } from './errors.js';
