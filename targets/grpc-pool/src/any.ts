import type { AnyMessage } from './messages.js';

/** Parameters as the Elixir side sends them: StringValue type_url, JSON bytes. */
export const PARAM_TYPE_URL = 'type.googleapis.com/google.protobuf.StringValue';
export const RESULT_TYPE_PREFIX = 'type.googleapis.com/snakepit.';
/** The contract's `.binary` threshold: data over this many bytes goes in binary_result. */
export const BINARY_THRESHOLD_BYTES = 10_240;

export type ResultType = 'boolean' | 'map' | 'string' | 'float' | 'list';

/** Python's inference order: bool, dict, str, int/float, list; anything else is sent as a string. */
export function resultTypeOf(v: unknown): ResultType {
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'float';
  if (Array.isArray(v)) return 'list';
  if (v !== null && typeof v === 'object' && !Buffer.isBuffer(v)) return 'map';
  return 'string';
}

export function encodeResult(v: unknown): AnyMessage {
  const type = resultTypeOf(v);
  const value = type === 'string' && typeof v !== 'string' ? String(v) : v;
  return { type_url: RESULT_TYPE_PREFIX + type, value: Buffer.from(JSON.stringify(value)) };
}

/** The `.binary` path: metadata JSON in the Any, the bytes in binary_result. */
export function encodeBinaryResult(type: string, meta: Record<string, unknown>): AnyMessage {
  return { type_url: `${RESULT_TYPE_PREFIX}${type}.binary`, value: Buffer.from(JSON.stringify(meta)) };
}

export function encodeParam(v: unknown): AnyMessage {
  return { type_url: PARAM_TYPE_URL, value: Buffer.from(JSON.stringify(v)) };
}

export function encodeParams(params: Record<string, unknown>): Record<string, AnyMessage> {
  const out: Record<string, AnyMessage> = {};
  for (const [k, v] of Object.entries(params)) out[k] = encodeParam(v);
  return out;
}

/**
 * JSON value of an Any. Python decodes by the type_url suffix; JavaScript has one number type,
 * so `snakepit.float` needs no conversion. Throws SyntaxError on invalid JSON.
 */
export function decodeAny(a: AnyMessage | null | undefined): unknown {
  if (!a || a.value.length === 0) return null;
  return JSON.parse(a.value.toString('utf8'));
}

export function decodeParams(params: Record<string, AnyMessage>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, a] of Object.entries(params)) out[k] = decodeAny(a);
  return out;
}
