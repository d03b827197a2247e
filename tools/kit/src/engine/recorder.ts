import { createHistogram, encodeHistogram, recordUs, type Histogram } from '../results/histogram.js';
import type { Outcome } from './driver.js';
import type { Counts } from '../results/types.js';

/** What a recorder hands over: plain data, so it crosses worker and process boundaries. */
export interface RecorderSnapshot {
  corrected: string;
  uncorrected: string;
  sendLag: string | null;
  counts: Counts;
  /** Per-second windows, keyed by second index since the measured start; encoded histograms. */
  windows: Array<{ index: number; ok: number; errors: number; histogram: string }>;
}

export function emptyCounts(): Counts {
  return { sent: 0, ok: 0, retried: 0, errors: 0, errorsByKind: {}, timeouts: 0, lost: 0, late: 0, held: 0, dropped: 0 };
}

/**
 * Records outcomes and latencies for one measured stage. The hot path is `record`: two histogram
 * writes at most (plus the current window's), no allocation.
 */
export class Recorder {
  readonly corrected: Histogram = createHistogram();
  /** Null in closed loop, where intended and actual start coincide: the corrected one is copied at the end. */
  readonly uncorrected: Histogram | null;
  readonly sendLag: Histogram | null;
  readonly counts: Counts = emptyCounts();
  private readonly windowMs: number;
  private readonly originUs: number;
  private windowIndex = -1;
  /** One histogram for every window, reset between them: a fresh 160 KB array per window would feed the GC mid-run. */
  private window: Histogram | null = null;
  private windowUsed = false;
  private windowOk = 0;
  private windowErrors = 0;
  private readonly closedWindows: RecorderSnapshot['windows'] = [];

  constructor(opts: { openLoop: boolean; originUs: number; windowMs?: number }) {
    this.uncorrected = opts.openLoop ? createHistogram() : null;
    this.sendLag = opts.openLoop ? createHistogram() : null;
    this.originUs = opts.originUs;
    this.windowMs = opts.windowMs ?? 1000;
  }

  /**
   * A send left the generator; `lagUs` is how far behind its intended time (open loop). `held`: it
   * waited for a free in-flight slot (backpressure), so its lag is not the generator's.
   */
  sent(lagUs: number, lateThresholdUs: number, held = false): void {
    this.counts.sent++;
    if (held) {
      this.counts.held = (this.counts.held ?? 0) + 1;
      return;
    }
    if (this.sendLag) {
      recordUs(this.sendLag, lagUs);
      if (lagUs > lateThresholdUs) this.counts.late++;
    }
  }

  record(outcome: Outcome, endUs: number, correctedUs: number, uncorrectedUs: number): void {
    const c = this.counts;
    const ok = outcome.status === 'ok';
    switch (outcome.status) {
      case 'ok':
        if (outcome.retries) c.retried++;
        else c.ok++;
        if (outcome.bytes) c.bytes = (c.bytes ?? 0) + outcome.bytes;
        break;
      case 'error':
        c.errors++;
        c.errorsByKind[outcome.kind] = (c.errorsByKind[outcome.kind] ?? 0) + 1;
        break;
      case 'timeout':
        c.timeouts++;
        break;
      case 'lost':
        c.lost++;
        return;
    }
    const w = this.windowFor(endUs);
    if (ok) {
      // Only successful operations carry a latency: an error's or a timeout's duration says nothing about service time.
      recordUs(this.corrected, correctedUs);
      if (this.uncorrected) recordUs(this.uncorrected, uncorrectedUs);
      recordUs(w, correctedUs);
      this.windowOk++;
    } else {
      this.windowErrors++;
    }
  }

  lost(n: number): void {
    this.counts.lost += n;
  }

  dropped(n: number): void {
    this.counts.dropped += n;
  }

  private windowFor(endUs: number): Histogram {
    const index = Math.max(0, Math.floor((endUs - this.originUs) / (this.windowMs * 1000)));
    if (index !== this.windowIndex || !this.window) {
      this.flushWindow();
      this.windowIndex = index;
      this.window ??= createHistogram();
      this.windowUsed = true;
    }
    return this.window;
  }

  private flushWindow(): void {
    if (!this.window || !this.windowUsed) return;
    this.closedWindows.push({
      index: this.windowIndex,
      ok: this.windowOk,
      errors: this.windowErrors,
      histogram: encodeHistogram(this.window),
    });
    this.window.reset();
    this.windowUsed = false;
    this.windowOk = 0;
    this.windowErrors = 0;
  }

  snapshot(): RecorderSnapshot {
    this.flushWindow();
    return {
      corrected: encodeHistogram(this.corrected),
      uncorrected: encodeHistogram(this.uncorrected ?? this.corrected),
      sendLag: this.sendLag ? encodeHistogram(this.sendLag) : null,
      counts: structuredClone(this.counts),
      windows: this.closedWindows.slice(),
    };
  }
}
