import { ErrorCode, BridgeError } from './errors.js';

// JSON has no NaN/Infinity, so the spec (codec.py) spells them as strings.
const NON_FINITE_IN: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

function nonFiniteName(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  return n > 0 ? 'Infinity' : '-Infinity';
}

function vectorToJson(v: ArrayLike<number>): unknown[] {
  const out: unknown[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const n = v[i] as number;
    out[i] = Number.isFinite(n) ? n : nonFiniteName(n);
  }
  return out;
}

function hasNonFinite(a: readonly unknown[]): boolean {
  for (const x of a) if (typeof x === 'number' && !Number.isFinite(x)) return true;
  return false;
}

/**
 * Make a value JSON-safe: typed arrays become arrays, non-finite numbers become the spec's strings.
 * A pre-walk instead of a JSON.stringify replacer: a replacer is called for every one of 100K
 * vector elements and makes the JSON path several times slower than it needs to be.
 */
export function toJsonSafe(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : nonFiniteName(value);
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value)) {
    if (value instanceof Float32Array || value instanceof Float64Array) return vectorToJson(value);
    return value;
  }
  if (Array.isArray(value)) {
    let allNumbers = true;
    for (const x of value) if (typeof x !== 'number') { allNumbers = false; break; }
    if (allNumbers) return hasNonFinite(value) ? vectorToJson(value as number[]) : value;
    return value.map(toJsonSafe);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toJsonSafe(v);
  return out;
}

/** Undo toJsonSafe's spelling of non-finite numbers (in arrays and object values). */
export function reviveNonFinite(value: unknown): unknown {
  if (typeof value === 'string') return value in NON_FINITE_IN ? NON_FINITE_IN[value] : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const x: unknown = value[i];
      if (typeof x === 'string' || (x !== null && typeof x === 'object')) value[i] = reviveNonFinite(x);
    }
    return value;
  }
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) obj[k] = reviveNonFinite(obj[k]);
  return obj;
}

export function encodeJson(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(toJsonSafe(value)) ?? 'null', 'utf8');
}

export function decodeJson(body: Buffer): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new BridgeError(ErrorCode.BadJson, `Invalid JSON: ${(e as Error).message}`);
  }
  return reviveNonFinite(parsed);
}
