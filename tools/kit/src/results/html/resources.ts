/**
 * Resource timelines of every sampled process (generator and targets) on one shared x: the
 * processes were sampled at their own instants, so the union of sample times is the x and each
 * process has nulls where it had no sample (the chart spans those gaps).
 */
import type { Result } from '../types.js';
import type { Column, ResourcesView } from './view.js';

const s3 = (ms: number): number => Math.round(ms) / 1000;

export function resourcesView(r: Result): ResourcesView | null {
  const procs = r.resources.processes.filter((p) => p.timeline.length > 0);
  if (procs.length === 0) return null;
  const times = [...new Set(procs.flatMap((p) => p.timeline.map((s) => s.tMs)))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const column = (p: (typeof procs)[number], pick: (s: (typeof p.timeline)[number]) => number | undefined): Column => {
    const col: Column = times.map(() => null);
    for (const s of p.timeline) col[index.get(s.tMs)!] = pick(s) ?? null;
    return col;
  };
  return {
    t: times.map(s3),
    roles: procs.map((p) => p.role),
    cpu: procs.map((p) => column(p, (s) => s.cpuPct)),
    rss: procs.map((p) => column(p, (s) => s.rssMb)),
    heap: procs.map((p) => (p.timeline.some((s) => s.heapUsedMb !== undefined) ? column(p, (s) => s.heapUsedMb) : null)),
    measured: r.resources.measuredMs.map((m) => ({ fromS: s3(m.fromMs), toS: s3(m.toMs) })),
    processes: r.resources.processes.map((p) => ({
      role: p.role,
      pid: p.pid,
      cpuMean: p.cpuPct.mean,
      cpuMax: p.cpuPct.max,
      rssMean: p.rssMb.mean,
      rssMax: p.rssMb.max,
      heapMax: p.heapUsedMb?.max ?? null,
      loopDelay: p.eventLoopDelayMs ?? null,
      loopUtilization: p.eventLoopUtilization ?? null,
      gc: p.gc ?? null,
    })),
  };
}
