/**
 * Carries out fault actions (engine/faults.ts) against a scenario's targets: roles resolve through
 * ctx.processes. ctx.measure passes `faultFirer(ctx)` to the engine; a test or a custom run can too.
 */
import type { FaultAction, FireFault } from '../engine/faults.js';
import type { ScenarioContext } from '../suite/suite.js';
import { RemoteTarget, type Target } from './processes.js';

/**
 * A signal to the target's process group (the target leads one: process-group.ts), or to its
 * own pid when the group is already gone.
 */
function signalGroup(t: Target, sig: NodeJS.Signals): void | Promise<void> {
  if (t instanceof RemoteTarget) return t.signal(sig);
  if (t.exitInfo) throw new Error(`${t.role} is not running (exited ${t.exitInfo.signal ?? `with code ${t.exitInfo.code}`})`);
  try {
    process.kill(-t.pid, sig);
  } catch {
    process.kill(t.pid, sig);
  }
}

export async function performFault(action: FaultAction, ctx: ScenarioContext): Promise<void> {
  if (Array.isArray(action)) {
    for (const a of action as readonly FaultAction[]) await performFault(a, ctx);
    return;
  }
  const a = action as Exclude<FaultAction, readonly FaultAction[]>;
  if ('run' in a) return a.run(ctx);
  if ('kill' in a) return ctx.processes.get(a.kill).kill();
  if ('restart' in a) {
    const t = ctx.processes.get(a.restart);
    // A frozen target would sit out its whole stop timeout before SIGKILL: thaw it first.
    if (!t.exitInfo && !(t instanceof RemoteTarget)) signalGroup(t, 'SIGCONT');
    return t.restart();
  }
  if ('stop' in a) return signalGroup(ctx.processes.get(a.stop), 'SIGSTOP');
  if ('cont' in a) return signalGroup(ctx.processes.get(a.cont), 'SIGCONT');
  // Any other signal goes to the target's own pid: a handler there (SIGUSR2 → stall) expects it,
  // and a wrapper in its group (sh, a profiler) would die of a signal it does not handle.
  const t = ctx.processes.get(a.role);
  if (t instanceof RemoteTarget) return t.signal(a.signal);
  if (t.exitInfo) throw new Error(`${t.role} is not running`);
  process.kill(t.pid, a.signal);
}

/** The engine's `fireFault` for a scenario: actions resolve roles through ctx.processes, and `run` gets ctx. */
export function faultFirer(ctx: ScenarioContext): FireFault {
  return (action) => performFault(action, ctx);
}
