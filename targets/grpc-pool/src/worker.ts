import { setTimeout as sleep } from 'node:timers/promises';
import type * as grpc from '@grpc/grpc-js';
import { CONNECTION_TEST, connectionTestDelayMs } from './backoff.js';
import type { ConnectionTestOptions } from './backoff.js';
import { PoolError, PoolErrorCode } from './errors.js';
import { bindServer, createBridgeServer, formatAddress, LOOPBACK, shutdownServer } from './grpc-server.js';
import { parseHeartbeatEnv } from './heartbeat-config.js';
import type { HeartbeatOptions } from './heartbeat-config.js';
import { createBridgeClient, isServiceError, unary } from './proto.js';
import type { BridgeClient } from './proto.js';
import { writeReadyFile } from './ready-file.js';
import { createWorkerService } from './worker-service.js';
import type { SessionMode, WorkerServiceStats } from './worker-service.js';

export interface WorkerOptions {
  /** The pool's BridgeService (`--elixir-address`), host:port. */
  poolAddress: string;
  /** Bind host; default 127.0.0.1 (the Python worker binds [::]). */
  host?: string;
  /** Default 0: OS-assigned. */
  port?: number;
  workerId?: string;
  /** Where to announce the port; default env SNAKEPIT_READY_FILE; null = none. */
  readyFile?: string | null;
  /** Default: env SNAKEPIT_HEARTBEAT_CONFIG over the contract's defaults (on even without it). */
  heartbeat?: HeartbeatOptions;
  /** Default: env WB_GRPC_SESSION_MODE, else faithful. */
  sessionMode?: SessionMode;
  maxMessageBytes?: number;
  /** The connection_test backoff (contract: 60 attempts, 50 ms doubling to 2 s, 1 s timeout). */
  connectionTest?: ConnectionTestOptions;
  /** Runs when a `dependent` heartbeat loop misses too many heartbeats. Default: dependentShutdown. */
  onHeartbeatThreshold?: (sessionId: string, missed: number) => void;
}

export interface GrpcWorker {
  readonly address: string;
  readonly port: number;
  readonly workerId: string;
  readonly sessionMode: SessionMode;
  stats(): WorkerServiceStats;
  /** Stops heartbeats, lets in-flight calls finish for up to graceMs (default 6000), closes. */
  close(graceMs?: number): Promise<void>;
}

/** The contract's dependent shutdown: SIGTERM to itself; exit 70 if still alive 5 s later. */
export function dependentShutdown(): void {
  setTimeout(() => process.exit(70), 5000).unref();
  process.kill(process.pid, 'SIGTERM');
}

export function parseSessionMode(v: string | undefined): SessionMode {
  if (v === undefined || v === '' || v === 'faithful') return 'faithful';
  if (v === 'cached') return 'cached';
  throw new PoolError(PoolErrorCode.BadOption, `session mode must be faithful or cached, got ${JSON.stringify(v)}`, 'pass --session-mode faithful|cached');
}

/** Pings the pool with "connection_test" until it answers, with the contract's backoff. */
export async function waitForPool(client: BridgeClient, address: string, o: ConnectionTestOptions = CONNECTION_TEST): Promise<void> {
  let last = '';
  for (let attempt = 0; attempt < o.attempts; attempt++) {
    try {
      await unary(client, 'Ping', { message: 'connection_test' }, { deadlineMs: o.timeoutMs });
      return;
    } catch (e) {
      last = isServiceError(e) ? e.details : String(e);
    }
    if (attempt + 1 < o.attempts) await sleep(connectionTestDelayMs(attempt, o.initialDelayMs, o.maxDelayMs));
  }
  throw new PoolError(PoolErrorCode.ParentUnreachable, `the pool at ${address} did not answer Ping after ${o.attempts} attempts (${last})`, 'start the pool first, or fix --elixir-address');
}

/** A worker: connection_test to the pool, bind, serve, then the ready file (tmp, fsync, rename). */
export async function createWorker(opts: WorkerOptions): Promise<GrpcWorker> {
  const host = opts.host ?? LOOPBACK;
  const workerId = opts.workerId ?? `worker_${process.pid}`;
  const sessionMode = opts.sessionMode ?? parseSessionMode(process.env.WB_GRPC_SESSION_MODE);
  const pool = createBridgeClient(opts.poolAddress, opts.maxMessageBytes);
  let server: grpc.Server | undefined;
  try {
    await waitForPool(pool, opts.poolAddress, opts.connectionTest);
    const service = createWorkerService({
      workerId, sessionMode, pool,
      heartbeat: opts.heartbeat ?? parseHeartbeatEnv(process.env.SNAKEPIT_HEARTBEAT_CONFIG),
      onHeartbeatThreshold: opts.onHeartbeatThreshold ?? dependentShutdown,
    });
    server = createBridgeServer(service.handlers, opts.maxMessageBytes);
    const port = await bindServer(server, host, opts.port ?? 0);
    const readyFile = opts.readyFile === undefined ? process.env.SNAKEPIT_READY_FILE : opts.readyFile;
    if (readyFile) await writeReadyFile(readyFile, port);
    const srv = server;
    return {
      address: formatAddress(host, port), port, workerId, sessionMode,
      stats: service.stats,
      async close(graceMs = 6000) {
        service.close();
        await shutdownServer(srv, graceMs);
        pool.close();
      },
    };
  } catch (e) {
    server?.forceShutdown();
    pool.close();
    throw e;
  }
}
