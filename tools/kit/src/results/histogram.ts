import * as hdr from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import type { LatencySummary } from './types.js';

/**
 * Latency histograms: microsecond values, 1 µs to 10 minutes, 3 significant digits.
 * One configuration everywhere so that encoded histograms from any worker or process merge exactly.
 */
export const HISTOGRAM_CONFIG = {
  unit: 'us',
  lowestUs: 1,
  highestUs: 600_000_000,
  significantDigits: 3,
  encoding: 'hdr-compressed-base64',
} as const;

export type { Histogram };

export function createHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: HISTOGRAM_CONFIG.lowestUs,
    highestTrackableValue: HISTOGRAM_CONFIG.highestUs,
    numberOfSignificantValueDigits: HISTOGRAM_CONFIG.significantDigits,
    bitBucketSize: 64,
    autoResize: false,
  });
}

/** Records one latency in µs; values beyond the range are clamped rather than thrown away. */
export function recordUs(h: Histogram, us: number): void {
  const v = us < 0 ? 0 : us > HISTOGRAM_CONFIG.highestUs ? HISTOGRAM_CONFIG.highestUs : Math.round(us);
  h.recordValue(v);
}

export function encodeHistogram(h: Histogram): string {
  return hdr.encodeIntoCompressedBase64(h);
}

export function decodeHistogram(encoded: string): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(encoded, 64, false);
  // Decoded histograms come back sized to their content; re-home them in the shared config so add() is exact.
  const h = createHistogram();
  h.add(decoded);
  decoded.destroy();
  return h;
}

export function mergeEncoded(parts: Iterable<string>): Histogram {
  const out = createHistogram();
  for (const p of parts) {
    const h = decodeHistogram(p);
    out.add(h);
    h.destroy();
  }
  return out;
}

const usToMs = (us: number): number => Math.round(us) / 1000;

/** Percentiles in milliseconds (µs precision). An empty histogram summarises to zeros with count 0. */
export function summarize(h: Histogram): LatencySummary {
  const count = h.totalCount;
  if (count === 0) return { count: 0, min: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0, p999: 0, max: 0, stdev: 0 };
  return {
    count,
    min: usToMs(h.getValueAtPercentile(0)),
    mean: usToMs(h.mean),
    p50: usToMs(h.getValueAtPercentile(50)),
    p90: usToMs(h.getValueAtPercentile(90)),
    p95: usToMs(h.getValueAtPercentile(95)),
    p99: usToMs(h.getValueAtPercentile(99)),
    p999: usToMs(h.getValueAtPercentile(99.9)),
    max: usToMs(h.getValueAtPercentile(100)),
    stdev: usToMs(h.stdDeviation),
  };
}
