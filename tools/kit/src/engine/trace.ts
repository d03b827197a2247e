/**
 * Per-operation traces (LoadSpec.trace): every measured operation's intended, sent and done time,
 * outcome, retries, duplicates and stage, in growable typed arrays — no object per operation — so
 * that a worker hands its trace over as a few transferable ArrayBuffers and the main thread merges
 * them like histograms. Times are µs on the main thread's performance.now() clock (a worker adds
 * its clock offset, see clock.ts `clockOffsetUs`), the clock fault times are taken on.
 */
import type { Outcome } from './driver.js';

/** Outcome codes in `Trace.outcome`. A retried success is `OK` with `retries > 0`. */
export const TRACE_OK = 0;
export const TRACE_ERROR = 1;
export const TRACE_TIMEOUT = 2;
export const TRACE_LOST = 3;
export const TRACE_OUTCOMES = ['ok', 'error', 'timeout', 'lost'] as const;

const CODE: Record<Outcome['status'], number> = { ok: TRACE_OK, error: TRACE_ERROR, timeout: TRACE_TIMEOUT, lost: TRACE_LOST };
const U16_MAX = 0xffff;

/** Columns of one trace, `length` operations long, sorted by intended time. */
export interface Trace {
  length: number;
  /** When the schedule wanted the operation sent (µs; == sentUs in closed loop). */
  intendedUs: Float64Array;
  /** When it left the generator (µs). */
  sentUs: Float64Array;
  /** When it settled: answered, failed, timed out, or was given up as lost at its stage's end (µs). */
  doneUs: Float64Array;
  /** TRACE_OK / TRACE_ERROR / TRACE_TIMEOUT / TRACE_LOST. */
  outcome: Uint8Array;
  /** Attempts beyond the first (Outcome.retries, capped at 65535). */
  retries: Uint16Array;
  /** Late or duplicate replies the client discarded for this operation (Outcome.duplicates). */
  duplicates: Uint16Array;
  /** Index of the stage (in the load's stages, warm-up included) that issued it. */
  stage: Uint16Array;
  /** Generator worker that issued it. */
  worker: Uint16Array;
  /** Error kind: 0 none, k > 0 → kinds[k − 1]. */
  kind: Uint16Array;
  kinds: string[];
}

const COLUMNS = ['intendedUs', 'sentUs', 'doneUs', 'outcome', 'retries', 'duplicates', 'stage', 'worker', 'kind'] as const;
type Column = (typeof COLUMNS)[number];
type Columns = Pick<Trace, Column>;

function allocate(n: number): Columns {
  return {
    intendedUs: new Float64Array(n),
    sentUs: new Float64Array(n),
    doneUs: new Float64Array(n),
    outcome: new Uint8Array(n),
    retries: new Uint16Array(n),
    duplicates: new Uint16Array(n),
    stage: new Uint16Array(n),
    worker: new Uint16Array(n),
    kind: new Uint16Array(n),
  };
}

export function emptyTrace(): Trace {
  return { length: 0, ...allocate(0), kinds: [] };
}

/** Bytes the trace's columns take (8 × 3 + 1 + 2 × 5 = 35 per operation). */
export function traceBytes(t: Trace): number {
  return COLUMNS.reduce((a, c) => a + t[c].byteLength, 0);
}

/** The buffers to list as transferables when posting a trace between threads. */
export function traceBuffers(t: Trace): ArrayBuffer[] {
  return COLUMNS.map((c) => t[c].buffer as ArrayBuffer);
}

/** Records one worker's operations; columns double as they fill. */
export class TraceRecorder {
  private cols: Columns;
  private n = 0;
  private readonly kinds: string[] = [];
  private readonly kindIndex = new Map<string, number>();

  constructor(
    private readonly workerIndex = 0,
    /** Added to every time: this thread's clock → the main thread's (µs). */
    private readonly offsetUs = 0,
    capacity = 1024,
  ) {
    this.cols = allocate(Math.max(1, capacity));
  }

  get length(): number {
    return this.n;
  }

  get capacity(): number {
    return this.cols.doneUs.length;
  }

  /** Times on this thread's clock (nowUs()). */
  record(stage: number, intendedUs: number, sentUs: number, doneUs: number, o: Outcome): void {
    if (this.n === this.capacity) this.grow();
    const c = this.cols;
    const i = this.n++;
    c.intendedUs[i] = intendedUs + this.offsetUs;
    c.sentUs[i] = sentUs + this.offsetUs;
    c.doneUs[i] = doneUs + this.offsetUs;
    c.outcome[i] = CODE[o.status];
    c.retries[i] = Math.min(U16_MAX, o.retries ?? 0);
    c.duplicates[i] = Math.min(U16_MAX, o.duplicates ?? 0);
    c.stage[i] = stage;
    c.worker[i] = this.workerIndex;
    c.kind[i] = o.status === 'error' ? this.kindOf(o.kind) : 0;
  }

  private kindOf(kind: string): number {
    let k = this.kindIndex.get(kind);
    if (k === undefined) {
      this.kinds.push(kind);
      k = Math.min(U16_MAX, this.kinds.length);
      this.kindIndex.set(kind, k);
    }
    return k;
  }

  private grow(): void {
    const next = allocate(this.capacity * 2);
    for (const c of COLUMNS) (next[c] as Float64Array).set(this.cols[c] as Float64Array);
    this.cols = next;
  }

  /** The recorded operations, compact (buffers of their own, transferable) and sorted by intended time. */
  finish(): Trace {
    return sortByIntended({ length: this.n, ...this.cols, kinds: this.kinds.slice() });
  }
}

/** A compact copy of the first `t.length` rows in intended-time order (ties: sent, then worker). */
function sortByIntended(t: Trace): Trace {
  const order = new Uint32Array(t.length);
  for (let i = 0; i < t.length; i++) order[i] = i;
  order.sort((a, b) => t.intendedUs[a]! - t.intendedUs[b]! || t.sentUs[a]! - t.sentUs[b]! || t.worker[a]! - t.worker[b]!);
  const out: Trace = { length: t.length, ...allocate(t.length), kinds: t.kinds };
  for (const c of COLUMNS) {
    const from = t[c] as Float64Array;
    const to = out[c] as Float64Array;
    for (let i = 0; i < order.length; i++) to[i] = from[order[i]!]!;
  }
  return out;
}

/**
 * Several traces (one per worker, or several measurements' in a row) as one, sorted by intended
 * time. Error kinds are re-indexed into one table; `stageOffsets[i]` is added to trace i's stage
 * indices (for measurements joined one after the other).
 */
export function mergeTraces(traces: readonly Trace[], stageOffsets?: readonly number[]): Trace {
  const total = traces.reduce((a, t) => a + t.length, 0);
  const all: Trace = { length: total, ...allocate(total), kinds: [] };
  const kindIndex = new Map<string, number>();
  let at = 0;
  traces.forEach((t, ti) => {
    for (const c of COLUMNS) (all[c] as Float64Array).set((t[c] as Float64Array).subarray(0, t.length), at);
    const remap = t.kinds.map((k) => {
      let i = kindIndex.get(k);
      if (i === undefined) {
        all.kinds.push(k);
        i = Math.min(U16_MAX, all.kinds.length);
        kindIndex.set(k, i);
      }
      return i;
    });
    const shift = stageOffsets?.[ti] ?? 0;
    for (let i = at; i < at + t.length; i++) {
      const k = all.kind[i]!;
      if (k > 0) all.kind[i] = remap[k - 1] ?? 0;
      if (shift) all.stage[i] = all.stage[i]! + shift;
    }
    at += t.length;
  });
  return sortByIntended(all);
}

/** The error kind of operation i, or null. */
export function traceKind(t: Trace, i: number): string | null {
  const k = t.kind[i] ?? 0;
  return k > 0 ? (t.kinds[k - 1] ?? null) : null;
}
