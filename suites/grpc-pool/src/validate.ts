/**
 * Reply validators, independent of the target's own decoding (reply.ts): every reply the
 * generator receives is checked against the contract here, and a bad one is an error of a named
 * kind, never an ok.
 */

/** The wire shape of an ExecuteToolResponse as proto-loader hands it over (keepCase, defaults). */
export interface WireResponse {
  success: boolean;
  result: { type_url: string; value: Buffer } | null;
  error_message: string;
  binary_result?: Buffer;
  metadata?: Record<string, string>;
}

export const RESULT_PREFIX = 'type.googleapis.com/snakepit.';

/** Pool-side failures (queue full, queue timeout, worker busy...) by their contract reason; anything else by code or 'tool_failed'. */
export function failureKind(errorMessage: string): string {
  try {
    const e = JSON.parse(errorMessage) as { category?: unknown; reason?: unknown; code?: unknown };
    if (e.category === 'pool') return typeof e.reason === 'string' && e.reason ? e.reason : typeof e.code === 'string' ? e.code : 'pool_error';
  } catch {
    return 'bad_error_message';
  }
  return 'tool_failed';
}

function jsonOf(r: WireResponse, type: string): unknown {
  if (!r.result || r.result.type_url !== RESULT_PREFIX + type) return undefined;
  try {
    return JSON.parse(r.result.value.toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * `ping` reply: success, a `snakepit.map` {message: <the message sent>, timestamp: "<epoch s>"}
 * whose timestamp is within `skewS` of the generator's clock. Returns null when valid, else the
 * error kind.
 */
export function checkPing(r: WireResponse, sent: string, nowS = Date.now() / 1000, skewS = 60): string | null {
  if (!r.success) return failureKind(r.error_message);
  const v = jsonOf(r, 'map') as { message?: unknown; timestamp?: unknown } | undefined;
  if (!v || typeof v !== 'object') return 'bad_result';
  if (v.message !== sent) return 'wrong_message';
  const ts = typeof v.timestamp === 'string' ? Number(v.timestamp) : NaN;
  if (!Number.isFinite(ts) || Math.abs(ts - nowS) > skewS) return 'bad_timestamp';
  return null;
}

/** `binary` reply over the 10,240-byte threshold: the same bytes back in binary_result, metadata {size}. */
export function checkBinary(r: WireResponse, sent: Buffer): string | null {
  if (!r.success) return failureKind(r.error_message);
  if (!r.result || r.result.type_url !== `${RESULT_PREFIX}binary.binary`) return 'bad_result';
  let meta: { size?: unknown };
  try {
    meta = JSON.parse(r.result.value.toString('utf8')) as { size?: unknown };
  } catch {
    return 'bad_result';
  }
  if (meta.size !== sent.length) return 'wrong_size';
  if (!r.binary_result || !sent.equals(r.binary_result)) return 'wrong_bytes';
  return null;
}

/** `sleep` reply: {slept_ms: ms}. */
export function checkSleep(r: WireResponse, ms: number): string | null {
  if (!r.success) return failureKind(r.error_message);
  const v = jsonOf(r, 'map') as { slept_ms?: unknown } | undefined;
  return v && v.slept_ms === ms ? null : 'bad_result';
}

export interface WireChunk {
  chunk_id: string;
  data: Buffer;
  is_final: boolean;
}

/**
 * One `stream` tool call's chunks: ids `stream-1`…`stream-n` in order, data {i, of: n} JSON, then
 * one empty final chunk `stream-(n+1)`. Returns null when valid, else the error kind.
 */
export function checkStream(chunks: readonly WireChunk[], n: number): string | null {
  if (chunks.length !== n + 1) return chunks.length < n + 1 ? 'missing_chunks' : 'extra_chunks';
  for (let i = 0; i < n; i++) {
    const c = chunks[i]!;
    if (c.chunk_id !== `stream-${i + 1}` || c.is_final) return 'bad_chunk_id';
    let v: { i?: unknown; of?: unknown };
    try {
      v = JSON.parse(c.data.toString('utf8')) as { i?: unknown; of?: unknown };
    } catch {
      return 'bad_chunk_data';
    }
    if (v.i !== i + 1 || v.of !== n) return 'bad_chunk_data';
  }
  const last = chunks[n]!;
  if (!last.is_final || last.chunk_id !== `stream-${n + 1}` || last.data.length !== 0) return 'bad_final_chunk';
  return null;
}

/** The direct (stdio) protocol's generic `ping`: status ok and the args echoed under `echo`. */
export function checkDirectPing(result: unknown, sent: string): string | null {
  if (!result || typeof result !== 'object') return 'bad_result';
  const r = result as { status?: unknown; echo?: { message?: unknown } };
  if (r.status !== 'ok') return 'bad_status';
  if (!r.echo || r.echo.message !== sent) return 'wrong_message';
  return null;
}

/** `compute` op=sum reply: a `snakepit.float` exactly equal to the sum taken here over the same values in the same order. */
export function checkSum(r: WireResponse, expected: number): string | null {
  if (!r.success) return failureKind(r.error_message);
  const v = jsonOf(r, 'float');
  if (typeof v !== 'number') return 'bad_result';
  return v === expected ? null : 'wrong_sum';
}

/** `echo` reply of a JSON parameter `data` (a base64 string): `{echoed: {data}}` with the same string back. */
export function checkEcho(r: WireResponse, sent: string): string | null {
  if (!r.success) return failureKind(r.error_message);
  const v = jsonOf(r, 'map') as { echoed?: { data?: unknown } } | undefined;
  if (!v || typeof v.echoed !== 'object' || v.echoed === null) return 'bad_result';
  return v.echoed.data === sent ? null : 'wrong_bytes';
}

/** The worker a pool's front endpoint names in the reply's metadata (`worker_id`), or null when it names none. */
export function servedBy(r: WireResponse, key = 'worker_id'): string | null {
  const w = r.metadata?.[key];
  return typeof w === 'string' && /^worker_\d+$/.test(w) ? w : null;
}

/**
 * Payload bytes per second of a summary's ok operations (Outcome.bytes over the measured stages),
 * as the kit computes throughput.bytesPerSec at run time (its Summary type does not declare it).
 */
export function bytesPerSecond(s: { counts: { bytes?: number }; stages: ReadonlyArray<{ durationMs: number }> }): number {
  const ms = s.stages.reduce((a, st) => a + st.durationMs, 0);
  return ms > 0 ? ((s.counts.bytes ?? 0) * 1000) / ms : 0;
}
