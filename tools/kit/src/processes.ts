import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { sleep } from './clock.js';
import { WbError } from './errors.js';

export type Readiness =
  | { line: RegExp }
  | { port: number; host?: string }
  | { check: () => Promise<boolean> };

export interface TargetSpec {
  /** Name in results and logs, e.g. 'broker', 'worker-1'. */
  role: string;
  /** A TypeScript/JavaScript file run with this node, tsx and the kit's probe. */
  script?: string;
  /** Or any other command. */
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  ready: Readiness;
  readyTimeoutMs?: number;
  /** How long a graceful stop may take before SIGKILL. */
  stopTimeoutMs?: number;
}

export interface ProbeSample {
  eldP50Ms: number;
  eldP99Ms: number;
  eldMaxMs: number;
  elu: number;
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
  heapUsedMb: number;
}

const PROBE = fileURLToPath(new URL('./probe.ts', import.meta.url));

/** Every child of this kit process, across all Processes instances, for the last-resort exit hook. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // the whole group: a target's own children go too
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const c of live) killGroup(c, 'SIGKILL');
  });
}

/** A started target process. */
export class Target {
  readonly role: string;
  child: ChildProcess;
  /** The readiness line's match (e.g. the URL a target printed), when readiness was a line. */
  readyMatch: RegExpMatchArray | null = null;
  /** Last lines of stdout and stderr, for error messages. */
  readonly tail: string[] = [];
  latestProbe: ProbeSample | null = null;
  private readonly lineListeners = new Set<(line: string) => void>();
  private exitedPromise!: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  constructor(private readonly spec: TargetSpec, private readonly onRestart: (t: Target) => void) {
    this.role = spec.role;
    this.child = this.spawnChild();
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exitedPromise;
  }

  private spawnChild(): ChildProcess {
    const s = this.spec;
    const [cmd, args] = s.script
      ? [process.execPath, ['--import', 'tsx', '--import', PROBE, s.script, ...(s.args ?? [])]]
      : [s.command ?? '', s.args ?? []];
    if (!cmd) throw new WbError('WB_ERR_TARGET_START', `target ${s.role}: give a script or a command`);
    const child = spawn(cmd, args, {
      cwd: s.cwd,
      env: { ...process.env, ...s.env },
      stdio: s.script ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
      detached: true, // own process group, so stop/kill reaches grandchildren
    });
    installExitHook();
    live.add(child);
    this.exitInfo = null;
    this.tail.length = 0; // a restart must not find the previous process's readiness line
    this.readyMatch = null;
    this.latestProbe = null;
    this.exitedPromise = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(child);
        this.exitInfo = { code, signal };
        resolve({ code, signal });
      });
      child.once('error', () => {
        live.delete(child);
        this.exitInfo = { code: -1, signal: null };
        resolve({ code: -1, signal: null });
      });
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        this.tail.push(line);
        if (this.tail.length > 50) this.tail.shift();
        for (const l of this.lineListeners) l(line);
      });
    }
    child.on('message', (m: unknown) => {
      if (m && typeof m === 'object' && (m as { wirebenchProbe?: number }).wirebenchProbe === 1) {
        this.latestProbe = m as ProbeSample;
      }
    });
    return child;
  }

  /** Resolves once the target is ready; rejects with the target's last output if it exits or times out. */
  async waitReady(): Promise<void> {
    const timeoutMs = this.spec.readyTimeoutMs ?? 15_000;
    const ready = this.spec.ready;
    const deadline = Date.now() + timeoutMs;
    const fail = (why: string): WbError =>
      new WbError(
        'WB_ERR_TARGET_START',
        `target ${this.role} ${why}; last output: ${this.tail.slice(-5).join(' | ') || '(none)'}`,
      );
    if ('line' in ready) {
      const re = ready.line;
      const already = this.tail.map((l) => l.match(re)).find((m) => m);
      if (already) {
        this.readyMatch = already;
        return;
      }
      await new Promise<void>((resolve, reject) => {
        const onLine = (line: string): void => {
          const m = line.match(re);
          if (m) {
            this.readyMatch = m;
            done();
          }
        };
        const timer = setTimeout(() => done(fail(`was not ready within ${timeoutMs} ms`)), timeoutMs);
        const onExit = (): void => done(fail('exited before it was ready'));
        const done = (err?: Error): void => {
          clearTimeout(timer);
          this.lineListeners.delete(onLine);
          this.child.off('exit', onExit);
          if (err) reject(err);
          else resolve();
        };
        this.child.once('exit', onExit);
        this.lineListeners.add(onLine);
      });
      return;
    }
    const probe = 'port' in ready ? () => portOpen(ready.port, ready.host ?? '127.0.0.1') : ready.check;
    while (Date.now() < deadline) {
      if (this.exitInfo) throw fail('exited before it was ready');
      if (await probe().catch(() => false)) return;
      await sleep(25);
    }
    throw fail(`was not ready within ${timeoutMs} ms`);
  }

  /** SIGTERM, then SIGKILL after the stop timeout. Resolves when the process has exited. */
  async stop(): Promise<void> {
    if (this.exitInfo) return;
    killGroup(this.child, 'SIGTERM');
    const timeoutMs = this.spec.stopTimeoutMs ?? 5000;
    const t = setTimeout(() => killGroup(this.child, 'SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(t);
    killGroup(this.child, 'SIGKILL'); // stragglers in the group
  }

  /** kill -9, for fault scenarios. */
  async kill(): Promise<void> {
    if (this.exitInfo) return;
    killGroup(this.child, 'SIGKILL');
    await this.exited;
  }

  /** Starts the same spec again (after stop or kill) and waits until it is ready. */
  async restart(): Promise<void> {
    if (!this.exitInfo) await this.stop();
    this.child = this.spawnChild();
    this.onRestart(this);
    await this.waitReady();
  }
}

function portOpen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Process control for a scenario: start targets, wait for readiness, stop or kill them. Everything
 * started here is stopped by `stopAll`, and killed by the exit hook if the kit dies first.
 */
export class Processes {
  readonly targets: Target[] = [];
  /** Called with each (re)started target, so the sampler can follow new pids. */
  onStart: (t: Target) => void = () => {};

  async start(spec: TargetSpec): Promise<Target> {
    const t = new Target(spec, (r) => this.onStart(r));
    this.targets.push(t);
    this.onStart(t);
    try {
      await t.waitReady();
    } catch (err) {
      await t.kill();
      throw err;
    }
    return t;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.targets.map((t) => t.stop()));
  }

  killAllSync(): void {
    for (const t of this.targets) killGroup(t.child, 'SIGKILL');
  }
}
