import * as grpc from '@grpc/grpc-js';
import type { ToolChunk } from './messages.js';
import { createBridgeClient, unary } from './proto.js';
import type { BridgeClient } from './proto.js';
import { decodeReply, toolRequest } from './reply.js';
import type { ToolReply, ToolRequestOptions } from './reply.js';

export interface ToolClient {
  readonly raw: BridgeClient;
  ping(message?: string): Promise<string>;
  execute(tool: string, params?: Record<string, unknown>, o?: ToolRequestOptions & { deadlineMs?: number }): Promise<ToolReply>;
  stream(tool: string, params?: Record<string, unknown>, o?: ToolRequestOptions & { deadlineMs?: number }): AsyncIterable<ToolChunk>;
  close(): void;
}

/** A BridgeService client for any endpoint here: a pool's front, a worker, or the bare floor server. */
export function createToolClient(address: string, maxMessageBytes?: number): ToolClient {
  const raw = createBridgeClient(address, maxMessageBytes);
  return {
    raw,
    ping: async (message = 'ping') => (await unary<{ message: string }>(raw, 'Ping', { message })).message,
    execute: async (tool, params, o = {}) => decodeReply(await unary(raw, 'ExecuteTool', toolRequest(tool, params, o), { deadlineMs: o.deadlineMs })),
    stream(tool, params, o = {}) {
      const opts: grpc.CallOptions = o.deadlineMs === undefined ? {} : { deadline: Date.now() + o.deadlineMs };
      return raw.ExecuteStreamingTool!(toolRequest(tool, params, { ...o, stream: true }), new grpc.Metadata(), opts) as AsyncIterable<ToolChunk>;
    },
    close: () => raw.close(),
  };
}
