import { closedLoop, defineScenario, Figures, openLoop, pick as dur } from '@wirebench/kit';
import { computeDriver } from '../drivers.js';
import { startDirect } from '../targets.js';

export const DIRECT_OPEN_RATE = 1000;

/** The floor: the same handler behind a plain REQ/REP socket, no broker in between. */
export const direct = defineScenario<{ endpoint: string }>({
  name: 'direct',
  description: 'direct REQ/REP server, no broker: 1K floats (raw), sequential (closed loop, 1 in flight) and open loop at 1,000/s; the floor broker figures are compared to',
  setup: async (ctx) => ({ endpoint: (await startDirect(ctx)).endpoint }),
  drivers: { '1k-raw': (env) => computeDriver({ endpoint: env.endpoint, n: 1000, format: 'raw' }) },
  run: async (ctx) => {
    const f = new Figures();
    const params = { floats: 1000, codec: 'raw', path: 'direct' };
    const seq = await ctx.measure(closedLoop({ concurrency: 1, durationMs: dur(ctx, 10_000, 1200), warmupMs: dur(ctx, 1000, 200), params }), { driver: '1k-raw' });
    const s = f.add('sequential', seq);
    f.latency('seq', s, 'direct, sequential');
    f.rate('seq', s, 'direct, sequential');
    const open = await ctx.measure(openLoop({ rate: DIRECT_OPEN_RATE, durationMs: dur(ctx, 10_000, 1200), warmupMs: dur(ctx, 1000, 200), params }), { driver: '1k-raw' });
    f.latency('open', f.add(`open loop ${DIRECT_OPEN_RATE}/s`, open), `direct, open loop ${DIRECT_OPEN_RATE}/s`);
    f.notes.push('result latency/throughput = the sequential run; open_p50_ms/open_p99_ms = the open-loop run');
    return f.output(seq);
  },
  slo: ['errors <= 0.1%', 'p99 <= 50ms'],
});
