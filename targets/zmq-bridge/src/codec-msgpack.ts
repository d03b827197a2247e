import { Packr } from 'msgpackr';
import { ErrorCode, BridgeError } from './errors.js';

// useRecords:false keeps the output plain MessagePack maps, readable by any msgpack library
// (msgpackr's record extension is msgpackr-only).
const packr = new Packr({ useRecords: false });

/**
 * msgpackr would pack a Float32Array as a byte string (bin), which other languages read as bytes,
 * not numbers; plain arrays of float64 are what Python's msgpack produces and expects.
 */
function toPlain(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Float32Array || value instanceof Float64Array) return Array.from(value);
  if (ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) {
    for (const x of value) if (x !== null && typeof x === 'object') return value.map(toPlain);
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
  return out;
}

export function encodeMsgpack(value: unknown): Buffer {
  return packr.pack(toPlain(value));
}

export function decodeMsgpack(body: Buffer): unknown {
  if (body.length === 0) throw new BridgeError(ErrorCode.BadMsgpack, 'Invalid MessagePack: empty body');
  try {
    return packr.unpack(body);
  } catch (e) {
    throw new BridgeError(ErrorCode.BadMsgpack, `Invalid MessagePack: ${(e as Error).message}`);
  }
}
