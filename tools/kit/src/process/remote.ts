/**
 * A target already running elsewhere (`bench --target role=url`): the kit does not start it, stop
 * it or sample it by pid. It is ready once every address in its URL accepts connections (and its
 * container, if named, is healthy); `readyMatch` holds the URL as a READY line's match would, so
 * suites that read their address from `readyMatch[1]` (the contract) get it: `[url, addr1, addr2…]`
 * for `role=addr1,addr2` (a broker's frontend and backend). With `--container role=name` its CPU and
 * memory come from the container's cgroup, and kill/restart/stop/cont/signal faults go through the
 * container engine; without one those faults fail as "not run: remote target" (the result is invalid).
 * A named container is also watched (`<engine> wait`): when it stops and no fault action of the kit
 * stopped it, that is the target's exit, as a local target's crash under load is.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { constants } from 'node:os';
import { sleep } from '../engine/clock.js';
import { WbError } from '../errors.js';
import { containerCgroup, containerEngine, containerHealthy, containerRunning, engineOk, readCgroup } from './container.js';
import { Target, type TargetSpec } from './target.js';

export interface RemoteSpec {
  /**
   * One address, or several separated by commas (readyMatch[1], [2]…). An address without a port
   * is not probed (a service that listens on nothing): its container's health says it is ready.
   */
  url: string;
  /** The container serving this role, for cgroup figures and fault actions. */
  container?: string;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443, nats: 4222 };

/** Host and port of an address such as `http://127.0.0.1:8080/x`, `tcp://h:5555`, `127.0.0.1:50051`. */
export function hostPort(address: string): { host: string; port: number } | null {
  const m = /^(?:([a-z][\w+.-]*):\/\/)?(?:[^@/]*@)?(\[[^\]]+\]|[^:/?#]+)(?::(\d+))?/i.exec(address.trim());
  if (!m) return null;
  const port = m[3] ? Number(m[3]) : DEFAULT_PORTS[(m[1] ?? '').toLowerCase()];
  if (!port) return null;
  return { host: m[2]!.replace(/^\[|\]$/g, ''), port };
}

function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host, port });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export class RemoteTarget extends Target {
  readonly remote: RemoteSpec;
  readonly addresses: string[];
  private cgroupNote: string | null = null;
  /** `<engine> wait <container>` while the container is ours to watch; null while a fault action of the kit stops it. */
  private watcher: ChildProcess | null = null;

  constructor(spec: TargetSpec, remote: RemoteSpec) {
    super(spec, () => {}, null, null, false);
    this.remote = remote;
    this.addresses = remote.url.split(',').map((a) => a.trim()).filter(Boolean);
    // Without a container, the address is the only way to know it is up.
    for (const a of remote.container ? [] : this.addresses) {
      if (!hostPort(a)) throw new WbError('WB_ERR_INVALID_OPTION', `--target ${spec.role}=${remote.url}: "${a}" names no host and port`);
    }
  }

  /** What the result says about this target. */
  get note(): string {
    const where = this.remote.container ? `container ${this.remote.container}` : 'no container named';
    const figures = this.usage ? 'CPU and memory from its cgroup' : this.cgroupNote ?? 'not sampled (no pid here; --container role=name gives cgroup figures)';
    return `target ${this.role}: remote ${this.remote.url} (${where}), not started by the kit; ${figures}`;
  }

  override async waitReady(): Promise<void> {
    const timeoutMs = this.spec.readyTimeoutMs ?? 15_000;
    const deadline = Date.now() + timeoutMs;
    const c = this.remote.container;
    let why = '';
    for (;;) {
      const open = await Promise.all(this.addresses.map((a) => hostPort(a)).map((hp) => (hp ? portOpen(hp.host, hp.port) : true)));
      const closed = this.addresses.filter((_, i) => !open[i]);
      why = closed.length ? `${closed.join(', ')} refused connections` : '';
      if (!why && c) why = (await containerRunning(c)) ? ((await containerHealthy(c)) ? '' : `container ${c} is not healthy`) : `container ${c} is not running`;
      if (!why) break;
      if (Date.now() >= deadline) throw new WbError('WB_ERR_TARGET_START', `remote target ${this.role} was not ready within ${timeoutMs} ms: ${why}`);
      await sleep(100);
    }
    const m = [this.remote.url, ...this.addresses] as RegExpMatchArray;
    m.index = 0;
    m.input = this.remote.url;
    this.readyMatch = m;
    this.tail.push(`READY (remote) ${this.remote.url}`);
    if (c) {
      this.watch(c);
      // A restarted container may get a new cgroup: found again at every readiness.
      const files = await containerCgroup(c);
      if (files) this.usage = () => readCgroup(files);
      else {
        delete this.usage;
        this.cgroupNote = `container ${c}: no cgroup files found, not sampled`;
      }
    }
  }

  /** Not ours to stop: it was running before the scenario and keeps running after it (only the watch ends). */
  override async stop(): Promise<void> {
    this.unwatch();
  }

  /** Its container's stop, unless unwatch() came first, is reported as the target's own exit (code, or the signal above 128). */
  private watch(c: string): void {
    this.unwatch();
    this.exitInfo = null;
    const w = spawn(containerEngine(), ['wait', c], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    w.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
    // The watch must not keep the generator's process alive.
    w.unref();
    (w.stdout as unknown as { unref?: () => void } | null)?.unref?.();
    w.once('error', () => {});
    w.once('exit', (code) => {
      if (this.watcher !== w) return;
      this.watcher = null;
      const status = Number(out.trim().split('\n').pop());
      if (code !== 0 || !Number.isInteger(status)) return; // the engine could not say: nothing is known
      const name = status > 128 ? Object.entries(constants.signals).find(([, n]) => n === status - 128)?.[0] : undefined;
      const info = name ? { code: null, signal: name as NodeJS.Signals } : { code: status, signal: null };
      this.exitInfo = info;
      this.tail.push(`container ${c} stopped: ${name ?? `exit code ${status}`}`);
      this.onUnexpectedExit?.(this, info);
    });
    this.watcher = w;
  }

  private unwatch(): void {
    const w = this.watcher;
    this.watcher = null;
    if (w && w.exitCode === null) w.kill();
  }

  private container(action: string): string {
    const c = this.remote.container;
    if (!c) throw new Error(`not run: remote target ${this.role} (${this.remote.url}) cannot be ${action} without its container: give --container ${this.role}=<name>`);
    return c;
  }

  override async kill(): Promise<void> {
    const c = this.container('killed');
    this.unwatch();
    await engineOk(['kill', '--signal', 'KILL', c], `kill ${this.role}`);
    for (let i = 0; i < 200 && (await containerRunning(c)); i++) await sleep(25);
  }

  override async restart(): Promise<void> {
    const c = this.container('restarted');
    this.unwatch();
    if (await containerRunning(c)) await engineOk(['restart', '-t', '10', c], `restart ${this.role}`, 60_000);
    else await engineOk(['start', c], `start ${this.role}`);
    await this.waitReady();
  }

  /** A signal as a fault action sends it: SIGSTOP/SIGCONT pause and unpause the container (its cgroup freezer), others go to its main process. */
  async signal(sig: NodeJS.Signals): Promise<void> {
    const c = this.container(`sent ${sig}`);
    if (sig === 'SIGSTOP') await engineOk(['pause', c], `pause ${this.role}`);
    else if (sig === 'SIGCONT') {
      const st = await engineOk(['inspect', '-f', '{{.State.Status}}', c], `inspect ${this.role}`);
      if (st.trim() === 'paused') await engineOk(['unpause', c], `unpause ${this.role}`);
    } else {
      this.unwatch(); // a signal the fault action sends may end it: that exit is asked for
      await engineOk(['kill', '--signal', sig, c], `signal ${this.role}`);
    }
  }
}

/**
 * A target the kit did not start (--target role=url, --containers): its address is readyMatch[1]
 * (several: [2]…), and nothing of the suite's own set-up (files, flags) reached it.
 */
export function isRemoteTarget(t: Target): t is RemoteTarget {
  return t instanceof RemoteTarget;
}
