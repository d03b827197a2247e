import { decodeAny, encodeParams } from './any.js';
import type { ExecuteToolRequest, ExecuteToolResponse } from './messages.js';

/** A decoded ExecuteToolResponse. */
export interface ToolReply {
  success: boolean;
  /** The result Any's JSON value (for the `.binary` path: its metadata). */
  result: unknown;
  binary: Buffer | null;
  /** success=false: the JSON error_message, parsed ({message} if it is not JSON). */
  error: Record<string, unknown> | null;
  executionTimeMs: number;
  /** The response's metadata map (a pool's front endpoint puts the serving worker under `worker_id`). */
  metadata: Record<string, string>;
}

export interface ToolRequestOptions {
  sessionId?: string;
  binary?: Record<string, Buffer>;
  metadata?: Record<string, string>;
  stream?: boolean;
}

/** A full ExecuteToolRequest (proto3 defaults for what is not given). */
export function toRequest(req: Partial<ExecuteToolRequest>): ExecuteToolRequest {
  return { session_id: '', tool_name: '', parameters: {}, metadata: {}, stream: false, binary_parameters: {}, ...req };
}

/** An ExecuteToolRequest with parameters encoded as the Elixir side sends them. */
export function toolRequest(tool: string, params: Record<string, unknown> = {}, o: ToolRequestOptions = {}): ExecuteToolRequest {
  return toRequest({
    tool_name: tool, session_id: o.sessionId ?? '', parameters: encodeParams(params), metadata: o.metadata ?? {},
    binary_parameters: o.binary ?? {}, stream: o.stream ?? false,
  });
}

function parseError(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : { message: text };
  } catch {
    return { message: text };
  }
}

export function decodeReply(r: ExecuteToolResponse): ToolReply {
  return {
    success: r.success,
    executionTimeMs: Number(r.execution_time_ms),
    result: r.success ? decodeAny(r.result) : null,
    binary: r.binary_result && r.binary_result.length > 0 ? r.binary_result : null,
    error: r.success ? null : parseError(r.error_message),
    metadata: r.metadata ?? {},
  };
}
