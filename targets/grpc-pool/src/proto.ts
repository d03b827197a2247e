import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** The contract's service, as a .proto file in this package. */
export const PROTO_PATH = fileURLToPath(new URL('../proto/snakepit_bridge.proto', import.meta.url));
export const SERVICE_NAME = 'snakepit.bridge.BridgeService';

/** snake_case fields as on the wire; int64 as JS numbers; every field present (proto3 defaults). */
export const LOADER_OPTIONS: protoLoader.Options = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true };

/** The contract's 100 MiB message limits (grpc_server.py). */
export const DEFAULT_MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

export interface Bridge {
  definition: protoLoader.PackageDefinition;
  service: grpc.ServiceDefinition;
  Client: grpc.ServiceClientConstructor;
}

let cached: Bridge | undefined;

/** Loads the .proto once per process with @grpc/proto-loader (see README: why not static code). */
export function loadBridge(): Bridge {
  if (cached) return cached;
  const definition = protoLoader.loadSync(PROTO_PATH, LOADER_OPTIONS);
  const pkg = grpc.loadPackageDefinition(definition) as unknown as { snakepit: { bridge: { BridgeService: grpc.ServiceClientConstructor } } };
  const Client = pkg.snakepit.bridge.BridgeService;
  cached = { definition, service: Client.service, Client };
  return cached;
}

export function messageSizeOptions(maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES): grpc.ChannelOptions {
  return { 'grpc.max_receive_message_length': maxMessageBytes, 'grpc.max_send_message_length': maxMessageBytes };
}

export type BridgeClient = grpc.Client & Record<string, (...args: any[]) => any>;

/** A BridgeService client on host:port (loopback by default). */
export function createBridgeClient(address: string, maxMessageBytes?: number): BridgeClient {
  const { Client } = loadBridge();
  return new Client(address, grpc.credentials.createInsecure(), messageSizeOptions(maxMessageBytes)) as unknown as BridgeClient;
}

/** Promise form of a unary call; rejects with the grpc ServiceError. */
export function unary<Res>(client: BridgeClient, method: string, req: object, opts: { deadlineMs?: number; onCall?: (call: grpc.ClientUnaryCall) => void } = {}): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    const callOpts: grpc.CallOptions = opts.deadlineMs === undefined ? {} : { deadline: Date.now() + Math.max(1, opts.deadlineMs) };
    const call = client[method]!(req, new grpc.Metadata(), callOpts, (err: grpc.ServiceError | null, res: Res) => (err ? reject(err) : resolve(res)));
    opts.onCall?.(call as grpc.ClientUnaryCall);
  });
}

/** A google.protobuf.Timestamp for now. */
export function timestampNow(): { seconds: number; nanos: number } {
  const ms = Date.now();
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

export function isServiceError(e: unknown): e is grpc.ServiceError {
  return e instanceof Error && typeof (e as grpc.ServiceError).code === 'number';
}
