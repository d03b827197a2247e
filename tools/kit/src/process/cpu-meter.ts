import { readdirSync, readFileSync } from 'node:fs';
import type { Target } from './processes.js';
import { readThreadCpu, type ThreadCpu } from './thread-cpu.js';

/**
 * CPU seconds of a process and everything under it: its own time, its reaped children's
 * (cutime/cstime) and every live descendant's. A target that starts workers of its own (a pool)
 * costs what they cost too; a worker that exits moves from the live sum into its parent's
 * cutime, so the total only grows. Null when the process is gone or this is not Linux.
 */
export function readTreeCpuS(pid: number): { pid: number; cpuS: number } | null {
  const stats = new Map<number, { ppid: number; cpuS: number }>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return null;
  }
  for (const e of entries) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(e), { ppid: Number(f[1]), cpuS: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100 });
    } catch {
      /* exited meanwhile */
    }
  }
  if (!stats.has(pid)) return null;
  let cpuS = 0;
  const todo = [pid];
  while (todo.length) {
    const p = todo.pop()!;
    cpuS += stats.get(p)?.cpuS ?? 0;
    for (const [child, s] of stats) if (s.ppid === p) todo.push(child);
  }
  return { pid, cpuS };
}

/** A target's CPU: its cgroup's for a container (Target.usage), else its process tree's. */
function targetCpuS(t: Target): { pid: number; cpuS: number } | null {
  if (t.usage) {
    const u = t.usage();
    return u ? { pid: t.pid, cpuS: u.cpuS } : null;
  }
  return readTreeCpuS(t.pid);
}

/**
 * CPU seconds each process used over marked intervals (a measurement's measured stages), read
 * from /proc at each mark rather than from the sampler's timeline: a 1 s sampling tick would
 * blur a 600 ms smoke stage's edges into set-up and drain. This is what CPU per operation is
 * computed from, the cost that survives a shared, noisy machine when throughput ratios do not.
 * A target restarted inside an interval counts from its new start only (the old process's CPU
 * since the mark is gone with it), so a fault stage undercounts slightly rather than guessing.
 */
export class CpuMeter {
  private open: { generatorUs: number; threads: ThreadCpu | null; targets: Map<Target, { pid: number; cpuS: number }> } | null = null;
  private totals = new Map<string, number>();
  /** The generator's main thread and the kit's helper threads, over the same intervals; null once /proc could not say. */
  private threadTotals: { mainS: number; helpersS: number } | null = { mainS: 0, helpersS: 0 };

  constructor(private readonly targets: () => readonly Target[]) {}

  begin(): void {
    if (this.open) return;
    const u = process.cpuUsage();
    const targets = new Map<Target, { pid: number; cpuS: number }>();
    for (const t of this.targets()) {
      const p = t.exitInfo ? null : targetCpuS(t);
      if (p) targets.set(t, { pid: t.pid, cpuS: p.cpuS });
    }
    this.open = { generatorUs: u.user + u.system, threads: readThreadCpu(), targets };
  }

  end(): void {
    const o = this.open;
    if (!o) return;
    this.open = null;
    const threads = readThreadCpu();
    const u = process.cpuUsage();
    this.add('generator', (u.user + u.system - o.generatorUs) / 1e6);
    if (this.threadTotals && o.threads && threads) {
      this.threadTotals.mainS += Math.max(0, threads.mainS - o.threads.mainS);
      // A helper started inside the interval counts from zero; one that ended inside it is lost (rare: they live as long as a load).
      for (const [tid, s] of threads.helpers) this.threadTotals.helpersS += Math.max(0, s - (o.threads.helpers.get(tid) ?? 0));
    } else {
      this.threadTotals = null;
    }
    for (const t of this.targets()) {
      const p = targetCpuS(t);
      if (!p) continue;
      const from = o.targets.get(t);
      this.add(t.role, from && from.pid === t.pid ? p.cpuS - from.cpuS : p.cpuS);
    }
  }

  /** The totals since the last take, by role; empty when no interval was marked. */
  take(): Record<string, number> {
    this.end();
    const out = Object.fromEntries([...this.totals].map(([k, v]) => [k, Math.round(v * 1e4) / 1e4]));
    this.totals = new Map();
    return out;
  }

  /**
   * The generator's CPU seconds that no driver spent, since the last takeThreads: its main thread's
   * and the kit's helper threads' (the open-loop ticker). Call after take(). Null where /proc has
   * no per-thread figures.
   */
  takeThreads(): { mainS: number; helpersS: number } | null {
    this.end();
    const t = this.threadTotals;
    this.threadTotals = { mainS: 0, helpersS: 0 };
    return t;
  }

  private add(role: string, s: number): void {
    this.totals.set(role, (this.totals.get(role) ?? 0) + Math.max(0, s));
  }
}

/** µs of CPU per completed operation, per role and for all targets together (the generator apart). */
export function cpuPerOp(cpuS: Readonly<Record<string, number>>, ops: number): { targetsUs: number | null; generatorUs: number | null; byRole: Record<string, number> } {
  if (!(ops > 0)) return { targetsUs: null, generatorUs: null, byRole: {} };
  const us = (s: number): number => Math.round(((s * 1e6) / ops) * 100) / 100;
  const byRole: Record<string, number> = {};
  let targets = 0;
  let any = false;
  for (const [role, s] of Object.entries(cpuS)) {
    if (role === 'generator') continue;
    byRole[role] = us(s);
    targets += s;
    any = true;
  }
  return { targetsUs: any ? us(targets) : null, generatorUs: cpuS.generator === undefined ? null : us(cpuS.generator), byRole };
}
