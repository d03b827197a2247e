import { closedLoop, defineScenario, earlier, Figures, openLoop, pick as dur, type Driver, type Measurement } from '@wirebench/kit';
import { computeDriver, type Codec } from '../drivers.js';
import { startBridge } from '../targets.js';

const SIZES = [
  { label: '1k', n: 1000 },
  { label: '10k', n: 10_000 },
  { label: '100k', n: 100_000 },
] as const;
const CODECS: readonly Codec[] = ['json', 'msgpack', 'raw'];

/**
 * Open-loop rates per size and codec: well under each combination's sequential capacity on this
 * 2-core machine (measured), so the figures are latency at a steady load, not a backlog.
 */
const OPEN_RATE: Record<string, number> = {
  '1k-json': 100, '1k-msgpack': 250, '1k-raw': 1000,
  '10k-json': 25, '10k-msgpack': 100, '10k-raw': 150,
  '100k-json': 3, '100k-msgpack': 8, '100k-raw': 40,
};

type Env = { endpoint: string };

const drivers: Record<string, (env: Env) => Driver<any>> = {};
for (const s of SIZES) {
  for (const c of CODECS) drivers[`${s.label}-${c}`] = (env) => computeDriver({ endpoint: env.endpoint, n: s.n, format: c });
}

export const latency = defineScenario<Env>({
  name: 'latency',
  description: 'broker + 2 workers: 1K/10K/100K floats × JSON/MessagePack/raw, sequential (closed loop, 1 in flight) and open loop; the result itself is 1K raw at 1,000/s open loop',
  setup: async (ctx) => ({ endpoint: (await startBridge(ctx, { workers: 2 })).frontend }),
  drivers,
  run: async (ctx) => {
    const f = new Figures();
    let primary: Measurement | undefined;
    for (const s of SIZES) {
      for (const c of CODECS) {
        const key = `${s.label}-${c}`;
        const isPrimary = key === '1k-raw';
        // Smoke keeps to the 1K codecs and raw at 10K/100K (100K JSON alone costs ~0.1 s a request).
        if (ctx.smoke && s.n !== 1000 && c !== 'raw') continue;
        const big = s.n >= 100_000;
        const params = { floats: s.n, codec: c, workers: 2 };
        const seq = await ctx.measure(closedLoop({ concurrency: 1, durationMs: dur(ctx, big ? 5000 : 4000, 400), warmupMs: dur(ctx, 500, 100), params }), { driver: key });
        const ss = f.add(`${key} sequential`, seq);
        f.latency(`${s.label}_${c}_seq`, ss, `${s.n} floats, ${c}, sequential`);
        f.rate(`${s.label}_${c}_seq`, ss, `${s.n} floats, ${c}, sequential`);
        if (ctx.smoke && !isPrimary) continue;
        const rate = OPEN_RATE[key] ?? 10;
        const durationMs = isPrimary ? dur(ctx, 10_000, 2000) : dur(ctx, big ? 6000 : 4000, 1500);
        const open = await ctx.measure(openLoop({ rate, durationMs, warmupMs: dur(ctx, 500, 300), params: { ...params, rate } }), { driver: key });
        const os = f.add(`${key} open ${rate}/s`, open);
        f.latency(`${s.label}_${c}_open`, os, `${s.n} floats, ${c}, open loop ${rate}/s`);
        if (isPrimary) primary = open;
      }
    }
    if (ctx.smoke) f.notes.push('smoke: sequential runs for 1K × every codec and 10K/100K raw; open loop only for 1K raw');
    const d = earlier(ctx, 'direct', (r) => r.metrics.open_p50_ms?.value);
    const b = f.metrics['1k_raw_open_p50_ms']?.value;
    if (d !== null && b !== undefined) f.ratio('p50_vs_direct', b / d, 'p50 of 1K raw at 1,000/s through the broker ÷ direct REQ/REP p50 at 1,000/s (same run)', 'lower');
    else f.notes.push('p50_vs_direct needs the direct scenario in the same run');
    return f.output(primary);
  },
  // Ours (issue 4): p99 ≤ 2 ms at 1,000/s, p50 ≤ 2 × direct. The seed's: p99 ≤ 50 ms, ≥ 100/s, errors ≤ 0.1 %.
  slo: ['p99 <= 2ms', 'p50_vs_direct <= 2', 'p99 <= 50ms', 'throughput >= 100/s', 'errors <= 0.1%'],
});
