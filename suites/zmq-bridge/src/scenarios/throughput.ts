import { closedLoop, defineScenario, earlier, Figures, pick as dur, type Measurement, type ScenarioContext } from '@wirebench/kit';
import { computeDriver } from '../drivers.js';
import { startBridge, startWorker } from '../targets.js';

type Env = { endpoint: string; backend: string };

const N_CLIENTS = 4;
const PIPELINE = 32;
const N = 1000;

/** Client shapes, each a closed loop: 1 client × 1 in flight, N clients × 1 each, 1 client × 32 in flight. */
const SHAPES = [
  { key: 'c1', driver: 'single', concurrency: 1, what: '1 client, 1 in flight' },
  { key: `clients${N_CLIENTS}`, driver: 'clients', concurrency: N_CLIENTS, what: `${N_CLIENTS} clients, 1 in flight each` },
  { key: 'pipelined', driver: 'pipelined', concurrency: PIPELINE, what: `1 client, ${PIPELINE} in flight (DEALER pool)` },
] as const;

export const throughput = defineScenario<Env>({
  name: 'throughput',
  description: `broker, 1K floats raw, closed loop: 1 client vs ${N_CLIENTS} clients vs 1 pipelined client (${PIPELINE} in flight), with 1 worker then 2 workers; the result itself is pipelined with 2 workers`,
  setup: async (ctx) => {
    const b = await startBridge(ctx, { workers: 1 });
    return { endpoint: b.frontend, backend: b.backend };
  },
  drivers: {
    single: (env) => computeDriver({ endpoint: env.endpoint, n: N, format: 'raw' }),
    clients: (env) => computeDriver({ endpoint: env.endpoint, n: N, format: 'raw', clients: N_CLIENTS }),
    pipelined: (env) => computeDriver({ endpoint: env.endpoint, n: N, format: 'raw', maxInFlight: PIPELINE }),
  },
  run: async (ctx: ScenarioContext, env) => {
    const f = new Figures();
    let primary: Measurement | undefined;
    for (const workers of [1, 2]) {
      if (workers === 2) await startWorker(ctx, env.backend, 2);
      for (const s of SHAPES) {
        if (ctx.smoke && s.key !== 'c1' && s.key !== 'pipelined') continue; // smoke: the two ends only
        const isPrimary = workers === 2 && s.key === 'pipelined';
        const params = { floats: N, codec: 'raw', workers, shape: s.what };
        const m = await ctx.measure(closedLoop({ concurrency: s.concurrency, durationMs: dur(ctx, 5000, 600), warmupMs: dur(ctx, 500, 150), params }), { driver: s.driver });
        const sum = f.add(`${workers} worker(s), ${s.what}`, m);
        f.rate(`w${workers}_${s.key}`, sum, `${workers} worker(s), ${s.what}`);
        f.latency(`w${workers}_${s.key}`, sum, `${workers} worker(s), ${s.what}`);
        if (isPrimary) primary = m;
      }
    }
    const directSeq = earlier(ctx, 'direct', (r) => r.metrics.seq_rps?.value);
    const best = f.metrics.w2_pipelined_rps?.value;
    if (directSeq !== null && best !== undefined) f.ratio('pipelined_vs_direct_seq', best / directSeq, 'pipelined client through the broker with 2 workers ÷ direct sequential REQ/REP rate (same run)');
    else f.notes.push('pipelined_vs_direct_seq needs the direct scenario in the same run');
    const w1 = f.metrics.w1_pipelined_rps?.value;
    if (w1 && best !== undefined) f.ratio('workers_2_vs_1', best / w1, 'pipelined throughput with 2 workers ÷ with 1 worker');
    return f.output(primary);
  },
  slo: ['pipelined_vs_direct_seq >= 3', 'throughput >= 100/s', 'errors <= 0.1%'],
});
