import { readdirSync, readFileSync } from 'node:fs';

/**
 * The kit's own helper threads (ticker-thread.mjs) name themselves with this prefix
 * (/proc/thread-self/comm), so the generator's CPU can be split into what its drivers cost and
 * what the measuring costs: the open-loop ticker sleeps and wakes once per send, ~40–55 µs of CPU
 * per operation on this VM, as much as the work some scenarios measure.
 */
export const HELPER_THREAD_PREFIX = 'wb-';

export interface ThreadCpu {
  /** CPU seconds of the main thread (tid = pid). */
  mainS: number;
  /** CPU seconds of the kit's named helper threads, by tid (a thread's total since it started). */
  helpers: Map<number, number>;
}

/**
 * This process's main thread and helper threads, CPU seconds each: schedstat's nanoseconds where
 * the kernel has them, else stat's clock ticks. Null where /proc cannot say.
 */
export function readThreadCpu(): ThreadCpu | null {
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return null;
  }
  const out: ThreadCpu = { mainS: Number.NaN, helpers: new Map() };
  for (const t of tids) {
    const tid = Number(t);
    const main = tid === process.pid;
    try {
      if (!main && !readFileSync(`/proc/self/task/${t}/comm`, 'utf8').startsWith(HELPER_THREAD_PREFIX)) continue;
      const s = threadCpuS(t);
      if (main) out.mainS = s;
      else out.helpers.set(tid, s);
    } catch {
      /* exited meanwhile */
    }
  }
  return Number.isNaN(out.mainS) ? null : out;
}

function threadCpuS(tid: string): number {
  try {
    return Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e9;
  } catch {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  }
}
