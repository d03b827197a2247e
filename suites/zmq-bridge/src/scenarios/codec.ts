import { closedLoop, defineScenario, Figures, pick as dur, type Measurement } from '@wirebench/kit';
import { computeDriver, type Codec } from '../drivers.js';
import { startBridge } from '../targets.js';

type Env = { endpoint: string };
const N = 100_000;
const CODECS: readonly Codec[] = ['json', 'msgpack', 'raw'];
const CONCURRENCY = 2;
/**
 * One generator thread per request in flight: the client's own JSON/MessagePack encoding of 100K
 * floats is part of the cost measured, and on one thread it saturates the generator (invalid run).
 */
const GENERATOR_THREADS = 2;

export const codec = defineScenario<Env>({
  name: 'codec',
  description: `broker + 2 workers, 100K floats, closed loop ${CONCURRENCY} in flight (${GENERATOR_THREADS} generator threads): throughput of JSON vs MessagePack vs raw float32 frames; the result itself is raw`,
  setup: async (ctx) => ({ endpoint: (await startBridge(ctx, { workers: 2 })).frontend }),
  drivers: Object.fromEntries(CODECS.map((c) => [c, (env: Env) => computeDriver({ endpoint: env.endpoint, n: N, format: c })])),
  run: async (ctx) => {
    const f = new Figures();
    let primary: Measurement | undefined;
    for (const c of CODECS) {
      if (ctx.smoke && c === 'msgpack') continue; // smoke: the two codecs of the SLO
      const inFlight = ctx.smoke ? 1 : CONCURRENCY;
      const m = await ctx.measure(closedLoop({ concurrency: inFlight, workers: ctx.smoke ? 1 : GENERATOR_THREADS, durationMs: dur(ctx, 6000, 1000), warmupMs: dur(ctx, 600, 150), params: { floats: N, codec: c, workers: 2 } }), { driver: c });
      const s = f.add(`100K ${c}`, m);
      f.rate(c, s, `100K floats, ${c}, ${inFlight} in flight`);
      f.latency(c, s, `100K floats, ${c}, ${inFlight} in flight`);
      if (c === 'raw') primary = m;
    }
    const raw = f.metrics.raw_rps?.value ?? 0;
    const json = f.metrics.json_rps?.value ?? 0;
    const msgpack = f.metrics.msgpack_rps?.value ?? 0;
    if (json > 0) f.ratio('raw_vs_json', raw / json, '100K floats: raw throughput ÷ JSON throughput');
    if (msgpack > 0) f.ratio('raw_vs_msgpack', raw / msgpack, '100K floats: raw throughput ÷ MessagePack throughput');
    // Each measure boots fresh generator threads (tsx + the suite, ~2 s on this machine): too slow for smoke.
    if (ctx.smoke) f.notes.push('smoke: 1 in flight on one generator thread, MessagePack left out');
    return f.output(primary);
  },
  slo: ['raw_vs_json >= 5', 'errors <= 0.1%'],
});
