/**
 * kit-self: the kit measured on itself. In-process no-op and fixed-delay operations show what the
 * engine costs and how exactly it keeps a schedule; a TCP echo child process exercises process
 * control, sampling and multi-worker merging end to end.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closedLoop, defineScenario, defineSuite, openLoop, type ScenarioContext } from '@wirebench/kit';
import { fixedDelay, noopAsync, noopSync, tcpEcho } from './drivers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dur = (ctx: ScenarioContext, full: number, smoke: number): number => (ctx.smoke ? smoke : full);

const generatorCpu = defineScenario({
  name: 'open-10k',
  description: 'open loop at 10,000/s of async no-ops: achieved vs requested rate, the generator\'s own CPU',
  driver: () => noopAsync,
  load: (ctx) => openLoop({ rate: 10_000, durationMs: dur(ctx, 10_000, 3000), warmupMs: 500 }),
  metrics: (r) => {
    const gen = r.resources.processes.find((p) => p.role === 'generator');
    return {
      generator_cpu_pct: { value: gen?.cpuPct.mean ?? 0, unit: '% of a core', better: 'lower', note: 'generator CPU at 10,000/s' },
      send_lag_p99_ms: { value: r.sendLagMs?.p99 ?? 0, unit: 'ms', better: 'lower', note: 'timer lag of sends behind schedule' },
    };
  },
  slo: ['rate_error <= 1%', 'generator_cpu_pct < 50', 'lost == 0', 'dropped == 0'],
});

export default defineSuite({
  name: 'kit-self',
  description: 'The measuring engine measured against in-process no-op and fixed-delay operations',
  transport: 'in-process',
  libraries: ['hdr-histogram-js'],
  scenarios: [
    defineScenario({
      name: 'closed-noop',
      description: 'closed loop, one slot, synchronous no-op: the engine\'s per-operation cost',
      generatorIsTarget: true,
      driver: () => noopSync,
      load: (ctx) => closedLoop({ concurrency: 1, durationMs: dur(ctx, 5000, 1500), warmupMs: 500 }),
      slo: ['throughput >= 1000000/s', 'errors == 0'],
    }),
    defineScenario({
      name: 'closed-noop-async',
      description: 'closed loop, 16 slots, promise-returning no-op: the async path real drivers take',
      generatorIsTarget: true,
      driver: () => noopAsync,
      load: (ctx) => closedLoop({ concurrency: 16, durationMs: dur(ctx, 5000, 1500), warmupMs: 500 }),
      slo: ['throughput >= 500000/s', 'errors == 0'],
    }),
    generatorCpu,
    defineScenario({
      name: 'fixed-delay',
      description: 'open loop at 200/s of 5 ms timer delays: the engine recovers a known latency',
      driver: () => fixedDelay(5),
      load: (ctx) => openLoop({ rate: 200, durationMs: dur(ctx, 5000, 2000), warmupMs: 300 }),
      // Node timers fire at ≥ the delay on a 1 ms clock, and sends themselves lag ≤ ~1 ms.
      slo: ['p50 >= 5ms', 'p50 < 8ms', 'rate_error <= 1%'],
    }),
    defineScenario<{ port: number }>({
      name: 'tcp-echo',
      description: 'closed loop over TCP to an echo server in a child process, two generator workers',
      transport: 'tcp',
      setup: async (ctx) => {
        const t = await ctx.processes.start({ role: 'echo-server', script: path.join(here, 'echo-server.ts'), ready: { line: /^READY echo tcp:\/\/127\.0\.0\.1:(\d+)/ } });
        return { port: Number(t.readyMatch?.[1]) };
      },
      driver: (env) => tcpEcho(env.port),
      load: (ctx) => closedLoop({ concurrency: 32, durationMs: dur(ctx, 5000, 2000), warmupMs: 500, workers: 2 }),
      slo: ['errors == 0', 'lost == 0', 'throughput >= 1000/s'],
    }),
  ],
});
