import * as grpc from '@grpc/grpc-js';
import { PoolError, PoolErrorCode } from './errors.js';
import type { ExecuteToolRequest, ExecuteToolResponse, RegisterToolsRequest, ToolChunk } from './messages.js';
import { isServiceError, timestampNow } from './proto.js';
import type { SessionStore } from './sessions.js';
import { drainOrCancel } from './drain.js';

/**
 * The key of ExecuteToolResponse.metadata under which the front endpoint names the worker that
 * ran the call (e.g. `worker_3`), so an out-of-process client can see affinity at work. The field
 * exists in the contract's proto (map<string, string> metadata = 4): old clients ignore the entry.
 * Absent on pool failures (no worker ran the call).
 */
export const WORKER_ID_METADATA_KEY = 'worker_id';

/** What the front endpoint hands ExecuteTool / ExecuteStreamingTool to (the pool). */
export interface ToolRouter {
  executeRequest(req: ExecuteToolRequest): Promise<{ response: ExecuteToolResponse; workerId?: string }>;
  executeStream(req: ExecuteToolRequest): AsyncIterable<ToolChunk>;
}

type Unary = (call: grpc.ServerUnaryCall<any, any>, cb: grpc.sendUnaryData<any>) => void;

/** The JSON error_message of a pool-side failure, as Snakepit's `%Snakepit.Error{category: :pool}`. */
export function poolErrorPayload(e: unknown): string {
  if (e instanceof PoolError) return JSON.stringify({ category: 'pool', code: e.code, reason: e.reason ?? null, message: e.message, hint: e.hint });
  return JSON.stringify({ category: 'pool', code: 'WB_ERR_POOL_INTERNAL', reason: null, message: e instanceof Error ? e.message : String(e) });
}

export function grpcStatusOf(e: unknown): grpc.status {
  if (!(e instanceof PoolError)) return isServiceError(e) ? e.code : grpc.status.INTERNAL;
  switch (e.code) {
    case PoolErrorCode.Saturated: return grpc.status.RESOURCE_EXHAUSTED;
    case PoolErrorCode.QueueTimeout: case PoolErrorCode.CallTimeout: return grpc.status.DEADLINE_EXCEEDED;
    case PoolErrorCode.Rpc: return typeof e.details.grpcCode === 'number' ? e.details.grpcCode : grpc.status.UNKNOWN;
    default: return grpc.status.UNAVAILABLE;
  }
}

/**
 * The pool's own BridgeService (Elixir's BridgeServer): Ping "pong: <msg>", sessions, heartbeats
 * (session_valid), RegisterTools; ExecuteTool and ExecuteStreamingTool are routed through the pool
 * when a router is set. Pool failures on ExecuteTool are success=false with a JSON error_message.
 */
export function createPoolService(store: SessionStore, router: () => ToolRouter | undefined): grpc.UntypedServiceImplementation {
  const handlers: Record<string, Unary | grpc.handleServerStreamingCall<any, any>> = {
    Ping: (call, cb) => cb(null, { message: `pong: ${call.request.message}`, server_time: timestampNow() }),
    InitializeSession: (call, cb) => {
      store.create(call.request.session_id, call.request.metadata ?? {});
      cb(null, { success: true, error_message: '', available_tools: {} });
    },
    CleanupSession: (call, cb) => {
      store.delete(call.request.session_id);
      cb(null, { success: true, resources_cleaned: 1 });
    },
    GetSession: (call, cb) => {
      const s = store.get(call.request.session_id);
      if (!s) return cb({ code: grpc.status.NOT_FOUND, details: `Session not found: ${call.request.session_id}` });
      cb(null, { session_id: s.id, metadata: s.metadata, created_at: { seconds: s.createdAt, nanos: 0 }, tool_count: s.tools.size });
    },
    Heartbeat: (call, cb) => cb(null, { server_time: timestampNow(), session_valid: store.get(call.request.session_id) !== undefined }),
    RegisterTools: (call: grpc.ServerUnaryCall<RegisterToolsRequest, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      const r = call.request;
      cb(null, { success: true, tool_ids: store.registerTools(r.session_id, r.tools ?? [], r.worker_id), error_message: '' });
    },
    GetExposedElixirTools: (_call, cb) => cb(null, { tools: [] }),
    ExecuteElixirTool: (call, cb) => cb(null, {
      success: false, error_message: JSON.stringify({ message: `no pool-side tool ${call.request.tool_name}: this pool exposes none` }), metadata: {}, execution_time_ms: 0,
    }),
    ExecuteTool: (call, cb) => {
      const r = router();
      if (!r) return cb({ code: grpc.status.UNAVAILABLE, details: 'this BridgeService has no pool behind it' });
      r.executeRequest(call.request).then(
        ({ response, workerId }) => cb(null, workerId ? { ...response, metadata: { ...(response.metadata ?? {}), [WORKER_ID_METADATA_KEY]: workerId } } : response),
        (e: unknown) => cb(null, { success: false, error_message: poolErrorPayload(e), metadata: {}, execution_time_ms: 0 }),
      );
    },
    ExecuteStreamingTool: (call: grpc.ServerWritableStream<ExecuteToolRequest, ToolChunk>) => void pipeStream(call, router()),
  };
  return handlers as grpc.UntypedServiceImplementation;
}

async function pipeStream(call: grpc.ServerWritableStream<ExecuteToolRequest, ToolChunk>, r: ToolRouter | undefined): Promise<void> {
  if (!r) return void call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'this BridgeService has no pool behind it' });
  let cancelled = false;
  call.on('cancelled', () => (cancelled = true));
  try {
    for await (const chunk of r.executeStream(call.request)) {
      if (cancelled) return;
      // A client that cancels while its buffer is full never drains it: wait for either, or the
      // worker's call (and its slot) would stay held for good.
      if (!call.write(chunk) && !cancelled) await drainOrCancel(call);
    }
    call.end();
  } catch (e) {
    if (!cancelled) call.emit('error', { code: grpcStatusOf(e), details: isServiceError(e) ? e.details : poolErrorPayload(e) });
  }
}
