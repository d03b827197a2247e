/**
 * /proc readings of processes the kit does not sample: the kit samples each target's own pid
 * (RSS) and counts its descendants only for CPU, so a pool's workers (its children) and the stdio
 * workers the generator spawns are read here, by the pids the pool reports in its events.
 */
import { readFileSync } from 'node:fs';

/** VmRSS of a /proc/<pid>/status text, in MiB; null when absent. */
export function parseVmRssMb(status: string): number | null {
  const m = status.match(/^VmRSS:\s+(\d+)\s+kB$/m);
  return m ? Number(m[1]) / 1024 : null;
}

/** utime + stime of a /proc/<pid>/stat text, in seconds (USER_HZ 100); null when malformed. */
export function parseCpuSeconds(stat: string): number | null {
  // comm may hold spaces and parens: fields start after the last ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const s = (Number(f[11]) + Number(f[12])) / 100;
  return Number.isFinite(s) ? s : null;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export function rssMbOf(pid: number): number | null {
  const s = read(`/proc/${pid}/status`);
  return s === null ? null : parseVmRssMb(s);
}

export function cpuSecondsOf(pid: number): number | null {
  const s = read(`/proc/${pid}/stat`);
  return s === null ? null : parseCpuSeconds(s);
}

export interface RssSeries {
  /** Per sample, MiB. */
  samples: number[];
  mean: number;
  max: number;
}

/** Summary of each key's samples (keys with none are left out). */
export function rssSeries(byKey: ReadonlyMap<string, number[]>): Map<string, RssSeries> {
  const out = new Map<string, RssSeries>();
  for (const [k, xs] of byKey) {
    if (xs.length === 0) continue;
    out.set(k, { samples: xs.map((x) => Math.round(x * 100) / 100), mean: xs.reduce((a, b) => a + b, 0) / xs.length, max: Math.max(...xs) });
  }
  return out;
}

/**
 * Samples VmRSS of the pids `pids()` names now (a worker replaced mid-way is followed by its new
 * pid) every `intervalMs` between start() and stop(); a pid gone meanwhile gives no sample.
 */
export class RssSampler {
  private readonly byKey = new Map<string, number[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pids: () => ReadonlyMap<string, number>, private readonly intervalMs = 250) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): Map<string, RssSeries> {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return rssSeries(this.byKey);
  }

  private sample(): void {
    for (const [k, pid] of this.pids()) {
      const mb = rssMbOf(pid);
      if (mb === null) continue;
      const xs = this.byKey.get(k) ?? [];
      xs.push(mb);
      this.byKey.set(k, xs);
    }
  }
}
