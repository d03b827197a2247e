import { readFileSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { LoopDelay } from './loop-delay.js';
import type { ProcessResources, Resources } from '../results/types.js';
import type { ProbeSample, Target } from './processes.js';

/** Linux USER_HZ: /proc CPU times are in these ticks (100 on every mainstream kernel). */
const TICKS_PER_S = 100;

interface ProcStat {
  cpuS: number;
  rssMb: number;
}

/** CPU seconds and RSS of one pid from /proc; null when it is gone or not on Linux. */
export function readProc(pid: number): ProcStat | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm may contain spaces and parens: fields start after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rssPages = Number(fields[21]);
    return { cpuS: (utime + stime) / TICKS_PER_S, rssMb: (rssPages * 4096) / 1048576 };
  } catch {
    return null;
  }
}

interface Series {
  role: string;
  pid: number;
  last: { tMs: number; cpuS: number } | null;
  timeline: ProcessResources['timeline'];
  probes: Array<{ tMs: number; p: ProbeSample }>;
}

function stat(xs: number[]): { mean: number; max: number } {
  if (xs.length === 0) return { mean: 0, max: 0 };
  let sum = 0;
  let max = -Infinity;
  for (const x of xs) {
    sum += x;
    if (x > max) max = x;
  }
  return { mean: round(sum / xs.length), max: round(max) };
}

const round = (x: number): number => Math.round(x * 100) / 100;

/**
 * Samples CPU% and RSS of the generator (this process) and of every target on the run's clock,
 * plus event-loop delay and GC of the generator (perf_hooks) and of node targets (via the probe).
 */
export class Sampler {
  private readonly series = new Map<string, Series>();
  private readonly targets = new Map<string, Target>();
  private timer: NodeJS.Timeout | null = null;
  private readonly t0 = performance.now();
  /** Runs only inside measured intervals (before the first one: from start()). */
  private readonly eld = new LoopDelay();
  private readonly gc = { count: 0, totalMs: 0, maxMs: 0 };
  private readonly gcObserver = new PerformanceObserver((list) => {
    if (this.measured.length > 0 && this.measuredFrom === null) return; // between measured intervals
    for (const e of list.getEntries()) {
      this.gc.count++;
      this.gc.totalMs += e.duration;
      if (e.duration > this.gc.maxMs) this.gc.maxMs = e.duration;
    }
  });
  private elu0 = performance.eventLoopUtilization();
  /** [start, end] ms of each measured interval: summaries describe the load, not setup or warm-up. */
  private readonly measured: Array<[number, number]> = [];
  private measuredFrom: number | null = null;

  /** The generator's own figures (event-loop delay, utilisation, GC) restart with the first measured interval. */
  private generatorElu = 0;
  private generatorEluFrom: ReturnType<typeof performance.eventLoopUtilization> | null = null;

  beginMeasured(): void {
    if (this.measuredFrom !== null) return; // already inside one
    if (this.measured.length === 0) {
      // Restarted, not just cleared: a block that ended just before this point would otherwise
      // be recorded by the first tick after it, inside the interval.
      this.eld.stop();
      this.eld.reset();
      this.eld.start();
      this.gc.count = 0;
      this.gc.totalMs = 0;
      this.gc.maxMs = 0;
    }
    this.measuredFrom = performance.now() - this.t0;
    this.generatorEluFrom = performance.eventLoopUtilization();
    this.eld.start();
  }

  endMeasured(): void {
    if (this.measuredFrom === null) return;
    const now = performance.now() - this.t0;
    if (this.generatorEluFrom) {
      const d = performance.eventLoopUtilization(this.generatorEluFrom);
      // weight each interval's utilisation by its length
      const total = this.measured.reduce((a, [x, y]) => a + (y - x), 0);
      const len = now - this.measuredFrom;
      this.generatorElu = (this.generatorElu * total + d.utilization * len) / Math.max(1e-9, total + len);
    }
    this.measured.push([this.measuredFrom, now]);
    this.measuredFrom = null;
    this.generatorEluFrom = null;
    this.eld.stop();
  }

  private inMeasured(tMs: number): boolean {
    return this.measured.length === 0 || this.measured.some(([a, b]) => tMs > a && tMs <= b + this.intervalMs);
  }

  constructor(readonly intervalMs = 500) {}

  start(): void {
    this.eld.start();
    this.gcObserver.observe({ entryTypes: ['gc'] });
    this.elu0 = performance.eventLoopUtilization();
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  /** Follows a target (again after a restart: same role, new pid). */
  track(t: Target): void {
    this.targets.set(t.role, t);
  }

  private readonly starts = new Map<string, number>();

  private seriesFor(role: string, pid: number): Series {
    const key = `${role}:${pid}`;
    let s = this.series.get(key);
    if (!s) {
      // A restarted target is a new process: its own series, named so that roles stay unique.
      const n = (this.starts.get(role) ?? 0) + 1;
      this.starts.set(role, n);
      s = { role: n === 1 ? role : `${role}#${n}`, pid, last: null, timeline: [], probes: [] };
      this.series.set(key, s);
    }
    return s;
  }

  private sample(): void {
    const tMs = performance.now() - this.t0;
    const procs: Array<[string, number, Target | null]> = [['generator', process.pid, null]];
    for (const t of this.targets.values()) {
      // Probe samples first, exited or not: a killed target's last ones belong to its series.
      for (const x of t.takeProbes()) this.seriesFor(t.role, x.pid).probes.push({ tMs: x.atMs - this.t0, p: x.p });
      if (!t.exitInfo && (t.pid > 0 || t.usage)) procs.push([t.role, t.pid, t]);
    }
    for (const [role, pid, target] of procs) {
      // A container's figures come from its cgroup (Target.usage), a local process's from /proc.
      const p = target?.usage ? target.usage() : readProc(pid);
      if (!p) continue;
      const s = this.seriesFor(role, pid);
      const cpuPct = s.last ? ((p.cpuS - s.last.cpuS) / ((tMs - s.last.tMs) / 1000)) * 100 : 0;
      const heap = target ? target.latestProbe?.heapUsedMb : process.memoryUsage().heapUsed / 1048576;
      if (s.last) s.timeline.push({ tMs: Math.round(tMs), cpuPct: round(cpuPct), rssMb: round(p.rssMb), ...(heap !== undefined ? { heapUsedMb: round(heap) } : {}) });
      s.last = { tMs, cpuS: p.cpuS };
    }
  }

  stop(): Resources {
    this.sample();
    this.endMeasured();
    if (this.timer) clearInterval(this.timer);
    this.eld.stop();
    this.gcObserver.disconnect();
    const elu = this.measured.length ? this.generatorElu : performance.eventLoopUtilization(this.elu0).utilization;
    const processes: ProcessResources[] = [];
    for (const s of this.series.values()) {
      const during = s.timeline.filter((x) => this.inMeasured(x.tMs));
      const basis = during.length ? during : s.timeline;
      const r: ProcessResources = {
        role: s.role,
        pid: s.pid,
        cpuPct: stat(basis.map((x) => x.cpuPct)),
        rssMb: stat(basis.map((x) => x.rssMb)),
        timeline: s.timeline,
      };
      const heaps = basis.flatMap((x) => (x.heapUsedMb !== undefined ? [x.heapUsedMb] : []));
      if (heaps.length) r.heapUsedMb = stat(heaps);
      if (s.role === 'generator') {
        r.eventLoopDelayMs = { p50: round(this.eld.percentileMs(50)), p99: round(this.eld.percentileMs(99)), max: round(this.eld.maxMs) };
        r.eventLoopUtilization = round(elu);
        r.gc = { count: this.gc.count, totalMs: round(this.gc.totalMs), maxMs: round(this.gc.maxMs) };
      } else if (s.probes.length) {
        const inside = s.probes.filter((x) => this.inMeasured(x.tMs));
        const ps = inside.length ? inside : s.probes;
        const firstIdx = s.probes.indexOf(ps[0]!);
        // GC counters are cumulative: the sample before the interval is its zero.
        const base = (firstIdx > 0 ? s.probes[firstIdx - 1] : ps[0])!.p;
        const last = ps[ps.length - 1]!.p;
        r.eventLoopDelayMs = { p50: stat(ps.map((x) => x.p.eldP50Ms)).mean, p99: stat(ps.map((x) => x.p.eldP99Ms)).max, max: stat(ps.map((x) => x.p.eldMaxMs)).max };
        r.eventLoopUtilization = stat(ps.map((x) => x.p.elu)).mean;
        r.gc = { count: last.gcCount - base.gcCount, totalMs: round(last.gcTotalMs - base.gcTotalMs), maxMs: round(stat(ps.map((x) => x.p.gcMaxMs)).max) };
      }
      processes.push(r);
    }
    return { sampleIntervalMs: this.intervalMs, measuredMs: this.measured.map(([a, b]) => ({ fromMs: Math.round(a), toMs: Math.round(b) })), processes };
  }
}
