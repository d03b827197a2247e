/**
 * What goes over the wire and how every answer is checked. Requests are built from precomputed
 * string pieces (no JSON.stringify per operation: the generator shares two cores with the agent),
 * and every reply is validated: HTTP status, JSON-RPC shape, id echoed, the reply envelope's
 * correlation_id equal to the request envelope's id, and the echoed input equal to what was sent.
 * Anything else is a failure of a named kind.
 */

export const CLIENT_URN = 'urn:asap:agent:bench-client';
export const AGENT_URN = 'urn:asap:agent:default-server';
export const MANIFEST_PATH = '/.well-known/asap/manifest.json';
export const METRICS_PATH = '/asap/metrics';
export const ASAP_PATH = '/asap';

/** A task input of about `bytes` bytes of JSON (no integer-like keys: JSON.parse would reorder them). */
export function inputOfSize(bytes: number): Record<string, unknown> {
  if (bytes <= 64) return { text: 'hello', n: 42 };
  // Many short items rather than one huge string: the agent's JSON parser and validator see structure.
  const item = { k: 'key', v: 'value-0123456789abcdef', n: 12345 };
  const per = JSON.stringify(item).length + 1;
  const count = Math.max(1, Math.round((bytes - 32) / per));
  return { items: Array.from({ length: count }, () => ({ ...item })) };
}

export interface TaskTemplate {
  /** JSON text of the task input, exactly as the reply must echo it. */
  inputJson: string;
  skill: string;
  /** One JSON-RPC request object's text for this rpc id and envelope id. */
  request(rpcId: number, envelopeId: string): string;
}

export function taskTemplate(input: unknown, skill = 'echo'): TaskTemplate {
  const inputJson = JSON.stringify(input);
  const head = '{"jsonrpc":"2.0","method":"asap.send","id":';
  const mid = ',"params":{"envelope":{"id":"';
  const tail =
    `","asap_version":"0.1","sender":"${CLIENT_URN}","recipient":"${AGENT_URN}","payload_type":"task.request",` +
    `"payload":{"conversation_id":"conv-bench","skill_id":"${skill}","input":${inputJson}}}}}`;
  return { inputJson, skill, request: (rpcId, envelopeId) => head + rpcId + mid + envelopeId + tail };
}

/** Envelope ids unique per worker and operation; the agent does not format-check supplied ids. */
export const envelopeId = (worker: number, seq: number): string => `bench-${worker}-${seq}`;

export type Check = null | string;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks one JSON-RPC reply object; null when it is the correct echo of the request. */
export function checkReply(reply: unknown, rpcId: number, envId: string, inputJson: string, echoed?: unknown): Check {
  if (!isObj(reply) || reply.jsonrpc !== '2.0') return 'rpc_shape';
  if (reply.error !== undefined) {
    const code = isObj(reply.error) ? reply.error.code : undefined;
    return `rpc_error_${String(code)}`;
  }
  if (reply.id !== rpcId) return 'rpc_id_mismatch';
  const result = reply.result;
  const env = isObj(result) ? result.envelope : undefined;
  if (!isObj(env) || !isObj(env.payload)) return 'rpc_shape';
  if (env.correlation_id !== envId) return 'correlation_mismatch';
  if (env.payload_type !== 'task.response' || env.recipient !== CLIENT_URN || env.payload.status !== 'completed') return 'envelope_mismatch';
  const res = env.payload.result;
  if (!isObj(res)) return 'echo_mismatch';
  const got = echoed !== undefined ? echoed : res.echoed;
  if (echoed === undefined && JSON.stringify(got) !== inputJson) return 'echo_mismatch';
  return null;
}

const ECHO_KEY = '"echoed":';

/**
 * Checks the text of a single asap.send reply. For big inputs, re-serializing the parsed echo would
 * cost the generator as much as the agent's own work (and land in the measured latency), so the
 * echoed input is first matched byte for byte in the text and cut out before the rest is parsed;
 * only if that fails is the whole reply parsed and compared structurally.
 */
export function checkSendText(text: string, rpcId: number, envId: string, inputJson: string): Check {
  if (inputJson.length > 4096) {
    const at = text.indexOf(ECHO_KEY + inputJson);
    if (at >= 0) {
      const rest = text.slice(0, at) + ECHO_KEY + 'null' + text.slice(at + ECHO_KEY.length + inputJson.length);
      let reply: unknown;
      try {
        reply = JSON.parse(rest);
      } catch {
        return 'bad_json';
      }
      return checkReply(reply, rpcId, envId, inputJson, true);
    }
  }
  let reply: unknown;
  try {
    reply = JSON.parse(text);
  } catch {
    return 'bad_json';
  }
  return checkReply(reply, rpcId, envId, inputJson);
}

/** A batch of n asap.send requests with rpc ids base..base+n-1 and matching envelope ids. */
export function batchRequest(t: TaskTemplate, n: number, base: number, envPrefix: string): string {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(t.request(base + i, `${envPrefix}-${i}`));
  return `[${parts.join(',')}]`;
}

/** Checks a batch reply: an array of n replies, in order (JSON-RPC 2.0 allows any order; ours keeps it). */
export function checkBatchText(text: string, n: number, base: number, envPrefix: string, inputJson: string): Check {
  let replies: unknown;
  try {
    replies = JSON.parse(text);
  } catch {
    return 'bad_json';
  }
  if (!Array.isArray(replies) || replies.length !== n) return 'batch_shape';
  // Match by id rather than position: JSON-RPC 2.0 does not promise order.
  const byId = new Map<unknown, unknown>();
  for (const r of replies) byId.set(isObj(r) ? r.id : undefined, r);
  for (let i = 0; i < n; i++) {
    const r = byId.get(base + i);
    if (r === undefined) return 'batch_missing_reply';
    const c = checkReply(r, base + i, `${envPrefix}-${i}`, inputJson);
    if (c) return c;
  }
  return null;
}

export function checkManifestText(text: string): Check {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return 'bad_json';
  }
  if (!isObj(m) || m.id !== AGENT_URN || !isObj(m.capabilities) || !isObj(m.endpoints)) return 'manifest_mismatch';
  return null;
}

/** The bare fastify route's one reply, to GET and to POST alike. */
export const BASELINE_REPLY = '{"hello":"world"}';

export function checkBaselineText(text: string): Check {
  return text === BASELINE_REPLY ? null : 'body_mismatch';
}

export function checkMetricsText(text: string): Check {
  return text.includes('# TYPE asap_requests_total counter') && text.includes('asap_process_uptime_seconds') ? null : 'metrics_mismatch';
}
