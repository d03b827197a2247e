/**
 * Start-up drivers: one operation starts one process, and the kit times it from the operation's
 * start (just before spawn) to its handshake. The floor's operation is one bare node + grpc-js
 * process (READY line, then a gRPC connect as the pool makes to its workers); the pool's is a
 * whole pool-main, ready when it prints READY, with its workers' own spawn → ready times taken
 * from its events and cross-checked (startup-log.ts). Processes are stopped in close(), outside
 * the timed operations. Both sides run compiled under plain node, the pool's workers too
 * (`workerCommand`), so the ratio is the pool's work, not a loader's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { errorOutcome, OK, type Driver } from '@wirebench/kit';
import { bridgeClient, unary } from './rpc.js';
import { parseEventLine, startupRecord, type PoolEventLine, type StartupRecord } from './startup-log.js';

export interface StartupEnv {
  /** [node]: every main here is compiled JavaScript. */
  launcher: string[];
  /** How the pool launches its workers: [node, compiled worker-main]. */
  workerCommand: string[];
  bareProcessMain: string;
  poolMain: string;
}

/** Per arm, one record per pool started (in order: round after round). Main thread only (no isolate). */
export const startupLog = new Map<string, StartupRecord[]>();

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

// The system clock, as the pool's event times (nowMs): the two are compared across processes.
const epoch = () => Date.now();

export function start(cmd: string[], onLine: (l: string) => void): ChildProcess {
  const child = spawn(cmd[0]!, cmd.slice(1), { stdio: ['ignore', 'pipe', 'ignore'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  createInterface({ input: child.stdout! }).on('line', onLine);
  return child;
}

/** The first line matching `re`: among `lines` already read, or the next ones. */
export function waitLine(child: ChildProcess, re: RegExp, lines: readonly string[]): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const found = lines.map((l) => l.match(re)).find(Boolean);
    if (found) return resolve(found);
    const check = (l: string) => {
      const m = l.match(re);
      if (m) resolve(m);
    };
    child.stdout!.once('close', () => reject(new Error('exited before READY')));
    createInterface({ input: child.stdout! }).on('line', check);
  });
}

export async function stop(children: ChildProcess[]): Promise<void> {
  await Promise.all(children.map((c) => new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
    setTimeout(() => c.kill('SIGKILL'), 8000).unref();
  })));
}

/** The floor: each operation is one bare process (loads @grpc/grpc-js, binds a port), ready once it answers a gRPC call. */
export function bareProcessDriver(env: StartupEnv): Driver<ChildProcess[]> {
  return {
    open: () => [],
    async perform(kids) {
      const lines: string[] = [];
      const child = start([...env.launcher, env.bareProcessMain, '--port', '0'], (l) => lines.push(l));
      kids.push(child);
      let address: string;
      try {
        address = (await waitLine(child, /^READY bare-process (\S+)/, lines))[1]!;
      } catch {
        return errorOutcome('exited');
      }
      // The pool's handshake ends with a Ping that connects; a bare server answers UNIMPLEMENTED, which is connected too.
      const c = bridgeClient(address);
      try {
        await unary(c, 'Ping', { message: 'connect' }, 5000);
        return errorOutcome('unexpected_pong');
      } catch (e) {
        return (e as { code?: number }).code === 12 ? OK : errorOutcome('connect');
      } finally {
        c.close();
      }
    },
    close: (kids) => stop(kids),
  };
}

export interface PoolStart {
  arm: string;
  size: number;
  startup: 'concurrent' | 'sequential' | 'batch';
}

/** One operation = one pool-main of `size` workers, ready at its READY line; its events go to startupLog. */
export function poolStartDriver(env: StartupEnv, p: PoolStart): Driver<ChildProcess[]> {
  return {
    open: () => [],
    async perform(kids) {
      const events: PoolEventLine[] = [];
      const lines: string[] = [];
      const spawnedAt = epoch();
      const child = start([...env.launcher, env.poolMain, '--port', '0', '--worker-command', JSON.stringify(env.workerCommand), '--size', String(p.size), '--startup', p.startup, '--events', 'on', '--heartbeat', 'off'], (l) => {
        lines.push(l);
        const e = parseEventLine(l);
        if (e) events.push(e);
      });
      kids.push(child);
      try {
        await waitLine(child, /^READY pool (\S+)/, lines);
      } catch {
        return errorOutcome('exited');
      }
      const readyLineAt = epoch();
      const rec = startupRecord(p.arm, events, p.size, { spawnedAt, readyLineAt });
      const list = startupLog.get(p.arm) ?? [];
      list.push(rec);
      startupLog.set(p.arm, list);
      return rec.problems.length ? errorOutcome('pool_events_disagree') : OK;
    },
    close: (kids) => stop(kids),
  };
}
