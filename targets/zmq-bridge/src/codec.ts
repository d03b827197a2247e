import { decodeJson, encodeJson } from './codec-json.js';
import { decodeMsgpack, encodeMsgpack } from './codec-msgpack.js';
import { decodeRaw, encodeRaw } from './codec-raw.js';
import { ErrorCode, BridgeError } from './errors.js';

/** First byte of the first frame. 0x01-0x03 are the spec's (codec.py); 0x04 is ours. */
export const FormatHeader = { json: 0x01, msgpack: 0x02, protobuf: 0x03, raw: 0x04 } as const;

export type Format = 'json' | 'msgpack' | 'raw';
/** 'legacy' = a headerless JSON frame as the original bridge server (HEAD 8bd41cc) speaks it. */
export type WireFormat = Format | 'legacy';
export const FORMATS: readonly Format[] = ['json', 'msgpack', 'raw'];

/** Spec thresholds (codec.py): element estimate < 1000 → JSON, < 100000 → MessagePack. */
export const JSON_MAX_ELEMENTS = 1000;
export const MSGPACK_MAX_ELEMENTS = 100_000;

// Bytes a bare JSON document can start with: '{', '[', '"'. None collides with a header byte.
const LEGACY_FIRST_BYTES = new Set([0x7b, 0x5b, 0x22]);

function withHeader(header: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(body.length + 1);
  out[0] = header;
  body.copy(out, 1);
  return out;
}

export function encodeMessage(value: unknown, format: WireFormat): Buffer[] {
  switch (format) {
    case 'json':
      return [withHeader(FormatHeader.json, encodeJson(value))];
    case 'msgpack':
      return [withHeader(FormatHeader.msgpack, encodeMsgpack(value))];
    case 'raw': {
      const [meta, ...vectors] = encodeRaw(value);
      return [withHeader(FormatHeader.raw, meta as Buffer), ...vectors];
    }
    case 'legacy':
      return [encodeJson(value)];
  }
}

export interface Decoded {
  format: WireFormat;
  value: unknown;
}

function single(frames: readonly Buffer[], format: string): void {
  if (frames.length !== 1) {
    throw new BridgeError(ErrorCode.BadFrame, `A ${format} message is one frame, got ${frames.length}`);
  }
}

/** Throws BridgeError with a WB_ERR_ZMQ_* code on anything it cannot decode. */
export function decodeMessage(frames: readonly Buffer[]): Decoded {
  const first = frames[0];
  if (first === undefined || first.length === 0) {
    throw new BridgeError(ErrorCode.BadFrame, 'Empty message: expected [format header byte][body]');
  }
  const header = first[0] as number;
  const body = first.subarray(1);
  switch (header) {
    case FormatHeader.json:
      single(frames, 'JSON');
      return { format: 'json', value: decodeJson(body) };
    case FormatHeader.msgpack:
      single(frames, 'MessagePack');
      return { format: 'msgpack', value: decodeMsgpack(body) };
    case FormatHeader.protobuf:
      throw new BridgeError(ErrorCode.UnsupportedFormat, 'unsupported format 0x03 (protobuf); use 0x01 JSON, 0x02 MessagePack or 0x04 raw');
    case FormatHeader.raw:
      return { format: 'raw', value: decodeRaw([body, ...frames.slice(1)]) };
    default:
      if (LEGACY_FIRST_BYTES.has(header)) {
        single(frames, 'JSON');
        return { format: 'legacy', value: decodeJson(first) };
      }
      throw new BridgeError(
        ErrorCode.UnknownFormat,
        `unknown format header 0x${header.toString(16).padStart(2, '0')}; use 0x01 JSON, 0x02 MessagePack or 0x04 raw`,
      );
  }
}

function isVector(v: unknown): v is ArrayLike<number> {
  return Array.isArray(v) || v instanceof Float32Array || v instanceof Float64Array;
}

/** codec.py's element estimate: a list counts its length, a dict its list values and nested dicts. */
export function estimateElements(value: unknown): number {
  if (isVector(value)) return value.length;
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  for (const v of Object.values(value)) {
    if (isVector(v)) n += v.length;
    else if (v !== null && typeof v === 'object') n += estimateElements(v);
  }
  return n;
}

function hasFloatVector(value: unknown): boolean {
  if (value instanceof Float32Array || value instanceof Float64Array) return true;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  return Object.values(value).some(hasFloatVector);
}

/** The spec's automatic choice; beyond MessagePack's range, raw for float vectors (spec: protobuf). */
export function chooseFormat(value: unknown): Format {
  const n = estimateElements(value);
  if (n < JSON_MAX_ELEMENTS) return 'json';
  if (n < MSGPACK_MAX_ELEMENTS || !hasFloatVector(value)) return 'msgpack';
  return 'raw';
}
