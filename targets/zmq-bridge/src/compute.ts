import { ErrorCode, BridgeError } from './errors.js';

/** Compute requests on float vectors: {"op": "sum"|"mean"|"dot"|"norm"|"echo"|"stall", "data": [...], "other": [...]}. */
export const OPS = ['sum', 'mean', 'dot', 'norm', 'echo', 'stall'] as const;
export type Op = (typeof OPS)[number];

export type Vector = ArrayLike<number>;

export interface ComputeRequest {
  op: Op;
  data: Vector;
  other?: Vector;
  /** stall only: busy the CPU this long before replying (simulates a hung worker). */
  ms?: number;
}

export type ComputeResult = { result: number | Vector; length: number };

/** Longest stall a request may ask for, so a stray request cannot wedge a worker for good. */
export const MAX_STALL_MS = 60_000;

function isVector(v: unknown): v is Vector {
  if (v instanceof Float32Array || v instanceof Float64Array) return true;
  if (!Array.isArray(v)) return false;
  for (const x of v) if (typeof x !== 'number') return false;
  return true;
}

function bad(message: string): never {
  throw new BridgeError(ErrorCode.BadRequest, message);
}

export function parseCompute(payload: Record<string, unknown>): ComputeRequest {
  const { op, data, other, ms } = payload;
  if (typeof op !== 'string' || !(OPS as readonly string[]).includes(op)) {
    bad(`Unknown op ${JSON.stringify(op)}; expected one of ${OPS.join(', ')}`);
  }
  const req: ComputeRequest = { op: op as Op, data: [] };
  if (data !== undefined) {
    if (!isVector(data)) bad("'data' must be an array of numbers");
    req.data = data;
  } else if (op !== 'stall') {
    bad("'data' is a required property");
  }
  if (op === 'dot') {
    if (!isVector(other)) bad("dot needs 'other', an array of numbers");
    if (other.length !== req.data.length) bad(`dot needs equal lengths, got ${req.data.length} and ${other.length}`);
    req.other = other;
  }
  if (op === 'stall') {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) bad("stall needs 'ms', a number >= 0");
    req.ms = Math.min(ms, MAX_STALL_MS);
  }
  return req;
}

/** Burns CPU on purpose: a stalled worker must also stop heartbeating, which sleeping would not do. */
export function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    /* spin */
  }
}

export function compute(req: ComputeRequest): ComputeResult {
  const v = req.data;
  const n = v.length;
  switch (req.op) {
    case 'sum': {
      let s = 0;
      for (let i = 0; i < n; i++) s += v[i] as number;
      return { result: s, length: n };
    }
    case 'mean': {
      let s = 0;
      for (let i = 0; i < n; i++) s += v[i] as number;
      return { result: n === 0 ? Number.NaN : s / n, length: n };
    }
    case 'dot': {
      const w = req.other as Vector;
      let s = 0;
      for (let i = 0; i < n; i++) s += (v[i] as number) * (w[i] as number);
      return { result: s, length: n };
    }
    case 'norm': {
      let s = 0;
      for (let i = 0; i < n; i++) s += (v[i] as number) * (v[i] as number);
      return { result: Math.sqrt(s), length: n };
    }
    case 'echo':
      return { result: v, length: n };
    case 'stall':
      busyWait(req.ms ?? 0);
      return { result: req.ms ?? 0, length: n };
  }
}
