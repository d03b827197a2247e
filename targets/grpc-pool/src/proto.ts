import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import type * as protoLoader from '@grpc/proto-loader';
import type * as Protobuf from 'protobufjs';
// `light` leaves the .proto parser out. A static import, so bundles (the images') carry it.
import protobuf from 'protobufjs/light.js';
import { BRIDGE_DESCRIPTOR } from './bridge-descriptor.js';

/** The contract's service, as a .proto file in this package. */
export const PROTO_PATH = fileURLToPath(new URL('../proto/snakepit_bridge.proto', import.meta.url));
export const SERVICE_NAME = 'snakepit.bridge.BridgeService';

/** snake_case fields as on the wire; int64 as JS numbers; every field present (proto3 defaults). */
export const LOADER_OPTIONS: protoLoader.Options = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true };

/** The contract's 100 MiB message limits (grpc_server.py). */
export const DEFAULT_MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

export interface Bridge {
  service: grpc.ServiceDefinition;
  Client: grpc.ServiceClientConstructor;
}

let cached: Bridge | undefined;

/**
 * The service from the descriptor generated at build time (scripts/descriptor.mjs), read with
 * protobufjs/light: no .proto parsing and none of proto-loader's reflection descriptors at every
 * process start, which were ~50 ms of CPU of each worker's start-up (README: "proto-loader, not
 * static code"). Serializers do what proto-loader's do (fromObject → encode; decode → toObject
 * with LOADER_OPTIONS), so messages look the same to handlers and to proto-loader clients.
 */
export function loadBridge(): Bridge {
  if (cached) return cached;
  const root = protobuf.Root.fromJSON(BRIDGE_DESCRIPTOR as Protobuf.INamespace);
  const svc = root.lookupService(SERVICE_NAME);
  svc.resolveAll();
  // In Node protobufjs writes into a Buffer (BufferWriter), as proto-loader hands grpc-js.
  const serializer = (t: Protobuf.Type) => (arg: object) => t.encode(t.fromObject(arg)).finish() as Buffer;
  const deserializer = (t: Protobuf.Type) => (buf: Buffer) => t.toObject(t.decode(buf), LOADER_OPTIONS as Protobuf.IConversionOptions);
  const service: Record<string, grpc.MethodDefinition<object, object>> = {};
  for (const m of svc.methodsArray) {
    const req = m.resolvedRequestType!;
    const res = m.resolvedResponseType!;
    service[m.name] = {
      path: `/${SERVICE_NAME}/${m.name}`, requestStream: !!m.requestStream, responseStream: !!m.responseStream,
      requestSerialize: serializer(req), requestDeserialize: deserializer(req),
      responseSerialize: serializer(res), responseDeserialize: deserializer(res),
      originalName: m.name.charAt(0).toLowerCase() + m.name.slice(1),
    };
  }
  cached = { service: service as grpc.ServiceDefinition, Client: grpc.makeGenericClientConstructor(service, SERVICE_NAME) };
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
