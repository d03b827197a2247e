import { endianness } from 'node:os';
import { decodeJson, encodeJson } from './codec-json.js';
import { ErrorCode, BridgeError } from './errors.js';

/**
 * Raw Float32 format (header 0x04, ours; the spec's codec stops at 0x03 protobuf).
 * Frame 0 after the header byte: a JSON "meta" document, the message with every Float32Array
 * replaced by a placeholder {"$f32": <frame index>, "n": <element count>}.
 * Frames 1..k: the vectors' bytes, little-endian IEEE-754 float32, one vector per frame.
 * Vectors travel in their own frames so neither side copies them (no base64, no parsing).
 */

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

interface Placeholder {
  $f32: number;
  n: number;
}

function isPlaceholder(v: unknown): v is Placeholder {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 2 && '$f32' in v && 'n' in v;
}

/** A Buffer sharing the vector's memory (no copy), little-endian on the wire. */
function vectorFrame(v: Float32Array): Buffer {
  if (LITTLE_ENDIAN_HOST) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  const out = Buffer.allocUnsafe(v.byteLength);
  for (let i = 0; i < v.length; i++) out.writeFloatLE(v[i] as number, i * 4);
  return out;
}

function extract(value: unknown, frames: Buffer[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Float32Array) {
    frames.push(vectorFrame(value));
    return { $f32: frames.length, n: value.length };
  }
  if (value instanceof Float64Array) return extract(Float32Array.from(value), frames);
  if (Array.isArray(value)) return value.map((x) => extract(x, frames));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = extract(v, frames);
  return out;
}

/** Returns [meta, ...vectorFrames]; the caller prepends the header byte to meta. */
export function encodeRaw(value: unknown): Buffer[] {
  const vectors: Buffer[] = [];
  const meta = encodeJson(extract(value, vectors));
  return [meta, ...vectors];
}

function viewOf(frame: Buffer, n: number): Float32Array {
  const bytes = n * 4;
  if (frame.length !== bytes) {
    const code = frame.length < bytes || frame.length % 4 !== 0 ? ErrorCode.TruncatedVector : ErrorCode.BadFrame;
    throw new BridgeError(code, `Vector frame has ${frame.length} bytes, expected ${bytes} (${n} float32)`);
  }
  if (!LITTLE_ENDIAN_HOST) {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = frame.readFloatLE(i * 4);
    return out;
  }
  // Zero-copy view over the received memory. zeromq.js hands out buffers at offset 0, but a
  // Float32Array needs a 4-byte aligned offset, so copy in the (rare) misaligned case.
  if (frame.byteOffset % 4 === 0) return new Float32Array(frame.buffer, frame.byteOffset, n);
  return new Float32Array(new Uint8Array(frame).buffer, 0, n);
}

function revive(value: unknown, frames: readonly Buffer[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (isPlaceholder(value)) {
    const { $f32: index, n } = value;
    if (!Number.isInteger(index) || !Number.isInteger(n) || n < 0) {
      throw new BridgeError(ErrorCode.BadFrame, 'Raw placeholder needs integer $f32 and n >= 0');
    }
    const frame = frames[index];
    if (index < 1 || frame === undefined) {
      throw new BridgeError(ErrorCode.TruncatedVector, `Raw message lacks vector frame ${index}`);
    }
    return viewOf(frame, n);
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = revive(value[i], frames);
    return value;
  }
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) obj[k] = revive(obj[k], frames);
  return obj;
}

/** frames[0] is the meta body (header byte already stripped); frames[1..] vectors. */
export function decodeRaw(frames: readonly Buffer[]): unknown {
  const [meta] = frames;
  if (meta === undefined) throw new BridgeError(ErrorCode.BadFrame, 'Raw message without meta frame');
  return revive(decodeJson(meta), frames);
}
