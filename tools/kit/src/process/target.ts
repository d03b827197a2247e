import { ChildProcess, spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { sleep } from '../engine/clock.js';
import { WbError } from '../errors.js';
import { pinnedCommand } from './affinity.js';
import { groupAlive, installExitHook, killGroup, liveGroups } from './groups.js';
import { inOwnGroup } from './process-group.js';

export type Readiness =
  | { line: RegExp }
  | { port: number; host?: string }
  | { check: () => Promise<boolean> };

export interface TargetSpec {
  /** Name in results and logs, e.g. 'broker', 'worker-1'. */
  role: string;
  /** A TypeScript/JavaScript file run with this node, tsx and the kit's probe. */
  script?: string;
  /** Node flags for a script target, e.g. ['--expose-gc', '--max-old-space-size=256']. */
  nodeArgs?: string[];
  /** Or any other command. */
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  ready: Readiness;
  readyTimeoutMs?: number;
  /** How long a graceful stop may take before SIGKILL. */
  stopTimeoutMs?: number;
  /** Run on these CPUs only (taskset); default: the scenario's CPU plan, if it has one. */
  cpus?: number[];
}

export interface ProbeSample {
  eldP50Ms: number;
  eldP99Ms: number;
  eldMaxMs: number;
  elu: number;
  /** Since the target started (cumulative). */
  gcCount: number;
  gcTotalMs: number;
  /** Longest GC pause since the previous sample. */
  gcMaxMs: number;
  heapUsedMb: number;
}


/**
 * One script target of a scenario run under another command (a profiler: `wirebench profile`,
 * cli/profile.ts): spawned as `command(node argv)`, everything else (readiness, sampling, stop)
 * as usual. Such a target gets no IPC channel (a wrapper would hand the fd to the wrong process),
 * so no probe samples either.
 */
export interface TargetWrap {
  /** The role to wrap (or `<role>-<n>`, e.g. worker → worker-1); default: the first script target started. */
  role?: string;
  /** The wrapper's command line around the node one (`[process.execPath, ...nodeArgs, script, ...args]`). */
  command: (argv: string[], role: string) => string[];
  env?: Record<string, string>;
  /** The graceful stop signal (default SIGTERM) and how long it may take (a profiler writes its report then). */
  stopSignal?: NodeJS.Signals;
  stopTimeoutMs?: number;
  /** At least this long to become ready (a profiled start is slower). */
  readyTimeoutMs?: number;
  /** Every target this scenario starts, and whether it is the wrapped one. */
  onTarget?: (t: Target, wrapped: boolean) => void;
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
  /** Set when the target could not be started in the generator's session (see process-group.ts). */
  groupNote: string | null = null;
  /** Every probe sample since the last takeProbes(): arrival time (performance.now() ms) and the pid that sent it. */
  private probeQueue: Array<{ atMs: number; pid: number; p: ProbeSample }> = [];
  private readonly lineListeners = new Set<(line: string) => void>();
  private exitedPromise!: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private streamsEnded: Promise<unknown> = Promise.resolve();
  exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  /** Set by stop/kill/restart: an exit the kit (or a fault action) asked for. Any other exit is the target's own. */
  private exitExpected = false;
  /** Told of an exit nobody asked for (a crash under load): the runner invalidates a measured stage with it. */
  onUnexpectedExit: ((t: Target, info: { code: number | null; signal: NodeJS.Signals | null }) => void) | null = null;
  /**
   * CPU seconds (cumulative) and memory of a target that is no process of ours (a container:
   * its cgroup), read instead of /proc/<pid>; undefined for local processes.
   */
  usage?: () => { cpuS: number; rssMb: number } | null;

  /** `spawn: false` makes a stand-in with no process (a remote target: remote.ts overrides its control). */
  constructor(
    protected readonly spec: TargetSpec,
    private readonly onRestart: (t: Target) => void,
    private readonly compiled: { script: string; probe: string } | null = null,
    private readonly wrap: TargetWrap | null = null,
    spawnNow = true,
  ) {
    this.role = spec.role;
    if (spawnNow) {
      this.child = this.spawnChild();
    } else {
      this.child = new ChildProcess(); // no pid: never sampled from /proc, never signalled
      this.exitedPromise = new Promise(() => {});
    }
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.exitedPromise;
  }

  private spawnChild(): ChildProcess {
    const s = this.spec;
    // A script target runs compiled (compile.ts): Processes.start put the JavaScript in `compiled`.
    let [cmd, args] = s.script
      ? [process.execPath, [...(s.nodeArgs ?? []), '--import', pathToFileURL(this.compiled?.probe ?? '').href, this.compiled?.script ?? s.script, ...(s.args ?? [])]]
      : [s.command ?? '', s.args ?? []];
    if (!cmd) throw new WbError('WB_ERR_TARGET_START', `target ${s.role}: give a script or a command`);
    if (this.wrap) [cmd = '', ...args] = this.wrap.command([cmd, ...args], s.role);
    const [file, argv] = s.cpus?.length ? pinnedCommand(s.cpus, cmd, args) : [cmd, args];
    const group = inOwnGroup(file, argv); // own process group, so stop/kill reaches grandchildren
    this.groupNote = group.note;
    const child = spawn(group.file, group.args, {
      cwd: s.cwd,
      env: { ...process.env, ...s.env, ...this.wrap?.env },
      stdio: s.script && !this.wrap ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
      detached: group.detached,
    });
    installExitHook();
    if (child.pid !== undefined) liveGroups.add(child.pid);
    this.exitInfo = null;
    this.exitExpected = false;
    this.tail.length = 0; // a restart must not find the previous process's readiness line
    this.readyMatch = null;
    this.latestProbe = null; // the queue is kept: the previous process's last samples are still to be taken
    this.exitedPromise = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        if (!this.exitExpected) this.onUnexpectedExit?.(this, this.exitInfo);
        resolve({ code, signal });
      });
      child.once('error', (err) => {
        this.tail.push(`spawn failed: ${err.message}`);
        this.exitInfo = { code: -1, signal: null };
        resolve({ code: -1, signal: null });
      });
    });
    const streams = [child.stdout, child.stderr].filter((x) => x !== null);
    this.streamsEnded = Promise.all(streams.map((x) => new Promise<void>((r) => x.once('close', () => r()))));
    for (const stream of streams) {
      createInterface({ input: stream }).on('line', (line) => {
        this.tail.push(line);
        if (this.tail.length > 50) this.tail.shift();
        for (const l of this.lineListeners) l(line);
      });
    }
    child.on('message', (m: unknown) => {
      if (m && typeof m === 'object' && (m as { wirebenchProbe?: number }).wirebenchProbe === 1) {
        this.latestProbe = m as ProbeSample;
        this.probeQueue.push({ atMs: performance.now(), pid: child.pid ?? -1, p: this.latestProbe });
      }
    });
    return child;
  }

  /**
   * The probe samples that arrived since the last call. A sampler reading only the latest one
   * would lose a sample whenever two arrive between its ticks, and with it that interval's
   * event-loop delay and GC maximum.
   */
  takeProbes(): Array<{ atMs: number; pid: number; p: ProbeSample }> {
    const out = this.probeQueue;
    this.probeQueue = [];
    return out;
  }

  /**
   * Its last words: 'exit' can come before the rest of stdout and stderr is read (a failed exec's
   * reason among them). Bounded, since a grandchild can hold the pipes open.
   */
  private async outputDrained(): Promise<void> {
    await Promise.race([this.streamsEnded, sleep(200)]);
  }

  /** Resolves once the target is ready; rejects with the target's last output if it exits or times out. */
  async waitReady(): Promise<void> {
    const timeoutMs = Math.max(this.spec.readyTimeoutMs ?? 15_000, this.wrap?.readyTimeoutMs ?? 0);
    const ready = this.spec.ready;
    const deadline = Date.now() + timeoutMs;
    const fail = (why: string): WbError =>
      new WbError(
        'WB_ERR_TARGET_START',
        `target ${this.role} ${why}; last output: ${this.tail.slice(-5).join(' | ') || '(none)'}`,
      );
    if (this.exitInfo) {
      await this.outputDrained();
      throw fail('exited before it was ready');
    }
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
        void this.exited.then(async () => {
          await this.outputDrained();
          done(fail('exited before it was ready'));
        });
        const done = (err?: Error): void => {
          clearTimeout(timer);
          this.lineListeners.delete(onLine);
          if (err) reject(err);
          else resolve();
        };
        this.lineListeners.add(onLine);
      });
      return;
    }
    const probe = 'port' in ready ? () => portOpen(ready.port, ready.host ?? '127.0.0.1') : ready.check;
    while (Date.now() < deadline) {
      if (this.exitInfo) {
        await this.outputDrained();
        throw fail('exited before it was ready');
      }
      if (await probe().catch(() => false)) return;
      await sleep(25);
    }
    throw fail(`was not ready within ${timeoutMs} ms`);
  }

  /** SIGTERM (a wrapped target: its wrapper's signal), then SIGKILL after the stop timeout. Resolves when the process and its group are gone. */
  async stop(): Promise<void> {
    const pgid = this.child.pid;
    this.exitExpected = true;
    if (!this.exitInfo) {
      killGroup(pgid, this.wrap?.stopSignal ?? 'SIGTERM');
      const t = setTimeout(() => killGroup(pgid, 'SIGKILL'), this.wrap?.stopTimeoutMs ?? this.spec.stopTimeoutMs ?? 5000);
      await this.exited;
      clearTimeout(t);
    }
    await this.reapGroup(pgid);
  }

  /** kill -9 of the whole group, for fault scenarios. */
  async kill(): Promise<void> {
    const pgid = this.child.pid;
    this.exitExpected = true;
    killGroup(pgid, 'SIGKILL');
    await this.exited;
    await this.reapGroup(pgid);
  }

  /** Stragglers left in the group after its leader exited get SIGKILL until none is left. */
  private async reapGroup(pgid: number | undefined): Promise<void> {
    for (let i = 0; i < 50 && groupAlive(pgid); i++) {
      killGroup(pgid, 'SIGKILL');
      await sleep(20);
    }
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
