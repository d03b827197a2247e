/** Shared fixtures for the tests (not part of the public API). */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import type * as grpc from '@grpc/grpc-js';
import { bindServer, createBridgeServer } from './grpc-server.js';
import type { HeartbeatOptions } from './heartbeat-config.js';
import { HEARTBEAT_DEFAULTS } from './heartbeat-config.js';
import { createPool } from './pool.js';
import type { Pool } from './pool.js';
import type { PoolOptions } from './pool-options.js';
import { createPoolService } from './pool-service.js';
import { SessionStore } from './sessions.js';
import { createWorker } from './worker.js';
import type { GrpcWorker, WorkerOptions } from './worker.js';

export const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

/** Heartbeats off: tests that are not about heartbeats do not race them. */
export const NO_HEARTBEAT: HeartbeatOptions = { ...HEARTBEAT_DEFAULTS, enabled: false };

/** Poll until check() is truthy; fail after limitMs (a liveness bound, not a speed claim). */
export async function eventually<T>(check: () => T | undefined | false | Promise<T | undefined | false>, limitMs = 15_000, what = 'condition'): Promise<T> {
  const until = Date.now() + limitMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`Timed out after ${limitMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * An in-process pool-side BridgeService (sessions, heartbeats, RegisterTools) with every call
 * counted by method; `wrap` may replace handlers (e.g. to stall them).
 */
export async function startPoolService(t: TestContext, wrap: (h: grpc.UntypedServiceImplementation) => grpc.UntypedServiceImplementation = (h) => h) {
  const store = new SessionStore();
  const calls: Record<string, number> = {};
  const base = createPoolService(store, () => undefined) as Record<string, (...a: any[]) => void>;
  const counted = Object.fromEntries(Object.entries(base).map(([k, fn]) => [k, (...a: any[]) => {
    calls[k] = (calls[k] ?? 0) + 1;
    fn(...a);
  }]));
  const server = createBridgeServer(wrap(counted as grpc.UntypedServiceImplementation));
  const port = await bindServer(server, '127.0.0.1', 0);
  t.after(() => server.forceShutdown());
  return { address: `127.0.0.1:${port}`, port, store, calls, server };
}

export async function startWorker(t: TestContext, o: WorkerOptions): Promise<GrpcWorker> {
  const w = await createWorker({ readyFile: null, heartbeat: NO_HEARTBEAT, onHeartbeatThreshold: () => undefined, ...o });
  t.after(() => w.close(100));
  return w;
}

/** A real pool of real worker processes, closed after the test. */
export async function startPool(t: TestContext, o: PoolOptions): Promise<Pool> {
  const pool = await createPool({ startup: 'concurrent', heartbeat: { enabled: false }, ...o });
  t.after(() => pool.close());
  return pool;
}

/**
 * A minimal handshake-only worker in plain JavaScript (no tsx, no proto): loads grpc-js, binds
 * 127.0.0.1:0, writes the ready file (tmp, fsync, rename). Start-up tests use it because it
 * starts in a fraction of a tsx worker's time; heartbeats must be off (it serves nothing).
 */
export const HANDSHAKE_WORKER_COMMAND = nodeScript(`
  const grpc = require(${JSON.stringify(fileURLToPath(import.meta.resolve('@grpc/grpc-js')))});
  const fs = require('fs');
  const server = new grpc.Server();
  server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) { console.error(err.message); process.exit(1); }
    const file = process.env.SNAKEPIT_READY_FILE;
    const fd = fs.openSync(file + '.tmp', 'w'); fs.writeSync(fd, String(port)); fs.fsyncSync(fd); fs.closeSync(fd);
    fs.renameSync(file + '.tmp', file);
  });
  process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
`);

/** node -e <script> as a worker command. */
export function nodeScript(script: string): string[] {
  // '--' ends node's own options: the pool's worker arguments follow.
  return [process.execPath, '-e', script, '--'];
}

export interface Main {
  child: ChildProcess;
  /** The READY line's words after "READY <name>". */
  words: string[];
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | string>;
}

/** Start src/<file> as a real child process and wait for its READY line. */
export async function startMain(t: TestContext, file: string, args: string[], env: NodeJS.ProcessEnv = process.env, limitMs = 30_000): Promise<Main> {
  const child = spawn(process.execPath, ['--import', 'tsx', here(file), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} printed no READY line in ${limitMs} ms: ${err}`)), limitMs);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^READY .*$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    void exited.then((c) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited (${c}) before READY: ${err}`));
    });
  });
  return { child, words: line.split(' ').slice(2), stdout: () => out, stderr: () => err, exited };
}
