import { fileURLToPath } from 'node:url';
import { WbError } from '../errors.js';
import { compileScript } from './compile.js';
import { Target, type TargetSpec, type TargetWrap } from './target.js';

export { Target, type Readiness, type TargetSpec, type ProbeSample, type TargetWrap } from './target.js';
export { RemoteTarget, type RemoteSpec } from './remote.js';
import { RemoteTarget, type RemoteSpec } from './remote.js';

const PROBE = fileURLToPath(new URL('./probe.ts', import.meta.url));

function wrapsRole(wrap: TargetWrap, role: string): boolean {
  if (wrap.role === undefined || wrap.role === role) return true;
  return role.startsWith(`${wrap.role}-`) && /^\d+$/.test(role.slice(wrap.role.length + 1));
}

/**
 * Process control for a scenario: start targets, wait for readiness, stop or kill them. Everything
 * started here is stopped by `stopAll`, and killed by the exit hook if the kit dies first.
 */
export class Processes {
  readonly targets: Target[] = [];
  /** Called with each (re)started target, so the sampler can follow new pids. */
  onStart: (t: Target) => void = () => {};
  /** Called when a target exits without stop/kill/restart asking it to (see Target.onUnexpectedExit). */
  onUnexpectedExit: (t: Target, info: { code: number | null; signal: NodeJS.Signals | null }) => void = () => {};
  /** CPUs for targets whose spec names none (the scenario's CPU plan). */
  defaultCpus: number[] | undefined;
  /** Runs one script target under a wrapper (a profiler); only the first one whose role matches. */
  wrap: TargetWrap | null = null;
  private wrapped = false;
  /** Roles served by targets already running (`bench --target role=url`): start() hands back a RemoteTarget stand-in. */
  remote: ReadonlyMap<string, RemoteSpec> = new Map();

  async start(spec: TargetSpec): Promise<Target> {
    const remote = this.remote.get(spec.role);
    if (remote) {
      const t = new RemoteTarget(spec, remote);
      // A watched container that stops on its own is a target exit too (remote.ts).
      t.onUnexpectedExit = (x, info) => this.onUnexpectedExit(x, info);
      this.targets.push(t);
      this.onStart(t);
      await t.waitReady();
      return t;
    }
    const compiled = spec.script ? { script: await compileScript(spec.script), probe: await compileScript(PROBE) } : null;
    const wrap = this.wrap && spec.script && !this.wrapped && wrapsRole(this.wrap, spec.role) ? this.wrap : null;
    if (wrap) this.wrapped = true;
    const t = new Target(spec.cpus || !this.defaultCpus ? spec : { ...spec, cpus: this.defaultCpus }, (r) => this.onStart(r), compiled, wrap);
    this.wrap?.onTarget?.(t, wrap !== null);
    t.onUnexpectedExit = (x, info) => this.onUnexpectedExit(x, info);
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

  /** Starts several targets at once (independent ones: their start-ups overlap). */
  startAll(specs: readonly TargetSpec[]): Promise<Target[]> {
    return Promise.all(specs.map((s) => this.start(s)));
  }

  /** The target started under `role` (the latest, if several were), or a coded error naming the roles there are. */
  get(role: string): Target {
    const t = this.targets.findLast((x) => x.role === role);
    if (!t) throw new WbError('WB_ERR_INVALID_OPTION', `no target with role "${role}"; started: ${this.targets.map((x) => x.role).join(', ') || 'none'}`);
    return t;
  }

}
