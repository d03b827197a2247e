/**
 * The generator's own BridgeService client: grpc-js and proto-loader on the contract's .proto
 * (the one file taken from the target package), so replies are decoded and checked here, not by
 * the target's code.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { PROTO_PATH } from '@wirebench/grpc-pool';

export type Bridge = grpc.Client & Record<string, (...args: any[]) => any>;

let ctor: grpc.ServiceClientConstructor | undefined;

export function bridgeClient(address: string): Bridge {
  if (!ctor) {
    const def = protoLoader.loadSync(PROTO_PATH, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
    ctor = (grpc.loadPackageDefinition(def) as any).snakepit.bridge.BridgeService as grpc.ServiceClientConstructor;
  }
  const max = 100 * 1024 * 1024;
  return new ctor(address, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': max, 'grpc.max_send_message_length': max }) as unknown as Bridge;
}

/** A parameter as the Elixir side sends it: StringValue type_url, JSON bytes. */
export function param(v: unknown): { type_url: string; value: Buffer } {
  return { type_url: 'type.googleapis.com/google.protobuf.StringValue', value: Buffer.from(JSON.stringify(v)) };
}

export interface ToolCall {
  tool: string;
  params?: Record<string, unknown>;
  binary?: Record<string, Buffer>;
  sessionId?: string;
}

export function request(c: ToolCall): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.params ?? {})) parameters[k] = param(v);
  return { session_id: c.sessionId ?? '', tool_name: c.tool, parameters, metadata: {}, stream: false, binary_parameters: c.binary ?? {} };
}

export function unary<T>(client: Bridge, method: string, req: object, deadlineMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    client[method]!(req, new grpc.Metadata(), { deadline: Date.now() + deadlineMs }, (err: grpc.ServiceError | null, res: T) => (err ? reject(err) : resolve(res)));
  });
}

/** A server stream (ExecuteStreamingTool) with a deadline. */
export function serverStream<T>(client: Bridge, method: string, req: object, deadlineMs: number): grpc.ClientReadableStream<T> {
  return client[method]!(req, new grpc.Metadata(), { deadline: Date.now() + deadlineMs }) as grpc.ClientReadableStream<T>;
}

/** An error kind for a failed call: `grpc_<STATUS>` for gRPC statuses. */
export function grpcKind(e: unknown): string {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'number' ? `grpc_${grpc.status[code] ?? code}` : 'exception';
}
