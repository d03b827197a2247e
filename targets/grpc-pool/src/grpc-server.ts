import * as grpc from '@grpc/grpc-js';
import { PoolError, PoolErrorCode } from './errors.js';
import { loadBridge, messageSizeOptions } from './proto.js';

export const LOOPBACK = '127.0.0.1';

/** `host:port`, IPv6 hosts in brackets. */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A grpc-js server serving BridgeService with the given handlers (missing ones answer UNIMPLEMENTED). */
export function createBridgeServer(handlers: grpc.UntypedServiceImplementation, maxMessageBytes?: number): grpc.Server {
  const server = new grpc.Server(messageSizeOptions(maxMessageBytes));
  server.addService(loadBridge().service, handlers);
  return server;
}

/** Binds host:port (0 = OS-assigned) and resolves the real port. */
export function bindServer(server: grpc.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(formatAddress(host, port), grpc.ServerCredentials.createInsecure(), (err, bound) => {
      if (err) reject(new PoolError(PoolErrorCode.Bind, `cannot bind ${formatAddress(host, port)}: ${err.message}`, 'pick a free port (0 lets the OS choose) or another host'));
      else resolve(bound);
    });
  });
}

/** Lets in-flight calls finish for up to graceMs, then cancels what is left. */
export function shutdownServer(server: grpc.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
