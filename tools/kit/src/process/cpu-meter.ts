import type { Target } from './processes.js';
import { readProc } from './sampler.js';

/**
 * CPU seconds each process used over marked intervals (a measurement's measured stages), read
 * from /proc at each mark rather than from the sampler's timeline: a 1 s sampling tick would
 * blur a 600 ms smoke stage's edges into set-up and drain. This is what CPU per operation is
 * computed from, the cost that survives a shared, noisy machine when throughput ratios do not.
 * A target restarted inside an interval counts from its new start only (the old process's CPU
 * since the mark is gone with it), so a fault stage undercounts slightly rather than guessing.
 */
export class CpuMeter {
  private open: { generatorUs: number; targets: Map<Target, { pid: number; cpuS: number }> } | null = null;
  private totals = new Map<string, number>();

  constructor(private readonly targets: () => readonly Target[]) {}

  begin(): void {
    if (this.open) return;
    const u = process.cpuUsage();
    const targets = new Map<Target, { pid: number; cpuS: number }>();
    for (const t of this.targets()) {
      const p = t.exitInfo ? null : readProc(t.pid);
      if (p) targets.set(t, { pid: t.pid, cpuS: p.cpuS });
    }
    this.open = { generatorUs: u.user + u.system, targets };
  }

  end(): void {
    const o = this.open;
    if (!o) return;
    this.open = null;
    const u = process.cpuUsage();
    this.add('generator', (u.user + u.system - o.generatorUs) / 1e6);
    for (const t of this.targets()) {
      const p = readProc(t.pid);
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
