import { isUtf8 } from 'node:buffer';
import { authenticate, senderMismatch } from './auth.js';
import { compilePair } from './ajv.js';
import { validateEnvelope } from './envelope.js';
import {
  INTERNAL_ERROR,
  INVALID_PARAMS,
  INVALID_REQUEST,
  METHOD_NOT_FOUND,
  PARSE_ERROR,
  RPC_MESSAGES,
} from './errors.js';
import type { HandlerContext, HandlerRegistry } from './handlers.js';
import { runHooks } from './hooks.js';
import type { HookContext } from './hooks.js';
import { parseJsonText } from './json-text.js';
import type { AgentMetrics, ErrorType } from './metrics.js';
import type { NonceStore } from './nonce-store.js';
import type { TokenValidator } from './options.js';
import { stringifyError, stringifySuccess } from './rpc-serializers.js';
import type { Envelope, EnvelopeSchemaOptions } from './schemas/envelope.js';
import { ASAP_METHOD, JsonRpcRequestSchema } from './schemas/jsonrpc.js';
import type { JsonRpcRequest, RpcId } from './schemas/jsonrpc.js';
import type { Manifest } from './schemas/manifest.js';
import { checkTimestampWindow } from './timestamp.js';
import type { TimestampWindow } from './timestamp.js';

export interface RpcProcessorDeps {
  manifest: Manifest;
  handlers: HandlerRegistry;
  metrics: AgentMetrics;
  hooks: { before: HookContextHook[]; after: HookContextHook[]; defaultTimeoutMs: number };
  handlerContext: HandlerContext;
  nonceStore: NonceStore | null;
  timestampWindow: TimestampWindow | false;
  maxConcurrency: number | null;
  maxJsonDepth: number;
  envelopeOptions: EnvelopeSchemaOptions;
  tokenValidator: TokenValidator | null;
  debug: boolean;
}
type HookContextHook = Parameters<typeof runHooks>[0][number];

/** What the HTTP layer sends: a JSON body with a status, or nothing at all (204). */
export type RpcReply = { status: number; body: string } | { status: 204; body: null };

/** Step 16 rejection: HTTP 503 for a single request (inside a batch it becomes a -32603 entry). */
interface Busy {
  busy: true;
  body: Record<string, unknown>;
}

const rpcShape = compilePair(JsonRpcRequestSchema);
/** The validation error the original reports for params that are not an object (pydantic's dict_type). */
const PARAMS_NOT_OBJECT = { type: 'dict_type', loc: ['params'], msg: 'Input should be a valid dictionary' } as const;

function pyTypeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  switch (typeof v) {
    case 'string':
      return 'str';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'boolean':
      return 'bool';
    case 'object':
      return 'dict';
    default:
      return typeof v;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function echoableId(v: unknown): RpcId {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) ? v : null;
}

/**
 * The POST /asap pipeline: JSON-RPC 2.0 (single, batch, notifications) around the spec's processing
 * order — every check in table order, the first failure wins, JSON-RPC errors travel with HTTP 200.
 */
export class RpcProcessor {
  private readonly d: RpcProcessorDeps;
  private inFlight = 0;

  constructor(deps: RpcProcessorDeps) {
    this.d = deps;
  }

  get activeHandlers(): number {
    return this.inFlight;
  }

  async handleBody(raw: Buffer | undefined, authHeader: string | undefined): Promise<RpcReply> {
    const start = performance.now();
    const buf = raw ?? Buffer.alloc(0);
    // Step 5: not UTF-8 or not JSON.
    if (!isUtf8(buf)) {
      return this.single(this.fail(null, PARSE_ERROR, { error: 'Invalid UTF-8 encoding: body is not valid UTF-8' }, null, 'parse_error', start));
    }
    const parsed = parseJsonText(buf.toString('utf8'), this.d.maxJsonDepth);
    if (!parsed.ok) return this.single(this.fail(null, PARSE_ERROR, { error: parsed.error }, null, 'parse_error', start));
    const root = parsed.value;

    if (Array.isArray(root)) {
      if (root.length === 0) {
        return this.single(
          this.fail(null, INVALID_REQUEST, { error: 'Empty batch: send at least one request', received_type: 'list' }, null, 'invalid_request', start),
        );
      }
      const out = await Promise.all(root.map((item) => this.handleOne(item, authHeader, true, performance.now())));
      const parts = out.filter((x): x is string => typeof x === 'string');
      return parts.length === 0 ? { status: 204, body: null } : { status: 200, body: `[${parts.join(',')}]` };
    }
    const one = await this.handleOne(root, authHeader, false, start);
    if (one === null) return { status: 204, body: null };
    if (typeof one === 'string') return { status: 200, body: one };
    return { status: 503, body: JSON.stringify(one.body) };
  }

  private single(body: string): RpcReply {
    return { status: 200, body };
  }

  private fail(id: RpcId, code: number, data: unknown, payloadType: string | null, errorType: ErrorType, start: number): string {
    this.d.metrics.recordError(payloadType, errorType, (performance.now() - start) / 1000);
    return stringifyError({ jsonrpc: '2.0', error: { code, message: RPC_MESSAGES[code] as string, data }, id });
  }

  /** One request object → its reply (string), nothing (notification) or a 503 marker. */
  private async handleOne(item: unknown, authHeader: string | undefined, inBatch: boolean, start: number): Promise<string | null | Busy> {
    // Step 6: root (or batch entry) must be an object.
    if (!isPlainObject(item)) {
      return this.fail(null, INVALID_REQUEST, { error: 'JSON-RPC request must be an object', received_type: pyTypeName(item) }, null, 'invalid_request', start);
    }
    // Step 7: JSON-RPC shape. A malformed request is answered even without an id (JSON-RPC 2.0 §5).
    // A request whose only fault is `params` is well formed enough to be routed: its method is
    // checked first (-32601), and only then its params (-32602, in process()).
    if (!rpcShape.check(item)) {
      const errors = rpcShape.errors(item);
      if (errors.length === 0 || !errors.every((e) => e.loc[0] === 'params')) {
        return this.fail(echoableId(item.id), INVALID_REQUEST, { error: 'Invalid JSON-RPC structure', validation_errors: errors }, null, 'invalid_request', start);
      }
    }
    const req = item as unknown as JsonRpcRequest;
    const notification = req.id === undefined;
    const id: RpcId = req.id ?? null;
    const reply = await this.process(req, id, authHeader, inBatch, start);
    return notification && typeof reply === 'string' ? null : reply;
  }

  private async process(req: JsonRpcRequest, id: RpcId, authHeader: string | undefined, inBatch: boolean, start: number): Promise<string | Busy> {
    const d = this.d;
    // Step 8: method.
    if (req.method !== ASAP_METHOD) return this.fail(id, METHOD_NOT_FOUND, { method: req.method }, null, 'invalid_request', start);
    // Step 7's params check, once the method is known: `asap.send` takes named params (an object);
    // an array is valid JSON-RPC but not for this method.
    const params = req.params;
    if (params !== undefined && !isPlainObject(params)) {
      return this.fail(id, INVALID_PARAMS, { error: "JSON-RPC 'params' must be an object", validation_errors: [PARAMS_NOT_OBJECT] }, null, 'invalid_request', start);
    }
    // Step 9: bearer auth, only when the manifest declares it.
    let agentId: string | null = null;
    if (d.manifest.auth !== null && d.tokenValidator !== null) {
      const auth = await authenticate(authHeader, d.tokenValidator);
      if (!auth.ok) {
        const code = auth.status === 401 ? INVALID_REQUEST : INVALID_PARAMS;
        return this.fail(id, code, { error: auth.detail, status_code: auth.status }, null, 'auth_failed', start);
      }
      agentId = auth.agentId;
    }
    // Steps 10–11: envelope present, an object, valid.
    const envelopeIn = params?.envelope;
    if (envelopeIn === undefined || envelopeIn === null) {
      return this.fail(id, INVALID_PARAMS, { error: "Missing 'envelope' in params" }, null, 'missing_envelope', start);
    }
    if (!isPlainObject(envelopeIn)) {
      return this.fail(id, INVALID_PARAMS, { error: "'envelope' must be a JSON object" }, null, 'invalid_envelope', start);
    }
    const checked = validateEnvelope(envelopeIn, d.envelopeOptions);
    if (!checked.ok) {
      return this.fail(id, INVALID_PARAMS, { error: 'Invalid envelope structure', validation_errors: checked.errors }, null, 'invalid_envelope', start);
    }
    const env = checked.envelope;
    const pt = env.payload_type;
    // Step 12: sender is the authenticated agent.
    if (agentId !== null) {
      const mismatch = senderMismatch(agentId, env.sender);
      if (mismatch !== null) return this.fail(id, INVALID_PARAMS, { error: mismatch, status_code: 403 }, pt, 'sender_mismatch', start);
    }
    // Step 13: timestamp window.
    if (d.timestampWindow !== false) {
      const verdict = checkTimestampWindow(env.timestamp, env.id, d.timestampWindow);
      if (!verdict.ok) {
        return this.fail(
          id,
          INVALID_PARAMS,
          { error: 'Invalid envelope timestamp', code: 'asap:protocol/invalid_timestamp', message: verdict.message, details: verdict.details },
          pt,
          'invalid_timestamp',
          start,
        );
      }
    }
    // Step 14: nonce replay.
    if (d.nonceStore !== null && env.extensions !== null && 'nonce' in env.extensions) {
      const nonce = env.extensions.nonce;
      let message: string | null = null;
      if (typeof nonce !== 'string' || nonce === '') {
        message = `Nonce must be a non-empty string, got ${typeof nonce === 'string' ? 'empty string' : pyTypeName(nonce)}`;
      } else if (d.nonceStore.checkAndMark(nonce)) {
        message = `Duplicate nonce detected: ${nonce}`;
      }
      if (message !== null) {
        return this.fail(
          id,
          INVALID_PARAMS,
          { error: 'Invalid envelope nonce', code: 'asap:protocol/invalid_nonce', message, details: { nonce: String(nonce), envelope_id: env.id } },
          pt,
          'invalid_nonce',
          start,
        );
      }
    }
    // Step 15: a handler for the payload type.
    const handler = d.handlers.get(pt);
    if (handler === undefined) {
      return this.fail(id, METHOD_NOT_FOUND, { payload_type: pt, error: `No handler registered for payload type: ${pt}` }, pt, 'handler_not_found', start);
    }
    // Step 16: bounded concurrency.
    if (d.maxConcurrency !== null && this.inFlight >= d.maxConcurrency) {
      const body = {
        error: 'Service Temporarily Unavailable',
        code: 'asap:transport/thread_pool_exhausted',
        message: `Thread pool exhausted: ${this.inFlight}/${d.maxConcurrency} threads in use. Service temporarily unavailable.`,
        details: { max_threads: d.maxConcurrency, active_threads: this.inFlight },
      };
      if (inBatch) return this.fail(id, INTERNAL_ERROR, body, pt, 'thread_pool_exhausted', start);
      d.metrics.recordError(pt, 'thread_pool_exhausted', (performance.now() - start) / 1000);
      return { busy: true, body };
    }
    // Step 17: run hooks and handler; anything thrown is -32603.
    this.inFlight++;
    try {
      const replyEnvelope = await this.run(handler, env);
      const out = stringifySuccess({ jsonrpc: '2.0', result: { envelope: replyEnvelope }, id });
      d.metrics.recordSuccess(pt, (performance.now() - start) / 1000);
      return out;
    } catch (err) {
      const e = err as Error;
      const data = d.debug
        ? { error: e?.message ?? String(err), type: e?.name ?? typeof err, traceback: e?.stack ?? null }
        : { error: 'Internal server error' };
      return this.fail(id, INTERNAL_ERROR, data, pt, 'internal_error', start);
    } finally {
      this.inFlight--;
    }
  }

  private async run(handler: NonNullable<ReturnType<HandlerRegistry['get']>>, env: Envelope): Promise<Envelope> {
    const { before, after, defaultTimeoutMs } = this.d.hooks;
    if (before.length === 0 && after.length === 0) return handler(env, this.d.handlerContext);
    const ctx: HookContext = { request: env, response: null, manifest: this.d.manifest, state: {} };
    if (before.length > 0) await runHooks(before, ctx, defaultTimeoutMs);
    ctx.response = await handler(env, this.d.handlerContext);
    if (after.length > 0) await runHooks(after, ctx, defaultTimeoutMs);
    return ctx.response;
  }
}
