import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { RETRY_BACKOFF_MS } from './backoff.js';
import { PoolError, PoolErrorCode } from './errors.js';
import { LOOPBACK } from './grpc-server.js';
import { HEARTBEAT_DEFAULTS } from './heartbeat-config.js';
import type { HeartbeatOptions } from './heartbeat-config.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './proto.js';
import { timeoutProfile } from './timeouts.js';
import type { TimeoutProfile, TimeoutProfileName } from './timeouts.js';
import type { SessionMode } from './worker-service.js';
import { DEFAULT_CONNECT_ATTEMPTS } from './worker-process.js';

export type StartupStrategy = 'concurrent' | 'sequential' | 'batch';
export type AffinityMode = 'hint' | 'strict_queue' | 'strict_fail_fast';

export interface PoolOptions {
  /** Workers; default schedulers × 2 (availableParallelism() × 2), capped by maxWorkers (150). */
  size?: number;
  maxWorkers?: number;
  /** Worker program and leading args; default this package's worker-main.ts under tsx. */
  command?: readonly string[];
  /** Appended after the contract's --adapter/--port/--elixir-address/--snakepit-run-id/--worker-id. */
  workerArgs?: readonly string[];
  workerEnv?: Record<string, string>;
  /** The pool's BridgeService: default 127.0.0.1:0. */
  host?: string;
  port?: number;
  maxMessageBytes?: number;
  /** Default batch (the contract's code): startupBatchSize 10, startupBatchDelayMs 500. */
  startup?: StartupStrategy;
  startupBatchSize?: number;
  startupBatchDelayMs?: number;
  /** grpc_server_ready_timeout, default 30000; ready file polled every readyPollMs (50) and on output. */
  readyTimeoutMs?: number;
  readyPollMs?: number;
  connectAttempts?: number;
  /** pool_max_queue_size, default 1000. */
  maxQueue?: number;
  timeoutProfile?: TimeoutProfileName;
  /** Overrides the profile's queue timeout. */
  queueTimeoutMs?: number;
  affinity?: AffinityMode;
  affinityTtlMs?: number;
  /** The pool's heartbeat monitor, and the workers' SNAKEPIT_HEARTBEAT_CONFIG unless workerHeartbeat is given. */
  heartbeat?: Partial<HeartbeatOptions>;
  workerHeartbeat?: Partial<HeartbeatOptions>;
  workerTtlMs?: number | 'infinity';
  workerMaxRequests?: number | 'infinity';
  memoryThresholdMb?: number;
  /** TTL and memory checks; default 60000. */
  recycleCheckMs?: number;
  restartBackoffMs?: readonly number[];
  /** Tries on another worker when a worker is lost mid-call; default 3, backoff retryBackoffMs. */
  callRetries?: number;
  retryBackoffMs?: readonly number[];
  /** graceful shutdown, default 6000. */
  shutdownTimeoutMs?: number;
  /** Passed to workers as WB_GRPC_SESSION_MODE; default faithful. */
  sessionMode?: SessionMode;
  logLevel?: string;
  runId?: string;
  onWorkerOutput?: (workerId: string, stream: 'stdout' | 'stderr', text: string) => void;
}

export interface ResolvedPoolOptions extends Required<Omit<PoolOptions, 'heartbeat' | 'workerHeartbeat' | 'workerTtlMs' | 'workerMaxRequests' | 'memoryThresholdMb' | 'queueTimeoutMs' | 'timeoutProfile' | 'onWorkerOutput'>> {
  heartbeat: HeartbeatOptions;
  workerHeartbeat: HeartbeatOptions;
  workerTtlMs: number;
  workerMaxRequests: number;
  memoryThresholdMb: number;
  queueTimeoutMs: number;
  profile: TimeoutProfile;
  onWorkerOutput: PoolOptions['onWorkerOutput'];
}

export const WORKER_MAIN_PATH = fileURLToPath(new URL('./worker-main.ts', import.meta.url));

/** node --import <tsx> worker-main.ts, with tsx resolved from this package (works from any cwd). */
export function defaultWorkerCommand(main = WORKER_MAIN_PATH): string[] {
  let tsx = 'tsx';
  try {
    tsx = import.meta.resolve('tsx');
  } catch {
    // fall back to resolution from the cwd
  }
  return [process.execPath, '--import', tsx, main];
}

function bad(message: string, hint: string, reason?: string): PoolError {
  return new PoolError(PoolErrorCode.BadOption, message, hint, reason ? { reason } : {});
}

function positiveInt(name: string, v: number, min = 1): number {
  if (!Number.isInteger(v) || v < min) throw bad(`${name} must be an integer >= ${min}, got ${v}`, `fix ${name}`);
  return v;
}

function limit(name: string, v: number | 'infinity' | undefined, reason: string): number {
  if (v === undefined || v === 'infinity') return Infinity;
  if (typeof v !== 'number' || !(v > 0)) throw bad(`${name} must be 'infinity' or a positive number, got ${JSON.stringify(v)}`, `fix ${name}`, reason);
  return v;
}

export function resolvePoolOptions(o: PoolOptions): ResolvedPoolOptions {
  const maxWorkers = positiveInt('maxWorkers', o.maxWorkers ?? 150);
  const size = Math.min(positiveInt('size', o.size ?? availableParallelism() * 2), maxWorkers);
  const startup = o.startup ?? 'batch';
  if (!['concurrent', 'sequential', 'batch'].includes(startup)) throw bad(`startup must be concurrent, sequential or batch, got ${JSON.stringify(startup)}`, 'fix startup');
  const affinity = o.affinity ?? 'hint';
  if (!['hint', 'strict_queue', 'strict_fail_fast'].includes(affinity)) throw bad(`affinity must be hint, strict_queue or strict_fail_fast, got ${JSON.stringify(affinity)}`, 'fix affinity');
  const profile = timeoutProfile(o.timeoutProfile ?? 'balanced');
  const heartbeat = { ...HEARTBEAT_DEFAULTS, ...o.heartbeat };
  const workerMaxRequests = limit('workerMaxRequests', o.workerMaxRequests, 'invalid_worker_max_requests');
  if (workerMaxRequests !== Infinity) positiveInt('workerMaxRequests', workerMaxRequests);
  return {
    size, maxWorkers, startup, affinity, profile, heartbeat,
    command: o.command ?? defaultWorkerCommand(),
    workerArgs: o.workerArgs ?? [],
    workerEnv: o.workerEnv ?? {},
    host: o.host ?? LOOPBACK,
    port: o.port ?? 0,
    maxMessageBytes: o.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    startupBatchSize: positiveInt('startupBatchSize', o.startupBatchSize ?? 10),
    startupBatchDelayMs: o.startupBatchDelayMs ?? 500,
    readyTimeoutMs: o.readyTimeoutMs ?? 30_000,
    readyPollMs: Math.min(o.readyPollMs ?? 50, 50),
    connectAttempts: positiveInt('connectAttempts', o.connectAttempts ?? DEFAULT_CONNECT_ATTEMPTS),
    maxQueue: positiveInt('maxQueue', o.maxQueue ?? 1000, 0),
    queueTimeoutMs: o.queueTimeoutMs ?? profile.queueMs,
    affinityTtlMs: o.affinityTtlMs ?? 60_000,
    workerHeartbeat: { ...heartbeat, ...o.workerHeartbeat },
    workerTtlMs: limit('workerTtlMs', o.workerTtlMs, 'invalid_worker_ttl'),
    workerMaxRequests,
    memoryThresholdMb: o.memoryThresholdMb ?? Infinity,
    recycleCheckMs: o.recycleCheckMs ?? 60_000,
    restartBackoffMs: o.restartBackoffMs ?? RETRY_BACKOFF_MS,
    callRetries: positiveInt('callRetries', o.callRetries ?? 3, 0),
    retryBackoffMs: o.retryBackoffMs ?? RETRY_BACKOFF_MS,
    shutdownTimeoutMs: o.shutdownTimeoutMs ?? 6000,
    sessionMode: o.sessionMode ?? 'faithful',
    logLevel: o.logLevel ?? 'warning',
    runId: o.runId ?? `wb${process.pid}`,
    onWorkerOutput: o.onWorkerOutput,
  };
}
