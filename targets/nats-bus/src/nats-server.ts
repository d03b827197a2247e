/**
 * A real nats-server for tests and harnesses: on loopback, JetStream on (store in a temp folder unless
 * given), the monitoring port on (/varz). Fails at once, with WB_ERR_NATS_SERVER_MISSING, when there is
 * no nats-server binary; never waits on one that will not come up.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BusError, BusErrorCode } from './errors.js';

/** Debian puts nats-server in /usr/sbin, which a non-root PATH often lacks. */
const SBIN_DIRS = ['/usr/local/sbin', '/usr/sbin', '/sbin'];
export const NATS_SERVER_INSTALL_HINT = 'install it: apt-get install -y nats-server (or set WB_NATS_SERVER to its path)';

/** The nats-server executable: `WB_NATS_SERVER`, else `nats-server` on PATH or in the sbin folders. */
export function findNatsServer(name: string = process.env.WB_NATS_SERVER || 'nats-server'): string {
  const candidates = isAbsolute(name) || name.includes('/')
    ? [name]
    : [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...SBIN_DIRS].map((dir) => join(dir, name));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // next
    }
  }
  throw new BusError(BusErrorCode.NatsServerMissing, `${name} not found on PATH or in ${SBIN_DIRS.join(', ')}`, NATS_SERVER_INSTALL_HINT);
}

export interface NatsServerCommandOptions {
  /** Client port; -1 lets nats-server choose (read it from the ports file). */
  port: number;
  /** Monitoring (HTTP) port, for /varz; -1 lets nats-server choose; omitted: no monitoring. */
  monitorPort?: number;
  host?: string;
  jetstream?: boolean;
  /** JetStream store folder; required with jetstream. */
  storeDir?: string;
  /** nats-server writes `nats-server_<pid>.ports` (JSON with the real ports) here. */
  portsFileDir?: string;
  /** The executable; default findNatsServer(). */
  command?: string;
}

/** The command line to start nats-server as a child process (what a benchmark harness runs itself). */
export function natsServerCommand(o: NatsServerCommandOptions): { command: string; args: string[] } {
  const args = ['-a', o.host ?? '127.0.0.1', '-p', String(o.port)];
  if (o.monitorPort !== undefined) args.push('-m', String(o.monitorPort));
  if (o.jetstream) {
    if (!o.storeDir) throw new BusError(BusErrorCode.BadOption, 'jetstream needs a storeDir', 'pass storeDir (a folder nats-server may write)');
    args.push('-js', '-sd', o.storeDir);
  }
  if (o.portsFileDir) args.push('--ports_file_dir', o.portsFileDir);
  return { command: o.command ?? findNatsServer(), args };
}

/** Resolves once something on host:port speaks NATS (sends its INFO line); rejects after timeoutMs. */
export async function waitForNats(port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, host);
      const done = (v: boolean) => {
        s.destroy();
        resolve(v);
      };
      s.setTimeout(1000, () => done(false));
      s.once('data', (d: Buffer) => done(d.toString('latin1').startsWith('INFO ')));
      s.once('error', () => done(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new BusError(BusErrorCode.NatsServerStart, `nothing answered as NATS on ${host}:${port} within ${timeoutMs} ms`, 'is nats-server running there?');
    await sleep(25);
  }
}

export interface StartNatsServerOptions {
  jetstream?: boolean;
  /** Kept as given; when omitted (and jetstream is on) a temp folder is made and removed on stop(). */
  storeDir?: string;
  /** Default: a free one chosen by nats-server. */
  port?: number;
  monitorPort?: number;
  startTimeoutMs?: number;
  /** The executable or its name; default WB_NATS_SERVER or `nats-server`. */
  command?: string;
}

export interface NatsServer {
  readonly url: string;
  readonly port: number;
  readonly monitorUrl: string;
  readonly monitorPort: number;
  readonly storeDir: string | null;
  readonly pid: number;
  /** GET /varz. */
  varz(): Promise<Record<string, unknown>>;
  /** SIGKILL, no clean-up (a crash); restart() or stop() afterwards. */
  kill(): Promise<void>;
  /** Stops (SIGTERM) if running and starts again on the same ports and store. */
  restart(): Promise<void>;
  /** SIGTERM (SIGKILL after 5 s), then removes the temp folders it made. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function end(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited(child);
  clearTimeout(timer);
}

interface Running {
  child: ChildProcess;
  port: number;
  monitorPort: number;
}

async function launch(command: string, o: NatsServerCommandOptions & { portsFileDir: string }, timeoutMs: number): Promise<Running> {
  const { args } = natsServerCommand({ ...o, command });
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (c: string) => (log = (log + c).slice(-4000)));
  const lastLines = () => log.trim().split('\n').slice(-3).join(' | ');
  const spawnError = new Promise<never>((_, reject) => child.once('error', (e) => reject(new BusError(BusErrorCode.NatsServerMissing, `cannot run ${command} (${e.message})`, NATS_SERVER_INSTALL_HINT, e))));
  spawnError.catch(() => {});
  const until = Date.now() + timeoutMs;
  try {
    const file = join(o.portsFileDir, `${command.split('/').pop()}_${child.pid}.ports`);
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new BusError(BusErrorCode.NatsServerStart, `nats-server exited (${child.exitCode ?? child.signalCode}) before it was ready: ${lastLines()}`, 'read its log line above; a port in use or an unwritable store folder are the usual causes');
      }
      if (existsSync(file)) {
        const ports = JSON.parse(readFileSync(file, 'utf8')) as { nats?: string[]; monitoring?: string[] };
        const port = Number(new URL(ports.nats?.[0] ?? 'nats://x:0').port);
        const monitorPort = Number(new URL(ports.monitoring?.[0] ?? 'http://x:0').port);
        await Promise.race([waitForNats(port, '127.0.0.1', Math.max(until - Date.now(), 1)), spawnError]);
        return { child, port, monitorPort };
      }
      if (Date.now() > until) throw new BusError(BusErrorCode.NatsServerStart, `nats-server was not ready within ${timeoutMs} ms: ${lastLines()}`, 'the machine may be overloaded; raise startTimeoutMs');
      await Promise.race([sleep(20), spawnError]);
    }
  } catch (err) {
    await end(child, 'SIGKILL');
    throw err;
  }
}

export async function startNatsServer(opts: StartNatsServerOptions = {}): Promise<NatsServer> {
  const command = findNatsServer(opts.command);
  const timeoutMs = opts.startTimeoutMs ?? 10_000;
  const made: string[] = [];
  const temp = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
  const storeDir = opts.jetstream ? opts.storeDir ?? temp('wb-nats-store-') : null;
  const portsFileDir = temp('wb-nats-ports-');
  const base = { jetstream: opts.jetstream ?? false, storeDir: storeDir ?? undefined, portsFileDir };
  const removeTemp = () => made.forEach((d) => rmSync(d, { recursive: true, force: true }));
  let run: Running;
  try {
    run = await launch(command, { ...base, port: opts.port ?? -1, monitorPort: opts.monitorPort ?? -1 }, timeoutMs);
  } catch (err) {
    removeTemp();
    throw err;
  }
  const { port, monitorPort } = run;
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    monitorUrl: `http://127.0.0.1:${monitorPort}`,
    monitorPort,
    storeDir,
    get pid() {
      return run.child.pid ?? -1;
    },
    async varz() {
      const r = await fetch(`http://127.0.0.1:${monitorPort}/varz`);
      return (await r.json()) as Record<string, unknown>;
    },
    async kill() {
      await end(run.child, 'SIGKILL');
    },
    async restart() {
      await end(run.child, 'SIGTERM');
      run = await launch(command, { ...base, port, monitorPort }, timeoutMs);
    },
    async stop() {
      await end(run.child, 'SIGTERM');
      removeTemp();
    },
  };
}
