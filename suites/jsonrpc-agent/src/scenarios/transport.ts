/**
 * The seed's transport benchmarks through the real HTTP stack: manifest, metrics, asap.send single
 * and batch of 10 (open loop, corrected latency), then payload sizes 1 KB…1 MB sequentially
 * (closed loop, one in flight: service time without queueing) and the latency-vs-size slope.
 */
import { closedLoop, defineScenario, Figures, leastSquares, openLoop, pick as dur, type Measurement } from '@wirebench/kit';
import { batchDriver, manifestDriver, metricsDriver, sendDriver, type HttpEnv } from '../drivers.js';
import { startAgent, CPU_PLAN } from '../targets.js';

const SIZES = [
  { label: '1kb', bytes: 1024 },
  { label: '10kb', bytes: 10 * 1024 },
  { label: '100kb', bytes: 100 * 1024 },
  { label: '1mb', bytes: 1024 * 1024 },
] as const;

/** Light enough that each endpoint is measured unloaded (the seed's targets are per-request costs). */
const ENDPOINT_RATE = 200;

const drivers: Record<string, (env: HttpEnv) => ReturnType<typeof sendDriver>> = {
  manifest: manifestDriver,
  metrics: metricsDriver,
  send: (env) => sendDriver(env),
  batch10: (env) => batchDriver(env, 10),
};
for (const s of SIZES) drivers[`size_${s.label}`] = (env) => sendDriver(env, { bytes: s.bytes });

export const transport = defineScenario<HttpEnv>({
  name: 'transport',
  cpus: CPU_PLAN,
  description: `manifest, metrics, asap.send single and batch of 10 (open loop ${ENDPOINT_RATE}/s); asap.send with 1 KB/10 KB/100 KB/1 MB inputs (sequential) and the latency-vs-size slope`,
  setup: async (ctx) => ({ url: (await startAgent(ctx)).url, connections: 8 }),
  drivers,
  run: async (ctx) => {
    const f = new Figures();
    let primary: Measurement | undefined;
    for (const op of ['manifest', 'metrics', 'send', 'batch10'] as const) {
      const m = await ctx.measure(openLoop({ rate: ENDPOINT_RATE, durationMs: dur(ctx, 5000, 500), warmupMs: dur(ctx, 1000, 150), params: { op, rate: ENDPOINT_RATE } }), { driver: op });
      f.latency(op, f.add(op, m), `${op}, open loop ${ENDPOINT_RATE}/s`, ['p50', 'p95', 'p99']);
      if (op === 'send') primary = m;
    }
    const kb: number[] = [];
    const p50: number[] = [];
    for (const s of SIZES) {
      const big = s.bytes >= 1024 * 1024;
      const m = await ctx.measure(closedLoop({ concurrency: 1, durationMs: dur(ctx, big ? 4000 : 2500, big ? 600 : 300), warmupMs: dur(ctx, 500, 100), params: { inputBytes: s.bytes } }), { driver: `size_${s.label}` });
      const sum = f.add(`size_${s.label}`, m);
      f.latency(`size_${s.label}`, sum, `asap.send with a ${s.label} input, sequential`);
      kb.push(s.bytes / 1024);
      p50.push(sum.latencyMs.p50);
    }
    const fit = leastSquares(kb, p50);
    f.value('size_slope_us_per_kb', fit.slope * 1000, 'µs/KB', 'lower', 'least-squares slope of p50 latency over input size (1 KB…1 MB), sequential asap.send', p50);
    f.value('size_slope_ms_per_mb', fit.slope * 1024, 'ms/MB', 'lower', 'the same slope per MB');
    f.value('size_intercept_ms', fit.intercept, 'ms', 'lower', 'fitted latency at zero size');
    f.value('size_fit_r2', fit.r2, 'r²', 'higher', 'how linear latency is in size (the seed asks for linear scaling)');
    f.failures('transport_failed', 'failed operations across every measurement of this scenario');
    return f.output(primary);
  },
  // The seed's targets (means there; p50 here): manifest < 1 ms, metrics < 2 ms, asap < 5 ms, linear scaling.
  slo: ['manifest_p50_ms < 1', 'metrics_p50_ms < 2', 'send_p50_ms < 5', 'batch10_p50_ms < 10', 'size_fit_r2 >= 0.9', 'transport_failed == 0'],
});
