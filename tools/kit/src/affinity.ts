import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { WbError } from './errors.js';

/**
 * CPU pinning with util-linux `taskset`: Node has no sched_setaffinity binding, and a native addon
 * for one syscall would cost every install a compile. On a small machine a generator sharing cores
 * with its target falls behind its schedule whenever the target is busy; pinning each to its own
 * CPUs keeps the generator's sends on time and gives the target a fixed, stated budget.
 */
export interface CpuPlan {
  /** CPUs for this process (the generator, its worker threads, the sampler). */
  generator: number[];
  /** CPUs for every target the scenario starts. */
  targets: number[];
}

export function cpuList(cpus: readonly number[]): string {
  return cpus.join(',');
}

/** Why a plan cannot be applied here (too few CPUs, no taskset), or null when it can. */
export function cpuPlanProblem(plan: CpuPlan): string | null {
  const n = availableParallelism();
  const all = [...plan.generator, ...plan.targets];
  if (plan.generator.length === 0 || plan.targets.length === 0) return 'a CPU plan needs at least one CPU for the generator and one for the targets';
  const bad = all.find((c) => !Number.isInteger(c) || c < 0 || c >= n);
  if (bad !== undefined) return `CPU ${bad} does not exist here (this machine has ${n})`;
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
  } catch {
    return 'taskset (util-linux) is not installed';
  }
  return null;
}

/** The command line that runs `cmd args` on these CPUs (taskset execs, so the pid stays the command's). */
export function pinnedCommand(cpus: readonly number[], cmd: string, args: readonly string[]): [string, string[]] {
  return ['taskset', ['-c', cpuList(cpus), cmd, ...args]];
}

/** Pin this process and all its threads (threads started later inherit it); returns the undo. */
export function pinSelf(cpus: readonly number[]): () => void {
  const pid = String(process.pid);
  const before = execFileSync('taskset', ['-p', pid], { encoding: 'utf8' }).trim().split(/\s+/).pop();
  if (!before || !/^[0-9a-f,]+$/i.test(before)) throw new WbError('WB_ERR_CPU_PLAN', `could not read this process's CPU mask from taskset (got "${before}")`);
  execFileSync('taskset', ['-a', '-p', '-c', cpuList(cpus), pid], { stdio: 'ignore' });
  return () => {
    execFileSync('taskset', ['-a', '-p', before, pid], { stdio: 'ignore' });
  };
}
