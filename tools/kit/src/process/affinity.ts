import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { WbError } from '../errors.js';

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

/** CPU ids this process may run on (Cpus_allowed_list), e.g. "0-1,4" → [0, 1, 4]; null where /proc has no answer. */
export function allowedCpus(): number[] | null {
  let list: string | undefined;
  try {
    list = /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  } catch {
    return null;
  }
  if (!list) return null;
  const out: number[] = [];
  for (const part of list.split(',')) {
    const [a, b] = part.split('-').map(Number);
    if (a === undefined || !Number.isInteger(a)) return null;
    for (let c = a; c <= (b ?? a); c++) out.push(c);
  }
  return out;
}

/** Why a plan cannot be applied here (CPUs not allowed, no taskset), or null when it can. */
export function cpuPlanProblem(plan: CpuPlan): string | null {
  if (plan.generator.length === 0 || plan.targets.length === 0) return 'a CPU plan needs at least one CPU for the generator and one for the targets';
  const allowed = allowedCpus();
  if (!allowed) return 'this system does not say which CPUs a process may use (/proc/self/status)';
  const bad = [...plan.generator, ...plan.targets].find((c) => !allowed.includes(c));
  if (bad !== undefined) return `CPU ${bad} is not one this process may use (allowed: ${allowed.join(',')})`;
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

/**
 * Sets the mask of every thread of this process, the main thread first (threads it starts later
 * inherit it). `taskset -a` walks the threads itself and fails the whole call when one of them
 * exits meanwhile (a generator worker thread ending, libuv's pool): that failure is what left
 * scenarios pinned. One call per thread, and a thread that is gone by the time it is reached is
 * skipped.
 */
function setMaskOfAllThreads(args: readonly string[]): void {
  const pid = String(process.pid);
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task').filter((t) => t !== pid);
  } catch {
    tids = [];
  }
  for (const tid of [pid, ...tids]) {
    try {
      execFileSync('taskset', ['-p', ...args, tid], { stdio: 'ignore' });
    } catch (err) {
      if (tid === pid || existsSync(`/proc/self/task/${tid}`)) throw err;
    }
  }
}

/**
 * Pin this process and all its threads; returns the undo. Throws WB_ERR_CPU_PLAN after putting
 * back what it changed when taskset fails part way.
 */
export function pinSelf(cpus: readonly number[]): () => void {
  const pid = String(process.pid);
  const before = execFileSync('taskset', ['-p', pid], { encoding: 'utf8' }).trim().split(/\s+/).pop();
  if (!before || !/^[0-9a-f,]+$/i.test(before)) throw new WbError('WB_ERR_CPU_PLAN', `could not read this process's CPU mask from taskset (got "${before}")`);
  const restore = (): void => setMaskOfAllThreads([before]);
  try {
    setMaskOfAllThreads(['-c', cpuList(cpus)]);
  } catch (err) {
    try {
      restore();
    } catch {
      // nothing more to put back
    }
    throw new WbError('WB_ERR_CPU_PLAN', `taskset could not pin this process to CPU ${cpuList(cpus)}: ${(err as Error).message}`);
  }
  return restore;
}
