/** Every default of the kit, in one place. */
export const DEFAULTS = {
  timeoutMs: 5000,
  workers: 1,
  maxInFlight: 10_000,
  /** Open-loop sends wake ~0.1 ms late (engine/ticker.ts); one that leaves over 2 ms late found the generator busy. */
  lateThresholdMs: 2,
  /**
   * Open-loop wake-ups are at least this far apart (µs): above ~4,000/s sends go out in small
   * batches rather than costing a thread hop each; it bounds the batching lag to this.
   */
  tickMinGapUs: 250,
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
