import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import * as grpc from '@grpc/grpc-js';
import { CONNECT_RETRY, connectRetryDelayMs } from './backoff.js';
import { PoolError, PoolErrorCode } from './errors.js';
import { formatAddress } from './grpc-server.js';
import { createBridgeClient, isServiceError, unary } from './proto.js';
import type { BridgeClient } from './proto.js';
import { readReadyFile, readyFilePath, removeReadyFile } from './ready-file.js';

export interface SpawnSpec {
  workerId: string;
  /** Program and its leading arguments, e.g. [node, --import, tsx, worker-main.ts]. */
  command: readonly string[];
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  host: string;
  readyTimeoutMs: number;
  readyPollMs: number;
  connectAttempts: number;
  maxMessageBytes?: number;
  onOutput?: (stream: 'stdout' | 'stderr', text: string) => void;
  onSpawn?: (pid: number) => void;
  /** Aborting kills a worker that is still starting (the pool is closing). */
  signal?: AbortSignal;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface WorkerProcess {
  readonly workerId: string;
  readonly pid: number;
  readonly port: number;
  readonly address: string;
  readonly client: BridgeClient;
  /** performance.now() at spawn and when connected. */
  readonly spawnedAt: number;
  readonly readyAt: number;
  readonly exited: Promise<ExitInfo>;
  alive(): boolean;
  /** Signals the worker's process group (the worker and anything it started). */
  signal(sig: NodeJS.Signals): void;
  /** SIGTERM, then SIGKILL after graceMs; resolves once it has exited. */
  stop(graceMs: number): Promise<ExitInfo>;
}

/** "exited with status 3" / "was killed by SIGKILL". */
export function describeExit(e: ExitInfo): string {
  return e.signal ? `was killed by ${e.signal}` : `exited with status ${e.code}`;
}

/** Exit 0 or 143 (SIGTERM) during start-up means shutdown; anything else is an error. */
export function isShutdownExit(e: ExitInfo): boolean {
  return e.code === 0 || e.code === 143 || e.signal === 'SIGTERM';
}

/** The whole process group, even after its leader exited (what it started may still run). */
function signalGroup(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, sig);
  } catch {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
  }
}

/**
 * Spawns one worker and runs the contract's handshake: the ready file is checked every
 * readyPollMs and whenever the process writes output, until readyTimeoutMs; empty or non-integer
 * content is "not ready yet"; the file is deleted once read; then up to connectAttempts connects
 * (retrying refused/unavailable/internal/timeout). On any failure the process is killed first.
 */
export async function startWorkerProcess(spec: SpawnSpec): Promise<WorkerProcess> {
  const [program, ...lead] = spec.command;
  if (!program) throw new PoolError(PoolErrorCode.BadOption, 'the worker command is empty', 'set command to e.g. [node, worker.js]');
  const readyFile = readyFilePath(spec.workerId);
  const spawnedAt = performance.now();
  const child = spawn(program, [...lead, ...spec.args], {
    env: { ...spec.env, SNAKEPIT_READY_FILE: readyFile }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  if (child.pid !== undefined) spec.onSpawn?.(child.pid);
  let tail = '';
  let poke: () => void = () => undefined;
  const onData = (stream: 'stdout' | 'stderr') => (d: Buffer) => {
    const text = d.toString();
    tail = (tail + text).slice(-2000);
    spec.onOutput?.(stream, text);
    poke();
  };
  child.stdout?.on('data', onData('stdout'));
  child.stderr?.on('data', onData('stderr'));
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: child.exitCode ?? -1, signal: null }));
  });
  let exit: ExitInfo | undefined;
  void exited.then((e) => {
    exit = e;
    poke();
  });
  const name = `worker ${spec.workerId} (pid ${child.pid ?? '?'}, ${[program, ...lead].join(' ')})`;
  const fail = async (code: PoolErrorCode, message: string, hint: string): Promise<never> => {
    signalGroup(child, 'SIGKILL');
    await Promise.race([exited, sleep(2000)]);
    await removeReadyFile(readyFile);
    throw new PoolError(code, `${name} ${message}${tail.trim() ? `; last output: ${tail.trim().slice(-500)}` : ''}`, hint, { details: { workerId: spec.workerId, pid: child.pid, exit } });
  };

  // Ready file: poll every readyPollMs and on output, until it holds a port or the process exits.
  const deadline = spawnedAt + spec.readyTimeoutMs;
  let port: number | null = null;
  // Removed once the ready file is read: the pool's one signal outlives every worker generation, and
  // a listener left per start grew without bound under recycling (MaxListenersExceededWarning at 16).
  const onAbort = () => poke();
  spec.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    while (port === null) {
      if (spec.signal?.aborted) return fail(PoolErrorCode.WorkerShutdown, 'was stopped during start-up: the pool is closing', 'nothing to do');
      if (exit) {
        if (isShutdownExit(exit)) return fail(PoolErrorCode.WorkerShutdown, `${describeExit(exit)} (shutdown) during start-up`, 'the worker was stopped while starting; start the pool again');
        return fail(PoolErrorCode.WorkerStartup, `${describeExit(exit)} during start-up`, 'run the worker command by hand to see why it fails');
      }
      const left = deadline - performance.now();
      if (left <= 0) return fail(PoolErrorCode.StartupTimeout, `wrote no port to its ready file within ${spec.readyTimeoutMs} ms`, 'check the worker follows the handshake (SNAKEPIT_READY_FILE), or raise readyTimeoutMs');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(spec.readyPollMs, left));
        poke = () => {
          clearTimeout(t);
          resolve();
        };
      });
      poke = () => undefined;
      port = await readReadyFile(readyFile);
    }
  } finally {
    spec.signal?.removeEventListener('abort', onAbort);
  }
  await removeReadyFile(readyFile);

  const address = formatAddress(spec.host, port);
  const client = createBridgeClient(address, spec.maxMessageBytes);
  for (let attempt = 0; ; attempt++) {
    try {
      await unary(client, 'Ping', { message: 'connect' }, { deadlineMs: 1000 });
      break;
    } catch (e) {
      const retry = isServiceError(e) && [grpc.status.UNAVAILABLE, grpc.status.INTERNAL, grpc.status.DEADLINE_EXCEEDED].includes(e.code);
      if (!retry) break; // the server answered (e.g. UNIMPLEMENTED): connected
      if (exit || attempt + 1 >= spec.connectAttempts) {
        client.close();
        return fail(PoolErrorCode.Connect, `announced port ${port} but ${address} could not be reached (${e.details})`, 'make the worker bind the host the pool connects to (127.0.0.1)');
      }
      await sleep(connectRetryDelayMs(attempt));
    }
  }
  const readyAt = performance.now();
  void exited.then(() => client.close());
  return {
    workerId: spec.workerId, pid: child.pid!, port, address, client, spawnedAt, readyAt, exited,
    alive: () => exit === undefined,
    signal: (sig) => signalGroup(child, sig),
    async stop(graceMs) {
      signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
      const e = await exited;
      clearTimeout(timer);
      return e;
    },
  };
}

export const DEFAULT_CONNECT_ATTEMPTS = CONNECT_RETRY.attempts;
