/**
 * The seed's transport benchmarks through the real HTTP stack: manifest, metrics, asap.send single
 * and batch of 10 (open loop, corrected latency), then payload sizes 1 KB…1 MB sequentially
 * (closed loop, one in flight: service time without queueing) and the latency-vs-size slope.
 */
import { closedLoop, defineScenario, leastSquares, matrix, openLoop, pick, type Cell } from '@wirebench/kit';
import { batchDriver, manifestDriver, metricsDriver, sendDriver, type HttpEnv } from '../drivers.js';
import { agentTarget, CPU_PLAN, startUrl } from '../targets.js';

const SIZES = [
  { label: '1kb', bytes: 1024 },
  { label: '10kb', bytes: 10 * 1024 },
  { label: '100kb', bytes: 100 * 1024 },
  { label: '1mb', bytes: 1024 * 1024 },
] as const;

/** Light enough that each endpoint is measured unloaded (the seed's targets are per-request costs). */
const ENDPOINT_RATE = 200;

type Params = { op: string; inputBytes?: number };

const drivers: Record<string, (env: HttpEnv) => ReturnType<typeof sendDriver>> = {
  manifest: manifestDriver,
  metrics: metricsDriver,
  send: (env) => sendDriver(env),
  batch10: (env) => batchDriver(env, 10),
};
for (const s of SIZES) drivers[`size_${s.label}`] = (env) => sendDriver(env, { bytes: s.bytes });

const cells: Cell<Params>[] = [
  ...(['manifest', 'metrics', 'send', 'batch10'] as const).map((op) => ({ key: op, driver: op, label: `${op}, open loop ${ENDPOINT_RATE}/s`, params: { op } })),
  ...SIZES.map((s) => ({ key: `size_${s.label}`, driver: `size_${s.label}`, label: `asap.send with a ${s.label} input, sequential`, params: { op: 'send', inputBytes: s.bytes } })),
];

export const transport = defineScenario<HttpEnv>({
  name: 'transport',
  cpus: CPU_PLAN,
  description: `manifest, metrics, asap.send single and batch of 10 (open loop ${ENDPOINT_RATE}/s); asap.send with 1 KB/10 KB/100 KB/1 MB inputs (sequential) and the latency-vs-size slope`,
  setup: async (ctx) => ({ url: await startUrl(ctx, agentTarget()), connections: 8 }),
  drivers,
  run: matrix<Params, HttpEnv>({
    cells,
    load: (cell, ctx) => {
      const bytes = cell.params?.inputBytes;
      if (bytes === undefined) return openLoop({ rate: ENDPOINT_RATE, durationMs: pick(ctx, 5000, 500), warmupMs: pick(ctx, 1000, 150), params: { rate: ENDPOINT_RATE } });
      const big = bytes >= 1024 * 1024;
      return closedLoop({ concurrency: 1, durationMs: pick(ctx, big ? 4000 : 2500, big ? 600 : 300), warmupMs: pick(ctx, 500, 100) });
    },
    figures: ['latency'],
    pcts: (cell) => (cell.params?.inputBytes === undefined ? ['p50', 'p95', 'p99'] : ['p50', 'p99']),
    primary: 'send',
    failures: 'transport_failed',
    derive: (f, runs) => {
      const sized = runs.filter((r) => r.cell.params?.inputBytes !== undefined);
      const kb = sized.map((r) => r.cell.params!.inputBytes! / 1024);
      const p50 = sized.map((r) => r.summary.latencyMs.p50);
      const fit = leastSquares(kb, p50);
      f.value('size_slope_us_per_kb', fit.slope * 1000, 'µs/KB', 'lower', 'least-squares slope of p50 latency over input size (1 KB…1 MB), sequential asap.send', p50);
      f.value('size_slope_ms_per_mb', fit.slope * 1024, 'ms/MB', 'lower', 'the same slope per MB');
      f.value('size_intercept_ms', fit.intercept, 'ms', 'lower', 'fitted latency at zero size');
      f.value('size_fit_r2', fit.r2, 'r²', 'higher', 'how linear latency is in size (the seed asks for linear scaling)');
    },
  }),
  // The seed's targets (means there; p50 here): manifest < 1 ms, metrics < 2 ms, asap < 5 ms, linear scaling.
  // The seed's latency targets are speed goals: a smoke run (short, cold) reports them, full runs judge them.
  slo: ['size_fit_r2 >= 0.9', 'transport_failed == 0'],
  goals: ['manifest_p50_ms < 1', 'metrics_p50_ms < 2', 'send_p50_ms < 5', 'batch10_p50_ms < 10'],
});
