/**
 * The kit's internals, for the kit's own I/O packages (kit-http) and for tests that build a fake
 * scenario context: no stability promise. Suites import `@wirebench/kit`.
 */
export * from './index.js';
export { measure } from './engine/measure.js';
export { Recorder, emptyCounts } from './engine/recorder.js';
export { nowUs, sleep } from './engine/clock.js';
export { mergeTraces, emptyTrace, traceBytes } from './engine/trace.js';
export { performFault, faultFirer } from './process/fault-actions.js';
export { Processes } from './process/processes.js';
export { Sampler, readProc } from './process/sampler.js';
export { measureNoise, type NoiseReport } from './process/noise.js';
export { createHistogram, recordUs, encodeHistogram, decodeHistogram, mergeEncoded, summarize, HISTOGRAM_CONFIG } from './results/histogram.js';
export { parseSlo, evaluateSlos } from './results/slo.js';
export { compareResults, type Comparison, type MetricComparison } from './results/compare.js';
export { mannWhitney, mannWhitneyWeighted } from './results/stats.js';
export { markdownReport, jsonReport, summaryTable } from './results/report.js';
export { readResult, readResults, validateResult, writeJsonAtomic, resultJsonSchema } from './results/resultfile.js';
export { faultChecks, generatorChecks } from './results/validity.js';
export { runSuite, newRunId, type RunOptions, type RunReport } from './runner/runner.js';
export { DEFAULTS } from './defaults.js';
