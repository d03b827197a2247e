/**
 * The latency percentile spectrum of a result, from its encoded HdrHistograms (µs) — the only
 * place the whole distribution survives; the summary keeps six percentiles.
 */
import { decodeHistogram } from '../histogram.js';
import type { Result } from '../types.js';
import type { Column, SpectrumView } from './view.js';

const STEP = 0.05;
const FIRST = Math.log10(2); // 50 %
const LAST = 5; // 99.999 %

/** x positions from 50 % to 99.999 % as nines (−log10(1 − p/100)), evenly spaced on that log axis. */
export const SPECTRUM_NINES: number[] = (() => {
  const xs = [Math.round(FIRST * 1000) / 1000];
  for (let x = Math.ceil(FIRST / STEP) * STEP; x <= LAST + 1e-9; x += STEP) xs.push(Math.round(x * 1000) / 1000);
  return xs;
})();

// Rounded so that 2 nines is exactly 99 (not 99.00000000000001, which can land on the next bucket).
export const percentileOf = (nines: number): number => Math.round(100 * (1 - 10 ** -nines) * 1e9) / 1e9;

/** ms at each of `nines`; null for an empty histogram. */
export function spectrumOf(encoded: string, nines: readonly number[] = SPECTRUM_NINES): Column | null {
  const h = decodeHistogram(encoded);
  try {
    if (h.totalCount === 0) return null;
    return nines.map((x) => h.getValueAtPercentile(percentileOf(x)) / 1000);
  } finally {
    h.destroy();
  }
}

/** Corrected and uncorrected spectra of a result (plus a baseline's corrected one); null without latency. */
export function spectrumView(r: Result, baseline?: Result): SpectrumView | null {
  if (r.latencyMs.count === 0) return null;
  const corrected = spectrumOf(r.histogram.corrected);
  const uncorrected = spectrumOf(r.histogram.uncorrected);
  if (!corrected || !uncorrected) return null;
  const base = baseline && baseline.latencyMs.count > 0 ? spectrumOf(baseline.histogram.corrected) : null;
  return {
    nines: SPECTRUM_NINES,
    corrected,
    uncorrected,
    ...(base ? { baseline: base } : {}),
    // With n operations the p-th percentile is resolved while 1 − p ≥ 1/n: beyond that it is the maximum.
    resolvedNines: Math.round(Math.log10(r.latencyMs.count) * 1000) / 1000,
  };
}
