/** The contract's messages as @grpc/proto-loader hands them over (keepCase, defaults, longs as numbers). */
export interface AnyMessage {
  type_url: string;
  value: Buffer;
}
export interface Timestamp {
  seconds: number | string;
  nanos: number;
}
export interface PingRequest {
  message: string;
}
export interface PingResponse {
  message: string;
  server_time: Timestamp | null;
}
export interface InitializeSessionRequest {
  session_id: string;
  metadata?: Record<string, string>;
  config?: { enable_caching: boolean; cache_ttl_seconds: number; enable_telemetry: boolean } | null;
}
export interface InitializeSessionResponse {
  success: boolean;
  error_message: string;
  available_tools: Record<string, ToolSpec>;
}
export interface ParameterSpec {
  name: string;
  type: string;
  description: string;
  required: boolean;
  default_value?: AnyMessage | null;
  validation_json: string;
}
export interface ToolSpec {
  name: string;
  description: string;
  parameters: ParameterSpec[];
  metadata: Record<string, string>;
  supports_streaming: boolean;
}
export interface ExecuteToolRequest {
  session_id: string;
  tool_name: string;
  parameters: Record<string, AnyMessage>;
  metadata: Record<string, string>;
  stream: boolean;
  binary_parameters: Record<string, Buffer>;
}
export interface ExecuteToolResponse {
  success: boolean;
  result: AnyMessage | null;
  error_message: string;
  metadata: Record<string, string>;
  execution_time_ms: number;
  binary_result: Buffer;
}
export interface ToolChunk {
  chunk_id: string;
  data: Buffer;
  is_final: boolean;
  metadata: Record<string, string>;
}
export interface HeartbeatRequest {
  session_id: string;
  client_time?: Timestamp | null;
}
export interface HeartbeatResponse {
  server_time: Timestamp | null;
  session_valid: boolean;
}
export interface RegisterToolsRequest {
  session_id: string;
  tools: ToolSpec[];
  worker_id: string;
}
export interface SessionIdRequest {
  session_id: string;
}
