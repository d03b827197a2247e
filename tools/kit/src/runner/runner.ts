/** The runner's public face: run a suite (run-suite.ts), one scenario at a time (scenario.ts) in its context (context.ts). */
export { runSuite, newRunId, selectScenarios, type RunOptions, type RunReport } from './run-suite.js';
