import * as grpc from '@grpc/grpc-js';
import { decodeParams, encodeBinaryResult, encodeResult } from './any.js';
import type { HeartbeatOptions } from './heartbeat-config.js';
import { startHeartbeatLoop } from './heartbeat-client.js';
import type { HeartbeatLoop } from './heartbeat-client.js';
import type { ExecuteToolRequest, ExecuteToolResponse, ToolSpec } from './messages.js';
import type { BridgeClient } from './proto.js';
import { isServiceError, timestampNow, unary } from './proto.js';
import { ToolInputError } from './tool-args.js';
import { createTools, errorPayload, findTool } from './tools.js';
import type { Tool, ToolCall } from './tools.js';
import { serveStream } from './worker-stream.js';

/**
 * faithful: every ExecuteTool calls InitializeSession on the pool and builds a new tool table
 * (the contract's per-call cost). cached: the first call of a session does, later ones reuse both.
 */
export type SessionMode = 'faithful' | 'cached';

export interface WorkerServiceOptions {
  workerId: string;
  sessionMode: SessionMode;
  pool: BridgeClient;
  heartbeat: HeartbeatOptions;
  onHeartbeatThreshold: (sessionId: string, missed: number) => void;
}

export interface WorkerServiceStats {
  executeCalls: number;
  streamCalls: number;
  initializeSessionCalls: number;
  registerToolsCalls: number;
  adaptersBuilt: number;
  heartbeatSessions: number;
}

type Unary = (call: grpc.ServerUnaryCall<any, any>, cb: grpc.sendUnaryData<any>) => void;

export function toolSpecs(tools: Map<string, Tool>): ToolSpec[] {
  return [...tools.values()].map((t) => ({
    name: t.name, description: t.description, metadata: {}, supports_streaming: t.streaming,
    parameters: t.params.map((p) => ({ name: p.name, type: p.type, description: p.description, required: p.required, validation_json: '' })),
  }));
}

/** The BridgeService handlers of a worker: Ping locally, tools locally, session and heartbeat calls proxied to the pool. */
export function createWorkerService(o: WorkerServiceOptions) {
  const stats: WorkerServiceStats = { executeCalls: 0, streamCalls: 0, initializeSessionCalls: 0, registerToolsCalls: 0, adaptersBuilt: 0, heartbeatSessions: 0 };
  const heartbeats = new Map<string, HeartbeatLoop>();
  const initialized = new Set<string>();
  const registered = new Map<string, Promise<void>>();
  let cachedTools: Map<string, Tool> | undefined;

  function ensureHeartbeat(sessionId: string): void {
    if (!o.heartbeat.enabled || heartbeats.has(sessionId)) return;
    heartbeats.set(sessionId, startHeartbeatLoop(o.pool, sessionId, o.heartbeat, (missed) => o.onHeartbeatThreshold(sessionId, missed)));
    stats.heartbeatSessions = heartbeats.size;
  }

  function stopHeartbeat(sessionId: string): void {
    heartbeats.get(sessionId)?.stop();
    heartbeats.delete(sessionId);
    stats.heartbeatSessions = heartbeats.size;
  }

  /** InitializeSession on the pool, no deadline; ALREADY_EXISTS and other errors are ignored (logged in Python). */
  async function ensureSession(sessionId: string): Promise<void> {
    if (o.sessionMode === 'cached' && initialized.has(sessionId)) return;
    stats.initializeSessionCalls++;
    try {
      await unary(o.pool, 'InitializeSession', { session_id: sessionId });
      initialized.add(sessionId);
    } catch {
      // as grpc_server.py: the tool still runs
    }
    ensureHeartbeat(sessionId);
  }

  function adapter(): Map<string, Tool> {
    if (o.sessionMode === 'cached' && cachedTools) return cachedTools;
    stats.adaptersBuilt++;
    const tools = createTools();
    if (o.sessionMode === 'cached') cachedTools = tools;
    return tools;
  }

  /** The first tool call of a session registers the adapter's tools with the pool (RegisterTools). */
  function ensureRegistered(sessionId: string, tools: Map<string, Tool>): Promise<void> {
    let p = registered.get(sessionId);
    if (!p) {
      stats.registerToolsCalls++;
      p = unary<unknown>(o.pool, 'RegisterTools', { session_id: sessionId, worker_id: o.workerId, tools: toolSpecs(tools) }).then(
        () => undefined,
        () => void registered.delete(sessionId),
      );
      registered.set(sessionId, p);
    }
    return p;
  }

  async function prepare(req: ExecuteToolRequest): Promise<{ tool: Tool; call: ToolCall }> {
    await ensureSession(req.session_id);
    const tools = adapter();
    await ensureRegistered(req.session_id, tools);
    const args = decodeParams(req.parameters ?? {});
    const binary: Record<string, Buffer> = {};
    for (const [k, v] of Object.entries(req.binary_parameters ?? {})) {
      if (req.metadata?.[`binary_format:${k}`] === 'pickle') throw new ToolInputError(`binary parameter '${k}' is a pickle, which this worker cannot read; send raw bytes`);
      binary[k] = v;
    }
    return { tool: findTool(tools, req.tool_name), call: { args, binary, workerId: o.workerId } };
  }

  async function execute(req: ExecuteToolRequest): Promise<ExecuteToolResponse> {
    const started = Date.now();
    stats.executeCalls++;
    try {
      const { tool, call } = await prepare(req);
      const out = await tool.run(call);
      const res: ExecuteToolResponse = { success: true, result: encodeResult(out.value), error_message: '', metadata: {}, execution_time_ms: 0, binary_result: Buffer.alloc(0) };
      if (out.binary) {
        res.result = encodeBinaryResult(out.binary.type, out.binary.meta);
        res.binary_result = out.binary.bytes;
      }
      res.execution_time_ms = Date.now() - started;
      return res;
    } catch (e) {
      return {
        success: false, result: null, metadata: {}, execution_time_ms: Date.now() - started, binary_result: Buffer.alloc(0),
        error_message: errorPayload(e, { tool_name: req.tool_name, session_id: req.session_id }),
      };
    }
  }

  /** Proxied calls: the pool's answer, or its error as UNKNOWN (the contract). */
  const proxy = (method: string, after?: (req: { session_id: string }) => void): Unary => (call, cb) => {
    unary<unknown>(o.pool, method, call.request).then(
      (res) => {
        after?.(call.request);
        cb(null, res);
      },
      (e: unknown) => cb({ code: grpc.status.UNKNOWN, details: `pool ${method} failed: ${isServiceError(e) ? e.details : String(e)}` }),
    );
  };

  const handlers: grpc.UntypedServiceImplementation = {
    Ping: ((call, cb) => cb(null, { message: `Pong from Python: ${call.request.message}`, server_time: timestampNow() })) as Unary,
    InitializeSession: proxy('InitializeSession', (r) => ensureHeartbeat(r.session_id)),
    CleanupSession: ((call, cb) => {
      stopHeartbeat(call.request.session_id);
      initialized.delete(call.request.session_id);
      registered.delete(call.request.session_id);
      proxy('CleanupSession')(call, cb);
    }) as Unary,
    GetSession: proxy('GetSession', (r) => ensureHeartbeat(r.session_id)),
    Heartbeat: proxy('Heartbeat'),
    ExecuteTool: ((call, cb) => void execute(call.request).then((r) => cb(null, r))) as Unary,
    ExecuteStreamingTool: (call: grpc.ServerWritableStream<ExecuteToolRequest, unknown>) => {
      stats.streamCalls++;
      void serveStream(call, () => prepare(call.request));
    },
  };

  return {
    handlers,
    stats: (): WorkerServiceStats => ({ ...stats }),
    close(): void {
      for (const id of [...heartbeats.keys()]) stopHeartbeat(id);
    },
  };
}
