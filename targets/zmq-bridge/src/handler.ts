import { decodeMessage, encodeMessage, FormatHeader } from './codec.js';
import type { WireFormat } from './codec.js';
import { compute, parseCompute, busyWait } from './compute.js';
import { ErrorCode, BridgeError } from './errors.js';
import { handleMatrix } from './matrix.js';

export interface HandlerOptions {
  /** Reported as server_id in heartbeat_ack and compute replies; default `server_<pid>`. */
  serverId?: string;
  /** Busy the CPU this long before every request (fault injection: a slow or hung worker). */
  stallMs?: number;
  /** Epoch seconds; injectable for tests. */
  now?: () => number;
}

export type Handler = (frames: readonly Buffer[]) => Buffer[];

const HEARTBEAT = 'HEARTBEAT';

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** Reply in the caller's format when its header byte is known, JSON otherwise. */
function replyFormatOf(frames: readonly Buffer[]): WireFormat {
  const header = frames[0]?.[0];
  if (header === FormatHeader.msgpack) return 'msgpack';
  if (header === FormatHeader.raw) return 'raw';
  if (header === 0x7b || header === 0x5b || header === 0x22) return 'legacy';
  return 'json';
}

/** Best effort: a raw message whose vectors are broken may still carry a readable correlation_id. */
function salvageCorrelationId(frames: readonly Buffer[]): unknown {
  const first = frames[0];
  if (first?.[0] !== FormatHeader.raw) return undefined;
  try {
    const meta: unknown = JSON.parse(first.subarray(1).toString('utf8'));
    return isObject(meta) ? meta.correlation_id : undefined;
  } catch {
    return undefined;
  }
}

function withCorrelation(reply: Record<string, unknown>, correlationId: unknown): Record<string, unknown> {
  if (correlationId !== undefined && correlationId !== null) reply.correlation_id = correlationId;
  return reply;
}

function errorReply(e: unknown, now: number, correlationId: unknown): Record<string, unknown> {
  const code = e instanceof BridgeError ? e.code : ErrorCode.Internal;
  const message = e instanceof Error ? e.message : String(e);
  return withCorrelation({ status: 'error', message, timestamp: now, code }, correlationId);
}

/** An error reply as JSON frames, for a caller outside the handler (e.g. a worker's custom handler that failed). */
export function errorReplyFrames(e: unknown): Buffer[] {
  return encodeMessage(errorReply(e, Date.now() / 1000, undefined), 'json');
}

/**
 * The bridge server core: request frames in, reply frames out. Never throws and never returns
 * nothing, so a REP socket or PPP worker built on it cannot go silent on a bad request.
 */
export function createHandler(opts: HandlerOptions = {}): Handler {
  const serverId = opts.serverId ?? `server_${process.pid}`;
  const now = opts.now ?? (() => Date.now() / 1000);
  const stallMs = opts.stallMs ?? 0;

  const heartbeatAck = (correlationId: unknown) =>
    withCorrelation({ status: 'heartbeat_ack', timestamp: now(), server_id: serverId }, correlationId);

  function reply(value: unknown): Record<string, unknown> {
    // Request forms in the spec's order: "HEARTBEAT", the {correlation_id, payload} wrapper, a bare payload.
    if (value === HEARTBEAT) return heartbeatAck(undefined);
    let correlationId: unknown;
    let payload = value;
    if (isObject(value) && 'payload' in value) {
      correlationId = value.correlation_id;
      payload = value.payload;
      if (payload === HEARTBEAT) return heartbeatAck(correlationId);
    }
    try {
      if (!isObject(payload)) throw new BridgeError(ErrorCode.BadRequest, 'Payload must be a JSON object');
      if ('op' in payload) {
        const req = parseCompute(payload);
        const { result, length } = compute(req);
        const ok = { status: 'success', op: req.op, result, length, server_id: serverId, timestamp: now() };
        return withCorrelation(ok, correlationId);
      }
      return withCorrelation({ ...handleMatrix(payload, now()) }, correlationId);
    } catch (e) {
      return errorReply(e, now(), correlationId);
    }
  }

  return function handle(frames) {
    const format = replyFormatOf(frames);
    let body: Record<string, unknown>;
    try {
      if (stallMs > 0) busyWait(stallMs);
      body = reply(decodeMessage(frames).value);
    } catch (e) {
      body = errorReply(e, now(), salvageCorrelationId(frames));
    }
    try {
      return encodeMessage(body, format);
    } catch (e) {
      return encodeMessage(errorReply(e, now(), body.correlation_id), 'json');
    }
  };
}

const defaultHandler = createHandler();

/** handleRequest(frames) → reply frames, with default options. */
export function handleRequest(frames: readonly Buffer[]): Buffer[] {
  return defaultHandler(frames);
}
