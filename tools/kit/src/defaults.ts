/** Every default of the kit, in one place. */
export const DEFAULTS = {
  timeoutMs: 5000,
  workers: 1,
  maxInFlight: 10_000,
  /** Node timers fire on a 1 ms clock: up to ~1 ms of send lag is the scheduler, beyond 2 ms is late. */
  lateThresholdMs: 2,
  sampleIntervalMs: 500,
  /** A generator thread whose event loop is busier than this was the bottleneck. */
  saturationBusy: 0.95,
  /** An open-loop run that sent less than this share of its requested rate is invalid. */
  minRateShare: 0.95,
  /** An open-loop stage with more than this share of late sends measured the generator's lag: invalid. */
  maxLateShare: 0.1,
  resultsDir: 'results',
  compareThresholdPct: 10,
  compareAlpha: 0.05,
} as const;
