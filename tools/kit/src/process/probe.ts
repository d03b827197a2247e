/**
 * Loaded into node target processes with `--import` by the kit's process control, so a target
 * reports its own event-loop delay, GC pauses and heap without depending on the kit. It talks
 * over the IPC channel the kit opened and never keeps the target alive by itself; when the kit
 * goes away (channel closed), the target goes too, so no run leaves an orphan behind.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { LoopDelay } from './loop-delay.js';

if (typeof process.send === 'function') {
  const intervalMs = Number(process.env.WIREBENCH_PROBE_INTERVAL_MS ?? 500);
  // Runs for the life of the target; each sample reports the delays since the one before.
  const eld = new LoopDelay();
  eld.start();
  let gcCount = 0;
  let gcTotalMs = 0;
  let gcMaxMs = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcCount++;
      gcTotalMs += e.duration;
      if (e.duration > gcMaxMs) gcMaxMs = e.duration;
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  let elu = performance.eventLoopUtilization();
  // With WIREBENCH_PROBE_GC=1 and --expose-gc, each sample's heap is measured right after a full GC:
  // heap after GC is what a leak verdict needs (soak runs), at the cost of a GC per sample.
  const forceGc = process.env.WIREBENCH_PROBE_GC === '1' ? (globalThis as { gc?: () => void }).gc : undefined;
  if (process.env.WIREBENCH_PROBE_GC === '1' && !forceGc) process.stderr.write('wirebench probe: WIREBENCH_PROBE_GC=1 needs node --expose-gc; heap samples are not after GC\n');
  const timer = setInterval(() => {
    forceGc?.();
    const now = performance.eventLoopUtilization();
    const delta = performance.eventLoopUtilization(now, elu);
    elu = now;
    const mem = process.memoryUsage();
    try {
      process.send?.({
        wirebenchProbe: 1,
        eldP50Ms: eld.percentileMs(50),
        eldP99Ms: eld.percentileMs(99),
        eldMaxMs: eld.maxMs,
        elu: delta.utilization,
        gcCount,
        gcTotalMs,
        gcMaxMs,
        heapUsedMb: mem.heapUsed / 1048576,
      });
    } catch {
      // channel closing: the disconnect handler below ends the process
    }
    eld.reset();
    gcMaxMs = 0; // per sample, so a start-up pause does not stand for every later interval
  }, intervalMs);
  timer.unref();
  process.channel?.unref();
  process.on('disconnect', () => {
    // The kit is gone (crashed or killed): nothing will ever stop us, so stop now.
    process.kill(process.pid, 'SIGKILL');
  });
}
